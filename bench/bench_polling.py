"""Benchmarks 1 (the bot's polling cost), 4 (commands under load) and 5 (RSS, start-up).

A session per run: N linked accounts stored as after their baseline poll (a bot restarted with
N accounts), POLL_INTERVAL scaled so that N accounts ask ~1,000 requests/s (3× the 333/s of
10,000 accounts at 60 s; see the README). Phases:
  startup   exec → the first request at the fake exchanger; minus a bare import timed just
            before the bot's exec (the machine's load moves both alike) = the start-up overhead;
  steady    from there until every account was polled (both lists), 60 s at most: per window,
            the bot's CPU over the requests the exchanger got = CPU per request; the round's
            duration (extrapolated from the accounts polled if it took longer). This first
            round after a start does the full work for every account (nothing is remembered
            across a restart). On PostgreSQL (issue 13) also the server's CPU per request;
  next      the round after it (each account polled once more): the steady state, where an
            account whose lists did not change costs a request and no decoding, detection or
            write. Beside the bot's CPU, the fake exchanger's own (% of a core): a fake near
            100 % is the bottleneck, and the run is flagged;
  memory    the bot's VmRSS after that round;
  commands  /balance and /payouts from distinct users at random moments over one interval
            while polling goes on: command → reply latency, measured by the fake Bot API;
            the exchanger's counts over it give the requests per poll (benchmark 6).
"""

from __future__ import annotations

import asyncio
import random
import time

from bench.context import Scale
from bench.session import BotSession
from bench.stats import Samples, percentile

ROUND_LIMIT_S = 240.0  # a round slower than this fails the session
STEADY_LIMIT_S = 60.0  # measure the first round this long at most (it should take ≤ 60 s)


async def startup(session: BotSession, out: Samples) -> None:
    n, tag = session.spec.accounts, session.tag  # a PostgreSQL session's keys apart
    seconds = await session.first_poll()
    out.add(f"5.startup.{n}{tag}", seconds)
    if session.bare_import_s is not None:  # timed just before, under the same load
        out.add(f"5.startup_over.{n}{tag}", seconds - session.bare_import_s)


async def full_round(session: BotSession, out: Samples) -> None:
    """Waits until every account was polled once (nothing measured)."""
    await session.full_round(ROUND_LIMIT_S)


async def steady(session: BotSession, out: Samples, window: float) -> None:
    """From the first poll until every account was polled once (or STEADY_LIMIT_S), in windows
    of `window` s: per window the bot's CPU / the requests the exchanger got."""
    n, tag = session.spec.accounts, session.tag
    limit = max(STEADY_LIMIT_S, 3 * session.spec.interval)
    counts = await session.counts()
    cpu, fake, requests = session.cpu(), session.fake_cpu(), counts["total"]
    server = session.server_cpu()  # PostgreSQL's own processes; None on SQLite
    threads = session.thread_cpu()
    while True:
        await asyncio.sleep(window)
        counts = await session.counts()
        cpu_now, fake_now, requests_now = session.cpu(), session.fake_cpu(), counts["total"]
        done = counts["keys_done"] >= n
        if requests_now > requests and (done or requests_now - requests >= 50):
            out.add(f"1.cpu_us.{n}{tag}", (cpu_now - cpu) / (requests_now - requests) * 1e6)
            out.add(f"1.cpu_pct_run.{n}{tag}", (cpu_now - cpu) / window * 100)
            out.add(f"1.fake_pct_first.{n}{tag}", (fake_now - fake) / window * 100)
            server_now = session.server_cpu()
            if server is not None and server_now is not None:
                used = server_now - server
                out.add(f"13.server_us.{n}", used / (requests_now - requests) * 1e6)
                server = server_now
            cpu, fake, requests = cpu_now, fake_now, requests_now
        elapsed = counts["at"] - counts["first_at"]
        if done or elapsed > limit:
            polled = max(int(counts["keys_done"]), 1)
            out.add(f"1.round_s.{n}{tag}", elapsed * n / polled)  # extrapolated if not done
            out.add(f"1.round_polled.{n}{tag}", polled / n)
            main, other = (b - a for a, b in zip(threads, session.thread_cpu(), strict=True))
            out.add(f"1.main_thread.{n}{tag}", main / max(main + other, 1e-9))
            return
        session.alive()


async def steady_next(session: BotSession, out: Samples, window: float) -> None:
    """The round after the first: windows of `window` s until every account was asked once
    more (or STEADY_LIMIT_S): the bot's CPU per request and the fake exchanger's CPU."""
    assert session.exchanger is not None
    n, tag = session.spec.accounts, session.tag
    await session.exchanger.reset_counts()
    limit = max(STEADY_LIMIT_S, 3 * session.spec.interval)
    started = time.monotonic()
    cpu, fake, requests = session.cpu(), session.fake_cpu(), 0
    while True:
        await asyncio.sleep(window)
        counts = await session.counts(per_key=1)
        cpu_now, fake_now, requests_now = session.cpu(), session.fake_cpu(), counts["total"]
        done = counts["keys_done"] >= n
        if requests_now > requests and (done or requests_now - requests >= 50):
            out.add(f"1.cpu_us.{n}{tag}.next", (cpu_now - cpu) / (requests_now - requests) * 1e6)
            out.add(f"1.fake_pct.{n}{tag}", (fake_now - fake) / window * 100)
            cpu, fake, requests = cpu_now, fake_now, requests_now
        if done or time.monotonic() - started > limit:
            out.add(f"1.next_polled.{n}{tag}", counts["keys_done"] / n)
            out.add(f"1.next_req_per_poll.{n}{tag}", counts["total"] / max(counts["keys"], 1))
            return
        session.alive()


async def memory(session: BotSession, out: Samples) -> None:
    out.add(f"5.rss.{session.spec.accounts}", session.rss())


async def commands(
    session: BotSession, out: Samples, scale: Scale, *, prefix: str = "4", span: float = 20.0
) -> None:
    """2 × scale.commands commands at random moments over `span` s (one interval at most):
    200 over 20 s at full scale, ~10 replies/s, well below Telegram's 30 msg/s (more would
    measure the fake Bot API's rate limit, not the bot)."""
    assert session.telegram is not None
    telegram = session.telegram
    rng = random.Random(len(session.chats))
    chats = rng.sample(session.chats, min(len(session.chats), 2 * scale.commands))
    texts = ["/balance", "/payouts"] * len(chats)
    span = min(span, max(session.spec.interval, 1.0))
    moments = sorted(rng.uniform(0, span) for _ in chats)
    start = time.monotonic()

    async def one(chat: int, text: str, moment: float) -> float | None:
        await asyncio.sleep(max(0.0, start + moment - time.monotonic()))
        return await telegram.command(chat, text, wait=15.0)

    latencies = await asyncio.gather(
        *(
            one(chat, text, moment)
            for chat, text, moment in zip(chats, texts, moments, strict=False)
        )
    )
    answered = [1000 * x for x in latencies if x is not None]
    if answered:
        out.add(f"{prefix}.p50", percentile(answered, 0.50))
        out.add(f"{prefix}.p99", percentile(answered, 0.99))
    out.add(f"{prefix}.unanswered", len(latencies) - len(answered))
