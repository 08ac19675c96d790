"""The digest at the configured hour in the chat's time zone (injected clocks), once per period,
against the in-process sandbox seeded with demo-key-dave-0004 (bot/sandbox/seed_sources.py)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from aiohttp.test_utils import TestServer

from bot.domain import DIGEST
from bot.exchanger import OldApiClient, make_http_client
from bot.exchanger.models import Credentials
from bot.i18n import Translator
from bot.notifications.digest import DigestScheduler
from bot.sandbox import SandboxState, create_app
from bot.sandbox.seed_sources import DAVE, seed_sources
from bot.services.analytics import AnalyticsService
from bot.services.digest import DigestService
from bot.services.read_cache import ReadCache
from bot.services.reports import ReportService
from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.db import Database
from bot.storage.digests import DigestRepo
from bot.storage.insight_settings import InsightSettingsRepo
from bot.storage.outbox import Outbox
from bot.telegram.notification_texts import render

MONDAY_9_UTC = datetime(2025, 12, 1, 9, 0, tzinfo=UTC).timestamp()  # 12:00 in Moscow


@pytest.fixture
async def site_url() -> AsyncIterator[str]:
    state = SandboxState(clock=lambda: MONDAY_9_UTC)
    seed_sources(state)
    server = TestServer(create_app(state))
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()


async def test_weekly_digest_at_the_chats_hour_once(
    db: Database, chats: ChatRepo, account_repo: AccountRepo, outbox: Outbox, site_url: str
) -> None:
    await chats.ensure(5, "private")
    await account_repo.add(5, Credentials(site_url, DAVE), linked_by=5)
    settings, digests = InsightSettingsRepo(db), DigestRepo(db)
    await settings.set_timezone(5, "Europe/Moscow")
    await digests.set_digest(5, "weekly", 12)
    http = make_http_client(read_timeout=2.0)
    now = [MONDAY_9_UTC - 3600]  # 11:00 in Moscow: not yet
    reports = ReportService(OldApiClient(http), account_repo, ReadCache(0), clock=lambda: now[0])
    service = DigestService(account_repo, reports, AnalyticsService(reports))
    scheduler = DigestScheduler(digests, settings, service, clock=lambda: now[0])
    try:
        assert await scheduler.check() == 0
        now[0] = MONDAY_9_UTC + 60  # 12:01 in Moscow, a Monday
        assert await scheduler.check() == 1
        assert await scheduler.check() == 0  # once
        now[0] += 7 * 86_400 - 60 * 60  # the next Monday, 11:01: not yet
        assert await scheduler.check() == 0
    finally:
        await http.aclose()
    (row,) = await outbox.due(10)
    assert row.kind == DIGEST and DIGEST in row.wanted
    assert row.payload == {
        "every": "weekly",
        "clicks": 8,
        "exchanges": 7,
        "completed": 6,
        "accrued": "3.40",
        "accrued_count": 3,
        "balance": "12.40",
        "change": None,
        "best": "utm_source=forum",
        "best_earnings": "3.50",
        "unread": 0,
    }
    assert (await digests.wanted())[0].last_balance == Decimal("12.40")
    html, _ = render(row.kind, row.account_id, row.payload, Translator("en"))
    assert re.sub("</?b>", "", html).splitlines() == [
        "📰 Your week (last 7 days)",
        "Clicks: 8 · exchanges: 7 (6 completed)",
        "Rewards accrued: 3.40 USD (3)",
        "Balance: 12.40 USD",
        "Best source: utm_source=forum (3.50 USD)",
    ]
    changed = {**row.payload, "change": "-2.10"}
    assert "12.40</b> USD (-2.10)" in render(DIGEST, None, changed, Translator("en"))[0]
