"""A message that carries a secret (an api key) is deleted before anything else looks at it.

Handlers flagged `flags=SECRET_INPUT` get their message deleted first, before the chat-admin
check and the throttle (either may refuse the command), so a key never stays in a chat, not
even when the command is refused. The handler receives `secret: SecretMessage` and puts
`secret.note(t)` in its answer; when it does not get that far (refused, or failed), the
middleware sends the note itself. If the bot could not delete the message (in a group it needs
the "Delete messages" right), the note says so and advises changing the key. It is registered
for edited messages too: a key can arrive by editing a message.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.flags import get_flag
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Message, TelegramObject

from bot.i18n import Html, Translator

FLAG = "secret_input"
SECRET_INPUT: dict[str, bool] = {FLAG: True}  # `flags=SECRET_INPUT` on a message handler

log = logging.getLogger(__name__)


@dataclass(slots=True)
class SecretMessage:
    deleted: bool
    in_group: bool
    reported: bool = False

    def note(self, t: Translator) -> Html:
        """What the user must know about their message with the key (shown once)."""
        self.reported = True
        if self.deleted:
            return t("link.key_deleted")
        return t("link.key_not_deleted_group" if self.in_group else "link.key_not_deleted")


class SecretInputMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Message) or not get_flag(data, FLAG):
            return await handler(event, data)
        deleted = await _delete(event, data["bot"])
        secret = data["secret"] = SecretMessage(deleted, event.chat.type != ChatType.PRIVATE)
        try:
            return await handler(event, data)
        finally:
            if not secret.reported:
                await _tell(event, secret.note(data["t"]))


async def _delete(message: Message, bot: Bot) -> bool:
    try:
        return await bot.delete_message(message.chat.id, message.message_id)
    except TelegramAPIError as exc:
        log.warning("Could not delete a message holding a secret: %s", exc.message)
        return False


async def _tell(message: Message, text: str) -> None:
    try:
        await message.answer(text)
    except TelegramAPIError as exc:  # never hide the error that brought us here
        log.warning("Could not send the note about a deleted secret: %s", exc.message)
