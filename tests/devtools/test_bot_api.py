"""Tests of the fake Bot API driven by a real aiogram Bot (so aiogram and the fake agree) and
by raw HTTP requests: sending, parameters, keyboards."""

from __future__ import annotations

import httpx
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)

from bot.devtools.bot_api import FakeBotApi
from tests.fakes.aiogram_client import keyboard, make_bot, raw_post, refused


async def test_get_me_answers_the_bot_of_the_token(bot: Bot, bot_api: FakeBotApi) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (bot.id, True, bot_api.bot.username)


async def test_send_message_with_valid_html_passes(
    bot: Bot, bot_api: FakeBotApi, chat_id: int
) -> None:
    markup = keyboard(
        InlineKeyboardButton(text="Балансы", callback_data="bal"),
        InlineKeyboardButton(text="Site", url="https://example.com/?a=1&b=2"),
    )
    html = (
        '<b>Bold</b> <i>it</i> <a href="https://x.org/?a=1&amp;b=2">link</a> '
        "<tg-spoiler>s</tg-spoiler> <code>c</code> &lt;&gt;&amp;&quot;&#39;&#x41; 💰\n"
        '<pre><code class="language-python">x = 1</code></pre>'
        "<blockquote expandable>q</blockquote>"
    )
    sent = await bot.send_message(chat_id, html, reply_markup=markup)
    assert sent.text == "Bold it link s c <>&\"'A 💰\nx = 1q"
    assert sent.from_user is not None and sent.from_user.id == bot.id
    assert [(e.type, e.offset, e.length) for e in sent.entities or []] == [
        ("bold", 0, 4),
        ("italic", 5, 2),
        ("text_link", 8, 4),
        ("spoiler", 13, 1),
        ("code", 15, 1),
        ("pre", 27, 5),
        ("expandable_blockquote", 32, 1),
    ]
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump() == markup.model_dump()
    stored = bot_api.last_bot_message(chat_id)
    assert stored is not None and stored.html == html and stored.text == sent.text
    assert stored.callback_data("Балансы") == "bal"
    assert bot_api.requests[-1].params["reply_markup"]["inline_keyboard"][0][0]["text"] == "Балансы"
    assert bot_api.violations == []


async def test_reply_parameters(bot: Bot, chat_id: int) -> None:
    first = await bot.send_message(chat_id, "first")
    reply = await bot.send_message(
        chat_id, "second", reply_parameters=ReplyParameters(message_id=first.message_id)
    )
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.message_id == first.message_id
    missing = ReplyParameters(message_id=999)
    assert await refused(bot.send_message(chat_id, "x", reply_parameters=missing)) == (
        "Bad Request: message to be replied not found"
    )
    lenient = ReplyParameters(message_id=999, allow_sending_without_reply=True)
    assert (await bot.send_message(chat_id, "x", reply_parameters=lenient)).reply_to_message is None


async def test_aiogram_link_preview_defaults_pass(bot_api: FakeBotApi, chat_id: int) -> None:
    """DefaultBotProperties(link_preview_is_disabled=True) makes aiogram send both
    link_preview_options and the legacy disable_web_page_preview; Telegram accepts both."""
    quiet = make_bot(bot_api, parse_mode="HTML", link_preview_is_disabled=True)
    try:
        await quiet.send_message(chat_id, "https://example.com")
    finally:
        await quiet.session.close()
    params = bot_api.requests[-1].params
    assert params["link_preview_options"] == {"is_disabled": True}
    assert params["disable_web_page_preview"] == "true"
    assert bot_api.violations == []


async def test_unknown_parameter_is_refused(bot_api: FakeBotApi, chat_id: int) -> None:
    response = await raw_post(
        bot_api, "sendMessage", data={"chat_id": chat_id, "text": "x", "foo": 1}
    )
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: unknown parameter foo",
    }
    assert bot_api.violations[0].params["foo"] == "1"


async def test_bad_token_and_unknown_method(bot_api: FakeBotApi) -> None:
    async with httpx.AsyncClient(trust_env=False) as client:
        unauthorized = await client.post(f"{bot_api.base_url}/bot1:wrong/getMe")
        unknown = await client.post(f"{bot_api.base_url}/bot{bot_api.token}/getStarBalance")
        other = await client.get(f"{bot_api.base_url}/favicon.ico")
    assert (unauthorized.status_code, unauthorized.json()) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert (unknown.status_code, unknown.json()["description"]) == (404, "Not Found")
    assert other.status_code == 404
    assert [v.status for v in bot_api.violations] == [401, 404, 404]


async def test_json_body_query_string_and_case_insensitive_names(
    bot_api: FakeBotApi, chat_id: int
) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    by_json = await raw_post(
        bot_api, "sendmessage", json={"chat_id": chat_id, "text": "j", "reply_markup": markup}
    )
    async with httpx.AsyncClient(trust_env=False) as client:
        by_query = await client.get(
            f"{bot_api.base_url}/bot{bot_api.token}/sendMessage",
            params={"chat_id": chat_id, "text": "<b>q</b>", "parse_mode": "HTML"},
        )
    assert by_json.json()["result"]["reply_markup"] == markup
    assert by_query.json()["result"]["entities"] == [{"offset": 0, "length": 1, "type": "bold"}]
    bad_json = await raw_post(
        bot_api, "sendMessage", data={"chat_id": chat_id, "text": "x", "reply_markup": "{"}
    )
    assert bad_json.json()["description"] == (
        "Bad Request: can't parse reply keyboard markup JSON object"
    )


async def test_callback_data_is_limited_to_64_bytes(bot: Bot, chat_id: int) -> None:
    await bot.send_message(
        chat_id, "ok", reply_markup=keyboard(InlineKeyboardButton(text="a", callback_data="x" * 64))
    )
    await bot.send_message(
        chat_id, "ok", reply_markup=keyboard(InlineKeyboardButton(text="a", callback_data="ж" * 32))
    )
    for data in ("x" * 65, "ж" * 33):  # 33 characters, but 66 bytes
        markup = keyboard(InlineKeyboardButton(text="a", callback_data=data))
        assert await refused(bot.send_message(chat_id, "no", reply_markup=markup)) == (
            "Bad Request: BUTTON_DATA_INVALID"
        )


BUTTON = "can't parse inline keyboard button: "
NO_ACTION = BUTTON + "Text buttons are unallowed in the inline keyboard"
URL = "inline keyboard button URL "


@pytest.mark.parametrize(
    ("buttons", "error"),
    [
        ([{"text": "a"}], NO_ACTION),
        ([{"text": "a", "callback_data": ""}], NO_ACTION),
        ([{"callback_data": "a"}], BUTTON + 'Can\'t find field "text"'),
        (
            [{"text": "a", "callback_data": "a", "url": "https://x.org"}],
            BUTTON + "exactly one action field must be used, found url, callback_data",
        ),
        (
            [{"text": "a", "url": "ftp://x.org"}],
            URL + "'ftp://x.org' is invalid: Unsupported URL protocol",
        ),
        ([{"text": "a", "url": "example.com"}], URL + "'example.com' is invalid: Wrong HTTP URL"),
        (
            [{"text": "a", "url": "http://localhost/x"}],
            URL + "'http://localhost/x' is invalid: Wrong HTTP URL",
        ),
        ([{"text": "a", "callback_data": "a", "colour": "red"}], BUTTON + 'unknown field "colour"'),
        (
            [{"text": "a", "web_app": {"url": "http://x.org"}}],
            "inline keyboard button Web App URL 'http://x.org' is invalid: "
            "Only HTTPS links are allowed",
        ),
        ([{"text": str(i), "callback_data": str(i)} for i in range(9)], "REPLY_MARKUP_TOO_LONG"),
    ],
)
async def test_inline_keyboard_rules(
    bot_api: FakeBotApi, chat_id: int, buttons: list[dict], error: str
) -> None:
    markup = {"inline_keyboard": [buttons]}
    response = await raw_post(
        bot_api, "sendMessage", json={"chat_id": chat_id, "text": "x", "reply_markup": markup}
    )
    assert response.json()["description"] == f"Bad Request: {error}"


async def test_at_most_100_inline_buttons(bot: Bot, chat_id: int) -> None:
    rows = [
        [InlineKeyboardButton(text=f"{r}.{c}", callback_data=f"{r}.{c}") for c in range(5)]
        for r in range(20)
    ]
    await bot.send_message(chat_id, "100", reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))
    rows.append([InlineKeyboardButton(text="one more", callback_data="x")])
    assert await refused(
        bot.send_message(chat_id, "101", reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))
    ) == ("Bad Request: REPLY_MARKUP_TOO_LONG")


async def test_reply_keyboards_are_accepted(bot: Bot, bot_api: FakeBotApi, chat_id: int) -> None:
    reply_keyboard = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="Menu")]], resize_keyboard=True
    )
    sent = await bot.send_message(chat_id, "with keyboard", reply_markup=reply_keyboard)
    assert sent.reply_markup is None  # Telegram returns only inline keyboards
    stored = bot_api.last_bot_message(chat_id)
    assert stored is not None
    assert stored.keyboard == {"keyboard": [[{"text": "Menu"}]], "resize_keyboard": True}
    await bot.send_message(chat_id, "removed", reply_markup=ReplyKeyboardRemove())
    edit = {
        "chat_id": chat_id,
        "message_id": sent.message_id,
        "reply_markup": {"remove_keyboard": True},
    }
    response = await raw_post(bot_api, "editMessageReplyMarkup", json=edit)
    assert response.json()["description"] == "Bad Request: inline keyboard expected"


# -- injected faults -------------------------------------------------------------------------


async def test_fail_next_and_drop_next(bot: Bot, bot_api: FakeBotApi, chat_id: int) -> None:
    bot_api.fail_next("sendMessage", 429, retry_after=7)
    bot_api.fail_next("sendmessage", 500, count=2)
    with pytest.raises(TelegramRetryAfter) as raised:
        await bot.send_message(chat_id, "x")
    assert raised.value.retry_after == 7
    for _ in range(2):
        await refused(bot.send_message(chat_id, "x"), TelegramServerError)
    bot_api.drop_next("sendMessage")
    await refused(bot.send_message(chat_id, "lost request"), TelegramNetworkError)
    bot_api.drop_next("sendMessage", after_processing=True)
    await refused(bot.send_message(chat_id, "lost answer"), TelegramNetworkError)
    assert [m.text for m in bot_api.bot_messages(chat_id)] == ["lost answer"]  # sent anyway
    await bot.send_message(chat_id, "fine")
    assert bot_api.violations == [] and bot_api.count_429 == 1
    with pytest.raises(ValueError, match="does not implement"):
        bot_api.fail_next("sendVideo", 500)


async def test_wait_for_timeout_shows_the_transcript(
    bot: Bot, bot_api: FakeBotApi, chat_id: int
) -> None:
    await bot.send_message(
        chat_id, "Hello", reply_markup=keyboard(InlineKeyboardButton(text="Go", callback_data="go"))
    )
    await refused(bot.send_message(chat_id, "<p>bad</p>"))
    with pytest.raises(AssertionError) as raised:
        await bot_api.wait_for_text(chat_id, "Goodbye", timeout=0.05)
    report = str(raised.value)
    assert "#1 bot: 'Hello'" in report and "Go=go" in report
    assert 'Unsupported start tag "p"' in report


async def test_stop_and_start_again_is_an_outage(
    bot: Bot, bot_api: FakeBotApi, chat_id: int
) -> None:
    base_url = bot_api.base_url
    await bot.send_message(chat_id, "before")
    await bot_api.stop()
    await refused(bot.send_message(chat_id, "during"), TelegramNetworkError)
    await bot_api.start()
    assert bot_api.base_url == base_url
    await bot.send_message(chat_id, "after")
    assert [m.text for m in bot_api.bot_messages(chat_id)] == ["before", "after"]
