"""AnswerAfterHandler: a press is answered once, after its handler; when the handler fails,
the error handler's alert is that one answer."""

from __future__ import annotations

from bot.sandbox.seed import ALICE
from tests.telegram.harness import Harness


async def test_a_failing_handler_answers_with_the_error_alert_once(harness: Harness) -> None:
    h = harness
    await h.start_bot()
    await h.link(ALICE)
    listing = await h.ask("/payouts", "Payout requests")
    await h.sandbox.control("POST", "faults", {"mode": "http_502"})  # every site call fails
    query = await h.fake.press_button(h.chat, h.user, "⏪", message_id=listing.message_id)
    answer = await h.fake.wait_for_answer(query)
    assert answer["show_alert"] and "not answering" in str(answer["text"])
    answers = [r for r in h.fake.requests if r.method == "answerCallbackQuery"]
    assert [a.params["callback_query_id"] for a in answers] == [query]
    assert [e for e in h.fake.errors if e.method == "answerCallbackQuery"] == []


async def test_a_handler_that_succeeds_is_answered_silently_once(harness: Harness) -> None:
    h = harness
    await h.start_bot()
    await h.link(ALICE)
    listing = await h.ask("/payouts", "Payout requests")
    query = await h.fake.press_button(h.chat, h.user, "⏪", message_id=listing.message_id)
    answer = await h.fake.wait_for_answer(query)
    assert not answer.get("show_alert") and not answer.get("text")
    answers = [r for r in h.fake.requests if r.method == "answerCallbackQuery"]
    assert len(answers) == 1
