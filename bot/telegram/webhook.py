"""Webhook mode (issue 15): Telegram POSTs each update to WEBHOOK_URL; any number of bot
processes behind a load balancer serve it, each one a copy of this aiohttp app.

Built from aiogram's helpers, as in aiogram's `examples/echo_bot_webhook.py`: the
`SimpleRequestHandler` answers 401 to a request without the right
`X-Telegram-Bot-Api-Secret-Token` (compared in constant time) and feeds the others to the
Dispatcher; `setup_application` runs the Dispatcher's startup and shutdown hooks with the app.

Every process registers the same webhook at start (`setWebhook` is idempotent), with
`drop_pending_updates=False`: updates that arrived while all processes were down are kept.
No process deletes the webhook when it stops: the others still serve it.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.config import Settings

log = logging.getLogger(__name__)


def webhook_app(dp: Dispatcher, bot: Bot, settings: Settings) -> web.Application:
    """The aiohttp app: POST on the webhook's path, with the Dispatcher's lifecycle."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    secret = settings.webhook_secret.get_secret_value()
    url = settings.webhook_url

    async def register_webhook(bot: Bot) -> None:
        await bot.set_webhook(
            url,
            secret_token=secret,
            allowed_updates=dp.resolve_used_update_types(),
            drop_pending_updates=False,
        )
        log.info("Webhook registered; serving updates on port %d", settings.webhook_port)

    dp.startup.register(register_webhook)
    app = web.Application()
    # The Dispatcher's hooks first, then the handler's close (the bot session): the
    # notification engine stops while it can still send.
    setup_application(app, dp, bot=bot)
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=secret).register(
        app, path=settings.webhook_path
    )
    return app


async def serve_webhook(dp: Dispatcher, bot: Bot, settings: Settings, stop: asyncio.Event) -> None:
    """Serves the webhook on WEBHOOK_HOST:WEBHOOK_PORT until `stop` is set (SIGINT/SIGTERM)."""
    runner = web.AppRunner(webhook_app(dp, bot, settings), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
        await stop.wait()
    finally:
        await runner.cleanup()
