"""Quiet hours: parsing, the end of the current quiet period (across midnight, in the chat's
time zone), and the release window just after it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.quiet_hours import QuietHours

MOSCOW = ZoneInfo("Europe/Moscow")


def _at(hour: int, minute: int = 0) -> float:
    return datetime(2025, 11, 29, hour, minute, tzinfo=MOSCOW).timestamp()


def test_parse() -> None:
    assert QuietHours.parse("23-8", "Europe/Moscow") == QuietHours(23, 8, "Europe/Moscow")
    assert QuietHours.parse(" 1 – 6 ") == QuietHours(1, 6)
    for bad in ("8", "8-8", "24-1", "a-b", "-1-5", ""):
        assert QuietHours.parse(bad) is None


def test_until_across_midnight_in_the_chats_time_zone() -> None:
    quiet = QuietHours(23, 8, "Europe/Moscow")
    next_morning = datetime(2025, 11, 30, 8, tzinfo=MOSCOW).timestamp()
    assert quiet.until(_at(23, 30)) == next_morning
    assert quiet.until(_at(3)) == _at(8)
    assert quiet.until(_at(8)) is None and quiet.until(_at(12)) is None
    assert QuietHours(1, 6, "Europe/Moscow").until(_at(0, 59)) is None
    assert quiet.just_ended(_at(8, 5)) and not quiet.just_ended(_at(8, 15))
    assert not quiet.just_ended(_at(7, 59))
