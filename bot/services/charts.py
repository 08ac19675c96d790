"""/stats: daily clicks, completed exchanges and rewards of a period, compared with the
period before, and their chart as a PNG (matplotlib, headless Agg canvas).

Days are the chat's calendar days in its time zone; the newest day is today (so far). An
exchange counts on the day it was made; its reward when it completed (accrued or not).
matplotlib is imported only when a chart is drawn: it costs ~1 s at start-up otherwise.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.exchanger import Click, Exchange

WIDTH, HEIGHT, DPI = 12.0, 7.5, 100  # 1200 × 750 px: sharp on a phone, ~60-90 kB


class StatsPeriod(StrEnum):
    WEEK = "7d"
    MONTH = "30d"
    QUARTER = "90d"

    @classmethod
    def parse(cls, text: str | None) -> StatsPeriod | None:
        value = (text or "").strip().lower()
        if not value:
            return cls.MONTH
        return next((p for p in cls if p.value == value), None)

    @property
    def days(self) -> int:
        return int(self.value[:-1])


def zone(name: str | None) -> ZoneInfo:
    return ZoneInfo(name or "UTC")


def day_starts(now: float, tz: ZoneInfo, count: int) -> list[datetime]:
    """The starts of the last `count` local days (the last one is today), oldest first."""
    today = datetime.fromtimestamp(now, tz).date()
    days = [today - timedelta(days=back) for back in range(count - 1, -1, -1)]
    return [datetime(d.year, d.month, d.day, tzinfo=tz) for d in days]


@dataclass(frozen=True, slots=True)
class DailySeries:
    days: list[date]
    clicks: list[int]
    completed: list[int]
    rewards: list[Decimal]

    @property
    def total_clicks(self) -> int:
        return sum(self.clicks)

    @property
    def total_completed(self) -> int:
        return sum(self.completed)

    @property
    def total_rewards(self) -> Decimal:
        return sum(self.rewards, Decimal(0))


def series(
    clicks: Iterable[Click], exchanges: Iterable[Exchange], days: list[date], tz: ZoneInfo
) -> DailySeries:
    """Counts per local day of `days` (anything on another day is left out)."""
    index = {day: n for n, day in enumerate(days)}
    per_click = [0] * len(days)
    per_completed = [0] * len(days)
    per_reward = [Decimal(0)] * len(days)
    for click in clicks:
        n = index.get(datetime.fromtimestamp(click.time, tz).date())
        if n is not None:
            per_click[n] += 1
    for exchange in exchanges:
        n = index.get(datetime.fromtimestamp(exchange.time, tz).date())
        if n is not None and exchange.completed:
            per_completed[n] += 1
            per_reward[n] += exchange.partner_reward
    return DailySeries(list(days), per_click, per_completed, per_reward)


def change(current: Decimal | int, previous: Decimal | int) -> Decimal | None:
    """Per cent change against the previous period; None when there was nothing before."""
    if not previous:
        return None
    return (Decimal(current - previous) * 100 / Decimal(previous)).quantize(Decimal(1))


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """Texts in the chat's language (the presenter translates them)."""

    title: str
    clicks: str
    completed: str
    rewards: str  # the right axis, e.g. "Rewards, USD"
    counts: str  # the left axis


def draw(data: DailySeries, labels: ChartLabels) -> bytes:
    """The PNG: clicks as bars and completed exchanges as a line on the left axis, rewards
    as a line on the right one. Large fonts, dates as day.month."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasAgg(figure)
    counts = figure.add_subplot()
    rewards = counts.twinx()
    x = list(range(len(data.days)))
    marker_size = 7 if len(x) <= 31 else 0
    bars = counts.bar(x, data.clicks, color="#8ab4f8", label=labels.clicks, width=0.8)
    (done,) = counts.plot(
        x,
        data.completed,
        color="#1a73e8",
        marker="o",
        linewidth=3,
        label=labels.completed,
        markersize=marker_size,
    )
    (paid,) = rewards.plot(
        x,
        [float(r) for r in data.rewards],
        color="#188038",
        marker="s",
        linewidth=3,
        label=labels.rewards,
        markersize=marker_size,
    )
    step = max(1, len(x) // 7)
    counts.set_xticks(x[::step], [d.strftime("%d.%m") for d in data.days[::step]])
    counts.set_ylabel(labels.counts, fontsize=18)
    rewards.set_ylabel(labels.rewards, fontsize=18, color="#188038")
    # Headroom above the highest value keeps the legend clear of the data.
    counts.set_ylim(bottom=0, top=max(1, *data.clicks, *data.completed) * 1.4)
    rewards.set_ylim(bottom=0, top=max(1.0, *(float(r) for r in data.rewards)) * 1.4)
    counts.yaxis.set_major_locator(MaxNLocator(integer=True))
    for axis in (counts, rewards):
        axis.tick_params(labelsize=16)
        axis.spines["top"].set_visible(False)
    counts.grid(axis="y", alpha=0.3)
    counts.set_title(labels.title, fontsize=22, pad=14)
    counts.legend(handles=[bars, done, paid], loc="upper left", fontsize=16, framealpha=0.9)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
