"""The per-user throttle of exchanger-calling handlers: unit tests with an injected clock, and
through the dispatcher with THROTTLE_SECONDS=5."""

from __future__ import annotations

import re

import pytest

from bot.sandbox.seed import ALICE, BOB
from bot.telegram.middlewares import throttling
from bot.telegram.middlewares.throttling import ThrottlingMiddleware
from tests.telegram.harness import Harness

# 5 s minus the time since the call that started the interval, rounded up.
WAIT = re.compile(r"Please wait [1-5] s before the next request\.")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_one_call_per_interval_per_user() -> None:
    clock = Clock()
    limiter = ThrottlingMiddleware(5, clock=clock)
    assert limiter.wait_time(1) == 0
    clock.now += 2
    assert limiter.wait_time(1) == pytest.approx(3)
    assert limiter.wait_time(2) == 0  # another user is not affected
    clock.now += 2
    assert limiter.wait_time(1) == pytest.approx(1)  # refusals do not extend the wait
    clock.now += 1
    assert limiter.wait_time(1) == 0


def test_memory_holds_only_users_still_waiting() -> None:
    clock = Clock()
    limiter = ThrottlingMiddleware(5, clock=clock)
    for user_id in range(1_000):
        limiter.wait_time(user_id)
    assert limiter.tracked == 1_000
    clock.now += 5
    limiter.wait_time(5_000)
    assert limiter.tracked == 1  # everyone else's entry expired and was dropped


def test_memory_is_capped_even_within_the_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throttling, "MAX_TRACKED_USERS", 100)
    clock = Clock()
    limiter = ThrottlingMiddleware(3600, clock=clock)
    for user_id in range(10_000):
        clock.now += 0.001
        limiter.wait_time(user_id)
    assert limiter.tracked == 100
    assert limiter.wait_time(9_999) > 0  # the newest are the ones kept


async def test_commands_that_call_the_exchanger_are_throttled(harness: Harness) -> None:
    await harness.start_bot(throttle_seconds=5)
    await harness.link(ALICE)  # calls the exchanger: starts the interval
    reply = await harness.ask("/balance", "Please wait")
    assert WAIT.fullmatch(reply.text)
    await harness.ask("/help", "Commands")  # no exchanger call: never throttled
    # A throttled /link still deletes the key at once.
    mark = harness.fake.revision
    key_message = await harness.say(f"/link {BOB}")
    note = await harness.fake.wait_for_text(harness.chat.id, "deleted your message", since=mark)
    assert note.text == "🔒 I deleted your message with the key, so it does not stay in the chat."
    assert key_message.deleted
    other = harness.fake.user(2002, "Bo")
    other_chat = harness.fake.private_chat(other)
    await harness.fake.send_text(other_chat, other, "/balance")
    await harness.fake.wait_for_text(other_chat.id, "No account is linked yet")
    assert harness.fake.violations == []


async def test_buttons_that_call_the_exchanger_are_throttled(harness: Harness) -> None:
    first = await harness.start_bot()
    await harness.link(ALICE)
    listing = await harness.ask("/exchanges", "Referred exchanges")
    await first.stop()
    await harness.start_bot(throttle_seconds=5)
    query = await harness.fake.press_button(
        harness.chat, harness.user, "▶", message_id=listing.message_id
    )
    assert (await harness.fake.wait_for_answer(query))["text"] is None
    query = await harness.fake.press_button(
        harness.chat, harness.user, "◀", message_id=listing.message_id
    )
    answer = await harness.fake.wait_for_answer(query)
    assert WAIT.fullmatch(answer["text"] or "")
    assert not answer["show_alert"]
    assert harness.fake.violations == []
