"""The command menu (setMyCommands) in every catalog language. Cosmetic: failures are logged."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator

log = logging.getLogger(__name__)

# The commands in menu order; each one's description is the catalog message `menu.<command>`.
MENU: tuple[str, ...] = (
    "balance",
    "payout",
    "payouts",
    "exchanges",
    "clicks",
    "sources",
    "stats",
    "export",
    "link",
    "unlink",
    "settings",
    "language",
    "help",
)


def menu(t: Translator) -> list[BotCommand]:
    return [BotCommand(command=c, description=t.plain(f"menu.{c}")) for c in MENU]


async def set_commands(bot: Bot) -> None:
    """English for everyone; each other language for users whose Telegram uses it."""
    try:
        await bot.set_my_commands(menu(Translator(DEFAULT_LANGUAGE)))
        for language in LANGUAGES:
            if language != DEFAULT_LANGUAGE:
                await bot.set_my_commands(menu(Translator(language)), language_code=language)
    except TelegramAPIError as exc:
        log.warning("Could not set the command menu: %s", exc.message)
