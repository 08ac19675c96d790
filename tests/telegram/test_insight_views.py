"""Presenters of the insight commands: labels, pages, failures."""

from __future__ import annotations

from decimal import Decimal

from bot.i18n import Translator
from bot.services.analytics import SourcesReport
from bot.services.insights import UNKNOWN, SourceRow, SourceTable
from bot.services.reports import Period
from bot.storage.accounts import Account
from bot.telegram import insight_views
from bot.telegram.callbacks import SourcesPage


def _account() -> Account:
    return Account(
        id=3,
        chat_id=1,
        site="https://a.example",
        key_hint="…0001",
        paused=False,
        created_at=0,
    )


def test_sources_are_paged_and_special_labels_translated() -> None:
    rows = [SourceRow(f"utm_source=s{i}", 10, 1, 1, Decimal(20 - i)) for i in range(11)]
    rows.append(SourceRow(UNKNOWN, 0, 2, 1, Decimal(1)))
    report = SourcesReport(SourceTable(rows, SourceRow("", 110)), failed=[_account()])
    text, markup = insight_views.sources(Translator("ru"), Period.MONTH, report, 1)
    assert "источник неизвестен" in text and "utm_source=s0" not in text
    assert "Не прочитано" in text
    assert markup is not None
    buttons = [b for row in markup.inline_keyboard for b in row]
    assert [b.text for b in buttons] == ["◀", "2/2"]
    assert SourcesPage.unpack(buttons[0].callback_data or "") == SourcesPage(
        period=Period.MONTH, page=0
    )
    first, markup = insight_views.sources(Translator("en"), Period.MONTH, report, 0)
    assert "1. <b>utm_source=s0</b>" in first and markup is not None
