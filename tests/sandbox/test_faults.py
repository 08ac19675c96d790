"""Every fault mode sends what it says; `count`, `methods` and `after_processing` work."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest
from aiohttp.test_utils import TestServer

from bot.sandbox import SandboxState, create_app, seed_demo
from bot.sandbox.seed import ALICE
from bot.sandbox.state import FaultRule
from tests.sandbox.harness import Sandbox

ADD = {"method_id": 1, "account": "TAlice"}


async def fault(sandbox: Sandbox, mode: str, **options: Any) -> None:
    await sandbox.control("POST", "faults", {"mode": mode, **options})


def is_json(body: bytes) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("mode", "options", "status", "expected"),
    [
        ("api_disabled", {}, 200, b'{"error":1,"error_text":"Api disabled","data":[]}'),
        ("method_not_supported", {}, 200, b'"error_text":"Method not supported"'),
        ("error_text", {"text": "Technical break"}, 200, b'"error_text":"Technical break"'),
        ("http_500", {}, 500, b"500 Internal Server Error"),
        ("http_502", {}, 502, b"502 Bad Gateway"),
        ("html", {}, 200, b"<!DOCTYPE html>"),
        ("html", {"status": 503}, 503, b"503 Service Temporarily Unavailable"),
        ("null", {}, 200, b"null"),
    ],
)
async def test_answer_faults(
    sandbox: Sandbox, mode: str, options: dict[str, Any], status: int, expected: bytes
) -> None:
    await fault(sandbox, mode, **options)
    response = await sandbox.api("get_info")
    assert response.status_code == status and expected in response.content


async def test_http_429_has_retry_after(sandbox: Sandbox) -> None:
    await fault(sandbox, "http_429", retry_after=30)
    response = await sandbox.api("get_info")
    assert (response.status_code, response.headers["retry-after"]) == (429, "30")


async def test_broken_bodies(sandbox: Sandbox) -> None:
    normal = (await sandbox.api("get_exchanges")).content
    for mode, check in [
        ("garbage", lambda body: body and not is_json(body)),
        ("truncated", lambda body: normal.startswith(body) and 0 < len(body) < len(normal)),
        ("empty", lambda body: body == b""),
        ("huge", lambda body: len(body) > 4_000_000 and is_json(body)),
    ]:
        await fault(sandbox, mode, count=1)
        response = await sandbox.api("get_exchanges")
        assert response.status_code == 200 and check(response.content), mode


async def test_truncated_write_without_processing_writes_nothing(sandbox: Sandbox) -> None:
    await fault(sandbox, "truncated", methods=["add_payout"])
    assert not is_json((await sandbox.api("add_payout", **ADD)).content)
    assert (await sandbox.data("get_info"))["balance"] == "57.35"


async def test_slow_answers_late(sandbox: Sandbox) -> None:
    await fault(sandbox, "slow", delay=0.3)
    with pytest.raises(httpx.ReadTimeout):
        await sandbox.client.get("/api.html", params=query("get_info"), timeout=0.1)
    started = time.perf_counter()
    assert (await sandbox.data("get_info"))["balance"] == "57.35"
    assert time.perf_counter() - started >= 0.3


def query(method: str, **params: Any) -> dict[str, Any]:
    return {"api_action": "pp", "api_key": ALICE, "method": method, **params}


async def test_hang_and_drop_give_no_answer(sandbox: Sandbox) -> None:
    await fault(sandbox, "hang", count=1)
    with pytest.raises(httpx.ReadTimeout):
        await sandbox.client.get("/api.html", params=query("get_info"), timeout=0.2)
    await fault(sandbox, "drop", count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        await sandbox.api("get_info")
    assert (await sandbox.data("get_info"))["balance"] == "57.35"


async def test_lost_answer_after_processing(sandbox: Sandbox) -> None:
    await fault(sandbox, "drop", methods=["add_payout"], after_processing=True, count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        await sandbox.api("add_payout", **ADD)
    assert (await sandbox.data("get_info"))["balance"] == "0.00"
    newest = (await sandbox.data("get_payouts"))["items"][0]
    assert newest["status"] == "0" and newest["original_amount"] == "57.35"


async def test_slow_after_processing_writes_once(sandbox: Sandbox) -> None:
    await fault(sandbox, "slow", delay=0.05, methods=["add_payout"], after_processing=True)
    payout_id = (await sandbox.data("add_payout", **ADD))["payout_id"]
    payouts = (await sandbox.data("get_payouts"))["items"]
    assert payouts[0]["id"] == payout_id and [p["status"] for p in payouts].count("0") == 2


async def test_fault_before_processing_writes_nothing(sandbox: Sandbox) -> None:
    await fault(sandbox, "http_502", methods=["add_payout"])
    assert (await sandbox.api("add_payout", **ADD)).status_code == 502
    assert (await sandbox.data("get_info"))["balance"] == "57.35"
    log = await sandbox.control("GET", "requests?method=add_payout")
    assert [entry["fault"] for entry in log["items"]] == ["http_502"]


async def test_count_methods_and_delete(sandbox: Sandbox) -> None:
    await fault(sandbox, "http_500", count=2, methods=["get_info"])
    assert (await sandbox.api("get_payouts")).status_code == 200  # other methods unaffected
    codes = [(await sandbox.api("get_info")).status_code for _ in range(3)]
    assert codes == [500, 500, 200]
    assert (await sandbox.control("GET", "faults"))["faults"] == []
    await fault(sandbox, "http_500")
    await fault(sandbox, "null", methods=["get_links"])  # the newest matching rule wins
    assert (await sandbox.api("get_links")).content == b"null"
    assert (await sandbox.api("get_info")).status_code == 500
    await sandbox.control("DELETE", "faults")
    assert (await sandbox.api("get_info")).status_code == 200


async def test_shutdown_releases_a_hanging_request() -> None:
    state = SandboxState()
    seed_demo(state)
    state.faults.rules.append(FaultRule(mode="hang"))
    server = TestServer(create_app(state))
    await server.start_server()
    async with httpx.AsyncClient(base_url=str(server.make_url("")), timeout=10) as client:
        request = asyncio.create_task(client.get("/api.html", params=query("get_info")))
        await asyncio.sleep(0.1)
        started = time.perf_counter()
        await server.close()
        assert time.perf_counter() - started < 1
        with pytest.raises(httpx.HTTPError):
            await request


async def test_requests_of_one_key_at_once_are_recorded_as_overlaps(sandbox: Sandbox) -> None:
    """One after the other (a poll): none. Two at once while answers take time: one, with the
    key's id and never the key. Another key at the same time is no overlap."""
    await fault(sandbox, "slow", delay=0.5, methods=["get_exchanges"])
    await sandbox.data("get_exchanges")
    await sandbox.data("get_info")
    assert (await sandbox.control("GET", "overlaps"))["count"] == 0

    other = (await sandbox.control("POST", "partners", {}))["api_key"]
    slow = asyncio.create_task(sandbox.data("get_exchanges"))
    while (await sandbox.control("GET", "requests?method=get_exchanges"))["count"] < 2:  # noqa: ASYNC110 - the sandbox's log
        await asyncio.sleep(0.01)  # the slow one is being answered now
    await sandbox.client.get("/api.html", params=query("get_info") | {"api_key": other})
    await sandbox.data("get_info")
    await slow
    found = await sandbox.control("GET", "overlaps")
    assert found["count"] == 1
    assert found["items"][0]["method"] == "get_info" and ALICE not in json.dumps(found)
    await sandbox.control("DELETE", "overlaps")
    assert (await sandbox.control("GET", "overlaps"))["count"] == 0
