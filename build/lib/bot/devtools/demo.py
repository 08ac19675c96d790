"""`python -m bot.devtools.demo` (`make demo`): try the whole bot offline, in a browser.

Starts the sandbox exchanger (`python -m bot.sandbox`, a child process), the local Bot API
server with the chat page (in this process) and the bot (`python -m bot`, a child process)
wired to both: any token, a throwaway database in a temporary directory, POLL_INTERVAL=5,
ADMIN_IDS = the playground's visitor. Prints one line with the URL. Ctrl-C (or SIGTERM) stops
everything it started; the children also die with this process (PR_SET_PDEATHSIG on Linux).
The children's output goes to log files in the temporary directory (shown on failure).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bot.config import Settings
from bot.devtools.playground.server import VISITOR_ID, PlaygroundBotApi
from bot.sandbox.serving import until_stop_signal

DEMO_TOKEN = "100000001:playground-any-token-works"
STARTUP_TIMEOUT = 60.0
_SANDBOX_LINE = re.compile(r"sandbox: (http://\S+?)/api\.html")


class DemoError(Exception):
    """A part did not start; the message says which and shows its log."""


def _die_with_parent() -> None:  # runs in the child between fork and exec
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


async def spawn(
    args: Sequence[str], env: dict[str, str], log: Path, cwd: Path
) -> asyncio.subprocess.Process:
    """A child in its own session (a terminal's Ctrl-C reaches only us; we stop it)."""
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            env=env,
            cwd=cwd,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )


async def stop(process: asyncio.subprocess.Process, grace: float = 10.0) -> None:
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), grace)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()


def child_env(extra: dict[str, str]) -> dict[str, str]:
    """This environment without any bot setting (no real token leaks in), plus ``extra``."""
    names = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k.upper() not in names}
    repo = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [repo, env.get("PYTHONPATH")]))
    env.update(PYTHONUNBUFFERED="1", NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    env.update(extra)
    return env


def read_log(log: Path) -> str:
    """A small local file, read between waits: blocking briefly is fine here."""
    return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""


async def wait_for_line(
    log: Path, pattern: re.Pattern[str], process: asyncio.subprocess.Process
) -> re.Match[str]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STARTUP_TIMEOUT
    while True:
        text = read_log(log)
        found = pattern.search(text)
        if found:
            return found
        if process.returncode is not None or loop.time() > deadline:
            raise DemoError(f"{log.stem} did not start:\n{text[-3000:]}")
        await asyncio.sleep(0.1)


async def wait_for_bot(
    server: PlaygroundBotApi, bot: asyncio.subprocess.Process, log: Path
) -> None:
    exited = asyncio.create_task(bot.wait())
    polling = asyncio.create_task(server.polling.wait())
    try:
        done, _ = await asyncio.wait(
            {exited, polling}, timeout=STARTUP_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        exited.cancel()
        polling.cancel()
    if polling not in done:
        text = read_log(log)
        raise DemoError(f"the bot did not start:\n{text[-3000:]}")


async def run(host: str, port: int, bot_env: dict[str, str], workdir: Path) -> None:
    children: list[asyncio.subprocess.Process] = []
    server: PlaygroundBotApi | None = None
    try:
        sandbox_log = workdir / "sandbox.log"
        sandbox = await spawn(
            ["-m", "bot.sandbox", "--host", host, "--port", "0"],
            child_env({}),
            sandbox_log,
            workdir,
        )
        children.append(sandbox)
        sandbox_url = (await wait_for_line(sandbox_log, _SANDBOX_LINE, sandbox)).group(1)
        server = PlaygroundBotApi(host=host, port=port, sandbox_url=sandbox_url)
        await server.start()
        settings = {
            "BOT_TOKEN": DEMO_TOKEN,
            "TELEGRAM_API_URL": server.base_url,
            "EXCHANGER_URL": sandbox_url,
            "DATABASE_PATH": str(workdir / "bot.sqlite3"),
            "POLL_INTERVAL": "5",
            "ADMIN_IDS": str(VISITOR_ID),
            **bot_env,
        }
        bot_log = workdir / "bot.log"
        bot = await spawn(["-m", "bot"], child_env(settings), bot_log, workdir)
        children.append(bot)
        await wait_for_bot(server, bot, bot_log)
        print(f"Playground: {server.base_url}/  (Ctrl-C stops; logs in {workdir})", flush=True)
        stopped = asyncio.create_task(until_stop_signal())
        died = [asyncio.create_task(child.wait()) for child in children]
        done, _ = await asyncio.wait({stopped, *died}, return_when=asyncio.FIRST_COMPLETED)
        for task in (stopped, *died):
            task.cancel()
        if stopped not in done:
            name = "the sandbox" if died[0] in done else "the bot"
            raise DemoError(f"{name} exited; see the logs in {workdir}")
    finally:
        for child in reversed(children):
            await stop(child)
        if server is not None:
            await server.stop()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot.devtools.demo", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8088, help="of the page (0: any free one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--bot-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a bot setting, e.g. --bot-env THROTTLE_SECONDS=0 (repeatable)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    extra = dict(item.split("=", 1) for item in args.bot_env if "=" in item)
    workdir = Path(tempfile.mkdtemp(prefix="pexbot-demo-"))
    try:
        asyncio.run(run(args.host, args.port, extra, workdir))
    except DemoError as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"demo: cannot serve on {args.host}:{args.port}: {exc.strerror}; try --port 0",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
