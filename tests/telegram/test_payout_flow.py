"""/payout through aiogram's real Dispatcher, the strict fake Bot API and the in-process sandbox:
one add_payout per confirmation whatever the presses, the right person only, expiry, refusals,
lost answers reconciled, /cancel, and a restart between the confirmation and the press."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from bot.devtools.bot_api_models import FakeChat, FakeMessage, FakeUser
from bot.sandbox.seed import ALICE, BLACKLISTED_ACCOUNT, BOB
from bot.services.payouts import PayoutService
from tests.telegram.harness import Harness, RunningBot

WALLET = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
CONFIRM, CANCEL = "✅ Confirm", "✖ Cancel"


@pytest.fixture(autouse=True)
def no_violations(harness: Harness) -> Iterator[None]:
    yield
    assert harness.fake.violations == [], harness.fake.transcript()
    assert harness.fake.unanswered_callbacks() == []


def service(running: RunningBot) -> PayoutService:
    payouts = running.dp["payouts"]
    assert isinstance(payouts, PayoutService)
    return payouts


async def add_payouts(h: Harness) -> int:
    return (await h.sandbox.control("GET", "requests?method=add_payout"))["count"]


async def press(
    h: Harness, message: FakeMessage, label: str, user: FakeUser | None = None
) -> dict[str, object]:
    chat = message.chat
    query = await h.fake.press_button(chat, user or h.user, label, message_id=message.message_id)
    return await h.fake.wait_for_answer(query)


async def edited(h: Harness, message: FakeMessage, fragment: str) -> FakeMessage:
    return await h.fake.wait_for(
        lambda m: m.message_id == message.message_id and fragment in m.text,
        chat_id=message.chat_id,
    )


async def to_confirmation(
    h: Harness, wallet: str = WALLET, chat: FakeChat | None = None, key: str = ALICE
) -> FakeMessage:
    chat = chat or h.chat
    mark = h.fake.revision
    await h.say(f"/link {key}", chat=chat)
    await h.fake.wait_for_text(chat.id, "Account linked", since=mark)
    return await pick_and_type(h, chat, wallet)


async def pick_and_type(h: Harness, chat: FakeChat, wallet: str = WALLET) -> FakeMessage:
    mark = h.fake.revision
    await h.say("/payout", chat=chat)
    menu = await h.fake.wait_for_text(chat.id, "Choose the payout method", since=mark)
    assert "USDT TRC20 — you receive 56.35 (1.00 commission)" in menu.button_texts()
    await press(h, menu, "USDT TRC20")
    await edited(h, menu, "Send the account or wallet number for USDT TRC20")
    mark = h.fake.revision
    await h.say(wallet, chat=chat)
    return await h.fake.wait_for_text(chat.id, "Check the payout request", since=mark)


async def test_happy_path_then_the_last_wallet_is_one_tap(harness: Harness) -> None:
    h = harness
    await h.start_bot()
    confirmation = await to_confirmation(h)
    assert WALLET in confirmation.text and "You receive: 56.35" in confirmation.text
    assert confirmation.button_texts() == [CONFIRM, CANCEL]
    await press(h, confirmation, CONFIRM)
    done = await edited(h, confirmation, "Payout #")
    partner = await h.sandbox.control("GET", f"partners/{ALICE}")
    newest = max(partner["payouts"], key=lambda p: p["id"])
    assert f"Payout #{newest['id']} requested" in done.text and "TQn9…bLSE" in done.text
    assert newest["account"] == WALLET and done.buttons == []
    assert await add_payouts(h) == 1

    await h.sandbox.control("PATCH", f"partners/{ALICE}", {"balance": "20.00"})
    menu = await h.ask("/payout", "Choose the payout method")
    await press(h, menu, "USDT TRC20")
    prompt = await edited(h, menu, "Send the account")
    await press(h, prompt, "Use TQn9…bLSE")
    again = await edited(h, prompt, "Check the payout request")
    assert WALLET in again.text and "You receive: 19.00" in again.text
    await press(h, again, CONFIRM)
    await edited(h, again, "Payout #")
    assert await add_payouts(h) == 2


async def test_in_russian_with_the_account_picker(harness: Harness) -> None:
    h = harness
    h.fake.user(h.user.id, "Аня", language_code="ru")
    await h.start_bot()
    for key in (ALICE, BOB):
        await h.ask(f"/link {key}", "Аккаунт привязан")
    picker = await h.ask("/payout", "Выплата по какому аккаунту?")
    await press(h, picker, "demo")  # the first account: Alice's
    menu = await h.fake.wait_for_text(h.chat.id, "Выберите способ выплаты")
    await press(h, menu, "USDT TRC20")
    await edited(h, menu, "Пришлите номер счёта")
    confirmation = await h.ask(WALLET, "Проверьте заявку на выплату")
    await press(h, confirmation, "✅ Подтвердить")
    done = await edited(h, confirmation, "создана")
    assert "Изменения её статуса придут сюда" in done.text


async def test_below_minimum_says_how_much_is_missing(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(BOB)
    reply = await harness.ask("/payout", "more is needed")
    assert "6.80 USD more is needed" in reply.text and reply.buttons == []


async def test_invalid_wallet_input_is_explained_and_asked_again(harness: Harness) -> None:
    h = harness
    await h.start_bot()
    await h.link(ALICE)
    menu = await h.ask("/payout", "Choose the payout method")
    await press(h, menu, "USDT TRC20")
    await edited(h, menu, "Send the account")
    await h.ask("ab", "too short")
    await h.ask("TQn9 Y2kh", "no spaces")
    await h.ask("x" * 200, "too long")
    await h.ask("TQn9\u200bY2kh", "invisible or control characters")
    await h.ask(WALLET, "Check the payout request")
    assert await add_payouts(h) == 0


async def test_double_and_concurrent_confirms_make_one_add_payout(harness: Harness) -> None:
    h = harness
    await h.start_bot()
    confirmation = await to_confirmation(h)
    data = confirmation.callback_data(CONFIRM)
    queries = await asyncio.gather(
        *(h.fake.press(h.chat, h.user, confirmation.message_id, data) for _ in range(4))
    )
    answers = [await h.fake.wait_for_answer(q) for q in queries]
    await edited(h, confirmation, "Payout #")
    assert await add_payouts(h) == 1
    assert sum(1 for a in answers if a["show_alert"]) == 3  # "being sent" or "requested"


async def test_an_expired_confirmation_says_so_and_does_nothing(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    running = await h.start_bot()
    confirmation = await to_confirmation(h)
    monkeypatch.setattr(service(running), "_clock", lambda: time.time() + 301)
    await press(h, confirmation, CONFIRM)
    done = await edited(h, confirmation, "expired")
    assert done.buttons == [] and await add_payouts(h) == 0


async def test_only_the_user_who_started_can_press(harness: Harness) -> None:
    h = harness
    group = h.fake.group_chat(-100500, "Team")
    h.fake.set_member_status(group.id, h.user.id, "administrator")  # may link (security gate)
    h.fake.set_member_status(group.id, h.fake.bot.id, "administrator")  # may delete the key
    bob = h.fake.user(2002, "Bob")
    await h.start_bot()
    mark = h.fake.revision
    await h.say("/payout", user=bob, chat=group)
    await h.fake.wait_for_text(group.id, "only its administrators", since=mark)
    confirmation = await to_confirmation(h, chat=group)
    answer = await press(h, confirmation, CONFIRM, user=bob)
    assert answer["show_alert"] and "administrators" in str(answer["text"])
    # Promoted, Bob still cannot press Ann's confirmation (the admin gate may still answer from
    # its 30 s cache; the service's own "only the starter" check is tested in test_payouts.py).
    h.fake.set_member_status(group.id, bob.id, "administrator")
    for label in (CONFIRM, CANCEL):
        answer = await press(h, confirmation, label, user=bob)
        assert answer["show_alert"], answer
        assert any(
            phrase in str(answer["text"])
            for phrase in ("Only the person who started", "administrators")
        ), answer
    assert await add_payouts(h) == 0
    await press(h, confirmation, CONFIRM)
    await edited(h, confirmation, "Payout #")
    assert await add_payouts(h) == 1


async def test_another_users_dialog_buttons_are_inert(harness: Harness) -> None:
    h = harness
    group = h.fake.group_chat(-100501, "Team")
    h.fake.set_member_status(group.id, h.user.id, "administrator")  # may link (security gate)
    h.fake.set_member_status(group.id, h.fake.bot.id, "administrator")
    bob = h.fake.user(2002, "Bob")
    await h.start_bot()
    mark = h.fake.revision
    await h.say(f"/link {ALICE}", chat=group)
    await h.fake.wait_for_text(group.id, "Account linked", since=mark)
    mark = h.fake.revision
    await h.say("/payout", chat=group)
    menu = await h.fake.wait_for_text(group.id, "Choose the payout method", since=mark)
    answer = await press(h, menu, "USDT TRC20", user=bob)
    assert answer["show_alert"] and "not for you" in str(answer["text"])
    same = [m for m in h.fake.bot_messages(group.id) if m.message_id == menu.message_id]
    assert same[0].edits == 0


async def test_a_refusal_shows_the_sites_text(harness: Harness) -> None:
    await harness.start_bot()
    confirmation = await to_confirmation(harness, wallet=BLACKLISTED_ACCOUNT)
    await press(harness, confirmation, CONFIRM)
    done = await edited(harness, confirmation, "refused")
    assert "Error! This account is blacklisted" in done.text


async def test_timeout_after_processing_reports_the_found_payout(harness: Harness) -> None:
    h = harness
    await h.start_bot()
    confirmation = await to_confirmation(h)
    fault = {"mode": "hang", "methods": ["add_payout"], "after_processing": True, "count": 1}
    await h.sandbox.control("POST", "faults", fault)
    await press(h, confirmation, CONFIRM)
    done = await edited(h, confirmation, "Payout #")
    partner = await h.sandbox.control("GET", f"partners/{ALICE}")
    newest = max(partner["payouts"], key=lambda p: p["id"])
    assert f"Payout #{newest['id']} requested" in done.text and "answer was lost" in done.text
    assert await add_payouts(h) == 1


async def test_a_lost_request_is_checked_then_reported_as_not_created(harness: Harness) -> None:
    h = harness
    await h.start_bot(payout_check_schedule="0.2,0.5")
    confirmation = await to_confirmation(h)
    await h.sandbox.control("POST", "faults", {"mode": "drop", "methods": ["add_payout"]})
    await press(h, confirmation, CONFIRM)
    checking = await edited(h, confirmation, "The site has not answered yet")
    assert "don't request another one" in checking.text and checking.buttons == []
    done = await edited(h, confirmation, "was not created")
    assert "checked its payout list for 1 h" in done.text
    assert await add_payouts(h) == 1


async def test_cancel_command_cancels_the_pending_confirmation(harness: Harness) -> None:
    h = harness
    await h.start_bot()
    confirmation = await to_confirmation(h)
    await h.ask("/cancel", "Cancelled.")
    answer = await press(h, confirmation, CONFIRM)
    assert "cancelled" in str(answer["text"]) and await add_payouts(h) == 0
    await h.ask("/cancel", "nothing to cancel")


async def test_cancel_button_in_the_dialog(harness: Harness) -> None:
    h = harness
    await h.start_bot()
    await h.link(ALICE)
    menu = await h.ask("/payout", "Choose the payout method")
    await press(h, menu, CANCEL)
    await edited(h, menu, "cancelled")
    await h.ask("TQn9Y2khEsLJW", "did not understand")  # no longer waiting for a wallet


async def test_restart_between_confirmation_and_press(harness: Harness) -> None:
    h = harness
    first = await h.start_bot()
    confirmation = await to_confirmation(h)
    await first.stop()
    await h.start_bot()
    await press(h, confirmation, CONFIRM)
    await edited(h, confirmation, "Payout #")
    assert await add_payouts(h) == 1


async def test_restart_after_expiry_says_expired(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    first = await h.start_bot()
    confirmation = await to_confirmation(h)
    await first.stop()
    second = await h.start_bot()
    monkeypatch.setattr(service(second), "_clock", lambda: time.time() + 3600)
    await press(h, confirmation, CONFIRM)
    await edited(h, confirmation, "expired")
    assert await add_payouts(h) == 0
