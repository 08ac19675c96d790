"""OldApiClient over MockTransport: the request it sends and every error it maps, key-free."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from bot.exchanger import (
    Credentials,
    ExchangerError,
    ExchangerUnavailable,
    KeyRejected,
    MalformedResponse,
    MethodNotSupported,
    OldApiClient,
    OutcomeUnknown,
    RequestRefused,
    make_http_client,
)
from bot.exchanger.client import MAX_SPLIT_REQUESTS

KEY = "SECRET-KEY-0123456789"
CREDS = Credentials(site="https://ex.test/sub/", api_key=KEY)
App = Callable[[httpx.Request], httpx.Response]
Call = Callable[[OldApiClient], Awaitable[Any]]

METHODS: dict[str, Call] = {
    "get_info": lambda c: c.get_info(CREDS),
    "get_links": lambda c: c.get_links(CREDS),
    "get_exchanges": lambda c: c.get_exchanges(CREDS),
    "get_payouts": lambda c: c.get_payouts(CREDS),
    "add_payout": lambda c: c.add_payout(CREDS, 3, "TXYZ"),
}


async def run(call: Call, app: App, **client_kwargs: Any) -> Any:
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as http:
        return await call(OldApiClient(http, **client_kwargs))


def respond(status: int = 200, body: Any = b"", **headers: str) -> App:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return lambda request: httpx.Response(status, content=content, headers=headers)


def fail(exc_type: type[httpx.HTTPError]) -> App:
    def app(request: httpx.Request) -> httpx.Response:
        raise exc_type(f"failed to get {request.url}", request=request)  # the URL holds the key

    return app


def echo_url(status: int, template: str) -> App:
    return lambda request: httpx.Response(status, text=template.format(url=request.url))


def envelope(text: str, error: Any = 1, data: Any = None) -> dict[str, Any]:
    return {"error": error, "error_text": text, "data": data}


async def streamed(chunks: list[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def assert_key_free(exc: BaseException) -> None:
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        assert KEY not in str(current) and KEY not in repr(current)
        assert "api.html?" not in str(current) and "api.html?" not in repr(current)
        pending += [current.__cause__, current.__context__]


HTML = "<!DOCTYPE html><html><body>Oops {url}</body></html>"
KR, MNS, RR = KeyRejected, MethodNotSupported, RequestRefused
EU, OU, MR = ExchangerUnavailable, OutcomeUnknown, MalformedResponse
# name: (answer, error for the read methods, error for add_payout)
ERRORS: dict[str, tuple[App, type[ExchangerError], type[ExchangerError]]] = {
    "error-1-api-disabled": (respond(body=envelope("Api disabled")), KR, KR),
    'error-"1"-no-partner': (respond(body=envelope("no partner id", "1")), KR, KR),
    "error-true-bad-key": (respond(body=envelope("Invalid API key", True)), RR, RR),
    "error-access": (respond(body=envelope("Access denied")), RR, RR),
    "error-api-disabled-ru": (respond(body=envelope("Api отключен")), KR, KR),
    "error-temporarily": (respond(body=envelope("Access temporarily limited")), EU, OU),
    "error-method": (respond(body=envelope("Method not supported")), MNS, MNS),
    "error-other": (respond(body=envelope(f"Balance below minimum ({KEY})")), RR, RR),
    "error-0-text-no-data": (respond(body=envelope("Api disabled", 0)), KR, OU),
    "error-as-text": (respond(body={"error": "Api disabled"}), KR, KR),
    "plain-api-disabled": (respond(body=b"Api disabled"), KR, KR),
    "json-string-api-disabled": (respond(body="Api disabled"), KR, KR),
    "plain-method": (respond(body=b"Method not supported"), MNS, MNS),
    "html-page": (echo_url(200, HTML), EU, OU),
    "plain-garbage": (echo_url(200, "Fatal: {url}"), MR, OU),
    "invalid-json": (respond(body=b'{"balance": "1'), MR, OU),
    "http-500": (echo_url(500, HTML), EU, OU),
    "http-502": (respond(502), EU, OU),
    "http-429": (respond(429), EU, OU),
    "http-401-empty": (respond(401), EU, OU),
    "http-401-api-disabled": (respond(401, b"Api disabled"), KR, KR),
    "http-403-json": (respond(403, {"error": "1"}), RR, RR),
    "http-403-method": (respond(403, envelope("Method not supported")), MNS, MNS),
    "http-403-garbage": (respond(403, b"nope"), EU, OU),
    "http-403-temporarily": (respond(403, b"Access temporarily limited"), EU, OU),
    "http-403-html-waf": (echo_url(403, HTML), EU, OU),
    "http-404": (echo_url(404, HTML), EU, OU),
    "http-301": (respond(301, location="https://other.test/"), EU, OU),
    "connect-error": (fail(httpx.ConnectError), EU, EU),
    "connect-timeout": (fail(httpx.ConnectTimeout), EU, EU),
    "pool-timeout": (fail(httpx.PoolTimeout), EU, EU),
    "read-timeout": (fail(httpx.ReadTimeout), OU, OU),
    "write-timeout": (fail(httpx.WriteTimeout), OU, OU),
    "read-error": (fail(httpx.ReadError), OU, OU),
    "remote-protocol": (fail(httpx.RemoteProtocolError), OU, OU),
    "proxy-error": (fail(httpx.ProxyError), EU, EU),
    "bad-gzip": (respond(body=b"not gzip", **{"content-encoding": "gzip"}), OU, OU),
}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("app", "read_kind", "write_kind"), ERRORS.values(), ids=ERRORS.keys())
async def test_errors_are_typed_and_key_free(
    method: str, app: App, read_kind: type, write_kind: type
) -> None:
    expected = write_kind if method == "add_payout" else read_kind
    with pytest.raises(ExchangerError) as caught:
        await run(METHODS[method], app)
    assert type(caught.value) is expected
    assert_key_free(caught.value)


@pytest.mark.parametrize("method", METHODS)
async def test_not_sent_is_never_outcome_unknown(method: str) -> None:
    with pytest.raises(ExchangerUnavailable) as caught:
        await run(METHODS[method], fail(httpx.ConnectError))
    assert not isinstance(caught.value, OutcomeUnknown)
    assert str(caught.value) == f"{method}: cannot reach the site (ConnectError)"


async def test_refusal_keeps_the_site_text_without_the_key() -> None:
    text = f"Account \x1b[31mblacklisted\x00 for {KEY}\n" + "!" * 400
    with pytest.raises(RequestRefused) as caught:
        await run(METHODS["add_payout"], respond(body=envelope(text)))
    assert caught.value.text.startswith("Account [31mblacklisted for *** !!!")
    assert len(caught.value.text) == 300 and str(caught.value) == caught.value.text


async def test_success_with_a_notice_text_is_not_an_error() -> None:
    body = {"error": 0, "error_text": "Created", "data": {"payout_id": 9}}
    assert await run(METHODS["add_payout"], respond(body=body)) == 9


@pytest.mark.parametrize(("header", "expected"), [("30", 30.0), ("1.5", 1.5), (None, None)])
async def test_429_retry_after(header: str | None, expected: float | None) -> None:
    headers = {"retry-after": header} if header else {}
    with pytest.raises(ExchangerUnavailable) as caught:
        await run(METHODS["get_info"], respond(429, **headers))
    assert caught.value.retry_after == expected


@pytest.mark.parametrize("header", ["Wed, 21 Oct 2015 07:28:00 GMT", "-5", "nan", "1e400"])
async def test_503_retry_after_that_is_not_seconds_is_ignored(header: str) -> None:
    with pytest.raises(ExchangerUnavailable) as caught:
        await run(METHODS["get_links"], respond(503, **{"retry-after": header}))
    assert caught.value.retry_after is None


async def test_huge_retry_after_is_capped() -> None:
    with pytest.raises(ExchangerUnavailable) as caught:
        await run(METHODS["get_links"], respond(503, **{"retry-after": "99999999"}))
    assert caught.value.retry_after == 86_400.0


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("stream", [False, True], ids=["content-length", "chunked"])
async def test_body_over_the_cap(method: str, stream: bool) -> None:
    big = b"[" + b"1," * 600 + b"1]"

    def app(request: httpx.Request) -> httpx.Response:
        content = streamed([big[:500], big[500:]]) if stream else big
        return httpx.Response(200, content=content)

    expected = OutcomeUnknown if method == "add_payout" else MalformedResponse
    with pytest.raises(expected, match="response too large"):
        await run(METHODS[method], app, max_body_bytes=1000)


async def test_body_at_the_cap_is_read() -> None:
    body = json.dumps({"items": [], "pad": "x" * 980}).encode()
    assert await run(METHODS["get_links"], respond(body=body), max_body_bytes=len(body)) == []


async def test_query_string_for_every_method() -> None:
    seen: list[httpx.URL] = []

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        body = {"balance": 1, "min_payout": 1, "payout_id": 1, "items": []}
        return httpx.Response(200, json=body)

    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as http:
        client = OldApiClient(http)
        await client.get_info(CREDS)
        await client.get_links(CREDS, start_time=100, end_time=200, ip="10.0.0.1")
        await client.get_exchanges(CREDS, start_time=100)
        await client.get_payouts(CREDS, end_time=0)
        await client.add_payout(CREDS, 7, "T Z&=1")
    base = {"api_action": "pp", "api_key": KEY}
    assert [dict(url.params) for url in seen] == [
        {**base, "method": "get_info"},
        {**base, "method": "get_links", "start_time": "100", "end_time": "200", "ip": "10.0.0.1"},
        {**base, "method": "get_exchanges", "start_time": "100"},
        {**base, "method": "get_payouts", "end_time": "0"},
        {**base, "method": "add_payout", "method_id": "7", "account": "T Z&=1"},
    ]
    assert {(url.scheme, url.host, url.path) for url in seen} == {
        ("https", "ex.test", "/sub/api.html")
    }


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ("https://ex.test", "https://ex.test/api.html"),
        ("https://ex.test/", "https://ex.test/api.html"),
        ("https://ex.test/a/b/", "https://ex.test/a/b/api.html"),
        ("ex.test", "https://ex.test/api.html"),
        ("http://ex.test:8080/api.html", "http://ex.test:8080/api.html"),
        (" https://ex.test/?lang=ru ", "https://ex.test/api.html"),
    ],
)
async def test_site_base_url(site: str, expected: str) -> None:
    seen: list[httpx.URL] = []

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json=[])

    await run(lambda c: c.get_links(Credentials(site, KEY)), app)
    assert str(seen[0].copy_with(query=None)) == expected


@pytest.mark.parametrize("site", ["https://[::1", "https://xn--zz.test", "https://ex\x00.test"])
async def test_invalid_site_is_unavailable(site: str) -> None:
    with pytest.raises(ExchangerUnavailable, match="invalid site address") as caught:
        await run(lambda c: c.get_info(Credentials(site, KEY)), respond(body=[]))
    assert_key_free(caught.value)


async def test_http_client_settings() -> None:
    http = make_http_client(connect_timeout=2.0, read_timeout=9.0, user_agent="ua/1")
    try:
        assert http.timeout.connect == 2.0 and http.timeout.read == 9.0
        assert http.follow_redirects is False
        assert http.headers["user-agent"] == "ua/1"
    finally:
        await http.aclose()


def windowed_site(items: list[dict[str, Any]], seen: list[tuple[int, int]]) -> App:
    """A site filtering on `edit_date` like Premium Exchanger (0 = no bound)."""

    def app(request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("start_time", 0))
        end = int(request.url.params.get("end_time", 0))
        seen.append((start, end))
        found = [
            i
            for i in items
            if (not start or i["edit_date"] >= start) and (not end or i["edit_date"] <= end)
        ]
        return httpx.Response(200, json={"error": 0, "error_text": "", "data": {"items": found}})

    return app


@pytest.mark.parametrize("start", [None, 1_700_000_000 - 40 * 86_400])
async def test_a_window_over_the_cap_is_split_and_merged(start: int | None) -> None:
    now = 1_700_000_000
    items = [
        {
            "id": i,
            "time": now - 50 * i,
            "edit_date": now - 50 * i,
            "accrued": i % 2,
            "partner_reward": "1.00",
        }
        for i in range(1, 400)
    ]
    seen: list[tuple[int, int]] = []
    exchanges = await run(
        lambda c: c.get_exchanges(CREDS, start_time=start, end_time=now),
        windowed_site(items, seen),
        max_body_bytes=4_000,  # about 50 items per answer
    )
    assert [e.id for e in exchanges] == list(range(1, 400))  # all, newest first, once each
    assert len(seen) > 8  # it had to split
    assert all(begin >= 1 and end <= now for begin, end in seen[1:])  # never "no filter"


async def test_splitting_is_bounded_when_one_second_is_too_large() -> None:
    now = 1_700_000_000
    items = [{"id": i, "time": now, "edit_date": now} for i in range(1, 200)]
    seen: list[tuple[int, int]] = []
    with pytest.raises(MalformedResponse, match="response too large"):
        await run(
            lambda c: c.get_links(CREDS, start_time=now - 86_400, end_time=now),
            windowed_site(items, seen),
            max_body_bytes=2_000,
        )
    assert len(seen) <= MAX_SPLIT_REQUESTS + 1


async def test_a_site_ignoring_the_window_cannot_make_the_client_loop() -> None:
    big = json.dumps({"items": [{"id": i, "time": 1} for i in range(500)]}).encode()
    calls: list[int] = []

    def app(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, content=big)

    with pytest.raises(MalformedResponse):
        await run(lambda c: c.get_payouts(CREDS), app, max_body_bytes=1_000)
    assert len(calls) <= MAX_SPLIT_REQUESTS + 1
