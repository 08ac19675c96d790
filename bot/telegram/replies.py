"""Sending and editing that never trips over Telegram's "message is not modified"."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

log = logging.getLogger(__name__)


def _same_markup(shown: InlineKeyboardMarkup | None, new: InlineKeyboardMarkup | None) -> bool:
    # Compare as data: objects parsed from an update carry context that `==` would compare.
    if shown is None or new is None:
        return shown is new
    return shown.model_dump(exclude_none=True) == new.model_dump(exclude_none=True)


async def show(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the message a button belongs to, unless it already shows exactly this."""
    message = query.message
    if not isinstance(message, Message):  # too old to edit: send a new one instead
        if message is not None and query.bot is not None:
            await query.bot.send_message(message.chat.id, text, reply_markup=markup)
        return
    # Telegram trims surrounding white space; aiogram renders the shown text back as HTML.
    if message.html_text == text.strip() and _same_markup(message.reply_markup, markup):
        return
    try:
        await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as exc:
        if "message is not modified" not in exc.message:
            raise
        log.debug("Edit skipped: message %s already up to date", message.message_id)
