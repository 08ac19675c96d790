"""The processes of a benchmark: the fakes (each in its own process), the bot, one-shot children.

Built on tests/fakes/processes.py (process groups, no orphans, output kept and logged).
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import sys
from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes.processes import BotProcess, ManagedProcess

REPO_ROOT = Path(__file__).resolve().parents[1]
_URLS = re.compile(r"http://[^\s]+")


class Controlled:
    """A started fake: its process, the URL(s) from its banner line, JSON calls to it."""

    def __init__(self, process: ManagedProcess, banner: str) -> None:
        self.process = process
        self.banner = banner
        self.urls = _URLS.findall(banner)
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120))

    async def call(self, method: str, url: str, body: Any = None) -> Any:
        async with self._session.request(method, url, json=body) as response:
            if response.status >= 400:
                raise RuntimeError(f"{method} {url}: {response.status} {await response.text()}")
            return await response.json()

    async def stop(self) -> None:
        await self._session.close()
        await self.process.terminate(grace=3.0)


class Exchanger(Controlled):
    @property
    def url(self) -> str:
        return self.urls[0]

    async def control(self, method: str, path: str, body: Any = None) -> Any:
        """The sandbox's control API: "partners" means /_control/partners."""
        return await self.call(method, f"{self.url}/_control/{path}", body)

    async def counts(self) -> dict[str, Any]:
        return await self.call("GET", f"{self.url}/_bench/counts")

    async def baseline(self) -> list[dict[str, Any]]:
        return (await self.call("GET", f"{self.url}/_bench/state"))["accounts"]

    async def reset_counts(self) -> None:
        await self.call("DELETE", f"{self.url}/_bench/counts")

    async def inject(self, index: int, kind: str = "exchange") -> float:
        return float((await self.inject_item(index, kind))["at"])

    async def inject_item(self, index: int, kind: str) -> dict[str, Any]:
        """One change (see fake_exchanger.py): {"at": unix time, "item": the item's id}."""
        return await self.call("POST", f"{self.url}/_bench/inject", {"index": index, "kind": kind})


class Telegram(Controlled):
    @property
    def url(self) -> str:
        return self.urls[0]

    @property
    def token(self) -> str:
        return self.banner.rsplit("token: ", 1)[1].strip()

    async def setup(self, chats: list[int], *, rate_limit: bool) -> None:
        await self.call("POST", f"{self.urls[1]}/setup", {"chats": chats, "rate_limit": rate_limit})

    async def command(self, chat_id: int, text: str, wait: float = 10.0) -> float | None:
        body = {"chat_id": chat_id, "text": text, "timeout": wait}
        result = await self.call("POST", f"{self.urls[1]}/command", body)
        return result["latency"]

    async def stats(self) -> dict[str, Any]:
        return await self.call("GET", f"{self.urls[1]}/stats")

    async def reset(self) -> None:
        await self.call("DELETE", f"{self.urls[1]}/stats")


async def _start(module: str, args: list[str], marker: str, log_dir: Path) -> tuple[Any, str]:
    name = module.rsplit(".", 1)[-1]
    process = ManagedProcess(["-m", module, *args], log_path=log_dir / f"{name}.log", name=name)
    await process.start()
    end = await process.wait_for_output(marker, timeout=60.0)
    start = process.output().rfind("\n", 0, end) + 1
    line_end = process.output().find("\n", end)
    return process, process.output()[start : line_end if line_end >= 0 else None]


async def start_exchanger(
    accounts: int, log_dir: Path, *, quiet_every: int = 0, repeat_gap: float = 0.0
) -> Exchanger:
    args = ["--accounts", str(accounts), "--quiet-every", str(quiet_every)]
    if repeat_gap:
        args += ["--repeat-gap", str(repeat_gap)]
    process, banner = await _start("bench.fake_exchanger", args, "fake exchanger:", log_dir)
    return Exchanger(process, banner)


async def start_telegram(log_dir: Path) -> Telegram:
    process, banner = await _start("bench.fake_telegram", [], " token: ", log_dir)
    return Telegram(process, banner)


def bot_process(
    env: dict[str, str], log_dir: Path, args: tuple[str, ...] = ("-m", "bot"), name: str = "bot"
) -> BotProcess:
    return BotProcess(env, args=args, cwd=REPO_ROOT, log_path=log_dir / f"{name}.log")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for a bot's webhook and metrics servers)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def run_json(args: list[str], limit_s: float = 300.0) -> dict[str, Any]:
    """Runs `python <args>` to its end; returns the JSON object on its last output line."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=REPO_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), limit_s)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise RuntimeError(f"{' '.join(args)} did not finish in {limit_s} s") from None
    lines = out.decode().strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return json.loads(lines[-1])
