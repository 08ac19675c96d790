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
