"""A round-robin reverse proxy in front of webhook replicas, as Caddy's `reverse_proxy` with
`lb_policy round_robin` and `lb_try_duration` (deploy/Caddyfile): each request goes to the
next replica; one that cannot be reached is skipped and the request is tried on the next one.
Only when none answers does the proxy answer 502 (Telegram then delivers the update again).

    async with RoundRobin(["http://127.0.0.1:8081", "http://127.0.0.1:8082"]) as proxy:
        proxy.url  # "http://127.0.0.1:<port>": requests keep their path, body and headers
"""

from __future__ import annotations

import itertools
from collections import Counter
from types import TracebackType

import aiohttp
from aiohttp import web

FORWARDED = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")


class RoundRobin:
    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.answered: Counter[str] = Counter()  # backend → requests it answered
        self._next = itertools.cycle(range(len(backends)))
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.url = ""

    async def __aenter__(self) -> RoundRobin:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=10), trust_env=False
        )
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        headers = {name: request.headers[name] for name in FORWARDED if name in request.headers}
        for _ in self.backends:
            backend = self.backends[next(self._next)]
            try:
                async with self._session.request(
                    request.method, backend + request.path_qs, data=body, headers=headers
                ) as answer:
                    content = await answer.read()
            except (aiohttp.ClientConnectionError, TimeoutError):
                continue  # a replica that is down: the next one
            self.answered[backend] += 1
            return web.Response(status=answer.status, body=content)
        return web.Response(status=502, text="no replica answered")
