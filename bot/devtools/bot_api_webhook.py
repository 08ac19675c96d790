"""The fake Bot API's webhook delivery: while a webhook is set (setWebhook), pending updates
are POSTed to its URL in order, as Telegram does, with the `X-Telegram-Bot-Api-Secret-Token`
header when a secret was given. An update leaves the queue only when the bot answered 2xx;
otherwise it is tried again after a short pause (Telegram retries too).

Every attempt is recorded in `deliveries` (status, or 0 for a connection error).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.devtools.bot_api_state import BotApiState

log = logging.getLogger(__name__)
RETRY_PAUSE = 0.2
IDLE = 1.0
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True, slots=True)
class Delivery:
    update_id: int
    status: int  # the bot's HTTP answer; 0: it could not be reached


class WebhookDelivery:
    def __init__(self, state: BotApiState) -> None:
        self.state = state
        self.deliveries: list[Delivery] = []
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="fake-bot-api-webhook")

    async def stop(self) -> None:
        """Ends the loop by a flag (a cancel can be lost in Notifier.wait's wait_for on 3.11
        when a notify() comes in the same tick); a POST in flight is cancelled."""
        if self._task is None:
            return
        self._stopping = True
        self.state.updates_changed.notify()
        done, _ = await asyncio.wait({self._task}, timeout=IDLE + 0.5)
        if not done:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def _run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout, trust_env=False) as session:
            while not self._stopping:
                update = self._next()
                if update is None:
                    await self.state.updates_changed.wait(IDLE)
                    continue
                status = await self._post(session, update)
                self.deliveries.append(Delivery(update["update_id"], status))
                if 200 <= status < 300:
                    self._confirm(update)
                elif not self._stopping:
                    await asyncio.sleep(RETRY_PAUSE)

    def _next(self) -> dict[str, Any] | None:
        if not self.state.webhook_url or self.state.closing:
            return None
        ready = self.state.deliverable(1)
        return ready[0] if ready else None

    def _confirm(self, update: dict[str, Any]) -> None:
        with contextlib.suppress(ValueError):
            self.state.updates.remove(update)

    async def _post(self, session: aiohttp.ClientSession, update: dict[str, Any]) -> int:
        headers = {SECRET_HEADER: self.state.webhook_secret} if self.state.webhook_secret else {}
        try:
            async with session.post(self.state.webhook_url, json=update, headers=headers) as r:
                await r.read()
                return r.status
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            log.info("fake Bot API: webhook unreachable (%s)", type(exc).__name__)
            return 0
