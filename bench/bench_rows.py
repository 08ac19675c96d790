"""The rows of the bot benchmarks (1, 2, 3, 4, 5, 6; 13: the bot on PostgreSQL), each with its
limit and target.

Limits measured in the same run come from `ctx.shared`: the bare aiohttp loop's CPU per request
(bench_clients), the bare imports' RSS and time (bench_imports).
"""

from __future__ import annotations

import statistics

from bench.context import Context, polling_interval
from bench.report import Goal, Row, Target
from bench.stats import Samples

MS = "ms"
DEFAULT_PER_MINUTE = 2.2  # the old rule (both lists, the balance every 5th poll): unmeasured
SATURATED_PCT = 90.0  # a fake above this share of a core may be what limits the bot


def rows(ctx: Context, out: Samples) -> list[Row]:
    scale, shared = ctx.scale, ctx.shared
    big = scale.big
    bare_us = shared.get("bare_us") or None
    made: list[Row] = []

    def row(key: str, **fields: object) -> Row:
        made_row = Row(key=key, samples=out.get(key), missing=out.why_missing(key), **fields)  # type: ignore[arg-type]
        made.append(made_row)
        return made_row

    # 1. polling cost
    ratio3 = Target(Goal.AT_MOST, 3, "×", on_ratio=True)
    for n in scale.poll_sizes:
        first = row(
            f"1.cpu_us.{n}",
            figure=f"bot CPU per request, {n:,} accounts, first round after a "
            "start (full work: nothing is remembered across a restart)",
            unit="µs",
            limit=bare_us,
            limit_text="bare aiohttp loop",
            target=ratio3,
        )
        first.note = _fake_note(out, f"1.fake_pct_first.{n}")
        steady = row(
            f"1.cpu_us.{n}.next",
            figure=f"bot CPU per request, {n:,} accounts, the next round (steady state)",
            unit="µs",
            limit=bare_us,
            limit_text="bare aiohttp loop",
            target=ratio3,
        )
        steady.note = _fake_note(out, f"1.fake_pct.{n}")
    per_size_note = _share_note(out, f"1.main_thread.{big}")
    if per_size_note:
        made[-2].note = "; ".join(filter(None, [made[-2].note, per_size_note]))
    if not scale.one_session:
        for n in scale.poll_sizes:  # the bot on PostgreSQL (issue 13)
            on_pg = row(
                f"1.cpu_us.{n}.postgresql",
                figure=f"bot CPU per request, {n:,} accounts, first "
                "round after a start, on PostgreSQL (DATABASE_URL, local durable server)",
                unit="µs",
                limit=bare_us,
                limit_text="bare aiohttp loop",
                target=ratio3,
            )
            on_pg.note = _fake_note(out, f"1.fake_pct_first.{n}.postgresql")
            row(
                f"13.server_us.{n}",
                figure=f"PostgreSQL server CPU per request, {n:,} accounts",
                unit="µs",
                limit_text="beside the bot's own",
            )
    # % of a core at 60 s: steady CPU per request × requests per account per minute (the mean
    # of busy and quiet accounts, benchmark 6) × N / 60
    per_min = _mean_per_minute(out)
    shares = [us * per_min * big / 60 / 1e4 for us in out.get(f"1.cpu_us.{big}.next")]
    out.values[f"1.cpu_pct60.{big}"] = shares
    share = row(
        f"1.cpu_pct60.{big}",
        figure=f"bot CPU at {big:,} accounts / 60 s, steady state",
        unit="% of a core",
        limit=bare_us * per_min * big / 60 / 1e4 if bare_us else None,
        limit_text="bare aiohttp loop, same requests",
        target=Target(Goal.AT_MOST, 10, " %"),
    )
    share.note = f"{per_min:.2f} requests per account per minute (row 6, half quiet)"
    interval = polling_interval(scale, big)
    rounds = row(
        f"1.round_s.{big}",
        figure=f"time to poll all {big:,} accounts once after a start",
        unit="s",
        limit=60,
        limit_text="the default POLL_INTERVAL",
    )
    run_share = out.get(f"1.cpu_pct_run.{big}")
    if run_share:
        rounds.note = (
            f"POLL_INTERVAL {interval:g} s in the run ({big * 2 / interval:,.0f} req/s asked); "
            f"bot CPU {statistics.median(run_share):.0f} % of a core meanwhile"
        )
    polled = out.get(f"1.round_polled.{big}")
    if polled and min(polled) < 1:
        rounds.note += f"; extrapolated: {min(polled):.0%} of the accounts polled in 60 s"

    # 2. delivery
    windows = out.get("2.rate_windows")
    rate = row(
        "2.rate",
        figure=f"delivery: {scale.delivery_messages:,} messages to "
        f"{scale.delivery_chats} chats, sustained",
        unit="msg/s",
        limit=30,
        limit_text="Telegram: 30 msg/s overall, 1/s per chat",
        target=Target(Goal.AT_LEAST, 28, " msg/s"),
    )
    rate.note = _joined(out, [("2.pending", "{} still queued when measured")])
    if windows:
        rate.note = "; ".join(
            filter(None, [f"10-s windows {min(windows):.1f}–{max(windows):.1f}", rate.note])
        )
    for key, what in (
        ("count_429", "429 answers"),
        ("duplicates", "duplicates"),
        ("lost", "lost (queued, never accepted)"),
    ):
        row(
            f"2.{key}",
            figure=f"delivery: {what}",
            unit="",
            limit=0,
            limit_text="none",
            target=Target(Goal.AT_MOST, 0),
        )

    # 3. freshness
    fresh = scale.freshness_interval
    row(
        "3.p50",
        figure=f"freshness p50, {scale.freshness_accounts:,} accounts",
        unit="s",
        limit=fresh,
        limit_text="POLL_INTERVAL",
    )
    p99 = row(
        "3.p99",
        figure=f"freshness p99 (change at the exchanger → message), "
        f"{scale.freshness_events} events, {scale.freshness_accounts:,} accounts",
        unit="s",
        limit=fresh,
        limit_text="POLL_INTERVAL",
        target=Target(Goal.AT_MOST, fresh + 1, " s"),
    )
    p99.note = _joined(
        out,
        [("3.p99.quiet", "p99 nothing-pending accounts {} s"), ("3.missed", "{} never delivered")],
    )

    # 4. responsiveness
    idle = {q: out.get(f"4.idle.{q}") for q in ("p50", "p99")}
    for q in ("p50", "p99"):
        idle_ms = sorted(idle[q])[len(idle[q]) // 2] if idle[q] else None
        made_row = row(
            f"4.{q}",
            figure=f"/balance, /payouts → reply {q} while polling {big:,} accounts",
            unit=MS,
            limit=idle_ms,
            limit_text="the same commands, bot idle",
            target=Target(Goal.AT_MOST, 250, " ms") if q == "p99" else None,
        )
        if q == "p99":
            made_row.note = _joined(out, [("4.unanswered", "{} unanswered")])

    # 5. memory and start-up
    bare_rss = shared.get("bare_rss_mb")
    row(
        f"5.rss.{big}",
        figure=f"bot RSS with {big:,} accounts after full rounds",
        unit="MB",
        limit=bare_rss,
        limit_text="bare imports",
        target=Target(Goal.AT_MOST, (bare_rss or 0) + 50, " MB (bare + 50)") if bare_rss else None,
    )
    row(
        f"5.startup.{big}",
        figure=f"start-up: exec → first poll, {big:,} accounts in the DB",
        unit="s",
        limit=shared.get("bare_import_s"),
        limit_text="bare imports alone, at the start of the run",
    )
    row(
        f"5.startup_over.{big}",
        figure="start-up overhead: the same minus a bare import timed "
        "just before the bot's exec (same load)",
        unit="s",
        limit=0.3,
        limit_text="the issue's allowance",
        target=Target(Goal.AT_MOST, 0.3, " s"),
    )

    # 6. exchanger load
    for group, what in (("busy", "with pending items"), ("quiet", "with nothing pending")):
        row(
            f"6.req_per_min.{group}",
            figure=f"requests per account per minute (POLL_INTERVAL 60 s), accounts {what}",
            unit="req",
            limit=2,
            limit_text="both lists once per interval",
        )
    if out.get("6.req_per_min.busy") and out.get("6.req_per_min.quiet"):
        out.values["6.req_per_min.mean"] = [_mean_per_minute(out)]
    row(
        "6.req_per_min.mean",
        figure="requests per account per minute (POLL_INTERVAL 60 s), "
        "half the accounts with nothing pending",
        unit="req",
        limit=2,
        limit_text="both lists once per interval",
        target=Target(Goal.AT_MOST, 1.2, " req"),
    )
    events = out.get("6.events")
    missed = row(
        "6.missed",
        figure=f"events never noticed, every kind into quiet and busy accounts "
        f"({scale.kinds_accounts} accounts, POLL_INTERVAL {scale.kinds_interval:g} s)",
        unit="",
        limit=0,
        limit_text="none",
        target=Target(Goal.AT_MOST, 0),
    )
    if events:
        missed.note = f"{int(events[0])} events"
    for kind, text in KIND_TEXTS.items():
        row(
            f"6.worst_s.{kind}",
            figure=f"worst latency: {text}",
            unit="s",
            limit=scale.kinds_interval,
            limit_text="POLL_INTERVAL of that session",
        )
    return made


KIND_TEXTS = {
    "exchange": "new exchange → message",
    "complete": "exchange completed → recorded",
    "accrue": "reward accrued → message",
    "payout_new": "payout made in the dashboard → recorded (pending)",
    "payout": "payout status change → message",
    "rotate": "key changed in the dashboard → relink message",
}


def _mean_per_minute(out: Samples) -> float:
    groups = [out.get(f"6.req_per_min.{g}") for g in ("busy", "quiet")]
    if not all(groups):
        return DEFAULT_PER_MINUTE
    return statistics.mean(statistics.median(g) for g in groups)


def _fake_note(out: Samples, key: str) -> str:
    shares = out.get(key)
    if not shares:
        return ""
    worst = max(shares)
    flag = " — SATURATED: the fake may be the bottleneck" if worst >= SATURATED_PCT else ""
    return f"fake exchanger {statistics.median(shares):.0f} % of a core (max {worst:.0f} %){flag}"


def _share_note(out: Samples, key: str) -> str:
    shares = out.get(key)
    if not shares:
        return ""
    main = statistics.median(shares)
    return f"main thread {main:.0%}, other threads (SQLite) {1 - main:.0%}"


def _joined(out: Samples, parts: list[tuple[str, str]]) -> str:
    texts = []
    for key, template in parts:
        values = out.get(key)
        if values:
            texts.append(template.format(f"{sorted(values)[len(values) // 2]:g}"))
    return "; ".join(texts)
