"""Data kept by the fake Bot API: users, chats, messages, logs, and the small event helpers."""

from __future__ import annotations

import asyncio
import contextlib
import html
import math
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

PRIVATE, GROUP, SUPERGROUP, CHANNEL = "private", "group", "supergroup", "channel"


@dataclass
class FakeUser:
    """A Telegram user (or the bot itself)."""

    id: int
    first_name: str = "Ann"
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for name in ("last_name", "username", "language_code"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        return data


@dataclass
class FakeChat:
    """A chat the fake knows: a user's private chat with the bot, a group or a channel."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    user: FakeUser | None = None
    blocked: bool = False  # the user blocked the bot (private chats)
    started: bool = True  # the user ever wrote to the bot (private chats)

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.user is not None:
            data["first_name"] = self.user.first_name
            if self.user.last_name:
                data["last_name"] = self.user.last_name
            if self.user.username:
                data["username"] = self.user.username
        else:
            data["title"] = self.title or f"Chat {self.id}"
            if self.username:
                data["username"] = self.username
        return data

    def full_info(self) -> dict[str, Any]:
        """The ChatFullInfo object of getChat."""
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        info = {"accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}
        return {**self.to_api(), **info}

    @property
    def is_group(self) -> bool:
        return self.type in (GROUP, SUPERGROUP)


@dataclass
class FakeMessage:
    """A message in a chat, in its current state (after edits) — the bot's or a user's.

    ``text`` is what the user sees (tags stripped, entities decoded); ``source`` and
    ``parse_mode`` are what the bot sent; ``reply_markup`` is the inline keyboard shown under the
    message, ``keyboard`` a reply keyboard / remove / force-reply sent with it; ``params`` are the
    parameters of the last request that sent or edited it.
    """

    chat: FakeChat
    message_id: int
    sender: FakeUser
    text: str
    date: int = field(default_factory=lambda: int(time.time()))
    entities: list[dict[str, Any]] = field(default_factory=list)
    from_bot: bool = False
    source: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    keyboard: dict[str, Any] | None = None
    reply_to: FakeMessage | None = None
    params: dict[str, Any] = field(default_factory=dict)
    deleted: bool = False
    edit_date: int | None = None
    history: list[str] = field(default_factory=list)  # earlier texts, oldest first
    revision: int = 0  # FakeBotApi.revision when it was last sent, edited or deleted
    media: dict[str, Any] | None = None  # {"photo": [...]} or {"document": {...}}: text = caption
    upload: bytes | None = None  # the uploaded photo or document (not shown by the API)

    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def edits(self) -> int:
        return len(self.history)

    @property
    def html(self) -> str:
        """The HTML the bot sent (or the plain text, escaped, when it sent no parse_mode)."""
        if self.source is not None and (self.parse_mode or "").lower() == "html":
            return self.source
        return html.escape(self.text, quote=False)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """All inline buttons, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button_texts(self) -> list[str]:
        return [button["text"] for button in self.buttons]

    def button(self, text: str) -> dict[str, Any]:
        """The inline button whose text equals (or else contains) ``text``."""
        exact = [b for b in self.buttons if b["text"] == text]
        partial = [b for b in self.buttons if text in b["text"]]
        found = exact or partial
        if not found:
            raise AssertionError(
                f"no button {text!r} on message {self.message_id}: {self.button_texts()}"
            )
        return found[0]

    def callback_data(self, text: str) -> str:
        """The callback_data of the button with that text."""
        data = self.button(text).get("callback_data")
        if data is None:
            raise AssertionError(f"button {text!r} of message {self.message_id} has no callback")
        return str(data)

    def to_api(self, *, with_reply: bool = True) -> dict[str, Any]:
        """The Message object Telegram returns."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender.to_api(),
            "chat": self.chat.to_api(),
            "date": self.date,
            "text": self.text,
        }
        if self.entities:
            data["entities"] = self.entities
        if self.media:
            caption, entities = data.pop("text"), data.pop("entities", None)
            data.update(self.media)
            if caption:
                data["caption"] = caption
            if entities:
                data["caption_entities"] = entities
        if self.reply_to is not None and with_reply:
            data["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.reply_markup is not None:
            data["reply_markup"] = self.reply_markup
        return data

    def describe(self) -> str:
        """One transcript line."""
        who = "bot" if self.from_bot else f"{self.sender.first_name}({self.sender.id})"
        flags = " [deleted]" if self.deleted else ""
        flags += f" [edited x{self.edits}]" if self.edits else ""
        buttons = self.buttons
        shown = " | ".join(
            f"{b['text']}={b.get('callback_data', b.get('url', '?'))}" for b in buttons
        )
        keys = f"\n      buttons: {shown}" if buttons else ""
        return f"  #{self.message_id} {who}{flags}: {self.text!r}{keys}"


@dataclass
class CallbackQuery:
    """A button press the fake sent to the bot, and the bot's answer."""

    id: str
    user: FakeUser
    message: FakeMessage
    data: str
    answered: bool = False
    answer: dict[str, Any] | None = None


class LoggedRequest(NamedTuple):
    method: str
    params: dict[str, Any]


@dataclass
class Violation:
    """A request the fake refused as a mistake of the bot (a 400, 401 or 404 answer)."""

    method: str
    status: int
    description: str
    params: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.method} -> {self.status} {self.description} (params: {self.params})"


@dataclass
class ErrorRecord:
    """Any error answer, including injected faults, 403, 409 and 429."""

    method: str
    status: int
    description: str


@dataclass
class Fault:
    """An injected failure: an error answer, or a dropped connection before/after the work."""

    status: int = 0
    description: str = ""
    retry_after: int | None = None
    drop: bool = False
    after: bool = False


class Notifier:
    """Wakes every waiter when something changed; a waiter re-checks its condition after."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Returns at the next notify() or after ``seconds``."""
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), max(seconds, 0))


class RateLimiter:
    """Telegram's flood limits as sliding windows; off until configure() is called."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._limits: list[tuple[str, int, float]] = []
        self._sent: defaultdict[tuple[str, int], deque[float]] = defaultdict(deque)

    def configure(
        self, global_per_sec: int | None, per_chat_per_sec: int | None, group_per_min: int | None
    ) -> None:
        self._limits = [
            (name, limit, window)
            for name, limit, window in (
                ("global", global_per_sec, 1.0),
                ("chat", per_chat_per_sec, 1.0),
                ("group", group_per_min, 60.0),
            )
            if limit
        ]
        self._sent.clear()

    def acquire(self, chat_id: int, is_group: bool) -> int | None:
        """Counts one message; returns the seconds to wait instead when a limit is reached."""
        now = self._clock()
        keys = []
        for name, limit, window in self._limits:
            if name == "group" and not is_group:
                continue
            key = (name, 0 if name == "global" else chat_id)
            sent = self._sent[key]
            while sent and sent[0] <= now - window:
                sent.popleft()
            if len(sent) >= limit:
                return max(1, math.ceil(sent[0] + window - now))
            keys.append(key)
        for key in keys:
            self._sent[key].append(now)
        return None
