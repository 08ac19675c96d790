"""A sandbox client for tests: the API and /_control/ calls over real HTTP (httpx)."""

from __future__ import annotations

from typing import Any

import httpx

from bot.sandbox import SandboxState
from bot.sandbox.seed import ALICE


class Sandbox:
    def __init__(self, state: SandboxState, client: httpx.AsyncClient) -> None:
        self.state, self.client = state, client

    async def api(self, method: str, key: str = ALICE, **params: Any) -> httpx.Response:
        query = {"api_action": "pp", "api_key": key, "method": method, **params}
        return await self.client.get("/api.html", params=query)

    async def data(self, method: str, key: str = ALICE, **params: Any) -> Any:
        body = (await self.api(method, key, **params)).json()
        assert body["error"] == 0, body
        return body["data"]

    async def control(self, verb: str, path: str, body: Any = None) -> Any:
        response = await self.client.request(verb, f"/_control/{path}", json=body)
        assert response.status_code < 300, response.text
        return response.json()
