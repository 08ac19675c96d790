"""Anomaly alerts end to end against the in-process sandbox: opt-in, one message per anomaly
(not per check), rendered in the chat's language."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from bot.domain import ANOMALY
from bot.exchanger import OldApiClient, make_http_client
from bot.exchanger.models import Credentials
from bot.i18n import Translator
from bot.notifications.anomaly import AnomalyWatch
from bot.sandbox import SandboxState, create_app
from bot.sandbox.records import Click, Exchange
from bot.services.analytics import AnalyticsService
from bot.services.read_cache import ReadCache
from bot.services.reports import ReportService
from bot.storage.accounts import AccountRepo
from bot.storage.anomalies import AnomalyRepo
from bot.storage.chats import ChatRepo
from bot.storage.db import Database
from bot.storage.insight_settings import InsightSettingsRepo
from bot.storage.outbox import Outbox
from bot.telegram.notification_texts import render
from tests.services.test_anomaly import NOW, history

KEY = "anomaly-key-0001"


@pytest.fixture
async def site_url() -> AsyncIterator[str]:
    state = SandboxState(clock=lambda: NOW)
    partner = state.add_partner(KEY, balance="1.00")
    clicks, exchanges = history()
    partner.clicks += [Click(c.id, c.time, query_string=c.query_string) for c in clicks]
    for e in exchanges:
        partner.exchanges[e.id + 10_000] = Exchange(e.id + 10_000, e.time, e.time)
    server = TestServer(create_app(state))
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()


async def test_each_anomaly_announced_once_to_opted_in_chats(
    db: Database, chats: ChatRepo, account_repo: AccountRepo, outbox: Outbox, site_url: str
) -> None:
    await chats.ensure(5, "private")
    await account_repo.add(5, Credentials(site_url, KEY), linked_by=5)
    http = make_http_client(read_timeout=2.0)
    reports = ReportService(OldApiClient(http), account_repo, ReadCache(0), clock=lambda: NOW)
    repo = AnomalyRepo(db)
    watch = AnomalyWatch(
        repo, InsightSettingsRepo(db), account_repo, AnalyticsService(reports), clock=lambda: NOW
    )
    try:
        assert await watch.check() == 0  # not opted in
        await repo.set_enabled(5, True)
        assert await watch.check() == 2
        assert await watch.check() == 0  # one message per anomaly, not per check
    finally:
        await http.aclose()
    rows = await outbox.due(10)
    assert [r.kind for r in rows] == [ANOMALY, ANOMALY] and all(ANOMALY in r.wanted for r in rows)
    texts = [render(r.kind, r.account_id, r.payload, Translator("ru"))[0] for r in rows]
    assert "30 кликов и ни одного обмена" in texts[0] and "около 3" in texts[0]
    assert "utm_source=forum" in texts[1]
