"""/settings through the real Dispatcher and the strict fake Bot API: toggles per chat, edited
in place, a stale button changes nothing and never causes an identical edit."""

from __future__ import annotations

from bot.domain import NotificationKind
from bot.storage.chats import ChatRepo
from bot.telegram.callbacks import NotifyToggle
from tests.telegram.harness import Harness
from tests.telegram.updates import forge_press


async def test_toggle_edits_in_place_and_is_stored(harness: Harness) -> None:
    running = await harness.start_bot()
    menu = await harness.ask("/settings", "Notifications in this chat")
    assert menu.button_texts() == [
        "✅ Reward accrued",
        "✅ Payout status",
        "✅ New referred exchange",
        "✅ Payout available",
    ]
    stale = menu.callback_data("New referred exchange")
    answer = await harness.fake.wait_for_answer(
        await harness.fake.press_button(harness.chat, harness.user, "New referred exchange")
    )
    assert answer["text"] == "Off: New referred exchange"
    edited = harness.fake.bot_messages(harness.chat.id)[-1]
    assert edited.message_id == menu.message_id and edited.edits == 1
    assert "🔕 New referred exchange" in edited.button_texts()
    chat = await ChatRepo(running.db).get(harness.chat.id)
    assert chat is not None and NotificationKind.NEW_EXCHANGE not in chat.notifications

    # The old "turn off" button again: same result, no identical edit ("message is not modified").
    query = forge_press(harness.fake, harness.user, edited, stale)
    await harness.fake.wait_for_answer(query)
    assert harness.fake.bot_messages(harness.chat.id)[-1].edits == 1
    assert harness.fake.violations == []


async def test_in_russian(harness: Harness) -> None:
    running = await harness.start_bot()
    await ChatRepo(running.db).ensure(harness.chat.id, "private")
    await ChatRepo(running.db).set_language(harness.chat.id, "ru")
    menu = await harness.ask("/settings", "Уведомления в этом чате")
    turn_on = NotifyToggle(kind=NotificationKind.ACCRUED, on=False).pack()
    assert menu.callback_data("Начислено вознаграждение") == turn_on
    assert harness.fake.violations == []
