"""The polling engine: ONE scheduler loop over `accounts.next_poll_at`, bounded concurrency.

    scheduler ─ due accounts (indexed, ≤ free slots) ─▶ poll tasks (≤ max_concurrent_polls)
        │ one write per round: lease / wait / skip                   │ PollResult
        ▼                                                            ▼
    accounts.next_poll_at                    bounded queue ─▶ flusher: Outbox.save(batch)

A poll is shaped like Home Assistant's DataUpdateCoordinator: one fetch (`_fetch`), typed
failures, per-site health with one log line on failure and one on recovery (health.py).
Transient errors back the account off exponentially (with jitter, honouring Retry-After) and
count towards the site's circuit breaker; so does an error text the site did not explain
(RequestRefused other than "Method not supported"). A rejected key (only the site's own
texts, see exchanger/errors.py) pauses the account and enqueues one "relink" message once
health.py confirms it: the same account rejected again an interval later, and not most of its
site's accounts at once (that is a site failure). A paused account's key is tried again on
its own (`RECHECK_SOON` for the first day, then `RECHECK_LATER`); when the site accepts it the
account resumes with a short "works again" message. Accounts of inactive chats (bot blocked)
are skipped until /start.

Asking only what can change, doing no work when nothing changed (in-memory `_Seen` per
account, set only after its results were committed; after a restart the first poll of each
account does the full work):
- exchanges every poll, over the window since the last success (the site filters on the last
  change, so that window holds every change, however old the item);
- payouts every poll while one is pending, else every `payouts_every` polls (a payout made in
  the dashboard is seen within that many intervals; once seen pending, every poll);
- the balance after a change, else every `info_every` polls;
- when every list asked is equal to the last committed one (the client returns the same item
  objects for a byte-identical body, without decoding it), no snapshot is read, nothing is
  detected and nothing is written: the lease set by the scheduler is the next poll, and the
  window is not advanced (so the body stays identical); a success is written only every
  `TOUCH_EVERY` intervals (it advances the window and /admin's "last success").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain import KEY_REJECTED, KEY_WORKS
from bot.exchanger.client import ExchangerApi
from bot.exchanger.errors import (
    ExchangerError,
    ExchangerUnavailable,
    KeyRejected,
    MalformedResponse,
    MethodNotSupported,
    RequestRefused,
)
from bot.exchanger.models import Credentials, Exchange, PartnerInfo, Payout, PayoutStatus
from bot.notifications.clock import SchedulingClock
from bot.notifications.detector import detect, has_changes, window_start
from bot.notifications.health import Admission, KeyVerdict, SiteHealth, backoff, jittered
from bot.storage.crypto import DecryptionError, KeyVault
from bot.storage.outbox import Message, Outbox, PollResult
from bot.storage.schedule import DueAccount, PollSchedule

log = logging.getLogger(__name__)

TICK = 1.0  # the longest the scheduler sleeps: a freshly linked account waits at most this
OVERLAP = 3_600  # seconds re-read before the last success: tolerates a site clock behind ours
FLUSH_MAX = 200  # poll results per transaction
BASELINE_CAP_FACTOR = 50  # a baseline records up to 50 × MAX_ITEMS_PER_POLL items per poll
RECHECK_SOON = 3_600.0  # a paused account's key is tried again hourly during its first day,
RECHECK_LATER = 86_400.0  # then daily
TOUCH_EVERY = 10  # intervals: an unchanged account's success is written this often at most


@dataclass(frozen=True, slots=True)
class PollerConfig:
    interval: float
    lookback_days: int
    max_concurrent: int
    max_items: int
    breaker_threshold: int
    info_every: int = 10  # read the balance at least every N polls (always after a change)
    payouts_every: int = 10  # read payouts every N polls while none is pending (else every poll)

    @property
    def takeover_grace(self) -> float:
        """How late another process's account must be before this one takes it (PostgreSQL):
        beyond the holder's own claim delay (≤ TICK), short against the interval."""
        return max(2 * TICK, 0.1 * self.interval)

    @property
    def backoff_cap(self) -> float:
        return max(self.interval, min(600.0, 10 * self.interval))

    def site_health(self, site: str) -> SiteHealth:
        cap = max(self.interval, min(300.0, 10 * self.interval))
        return SiteHealth(
            site,
            threshold=self.breaker_threshold,
            cooldown=self.interval,
            max_cooldown=cap,
            interval=self.interval,
        )


@dataclass(slots=True)
class _Seen:
    """What an account's last committed poll saw, and when the slow lists were last asked."""

    exchanges: list[Exchange]
    payouts: list[Payout]
    info: PartnerInfo | None
    pending_payouts: frozenset[int]
    payouts_at: float
    info_at: float


class Poller:
    def __init__(
        self,
        api: ExchangerApi,
        schedule: PollSchedule,
        outbox: Outbox,
        vault: KeyVault,
        config: PollerConfig,
        *,
        on_enqueued: Callable[[], None] = lambda: None,
        clock: Callable[[], float] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._api, self._schedule, self._outbox, self._vault = api, schedule, outbox, vault
        self._config = config
        self._on_enqueued = on_enqueued
        self._clock = clock or SchedulingClock()  # never goes back: no stall after a jump
        self._rng = rng or random.Random()
        self.health: dict[str, SiteHealth] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._busy: set[int] = set()  # accounts polled or waiting for their results' commit
        self._results: asyncio.Queue[PollResult] = asyncio.Queue(maxsize=2 * config.max_concurrent)
        self._seen: dict[int, _Seen] = {}  # committed
        self._unsaved: dict[int, _Seen] = {}  # polled, waiting for their results' commit
        self._backlog: list[DueAccount] = []  # claimed (leased), waiting for a free slot
        self._rechecked_at = float("-inf")
        # For /metrics and /healthz (issue 15): polls and failed polls per site, last round.
        self.polls: Counter[str] = Counter()
        self.poll_errors: Counter[str] = Counter()
        self.last_round_at: float | None = None

    async def run(self, stopping: asyncio.Event) -> None:
        # Nothing legitimate lies further ahead than a backoff plus an interval (a site's
        # Retry-After is held in memory): anything beyond was set before the clock went back.
        max_ahead = self._config.backoff_cap + self._config.interval
        try:
            await self._schedule.spread(self._clock(), self._config.interval, max_ahead)
        except Exception:  # only an optimisation of the first round: polling starts anyway
            log.exception("Could not spread the overdue accounts over an interval")
        flusher = asyncio.create_task(self._flush_loop())
        try:
            while not stopping.is_set():
                try:
                    await self._round(stopping)
                except Exception:  # a database hiccup must not end polling for good
                    log.exception("Polling round failed; retrying")
                    await self._sleep(stopping, TICK)
        finally:
            for task in self._tasks:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            await self._flush_now()  # results already fetched are still worth keeping

    # -- scheduling -------------------------------------------------------------------------

    async def _round(self, stopping: asyncio.Event) -> None:
        self.last_round_at = self._clock()  # /healthz: the scheduler is alive (also when busy)
        free = self._config.max_concurrent - len(self._tasks)
        if free > 0 and self._backlog:  # claimed earlier: started without another query
            start, self._backlog = self._backlog[:free], self._backlog[free:]
            self._start(start)
            return
        # Claim in batches: one schedule read and one write per half the slots, not per poll.
        if free < max(1, self._config.max_concurrent // 2):
            await asyncio.wait(self._tasks, timeout=TICK, return_when=asyncio.FIRST_COMPLETED)
            return
        now = self._clock()
        limit = free + self._config.max_concurrent  # a batch ahead, started as slots free up
        lease = now + self._config.interval  # PostgreSQL: claimed with this lease (issue 15)
        due = await self._schedule.claim(now, lease, limit, now - self._config.takeover_grace)
        if len(due) < limit and now - self._rechecked_at >= TICK:  # paused keys to try again
            self._rechecked_at = now
            due += await self._schedule.claim_rechecks(now, lease, limit - len(due))
        for account in due:  # another process polled it last: what we saw may be stale
            if account.moved:
                self._seen.pop(account.id, None)
        times, start = self._plan(due, now)
        await self._schedule.reschedule(times)
        self._busy.update(account.id for account in start)
        self._start(start[:free])
        self._backlog = start[free:]
        if len(due) < limit and not self._backlog:
            await self._sleep(stopping, await self._idle_time(now))

    def _start(self, accounts: list[DueAccount]) -> None:
        for account in accounts:
            task = asyncio.create_task(self._poll_and_queue(account))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _plan(
        self, due: list[DueAccount], now: float
    ) -> tuple[list[tuple[int, float]], list[DueAccount]]:
        """Per due account: start it (leased for one interval), or move it (busy, chat gone,
        site open or holding off)."""
        interval = self._config.interval
        times: list[tuple[int, float]] = []
        start: list[DueAccount] = []
        for account in due:
            if account.id in self._busy or not account.chat_active:
                times.append((account.id, now + interval))
                continue
            verdict = self._site(account.site).admit(now)
            if verdict.admission is Admission.WAIT:
                times.append((account.id, verdict.until + self._rng.uniform(0, interval)))
                continue
            times.append((account.id, now + interval))  # the lease; the result sets the real time
            start.append(account)
        return times, start

    async def _idle_time(self, now: float) -> float:
        next_due = await self._schedule.next_due_at()
        if next_due is None:
            return TICK
        # At least a hundredth of an interval (≤ 0.25 s): accounts due one by one are claimed
        # in batches, not in a query each.
        return min(max(next_due - now, min(0.25, self._config.interval / 100)), TICK)

    @staticmethod
    async def _sleep(stopping: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), seconds)

    def _site(self, site: str) -> SiteHealth:
        health = self.health.get(site)
        if health is None:
            health = self.health[site] = self._config.site_health(site)
        return health

    # -- one poll ---------------------------------------------------------------------------

    async def _poll_and_queue(self, account: DueAccount) -> None:
        queued = False
        try:
            result = await self._poll_within_lease(account)
            if result is not None:
                await self._results.put(self._count(account, result))
                queued = True
        finally:
            if not queued:
                self._busy.discard(account.id)

    async def _poll_within_lease(self, account: DueAccount) -> PollResult | None:
        """PostgreSQL: the poll, its lease renewed whenever only half an interval of it is left
        (a slow site, a big baseline, a wait for a free slot), so that no other process polls
        the account meanwhile. None when the lease could not be renewed (it ran out and another
        process claimed the account, or the database did not answer): this process then stops
        asking the site for that account and writes nothing for it."""
        if not self._schedule.shared:
            return await self.poll(account)
        half = self._config.interval / 2
        lease_until: float | None = account.lease_until
        if account.lease_until - self._clock() < half:  # it waited long for a free slot
            lease_until = await self._renew(account.id)
            if lease_until is None:
                return None
        poll = asyncio.create_task(self.poll(account))
        try:
            while lease_until is not None:
                done, _ = await asyncio.wait({poll}, timeout=lease_until - self._clock() - half)
                if done:
                    return poll.result()
                lease_until = await self._renew(account.id)
            return None
        finally:
            if not poll.done():
                poll.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poll

    async def _renew(self, account_id: int) -> float | None:
        """The renewed lease's end, or None when it could not be renewed."""
        until = self._clock() + self._config.interval
        try:
            if await self._schedule.renew(account_id, until):
                return until
            log.warning("Account %d: lease lost to another process; poll ended", account_id)
        except Exception as exc:  # cannot prove the lease is ours: leave the account
            log.warning("Account %d: lease not renewed (%s)", account_id, type(exc).__name__)
        self._seen.pop(account_id, None)
        self._unsaved.pop(account_id, None)
        return None

    async def poll(self, account: DueAccount) -> PollResult:
        """Fetch, detect, and turn any failure into a result. Never raises (but cancellation)."""
        health = self._site(account.site)
        try:
            if account.paused:
                result = await self._recheck(account)
            else:
                result = await self._fetch(account)
        except KeyRejected as exc:
            if account.paused:
                health.succeeded()
                return self._still_paused(account, str(exc))
            return await self._rejected(account, exc, health)
        except MethodNotSupported as exc:  # the site answered: this account cannot use it
            health.succeeded()
            return self._failed(account, str(exc))
        except (ExchangerUnavailable, MalformedResponse, RequestRefused) as exc:
            retry_after = getattr(exc, "retry_after", None)
            health.failed(exc, self._clock(), retry_after)
            if account.paused:
                return self._still_paused(account, str(exc))
            return self._failed(account, str(exc), retry_after)
        except ExchangerError as exc:
            health.released()
            return self._failed(account, str(exc))
        except DecryptionError as exc:
            health.released()
            log.error("Account %d: %s", account.id, exc)
            return self._failed(account, str(exc))
        except Exception as exc:
            health.released()
            log.exception("Polling account %d failed unexpectedly", account.id)
            return self._failed(account, type(exc).__name__)
        except asyncio.CancelledError:  # shutdown, or the lease was lost: no verdict
            health.released()
            raise
        health.succeeded()
        health.key_accepted(account.id)
        return result

    def _count(self, account: DueAccount, result: PollResult) -> PollResult:
        self.polls[account.site] += 1
        if result.error is not None:
            self.poll_errors[account.site] += 1
        return result

    async def _recheck(self, account: DueAccount) -> PollResult:
        """A paused account: is its key accepted again? Then it resumes at once."""
        creds = Credentials(account.site, self._vault.decrypt(account.api_key_enc))
        await self._api.get_info(creds)
        key = f"{account.id}:{KEY_WORKS}:{int(account.paused_at or 0)}"
        message = Message(key, KEY_WORKS, account.chat_id, account.id, {"account": account.label})
        log.info("Account %d: the key works again, resumed", account.id)
        return PollResult(account.id, self._clock(), resume=True, messages=(message,))

    def _still_paused(self, account: DueAccount, error: str) -> PollResult:
        now = self._clock()
        paused_for = now - (account.paused_at or now)
        delay = RECHECK_SOON if paused_for < RECHECK_LATER else RECHECK_LATER
        return PollResult(account.id, now + delay, error=error[:300], recheck=True)

    async def _fetch(self, account: DueAccount) -> PollResult:
        creds = Credentials(account.site, self._vault.decrypt(account.api_key_enc))
        baseline = not account.baseline_done
        now = self._clock()
        seen = None if baseline or account.failures else self._seen.get(account.id)
        since = None if baseline else account.last_success_at
        start = window_start(now, self._config.lookback_days, since, overlap=OVERLAP)
        # The client narrows the window by itself when an answer is over its size cap.
        exchanges = await self._api.get_exchanges(creds, start_time=start)
        ask_payouts = seen is None or self._payouts_due(seen, now)
        payouts = await self._api.get_payouts(creds, start_time=start) if ask_payouts else []
        info = None
        if (
            seen is not None
            and exchanges == seen.exchanges
            and (not ask_payouts or payouts == seen.payouts)
        ):
            if not self._info_due(seen, now):
                return self._unchanged(account, seen, now, ask_payouts)
            info = await self._api.get_info(creds)
            if info == seen.info:
                return self._unchanged(account, seen, now, ask_payouts, info_asked=True)
        return await self._detect(account, creds, seen, now, exchanges, payouts, info, ask_payouts)

    async def _detect(
        self,
        account: DueAccount,
        creds: Credentials,
        seen: _Seen | None,
        now: float,
        exchanges: list[Exchange],
        payouts: list[Payout],
        info: PartnerInfo | None,
        asked_payouts: bool,
    ) -> PollResult:
        """The full work: stored state read, changes detected, the result to write."""
        baseline = not account.baseline_done
        opened = await self._schedule.open_items(account.id)
        stored = await self._schedule.snapshot(
            account, [e.id for e in exchanges], [p.id for p in payouts], opened.last_payout_id
        )
        due = seen is None or self._info_due(seen, now)
        if info is None and (baseline or due or has_changes(stored, exchanges, payouts)):
            info = await self._api.get_info(creds)
        # A baseline announces nothing, so it may record far more at once.
        cap = self._config.max_items * (BASELINE_CAP_FACTOR if baseline else 1)
        found = detect(
            account.id,
            stored,
            exchanges,
            payouts,
            info,
            baseline=baseline,
            cap=cap,
            known_since=account.created_at - OVERLAP,
        )
        if found.events:
            log.debug("Account %d: %d new notification(s)", account.id, len(found.events))
        messages = tuple(
            Message(
                e.key,
                e.kind.value,
                account.chat_id,
                account.id,
                {**e.data, "account": account.label},
            )
            for e in found.events
        )
        # Cut short by the cap: the window is not advanced (the next poll reads it again and
        # takes the next changes, the ones stored now being unchanged), and comes sooner.
        delay = self._next_delay(baseline)
        if not found.complete:
            delay = min(delay, self._config.interval * 0.1)
            self._unsaved.pop(account.id, None)
            self._seen.pop(account.id, None)
        else:
            final = {p.id for p in payouts if p.status is not PayoutStatus.PENDING}
            pending = (opened.pending_payouts - final) | {
                p.id for p in payouts if p.status is PayoutStatus.PENDING
            }
            self._unsaved[account.id] = _Seen(
                exchanges,
                payouts if asked_payouts else (seen.payouts if seen else []),
                info if info is not None else (seen.info if seen else None),
                frozenset(pending),
                now if asked_payouts else (seen.payouts_at if seen else now),
                now if info is not None else (seen.info_at if seen else now),
            )
        return PollResult(
            account.id,
            self._next_at(now, delay),
            polled_at=now,
            advance=found.complete,
            baseline_done=not baseline or found.complete,
            payout_available=found.payout_available,
            exchanges=found.exchanges,
            payouts=found.payouts,
            messages=messages,
        )

    def _unchanged(
        self,
        account: DueAccount,
        seen: _Seen,
        now: float,
        asked_payouts: bool,
        *,
        info_asked: bool = False,
    ) -> PollResult:
        """Nothing changed: nothing to detect, and (mostly) nothing to write."""
        self._unsaved[account.id] = _Seen(
            seen.exchanges,
            seen.payouts,
            seen.info,
            seen.pending_payouts,
            now if asked_payouts else seen.payouts_at,
            now if info_asked else seen.info_at,
        )
        touch = now - (account.last_success_at or 0) >= TOUCH_EVERY * self._config.interval
        return PollResult(
            account.id,
            self._next_at(now, self._next_delay(False)),
            polled_at=now,
            payout_available=account.payout_available,
            unchanged=not touch,
        )

    def _payouts_due(self, seen: _Seen, now: float) -> bool:
        slow = self._config.payouts_every * self._config.interval
        return bool(seen.pending_payouts) or now - seen.payouts_at >= slow * 0.95

    def _next_delay(self, baseline: bool) -> float:
        # After a baseline the phase is random: accounts linked together (a bulk import, the
        # benchmark) spread over the interval at once instead of polling in step.
        if baseline:
            return self._config.interval * self._rng.uniform(0.05, 1.0)
        # Jitter below the interval only: two polls of an account start at most one interval
        # apart, so a change waits one interval at most (plus the poll).
        return self._config.interval * self._rng.uniform(0.9, 1.0)

    def _next_at(self, started: float, delay: float) -> float:
        """`delay` after the poll started, but never sooner than a tenth of an interval from
        now (a slow site is not polled back to back)."""
        return max(started + delay, self._clock() + self._config.interval * 0.1)

    def _info_due(self, seen: _Seen, now: float) -> bool:
        return now - seen.info_at >= self._config.info_every * self._config.interval * 0.95

    def _failed(
        self, account: DueAccount, error: str, retry_after: float | None = None
    ) -> PollResult:
        failures = account.failures + 1
        delay = backoff(failures, self._config.interval, self._config.backoff_cap, self._rng)
        delay = max(delay, retry_after or 0.0)
        log.debug("Account %d: poll failed (%d in a row): %s", account.id, failures, error)
        return PollResult(account.id, self._clock() + delay, error=error[:300], failures=failures)

    async def _rejected(
        self, account: DueAccount, exc: KeyRejected, health: SiteHealth
    ) -> PollResult:
        now = self._clock()
        site_accounts = await self._schedule.site_accounts(account.site)
        verdict = health.key_rejected(account.id, now, site_accounts)
        if verdict is KeyVerdict.SITE:
            health.failed(ExchangerUnavailable(f"most keys rejected at once ({exc})"), now)
            return self._failed(account, f"site-wide: {exc}")
        health.succeeded()
        if verdict is KeyVerdict.UNCONFIRMED:
            log.debug("Account %d: key rejected once; asking again", account.id)
            next_at = now + jittered(self._config.interval, self._rng)
            return PollResult(
                account.id, next_at, error=str(exc)[:300], failures=account.failures + 1
            )
        health.forget_rejection(account.id)
        # The key's identity: the last success before the rejection. Stable if this poll is
        # repeated; new after a relink and a success. The conditional pause makes it one message.
        key = f"{account.id}:{KEY_REJECTED}:{account.last_success_at or 0}"
        message = Message(
            key, KEY_REJECTED, account.chat_id, account.id, {"account": account.label}
        )
        log.info("Account %d: key rejected, paused until relinked", account.id)
        return PollResult(
            account.id,
            now + RECHECK_SOON,
            polled_at=now,
            error=str(exc)[:300],
            pause=True,
            messages=(message,),
        )

    # -- writing results --------------------------------------------------------------------

    async def _flush_loop(self) -> None:
        while True:
            batch = [await self._results.get()]
            await self.save(batch + self._drain())

    async def _flush_now(self) -> None:
        batch = self._drain()
        if batch:
            await self.save(batch)

    def _drain(self) -> list[PollResult]:
        batch: list[PollResult] = []
        while len(batch) < FLUSH_MAX and not self._results.empty():
            batch.append(self._results.get_nowait())
        return batch

    async def save(self, batch: list[PollResult]) -> None:
        """Write a batch of results (one transaction; none when nothing changed), then
        remember what their polls saw: only committed polls are compared with later ones."""
        ids = [r.account_id for r in batch]
        saved = False
        try:
            enqueued = await self._outbox.save([r for r in batch if not r.unchanged])
            saved = True
        except Exception:  # the accounts are polled again after their lease; nothing is lost
            log.exception("Could not save %d poll result(s)", len(batch))
            enqueued = 0
        finally:
            for result in batch:
                seen = self._unsaved.pop(result.account_id, None)
                if saved and seen is not None and result.error is None:
                    self._seen[result.account_id] = seen
                else:
                    self._seen.pop(result.account_id, None)
            self._busy.difference_update(ids)
        if enqueued:
            self._on_enqueued()
