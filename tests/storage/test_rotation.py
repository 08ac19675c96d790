"""Key rotation on both engines: re-encrypted with the new key, fingerprints recomputed, and
nothing written when one secret cannot be decrypted. (The command on SQLite files, with VACUUM,
is tests/test_rotate_keys.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.exchanger.models import Credentials
from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.crypto import DecryptionError, KeyVault, new_key
from bot.storage.db import Database
from bot.storage.rotation import RotationError, rotate_database, rotate_postgresql
from tests.postgres import Server, new_database

OLD, NEW = new_key().encode(), new_key().encode()
API_KEY = "rotate-me-key-0001"


async def _linked(db: Database) -> int:
    await ChatRepo(db).ensure(1, "private")
    account = await AccountRepo(db, KeyVault([OLD])).add(
        1, Credentials("https://a.example", API_KEY), 7
    )
    return account.id


async def _rotate(engine: str, target: Path | str, vault: KeyVault) -> dict[str, int]:
    if engine == "postgresql":
        assert isinstance(target, str)
        return await rotate_postgresql(target, vault)
    assert isinstance(target, Path)
    return rotate_database(target, vault)


@pytest.fixture(params=["sqlite", "postgresql"])
async def target(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path | str]:
    if request.param == "sqlite":
        return "sqlite", tmp_path / "bot.sqlite3"
    server: Server = request.getfixturevalue("pg_server")
    return "postgresql", await new_database(server)


async def test_secrets_are_readable_with_the_new_key_alone(target: tuple[str, Path | str]) -> None:
    engine, where = target
    db = await Database.open(where)
    try:
        account_id = await _linked(db)
    finally:
        await db.close()
    counts = await _rotate(engine, where, KeyVault([NEW, OLD]))
    assert counts["api keys"] == 1
    db = await Database.open(where)
    try:
        fresh = AccountRepo(db, KeyVault([NEW]))
        creds = await fresh.credentials(account_id)
        assert creds is not None and creds.api_key == API_KEY
        with pytest.raises(DecryptionError):
            await AccountRepo(db, KeyVault([OLD])).credentials(account_id)
        row = await db.fetch_one("SELECT key_fingerprint FROM accounts WHERE id = ?", (account_id,))
        assert row is not None
        assert row[0] == KeyVault([NEW]).fingerprint("https://a.example", API_KEY)
    finally:
        await db.close()


async def test_an_unreadable_secret_changes_nothing(target: tuple[str, Path | str]) -> None:
    engine, where = target
    db = await Database.open(where)
    try:
        account_id = await _linked(db)
        before = await db.fetch_one("SELECT api_key_enc FROM accounts WHERE id = ?", (account_id,))
    finally:
        await db.close()
    with pytest.raises(RotationError):
        await _rotate(engine, where, KeyVault([NEW]))  # OLD is not listed: cannot decrypt
    db = await Database.open(where)
    try:
        after = await db.fetch_one("SELECT api_key_enc FROM accounts WHERE id = ?", (account_id,))
        assert before is not None and after is not None and after[0] == before[0]
    finally:
        await db.close()
