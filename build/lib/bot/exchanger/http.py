"""The one place that builds the process-wide httpx client for exchanger calls.

Swapping the transport (e.g. for an aiohttp-based one) is the `transport = ...` line.
Also mutes httpx's own request logging: it logs every URL, and ours carry the api_key.
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
