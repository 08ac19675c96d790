"""Requesting a payout: what an account can request, the confirmation, and the single add_payout
call a confirmation may cause. All money and state decisions live here; no aiogram.

One row per confirmation (bot/storage/payouts.py), in SQLite so that it survives a restart:

    created ─shown─▶ confirming ─claim─▶ submitting ─▶ done    (the site's payout id)
                      │    │                 │     ├─▶ failed  (refused, or not sent at all)
                      │    └─▶ expired       │     └─▶ unknown ─reconcile─▶ done | failed
                      └─▶ cancelled          └─ (crashed: stale) ─▶ unknown

The claim is one conditional UPDATE whose row count decides: two taps, two devices or two
processes produce exactly one add_payout. add_payout has no idempotency key and requests the
whole balance, so an unclear outcome is never retried: get_payouts says whether a payout with
this method and account appeared since the claim. Should a late payout appear after "not
created", a new request is still safe: the balance re-check finds nothing left to pay out.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.exchanger import Credentials, ExchangerApi, PartnerInfo, Payout
from bot.exchanger.errors import (
    ExchangerError,
    ExchangerUnavailable,
    KeyRejected,
    OutcomeUnknown,
    RequestRefused,
)
from bot.services.payout_models import (
    Offer,
    Outcome,
    Result,
    Step,
    check_wallet,
    created_by,
    offer,
    stored,
)
from bot.storage.accounts import Account, AccountRepo
from bot.storage.payouts import Draft, PayoutRepo, PayoutRequest, State

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
        stale_after: float = 300.0,  # longer than any add_payout call can take
        clock_skew: float = 300.0,  # how far the site's clock may be behind ours
        settle_delay: float = 2.0,  # a second look before concluding "not created"
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._api, self._accounts, self._repo = api, accounts, repo
        self._ttl, self._stale_after, self._skew = confirm_ttl, stale_after, clock_skew
        self._settle_delay, self._clock, self._sleep = settle_delay, clock, sleep

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

    async def last_wallet(self, account_id: int, method_id: int) -> str | None:
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
        return replace(offer, request=await self._repo.create(draft, self._clock()))

    async def shown(self, token: str) -> None:
        """The confirmation is being sent: from now on it can be confirmed, until the TTL."""
        await self._repo.show(token, self._clock() + self._ttl)

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
        self, token: str, chat_id: int, user_id: int, on_claimed: Hook | None = None
    ) -> Outcome:
        """Submit the confirmation once. `on_claimed` runs after the claim, before add_payout
        (e.g. to take the buttons away); its failure does not stop the request."""
        request = await self._pressed(token, chat_id, user_id)
        if isinstance(request, Outcome):
            return request
        if request.state is not State.CONFIRMING:
            return await self._after(request, user_id)
        if request.expires_at <= self._clock():
            return await self._expire(request, user_id)
        creds = await self._accounts.credentials(request.account_id)
        if creds is None:
            return Outcome(Result.STALE)
        try:
            info = await self._api.get_info(creds)
        except ExchangerError as exc:
            await self._repo.audit(request, user_id, self._clock(), "check_failed", _name(exc))
            return Outcome(Result.CHECK_FAILED, request, error=exc)
        method = info.method(request.method_id)
        if method is None or not info.can_request_payout:
            return await self._refuse(request, info, user_id)
        request = replace(request, amount=method.amount, commission=method.commission)
        if not await self._repo.claim(request, user_id, self._clock()):
            return await self._again(request, user_id)
        if on_claimed is not None:
            await _quietly(on_claimed)
        return await self._send(request, creds, user_id)

    # --- internals ---

    async def _owned(
        self, chat_id: int, user_id: int, account_id: int
    ) -> tuple[Account | None, Step]:
        account = await self._accounts.get(account_id)
        owner = await self._repo.account_owner(account_id)
        if account is None or owner is None or owner[0] != chat_id:
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
        States only move forward, so this ends; a row gone with its account is stale."""
        fresh = await self._repo.get(request.token)
        return Outcome(Result.STALE) if fresh is None else await self._after(fresh, user_id)

    async def _expire(self, request: PayoutRequest, user_id: int) -> Outcome:
        await self._settle(request, State.EXPIRED, Result.EXPIRED, (State.CONFIRMING,), user_id)
        return Outcome(Result.EXPIRED, request)

    async def _refuse(self, request: PayoutRequest, info: PartnerInfo, user_id: int) -> Outcome:
        """The re-check at confirmation time failed: below the minimum now, or no such method."""
        if info.can_request_payout:
            result, detail = Result.METHOD_GONE, ""
        else:
            result, detail = Result.BELOW_MINIMUM, str(info.missing_for_payout)
        failed = (State.CONFIRMING,)
        if await self._settle(request, State.FAILED, result, failed, user_id, detail=detail):
            return Outcome(result, request, detail=detail)
        return await self._again(request, user_id)

    async def _send(self, request: PayoutRequest, creds: Credentials, user_id: int) -> Outcome:
        submitting = (State.SUBMITTING,)
        try:
            payout_id = await self._api.add_payout(creds, request.method_id, request.wallet)
        except RequestRefused as exc:
            result, detail = Result.REFUSED, exc.text
        except KeyRejected:
            result, detail = Result.KEY_REJECTED, ""
        except ExchangerUnavailable as exc:
            if isinstance(exc, OutcomeUnknown):
                return await self._unknown(request, user_id, _name(exc))
            result, detail = Result.UNAVAILABLE, _name(exc)
        except ExchangerError as exc:  # an answer nobody can read: as good as none
            return await self._unknown(request, user_id, _name(exc))
        else:
            unclear = (*submitting, State.UNKNOWN)  # UNKNOWN: only if wrongly thought stale
            await self._settle(
                request, State.DONE, Result.REQUESTED, unclear, user_id, payout_id=payout_id
            )
            log.info("Payout request %s: payout %s created", request.id, payout_id)
            return Outcome(Result.REQUESTED, request, payout_id=payout_id)
        await self._settle(request, State.FAILED, result, submitting, user_id, detail=detail)
        log.info("Payout request %s: %s", request.id, result)
        return Outcome(result, request, detail=detail)

    async def _unknown(self, request: PayoutRequest, user_id: int, why: str) -> Outcome:
        log.warning("Payout request %s: outcome unknown (%s), reconciling", request.id, why)
        submitting = (State.SUBMITTING,)
        await self._settle(request, State.UNKNOWN, Result.UNKNOWN, submitting, user_id, detail=why)
        return await self._again(request, user_id)  # → reconcile (or what a rival decided)

    async def _reconcile(self, request: PayoutRequest, user_id: int) -> Outcome:
        """Read get_payouts (twice at most) for a payout this request created; never re-send."""
        creds = await self._accounts.credentials(request.account_id)
        if creds is None:  # unlinked meanwhile: nothing can be checked
            return Outcome(Result.UNKNOWN, request)
        since = (request.submitted_at or self._clock()) - self._skew
        found: Payout | None = None
        for attempt in range(2):
            if attempt:
                await self._sleep(self._settle_delay)
            try:
                payouts = await self._api.get_payouts(creds, start_time=int(since))
            except ExchangerError as exc:
                await self._repo.audit(request, user_id, self._clock(), "still_unknown", _name(exc))
                return Outcome(Result.UNKNOWN, request)
            found = created_by(request, payouts, since)
            if found is not None:
                break
        unknown = (State.UNKNOWN,)
        if found is not None:
            if await self._settle(
                request, State.DONE, Result.RECONCILED, unknown, user_id, payout_id=found.id
            ):
                return Outcome(Result.RECONCILED, request, payout_id=found.id)
        elif await self._settle(request, State.FAILED, Result.NOT_CREATED, unknown, user_id):
            return Outcome(Result.NOT_CREATED, request)
        return await self._again(request, user_id)

    async def _after(self, request: PayoutRequest, user_id: int) -> Outcome:
        """A press on a confirmation that is no longer waiting: say how it ended."""
        now = self._clock()
        if request.state is State.UNKNOWN:
            return await self._reconcile(request, user_id)
        if request.state is State.SUBMITTING:
            stale_before = now - self._stale_after
            if (request.submitted_at or now) < stale_before and await self._settle(
                request, State.UNKNOWN, Result.UNKNOWN, (State.SUBMITTING,), user_id,
                detail="stale", stale_before=stale_before,
            ):  # fmt: skip
                return await self._again(request, user_id)
            await self._repo.audit(request, user_id, now, "duplicate", request.state)
            return Outcome(Result.IN_PROGRESS, request)
        if request.state is State.CONFIRMING:  # lost the claim to the clock
            return await self._expire(request, user_id)
        await self._repo.audit(request, user_id, now, "duplicate", request.state)
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
        stale_before: float | None = None,
    ) -> bool:
        return await self._repo.settle(
            request, to, result, from_states=from_states, user_id=user_id, now=self._clock(),
            payout_id=payout_id, detail=detail, stale_before=stale_before,
        )  # fmt: skip


async def _quietly(hook: Hook) -> None:
    try:
        await hook()
    except Exception as exc:  # cosmetic: the user confirmed, the request goes on
        log.warning("on_claimed hook failed: %s", _name(exc))


def _name(exc: BaseException) -> str:
    return type(exc).__name__
