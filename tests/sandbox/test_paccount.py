"""GET /paccount/: where /start sends users to find the key answers with the key line."""

from __future__ import annotations

from bot.sandbox.seed import ALICE, BOB
from tests.sandbox.harness import Sandbox


async def test_paccount_shows_the_rest_api_key_line(sandbox: Sandbox) -> None:
    response = await sandbox.client.get("/paccount/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "REST API key" in response.text
    assert ALICE in response.text and BOB in response.text


async def test_paccount_shows_a_rotated_key_escaped(sandbox: Sandbox) -> None:
    created = await sandbox.control("POST", "partners", {"api_key": "k<b>&1"})
    response = await sandbox.client.get("/paccount/")
    assert created["api_key"] == "k<b>&1"
    assert "k&lt;b&gt;&amp;1" in response.text and "k<b>" not in response.text
