"""Benchmarks 3 (freshness) and 6 (exchanger load). In both sessions every second account has
nothing pending (all exchanges accrued, every payout final), the others a pending payout.

Freshness: N accounts at POLL_INTERVAL P (a restarted bot). From its first poll, events are
injected at the fake exchanger at random moments over a window, each into a different random
account: a new exchange, or (an account with a pending payout) that payout paid. Latency =
the fake exchanger's wall time of the change → the fake Bot API's wall time of the first
message accepted for that account's chat (one clock). An event still undelivered after P × 1.1
+ 10 s counts with the time waited (a minimum).

Load: a few accounts at POLL_INTERVAL 1 s, so that the bot keeps up; see load().
"""

from __future__ import annotations

import asyncio
import random
import time

from bench.seed import chat_id
from bench.session import BotSession
from bench.stats import Samples, percentile

SETTLE_S = 10.0  # after the last event, wait this long beyond one interval for its message


async def freshness(session: BotSession, out: Samples, events: int, window: float) -> None:
    spec = session.spec
    assert session.exchanger is not None and session.telegram is not None
    exchanger = session.exchanger
    await session.first_poll()
    rng = random.Random(spec.accounts * 7919 + events)
    targets = rng.sample(range(1, spec.accounts + 1), min(events, spec.accounts))
    moments = sorted(rng.uniform(0, window) for _ in targets)
    start = time.monotonic()
    injected: list[tuple[int, float, bool]] = []  # (chat, at, quiet)

    for number, (index, moment) in enumerate(zip(targets, moments, strict=True)):
        await asyncio.sleep(max(0.0, start + moment - time.monotonic()))
        quiet = spec.quiet_every > 0 and index % spec.quiet_every == 0
        kind = "payout" if not quiet and number % 2 else "exchange"
        injected.append((chat_id(index), await exchanger.inject(index, kind), quiet))

    deadline = time.monotonic() + spec.interval * 1.1 + SETTLE_S
    while True:
        latencies = _latencies(injected, (await session.telegram_stats())["sent"])
        if len(latencies) == len(injected) or time.monotonic() > deadline:
            break
        session.alive()
        await asyncio.sleep(0.25)
    out.add("3.missed", len(injected) - len(latencies))
    waited = time.time()
    for chat, at, quiet in injected:  # never delivered: counted as the time waited (a minimum)
        latencies.setdefault(chat, (waited - at, quiet))

    every = [x for x, _ in latencies.values()]
    if every:
        out.add("3.p50", percentile(every, 0.50))
        out.add("3.p99", percentile(every, 0.99))
    for name, quiet in (("busy", False), ("quiet", True)):
        group = [x for x, q in latencies.values() if q is quiet]
        if group:
            out.add(f"3.p99.{name}", percentile(group, 0.99))


def _latencies(
    injected: list[tuple[int, float, bool]], sent: list[list]
) -> dict[int, tuple[float, bool]]:
    """chat → (seconds from the change to its first message after it, quiet)."""
    found: dict[int, tuple[float, bool]] = {}
    for chat, at, quiet in injected:
        after = [float(t) for t, to, _ in sent if int(to) == chat and float(t) >= at]
        if after:
            found[chat] = (min(after) - at, quiet)
    return found


async def load(session: BotSession, out: Samples, window: float) -> None:
    """Requests per account per minute with POLL_INTERVAL 60 s, per group: (the group's
    requests / its accounts) / the rounds in the window (polls of accounts with pending items /
    their number; the bot polls those every interval). Scale-free: the engine's rules are in
    polls and intervals."""
    spec = session.spec
    assert session.exchanger is not None
    await session.full_round(120.0)
    await session.exchanger.reset_counts()
    await asyncio.sleep(window)
    counts = await session.counts()
    quiet = spec.accounts // spec.quiet_every if spec.quiet_every else 0
    busy = spec.accounts - quiet
    rounds = counts["polls"].get("busy", 0) / busy
    if rounds <= 0:
        raise RuntimeError("no poll in the window")
    for name, members in (("busy", busy), ("quiet", quiet)):
        if members:
            out.add(f"6.req_per_min.{name}", counts["by_group"].get(name, 0) / members / rounds)


# Every event kind of the issue, how the bench sees that the bot noticed it, and whether the
# account must have a pending payout. "message": the first message to the account's chat after
# the change; "exchange"/"payout": the item's row in the bot's database in the new state (a
# completion and a payout made in the dashboard are recorded, not announced on their own).
KINDS: dict[str, tuple[str, bool]] = {
    "exchange": ("message", False),  # a new exchange → "new exchange"
    "complete": ("exchange", False),  # exchange_success 0 → 1 → recorded
    "accrue": ("message", False),  # accrued 0 → 1 → "reward accrued"
    "payout_new": ("payout", False),  # a payout made in the dashboard → recorded as pending
    "payout": ("message", True),  # the pending payout paid → "payout status"
    "rotate": ("message", False),  # the key changed in the dashboard → "relink"
}
_SEEN_SQL = {
    "exchange": "SELECT 1 FROM exchange_state WHERE account_id = ? AND exchange_id = ?"
    " AND completed = 1",
    "payout": "SELECT 1 FROM payout_state WHERE account_id = ? AND payout_id = ?",
}


async def kinds(session: BotSession, out: Samples, per_group: int, wait_s: float) -> None:
    """Each kind into `per_group` accounts with nothing pending and as many busy ones (busy
    only for a payout paid), each into another account; seen → latency per kind; never seen
    within `wait_s` → counted in `6.missed`."""
    import sqlite3

    spec = session.spec
    assert session.exchanger is not None
    await session.full_round(120.0)
    every = range(1, spec.accounts + 1)
    quiet = [i for i in every if spec.quiet_every and i % spec.quiet_every == 0]
    busy = [i for i in every if i not in set(quiet)]
    rng = random.Random(spec.accounts)
    rng.shuffle(quiet)
    rng.shuffle(busy)
    events: list[tuple[str, int, float, int]] = []  # kind, index, at, item
    seen: dict[int, float] = {}
    injected = asyncio.Event()
    db = sqlite3.connect(f"file:{session.database}?mode=ro", uri=True, timeout=5)

    async def watch() -> None:
        """Watches while the events are made (a DB-checked event is timed when seen)."""
        deadline = None
        while deadline is None or (len(seen) < len(events) and time.monotonic() < deadline):
            if deadline is None and injected.is_set():
                deadline = time.monotonic() + wait_s
            sent = (await session.telegram_stats())["sent"]
            for number, (kind, index, at, item) in enumerate(list(events)):
                if number in seen:
                    continue
                how = KINDS[kind][0]
                if how == "message":
                    after = [
                        float(t)
                        for t, to, _ in sent
                        if int(to) == chat_id(index) and float(t) >= at
                    ]
                    if after:
                        seen[number] = min(after) - at
                elif db.execute(_SEEN_SQL[how], (index, item)).fetchone():
                    seen[number] = time.time() - at  # checked every 0.25 s: ≤ 0.25 s late
            session.alive()
            await asyncio.sleep(0.25)

    watcher = asyncio.create_task(watch())
    try:
        for kind, (_, needs_pending) in KINDS.items():
            groups = [busy] if needs_pending else [quiet, busy]
            for group in groups:
                for _ in range(per_group if not needs_pending else 2 * per_group):
                    index = group.pop()
                    result = await session.exchanger.inject_item(index, kind)
                    events.append((kind, index, float(result["at"]), int(result["item"])))
                    await asyncio.sleep(rng.uniform(0, spec.interval / per_group))
        injected.set()
        await watcher
    finally:
        watcher.cancel()
        db.close()
    out.add("6.missed", len(events) - len(seen))
    out.add("6.events", len(events))
    for kind in KINDS:
        latencies = [seen[n] for n, e in enumerate(events) if e[0] == kind and n in seen]
        missed = [n for n, e in enumerate(events) if e[0] == kind and n not in seen]
        if missed:
            latencies.append(wait_s)  # at least this
        if latencies:
            out.add(f"6.worst_s.{kind}", max(latencies))
