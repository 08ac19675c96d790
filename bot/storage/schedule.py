"""What the poller reads: which accounts are due (indexed on `accounts.next_poll_at`), the
window each one needs, and the stored state of the items a poll returned.

Leases (issue 15): `next_poll_at` of an account being polled is its lease, one interval ahead.
On PostgreSQL several processes share the accounts: `claim()` takes due rows and sets their
lease in ONE statement (`UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)
RETURNING …`, the shape of procrastinate's job queue), so a row is claimed by exactly one
process; a process that dies stops renewing, its leases expire and the others take its
accounts at their next round. An account stays with the process that polled it last (which
keeps what the last poll saw, and skips an unchanged answer cheaply) unless it is late by the
takeover grace: then any process takes it (its holder died or cannot keep up). On SQLite (one
process) `claim()` is a read and the poller writes the leases in its batch rescheduling.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.exchanger.models import PayoutStatus
from bot.storage.db import Database, Row
from bot.storage.snapshots import ExchangeState, PayoutState, Snapshot

_CHUNK = 500  # ids per IN (...): far below either engine's limit on parameters
_COLUMNS = (
    "SELECT a.id, a.chat_id, a.site, a.key_hint, a.api_key_enc, a.baseline_done,"
    " a.payout_available, a.failures, a.last_success_at, c.active, a.paused, a.paused_at,"
    " a.created_at FROM accounts a JOIN chats c ON c.chat_id = a.chat_id"
)
_DUE = f"{_COLUMNS} WHERE a.paused = 0 AND a.next_poll_at <= ? ORDER BY a.next_poll_at LIMIT ?"
_RECHECK = (
    f"{_COLUMNS} WHERE a.paused = 1 AND a.next_check_at <= ? ORDER BY a.next_check_at LIMIT ?"
)
_SITE_ACCOUNTS = (
    "SELECT COUNT(*) FROM accounts a JOIN chats c ON c.chat_id = a.chat_id"
    " WHERE a.site = ? AND a.paused = 0 AND c.active = 1"
)
_OPEN = (
    "SELECT (SELECT MIN(time) FROM exchange_state WHERE account_id = ? AND accrued = 0),"
    " (SELECT MIN(time) FROM payout_state WHERE account_id = ? AND status = 0),"
    " (SELECT MAX(payout_id) FROM payout_state WHERE account_id = ?),"
    " (SELECT {pending} FROM payout_state WHERE account_id = ? AND status = 0)"
)


@dataclass(frozen=True, slots=True)
class DueAccount:
    id: int
    chat_id: int
    site: str
    key_hint: str
    api_key_enc: str
    baseline_done: bool
    payout_available: bool
    failures: int
    last_success_at: int | None
    chat_active: bool
    paused: bool = False  # due for a re-check of its rejected key
    paused_at: float | None = None
    created_at: int = 0  # when it was linked
    moved: bool = False  # claimed from another process's lease (PostgreSQL, issue 15)
    lease_until: float = float("inf")  # PostgreSQL: the claim's lease (a poll must not outlive it)

    @property
    def label(self) -> str:
        return f"{self.site.split('://', 1)[-1]} · {self.key_hint}…"


@dataclass(frozen=True, slots=True)
class OpenItems:
    """The oldest items that can still change (their creation time), the last payout id and
    the ids of the pending payouts."""

    oldest_exchange: int | None
    oldest_payout: int | None
    last_payout_id: int
    pending_payouts: frozenset[int] = frozenset()


_CLAIM = (  # PostgreSQL: due rows of no other process, leased in the same statement
    "WITH due AS (SELECT id, lease_owner FROM accounts WHERE paused = {paused}"
    " AND {column} <= ?1 AND (lease_owner IS NULL OR lease_owner = ?4 OR {column} <= ?5)"
    " ORDER BY {column} LIMIT ?2 FOR UPDATE SKIP LOCKED)"
    " UPDATE accounts SET {column} = ?3, lease_owner = ?4 FROM due WHERE accounts.id = due.id"
    " RETURNING accounts.id, due.lease_owner IS DISTINCT FROM ?4 AS moved"
)


class PollSchedule:
    def __init__(self, db: Database, owner: str = "") -> None:
        self._db = db
        self._owner = owner or uuid.uuid4().hex  # this process, as the holder of leases
        self._open = _OPEN.format(pending=db.dialect.id_list.format("payout_id"))

    @property
    def shared(self) -> bool:
        """Several processes poll these accounts (PostgreSQL): a poll holds a lease."""
        return self._db.dialect.row_locks

    async def renew(self, account_id: int, lease_until: float) -> bool:
        """Extends this process's lease on an account being polled; False when the lease is
        no longer ours (it ran out and another process claimed the account)."""
        changed = await self._db.execute(
            "UPDATE accounts SET next_poll_at = CASE paused WHEN 0 THEN ?1 ELSE next_poll_at"
            " END, next_check_at = CASE paused WHEN 0 THEN next_check_at ELSE ?1 END"
            " WHERE id = ?2 AND lease_owner = ?3",
            (lease_until, account_id, self._owner),
        )
        return changed > 0

    async def claim(
        self, now: float, lease_until: float, limit: int, takeover_before: float | None = None
    ) -> list[DueAccount]:
        """Due accounts for this process, leased until `lease_until` (PostgreSQL), in due
        order: its own and new ones when due, another process's only when due at or before
        `takeover_before` (default: `now`, no preference); `moved` when another process (or
        none) held the last lease. On SQLite: `due()`; the caller writes the leases."""
        if not self._db.dialect.row_locks:
            return await self.due(now, limit)
        late = now if takeover_before is None else takeover_before
        return await self._claim("0", "next_poll_at", now, lease_until, limit, late)

    async def claim_rechecks(self, now: float, lease_until: float, limit: int) -> list[DueAccount]:
        """As `claim()`, for paused accounts whose key is due to be tried again."""
        if not self._db.dialect.row_locks:
            return await self.rechecks(now, limit)
        return await self._claim("1", "next_check_at", now, lease_until, limit, now)

    async def _claim(
        self, paused: str, column: str, now: float, until: float, limit: int, late: float
    ) -> list[DueAccount]:
        statement = _CLAIM.format(paused=paused, column=column)
        async with self._db.transaction() as conn:
            claimed = await conn.fetch_all(statement, (now, limit, until, self._owner, late))
            if not claimed:
                return []
            moved = {int(row[0]): bool(row[1]) for row in claimed}
            among, params = self._db.dialect.among("a.id", list(moved))
            rows = await conn.fetch_all(f"{_COLUMNS} WHERE {among}", params)
        accounts = [replace(_due(row), moved=moved[row["id"]], lease_until=until) for row in rows]
        order = {account_id: index for index, account_id in enumerate(moved)}
        return sorted(accounts, key=lambda d: order[d.id])

    async def due(self, now: float, limit: int) -> list[DueAccount]:
        rows = await self._db.fetch_all(_DUE, (now, limit))
        return [_due(row) for row in rows]

    async def rechecks(self, now: float, limit: int) -> list[DueAccount]:
        """Paused accounts whose key is due to be tried again."""
        rows = await self._db.fetch_all(_RECHECK, (now, limit))
        return [_due(row) for row in rows]

    async def site_accounts(self, site: str) -> int:
        """How many accounts of `site` are polled (not paused, chat reachable)."""
        row = await self._db.fetch_one(_SITE_ACCOUNTS, (site,))
        return int(row[0]) if row else 0

    async def next_due_at(self) -> float | None:
        row = await self._db.fetch_one("SELECT MIN(next_poll_at) FROM accounts WHERE paused = 0")
        return float(row[0]) if row and row[0] is not None else None

    async def reschedule(self, times: Sequence[tuple[int, float]]) -> None:
        """Set next_poll_at for many accounts at once: (account_id, at)."""
        if not times:
            return
        async with self._db.transaction() as conn:
            await conn.executemany(  # a paused account's lease is on its next re-check
                "UPDATE accounts SET next_poll_at = CASE paused WHEN 0 THEN ?1 ELSE next_poll_at"
                " END, next_check_at = CASE paused WHEN 0 THEN next_check_at ELSE ?1 END"
                " WHERE id = ?2",
                [(at, i) for i, at in times],
            )

    async def spread(self, now: float, interval: float, max_ahead: float | None = None) -> int:
        """At start: overdue accounts (the bot was down) are spread over one interval instead
        of all polled at once. Freshly linked ones (no baseline yet) stay due now. Times more
        than `max_ahead` ahead (the clock was set back while the bot was down) are spread too,
        and so are re-checks of paused accounts set more than a day ahead."""
        ahead = now + (max_ahead if max_ahead is not None else 10 * 365 * 86_400.0)
        fraction = self._db.dialect.random_fraction
        # PostgreSQL: rows another process holds now (claiming, rescheduling, spreading at the
        # same start) are skipped, not waited for: two spreads locking rows in different
        # orders would deadlock, and those rows are being scheduled anyway.
        skip = " FOR UPDATE SKIP LOCKED" if self._db.dialect.row_locks else ""
        async with self._db.transaction() as conn:
            await conn.execute(
                f"UPDATE accounts SET next_check_at = ?1 + {fraction} * ?2 WHERE id IN"
                f" (SELECT id FROM accounts WHERE paused = 1 AND next_check_at > ?1 + 86400{skip})",
                (now, interval),
            )
            return await conn.execute(
                f"UPDATE accounts SET next_poll_at = ?1 + {fraction} * ?2 WHERE id IN"
                " (SELECT id FROM accounts WHERE paused = 0 AND ((next_poll_at < ?1 AND"
                f" baseline_done = 1) OR next_poll_at > ?3){skip})",
                (now, interval, ahead),
            )

    async def open_items(self, account_id: int) -> OpenItems:
        row = await self._db.fetch_one(self._open, (account_id,) * 4)
        assert row is not None
        pending = frozenset(int(i) for i in str(row[3] or "").split(",") if i)
        return OpenItems(row[0], row[1], int(row[2] or 0), pending)

    async def snapshot(
        self,
        account: DueAccount,
        exchange_ids: Sequence[int],
        payout_ids: Sequence[int],
        last_payout_id: int,
    ) -> Snapshot:
        exchanges = {
            row[0]: ExchangeState(row[0], row[1], bool(row[2]), bool(row[3]))
            for row in await self._rows(
                "SELECT exchange_id, time, completed, accrued FROM exchange_state"
                " WHERE account_id = ? AND {}",
                "exchange_id",
                account.id,
                exchange_ids,
            )
        }
        payouts = {
            row[0]: PayoutState(row[0], row[1], _status(row[2]))
            for row in await self._rows(
                "SELECT payout_id, time, status FROM payout_state WHERE account_id = ? AND {}",
                "payout_id",
                account.id,
                payout_ids,
            )
        }
        return Snapshot(exchanges, payouts, account.payout_available, last_payout_id)

    async def _rows(self, sql: str, column: str, account_id: int, ids: Sequence[int]) -> list[Row]:
        rows: list[Row] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            among, params = self._db.dialect.among(column, chunk)
            rows += await self._db.fetch_all(sql.format(among), (account_id, *params))
        return rows


def _status(value: Any) -> PayoutStatus:
    try:
        return PayoutStatus(int(value))
    except ValueError:  # a status unknown to this bot version: treat as still pending
        return PayoutStatus.PENDING


def _due(row: Row) -> DueAccount:
    return DueAccount(
        id=row["id"],
        chat_id=row["chat_id"],
        site=row["site"],
        key_hint=row["key_hint"],
        api_key_enc=row["api_key_enc"],
        baseline_done=bool(row["baseline_done"]),
        payout_available=bool(row["payout_available"]),
        failures=row["failures"],
        last_success_at=row["last_success_at"],
        chat_active=bool(row["active"]),
        paused=bool(row["paused"]),
        paused_at=row["paused_at"],
        created_at=row["created_at"],
    )
