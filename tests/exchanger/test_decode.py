"""Tolerant decoding: every answer shape, per method, through the real client over MockTransport."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from bot.exchanger import (
    Click,
    Credentials,
    Exchange,
    ExchangerUnavailable,
    KeyRejected,
    MalformedResponse,
    MethodNotSupported,
    OldApiClient,
    OutcomeUnknown,
    PartnerInfo,
    Payout,
    PayoutMethod,
    PayoutStatus,
    RequestRefused,
)
from bot.exchanger.decode import clean_error_text, decode_items, parse_answer, site_error
from bot.exchanger.errors import KEY_REJECTED_TEXTS

CREDS = Credentials(site="https://ex.test", api_key="SECRET-KEY-0123456789")

INFO = {
    "balance": "12.50",
    "min_payout": 10,
    "items": [{"id": 3, "title": "USDT TRC20", "comission": "1.5", "amount": "11.00"}],
}
INFO_OBJ = PartnerInfo(
    Decimal("12.50"), Decimal(10), (PayoutMethod(3, "USDT TRC20", Decimal("1.5"), Decimal(11)),)
)
LINK = {
    "id": 17,
    "time": 1700000000,
    "date": "2023-11-14 22:13:20",
    "browser": "Firefox",
    "ip": "10.0.0.1",
    "referrer": "https://ref.test",
    "user_hash": "h1",
    "query_string": "a=1",
}
LINK_OBJ = Click(17, 1700000000, "Firefox", "10.0.0.1", "https://ref.test", "h1", "a=1")
EXCHANGE = {
    "id": 21,
    "time": 1700000100,
    "currency_code_give": "BTC",
    "currency_code_get": "USDT",
    "course_give": 1,
    "course_get": 37000.5,
    "amount_give": "0.01",
    "amount_get": "370.005",
    "exchange_success": 1,
    "accrued": 0,
    "partner_reward": "0.37",
    "user_hash": "h1",
    "statuses": ["new", "paid"],
}
EXCHANGE_OBJ = Exchange(
    21,
    1700000100,
    "BTC",
    "USDT",
    Decimal(1),
    Decimal("37000.5"),
    Decimal("0.01"),
    Decimal("370.005"),
    True,
    False,
    Decimal("0.37"),
    "h1",
    ("new", "paid"),
)
PAYOUT = {
    "id": 5,
    "time": 1700000200,
    "method_id": 3,
    "account": "TXYZ",
    "pay_amount": "11.00",
    "pay_currency_code": "USDT",
    "original_amount": "12.50",
    "original_currency_code": "USD",
    "status": 0,
}
PAYOUT_OBJ = Payout(
    5, 1700000200, 3, "TXYZ", Decimal(11), "USDT", Decimal("12.5"), "USD", PayoutStatus.PENDING
)

Call = Callable[[OldApiClient], Awaitable[Any]]
LISTS: dict[str, tuple[Call, dict[str, Any], Any]] = {
    "get_links": (lambda c: c.get_links(CREDS), LINK, LINK_OBJ),
    "get_exchanges": (lambda c: c.get_exchanges(CREDS), EXCHANGE, EXCHANGE_OBJ),
    "get_payouts": (lambda c: c.get_payouts(CREDS), PAYOUT, PAYOUT_OBJ),
}


def stringify(value: Any) -> Any:
    """Every number as a JSON string, the way PHP often sends them."""
    if isinstance(value, dict):
        return {k: stringify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [stringify(v) for v in value]
    return value if isinstance(value, bool | str) else str(value)


def wrap(data: Any, error: Any = 0) -> dict[str, Any]:
    return {"error": error, "error_text": "", "data": data}


def as_body(value: Any) -> bytes:
    return value if isinstance(value, bytes) else json.dumps(value).encode()


async def run(call: Call, body: Any, **client_kwargs: Any) -> Any:
    app = lambda request: httpx.Response(200, content=as_body(body))  # noqa: E731
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as http:
        return await call(OldApiClient(http, **client_kwargs))


def list_shapes(item: dict[str, Any]) -> dict[str, Any]:
    keyed = {str(item["id"]): item}
    no_id = {str(item["id"]): {k: v for k, v in item.items() if k != "id"}}
    return {
        "bare": {"items": [item]},
        "bare-list": [item],
        "wrapped-0": wrap({"items": [item]}),
        'wrapped-"0"': wrap({"items": [item]}, error="0"),
        "wrapped-false": wrap({"items": [item]}, error=False),
        "wrapped-list": wrap([item]),
        "wrapped-keyed": wrap({"items": keyed}),
        "strings": {"items": [stringify(item)]},
        "keyed-by-id": {"items": keyed},
        "keyed-no-id-inside": {"items": no_id},
        "bare-keyed": keyed,
        "extra-fields": {"count": 1, "items": [{**item, "new_field": {"x": [1]}}]},
        "envelope-without-data": {"error": 0, "error_text": "", "items": [item]},
        "php-notice": b"<br />\n<b>Notice</b>: Undefined index x<br />\n" + as_body([item]),
        "bom": b"\xef\xbb\xbf" + as_body({"items": [item]}),
    }


LIST_CASES = [
    pytest.param(call, body, expected, id=f"{method}-{shape}")
    for method, (call, item, expected) in LISTS.items()
    for shape, body in list_shapes(item).items()
]


@pytest.mark.parametrize(("call", "body", "expected"), LIST_CASES)
async def test_list_shapes(call: Call, body: Any, expected: Any) -> None:
    assert await run(call, body) == [expected]


EMPTY_BODIES = {
    "empty": b"",
    "blank": b" \r\n ",
    "null": None,
    "[]": [],
    "{}": {},
    "wrapped-null": wrap(None),
    "wrapped-[]": wrap([]),
    "wrapped-{}": wrap({}),
}
EMPTY_LIST_BODIES = {**EMPTY_BODIES, "items-[]": {"items": []}, "items-{}": {"items": {}}}


@pytest.mark.parametrize("method", LISTS)
@pytest.mark.parametrize("body", EMPTY_LIST_BODIES.values(), ids=EMPTY_LIST_BODIES.keys())
async def test_nothing_is_an_empty_list(method: str, body: Any) -> None:
    assert await run(LISTS[method][0], body) == []


@pytest.mark.parametrize("body", EMPTY_BODIES.values(), ids=EMPTY_BODIES.keys())
async def test_nothing_is_malformed_for_info(body: Any) -> None:
    with pytest.raises(MalformedResponse, match="empty answer"):
        await run(lambda c: c.get_info(CREDS), body)


@pytest.mark.parametrize("body", EMPTY_BODIES.values(), ids=EMPTY_BODIES.keys())
async def test_nothing_is_outcome_unknown_for_add_payout(body: Any) -> None:
    with pytest.raises(OutcomeUnknown):
        await run(lambda c: c.add_payout(CREDS, 3, "TXYZ"), body)


COMMISSION_SPELLED_RIGHT = {
    **INFO,
    "items": [{"id": 3, "title": "USDT TRC20", "commission": "1.5", "amount": "11"}],
}
INFO_SHAPES = {
    "bare": INFO,
    "wrapped-0": wrap(INFO),
    'wrapped-"0"': wrap(INFO, error="0"),
    "strings": stringify(INFO),
    "items-keyed-by-id": {**INFO, "items": {"3": INFO["items"][0]}},
    "list-of-one": [INFO],
    "commission-spelling": COMMISSION_SPELLED_RIGHT,
    "extra-fields": {**INFO, "currency": "USD", "stats": {"a": 1}},
    "comma-decimals": {**INFO, "balance": "12,50"},
}


@pytest.mark.parametrize("body", INFO_SHAPES.values(), ids=INFO_SHAPES.keys())
async def test_info_shapes(body: Any) -> None:
    assert await run(lambda c: c.get_info(CREDS), body) == INFO_OBJ


async def test_info_keeps_usable_methods_and_tolerates_bad_items() -> None:
    items = [{"id": "x"}, 7, {"id": 4, "title": "BTC", "comission": "NaN", "amount": 1}]
    info = await run(lambda c: c.get_info(CREDS), {**INFO, "items": items + INFO["items"]})
    assert info == INFO_OBJ
    garbled = await run(lambda c: c.get_info(CREDS), {**INFO, "items": "none"})
    assert garbled.methods == ()


@pytest.mark.parametrize("missing", ["balance", "min_payout"])
async def test_info_without_required_money_is_malformed(missing: str) -> None:
    body = {k: v for k, v in INFO.items() if k != missing}
    with pytest.raises(MalformedResponse, match=missing):
        await run(lambda c: c.get_info(CREDS), body)


PAYOUT_IDS = {
    "object": {"payout_id": 5},
    "object-string": {"payout_id": "5"},
    "wrapped": wrap({"payout_id": 5}),
    "wrapped-scalar": wrap(5),
    "wrapped-string": wrap("5", error="0"),
    "bare-number": b"5",
    "json-string": '"5"',
    "float-like": {"payout_id": "5.0"},
}


@pytest.mark.parametrize("body", PAYOUT_IDS.values(), ids=PAYOUT_IDS.keys())
async def test_add_payout_id_shapes(body: Any) -> None:
    body = body.encode() if isinstance(body, str) else body
    assert await run(lambda c: c.add_payout(CREDS, 3, "TXYZ"), body) == 5


@pytest.mark.parametrize("body", [{"payout_id": 0}, {"payout_id": "abc"}, wrap(True), {"ok": 1}])
async def test_add_payout_without_usable_id_is_outcome_unknown(body: Any) -> None:
    with pytest.raises(OutcomeUnknown):
        await run(lambda c: c.add_payout(CREDS, 3, "TXYZ"), body)


BAD_ITEMS = [
    "not an object",
    42,
    None,
    [1, 2],
    {"time": 1},
    {"id": True, "time": 1},
    {"id": "abc", "time": 1},
    {"id": "17.5", "time": 1},
    {"id": -3, "time": 1},
    {"id": 9, "time": 1, "pay_amount": "abc"},
    {"id": 10, "time": 1, "pay_amount": "NaN"},
    {"id": 11, "time": 1, "pay_amount": "Infinity"},
    {"id": 12, "time": 1, "pay_amount": "1e999"},
    {"id": 13, "time": 1, "status": 7},
    {"id": 14, "time": 1, "status": "x"},
    {"id": 15, "time": 1, "method_id": None},
]


async def test_bad_items_are_skipped_and_logged_by_id_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    good = {**PAYOUT, "account": "TOP-SECRET-WALLET"}
    bad = [item if not isinstance(item, dict) else {**good, **item} for item in BAD_ITEMS]
    bad[4] = {k: v for k, v in good.items() if k != "id"}
    with caplog.at_level(logging.DEBUG, logger="bot.exchanger.decode"):
        payouts = await run(lambda c: c.get_payouts(CREDS), {"items": [*bad, good]})
    assert [p.id for p in payouts] == [5]
    assert "TOP-SECRET-WALLET" not in caplog.text
    assert "id='abc'" in caplog.text
    assert len(caplog.records) == len(BAD_ITEMS)


async def test_values_are_converted_exactly() -> None:
    rows = [
        {**EXCHANGE, "id": 1, "partner_reward": "0.1", "exchange_success": "0", "accrued": "1"},
        {**EXCHANGE, "id": 2, "partner_reward": 0.2, "exchange_success": False, "accrued": True},
        {**EXCHANGE, "id": "3.0", "partner_reward": "0,5", "exchange_success": "true"},
    ]
    exchanges = await run(lambda c: c.get_exchanges(CREDS), {"items": rows})
    assert sum((e.partner_reward for e in exchanges if e.id < 3), Decimal(0)) == Decimal("0.3")
    by_id = {e.id: e for e in exchanges}
    assert (by_id[1].completed, by_id[1].accrued) == (False, True)
    assert (by_id[2].completed, by_id[2].accrued) == (False, True)
    assert by_id[3].completed and by_id[3].partner_reward == Decimal("0.5")
    assert all(type(e.partner_reward) is Decimal and type(e.id) is int for e in exchanges)


@pytest.mark.parametrize(
    ("fields", "expected_time"),
    [
        ({"date": "2023-11-14 22:13:20"}, 1700000000),
        ({"time": "junk", "date": "14.11.2023 22:13"}, 1699999980),
        ({"time": None}, 0),
        ({"date": "yesterday"}, 0),
        ({"time": "1700000000"}, 1700000000),
    ],
)
async def test_time_falls_back_to_date_as_utc(fields: dict[str, Any], expected_time: int) -> None:
    item = {k: v for k, v in LINK.items() if k not in ("time", "date")} | fields
    [click] = await run(lambda c: c.get_links(CREDS), [item])
    assert click.time == expected_time


async def test_strings_are_cleaned_and_capped() -> None:
    item = {**LINK, "browser": " Fire\x00fox ", "query_string": "q" * 5000}
    item |= {"ip": 127, "referrer": {}}
    [click] = await run(lambda c: c.get_links(CREDS), [item])
    assert click.browser == "Firefox"
    assert click.query_string == "q" * 1000
    assert (click.ip, click.referrer) == ("127", "")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["new", "paid"], ("new", "paid")),
        ([{"status": "new", "date": "x"}, {"title": "Paid", "status": 2}], ("new", "Paid")),
        ({"1700000000": "new", "1700000100": {"name": "done"}}, ("new", "done")),
        ("completed", ("completed",)),
        (3, ("3",)),
        ([[["deep"]], None, {}, "x" * 500], ("x" * 100,)),
        ({"a": [1]}, ()),
    ],
)
async def test_statuses_of_any_shape(statuses: Any, expected: tuple[str, ...]) -> None:
    [exchange] = await run(lambda c: c.get_exchanges(CREDS), [{**EXCHANGE, "statuses": statuses}])
    assert exchange.statuses == expected


async def test_lists_come_newest_first_without_duplicate_ids() -> None:
    rows = [
        {**PAYOUT, "id": 1, "time": 100},
        {**PAYOUT, "id": 3, "time": 300},
        {**PAYOUT, "id": 2, "time": 300},
        {**PAYOUT, "id": 1, "time": 50},
    ]
    payouts = await run(lambda c: c.get_payouts(CREDS), {"items": rows})
    assert [(p.id, p.time) for p in payouts] == [(3, 300), (2, 300), (1, 100)]


@pytest.mark.parametrize("status", [0, 1, 2, 3, "2"])
async def test_payout_statuses(status: Any) -> None:
    [payout] = await run(lambda c: c.get_payouts(CREDS), [{**PAYOUT, "status": status}])
    assert payout.status is PayoutStatus(int(status))


async def test_list_with_no_items_but_scalars_is_malformed() -> None:
    with pytest.raises(MalformedResponse):
        await run(lambda c: c.get_links(CREDS), {"count": 3})
    with pytest.raises(MalformedResponse):
        await run(lambda c: c.get_links(CREDS), {"items": "none"})


def test_decoder_is_driven_by_the_model() -> None:
    raw = [{"id": "4", "title": 7, "commission": "2", "amount": 1}]
    assert decode_items(raw, PayoutMethod) == [PayoutMethod(4, "7", Decimal(2), Decimal(1))]
    assert parse_answer(b"  ") is None
    assert parse_answer(b'{"error": 0, "error_text": "", "data": [1]}') == [1]


def test_clean_error_text() -> None:
    text = "Bad\x00\x07 account\u202e for KEY123\n\n" + "x" * 1000
    clean = clean_error_text(text, secret="KEY123")
    assert clean.startswith("Bad account for *** x")
    assert len(clean) == 300


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Method not supported", MethodNotSupported),
        ("Balance below minimum", RequestRefused),
        ("Payout created successfully? no: the author is blacklisted", RequestRefused),
        ("", RequestRefused),
        # Words about keys or access are not enough: only the site's own texts reject a key.
        ("Invalid API key", RequestRefused),
        ("Access denied", RequestRefused),
        ("Unauthorized", RequestRefused),
        ("Forbidden: no permission for this login", RequestRefused),
        ("Api disabledness", RequestRefused),  # whole words only
        ("Access temporarily limited, try again later", ExchangerUnavailable),
        ("Error! Service temporarily unavailable", ExchangerUnavailable),
        ("Доступ временно ограничен", ExchangerUnavailable),
        ("Ошибка, попробуйте позже", ExchangerUnavailable),
    ],
)
def test_site_error_texts(text: str, kind: type) -> None:
    assert type(site_error(text)) is kind


@pytest.mark.parametrize("phrase", KEY_REJECTED_TEXTS)
@pytest.mark.parametrize(
    "form",
    ["{}", "{}.", "Error! {}", "  {}  ", "ERROR: {}!"],
    ids=["bare", "dot", "prefix", "spaces", "upper"],
)
def test_each_rejected_key_text(phrase: str, form: str) -> None:
    text = form.format(phrase.upper() if form.startswith("ERROR") else phrase)
    assert type(site_error(text)) is KeyRejected
    with pytest.raises(KeyRejected):
        parse_answer(json.dumps({"error": 1, "error_text": text}).encode())
    with pytest.raises(KeyRejected):
        parse_answer(text.encode())  # plain text, not JSON


def test_rejected_key_texts_in_english_and_russian() -> None:
    assert any(p.isascii() for p in KEY_REJECTED_TEXTS)
    assert any(any("а" <= ch <= "я" for ch in p.casefold()) for p in KEY_REJECTED_TEXTS)


@pytest.mark.parametrize(
    "text", ["Access temporarily limited, try again later", "Доступ временно ограничен"]
)
def test_transient_plain_texts_mean_unavailable(text: str) -> None:
    with pytest.raises(ExchangerUnavailable):
        parse_answer(text.encode())
