"""The rows of the bot benchmarks (1, 2, 3, 4, 5, 6), each with its limit and target.

Limits measured in the same run come from `ctx.shared`: the bare aiohttp loop's CPU per request
(bench_clients), the bare imports' RSS and time (bench_imports).
"""

from __future__ import annotations

import statistics

from bench.context import Context, polling_interval
from bench.report import Goal, Row, Target
from bench.stats import Samples

MS = "ms"
DEFAULT_PER_POLL = 2.2  # both lists, the balance every 5th poll: when not measured


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
    per_size = {}
    for n in scale.poll_sizes:
        per_size[n] = row(
            f"1.cpu_us.{n}", figure=f"bot CPU per request, {n:,} accounts polled after a start",
            unit="µs", limit=bare_us, limit_text="bare aiohttp loop",
            target=Target(Goal.AT_MOST, 4, "×", on_ratio=True),
        )  # fmt: skip
    per_size[big].note = _share_note(out, f"1.main_thread.{big}")
    if not scale.one_session:
        small = scale.poll_sizes[0]
        variant = row(
            f"1.cpu_us.{small}.aiohttp", figure=f"the same, {small:,} accounts, the bot with "
            "the aiohttp transport (the one-line change)", unit="µs", limit=bare_us,
            limit_text="bare aiohttp loop", target=Target(Goal.AT_MOST, 4, "×", on_ratio=True),
        )  # fmt: skip
        variant.note = _share_note(out, f"1.main_thread.{small}.aiohttp")
        for n in scale.poll_sizes:  # the bot on PostgreSQL (issue 13)
            row(
                f"1.cpu_us.{n}.postgresql", figure=f"the same, {n:,} accounts, on PostgreSQL "
                "(DATABASE_URL, local server)", unit="µs", limit=bare_us,
                limit_text="bare aiohttp loop", target=Target(Goal.AT_MOST, 4, "×", on_ratio=True),
            )  # fmt: skip
            row(
                f"13.server_us.{n}", figure=f"PostgreSQL server CPU per request, {n:,} accounts",
                unit="µs", limit_text="beside the bot's own",
            )  # fmt: skip
    # % of a core at 60 s: CPU per request × requests per poll (measured, benchmark 6) × N / 60
    per_poll = statistics.median(out.get("6.req_per_min.busy") or [DEFAULT_PER_POLL])
    shares = [us * per_poll * big / 60 / 1e4 for us in out.get(f"1.cpu_us.{big}")]
    out.values[f"1.cpu_pct60.{big}"] = shares
    share = row(
        f"1.cpu_pct60.{big}", figure=f"bot CPU at {big:,} accounts / 60 s", unit="% of a core",
        limit=bare_us * per_poll * big / 60 / 1e4 if bare_us else None,
        limit_text="bare aiohttp loop, same requests", target=Target(Goal.AT_MOST, 15, " %"),
    )  # fmt: skip
    share.note = f"{per_poll:.2f} requests per poll"
    interval = polling_interval(scale, big)
    rounds = row(
        f"1.round_s.{big}", figure=f"time to poll all {big:,} accounts once after a start",
        unit="s", limit=60, limit_text="the default POLL_INTERVAL",
    )  # fmt: skip
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
        "2.rate", figure=f"delivery: {scale.delivery_messages:,} messages to "
        f"{scale.delivery_chats} chats, sustained", unit="msg/s", limit=30,
        limit_text="Telegram: 30 msg/s overall, 1/s per chat",
        target=Target(Goal.AT_LEAST, 28, " msg/s"),
    )  # fmt: skip
    rate.note = _joined(out, [("2.pending", "{} still queued when measured")])
    if windows:
        rate.note = "; ".join(
            filter(None, [f"10-s windows {min(windows):.1f}–{max(windows):.1f}", rate.note])
        )
    for key, what in (("count_429", "429 answers"), ("duplicates", "duplicates"),
                      ("lost", "lost (queued, never accepted)")):  # fmt: skip
        row(f"2.{key}", figure=f"delivery: {what}", unit="", limit=0, limit_text="none",
            target=Target(Goal.AT_MOST, 0))  # fmt: skip

    # 3. freshness
    fresh = scale.freshness_interval
    row("3.p50", figure=f"freshness p50, {scale.freshness_accounts:,} accounts", unit="s",
        limit=fresh, limit_text="POLL_INTERVAL")  # fmt: skip
    p99 = row(
        "3.p99", figure=f"freshness p99 (change at the exchanger → message), "
        f"{scale.freshness_events} events", unit="s", limit=fresh, limit_text="POLL_INTERVAL",
        target=Target(Goal.AT_MOST, fresh + 1, " s"),
    )  # fmt: skip
    p99.note = _joined(out, [("3.p99.quiet", "p99 nothing-pending accounts {} s"),
                             ("3.missed", "{} never delivered")])  # fmt: skip

    # 4. responsiveness
    idle = {q: out.get(f"4.idle.{q}") for q in ("p50", "p99")}
    for q in ("p50", "p99"):
        idle_ms = sorted(idle[q])[len(idle[q]) // 2] if idle[q] else None
        made_row = row(
            f"4.{q}", figure=f"/balance, /payouts → reply {q} while polling {big:,} accounts",
            unit=MS, limit=idle_ms, limit_text="the same commands, bot idle",
            target=Target(Goal.AT_MOST, 250, " ms") if q == "p99" else None,
        )  # fmt: skip
        if q == "p99":
            made_row.note = _joined(out, [("4.unanswered", "{} unanswered")])

    # 5. memory and start-up
    bare_rss = shared.get("bare_rss_mb")
    row(
        f"5.rss.{big}", figure=f"bot RSS with {big:,} accounts after full rounds", unit="MB",
        limit=bare_rss, limit_text="bare imports",
        target=Target(Goal.AT_MOST, (bare_rss or 0) + 60, " MB (bare + 60)") if bare_rss else None,
    )  # fmt: skip
    row(
        f"5.startup.{big}", figure=f"start-up: exec → first poll, {big:,} accounts in the DB",
        unit="s", limit=shared.get("bare_import_s"), limit_text="bare imports alone",
        target=Target(Goal.AT_MOST, 3, " s"),
    )  # fmt: skip

    # 6. exchanger load
    for group, what in (("busy", "with pending items"), ("quiet", "with nothing pending")):
        row(f"6.req_per_min.{group}", figure=f"requests per account per minute (POLL_INTERVAL "
            f"60 s), accounts {what}", unit="req", limit=2,
            limit_text="both lists once per interval")  # fmt: skip
    return made


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
