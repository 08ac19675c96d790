"""Presenters of the payout flow: the service's offers and outcomes → (HTML text, keyboard).

Wallets are shown in full only in the confirmation (the user must be able to check what they
typed); everywhere else masked.
"""

from __future__ import annotations

import html
import time
from decimal import Decimal, InvalidOperation

from aiogram.types import ForceReply, User

from bot.i18n import Html, Render, Translator
from bot.services.payout_models import Offer, Outcome, Result, Step
from bot.storage.payouts import PayoutRequest
from bot.telegram import payout_keyboards
from bot.telegram.render import mask_wallet, money, short
from bot.telegram.views import Rendered, header

_REFUSALS = {
    Step.NO_METHODS: "payreq.no_methods",
    Step.METHOD_GONE: "payreq.method_gone",
    Step.NOT_OWNER: "payreq.not_owner",
    Step.GONE: "accounts.gone",
}
_OUTCOMES = {
    Result.KEY_REJECTED: "error.key_rejected",
    Result.METHOD_GONE: "payreq.method_gone",
    Result.UNAVAILABLE: "payreq.unavailable",
    Result.NOT_SENT: "payreq.not_sent",
    Result.CHECKING: "payreq.checking",
    Result.BAD_WALLET: "payreq.bad_wallet",
    Result.EXPIRED: "payreq.expired",
    Result.CANCELLED: "payreq.cancelled",
    Result.STALE: "payreq.not_active",
}
_ALERTS = {
    Result.IN_PROGRESS: "payreq.in_progress",
    Result.NOT_YOURS: "payreq.not_yours",
    Result.STALE: "payreq.not_active",
}


def menu(t: Translator, offer: Offer) -> Rendered:
    """The methods to pick from, or why there is nothing to pick."""
    if offer.status is not Step.OK or offer.account is None:
        return refusal(t, offer), None
    text = t("payreq.menu", header=Html(header(t, offer.account)), balance=money(offer.balance))
    return text, payout_keyboards.methods(offer.account.id, offer.methods, t)


def refusal(t: Translator, offer: Offer) -> str:
    if offer.status is Step.INVALID_WALLET and offer.problem is not None:
        return t(f"payreq.wallet.{offer.problem.value}")
    if offer.status is Step.BELOW_MINIMUM and offer.account is not None:
        return t(
            "payreq.below_minimum",
            header=Html(header(t, offer.account)),
            balance=money(offer.balance),
            missing=money(offer.missing),
        )
    return t(_REFUSALS.get(offer.status, "accounts.gone"))


def refusal_alert(t: Translator, offer: Offer) -> str:
    """A refusal that needs no more than an alert (the account is gone, not the owner)."""
    return t.plain(_REFUSALS.get(offer.status, "accounts.gone"))[:200]


def wallet_reply(t: Translator, user: User, title: str) -> tuple[str, ForceReply]:
    """In a group: a prompt the user answers by replying, addressed to them only (selective)."""
    mention = Html(
        f'<a href="tg://user?id={user.id}">{html.escape(short(user.first_name, 40))}</a>'
    )
    text = t("payreq.reply_wallet", user=mention, method=short(title, 60))
    placeholder = t.plain("payreq.wallet_placeholder")
    return text, ForceReply(selective=True, input_field_placeholder=placeholder)


def ask_wallet(
    t: Translator, account_id: int, method_id: int, title: str, last: str | None
) -> Rendered:
    text = t("payreq.ask_wallet", method=short(title, 60))
    return text, payout_keyboards.wallet(account_id, method_id, last, t)


def confirmation(t: Translator, offer: Offer, minutes: int) -> Rendered:
    request, account = offer.request, offer.account
    assert request is not None and account is not None
    text = t(
        "payreq.confirm",
        header=Html(header(t, account)),
        method=short(request.method_title, 60),
        wallet=request.wallet,
        amount=money(request.amount),
        commission=money(request.commission),
        minutes=minutes,
    )
    return text, payout_keyboards.confirm(request.token, t)


def outcome(t: Translator, result: Outcome, minutes: int = 5) -> Rendered:
    """What the confirmation message becomes once the press was decided (`minutes`: the
    validity of a new confirmation)."""
    request = result.request
    if result.result is Result.CHANGED and result.offer is not None and request is not None:
        text, markup = confirmation(t, result.offer, minutes)
        return Html(f"{_outcome_text(t, result)}\n\n{text}"), markup
    return Html(_outcome_text(t, result)), None


def _outcome_text(render: Render, result: Outcome) -> str:
    """The outcome in words: `t` for the message, `t.plain` for an alert."""
    request = result.request
    if result.result in (Result.REQUESTED, Result.RECONCILED) and request is not None:
        text = render(
            "payreq.requested",
            id=result.payout_id,
            amount=money(request.amount),
            method=short(request.method_title, 60),
            wallet=mask_wallet(request.wallet),
        )
        if result.result is Result.RECONCILED:
            text = f"{text}\n{render('payreq.reconciled_note')}"
        return text
    if result.result is Result.NOT_CREATED:
        return render("payreq.not_created", hours=result.detail or "48")
    if result.result is Result.BUSY and result.pending is not None:
        return busy(render, result.pending)
    if result.result is Result.CHANGED and result.offer is not None and request is not None:
        assert result.offer.request is not None
        return render(
            "payreq.changed", amount=money(result.offer.request.amount), old=money(request.amount)
        )
    if result.result is Result.REFUSED:
        return render("payreq.refused", detail=short(result.detail, 300))
    if result.result is Result.BELOW_MINIMUM:
        return render("payreq.now_below_minimum", missing=_amount(result.detail))
    return render(_OUTCOMES.get(result.result, "payreq.not_active"))


def busy(render: Render, pending: PayoutRequest) -> str:
    """Names the request in flight for the same key (no wallet: it may be another chat's)."""
    since = pending.submitted_at or pending.claimed_at or 0
    return render(
        "payreq.busy",
        state=Html(render(f"payreq.busy.{pending.state.value}")),
        request=f"#{pending.id}",
        started=time.strftime("%Y-%m-%d %H:%M", time.gmtime(since)),
        amount=money(pending.amount),
        method=short(pending.method_title, 60),
    )


def alert(t: Translator, result: Outcome) -> str | None:
    """A press that changes nothing (someone else's, a second tap): an alert, not an edit."""
    key = _ALERTS.get(result.result)
    if key is not None:
        return t.plain(key)[:200]
    if result.replay:
        return _outcome_text(t.plain, result)[:200]
    return None


def _amount(text: str) -> str:
    try:
        return money(Decimal(text))
    except InvalidOperation:
        return text
