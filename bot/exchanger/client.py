"""Client of the Premium Exchanger "old" affiliate API (ppapi): one `_call` for every method.

`GET <site>/api.html?api_action=pp&api_key=<key>&method=<method>&...`. Every failure leaves as
an `ExchangerError` (see errors.py) whose message, cause and context hold neither the key nor
the request URL: httpx exceptions carry the URL, so they are never chained.

Big accounts: a list answer over the size cap is asked again in two halves of its time window
(`start_time`/`end_time`, the site's filter on the last change), recursively, until each part
fits, and the parts are merged (newest first, each id once). Bounded: at most
`MAX_SPLIT_REQUESTS` requests per list (a site that ignores the window cannot make it loop),
and a single second that is still too large is MalformedResponse("response too large").

Two transports, chosen per method in ONE place (`_read` vs `_call`): reads go over the read
session (aiohttp, reads.py: ~16× cheaper in CPU per request than httpx in `python -m bench`)
when one is given; add_payout always goes over httpx, which never re-sends a request by
itself (aiohttp re-sends a GET after a dropped keep-alive connection: a payout twice).
A read whose body is byte-identical to the last one of the same account and method is not
decoded again: its earlier result is returned (the same item objects), so the poller can tell
"nothing changed" without work (`_Memo`).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import math
import time
from collections.abc import Callable, Mapping
from typing import Protocol, TypeVar, cast

import aiohttp
import httpx
from yarl import URL

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
from .reads import read

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
_TOO_LARGE = "response too large"
MAX_SPLIT_REQUESTS = 128  # requests of one list call at most when its window is split
_CLOCK_AHEAD = 86_400  # the open end of a window being split: now + a day of clock skew
MEMO_ENTRIES = 100_000  # remembered read results (account × method); the oldest goes first
log = logging.getLogger(__name__)


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
    """The old ppapi: writes over one shared `httpx.AsyncClient`, reads over `reads` (one shared
    `aiohttp.ClientSession`, reads.py) when given, else over httpx too. Lists come newest
    first."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        reads: aiohttp.ClientSession | None = None,
        max_body_bytes: int = 2_000_000,
    ) -> None:
        self._http = http
        self._reads = reads
        self._max_body_bytes = max_body_bytes
        self._memo = _Memo(MEMO_ENTRIES)

    async def get_info(self, creds: Credentials) -> PartnerInfo:
        return await self._read(creds, "get_info", {}, decode_info)

    async def get_links(
        self,
        creds: Credentials,
        *,
        start_time: int | None = None,
        end_time: int | None = None,
        ip: str | None = None,
    ) -> list[Click]:
        return await self._list(creds, "get_links", Click, start_time, end_time, {"ip": ip})

    async def get_exchanges(
        self, creds: Credentials, *, start_time: int | None = None, end_time: int | None = None
    ) -> list[Exchange]:
        return await self._list(creds, "get_exchanges", Exchange, start_time, end_time)

    async def get_payouts(
        self, creds: Credentials, *, start_time: int | None = None, end_time: int | None = None
    ) -> list[Payout]:
        return await self._list(creds, "get_payouts", Payout, start_time, end_time)

    async def _list(
        self,
        creds: Credentials,
        method: str,
        model: type[_Item],
        start: int | None,
        end: int | None,
        extra: Mapping[str, object] | None = None,
    ) -> list[_Item]:
        return await self._window(creds, method, model, start, end, extra or {}, [1])

    async def _window(
        self,
        creds: Credentials,
        method: str,
        model: type[_Item],
        start: int | None,
        end: int | None,
        extra: Mapping[str, object],
        spent: list[int],
    ) -> list[_Item]:
        """One list call; over the size cap, the window is halved and both halves merged."""
        params = {"start_time": start, "end_time": end, **extra}
        try:
            return await self._read(creds, method, params, _list_of(model))
        except MalformedResponse as exc:
            if str(exc) != _TOO_LARGE:
                raise
        low = max(start or 1, 1)  # 0 means "no filter" to the site: the earliest bound is 1
        high = end if end is not None else int(time.time()) + _CLOCK_AHEAD
        if high - low < 2 or spent[0] + 2 > MAX_SPLIT_REQUESTS:
            raise MalformedResponse(_TOO_LARGE)
        spent[0] += 2
        middle = (low + high) // 2  # the halves share one second: ids are merged once
        log.debug("%s: answer over the cap, window split (%d requests)", method, spent[0])
        newer = await self._window(creds, method, model, middle, high, extra, spent)
        older = await self._window(creds, method, model, low, middle, extra, spent)
        return _newest_first(newer + older)

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

    async def _read(
        self,
        creds: Credentials,
        method: str,
        params: Mapping[str, object],
        decode: Callable[[object], _T],
    ) -> _T:
        """A read. THE transport choice: the read session (aiohttp) when there is one, httpx
        otherwise; add_payout never comes here (`_call`, httpx only)."""
        if self._reads is None:
            status, headers, body = await self._fetch_or_fail(creds, method, params)
        else:
            query = {"api_action": "pp", "api_key": creds.api_key, "method": method}
            query |= {name: str(value) for name, value in params.items() if value is not None}
            url = _read_url(creds.site, method)
            status, headers, body = await read(
                self._reads, url, query, method, self._max_body_bytes
            )
        if not (200 <= status < 300 and body):
            return decode(_answer(method, status, headers, body, creds.api_key))
        slot, digest = (creds.site, method, _fingerprint(creds.api_key)), _fingerprint(body)
        known = self._memo.get(slot, digest)
        if known is not None:
            return cast(_T, list(known) if isinstance(known, list) else known)
        result = decode(_answer(method, status, headers, body, creds.api_key))
        self._memo.put(slot, digest, result)
        return result

    async def _fetch_or_fail(
        self, creds: Credentials, method: str, params: Mapping[str, object]
    ) -> tuple[int, Mapping[str, str], bytes | None]:
        """`_fetch` with httpx's errors (which hold the URL) turned into key-free ones."""
        failure: ExchangerError
        try:
            return await self._fetch(creds, method, params)
        except (httpx.HTTPError, *_BAD_SITE) as exc:
            failure = _transport_error(method, exc)
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


def _read_url(site: str, method: str) -> URL:
    """`_endpoint` for the read session (parsed once per site); a bad address is a key-free
    error."""
    failure: ExchangerError
    try:
        return _read_urls(site)
    except _BAD_SITE as exc:
        failure = _transport_error(method, exc)
    raise failure


@functools.lru_cache(maxsize=4096)
def _read_urls(site: str) -> URL:
    return URL(str(_endpoint(site)))


def _fingerprint(data: str | bytes) -> bytes:
    raw = data.encode() if isinstance(data, str) else data
    return hashlib.blake2b(raw, digest_size=16).digest()


class _Memo:
    """The last decoded result per (site, method, key fingerprint) with its body's digest.
    Bounded: past `size` slots the oldest is forgotten (it is decoded again when asked)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._slots: dict[tuple[str, str, bytes], tuple[bytes, object]] = {}

    def get(self, slot: tuple[str, str, bytes], digest: bytes) -> object | None:
        entry = self._slots.get(slot)
        return entry[1] if entry is not None and entry[0] == digest else None

    def put(self, slot: tuple[str, str, bytes], digest: bytes, result: object) -> None:
        self._slots.pop(slot, None)
        self._slots[slot] = (digest, result)
        if len(self._slots) > self._size:
            del self._slots[next(iter(self._slots))]


def _answer(
    method: str, status: int, headers: Mapping[str, str], body: bytes | None, secret: str
) -> object:
    """An HTTP answer → payload, or the typed error it means."""
    if status == 429 or status >= 500:
        raise ExchangerUnavailable(f"{method}: HTTP {status}", retry_after=_retry_after(headers))
    if body is None:
        raise MalformedResponse(_TOO_LARGE)
    if status in (401, 403):
        raise _refusal(method, status, body, secret)
    if not 200 <= status < 300:
        raise ExchangerUnavailable(f"{method}: HTTP {status}")
    return parse_answer(body, secret=secret)


def _refusal(method: str, status: int, body: bytes, secret: str) -> ExchangerError:
    """401/403: the site's own error if the body holds one; a bare 401/403 or an HTML page is
    a firewall or a proxy in front of the site, never a verdict on the key."""
    try:
        parse_answer(body, secret=secret)
    except (KeyRejected, RequestRefused, ExchangerUnavailable) as exc:
        return exc
    except MalformedResponse:
        pass
    return ExchangerUnavailable(f"{method}: HTTP {status} without the site's error")


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


def _retry_after(headers: Mapping[str, str]) -> float | None:
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
