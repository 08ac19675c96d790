"""`python -m bench.client_loop --option O --url U --accounts N`: one client option, measured.

Runs in its own process (so an option cannot disturb another, and the fake exchanger's CPU is
not counted): a warm-up (the first 200 accounts: connections opened), then `--rounds`
measured rounds. A round requests get_exchanges and get_payouts (30-day window, like the
poller's both lists) for every account, `--concurrency` requests in flight. CPU is this
process's own user+system time (every thread) over the measured rounds. With `--payout-key`,
one add_payout follows, whose answer the fake is set to lose (see bench_clients.py); its
outcome is reported. Prints one JSON line.

Options (CLIENT_OPTIONS):
  aiohttp          bare aiohttp.ClientSession, json.loads of the body: the cheapest client here
  httpx            the bot's client as it is: OldApiClient over make_http_client()
  httpx-nosniffio  the same with `sniffio` missing (recent anyio no longer installs it): every
                   `import sniffio` in httpcore searches sys.path again and fails
  httpx-aiohttp    OldApiClient over make_http_client() with its transport line swapped for
                   httpx_aiohttp.AiohttpTransport (package httpx-aiohttp)
  bot              the bot's client as it runs: OldApiClient(make_http_client(),
                   reads=make_read_session()): reads over aiohttp, add_payout over httpx.
                   Every request here asks the same window, so from the second round on the
                   answers repeat byte for byte and are not decoded again (the client's memo)
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.abc
import importlib.machinery
import json
import resource
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from contextlib import AsyncExitStack
from typing import Any

CLIENT_OPTIONS = ("aiohttp", "httpx", "httpx-nosniffio", "httpx-aiohttp", "bot")
LOOKBACK = 30 * 86_400
METHODS = ("get_exchanges", "get_payouts")
WARM_UP_ACCOUNTS = 200
PAYOUT_WALLET = "TBenchWallet000000000000000000000"


class Refused(Exception):
    """The site answered with an error (bare aiohttp loop)."""


Job = tuple[str, str]  # (api key, method)
Call = Callable[[Job], Awaitable[None]]


class _MissingModule(importlib.abc.MetaPathFinder):
    """Makes `import <name>` behave as if the package were not installed: the path search
    runs (as it does for a really missing module, on every attempt) and finds nothing."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname == self.name:
            importlib.machinery.PathFinder.find_spec(f"{self.name}_is_not_installed")
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def hide_module(name: str) -> None:
    sys.modules.pop(name, None)
    sys.meta_path.insert(0, _MissingModule(name))


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bench_keys(accounts: int) -> list[str]:
    return [f"bench-key-{index:06d}" for index in range(1, accounts + 1)]


async def run_round(call: Call, jobs: Iterable[Job], concurrency: int) -> int:
    """Every job once, `concurrency` at a time; returns the number of failed calls."""
    pending = iter(jobs)
    errors = 0

    async def worker() -> None:
        nonlocal errors
        for job in pending:
            try:
                await call(job)
            except Exception:
                errors += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return errors


async def aiohttp_call(stack: AsyncExitStack, url: str, concurrency: int) -> Call:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=concurrency, keepalive_timeout=30.0)
    session = await stack.enter_async_context(aiohttp.ClientSession(connector=connector))
    endpoint = url.rstrip("/") + "/api.html"
    since = str(int(time.time()) - LOOKBACK)

    async def call(job: Job) -> None:
        params = {"api_action": "pp", "api_key": job[0], "method": job[1], "start_time": since}
        if job[1] == "add_payout":
            params = {**params, "method_id": "1", "account": PAYOUT_WALLET}
        async with session.get(endpoint, params=params) as response:
            body = await response.read()
        answer = json.loads(body)
        if isinstance(answer, dict) and answer.get("error"):
            raise Refused(str(answer.get("error_text")))

    return call


async def httpx_call(stack: AsyncExitStack, url: str, concurrency: int, option: str) -> Call:
    if option == "httpx-nosniffio":
        hide_module("sniffio")
    from unittest import mock

    import httpx

    from bot.exchanger import Credentials, OldApiClient, make_http_client, make_read_session

    limits = {"max_connections": max(100, concurrency), "max_keepalive": max(50, concurrency)}
    reads = None
    if option == "bot":
        reads = make_read_session(max_connections=max(100, concurrency), max_per_site=concurrency)
        stack.push_async_callback(reads.close)
    if option == "httpx-aiohttp":
        from httpx_aiohttp import AiohttpTransport

        with mock.patch.object(httpx, "AsyncHTTPTransport", AiohttpTransport):
            http = make_http_client(**limits)
    else:
        http = make_http_client(**limits)
    stack.push_async_callback(http.aclose)
    api = OldApiClient(http, reads=reads)
    since = int(time.time()) - LOOKBACK

    async def call(job: Job) -> None:
        creds = Credentials(site=url, api_key=job[0])
        if job[1] == "get_exchanges":
            await api.get_exchanges(creds, start_time=since)
        elif job[1] == "get_payouts":
            await api.get_payouts(creds, start_time=since)
        else:
            await api.add_payout(creds, 1, PAYOUT_WALLET)

    return call


async def lost_answer(call: Call, payout_key: str) -> str:
    """One add_payout whose answer the fake drops after doing the work (the caller arranged
    the fault): the outcome the client reports. The fake counts how often it was sent."""
    try:
        await call((payout_key, "add_payout"))
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:120]
    return "ok"


async def measure(
    option: str, url: str, accounts: int, concurrency: int, rounds: int, payout_key: str
) -> dict:
    jobs = [(key, method) for key in bench_keys(accounts) for method in METHODS]
    async with AsyncExitStack() as stack:
        if option == "aiohttp":
            call = await aiohttp_call(stack, url, concurrency)
        else:
            call = await httpx_call(stack, url, concurrency, option)
        await run_round(call, jobs[: 2 * WARM_UP_ACCOUNTS], concurrency)  # connections opened
        cpu, wall = cpu_seconds(), time.perf_counter()
        errors = sum([await run_round(call, jobs, concurrency) for _ in range(rounds)])
        cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
        outcome = await lost_answer(call, payout_key) if payout_key else ""
    requests = len(jobs) * rounds
    return {
        "option": option,
        "requests": requests,
        "errors": errors,
        "cpu_s": cpu,
        "wall_s": wall,
        "us_per_request": cpu / requests * 1e6,
        "requests_per_s": requests / wall,
        "lost_answer": outcome,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.client_loop")
    parser.add_argument("--option", choices=CLIENT_OPTIONS, required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--accounts", type=int, default=1_000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--payout-key", default="", help="then one add_payout with this key")
    args = parser.parse_args(argv)
    result = asyncio.run(
        measure(
            args.option, args.url, args.accounts, args.concurrency, args.rounds, args.payout_key
        )
    )
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
