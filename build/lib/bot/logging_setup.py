"""Logging with secrets redacted from every record of every logger.

Redaction happens in the handler's formatter, so it covers the bot's own records, httpx's,
aiohttp's and aiogram's, tracebacks included. Known secrets (the bot token) are replaced
verbatim; api keys are caught by shape wherever they can appear: in a query string
(`api_key=...`) and in a `/link <key>` command text.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(api_key=)[^&\s\"'<>]+", re.IGNORECASE), r"\1***"),
    (re.compile(r"(/link(?:@\w+)?\s+)\S+", re.IGNORECASE), r"\1***"),
    (re.compile(r"\bbot\d+:[\w-]+"), "bot***"),
    (re.compile(r"(API-KEY['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+", re.IGNORECASE), r"\1***"),
)


class Redactor:
    """Replaces secrets in text. Literal secrets are registered once at start."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._literals: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str) -> None:
        if len(secret) >= 6:  # a shorter "secret" would redact ordinary words
            self._literals.add(secret)

    def __call__(self, text: str) -> str:
        for literal in self._literals:
            if literal in text:
                text = text.replace(literal, "***")
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text


class RedactingFormatter(logging.Formatter):
    def __init__(self, redactor: Redactor, fmt: str) -> None:
        super().__init__(fmt)
        self._redact = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


def setup_logging(level: str, redactor: Redactor) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        RedactingFormatter(redactor, "%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL (the api_key is in its query string) at INFO, and
    # aiosqlite logs every statement at DEBUG: both are noise at best, a leak at worst.
    for noisy in ("httpx", "httpcore", "aiosqlite", "hpack"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
