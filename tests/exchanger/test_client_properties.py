"""Property tests: whatever the site answers, only ExchangerError escapes and results are typed."""

from __future__ import annotations

import asyncio
import json
from dataclasses import fields
from decimal import Decimal
from typing import Any, get_type_hints

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.exchanger import (
    Click,
    Credentials,
    Exchange,
    ExchangerError,
    OldApiClient,
    PartnerInfo,
    Payout,
    PayoutMethod,
    PayoutStatus,
)
from tests.exchanger.test_client import KEY, METHODS, assert_key_free
from tests.exchanger.test_decode import EXCHANGE, INFO, LINK, PAYOUT

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAX_BODY = 50_000
MODELS = {"get_links": Click, "get_exchanges": Exchange, "get_payouts": Payout}

NAMES = st.sampled_from(
    [
        "id",
        "time",
        "date",
        "balance",
        "min_payout",
        "items",
        "title",
        "comission",
        "commission",
        "amount",
        "browser",
        "ip",
        "referrer",
        "user_hash",
        "query_string",
        "currency_code_give",
        "course_give",
        "amount_get",
        "exchange_success",
        "accrued",
        "partner_reward",
        "statuses",
        "method_id",
        "account",
        "pay_amount",
        "pay_currency_code",
        "original_amount",
        "status",
        "error",
        "error_text",
        "data",
        "payout_id",
    ]
)
TRICKY = st.sampled_from(
    [
        "0",
        "1",
        "12.50",
        "12,50",
        "-3",
        "17.0",
        "NaN",
        "Infinity",
        "-inf",
        "1e999",
        "1e-40",
        "",
        " 5 ",
        "abc",
        "0x10",
        "1_000",
        "١٢",
        KEY,
        "Api disabled",
        "Method not supported",
        "2023-11-14 22:13:20",
        "\x00",
        "\ud800",
        "<html>",
        "9" * 5000,
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=20)
    | TRICKY
)
JSON = st.recursive(
    SCALARS,
    lambda kids: st.lists(kids, max_size=5) | st.dictionaries(NAMES | st.text(max_size=5), kids),
    max_leaves=40,
)
ITEMS = st.lists(st.dictionaries(NAMES, SCALARS | st.lists(SCALARS, max_size=3)), max_size=6)


def mutated(base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """`base` with a few fields replaced by odd values and a few dropped."""
    changes = st.dictionaries(NAMES, SCALARS | TRICKY, max_size=3)
    return st.tuples(changes, st.sets(NAMES, max_size=2)).map(
        lambda p: {k: v for k, v in {**base, **p[0]}.items() if k not in p[1]}
    )


SHAPES = st.sampled_from(
    [
        lambda items: {"items": items},
        lambda items: items,
        lambda items: {"error": "0", "error_text": "", "data": {"items": items}},
        lambda items: {"items": {str(i * 7): item for i, item in enumerate(items)}},
    ]
)
ITEM = st.sampled_from([LINK, EXCHANGE, PAYOUT]).flatmap(mutated)
VALIDISH = st.one_of(
    st.tuples(SHAPES, st.lists(ITEM, max_size=6)).map(lambda p: p[0](p[1])),
    st.tuples(mutated(INFO), st.lists(mutated(INFO["items"][0]), max_size=4)).map(
        lambda p: {**p[0], "items": p[1]}
    ),
    (st.integers(1, 10**9) | SCALARS | TRICKY).map(lambda payout_id: {"payout_id": payout_id}),
)
NEAR_VALID = st.one_of(
    VALIDISH,
    ITEMS.map(lambda items: {"items": items}),
    ITEMS,
    ITEMS.map(lambda items: {"error": 0, "error_text": "", "data": {"items": items}}),
    st.dictionaries(NAMES, SCALARS).map(lambda info: {**info, "items": []}),
    st.fixed_dictionaries({"error": SCALARS, "error_text": SCALARS, "data": JSON}),
)


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8", "surrogatepass")


BRACKETS = {"list": ("[", "]"), "items": ('{"items":', "}"), "data": ('{"data":', "}")}


def nested(depth: int, kind: str) -> bytes:
    """Deep nesting built as text: json.dumps itself would hit the recursion limit."""
    opener, closer = BRACKETS[kind]
    return (opener * depth + "1" + closer * depth).encode()


def truncate(body_and_cut: tuple[bytes, int]) -> bytes:
    body, cut = body_and_cut
    return body[: cut % (len(body) + 1)]


BODIES = st.one_of(
    VALIDISH.map(dumps),
    JSON.map(dumps),
    NEAR_VALID.map(dumps),
    st.binary(max_size=200),
    st.text(max_size=50).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(JSON.map(dumps), st.integers(min_value=0)).map(truncate),
    st.builds(nested, st.integers(1, 5000), st.sampled_from(list(BRACKETS))),
    st.integers(0, 2 * MAX_BODY).map(lambda n: dumps({"items": [{"id": 1, "browser": "é" * n}]})),
)


def call(method: str, body: bytes, status: int = 200, site: str = "https://ex.test") -> Any:
    """Run one method against a canned answer; return the result or the ExchangerError."""

    async def go() -> Any:
        app = lambda request: httpx.Response(status, content=body)  # noqa: E731
        async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as http:
            client = OldApiClient(http, max_body_bytes=MAX_BODY)
            if site == "https://ex.test":
                return await METHODS[method](client)
            return await client.get_info(Credentials(site, KEY))

    try:
        return asyncio.run(go())
    except ExchangerError as exc:  # anything else fails the test
        assert_key_free(exc)
        return exc


def check_fields(obj: Any) -> None:
    for f in fields(obj):
        value, kind = getattr(obj, f.name), get_type_hints(type(obj))[f.name]
        if kind is Decimal:
            assert type(value) is Decimal and value.is_finite()
        elif kind is PayoutStatus:
            assert isinstance(value, PayoutStatus)
        elif kind is str:
            assert type(value) is str and len(value) <= 1000 and "\x00" not in value
            value.encode("utf-8")  # no lone surrogates
        elif kind in (int, bool):
            assert type(value) is kind
            assert value >= 0
        else:
            assert type(value) is tuple
            for entry in value:
                check_fields(entry) if isinstance(entry, PayoutMethod) else entry.encode()


def check_result(method: str, result: Any) -> None:
    if isinstance(result, ExchangerError):
        return
    if method == "get_info":
        assert type(result) is PartnerInfo
        check_fields(result)
    elif method == "add_payout":
        assert type(result) is int and result > 0
    else:
        assert type(result) is list and all(type(i) is MODELS[method] for i in result)
        for item in result:
            check_fields(item)
        keys = [(i.time, i.id) for i in result]
        assert keys == sorted(keys, reverse=True)
        assert len({i.id for i in result}) == len(result)


@FAST
@given(method=st.sampled_from(list(METHODS)), body=BODIES)
def test_any_body_gives_typed_result_or_exchanger_error(method: str, body: bytes) -> None:
    check_result(method, call(method, body))


@FAST
@given(
    method=st.sampled_from(list(METHODS)),
    body=NEAR_VALID.map(dumps) | st.binary(max_size=50),
    status=st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 502, 503]),
)
def test_any_status_gives_typed_result_or_exchanger_error(
    method: str, body: bytes, status: int
) -> None:
    check_result(method, call(method, body, status))


@settings(max_examples=100, deadline=None)
@given(site=st.text(max_size=40) | st.from_regex(r"https?://[a-z0-9.\-\[\]:%]{0,20}/?"))
def test_any_site_address_gives_typed_result_or_exchanger_error(site: str) -> None:
    check_result("get_info", call("get_info", dumps({"balance": 1, "min_payout": 1}), site=site))


@FAST
@given(
    amount=st.decimals(
        min_value=-(10**12), max_value=10**12, places=8, allow_nan=False, allow_infinity=False
    ),
    as_number=st.booleans(),
)
def test_money_is_exact(amount: Decimal, as_number: bool) -> None:
    text = format(amount, "f")
    raw = text if as_number else json.dumps(text)
    body = f'{{"balance": {raw}, "min_payout": "0.1"}}'.encode()
    info = call("get_info", body)
    assert info.balance == amount and info.min_payout == Decimal("0.1")
