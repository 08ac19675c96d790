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
HOUR = 3_600.0
# When a request without a clear answer is looked for in get_payouts, in seconds after it
# entered "checking": 15 s, 1 min, 5 min, 30 min, 2 h, then every 6 h up to 48 h.
DEFAULT_CHECK_SCHEDULE: tuple[float, ...] = (
    15.0,
    60.0,
    300.0,
    1_800.0,
    2 * HOUR,
    *(2 * HOUR + 6 * HOUR * n for n in range(1, 8)),
    48 * HOUR,
)


@dataclass(frozen=True, slots=True)
class PayoutTimings:
    """Deadlines and the reconciliation schedule (production defaults; tests shrink them)."""

    request_deadline: float = 30.0  # the whole add_payout call: connect + write + read
    hook_timeout: float = 5.0  # each Telegram call between the claim and the request
    check_schedule: tuple[float, ...] = DEFAULT_CHECK_SCHEDULE
    clock_skew: float = 300.0  # how far the site's clock may be behind ours
    sweep: float = 120.0  # the reconciler looks at least this often

    @property
    def stale_after(self) -> float:
        """A request claimed (or sent) longer ago than this can no longer be in flight."""
        return 2 * self.request_deadline + 2 * self.hook_timeout

    @property
    def checked_for_hours(self) -> int:
        return max(1, round(self.check_schedule[-1] / HOUR))


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
    RECONCILED = "reconciled"  # no clear answer, but get_payouts shows the new payout
    REFUSED = "refused"  # the site's error_text is in `detail`
    KEY_REJECTED = "key_rejected"
    BELOW_MINIMUM = "below_minimum"  # the missing amount is in `detail`
    METHOD_GONE = "method_gone"
    UNAVAILABLE = "unavailable"  # the request provably never reached the site
    NOT_SENT = "not_sent"  # the bot stopped between the claim and the request
    CHECKING = "checking"  # sent without a clear answer: being looked for in get_payouts
    NOT_CREATED = "not_created"  # checked for the whole schedule: not on the site (`detail`: h)
    BUSY = "busy"  # another request of the same key is in flight (`pending`)
    CHANGED = "changed"  # the amount dropped: a new confirmation (`offer`) replaces this one
    BAD_WALLET = "bad_wallet"  # the stored wallet cannot be read, or is empty
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    IN_PROGRESS = "in_progress"  # another press is submitting it right now
    CHECK_FAILED = "check_failed"  # the balance re-check failed; nothing sent, may press again
    NOT_YOURS = "not_yours"
    STALE = "stale"  # no such confirmation in this chat


# What a request ended as (done or failed after a claim): the chat must learn it.
FINAL = frozenset(
    {
        Result.REQUESTED,
        Result.RECONCILED,
        Result.REFUSED,
        Result.KEY_REJECTED,
        Result.UNAVAILABLE,
        Result.NOT_SENT,
        Result.NOT_CREATED,
    }
)


@dataclass(frozen=True, slots=True)
class Outcome:
    result: Result
    request: PayoutRequest | None = None
    payout_id: int | None = None
    detail: str = ""
    error: ExchangerError | None = field(default=None, compare=False)
    replay: bool = False  # decided by an earlier press: report it, do not redraw
    pending: PayoutRequest | None = None  # BUSY: the request in flight for the same key
    offer: Offer | None = None  # CHANGED: the new confirmation with the new figures


def offer(account: Account, info: PartnerInfo) -> Offer:
    if not info.can_request_payout:
        missing = info.missing_for_payout
        return Offer(Step.BELOW_MINIMUM, account, balance=info.balance, missing=missing)
    methods = tuple(m for m in info.methods if m.amount > 0)
    status = Step.OK if methods else Step.NO_METHODS
    return Offer(status, account, methods, balance=info.balance)


def created_by(
    request: PayoutRequest, payouts: list[Payout], since: float, taken: frozenset[int] = frozenset()
) -> Payout | None:
    """The payout this request created, if the site lists it: same method, created since
    the request left (`since` already allows for the site's clock), the amount close to the one
    confirmed, the same account where the site shows one; the oldest such, not `taken` by
    another request."""
    matches = [
        p
        for p in payouts
        if p.method_id == request.method_id
        and p.time >= since
        and p.id not in taken
        and (not p.account.strip() or p.account.strip() == request.wallet)
        and _close(p.pay_amount, request.amount)
    ]
    return min(matches, key=lambda p: (p.time, p.id), default=None)


def _close(shown: Decimal, confirmed: Decimal) -> bool:
    """The site's pay_amount ≈ what was confirmed (rounding, a reward accrued meanwhile);
    0 means the site does not show it."""
    if shown <= 0:
        return True
    return abs(shown - confirmed) <= max(Decimal("0.05"), confirmed * Decimal("0.05"))


def stored(request: PayoutRequest) -> Outcome:
    if request.state in (State.CANCELLED, State.EXPIRED):
        return Outcome(Result(request.state.value), request, replay=True)
    if request.state is State.CREATED:
        return Outcome(Result.STALE, request)
    if request.state is State.CHECKING:
        return Outcome(Result.CHECKING, request, replay=True)
    if request.state is State.SUBMITTING:
        return Outcome(Result.IN_PROGRESS, request)
    try:
        result = Result(request.outcome or "")
    except ValueError:
        result = Result.STALE
    return Outcome(result, request, payout_id=request.payout_id, detail=request.detail, replay=True)
