"""What each fault mode sends instead of (or after) a normal answer. See `app.py` for the list.

`normal` builds the normal answer (and, for add_payout, performs the write). It is called
only when the mode needs an answer: for `slow`, `truncated`, or after `after_processing`.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable

from aiohttp import web

from bot.sandbox.api import API_DISABLED, METHOD_NOT_SUPPORTED, READ_METHODS
from bot.sandbox.render import error_body
from bot.sandbox.state import FaultRule, Shape

HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>{title}</title></head><body>"
    "<h1>{title}</h1><p>The server is temporarily unable to service your request.</p>"
    "<hr><address>nginx</address></body></html>"
)
GARBAGE = b"\x00\x9f\xff<?php echo $json; ?>\r\n\x1b[0m\xc3\x28 not json at all"
# "Success" without the new payout's id: the request is performed first (mode no_id).
NO_ID = b'{"error":0,"error_text":"Payout request created","data":[]}'
# A cut add_payout answer, for a write that was not performed.
CUT_WRITE = b'{"error":0,"error_text":"","data":{"payout_id":'
HANG_POLL = 0.02


@functools.lru_cache(maxsize=4)
def huge_body(size_mb: float) -> bytes:
    """A valid but huge get_links-like answer (built once per size)."""
    item = {
        "id": "1",
        "time": "1700000000",
        "date": "14.11.2023 22:13",
        "browser": "Mozilla/5.0",
        "ip": "203.0.113.7",
        "referrer": "https:\\/\\/example.com\\/" + "x" * 300,
        "user_hash": "0" * 32,
        "query_string": "rid=1",
    }
    one = json.dumps(item, separators=(",", ":"))
    count = max(1, int(size_mb * 1024 * 1024) // (len(one) + 1))
    return (
        '{"error":0,"error_text":"","data":{"items":[' + ",".join([one] * count) + "]}}"
    ).encode()


def _gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


async def _wait(
    request: web.Request, stopping: asyncio.Event, seconds: float | None, *, stay: bool = False
) -> None:
    """Sleep `seconds` (None: forever) or until the client left (unless `stay`: a site that
    keeps working after the client gave up) or the server stops."""
    loop = asyncio.get_running_loop()
    deadline = None if seconds is None else loop.time() + seconds
    while not stopping.is_set() and (stay or not _gone(request)):
        left = HANG_POLL if deadline is None else min(HANG_POLL, deadline - loop.time())
        if left <= 0:
            return
        await asyncio.sleep(left)


def _page(status: int, title: str, **headers: str) -> web.Response:
    page = HTML_PAGE.format(title=title)
    return web.Response(status=status, text=page, content_type="text/html", headers=headers)


async def respond(
    rule: FaultRule,
    request: web.Request,
    method: str,
    shape: Shape,
    normal: Callable[[], web.Response],
    stopping: asyncio.Event,
) -> web.StreamResponse:
    mode = rule.mode
    done = normal() if rule.after_processing else None
    if mode in ("api_disabled", "method_not_supported", "error_text"):
        text = {"api_disabled": API_DISABLED, "method_not_supported": METHOD_NOT_SUPPORTED}
        body = error_body(text.get(mode, rule.text), shape)
        return web.Response(body=body, content_type=shape.content_type, charset="utf-8")
    if mode == "http_500":
        return _page(500, "500 Internal Server Error")
    if mode == "http_502":
        return _page(502, "502 Bad Gateway")
    if mode == "http_429":
        return _page(429, "429 Too Many Requests", **{"Retry-After": str(rule.retry_after)})
    if mode == "html":
        title = "503 Service Temporarily Unavailable" if rule.status == 503 else "Maintenance"
        return _page(rule.status, title)
    if mode in ("garbage", "empty", "null", "huge"):
        bodies = {"garbage": GARBAGE, "empty": b"", "null": b"null"}
        body = huge_body(rule.size_mb) if mode == "huge" else bodies[mode]
        return web.Response(body=body, content_type=shape.content_type)
    if mode == "truncated":
        if done is None and method not in READ_METHODS:
            return web.Response(body=CUT_WRITE, content_type=shape.content_type)
        full = normal() if done is None else done
        assert isinstance(full.body, bytes)
        return web.Response(body=full.body[: len(full.body) // 2], content_type=shape.content_type)
    if mode == "no_id":
        if done is None:
            normal()
        return web.Response(body=NO_ID, content_type=shape.content_type)
    if mode == "slow":
        if rule.keep_working:  # a PHP site finishes its work even when the client left

            async def finish() -> web.StreamResponse:
                await _wait(request, stopping, rule.delay, stay=True)
                return normal() if done is None else done

            # Shielded: a server that cancels handlers on disconnect (aiohttp's TestServer)
            # must not stop the work either.
            return await asyncio.shield(asyncio.ensure_future(finish()))
        await _wait(request, stopping, rule.delay)
        return normal() if done is None else done
    if mode == "hang":
        await _wait(request, stopping, None)  # until the client gives up or the server stops
    if request.transport is not None:  # drop, or a hang cut by shutdown: no answer at all
        request.transport.close()
    return web.Response()
