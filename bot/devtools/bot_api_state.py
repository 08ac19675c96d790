"""The world of the fake Bot API: chats, messages, pending updates and the long poll."""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from typing import Any

from bot.devtools.bot_api_models import (
    PRIVATE,
    CallbackQuery,
    FakeChat,
    FakeMessage,
    FakeUser,
    Notifier,
)
from bot.devtools.bot_api_validation import ApiError, bad_request

MAX_PENDING_UPDATES = 10_000
MAX_MESSAGES_PER_CHAT = 10_000
FIRST_UPDATE_ID = 700_000_001
DEFAULT_EXCLUDED_UPDATES = frozenset(("chat_member", "message_reaction", "message_reaction_count"))
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class BotApiState:
    """Everything the fake remembers. All methods run in the event loop of the server."""

    def __init__(self, bot: FakeUser) -> None:
        self.bot = bot
        self.users: dict[int, FakeUser] = {bot.id: bot}
        self.chats: dict[int, FakeChat] = {}
        self.messages: defaultdict[int, dict[int, FakeMessage]] = defaultdict(dict)
        self.members: dict[tuple[int, int], str] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.migrated: dict[int, int] = {}  # group id -> its supergroup's id
        self.floods: defaultdict[int, deque[int]] = defaultdict(deque)  # chat id -> retry_after
        self.updates: deque[dict[str, Any]] = deque(maxlen=MAX_PENDING_UPDATES)
        self.allowed_updates: frozenset[str] | None = None
        self.webhook_url = ""  # set: updates are POSTed there (bot_api_webhook.py)
        self.webhook_secret: str | None = None
        self.revision = 0
        self.closing = False
        self.updates_changed = Notifier()
        self.messages_changed = Notifier()
        self._next_update_id = FIRST_UPDATE_ID
        self._next_message_id: defaultdict[int, int] = defaultdict(lambda: 1)
        self._poll_generation = 0

    # -- chats and messages ------------------------------------------------------------------

    def add_chat(self, chat: FakeChat) -> FakeChat:
        self.chats[chat.id] = chat
        return chat

    def resolve_chat(self, chat_id: Any) -> FakeChat:
        """The chat of a ``chat_id`` parameter, or 'chat not found' like Telegram."""
        if chat_id is None:
            raise bad_request("chat_id is empty")
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            name = chat_id[1:].lower()
            for chat in self.chats.values():
                if chat.type != PRIVATE and (chat.username or "").lower() == name:
                    return chat
        elif isinstance(chat_id, int) and chat_id in self.chats:
            return self.chats[chat_id]
        raise bad_request("chat not found")

    def member_status(self, chat: FakeChat, user_id: int) -> str:
        if chat.type == PRIVATE:
            return "member" if user_id in (chat.id, self.bot.id) else "left"
        return self.members.get((chat.id, user_id), "member" if user_id == self.bot.id else "left")

    def message(self, chat: FakeChat, message_id: int | None) -> FakeMessage | None:
        """A message that exists (was not deleted) in ``chat``."""
        found = self.messages[chat.id].get(message_id or 0)
        return None if found is None or found.deleted else found

    def add_message(self, message: FakeMessage) -> FakeMessage:
        stored = self.messages[message.chat.id]
        stored[message.message_id] = message
        while len(stored) > MAX_MESSAGES_PER_CHAT:
            del stored[next(iter(stored))]
        self.touch(message)
        return message

    def new_message_id(self, chat: FakeChat) -> int:
        message_id = self._next_message_id[chat.id]
        self._next_message_id[chat.id] = message_id + 1
        return message_id

    def touch(self, message: FakeMessage) -> None:
        """Marks a change of ``message`` and wakes wait_for()."""
        self.revision += 1
        message.revision = self.revision
        self.messages_changed.notify()

    def bot_messages(self, chat_id: int | None = None) -> list[FakeMessage]:
        chats = [chat_id] if chat_id is not None else list(self.messages)
        return [m for c in chats for m in self.messages.get(c, {}).values() if m.from_bot]

    # -- updates and getUpdates ---------------------------------------------------------------

    def enqueue(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self.updates.append(update)
        self.updates_changed.notify()
        return update

    @property
    def last_update_id(self) -> int:
        """The id of the newest update enqueued so far."""
        return self._next_update_id - 1

    def drop_pending_updates(self) -> None:
        self.updates.clear()

    async def get_updates(
        self, offset: int | None, limit: int, poll_seconds: int, allowed: list[str] | None
    ) -> list[dict[str, Any]]:
        """Long polling as Telegram does it; an older pending call gets the 409 Conflict."""
        if self.webhook_url:
            raise ApiError(409, WEBHOOK_ACTIVE, violation=False)
        if allowed is not None:
            self.allowed_updates = frozenset(allowed) if allowed else None
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self.updates_changed.notify()  # an older long poll wakes up and answers 409
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(max(poll_seconds, 0), 50)
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, CONFLICT, violation=False)
            ready = self.deliverable(min(max(limit, 1), 100))
            remaining = deadline - loop.time()
            if ready or self.closing or remaining <= 0:
                return ready
            await self.updates_changed.wait(remaining)

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:
            keep = list(self.updates)[offset:]
            self.updates.clear()
            self.updates.extend(keep)
            return
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()

    def deliverable(self, limit: int) -> list[dict[str, Any]]:
        """Drops updates of types the bot did not ask for; returns the first ``limit`` others."""
        allowed = self.allowed_updates
        kept = [u for u in self.updates if self._is_allowed(_update_type(u), allowed)]
        if len(kept) != len(self.updates):
            self.updates.clear()
            self.updates.extend(kept)
        return kept[:limit]

    @staticmethod
    def _is_allowed(kind: str, allowed: frozenset[str] | None) -> bool:
        if allowed is None:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in allowed

    def stop_polling(self) -> None:
        """Ends every pending long poll at once (used when the server stops)."""
        self.closing = True
        self.updates_changed.notify()


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")
