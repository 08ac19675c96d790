"""/start, /help, /link, /unlink, /balance, /payouts, /exchanges, /clicks, /language through
aiogram's real dispatcher, the strict fake Bot API and the seeded sandbox."""

from __future__ import annotations

import pytest

from bot.sandbox.seed import ALICE, BOB
from tests.telegram.harness import Harness


@pytest.fixture(autouse=True)
def no_violations(harness: Harness):  # type: ignore[no-untyped-def]
    yield
    assert harness.fake.violations == [], harness.fake.transcript()


async def test_start_sets_menu_and_explains_where_the_key_is(harness: Harness) -> None:
    await harness.start_bot()
    reply = await harness.ask("/start", "REST API key")
    assert "/paccount/" in reply.text and "/link" in reply.text
    assert {c["command"] for c in harness.fake.commands()} >= {"balance", "link", "payouts"}
    assert harness.fake.commands(language_code="ru")


async def test_commands_before_linking_ask_for_a_key(harness: Harness) -> None:
    await harness.start_bot()
    for command in ("/balance", "/payouts", "/exchanges", "/clicks", "/unlink"):
        await harness.ask(command, "No account is linked yet")


async def test_link_deletes_the_key_and_shows_the_summary(harness: Harness) -> None:
    await harness.start_bot()
    key_message = await harness.say(f"/link {ALICE}")
    reply = await harness.fake.wait_for_text(harness.chat.id, "Account linked")
    assert key_message.message_id in [
        m.message_id for m in harness.fake.deleted_messages(harness.chat.id)
    ]
    assert "deleted your message" in reply.text
    assert "Balance: 57.35 USD" in reply.text and "payout is possible" in reply.text
    assert ALICE not in reply.text


async def test_link_in_two_steps(harness: Harness) -> None:
    await harness.start_bot()
    await harness.ask("/link", "Send me your API key")
    await harness.say(BOB)
    reply = await harness.fake.wait_for_text(harness.chat.id, "Account linked")
    assert "more until a payout is possible" in reply.text


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("no spaces allowed here", "does not look like an API key"),
        ("wrong-key-000000", "rejected this key"),
        ("demo-key-carol-0003", "rejected this key"),
    ],
)
async def test_link_failures_are_explained(harness: Harness, key: str, expected: str) -> None:
    await harness.start_bot()
    await harness.ask(f"/link {key}", expected)
    assert await harness.sandbox.control("GET", "partners/" + ALICE)  # the sandbox still answers


async def test_link_when_the_exchanger_is_down(harness: Harness) -> None:
    await harness.start_bot()
    await harness.sandbox.control("POST", "faults", {"mode": "http_502"})
    await harness.ask(f"/link {ALICE}", "not answering right now")


async def test_balance_payouts_exchanges_clicks(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(ALICE)
    balance = await harness.ask("/balance", "Payout methods")
    assert "you receive" in balance.text
    payouts = await harness.ask("/payouts", "Payout requests")
    assert any(word in payouts.text for word in ("pending", "paid", "canceled"))
    assert "…" in payouts.text  # wallets masked
    exchanges = await harness.ask("/exchanges 30d", "Referred exchanges (30 days)")
    assert "→" in exchanges.text
    clicks = await harness.ask("/clicks", "Clicks")
    assert "7 days" in clicks.text


async def test_exchanges_bad_period(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(ALICE)
    await harness.ask("/exchanges yesterday", "Period:")


async def test_pages_move_both_ways_and_stay_under_the_limit(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(ALICE)
    first = await harness.ask("/exchanges 30d", "Referred exchanges")
    assert "▶" in first.button_texts()
    mark = harness.fake.revision
    query = await harness.fake.press_button(
        harness.chat, harness.user, "▶", message_id=first.message_id
    )
    await harness.fake.wait_for_answer(query)
    second = await harness.fake.wait_for(lambda m: m.message_id == first.message_id, since=mark)
    assert "2/" in " ".join(second.button_texts()) and len(second.text) < 4096
    # Pressing the page counter again must not produce "message is not modified".
    counter = next(text for text in second.button_texts() if "/" in text)
    query = await harness.fake.press_button(harness.chat, harness.user, counter)
    await harness.fake.wait_for_answer(query)


async def test_unlink_with_confirmation(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(ALICE)
    prompt = await harness.ask("/unlink", "Unlink")
    query = await harness.fake.press_button(
        harness.chat, harness.user, "Unlink", message_id=prompt.message_id
    )
    await harness.fake.wait_for_answer(query)
    await harness.fake.wait_for_text(harness.chat.id, "The account is unlinked")
    await harness.ask("/balance", "No account is linked yet")


async def test_several_accounts_at_a_glance_and_lists_ask_which_one(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(ALICE)
    await harness.link(BOB)
    overview = await harness.ask("/balance", "Your accounts (2)")
    assert "Balance: 57.35 USD · minimum 10.00 · best payout 56.85" in overview.text
    assert "Balance: 3.20 USD · minimum 10.00 · best payout 2.20" in overview.text
    assert "✅ a payout is possible" in overview.text
    assert "⏳ 6.80 USD more until a payout" in overview.text
    assert overview.text.endswith("Total: 60.55 USD")
    # One row per account: its details, and 💸 where a payout is possible (Alice's only).
    assert [b["text"][:2] for b in overview.buttons] == ["1.", "💸", "2."]
    assert overview.buttons[1]["callback_data"].startswith("ps1:")
    mark = harness.fake.revision
    query = await harness.fake.press(
        harness.chat, harness.user, overview.message_id, overview.buttons[2]["callback_data"]
    )
    await harness.fake.wait_for_answer(query)
    details = await harness.fake.wait_for_text(harness.chat.id, "Balance: 3.20 USD", since=mark)
    assert details.button_texts() == ["📚 All accounts"]  # below the minimum: no payout button
    mark = harness.fake.revision
    query = await harness.fake.press_button(harness.chat, harness.user, "All accounts")
    await harness.fake.wait_for_answer(query)
    await harness.fake.wait_for_text(harness.chat.id, "Your accounts (2)", since=mark)
    # Lists still ask, and offer every account at once.
    picker = await harness.ask("/exchanges 30d", "Which account?")
    assert picker.button_texts()[-1] == "📚 All accounts"
    mark = harness.fake.revision
    query = await harness.fake.press_button(harness.chat, harness.user, "All accounts")
    await harness.fake.wait_for_answer(query)
    listing = await harness.fake.wait_for_text(harness.chat.id, "All accounts", since=mark)
    assert "Referred exchanges (30 days)" in listing.text
    assert listing.text.count("🏦") >= 2  # each item says whose it is
    clicks = await harness.ask("/clicks", "Which account?")
    assert "All accounts" not in " ".join(clicks.button_texts())
    # 💸 in the overview starts the payout of that account.
    overview = await harness.ask("/balance", "Your accounts (2)")
    mark = harness.fake.revision
    await harness.fake.wait_for_answer(
        await harness.fake.press_button(
            harness.chat, harness.user, "💸", message_id=overview.message_id
        )
    )
    menu = await harness.fake.wait_for_text(harness.chat.id, "Choose the payout method", since=mark)
    assert "57.35" in menu.text
    assert harness.fake.violations == []


async def test_language_follows_telegram_and_can_be_switched(harness: Harness) -> None:
    ivan = harness.fake.user(2002, "Иван", language_code="ru")
    chat = harness.fake.private_chat(ivan)
    await harness.start_bot()
    await harness.fake.send_text(chat, ivan, "/help")
    await harness.fake.wait_for_text(chat.id, "Команды")
    await harness.ask("/language", "Choose the language")
    query = await harness.fake.press_button(harness.chat, harness.user, "Русский")
    await harness.fake.wait_for_answer(query)
    await harness.ask("/help", "Команды")


async def test_unknown_text_gets_a_hint_and_the_key_dialog_survives_restart(
    harness: Harness,
) -> None:
    first = await harness.start_bot()
    await harness.ask("hello there", "/help")
    await harness.ask("/link", "Send me your API key")
    await first.stop()
    await harness.start_bot()
    await harness.say(ALICE)
    await harness.fake.wait_for_text(harness.chat.id, "Account linked")


async def test_exchanger_fields_are_escaped(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(ALICE)
    # Seeded referrers contain <script>, & and Cyrillic: the fake refuses unparsable HTML.
    reply = await harness.ask("/clicks", "Latest")
    assert "<" in reply.text or "&" in reply.text


@pytest.mark.parametrize(
    "shape",
    [
        {"envelope": "bare", "items_as": "dict", "numbers_as": "number"},
        {"envelope": "wrapped_str", "items_as": "dict", "numbers_as": "string"},
        {"envelope": "wrapped", "items_as": "list", "numbers_as": "number", "errors_as": "text"},
    ],
)
async def test_every_answer_shape_reads_the_same(harness: Harness, shape: dict[str, str]) -> None:
    await harness.sandbox.control("POST", "shape", shape)
    await harness.start_bot()
    await harness.link(ALICE)
    assert "57.35" in (await harness.ask("/balance", "Payout methods")).text
    assert "#" in (await harness.ask("/payouts", "Payout requests")).text
    assert "→" in (await harness.ask("/exchanges", "Referred exchanges")).text
    await harness.ask("/clicks", "Latest")
    await harness.ask("/link wrong-key-000000", "rejected this key")


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ({"mode": "http_500"}, "not answering right now"),
        ({"mode": "html"}, "not answering right now"),
        ({"mode": "drop"}, "not answering right now"),
        ({"mode": "hang"}, "not answering right now"),
        ({"mode": "garbage"}, "could not read"),
        ({"mode": "truncated"}, "could not read"),
        ({"mode": "empty"}, "could not read"),
        ({"mode": "api_disabled"}, "rejected your API key"),
        ({"mode": "method_not_supported"}, "does not allow this request"),
    ],
    ids=lambda value: value["mode"] if isinstance(value, dict) else "",
)
async def test_exchanger_faults_get_a_clear_answer(
    harness: Harness, fault: dict[str, str], expected: str
) -> None:
    await harness.start_bot(read_cache_seconds=0)  # else /balance reuses /link's answer
    await harness.link(ALICE)
    await harness.sandbox.control("POST", "faults", {**fault, "methods": ["get_info"]})
    await harness.ask("/balance", expected)
    await harness.sandbox.control("DELETE", "faults")
    await harness.ask("/balance", "Payout methods")
