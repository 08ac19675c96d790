"""The operator's report, from a real SQLite file: counts, per-site health, outbox backlog."""

from __future__ import annotations

import pytest

from bot.services.admin import AdminService, SiteReport
from bot.storage.db import Database

A, B, GONE = "https://a.example", "https://b.example", "https://old.example"
NOW = 1_700_000_000.0


async def add_account(
    db: Database,
    chat_id: int,
    site: str,
    *,
    paused: bool = False,
    failures: int = 0,
    last_success_at: int | None = None,
    last_error: str | None = None,
) -> int:
    async with db.transaction() as conn:
        row = await conn.fetch_one(
            "INSERT INTO accounts (chat_id, site, api_key_enc, key_fingerprint, key_hint,"
            " linked_by, created_at, paused, failures, last_success_at, last_error)"
            " VALUES (?, ?, 'enc', hex(randomblob(8)), 'demo', 1, 0, ?, ?, ?, ?) RETURNING id",
            (chat_id, site, int(paused), failures, last_success_at, last_error),
        )
        assert row is not None
        return int(row[0])


async def add_outbox(db: Database, n: int, *, sent: bool = False, dropped: bool = False) -> None:
    await db.execute(
        "INSERT INTO outbox (event_key, chat_id, kind, payload, created_at, sent_at,"
        " dropped_reason) VALUES (?, 1, 'accrued', '{}', ?, ?, ?)",
        (f"e{n}", NOW - 600 + n, NOW if sent else None, "chat gone" if dropped else None),
    )


@pytest.fixture
async def filled(db: Database) -> Database:
    for chat_id, active in ((1, 1), (2, 1), (3, 0)):
        await db.execute(
            "INSERT INTO chats (chat_id, active, created_at) VALUES (?, ?, 0)", (chat_id, active)
        )
    await add_account(db, 1, A, last_success_at=int(NOW) - 120)
    await add_account(db, 2, A, failures=3, last_error="ExchangerUnavailable: HTTP 502")
    await add_account(db, 2, A, paused=True, failures=1, last_error="KeyRejected")
    await add_account(
        db, 3, GONE, failures=1, last_error="ReadTimeout for /api.html?api_key=SECRETKEY123&x=1"
    )
    await add_outbox(db, 1)
    await add_outbox(db, 2)
    await add_outbox(db, 3, sent=True)
    await add_outbox(db, 4, dropped=True)
    return db


async def test_counts_health_and_backlog(filled: Database) -> None:
    report = await AdminService(filled, [A, B]).report(now=NOW)
    assert (report.chats, report.active_chats, report.inactive_chats) == (3, 2, 1)
    assert (report.accounts, report.paused_accounts) == (4, 1)
    a, b, gone = report.sites
    assert [s.site for s in report.sites] == [A, B, GONE]  # configured first, then the rest
    assert (a.accounts, a.paused, a.active, a.failing) == (3, 1, 2, 1)
    assert a.error_rate == 0.5 and a.state == "degraded"
    assert a.last_success_at == int(NOW) - 120
    assert a.last_error == "ExchangerUnavailable: HTTP 502"  # paused accounts do not count
    assert b == SiteReport(B) and b.state == "idle" and b.error_rate is None
    assert gone.state == "down" and gone.last_success_at is None
    assert gone.last_error is not None and "SECRETKEY123" not in gone.last_error
    assert (report.outbox.pending, report.outbox.dropped) == (2, 1)
    assert report.outbox.oldest_pending_age == 599


async def test_an_empty_database_and_a_circuit_source(db: Database) -> None:
    class Circuits:
        def circuit_state(self, site: str) -> str | None:
            return "open" if site == A else None

    report = await AdminService(db, [A], Circuits()).report(now=NOW)
    assert (report.chats, report.accounts, report.outbox.pending) == (0, 0, 0)
    assert report.outbox.oldest_pending_age is None
    assert report.sites == [SiteReport(A, circuit="open")]
