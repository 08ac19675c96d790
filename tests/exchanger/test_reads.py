"""OldApiClient with the aiohttp read session (reads.py) against a real local aiohttp server:
the same errors as over httpx, key-free; the size cap and window splitting; add_payout never
on the read session; an identical body is not decoded again."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.exchanger import (
    Credentials,
    ExchangerError,
    ExchangerUnavailable,
    KeyRejected,
    MalformedResponse,
    OldApiClient,
    OutcomeUnknown,
    RequestRefused,
    make_read_session,
)
from bot.exchanger.client import MAX_SPLIT_REQUESTS

from .test_client import HTML, KEY, assert_key_free, envelope

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
READS: dict[str, Callable[[OldApiClient, Credentials], Awaitable[Any]]] = {
    "get_info": lambda c, creds: c.get_info(creds),
    "get_links": lambda c, creds: c.get_links(creds),
    "get_exchanges": lambda c, creds: c.get_exchanges(creds),
    "get_payouts": lambda c, creds: c.get_payouts(creds),
}


class Site:
    """A local aiohttp server answering /api.html with `handler`; it records every query."""

    def __init__(self) -> None:
        self.handler: Handler = lambda request: _json([])
        self.seen: list[dict[str, str]] = []
        app = web.Application()
        app.router.add_get("/sub/api.html", self._serve)
        self.server = TestServer(app)

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(dict(request.query))
        return await self.handler(request)

    @property
    def creds(self) -> Credentials:
        return Credentials(str(self.server.make_url("/sub/")), KEY)


async def _json(body: Any, status: int = 200, **headers: str) -> web.Response:
    return web.Response(status=status, body=json.dumps(body).encode(), headers=headers)


def answer(status: int = 200, body: Any = b"", **headers: str) -> Handler:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()

    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, body=content, headers=headers)

    return handler


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    site = Site()
    await site.server.start_server()
    try:
        yield site
    finally:
        await site.server.close()


@pytest.fixture
async def client() -> AsyncIterator[OldApiClient]:
    reads = make_read_session(connect_timeout=1.0, read_timeout=0.5)
    refuse_writes = httpx.MockTransport(lambda request: httpx.Response(500))
    async with httpx.AsyncClient(transport=refuse_writes) as http:
        try:
            yield OldApiClient(http, reads=reads, max_body_bytes=4_000)
        finally:
            await reads.close()


ERRORS: dict[str, tuple[Handler, type[ExchangerError]]] = {
    "api-disabled": (answer(body=envelope("Api disabled")), KeyRejected),
    "refused": (answer(body=envelope(f"Nope {KEY}")), RequestRefused),
    "temporarily": (answer(body=envelope("Access temporarily limited")), ExchangerUnavailable),
    "html-page": (answer(body=HTML.encode()), ExchangerUnavailable),
    "invalid-json": (answer(body=b'{"balance": "1'), MalformedResponse),
    "http-500": (answer(500, HTML.encode()), ExchangerUnavailable),
    "http-401-empty": (answer(401), ExchangerUnavailable),
    "http-401-api-disabled": (answer(401, b"Api disabled"), KeyRejected),
    "http-301": (answer(301, location="https://other.test/"), ExchangerUnavailable),
    "over-the-cap": (answer(body=b"[" + b"1," * 3000 + b"1]"), MalformedResponse),
}


@pytest.mark.parametrize("method", READS)
@pytest.mark.parametrize(("handler", "kind"), ERRORS.values(), ids=ERRORS.keys())
async def test_read_errors_are_typed_and_key_free(
    site: Site, client: OldApiClient, method: str, handler: Handler, kind: type
) -> None:
    site.handler = handler
    with pytest.raises(ExchangerError) as caught:
        await READS[method](client, site.creds)
    assert type(caught.value) is kind
    assert_key_free(caught.value)


async def test_retry_after_is_read_from_the_aiohttp_headers(
    site: Site, client: OldApiClient
) -> None:
    site.handler = answer(429, **{"Retry-After": "30"})
    with pytest.raises(ExchangerUnavailable) as caught:
        await client.get_payouts(site.creds)
    assert caught.value.retry_after == 30.0


async def test_chunked_body_over_the_cap(site: Site, client: OldApiClient) -> None:
    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(10):
            await response.write(b" " * 1_000)
        await response.write_eof()
        return response

    site.handler = chunked
    with pytest.raises(MalformedResponse, match="response too large"):
        await client.get_exchanges(site.creds)


async def test_a_silent_site_is_no_answer_and_key_free(site: Site, client: OldApiClient) -> None:
    async def silent(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(body=b"[]")

    site.handler = silent
    with pytest.raises(OutcomeUnknown) as caught:
        await client.get_exchanges(site.creds)
    assert_key_free(caught.value)


async def test_a_dropped_connection_is_no_answer(site: Site, client: OldApiClient) -> None:
    async def drop(request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.close()
        raise ConnectionResetError

    site.handler = drop
    with pytest.raises(OutcomeUnknown) as caught:
        await client.get_info(site.creds)
    assert_key_free(caught.value)


async def test_an_unreachable_site_is_not_sent(client: OldApiClient) -> None:
    with pytest.raises(ExchangerUnavailable) as caught:
        await client.get_payouts(Credentials("http://127.0.0.1:9/", KEY))
    assert not isinstance(caught.value, OutcomeUnknown)
    assert str(caught.value).startswith("get_payouts: cannot reach the site")
    assert_key_free(caught.value)


@pytest.mark.parametrize("address", ["https://[::1", "https://ex\x00.test"])
async def test_invalid_site_is_unavailable(client: OldApiClient, address: str) -> None:
    with pytest.raises(ExchangerUnavailable, match="invalid site address") as caught:
        await client.get_info(Credentials(address, KEY))
    assert_key_free(caught.value)


async def test_query_string_of_the_reads(site: Site, client: OldApiClient) -> None:
    site.handler = answer(body={"balance": 1, "min_payout": 1, "items": []})
    await client.get_info(site.creds)
    await client.get_links(site.creds, start_time=100, end_time=200, ip="10.0.0.1")
    await client.get_exchanges(site.creds, start_time=100)
    base = {"api_action": "pp", "api_key": KEY}
    assert site.seen == [
        {**base, "method": "get_info"},
        {**base, "method": "get_links", "start_time": "100", "end_time": "200", "ip": "10.0.0.1"},
        {**base, "method": "get_exchanges", "start_time": "100"},
    ]


async def test_a_window_over_the_cap_is_split_over_aiohttp(
    site: Site, client: OldApiClient
) -> None:
    now = 1_700_000_000
    items = [{"id": i, "time": now - 50 * i, "edit_date": now - 50 * i} for i in range(1, 200)]

    async def windowed(request: web.Request) -> web.Response:
        start = int(request.query.get("start_time", 0))
        end = int(request.query.get("end_time", 0))
        found = [
            i
            for i in items
            if (not start or i["edit_date"] >= start) and (not end or i["edit_date"] <= end)
        ]
        return await _json({"error": 0, "error_text": "", "data": {"items": found}})

    site.handler = windowed
    exchanges = await client.get_exchanges(site.creds, start_time=now - 86_400, end_time=now)
    assert [e.id for e in exchanges] == list(range(1, 200))
    assert 2 < len(site.seen) <= MAX_SPLIT_REQUESTS + 1


async def test_add_payout_never_goes_over_the_read_session(site: Site) -> None:
    """The write takes httpx (which never re-sends), even when a read session is given."""
    writes: list[httpx.Request] = []

    def app(request: httpx.Request) -> httpx.Response:
        writes.append(request)
        return httpx.Response(200, json={"payout_id": 7})

    reads = make_read_session()
    try:
        async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as http:
            client = OldApiClient(http, reads=reads)
            assert await client.add_payout(site.creds, 1, "TXYZ") == 7
            await client.get_payouts(site.creds)
    finally:
        await reads.close()
    assert [r.url.params["method"] for r in writes] == ["add_payout"]
    assert [q["method"] for q in site.seen] == ["get_payouts"]


async def test_an_identical_body_is_not_decoded_again(site: Site, client: OldApiClient) -> None:
    items = [{"id": 1, "time": 10, "accrued": 0}, {"id": 2, "time": 20, "accrued": 1}]
    site.handler = answer(body={"items": items})
    first = await client.get_exchanges(site.creds)
    second = await client.get_exchanges(site.creds, start_time=5)
    assert second == first and second is not first
    assert all(a is b for a, b in zip(first, second, strict=True))  # the same decoded items
    other = Credentials(site.creds.site, "OTHER-KEY")
    assert all(a is not b for a, b in zip(first, await client.get_exchanges(other), strict=True))
    site.handler = answer(body={"items": [{**items[0], "accrued": 1}, items[1]]})
    third = await client.get_exchanges(site.creds)
    assert [e.accrued for e in third] == [True, True]
