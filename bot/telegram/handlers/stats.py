"""/stats [7d|30d|90d]: a chart of daily clicks, completed exchanges and rewards over every
linked account, sent as a photo with the totals and their change in the caption."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot.i18n import Translator
from bot.services.accounts import AccountService
from bot.services.analytics import AnalyticsService
from bot.services.charts import StatsPeriod
from bot.storage.insight_settings import InsightSettingsRepo
from bot.telegram import insight_views
from bot.telegram.middlewares.throttling import EXCHANGER

router = Router(name=__name__)


@router.message(Command("stats"), flags=EXCHANGER)
async def stats_handler(
    message: Message,
    command: CommandObject,
    t: Translator,
    accounts: AccountService,
    analytics: AnalyticsService,
    insight_settings: InsightSettingsRepo,
) -> None:
    period = StatsPeriod.parse(command.args)
    if period is None:
        await message.answer(t("stats.bad_period"))
        return
    linked = await accounts.accounts(message.chat.id)
    if not linked:
        await message.answer(t("accounts.none"))
        return
    timezone = (await insight_settings.get(message.chat.id)).timezone
    report = await analytics.stats(linked, period, timezone)
    png, caption = await insight_views.stats_chart(t, report, timezone)
    await message.answer_photo(BufferedInputFile(png, "stats.png"), caption=caption)
