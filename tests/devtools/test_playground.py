"""The playground server: any well-formed token, the page's endpoints and its event stream."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile
from aiohttp.test_utils import TestServer

from bot.devtools.playground import PlaygroundBotApi
from bot.sandbox import SandboxState, create_app, seed_demo
from tests.fakes.aiogram_client import FastCloseSession


@pytest.fixture
async def server() -> AsyncIterator[PlaygroundBotApi]:
    sandbox = TestServer(create_app(_seeded()))
    await sandbox.start_server()
    playground = PlaygroundBotApi(sandbox_url=str(sandbox.make_url("")))
    await playground.start()
    yield playground
    await playground.stop()
    await sandbox.close()


def _seeded() -> SandboxState:
    state = SandboxState()
    seed_demo(state)
    return state


def bot_for(server: PlaygroundBotApi, token: str) -> Bot:
    return Bot(token, session=FastCloseSession(api=TelegramAPIServer.from_base(server.base_url)))


class Events:
    """Reads the server-sent events of /_playground/events."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response

    async def next(self) -> tuple[str, Any]:
        event, data = "", ""
        async for raw in self.response.content:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif not line and event:
                return event, json.loads(data)
        raise AssertionError("the event stream ended")

    async def until(self, kind: str) -> Any:
        for _ in range(50):
            event, data = await self.next()
            if event == kind:
                return data
        raise AssertionError(f"no {kind} event")


async def test_any_well_formed_token_is_accepted_and_names_the_bot(
    server: PlaygroundBotApi,
) -> None:
    bot = bot_for(server, "555:any-token-at-all")
    try:
        me = await bot.get_me()
        assert me.id == 555 and me.is_bot
    finally:
        await bot.session.close()
    async with aiohttp.ClientSession(server.base_url) as client:
        for token in ("555:bad.token!", "abc:def", "555:"):
            refused = await client.get(f"/bot{token}/getMe")
            assert refused.status == 401, token


async def test_the_page_sends_presses_and_streams_events(server: PlaygroundBotApi) -> None:
    bot = bot_for(server, "777:token")
    async with aiohttp.ClientSession(server.base_url) as client:
        page = await client.get("/")
        assert page.status == 200 and "Sandbox exchanger" in await page.text()
        assert (await client.get("/static/app.js")).status == 200
        assert (await client.get("/favicon.ico")).status == 200
        stream = await client.get("/_playground/events")
        events = Events(stream)
        snapshot = await events.until("snapshot")
        assert snapshot["messages"] == [] and snapshot["sandbox"] is True

        sent = await client.post("/_playground/send", json={"mode": "private", "text": "/start"})
        assert sent.status == 200
        mine = await events.until("message")
        assert mine["text"] == "/start" and not mine["from_bot"]

        reply = await bot.send_message(
            server.private.id,
            "<b>hi</b> &lt;there&gt;",
            parse_mode="HTML",
            reply_markup={"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]},
        )
        shown = await events.until("message")
        assert shown["text"] == "hi <there>" and shown["entities"][0]["type"] == "bold"
        body = {"mode": "private", "message_id": reply.message_id, "data": "go"}
        pressed = await (await client.post("/_playground/press", json=body)).json()
        await bot.answer_callback_query(pressed["query_id"], text="Done", show_alert=True)
        answer = await events.until("answer")
        assert answer["text"] == "Done" and answer["show_alert"] is True

        await bot.delete_message(server.private.id, reply.message_id)
        gone = await events.until("message")
        assert gone["message_id"] == reply.message_id and gone["deleted"] is True

        with pytest.raises(TelegramBadRequest):
            await bot.send_message(server.private.id, "<b>broken", parse_mode="HTML")
        violation = await events.until("violation")
        assert violation["method"] == "sendMessage" and violation["status"] == 400
        stream.close()
    await bot.session.close()


async def test_group_modes_act_as_an_admin_and_as_a_member(server: PlaygroundBotApi) -> None:
    async with aiohttp.ClientSession(server.base_url) as client:
        for mode in ("admin", "member"):
            sent = await client.post("/_playground/send", json={"mode": mode, "text": "hello"})
            assert sent.status == 200
        assert (
            await client.post("/_playground/send", json={"mode": "x", "text": "a"})
        ).status == 400
        stale = {"mode": "private", "message_id": 99, "data": "x"}
        assert (await client.post("/_playground/press", json=stale)).status == 409
    senders = [m.sender.id for m in server.messages(server.group.id)]
    statuses = [server.state.member_status(server.group, user) for user in senders]
    assert statuses == ["administrator", "member"]


async def test_the_sandbox_pane_reaches_the_control_api(server: PlaygroundBotApi) -> None:
    async with aiohttp.ClientSession(server.base_url) as client:
        ping = await client.get("/_playground/sandbox/ping")
        assert await ping.json() == {"ok": True}
        made = await client.post("/_playground/sandbox/faults", json={"mode": "http_500"})
        assert made.status == 200 and (await made.json())["faults"][0]["mode"] == "http_500"
        missing = await client.get("/_playground/sandbox/partners/nobody")
        assert missing.status == 404


async def test_photos_and_documents_reach_the_page(server: PlaygroundBotApi) -> None:
    bot = bot_for(server, "777:token")
    url = "https://example.org/chart.png"
    async with aiohttp.ClientSession(server.base_url) as client:
        stream = await client.get("/_playground/events")
        events = Events(stream)
        await events.until("snapshot")
        await client.post("/_playground/send", json={"mode": "private", "text": "hi"})
        await events.until("message")
        await bot.send_photo(server.private.id, url, caption="<i>chart</i>", parse_mode="HTML")
        photo = await events.until("message")
        assert photo["photo"] and photo["media_url"] == url and photo["caption"] == "chart"
        upload = BufferedInputFile(b"%PDF-1.4", filename="statement.pdf")
        await bot.send_document(server.private.id, upload)
        document = await events.until("message")
        assert document["document"]["file_id"] and "media_url" not in document
        stream.close()
    await bot.session.close()
