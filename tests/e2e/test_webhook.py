"""Webhook mode (issue 15) of the real `python -m bot`: it registers the webhook with its secret,
the fake Bot API POSTs the updates there, and a request without the secret header is refused
with 401 and handled by nothing."""

from __future__ import annotations

import httpx

from bot.devtools.bot_api import FakeBotApi
from tests.e2e.test_startup_e2e import free_port
from tests.fakes.fixtures import MakeBot

SECRET = "wh-Secret_0123456789abcdef"


def webhook_settings(port: int) -> dict[str, str]:
    return {
        "webhook_url": f"http://127.0.0.1:{port}/tg/hook",
        "webhook_secret": SECRET,
        "webhook_host": "127.0.0.1",
        "webhook_port": str(port),
    }


async def test_updates_arrive_by_webhook_and_a_request_without_the_secret_is_refused(
    bot_api: FakeBotApi, make_bot: MakeBot
) -> None:
    port, metrics = free_port(), free_port()
    bot = make_bot(
        throttle_seconds="0",
        metrics_host="127.0.0.1",
        metrics_port=str(metrics),
        **webhook_settings(port),
    )
    await bot.start()
    await bot.wait_for_output("Webhook registered", timeout=30)
    assert bot_api.state.webhook_url == f"http://127.0.0.1:{port}/tg/hook"
    assert bot_api.state.webhook_secret == SECRET
    assert "message" in (bot_api.state.allowed_updates or ())
    ann = bot_api.user(1001, "Ann")
    chat = bot_api.private_chat(ann)
    await bot_api.send_text(chat, ann, "/start")
    await bot_api.wait_for_text(chat.id, "/link", timeout=15)
    assert any(d.status == 200 for d in bot_api.webhook.deliveries)

    answered = len(bot_api.bot_messages(chat.id))
    forged = {
        "update_id": 1,
        "message": {
            "message_id": 99,
            "date": 1_700_000_000,
            "chat": {"id": chat.id, "type": "private", "first_name": "Ann"},
            "from": {"id": ann.id, "is_bot": False, "first_name": "Ann"},
            "text": "/start",
        },
    }
    url = f"http://127.0.0.1:{port}/tg/hook"
    async with httpx.AsyncClient(trust_env=False) as client:
        missing = await client.post(url, json=forged)
        wrong = await client.post(
            url, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
        )
    assert (missing.status_code, wrong.status_code) == (401, 401)
    mark = bot_api.revision
    await bot_api.send_text(chat, ann, "/start")  # a real update after the forged ones
    await bot_api.wait_for_text(chat.id, "/link", since=mark, timeout=15)
    # the forged /start was handled by nothing: only the two real ones were answered
    assert len(bot_api.bot_messages(chat.id)) == 2 * answered

    async with httpx.AsyncClient(trust_env=False) as client:  # issue 15: health and metrics
        health = await client.get(f"http://127.0.0.1:{metrics}/healthz")
        scraped = (await client.get(f"http://127.0.0.1:{metrics}/metrics")).text
    assert health.status_code == 200, health.text
    assert health.json()["database"] == "ok" and health.json()["sender"] is True
    assert "bot_sender_role 1.0" in scraped and "bot_outbox_backlog 0.0" in scraped
    assert "bot_messages_sent_total" in scraped and "bot_telegram_429_total 0.0" in scraped

    assert await bot.terminate() == 0
    assert SECRET not in bot.output()
    assert bot_api.violations == []
