"""`python -m bench [--quick | --scale tiny] [--out FILE] [--only NAME ...]`: every benchmark.

Runs the benchmarks one after the other (never two measured processes at once: 2 cores),
prints the table and writes it as Markdown with the machine it ran on. The full scale writes
bench/results.md; `--quick` (= `--scale tiny`, ~20 accounts, seconds) writes only with --out.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import bench_bot, bench_clients, bench_imports, bench_scale, bench_storage
from bench.context import SCALES, Context
from bench.machine import describe
from bench.profile_summary import summary
from bench.report import Row, markdown_table, text_table

RESULTS = Path(__file__).resolve().parent / "results.md"
README = RESULTS.with_name("README.md")
QUOTE_START, QUOTE_END = "<!-- results -->", "<!-- /results -->"
PROFILE_LINES = 30
Benchmark = Callable[[Context], Awaitable[list[Row]]]
# In this order: the bot benchmarks compare with the figures of the first two.
BENCHMARKS: dict[str, Benchmark] = {
    "imports": bench_imports.run,
    "clients": bench_clients.run,
    "bot": bench_bot.run,
    "storage": bench_storage.run,  # SQLite beside PostgreSQL (issue 13)
    "scale": bench_scale.run,  # several processes on one PostgreSQL (issue 15)
}


def render(ctx: Context, rows: list[Row], machine: list[tuple[str, str]], seconds: float) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"`python -m bench` (scale **{ctx.scale.name}**, {ctx.scale.runs} run(s) per figure), "
        f"{when}, {seconds:.0f} s. How each figure is made: bench/README.md.",
        "",
        "## Machine",
        "",
        *[f"- **{name}**: {value}" for name, value in machine],
        f"- **load average at the end**: {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
        "",
        "## Results",
        "",
        markdown_table(rows),
        "",
    ]
    if ctx.notes:
        lines += ["## Notes", "", *[f"- {note}" for note in ctx.notes], ""]
    return "\n".join(lines)


def quote_in_readme(table: str, scale: str, seconds: float) -> None:
    """The README's performance section quotes the table between its two markers."""
    text = README.read_text(encoding="utf-8")
    start, end = text.find(QUOTE_START), text.find(QUOTE_END)
    if start < 0 or end < start:
        return
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    quoted = f"{QUOTE_START}\n_{when}, scale {scale}, {seconds:.0f} s:_\n\n{table}\n"
    README.write_text(text[:start] + quoted + text[end:], encoding="utf-8")


async def run_all(ctx: Context, names: list[str]) -> list[Row]:
    """One benchmark after the other. At the tiny scale (no figure means anything there) the
    independent ones overlap, and this process imports the bot meanwhile, to stay quick."""
    rows: list[Row] = []
    if ctx.scale.one_session:
        first = [name for name in names if name != "bot"]
        warm = asyncio.to_thread(importlib.import_module, "bench.seed_outbox")
        found = await asyncio.gather(*(BENCHMARKS[name](ctx) for name in first), warm)
        rows = [row for result in found[:-1] for row in result]
        names = [name for name in names if name == "bot"]
    for name in names:
        ctx.progress(f"benchmark {name}")
        rows += await BENCHMARKS[name](ctx)
    return rows


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--quick", action="store_true", help="the same as --scale tiny")
    parser.add_argument("--out", type=Path, help="where to write the Markdown table")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), help="a subset")
    parser.add_argument("--runs", type=int, help="runs per figure (default: 3, tiny: 1)")
    parser.add_argument("--sizes", type=int, nargs="+", help="polling sessions' account counts")
    parser.add_argument(
        "--sessions",
        nargs="+",
        choices=("poll", "load", "kinds", "fresh", "delivery", "idle"),
        help="bot sessions to run",
    )
    parser.add_argument(
        "--profile", action="store_true", help="bot under cProfile: prints where its CPU goes"
    )
    parser.add_argument("--keep", type=Path, help="keep logs and databases in this directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scale = SCALES["tiny" if args.quick else args.scale]
    if args.runs or args.sizes:
        changes = {
            "runs": args.runs or scale.runs,
            "poll_sizes": tuple(args.sizes or scale.poll_sizes),
        }
        scale = dataclasses.replace(scale, name=scale.name + " (changed)", **changes)
    out = args.out or (RESULTS if scale.name == "full" and not args.only else None)
    machine = describe()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pexbot-bench-") as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        ctx = Context(
            scale=scale, work_dir=work, sessions=set(args.sessions or ()), profile=args.profile
        )
        rows = asyncio.run(run_all(ctx, args.only or list(BENCHMARKS)))
        for path in ctx.profiles:
            print("--- cProfile of the bot (main thread; the figures are inflated by it)")
            print(summary(path))
            pstats.Stats(str(path)).sort_stats("tottime").print_stats(PROFILE_LINES)
    seconds = time.monotonic() - started
    print(text_table(rows))
    if out is not None and not args.profile:
        out.write_text(render(ctx, rows, machine, seconds), encoding="utf-8")
        print(f"written to {out}")
        if out == RESULTS:
            quote_in_readme(markdown_table(rows), scale.name, seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
