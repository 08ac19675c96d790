"""The database, on one of two engines: SQLite embedded (the default) or PostgreSQL.

Repositories speak to a `Database` and, inside `transaction()`, to a `Connection`; both engines
offer the same five calls and the same rules, so every repository has one text per statement:

- placeholders are SQLite's: `?` (in order) or `?1`, `?2` (numbered); PostgreSQL gets `$n`;
- `execute` returns the number of changed rows (claims read it), `executemany` returns nothing;
- a UNIQUE, CHECK or foreign-key violation raises `IntegrityError` on both;
- rows are read by column name or by index.

Where the dialects differ (a random number, GREATEST/MAX of two values) a repository asks
`db.dialect` for the fragment. Migrations are per engine and versioned (migrations.py).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

Row = Any  # aiosqlite.Row or asyncpg.Record: both read by name and by index
Params = Iterable[Any]


class IntegrityError(Exception):
    """A constraint refused the write (UNIQUE index, foreign key), on either engine."""


class Connection(ABC):
    """One connection inside an open transaction."""

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Runs one statement; returns the number of rows it changed."""

    @abstractmethod
    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None


@dataclass(frozen=True, slots=True)
class Dialect:
    """The few fragments whose spelling differs between the engines."""

    name: str
    random_fraction: str  # a random number in [0, 1), new for every row
    greatest: str  # the larger of two values
    least: str
    # The ids of a group as one comma-separated text (`{}`: the id column).
    id_list: str
    # `IN (?, …)` with one placeholder per id makes a new statement for each count: fine for
    # SQLite's cache, but PostgreSQL would prepare each anew. There: one array parameter.
    arrays: bool = False
    # Row locks (`FOR UPDATE SKIP LOCKED`): several processes share the work by claiming rows
    # (issue 15). SQLite has one writer and one bot process: it reads, then writes the lease.
    row_locks: bool = False

    def among(self, column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
        """`column IN (?, …)`, or `column = ANY(?)` with an array, and its parameters."""
        if self.arrays:
            return f"{column} = ANY(CAST(? AS BIGINT[]))", [list(ids)]
        return f"{column} IN ({','.join('?' * len(ids))})", list(ids)


SQLITE = Dialect("sqlite", "((abs(random()) % 1000000) / 1e6)", "MAX", "MIN", "group_concat({})")
POSTGRESQL = Dialect(
    "postgresql",
    "random()",
    "GREATEST",
    "LEAST",
    "string_agg(CAST({} AS TEXT), ',')",
    arrays=True,
    row_locks=True,
)


class Database(ABC):
    dialect: Dialect

    @staticmethod
    async def open(target: Path | str) -> Database:
        """A SQLite file (a Path, `sqlite:///path`) or a PostgreSQL server
        (`postgresql://user:password@host:port/dbname`); migrated to the current schema."""
        if isinstance(target, str):
            engine, location = parse_url(target)
            if engine == "postgresql":
                from bot.storage.postgres import PostgresDatabase

                return await PostgresDatabase.connect(location)
            target = Path(location)
        from bot.storage.sqlite import SQLiteDatabase

        return await SQLiteDatabase.connect(target)

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        """One transaction, committed at the end, rolled back on any exception."""

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One write statement in its own transaction; returns the number of changed rows."""
        async with self.transaction() as conn:
            return await conn.execute(sql, params)

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """A read of the last committed state (never waits behind a write transaction)."""

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None


def parse_url(url: str) -> tuple[str, str]:
    """("sqlite", path) or ("postgresql", the URL for the driver). Raises ValueError."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc or not path.startswith("/") or path == "/":
            raise ValueError("a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
        return "sqlite", path[1:]
    if scheme in ("postgresql", "postgres"):
        if not parts.path.strip("/") and "host=" not in parts.query:
            raise ValueError("a PostgreSQL URL names its database: postgresql://user@host/dbname")
        return "postgresql", url.replace(parts.scheme + "://", "postgresql://", 1)
    raise ValueError("DATABASE_URL must start with sqlite:/// or postgresql://")


def redact_url(url: str) -> str:
    """The URL without its password, for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


_NUMBERED = re.compile(r"\?(\d+)")


@lru_cache(maxsize=512)
def numbered(sql: str) -> str:
    """SQLite placeholders (`?`, `?1`) as PostgreSQL's (`$1`). No statement of the bot has a
    question mark inside a string literal."""
    if _NUMBERED.search(sql):
        return _NUMBERED.sub(r"$\1", sql)
    pieces = sql.split("?")
    out = [pieces[0]]
    for index, piece in enumerate(pieces[1:], start=1):
        out.append(f"${index}{piece}")
    return "".join(out)
