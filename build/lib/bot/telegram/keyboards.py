"""Inline keyboards: one function per keyboard, returning the markup."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from bot.storage.accounts import Account
from bot.telegram.callbacks import AccountPick, Language, Page, Unlink, UnlinkAction, View


def account_label(account: Account) -> str:
    host = account.site.split("://", 1)[-1]
    return f"{host} · {account.key_hint}…"


def pick_account(accounts: list[Account], view: View, period: str = "all") -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for account in accounts:
        data = AccountPick(view=view, account_id=account.id, period=period)
        builder.button(text=account_label(account), callback_data=data)
    builder.adjust(1)
    return builder.as_markup()


def pager(
    view: View, account_id: int, page: int, total: int, period: str = "all"
) -> InlineKeyboardMarkup | None:
    if total <= 1:
        return None
    builder = InlineKeyboardBuilder()
    if page > 0:
        data = Page(view=view, account_id=account_id, page=page - 1, period=period)
        builder.button(text="◀", callback_data=data)
    # The counter button doubles as "refresh": same page, data fetched again.
    current = Page(view=view, account_id=account_id, page=page, period=period)
    builder.button(text=f"{page + 1}/{total}", callback_data=current)
    if page < total - 1:
        data = Page(view=view, account_id=account_id, page=page + 1, period=period)
        builder.button(text="▶", callback_data=data)
    return builder.as_markup()


def unlink_pick(accounts: list[Account], t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for account in accounts:
        data = Unlink(action=UnlinkAction.PICK, account_id=account.id)
        builder.button(text=account_label(account), callback_data=data)
    builder.button(text=t("common.cancel_button"), callback_data=Unlink(action=UnlinkAction.CANCEL))
    builder.adjust(1)
    return builder.as_markup()


def unlink_confirm(account_id: int, t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    confirm = Unlink(action=UnlinkAction.CONFIRM, account_id=account_id)
    builder.button(text=t("unlink.confirm_button"), callback_data=confirm)
    builder.button(text=t("common.cancel_button"), callback_data=Unlink(action=UnlinkAction.CANCEL))
    return builder.as_markup()


def languages() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="English", callback_data=Language(code="en"))
    builder.button(text="Русский", callback_data=Language(code="ru"))
    return builder.as_markup()
