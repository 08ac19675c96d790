"""`python -m bot.migrate_db`: a database made by the previous release (schema version 3, built
with its migrations) moves to PostgreSQL with every row, keys still encrypted and readable with
the same key; a non-empty target is refused; ids are never handed out twice afterwards."""

from __future__ import annotations

import asyncio
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from bot.exchanger.models import Credentials
from bot.migrate_db import main
from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.copy import TABLES, counts
from bot.storage.crypto import KeyVault
from bot.storage.db import Database
from bot.storage.fsm import FsmRepo
from bot.storage.migrations import MIGRATIONS
from bot.storage.outbox import Message, Outbox, PollResult
from bot.storage.payouts import Draft, PayoutRepo, State
from tests.postgres import Server, new_database


async def previous_release_db(path: Path, vault: KeyVault) -> dict[str, int]:
    """Built as the previous release did: its three migrations, then its statements."""
    with sqlite3.connect(path) as conn:
        for version, script in enumerate(MIGRATIONS, start=1):
            conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    db = await Database.open(path)
    try:
        chats, accounts = ChatRepo(db), AccountRepo(db, vault)
        await chats.ensure(-1001, "supergroup")
        await chats.ensure(5, "private")
        kept = await accounts.add(-1001, Credentials("https://ex.test", "KEY-kept"), 5)
        gone = await accounts.add(5, Credentials("https://ex.test", "KEY-gone"), 5)
        message = Message(f"{gone.id}:accrued:1:1", "accrued", 5, gone.id, {"n": 1})
        await Outbox(db).save([PollResult(gone.id, 60.0, polled_at=1.0, messages=(message,))])
        await accounts.delete(5, gone.id)  # unlinked: its id stays used by the outbox row
        payouts = PayoutRepo(db, vault)
        draft = Draft(-1001, 5, kept.id, 3, "USDT", "T-wallet-1", Decimal("12.5"), Decimal("1"))
        request = await payouts.create(draft, 1000.0)
        await payouts.show(request.token, 2000.0)
        await payouts.claim(request, 5, 1500.0)
        await payouts.settle(
            request,
            State.DONE,
            "requested",
            from_states=(State.SUBMITTING,),
            user_id=5,
            now=1600.0,
            payout_id=9,
        )
        await FsmRepo(db).set_data("1:5:5::default", {"account": kept.id})
        return await counts(db)
    finally:
        await db.close()


async def test_the_previous_release_moves_to_postgresql(
    tmp_path: Path, pg_server: Server, vault: KeyVault, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bot.sqlite3"
    before = await previous_release_db(path, vault)
    assert all(before[table] for table, _ in TABLES if not table.endswith("_state"))
    url = await new_database(pg_server)

    assert await asyncio.to_thread(main, [f"sqlite:///{path}", url]) == 0
    out = capsys.readouterr().out
    assert "row counts verified" in out and "KEY-" not in out and "T-wallet" not in out

    db = await Database.open(url)
    try:
        assert await counts(db) == before
        accounts = AccountRepo(db, vault)
        [kept] = await accounts.for_chat(-1001)
        creds = await accounts.credentials(kept.id)
        assert creds is not None and creds.api_key == "KEY-kept"  # same encryption key
        assert await PayoutRepo(db, vault).last_wallet(kept.id, 3) == "T-wallet-1"
        assert await FsmRepo(db).data("1:5:5::default") == {"account": kept.id}
        fresh = await accounts.add(5, Credentials("https://ex.test", "KEY-new"), 5)
        assert fresh.id > kept.id + 1  # the unlinked account's id is never reused
    finally:
        await db.close()

    assert await asyncio.to_thread(main, [f"sqlite:///{path}", url]) == 1  # never overwrites
    assert "already holds rows" in capsys.readouterr().err


def test_bad_urls_are_refused_without_echoing_a_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["mysql://u:hunter2@h/db", "sqlite:///x.sqlite3"]) == 2
    err = capsys.readouterr().err
    assert "hunter2" not in err and "postgresql://" in err
    assert main(["sqlite:///same.sqlite3", "sqlite:///same.sqlite3"]) == 2
