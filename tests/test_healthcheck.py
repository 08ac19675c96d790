"""The container's health check: 0 when the configured database answers, 1 when it does not."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.healthcheck import main
from bot.storage.db import Database
from tests.postgres import Server, new_database


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv("EXCHANGER_URL", "https://ex.example")
    monkeypatch.delenv("DATABASE_URL", raising=False)


async def test_sqlite_answers_or_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bot.sqlite3"
    monkeypatch.setenv("DATABASE_PATH", str(path))
    assert await asyncio.to_thread(main) == 1  # no database yet
    await (await Database.open(path)).close()
    assert await asyncio.to_thread(main) == 0


async def test_postgresql_answers_or_not(
    pg_server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", await new_database(pg_server))
    assert await asyncio.to_thread(main) == 0
    monkeypatch.setenv("DATABASE_URL", pg_server.url("no_such_db").replace("postgres@", "u:pw1@"))
    assert await asyncio.to_thread(main) == 1
    assert "pw1" not in capsys.readouterr().err


async def test_with_metrics_port_the_process_healthz_decides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aiohttp import web

    from tests.e2e.test_startup_e2e import free_port

    port = free_port()
    monkeypatch.setenv("METRICS_PORT", str(port))
    assert await asyncio.to_thread(main) == 1  # nothing listens
    status = {"code": 503}

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"ok": status["code"] == 200}, status=status["code"])

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        assert await asyncio.to_thread(main) == 1
        status["code"] = 200
        assert await asyncio.to_thread(main) == 0
    finally:
        await runner.cleanup()
