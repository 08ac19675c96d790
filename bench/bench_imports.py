"""Benchmark 5, baseline: a bare `python -c "import aiogram, httpx, aiosqlite"`.

Its RSS is the limit of the bot's RSS; its time from exec to the end of the imports is the part
of the bot's start-up that no code of ours can shorten. Measured `runs` times, each in a
fresh process; shared with the bot benchmarks as `bare_rss_mb` and `bare_import_s`.
"""

from __future__ import annotations

import time

from bench.context import Context
from bench.report import Row

CHILD = (
    "import json, time\n"
    "import aiogram, httpx, aiosqlite\n"
    "from bench.machine import rss_mb\n"
    "print(json.dumps({'at': time.time(), 'rss_mb': rss_mb()}))\n"
)


async def run(ctx: Context) -> list[Row]:
    from bench.procs import run_json

    rss, seconds = [], []
    for index in range(max(ctx.scale.runs, 1)):
        ctx.progress(f"bare imports, run {index + 1}/{ctx.scale.runs}")
        started = time.time()
        result = await run_json(["-c", CHILD], limit_s=120)
        rss.append(result["rss_mb"])
        seconds.append(result["at"] - started)
    rss_row = Row(
        key="5.bare_rss",
        figure='RSS of a bare `python -c "import aiogram, httpx, aiosqlite"`',
        unit="MB",
        limit_text="the limit of the bot's RSS",
        samples=rss,
    )
    time_row = Row(
        key="5.bare_import_s",
        figure="time from exec to the end of those imports",
        unit="s",
        limit_text="part of the bot's start-up",
        samples=seconds,
    )
    ctx.shared["bare_rss_mb"] = rss_row.value or 0.0
    ctx.shared["bare_import_s"] = time_row.value or 0.0
    return [rss_row, time_row]
