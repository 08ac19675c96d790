"""One bot session: the fakes in their processes, a seeded database, `python -m bot` itself.

`async with BotSession(ctx, spec) as session:` starts the fake exchanger and the fake Bot API,
writes the database (N linked accounts, optional queued notifications), starts the real bot
with the bench settings, and on exit stops all three (SIGTERM, then SIGKILL after a grace).
The bot's CPU and RSS are read from /proc/<pid>; the request counts from the fake exchanger.

`Spec.processes > 1` (issue 15) starts that many bots on one PostgreSQL database, in webhook
mode (the fake Bot API, like Telegram, answers a second long-polling getUpdates with 409),
each with its own webhook and metrics port; `polls_by_process()` reads each one's
`bot_polls_total` from its /metrics. `session.bot` is the first of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp
import asyncpg

from bench.context import Context
from bench.machine import cpu_seconds, rss_mb, thread_cpu_seconds
from bench.procs import (
    Exchanger,
    Telegram,
    bot_process,
    free_port,
    start_exchanger,
    start_telegram,
)
from bench.seed import new_encryption_key, seed_accounts
from tests.fakes.processes import BotProcess
from tests.postgres import Server, running_server


@dataclass(frozen=True)
class Spec:
    name: str
    accounts: int
    interval: float  # POLL_INTERVAL
    chats: int | None = None  # None: one chat per account
    quiet_every: int = 0  # every K-th account has nothing pending (fake exchanger)
    rate_limit: bool = True  # the fake Bot API enforces Telegram's limits
    queued: int = 0  # notifications in the outbox before the start
    hold_polls: bool = False  # accounts first polled an hour later (sender alone, idle bot)
    concurrency: int = 20  # MAX_CONCURRENT_POLLS
    baselined: bool = True  # accounts stored as after their baseline poll (a restarted bot)
    transport: str = "httpx"  # "aiohttp": the bot with the aiohttp transport (bot_variant.py)
    bare_first: bool = False  # time a bare import just before the bot's exec (same load)
    database: str = "sqlite"  # "postgresql": DATABASE_URL on a throwaway local server
    processes: int = 1  # bots sharing the database (issue 15; > 1 needs postgresql, webhook)
    webhook: bool = False  # webhook mode and /metrics, each process on ports of its own
    repeat_gap: float = 0.0  # the fake exchanger counts polls of a key closer than this

    def __post_init__(self) -> None:
        if self.processes > 1 and (self.database != "postgresql" or not self.webhook):
            raise ValueError("several bot processes need PostgreSQL and webhook mode")


WEBHOOK_SECRET = "bench-webhook-secret"
_POLLS = re.compile(r"^bot_polls_total\{[^}]*\} ([0-9.e+]+)$", re.MULTILINE)


def first_error(output: str) -> str:
    """ "N ERROR line(s), the first: <message> (<the exception it ended with>)", or ""."""
    lines = output.splitlines()
    found = [i for i, line in enumerate(lines) if " ERROR " in line]
    if not found:
        return ""
    first = lines[found[0]].split(" ERROR ", 1)[1]
    for line in lines[found[0] + 1 :]:
        if line and not line.startswith((" ", "Traceback", "The above", "During")):
            if ": " in line and " ERROR " not in line and " WARNING " not in line:
                first += f" ({line.strip()[:160]})"
            break
    return f"{len(found)} ERROR line(s), the first: {first}"


class BotSession:
    def __init__(self, ctx: Context, spec: Spec) -> None:
        self.ctx = ctx
        self.spec = spec
        self.dir = ctx.directory(f"{spec.name}-{time.monotonic_ns()}")
        self.exchanger: Exchanger | None = None
        self.telegram: Telegram | None = None
        self.bot: BotProcess | None = None  # the first of `bots`
        self.bots: list[BotProcess] = []
        self.metrics_urls: list[str] = []  # /metrics of each bot (webhook sessions)
        self.chats: list[int] = []
        self.queued = 0
        self.started_at = 0.0  # wall time just before the bot's exec
        self.bare_import_s: float | None = None  # the bare imports, just before the bot's exec
        self.database: Path | str = self.dir / "bot.sqlite3"
        self.pg: contextlib.ExitStack | None = None
        self.server: Server | None = None  # the PostgreSQL server of a "postgresql" session

    # -- lifecycle ----------------------------------------------------------------------

    async def __aenter__(self) -> BotSession:
        spec = self.spec
        try:
            self.exchanger, self.telegram = await asyncio.gather(
                start_exchanger(
                    spec.accounts,
                    self.dir,
                    quiet_every=spec.quiet_every,
                    repeat_gap=spec.repeat_gap,
                ),
                start_telegram(self.dir),
            )
            if spec.database == "postgresql":
                self.database = await self._postgresql()
            key, database = new_encryption_key(), self.database
            baseline = await self.exchanger.baseline() if spec.baselined else None
            self.chats = await seed_accounts(
                database,
                self.exchanger.url,
                key,
                spec.accounts,
                chats=spec.chats,
                baseline=baseline,
                hold_polls=spec.hold_polls,
            )
            if spec.queued:
                from bench.seed_outbox import enqueue_notifications

                self.queued = await enqueue_notifications(
                    database, spec.queued, hold_polls=spec.hold_polls
                )
            await self.telegram.setup(self.chats, rate_limit=spec.rate_limit)
            args: tuple[str, ...] = ("-m", "bot")
            if self.ctx.profile or spec.transport != "httpx":
                args = ("-m", "bench.bot_variant", "--transport", spec.transport)
                if self.ctx.profile:
                    args += ("--profile", str(self.dir / "bot.prof"))
            self.bots = [
                bot_process(self._env(key, database) | self._ports(), self.dir, args, name)
                for name in self._bot_names()
            ]
            self.bot = self.bots[0]
            if spec.bare_first:
                from bench.bench_imports import CHILD
                from bench.procs import run_json

                began = time.time()
                self.bare_import_s = (await run_json(["-c", CHILD], limit_s=120))["at"] - began
            self.started_at = time.time()
            await asyncio.gather(*(bot.start() for bot in self.bots))
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        codes = await asyncio.gather(
            *(bot.terminate(grace=15.0) for bot in self.bots if bot.running)
        )
        for code in codes:
            if code not in (0, -15):
                self.ctx.notes.append(f"{self.spec.name}: the bot exited with {code}.")
        for fake in (self.telegram, self.exchanger):
            if fake is not None:
                await fake.stop()
        if self.pg is not None:
            self.pg.close()
            self.pg = self.server = None
        if self.ctx.profile and (self.dir / "bot.prof").exists():
            self.ctx.profiles.append(self.dir / "bot.prof")
        for bot in self.bots:
            errors = first_error(bot.output())
            if errors:
                self.ctx.notes.append(f"{self.spec.name}: the bot logged {errors}")

    async def _postgresql(self) -> str:
        """A durable throwaway PostgreSQL (tests/postgres.py) with an empty database."""
        self.pg = contextlib.ExitStack()
        self.server = self.pg.enter_context(running_server(durable=True))
        admin = await asyncpg.connect(self.server.url("postgres"))
        try:
            await admin.execute("CREATE DATABASE bench")
        finally:
            await admin.close()
        return self.server.url("bench")

    def server_cpu(self) -> float | None:
        """CPU seconds of the PostgreSQL server so far; None on SQLite (it runs in the bot)."""
        if self.server is None:
            return None
        from bench.bench_storage import server_cpu

        return server_cpu(self.server)

    def _bot_names(self) -> list[str]:
        if self.spec.processes == 1:
            return ["bot"]
        return [f"bot{number}" for number in range(1, self.spec.processes + 1)]

    def _ports(self) -> dict[str, str]:
        """Webhook mode and /metrics on free ports of their own (one call per process)."""
        if not self.spec.webhook:
            return {}
        hook, metrics = free_port(), free_port()
        self.metrics_urls.append(f"http://127.0.0.1:{metrics}/metrics")
        return {
            "WEBHOOK_URL": f"http://127.0.0.1:{hook}/tg/hook",
            "WEBHOOK_SECRET": WEBHOOK_SECRET,
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(hook),
            "METRICS_HOST": "127.0.0.1",
            "METRICS_PORT": str(metrics),
        }

    def _env(self, key: str, database: Path | str) -> dict[str, str]:
        assert self.exchanger is not None and self.telegram is not None
        where = "DATABASE_URL" if isinstance(database, str) else "DATABASE_PATH"
        return {
            "BOT_TOKEN": self.telegram.token,
            "TELEGRAM_API_URL": self.telegram.url,
            "EXCHANGER_URL": self.exchanger.url,
            where: str(database),
            "ENCRYPTION_KEY": key,
            "POLL_INTERVAL": str(self.spec.interval),
            "MAX_CONCURRENT_POLLS": str(self.spec.concurrency),
            "LOG_LEVEL": "WARNING",
        }

    # -- measurements -------------------------------------------------------------------

    @property
    def pid(self) -> int:
        assert self.bot is not None and self.bot.pid is not None
        return self.bot.pid

    def cpu(self) -> float:
        return cpu_seconds(self.pid)

    @property
    def pids(self) -> list[int]:
        pids = [bot.pid for bot in self.bots]
        assert None not in pids
        return [pid for pid in pids if pid is not None]

    def cpus(self) -> list[float]:
        """CPU seconds of each bot process so far, in process order."""
        return [cpu_seconds(pid) for pid in self.pids]

    def rss_each(self) -> list[float]:
        return [rss_mb(pid) for pid in self.pids]

    async def polls_by_process(self) -> list[float]:
        """Polls each bot made so far (`bot_polls_total` of its /metrics, every site)."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
            texts = await asyncio.gather(*(self._scrape(http, url) for url in self.metrics_urls))
        return [sum(float(n) for n in _POLLS.findall(text)) for text in texts]

    async def pollers_ready(self, limit_s: float = 90.0) -> None:
        """Waits until every bot's /healthz reports a polling round: each one serves /metrics
        and its poller is past its start-up (`PollSchedule.spread()`)."""
        deadline = time.monotonic() + limit_s
        while not all(await self._polling()):
            self.alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.spec.name}: pollers not ready in {limit_s:.0f} s")
            await asyncio.sleep(0.2)

    async def _polling(self) -> list[bool]:
        health = [url.removesuffix("metrics") + "healthz" for url in self.metrics_urls]
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
            return list(await asyncio.gather(*(self._has_polled(http, url) for url in health)))

    @staticmethod
    async def _has_polled(http: aiohttp.ClientSession, url: str) -> bool:
        try:
            async with http.get(url) as response:  # 503 while not healthy: still JSON
                body = await response.json()
        except aiohttp.ClientError:  # not listening yet
            return False
        return body.get("last_poll_round_age") is not None

    @staticmethod
    async def _scrape(http: aiohttp.ClientSession, url: str) -> str:
        async with http.get(url) as response:
            response.raise_for_status()
            return await response.text()

    def fake_cpu(self) -> float:
        """CPU seconds of the fake exchanger process (to flag a run where it saturated)."""
        assert self.exchanger is not None and self.exchanger.process.pid is not None
        return cpu_seconds(self.exchanger.process.pid)

    def thread_cpu(self) -> tuple[float, float]:
        return thread_cpu_seconds(self.pid)

    @property
    def tag(self) -> str:
        """Suffix of this session's figure keys: "" for the bot as it is."""
        tag = "" if self.spec.transport == "httpx" else f".{self.spec.transport}"
        return tag if self.spec.database == "sqlite" else f"{tag}.{self.spec.database}"

    def rss(self) -> float:
        return rss_mb(self.pid)

    def alive(self) -> None:
        stopped = [bot for bot in self.bots if not bot.running] if self.bots else [None]
        if stopped:
            tail = stopped[0].output()[-3000:] if stopped[0] else ""
            raise RuntimeError(f"{self.spec.name}: a bot is not running\n{tail}")

    async def counts(self, per_key: int = 2) -> dict[str, Any]:
        assert self.exchanger is not None
        url = f"{self.exchanger.url}/_bench/counts?per_key={per_key}"
        return await self.exchanger.call("GET", url)

    async def wait_counts(
        self, done: Any, limit_s: float, what: str, per_key: int = 2, step: float = 0.1
    ) -> dict[str, Any]:
        """Polls the fake exchanger's counts until `done(counts)`; fails after `limit_s`."""
        deadline = time.monotonic() + limit_s
        while True:
            counts = await self.counts(per_key)
            if done(counts):
                return counts
            self.alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.spec.name}: {what} not reached in {limit_s:.0f} s")
            await asyncio.sleep(step)

    async def first_poll(self, limit_s: float = 60.0) -> float:
        """Seconds from the bot's exec to its first request at the exchanger."""
        counts = await self.wait_counts(lambda c: c["first_at"], limit_s, "a first poll")
        return float(counts["first_at"]) - self.started_at

    async def full_round(self, limit_s: float) -> dict[str, Any]:
        """Waits until every account was asked for both lists since the counts were reset."""
        accounts = self.spec.accounts
        return await self.wait_counts(
            lambda c: c["keys_done"] >= accounts, limit_s, "a full polling round"
        )

    async def ready(self, limit_s: float = 60.0) -> None:
        """Waits until the bot asks the fake Bot API for updates (it can answer commands)."""
        deadline = time.monotonic() + limit_s
        while not (await self.telegram_stats())["polling"]:
            self.alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.spec.name}: no getUpdates in {limit_s:.0f} s")
            await asyncio.sleep(0.1)

    async def telegram_stats(self) -> dict[str, Any]:
        assert self.telegram is not None
        return await self.telegram.stats()
