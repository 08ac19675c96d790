"""`python -m bot`: the composition root, the only module that sees every part.

Settings → logging → database → exchanger client → services → aiogram Dispatcher (routers,
middlewares, dependencies) → notification engine (started and stopped with the Dispatcher) →
long polling until SIGINT/SIGTERM → everything closed.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.types import LinkPreviewOptions
from pydantic import ValidationError

from bot.config import Settings, describe_error
from bot.exchanger import OldApiClient, make_http_client, make_read_session
from bot.logging_setup import Redactor, setup_logging
from bot.notifications import NotificationEngine
from bot.services.accounts import AccountService
from bot.services.admin import AdminService, CircuitSource
from bot.services.payouts import PayoutService
from bot.services.reports import ReportService
from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.crypto import KeyVault, load_or_create_key_file, parse_keys
from bot.storage.db import Database
from bot.storage.payouts import PayoutRepo
from bot.telegram.commands import set_commands
from bot.telegram.fsm_storage import SQLiteStorage
from bot.telegram.handlers import get_routers
from bot.telegram.middlewares.chat_admin import ChatAdminMiddleware
from bot.telegram.middlewares.context import ContextMiddleware
from bot.telegram.middlewares.inflight import InFlightMiddleware
from bot.telegram.middlewares.secret_input import SecretInputMiddleware
from bot.telegram.middlewares.throttling import ThrottlingMiddleware

log = logging.getLogger("bot")
# Updates handled at once at most: a burst waits in Telegram's queue, not in our memory.
MAX_CONCURRENT_UPDATES = 64


class StartupError(Exception):
    """A problem the operator must fix; shown as one line, without a traceback."""


def make_bot(settings: Settings) -> Bot:
    session = None
    if settings.telegram_api_url:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML, link_preview=LinkPreviewOptions(is_disabled=True)
        ),
    )


def load_vault(settings: Settings) -> KeyVault:
    try:
        if settings.encryption_key is not None:
            return KeyVault(parse_keys(settings.encryption_key.get_secret_value()))
        return KeyVault(load_or_create_key_file(settings.database_path.parent))
    except (ValueError, OSError) as exc:
        raise StartupError(f"Configuration error: ENCRYPTION_KEY: {exc}") from None


async def open_database(settings: Settings) -> Database:
    try:
        return await Database.open(settings.database_path)
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        raise StartupError(f"Cannot open DATABASE_PATH={settings.database_path}: {exc}") from None


def make_dispatcher(
    settings: Settings,
    db: Database,
    vault: KeyVault,
    api: OldApiClient,
    circuits: CircuitSource | None = None,
) -> Dispatcher:
    chats = ChatRepo(db)
    repo = AccountRepo(db, vault)
    dp = Dispatcher(
        storage=SQLiteStorage(db),
        settings=settings,
        chats=chats,
        accounts=AccountService(api, repo, settings.exchanger_url),
        reports=ReportService(api, repo),
        admin=AdminService(db, settings.exchanger_url, circuits=circuits),
        payouts=PayoutService(
            api,
            repo,
            PayoutRepo(db, vault),
            confirm_ttl=settings.payout_confirm_ttl,
            # An add_payout still running after this is impossible (pool + write + read).
            stale_after=3 * settings.http_timeout + 60,
        ),
    )
    inflight = InFlightMiddleware()
    dp.update.outer_middleware(inflight)
    dp.shutdown.register(inflight.drain)
    dp.update.outer_middleware(ContextMiddleware(chats))
    # Inner middlewares run in this order: delete a key first, then admins only, then throttle.
    dp.message.middleware(SecretInputMiddleware())
    chat_admin = ChatAdminMiddleware()
    dp.message.middleware(chat_admin)
    dp.callback_query.middleware(chat_admin)
    throttling = ThrottlingMiddleware(settings.throttle_seconds)
    dp.message.middleware(throttling)
    dp.callback_query.middleware(throttling)
    dp.include_routers(*get_routers())
    dp.startup.register(set_commands)
    return dp


async def run(settings: Settings) -> None:
    vault = load_vault(settings)
    db = await open_database(settings)
    http = make_http_client(read_timeout=settings.http_timeout)  # add_payout: never re-sent
    reads = make_read_session(read_timeout=settings.http_timeout)  # polling, reports
    bot = make_bot(settings)
    try:
        api = OldApiClient(http, reads=reads)
        engine = NotificationEngine(settings, db, vault, api, bot)
        dp = make_dispatcher(settings, db, vault, api, circuits=engine)
        dp.startup.register(engine.start)
        dp.shutdown.register(engine.stop)  # before the session closes: in-flight sends finish
        await dp.start_polling(
            bot,
            allowed_updates=dp.resolve_used_update_types(),
            tasks_concurrency_limit=MAX_CONCURRENT_UPDATES,
        )
    except TelegramUnauthorizedError:
        raise StartupError("BOT_TOKEN was rejected by the Telegram Bot API") from None
    finally:
        await bot.session.close()
        await http.aclose()
        await reads.close()
        await db.close()
        log.info("Stopped")


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        return 2
    setup_logging(settings.log_level, Redactor([settings.bot_token.get_secret_value()]))
    try:
        asyncio.run(run(settings))
    except StartupError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
