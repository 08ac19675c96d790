import pytest

from bot.services.reports import Period


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        (None, Period.ALL),
        ("7d", Period.WEEK),
        (" Today ", Period.TODAY),
        ("сегодня", Period.TODAY),
        ("всё", Period.ALL),
        ("все", Period.ALL),
        ("week", Period.WEEK),
        ("неделя", Period.WEEK),
        ("month", Period.MONTH),
        ("месяц", Period.MONTH),
    ],
)
def test_periods_are_understood_in_every_language(typed: str | None, period: Period) -> None:
    assert Period.parse(typed) is period


def test_an_unknown_period_is_none() -> None:
    assert Period.parse("yesterday") is None
