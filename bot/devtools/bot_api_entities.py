"""Message entities: UTF-16 offsets, Telegram's ordering and trimming, explicit ``entities``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.devtools.bot_api_urls import url_problem

MAX_MESSAGE_UTF16 = 4096
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}


class TextError(ValueError):
    """A text Telegram refuses; the message is the part after ``Bad Request: ``."""


@dataclass
class FormattedText:
    """Text as the user sees it, with its entities (offsets in UTF-16 code units)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def sort_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Orders entities as Telegram returns them."""
    return sorted(entities, key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))


def trim(formatted: FormattedText) -> FormattedText:
    """Removes leading and trailing whitespace as Telegram does, keeping entities in place."""
    text = formatted.text
    stripped = text.strip(" \t\r\n\x0b\x0c")
    if not stripped:
        return FormattedText("", [])
    shift = utf16_len(text[: len(text) - len(text.lstrip(" \t\r\n\x0b\x0c"))])
    limit = utf16_len(stripped)
    entities = []
    for entity in formatted.entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return FormattedText(stripped, sort_entities(entities))


_ENTITY_TYPES = frozenset(
    (
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
        "date_time",
    )
)
_ENTITY_FIELDS = frozenset(
    (
        "type",
        "offset",
        "length",
        "url",
        "user",
        "language",
        "custom_emoji_id",
        "unix_time",
        "date_time_format",
    )
)


def check_entities(text: str, entities: list[Any]) -> list[dict[str, Any]]:
    """Validates explicit ``entities`` like Telegram; returns them sorted."""
    length = utf16_len(text)
    checked = []
    for entity in entities:
        if not isinstance(entity, dict):
            raise TextError("can't parse MessageEntity: MessageEntity must be an Object")
        _check_entity_fields(entity)
        _check_entity_bounds(entity, length)
        checked.append(dict(entity))
    return sort_entities(checked)


def _check_entity_fields(entity: dict[str, Any]) -> None:
    for required in ("type", "offset", "length"):
        if required not in entity:
            raise TextError(f"can't parse MessageEntity: Can't find field \"{required}\"")
    unknown = sorted(set(entity) - _ENTITY_FIELDS)
    if unknown:
        raise TextError(f'can\'t parse MessageEntity: unknown field "{unknown[0]}"')
    if entity["type"] not in _ENTITY_TYPES:
        raise TextError("can't parse MessageEntity: Unsupported type specified")
    needed = {"text_link": "url", "text_mention": "user", "custom_emoji": "custom_emoji_id"}
    field = needed.get(entity["type"])
    if field and field not in entity:
        raise TextError(f"can't parse MessageEntity: Can't find field \"{field}\"")
    if entity["type"] == "text_link":
        problem = url_problem(str(entity["url"]), require_scheme=False)
        if problem:
            raise TextError(f"entity URL '{entity['url']}' is invalid: {problem}")


def _check_entity_bounds(entity: dict[str, Any], text_length: int) -> None:
    offset, length = entity["offset"], entity["length"]
    if not isinstance(offset, int) or offset < 0:
        raise TextError(f"receive an entity with incorrect offset {offset}")
    if not isinstance(length, int) or length < 0:
        raise TextError(f"receive an entity with incorrect length {length}")
    if offset > text_length:
        raise TextError(f"entity begins after the end of the text at UTF-16 offset {offset}")
    if offset + length > text_length:
        raise TextError(
            f"entity beginning at UTF-16 offset {offset} ends after the end of the text at "
            f"UTF-16 offset {offset + length}"
        )
