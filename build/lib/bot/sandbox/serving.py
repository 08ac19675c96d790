"""Shared by the fake servers' command lines (the sandbox and the bench fakes)."""

from __future__ import annotations

import asyncio
import signal


async def until_stop_signal() -> None:
    """Returns when the process gets SIGINT or SIGTERM, so the caller can clean up."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
