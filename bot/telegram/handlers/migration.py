"""A group became a supergroup: move its accounts, settings, language and pending
notifications to the new chat id at once, when Telegram's service message arrives.

Telegram sends two: `migrate_to_chat_id` in the old group and `migrate_from_chat_id` in the
new supergroup; either may come first, and the move is safe to run twice. Without this, the
supergroup would answer "no account" until a notification failed to send.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.types import Message

from bot.storage.chats import ChatRepo

router = Router(name=__name__)
log = logging.getLogger(__name__)


@router.message(F.migrate_to_chat_id)
async def migrated_to_handler(message: Message, chats: ChatRepo) -> None:
    await _move(chats, message.chat.id, message.migrate_to_chat_id or 0)


@router.message(F.migrate_from_chat_id)
async def migrated_from_handler(message: Message, chats: ChatRepo) -> None:
    await _move(chats, message.migrate_from_chat_id or 0, message.chat.id)


async def _move(chats: ChatRepo, old: int, new: int) -> None:
    if not old or not new:
        return
    moved = await chats.migrate(old, new)
    log.info("Chat %s became supergroup %s: %d account(s) moved", old, new, moved)
