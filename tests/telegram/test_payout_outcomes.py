"""/payout under slow, lost and ambiguous answers, through aiogram's real Dispatcher, the strict
fake Bot API and the in-process sandbox: "being checked" first, the payout later, one request
per key whatever the chats, new figures when the amount dropped, and the final message arrives
even when Telegram answers 429."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bot.devtools.bot_api_models import FakeChat, FakeMessage, FakeUser
from bot.sandbox.seed import ALICE
from tests.telegram.harness import Harness
from tests.telegram.test_payout_flow import (
    CONFIRM,
    WALLET,
    add_payouts,
    edited,
    pick_and_type,
    press,
    to_confirmation,
)

CHECKING = "The site has not answered yet"
FAST = {"payout_request_timeout": 0.5, "payout_check_schedule": "0.5,1,2,3,4,5,6,30"}


@pytest.fixture(autouse=True)
def no_violations(harness: Harness) -> Iterator[None]:
    yield
    assert harness.fake.violations == [], harness.fake.transcript()
    assert harness.fake.unanswered_callbacks() == []


async def newest_payout_id(h: Harness) -> int:
    partner = await h.sandbox.control("GET", f"partners/{ALICE}")
    return max(p["id"] for p in partner["payouts"])


async def test_a_site_answering_after_the_deadline_is_checked_then_found(
    harness: Harness,
) -> None:
    """The site needs 5 s (the deadline is 0.5 s: "answers after 40 s", scaled down; 5 s
    leaves a loaded machine time for the second confirmation) and creates the payout then."""
    h = harness
    schedule = "0.5,1,2,3,4,5,6,7,8,9,10,30"
    await h.start_bot(payout_request_timeout=0.5, payout_check_schedule=schedule)
    confirmation = await to_confirmation(h)
    fault = {"mode": "slow", "delay": 5, "keep_working": True, "methods": ["add_payout"]}
    await h.sandbox.control("POST", "faults", {**fault, "count": 1})
    await press(h, confirmation, CONFIRM)
    checking = await edited(h, confirmation, CHECKING)
    assert "don't request another one" in checking.text and checking.buttons == []

    second = await pick_and_type(h, h.chat)  # a new /payout → Confirm in between
    await press(h, second, CONFIRM)
    refused = await edited(h, second, "Another payout request for this key")
    assert "request #1 of" in refused.text  # the first confirmation's request
    assert "being checked on the site" in refused.text and refused.buttons == []

    done = await h.fake.wait_for(
        lambda m: m.message_id == confirmation.message_id and "Payout #" in m.text,
        chat_id=h.chat.id,
        timeout=15,
    )
    assert f"Payout #{await newest_payout_id(h)} requested" in done.text
    assert await add_payouts(h) == 1


async def confirmation_in(h: Harness, user: FakeUser, chat: FakeChat) -> FakeMessage:
    mark = h.fake.revision
    await h.say(f"/link {ALICE}", user=user, chat=chat)
    await h.fake.wait_for_text(chat.id, "Account linked", since=mark)
    mark = h.fake.revision
    await h.say("/payout", user=user, chat=chat)
    menu = await h.fake.wait_for_text(chat.id, "Choose the payout method", since=mark)
    await press(h, menu, "USDT TRC20", user=user)
    await edited(h, menu, "Send the account")
    mark = h.fake.revision
    await h.say(WALLET, user=user, chat=chat)
    return await h.fake.wait_for_text(chat.id, "Check the payout request", since=mark)


async def test_the_same_key_in_two_chats_confirmed_at_once_sends_one_request(
    harness: Harness,
) -> None:
    h = harness
    bob = h.fake.user(2002, "Bob", language_code="en")
    bob_chat = h.fake.private_chat(bob)
    await h.start_bot()
    mine = await confirmation_in(h, h.user, h.chat)
    his = await confirmation_in(h, bob, bob_chat)
    await h.sandbox.control("POST", "faults", {"mode": "slow", "delay": 0.3, "count": 1})
    queries = await asyncio.gather(
        h.fake.press(h.chat, h.user, mine.message_id, mine.callback_data(CONFIRM)),
        h.fake.press(bob_chat, bob, his.message_id, his.callback_data(CONFIRM)),
    )
    for query in queries:
        await h.fake.wait_for_answer(query)
    ends = ("Payout #", "Another payout request", "below the minimum")
    results = [
        await h.fake.wait_for(
            lambda m, msg=msg: m.message_id == msg.message_id and any(e in m.text for e in ends),
            chat_id=msg.chat_id,
        )
        for msg in (mine, his)
    ]
    assert sum("Payout #" in m.text for m in results) == 1
    assert await add_payouts(h) == 1


async def test_a_raised_commission_sends_nothing_and_shows_the_new_figures(
    harness: Harness,
) -> None:
    h = harness
    await h.start_bot()
    confirmation = await to_confirmation(h)
    methods = [{"id": 1, "title": "USDT TRC20", "comission": "2.50", "currency_code": "USDT"}]
    await h.sandbox.control("PATCH", f"partners/{ALICE}", {"methods": methods})
    await press(h, confirmation, CONFIRM)
    fresh = await edited(h, confirmation, "The amounts changed")
    assert "you would now receive 54.85 instead of 56.35" in fresh.text
    assert "You receive: 54.85" in fresh.text and "Commission: 2.50" in fresh.text
    assert CONFIRM in fresh.button_texts() and await add_payouts(h) == 0
    await press(h, fresh, CONFIRM)
    done = await edited(h, confirmation, "Payout #")
    assert "54.85" in done.text and await add_payouts(h) == 1


AMBIGUOUS = {
    "success-without-id": {"mode": "no_id"},
    "empty-body": {"mode": "empty", "after_processing": True},
    "html-page": {"mode": "html", "after_processing": True},
    "502-after-processing": {"mode": "http_502", "after_processing": True},
}


@pytest.mark.parametrize("fault", AMBIGUOUS.values(), ids=AMBIGUOUS.keys())
async def test_an_ambiguous_answer_ends_as_requested_never_refused(
    harness: Harness, fault: dict[str, object]
) -> None:
    h = harness
    await h.start_bot(**FAST)
    confirmation = await to_confirmation(h)
    await h.sandbox.control("POST", "faults", {**fault, "methods": ["add_payout"], "count": 1})
    await press(h, confirmation, CONFIRM)
    done = await edited(h, confirmation, "Payout #")
    assert f"Payout #{await newest_payout_id(h)} requested" in done.text
    texts = [
        *next(
            m for m in h.fake.bot_messages(h.chat.id) if m.message_id == confirmation.message_id
        ).history,
        done.text,
    ]
    assert not [text for text in texts if "refused" in text]
    assert await add_payouts(h) == 1


async def test_the_final_message_arrives_through_429(harness: Harness) -> None:
    h = harness
    await h.start_bot()
    confirmation = await to_confirmation(h)
    h.fake.fail_next("editMessageText", 429, retry_after=1, count=2)  # "sending…" and the result
    await press(h, confirmation, CONFIRM)
    done = await edited(h, confirmation, "Payout #")
    assert f"Payout #{await newest_payout_id(h)} requested" in done.text
    assert h.fake.count_429 == 2 and await add_payouts(h) == 1


async def test_a_lost_edit_falls_back_to_a_new_message(harness: Harness) -> None:
    h = harness
    await h.start_bot()
    confirmation = await to_confirmation(h)
    gone = "Bad Request: message to edit not found"
    h.fake.fail_next("editMessageText", 400, gone, count=2)  # "sending…" and the result
    mark = h.fake.revision
    await press(h, confirmation, CONFIRM)
    done = await h.fake.wait_for_text(h.chat.id, "Payout #", since=mark)
    assert done.message_id != confirmation.message_id
    assert f"Payout #{await newest_payout_id(h)} requested" in done.text
