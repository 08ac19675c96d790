"""Inline keyboards of the payout flow. Buttons carry ids and the confirmation's token only;
button labels are plain text, so translated HTML is turned back into what the user sees."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.exchanger import PayoutMethod
from bot.i18n import Translator
from bot.storage.accounts import Account
from bot.telegram.callbacks import (
    PayoutConfirm,
    PayoutConfirmAction,
    PayoutFlow,
    PayoutFlowAction,
    PayoutStart,
)
from bot.telegram.keyboards import account_label
from bot.telegram.render import mask_wallet, money, short

_CANCEL = PayoutFlow(action=PayoutFlowAction.CANCEL)


def accounts(linked: list[Account]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for account in linked:
        builder.button(
            text=account_label(account), callback_data=PayoutStart(account_id=account.id)
        )
    builder.adjust(1)
    return builder.as_markup()


def methods(
    account_id: int, offered: tuple[PayoutMethod, ...], t: Translator
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for method in offered[:20]:
        label = t.plain(
            "payreq.method_button",
            title=short(method.title, 30),
            amount=money(method.amount),
            commission=money(method.commission),
        )
        data = PayoutFlow(
            action=PayoutFlowAction.METHOD, account_id=account_id, method_id=method.id
        )
        builder.button(text=label, callback_data=data)
    builder.button(text=t("common.cancel_button"), callback_data=_CANCEL)
    builder.adjust(1)
    return builder.as_markup()


def wallet(
    account_id: int, method_id: int, last: str | None, t: Translator
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if last:
        data = PayoutFlow(
            action=PayoutFlowAction.LAST_WALLET, account_id=account_id, method_id=method_id
        )
        label = t.plain("payreq.last_wallet_button", wallet=mask_wallet(last))
        builder.button(text=label, callback_data=data)
    builder.button(text=t("common.cancel_button"), callback_data=_CANCEL)
    builder.adjust(1)
    return builder.as_markup()


def confirm(token: str, t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    yes = PayoutConfirm(action=PayoutConfirmAction.CONFIRM, token=token)
    no = PayoutConfirm(action=PayoutConfirmAction.CANCEL, token=token)
    builder.button(text=t("payreq.confirm_button"), callback_data=yes)
    builder.button(text=t("common.cancel_button"), callback_data=no)
    return builder.as_markup()
