"""Expected earnings, /sources, /stats and /export through the real dispatcher, against the
in-process sandbox seeded with demo-key-dave-0004 (numbers in bot/sandbox/seed_sources.py)."""

from __future__ import annotations

import io

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
