"""Is the database reachable? One trivial read, without migrating or writing anything (the
container's HEALTHCHECK runs it every 30 s beside the bot)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import asyncpg


async def ping(target: Path | str, wait: float = 5.0) -> None:
    """Raises when the database cannot be read: a missing SQLite file, a server that refuses."""
    if isinstance(target, Path):
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True, timeout=wait)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
        return
    pg = await asyncpg.connect(target, timeout=wait)
    try:
        await pg.fetchval("SELECT 1", timeout=wait)
    finally:
        await pg.close()
