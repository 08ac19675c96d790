"""Inline keyboards: one function per keyboard, returning the markup."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import LANGUAGES, Translator
from bot.services.reports import AccountBalance
from bot.storage.accounts import Account
from bot.telegram.callbacks import (
    ALL_ACCOUNTS,
    AccountPick,
    Language,
    Page,
    PayoutStart,
    PickAgain,
    Unlink,
    UnlinkAction,
    View,
)


def account_label(account: Account) -> str:
    host = account.site.split("://", 1)[-1]
    return f"{host} · {account.key_hint}…"


def pick_account(
    accounts: list[Account], view: View, t: Translator, period: str = "", with_all: bool = False
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for account in accounts:
        data = AccountPick(view=view, account_id=account.id, period=period)
        builder.button(text=account_label(account), callback_data=data)
    if with_all:
        data = AccountPick(view=view, account_id=ALL_ACCOUNTS, period=period)
        builder.button(text=t("accounts.all_button"), callback_data=data)
    builder.adjust(1)
    return builder.as_markup()


def with_pick_again(
    markup: InlineKeyboardMarkup | None, view: View, period: str, t: Translator
) -> InlineKeyboardMarkup:
    """A list shown for the remembered account gets a 🔁 to choose another one."""
    builder = InlineKeyboardBuilder.from_markup(markup) if markup else InlineKeyboardBuilder()
    switch = InlineKeyboardBuilder()
    switch.button(text=t("accounts.pick_again"), callback_data=PickAgain(view=view, period=period))
    builder.attach(switch)
    return builder.as_markup()


@dataclass(frozen=True, slots=True)
class TimePages:
    """Where a list is in time: its window ends at `until` (0: now); `older`/`newer` are the
    `until` of the neighbouring windows (None: no such window)."""

    until: int
    older: int | None
    newer: int | None


def pager(
    view: View,
    account_id: int,
    page: int,
    total: int,
    period: str = "",
    time_pages: TimePages | None = None,
) -> InlineKeyboardMarkup | None:
    until = time_pages.until if time_pages else 0
    builder = InlineKeyboardBuilder()
    row = 0
    if total > 1:
        if page > 0:
            data = Page(view=view, account_id=account_id, page=page - 1, period=period, until=until)
            builder.button(text="◀", callback_data=data)
        # The counter button doubles as "refresh": same page, data fetched again.
        current = Page(view=view, account_id=account_id, page=page, period=period, until=until)
        builder.button(text=f"{page + 1}/{total}", callback_data=current)
        if page < total - 1:
            data = Page(view=view, account_id=account_id, page=page + 1, period=period, until=until)
            builder.button(text="▶", callback_data=data)
        row = min(page, 1) + 1 + (page < total - 1)
    if time_pages is not None and time_pages.older is not None:
        data = Page(view=view, account_id=account_id, page=0, period=period, until=time_pages.older)
        builder.button(text="⏪", callback_data=data)
    if time_pages is not None and time_pages.newer is not None:
        data = Page(view=view, account_id=account_id, page=0, period=period, until=time_pages.newer)
        builder.button(text="⏩", callback_data=data)
    if not list(builder.buttons):
        return None
    sizes = [row] if row else []
    builder.adjust(*sizes, 2)
    return builder.as_markup()


def overview(
    balances: list[AccountBalance], first_number: int, page_pager: InlineKeyboardMarkup | None
) -> InlineKeyboardMarkup:
    """/balance with several accounts: one row per account — its details (numbered like the
    text: two keys of one site can share their first characters) and 💸 when a payout is
    possible — then the pager."""
    builder = InlineKeyboardBuilder()
    for number, item in enumerate(balances, start=first_number):
        details = InlineKeyboardButton(
            text=f"{number}. {account_label(item.account)}",
            callback_data=AccountPick(view=View.BALANCE, account_id=item.account.id).pack(),
        )
        row = [details]
        if item.info is not None and item.info.can_request_payout:
            payout = PayoutStart(account_id=item.account.id).pack()
            row.append(InlineKeyboardButton(text="💸", callback_data=payout))
        builder.row(*row)
    if page_pager is not None:
        builder.attach(InlineKeyboardBuilder.from_markup(page_pager))
    return builder.as_markup()


def balance_details(
    account: Account, can_pay: bool, several: bool, t: Translator
) -> InlineKeyboardMarkup | None:
    """Under one account's balance: request a payout, and back to every account."""
    builder = InlineKeyboardBuilder()
    if can_pay:
        builder.button(
            text=t("balance.payout_button"), callback_data=PayoutStart(account_id=account.id)
        )
    if several:
        data = AccountPick(view=View.BALANCE, account_id=ALL_ACCOUNTS)
        builder.button(text=t("balance.all_button"), callback_data=data)
    builder.adjust(1)
    return builder.as_markup() if list(builder.buttons) else None


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
    """Every catalog language, each named in itself (`language.name`)."""
    builder = InlineKeyboardBuilder()
    for code in LANGUAGES:
        name = Translator(code).plain("language.name")
        builder.button(text=name, callback_data=Language(code=code))
    return builder.as_markup()
