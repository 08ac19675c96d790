"""The engine-neutral statement text: placeholders numbered for PostgreSQL, URLs parsed and
shown without their password."""

from __future__ import annotations

import pytest

from bot.storage.db import POSTGRESQL, SQLITE, numbered, parse_url, redact_url


def test_placeholders_are_numbered_in_order_or_as_written() -> None:
    assert numbered("SELECT a FROM t WHERE x = ? AND y IN (?, ?)") == (
        "SELECT a FROM t WHERE x = $1 AND y IN ($2, $3)"
    )
    assert (
        numbered("UPDATE t SET a = ?1 + ?2 WHERE b > ?1") == "UPDATE t SET a = $1 + $2 WHERE b > $1"
    )
    assert numbered("SELECT 1") == "SELECT 1"


def test_id_lists_per_engine() -> None:
    assert SQLITE.among("id", [4, 5, 6]) == ("id IN (?,?,?)", [4, 5, 6])
    among, params = POSTGRESQL.among("id", [4, 5, 6])
    assert among.count("?") == 1 and params == [[4, 5, 6]]  # one statement for any count


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///data/bot.sqlite3", ("sqlite", "data/bot.sqlite3")),
        ("sqlite:////var/lib/bot.sqlite3", ("sqlite", "/var/lib/bot.sqlite3")),
        ("postgresql://u:p@h:5432/bot", ("postgresql", "postgresql://u:p@h:5432/bot")),
        ("postgres://u@h/bot", ("postgresql", "postgresql://u@h/bot")),
        ("postgresql+asyncpg://u@h/bot", ("postgresql", "postgresql://u@h/bot")),
    ],
)
def test_urls_select_the_engine(url: str, expected: tuple[str, str]) -> None:
    assert parse_url(url) == expected


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "sqlite://relative.db", "sqlite:///", "postgresql://u@h/", "bot.db"]
)
def test_unusable_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        parse_url(url)


def test_the_password_is_never_shown() -> None:
    assert redact_url("postgresql://bot:s3cret@db:5432/bot") == "postgresql://bot:***@db:5432/bot"
    assert redact_url("postgresql://bot@db/bot") == "postgresql://bot@db/bot"
