"""TypingMiddleware: "typing…" while a handler waits for a slow exchanger, none when it is quick."""

from __future__ import annotations

import asyncio
import gc

from bot.sandbox.seed import ALICE
from bot.telegram.middlewares.typing import TYPING_AFTER
from tests.telegram.harness import Harness


def _typing(h: Harness) -> list[dict[str, object]]:
    return [r.params for r in h.fake.requests if r.method == "sendChatAction"]


async def test_a_slow_exchanger_shows_typing_a_quick_one_does_not(harness: Harness) -> None:
    h = harness
    await h.start_bot()
    await h.link(ALICE)
    await h.ask("/balance", "Balance")  # answered from the cache /link filled: quick
    assert _typing(h) == []
    slow = {"mode": "slow", "delay": TYPING_AFTER + 0.5, "methods": ["get_info"], "count": 1}
    await h.sandbox.control("POST", "faults", slow)
    await h.ask("/payout", "Choose the payout method")  # /payout reads get_info afresh
    assert [(str(p["chat_id"]), p["action"]) for p in _typing(h)] == [(str(h.chat.id), "typing")]
    assert h.fake.violations == []


async def test_a_refused_chat_action_never_troubles_the_handler(harness: Harness) -> None:
    h = harness
    unretrieved: list[dict[str, object]] = []
    asyncio.get_running_loop().set_exception_handler(lambda _, context: unretrieved.append(context))
    await h.start_bot()
    await h.link(ALICE)
    h.fake.fail_next("sendChatAction", 403, "Forbidden: bot was blocked by the user")
    slow = {"mode": "slow", "delay": TYPING_AFTER + 0.5, "methods": ["get_info"], "count": 1}
    await h.sandbox.control("POST", "faults", slow)
    await h.ask("/payout", "Choose the payout method")
    await h.ask("/start", "")  # a later update: the first one has ended by now
    gc.collect()
    assert len(_typing(h)) == 1
    assert unretrieved == []
