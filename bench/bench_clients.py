"""Benchmark 1, client part: the HTTP client options against the bare aiohttp loop.

Each option runs in its own process (bench/client_loop.py) against the fake exchanger in
another; the options are interleaved run by run, so a change in the machine's load hits
them alike. The bare loop's median is the limit of every other row (and of the bot's rows).
"""

from __future__ import annotations

from bench.client_loop import CLIENT_OPTIONS
from bench.context import Context
from bench.procs import Exchanger, run_json, start_exchanger
from bench.report import Goal, Row, Target

RATE_AT_60S = 10_000 * 2 / 60  # requests/s of 10,000 accounts, both lists, every 60 s
TITLES = {
    "aiohttp": "bare aiohttp loop (same requests, json.loads)",
    "httpx": "httpx as is (OldApiClient + make_http_client)",
    "httpx-nosniffio": "httpx with sniffio missing",
    "httpx-aiohttp": "httpx + aiohttp transport (httpx-aiohttp)",
    "bot": "the bot's client: reads over aiohttp (reads.py), add_payout over httpx",
}


def core_share(us_per_request: float) -> float:
    """% of one core at 10,000 accounts / 60 s for this CPU cost per request."""
    return us_per_request * RATE_AT_60S / 1e6 * 100


async def arm_lost_answer(exchanger: Exchanger) -> str:
    """A partner that can request a payout, and a fault: the next add_payout is performed,
    then its connection is closed without an answer. Returns the partner's key."""
    method = {"id": 1, "title": "USDT TRC20", "comission": "1.00"}
    partner = await exchanger.control("POST", "partners", {"balance": "50.00", "methods": [method]})
    fault = {"mode": "drop", "methods": ["add_payout"], "after_processing": True, "count": 1}
    await exchanger.control("POST", "faults", fault)
    return str(partner["api_key"])


async def add_payouts_seen(exchanger: Exchanger) -> int:
    return int((await exchanger.counts())["by_method"].get("add_payout", 0))


async def run(ctx: Context) -> list[Row]:
    scale = ctx.scale
    samples: dict[str, list[float]] = {option: [] for option in CLIENT_OPTIONS}
    sent: dict[str, list[float]] = {option: [] for option in CLIENT_OPTIONS}
    outcomes: dict[str, set[str]] = {option: set() for option in CLIENT_OPTIONS}
    errors = 0
    failed: dict[str, str] = {}
    exchanger = await start_exchanger(scale.client_accounts, ctx.directory("clients"))
    try:
        for run_index in range(scale.runs):
            for option in (o for o in CLIENT_OPTIONS if o not in failed):
                ctx.progress(f"client {option}, run {run_index + 1}/{scale.runs}")
                payout_key, before = (
                    await arm_lost_answer(exchanger),
                    await add_payouts_seen(exchanger),
                )
                try:
                    result = await run_json(
                        [
                            "-m",
                            "bench.client_loop",
                            "--option",
                            option,
                            "--url",
                            exchanger.url,
                            "--accounts",
                            str(scale.client_accounts),
                            "--concurrency",
                            str(scale.concurrency),
                            "--payout-key",
                            payout_key,
                        ]
                    )
                except RuntimeError as exc:  # e.g. httpx-aiohttp not installed
                    failed[option] = str(exc).strip().splitlines()[-1][:150]
                    ctx.notes.append(f"Client option {option} failed: {failed[option]}")
                    continue
                finally:
                    await exchanger.control("DELETE", "faults")
                samples[option].append(result["us_per_request"])
                sent[option].append(await add_payouts_seen(exchanger) - before)
                outcomes[option].add(result["lost_answer"])
                errors += result["errors"]
    finally:
        await exchanger.stop()
    bare = Row(
        key="1.client.aiohttp",
        figure=f"CPU per request, {TITLES['aiohttp']}",
        unit="µs",
        limit_text="the limit of the rows below",
        samples=samples["aiohttp"],
        missing=failed.get("aiohttp", ""),
    )
    ctx.shared["bare_us"] = bare.value or 0.0
    rows = [bare]
    for option in CLIENT_OPTIONS[1:]:
        row = Row(
            key=f"1.client.{option}",
            figure=f"CPU per request, {TITLES[option]}",
            unit="µs",
            limit=bare.value,
            limit_text="bare aiohttp loop",
            target=Target(Goal.AT_MOST, 3, "×", on_ratio=True),
            samples=samples[option],
            missing=failed.get(option, ""),
        )
        row.note = f"{core_share(row.value or 0):.1f} % of a core at {RATE_AT_60S:.0f} req/s"
        rows.append(row)
    bare.note = f"{core_share(bare.value or 0):.1f} % of a core at {RATE_AT_60S:.0f} req/s"
    for option in CLIENT_OPTIONS:
        rows.append(
            Row(
                key=f"1.lost_answer.{option}",
                figure=f"add_payout requests sent when the answer is lost, {option}",
                unit="",
                limit=1,
                limit_text="sent once: never re-sent blindly",
                target=Target(Goal.AT_MOST, 1),
                samples=sent[option],
                missing=failed.get(option, ""),
                note="the client reported: " + " / ".join(sorted(outcomes[option])),
            )
        )
    if errors:
        ctx.notes.append(f"Client options: {errors} requests failed (see the logs).")
    ctx.notes.append(
        f"Client options: {scale.client_accounts} accounts × 2 requests per run after a "
        f"warm-up, {scale.concurrency} in flight, each option in a fresh process."
    )
    return rows
