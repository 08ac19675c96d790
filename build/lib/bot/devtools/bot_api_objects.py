"""Bot API objects the fake reads or builds: bot commands with their scopes, chat members."""

from __future__ import annotations

import re
from typing import Any

from bot.devtools.bot_api_models import PRIVATE
from bot.devtools.bot_api_state import BotApiState
from bot.devtools.bot_api_validation import bad_request

MAX_COMMANDS = 100
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2}$")
_SCOPES: dict[str, tuple[str, ...]] = {
    "default": (),
    "all_private_chats": (),
    "all_group_chats": (),
    "all_chat_administrators": (),
    "chat": ("chat_id",),
    "chat_administrators": ("chat_id",),
    "chat_member": ("chat_id", "user_id"),
}
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
)
_ADMIN_LACKS = (
    "can_be_edited",
    "is_anonymous",
    "can_promote_members",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_send_welcome_messages",
)
_RESTRICTED_RIGHTS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_edit_tag",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)


def check_commands(commands: list[Any]) -> list[dict[str, Any]]:
    """The commands of setMyCommands as Telegram stores them (trimmed, without '/')."""
    checked = [_check_command(command) for command in commands]
    if len(checked) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    return checked


def _check_command(command: Any) -> dict[str, Any]:
    if not isinstance(command, dict):
        raise bad_request("can't parse BotCommand: BotCommand must be an Object")
    for field in ("command", "description"):
        if not isinstance(command.get(field), str):
            raise bad_request(f"can't parse BotCommand: Can't find field \"{field}\"")
    unknown = sorted(set(command) - {"command", "description", "is_ephemeral"})
    if unknown:
        raise bad_request(f'can\'t parse BotCommand: unknown field "{unknown[0]}"')
    name = command["command"].strip().removeprefix("/")
    description = command["description"].strip()
    if not name:
        raise bad_request("command must be non-empty")
    if len(name) > 32:
        raise bad_request("command length must not exceed 32")
    if not description:
        raise bad_request("command description must be non-empty")
    if len(description) > 256:
        raise bad_request("command description length must not exceed 256")
    if not _COMMAND_RE.match(name):
        raise bad_request("BOT_COMMAND_INVALID")
    if not isinstance(command.get("is_ephemeral", False), bool):
        raise bad_request('can\'t parse BotCommand: Field "is_ephemeral" must be of type Boolean')
    checked = {"command": name, "description": description}
    if "is_ephemeral" in command:
        checked["is_ephemeral"] = command["is_ephemeral"]
    return checked


def commands_key(state: BotApiState, values: dict[str, Any]) -> tuple[str, str]:
    """Which command list ``scope`` + ``language_code`` address, e.g. ("default", "ru")."""
    language = values.get("language_code", "")
    if language and not _LANGUAGE_RE.match(language):
        raise bad_request("invalid language code specified")
    scope = values.get("scope") or {"type": "default"}
    fields = _SCOPES.get(scope.get("type", ""))
    if fields is None:
        raise bad_request("unsupported bot command scope type")
    unknown = sorted(set(scope) - {"type", *fields})
    if unknown:
        raise bad_request(f'unknown field "{unknown[0]}" in scope')
    if fields:
        chat = state.resolve_chat(scope.get("chat_id"))
        if chat.type == PRIVATE and scope["type"] != "chat":
            raise bad_request("can't use specified scope in private chats")
    return ":".join(str(scope.get(name, "")) for name in ("type", *fields)), language


def chat_member(status: str, user: dict[str, Any]) -> dict[str, Any]:
    """The ChatMember object of getChatMember for ``status``."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(dict.fromkeys(_ADMIN_RIGHTS, True), **dict.fromkeys(_ADMIN_LACKS, False))
    elif status == "restricted":
        member.update(dict.fromkeys(_RESTRICTED_RIGHTS, False), is_member=True, until_date=0)
    elif status == "kicked":
        member["until_date"] = 0
    return member
