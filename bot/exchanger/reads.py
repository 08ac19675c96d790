"""The read transport: one `aiohttp.ClientSession` per process for every exchanger READ.

Why two transports (the choice itself is `OldApiClient._fetch`, in client.py):
- reads (the poller's lists, get_info, reports) go over aiohttp: `python -m bench` measured a
  bare aiohttp loop at ~210 µs of CPU per request against ~3,400 µs for httpx (its pool
  re-checks every pooled connection per request) and ~1,050 µs for httpx over an aiohttp
  transport (bench/results.md, `1.client.*`);
- the one write, add_payout, stays on httpx (http.py): aiohttp's ClientSession re-sends an
  idempotent method (every GET) once after a dropped keep-alive connection and has no public
  switch for it; the bench saw add_payout reach the site twice (`1.lost_answer.aiohttp`).
  A read sent twice is harmless.

Every failure leaves as an `ExchangerError` whose message, cause and context hold neither the
key nor the URL: aiohttp's exceptions carry the URL (with the api_key in the query), so they
are never chained (the error is raised after the `except` block).
"""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp
from yarl import URL

from .errors import ExchangerError, ExchangerUnavailable, OutcomeUnknown
from .http import DEFAULT_USER_AGENT

_CHUNK = 65_536
# The request never reached the site.
_NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
_BAD_SITE = (aiohttp.InvalidURL, ValueError, UnicodeError)  # InvalidURL is a ValueError
# The request was sent (maybe processed) and no readable answer came back.
_NO_ANSWER = (
    aiohttp.ServerTimeoutError,
    aiohttp.ServerDisconnectedError,
    aiohttp.ClientPayloadError,
    aiohttp.ClientResponseError,
    aiohttp.ClientOSError,
    TimeoutError,
)


def make_read_session(
    *,
    connect_timeout: float = 5.0,
    read_timeout: float = 20.0,
    max_connections: int = 100,
    max_per_site: int = 20,
    user_agent: str = "",
) -> aiohttp.ClientSession:
    """One session per process, created inside the running loop; close it at shutdown.

    Keep-alive per site (`max_per_site` connections to one host at most), explicit timeouts:
    connect, each socket read, and the whole request (connect + read + the body)."""
    connector = aiohttp.TCPConnector(
        limit=max_connections,
        limit_per_host=max_per_site,
        keepalive_timeout=30.0,
        ttl_dns_cache=300,
    )
    timeout = aiohttp.ClientTimeout(
        total=connect_timeout + 2 * read_timeout,
        sock_connect=connect_timeout,
        sock_read=read_timeout,
    )
    headers = {"User-Agent": user_agent or DEFAULT_USER_AGENT, "Accept": "application/json"}
    return aiohttp.ClientSession(
        connector=connector,
        timeout=timeout,
        headers=headers,
        trust_env=False,
        raise_for_status=False,
    )


async def read(
    session: aiohttp.ClientSession,
    url: URL,
    query: Mapping[str, str],
    method: str,
    max_body_bytes: int,
) -> tuple[int, Mapping[str, str], bytes | None]:
    """GET → status, headers and body (None when over the cap; b"" when not worth reading)."""
    failure: ExchangerError
    try:
        return await _get(session, url, query, max_body_bytes)
    except (aiohttp.ClientError, TimeoutError, ValueError, UnicodeError) as exc:
        failure = _error(method, exc)
    raise failure


async def _get(
    session: aiohttp.ClientSession, url: URL, query: Mapping[str, str], cap: int
) -> tuple[int, Mapping[str, str], bytes | None]:
    async with session.get(url, params=query, allow_redirects=False) as response:
        status = response.status
        if not (200 <= status < 300 or status in (401, 403)):
            return status, response.headers, b""
        declared = response.content_length
        if declared is not None and declared > cap:
            return status, response.headers, None
        body = bytearray()
        async for chunk in response.content.iter_chunked(_CHUNK):  # after decompression
            body += chunk
            if len(body) > cap:
                return status, response.headers, None
        return status, response.headers, bytes(body)


def _error(method: str, exc: BaseException) -> ExchangerError:
    reason = type(exc).__name__
    if isinstance(exc, _BAD_SITE) and not isinstance(exc, _NO_ANSWER):
        return ExchangerUnavailable(f"{method}: invalid site address")
    if isinstance(exc, _NOT_SENT):  # checked first: ConnectionTimeoutError is a timeout too
        return ExchangerUnavailable(f"{method}: cannot reach the site ({reason})")
    if isinstance(exc, _NO_ANSWER):
        return OutcomeUnknown(f"{method}: no answer ({reason})")
    return ExchangerUnavailable(f"{method}: transport error ({reason})")
