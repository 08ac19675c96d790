"""The payout flow's results and pure rules: wallet validation, what can be offered, how a
payout on the site is recognised as ours, how a finished confirmation is reported again."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from bot.exchanger import ExchangerError, PartnerInfo, Payout, PayoutMethod
from bot.storage.accounts import Account
from bot.storage.payouts import PayoutRequest, State

MIN_WALLET, MAX_WALLET = 3, 128


class WalletProblem(StrEnum):
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    SPACES = "spaces"
    CONTROL = "control"


def check_wallet(text: str) -> WalletProblem | None:
    """None when `text` (trimmed) is acceptable as an account/wallet number."""
    wallet = text.strip()
    if not wallet:
        return WalletProblem.EMPTY
    if any(unicodedata.category(char).startswith("C") for char in wallet):
        return WalletProblem.CONTROL  # control, format (zero-width), unassigned characters
    if any(char.isspace() for char in wallet):
        return WalletProblem.SPACES
    if len(wallet) < MIN_WALLET:
        return WalletProblem.TOO_SHORT
    return WalletProblem.TOO_LONG if len(wallet) > MAX_WALLET else None


class Step(StrEnum):
    OK = "ok"
    GONE = "gone"  # the account is not linked in this chat (any more)
    NOT_OWNER = "not_owner"  # only whoever linked the account may request its payout
    BELOW_MINIMUM = "below_minimum"
    NO_METHODS = "no_methods"
    METHOD_GONE = "method_gone"
    INVALID_WALLET = "invalid_wallet"


@dataclass(frozen=True, slots=True)
class Offer:
    """What the user may request now: methods to pick, or why not; with a new confirmation."""

    status: Step
    account: Account | None = None
    methods: tuple[PayoutMethod, ...] = ()
    balance: Decimal = Decimal(0)
    missing: Decimal = Decimal(0)
    problem: WalletProblem | None = None
    request: PayoutRequest | None = None


class Result(StrEnum):
    REQUESTED = "requested"  # add_payout answered with the payout id
    RECONCILED = "reconciled"  # no answer, but get_payouts shows the new payout
    REFUSED = "refused"  # the site's error_text is in `detail`
    KEY_REJECTED = "key_rejected"
    BELOW_MINIMUM = "below_minimum"  # the missing amount is in `detail`
    METHOD_GONE = "method_gone"
    UNAVAILABLE = "unavailable"  # the request could not be sent: nothing was requested
    NOT_CREATED = "not_created"  # sent without an answer, and no such payout on the site
    UNKNOWN = "unknown"  # sent without an answer, and get_payouts failed too
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    IN_PROGRESS = "in_progress"  # another press is submitting it right now
    CHECK_FAILED = "check_failed"  # the balance re-check failed; nothing sent, may press again
    NOT_YOURS = "not_yours"
    STALE = "stale"  # no such confirmation in this chat


@dataclass(frozen=True, slots=True)
class Outcome:
    result: Result
    request: PayoutRequest | None = None
    payout_id: int | None = None
    detail: str = ""
    error: ExchangerError | None = field(default=None, compare=False)
    replay: bool = False  # decided by an earlier press: report it, do not redraw


def offer(account: Account, info: PartnerInfo) -> Offer:
    if not info.can_request_payout:
        missing = info.missing_for_payout
        return Offer(Step.BELOW_MINIMUM, account, balance=info.balance, missing=missing)
    methods = tuple(m for m in info.methods if m.amount > 0)
    status = Step.OK if methods else Step.NO_METHODS
    return Offer(status, account, methods, balance=info.balance)


def created_by(request: PayoutRequest, payouts: list[Payout], since: float) -> Payout | None:
    """The newest payout with this method and account, created since the claim (minus skew)."""
    return next(
        (
            p
            for p in payouts
            if p.method_id == request.method_id
            and p.account.strip() == request.wallet
            and p.time >= since
        ),
        None,
    )


def stored(request: PayoutRequest) -> Outcome:
    if request.state in (State.CANCELLED, State.EXPIRED):
        return Outcome(Result(request.state.value), request, replay=True)
    if request.state is State.CREATED:
        return Outcome(Result.STALE, request)
    try:
        result = Result(request.outcome or "")
    except ValueError:
        result = Result.STALE
    return Outcome(result, request, payout_id=request.payout_id, detail=request.detail, replay=True)
