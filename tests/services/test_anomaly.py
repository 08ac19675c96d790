"""Anomalies against the account's own baseline: numbers chosen at the thresholds."""

from __future__ import annotations

from bot.exchanger import Click, Exchange
from bot.services.anomaly import DAY, detect
from bot.services.insights import DEFAULT_SOURCE_PARAMS

NOW = 1_764_417_600


def history(
    recent_clicks: int = 30, recent_exchanges: int = 0
) -> tuple[list[Click], list[Exchange]]:
    """Baseline: 60 clicks from utm_source=forum over 28 days and 6 exchanges (10 %); recent
    3 days: clicks from another source only."""
    base = NOW - 3 * DAY
    clicks = [Click(i, base - 1 - i * 40_000, query_string="utm_source=forum") for i in range(60)]
    clicks += [
        Click(100 + i, NOW - 1 - i * 8_000, query_string="sub_id=x") for i in range(recent_clicks)
    ]
    exchanges = [Exchange(i, base - 1 - i * 300_000) for i in range(6)]
    exchanges += [Exchange(50 + i, NOW - 100 - i) for i in range(recent_exchanges)]
    return clicks, exchanges


def test_clicks_without_exchanges_and_the_top_source_silent() -> None:
    clicks, exchanges = history()
    found = {a.kind: a for a in detect(clicks, exchanges, DEFAULT_SOURCE_PARAMS, NOW)}
    assert found["no_exchanges"].expected == 3.0 and found["no_exchanges"].clicks == 30
    assert found["source_silent"].source == "utm_source=forum"
    # The same episode an hour later: the same ids, so the same (single) message.
    later = {
        a.kind: a.episode for a in detect(clicks, exchanges, DEFAULT_SOURCE_PARAMS, NOW + 3600)
    }
    assert later == {kind: a.episode for kind, a in found.items()}


def test_no_alert_where_the_baseline_expects_none() -> None:
    clicks, exchanges = history(recent_exchanges=1)
    assert [a.kind for a in detect(clicks, exchanges, DEFAULT_SOURCE_PARAMS, NOW)] == [
        "source_silent"
    ]
    clicks, exchanges = history(recent_clicks=29)  # expects 2.9 < 3
    assert [a.kind for a in detect(clicks, exchanges, DEFAULT_SOURCE_PARAMS, NOW)] == [
        "source_silent"
    ]
    clicks, exchanges = history()
    recent_forum = [Click(999, NOW - 10, query_string="utm_source=forum")]
    assert [
        a.kind for a in detect(clicks + recent_forum, exchanges, DEFAULT_SOURCE_PARAMS, NOW)
    ] == ["no_exchanges"]
    assert detect([], [], DEFAULT_SOURCE_PARAMS, NOW) == []
