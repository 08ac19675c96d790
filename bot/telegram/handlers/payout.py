"""/payout: account → method → wallet → ✅ Confirm, once. Thin: PayoutService decides.

The dialog's steps live in the aiogram FSM (SQLite-backed, so they survive a restart); the
confirmation lives in its own row, named by the token in its buttons. Buttons before the
confirmation count only for the user whose FSM is at that step for that account; the
confirmation's buttons are checked against the row's user by the service. State is always
written before the message offering the next buttons, so a quick press cannot outrun it.
"""

from __future__ import annotations

import math

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Chat, Message, User
from aiogram.utils.callback_answer import CallbackAnswer

from bot.i18n import Translator
from bot.services.accounts import AccountService
from bot.services.payout_models import FINAL, Offer, Outcome, Result, Step
from bot.services.payouts import PayoutService
from bot.services.reports import ReportService
from bot.telegram import payout_keyboards, payout_views
from bot.telegram.callbacks import (
    PayoutConfirm,
    PayoutConfirmAction,
    PayoutFlow,
    PayoutFlowAction,
    PayoutStart,
)
from bot.telegram.handlers.errors import explain
from bot.telegram.middlewares.chat_admin import CHAT_ADMIN
from bot.telegram.middlewares.throttling import EXCHANGER
from bot.telegram.payout_delivery import deliver
from bot.telegram.replies import show

router = Router(name=__name__)
# Payouts move money: group admins only, and each step may call the exchanger.
GUARDED = {**CHAT_ADMIN, **EXCHANGER}


class PayoutDialog(StatesGroup):
    choosing_method = State()
    waiting_wallet = State()
    confirming = State()


@router.message(Command("payout"), flags=GUARDED)
async def payout_handler(
    message: Message,
    event_from_user: User,
    t: Translator,
    accounts: AccountService,
    payouts: PayoutService,
    state: FSMContext,
    bot: Bot,
) -> None:
    linked = await accounts.accounts(message.chat.id)
    if len(linked) == 1:
        offer = await payouts.options(message.chat.id, event_from_user.id, linked[0].id)
        await _menu(bot, message.chat.id, t, offer, state)
    elif linked:
        markup = payout_keyboards.accounts(linked)
        await message.answer(t("payreq.pick_account"), reply_markup=markup)
    else:
        await message.answer(t("accounts.none"))


@router.callback_query(PayoutStart.filter(), flags=GUARDED)
async def payout_start_handler(
    query: CallbackQuery,
    callback_data: PayoutStart,
    event_chat: Chat,
    t: Translator,
    payouts: PayoutService,
    state: FSMContext,
    bot: Bot,
    callback_answer: CallbackAnswer,
) -> None:
    """The account picker's buttons and the "payout available" notification's button."""
    offer = await payouts.options(event_chat.id, query.from_user.id, callback_data.account_id)
    if offer.status in (Step.GONE, Step.NOT_OWNER):
        return _alert(callback_answer, payout_views.refusal_alert(t, offer))
    await _menu(bot, event_chat.id, t, offer, state)


@router.callback_query(
    PayoutFlow.filter(F.action == PayoutFlowAction.METHOD), PayoutDialog.choosing_method
)
async def method_handler(
    query: CallbackQuery,
    callback_data: PayoutFlow,
    event_chat: Chat,
    t: Translator,
    payouts: PayoutService,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    data = await state.get_data()
    title = data.get("titles", {}).get(str(callback_data.method_id))
    if data.get("account_id") != callback_data.account_id or title is None:
        return _not_active(callback_answer, t)
    await state.update_data(method_id=callback_data.method_id)
    await state.set_state(PayoutDialog.waiting_wallet)
    last = await payouts.last_wallet(event_chat.id, *_ids(callback_data))
    await show(query, *payout_views.ask_wallet(t, *_ids(callback_data), title, last))
    if query.message is not None and event_chat.type != ChatType.PRIVATE:
        # Privacy mode: in a group the bot sees replies to its messages, not plain text.
        text, force_reply = payout_views.wallet_reply(t, query.from_user, title)
        await query.message.answer(text, reply_markup=force_reply)


@router.message(PayoutDialog.waiting_wallet, F.text, ~F.text.startswith("/"), flags=GUARDED)
async def wallet_handler(
    message: Message,
    event_from_user: User,
    t: Translator,
    payouts: PayoutService,
    state: FSMContext,
) -> None:
    data = await state.get_data()
    ids = (data["account_id"], data["method_id"])
    offer = await payouts.prepare(message.chat.id, event_from_user.id, *ids, message.text or "")
    if offer.status is Step.INVALID_WALLET or offer.request is None:
        if offer.status is not Step.INVALID_WALLET:  # the dialog cannot go on
            await state.clear()
        await message.answer(payout_views.refusal(t, offer))
        return
    await _confirming(state, payouts, offer)
    text, markup = payout_views.confirmation(t, offer, _minutes(payouts))
    await message.answer(text, reply_markup=markup)


@router.callback_query(
    PayoutFlow.filter(F.action == PayoutFlowAction.LAST_WALLET),
    PayoutDialog.waiting_wallet,
    flags=GUARDED,
)
async def last_wallet_handler(
    query: CallbackQuery,
    callback_data: PayoutFlow,
    event_chat: Chat,
    t: Translator,
    payouts: PayoutService,
    state: FSMContext,
    callback_answer: CallbackAnswer,
) -> None:
    data, ids = await state.get_data(), _ids(callback_data)
    own = (data.get("account_id"), data.get("method_id")) == ids
    wallet = await payouts.last_wallet(event_chat.id, *ids) if own else None
    if wallet is None:
        return _not_active(callback_answer, t)
    offer = await payouts.prepare(event_chat.id, query.from_user.id, *ids, wallet)
    if offer.request is None:
        await state.clear()
        return await show(query, payout_views.refusal(t, offer))
    await _confirming(state, payouts, offer)
    await show(query, *payout_views.confirmation(t, offer, _minutes(payouts)))


@router.callback_query(
    PayoutFlow.filter(F.action == PayoutFlowAction.CANCEL), StateFilter(PayoutDialog)
)
async def flow_cancel_handler(
    query: CallbackQuery,
    event_chat: Chat,
    t: Translator,
    payouts: PayoutService,
    state: FSMContext,
) -> None:
    await _abandon(state, payouts, event_chat.id, query.from_user.id)
    await show(query, t("payreq.cancelled"))


@router.callback_query(PayoutFlow.filter())
async def flow_stale_handler(
    query: CallbackQuery, t: Translator, callback_answer: CallbackAnswer
) -> None:
    """A dialog button pressed by someone else, or after the dialog moved on."""
    _not_active(callback_answer, t)


@router.callback_query(PayoutConfirm.filter(F.action == PayoutConfirmAction.CANCEL))
async def confirmation_cancel_handler(
    query: CallbackQuery,
    callback_data: PayoutConfirm,
    event_chat: Chat,
    t: Translator,
    payouts: PayoutService,
    state: FSMContext,
    bot: Bot,
    callback_answer: CallbackAnswer,
) -> None:
    outcome = await payouts.cancel(callback_data.token, event_chat.id, query.from_user.id)
    await _report(query, event_chat, callback_answer, t, outcome, state, payouts, bot)


@router.callback_query(PayoutConfirm.filter(), flags=GUARDED)
async def confirm_handler(
    query: CallbackQuery,
    callback_data: PayoutConfirm,
    event_chat: Chat,
    t: Translator,
    payouts: PayoutService,
    state: FSMContext,
    reports: ReportService,
    bot: Bot,
    callback_answer: CallbackAnswer,
) -> None:
    """✅ Confirm (and "check again" buttons of older versions, which never re-send)."""

    async def sending() -> None:  # the claim is won: stop the spinner, take the buttons away
        callback_answer.disabled = True  # answered here, not after add_payout
        await query.answer()
        await show(query, t("payreq.sending"))

    message_id = query.message.message_id if query.message else None
    outcome = await payouts.confirm(
        callback_data.token,
        event_chat.id,
        query.from_user.id,
        on_claimed=sending,
        message_id=message_id,
        language=t.language,
    )
    if outcome.request is not None:  # the balance may have changed: /balance reads it again
        reports.forget(outcome.request.account_id)
    await _report(query, event_chat, callback_answer, t, outcome, state, payouts, bot)


@router.message(Command("cancel"), StateFilter(PayoutDialog))
async def cancel_handler(
    message: Message,
    event_from_user: User,
    t: Translator,
    payouts: PayoutService,
    state: FSMContext,
) -> None:
    """/cancel inside the payout dialog also cancels its pending confirmation."""
    await _abandon(state, payouts, message.chat.id, event_from_user.id)
    await message.answer(t("cancel.done"))


# --- helpers ---


async def _menu(bot: Bot, chat_id: int, t: Translator, offer: Offer, state: FSMContext) -> None:
    if offer.status is Step.OK and offer.account is not None:
        titles = {str(m.id): m.title for m in offer.methods}
        await state.set_state(PayoutDialog.choosing_method)
        await state.set_data({"account_id": offer.account.id, "titles": titles})
    text, markup = payout_views.menu(t, offer)
    await bot.send_message(chat_id, text, reply_markup=markup)


async def _confirming(state: FSMContext, payouts: PayoutService, offer: Offer) -> None:
    """Before the confirmation is sent: from then on, its buttons must work."""
    assert offer.request is not None
    await payouts.shown(offer.request.token)
    await state.set_state(PayoutDialog.confirming)
    await state.update_data(token=offer.request.token)


async def _abandon(state: FSMContext, payouts: PayoutService, chat_id: int, user_id: int) -> None:
    token = (await state.get_data()).get("token")
    await state.clear()
    if token:
        await payouts.cancel(token, chat_id, user_id)


async def _report(
    query: CallbackQuery,
    chat: Chat,
    answer: CallbackAnswer,
    t: Translator,
    outcome: Outcome,
    state: FSMContext,
    payouts: PayoutService,
    bot: Bot,
) -> None:
    if outcome.error is not None:  # the re-check failed: nothing changed, may press again
        return _alert(answer, explain(t.plain, outcome.error)[:200])
    alert = payout_views.alert(t, outcome)
    if alert is not None:
        return _alert(answer, alert)
    request = outcome.request
    if request and (await state.get_data()).get("token") == request.token:
        if outcome.result is Result.CHANGED and outcome.offer and outcome.offer.request:
            await state.update_data(token=outcome.offer.request.token)
        else:
            await state.clear()
    if not answer.disabled:  # stop the spinner before the (possibly slow) delivery
        answer.disabled = True
        await query.answer()
    text, markup = payout_views.outcome(t, outcome, _minutes(payouts))
    message_id = query.message.message_id if query.message else None
    delivered = await deliver(bot, chat.id, message_id, text, markup)
    if not delivered and request is not None and outcome.result in FINAL:
        await payouts.undelivered(request)  # the reconciler tells the chat later


def _alert(answer: CallbackAnswer, text: str) -> None:
    """Answered after the handler (AnswerAfterHandler), as an alert; `text` is plain."""
    answer.text, answer.show_alert = text, True


def _not_active(answer: CallbackAnswer, t: Translator) -> None:
    _alert(answer, t.plain("payreq.not_active"))


def _ids(data: PayoutFlow) -> tuple[int, int]:
    return data.account_id, data.method_id


def _minutes(payouts: PayoutService) -> int:
    return math.ceil(payouts.confirm_ttl / 60)
