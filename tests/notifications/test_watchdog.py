"""The payout watchdog: one reminder per payout pending past its site's threshold, sent
through the outbox with the payout-status toggle; the site's typical time to pay."""

from __future__ import annotations

import json

import pytest

from bot.domain import PAYOUT_OVERDUE
from bot.i18n import Translator
from bot.notifications.watchdog import PayoutWatchdog
from bot.services.payout_watch import Thresholds, TypicalPayTime, typical
from bot.storage.chats import ChatRepo, NotificationKind
from bot.storage.db import Database
from bot.storage.outbox import Outbox
from bot.storage.payout_watch import PayoutWatchRepo
from bot.telegram.notification_texts import render
from tests.notifications.conftest import Link

HOUR = 3600
MADE = 1_764_000_000


async def _payout(db: Database, account_id: int, payout_id: int, made: int, status: int) -> None:
    await db.execute(
        "INSERT INTO payout_state (account_id, payout_id, time, status) VALUES (?, ?, ?, ?)",
        (account_id, payout_id, made, status),
    )


def test_thresholds() -> None:
    parsed = Thresholds.parse("36, https://slow.example/=96")
    assert parsed.seconds("https://slow.example") == 96 * HOUR
    assert parsed.seconds("https://other.example") == 36 * HOUR
    assert parsed.shortest == 36 * HOUR and Thresholds.parse("").default_hours == 48
    for bad in ("0", "x", "48,49", "nan", "-1"):
        with pytest.raises(ValueError):
            Thresholds.parse(bad)


async def test_one_reminder_per_payout_past_its_threshold(
    db: Database, link: Link, outbox: Outbox, chats: ChatRepo
) -> None:
    slow = await link(100, "key-0001", site="https://slow.example")
    usual = await link(100, "key-0002")
    await _payout(db, slow.id, 1, MADE, 0)
    await _payout(db, usual.id, 2, MADE, 0)
    await _payout(db, usual.id, 3, MADE, 1)  # paid: never reminded
    now = [MADE + 47 * HOUR]
    woken: list[bool] = []
    watchdog = PayoutWatchdog(
        PayoutWatchRepo(db),
        Thresholds.parse("48,https://slow.example=96"),
        clock=lambda: now[0],
        on_enqueued=lambda: woken.append(True),
    )
    assert await watchdog.check() == 0 and not woken
    now[0] = MADE + 49 * HOUR
    assert await watchdog.check() == 1 and woken == [True]
    assert await watchdog.check() == 0  # once
    now[0] = MADE + 97 * HOUR
    assert await watchdog.check() == 1  # the slow site's own threshold
    assert await watchdog.check() == 0
    due = await outbox.due(10)
    assert [(row.kind, row.payload["payout_id"]) for row in due] == [
        (PAYOUT_OVERDUE, 2),
        (PAYOUT_OVERDUE, 1),
    ]
    text, _ = render(due[0].kind, due[0].account_id, due[0].payload, Translator("en"))
    assert "Payout #2 is still pending" in text and "ex.example · key-…" in text
    assert PAYOUT_OVERDUE in due[0].wanted
    await chats.set_notification(100, NotificationKind.PAYOUT_STATUS, False)
    assert all(PAYOUT_OVERDUE not in row.wanted for row in await outbox.due(10))


async def test_typical_time_to_pay_is_the_median_of_watched_payouts(
    db: Database, link: Link
) -> None:
    account = await link()
    for payout_id, hours in ((1, 5), (2, 7), (3, 30)):
        await _payout(db, account.id, payout_id, MADE, 1)
        await db.execute(
            "INSERT INTO outbox (event_key, chat_id, account_id, kind, payload, created_at)"
            " VALUES (?, 100, ?, 'payout_status', ?, ?)",
            (
                f"{account.id}:payout_status:{payout_id}:1",
                account.id,
                json.dumps({"payout_id": payout_id, "status": 1}),
                MADE + hours * HOUR,
            ),
        )
    await db.execute(  # seen pending: not a payment
        "INSERT INTO outbox (event_key, chat_id, account_id, kind, payload, created_at)"
        " VALUES ('x', 100, ?, 'payout_status', ?, ?)",
        (account.id, json.dumps({"payout_id": 1, "status": 0}), MADE),
    )
    durations = await PayoutWatchRepo(db).paid_durations(account.site)
    assert sorted(durations) == [5 * HOUR, 7 * HOUR, 30 * HOUR]
    assert typical(durations) == TypicalPayTime(7 * HOUR, 3)
    assert typical([]) is None
    assert await PayoutWatchRepo(db).paid_durations("https://other.example") == []
