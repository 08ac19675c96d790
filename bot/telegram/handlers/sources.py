"""/sources [today|7d|30d]: earnings per traffic source over every linked account, paged."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from bot.services.accounts import AccountService
from bot.services.analytics import AnalyticsService
from bot.services.insights import DEFAULT_SOURCE_PARAMS
from bot.services.reports import Period
from bot.storage.insight_settings import InsightSettingsRepo
from bot.telegram import insight_views
from bot.telegram.callbacks import SourcesPage
from bot.telegram.middlewares.throttling import EXCHANGER
from bot.telegram.replies import show

router = Router(name=__name__)


async def _render(
    chat_id: int,
    period: Period,
    page: int,
    t: Translator,
    accounts: AccountService,
    analytics: AnalyticsService,
    insight_settings: InsightSettingsRepo,
) -> insight_views.Rendered | None:
    linked = await accounts.accounts(chat_id)
    if not linked:
        return None
    params = (await insight_settings.get(chat_id)).source_params or DEFAULT_SOURCE_PARAMS
    report = await analytics.sources(linked, period.window(analytics.now()), params)
    return insight_views.sources(t, period, report, page)


@router.message(Command("sources"), flags=EXCHANGER)
async def sources_handler(
    message: Message,
    command: CommandObject,
    t: Translator,
    accounts: AccountService,
    analytics: AnalyticsService,
    insight_settings: InsightSettingsRepo,
) -> None:
    period = Period.parse(command.args, Period.WEEK)
    if period is None:
        await message.answer(t("sources.bad_period"))
        return
    args = (t, accounts, analytics, insight_settings)
    rendered = await _render(message.chat.id, period, 0, *args)
    if rendered is None:
        await message.answer(t("accounts.none"))
        return
    await message.answer(rendered[0], reply_markup=rendered[1])


@router.callback_query(SourcesPage.filter(), flags=EXCHANGER)
async def sources_page_handler(
    query: CallbackQuery,
    callback_data: SourcesPage,
    t: Translator,
    accounts: AccountService,
    analytics: AnalyticsService,
    insight_settings: InsightSettingsRepo,
) -> None:
    chat_id = query.message.chat.id if query.message else query.from_user.id
    args = (t, accounts, analytics, insight_settings)
    rendered = await _render(chat_id, callback_data.period, callback_data.page, *args)
    if rendered is None:
        await query.answer(t("accounts.gone"), show_alert=True)
        return
    await show(query, *rendered)
    await query.answer()
