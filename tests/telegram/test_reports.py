"""Reports through the real dispatcher and the in-process sandbox: paging through time on a
larger history, many accounts at a glance, the remembered account choice, and a payout making
/balance read the site again."""

from __future__ import annotations

import time

from bot.devtools.bot_api_models import FakeMessage
from bot.sandbox.seed import ALICE, BOB
from bot.services.reports import DAY
from tests.telegram.harness import Harness

BIG = "big-history-key-0001"
WALLET = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"


async def _press(h: Harness, message: FakeMessage, label: str) -> FakeMessage:
    """Presses `label` on `message` and returns the message once it was redrawn."""
    mark = h.fake.revision
    query = await h.fake.press_button(h.chat, h.user, label, message_id=message.message_id)
    await h.fake.wait_for_answer(query)
    return await h.fake.wait_for(
        lambda m: m.message_id == message.message_id, chat_id=h.chat.id, since=mark
    )


async def test_exchanges_page_through_time_on_a_large_history(harness: Harness) -> None:
    methods = [{"id": 1, "title": "USDT"}]
    await harness.sandbox.control("POST", "partners", {"api_key": BIG, "methods": methods})
    now = int(time.time())
    for index in range(240):  # one exchange every 6 hours, 60 days back
        body = {"time": now - 3600 - index * 6 * 3600, "amount_give": "100", "amount_get": "1"}
        await harness.sandbox.control("POST", f"partners/{BIG}/exchanges", body)
    await harness.start_bot()
    await harness.link(BIG)
    harness.sandbox.state.requests.clear()
    newest = await harness.ask("/exchanges", "Referred exchanges (7 days)")
    assert newest.text.count("#") == 8  # a full first page of the 28 made this week
    assert "1/4" in newest.button_texts() and "⏪" in newest.button_texts()
    assert "⏩" not in newest.button_texts()  # nothing newer than now
    older = await _press(harness, newest, "⏪")
    week_ago = time.strftime("%Y-%m-%d", time.gmtime(now - 7 * DAY))
    assert "Referred exchanges (" in older.text and f"– {week_ago}" in older.text
    assert "1/4" in older.button_texts() and "⏩" in older.button_texts()
    back = await _press(harness, older, "⏩")
    assert "Referred exchanges (7 days)" in back.text
    asked = [r["params"] for r in harness.sandbox.state.requests if r["method"] == "get_exchanges"]
    assert asked and all("start_time" in params for params in asked)  # never all history
    assert harness.fake.violations == []


async def test_many_accounts_at_a_glance_stay_within_one_message(harness: Harness) -> None:
    methods = [{"id": 1, "title": "USDT", "comission": "1.00"}]
    keys = [f"many-accounts-{i:04d}" for i in range(12)]
    for index, key in enumerate(keys):
        body = {"api_key": key, "balance": f"{index + 1}.00", "methods": methods}
        await harness.sandbox.control("POST", "partners", body)
    await harness.start_bot()
    for key in keys:
        await harness.link(key)
    overview = await harness.ask("/balance", "Your accounts (12)")
    assert len(overview.text) < 4096
    assert overview.text.endswith("Total: 78.00 USD")  # 1 + 2 + … + 12, over every page
    assert overview.text.count("🏦") == 8  # a page of accounts (render.PAGE_ITEMS)
    assert len(overview.buttons) == 8 + 2  # one per account shown, then "1/2" and ▶
    second = await _press(harness, overview, "▶")
    assert second.text.count("🏦") == 4
    # 9.00 is below the 10.00 minimum; 10, 11 and 12 get a 💸 beside their details.
    assert second.button_texts().count("💸") == 3 and len(second.buttons) == 4 + 3 + 2
    assert second.text.endswith("Total: 78.00 USD")
    assert harness.fake.violations == []


async def test_the_account_choice_is_remembered_for_a_while(harness: Harness) -> None:
    running = await harness.start_bot()
    await harness.link(ALICE)
    await harness.link(BOB)
    picker = await harness.ask("/payouts", "Which account?")
    bob_label = picker.buttons[1]["callback_data"]
    query = await harness.fake.press(harness.chat, harness.user, picker.message_id, bob_label)
    await harness.fake.wait_for_answer(query)
    # The next list command goes straight to Bob's account, with 🔁 to choose again.
    listing = await harness.ask("/exchanges 30d", "Referred exchanges")
    assert "Which account?" not in listing.text and "🔁 Another account" in listing.button_texts()
    again = await _press(harness, listing, "🔁 Another account")
    assert "Which account?" in again.text and "📚 All accounts" in again.button_texts()
    # After REMEMBER_SECONDS it asks again.
    await running.db.execute("UPDATE fsm SET data = json_set(data, '$.report_choice.until', 0)")
    await harness.ask("/exchanges", "Which account?")
    assert harness.fake.violations == []


async def test_after_a_payout_balance_reads_the_site_again(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(ALICE)
    await harness.sandbox.control("PATCH", f"partners/{ALICE}", {"balance": "40.00"})
    await harness.ask("/balance", "Balance: 57.35 USD")  # /link's answer, reused
    menu = await harness.ask("/payout", "Choose the payout method")
    await _press(harness, menu, "USDT TRC20")
    confirmation = await harness.ask(WALLET, "Check the payout request")
    await _press(harness, confirmation, "✅ Confirm")
    await harness.fake.wait_for_text(harness.chat.id, "Payout #")
    await harness.ask("/balance", "Balance: 0.00 USD")
    assert harness.fake.violations == []
