"""Copying a whole database to another engine (`python -m bot.migrate_db`): every table, in
foreign-key order, batch by batch, into an empty target in one transaction; row counts
verified; the target's id counters set past every id the source ever handed out.

Values are copied as stored: api keys and wallets stay Fernet tokens (the same encryption key
must be given to the new deployment). Integer columns get integers (SQLite may hold 5.0 in an
INTEGER column; PostgreSQL's BIGINT takes only integers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.storage.db import Connection, Database, Row

# Parents before children; the primary key orders the batches.
TABLES: tuple[tuple[str, str], ...] = (
    ("chats", "chat_id"),
    ("accounts", "id"),
    ("exchange_state", "account_id, exchange_id"),
    ("payout_state", "account_id, payout_id"),
    ("outbox", "id"),
    ("payout_requests", "id"),
    ("payout_audit", "id"),
    ("fsm", "key"),
    ("last_wallets", "account_id, method_id"),
)
# Tables with a generated id: the next id must be past every id used, including ids of
# accounts unlinked since but still named by outbox rows, requests and audit rows.
COUNTERS: dict[str, str] = {
    "accounts": "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM accounts"
    " UNION ALL SELECT MAX(account_id) FROM outbox"
    " UNION ALL SELECT MAX(account_id) FROM payout_requests"
    " UNION ALL SELECT MAX(account_id) FROM payout_audit) AS used",
    "outbox": "SELECT MAX(id) FROM outbox",
    "payout_requests": "SELECT MAX(id) FROM payout_requests",
    "payout_audit": "SELECT MAX(id) FROM payout_audit",
}
BATCH = 2000


class TargetNotEmpty(Exception):
    pass


class CountMismatch(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Copied:
    table: str
    rows: int


async def counts(db: Database) -> dict[str, int]:
    return {
        table: int((await db.fetch_one(f"SELECT COUNT(*) FROM {table}"))[0])  # type: ignore[index]
        for table, _ in TABLES
    }


async def copy_database(
    source: Database, target: Database, progress: Callable[[Copied], None] = lambda _: None
) -> list[Copied]:
    """Copies every row of `source` into `target` (both migrated to the same version).
    Raises TargetNotEmpty before writing anything, CountMismatch (rolled back) after."""
    if any((await counts(target)).values()):
        raise TargetNotEmpty("the target database already holds rows; give an empty one")
    report: list[Copied] = []
    async with target.transaction() as conn:
        for table, key in TABLES:
            integers = await _integer_columns(target, conn, table)
            copied = 0
            while True:
                rows = await source.fetch_all(
                    f"SELECT * FROM {table} ORDER BY {key} LIMIT ? OFFSET ?", (BATCH, copied)
                )
                if not rows:
                    break
                columns = list(rows[0].keys())
                marks = ", ".join("?" for _ in columns)
                await conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                    [_values(row, columns, integers) for row in rows],
                )
                copied += len(rows)
            report.append(Copied(table, copied))
            progress(report[-1])
        for table, used in COUNTERS.items():
            row = await conn.fetch_one(used)
            await _set_counter(target, conn, table, int(row[0] or 0) if row else 0)
        expected = await counts(source)
        for table, _ in TABLES:
            row = await conn.fetch_one(f"SELECT COUNT(*) FROM {table}")
            found = int(row[0]) if row else 0
            if found != expected[table]:
                raise CountMismatch(f"{table}: {expected[table]} rows in the source, {found} here")
    return report


async def _integer_columns(target: Database, conn: Connection, table: str) -> frozenset[str]:
    if target.dialect.name == "postgresql":
        rows = await conn.fetch_all(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ? AND data_type = 'bigint'",
            (table,),
        )
    else:
        rows = await conn.fetch_all(
            "SELECT name FROM pragma_table_info(?) WHERE type = 'INTEGER'", (table,)
        )
    return frozenset(str(row[0]) for row in rows)


def _values(row: Row, columns: Sequence[str], integers: frozenset[str]) -> tuple[Any, ...]:
    values = []
    for name in columns:
        value = row[name]
        if name in integers and isinstance(value, float) and value.is_integer():
            value = int(value)
        values.append(value)
    return tuple(values)


async def _set_counter(target: Database, conn: Connection, table: str, used: int) -> None:
    if used <= 0:
        return
    if target.dialect.name == "postgresql":
        await conn.fetch_one(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), ?)", (used,))
    elif table == "accounts":  # the only AUTOINCREMENT table; the others take MAX(id) + 1
        await conn.execute("DELETE FROM sqlite_sequence WHERE name = 'accounts'")
        await conn.execute(
            "INSERT INTO sqlite_sequence (name, seq) VALUES ('accounts', ?)", (used,)
        )
