"""The periodic loop of the watchdog, digests and anomalies: a failing check is logged when it
starts failing and when it recovers, not every round, and the loop ends when asked."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.notifications.periodic import every


async def test_failures_are_logged_on_transitions_only(caplog: pytest.LogCaptureFixture) -> None:
    stopping = asyncio.Event()
    results = iter([RuntimeError, RuntimeError, RuntimeError, None, None])
    rounds = 0

    async def check() -> None:
        nonlocal rounds
        rounds += 1
        outcome = next(results, None)
        if rounds == 5:
            stopping.set()
        if outcome is not None:
            raise outcome("site hiccup")

    with caplog.at_level(logging.INFO, logger="bot.notifications.periodic"):
        await asyncio.wait_for(every(0, stopping, check, "Test check"), timeout=5)
    assert rounds == 5
    messages = [r.getMessage() for r in caplog.records]
    assert messages == ["Test check failed", "Test check recovered"]
