"""The one place that builds the process-wide httpx client for exchanger WRITES (add_payout),
and for reads when no read session is given (tests, tools).

Reads normally go over aiohttp (reads.py); add_payout stays here because httpx never re-sends
a request by itself (`retries=1` below re-tries only connection attempts: nothing was sent).
An aiohttp-based transport must not be swapped in here: it would re-send add_payout.
httpx logs every URL at INFO, and ours carry the api_key: its logger is kept at WARNING.
"""

from __future__ import annotations

import httpx

DEFAULT_USER_AGENT = "pexbot/0.1 (Telegram bot for Premium Exchanger affiliates)"


def make_http_client(
    *,
    connect_timeout: float = 5.0,
    read_timeout: float = 20.0,
    max_connections: int = 100,
    max_keepalive: int = 50,
    user_agent: str = DEFAULT_USER_AGENT,
) -> httpx.AsyncClient:
    """One shared client per process; close it at shutdown (`await client.aclose()`)."""
    limits = httpx.Limits(
        max_connections=max_connections,
        max_keepalive_connections=max_keepalive,
        keepalive_expiry=30.0,
    )
    # retries=1 re-tries only failed connection attempts: the request was not sent yet.
    transport = httpx.AsyncHTTPTransport(limits=limits, retries=1)
    timeout = httpx.Timeout(
        connect=connect_timeout, read=read_timeout, write=read_timeout, pool=read_timeout
    )
    return httpx.AsyncClient(
        transport=transport,
        timeout=timeout,
        headers={"User-Agent": user_agent, "Accept": "application/json"},
        follow_redirects=False,
    )
