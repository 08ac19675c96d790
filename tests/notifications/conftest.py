"""Fixtures of the notification tests: an in-process sandbox (the database ones are in
tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestServer

from bot.exchanger import OldApiClient, make_http_client
from bot.sandbox import SandboxState, create_app
from bot.storage.accounts import Account

SITE = "https://ex.example"
Link = Callable[..., Awaitable[Account]]


@dataclass
class Exchanger:
    state: SandboxState
    url: str
    api: OldApiClient


@pytest.fixture
async def exchanger() -> AsyncIterator[Exchanger]:
    """The sandbox app on a local port, and the real client talking to it."""
    state = SandboxState()
    server = TestServer(create_app(state))
    await server.start_server()
    http = make_http_client(connect_timeout=1.0, read_timeout=2.0)
    try:
        yield Exchanger(state, str(server.make_url("")).rstrip("/"), OldApiClient(http))
    finally:
        await http.aclose()
        await server.close()
