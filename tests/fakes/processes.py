"""Run the real bot (``python -m bot``) and the exchanger sandbox (``python -m bot.sandbox``) as
subprocesses of an end-to-end test.

Built on ``asyncio.create_subprocess_exec``, so the processes live in the test's event loop;
stdout and stderr are merged, kept in memory (``output()``, across restarts) and copied to a log
file. No orphans: every child starts its own process group, which stop/kill end as a whole; on
Linux the child also gets SIGKILL if the test process dies (``PR_SET_PDEATHSIG``); an ``atexit``
hook kills any group still alive; the pytest fixtures in tests/fakes/fixtures.py kill in teardown.

Startup is slow: importing aiogram takes about 4-5 s here, so wait with generous timeouts.
"""

from __future__ import annotations

import asyncio
import atexit
import codecs
import contextlib
import ctypes
import os
import re
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import httpx

from bot.devtools.bot_api_models import Notifier

REPO_ROOT = Path(__file__).resolve().parents[2]
MAX_OUTPUT_CHARS = 20_000_000
_URL_RE = re.compile(r"http://[^\s/]+")
_live_groups: set[int] = set()


def _kill_live_groups() -> None:
    for group in list(_live_groups):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)


atexit.register(_kill_live_groups)


def _die_with_parent() -> None:  # runs in the child between fork and exec
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class ManagedProcess:
    """One ``sys.executable`` child with captured output; restartable."""

    def __init__(
        self,
        args: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | str | None = None,
        log_path: Path | str | None = None,
        name: str = "process",
    ) -> None:
        self.args = list(args)
        self.env = dict(env or {})
        self.cwd = Path(cwd) if cwd else REPO_ROOT
        self.log_path = Path(log_path) if log_path else None
        self.name = name
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._text = ""
        self._dropped = 0  # characters dropped from the front to bound memory
        self._changed = Notifier()
        self._log: IO[str] | None = None

    # -- state --------------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def returncode(self) -> int | None:
        return self._proc.returncode if self._proc else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    def output(self) -> str:
        """Everything the process printed so far, across restarts (bounded to the last 20 MB)."""
        return self._text

    def mark(self) -> int:
        """A position in the output for ``wait_for_output(..., since=mark)``."""
        return self._dropped + len(self._text)

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        if self.running:
            raise RuntimeError(f"{self.name} is already running")
        await self._wait_reader()
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable,
            *self.args,
            cwd=self.cwd,
            env=self._child_env(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        _live_groups.add(self._proc.pid)
        self._open_log()
        self._reader = asyncio.create_task(self._read(self._proc))

    async def terminate(self, grace: float = 10.0) -> int:
        """SIGTERM, then SIGKILL after ``grace`` seconds; returns the exit code."""
        proc = self._proc
        if proc is None:
            raise RuntimeError(f"{self.name} was never started")
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), grace)
            except TimeoutError:
                return await self.kill()
        return await self._reap(proc)

    async def kill(self) -> int:
        """SIGKILL to the whole process group; returns the exit code."""
        proc = self._proc
        if proc is None:
            raise RuntimeError(f"{self.name} was never started")
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        await proc.wait()
        return await self._reap(proc)

    async def restart(self) -> None:
        await self.terminate()
        await self.start()

    async def wait_exit(self, seconds: float = 30.0) -> int:
        """Waits until the process exits by itself; returns the exit code."""
        if self._proc is None:
            raise RuntimeError(f"{self.name} was never started")
        await asyncio.wait_for(self._proc.wait(), seconds)
        return await self._reap(self._proc)

    async def wait_for_output(
        self,
        substring: str,
        timeout: float = 30.0,  # noqa: ASYNC109 - the documented API
        *,
        since: int = 0,
    ) -> int:
        """Waits until the output (from position ``since``) contains ``substring``; returns the
        position just after it. Fails early if the process exits without printing it."""
        if self._proc is None:
            raise RuntimeError(f"{self.name} was never started")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = self._text.find(substring, max(since - self._dropped, 0))
            if found >= 0:
                return self._dropped + found + len(substring)
            if self._reader is None or self._reader.done():
                await self._settle()
                raise AssertionError(
                    f"{self.name} exited ({self.returncode}) without printing {substring!r}\n"
                    + self._tail()
                )
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"{self.name} did not print {substring!r} in {timeout}s\n" + self._tail()
                )
            await self._changed.wait(remaining)

    # -- internals ----------------------------------------------------------------------------

    def _child_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            PYTHONUNBUFFERED="1",
            NO_PROXY="127.0.0.1,localhost",
            no_proxy="127.0.0.1,localhost",
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
        )
        env.update(self.env)
        return env

    def _open_log(self) -> None:
        if self.log_path is not None and self._log is None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = self.log_path.open("a", encoding="utf-8")

    def _append(self, text: str) -> None:
        self._text += text
        if len(self._text) > MAX_OUTPUT_CHARS:
            cut = len(self._text) - MAX_OUTPUT_CHARS
            self._text, self._dropped = self._text[cut:], self._dropped + cut
        if self._log is not None:
            self._log.write(text)
            self._log.flush()
        self._changed.notify()

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        try:
            while chunk := await proc.stdout.read(65536):
                self._append(decoder.decode(chunk))
            self._append(decoder.decode(b"", final=True))
        finally:
            self._changed.notify()

    async def _reap(self, proc: asyncio.subprocess.Process) -> int:
        """After the leader exited: kill what is left of its group, drain the output."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        _live_groups.discard(proc.pid)
        await self._wait_reader()
        return proc.returncode if proc.returncode is not None else -1

    async def _wait_reader(self) -> None:
        if self._reader is not None:
            # a descendant that left the process group may hold the pipe: give up after 10 s
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._reader, 10)
            self._reader = None
        if self._log is not None:
            self._log.close()
            self._log = None

    async def _settle(self) -> None:
        """Lets the exit code of a process whose output ended become known."""
        if self._proc is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._proc.wait(), 5)

    def _tail(self, chars: int = 4000) -> str:
        return "--- output tail ---\n" + self._text[-chars:]


class BotProcess(ManagedProcess):
    """``python -m bot`` with the given environment (see bot_env())."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        args: Sequence[str] = ("-m", "bot"),
        cwd: Path | str | None = None,
        log_path: Path | str | None = None,
    ) -> None:
        super().__init__(args, env=env, cwd=cwd, log_path=log_path, name="bot")


def bot_env(
    *,
    token: str,
    telegram_api_url: str,
    exchanger_url: str,
    database_path: Path | str,
    **overrides: str,
) -> dict[str, str]:
    """The bot's settings for an e2e run; ``overrides`` are more variables (upper-cased)."""
    env = {
        "BOT_TOKEN": token,
        "TELEGRAM_API_URL": telegram_api_url,
        "EXCHANGER_URL": exchanger_url,
        "DATABASE_PATH": str(database_path),
        "LOG_LEVEL": "DEBUG",
        "POLL_INTERVAL": "1",
    }
    env.update({key.upper(): str(value) for key, value in overrides.items()})
    return env


class SandboxProcess(ManagedProcess):
    """``python -m bot.sandbox --host H --port P``; ``url`` is known once start() returned.

    With ``port=0`` (the default) the sandbox picks a free port and the URL is read from the
    line it prints when ready. ``command`` replaces the arguments after ``python`` (tests).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        extra_args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        log_path: Path | str | None = None,
        command: Callable[[str, int], list[str]] | None = None,
        startup_timeout: float = 30.0,
    ) -> None:
        self.host, self.port = host, port
        args = (command or _sandbox_command)(host, port) + list(extra_args)
        super().__init__(args, env=env, log_path=log_path, name="sandbox")
        self.startup_timeout = startup_timeout
        self.url = ""

    async def start(self) -> None:
        """Starts and waits until the sandbox printed its URL and its port accepts connections."""
        since = self.mark()
        await super().start()
        await self.wait_for_output("http://", self.startup_timeout, since=since)
        match = _URL_RE.search(self.output(), max(since - self._dropped, 0))
        assert match is not None
        self.url = match.group(0)
        host, _, port = self.url.removeprefix("http://").rpartition(":")
        await _wait_port(host.strip("[]"), int(port), self.startup_timeout, self)

    async def stop(self) -> int:
        return await self.terminate()

    async def control(self, method: str, path: str, json: Any = None, *, check: bool = True) -> Any:
        """A call of the JSON control API: ``path`` "partners" means "/_control/partners".
        Returns the decoded JSON (or text); with ``check`` an HTTP error fails the test."""
        url = self.url + (path if path.startswith("/") else f"/_control/{path}")
        async with httpx.AsyncClient(timeout=10.0, trust_env=False) as client:
            response = await client.request(method, url, json=json)
        if check and response.status_code >= 400:
            raise AssertionError(f"{method} {url} -> {response.status_code}: {response.text}")
        if "json" in response.headers.get("content-type", ""):
            return response.json()
        return response.text


def _sandbox_command(host: str, port: int) -> list[str]:
    return ["-m", "bot.sandbox", "--host", host, "--port", str(port)]


async def _wait_port(host: str, port: int, seconds: float, proc: ManagedProcess) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        try:
            _, writer = await asyncio.open_connection(host, port)
        except OSError:
            if not proc.running or loop.time() > deadline:
                raise AssertionError(
                    f"{proc.name} does not accept connections on {host}:{port}\n"
                    + proc.output()[-4000:]
                ) from None
            await asyncio.sleep(0.05)
            continue
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return
