"""Raw updates the fake's user-side API cannot produce, and waiting until the bot handled one.

`forge_press` sends a callback query with any data (FakeBotApi.press only presses buttons that
exist), still registered in the fake so the bot's answerCallbackQuery is checked as usual.
`wait_handled` waits for aiogram's own "Update id=N is handled / not handled" log record: the
way to know that an update which gets no answer (silence in a group) was fully processed.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from typing import Any

import pytest

from bot.devtools.bot_api import FakeBotApi
from bot.devtools.bot_api_models import CallbackQuery, FakeChat, FakeMessage, FakeUser

_forged_ids = itertools.count(5_100_000_000_000_000_001)
ANONYMOUS_ADMIN = FakeUser(1087968824, "Group", username="GroupAnonymousBot", is_bot=True)


def last_update_id(fake: FakeBotApi) -> int:
    """The id of the update just enqueued (call right after send_text / press)."""
    return int(fake.state.updates[-1]["update_id"])


def forge_press(fake: FakeBotApi, user: FakeUser, message: FakeMessage, data: str) -> str:
    """`user` presses a button with `data` on `message`, whether or not such a button exists."""
    query = CallbackQuery(str(next(_forged_ids)), user, message, data)
    fake.state.callbacks[query.id] = query
    fake.state.enqueue(
        "callback_query",
        {
            "id": query.id,
            "from": user.to_api(),
            "message": message.to_api(),
            "chat_instance": str(abs(message.chat.id) * 7919 + 13),
            "data": data,
        },
    )
    return query.id


def send_as_group(fake: FakeBotApi, chat: FakeChat, text: str) -> int:
    """An anonymous administrator writes `text` on behalf of the group; returns the update id."""
    command = text.split()[0] if text.startswith("/") else ""
    payload: dict[str, Any] = {
        "message_id": fake.state.new_message_id(chat),
        "from": ANONYMOUS_ADMIN.to_api(),
        "sender_chat": chat.to_api(),
        "chat": chat.to_api(),
        "date": int(time.time()),
        "text": text,
    }
    if command:
        payload["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return int(fake.state.enqueue("message", payload)["update_id"])


async def wait_handled(
    caplog: pytest.LogCaptureFixture,
    update_id: int,
    timeout: float = 10.0,  # noqa: ASYNC109
) -> bool:
    """Waits until aiogram logged the end of this update; returns whether a handler took it."""
    prefix = f"Update id={update_id} is "
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        for record in caplog.records:
            message = record.getMessage()
            if message.startswith(prefix):
                return message.startswith(prefix + "handled")
        if loop.time() > deadline:
            raise AssertionError(f"update {update_id} was not processed in {timeout}s")
        await asyncio.sleep(0.01)


def capture_events(caplog: pytest.LogCaptureFixture) -> None:
    """Makes aiogram's per-update INFO records visible to caplog."""
    caplog.set_level(logging.INFO, logger="aiogram.event")


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """ERROR records and any record carrying a traceback."""
    return [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info
    ]
