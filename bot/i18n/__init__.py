"""Translation layer: every user-facing text is a message of a Project Fluent catalog.

Catalogs are plain files a translator edits without Python: `locales/<language>/<feature>.ftl`
(the file of the English text and the Russian one have the same name and the same ids). The
code asks for a text by key, `t("payout.status.paid", name=value)`; the key's dots become
dashes in the catalog (`payout-status-paid`), because Fluent ids allow no dots.

Why Fluent and not gettext: our texts are addressed by key, and Fluent is built for that
(gettext wants the English sentence as the id, so keys as msgids would leave translators a
catalog of `msgstr`s for opaque ids and plurals as `msgid_plural` twins of a key). Fluent's
`{ $count -> [one] … [few] … *[many] … }` gives each language its own plural rules (CLDR,
through Babel) inside the message itself, and the files are read as they are: no compile step,
nothing to rebuild for `make run` or the Docker image.

Contract of the values, kept byte-identical with the texts the bot sent before Fluent:
- `t(...)` returns HTML (the bot's parse mode). Values are HTML-escaped unless wrapped in
  `Html`, so data from the exchanger can never break or inject markup.
- `t.plain(...)` returns plain text for alerts and button labels: nothing is escaped, and the
  message must be plain itself: its `.plain` attribute when it has one, else its value, which
  then may hold no markup (`PlainTextError` otherwise).
- Integers are written as Python writes them (`1000`, never `1,000` or `1 000`) and still
  select plural forms; every other value (amounts are pre-formatted strings or `Decimal`s) is
  inserted as `str(value)`. Bidi isolation marks are off.
"""

from __future__ import annotations

import html
from functools import cache
from typing import Any, Protocol

from fluent.runtime.types import FluentInt
from fluent.syntax import ast

from bot.i18n.catalog import (
    DEFAULT_LANGUAGE,
    PLAIN_ATTRIBUTE,
    Language,
    catalog,
    has_markup,
    message_id,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Html",
    "PlainTextError",
    "Render",
    "Translator",
    "language_for",
    "words",
]

LANGUAGES = tuple(catalog())
# Telegram reports the user's app language; users of these are best served in Russian.
_CLOSEST = dict.fromkeys(("uk", "be", "kk", "uz", "ky", "tg", "hy", "az"), "ru")


class Html(str):
    """A value that is already valid HTML and must not be escaped again."""


class PlainTextError(ValueError):
    """`t.plain()` asked for a message that holds markup and has no `.plain` variant."""


class Render(Protocol):
    """`t` and `t.plain` alike: a key and values → text."""

    def __call__(self, key: str, /, **values: Any) -> str: ...


def _value(value: Any, escape: bool) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        # Selects plural forms; written as Python writes it (checked for both languages).
        return FluentInt(value, useGrouping=False)
    if isinstance(value, Html) or not escape:
        return str(value)
    return html.escape(str(value), quote=False)


class Translator:
    """`t("key", name=value)` → the HTML text in this translator's language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._own = catalog()[self.language]
        self._default = catalog()[DEFAULT_LANGUAGE]

    def __call__(self, key: str, /, **values: Any) -> Html:
        language, message = self._message(key)
        pattern = language.bundle.get_message(message.id.name).value
        return Html(self._format(key, language, pattern, values, escape=True))

    def plain(self, key: str, /, **values: Any) -> str:
        """Plain text by contract: for alerts and button labels; escapes nothing."""
        language, message = self._message(key)
        source = next(
            (a.value for a in message.attributes if a.id.name == PLAIN_ATTRIBUTE), message.value
        )
        if source is None or has_markup(source):
            raise PlainTextError(f"{key} holds markup: give it a .{PLAIN_ATTRIBUTE} attribute")
        compiled = language.bundle.get_message(message.id.name)
        pattern = compiled.attributes.get(PLAIN_ATTRIBUTE, compiled.value)
        return self._format(key, language, pattern, values, escape=False)

    def _message(self, key: str) -> tuple[Language, ast.Message]:
        mid = message_id(key)
        for language in (self._own, self._default):  # a missing translation falls back
            if mid in language.messages:
                return language, language.messages[mid]
        raise KeyError(key)

    @staticmethod
    def _format(
        key: str, language: Language, pattern: Any, values: dict[str, Any], escape: bool
    ) -> str:
        if pattern is None:
            raise KeyError(f"{key} has no value")
        args = {name: _value(v, escape) for name, v in values.items()}
        text, errors = language.bundle.format_pattern(pattern, args)
        if errors:  # a missing value is a bug, as it was with str.format
            raise KeyError(f"{key}: {'; '.join(map(str, errors))}")
        return str(text)


@cache
def words(key: str) -> frozenset[str]:
    """The comma-separated words of a message in every language, lower-cased: what a user
    may type (e.g. a period name), understood whatever the chat's language."""
    found = (Translator(language).plain(key) for language in LANGUAGES)
    return frozenset(w.strip().lower() for text in found for w in text.split(",") if w.strip())


def language_for(chat_language: str | None, user_language_code: str | None) -> str:
    """The chat's chosen language wins; else the user's Telegram language; else English."""
    if chat_language in LANGUAGES:
        return chat_language
    code = (user_language_code or "").split("-")[0].lower()
    if code in LANGUAGES:
        return code
    return _CLOSEST.get(code, DEFAULT_LANGUAGE)
