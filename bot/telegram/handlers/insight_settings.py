"""/settings sources|timezone|quiet|digest|anomaly …: the settings typed as text
(the bare /settings, with its notification toggles, is in settings.py and lists these too).
In groups only administrators may change them (CHAT_ADMIN)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.i18n import Translator
from bot.services.insights import DEFAULT_SOURCE_PARAMS, parse_source_params
from bot.services.quiet_hours import QuietHours
from bot.storage.anomalies import AnomalyRepo
from bot.storage.digests import DigestRepo
from bot.storage.insight_settings import InsightSettingsRepo
from bot.telegram.middlewares.chat_admin import CHAT_ADMIN

router = Router(name=__name__)
DEFAULT_WORDS = frozenset({"default", "reset", "по-умолчанию", "сброс"})
OFF_WORDS = frozenset({"off", "none", "выкл", "нет"})
ON_WORDS = frozenset({"on", "вкл", "да"})


def valid_timezone(name: str) -> str | None:
    """The IANA name as given when it exists ("UTC" included), else None."""
    if not name or len(name) > 64 or ".." in name or name.startswith("/"):
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


@router.message(Command("settings", magic=F.args), flags=CHAT_ADMIN)
async def insight_settings_handler(
    message: Message,
    command: CommandObject,
    t: Translator,
    insight_settings: InsightSettingsRepo,
    digests: DigestRepo,
    anomalies: AnomalyRepo,
) -> None:
    what, _, value = (command.args or "").strip().partition(" ")
    value = value.strip()
    chat_id = message.chat.id
    if what.lower() == "sources":
        params = None if value.lower() in DEFAULT_WORDS else parse_source_params(value)
        if params is None and value.lower() not in DEFAULT_WORDS:
            await message.answer(t("insettings.sources_bad"))
            return
        await insight_settings.set_source_params(chat_id, params)
        shown = ", ".join(params or DEFAULT_SOURCE_PARAMS)
        await message.answer(t("insettings.sources_saved", params=shown))
    elif what.lower() == "timezone":
        zone = valid_timezone(value)
        if zone is None:
            await message.answer(t("insettings.timezone_bad"))
            return
        await insight_settings.set_timezone(chat_id, None if zone == "UTC" else zone)
        await message.answer(t("insettings.timezone_saved", timezone=zone))
    elif what.lower() == "quiet":
        await _quiet(message, value, t, insight_settings)
    elif what.lower() == "digest":
        await _digest(message, value, t, digests)
    elif what.lower() == "anomaly" and value.lower() in ON_WORDS | OFF_WORDS:
        on = value.lower() in ON_WORDS
        await anomalies.set_enabled(message.chat.id, on)
        await message.answer(t("insettings.anomaly_on" if on else "insettings.anomaly_off"))
    else:
        await message.answer(t("insettings.unknown"))


async def _quiet(
    message: Message, value: str, t: Translator, insight_settings: InsightSettingsRepo
) -> None:
    chat_id = message.chat.id
    if value.lower() in OFF_WORDS:
        await insight_settings.set_quiet_hours(chat_id, None)
        await message.answer(t("insettings.quiet_off"))
        return
    timezone = (await insight_settings.get(chat_id)).timezone
    hours = QuietHours.parse(value, timezone)
    if hours is None:
        await message.answer(t("insettings.quiet_bad"))
        return
    await insight_settings.set_quiet_hours(chat_id, (hours.start, hours.end))
    await message.answer(
        t("insettings.quiet_saved", start=hours.start, end=hours.end, timezone=timezone or "UTC")
    )


async def _digest(message: Message, value: str, t: Translator, digests: DigestRepo) -> None:
    """`daily 9`, `weekly 9` (Mondays) or `off`; the hour is in the chat's time zone."""
    every, _, hour = value.lower().partition(" ")
    if every in OFF_WORDS:
        await digests.set_digest(message.chat.id, None, None)
        await message.answer(t("insettings.digest_off"))
        return
    hour = hour.strip()
    if every not in ("daily", "weekly") or not hour.isdigit() or not 0 <= int(hour) <= 23:
        await message.answer(t("insettings.digest_bad"))
        return
    await digests.set_digest(message.chat.id, every, int(hour))
    await message.answer(t(f"insettings.digest_{every}", hour=int(hour)))
