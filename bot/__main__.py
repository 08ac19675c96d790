"""`python -m bot`: the composition root, the only module that sees every part.

Settings → logging → database → exchanger client → services → aiogram Dispatcher (routers,
middlewares, dependencies) → notification engine → wait for the Bot API (getMe, retried with
backoff) → long polling (or the webhook, with WEBHOOK_URL) until SIGINT/SIGTERM → everything closed.

Start-up never ends in a traceback for an expected condition: a bad setting, a rejected token or
an unusable ENCRYPTION_KEY / DATABASE_PATH is one line and exit code 2; Telegram unreachable is
one log line per attempt while the exchanger side (poller, outbox) already runs.
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
from bot.monitoring import Monitoring
from bot.notifications import NotificationEngine
from bot.services.accounts import AccountService
from bot.services.admin import AdminService, CircuitSource
from bot.services.analytics import AnalyticsService
from bot.services.payout_models import PayoutTimings
from bot.services.payouts import PayoutService
from bot.services.read_cache import ReadCache
from bot.services.reports import ReportService
from bot.storage.accounts import AccountRepo
from bot.storage.anomalies import AnomalyRepo
from bot.storage.chats import ChatRepo
from bot.storage.crypto import KeyVault, load_or_create_key_file, parse_keys
from bot.storage.db import Database, redact_url
from bot.storage.digests import DigestRepo
from bot.storage.insight_settings import InsightSettingsRepo
from bot.storage.payout_watch import PayoutWatchRepo
from bot.storage.payouts import PayoutRepo
from bot.storage.stats import StatsRepo
from bot.telegram.commands import set_commands
from bot.telegram.connect import TokenRejected, stop_on_signals, wait_for_telegram
from bot.telegram.fsm_storage import DatabaseStorage
from bot.telegram.handlers import get_routers
from bot.telegram.middlewares.callback_answer import AnswerAfterHandler
from bot.telegram.middlewares.chat_admin import ChatAdminMiddleware
from bot.telegram.middlewares.context import ContextMiddleware
from bot.telegram.middlewares.i18n import I18nMiddleware
from bot.telegram.middlewares.inflight import InFlightMiddleware
from bot.telegram.middlewares.reply_retry import HandlerScope, ReplyRetryMiddleware
from bot.telegram.middlewares.secret_input import SecretInputMiddleware
from bot.telegram.middlewares.throttling import ThrottlingMiddleware
from bot.telegram.middlewares.typing import TypingMiddleware
from bot.telegram.notification_texts import render as render_notification
from bot.telegram.payout_delivery import announcer
from bot.telegram.webhook import serve_webhook

log = logging.getLogger("bot")
# Updates handled at once at most: a burst waits in Telegram's queue, not in our memory.
MAX_CONCURRENT_UPDATES = 64
CONFIG_ERROR_EXIT = 2
TOKEN_REJECTED = "Configuration error: BOT_TOKEN was rejected by the Telegram Bot API; check it"


class StartupError(Exception):
    """A problem the operator must fix; shown as one line, without a traceback."""


def make_bot(settings: Settings) -> Bot:
    session = None
    if settings.telegram_api_url:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    bot = Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML, link_preview=LinkPreviewOptions(is_disabled=True)
        ),
    )
    bot.session.middleware(ReplyRetryMiddleware())  # handler replies only (see HandlerScope)
    return bot


def load_vault(settings: Settings) -> KeyVault:
    try:
        if settings.encryption_key is not None:
            return KeyVault(parse_keys(settings.encryption_key.get_secret_value()))
        return KeyVault(load_or_create_key_file(settings.database_path.parent))
    except ValueError as exc:
        text = str(exc) if "ENCRYPTION_KEY" in str(exc) else f"ENCRYPTION_KEY is not usable: {exc}"
        raise StartupError(f"Configuration error: {text}") from None
    except OSError as exc:
        raise StartupError(
            f"Configuration error: ENCRYPTION_KEY is unset and its key file cannot be created"
            f" or read ({exc.strerror}: {exc.filename})"
        ) from None


async def open_database(settings: Settings) -> Database:
    target = settings.database_target
    try:
        return await Database.open(target)
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        raise StartupError(
            f"Configuration error: cannot open DATABASE_PATH={settings.database_path}: {exc}"
        ) from None
    except Exception as exc:  # asyncpg: refused, unknown database, authentication…
        where = redact_url(str(target))
        raise StartupError(
            f"Configuration error: cannot open DATABASE_URL={where}: {type(exc).__name__}: {exc}"
        ) from None


def make_dispatcher(
    settings: Settings,
    db: Database,
    vault: KeyVault,
    api: OldApiClient,
    circuits: CircuitSource | None = None,
) -> Dispatcher:
    chats = ChatRepo(db)
    repo = AccountRepo(db, vault)
    payouts = PayoutService(
        api,
        repo,
        PayoutRepo(db, vault),
        confirm_ttl=settings.payout_confirm_ttl,
        timings=PayoutTimings(
            request_deadline=settings.payout_request_timeout,
            hook_timeout=min(5.0, settings.payout_request_timeout),
            check_schedule=settings.payout_check_schedule,
        ),
    )
    cache = ReadCache(settings.read_cache_seconds)  # shared: /link's get_info serves /balance
    reports = ReportService(api, repo, cache, watch=PayoutWatchRepo(db))
    dp = Dispatcher(
        storage=DatabaseStorage(db),
        settings=settings,
        chats=chats,
        accounts=AccountService(api, repo, settings.exchanger_url, cache),
        reports=reports,
        analytics=AnalyticsService(reports),
        insight_settings=InsightSettingsRepo(db),
        digests=DigestRepo(db),
        anomalies=AnomalyRepo(db),
        admin=AdminService(db, settings.exchanger_url, circuits=circuits),
        payouts=payouts,
    )
    inflight = InFlightMiddleware()
    dp.update.outer_middleware(inflight)

    # --- payout reconciliation (issue 10): requests left submitting or checking are picked up
    # at start and on their schedule; at shutdown an add_payout in flight ends (within its
    # deadline) before anything else closes, then the in-flight updates, then the checks.
    async def start_payout_checks(bot: Bot) -> None:
        await payouts.checks.start(announcer(bot))

    dp.startup.register(start_payout_checks)
    dp.shutdown.register(payouts.drain)
    dp.shutdown.register(inflight.drain)
    dp.shutdown.register(payouts.checks.stop)
    # --- end of payout reconciliation
    dp.update.outer_middleware(HandlerScope())  # replies hit by a 429 are sent again
    dp.update.outer_middleware(ContextMiddleware(chats))
    dp.update.outer_middleware(I18nMiddleware())  # after the chat row: its language wins
    # Inner middlewares run in this order: delete a key first, then admins only, then throttle;
    # then (for a handler that runs) the press is answered after it, with "typing…" meanwhile.
    # Edited messages too: a key can arrive by editing a message (issue 11).
    secret_input = SecretInputMiddleware()
    dp.message.middleware(secret_input)
    dp.edited_message.middleware(secret_input)
    chat_admin = ChatAdminMiddleware()
    throttling = ThrottlingMiddleware(
        settings.throttle_seconds, settings.throttle_burst, settings.throttle_max_delay
    )
    typing = TypingMiddleware()
    for observer in (dp.message, dp.edited_message, dp.callback_query):
        observer.middleware(chat_admin)
        observer.middleware(throttling)
        if observer is dp.callback_query:
            observer.middleware(AnswerAfterHandler())
        observer.middleware(typing)
    dp.include_routers(*get_routers())
    dp.startup.register(set_commands)
    return dp


async def run(settings: Settings) -> None:
    vault = load_vault(settings)
    db = await open_database(settings)
    http = make_http_client(read_timeout=settings.http_timeout)  # add_payout: never re-sent
    reads = make_read_session(read_timeout=settings.http_timeout)  # polling, reports
    bot = make_bot(settings)
    monitoring: Monitoring | None = None
    try:
        api = OldApiClient(http, reads=reads)
        engine = NotificationEngine(settings, db, vault, api, bot, render_notification)
        dp = make_dispatcher(settings, db, vault, api, circuits=engine)
        dp.startup.register(engine.start)
        dp.shutdown.register(engine.stop)  # before the session closes: in-flight sends finish
        if settings.metrics_port:  # issue 15: /healthz and /metrics of this process
            monitoring = Monitoring(engine, StatsRepo(db), settings.poll_interval)
            await monitoring.start(settings.metrics_host, settings.metrics_port)
        # -- start-up: the exchanger side runs while the Bot API is waited for (issue 17) --
        await engine.start()  # idempotent: the startup hook above is then a no-op
        stop = asyncio.Event()
        stop_on_signals(stop)
        if await wait_for_telegram(bot, stop) is None:
            await engine.stop()
            return
        # -- end of start-up --
        if settings.webhook_url:  # issue 15: several processes behind a load balancer
            await serve_webhook(dp, bot, settings, stop)
            return
        await dp.start_polling(
            bot,
            allowed_updates=dp.resolve_used_update_types(),
            tasks_concurrency_limit=MAX_CONCURRENT_UPDATES,
        )
    except (TokenRejected, TelegramUnauthorizedError):
        await engine.stop()
        raise StartupError(TOKEN_REJECTED) from None
    finally:
        if monitoring is not None:
            await monitoring.stop()
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
        return CONFIG_ERROR_EXIT
    secrets = [settings.bot_token.get_secret_value()]
    if settings.webhook_secret is not None:  # never in a log line (issue 15)
        secrets.append(settings.webhook_secret.get_secret_value())
    setup_logging(settings.log_level, Redactor(secrets))
    try:
        asyncio.run(run(settings))
    except StartupError as exc:
        print(exc, file=sys.stderr)
        return CONFIG_ERROR_EXIT
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
