"""/balance, /payouts, /exchanges [period], /clicks [period], their account picker and pages.

With several accounts /balance shows all of them at once; the list commands ask which account
(/payouts and /exchanges also offer "all") and remember the answer for a while (🔁 changes
it). Lists show a recent period by default and page through time with ⏪ ⏩ (see `Period` in
the reports service).
"""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Chat, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.i18n import Translator
from bot.services.accounts import AccountService
from bot.services.reports import Period, ReportService
from bot.storage.accounts import Account
from bot.telegram import keyboards, views
from bot.telegram.account_choice import recall, remember
from bot.telegram.callbacks import ALL_ACCOUNTS, AccountPick, Page, PickAgain, View
from bot.telegram.middlewares.throttling import EXCHANGER
from bot.telegram.replies import show

router = Router(name=__name__)
DEFAULT_PERIOD = {View.PAYOUTS: Period.MONTH, View.EXCHANGES: Period.WEEK, View.CLICKS: Period.WEEK}
WITH_ALL = frozenset({View.BALANCE, View.PAYOUTS, View.EXCHANGES})


async def render(
    t: Translator,
    reports: ReportService,
    chat_id: int,
    linked: list[Account],
    chosen: Account | None,
    data: Page,
) -> views.Rendered:
    """One place that maps a view to its service calls and presenter; `chosen` None: all."""
    if data.view is View.BALANCE:
        if chosen is None:
            return views.overview(t, await reports.overview(chat_id, linked), data.page)
        details = await reports.details(chat_id, chosen)
        info = details.info
        assert info is not None
        markup = keyboards.balance_details(chosen, info.can_request_payout, len(linked) > 1, t)
        return views.balance(t, chosen, info, details.expected), markup
    period = Period.parse(data.period, DEFAULT_PERIOD[data.view]) or DEFAULT_PERIOD[data.view]
    now = reports.now()
    listing = views.Listing(chosen, period, period.window(now, data.until), now)
    if data.view is View.CLICKS:
        assert chosen is not None  # no "all" for clicks
        return views.clicks(t, listing, await reports.clicks(chat_id, chosen.id, listing.window))
    owners = [chosen] if chosen else linked
    labels: list[Account | None] = [None] if chosen else list(linked)  # whose each item is
    if data.view is View.PAYOUTS:
        found = await asyncio.gather(
            *(reports.payouts(chat_id, a.id, listing.window) for a in owners)
        )
        return views.payouts(t, listing, list(zip(labels, found, strict=True)), data.page)
    lists = await asyncio.gather(
        *(reports.exchanges(chat_id, a.id, listing.window) for a in owners)
    )
    return views.exchanges(t, listing, list(zip(labels, lists, strict=True)), data.page)


async def _command(
    message: Message,
    view: View,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
    state: FSMContext,
    period: str = "",
) -> None:
    linked = await accounts.accounts(message.chat.id)
    if not linked:
        await message.answer(t("accounts.none"))
        return
    if len(linked) == 1:
        chosen: Account | bool | None = linked[0]
    elif view is View.BALANCE:
        chosen = None  # every account at a glance
    else:
        chosen = _remembered(linked, view, await recall(state))
    if chosen is False:
        picker = keyboards.pick_account(linked, view, t, period, with_all=view in WITH_ALL)
        await message.answer(t("accounts.pick"), reply_markup=picker)
        return
    who = chosen if isinstance(chosen, Account) else None
    data = Page(view=view, account_id=who.id if who else ALL_ACCOUNTS, page=0, period=period)
    text, markup = await _render(t, reports, message.chat.id, linked, who, data)
    await message.answer(text, reply_markup=markup)


def _remembered(linked: list[Account], view: View, choice: int | None) -> Account | bool | None:
    """The remembered account, None for "all", False when there is nothing to go by."""
    if choice == ALL_ACCOUNTS and view in WITH_ALL:
        return None
    return next((a for a in linked if a.id == choice), False)


async def _render(
    t: Translator,
    reports: ReportService,
    chat_id: int,
    linked: list[Account],
    chosen: Account | None,
    data: Page,
) -> views.Rendered:
    """`render`, plus 🔁 under a list when there are other accounts to choose."""
    text, markup = await render(t, reports, chat_id, linked, chosen, data)
    if data.view is not View.BALANCE and len(linked) > 1:
        return text, keyboards.with_pick_again(markup, data.view, data.period, t)
    return text, markup


@router.message(Command("balance"), flags=EXCHANGER)
async def balance_handler(
    message: Message,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
    state: FSMContext,
) -> None:
    await _command(message, View.BALANCE, t, accounts, reports, state)


@router.message(Command("payouts"), flags=EXCHANGER)
async def payouts_handler(
    message: Message,
    command: CommandObject,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
    state: FSMContext,
) -> None:
    await _period_command(message, command, View.PAYOUTS, t, accounts, reports, state)


@router.message(Command("clicks"), flags=EXCHANGER)
async def clicks_handler(
    message: Message,
    command: CommandObject,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
    state: FSMContext,
) -> None:
    await _period_command(message, command, View.CLICKS, t, accounts, reports, state)


@router.message(Command("exchanges"), flags=EXCHANGER)
async def exchanges_handler(
    message: Message,
    command: CommandObject,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
    state: FSMContext,
) -> None:
    await _period_command(message, command, View.EXCHANGES, t, accounts, reports, state)


async def _period_command(
    message: Message,
    command: CommandObject,
    view: View,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
    state: FSMContext,
) -> None:
    period = Period.parse(command.args, DEFAULT_PERIOD[view])
    if period is None:
        await message.answer(t("exchanges.bad_period"))
        return
    await _command(message, view, t, accounts, reports, state, period.value)


@router.callback_query(AccountPick.filter(), flags=EXCHANGER)
async def account_picked_handler(
    query: CallbackQuery,
    callback_data: AccountPick,
    event_chat: Chat,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
    state: FSMContext,
) -> None:
    data = Page(
        view=callback_data.view,
        account_id=callback_data.account_id,
        page=0,
        period=callback_data.period,
    )
    await _show_page(query, event_chat.id, data, t, accounts, reports)
    if data.view is not View.BALANCE:  # shown: never a forged or unlinked id
        await remember(state, data.account_id)


@router.callback_query(Page.filter(), flags=EXCHANGER)
async def page_handler(
    query: CallbackQuery,
    callback_data: Page,
    event_chat: Chat,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
) -> None:
    await _show_page(query, event_chat.id, callback_data, t, accounts, reports)


async def _show_page(
    query: CallbackQuery,
    chat_id: int,
    data: Page,
    t: Translator,
    accounts: AccountService,
    reports: ReportService,
) -> None:
    """Shows the page; AccountGone when the account is not (or no longer) this chat's."""
    linked = await accounts.accounts(chat_id)
    if data.account_id == ALL_ACCOUNTS and data.view in WITH_ALL and linked:
        chosen = None
    else:  # unlinked meanwhile, or forged data for another chat's account
        chosen = await accounts.account(chat_id, data.account_id)
    text, markup = await _render(t, reports, chat_id, linked, chosen, data)
    await show(query, text, markup)


@router.callback_query(PickAgain.filter())
async def pick_again_handler(
    query: CallbackQuery,
    callback_data: PickAgain,
    event_chat: Chat,
    t: Translator,
    accounts: AccountService,
    callback_answer: CallbackAnswer,
) -> None:
    linked = await accounts.accounts(event_chat.id)
    view = callback_data.view
    if len(linked) < 2:
        callback_answer.text, callback_answer.show_alert = t("accounts.gone"), True
        return
    markup = keyboards.pick_account(
        linked, view, t, callback_data.period, with_all=view in WITH_ALL
    )
    await show(query, t("accounts.pick"), markup)
