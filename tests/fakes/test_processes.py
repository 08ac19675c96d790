"""Tests of the subprocess harness, with small stand-in programs (``python -c``) for the bot and
the sandbox, plus a smoke test of the real sandbox when it is importable."""

from __future__ import annotations

import asyncio
import importlib.util
import textwrap
from pathlib import Path

import pytest

from tests.fakes.processes import BotProcess, SandboxProcess, bot_env

GRACEFUL = """
import signal, sys, time
def bye(*_):
    print("bye", flush=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, bye)
print("ready", flush=True)
while True:
    time.sleep(1)
"""
STUBBORN = """
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ready", flush=True)
while True:
    time.sleep(1)
"""
WITH_GRANDCHILD = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
print(f"grandchild {child.pid}", flush=True)
time.sleep(60)
"""
STUB_SANDBOX = """
import sys
from aiohttp import web

async def requests(request):
    return web.json_response([{"path": "/api"}])

async def echo(request):
    return web.json_response(await request.json(), status=201)

async def main():
    app = web.Application()
    app.router.add_get("/_control/requests", requests)
    app.router.add_post("/_control/partners", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, sys.argv[1], int(sys.argv[2]))
    await site.start()
    print(f"sandbox: http://{sys.argv[1]}:{runner.addresses[0][1]}/api.html", flush=True)
    await asyncio.Event().wait()

import asyncio
asyncio.run(main())
"""


def script(source: str) -> list[str]:
    return ["-c", textwrap.dedent(source)]


def gone(pid: int) -> bool:
    """True once ``pid`` no longer runs (a zombie waiting for its reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return True
    return state in ("Z", "X")


async def test_bot_process_terminates_restarts_and_keeps_output(tmp_path: Path) -> None:
    bot = BotProcess({"MARKER": "1"}, args=script(GRACEFUL), log_path=tmp_path / "bot.log")
    await bot.start()
    await bot.wait_for_output("ready\n", timeout=10)  # print() writes the newline separately
    assert bot.running and bot.pid is not None
    assert await bot.terminate() == 0
    assert not bot.running and bot.output() == "ready\nbye\n"
    mark = bot.mark()
    await bot.restart()
    assert await bot.wait_for_output("ready\n", timeout=10, since=mark) == len(
        "ready\nbye\nready\n"
    )
    await bot.restart()
    await bot.wait_for_output("ready\n", timeout=10, since=bot.mark() - 1)
    assert bot.output().count("ready") == 3
    assert await bot.kill() == -9
    assert (tmp_path / "bot.log").read_text() == bot.output()


async def test_terminate_falls_back_to_kill() -> None:
    bot = BotProcess({}, args=script(STUBBORN))
    await bot.start()
    await bot.wait_for_output("ready", timeout=10)
    assert await bot.terminate(grace=0.3) == -9


async def test_kill_leaves_no_orphans() -> None:
    bot = BotProcess({}, args=script(WITH_GRANDCHILD))
    await bot.start()
    await bot.wait_for_output("\n", timeout=10)
    grandchild = int(bot.output().split()[1])
    assert not gone(grandchild)
    await bot.kill()
    for _ in range(100):
        if gone(grandchild):
            break
        await asyncio.sleep(0.02)
    assert gone(grandchild)


async def test_wait_for_output_fails_fast_when_the_process_exits() -> None:
    bot = BotProcess({}, args=["-c", "import sys; print('boom'); sys.exit(3)"])
    await bot.start()
    with pytest.raises(AssertionError, match=r"exited \(3\) without printing 'Started'"):
        await bot.wait_for_output("Started", timeout=10)
    silent = BotProcess({}, args=script(GRACEFUL))
    with pytest.raises(RuntimeError, match="never started"):
        await silent.wait_for_output("ready", timeout=1)
    await silent.start()
    try:
        with pytest.raises(AssertionError, match=r"did not print 'never' in 0\.2s"):
            await silent.wait_for_output("never", timeout=0.2)
    finally:
        await silent.kill()


async def test_child_environment(tmp_path: Path) -> None:
    env = bot_env(
        token="1:x",
        telegram_api_url="http://127.0.0.1:1",
        exchanger_url="http://127.0.0.1:2",
        database_path=tmp_path / "db.sqlite3",
        admin_ids="1001",
    )
    assert env["ADMIN_IDS"] == "1001" and env["POLL_INTERVAL"] == "1"
    show = "import os; print(os.environ['BOT_TOKEN'], os.environ['PYTHONUNBUFFERED'], os.getcwd())"
    bot = BotProcess(env, args=["-c", show], cwd=tmp_path)
    await bot.start()
    assert await bot.wait_exit(10) == 0
    assert bot.output().split() == ["1:x", "1", str(tmp_path)]


async def test_sandbox_process_with_a_stub(tmp_path: Path) -> None:
    sandbox = SandboxProcess(
        command=lambda host, port: ["-c", textwrap.dedent(STUB_SANDBOX), host, str(port)],
        log_path=tmp_path / "sandbox.log",
    )
    await sandbox.start()
    try:
        assert sandbox.url.startswith("http://127.0.0.1:") and not sandbox.url.endswith(":0")
        assert await sandbox.control("GET", "requests") == [{"path": "/api"}]
        assert await sandbox.control("POST", "/_control/partners", json={"a": 1}) == {"a": 1}
        with pytest.raises(AssertionError, match="-> 404"):
            await sandbox.control("GET", "nothing")
        assert await sandbox.control("GET", "nothing", check=False) == "404: Not Found"
    finally:
        await sandbox.stop()
    assert not sandbox.running


@pytest.mark.skipif(
    importlib.util.find_spec("bot.sandbox") is None, reason="bot.sandbox is not written yet"
)
async def test_the_real_sandbox_starts_and_answers(tmp_path: Path) -> None:
    sandbox = SandboxProcess(log_path=tmp_path / "sandbox.log")
    await sandbox.start()
    try:
        assert await sandbox.control("GET", "ping") == {"ok": True}
    finally:
        assert await sandbox.stop() in (0, -15)
    assert sandbox.output().startswith("sandbox: http://127.0.0.1:")
