"""Issue 15: several bot processes sharing the accounts on one PostgreSQL database.

`python -m bench --only scale`. Two sessions, one after the other, on the same code path
(BotSession with `Spec.processes`), each on a throwaway durable PostgreSQL of its own:
  1x10000   one `python -m bot`, 10,000 accounts: the single-process figure;
  4x100000  four `python -m bot` processes sharing 100,000 accounts.
Both in webhook mode with /metrics (the fake Bot API, like Telegram, answers a second
long-polling getUpdates with 409; no update is sent, updates are not part of this bench), at
the scaled interval of the polling sessions (N × 2 / 1,000 s: 20 s and 200 s, ~1,000 requests/s
asked, see bench/README.md), half the accounts with nothing pending, MAX_CONCURRENT_POLLS as
the polling sessions, LOG_LEVEL=WARNING. The tiny scale (the smoke test): 10 and 40 accounts.

Phases of a session:
  warm-up   until every account was polled (both lists) once after the start. That first
            round does the full work for every account (row 1 measures it); not measured here;
  round     the fake exchanger's counts reset, then windows of min(cpu_window, interval / 4) s
            until every account was polled once more: the steady state. Per window:
            - per process: its CPU / the requests it made. A process's requests are its polls
              (the `bot_polls_total` delta of its /metrics) × the window's requests per poll
              at the fake exchanger: each process holds a random quarter of the accounts
              (whoever claimed them first), so every process polls about the same mix of
              quiet and busy accounts;
            - all processes: their CPU / every request, and the same × requests per poll ×
              10,000 / 60 s = % of one core per 10,000 accounts at the real 60 s interval;
            - PostgreSQL: the server's CPU (its processes and exited backends, /proc) the same
              ways; polls/s and requests/s in total;
  checks    after the round: accounts not polled within 1.1 intervals of the reset
            (starvation), polls of an account less than half an interval after its previous
            one (two processes polling it at once, counted by the fake exchanger), the
            smallest process's share of the polls, each process's RSS.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from dataclasses import dataclass

from bench.context import Context, Scale, polling_interval
from bench.report import Goal, Row, Target
from bench.session import BotSession, Spec
from bench.stats import Samples

# Start-up: as in the polling sessions, every account is overdue when the bots start, and each
# process spreads the overdue ones over one interval (`PollSchedule.spread()`). Before
# 510e35e four processes started together on 100,000 overdue accounts deadlocked there and 2
# of the 4 never polled (`15.process_share` 0): the bench is that fix's test at scale.
ROUND_SLACK = 1.1  # an account must be polled again within this many intervals
WARM_UP_INTERVALS = 2.0  # the first round after a start must end within this (+ a minute)
PER = 10_000  # accounts per share of a core
REAL_INTERVAL = 60.0  # the default POLL_INTERVAL


def tag(processes: int, accounts: int) -> str:
    return f"{processes}x{accounts}"


def scale_spec(scale: Scale, processes: int, accounts: int) -> Spec:
    interval = polling_interval(scale, accounts)
    return Spec(
        f"scale-{tag(processes, accounts)}",
        accounts,
        interval,
        quiet_every=2,
        concurrency=scale.concurrency,
        database="postgresql",
        processes=processes,
        webhook=True,
        repeat_gap=interval / 2,
    )


@dataclass(frozen=True)
class Reading:
    """Every counter of a session at one moment."""

    at: float  # monotonic
    cpus: list[float]  # CPU seconds of each bot process
    polls: list[float]  # polls of each bot process (its /metrics)
    requests: int  # requests the fake exchanger got since its counts were reset
    exchanger_polls: int  # get_exchanges requests among them (one per poll)
    keys_done: int  # accounts asked at least once since the reset
    early_repeats: int
    server: float  # PostgreSQL's CPU seconds
    fake: float  # the fake exchanger's CPU seconds


async def read(session: BotSession) -> Reading:
    counts, polls = await asyncio.gather(session.counts(per_key=1), session.polls_by_process())
    return Reading(
        at=time.monotonic(),
        cpus=session.cpus(),
        polls=polls,
        requests=int(counts["total"]),
        exchanger_polls=int(sum(counts["polls"].values())),
        keys_done=int(counts["keys_done"]),
        early_repeats=int(counts["early_repeats"]),
        server=session.server_cpu() or 0.0,
        fake=session.fake_cpu(),
    )


def per_ten_thousand_at_60s(us_per_request: float, requests_per_poll: float) -> float:
    """% of one core for 10,000 accounts polled once a minute, from CPU per request."""
    return us_per_request * requests_per_poll * PER / REAL_INTERVAL / 1e4


def add_window(out: Samples, key: str, before: Reading, after: Reading) -> None:
    """One window's figures (nothing when no poll reached the exchanger in it)."""
    seconds = after.at - before.at
    requests = after.requests - before.requests
    polls = after.exchanger_polls - before.exchanger_polls
    if requests <= 0 or polls <= 0:
        return
    per_poll = requests / polls
    for cpu_then, cpu_now, polls_then, polls_now in zip(
        before.cpus, after.cpus, before.polls, after.polls, strict=True
    ):
        if polls_now > polls_then:
            made = (polls_now - polls_then) * per_poll
            out.add(f"15.cpu_us.{key}", (cpu_now - cpu_then) / made * 1e6)
    bots_us = (sum(after.cpus) - sum(before.cpus)) / requests * 1e6
    server_us = (after.server - before.server) / requests * 1e6
    out.add(f"15.cpu_pct60.{key}", per_ten_thousand_at_60s(bots_us, per_poll))
    out.add(f"15.server_us.{key}", server_us)
    out.add(f"15.server_pct60.{key}", per_ten_thousand_at_60s(server_us, per_poll))
    out.add(f"15.polls_s.{key}", polls / seconds)
    out.add(f"15.requests_s.{key}", requests / seconds)
    out.add(f"15.req_per_poll.{key}", per_poll)
    out.add(f"15.fake_pct.{key}", (after.fake - before.fake) / seconds * 100)
    out.add(f"15.bots_pct_run.{key}", (sum(after.cpus) - sum(before.cpus)) / seconds * 100)


async def warm_up(session: BotSession) -> None:
    """Until every account was polled (both lists) once after the start."""
    interval = session.spec.interval
    await session.full_round(WARM_UP_INTERVALS * interval + 60)


async def measured_round(session: BotSession, out: Samples, window: float) -> None:
    """The next round, in windows, from a reset of the exchanger's counts (see the docstring)."""
    assert session.exchanger is not None
    spec, key = session.spec, tag(session.spec.processes, session.spec.accounts)
    await session.exchanger.reset_counts()
    first = before = await read(session)
    while True:
        await asyncio.sleep(window)
        after = await read(session)
        add_window(out, key, before, after)
        before = after
        elapsed = after.at - first.at
        if after.keys_done >= spec.accounts or elapsed > ROUND_SLACK * spec.interval:
            break
        session.alive()
    out.add(f"15.unpolled.{key}", spec.accounts - after.keys_done)
    out.add(f"15.round_s.{key}", elapsed)
    out.add(f"15.early_repeats.{key}", after.early_repeats)
    made = [now - then for now, then in zip(after.polls, first.polls, strict=True)]
    for polls in made:
        out.add(f"15.polls_each.{key}", polls)
    if sum(made) > 0:
        out.add(f"15.process_share.{key}", min(made) / sum(made) * len(made))
    exchanger_polls = after.exchanger_polls - first.exchanger_polls
    if exchanger_polls:
        out.add(f"15.metrics_vs_exchanger.{key}", sum(made) / exchanger_polls)
    for rss in session.rss_each():
        out.add(f"15.rss.{key}", rss)


async def one_setup(ctx: Context, out: Samples, processes: int, accounts: int) -> None:
    spec = scale_spec(ctx.scale, processes, accounts)
    window = max(0.5, min(ctx.scale.cpu_window, spec.interval / 4))
    ctx.progress(f"scale: {processes} process(es), {accounts:,} accounts")
    async with BotSession(ctx, spec) as session:
        await session.pollers_ready()
        ctx.progress(f"  {spec.name}: warm-up round (POLL_INTERVAL {spec.interval:g} s)")
        await warm_up(session)
        ctx.progress(f"  {spec.name}: measured round")
        await measured_round(session, out, window)
    out.add(f"15.load.{tag(processes, accounts)}", os.getloadavg()[0])


async def run(ctx: Context) -> list[Row]:
    out = Samples()
    scale = ctx.scale
    for processes, accounts in (
        (1, scale.scale_single),
        (scale.scale_processes, scale.scale_accounts),
    ):
        try:
            await one_setup(ctx, out, processes, accounts)
        except Exception as exc:
            reason = f"scale {tag(processes, accounts)} failed: {type(exc).__name__}: {exc}"
            reason = reason.splitlines()[0][:200]
            ctx.progress(reason)
            ctx.notes.append(reason)
            out.fail(reason)
    return rows(ctx, out)


def rows(ctx: Context, out: Samples) -> list[Row]:
    """The single process's rows, then the several processes' compared with them."""
    scale = ctx.scale
    one, many = tag(1, scale.scale_single), tag(scale.scale_processes, scale.scale_accounts)
    made: list[Row] = []
    for key, processes, accounts in (
        (one, 1, scale.scale_single),
        (many, scale.scale_processes, scale.scale_accounts),
    ):
        made += setup_rows(ctx, out, key, processes, accounts, base=one if key != one else None)
    return made


def setup_rows(
    ctx: Context, out: Samples, key: str, processes: int, accounts: int, base: str | None
) -> list[Row]:
    interval = polling_interval(ctx.scale, accounts)
    who = "one process" if processes == 1 else f"{processes} processes"
    where = f"{who}, {accounts:,} accounts on one PostgreSQL, steady state"
    base_text = f"one process, {ctx.scale.scale_single:,} accounts"
    made: list[Row] = []

    def row(figure_key: str, compare: bool = True, **fields: object) -> Row:
        full = f"{figure_key}.{key}"
        if base is not None and compare:  # compared with the single process's figure
            fields["limit"] = _median(out, f"{figure_key}.{base}")
            fields["limit_text"] = base_text
        made_row = Row(key=full, samples=out.get(full), missing=out.why_missing(full), **fields)  # type: ignore[arg-type]
        made.append(made_row)
        return made_row

    bare_us = ctx.shared.get("bare_us") or None
    cpu = row(
        "15.cpu_us",
        figure=f"bot CPU per request, each process, {where}",
        unit="µs",
        limit=bare_us,
        limit_text="bare aiohttp loop",
    )
    cpu.note = _note(out, key, processes)
    row("15.server_us", figure=f"PostgreSQL CPU per request, {where}", unit="µs")
    polls = row(
        "15.polls_s",
        compare=False,
        figure=f"polls/s in total, {where}",
        unit="polls/s",
        limit=accounts / interval,
        limit_text=f"asked: {accounts:,} accounts / POLL_INTERVAL {interval:g} s",
    )
    polls.note = _rate_note(out, key)
    share = row(
        "15.cpu_pct60",
        figure=f"bot CPU (all processes) per {PER:,} accounts at {REAL_INTERVAL:g} s, {where}",
        unit="% of a core",
    )
    share.note = "CPU per request × requests per poll × 10,000 / 60 s"
    row(
        "15.server_pct60",
        figure=f"PostgreSQL CPU per {PER:,} accounts at {REAL_INTERVAL:g} s, {where}",
        unit="% of a core",
    )
    row(
        "15.rss",
        figure=f"RSS of each bot process after the round, {where}",
        unit="MB",
    )
    unpolled = row(
        "15.unpolled",
        compare=False,
        figure=f"accounts not polled within {ROUND_SLACK:g} × POLL_INTERVAL, {where}",
        unit="",
        limit=0,
        limit_text="none (no starvation)",
        target=Target(Goal.AT_MOST, 0),
    )
    rounds = out.get(f"15.round_s.{key}")
    if rounds:
        unpolled.note = f"round ended after {max(rounds):.0f} s, POLL_INTERVAL {interval:g} s"
    row(
        "15.early_repeats",
        compare=False,
        figure=f"polls less than half an interval after the account's previous one, {where}",
        unit="",
        limit=0,
        limit_text="none (never two processes at once)",
        target=Target(Goal.AT_MOST, 0),
    )
    if processes > 1:
        even = row(
            "15.process_share",
            compare=False,
            figure=f"the smallest process's share of the polls × {processes}, {where}",
            unit="",
            limit=1,
            limit_text="an even split",
        )
        each = out.get(f"15.polls_each.{key}")
        if each:
            even.note = "polls per process: " + ", ".join(f"{n:,.0f}" for n in each)
    return made


def _median(out: Samples, key: str) -> float | None:
    values = out.get(key)
    return statistics.median(values) if values else None


def _note(out: Samples, key: str, processes: int) -> str:
    parts = []
    fake = out.get(f"15.fake_pct.{key}")
    if fake:
        parts.append(
            f"fake exchanger {statistics.median(fake):.0f} % of a core (max {max(fake):.0f} %)"
        )
    bots = out.get(f"15.bots_pct_run.{key}")
    if bots:
        parts.append(f"bots {statistics.median(bots):.0f} % of a core in all during the run")
    ratio = out.get(f"15.metrics_vs_exchanger.{key}")
    if ratio and processes > 1:
        parts.append(f"polls in the processes' /metrics = {ratio[0]:.3f} × the exchanger's")
    load = out.get(f"15.load.{key}")
    if load:
        parts.append(f"load average {load[0]:.2f} at the end")
    return "; ".join(parts)


def _rate_note(out: Samples, key: str) -> str:
    rate, per_poll = out.get(f"15.requests_s.{key}"), out.get(f"15.req_per_poll.{key}")
    if not rate or not per_poll:
        return ""
    return (
        f"{statistics.median(rate):,.0f} requests/s, "
        f"{statistics.median(per_poll):.2f} requests per poll"
    )
