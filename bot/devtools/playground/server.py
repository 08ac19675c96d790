"""The local Bot API server with a chat page: FakeBotApi (strict, every request validated) that
accepts any well-formed token, plus the playground's web side on the same port:

    GET  /                          the chat page (static/index.html, app.js, style.css)
    GET  /_playground/events        server-sent events: a snapshot, then every new, edited or
                                    deleted message, callback answers, violations, the menu
    POST /_playground/send          {"mode", "text"}: the visitor writes in the chat
    POST /_playground/press         {"mode", "message_id", "data"}: presses an inline button
    *    /_playground/sandbox/{path} proxied to the sandbox's /_control/{path} (same origin)

``mode`` is the chat the visitor is in: "private", "admin" (a group where they are an
administrator) or "member" (the same group, as an ordinary member). Admin and member are two
users (ids 1001 and 1002), as the bot caches a user's rights in a group for a while.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.devtools.bot_api import FakeBotApi
from bot.devtools.bot_api_models import SUPERGROUP, FakeChat, FakeUser
from bot.devtools.bot_api_validation import ApiError
from bot.devtools.playground.events import EventStream

STATIC = Path(__file__).with_name("static")
TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
VISITOR_ID = 1001
MEMBER_ID = 1002
GROUP_ID = -1001234567890
MODES = ("private", "admin", "member")
MAX_TEXT = 4096
FAVICON = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    b'<circle cx="8" cy="8" r="8" fill="#5fa9e6"/></svg>'
)


class PlaygroundBotApi(FakeBotApi):
    """The strict local Bot API for any well-formed token, with the chat page beside it."""

    def __init__(
        self, *, host: str = "127.0.0.1", port: int = 0, sandbox_url: str | None = None
    ) -> None:
        super().__init__(host=host, port=port, bot_username="playground_bot", bot_name="Bot")
        self.sandbox_url = sandbox_url.rstrip("/") if sandbox_url else None
        self.visitor: FakeUser = self.user(VISITOR_ID, "You", "en", username="visitor")
        self.private: FakeChat = self.private_chat(self.visitor, started=False)
        self.member: FakeUser = self.user(MEMBER_ID, "You (member)", "en", username="member")
        self.group: FakeChat = self.group_chat(GROUP_ID, "Playground group", type=SUPERGROUP)
        self.set_member_status(GROUP_ID, VISITOR_ID, "administrator")
        self.set_member_status(GROUP_ID, MEMBER_ID, "member")
        self.polling = asyncio.Event()  # the bot called getUpdates
        self.violation_seq = 0  # violations ever recorded (the list itself is capped)
        self.events = EventStream(self)
        self._http: aiohttp.ClientSession | None = None

    # -- the Bot API side ---------------------------------------------------------------------

    def accepts_token(self, token: str) -> bool:
        """Any well-formed token; the bot's id follows the token, as with real Telegram."""
        if not TOKEN_RE.match(token):
            return False
        bot_id = int(token.split(":", 1)[0])
        if bot_id != self.state.bot.id:
            self.state.users.pop(self.state.bot.id, None)
            self.state.bot.id = bot_id
            self.state.users[bot_id] = self.state.bot
        self.token = token
        return True

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["method"].lower() == "getupdates":
            self.polling.set()
        return await super()._handle(request)

    def _error(self, method: str, error: ApiError, params: dict[str, Any]) -> web.Response:
        response = super()._error(method, error, params)
        if error.violation:
            self.violation_seq += 1
            self.state.messages_changed.notify()
        return response

    # -- the web side -------------------------------------------------------------------------

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/", self._index)
        app.router.add_get("/favicon.ico", self._favicon)
        app.router.add_static("/static/", STATIC, append_version=False)
        app.router.add_get("/_playground/events", self.events.handle)
        app.router.add_post("/_playground/send", self._send)
        app.router.add_post("/_playground/press", self._press)
        app.router.add_route("*", "/_playground/sandbox/{path:.*}", self._sandbox)
        app.on_shutdown.append(self._close_http)

    async def stop(self) -> None:
        self.events.close()
        await super().stop()

    def chat_for(self, mode: str) -> tuple[FakeChat, FakeUser]:
        """The chat and the user the visitor acts as."""
        if mode not in MODES:
            raise web.HTTPBadRequest(text=f"mode must be one of {MODES}")
        if mode == "private":
            return self.private, self.visitor
        return self.group, self.visitor if mode == "admin" else self.member

    async def _index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def _favicon(self, request: web.Request) -> web.Response:
        return web.Response(body=FAVICON, content_type="image/svg+xml")

    async def _send(self, request: web.Request) -> web.Response:
        body = await _json(request)
        text = str(body.get("text", "")).strip()
        if not text or len(text) > MAX_TEXT:
            raise web.HTTPBadRequest(text=f"text must be 1..{MAX_TEXT} characters")
        chat, user = self.chat_for(str(body.get("mode")))
        message = await self.send_text(chat, user, text)
        return web.json_response({"message_id": message.message_id})

    async def _press(self, request: web.Request) -> web.Response:
        body = await _json(request)
        chat, user = self.chat_for(str(body.get("mode")))
        try:
            query_id = await self.press(
                chat, user, int(body.get("message_id", 0)), str(body.get("data", ""))
            )
        except AssertionError:  # the button is gone (the message was edited or deleted)
            raise web.HTTPConflict(text="this button is no longer there") from None
        return web.json_response({"query_id": query_id})

    async def _sandbox(self, request: web.Request) -> web.Response:
        if self.sandbox_url is None:
            raise web.HTTPNotFound(text="no sandbox configured")
        if self._http is None:
            timeout = aiohttp.ClientTimeout(total=10)
            self._http = aiohttp.ClientSession(timeout=timeout, trust_env=False)
        url = f"{self.sandbox_url}/_control/{request.match_info['path']}"
        data = await request.read() if request.can_read_body else None
        headers = {"Content-Type": "application/json"} if data else {}
        try:
            async with self._http.request(request.method, url, data=data, headers=headers) as r:
                payload = await r.read()
                kind = r.headers.get("Content-Type", "application/json").split(";")[0]
                return web.Response(body=payload, status=r.status, content_type=kind)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise web.HTTPBadGateway(text=f"the sandbox did not answer: {exc}") from None

    async def _close_http(self, _: web.Application) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="a JSON object is expected") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="a JSON object is expected")
    return body
