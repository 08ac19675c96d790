"""Tests of the fake's text rules: Telegram's HTML parse mode (TDLib's own vectors), UTF-16
lengths, empty texts, explicit entities."""

from __future__ import annotations

import pytest
from aiogram import Bot

from bot.devtools.bot_api import FakeBotApi
from bot.devtools.bot_api_text import parse_html
from tests.fakes.aiogram_client import make_bot, refused


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("Balance: <br> 5", 'Unsupported start tag "br" at byte offset 9'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("R&D", 'Unsupported HTML entity "&D" at byte offset 1'),
        ("&nbsp;x", 'Unsupported HTML entity "&nbsp;" at byte offset 0'),
        ("&lt b", 'HTML entity "&lt" at byte offset 0 must end with ";"'),
        ("<a>x</a>", 'Tag "a" must have a non-empty attribute "href" at byte offset 0'),
        (
            '<a href="https://x.org/?a=1&b=2">x</a>',
            'Unsupported HTML entity "&b" at byte offset 27',
        ),
        ("Ёж <b", "Unclosed start tag at byte offset 5"),  # Ё and ж take 2 bytes each
    ],
)
async def test_invalid_html_is_refused_like_telegram(
    bot: Bot, bot_api: FakeBotApi, chat_id: int, html: str, error: str
) -> None:
    expected = f"Bad Request: can't parse entities: {error}"
    assert await refused(bot.send_message(chat_id, html)) == expected
    assert [v.description for v in bot_api.violations] == [expected]
    assert bot_api.bot_messages(chat_id) == []


@pytest.mark.parametrize("text", ["a & b", "5 &", "&&", "x &1", "<b>a</b> & b"])
async def test_lone_ampersand_is_accepted_as_telegram_does(
    bot: Bot, chat_id: int, text: str
) -> None:
    sent = await bot.send_message(chat_id, text)
    assert "&" in (sent.text or "")


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [  # vectors of TDLib's own tests (td/test/message_entities.cpp)
        ("➡️ ➡️<i>➡️ ➡️</i>", "➡️ ➡️➡️ ➡️", [("italic", 5, 5)]),
        ("🏟 🏟&lt;<i    aba  =  190azAz-.   >a</i>", "🏟 🏟<a", [("italic", 6, 1)]),
        ("🏟 🏟&lt;<i>🏟 🏟&lt;</>", "🏟 🏟<🏟 🏟<", [("italic", 6, 6)]),
        (
            "<i><b> </b> <code> </code></i>",
            "   ",
            [("italic", 0, 3), ("bold", 0, 1), ("code", 2, 1)],
        ),
        ('<pre><code class="language-fift">a</code></pre>', "a", [("pre", 0, 1)]),
        ('<pre><code class="language-">a</code></pre>', "a", [("pre", 0, 1), ("code", 0, 1)]),
        ("<blockquote expandable=false>a</blockquote>", "a", [("expandable_blockquote", 0, 1)]),
        ("🏟 🏟&lt;<b></b>", "🏟 🏟<", []),
    ],
)
def test_html_parser_matches_tdlib(html: str, text: str, entities: list[tuple]) -> None:
    parsed = parse_html(html)
    assert parsed.text == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed.entities] == entities


@pytest.mark.parametrize(
    ("html", "error"),
    [  # TDLib's error vectors, byte offsets of UTF-8 text included
        ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
        ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
        ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
        (
            "&#57311;",
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units",
        ),
    ],
)
def test_html_parser_errors_match_tdlib(html: str, error: str) -> None:
    with pytest.raises(ValueError, match=r"^can't parse entities: ") as raised:
        parse_html(html)
    assert str(raised.value) == f"can't parse entities: {error}"


async def test_length_is_counted_in_utf16_units_after_parsing(bot: Bot, chat_id: int) -> None:
    await bot.send_message(chat_id, "x" * 4096)
    await bot.send_message(chat_id, "💰" * 2048)  # 2 UTF-16 units each
    await bot.send_message(chat_id, "<b>" + "ы" * 4096 + "</b>")  # tags do not count
    await bot.send_message(chat_id, "&lt;" * 4096)  # entities count as one character
    assert await refused(bot.send_message(chat_id, "💰" * 2048 + "x")) == (
        "Bad Request: message is too long"
    )
    assert (
        await refused(bot.send_message(chat_id, "x" * 4097)) == "Bad Request: message is too long"
    )


async def test_empty_text_is_refused(bot: Bot, bot_api: FakeBotApi, chat_id: int) -> None:
    assert await refused(bot.send_message(chat_id, "")) == "Bad Request: message text is empty"
    assert await refused(bot.send_message(chat_id, " \n ")) == "Bad Request: text must be non-empty"
    assert await refused(bot.send_message(chat_id, "<b> </b>")) == (
        "Bad Request: text must be non-empty"
    )
    assert len(bot_api.violations) == 3


async def test_markdown_is_refused_with_a_clear_message(bot: Bot, chat_id: int) -> None:
    message = await refused(bot.send_message(chat_id, "*x*", parse_mode="MarkdownV2"))
    assert "use parse_mode=HTML" in message
    assert await refused(bot.send_message(chat_id, "x", parse_mode="Foo")) == (
        "Bad Request: unsupported parse_mode"
    )


async def test_plain_text_and_explicit_entities(bot_api: FakeBotApi, chat_id: int) -> None:
    plain = make_bot(bot_api)  # no default parse_mode: the text is sent as is
    try:
        sent = await plain.send_message(chat_id, "<b>not bold</b> & more")
        assert sent.text == "<b>not bold</b> & more" and not sent.entities
        assert await refused(
            plain.send_message(
                chat_id, "hello", entities=[{"type": "bold", "offset": 0, "length": 9}]
            )
        ) == (
            "Bad Request: entity beginning at UTF-16 offset 0 ends after the end of the text at "
            "UTF-16 offset 9"
        )
    finally:
        await plain.session.close()
    assert bot_api.plain_text("<b>a</b> &amp; b") == "a & b"
