"""The payout schema's migration from version 1: requests left unknown become checking, with
their key, and the one-in-flight-per-key index holds even for old duplicates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.db import Database, IntegrityError
from bot.storage.migrations import MIGRATIONS

V1_ROWS = """
INSERT INTO chats (chat_id, created_at) VALUES (1, 0), (2, 0);
INSERT INTO accounts (id, chat_id, site, api_key_enc, key_fingerprint, key_hint, linked_by,
    created_at) VALUES (10, 1, 'https://ex.test', 'enc', 'fp-a', 'abcd', 1, 0),
                       (20, 2, 'https://ex.test', 'enc', 'fp-a', 'abcd', 2, 0);
INSERT INTO payout_requests (id, token, chat_id, user_id, account_id, state, created_at,
    expires_at, submitted_at, outcome) VALUES
    (1, 't1', 1, 1, 10, 'unknown', 0, 0, 100, 'unknown'),
    (2, 't2', 2, 2, 20, 'submitting', 0, 0, 200, NULL),
    (3, 't3', 1, 1, 10, 'done', 0, 0, 50, 'requested');
"""


async def test_a_version_1_database_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(f"{MIGRATIONS[0]}\n{V1_ROWS}\nPRAGMA user_version = 1;")
    old.close()

    db = await Database.open(path)
    try:
        rows = await db.fetch_all(
            "SELECT id, state, claimed_at, next_check_at, key_site, key_fingerprint "
            "FROM payout_requests ORDER BY id"
        )
        assert [tuple(r) for r in rows] == [
            (1, "checking", 100, 0, "https://ex.test", None),  # an older duplicate: not indexed
            (2, "submitting", 200, None, "https://ex.test", "fp-a"),
            (3, "done", 50, None, None, None),
        ]
        with pytest.raises(IntegrityError):  # a second request in flight for fp-a
            await db.execute(
                "INSERT INTO payout_requests (token, chat_id, user_id, account_id, state, "
                "created_at, expires_at, key_site, key_fingerprint) "
                "VALUES ('t4', 1, 1, 10, 'checking', 0, 0, 'https://ex.test', 'fp-a')"
            )
    finally:
        await db.close()
