"""Anything no other handler took: a short hint in private chats, silence in groups."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.i18n import Translator

router = Router(name=__name__)


@router.message(F.chat.type == "private")
async def unknown_message_handler(message: Message, t: Translator) -> None:
    await message.answer(t("fallback.hint"))


@router.callback_query()
async def stale_button_handler(
    query: CallbackQuery, t: Translator, callback_answer: CallbackAnswer
) -> None:
    callback_answer.text, callback_answer.show_alert = t("fallback.stale_button"), True
