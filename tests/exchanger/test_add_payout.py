"""add_payout's own guarantees: one total deadline, a closed client and an answer that says
"success" without an id are OutcomeUnknown (never a refusal, never an unhandled error), and the
client in use never sends the request twice, even on a dropped keep-alive connection."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp.test_utils import TestServer

from bot.exchanger import (
    Credentials,
    OldApiClient,
    OutcomeUnknown,
    RequestRefused,
    make_http_client,
)
from bot.sandbox import SandboxState, create_app, seed_demo
from bot.sandbox.seed import ALICE
from tests.exchanger.test_client import CREDS, assert_key_free, envelope, respond, run
from tests.sandbox.harness import Sandbox


@pytest.mark.parametrize("flag", [0, "0", False, "false"])
async def test_success_text_without_an_id_is_outcome_unknown(flag: Any) -> None:
    body = envelope("Payout request created", error=flag)
    with pytest.raises(OutcomeUnknown, match="success without an id"):
        await run(lambda c: c.add_payout(CREDS, 3, "TXYZ"), respond(body=body))


async def test_a_clear_refusal_stays_a_refusal() -> None:
    body = envelope("Error! This account is blacklisted", error=1)
    with pytest.raises(RequestRefused):
        await run(lambda c: c.add_payout(CREDS, 3, "TXYZ"), respond(body=body))


async def test_the_whole_call_has_one_deadline() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200, json={"payout_id": 5})

    started = time.monotonic()
    async with httpx.AsyncClient(transport=httpx.MockTransport(slow), timeout=60) as http:
        with pytest.raises(OutcomeUnknown, match="deadline") as caught:
            await OldApiClient(http).add_payout(CREDS, 3, "TXYZ", deadline=0.2)
    assert time.monotonic() - started < 2
    assert_key_free(caught.value)


async def test_a_closed_client_is_outcome_unknown() -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(respond(body={"payout_id": 5})))
    await http.aclose()
    with pytest.raises(OutcomeUnknown, match="client closed") as caught:
        await OldApiClient(http).add_payout(CREDS, 3, "TXYZ", deadline=1)
    assert_key_free(caught.value)


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    state = SandboxState()
    seed_demo(state)
    server = TestServer(create_app(state))
    await server.start_server()
    async with httpx.AsyncClient(base_url=str(server.make_url("")), timeout=5) as client:
        yield Sandbox(state, client)
    await server.close()


@pytest.mark.parametrize("after_processing", [False, True])
async def test_the_client_in_use_never_resends_on_a_dropped_keepalive_connection(
    sandbox: Sandbox, after_processing: bool
) -> None:
    """aiohttp re-sends a GET once when a keep-alive connection drops (the bench saw two
    add_payout requests); the client the bot uses for add_payout must not."""
    creds = Credentials(str(sandbox.client.base_url).rstrip("/"), ALICE)
    http = make_http_client(read_timeout=2)
    try:
        api = OldApiClient(http)
        await api.get_info(creds)  # a pooled keep-alive connection now exists
        fault = {"mode": "drop", "methods": ["add_payout"], "after_processing": after_processing}
        await sandbox.control("POST", "faults", fault)
        with pytest.raises(OutcomeUnknown):
            await api.add_payout(creds, 1, "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE", deadline=5)
    finally:
        await http.aclose()
    log = await sandbox.control("GET", "requests?method=add_payout")
    assert log["count"] == 1
