"""Translation layer: every user-facing text is looked up here, in English and Russian.

Texts live in `texts/<feature>.py` modules, each a `TEXTS: dict[str, Text]`; they are
discovered automatically, so a feature adds its texts without touching a shared file.
Texts are HTML (the bot's parse mode). Values passed to a text are HTML-escaped unless
wrapped in `Html`, so data from the exchanger can never break or inject markup.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"
# Telegram reports the user's app language; these users are best served in Russian.
_RUSSIAN_SPEAKING = frozenset({"ru", "uk", "be", "kk", "uz", "ky", "tg", "hy", "az"})


class Html(str):
    """A value that is already valid HTML and must not be escaped again."""


@dataclass(frozen=True, slots=True)
class Text:
    en: str
    ru: str

    def get(self, language: str) -> str:
        return self.ru if language == "ru" else self.en


@cache
def catalog() -> Mapping[str, Text]:
    package = importlib.import_module(f"{__name__}.texts")
    merged: dict[str, Text] = {}
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for key, text in module.TEXTS.items():
            if key in merged:
                raise RuntimeError(f"text {key!r} is defined twice")
            merged[key] = text
    return merged


def _escape(value: Any) -> str:
    return value if isinstance(value, Html) else html.escape(str(value), quote=False)


class Translator:
    """`t("key", name=value)` → the text in this translator's language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE

    def __call__(self, key: str, /, **values: Any) -> Html:
        template = catalog()[key].get(self.language)
        if not values:
            return Html(template)
        return Html(template.format_map({name: _escape(v) for name, v in values.items()}))


def language_for(chat_language: str | None, user_language_code: str | None) -> str:
    """The chat's chosen language wins; else the user's Telegram language."""
    if chat_language in LANGUAGES:
        return chat_language  # type: ignore[return-value]
    code = (user_language_code or "").split("-")[0].lower()
    return "ru" if code in _RUSSIAN_SPEAKING else DEFAULT_LANGUAGE
