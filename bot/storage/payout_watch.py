"""What the payout watchdog reads and writes: payouts still pending (from the detector's
`payout_state`), their one reminder (a `payout_reminders` row and an outbox row), and
how long the payouts the bot watched took to be paid (payout time → the moment the "paid"
notification was created). Plain SQL that SQLite and PostgreSQL both accept."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.domain import PAYOUT_OVERDUE
from bot.storage.db import Database

PAID = 1


@dataclass(frozen=True, slots=True)
class PendingPayout:
    account_id: int
    chat_id: int
    site: str
    key_hint: str
    payout_id: int
    time: int

    @property
    def label(self) -> str:
        return f"{self.site.split('://', 1)[-1]} · {self.key_hint}…"


def reminder_key(account_id: int, payout_id: int) -> str:
    return f"{account_id}:{PAYOUT_OVERDUE}:{payout_id}"


class PayoutWatchRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def pending_since(self, before: int) -> list[PendingPayout]:
        """Payouts of active accounts still pending that were made before `before` and were
        not reminded of yet."""
        rows = await self._db.fetch_all(
            "SELECT ps.account_id, a.chat_id, a.site, a.key_hint, ps.payout_id, ps.time"
            " FROM payout_state ps JOIN accounts a ON a.id = ps.account_id"
            " WHERE ps.status = 0 AND ps.time < ? AND a.paused = 0 AND NOT EXISTS"
            " (SELECT 1 FROM payout_reminders r"
            " WHERE r.account_id = ps.account_id AND r.payout_id = ps.payout_id)"
            " ORDER BY ps.time",
            (before,),
        )
        return [
            PendingPayout(
                r["account_id"], r["chat_id"], r["site"], r["key_hint"], r["payout_id"], r["time"]
            )
            for r in rows
        ]

    async def remind(self, payout: PendingPayout, now: float) -> bool:
        """Records the reminder and enqueues it in one transaction; False when the payout was
        reminded of already (the reminder is sent once, even by two processes)."""
        payload = json.dumps(
            {"payout_id": payout.payout_id, "time": payout.time, "account": payout.label}
        )
        async with self._db.transaction() as conn:
            inserted = await conn.execute(
                "INSERT INTO payout_reminders (account_id, payout_id, reminded_at)"
                " VALUES (?, ?, ?) ON CONFLICT (account_id, payout_id) DO NOTHING",
                (payout.account_id, payout.payout_id, now),
            )
            if inserted != 1:
                return False
            await conn.execute(
                "INSERT INTO outbox (event_key, chat_id, account_id, kind, payload, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING",
                (
                    reminder_key(payout.account_id, payout.payout_id),
                    payout.chat_id,
                    payout.account_id,
                    PAYOUT_OVERDUE,
                    payload,
                    now,
                ),
            )
        return True

    async def paid_durations(self, site: str) -> list[int]:
        """Seconds from each watched payout of the site to the bot seeing it paid."""
        seen = await self._db.fetch_all(
            "SELECT o.account_id, o.payload, o.created_at FROM outbox o"
            " JOIN accounts a ON a.id = o.account_id"
            " WHERE a.site = ? AND o.kind = 'payout_status'",
            (site,),
        )
        made = await self._db.fetch_all(
            "SELECT ps.account_id, ps.payout_id, ps.time FROM payout_state ps"
            " JOIN accounts a ON a.id = ps.account_id WHERE a.site = ? AND ps.status = ?",
            (site, PAID),
        )
        times = {(r["account_id"], r["payout_id"]): r["time"] for r in made}
        durations = []
        for row in seen:
            payload = json.loads(row["payload"])
            if payload.get("status") != PAID:
                continue
            created = times.get((row["account_id"], payload.get("payout_id")))
            if created is not None and row["created_at"] >= created:
                durations.append(int(row["created_at"] - created))
        return durations
