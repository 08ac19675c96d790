"""The per-site circuit breaker as /admin reports it: closed → open → half-open → closed."""

from bot.exchanger.errors import ExchangerUnavailable
from bot.notifications.health import Admission, SiteHealth


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
