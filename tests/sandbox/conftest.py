"""The `sandbox` fixture: the seeded sandbox on aiohttp's TestServer (127.0.0.1, free port)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp.test_utils import TestServer

from bot.sandbox import SandboxState, create_app, seed_demo
from tests.sandbox.harness import Sandbox


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    state = SandboxState()
    seed_demo(state)
    server = TestServer(create_app(state))
    await server.start_server()
    async with httpx.AsyncClient(base_url=str(server.make_url("")), timeout=5) as client:
        yield Sandbox(state, client)
    await server.close()
