"""Read-only statistics for /admin: counts of chats and accounts, poll health per site and the
outbox backlog, all read from the columns the poller and the sender keep."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.db import Database, Row

_SITES = """
SELECT site, COUNT(*) AS accounts, SUM(paused) AS paused,
       SUM(CASE WHEN paused = 0 AND failures > 0 THEN 1 ELSE 0 END) AS failing,
       MAX(last_success_at) AS last_success_at,
       (SELECT e.last_error FROM accounts AS e
         WHERE e.site = a.site AND e.paused = 0 AND e.failures > 0 AND e.last_error IS NOT NULL
         ORDER BY e.failures DESC, e.id LIMIT 1) AS last_error
FROM accounts AS a GROUP BY site
"""
_PENDING = "sent_at IS NULL AND dropped_reason IS NULL"
_OUTBOX = f"""
SELECT COALESCE(SUM(CASE WHEN {_PENDING} THEN 1 ELSE 0 END), 0) AS pending,
       COALESCE(SUM(CASE WHEN dropped_reason IS NOT NULL THEN 1 ELSE 0 END), 0) AS dropped,
       MIN(CASE WHEN {_PENDING} THEN created_at END) AS oldest
FROM outbox
"""


@dataclass(frozen=True, slots=True)
class Totals:
    chats: int
    active_chats: int
    accounts: int
    paused_accounts: int


@dataclass(frozen=True, slots=True)
class SiteRow:
    """One site's accounts as stored; `last_error` is the raw text (redact before showing)."""

    site: str
    accounts: int
    paused: int
    failing: int
    last_success_at: int | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class Backlog:
    pending: int
    dropped: int
    oldest_pending_at: float | None


class StatsRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def totals(self) -> Totals:
        chats = await self._db.fetch_one("SELECT COUNT(*), COALESCE(SUM(active), 0) FROM chats")
        accounts = await self._db.fetch_one(
            "SELECT COUNT(*), COALESCE(SUM(paused), 0) FROM accounts"
        )
        return Totals(_int(chats, 0), _int(chats, 1), _int(accounts, 0), _int(accounts, 1))

    async def sites(self) -> list[SiteRow]:
        return [
            SiteRow(
                site=row["site"],
                accounts=int(row["accounts"]),
                paused=int(row["paused"] or 0),
                failing=int(row["failing"] or 0),
                last_success_at=row["last_success_at"],
                last_error=row["last_error"],
            )
            for row in await self._db.fetch_all(_SITES)
        ]

    async def payouts_by_state(self) -> dict[str, int]:
        """Payout requests per state (created, confirming, submitting, checking, done…)."""
        rows = await self._db.fetch_all(
            "SELECT state, COUNT(*) FROM payout_requests GROUP BY state ORDER BY state"
        )
        return {str(row[0]): int(row[1]) for row in rows}

    async def outbox(self) -> Backlog:
        row = await self._db.fetch_one(_OUTBOX)
        oldest = row["oldest"] if row else None
        return Backlog(_int(row, 0), _int(row, 1), float(oldest) if oldest is not None else None)


def _int(row: Row | None, index: int) -> int:
    return int(row[index] or 0) if row else 0
