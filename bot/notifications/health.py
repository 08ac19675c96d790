"""Per-site health and circuit breaker, plus the per-account backoff.

`SiteHealth` follows Home Assistant's DataUpdateCoordinator: `last_update_success` and
`last_exception`, one log line when the site starts failing and one when it recovers, never a
line per failed request. On top of it a circuit breaker: after `threshold` consecutive
transient failures the site is open (its accounts wait), then one probe poll is let through
(half-open); a success closes it, a failure opens it again for twice as long. A `Retry-After`
holds the whole site for that long.

A rejected key is believed only when it looks like one account's key and not like the site:
`key_rejected()` says SITE when most of the site's accounts (at least two) were rejected within
a few intervals (the site's API module was switched off, a misconfigured firewall answering
"Api disabled"…), UNCONFIRMED for an account's first rejection (it is asked again after an
interval, so a site-wide problem has time to show), and CONFIRMED when the same account is
still rejected an interval later while the rest of the site works.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from enum import Enum, auto

log = logging.getLogger(__name__)


class KeyVerdict(Enum):
    CONFIRMED = auto()  # pause the account and tell its chat
    UNCONFIRMED = auto()  # ask again after an interval; nothing is said yet
    SITE = auto()  # most of the site's accounts at once: the site fails, not the keys


class Admission(Enum):
    ALLOW = auto()
    PROBE = auto()  # the one poll that tests an open site
    WAIT = auto()


@dataclass(frozen=True, slots=True)
class Verdict:
    admission: Admission
    until: float = 0.0  # for WAIT: when to come back


class SiteHealth:
    def __init__(
        self,
        site: str,
        *,
        threshold: int,
        cooldown: float,
        max_cooldown: float,
        interval: float | None = None,
    ) -> None:
        self.site = site
        self._interval = cooldown if interval is None else interval
        self._rejected: dict[int, tuple[float, float]] = {}  # account → first, last rejection
        self.last_update_success = True
        self.last_exception: Exception | None = None
        self._threshold = threshold
        self._base_cooldown = cooldown
        self._max_cooldown = max_cooldown
        self._cooldown = cooldown
        self._failures = 0
        self._open_until: float | None = None  # None: closed
        self._probing = False
        self._hold_until = 0.0

    @property
    def state(self) -> str:
        """The circuit as an operator reads it: closed, open, or half-open (probing)."""
        if self._open_until is None:
            return "closed"
        return "half-open" if self._probing else "open"

    def admit(self, now: float) -> Verdict:
        if now < self._hold_until:
            return Verdict(Admission.WAIT, self._hold_until)
        if self._open_until is None:
            return Verdict(Admission.ALLOW)
        if self._probing or now < self._open_until:
            return Verdict(Admission.WAIT, max(self._open_until, now + self._base_cooldown))
        self._probing = True
        return Verdict(Admission.PROBE)

    def succeeded(self) -> None:
        """The site answered (even "key rejected" is an answer)."""
        if self._open_until is not None:
            log.info("Exchanger %s: circuit closed", self.site)
        if not self.last_update_success:
            log.info("Polling %s recovered", self.site)
        self.last_update_success = True
        self._failures = 0
        self._open_until = None
        self._probing = False
        self._cooldown = self._base_cooldown

    def failed(self, exc: Exception, now: float, retry_after: float | None = None) -> None:
        """A transient failure of the site (timeout, 5xx, unreadable answer)."""
        self.last_exception = exc
        if self.last_update_success:
            log.warning("Polling %s failed: %s", self.site, exc)
            self.last_update_success = False
        self._failures += 1
        if retry_after:
            self._hold_until = max(self._hold_until, now + retry_after)
        if self._probing:  # the probe failed: open again, for longer
            self._probing = False
            self._cooldown = min(self._cooldown * 2, self._max_cooldown)
            self._open(now)
        elif self._open_until is None and self._failures >= self._threshold:
            self._open(now)

    def key_rejected(self, account_id: int, now: float, site_accounts: int) -> KeyVerdict:
        """The site answered "key rejected" for `account_id`; `site_accounts` is how many of the
        site's accounts are being polled (not paused)."""
        window = 3 * self._interval
        self._rejected = {a: t for a, t in self._rejected.items() if now - t[1] <= window}
        first = self._rejected.get(account_id, (now, now))[0]
        self._rejected[account_id] = (first, now)
        rejected = len(self._rejected)
        if rejected >= 2 and 2 * rejected > max(site_accounts, rejected):
            return KeyVerdict.SITE
        if now - first >= self._interval / 2:
            return KeyVerdict.CONFIRMED
        return KeyVerdict.UNCONFIRMED

    def key_accepted(self, account_id: int) -> None:
        """The account's poll succeeded: forget an earlier rejection of its key."""
        if self._rejected:
            self._rejected.pop(account_id, None)

    def forget_rejection(self, account_id: int) -> None:
        """The account was paused: it no longer counts towards a site-wide rejection."""
        self._rejected.pop(account_id, None)

    def released(self) -> None:
        """A poll ended without a verdict on the site (a bug, a local error)."""
        self._probing = False

    def _open(self, now: float) -> None:
        self._open_until = now + self._cooldown
        log.warning("Exchanger %s: circuit open for %.0f s", self.site, self._cooldown)


def backoff(failures: int, interval: float, cap: float, rng: random.Random) -> float:
    """Seconds before the next try after `failures` (≥ 1) consecutive failures: exponential
    with "equal jitter", so that accounts failing together do not retry together."""
    delay = min(interval * 2.0 ** min(failures, 30), cap)
    return delay / 2 + rng.uniform(0, delay / 2)


def jittered(interval: float, rng: random.Random, spread: float = 0.1) -> float:
    """About `interval`, ± `spread`: keeps accounts spread over the interval."""
    return interval * rng.uniform(1 - spread, 1 + spread)
