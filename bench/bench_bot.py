"""The benchmarks that need the real bot (`python -m bot`): which sessions run, and their rows.

Full scale, one session after the other (never two at once):
  polling  N = 1,000 and 10,000 accounts (half with nothing pending), `runs` sessions each:
           CPU over the first round after the start (60 s at most) and the next round (the
           steady state); at 10,000 the first session also RSS, then commands; the others
           only start-up and commands → 1, 4, 5
           then the same first round once per N with DATABASE_URL on a throwaway local
           PostgreSQL (issue 13): bot CPU per request, the server's CPU per request → 1, 13
  load     50 accounts, POLL_INTERVAL 1 s, half with nothing pending       → rows 6
  kinds    200 accounts, POLL_INTERVAL 2 s, half with nothing pending: every event kind into
           quiet and busy accounts; never noticed, worst latency per kind  → rows 6
  fresh    2,000 accounts, POLL_INTERVAL 10 s, half with nothing pending   → rows 3
  delivery 3,000 notifications for 500 chats                               → rows 2
  idle     500 accounts not due for an hour: the same commands, bot idle    → rows 4 (limit)
Tiny scale (the smoke test): all of it in ONE session of ~20 accounts.
A session that fails leaves its rows "not measured" with the reason; the others still run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable

from bench import bench_delivery, bench_freshness, bench_polling
from bench.bench_rows import rows
from bench.context import Context, Scale, polling_interval
from bench.session import BotSession, Spec
from bench.stats import Samples

Phase = Callable[[BotSession, Samples], Awaitable[None]]


def polling_spec(scale: Scale, accounts: int) -> Spec:
    interval = polling_interval(scale, accounts)
    return Spec(
        f"poll-{accounts}",
        accounts,
        interval,
        quiet_every=2,
        concurrency=scale.concurrency,
        bare_first=True,
    )


def plan(scale: Scale) -> list[tuple[Spec, list[Phase]]]:
    """(session spec, its phases in order)."""
    p = bench_polling

    def commands(session: BotSession, out: Samples) -> Awaitable[None]:
        return p.commands(session, out, scale)

    def ready(session: BotSession, out: Samples) -> Awaitable[None]:
        return session.ready()

    def idle_commands(session: BotSession, out: Samples) -> Awaitable[None]:
        return p.commands(session, out, scale, prefix="4.idle", span=20.0)

    def steady(session: BotSession, out: Samples) -> Awaitable[None]:
        return p.steady(session, out, min(scale.cpu_window, max(session.spec.interval, 2.0)))

    def steady_next(session: BotSession, out: Samples) -> Awaitable[None]:
        return p.steady_next(session, out, min(scale.cpu_window, max(session.spec.interval, 2.0)))

    def kinds(session: BotSession, out: Samples) -> Awaitable[None]:
        # The slowest rule: a payout made in the dashboard waits for the slow pace (10 polls).
        wait = session.spec.interval * 14 + 10
        return bench_freshness.kinds(session, out, scale.kinds_per_group, wait)

    def load(session: BotSession, out: Samples) -> Awaitable[None]:
        return bench_freshness.load(session, out, scale.load_window)

    def fresh(session: BotSession, out: Samples) -> Awaitable[None]:
        return bench_freshness.freshness(
            session, out, scale.freshness_events, scale.freshness_window
        )

    if scale.one_session:
        spec = Spec(
            "tiny",
            scale.big,
            scale.poll_interval,
            quiet_every=2,
            queued=scale.delivery_messages,
            concurrency=scale.concurrency,
            bare_first=True,
        )
        phases = [
            p.startup,
            bench_delivery.delivery,
            steady,
            steady_next,
            p.memory,
            commands,
            load,
            fresh,
            idle_commands,
            kinds,
        ]
        return [(spec, phases)]
    sessions: list[tuple[Spec, list[Phase]]] = []
    for run in range(scale.runs):
        for accounts in scale.poll_sizes:
            if accounts != scale.big:
                phases = [p.startup, steady, steady_next]
            elif run == 0:
                phases = [p.startup, steady, steady_next, p.memory, commands]
            else:  # a big round takes long: later runs only start-up and commands
                phases = [p.startup, commands]
            sessions.append((polling_spec(scale, accounts), phases))
    for accounts in scale.poll_sizes:  # the same polling session on PostgreSQL (issue 13)
        on_pg = dataclasses.replace(
            polling_spec(scale, accounts),
            name=f"poll-{accounts}-postgresql",
            database="postgresql",
            bare_first=False,
        )
        sessions.append((on_pg, [p.startup, steady]))
    load_spec = Spec("load", scale.load_accounts, 1.0, quiet_every=2, concurrency=scale.concurrency)
    sessions.append((load_spec, [load]))
    kinds_spec = Spec(
        "kinds",
        scale.kinds_accounts,
        scale.kinds_interval,
        quiet_every=2,
        concurrency=scale.concurrency,
    )
    sessions.append((kinds_spec, [kinds]))
    fresh_spec = Spec(
        "fresh",
        scale.freshness_accounts,
        scale.freshness_interval,
        quiet_every=2,
        concurrency=scale.concurrency,
    )
    sessions.append((fresh_spec, [fresh]))
    delivery_spec = Spec(
        "delivery",
        scale.delivery_chats,
        60.0,
        queued=scale.delivery_messages,
        hold_polls=True,
        concurrency=scale.concurrency,
    )
    sessions.append((delivery_spec, [bench_delivery.delivery]))
    idle_spec = Spec("idle", scale.delivery_chats, 60.0, hold_polls=True)
    sessions.append((idle_spec, [ready, idle_commands]))
    return sessions


async def run(ctx: Context) -> list:
    out = Samples()
    sessions = [
        (spec, phases)
        for spec, phases in plan(ctx.scale)
        if not ctx.sessions or spec.name.split("-")[0] in ctx.sessions
    ]
    for number, (spec, phases) in enumerate(sessions, start=1):
        ctx.progress(f"bot session {number}/{len(sessions)}: {spec.name}")
        try:
            async with BotSession(ctx, spec) as session:
                for phase in phases:
                    name = getattr(phase, "__name__", "phase")
                    ctx.progress(f"  {spec.name}: {name}")
                    await phase(session, out)
        except Exception as exc:
            reason = f"{spec.name} failed: {type(exc).__name__}: {exc}".splitlines()[0][:200]
            ctx.progress(reason)
            ctx.notes.append(reason)
            out.fail(reason)
    return rows(ctx, out)
