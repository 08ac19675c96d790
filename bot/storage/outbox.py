"""The transactional outbox: state rows and the notifications they imply, written together.

Poller side: `save()` writes the results of a batch of polls in ONE transaction: changed state
rows, account bookkeeping and the notifications (`ON CONFLICT DO NOTHING` on the UNIQUE
event_key).
A crash before the commit loses the state and the events together, so the next poll finds the
same changes again; after the commit both exist, so nothing is lost and nothing is repeated.

Sender side: `due()` reads (on PostgreSQL: claims) a batch of unsent rows (with the chat's
language, reachability and toggles), never a row while an earlier row of its chat waits for a
later time; a row is marked sent only after Telegram accepted it, rescheduled with a counted
attempt, deferred (rate limit, no attempt used) or dropped with a reason.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.domain import ANOMALY, DIGEST, KEY_REJECTED, KEY_WORKS, PAYOUT_OVERDUE, NotificationKind
from bot.storage.chats import ChatRepo, column
from bot.storage.db import Connection, Database, Row
from bot.storage.snapshots import ExchangeState, PayoutState

RETENTION = 30 * 86_400  # sent and dropped rows are kept this long, then pruned
CLAIM_LEASE = 60.0  # PostgreSQL: a claimed row is due again this long after a sender died

_UPSERT_EXCHANGE = (
    "INSERT INTO exchange_state (account_id, exchange_id, time, completed, accrued)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, exchange_id) DO UPDATE SET"
    " time = excluded.time, completed = excluded.completed, accrued = excluded.accrued"
)
_UPSERT_PAYOUT = (
    "INSERT INTO payout_state (account_id, payout_id, time, status) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (account_id, payout_id) DO UPDATE SET"
    " time = excluded.time, status = excluded.status"
)
_SUCCESS = (  # last_success_at NULL: a poll cut short keeps its window for the next one
    "UPDATE accounts SET next_poll_at = ?, failures = 0, last_error = NULL,"
    " last_success_at = COALESCE(?, last_success_at), baseline_done = ?, payout_available = ?"
    " WHERE id = ?"
)
_FAILURE = "UPDATE accounts SET next_poll_at = ?, failures = ?, last_error = ? WHERE id = ?"
_PAUSE = (
    "UPDATE accounts SET paused = 1, failures = 0, last_error = ?, paused_at = ?,"
    " next_check_at = ? WHERE id = ? AND paused = 0"
)
_RECHECK = "UPDATE accounts SET next_check_at = ?, last_error = ? WHERE id = ? AND paused = 1"
_RESUME = (
    "UPDATE accounts SET paused = 0, paused_at = NULL, next_check_at = NULL, failures = 0,"
    " last_error = NULL, next_poll_at = ? WHERE id = ? AND paused = 1"
)
_ENQUEUE = (
    "INSERT INTO outbox (event_key, chat_id, account_id, kind, payload, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING"
)
_PENDING = "sent_at IS NULL AND dropped_reason IS NULL AND next_attempt_at >= 0"
_TOGGLES = ", ".join(f"c.{column(k)}" for k in NotificationKind)
_DUE = (
    "SELECT o.id, o.chat_id, o.account_id, o.kind, o.payload, o.attempts, c.language,"
    f" c.chat_type, c.active, {_TOGGLES}, (o.account_id IS NULL OR a.id IS NOT NULL) AS linked"
    " FROM outbox o LEFT JOIN chats c ON c.chat_id = o.chat_id"
    " LEFT JOIN accounts a ON a.id = o.account_id"
    " WHERE o.sent_at IS NULL AND o.dropped_reason IS NULL AND o.next_attempt_at <= ?"
    # One chat's rows go out in id (event) order: a row waits while an earlier row of its chat
    # is pending until later (a retry, a per-chat 429). Rows it may follow come first below.
    " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.chat_id = o.chat_id AND p.id < o.id"
    " AND p.sent_at IS NULL AND p.dropped_reason IS NULL AND p.next_attempt_at > o.next_attempt_at)"
    " ORDER BY o.next_attempt_at, o.id LIMIT ?"
)


@dataclass(frozen=True, slots=True)
class Message:
    """A notification to enqueue: its stable identity, where it goes and what it says."""

    key: str
    kind: str
    chat_id: int
    account_id: int | None
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll changes. `error` None = success; `pause` = the key was rejected (next
    re-check at `next_poll_at`); `recheck` = a paused key is still not accepted; `resume` =
    a paused key is accepted again; `unchanged` = nothing changed and nothing is to be written
    (the poller's lease stays the next poll time)."""

    account_id: int
    next_poll_at: float
    polled_at: float = 0.0
    advance: bool = True  # False: cut short by the cap; the poll window stays where it was
    error: str | None = None
    failures: int = 0
    pause: bool = False
    recheck: bool = False
    resume: bool = False
    baseline_done: bool = True
    payout_available: bool = False
    exchanges: tuple[ExchangeState, ...] = ()
    payouts: tuple[PayoutState, ...] = ()
    messages: tuple[Message, ...] = ()
    unchanged: bool = False


@dataclass(frozen=True, slots=True)
class Pending:
    """An unsent outbox row with what the sender needs to decide and render."""

    id: int
    chat_id: int
    account_id: int | None
    kind: str
    payload: Mapping[str, Any]
    attempts: int
    language: str | None
    chat_type: str | None  # None: the chat row is gone
    chat_active: bool
    linked: bool  # False: the account was unlinked since
    wanted: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_group(self) -> bool:
        return self.chat_type not in (None, "private")


class Outbox:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock

    # -- poller side ----------------------------------------------------------------------

    async def save(self, results: Sequence[PollResult]) -> int:
        """One transaction for the whole batch; returns how many notifications were enqueued."""
        results = [r for r in results if not r.unchanged]  # nothing to write
        if not results:
            return 0
        async with self._db.transaction() as conn:
            alive = await _existing(conn, self._db, {r.account_id for r in results})
            results = [r for r in results if r.account_id in alive]  # unlinked meanwhile
            ok = [r for r in results if r.error is None and not (r.pause or r.recheck or r.resume)]
            await conn.executemany(_UPSERT_EXCHANGE, _exchange_rows(ok))
            await conn.executemany(_UPSERT_PAYOUT, _payout_rows(ok))
            await conn.executemany(_SUCCESS, [_success_row(r) for r in ok])
            failed = [
                (r.next_poll_at, r.failures, r.error, r.account_id)
                for r in results
                if r.error is not None and not (r.pause or r.recheck)
            ]
            await conn.executemany(_FAILURE, failed)
            rechecked = [(r.next_poll_at, r.error, r.account_id) for r in results if r.recheck]
            await conn.executemany(_RECHECK, rechecked)
            messages = [m for r in ok for m in r.messages]
            for result in (r for r in results if r.pause or r.resume):
                if result.pause:
                    params: tuple[Any, ...] = (
                        result.error,
                        result.polled_at,
                        result.next_poll_at,
                        result.account_id,
                    )
                    statement = _PAUSE
                else:
                    statement, params = _RESUME, (result.next_poll_at, result.account_id)
                if await conn.execute(statement, params):
                    messages.extend(result.messages)  # only the poll that paused (resumed) it
            now = self._clock()
            enqueued = 0  # one statement per event (rare): its row count says if it was new
            for message in messages:
                enqueued += await conn.execute(_ENQUEUE, _outbox_row(message, now))
            return enqueued

    # -- sender side ----------------------------------------------------------------------

    async def due(self, limit: int, lease: float = CLAIM_LEASE) -> list[Pending]:
        """A batch of due rows. On PostgreSQL they are claimed (issue 15): locked with SKIP
        LOCKED and leased `lease` seconds ahead in the same transaction, so no other process
        reads them again before the sender gave each its outcome (or the lease ran out)."""
        if not self._db.dialect.row_locks:
            rows = await self._db.fetch_all(_DUE, (self._clock(), limit))
            return [_pending(row) for row in rows]
        now = self._clock()
        async with self._db.transaction() as conn:
            rows = await conn.fetch_all(f"{_DUE} FOR UPDATE OF o SKIP LOCKED", (now, limit))
            if rows:
                among, params = self._db.dialect.among("id", [row["id"] for row in rows])
                await conn.execute(
                    f"UPDATE outbox SET next_attempt_at = ? WHERE {among}", (now + lease, *params)
                )
        return [_pending(row) for row in rows]

    async def unstall(self, max_ahead: float) -> int:
        """At start: rows set to retry more than `max_ahead` from now were scheduled before the
        clock went back (no retry waits that long); they are due now."""
        now = self._clock()
        return await self._db.execute(
            f"UPDATE outbox SET next_attempt_at = ? WHERE {_PENDING} AND next_attempt_at > ?",
            (now, now + max_ahead),
        )

    async def next_due_at(self) -> float | None:
        row = await self._db.fetch_one(f"SELECT MIN(next_attempt_at) FROM outbox WHERE {_PENDING}")
        return float(row[0]) if row and row[0] is not None else None

    async def mark_sent(self, *message_ids: int) -> None:
        """Telegram accepted the message (one row, or every row a burst summary folded)."""
        now = self._clock()
        async with self._db.transaction() as conn:
            await conn.executemany(
                "UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?",
                [(now, i) for i in message_ids],
            )

    async def retry(self, message_ids: int | Iterable[int], at: float) -> None:
        """A failed attempt: counted, tried again at `at` (a summary's rows together)."""
        ids = [message_ids] if isinstance(message_ids, int) else list(message_ids)
        async with self._db.transaction() as conn:
            await conn.executemany(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?",
                [(at, i) for i in ids],
            )

    async def defer(self, message_ids: Iterable[int], at: float) -> None:
        """Not tried yet (rate limit): no attempt used."""
        async with self._db.transaction() as conn:
            await conn.executemany(
                "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", [(at, i) for i in message_ids]
            )

    async def drop(self, message_ids: Iterable[int], reason: str) -> None:
        async with self._db.transaction() as conn:
            await conn.executemany(
                "UPDATE outbox SET dropped_reason = ? WHERE id = ?",
                [(reason[:200], i) for i in message_ids],
            )

    async def chat_gone(self, chat_id: int, reason: str) -> int:
        """The chat blocked or removed the bot: inactive (its accounts are no longer polled
        until /start) and its pending rows dropped. Returns the number of rows dropped."""
        async with self._db.transaction() as conn:
            await conn.execute("UPDATE chats SET active = 0 WHERE chat_id = ?", (chat_id,))
            return await conn.execute(
                f"UPDATE outbox SET dropped_reason = ? WHERE {_PENDING} AND chat_id = ?",
                (reason[:200], chat_id),
            )

    async def migrate_chat(self, old: int, new: int) -> None:
        """A group became a supergroup with a new id (Telegram said so when a message was
        sent): the one chat move of the bot, as the migration service message does it."""
        await ChatRepo(self._db).migrate(old, new)

    async def prune(self) -> int:
        """Forget rows sent or dropped long ago (the state tables still prevent repeats)."""
        return await self._db.execute(
            "DELETE FROM outbox WHERE created_at < ? AND (sent_at IS NOT NULL"
            " OR dropped_reason IS NOT NULL)",
            (self._clock() - RETENTION,),
        )


async def _existing(conn: Connection, db: Database, ids: set[int]) -> set[int]:
    among, params = db.dialect.among("id", sorted(ids))
    rows = await conn.fetch_all(f"SELECT id FROM accounts WHERE {among}", params)
    return {int(row[0]) for row in rows}


def _exchange_rows(results: Iterable[PollResult]) -> list[tuple[int, ...]]:
    return [
        (r.account_id, s.exchange_id, s.time, int(s.completed), int(s.accrued))
        for r in results
        for s in r.exchanges
    ]


def _payout_rows(results: Iterable[PollResult]) -> list[tuple[int, ...]]:
    return [(r.account_id, s.payout_id, s.time, int(s.status)) for r in results for s in r.payouts]


def _success_row(result: PollResult) -> tuple[Any, ...]:
    flags = (int(result.baseline_done), int(result.payout_available))
    polled = int(result.polled_at) if result.advance else None
    return (result.next_poll_at, polled, *flags, result.account_id)


def _outbox_row(message: Message, now: float) -> tuple[Any, ...]:
    payload = json.dumps(message.payload, ensure_ascii=False, separators=(",", ":"))
    return (message.key, message.chat_id, message.account_id, message.kind, payload, now)


def _follows(wanted: frozenset[str]) -> frozenset[str]:
    """Kinds that follow a toggle: the payout watchdog's reminder follows payout statuses."""
    if NotificationKind.PAYOUT_STATUS.value in wanted:
        return frozenset({PAYOUT_OVERDUE})
    return frozenset()


def _pending(row: Row) -> Pending:
    wanted = frozenset(k.value for k in NotificationKind if row[column(k)])
    return Pending(
        id=row["id"],
        chat_id=row["chat_id"],
        account_id=row["account_id"],
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        attempts=row["attempts"],
        language=row["language"],
        chat_type=row["chat_type"],
        chat_active=bool(row["active"]),
        linked=bool(row["linked"]),
        wanted=wanted | {KEY_REJECTED, KEY_WORKS, DIGEST, ANOMALY} | _follows(wanted),
    )
