"""Benchmark 2: delivery. N notifications queued for M chats, drained through the fake Bot API
that answers 429 (with retry_after) beyond 30 messages/s overall or 1/s in one chat.

The notifications go in through the bot's own detector and outbox (bench/seed.py) before the
bot starts; the accounts are marked polled, so the sender works alone. Figures, from the fake
Bot API's log of accepted sendMessage calls:
  rate        (messages − 1) / (last − first): sustained messages per second; its range is
              over 10-second windows of the drain (and runs);
  429         answers 429 the fake gave;
  duplicates  accepted messages with the same chat and text as an earlier one;
  lost        rows dropped by the bot, or neither accepted nor still queued. The drain is
              measured for 130 s at most (3,000 at 28/s take 107 s): what is still queued
              then is reported, not counted as lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path

from bench.session import BotSession
from bench.stats import Samples

WINDOW_S = 10.0
STALL_S = 20.0  # no new message for this long: the drain is over (or stuck)
FIRST_S = 60.0  # the first message may take this long (the bot starts)
DRAIN_LIMIT_S = 130.0  # from the first message: 3,000 at 28/s take 107 s


async def delivery(session: BotSession, out: Samples) -> None:
    queued = session.queued
    if not queued:
        raise RuntimeError("nothing was queued")
    started = last_change = time.monotonic()
    first: float | None = None
    last_count = 0
    while True:
        stats = await session.telegram_stats()
        count, now = len(stats["sent"]), time.monotonic()
        if count >= queued:
            break
        if count != last_count:
            last_count, last_change = count, now
            first = first or now
        if first is None and now - started > FIRST_S:
            break
        if first is not None and (now - last_change > STALL_S or now - first > DRAIN_LIMIT_S):
            break
        session.alive()
        await asyncio.sleep(0.5)
    pending, dropped = _outbox_state(session.database)
    sent = [(float(at), int(chat), str(text)) for at, chat, text in stats["sent"]]
    times = sorted(at for at, _, _ in sent)
    if len(times) >= 2 and times[-1] > times[0]:
        out.add("2.rate", (len(times) - 1) / (times[-1] - times[0]))
        for rate in window_rates(times):
            out.add("2.rate_windows", rate)
    distinct = {(chat, text) for _, chat, text in sent}
    out.add("2.count_429", stats["count_429"])
    out.add("2.duplicates", len(sent) - len(distinct))
    # Lost: dropped, or neither accepted nor still queued (a row in flight is in both).
    out.add("2.lost", dropped + max(queued - len(distinct) - pending - dropped, 0))
    out.add("2.pending", pending)
    out.add("2.violations", stats["violations"])


def _outbox_state(database: Path) -> tuple[int, int]:
    """(rows still to send, rows dropped), read from the bot's database (WAL: no blocking)."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        row = conn.execute(
            "SELECT COALESCE(SUM(sent_at IS NULL AND dropped_reason IS NULL), 0),"
            " COALESCE(SUM(dropped_reason IS NOT NULL), 0) FROM outbox"
        ).fetchone()
    return int(row[0]), int(row[1])


def window_rates(times: list[float]) -> list[float]:
    """Messages per second in each full 10-second window from the first message."""
    rates, start, index = [], times[0], 0
    while start + WINDOW_S <= times[-1]:
        end = start + WINDOW_S
        count = 0
        while index < len(times) and times[index] < end:
            count, index = count + 1, index + 1
        rates.append(count / WINDOW_S)
        start = end
    return rates
