"""Expected earnings and source attribution: pure functions, numbers checked by hand."""

from __future__ import annotations

from decimal import Decimal

from bot.exchanger import Click, Exchange
from bot.services.insights import (
    DEFAULT_SOURCE_PARAMS,
    DIRECT,
    OTHER,
    UNKNOWN,
    SourceRow,
    attribute,
    expected,
    merge,
    parse_source_params,
    rank,
    referrer_host,
    source_of,
)


def _click(n: int, when: int, *, referrer: str = "", query: str = "", user: str = "") -> Click:
    return Click(id=n, time=when, referrer=referrer, query_string=query, user_hash=user)


def _exchange(n: int, when: int, user: str, done: bool, reward: str, accrued: bool = False):
    return Exchange(
        id=n,
        time=when,
        user_hash=user,
        completed=done,
        accrued=accrued,
        partner_reward=Decimal(reward),
    )


def test_expected_counts_completed_unaccrued_rewards_of_a_cent_or_more() -> None:
    found = expected(
        [
            _exchange(1, 0, "", True, "2.00"),
            _exchange(2, 0, "", True, "3.25"),
            _exchange(3, 0, "", True, "9.00", accrued=True),  # already accrued
            _exchange(4, 0, "", False, "5.00"),  # not completed
            _exchange(5, 0, "", True, "0.004"),  # below a cent: never credited
        ]
    )
    assert (found.amount, found.count) == (Decimal("5.25"), 2)
    assert expected([]).count == 0


def test_source_of_a_click() -> None:
    assert source_of(_click(1, 0, query="rid=7&utm_source=forum")) == "utm_source=forum"
    assert source_of(_click(1, 0, query="?SUB_ID=tg42&utm_campaign=x")) == "utm_campaign=x"
    assert source_of(_click(1, 0, query="sub_id=tg42", referrer="https://a.example")) == (
        "sub_id=tg42"
    )
    assert source_of(_click(1, 0, query="utm_source=&rid=1", referrer="https://www.Best.ru/x")) == (
        "best.ru"
    )
    assert source_of(_click(1, 0, query="rid=1")) == DIRECT
    assert source_of(_click(1, 0, query="x=1&mine=7"), ("mine",)) == "mine=7"
    assert referrer_host("android-app://org.telegram.messenger") == "org.telegram.messenger"
    assert referrer_host("forum.example/t/1") == "forum.example"
    assert referrer_host("http://[::1") == ""  # unparsable: no host


def test_parse_source_params() -> None:
    assert parse_source_params("utm_source, Sub_ID sub_id") == ("utm_source", "sub_id")
    assert parse_source_params("") is None
    assert parse_source_params("a=b") is None
    assert parse_source_params(" ".join(f"p{i}" for i in range(11))) is None
    assert DEFAULT_SOURCE_PARAMS[0] == "utm_source"


def test_attribution_takes_the_latest_click_before_the_exchange() -> None:
    clicks = [
        _click(1, 100, query="utm_source=a", user="u1"),
        _click(2, 200, query="utm_source=b", user="u1"),
        _click(3, 300, referrer="https://c.example", user="u2"),
        _click(4, 400, user="u3"),
    ]
    exchanges = [
        _exchange(10, 150, "u1", True, "1.00"),  # after a, before b → a
        _exchange(11, 250, "u1", False, "7.00"),  # → b, not completed: no earnings
        _exchange(12, 250, "u2", True, "2.00"),  # every click later → the latest: c
        _exchange(13, 500, "nobody", True, "4.00"),  # → unknown
    ]
    rows = attribute(clicks, exchanges, DEFAULT_SOURCE_PARAMS)
    assert rows["utm_source=a"] == SourceRow("utm_source=a", 1, 1, 1, Decimal("1.00"))
    assert rows["utm_source=b"] == SourceRow("utm_source=b", 1, 1, 0, Decimal(0))
    assert rows["c.example"] == SourceRow("c.example", 1, 1, 1, Decimal("2.00"))
    assert rows[DIRECT] == SourceRow(DIRECT, 1, 0, 0, Decimal(0))
    assert rows[UNKNOWN] == SourceRow(UNKNOWN, 0, 1, 1, Decimal("4.00"))
    assert rows["c.example"].conversion == Decimal("100.0")
    assert rows["c.example"].epc == Decimal("2.0000")
    assert rows[UNKNOWN].conversion is None and rows[UNKNOWN].epc is None


def test_rank_folds_the_rest_into_other_and_keeps_unknown_last() -> None:
    first = {f"s{i}": SourceRow(f"s{i}", 10, 0, 1, Decimal(i)) for i in range(5)}
    rows = merge([first, {"s4": SourceRow("s4", clicks=5), UNKNOWN: SourceRow(UNKNOWN, 0, 2)}])
    table = rank(rows, top=3)
    assert [r.source for r in table.rows] == ["s4", "s3", "s2", OTHER, UNKNOWN]
    assert table.rows[0].clicks == 15
    assert table.rows[3] == SourceRow(OTHER, 20, 0, 2, Decimal(1))
    assert table.total == SourceRow("", 55, 2, 5, Decimal(10))
