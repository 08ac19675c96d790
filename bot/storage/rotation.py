"""SQL of key rotation (`python -m bot.rotate_keys`): every Fernet token re-encrypted with the
primary key and every key fingerprint recomputed, in one transaction, on a stopped bot's SQLite
file; VACUUM and a WAL checkpoint then remove the old tokens' pages.

SQLite only, for now: with DATABASE_URL=postgresql://… the command refuses (README, "Storage")."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.storage.crypto import DecryptionError, KeyVault


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


def _rotate_all(conn: sqlite3.Connection, vault: KeyVault) -> dict[str, int]:
    failed: dict[str, int] = {}
    counts = {"api keys": _rotate_accounts(conn, vault, failed)}
    for spec in WALLET_COLUMNS:
        counts[spec.label] = _rotate_column(conn, vault, spec, failed)
    if failed:
        listing = ", ".join(f"{count} {label}" for label, count in failed.items())
        raise RotationError(
            f"{listing} cannot be decrypted with any configured key; list the key they were "
            "encrypted with after the new one (ENCRYPTION_KEY=NEW,OLD). Nothing was changed"
        )
    return counts


def _rotate_accounts(conn: sqlite3.Connection, vault: KeyVault, failed: dict[str, int]) -> int:
    rows = conn.execute("SELECT id, site, api_key_enc FROM accounts").fetchall()
    for account_id, site, token in rows:
        try:
            api_key = vault.decrypt(token)
        except DecryptionError:
            failed["api keys"] = failed.get("api keys", 0) + 1
            continue
        conn.execute(
            "UPDATE accounts SET api_key_enc = ?, key_fingerprint = ? WHERE id = ?",
            (vault.encrypt(api_key), vault.fingerprint(site, api_key), account_id),
        )
    return len(rows)


def _rotate_column(
    conn: sqlite3.Connection, vault: KeyVault, spec: SecretColumn, failed: dict[str, int]
) -> int:
    keys = ", ".join(spec.key)
    where = " AND ".join(f"{name} = ?" for name in spec.key)
    rows = conn.execute(
        f"SELECT {keys}, {spec.column} FROM {spec.table} WHERE {spec.column} IS NOT NULL"
    ).fetchall()
    for *key, token in rows:
        try:
            rotated = vault.rotate(token)
        except DecryptionError:
            failed[spec.label] = failed.get(spec.label, 0) + 1
            continue
        conn.execute(f"UPDATE {spec.table} SET {spec.column} = ? WHERE {where}", (rotated, *key))
    return len(rows)
