"""In groups, only chat administrators may run handlers flagged `flags=CHAT_ADMIN`.

Linking, unlinking, settings and payouts change what a whole group sees (and can spend), so
in groups and supergroups they are kept for the chat's creator and administrators, checked
with getChatMember. Anyone else gets a short answer (an alert for a button) and the handler
does not run. Private chats are not affected: there the user owns the chat.

Answers are cached per (chat, user) for a short time, so a busy group does not cost one
getChatMember per command; the cache is bounded. A failed check (Telegram unreachable) refuses
with "try again" and is not cached. An anonymous administrator (a message sent on behalf of
the group itself) is an administrator by definition.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.flags import get_flag
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject, User

from bot.i18n import Translator
from bot.telegram.replies import visible_text

FLAG = "chat_admin"
CHAT_ADMIN: dict[str, bool] = {FLAG: True}  # `flags=CHAT_ADMIN` on a handler
GROUP_TYPES = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
ADMIN_STATUSES = frozenset({ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR})
CACHE_SECONDS = 30.0
MAX_CACHED = 10_000

log = logging.getLogger(__name__)


class ChatAdminMiddleware(BaseMiddleware):
    def __init__(
        self,
        ttl: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        max_cached: int = MAX_CACHED,
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._max_cached = max_cached
        self._cache: OrderedDict[tuple[int, int], tuple[bool, float]] = OrderedDict()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat: Chat | None = data.get("event_chat")
        if not get_flag(data, FLAG) or chat is None or chat.type not in GROUP_TYPES:
            return await handler(event, data)
        if _sent_as_the_group(event, chat):
            return await handler(event, data)
        user: User | None = data.get("event_from_user")
        allowed = await self.is_admin(data["bot"], chat.id, user.id) if user else False
        if allowed:
            return await handler(event, data)
        t: Translator = data["t"]
        await _refuse(event, t("chat_admin.check_failed" if allowed is None else "chat_admin.only"))
        return None

    async def is_admin(self, bot: Bot, chat_id: int, user_id: int) -> bool | None:
        """Whether the user administers the chat; None when Telegram could not tell."""
        key = (chat_id, user_id)
        now = self._clock()
        cached = self._cache.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            member = await bot.get_chat_member(chat_id, user_id)
            admin = member.status in ADMIN_STATUSES
        except TelegramBadRequest:  # "user not found", "participant id invalid"…
            admin = False
        except TelegramAPIError as exc:
            log.warning("Could not check the admin rights in chat %s: %s", chat_id, exc.message)
            return None
        self._remember(key, admin, now)
        return admin

    def _remember(self, key: tuple[int, int], admin: bool, now: float) -> None:
        self._cache[key] = (admin, now + self._ttl)
        self._cache.move_to_end(key)
        while len(self._cache) > self._max_cached:
            self._cache.popitem(last=False)

    @property
    def cached(self) -> int:
        return len(self._cache)


def _sent_as_the_group(event: TelegramObject, chat: Chat) -> bool:
    """Anonymous administrators post as the group itself (sender_chat is the chat)."""
    return (
        isinstance(event, Message)
        and event.sender_chat is not None
        and (event.sender_chat.id == chat.id)
    )


async def _refuse(event: TelegramObject, text: str) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer(visible_text(text)[:200], show_alert=True)
    elif isinstance(event, Message):
        await event.answer(text)
