"""The per-user token bucket of exchanger-calling handlers: unit tests with an injected clock,
and through the dispatcher with the DEFAULT settings (a person must never feel it)."""

from __future__ import annotations

import asyncio

import pytest

from bot.config import Settings
from bot.sandbox.seed import ALICE, BOB
from bot.telegram.middlewares import throttling
from bot.telegram.middlewares.throttling import TokenBucket
from tests.telegram.harness import Harness

SLOW_DOWN = "Too many requests at once"
DEFAULTS = Settings.model_fields
DEFAULT_THROTTLE = {
    "throttle_seconds": DEFAULTS["throttle_seconds"].default,
    "throttle_burst": DEFAULTS["throttle_burst"].default,
    "throttle_max_delay": DEFAULTS["throttle_max_delay"].default,
}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_then_answers_are_delayed_then_one_notice() -> None:
    clock = Clock()
    bucket = TokenBucket(interval=2, burst=3, max_delay=4, clock=clock)
    assert [bucket.take(1).delay for _ in range(3)] == [0, 0, 0]
    assert bucket.take(1).delay == pytest.approx(2)  # the next token, taken ahead of time
    assert bucket.take(1).delay == pytest.approx(4)
    refused = bucket.take(1)
    assert refused.refused and refused.notice and refused.retry_in == pytest.approx(2)
    again = bucket.take(1)
    assert again.refused and not again.notice  # one notice per flood
    assert not bucket.take(2).refused  # another user is not affected
    clock.now += 2
    assert bucket.take(1).delay == pytest.approx(4)  # refusals did not use tokens
    clock.now += 20
    assert bucket.take(1).delay == 0
    assert bucket.take(1).delay == 0


def test_forty_requests_in_four_seconds() -> None:
    """The issue's flood, at the default settings: about a dozen served, one notice."""
    clock = Clock()
    bucket = TokenBucket(
        interval=DEFAULT_THROTTLE["throttle_seconds"],
        burst=DEFAULT_THROTTLE["throttle_burst"],
        max_delay=DEFAULT_THROTTLE["throttle_max_delay"],
        clock=clock,
    )
    decisions = []
    for _ in range(40):
        decisions.append(bucket.take(1))
        clock.now += 0.1
    served = [d for d in decisions if not d.refused]
    assert 6 <= len(served) <= 15
    assert max(d.delay for d in served) <= DEFAULT_THROTTLE["throttle_max_delay"]
    assert sum(d.notice for d in decisions) == 1
    clock.now += 3  # a few seconds later: served again, with at most a short delay
    later = bucket.take(1)
    assert not later.refused and later.delay <= 2


def test_six_taps_in_a_row_are_never_delayed() -> None:
    clock = Clock()
    bucket = TokenBucket(2, DEFAULT_THROTTLE["throttle_burst"], 4, clock=clock)
    for _ in range(7):  # /link, then six commands, each as soon as the answer arrived
        assert bucket.take(1).delay == 0
        clock.now += 0.3


def test_memory_holds_only_users_with_a_partly_empty_bucket() -> None:
    clock = Clock()
    bucket = TokenBucket(5, 2, 0, clock=clock)
    for user_id in range(1_000):
        bucket.take(user_id)
    assert bucket.tracked == 1_000
    clock.now += 5
    bucket.take(5_000)
    assert bucket.tracked == 1  # everyone else's bucket is full again: forgotten


def test_memory_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throttling, "MAX_TRACKED_USERS", 100)
    clock = Clock()
    bucket = TokenBucket(3600, 1, 0, clock=clock)
    for user_id in range(10_000):
        clock.now += 0.001
        bucket.take(user_id)
    assert bucket.tracked == 100
    assert bucket.take(9_999).refused  # the newest are the ones kept


def _exchanger_calls(harness: Harness, method: str) -> int:
    return sum(1 for r in harness.sandbox.state.requests if r["method"] == method)


async def test_commands_one_after_another_all_get_data_at_default_settings(
    harness: Harness,
) -> None:
    await harness.start_bot(**DEFAULT_THROTTLE)
    await harness.link(ALICE)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await harness.ask("/balance", "Balance: 57.35 USD")
    await harness.ask("/payouts", "Payout requests")
    await harness.ask("/exchanges", "Referred exchanges")
    await harness.ask("/clicks", "Clicks")
    await harness.ask("/balance", "Balance: 57.35 USD")
    await harness.ask("/exchanges 30d", "Referred exchanges")
    assert loop.time() - started < 6  # no answer held back (a token costs 2 s: 10 s if so)
    # /balance and /payouts reused the get_info /link made; the second /balance too.
    assert _exchanger_calls(harness, "get_info") == 1
    assert not any(SLOW_DOWN in m.text for m in harness.fake.bot_messages(harness.chat.id))
    assert harness.fake.violations == []


async def test_a_flood_is_delayed_then_told_once_and_the_next_command_works(
    harness: Harness,
) -> None:
    await harness.start_bot(**DEFAULT_THROTTLE)
    await harness.link(ALICE)
    mark = harness.fake.revision
    calls_before = len(harness.sandbox.state.requests)
    for _ in range(40):  # 40 /balance in 4 s
        await harness.say("/balance")
        await asyncio.sleep(0.1)
    await asyncio.sleep(DEFAULT_THROTTLE["throttle_max_delay"] + 0.5)  # the delayed answers
    replies = [m for m in harness.fake.bot_messages(harness.chat.id) if m.revision > mark]
    served = [m for m in replies if "Balance: 57.35 USD" in m.text]
    notices = [m for m in replies if SLOW_DOWN in m.text]
    assert 6 <= len(served) <= 15
    assert 1 <= len(notices) <= 3
    assert len(harness.sandbox.state.requests) - calls_before <= 15
    await harness.ask("/balance", "Balance: 57.35 USD")  # a few seconds later: answered
    assert harness.fake.violations == []


async def test_buttons_over_the_limit_get_one_notice_then_silent_answers(
    harness: Harness,
) -> None:
    first = await harness.start_bot()
    await harness.link(ALICE)
    listing = await harness.ask("/exchanges 30d", "Referred exchanges")
    await first.stop()
    await harness.start_bot(throttle_seconds=60, throttle_burst=1, throttle_max_delay=0)
    answers = []
    for label in ("▶", "◀", "▶"):
        query = await harness.fake.press_button(
            harness.chat, harness.user, label, message_id=listing.message_id
        )
        answers.append(await harness.fake.wait_for_answer(query))
    assert answers[0]["text"] is None  # served
    assert SLOW_DOWN in (answers[1]["text"] or "") and not answers[1]["show_alert"]
    assert answers[2]["text"] is None  # refused silently: the notice was given
    # Commands without an exchanger call are never limited; a refused /link still deletes the key.
    await harness.ask("/help", "Commands")
    mark = harness.fake.revision
    key_message = await harness.say(f"/link {BOB}")
    await harness.fake.wait_for_text(harness.chat.id, "deleted your message", since=mark)
    assert key_message.deleted
    assert harness.fake.violations == []
