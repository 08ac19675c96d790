"""Reconciliation: finding out what became of a payout request that got no clear answer.

A request in `checking` is looked for in get_payouts on a schedule (`PayoutTimings.
check_schedule`: by default 15 s after it entered checking, then 1 min, 5 min, 30 min, 2 h and
every 6 h until 48 h after it was sent). Found → `done` (the chat is told "Payout #id
requested"); still absent once the whole schedule has passed and the last look could read the
list → `failed`/not_created (the chat is told it was checked for 48 h). add_payout is never
sent again. One loop (`run`) also picks up, at start and every `sweep` seconds, requests left
`submitting` by a crash, a kill or a shutdown: sent → checking; never sent (no `submitted_at`:
the stamp precedes the request) → not_sent. Results reach the chat through `announce`, which
the composition root provides (services never import aiogram); an announcement that fails is
retried until it is delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from bot.exchanger import ExchangerApi, Payout
from bot.exchanger.errors import ExchangerError
from bot.services.payout_models import Outcome, PayoutTimings, Result, created_by, stored
from bot.storage.accounts import AccountRepo
from bot.storage.payouts import PayoutRepo, PayoutRequest, State

log = logging.getLogger(__name__)
Announce = Callable[[PayoutRequest, Outcome], Awaitable[bool]]
ANNOUNCE_RETRY = 60.0  # seconds before a failed announcement is tried again


class PayoutChecks:
    def __init__(
        self,
        api: ExchangerApi,
        accounts: AccountRepo,
        repo: PayoutRepo,
        timings: PayoutTimings,
        *,
        clock: Callable[[], float] = time.time,
        announce: Announce | None = None,
    ) -> None:
        self._api, self._accounts, self._repo = api, accounts, repo
        self.timings, self._clock, self.announce = timings, clock, announce
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # --- entering checking (from the confirmation flow) ---

    async def enter(self, request: PayoutRequest, user_id: int, why: str) -> bool:
        """submitting → checking; the first scheduled look comes after the first interval."""
        now = self._clock()
        first = now + self.timings.check_schedule[0]
        entered = await self._repo.settle(
            request,
            State.CHECKING,
            Result.CHECKING,
            from_states=(State.SUBMITTING,),
            user_id=user_id,
            now=now,
            detail=why,
            next_check_at=first,
        )
        self.wake()
        return entered

    async def look_now(self, request: PayoutRequest) -> Outcome | None:
        """One look outside the schedule, bounded by the request deadline: the outcome if the
        payout is already listed, else None (the schedule goes on)."""
        try:
            async with asyncio.timeout(self.timings.request_deadline):
                found, _ = await self._look(request)
        except TimeoutError:
            return None
        return None if found is None else await self._found(request, found, announce=False)

    # --- the loop ---

    def wake(self) -> None:
        self._wake.set()

    async def start(self, announce: Announce | None = None) -> None:
        if announce is not None:
            self.announce = announce
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self.run(self._stopping), name="payout-checks")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._stopping.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._task), self.timings.hook_timeout)
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        self._task = None

    async def run(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            self._wake.clear()
            try:
                await self.step()
            except Exception:  # a database hiccup: the rows stay, the loop goes on
                log.exception("Payout checks failed; retrying")
            await self._idle(stopping)

    async def step(self) -> int:
        """Everything due now: stale submissions, scheduled looks, pending announcements."""
        now = self._clock()
        rows = await self._repo.due(now, now - self.timings.stale_after)
        for request in rows:
            if self._stopping.is_set():
                break
            try:
                if request.state is State.SUBMITTING:
                    await self._stale(request)
                elif request.state is State.CHECKING:
                    await self._scheduled(request)
                elif request.announce:
                    await self._announce(request)
            except Exception:
                log.exception("Payout request %s: check failed", request.id)
        return len(rows)

    # --- internals ---

    async def _idle(self, stopping: asyncio.Event) -> None:
        try:
            due = await self._repo.next_due(self.timings.stale_after)
        except Exception:
            due = None
        sweep = self.timings.sweep
        seconds = sweep if due is None else min(max(due - self._clock(), 0.05), sweep)
        waiters = [asyncio.ensure_future(e.wait()) for e in (self._wake, stopping)]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()

    async def _stale(self, request: PayoutRequest) -> None:
        """Left submitting by a crash or a kill (nothing in flight can be this old)."""
        now = self._clock()
        stale_before = now - self.timings.stale_after
        if request.submitted_at is None:  # the stamp precedes the request: never sent
            if await self._repo.settle(
                request,
                State.FAILED,
                Result.NOT_SENT,
                from_states=(State.SUBMITTING,),
                user_id=request.user_id,
                now=now,
                detail="stale",
                stale_before=stale_before,
                announce=True,
            ):
                await self._announce_fresh(request)
            return
        if await self._repo.settle(
            request,
            State.CHECKING,
            Result.CHECKING,
            from_states=(State.SUBMITTING,),
            user_id=request.user_id,
            now=now,
            detail="stale",
            stale_before=stale_before,
            next_check_at=now,
        ):
            log.warning("Payout request %s: left submitting; checking", request.id)
            fresh = await self._repo.get(request.token)
            if fresh is not None and self.announce is not None:  # "⏳ checking", best effort
                await self.announce(fresh, Outcome(Result.CHECKING, fresh))

    async def _scheduled(self, request: PayoutRequest) -> None:
        found, error = await self._look(request)
        if found is not None:
            if await self._found(request, found, announce=True) is not None:
                await self._announce_fresh(request)
            return
        now = self._clock()
        schedule = self.timings.check_schedule
        base = request.submitted_at or request.claimed_at or now
        later = [base + offset for offset in schedule if base + offset > now]
        if later:
            await self._repo.checked(request, now, later[0], error or "not listed")
        elif error:  # the list could not be read: no conclusion, look again
            interval = schedule[-1] - schedule[-2] if len(schedule) > 1 else schedule[-1]
            await self._repo.checked(request, now, now + interval, error)
        elif await self._repo.settle(
            request,
            State.FAILED,
            Result.NOT_CREATED,
            from_states=(State.CHECKING,),
            user_id=request.user_id,
            now=now,
            detail=str(self.timings.checked_for_hours),
            announce=True,
        ):
            log.info("Payout request %s: not created (checked the whole schedule)", request.id)
            await self._announce_fresh(request)

    async def _look(self, request: PayoutRequest) -> tuple[Payout | None, str]:
        """(the payout this request created, "") or (None, why it could not be read)."""
        creds = await self._accounts.credentials(request.account_id)
        if creds is None:
            return None, "account unreadable"
        since = (request.submitted_at or request.claimed_at or self._clock()) - (
            self.timings.clock_skew
        )
        try:
            payouts = await self._api.get_payouts(creds, start_time=int(since))
        except ExchangerError as exc:
            return None, type(exc).__name__
        taken = await self._repo.taken_payout_ids(request)
        return created_by(request, payouts, since, taken), ""

    async def _found(
        self, request: PayoutRequest, payout: Payout, announce: bool
    ) -> Outcome | None:
        if not await self._repo.settle(
            request,
            State.DONE,
            Result.RECONCILED,
            from_states=(State.CHECKING,),
            user_id=request.user_id,
            now=self._clock(),
            payout_id=payout.id,
            announce=announce,
        ):
            return None
        log.info("Payout request %s: found payout %s on the site", request.id, payout.id)
        return Outcome(Result.RECONCILED, request, payout_id=payout.id)

    async def _announce_fresh(self, request: PayoutRequest) -> None:
        fresh = await self._repo.get(request.token)
        if fresh is not None:
            await self._announce(fresh)

    async def _announce(self, request: PayoutRequest) -> None:
        if self.announce is None:
            return
        delivered = await self.announce(request, stored(request))
        at = None if delivered else self._clock() + ANNOUNCE_RETRY
        await self._repo.set_announce(request, not delivered, at=at)
