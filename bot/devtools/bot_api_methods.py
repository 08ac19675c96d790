"""The Bot API methods of the fake: validation in Telegram's order and wording, then the work.

Every handler takes the typed parameters (see bot_api_validation.check_params) and returns the
``result`` of the answer or raises ApiError.
"""

from __future__ import annotations

import inspect
import re
import time
from typing import Any

from bot.devtools.bot_api_markup import check_reply_markup, inline_keyboard_of
from bot.devtools.bot_api_media import MediaMethods
from bot.devtools.bot_api_models import PRIVATE, FakeChat, FakeMessage, RateLimiter
from bot.devtools.bot_api_objects import chat_member, check_commands, commands_key
from bot.devtools.bot_api_state import BotApiState
from bot.devtools.bot_api_validation import (
    ApiError,
    bad_request,
    check_link_preview_options,
    read_text,
)

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
MAX_CALLBACK_ANSWER_CHARS = 200
_CHAT_ACTIONS = frozenset(
    (
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    )
)
_UNSUPPORTED_SEND = {
    "message_thread_id": "message thread not found",
    "business_connection_id": "business connection not found",
    "direct_messages_topic_id": "direct messages topic not found",
    "suggested_post_parameters": "suggested posts can be sent only to channel direct messages",
    "allow_paid_broadcast": "FLOODSKIP_NOT_ALLOWED",
    "message_effect_id": "EFFECT_ID_INVALID",
    "ephemeral_message_parameters": "the fake Bot API does not support ephemeral messages",
    "receiver_user_id": "the fake Bot API does not support ephemeral messages",
    "callback_query_id": "the fake Bot API does not support ephemeral messages",
    "rich_message": "the fake Bot API does not support rich messages",
    "inline_message_id": "the fake Bot API does not support inline messages",
}


class BotApiMethods(MediaMethods):
    """Handlers of the methods listed in bot_api_validation.METHOD_PARAMS (sendPhoto and
    sendDocument in bot_api_media.py)."""

    def __init__(self, state: BotApiState, limiter: RateLimiter) -> None:
        self.state = state
        self.limiter = limiter

    async def call(self, method: str, values: dict[str, Any]) -> Any:
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", method).lower()
        result = getattr(self, name)(values)
        return await result if inspect.isawaitable(result) else result

    # -- bot, updates, commands ---------------------------------------------------------------

    def get_me(self, values: dict[str, Any]) -> dict[str, Any]:
        flags = {"can_join_groups": True, "can_read_all_group_messages": False}
        return {**self.state.bot.to_api(), **flags, "supports_inline_queries": False}

    async def get_updates(self, values: dict[str, Any]) -> list[dict[str, Any]]:
        allowed = values.get("allowed_updates")
        if allowed is not None and not all(isinstance(kind, str) for kind in allowed):
            raise bad_request('field "allowed_updates" must be an Array of Strings')
        return await self.state.get_updates(
            values.get("offset"), values.get("limit", 100), values.get("timeout", 0), allowed
        )

    def set_webhook(self, values: dict[str, Any]) -> bool:
        url = values.get("url", "")
        if url and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = values.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise bad_request("secret token contains unallowed characters")
        allowed = values.get("allowed_updates")
        if allowed is not None:
            self.state.allowed_updates = frozenset(allowed) if allowed else None
        if values.get("drop_pending_updates"):
            self.state.drop_pending_updates()
        self.state.webhook_url, self.state.webhook_secret = url, secret
        self.state.updates_changed.notify()  # the delivery loop looks at once
        return True

    def delete_webhook(self, values: dict[str, Any]) -> bool:
        if values.get("drop_pending_updates"):
            self.state.drop_pending_updates()
        self.state.webhook_url, self.state.webhook_secret = "", None
        return True

    def get_webhook_info(self, values: dict[str, Any]) -> dict[str, Any]:
        pending = len(self.state.updates)
        url = self.state.webhook_url
        return {"url": url, "has_custom_certificate": False, "pending_update_count": pending}

    def set_my_commands(self, values: dict[str, Any]) -> bool:
        commands = check_commands(values.get("commands", []))
        self.state.commands[commands_key(self.state, values)] = commands
        return True

    def delete_my_commands(self, values: dict[str, Any]) -> bool:
        self.state.commands.pop(commands_key(self.state, values), None)
        return True

    def get_my_commands(self, values: dict[str, Any]) -> list[dict[str, Any]]:
        return self.state.commands.get(commands_key(self.state, values), [])

    # -- messages -----------------------------------------------------------------------------

    def send_message(self, values: dict[str, Any]) -> dict[str, Any]:
        formatted = read_text(values)
        check_link_preview_options(values.get("link_preview_options"))
        markup = values.get("reply_markup")
        if markup is not None:
            check_reply_markup(markup)
        _reject_unsupported(values)
        chat = self._writable_chat(values.get("chat_id"))
        reply_to = self._reply_target(chat, values)
        self._throttle(chat)
        message = FakeMessage(
            chat=chat,
            message_id=self.state.new_message_id(chat),
            sender=self.state.bot,
            text=formatted.text,
            entities=formatted.entities,
            from_bot=True,
            source=values["text"],
            parse_mode=values.get("parse_mode"),
            reply_markup=inline_keyboard_of(markup),
            keyboard=None if markup is None or "inline_keyboard" in markup else markup,
            reply_to=reply_to,
            params=values,
        )
        return self.state.add_message(message).to_api()

    def edit_message_text(self, values: dict[str, Any]) -> dict[str, Any]:
        formatted = read_text(values)
        check_link_preview_options(values.get("link_preview_options"))
        markup = values.get("reply_markup")
        if markup is not None:
            check_reply_markup(markup, inline_only=True)
        message = self._editable(values)
        if message.media:
            raise bad_request("there is no text in the message to edit")
        new_markup = inline_keyboard_of(markup)  # no reply_markup removes the keyboard
        old = (message.text, message.entities, message.reply_markup)
        if old == (formatted.text, formatted.entities, new_markup):
            raise bad_request(NOT_MODIFIED)
        self._throttle(message.chat)
        message.history.append(message.text)
        message.text, message.entities = formatted.text, formatted.entities
        message.source, message.parse_mode = values["text"], values.get("parse_mode")
        return self._edited(message, new_markup, values)

    def edit_message_reply_markup(self, values: dict[str, Any]) -> dict[str, Any]:
        markup = values.get("reply_markup")
        if markup is not None:
            check_reply_markup(markup, inline_only=True)
        message = self._editable(values)
        new_markup = inline_keyboard_of(markup)
        if new_markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED)
        self._throttle(message.chat)
        return self._edited(message, new_markup, values)

    def _edited(self, message: FakeMessage, markup: Any, values: dict[str, Any]) -> dict[str, Any]:
        message.reply_markup = markup
        message.edit_date = int(time.time())
        message.params = values
        self.state.touch(message)
        return message.to_api()

    def delete_message(self, values: dict[str, Any]) -> bool:
        chat = self.state.resolve_chat(values.get("chat_id"))
        message = self.state.message(chat, values.get("message_id"))
        if message is None:
            raise bad_request("message to delete not found")
        self._check_deletable(chat, message)
        message.deleted = True
        self.state.touch(message)
        return True

    def delete_messages(self, values: dict[str, Any]) -> bool:
        ids = values.get("message_ids")
        if not ids:
            raise bad_request("message identifiers are not specified")
        if len(ids) > 100:
            raise bad_request("too many message identifiers specified")
        if not all(isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in ids):
            raise bad_request("invalid message identifier specified")
        chat = self.state.resolve_chat(values.get("chat_id"))
        for message_id in ids:
            message = self.state.message(chat, message_id)
            if message is not None and self._deletable(chat, message):
                message.deleted = True
                self.state.touch(message)
        return True

    def _check_deletable(self, chat: FakeChat, message: FakeMessage) -> None:
        if not self._deletable(chat, message):
            raise bad_request("message can't be deleted")

    def _deletable(self, chat: FakeChat, message: FakeMessage) -> bool:
        if chat.type == PRIVATE or message.from_bot:
            return True
        return self.state.member_status(chat, self.state.bot.id) in ("administrator", "creator")

    # -- callbacks, actions, chats --------------------------------------------------------------

    def answer_callback_query(self, values: dict[str, Any]) -> bool:
        text = values.get("text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER_CHARS:
            raise bad_request("MESSAGE_TOO_LONG")
        query = self.state.callbacks.get(values.get("callback_query_id", ""))
        if query is None or query.answered:
            raise bad_request(QUERY_INVALID)
        url = values.get("url")
        if url is not None and not url.startswith(f"https://t.me/{self.state.bot.username}?"):
            raise bad_request("URL_INVALID")
        query.answered = True
        query.answer = {
            "text": text,
            "show_alert": values.get("show_alert", False),
            "url": url,
            "cache_time": values.get("cache_time", 0),
        }
        self.state.messages_changed.notify()
        return True

    def send_chat_action(self, values: dict[str, Any]) -> bool:
        if values.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        _reject_unsupported(values)
        self._writable_chat(values.get("chat_id"))
        return True

    def get_chat_member(self, values: dict[str, Any]) -> dict[str, Any]:
        chat = self.state.resolve_chat(values.get("chat_id"))
        user_id = values.get("user_id", 0)
        if user_id <= 0:
            raise bad_request("invalid user_id specified")
        user = self.state.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        return chat_member(self.state.member_status(chat, user_id), user.to_api())

    def get_chat(self, values: dict[str, Any]) -> dict[str, Any]:
        return self.state.resolve_chat(values.get("chat_id")).full_info()

    # -- shared checks --------------------------------------------------------------------------

    def _check_not_migrated(self, chat: FakeChat) -> None:
        new_id = self.state.migrated.get(chat.id)
        if new_id is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=new_id,
                violation=False,
            )

    def _writable_chat(self, chat_id: Any) -> FakeChat:
        chat = self.state.resolve_chat(chat_id)
        self._check_not_migrated(chat)
        if chat.type == PRIVATE:
            if chat.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user", violation=False)
            if not chat.started:
                raise ApiError(
                    403, "Forbidden: bot can't initiate conversation with a user", violation=False
                )
            return chat
        status = self.state.member_status(chat, self.state.bot.id)
        if status == "kicked":
            raise ApiError(
                403, f"Forbidden: bot was kicked from the {chat.type} chat", violation=False
            )
        if status == "left":
            raise ApiError(
                403, f"Forbidden: bot is not a member of the {chat.type} chat", violation=False
            )
        return chat

    def _editable(self, values: dict[str, Any]) -> FakeMessage:
        _reject_unsupported(values)
        message_id = values.get("message_id") or 0
        if values.get("chat_id") is None:
            raise bad_request(
                "chat_id is empty" if message_id > 0 else "message identifier is not specified"
            )
        chat = self.state.resolve_chat(values["chat_id"])
        self._check_not_migrated(chat)
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user", violation=False)
        message = self.state.message(chat, message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _reply_target(self, chat: FakeChat, values: dict[str, Any]) -> FakeMessage | None:
        reply = values.get("reply_parameters")
        if reply is not None:
            if "message_id" not in reply:
                raise bad_request('can\'t find field "message_id"')
            target_id, allow = reply["message_id"], reply.get("allow_sending_without_reply")
        elif "reply_to_message_id" in values:
            target_id = values["reply_to_message_id"]
            allow = values.get("allow_sending_without_reply")
        else:
            return None
        target = self.state.message(chat, target_id)
        if target is None and not allow:
            raise bad_request("message to be replied not found")
        return target

    def _throttle(self, chat: FakeChat) -> None:
        floods = self.state.floods.get(chat.id)
        if floods:  # an injected per-chat flood (FakeBotApi.flood_chat)
            flood = floods.popleft()
            raise ApiError(
                429,
                f"Too Many Requests: retry after {flood}",
                retry_after=flood,
                violation=False,
            )
        retry_after = self.limiter.acquire(chat.id, chat.is_group)
        if retry_after is not None:
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                retry_after=retry_after,
                violation=False,
            )


def _reject_unsupported(values: dict[str, Any]) -> None:
    for name, description in _UNSUPPORTED_SEND.items():
        if values.get(name):
            raise bad_request(description)
