"""/admin through the dispatcher: the report for ADMIN_IDS in private; for everyone else exactly
what an unknown command gets (a hint in private, silence in groups)."""

from __future__ import annotations

import pytest

from bot.i18n import Translator
from bot.sandbox.seed import ALICE
from bot.services.admin import AdminReport, OutboxBacklog, SiteReport
from bot.storage.payouts import InFlight, State
from bot.telegram.handlers.admin import _age, render
from tests.telegram.harness import Harness
from tests.telegram.updates import capture_events, last_update_id, wait_handled

OPERATOR = 1001  # the harness's default user


async def test_the_operator_sees_counts_health_and_backlog(harness: Harness) -> None:
    await harness.start_bot(admin_ids=str(OPERATOR))
    await harness.link(ALICE)
    await harness.ask("/balance", "Balance")
    reply = await harness.ask("/admin", "Operator view")
    assert "Chats: 1 (1 active, 0 inactive)" in reply.text
    assert "Accounts: 1 (0 paused)" in reply.text
    assert str(harness.sandbox.client.base_url).rstrip("/") in reply.text
    assert "Outbox: 0 pending" in reply.text
    assert ALICE not in reply.text and ALICE[:8] not in reply.text
    assert harness.fake.violations == []


async def test_anyone_else_gets_the_unknown_command_answer(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    capture_events(caplog)
    await harness.start_bot(admin_ids="42")
    unknown = await harness.ask("/frobnicate", "/help")
    admin = await harness.ask("/admin", "/help")
    assert admin.text == unknown.text and admin.message_id != unknown.message_id
    # In a group, even the operator's /admin is silence, like any unknown command.
    group = harness.fake.group_chat(-1009, "Team")
    operator = harness.fake.user(42, "Op")
    harness.fake.set_member_status(group.id, operator.id, "creator")
    for text in ("/frobnicate", "/admin"):
        await harness.fake.send_text(group, operator, text)
        assert not await wait_handled(caplog, last_update_id(harness.fake))
    assert harness.fake.bot_messages(group.id) == []
    assert harness.fake.violations == []


def test_render_lists_sites_and_ages() -> None:
    report = AdminReport(
        chats=2,
        active_chats=1,
        accounts=3,
        paused_accounts=1,
        sites=[
            SiteReport("https://a.example", 3, 1, 2, 1_000, "<b>HTTP 502</b>", "open"),
            *[SiteReport(f"https://s{i}.example") for i in range(25)],
        ],
        outbox=OutboxBacklog(pending=4, dropped=1, oldest_pending_age=3_700),
    )
    text = render(Translator("en"), report, now=1_000 + 2 * 86_400)
    assert "down" in text and "failing 2/2 (100%)" in text and "circuit: open" in text
    assert "last success: 2 d ago" in text and "&lt;b&gt;HTTP 502" in text  # escaped
    assert "… and 6 more sites" in text and "4 pending (oldest 1 h), 1 dropped" in text
    assert "never" in text and len(text) < 4096
    ru = render(Translator("ru"), report, now=1_000)
    assert "Панель оператора" in ru


def test_render_lists_payout_requests_being_checked_with_their_age() -> None:
    checking = InFlight(7, "https://a.example", 1001, State.CHECKING, since=1_000, checks=3)
    sending = InFlight(8, "https://b.example", 1002, State.SUBMITTING, since=7_000, checks=0)
    report = AdminReport(0, 0, 0, 0, [], OutboxBacklog(0, 0, None), [checking, sending])
    text = render(Translator("en"), report, now=7_200)
    assert "Payout requests being sent or checked</b>: 2" in text
    assert "#7 · https://a.example · chat 1001 · being checked for 1 h · 3 checks" in text
    assert "#8 · https://b.example · chat 1002 · sending for 3 min · 0 checks" in text


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0 s"), (59, "59 s"), (60, "1 min"), (7_199, "1 h"), (90_000, "1 d")]
)
def test_age(seconds: float, shown: str) -> None:
    assert _age(Translator("en"), seconds) == shown


def test_render_counts_checks_with_russian_plurals() -> None:
    rows = [
        InFlight(n, "https://a.example", 1001, State.CHECKING, since=1_000, checks=n)
        for n in (1, 3, 5)
    ]
    report = AdminReport(0, 0, 0, 0, [], OutboxBacklog(0, 0, None), rows)
    text = render(Translator("ru"), report, now=7_200)
    assert "1 проверка" in text
    assert "3 проверки" in text
    assert "5 проверок" in text
