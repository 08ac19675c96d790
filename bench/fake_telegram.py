"""`python -m bench.fake_telegram`: the local Bot API (bot/devtools/bot_api.py) as a process.

Prints one line when ready: `fake telegram: <bot api url> control: <control url> token: <t>`.
The Bot API side is FakeBotApi unchanged, plus a log of every accepted sendMessage (wall
time, chat, text). The control side (another port, JSON):

    POST   /setup {"chats": [ids], "rate_limit": bool}   private chats (user id = chat id);
           rate_limit: Telegram's 30/s overall, 1/s per chat, 20/min per group
    POST   /command {"chat_id", "text", "timeout"}      the user sends `text`; answers when the
           bot's next message to that chat arrives: {"latency": s | null}
    GET    /stats    {"sent": [[t, chat, text]], "status_counts", "count_429", "violations",
           "methods": {name: n}, "polling": bool (the bot called getUpdates)}
    DELETE /stats    forget the logs and counters (chats stay)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from collections import Counter
from typing import Any

from aiohttp import web

from bot.devtools.bot_api import FakeBotApi
from bot.devtools.bot_api_models import FakeChat, FakeUser
from bot.sandbox.serving import until_stop_signal


class RecordingBotApi(FakeBotApi):
    """FakeBotApi that logs each accepted sendMessage and wakes whoever waits for one."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(host=host, port=port)
        self.sent: list[tuple[float, int, str]] = []
        self.methods: Counter[str] = Counter()
        self.arrived = asyncio.Event()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"].lower()
        self.methods[method] += 1
        response = await super()._handle(request)
        if method == "sendmessage" and response.status == 200:
            assert isinstance(response, web.Response) and isinstance(response.body, bytes)
            result = json.loads(response.body)["result"]
            self.sent.append((time.time(), result["chat"]["id"], result.get("text", "")))
            self.arrived.set()
            self.arrived = asyncio.Event()
        return response

    def reset_logs(self) -> None:
        self.sent.clear()
        self.methods.clear()
        self.status_counts.clear()
        self.violations.clear()
        self.errors.clear()


class Control:
    def __init__(self, fake: RecordingBotApi) -> None:
        self.fake = fake
        self.chats: dict[int, tuple[FakeChat, FakeUser]] = {}

    async def setup(self, request: web.Request) -> web.Response:
        body = await request.json()
        for chat_id in body.get("chats", []):
            user = self.fake.user(int(chat_id), f"User{chat_id}", "en")
            self.chats[int(chat_id)] = (self.fake.private_chat(user), user)
        if body.get("rate_limit"):
            self.fake.rate_limit(global_per_sec=30, per_chat_per_sec=1, group_per_min=20)
        else:
            self.fake.rate_limit(None, None, None)
        return web.json_response({"chats": len(self.chats)})

    async def command(self, request: web.Request) -> web.Response:
        body = await request.json()
        chat, user = self.chats[int(body["chat_id"])]
        deadline = time.monotonic() + float(body.get("timeout", 10.0))
        seen = len(self.fake.sent)
        start = time.time()
        await self.fake.send_text(chat, user, str(body["text"]))
        while True:
            for at, chat_id, _ in self.fake.sent[seen:]:
                if chat_id == chat.id:
                    return web.json_response({"latency": at - start})
            seen = len(self.fake.sent)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return web.json_response({"latency": None})
            event = self.fake.arrived
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def stats(self, request: web.Request) -> web.Response:
        if request.method == "DELETE":
            self.fake.reset_logs()
            return web.json_response({"ok": True})
        data: dict[str, Any] = {
            "sent": self.fake.sent,
            "status_counts": {str(k): v for k, v in self.fake.status_counts.items()},
            "count_429": self.fake.count_429,
            "violations": len(self.fake.violations),
            "violation_samples": [str(v) for v in self.fake.violations[:5]],
            "methods": dict(self.fake.methods),
            "polling": self.fake.methods["getupdates"] > 0,
        }
        return web.json_response(data)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_post("/setup", self.setup)
        app.router.add_post("/command", self.command)
        app.router.add_route("GET", "/stats", self.stats)
        app.router.add_route("DELETE", "/stats", self.stats)
        return app


async def serve(host: str, port: int, control_port: int) -> None:
    fake = RecordingBotApi(host, port)
    await fake.start()
    runner = web.AppRunner(Control(fake).app(), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, host, control_port).start()
    control = f"http://{host}:{runner.addresses[0][1]}"
    print(f"fake telegram: {fake.base_url} control: {control} token: {fake.token}", flush=True)
    try:
        await until_stop_signal()
    finally:
        await runner.cleanup()
        await fake.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fake_telegram")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--control-port", type=int, default=0)
    args = parser.parse_args(argv)
    asyncio.run(serve(args.host, args.port, args.control_port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
