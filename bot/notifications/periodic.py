"""One loop for the engine's periodic checks (payout watchdog, digests, anomalies): run the
check, wait `interval` or until stopping; a failing check is logged once when it starts
failing and once when it recovers, not every round."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def every(
    interval: float, stopping: asyncio.Event, check: Callable[[], Awaitable[object]], what: str
) -> None:
    failing = False
    while not stopping.is_set():
        try:
            await check()
        except Exception:  # a database or site hiccup: try again next round
            if not failing:
                log.exception("%s failed", what)
            failing = True
        else:
            if failing:
                log.info("%s recovered", what)
            failing = False
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), interval)
