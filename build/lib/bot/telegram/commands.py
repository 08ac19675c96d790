"""The command menu (setMyCommands), in English and Russian. Cosmetic: failures are logged."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand

log = logging.getLogger(__name__)

# (command, English description, Russian description)
MENU: tuple[tuple[str, str, str], ...] = (
    ("balance", "Balance and payout methods", "Баланс и способы выплаты"),
    ("payout", "Request a payout", "Заказать выплату"),
    ("payouts", "Payout requests", "Заявки на выплату"),
    ("exchanges", "Referred exchanges", "Обмены рефералов"),
    ("clicks", "Clicks on your links", "Переходы по ссылкам"),
    ("link", "Link an affiliate account", "Привязать аккаунт"),
    ("unlink", "Unlink an account", "Отвязать аккаунт"),
    ("settings", "Notifications on/off", "Уведомления вкл/выкл"),
    ("language", "Language / Язык", "Язык / Language"),
    ("help", "What I can do", "Что я умею"),
)


async def set_commands(bot: Bot) -> None:
    try:
        await bot.set_my_commands([BotCommand(command=c, description=en) for c, en, _ in MENU])
        await bot.set_my_commands(
            [BotCommand(command=c, description=ru) for c, _, ru in MENU], language_code="ru"
        )
    except TelegramAPIError as exc:
        log.warning("Could not set the command menu: %s", exc.message)
