"""Expected earnings, /sources, /stats and /export through the real dispatcher, against the
in-process sandbox seeded with demo-key-dave-0004 (numbers in bot/sandbox/seed_sources.py)."""

from __future__ import annotations

import csv
import io
import time
from datetime import datetime, timedelta

from bot.devtools.bot_api_models import FakeMessage
from bot.i18n import Translator
from bot.sandbox.seed import ALICE
from bot.sandbox.seed_sources import DAVE
from tests.telegram.harness import Harness


async def test_balance_shows_expected_earnings(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(DAVE)
    balance = await harness.ask("/balance", "Payout methods")
    # 2.00 + 3.25 completed and not accrued; the completed 0.00 one is never credited.
    assert "Expected +5.25 USD from 2 completed exchanges" in balance.text
    await harness.link(ALICE)
    overview = await harness.ask("/balance", "Your accounts")
    assert "Expected +5.25 USD from 2 completed exchanges" in overview.text


def test_expected_earnings_in_russian_plural_forms() -> None:
    t = Translator("ru")
    assert "за 1 завершённый обмен" in t("balance.expected", amount="1.00", count=1)
    assert "за 3 завершённых обмена" in t("balance.expected", amount="1.00", count=3)
    assert "за 5 завершённых обменов" in t("balance.expected", amount="1.00", count=5)


async def test_sources_table_computed_by_hand(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(DAVE)
    reply = await harness.ask("/sources", "Earnings per traffic source")
    blocks = reply.text.split("\n\n")
    assert "(7 days)" in blocks[0]
    assert "Total: 8 clicks · 6 completed · 8.65 USD · EPC 1.0813" in blocks[0]
    assert blocks[1:] == [
        "1. utm_source=forum\n3 clicks · 3 exchanges · 2 completed · conversion 66.7%\n"
        "earned 3.50 USD · EPC 1.1667",
        "2. sub_id=tg42\n2 clicks · 1 exchange · 1 completed · conversion 50.0%\n"
        "earned 3.25 USD · EPC 1.625",
        "3. bestchange.ru\n2 clicks · 1 exchange · 1 completed · conversion 50.0%\n"
        "earned 0.80 USD · EPC 0.4",
        "4. direct\n1 click · 1 exchange · 1 completed · conversion 100.0%\n"
        "earned 0.00 USD · EPC 0",
        "5. unknown source\n0 clicks · 1 exchange · 1 completed · conversion —\n"
        "earned 1.10 USD · EPC —",
    ]


async def test_source_parameters_are_a_chat_setting(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(DAVE)
    await harness.ask("/settings sources sub_id", "Source parameters: sub_id")
    reply = await harness.ask("/sources 30d", "Earnings per traffic source")
    # utm_source no longer names a source: those clicks fall back to the referrer or direct.
    assert "utm_source=forum" not in reply.text and "1. sub_id=tg42" in reply.text
    assert "forum.example\n1 click · 1 exchange · 1 completed" in reply.text
    await harness.ask("/settings sources a=b", "Send parameter names")
    await harness.ask("/settings timezone Mars/Base", "Unknown time zone")
    await harness.ask("/settings timezone Europe/Moscow", "Time zone: Europe/Moscow")
    await harness.ask("/sources yesterday", "Period:")


async def test_stats_chart_for_30_days_as_a_photo(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(DAVE)
    mark = harness.fake.revision
    await harness.say("/stats")
    sent = await harness.fake.wait_for(
        lambda m: m.chat_id == harness.chat.id and m.media is not None, since=mark
    )
    assert sent.media is not None and "photo" in sent.media and sent.upload is not None
    png = sent.upload
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert png.startswith(b"\x89PNG") and width + height <= 10_000 and len(png) < 10 * 2**20
    from matplotlib.image import imread  # only here: the bot never imports it at start

    assert imread(io.BytesIO(png))[..., :3].std() > 0.1
    # Nothing before the seeded days: no change is claimed against an empty period.
    assert sent.text == (
        "📈 Last 30 days, against the 30 days before\n"
        "Clicks: 8\nCompleted exchanges: 6\nRewards: 8.65 USD"
    )
    assert harness.fake.violations == []
    await harness.ask("/stats 1y", "Period: 7d, 30d or 90d")


def _csv(message: FakeMessage) -> list[dict[str, str]]:
    assert message.upload is not None
    return list(csv.DictReader(io.StringIO(message.upload.decode("utf-8"), newline="")))


async def test_export_csv_parsed_back_equals_the_seeded_rows(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(ALICE)
    await harness.ask("/settings timezone Asia/Tokyo", "Time zone")
    mark = harness.fake.revision
    await harness.say("/export")
    summary = await harness.fake.wait_for_text(harness.chat.id, "Export (30 days)", since=mark)
    assert "in 3 CSV files (UTF-8, dates in Asia/Tokyo)" in summary.text
    sent: dict[str, FakeMessage] = {}
    for _ in range(3):
        doc = await harness.fake.wait_for(
            lambda m: (
                m.media is not None
                and "document" in m.media
                and m.media["document"]["file_name"] not in sent
            ),
            since=mark,
        )
        sent[doc.media["document"]["file_name"]] = doc  # type: ignore[index]
    assert sorted(sent) == ["clicks-30d.csv", "exchanges-30d.csv", "payouts-30d.csv"]
    partner = harness.sandbox.state.partners[ALICE]
    now = int(time.time())
    start = now - now % 60 - 30 * 86_400

    def near_edge(moment: int) -> bool:  # the bot's window may start a minute apart
        return abs(moment - start) < 120

    def shown(moment: str) -> int:
        parsed = datetime.fromisoformat(moment)
        assert parsed.utcoffset() == timedelta(hours=9)
        return int(parsed.timestamp())

    exchanges = {
        int(r["id"]): (
            shown(r["created_at"]),
            r["amount_give"],
            r["amount_get"],
            r["completed"],
            r["accrued"],
            r["partner_reward"],
            r["user_hash"],
        )
        for r in _csv(sent["exchanges-30d.csv"])
    }
    seeded = {
        e.id: (
            e.time,
            format(e.amount_give, "f"),
            format(e.amount_get, "f"),
            str(e.exchange_success),
            str(e.accrued),
            format(e.partner_reward, "f"),
            e.user_hash,
        )
        for e in partner.exchanges.values()
        if e.time >= start
    }
    drop = {i for i, row in {**exchanges, **seeded}.items() if near_edge(row[0])}
    assert seeded and {i: r for i, r in exchanges.items() if i not in drop} == {
        i: r for i, r in seeded.items() if i not in drop
    }
    clicks = {
        int(r["id"]): (shown(r["time"]), r["referrer"], r["query_string"], r["user_hash"])
        for r in _csv(sent["clicks-30d.csv"])
    }
    seeded_clicks = {
        c.id: (c.time, c.referrer, c.query_string, c.user_hash)
        for c in partner.clicks
        if c.time >= start
    }
    drop = {i for i, row in {**clicks, **seeded_clicks}.items() if near_edge(row[0])}
    assert any("пример.рф" in row[1] for row in seeded_clicks.values())  # UTF-8 on the way
    assert {i: r for i, r in clicks.items() if i not in drop} == {
        i: r for i, r in seeded_clicks.items() if i not in drop
    }
    payouts = {
        int(r["id"]): (shown(r["created_at"]), r["pay_amount"], r["status"])
        for r in _csv(sent["payouts-30d.csv"])
    }
    statuses = ["pending", "paid", "canceled", "canceled_by_user"]
    seeded_payouts = {
        p.id: (p.time, format(p.pay_amount, "f"), statuses[p.status])
        for p in partner.payouts.values()
        if p.time >= start
    }
    drop = {i for i, row in {**payouts, **seeded_payouts}.items() if near_edge(row[0])}
    assert len(seeded_payouts) >= 4 and {i: r for i, r in payouts.items() if i not in drop} == {
        i: r for i, r in seeded_payouts.items() if i not in drop
    }
    assert harness.fake.violations == []


async def test_payouts_show_the_sites_typical_time_to_pay(harness: Harness) -> None:
    running = await harness.start_bot()
    await harness.link(ALICE)
    (account,) = await running.db.fetch_all("SELECT id FROM accounts")
    made = int(time.time()) - 86_400
    await running.db.execute(
        "INSERT INTO payout_state (account_id, payout_id, time, status) VALUES (?, 7, ?, 1)",
        (account["id"], made),
    )
    await running.db.execute(
        "INSERT INTO outbox (event_key, chat_id, account_id, kind, payload, created_at)"
        " VALUES ('k', ?, ?, 'payout_status', '{\"payout_id\": 7, \"status\": 1}', ?)",
        (harness.chat.id, account["id"], made + 5 * 3600),
    )
    reply = await harness.ask("/payouts", "Payout requests")
    assert "usually pays within ~5 h (median of 1 payout I watched being paid)" in reply.text


async def test_quiet_hours_setting(harness: Harness) -> None:
    await harness.start_bot()
    await harness.ask("/settings timezone Europe/Moscow", "Time zone")
    await harness.ask("/settings quiet 23-8", "Quiet hours: 23:00 – 8:00 (Europe/Moscow)")
    await harness.ask("/settings quiet 8", "Send two hours")
    await harness.ask("/settings quiet off", "Quiet hours off")
    await harness.ask("/settings digest weekly 9", "A digest every Monday at 9:00")
    await harness.ask("/settings digest daily 24", "Send e.g.")
    await harness.ask("/settings digest off", "Digest off")
    await harness.ask("/settings anomaly on", "Anomaly alerts on")
    await harness.ask("/settings anomaly off", "Anomaly alerts off")
    await harness.ask("/settings colour blue", "Settings you can type")
