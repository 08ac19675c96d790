"""`python -m bot.devtools.demo` (`make demo`): one URL, a working page, and Ctrl-C (SIGINT) stops
the sandbox and the bot it started."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import httpx

from tests.fakes.processes import ManagedProcess

URL = re.compile(r"Playground: (http://\S+/)")


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def test_demo_prints_one_url_serves_the_page_and_sigint_stops_everything(
    tmp_path: Path,
) -> None:
    demo = ManagedProcess(
        ["-m", "bot.devtools.demo", "--port", "0"], log_path=tmp_path / "demo.log", name="demo"
    )
    await demo.start()
    try:
        await demo.wait_for_output("Playground: ", timeout=60)
        await demo.wait_for_output("\n", timeout=5)
        lines = demo.output().strip().splitlines()
        assert len(lines) == 1 and len(re.findall(r"http://", lines[0])) == 1, lines
        url = URL.search(lines[0]).group(1)  # type: ignore[union-attr]
        async with httpx.AsyncClient(timeout=10, trust_env=False) as client:
            page = await client.get(url)
            assert page.status_code == 200 and "Sandbox exchanger" in page.text
            ping = await client.get(url + "_playground/sandbox/ping")
            assert ping.json() == {"ok": True}
        assert demo.pid is not None
        children = children_of(demo.pid)
        assert len(children) == 2, children  # the sandbox and the bot
        os.kill(demo.pid, signal.SIGINT)
        assert await demo.wait_exit(30) == 0
        assert not [pid for pid in children if alive(pid)]
        assert "Traceback" not in demo.output()
    finally:
        if demo.running:
            await demo.kill()
