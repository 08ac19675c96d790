"""Client of the Premium Exchanger "old" affiliate API (ppapi): one `_call` for every method.

`GET <site>/api.html?api_action=pp&api_key=<key>&method=<method>&...`. Every failure leaves as
an `ExchangerError` (see errors.py) whose message, cause and context hold neither the key nor
the request URL: httpx exceptions carry the URL, so they are never chained.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Callable, Mapping
from typing import Protocol, TypeVar

import httpx

from .decode import decode_info, decode_items, decode_payout_id, parse_answer
from .errors import (
    ExchangerError,
    ExchangerUnavailable,
    KeyRejected,
    MalformedResponse,
    OutcomeUnknown,
    RequestRefused,
)
from .models import Click, Credentials, Exchange, PartnerInfo, Payout

_T = TypeVar("_T")
_Item = TypeVar("_Item", Click, Exchange, Payout)

# The request never reached the site.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures before a request is built or a tunnel is open: a write was not sent either.
_NOT_SENT_OTHER = (httpx.ProxyError, httpx.UnsupportedProtocol)
_BAD_SITE = (httpx.InvalidURL, UnicodeError)  # UnicodeError: a host that is not valid IDNA
# The request was sent (maybe processed) and no readable answer came back.
_NO_ANSWER = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.RemoteProtocolError,
    httpx.ReadError,
    httpx.WriteError,
    httpx.DecodingError,
)
_MAX_RETRY_AFTER = 86_400.0


class ExchangerApi(Protocol):
    """What the bot needs from an exchanger backend (the old ppapi now, the v1 API later)."""

    async def get_info(self, creds: Credentials) -> PartnerInfo: ...

    async def get_links(
        self,
        creds: Credentials,
        *,
        start_time: int | None = None,
        end_time: int | None = None,
        ip: str | None = None,
    ) -> list[Click]: ...

    async def get_exchanges(
        self, creds: Credentials, *, start_time: int | None = None, end_time: int | None = None
    ) -> list[Exchange]: ...

    async def get_payouts(
        self, creds: Credentials, *, start_time: int | None = None, end_time: int | None = None
    ) -> list[Payout]: ...

    async def add_payout(
        self, creds: Credentials, method_id: int, account: str, *, deadline: float | None = None
    ) -> int: ...


class OldApiClient:
    """The old ppapi over one shared `httpx.AsyncClient`. Lists come newest first."""

    def __init__(self, http: httpx.AsyncClient, *, max_body_bytes: int = 2_000_000) -> None:
        self._http = http
        self._max_body_bytes = max_body_bytes

    async def get_info(self, creds: Credentials) -> PartnerInfo:
        return await self._call(creds, "get_info", {}, decode_info)

    async def get_links(
        self,
        creds: Credentials,
        *,
        start_time: int | None = None,
        end_time: int | None = None,
        ip: str | None = None,
    ) -> list[Click]:
        params = {"start_time": start_time, "end_time": end_time, "ip": ip}
        return await self._call(creds, "get_links", params, _list_of(Click))

    async def get_exchanges(
        self, creds: Credentials, *, start_time: int | None = None, end_time: int | None = None
    ) -> list[Exchange]:
        params = {"start_time": start_time, "end_time": end_time}
        return await self._call(creds, "get_exchanges", params, _list_of(Exchange))

    async def get_payouts(
        self, creds: Credentials, *, start_time: int | None = None, end_time: int | None = None
    ) -> list[Payout]:
        params = {"start_time": start_time, "end_time": end_time}
        return await self._call(creds, "get_payouts", params, _list_of(Payout))

    async def add_payout(
        self, creds: Credentials, method_id: int, account: str, *, deadline: float | None = None
    ) -> int:
        """Request a payout of the whole balance, sent once (httpx never re-sends a request:
        its `retries` only repeat failed connection attempts). `deadline`: seconds for the
        whole call, connect + write + read (httpx's read timeout is per read).

        Only a request that provably did not reach the site (cannot connect) is
        ExchangerUnavailable, and only a clear answer is RequestRefused/KeyRejected; anything
        else — no answer, the deadline, a dropped connection, 5xx, an empty/HTML/ambiguous
        body, the client closed under the call (shutdown) — is OutcomeUnknown: read
        get_payouts, never retry."""
        params = {"method_id": method_id, "account": account}
        failure: ExchangerError
        try:
            async with asyncio.timeout(deadline):
                return await self._call(creds, "add_payout", params, decode_payout_id, write=True)
        except TimeoutError:
            failure = OutcomeUnknown("add_payout: no answer within the deadline")
        except RuntimeError as exc:  # httpx: "the client has been closed", a closed stream
            failure = OutcomeUnknown(f"add_payout: client closed ({type(exc).__name__})")
        raise failure

    async def _call(
        self,
        creds: Credentials,
        method: str,
        params: Mapping[str, object],
        decode: Callable[[object], _T],
        *,
        write: bool = False,
    ) -> _T:
        # Errors are raised after the `except` blocks so that no httpx exception (which holds
        # the URL with the key) ends up in __context__.
        failure: ExchangerError
        try:
            status, headers, body = await self._fetch(creds, method, params)
        except (httpx.HTTPError, *_BAD_SITE) as exc:
            failure = _transport_error(method, exc, write=write)
        else:
            try:
                return decode(_answer(method, status, headers, body, creds.api_key))
            except (MalformedResponse, ExchangerUnavailable) as exc:
                if not write or isinstance(exc, OutcomeUnknown):
                    raise
                failure = OutcomeUnknown(f"{method}: unclear answer to a write ({exc})")
            except (KeyRejected, RequestRefused) as exc:
                if not write or not _says_success(body):
                    raise
                # {"error": 0, "error_text": "Payout request created"} without an id
                failure = OutcomeUnknown(f"{method}: success without an id ({type(exc).__name__})")
        raise failure

    async def _fetch(
        self, creds: Credentials, method: str, params: Mapping[str, object]
    ) -> tuple[int, httpx.Headers, bytes | None]:
        """Status, headers and body (None when over the cap; b"" when not worth reading)."""
        query = {"api_action": "pp", "api_key": creds.api_key, "method": method}
        query |= {name: str(value) for name, value in params.items() if value is not None}
        async with self._http.stream("GET", _endpoint(creds.site), params=query) as response:
            status = response.status_code
            if not (200 <= status < 300 or status in (401, 403)):
                return status, response.headers, b""
            return status, response.headers, await self._read_capped(response)

    async def _read_capped(self, response: httpx.Response) -> bytes | None:
        declared = response.headers.get("content-length", "")[:15]
        if declared.isascii() and declared.isdigit() and int(declared) > self._max_body_bytes:
            return None
        body = bytearray()
        async for chunk in response.aiter_bytes():  # counted after decompression
            body += chunk
            if len(body) > self._max_body_bytes:
                return None
        return bytes(body)


def _endpoint(site: str) -> httpx.URL:
    """`https://ex.com/sub/` → `https://ex.com/sub/api.html` (a scheme is added if missing)."""
    base = site.strip()
    if "://" not in base:
        base = "https://" + base
    base = base.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    url = httpx.URL(base if base.endswith("/api.html") else base + "/api.html")
    if url.scheme not in ("http", "https") or not url.host:  # checked before anything is sent
        raise httpx.InvalidURL("not an http(s) site address")
    return url


def _answer(
    method: str, status: int, headers: httpx.Headers, body: bytes | None, secret: str
) -> object:
    """An HTTP answer → payload, or the typed error it means."""
    if status == 429 or status >= 500:
        raise ExchangerUnavailable(f"{method}: HTTP {status}", retry_after=_retry_after(headers))
    if body is None:
        raise MalformedResponse("response too large")
    if status in (401, 403):
        raise _refusal(method, status, body, secret)
    if not 200 <= status < 300:
        raise ExchangerUnavailable(f"{method}: HTTP {status}")
    return parse_answer(body, secret=secret)


def _refusal(method: str, status: int, body: bytes, secret: str) -> ExchangerError:
    """401/403: the site's own error if the body holds one (an HTML page is a WAF, not the key)."""
    try:
        parse_answer(body, secret=secret)
    except (KeyRejected, RequestRefused, ExchangerUnavailable) as exc:
        return exc
    except MalformedResponse:
        pass
    return KeyRejected(f"{method}: HTTP {status}")


def _says_success(body: bytes | None) -> bool:
    """A JSON envelope whose `error` flag says explicitly that there was no error."""
    try:
        value = json.loads(body or b"")
    except (ValueError, RecursionError):
        return False
    if not isinstance(value, dict) or "error" not in value:
        return False
    flag = value["error"]
    return flag in (0, False) or (isinstance(flag, str) and flag.strip() in ("0", "false"))


def _transport_error(method: str, exc: Exception, *, write: bool = False) -> ExchangerError:
    reason = type(exc).__name__
    not_sent = (*_NOT_SENT, *_NOT_SENT_OTHER, *_BAD_SITE)
    if isinstance(exc, _NO_ANSWER) or (write and not isinstance(exc, not_sent)):
        return OutcomeUnknown(f"{method}: no answer ({reason})")
    if isinstance(exc, _BAD_SITE):
        return ExchangerUnavailable(f"{method}: invalid site address")
    if isinstance(exc, _NOT_SENT):
        return ExchangerUnavailable(f"{method}: cannot reach the site ({reason})")
    return ExchangerUnavailable(f"{method}: transport error ({reason})")


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds from a numeric Retry-After header (an HTTP date is ignored)."""
    try:
        seconds = float(headers.get("retry-after", "").strip()[:20])
    except ValueError:
        return None
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return min(seconds, _MAX_RETRY_AFTER)


def _list_of(model: type[_Item]) -> Callable[[object], list[_Item]]:
    def decode(payload: object) -> list[_Item]:
        return _newest_first(decode_items(payload, model))

    return decode


def _newest_first(items: list[_Item]) -> list[_Item]:
    """Newest first by (time, id); an id repeated by the site is kept once (its newest row)."""
    seen: set[int] = set()
    unique = []
    for item in sorted(items, key=lambda i: (i.time, i.id), reverse=True):
        if item.id not in seen:
            seen.add(item.id)
            unique.append(item)
    return unique
