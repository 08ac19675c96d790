"""Presenters of /sources, /stats and /export (the table, the chart's labels and caption, the
export's summary)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, Translator
from bot.services import charts
from bot.services.analytics import SourcesReport, StatsReport
from bot.services.export import CsvFile
from bot.services.insights import DIRECT, OTHER, UNKNOWN, SourceRow
from bot.services.reports import Period
from bot.storage.accounts import Account
from bot.telegram.callbacks import SourcesPage
from bot.telegram.keyboards import account_label
from bot.telegram.render import clamp_page, money, paginate, short

Rendered = tuple[str, InlineKeyboardMarkup | None]
_KINDS = ("exchanges", "payouts", "clicks")
_SPECIAL = {DIRECT: "sources.direct", UNKNOWN: "sources.unknown", OTHER: "sources.other"}


def source_label(t: Translator, source: str) -> str:
    """A source as shown: the special ones translated, the others as found (escaped later)."""
    key = _SPECIAL.get(source)
    return t.plain(key) if key else short(source, 60)


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _epc(value: Decimal | None) -> str:
    return "—" if value is None else format(value.normalize(), "f") if value else "0"


def _block(t: Translator, number: int, row: SourceRow) -> str:
    return t(
        "sources.row",
        number=number,
        source=source_label(t, row.source),
        clicks=row.clicks,
        exchanges=row.exchanges,
        completed=row.completed,
        conversion=_percent(row.conversion),
        earnings=money(row.earnings),
        epc=_epc(row.epc),
    )


def sources(t: Translator, period: Period, report: SourcesReport, page: int) -> Rendered:
    blocks = [_block(t, n, row) for n, row in enumerate(report.table.rows, start=1)]
    pages = paginate(blocks)
    page = clamp_page(page, len(pages))
    total = report.table.total
    lines = [
        t("sources.title", period=Html(t(f"period.{period.value}"))),
        t(
            "sources.total",
            clicks=total.clicks,
            completed=total.completed,
            earnings=money(total.earnings),
            epc=_epc(total.epc),
        ),
        "",
        "\n\n".join(pages[page]) if blocks else t("sources.empty"),
    ]
    lines += _failed(t, report.failed)
    return "\n".join(lines), _pager(period, page, len(pages))


def _failed(t: Translator, failed: list[Account]) -> list[str]:
    if not failed:
        return []
    names = ", ".join(account_label(a) for a in failed)
    return ["", t("insights.unread", accounts=names)]


def _pager(period: Period, page: int, total: int) -> InlineKeyboardMarkup | None:
    if total < 2:
        return None
    builder = InlineKeyboardBuilder()
    if page > 0:
        builder.button(text="◀", callback_data=SourcesPage(period=period, page=page - 1))
    builder.button(text=f"{page + 1}/{total}", callback_data=SourcesPage(period=period, page=page))
    if page < total - 1:
        builder.button(text="▶", callback_data=SourcesPage(period=period, page=page + 1))
    return builder.as_markup()


def _change(value: Decimal | None) -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f" ({sign}{abs(value)}%)"


def stats_caption(t: Translator, report: StatsReport) -> str:
    now, before = report.current, report.previous
    lines = [
        t(
            "stats.caption",
            days=report.period.days,
            clicks=now.total_clicks,
            clicks_change=_change(charts.change(now.total_clicks, before.total_clicks)),
            completed=now.total_completed,
            completed_change=_change(charts.change(now.total_completed, before.total_completed)),
            rewards=money(now.total_rewards),
            rewards_change=_change(charts.change(now.total_rewards, before.total_rewards)),
        )
    ]
    return "\n".join(lines + _failed(t, report.failed))


def chart_labels(t: Translator, report: StatsReport, timezone: str | None) -> charts.ChartLabels:
    return charts.ChartLabels(
        title=t.plain("stats.chart_title", days=report.period.days, timezone=timezone or "UTC"),
        clicks=t.plain("stats.chart_clicks"),
        completed=t.plain("stats.chart_completed"),
        rewards=t.plain("stats.chart_rewards"),
        counts=t.plain("stats.chart_counts"),
    )


async def stats_chart(
    t: Translator, report: StatsReport, timezone: str | None
) -> tuple[bytes, str]:
    """The PNG (drawn in a worker thread: it takes a few hundred ms) and its caption."""
    labels = chart_labels(t, report, timezone)
    png = await asyncio.to_thread(charts.draw, report.current, labels)
    return png, stats_caption(t, report)


def export_summary(
    t: Translator,
    period: Period,
    files: list[CsvFile],
    failed: list[Account],
    timezone: str | None,
) -> str:
    counts = {kind: sum(f.rows for f in files if f.name.startswith(kind)) for kind in _KINDS}
    lines = [
        t(
            "export.summary",
            period=Html(t(f"period.{period.value}")),
            files=len(files),
            exchanges=counts["exchanges"],
            payouts=counts["payouts"],
            clicks=counts["clicks"],
            timezone=timezone or "UTC",
        )
    ]
    return "\n".join(lines + _failed(t, failed))
