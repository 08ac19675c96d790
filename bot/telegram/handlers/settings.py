"""/settings: each notification kind with an inline on/off toggle, per chat.

The toggles are read by the sender when it sends, so turning a kind off also silences what
is already queued. In groups only administrators may change them (CHAT_ADMIN).
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.types import Chat as TgChat
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.domain import NotificationKind
from bot.i18n import Html, Translator
from bot.storage.chats import Chat, ChatRepo
from bot.telegram.callbacks import NotifyToggle
from bot.telegram.middlewares.chat_admin import CHAT_ADMIN
from bot.telegram.replies import show

router = Router(name=__name__)


def settings_keyboard(t: Translator, chat: Chat | None) -> InlineKeyboardMarkup:
    """One button per kind showing its state; pressing it asks for the opposite."""
    wanted = chat.notifications if chat else frozenset(NotificationKind)
    builder = InlineKeyboardBuilder()
    for kind in NotificationKind:
        on = kind in wanted
        text = t("settings.on" if on else "settings.off", name=_name(t, kind))
        builder.button(text=text, callback_data=NotifyToggle(kind=kind, on=not on))
    builder.adjust(1)
    return builder.as_markup()


def _name(t: Translator, kind: NotificationKind) -> Html:
    return t(f"settings.kind.{kind.value}")


@router.message(Command("settings"), flags=CHAT_ADMIN)
async def settings_handler(message: Message, t: Translator, chat_row: Chat | None) -> None:
    await message.answer(t("settings.text"), reply_markup=settings_keyboard(t, chat_row))


@router.callback_query(NotifyToggle.filter(), flags=CHAT_ADMIN)
async def toggle_handler(
    query: CallbackQuery,
    callback_data: NotifyToggle,
    event_chat: TgChat | None,
    t: Translator,
    chats: ChatRepo,
    callback_answer: CallbackAnswer,
) -> None:
    if event_chat is None:  # too old: Telegram no longer says which chat it was
        callback_answer.text, callback_answer.show_alert = t("fallback.stale_button"), True
        return
    await chats.set_notification(event_chat.id, callback_data.kind, callback_data.on)
    await show(query, t("settings.text"), settings_keyboard(t, await chats.get(event_chat.id)))
    saved = "settings.saved_on" if callback_data.on else "settings.saved_off"
    callback_answer.text = t(saved, name=_name(t, callback_data.kind))
