"""`python -m bot.rotate_keys` on a real SQLite file: readable only with the old key before,
only with the new key after; all or nothing; no secret printed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.exchanger.models import Credentials
from bot.rotate_keys import main
from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.crypto import KEY_FILE_NAME, DecryptionError, KeyVault
from bot.storage.db import Database
from bot.storage.rotation import WALLET_COLUMNS

SITE = "https://ex.example"
API_KEYS = ("rotate-me-key-0001", "rotate-me-key-0002")
WALLETS = ("TWALLETONE000000000000000000000001", "TWALLETTWO000000000000000000000002")
REPO_ROOT = Path(__file__).resolve().parents[1]


async def make_old_database(path: Path, old: bytes) -> None:
    """Two accounts, a payout request wallet and a saved wallet, encrypted with `old`."""
    vault = KeyVault([old])
    db = await Database.open(path)
    try:
        await ChatRepo(db).ensure(10, "private")
        repo = AccountRepo(db, vault)
        ids = [(await repo.add(10, Credentials(SITE, key), linked_by=7)).id for key in API_KEYS]
        now = time.time()
        await db.execute(
            "INSERT INTO payout_requests (token, chat_id, user_id, account_id, wallet_enc, state,"
            " created_at, expires_at) VALUES ('t1', 10, 7, ?, ?, 'created', ?, ?)",
            (ids[0], vault.encrypt(WALLETS[0]), now, now + 300),
        )
        await db.execute(
            "INSERT INTO payout_requests (token, chat_id, user_id, account_id, state, created_at,"
            " expires_at) VALUES ('t2', 10, 7, ?, 'cancelled', ?, ?)",  # no wallet: skipped
            (ids[1], now, now + 300),
        )
        await db.execute(
            "INSERT INTO last_wallets (account_id, method_id, wallet_enc) VALUES (?, 1, ?)",
            (ids[1], vault.encrypt(WALLETS[1])),
        )
    finally:
        await db.close()


def stored(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        return {
            "accounts": conn.execute(
                "SELECT site, api_key_enc, key_fingerprint FROM accounts ORDER BY id"
            ).fetchall(),
            "wallets": conn.execute(
                "SELECT wallet_enc FROM payout_requests WHERE wallet_enc IS NOT NULL "
                "UNION ALL SELECT wallet_enc FROM last_wallets"
            ).fetchall(),
        }


def readable_with(path: Path, keys: list[bytes]) -> bool:
    """Every secret decrypts with `keys` and every fingerprint matches their primary key."""
    vault = KeyVault(keys)
    data = stored(path)
    try:
        plain = [vault.decrypt(token) for _, token, _ in data["accounts"]]
        wallets = [vault.decrypt(token) for (token,) in data["wallets"]]
    except DecryptionError:
        return False
    fingerprints = [
        vault.fingerprint(site, key)
        for (site, _, _), key in zip(data["accounts"], plain, strict=True)
    ]
    assert sorted(plain) == sorted(API_KEYS) and sorted(wallets) == sorted(WALLETS)
    return fingerprints == [fp for _, _, fp in data["accounts"]]


def file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("ENCRYPTION_KEY", raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "data" / "bot.sqlite3"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return monkeypatch


async def test_rotation_moves_every_secret_to_the_new_key(
    env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    old, new = Fernet.generate_key(), Fernet.generate_key()
    await make_old_database(path, old)
    old_tokens = [token for _, token, _ in stored(path)["accounts"]]
    assert readable_with(path, [old]) and not readable_with(path, [new])

    env.setenv("ENCRYPTION_KEY", f"{new.decode()},{old.decode()}")
    assert main([]) == 0

    assert readable_with(path, [new]) and not readable_with(path, [old])
    assert not any(token.encode() in file_bytes(path) for token in old_tokens)  # vacuumed
    out, err = capsys.readouterr()
    assert "2 api keys, 1 payout request wallets, 1 saved wallets" in out and err == ""
    assert "keep only the first key" in out
    for secret in (*API_KEYS, *WALLETS, new.decode(), old.decode()):
        assert secret not in out
    # The bot reads the rotated database with only the new key.
    db = await Database.open(path)
    try:
        repo = AccountRepo(db, KeyVault([new]))
        accounts = await repo.for_chat(10)
        assert [(await repo.credentials(a.id)).api_key for a in accounts] == list(API_KEYS)
    finally:
        await db.close()


async def test_without_the_old_key_nothing_changes(
    env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    old, new = Fernet.generate_key(), Fernet.generate_key()
    await make_old_database(path, old)
    before = stored(path)
    env.setenv("ENCRYPTION_KEY", new.decode())
    assert main([]) == 1
    assert stored(path) == before and readable_with(path, [old])
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2 api keys" in err and "ENCRYPTION_KEY=NEW,OLD" in err


async def test_the_generated_key_file_can_hold_new_and_old(
    env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    old, new = Fernet.generate_key(), Fernet.generate_key()
    await make_old_database(path, old)
    key_file = path.parent / KEY_FILE_NAME
    key_file.write_text(f"{new.decode()},{old.decode()}\n")
    assert main([]) == 0
    assert readable_with(path, [new])
    assert str(key_file) in capsys.readouterr().out


async def test_every_encrypted_column_of_the_schema_is_rotated(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        tables = await db.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")
        encrypted = set()
        for table in tables:
            columns = await db.fetch_all(f"PRAGMA table_info({table['name']})")
            encrypted |= {(table["name"], c["name"]) for c in columns if c["name"].endswith("_enc")}
    finally:
        await db.close()
    rotated = {("accounts", "api_key_enc")} | {(c.table, c.column) for c in WALLET_COLUMNS}
    assert encrypted == rotated


def test_missing_key_file_or_database_is_one_line_and_creates_nothing(
    env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    assert main([]) == 1
    assert "no key file" in capsys.readouterr().err
    assert not data_dir.exists()  # no key generated by the rotation command
    env.setenv("ENCRYPTION_KEY", Fernet.generate_key().decode())
    assert main([]) == 1
    assert "no database" in capsys.readouterr().err and not data_dir.exists()


def test_malformed_key_is_not_echoed(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("ENCRYPTION_KEY", "not-a-fernet-key-SECRETVALUE")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "Fernet" in err and "SECRETVALUE" not in err


def test_new_key_prints_a_fresh_fernet_key_from_the_command_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ENCRYPTION_KEY"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "bot.rotate_keys", "--new-key"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    key = done.stdout.strip()
    Fernet(key.encode())  # a valid key
    assert len(done.stdout.splitlines()) == 1


def test_an_unreachable_postgresql_fails_in_one_line_without_the_password(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("ENCRYPTION_KEY", Fernet.generate_key().decode())
    env.setenv("DATABASE_URL", "postgresql://bot:hunter2@db/bot")
    assert main([]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Rotation failed:") and err.count("\n") == 1 and "hunter2" not in err
