"""/language: switch the chat between English and Russian."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Chat, Message

from bot.i18n import Translator
from bot.storage.chats import ChatRepo
from bot.telegram import keyboards
from bot.telegram.callbacks import Language
from bot.telegram.middlewares.chat_admin import CHAT_ADMIN
from bot.telegram.replies import show

router = Router(name=__name__)


@router.message(Command("language"), flags=CHAT_ADMIN)
async def language_handler(message: Message, t: Translator) -> None:
    await message.answer(t("language.choose"), reply_markup=keyboards.languages())


@router.callback_query(Language.filter(), flags=CHAT_ADMIN)
async def language_chosen_handler(
    query: CallbackQuery, callback_data: Language, event_chat: Chat | None, chats: ChatRepo
) -> None:
    t = Translator(callback_data.code)
    if event_chat is not None:
        await chats.set_language(event_chat.id, t.language)
    await show(query, t("language.set"))
