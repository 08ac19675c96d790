"""One process at a time in a role (issue 15: the outbox's sender), by a PostgreSQL session
advisory lock held on a connection of its own.

`held()` takes the lock when it is free (`pg_try_advisory_lock`, never waits) and then keeps
the connection; while it answers, the role stays here. When the process dies, PostgreSQL
closes its connection and frees the lock: another process takes the role at its next
`held()`. A connection that stops answering is dropped here too (the lock goes with it).
On SQLite there is one process: the role is always held.
"""

from __future__ import annotations

import contextlib
import logging

from bot.storage.db import Database

log = logging.getLogger(__name__)

SENDER_LOCK = 0x706578736E64  # "pexsnd" in ASCII: any constant, distinct from the migrations'


class Leadership:
    def __init__(self, db: Database, key: int, name: str) -> None:
        self._db, self._key, self._name = db, key, name
        self._conn: object | None = None
        self.is_leader = not db.dialect.row_locks  # SQLite: the only process

    async def held(self) -> bool:
        """Whether this process holds the role now (taking it when it is free)."""
        if not self._db.dialect.row_locks:
            return True
        from bot.storage.postgres import PostgresDatabase

        assert isinstance(self._db, PostgresDatabase)
        try:
            if self._conn is None:
                conn = await self._db.dedicated()
                if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", self._key):
                    await conn.close()
                    return self._set(False)
                self._conn = conn
            else:
                await self._db.ping(self._conn)  # still ours while the connection answers
        except Exception as exc:  # the connection is gone: so is the lock
            log.warning("%s role: database connection lost (%s)", self._name, type(exc).__name__)
            await self.release()
            return self._set(False)
        return self._set(True)

    def _set(self, leader: bool) -> bool:
        if leader != self.is_leader:
            log.info("%s role %s", self._name, "taken" if leader else "not held")
        self.is_leader = leader
        return leader

    async def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            from bot.storage.postgres import PostgresDatabase

            assert isinstance(self._db, PostgresDatabase)
            with contextlib.suppress(Exception):
                await self._db.close_dedicated(conn)
        self.is_leader = not self._db.dialect.row_locks
