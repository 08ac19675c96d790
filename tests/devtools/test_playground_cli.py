"""`python -m bot.devtools.playground`: the local Bot API server alone, for any token."""

from __future__ import annotations

import os
import re
import signal

import httpx

from tests.fakes.processes import ManagedProcess


async def test_the_server_runs_alone_for_any_token() -> None:
    server = ManagedProcess(["-m", "bot.devtools.playground", "--port", "0"], name="playground")
    await server.start()
    try:
        await server.wait_for_output("chat page: ", timeout=30)
        base = re.search(r"local Bot API: (http://\S+)", server.output()).group(1)  # type: ignore[union-attr]
        async with httpx.AsyncClient(base_url=base, timeout=10, trust_env=False) as client:
            me = (await client.get("/bot42:whatever/getMe")).json()
            assert me["ok"] is True and me["result"]["id"] == 42
            assert (await client.get("/")).status_code == 200
            assert (await client.get("/_playground/sandbox/ping")).status_code == 404
        assert server.pid is not None
        os.kill(server.pid, signal.SIGINT)
        assert await server.wait_exit(15) == 0
    finally:
        if server.running:
            await server.kill()
