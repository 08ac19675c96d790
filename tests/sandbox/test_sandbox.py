"""The sandbox over real HTTP: aiohttp's TestServer on 127.0.0.1, queried with httpx."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.sandbox import SandboxState, add_bench_accounts
from bot.sandbox.seed import ALICE, BLACKLISTED_ACCOUNT, BOB, CAROL, add_history
from tests.sandbox.harness import Sandbox

ROOT = Path(__file__).resolve().parents[2]
DAY = 86_400
NOW = 1_750_000_000
INFO_KEYS = {"balance", "min_payout", "items"}
METHOD_KEYS = {"id", "title", "comission", "amount"}
CLICK_KEYS = {"id", "time", "date", "browser", "ip", "referrer", "user_hash", "query_string"}
EXCHANGE_KEYS = {
    "id",
    "time",
    "date",
    "currency_code_give",
    "currency_code_get",
    "course_give",
    "course_get",
    "amount_give",
    "amount_get",
    "exchange_success",
    "accrued",
    "partner_reward",
    "user_hash",
    "statuses",
}
PAYOUT_KEYS = {
    "id",
    "time",
    "date",
    "method_id",
    "account",
    "pay_amount",
    "pay_currency_code",
    "original_amount",
    "original_currency_code",
    "status",
}


def all_strings(items: list[dict[str, Any]], skip: str = "statuses") -> bool:
    return all(isinstance(v, str) for item in items for k, v in item.items() if k != skip)


async def test_get_info_fields(sandbox: Sandbox) -> None:
    body = (await sandbox.api("get_info")).json()
    assert (body["error"], body["error_text"]) == (0, "")
    info = body["data"]
    assert set(info) == INFO_KEYS and (info["balance"], info["min_payout"]) == ("57.35", "10.00")
    assert all(set(m) == METHOD_KEYS for m in info["items"]) and all_strings(info["items"])
    for method in info["items"]:
        assert Decimal(method["amount"]) == Decimal("57.35") - Decimal(method["comission"])


async def test_get_links_fields_filters_and_php_escaping(sandbox: Sandbox) -> None:
    response = await sandbox.api("get_links")
    items = response.json()["data"]["items"]
    assert len(items) == 36 and all(set(c) == CLICK_KEYS for c in items) and all_strings(items)
    assert [int(c["time"]) for c in items] == sorted((int(c["time"]) for c in items), reverse=True)
    assert any("<script>" in c["referrer"] for c in items)
    assert any("пример.рф" in c["referrer"] for c in items)
    assert "\\/" in response.text and "\\u043f" in response.text  # PHP: \/ and \uXXXX
    by_ip = (await sandbox.data("get_links", ip="192.0.2.44"))["items"]
    assert by_ip and {c["ip"] for c in by_ip} == {"192.0.2.44"}
    start = int(items[5]["time"])
    assert len((await sandbox.data("get_links", start_time=start))["items"]) == 6


async def test_get_exchanges_and_payouts_fields(sandbox: Sandbox) -> None:
    exchanges = (await sandbox.data("get_exchanges"))["items"]
    assert len(exchanges) == 30 and all(set(e) == EXCHANGE_KEYS for e in exchanges)
    assert all_strings(exchanges) and {e["exchange_success"] for e in exchanges} == {"0", "1"}
    assert {e["accrued"] for e in exchanges} == {"0", "1"}
    payouts = (await sandbox.data("get_payouts"))["items"]
    assert all(set(p) == PAYOUT_KEYS for p in payouts) and all_strings(payouts)
    assert {p["status"] for p in payouts} == {"0", "1", "2", "3"}


async def test_exchanges_filtered_and_sorted_by_last_change(sandbox: Sandbox) -> None:
    await sandbox.control("POST", "clock", {"now": NOW})
    key = (await sandbox.control("POST", "partners", {"balance": "1.00"}))["api_key"]
    old = await sandbox.control(
        "POST", f"partners/{key}/exchanges", {"time": NOW - 20 * DAY, "partner_reward": "2.5"}
    )
    await sandbox.control("POST", f"partners/{key}/exchanges", {"time": NOW - DAY})
    window = {"start_time": NOW - 2 * DAY}
    recent = (await sandbox.data("get_exchanges", key, **window))["items"]
    assert len(recent) == 1 and recent[0]["id"] != str(old["id"])  # the old one did not change
    await sandbox.control("POST", "clock", {"advance": 60})
    path = f"partners/{key}/exchanges/{old['id']}"
    await sandbox.control("PATCH", path, {"exchange_success": 1, "accrued": 1})
    items = (await sandbox.data("get_exchanges", key, **window))["items"]
    assert items[0]["id"] == str(old["id"])  # back, and newest change first
    assert (items[0]["accrued"], items[0]["time"]) == ("1", str(NOW - 20 * DAY))
    assert (await sandbox.data("get_info", key))["balance"] == "3.50"
    assert (await sandbox.data("get_exchanges", key, end_time=NOW - 2 * DAY))["items"] == []


async def test_add_payout_requests_the_whole_balance(sandbox: Sandbox) -> None:
    amount = (await sandbox.data("get_info"))["items"][0]["amount"]
    payout_id = (await sandbox.data("add_payout", method_id=1, account="TAlice"))["payout_id"]
    assert (await sandbox.data("get_info"))["balance"] == "0.00"
    newest = (await sandbox.data("get_payouts"))["items"][0]
    assert newest["id"] == payout_id and newest["status"] == "0"
    assert (newest["pay_amount"], newest["original_amount"]) == (amount, "57.35")
    again = (await sandbox.api("add_payout", method_id=1, account="TAlice")).json()
    assert again["error"] == 1 and "Minimum payout" in again["error_text"]
    await sandbox.control("PATCH", f"partners/{ALICE}/payouts/{payout_id}", {"status": 3})
    assert (await sandbox.data("get_info"))["balance"] == "57.35"  # canceled: refunded


@pytest.mark.parametrize(
    ("key", "params", "expected"),
    [
        (BOB, {"method_id": 1, "account": "TBob"}, "Minimum payout"),
        (ALICE, {"method_id": 99, "account": "TAlice"}, "method does not exist"),
        (ALICE, {"method_id": "x", "account": "TAlice"}, "method does not exist"),
        (ALICE, {"method_id": 1, "account": " "}, "did not enter an account"),
        (ALICE, {"method_id": 1, "account": BLACKLISTED_ACCOUNT}, "blacklisted"),
    ],
)
async def test_add_payout_refusals_change_nothing(
    sandbox: Sandbox, key: str, params: dict[str, Any], expected: str
) -> None:
    before = (await sandbox.data("get_info", key))["balance"]
    body = (await sandbox.api("add_payout", key, **params)).json()
    assert body["error"] == 1 and expected in body["error_text"]
    assert (await sandbox.data("get_info", key))["balance"] == before


async def test_add_payout_from_a_post_form(sandbox: Sandbox) -> None:
    query = {"api_action": "pp", "api_key": ALICE, "method": "add_payout"}
    form = {"method_id": "3", "account": "P100500"}
    response = await sandbox.client.post("/api.html", params=query, data=form)
    assert response.json()["error"] == 0
    assert (await sandbox.data("get_payouts"))["items"][0]["pay_amount"] == "56.85"


async def test_key_errors_and_rotation(sandbox: Sandbox) -> None:
    for key in ("", "nope", CAROL):
        assert (await sandbox.api("get_info", key)).json()["error_text"] == "Api disabled"
    unknown = (await sandbox.api("get_everything")).json()
    assert unknown == {"error": 1, "error_text": "Method not supported", "data": []}
    new_key = (await sandbox.control("POST", f"partners/{ALICE}/rotate"))["api_key"]
    assert (await sandbox.api("get_info")).json()["error_text"] == "Api disabled"
    assert (await sandbox.data("get_info", new_key))["balance"] == "57.35"
    await sandbox.control("PATCH", f"partners/{new_key}", {"api_enabled": False})
    assert (await sandbox.api("get_info", new_key)).json()["error_text"] == "Api disabled"


async def test_bench_accounts_are_lazy_and_rotatable(sandbox: Sandbox) -> None:
    started = time.perf_counter()
    add_bench_accounts(sandbox.state, 10_000)
    assert time.perf_counter() - started < 0.1 and len(sandbox.state.partners) == 4
    assert len((await sandbox.data("get_exchanges", "bench-key-010000"))["items"]) == 3
    for key in ("bench-key-010001", "bench-key-1", "bench-key-000000"):
        assert (await sandbox.api("get_info", key)).json()["error"] == 1
    await sandbox.control("POST", "partners/bench-key-000007/rotate")
    assert (await sandbox.api("get_info", "bench-key-000007")).json()["error"] == 1


async def test_shape_switches(sandbox: Sandbox) -> None:
    await sandbox.control("POST", "shape", {"envelope": "bare", "numbers_as": "number"})
    bare = json.loads((await sandbox.api("get_info")).text, parse_float=Decimal)
    assert bare["balance"] == Decimal("57.35") and bare["items"][0]["id"] == 1
    await sandbox.control("POST", "shape", {"envelope": "wrapped_str", "items_as": "dict"})
    body = (await sandbox.api("get_payouts")).json()
    assert body["error"] == "0" and all(k == str(v["id"]) for k, v in body["data"]["items"].items())
    assert (await sandbox.api("get_payouts", start_time=2**40)).json()["data"]["items"] == []
    assert (await sandbox.api("get_info", "nope")).json()["error"] == "1"
    await sandbox.control("POST", "shape", {"errors_as": "text", "content_type": "text/html"})
    response = await sandbox.api("get_info", "nope")
    assert response.text == "Api disabled" and response.headers["content-type"].startswith(
        "text/html"
    )
    await sandbox.control("POST", "shape", {"statuses": False})
    items = (await sandbox.api("get_exchanges")).json()["data"]["items"]
    assert all("statuses" not in item for item in items.values())
    bad = await sandbox.client.post("/_control/shape", json={"envelope": "soap"})
    assert bad.status_code == 400


async def test_request_log_hides_the_key(sandbox: Sandbox) -> None:
    await sandbox.api("get_info")
    await sandbox.api("add_payout", method_id=1, account="TAlice")
    await sandbox.api("add_payout", method_id=1, account="TAlice")
    log = await sandbox.control("GET", "requests?method=add_payout")
    assert log["count"] == 2 and ALICE not in json.dumps(log)
    entry = log["items"][0]
    assert "api_key" not in entry["params"] and entry["params"]["account"] == "TAlice"
    assert entry["key_id"] == (await sandbox.control("GET", f"partners/{ALICE}"))["key_id"]
    capped = SandboxState(log_size=5)
    for _ in range(20):
        capped.log_request("GET", {"method": "get_info"}, None)
    assert len(capped.requests) == 5


async def test_control_errors(sandbox: Sandbox) -> None:
    assert (await sandbox.client.get("/_control/partners/nope")).status_code == 404
    assert (
        await sandbox.client.patch(f"/_control/partners/{ALICE}/payouts/999")
    ).status_code == 404
    for body in ({"mode": "explode"}, {"mode": "slow", "wat": 1}, {"mode": "http_500", "count": 0}):
        assert (await sandbox.client.post("/_control/faults", json=body)).status_code == 400
    assert (
        await sandbox.client.post("/_control/partners", json={"balance": "x"})
    ).status_code == 400
    reset = await sandbox.control("POST", "reset", {"seed": False})
    assert reset["partners"] == 0 and (await sandbox.control("POST", "reset"))["partners"] == 4


async def test_command_line_prints_the_url_and_exits_cleanly_on_sigterm() -> None:
    command = [sys.executable, "-m", "bot.sandbox", "--port", "0", "--seed-accounts", "10000"]
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    try:
        line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        assert ALICE in line and BOB in line and "bench-key-010000" in line
        url = line.split()[1]
        params = {"api_action": "pp", "api_key": "bench-key-000042", "method": "get_info"}
        async with httpx.AsyncClient(timeout=5) as client:
            assert (await client.get(url, params=params)).json()["error"] == 0
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0


async def test_a_big_history_is_generated_and_served_by_window() -> None:
    state = SandboxState()
    partner = state.add_partner("big-key-0001")
    started = time.perf_counter()
    first, last = add_history(state, partner, 15_000, 30)
    assert time.perf_counter() - started < 5 and last - first + 1 == 15_000
    now = state.now()
    everything = partner.exchange_items(0, 0, True)
    assert len(everything) == 15_000
    assert len(json.dumps(everything)) > 4_000_000  # several MB in one answer
    recent = partner.exchange_items(now - 3_600 * 24, 0, True)
    assert 0 < len(recent) < 2_000
    assert all(int(i["time"]) >= now - 30 * DAY for i in everything)
