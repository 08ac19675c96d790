"""SQL of key rotation (`python -m bot.rotate_keys`): every Fernet token re-encrypted with the
primary key and every key fingerprint recomputed, in one transaction, on a stopped bot's
database. On SQLite, VACUUM and a WAL checkpoint then remove the old tokens' pages; on
PostgreSQL the old row versions go with the next (auto)vacuum.

The rows are read, re-encrypted in memory (`_plan`, the same for both engines) and written
back; a secret no configured key can decrypt aborts the run before anything is written."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.storage.crypto import DecryptionError, KeyVault
from bot.storage.db import Database


class RotationError(Exception):
    """Rotation cannot be done; the message is one line for the operator, without secrets."""


@dataclass(frozen=True, slots=True)
class SecretColumn:
    table: str
    key: tuple[str, ...]  # the primary key columns (last_wallets has no rowid)
    column: str
    label: str


# Every encrypted column (`*_enc`) besides accounts.api_key_enc; a test checks the schema.
WALLET_COLUMNS = (
    SecretColumn("payout_requests", ("id",), "wallet_enc", "payout request wallets"),
    SecretColumn("last_wallets", ("account_id", "method_id"), "wallet_enc", "saved wallets"),
)


def rotate_database(path: Path, vault: KeyVault) -> dict[str, int]:
    """Re-encrypts all secrets in one transaction; returns the count per kind of secret."""
    if not path.is_file():
        raise RotationError(f"no database at DATABASE_PATH={path}")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        _check_schema(conn, path)
        conn.execute("BEGIN IMMEDIATE")
        try:
            counts = _rotate_all(conn, vault)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        # The old tokens stay in free pages and in the WAL until these rewrite the files.
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        return counts
    finally:
        conn.close()


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < 1:
        raise RotationError(f"DATABASE_PATH={path} is not a database of this bot")


_ACCOUNTS = "SELECT id, site, api_key_enc FROM accounts"
_ACCOUNT_UPDATE = "UPDATE accounts SET api_key_enc = ?, key_fingerprint = ? WHERE id = ?"


def _select(spec: SecretColumn) -> str:
    keys = ", ".join(spec.key)
    return f"SELECT {keys}, {spec.column} FROM {spec.table} WHERE {spec.column} IS NOT NULL"


def _update(spec: SecretColumn) -> str:
    where = " AND ".join(f"{name} = ?" for name in spec.key)
    return f"UPDATE {spec.table} SET {spec.column} = ? WHERE {where}"


Plan = list[tuple[str, list[tuple[Any, ...]]]]  # statement → its parameter rows


def _plan(
    vault: KeyVault, accounts: list[Sequence[Any]], columns: list[list[Sequence[Any]]]
) -> tuple[Plan, dict[str, int]]:
    """Every update to make, and the count per kind of secret; RotationError when any secret
    cannot be decrypted (then nothing is written)."""
    failed: dict[str, int] = {}
    account_rows: list[tuple[Any, ...]] = []
    for account_id, site, token in accounts:
        try:
            api_key = vault.decrypt(token)
        except DecryptionError:
            failed["api keys"] = failed.get("api keys", 0) + 1
            continue
        account_rows.append((vault.encrypt(api_key), vault.fingerprint(site, api_key), account_id))
    plan: Plan = [(_ACCOUNT_UPDATE, account_rows)]
    counts = {"api keys": len(accounts)}
    for spec, rows in zip(WALLET_COLUMNS, columns, strict=True):
        updates: list[tuple[Any, ...]] = []
        for *key, token in rows:
            try:
                updates.append((vault.rotate(token), *key))
            except DecryptionError:
                failed[spec.label] = failed.get(spec.label, 0) + 1
        plan.append((_update(spec), updates))
        counts[spec.label] = len(rows)
    if failed:
        listing = ", ".join(f"{count} {label}" for label, count in failed.items())
        raise RotationError(
            f"{listing} cannot be decrypted with any configured key; list the key they were "
            "encrypted with after the new one (ENCRYPTION_KEY=NEW,OLD). Nothing was changed"
        )
    return plan, counts


def _rotate_all(conn: sqlite3.Connection, vault: KeyVault) -> dict[str, int]:
    accounts = conn.execute(_ACCOUNTS).fetchall()
    columns = [conn.execute(_select(spec)).fetchall() for spec in WALLET_COLUMNS]
    plan, counts = _plan(vault, accounts, columns)
    for statement, rows in plan:
        conn.executemany(statement, rows)
    return counts


async def rotate_postgresql(url: str, vault: KeyVault) -> dict[str, int]:
    """The same rotation on a PostgreSQL database (`DATABASE_URL`), in one transaction."""
    db = await Database.open(url)
    try:
        async with db.transaction() as conn:
            accounts = await conn.fetch_all(_ACCOUNTS + " FOR UPDATE")
            columns = [
                await conn.fetch_all(_select(spec) + " FOR UPDATE") for spec in WALLET_COLUMNS
            ]
            plan, counts = _plan(
                vault, [tuple(r) for r in accounts], [[tuple(r) for r in rows] for rows in columns]
            )
            for statement, rows in plan:
                await conn.executemany(statement, rows)
        return counts
    finally:
        await db.close()
