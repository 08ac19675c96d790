"""Requesting a payout: what an account can request, the confirmation, and the single add_payout
call a confirmation may cause. All money and state decisions live here; no aiogram.

One row per confirmation (bot/storage/payouts.py), in SQLite so that it survives a restart:

    created ─shown─▶ confirming ─claim─▶ submitting ─sent─▶ done      (the site's payout id)
                      │  │  │                 │       ├───▶ failed    (refused; not sent)
                      │  │  └─▶ expired       │       └───▶ checking ─▶ done | failed (48 h)
                      │  └─▶ failed (busy, bad wallet, below minimum; "changed": superseded)
                      └─▶ cancelled            └─ (crash before sending: stale) ─▶ failed

The claim is one conditional UPDATE whose row count decides, and a partial UNIQUE index allows
one request in flight per (site, key) whatever the chat or process: two taps, two devices, two
chats with the same key produce exactly one add_payout. add_payout has no idempotency key and
requests the whole balance, so a request is "not created" only when proven (it never reached
the site, or the site refused it clearly); every unclear outcome becomes `checking`, and
`PayoutChecks` (payout_checks.py) looks for it in get_payouts on a schedule, never re-sending.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.exchanger import Credentials, ExchangerApi, PartnerInfo, PayoutMethod
from bot.exchanger.errors import (
    ExchangerError,
    ExchangerUnavailable,
    KeyRejected,
    OutcomeUnknown,
    RequestRefused,
)
from bot.services.access import AccountGone, owned
from bot.services.payout_checks import PayoutChecks
from bot.services.payout_models import (
    Offer,
    Outcome,
    PayoutTimings,
    Result,
    Step,
    check_wallet,
    offer,
    stored,
)
from bot.storage.accounts import Account, AccountRepo
from bot.storage.payouts import Claim, Draft, PayoutRepo, PayoutRequest, State

log = logging.getLogger(__name__)
Hook = Callable[[], Awaitable[None]]


class PayoutService:
    def __init__(
        self,
        api: ExchangerApi,
        accounts: AccountRepo,
        repo: PayoutRepo,
        *,
        confirm_ttl: float,
        timings: PayoutTimings | None = None,
        checks: PayoutChecks | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._api, self._accounts, self._repo = api, accounts, repo
        self._ttl, self._clock = confirm_ttl, clock
        self.timings = timings or PayoutTimings()
        self.checks = checks or PayoutChecks(api, accounts, repo, self.timings, clock=clock)
        self._sending = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def confirm_ttl(self) -> float:
        return self._ttl

    # --- before the confirmation ---

    async def options(self, chat_id: int, user_id: int, account_id: int) -> Offer:
        """Payout methods with what the user would receive. Exchanger errors propagate."""
        account, status = await self._owned(chat_id, user_id, account_id)
        creds = await self._accounts.credentials(account_id) if account else None
        if account is None or creds is None:
            return Offer(status)
        return offer(account, await self._api.get_info(creds))

    async def last_wallet(self, chat_id: int, account_id: int, method_id: int) -> str | None:
        """The wallet last used for this method; AccountGone unless the account is this
        chat's (a wallet is shown to nobody else)."""
        await owned(self._accounts, chat_id, account_id)
        return await self._repo.last_wallet(account_id, method_id)

    async def prepare(
        self, chat_id: int, user_id: int, account_id: int, method_id: int, wallet: str
    ) -> Offer:
        """Validate the wallet, re-read the amounts, store a new confirmation (`created`)."""
        problem = check_wallet(wallet)
        if problem is not None:
            return Offer(Step.INVALID_WALLET, problem=problem)
        offer = await self.options(chat_id, user_id, account_id)
        if offer.status is not Step.OK or offer.account is None:
            return offer
        method = next((m for m in offer.methods if m.id == method_id), None)
        if method is None:
            return replace(offer, status=Step.METHOD_GONE)
        request = await self._draft(chat_id, user_id, account_id, method, wallet)
        return replace(offer, request=request)

    async def shown(self, token: str) -> None:
        """The confirmation is being sent: from now on it can be confirmed, until the TTL."""
        await self._repo.show(token, self._clock() + self._ttl)

    async def undelivered(self, request: PayoutRequest) -> None:
        """The chat could not be told the result: the reconciler tells it later."""
        await self._repo.set_announce(request, True, at=self._clock() + 30)
        self.checks.wake()

    async def drain(self) -> None:
        """Shutdown: let an add_payout in flight end (it has its deadline) before the HTTP
        client closes; whatever it ends as is stored (or `checking`)."""
        if self._sending:
            log.info("Shutdown: waiting for %d payout request(s) in flight", self._sending)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), self.timings.request_deadline + 1)

    # --- the buttons of the confirmation ---

    async def cancel(self, token: str, chat_id: int, user_id: int) -> Outcome:
        request = await self._pressed(token, chat_id, user_id)
        if isinstance(request, Outcome):
            return request
        live = (State.CREATED, State.CONFIRMING)
        if await self._settle(request, State.CANCELLED, Result.CANCELLED, live, user_id):
            return Outcome(Result.CANCELLED, request)
        return await self._again(request, user_id)

    async def confirm(
        self,
        token: str,
        chat_id: int,
        user_id: int,
        on_claimed: Hook | None = None,
        *,
        message_id: int | None = None,
        language: str | None = None,
    ) -> Outcome:
        """Submit the confirmation once. `on_claimed` runs after the claim, before add_payout
        (e.g. to take the buttons away), bounded by the hook timeout; its failure does not stop
        the request. `message_id`/`language`: where and how to announce a late result."""
        request = await self._pressed(token, chat_id, user_id)
        if isinstance(request, Outcome):
            return request
        if request.state is not State.CONFIRMING:
            return await self._after(request, user_id)
        if request.expires_at <= self._clock():
            return await self._expire(request, user_id)
        if check_wallet(request.wallet) is not None:  # cannot be decrypted, or empty
            return await self._fail(request, Result.BAD_WALLET, user_id)
        creds = await self._accounts.credentials(request.account_id)
        if creds is None:
            return Outcome(Result.STALE)
        pending = await self._repo.in_flight(request.account_id)
        if pending is not None:
            return await self._busy(request, pending, user_id)
        try:
            info = await self._api.get_info(creds)
        except ExchangerError as exc:
            await self._repo.audit(request, user_id, self._clock(), "check_failed", _name(exc))
            return Outcome(Result.CHECK_FAILED, request, error=exc)
        method = info.method(request.method_id)
        if method is None or not info.can_request_payout:
            return await self._refuse(request, info, user_id)
        if method.amount < request.amount:  # commission up or balance down since shown
            return await self._changed(request, info, method, user_id)
        request = replace(request, amount=method.amount, commission=method.commission)
        claim = await self._repo.claim(
            request, user_id, self._clock(), message_id=message_id, language=language
        )
        if claim is Claim.BUSY:
            pending = await self._repo.in_flight(request.account_id)
            return await self._busy(request, pending, user_id)
        if claim is Claim.LOST:
            return await self._again(request, user_id)
        if on_claimed is not None:
            await _quietly(on_claimed, self.timings.hook_timeout)
        return await self._send(request, creds, user_id)

    # --- internals ---

    async def _draft(
        self, chat_id: int, user_id: int, account_id: int, method: PayoutMethod, wallet: str
    ) -> PayoutRequest:
        draft = Draft(
            chat_id=chat_id,
            user_id=user_id,
            account_id=account_id,
            method_id=method.id,
            method_title=method.title,
            wallet=wallet.strip(),
            amount=method.amount,
            commission=method.commission,
        )
        return await self._repo.create(draft, self._clock())

    async def _owned(
        self, chat_id: int, user_id: int, account_id: int
    ) -> tuple[Account | None, Step]:
        """The chat check of every service (`access.owned`), then: only whoever linked the
        account may request its payout."""
        try:
            account = await owned(self._accounts, chat_id, account_id)
        except AccountGone:
            return None, Step.GONE
        owner = await self._repo.account_owner(account_id)
        if owner is None or owner[0] != chat_id:  # unlinked in between
            return None, Step.GONE
        return (account, Step.OK) if owner[1] == user_id else (None, Step.NOT_OWNER)

    async def _pressed(self, token: str, chat_id: int, user_id: int) -> PayoutRequest | Outcome:
        """The confirmation, if this user in this chat may press its buttons."""
        request = await self._repo.get(token)
        if request is None or request.chat_id != chat_id:
            return Outcome(Result.STALE)
        if request.user_id != user_id:
            await self._repo.audit(request, user_id, self._clock(), Result.NOT_YOURS)
            return Outcome(Result.NOT_YOURS, request)
        return request

    async def _again(self, request: PayoutRequest, user_id: int) -> Outcome:
        """Someone else moved the row first (a conditional update lost): report its new state.
        A row gone with its account is stale."""
        fresh = await self._repo.get(request.token)
        return Outcome(Result.STALE) if fresh is None else await self._after(fresh, user_id)

    async def _expire(self, request: PayoutRequest, user_id: int) -> Outcome:
        await self._settle(request, State.EXPIRED, Result.EXPIRED, (State.CONFIRMING,), user_id)
        return Outcome(Result.EXPIRED, request)

    async def _fail(
        self, request: PayoutRequest, result: Result, user_id: int, detail: str = ""
    ) -> Outcome:
        """Nothing is sent: the confirmation ends here (if nobody moved it meanwhile)."""
        confirming = (State.CONFIRMING,)
        if await self._settle(request, State.FAILED, result, confirming, user_id, detail=detail):
            return Outcome(result, request, detail=detail)
        return await self._again(request, user_id)

    async def _busy(
        self, request: PayoutRequest, pending: PayoutRequest | None, user_id: int
    ) -> Outcome:
        detail = f"#{pending.id} {pending.state}" if pending else ""
        outcome = await self._fail(request, Result.BUSY, user_id, detail)
        return replace(outcome, pending=pending) if outcome.result is Result.BUSY else outcome

    async def _changed(
        self, request: PayoutRequest, info: PartnerInfo, method: PayoutMethod, user_id: int
    ) -> Outcome:
        """Less to receive than shown: nothing is sent; a new confirmation with the new
        figures replaces this one (creating it supersedes the old row)."""
        detail = f"{request.amount} -> {method.amount}"
        await self._repo.audit(request, user_id, self._clock(), Result.CHANGED, detail)
        account = await self._accounts.get(request.account_id)
        if account is None:
            return Outcome(Result.STALE)
        fresh = await self._draft(
            request.chat_id, user_id, request.account_id, method, request.wallet
        )
        await self.shown(fresh.token)
        new = replace(offer(account, info), request=fresh)
        return Outcome(Result.CHANGED, request, detail=detail, offer=new)

    async def _refuse(self, request: PayoutRequest, info: PartnerInfo, user_id: int) -> Outcome:
        """The re-check at confirmation time failed: below the minimum now, or no such method."""
        if info.can_request_payout:
            return await self._fail(request, Result.METHOD_GONE, user_id)
        return await self._fail(
            request, Result.BELOW_MINIMUM, user_id, str(info.missing_for_payout)
        )

    async def _send(self, request: PayoutRequest, creds: Credentials, user_id: int) -> Outcome:
        if not await self._repo.mark_sent(request, self._clock()):  # given up meanwhile
            return await self._again(request, user_id)
        self._sending += 1
        self._idle.clear()
        try:
            return await self._submit(request, creds, user_id)
        finally:
            self._sending -= 1
            if not self._sending:
                self._idle.set()

    async def _submit(self, request: PayoutRequest, creds: Credentials, user_id: int) -> Outcome:
        submitting = (State.SUBMITTING,)
        deadline = self.timings.request_deadline
        try:
            payout_id = await self._api.add_payout(
                creds, request.method_id, request.wallet, deadline=deadline
            )
        except RequestRefused as exc:
            result, detail = Result.REFUSED, exc.text
        except KeyRejected:
            result, detail = Result.KEY_REJECTED, ""
        except OutcomeUnknown as exc:
            return await self._checking(request, user_id, _name(exc))
        except ExchangerUnavailable as exc:  # provably not sent: cannot connect
            result, detail = Result.UNAVAILABLE, _name(exc)
        except asyncio.CancelledError:  # shutdown: hand it to the reconciler, then go
            with contextlib.suppress(Exception):
                await asyncio.shield(self.checks.enter(request, user_id, "cancelled"))
            raise
        except Exception as exc:  # an answer nobody can read, a bug: as good as none
            log.exception("Payout request %s: unexpected error", request.id)
            return await self._checking(request, user_id, _name(exc))
        else:
            unclear = (*submitting, State.CHECKING)  # CHECKING: only if wrongly thought stale
            await self._settle(
                request, State.DONE, Result.REQUESTED, unclear, user_id, payout_id=payout_id
            )
            log.info("Payout request %s: payout %s created", request.id, payout_id)
            return Outcome(Result.REQUESTED, request, payout_id=payout_id)
        await self._settle(request, State.FAILED, result, submitting, user_id, detail=detail)
        log.info("Payout request %s: %s", request.id, result)
        return Outcome(result, request, detail=detail)

    async def _checking(self, request: PayoutRequest, user_id: int, why: str) -> Outcome:
        """No clear answer: from now on the reconciler owns it; one quick look first (an
        answer lost after the site created the payout is found at once)."""
        log.warning("Payout request %s: no clear answer (%s); checking", request.id, why)
        await self.checks.enter(request, user_id, why)
        fresh = await self._repo.get(request.token)
        if fresh is None:
            return Outcome(Result.STALE)
        if fresh.state is State.CHECKING:
            found = await self.checks.look_now(fresh)
            if found is not None:
                return found
            return Outcome(Result.CHECKING, fresh)
        return await self._after(fresh, user_id)

    async def _after(self, request: PayoutRequest, user_id: int) -> Outcome:
        """A press on a confirmation that is no longer waiting: say where it stands."""
        if request.state is State.CONFIRMING:  # lost the claim to the clock
            return await self._expire(request, user_id)
        await self._repo.audit(request, user_id, self._clock(), "duplicate", request.state)
        return stored(request)

    async def _settle(
        self,
        request: PayoutRequest,
        to: State,
        result: Result,
        from_states: tuple[State, ...],
        user_id: int,
        *,
        payout_id: int | None = None,
        detail: str = "",
    ) -> bool:
        return await self._repo.settle(
            request,
            to,
            result,
            from_states=from_states,
            user_id=user_id,
            now=self._clock(),
            payout_id=payout_id,
            detail=detail,
        )


async def _quietly(hook: Hook, timeout: float) -> None:  # noqa: ASYNC109
    try:
        async with asyncio.timeout(timeout):
            await hook()
    except Exception as exc:  # cosmetic: the user confirmed, the request goes on
        log.warning("on_claimed hook failed: %s", _name(exc))


def _name(exc: BaseException) -> str:
    return type(exc).__name__
