"""Request validation of the fake Bot API: each method's official parameters and their types,
and message text with its ``parse_mode`` or ``entities``.

The parameter lists are those of Bot API 10.3 (the version aiogram 3.31 implements). An unknown
parameter is an error here ("Bad Request: unknown parameter <name>"), although real Telegram
ignores it, because the emulator that checks the project flags it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.devtools.bot_api_entities import (
    MAX_MESSAGE_UTF16,
    FormattedText,
    TextError,
    check_entities,
    trim,
    utf16_len,
)
from bot.devtools.bot_api_text import parse_html
from bot.devtools.bot_api_urls import url_problem

INT, BOOL, STR, CHAT, ARRAY, OBJECT = "int", "bool", "str", "chat", "array", "object"

_SEND_MESSAGE = {
    "business_connection_id": STR,
    "chat_id": CHAT,
    "message_thread_id": INT,
    "direct_messages_topic_id": INT,
    "text": STR,
    "parse_mode": STR,
    "entities": ARRAY,
    "link_preview_options": OBJECT,
    "disable_notification": BOOL,
    "protect_content": BOOL,
    "allow_paid_broadcast": BOOL,
    "message_effect_id": STR,
    "suggested_post_parameters": OBJECT,
    "reply_parameters": OBJECT,
    "reply_markup": OBJECT,
    "ephemeral_message_parameters": OBJECT,
    "receiver_user_id": INT,
    "callback_query_id": STR,
    # legacy forms that Telegram still accepts
    "disable_web_page_preview": BOOL,
    "reply_to_message_id": INT,
    "allow_sending_without_reply": BOOL,
}
# sendPhoto / sendDocument (bot_api_media.py): sendMessage's targets and options, a caption.
_SEND_MEDIA = {
    **{k: v for k, v in _SEND_MESSAGE.items() if k not in ("text", "entities")},
    "caption": STR,
    "caption_entities": ARRAY,
}
for _name in ("link_preview_options", "disable_web_page_preview"):
    del _SEND_MEDIA[_name]
_EDIT_TARGET = {
    "business_connection_id": STR,
    "chat_id": CHAT,
    "message_id": INT,
    "inline_message_id": STR,
}
_COMMANDS_TARGET = {"scope": OBJECT, "language_code": STR}

METHOD_PARAMS: dict[str, dict[str, str]] = {
    "getMe": {},
    "getUpdates": {"offset": INT, "limit": INT, "timeout": INT, "allowed_updates": ARRAY},
    "deleteWebhook": {"drop_pending_updates": BOOL},
    "setWebhook": {
        "url": STR,
        "ip_address": STR,
        "max_connections": INT,
        "allowed_updates": ARRAY,
        "drop_pending_updates": BOOL,
        "secret_token": STR,
    },
    "getWebhookInfo": {},
    "setMyCommands": {"commands": ARRAY, **_COMMANDS_TARGET},
    "deleteMyCommands": _COMMANDS_TARGET,
    "getMyCommands": _COMMANDS_TARGET,
    "sendMessage": _SEND_MESSAGE,
    "editMessageText": {
        **_EDIT_TARGET,
        "text": STR,
        "parse_mode": STR,
        "entities": ARRAY,
        "link_preview_options": OBJECT,
        "reply_markup": OBJECT,
        "rich_message": OBJECT,
        "disable_web_page_preview": BOOL,
    },
    "editMessageReplyMarkup": {**_EDIT_TARGET, "reply_markup": OBJECT},
    "deleteMessage": {"chat_id": CHAT, "message_id": INT},
    "deleteMessages": {"chat_id": CHAT, "message_ids": ARRAY},
    "answerCallbackQuery": {
        "callback_query_id": STR,
        "text": STR,
        "show_alert": BOOL,
        "url": STR,
        "cache_time": INT,
    },
    "sendChatAction": {
        "business_connection_id": STR,
        "chat_id": CHAT,
        "message_thread_id": INT,
        "action": STR,
    },
    "getChatMember": {"chat_id": CHAT, "user_id": INT},
    "getChat": {"chat_id": CHAT},
    "sendPhoto": {
        **_SEND_MEDIA,
        "photo": STR,
        "show_caption_above_media": BOOL,
        "has_spoiler": BOOL,
    },
    "sendDocument": {
        **_SEND_MEDIA,
        "document": STR,
        "thumbnail": STR,
        "disable_content_type_detection": BOOL,
    },
}
METHODS_BY_LOWER_NAME = {name.lower(): name for name in METHOD_PARAMS}

_JSON_LABELS = {
    "reply_markup": "reply keyboard markup",
    "entities": "entities",
    "link_preview_options": "link preview options",
    "reply_parameters": "reply parameters",
}
_INT_RE = re.compile(r"^[+-]?\d{1,19}$")
_LINK_PREVIEW_FIELDS = {
    "is_disabled": BOOL,
    "url": STR,
    "prefer_small_media": BOOL,
    "prefer_large_media": BOOL,
    "show_above_text": BOOL,
}


class ApiError(Exception):
    """An error answer of the Bot API; ``violation`` marks a mistake of the bot."""

    def __init__(
        self,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        violation: bool = True,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id
        self.violation = violation

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        if self.migrate_to_chat_id is not None:
            body["parameters"] = {"migrate_to_chat_id": self.migrate_to_chat_id}
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def check_params(method: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Typed values of the parameters of ``method``; empty values count as absent."""
    allowed = METHOD_PARAMS[method]
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in allowed:
            raise bad_request(f"unknown parameter {name}")
        if value is None or value == "":
            continue
        values[name] = _convert(name, allowed[name], value)
    return values


def _convert(name: str, kind: str, value: Any) -> Any:
    if kind in (ARRAY, OBJECT):
        return _json_value(name, kind, value)
    if isinstance(value, (dict, list)):
        raise bad_request(f'parameter "{name}" must be of type {_KIND_NAMES[kind]}')
    if kind == INT:
        return _int_value(name, value)
    if kind == BOOL:
        return bool_value(name, value)
    if kind == CHAT and not isinstance(value, bool):
        text = str(value).strip()
        return int(text) if _INT_RE.match(text) else text
    return value if isinstance(value, str) else json.dumps(value)


_KIND_NAMES = {INT: "Integer", BOOL: "Boolean", STR: "String", CHAT: "Integer or String"}


def _int_value(name: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INT_RE.match(value.strip()):
        return int(value)
    raise bad_request(f'parameter "{name}" must be of type Integer')


def bool_value(name: str, value: Any) -> bool:
    """A Boolean given as JSON ``true``/``false`` or as the strings aiogram sends."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "1", "false", "0"):
        return value.lower() in ("true", "1")
    raise bad_request(f'field "{name}" must be of type Boolean')


def _json_value(name: str, kind: str, value: Any) -> Any:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            label = _JSON_LABELS.get(name, name.replace("_", " "))
            raise bad_request(f"can't parse {label} JSON object") from None
    if kind == OBJECT and not isinstance(value, dict):
        if name == "reply_markup":
            raise bad_request("object expected as reply markup")
        raise bad_request(f'field "{name}" must be of type Object')
    if kind == ARRAY and not isinstance(value, list):
        raise bad_request(f'field "{name}" must be of type Array')
    return value


def read_text(values: dict[str, Any]) -> FormattedText:
    """The message text of sendMessage/editMessageText as Telegram stores it, or ApiError."""
    source = values.get("text")
    if source is None:
        raise bad_request("message text is empty")
    try:
        entities = values.get("entities")
        checked = check_entities(source, entities) if entities is not None else []
        formatted = _apply_parse_mode(source, values.get("parse_mode"), checked)
    except TextError as error:
        raise bad_request(str(error)) from None
    formatted = trim(formatted)
    if not formatted.text:
        raise bad_request("text must be non-empty")
    if utf16_len(formatted.text) > MAX_MESSAGE_UTF16:
        raise bad_request("message is too long")
    return formatted


def _apply_parse_mode(
    source: str, parse_mode: str | None, entities: list[dict[str, Any]]
) -> FormattedText:
    """Raises TextError for markup Telegram cannot parse."""
    mode = (parse_mode or "").lower()
    if mode in ("", "none"):
        return FormattedText(source, entities)
    if mode == "html":
        return parse_html(source)  # Telegram ignores `entities` when parse_mode is given
    if mode in ("markdown", "markdownv2"):
        raise bad_request(
            f"the fake Bot API does not parse parse_mode {parse_mode!r}; "
            "the bot uses HTML, so use parse_mode=HTML"
        )
    raise bad_request("unsupported parse_mode")


def check_link_preview_options(options: dict[str, Any] | None) -> None:
    """Field names and types of ``link_preview_options``."""
    for name, value in (options or {}).items():
        kind = _LINK_PREVIEW_FIELDS.get(name)
        if kind is None:
            raise bad_request(f'unknown field "{name}" in link_preview_options')
        if kind == BOOL and not isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Boolean')
        if name == "url" and url_problem(str(value)):
            raise bad_request("WEBPAGE_URL_INVALID")
