"""The per-site circuit breaker as /admin reports it: closed → open → half-open → closed."""

from bot.exchanger.errors import ExchangerUnavailable
from bot.notifications.health import Admission, KeyVerdict, SiteHealth


def test_circuit_states_follow_failures_and_a_probe() -> None:
    health = SiteHealth("https://ex.example", threshold=2, cooldown=10, max_cooldown=60)
    assert health.state == "closed"
    for _ in range(2):
        health.failed(ExchangerUnavailable("down"), now=0)
    assert health.state == "open"
    assert health.admit(now=5).admission is Admission.WAIT
    assert health.admit(now=100).admission is Admission.PROBE
    assert health.state == "half-open"
    health.succeeded()
    assert health.state == "closed" and health.last_update_success


def test_a_rejected_key_is_believed_only_when_confirmed_and_not_site_wide() -> None:
    health = SiteHealth("https://ex.example", threshold=5, cooldown=60, max_cooldown=600)
    assert health.key_rejected(1, now=0, site_accounts=3) is KeyVerdict.UNCONFIRMED
    assert health.key_rejected(1, now=20, site_accounts=3) is KeyVerdict.UNCONFIRMED
    assert health.key_rejected(1, now=60, site_accounts=3) is KeyVerdict.CONFIRMED
    health.forget_rejection(1)
    # Two of three accounts within a few intervals: the site, not two keys.
    assert health.key_rejected(2, now=100, site_accounts=2) is KeyVerdict.UNCONFIRMED
    assert health.key_rejected(3, now=130, site_accounts=2) is KeyVerdict.SITE
    assert health.key_rejected(2, now=170, site_accounts=2) is KeyVerdict.SITE
    # Long after, one account alone is rejected again: believed after an interval.
    health.key_accepted(3)
    assert health.key_rejected(2, now=1_000, site_accounts=2) is KeyVerdict.UNCONFIRMED
    assert health.key_rejected(2, now=1_060, site_accounts=2) is KeyVerdict.CONFIRMED


def test_a_single_account_site_is_never_a_site_wide_rejection() -> None:
    health = SiteHealth("https://ex.example", threshold=5, cooldown=10, max_cooldown=60)
    assert health.key_rejected(7, now=0, site_accounts=1) is KeyVerdict.UNCONFIRMED
    assert health.key_rejected(7, now=10, site_accounts=1) is KeyVerdict.CONFIRMED
