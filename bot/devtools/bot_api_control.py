"""The test-side API of the fake Bot API: people and chats, acting as a user, observing the bot.

Mixed into FakeBotApi; see its docstring for an example.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import Callable
from typing import Any

from bot.devtools.bot_api_entities import utf16_len
from bot.devtools.bot_api_models import (
    CHANNEL,
    GROUP,
    PRIVATE,
    SUPERGROUP,
    CallbackQuery,
    ErrorRecord,
    FakeChat,
    FakeMessage,
    FakeUser,
    Violation,
)
from bot.devtools.bot_api_state import BotApiState
from bot.devtools.bot_api_text import strip_html

MAX_CALLBACKS = 10_000
MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?(?=\s|$)")
_query_ids = itertools.count(4_300_000_000_000_000_001)

Predicate = Callable[[FakeMessage], Any]


class BotApiControl:
    """Control methods; the class using it provides ``state``, ``violations`` and ``errors``."""

    state: BotApiState
    violations: list[Violation]
    errors: list[ErrorRecord]

    # -- people and chats ---------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Ann",
        language_code: str | None = "en",
        *,
        last_name: str | None = None,
        username: str | None = None,
    ) -> FakeUser:
        """Registers a Telegram user (the same object again, updated, for a known id)."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        user = self.state.users.get(user_id)
        if user is None:
            user = self.state.users[user_id] = FakeUser(user_id)
        user.first_name, user.last_name = first_name, last_name
        user.username, user.language_code = username, language_code
        return user

    def private_chat(self, user: FakeUser, *, started: bool = True) -> FakeChat:
        """The user's private chat with the bot; ``started=False``: the user never wrote to it,
        so the bot gets 403 "bot can't initiate conversation with a user"."""
        self.state.users.setdefault(user.id, user)
        existing = self.state.chats.get(user.id)
        if existing is not None:
            return existing
        return self.state.add_chat(FakeChat(user.id, PRIVATE, user=user, started=started))

    def group_chat(
        self, chat_id: int, title: str, *, type: str = SUPERGROUP, username: str | None = None
    ) -> FakeChat:
        """A group, supergroup or channel (negative id). The bot is a member unless
        set_member_status(chat_id, fake.bot.id, ...) says otherwise."""
        if chat_id >= 0:
            raise ValueError("group and channel ids are negative")
        chat = FakeChat(chat_id, type, title=title, username=username)
        if type == CHANNEL:
            self.state.members[(chat_id, self.state.bot.id)] = "administrator"
        return self.state.add_chat(chat)

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """What getChatMember answers: creator, administrator, member, restricted, left, kicked."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"status must be one of {MEMBER_STATUSES}")
        self.state.members[(chat_id, user_id)] = status

    def block(self, user: FakeUser, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: sending to them answers 403."""
        self.private_chat(user).blocked = blocked

    @property
    def bot(self) -> FakeUser:
        return self.state.bot

    # -- acting as a user ---------------------------------------------------------------------

    async def send_text(self, chat: FakeChat, user: FakeUser, text: str) -> FakeMessage:
        """The user writes ``text``; a leading /command gets its bot_command entity."""
        self.state.users.setdefault(user.id, user)
        self.state.chats.setdefault(chat.id, chat)
        if chat.type == PRIVATE:
            chat.started, chat.blocked = True, False
        entities = []
        command = _COMMAND_RE.match(text)
        if command:
            entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command[0])})
        message = FakeMessage(
            chat=chat,
            message_id=self.state.new_message_id(chat),
            sender=user,
            text=text,
            entities=entities,
        )
        self.state.add_message(message)
        self.state.enqueue("message", message.to_api())
        return message

    async def edit_text(self, message: FakeMessage, text: str) -> FakeMessage:
        """The user edits their (not deleted) message: the bot gets an ``edited_message``."""
        if message.from_bot or message.deleted:
            raise AssertionError(f"message {message.message_id} cannot be edited by its user")
        message.history.append(message.text)
        message.text = text
        command = _COMMAND_RE.match(text)
        message.entities = (
            [{"type": "bot_command", "offset": 0, "length": utf16_len(command[0])}]
            if command
            else []
        )
        message.edit_date = int(time.time())
        self.state.touch(message)
        self.state.enqueue("edited_message", message.to_api())
        return message

    def migrate_to_supergroup(self, group: FakeChat, new_id: int, by: FakeUser) -> FakeChat:
        """A group becomes a supergroup with a new id, as Telegram does it: a service message
        with ``migrate_to_chat_id`` in the group and one with ``migrate_from_chat_id`` in the
        supergroup; members keep their status; from then on, sending to or editing in the old id
        answers 400 "group chat was upgraded to a supergroup chat" with migrate_to_chat_id."""
        if group.type != GROUP:
            raise ValueError("only a basic group can be migrated")
        if new_id >= 0 or new_id in self.state.chats:
            raise ValueError("the supergroup needs a new negative id")
        new = self.state.add_chat(FakeChat(new_id, SUPERGROUP, title=group.title))
        for (chat_id, user_id), status in list(self.state.members.items()):
            if chat_id == group.id:
                self.state.members[(new_id, user_id)] = status
        self.state.migrated[group.id] = new_id
        now = int(time.time())
        for chat, field, value in (
            (group, "migrate_to_chat_id", new_id),
            (new, "migrate_from_chat_id", group.id),
        ):
            self.state.enqueue(
                "message",
                {
                    "message_id": self.state.new_message_id(chat),
                    "from": by.to_api(),
                    "chat": chat.to_api(),
                    "date": now,
                    field: value,
                },
            )
        return new

    def flood_chat(self, chat_id: int, retry_after: int = 1, count: int = 1) -> None:
        """The next ``count`` sends or edits in this chat answer 429 "Too Many Requests: retry
        after N" (Telegram's per-chat flood control), whatever the configured rate limits."""
        self.state.floods[chat_id].extend([retry_after] * count)

    async def press(
        self, chat: FakeChat, user: FakeUser, message_id: int, callback_data: str
    ) -> str:
        """The user presses the button with ``callback_data`` under a bot message; returns the
        callback query id. The button must exist on the message as it is now."""
        message = self.state.message(chat, message_id)
        if message is None or not message.from_bot:
            raise AssertionError(
                f"no bot message {message_id} in chat {chat.id} to press a button on\n"
                + self.transcript(chat.id)
            )
        if callback_data not in [b.get("callback_data") for b in message.buttons]:
            raise AssertionError(
                f"message {message_id} has no button with callback_data {callback_data!r}\n"
                + message.describe()
            )
        query = CallbackQuery(str(next(_query_ids)), user, message, callback_data)
        self._remember(query)
        self.state.enqueue(
            "callback_query",
            {
                "id": query.id,
                "from": user.to_api(),
                "message": message.to_api(),
                "chat_instance": str(abs(chat.id) * 7919 + 13),
                "data": callback_data,
            },
        )
        return query.id

    async def press_button(
        self, chat: FakeChat, user: FakeUser, text: str, *, message_id: int | None = None
    ) -> str:
        """Presses the button labelled ``text`` on ``message_id`` (default: the latest bot
        message in the chat that has such a button)."""
        if message_id is None:
            with_button = [m for m in self.bot_messages(chat.id) if not m.deleted and m.buttons]
            with_button = [m for m in with_button if any(text in t for t in m.button_texts())]
            if not with_button:
                raise AssertionError(
                    f"no button {text!r} in chat {chat.id}\n" + self.transcript(chat.id)
                )
            message_id = with_button[-1].message_id
        message = self.state.message(chat, message_id)
        if message is None:
            raise AssertionError(f"no message {message_id} in chat {chat.id}")
        return await self.press(chat, user, message_id, message.callback_data(text))

    def _remember(self, query: CallbackQuery) -> None:
        callbacks = self.state.callbacks
        callbacks[query.id] = query
        while len(callbacks) > MAX_CALLBACKS:
            del callbacks[next(iter(callbacks))]

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """What the bot answered to the query (text, show_alert, url, cache_time), or None."""
        query = self.state.callbacks.get(query_id)
        return query.answer if query else None

    def unanswered_callbacks(self) -> list[CallbackQuery]:
        """Button presses the bot never answered (Telegram shows a spinner for those)."""
        return [q for q in self.state.callbacks.values() if not q.answered]

    # -- observing the bot --------------------------------------------------------------------

    def bot_messages(self, chat_id: int) -> list[FakeMessage]:
        """Messages the bot sent in the chat, oldest first, in their current state."""
        return self.state.bot_messages(chat_id)

    def last_bot_message(self, chat_id: int) -> FakeMessage | None:
        alive = [m for m in self.bot_messages(chat_id) if not m.deleted]
        return alive[-1] if alive else None

    def messages(self, chat_id: int) -> list[FakeMessage]:
        """All messages of the chat, the users' and the bot's."""
        return list(self.state.messages.get(chat_id, {}).values())

    def deleted_messages(self, chat_id: int) -> list[FakeMessage]:
        return [m for m in self.messages(chat_id) if m.deleted]

    def commands(
        self, scope_type: str = "default", language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The command list set with setMyCommands for a chat-independent scope."""
        return self.state.commands.get((scope_type, language_code), [])

    @property
    def revision(self) -> int:
        """A mark for wait_for(since=...): only changes after it count."""
        return self.state.revision

    async def wait_for(
        self,
        predicate: Predicate,
        *,
        chat_id: int | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - the documented API
        since: int | None = None,
    ) -> FakeMessage:
        """The newest (non-deleted) bot message satisfying ``predicate``, waiting for sends and
        edits; with ``since`` only messages sent or edited after that revision count."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = self._find(predicate, chat_id, since)
            if found is not None:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"no bot message matched {getattr(predicate, '__name__', predicate)} "
                    f"within {timeout}s\n{self.transcript(chat_id)}"
                )
            await self.state.messages_changed.wait(remaining)

    async def wait_for_text(
        self,
        chat_id: int,
        fragment: str,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
        since: int | None = None,
    ) -> FakeMessage:
        """The newest bot message in the chat whose visible text contains ``fragment``."""

        def has_fragment(message: FakeMessage) -> bool:
            return fragment in message.text

        has_fragment.__name__ = f"text containing {fragment!r}"
        return await self.wait_for(has_fragment, chat_id=chat_id, timeout=timeout, since=since)

    async def wait_for_answer(
        self,
        query_id: str,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Waits until the bot answers the callback query; returns the answer."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (answer := self.callback_answer(query_id)) is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"callback query {query_id} was not answered in {timeout}s")
            await self.state.messages_changed.wait(remaining)
        return answer

    def _find(
        self, predicate: Predicate, chat_id: int | None, since: int | None
    ) -> FakeMessage | None:
        candidates = [
            m
            for m in self.state.bot_messages(chat_id)
            if not m.deleted and (since is None or m.revision > since)
        ]
        for message in sorted(candidates, key=lambda m: m.revision, reverse=True):
            if predicate(message):
                return message
        return None

    def transcript(self, chat_id: int | None = None) -> str:
        """A readable dump of the chat(s) and of the requests the fake refused."""
        chats = [chat_id] if chat_id is not None else list(self.state.messages)
        lines = []
        for cid in chats:
            lines.append(f"chat {cid}:")
            lines.extend(m.describe() for m in self.messages(cid))
        if self.violations:
            lines.append("refused requests (violations):")
            lines.extend(f"  {v}" for v in self.violations[-20:])
        return "\n".join(lines)

    @staticmethod
    def plain_text(message: FakeMessage | str) -> str:
        """The text as the user sees it: of a message, or of an HTML string."""
        return message.text if isinstance(message, FakeMessage) else strip_html(message)
