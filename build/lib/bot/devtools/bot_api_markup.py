"""Validation of ``reply_markup`` like Telegram's, worded like Telegram's errors.

Stricter than Telegram where it silently ignores a mistake: an unknown field of a markup or a
button is an error, an inline button must use exactly one action field, and a button URL must
have an explicit ``http://``, ``https://`` or ``tg://`` scheme.
"""

from __future__ import annotations

from typing import Any

from bot.devtools.bot_api_urls import url_problem
from bot.devtools.bot_api_validation import bad_request

MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
MAX_INLINE_BUTTONS_PER_ROW = 8
_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
    "disabled",
)
_INLINE_BUTTON_FIELDS = frozenset(("text", "icon_custom_emoji_id", "style", *_INLINE_ACTIONS))
_KEYBOARD_BUTTON_FIELDS = frozenset(
    (
        "text",
        "icon_custom_emoji_id",
        "style",
        "request_users",
        "request_chat",
        "request_managed_bot",
        "request_contact",
        "request_location",
        "request_poll",
        "web_app",
        "request_user",
    )
)
_STYLES = ("danger", "success", "primary")
_MARKUP_FIELDS = {
    "inline_keyboard": frozenset(("inline_keyboard",)),
    "keyboard": frozenset(
        (
            "keyboard",
            "is_persistent",
            "resize_keyboard",
            "one_time_keyboard",
            "input_field_placeholder",
            "selective",
        )
    ),
    "remove_keyboard": frozenset(("remove_keyboard", "selective")),
    "force_reply": frozenset(("force_reply", "input_field_placeholder", "selective")),
}
_BOOLEAN_FIELDS = (
    "is_persistent",
    "resize_keyboard",
    "one_time_keyboard",
    "selective",
    "remove_keyboard",
    "force_reply",
)


def check_reply_markup(markup: dict[str, Any], *, inline_only: bool = False) -> dict[str, Any]:
    """Raises ApiError for a markup Telegram (or the emulator) refuses; returns it unchanged."""
    kind = next((key for key in _MARKUP_FIELDS if key in markup), None)
    if kind is None:
        raise bad_request("object expected as reply markup")
    if inline_only and kind != "inline_keyboard":
        raise bad_request("inline keyboard expected")
    unknown = sorted(set(markup) - _MARKUP_FIELDS[kind])
    if unknown:
        raise bad_request(f'unknown field "{unknown[0]}" in reply_markup')
    for name in _BOOLEAN_FIELDS:
        if name in markup and not isinstance(markup[name], bool):
            raise bad_request(f'field "{name}" must be of type Boolean')
    if kind == "inline_keyboard":
        _check_inline_keyboard(markup["inline_keyboard"])
    elif kind == "keyboard":
        _check_reply_keyboard(markup["keyboard"])
    return markup


def inline_keyboard_of(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """The markup a Message object carries: only a non-empty inline keyboard."""
    if not markup or not any(markup.get("inline_keyboard") or []):
        return None
    return markup


def _rows(value: Any, field: str) -> list[list[Any]]:
    if not isinstance(value, list):
        raise bad_request(f'field "{field}" must be of type Array')
    if not all(isinstance(row, list) for row in value):
        raise bad_request(f'field "{field}" must be an Array of Arrays')
    return value


def _check_inline_keyboard(value: Any) -> None:
    rows = _rows(value, "inline_keyboard")
    if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS or any(
        len(row) > MAX_INLINE_BUTTONS_PER_ROW for row in rows
    ):
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    for row in rows:
        for button in row:
            _check_inline_button(button)


def _button_error(text: str) -> Exception:
    return bad_request(f"can't parse inline keyboard button: {text}")


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise _button_error('Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise _button_error('Field "text" must be of type String')
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    unknown = sorted(set(button) - _INLINE_BUTTON_FIELDS)
    if unknown:
        raise _button_error(f'unknown field "{unknown[0]}"')
    if "style" in button and button["style"] not in _STYLES:
        raise bad_request("BUTTON_STYLE_INVALID")
    actions = [name for name in _INLINE_ACTIONS if button.get(name) not in (None, "")]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _button_error(f"exactly one action field must be used, found {', '.join(actions)}")
    _check_inline_action(actions[0], button[actions[0]])


def _check_inline_action(action: str, value: Any) -> None:
    if action == "callback_data":
        if not isinstance(value, str):
            raise _button_error('Field "callback_data" must be of type String')
        if len(value.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    elif action == "url":
        problem = url_problem(str(value), schemes=("http", "https", "tg"))
        if problem:
            raise bad_request(f"inline keyboard button URL '{value}' is invalid: {problem}")
    elif action == "web_app":
        _check_web_app(value, "inline keyboard button")
    elif action == "copy_text":
        text = value.get("text") if isinstance(value, dict) else None
        if not isinstance(text, str) or not 1 <= len(text) <= 256:
            raise bad_request("BUTTON_COPY_TEXT_INVALID")
    elif action in ("pay", "callback_game"):
        raise bad_request("BUTTON_TYPE_INVALID")
    elif action == "login_url":
        raise bad_request("BOT_DOMAIN_INVALID")  # no domain is linked to the fake bot


def _check_web_app(value: Any, where: str) -> None:
    url = value.get("url") if isinstance(value, dict) else None
    if not isinstance(url, str) or url_problem(url, schemes=("https",)):
        raise bad_request(f"{where} Web App URL '{url}' is invalid: Only HTTPS links are allowed")


def _check_reply_keyboard(value: Any) -> None:
    for row in _rows(value, "keyboard"):
        for button in row:
            if isinstance(button, str):
                continue
            if not isinstance(button, dict):
                raise bad_request("can't parse keyboard button: KeyboardButton must be an Object")
            if not isinstance(button.get("text"), str):
                raise bad_request("can't parse keyboard button: Can't find field \"text\"")
            unknown = sorted(set(button) - _KEYBOARD_BUTTON_FIELDS)
            if unknown:
                raise bad_request(f'can\'t parse keyboard button: unknown field "{unknown[0]}"')
            if "web_app" in button:
                _check_web_app(button["web_app"], "keyboard button")
