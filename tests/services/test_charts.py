"""/stats: local days, daily series, change, and the PNG itself (valid, phone-sized, not blank)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from bot.exchanger import Click, Exchange
from bot.services.charts import (
    ChartLabels,
    DailySeries,
    StatsPeriod,
    change,
    day_starts,
    draw,
    series,
    zone,
)

MOSCOW = zone("Europe/Moscow")
NOW = 1_764_417_600  # 2025-11-29 12:00 UTC = 15:00 in Moscow
LABELS = ChartLabels("Последние 7 дней", "Клики", "Завершённые обмены", "USD", "Клики и обмены")


def test_periods() -> None:
    assert StatsPeriod.parse(None) is StatsPeriod.MONTH
    assert StatsPeriod.parse(" 90D ") is StatsPeriod.QUARTER
    assert StatsPeriod.parse("7 days") is None
    assert StatsPeriod.WEEK.days == 7


def test_days_are_the_chats_local_days() -> None:
    starts = day_starts(NOW, MOSCOW, 2)
    assert [s.date() for s in starts] == [date(2025, 11, 28), date(2025, 11, 29)]
    assert int(starts[1].timestamp()) == NOW - 15 * 3600  # local midnight = 21:00 UTC before
    days = [s.date() for s in starts]
    late = NOW - 14 * 3600  # 22:00 UTC on the 28th: already the 29th in Moscow
    data = series(
        [Click(1, late), Click(2, late - 2 * 3600), Click(3, NOW - 40 * 86_400)],
        [
            Exchange(1, late, completed=True, partner_reward=Decimal("1.25")),
            Exchange(2, late, completed=False, partner_reward=Decimal("9")),
            Exchange(3, late - 2 * 3600, completed=True, partner_reward=Decimal("0.50")),
        ],
        days,
        MOSCOW,
    )
    assert data.clicks == [1, 1] and data.completed == [1, 1]
    assert data.rewards == [Decimal("0.50"), Decimal("1.25")]
    assert (data.total_clicks, data.total_completed, data.total_rewards) == (2, 2, Decimal("1.75"))


def test_change_against_the_previous_period() -> None:
    assert change(12, 10) == Decimal(20)
    assert change(Decimal("5"), Decimal("10")) == Decimal(-50)
    assert change(3, 0) is None


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_the_chart_is_a_phone_sized_png_that_is_not_blank() -> None:
    from matplotlib.image import imread

    days = [date(2025, 11, d) for d in range(1, 31)]
    data = DailySeries(
        days,
        [d % 7 * 3 for d in range(30)],
        [d % 3 for d in range(30)],
        [Decimal(d % 5) / 2 for d in range(30)],
    )
    png = draw(data, LABELS)
    width, height = _png_size(png)
    assert (width, height) == (1200, 750) and len(png) < 10 * 1024 * 1024
    pixels = imread(io.BytesIO(png))
    assert pixels[..., :3].std() > 0.1  # a blank (one colour) picture has none
    empty = draw(DailySeries(days, [0] * 30, [0] * 30, [Decimal(0)] * 30), LABELS)
    assert imread(io.BytesIO(empty))[..., :3].std() < pixels[..., :3].std()
