"""Server-sent events of the playground: what the chat page shows, pushed as it happens.

One ``snapshot`` event on connect (every message of the playground's chats, the command menu,
the recent violations), then ``message`` (new, edited or deleted: the message carries
``deleted``), ``answer`` (a callback query was answered: toast or alert), ``violation`` (the
server refused a request of the bot) and ``commands`` (setMyCommands) as they happen. A comment
line every 15 s keeps proxies from closing the stream. EventSource reconnects by itself and then
gets a fresh snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.devtools.bot_api_models import FakeMessage, Violation

if TYPE_CHECKING:
    from bot.devtools.playground.server import PlaygroundBotApi

KEEPALIVE_SECONDS = 15.0
SNAPSHOT_MESSAGES = 200  # per chat


def message_json(message: FakeMessage) -> dict[str, Any]:
    data = message.to_api(with_reply=False)
    data.update(
        chat_id=message.chat.id,
        from_bot=message.from_bot,
        deleted=message.deleted,
        revision=message.revision,
    )
    source = message.params.get("photo") if message.media else None
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        data["media_url"] = source  # a photo sent by URL: the page shows it
    return data


def violation_json(violation: Violation) -> dict[str, Any]:
    params = json.dumps(violation.params, ensure_ascii=False, default=str)
    return {
        "method": violation.method,
        "status": violation.status,
        "description": violation.description,
        "params": params[:500],
    }


class EventStream:
    def __init__(self, server: PlaygroundBotApi) -> None:
        self.server = server
        self._closing = asyncio.Event()

    def close(self) -> None:
        self._closing.set()
        self.server.state.messages_changed.notify()

    def _chats(self) -> list[int]:
        return [self.server.private.id, self.server.group.id]

    def _commands(self) -> dict[str, list[dict[str, Any]]]:
        commands = self.server.state.commands
        return {
            "en": commands.get(("default", "en")) or commands.get(("default", ""), []),
            "ru": commands.get(("default", "ru"), []),
        }

    def _answered(self) -> set[str]:
        return {q.id for q in self.server.state.callbacks.values() if q.answered}

    def _snapshot(self) -> dict[str, Any]:
        state = self.server.state
        messages = [
            message_json(m)
            for chat_id in self._chats()
            for m in list(state.messages.get(chat_id, {}).values())[-SNAPSHOT_MESSAGES:]
            if not m.deleted
        ]
        return {
            "messages": messages,
            "commands": self._commands(),
            "violations": [violation_json(v) for v in self.server.violations[-50:]],
            "bot": state.bot.to_api(),
            "chats": {"private": self.server.private.id, "group": self.server.group.id},
            "me": {
                "private": self.server.visitor.id,
                "admin": self.server.visitor.id,
                "member": self.server.member.id,
            },
            "sandbox": self.server.sandbox_url is not None,
        }

    async def handle(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"}
        )
        await response.prepare(request)
        state = self.server.state
        revision = state.revision
        answered = self._answered()
        violations = self.server.violation_seq
        commands = self._commands()
        try:
            await _send(response, "snapshot", self._snapshot())
            while not self._closing.is_set():
                await state.messages_changed.wait(KEEPALIVE_SECONDS)
                if self._closing.is_set():
                    break
                changed = [
                    m
                    for chat_id in self._chats()
                    for m in state.messages.get(chat_id, {}).values()
                    if m.revision > revision
                ]
                for message in sorted(changed, key=lambda m: m.revision):
                    await _send(response, "message", message_json(message))
                revision = max([revision, *(m.revision for m in changed)])
                for query_id in self._answered() - answered:
                    query = state.callbacks[query_id]
                    await _send(response, "answer", {"query_id": query_id, **(query.answer or {})})
                    answered.add(query_id)
                fresh = self.server.violation_seq - violations
                if fresh:
                    for violation in self.server.violations[-fresh:]:
                        await _send(response, "violation", violation_json(violation))
                    violations = self.server.violation_seq
                if self._commands() != commands:
                    commands = self._commands()
                    await _send(response, "commands", commands)
                if not changed:
                    await response.write(b": keepalive\n\n")
        except ConnectionResetError:  # the page was closed
            return response
        with contextlib.suppress(ConnectionResetError, RuntimeError):
            await response.write_eof()
        return response


async def _send(response: web.StreamResponse, event: str, data: Any) -> None:
    payload = json.dumps(data, ensure_ascii=False)
    await response.write(f"event: {event}\ndata: {payload}\n\n".encode())
