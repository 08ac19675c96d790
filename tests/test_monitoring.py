"""/healthz and /metrics of one process (issue 15): 503 when the database does not answer or
polling stalled; the engine's figures in the Prometheus text format."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.monitoring import Monitoring
from bot.storage.db import Database
from bot.storage.stats import StatsRepo


def fake_engine(last_round_at: float | None) -> Any:
    poller = SimpleNamespace(
        polls=Counter({"https://a.example": 5}),
        poll_errors=Counter({"https://a.example": 2}),
        health={"https://a.example": SimpleNamespace(state="open")},
        last_round_at=last_round_at,
    )
    sender = SimpleNamespace(sent=7, flood_429=1, is_leader=True)
    return SimpleNamespace(poller=poller, sender=sender)


async def get(monitoring: Monitoring, path: str) -> tuple[int, str]:
    async with TestClient(TestServer(monitoring.app())) as client:
        response = await client.get(path)
        return response.status, await response.text()


async def test_health_and_metrics(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        healthy = Monitoring(fake_engine(time.time()), StatsRepo(db), interval=1.0)
        status, body = await get(healthy, "/healthz")
        assert status == 200 and '"database": "ok"' in body
        status, text = await get(healthy, "/metrics")
        assert status == 200
        for line in (
            'bot_polls_total{site="https://a.example"} 5.0',
            'bot_poll_errors_total{site="https://a.example"} 2.0',
            'bot_circuit_state{site="https://a.example"} 2.0',
            "bot_messages_sent_total 7.0",
            "bot_telegram_429_total 1.0",
            "bot_outbox_backlog 0.0",
        ):
            assert line in text
        stalled = Monitoring(fake_engine(time.time() - 60), StatsRepo(db), interval=1.0)
        assert (await get(stalled, "/healthz"))[0] == 503
    finally:
        await db.close()
    status, body = await get(healthy, "/healthz")  # the database is gone
    assert status == 503 and '"ok": false' in body
