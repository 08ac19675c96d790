"""/export [today|7d|30d]: the period's exchanges, payouts and clicks of every linked account
as CSV documents (dates in the chat's time zone), after a line that says what is coming."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot.i18n import Translator
from bot.services import export
from bot.services.accounts import AccountService
from bot.services.analytics import AnalyticsService
from bot.services.charts import zone
from bot.services.reports import Period
from bot.storage.insight_settings import InsightSettingsRepo
from bot.telegram import insight_views
from bot.telegram.middlewares.throttling import EXCHANGER

router = Router(name=__name__)


@router.message(Command("export"), flags=EXCHANGER)
async def export_handler(
    message: Message,
    command: CommandObject,
    t: Translator,
    accounts: AccountService,
    analytics: AnalyticsService,
    insight_settings: InsightSettingsRepo,
) -> None:
    period = Period.parse(command.args, Period.MONTH)
    if period is None:
        await message.answer(t("export.bad_period"))
        return
    linked = await accounts.accounts(message.chat.id)
    if not linked:
        await message.answer(t("accounts.none"))
        return
    timezone = (await insight_settings.get(message.chat.id)).timezone
    data = await analytics.period(linked, period.window(analytics.now()), payouts=True)
    files = export.files(data, zone(timezone), period.value)
    await message.answer(insight_views.export_summary(t, period, files, data.failed, timezone))
    for file in files:
        await message.answer_document(BufferedInputFile(file.content, file.name))
