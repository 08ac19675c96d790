"""The redacting log handler: api keys and the bot token never reach the output, whichever
logger wrote the record, tracebacks included."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logging_setup import RedactingFormatter, Redactor, setup_logging

TOKEN = "123456789:AAHsecretPartOfTheBotToken_0123456789"
KEY = "demo-key-alice-0001"


@pytest.mark.parametrize(
    "text",
    [
        f"GET https://ex.example/api.html?api_action=pp&api_key={KEY}&method=get_info",
        f"GET https://ex.example/api.html?API_KEY={KEY}",
        f"message text: /link {KEY}",
        f"message text: /link@pex_test_bot {KEY}",
        f"POST https://api.telegram.org/bot{TOKEN}/getUpdates",
        f"headers: {{'API-KEY': '{KEY}'}}",
        f"token {TOKEN} in a message",
    ],
)
def test_secrets_are_replaced(text: str) -> None:
    redacted = Redactor([TOKEN])(text)
    assert KEY not in redacted and TOKEN not in redacted
    assert TOKEN.split(":")[1] not in redacted
    assert "***" in redacted


def test_ordinary_text_is_kept_and_short_literals_are_ignored() -> None:
    redactor = Redactor(["abc"])
    text = "Update id=1 is handled. Duration 5 ms by bot id=123456789; abc"
    assert redactor(text) == text


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    setup_logging("DEBUG", Redactor([TOKEN]))
    output = io.StringIO()
    root.handlers[0].setStream(output)  # type: ignore[attr-defined]
    try:
        yield output
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])


def test_every_logger_and_traceback_is_redacted(stream: io.StringIO) -> None:
    logging.getLogger("aiogram.event").debug("sending /link %s", KEY)
    try:
        raise RuntimeError(f"failed: https://ex.example/api.html?api_key={KEY}&x=1 bot{TOKEN}")
    except RuntimeError:
        logging.getLogger("bot.anything").exception("Unhandled")
    output = stream.getvalue()
    assert "Traceback" in output and "/link ***" in output
    assert KEY not in output and TOKEN not in output


def test_request_loggers_are_muted_below_warning(stream: io.StringIO) -> None:
    logging.getLogger("httpx").info("HTTP Request: GET https://ex.example/?api_key=%s", KEY)
    assert stream.getvalue() == ""
    for name in ("httpx", "httpcore", "aiosqlite"):
        assert logging.getLogger(name).getEffectiveLevel() >= logging.WARNING


def test_formatter_is_the_one_on_the_root_handler(stream: io.StringIO) -> None:
    assert isinstance(logging.getLogger().handlers[0].formatter, RedactingFormatter)
