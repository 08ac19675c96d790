"""Reaching the Bot API at start-up: `getMe` until it answers, with backoff, one line per try.

A network error or a 5xx (Telegram unreachable, a DNS hiccup at boot) is retried without end,
each attempt one WARNING line and no traceback, until it works or the process is asked to stop;
a rejected token (401/404 from getMe) is a configuration error and raises TokenRejected at once.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from aiogram import Bot
from aiogram.exceptions import (
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import User
from aiogram.utils.backoff import Backoff, BackoffConfig

log = logging.getLogger(__name__)
STARTUP_BACKOFF = BackoffConfig(min_delay=1.0, max_delay=30.0, factor=2.0, jitter=0.1)


class TokenRejected(Exception):
    """The Bot API does not know this token (401 Unauthorized or 404 Not Found from getMe)."""


async def wait_for_telegram(
    bot: Bot, stop: asyncio.Event, backoff_config: BackoffConfig = STARTUP_BACKOFF
) -> User | None:
    """The bot's own user once `getMe` succeeds; None when ``stop`` was set while waiting."""
    backoff = Backoff(backoff_config)
    attempt = 0
    while not stop.is_set():
        attempt += 1
        try:
            me = await bot.me()
        except (TelegramUnauthorizedError, TelegramNotFound):
            raise TokenRejected from None
        except (TelegramNetworkError, TelegramServerError, TelegramRetryAfter) as exc:
            delay = next(backoff)
            if isinstance(exc, TelegramRetryAfter):
                delay = max(delay, float(exc.retry_after))
            log.warning(
                "Telegram Bot API unreachable (getMe attempt %d: %s); retrying in %.0f s",
                attempt,
                _reason(exc),
                delay,
            )
            try:
                await asyncio.wait_for(stop.wait(), delay)
            except TimeoutError:
                continue
        else:
            if attempt > 1:
                log.info("Telegram Bot API reachable after %d attempts", attempt)
            return me
    return None


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGINT/SIGTERM set ``stop`` while waiting (aiogram installs its own handlers later)."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)


def _reason(exc: Exception) -> str:
    text = getattr(exc, "message", "") or type(exc).__name__
    return " ".join(str(text).split())[:200]
