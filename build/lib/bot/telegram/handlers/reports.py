"""/balance, /payouts, /exchanges [period], /clicks and their account picker and pages."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from bot.services.accounts import AccountService
from bot.services.reports import Period, ReportService
from bot.storage.accounts import Account
from bot.telegram import keyboards, views
from bot.telegram.callbacks import AccountPick, Page, View
from bot.telegram.middlewares.throttling import EXCHANGER
from bot.telegram.replies import show

router = Router(name=__name__)


async def render(
    t: Translator, reports: ReportService, account: Account, view: View, page: int, period: str
) -> views.Rendered:
    """One place that maps a view to its service call and presenter."""
    if view is View.BALANCE:
        return views.balance(t, account, await reports.balance(account.id)), None
    if view is View.PAYOUTS:
        return views.payouts(t, account, await reports.payouts(account.id), page)
    if view is View.CLICKS:
        return views.clicks(t, account, await reports.clicks(account.id)), None
    chosen = Period.parse(period) or Period.ALL
    items = await reports.exchanges(account.id, chosen)
    return views.exchanges(t, account, items, page, chosen.value)


async def _command(
    message: Message,
    view: View,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
    period: str = "all",
) -> None:
    linked = await accounts.accounts(message.chat.id)
    if not linked:
        await message.answer(t("accounts.none"))
    elif len(linked) > 1:
        markup = keyboards.pick_account(linked, view, period)
        await message.answer(t("accounts.pick"), reply_markup=markup)
    else:
        text, markup = await render(t, reports, linked[0], view, 0, period)
        await message.answer(text, reply_markup=markup)


@router.message(Command("balance"), flags=EXCHANGER)
async def balance_handler(
    message: Message, t: Translator, accounts: AccountService, reports: ReportService
) -> None:
    await _command(message, View.BALANCE, t, accounts, reports)


@router.message(Command("payouts"), flags=EXCHANGER)
async def payouts_handler(
    message: Message, t: Translator, accounts: AccountService, reports: ReportService
) -> None:
    await _command(message, View.PAYOUTS, t, accounts, reports)


@router.message(Command("clicks"), flags=EXCHANGER)
async def clicks_handler(
    message: Message, t: Translator, accounts: AccountService, reports: ReportService
) -> None:
    await _command(message, View.CLICKS, t, accounts, reports)


@router.message(Command("exchanges"), flags=EXCHANGER)
async def exchanges_handler(
    message: Message,
    command: CommandObject,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
) -> None:
    period = Period.parse(command.args)
    if period is None:
        await message.answer(t("exchanges.bad_period"))
        return
    await _command(message, View.EXCHANGES, t, accounts, reports, period.value)


@router.callback_query(AccountPick.filter(), flags=EXCHANGER)
async def account_picked_handler(
    query: CallbackQuery,
    callback_data: AccountPick,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
) -> None:
    await _show_page(
        query,
        callback_data.view,
        callback_data.account_id,
        0,
        callback_data.period,
        t,
        accounts,
        reports,
    )


@router.callback_query(Page.filter(), flags=EXCHANGER)
async def page_handler(
    query: CallbackQuery,
    callback_data: Page,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
) -> None:
    await _show_page(
        query,
        callback_data.view,
        callback_data.account_id,
        callback_data.page,
        callback_data.period,
        t,
        accounts,
        reports,
    )


async def _show_page(
    query: CallbackQuery,
    view: View,
    account_id: int,
    page: int,
    period: str,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
) -> None:
    chat_id = query.message.chat.id if query.message else query.from_user.id
    account = await accounts.account(chat_id, account_id)
    if account is None:  # unlinked meanwhile, or forged data for another chat's account
        await query.answer(t("accounts.gone"), show_alert=True)
        return
    text, markup = await render(t, reports, account, view, page, period)
    await show(query, text, markup)
    await query.answer()
