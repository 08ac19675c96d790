"""sendPhoto and sendDocument of the local Bot API, through a real aiogram Bot."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BufferedInputFile

from bot.devtools.bot_api import FakeBotApi
from tests.fakes.aiogram_client import refused

PHOTO_URL = "https://example.org/chart.png"


async def test_a_photo_by_url_with_an_html_caption(
    bot: Bot, bot_api: FakeBotApi, chat_id: int
) -> None:
    sent = await bot.send_photo(chat_id, PHOTO_URL, caption="<b>Chart</b> &amp; more")
    assert sent.photo and sent.photo[-1].file_id
    assert sent.caption == "Chart & more" and sent.caption_entities[0].type == "bold"
    again = await bot.send_photo(chat_id, sent.photo[-1].file_id)  # a file_id it issued
    assert again.photo[-1].file_id == sent.photo[-1].file_id and again.caption is None
    stored = bot_api.last_bot_message(chat_id)
    assert stored is not None and stored.media is not None
    assert bot_api.violations == []


async def test_an_uploaded_document(bot: Bot, bot_api: FakeBotApi, chat_id: int) -> None:
    upload = BufferedInputFile(b"a,b\n1,2\n", filename="report.csv")
    sent = await bot.send_document(chat_id, upload, caption="Your report")
    assert sent.document is not None and sent.document.file_name == "report.csv"
    assert sent.document.file_size == 8 and sent.caption == "Your report"
    stored = bot_api.last_bot_message(chat_id)
    assert stored is not None and stored.upload == b"a,b\n1,2\n"
    assert bot_api.violations == []


def _png_header(width: int, height: int) -> bytes:
    return (
        b"\x89PNG\r\n\x1a\n"
        + b"\x00\x00\x00\rIHDR"
        + width.to_bytes(4, "big")
        + (height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00")
    )


async def test_uploaded_photos_within_telegram_limits(
    bot: Bot, bot_api: FakeBotApi, chat_id: int
) -> None:
    fine = await bot.send_photo(chat_id, BufferedInputFile(_png_header(1200, 720), "c.png"))
    assert fine.photo and bot_api.last_bot_message(chat_id).upload.startswith(b"\x89PNG")  # type: ignore[union-attr]
    for data in (_png_header(9000, 1200), _png_header(2100, 100), b"not an image", b""):
        error = await refused(bot.send_photo(chat_id, BufferedInputFile(data, "c.png")))
        assert "PHOTO_INVALID_DIMENSIONS" in error or "IMAGE_PROCESS" in error or "empty" in error
    big = _png_header(1000, 1000) + bytes(10 * 1024 * 1024)
    assert "too big" in await refused(bot.send_photo(chat_id, BufferedInputFile(big, "c.png")))


async def test_media_mistakes_are_refused_like_telegram(bot: Bot, chat_id: int) -> None:
    assert "wrong file identifier" in await refused(bot.send_photo(chat_id, "no-such-file-id"))
    long_caption = "x" * 1025
    assert "caption is too long" in await refused(
        bot.send_photo(chat_id, PHOTO_URL, caption=long_caption)
    )
    assert "can't parse entities" in await refused(
        bot.send_document(chat_id, PHOTO_URL, caption="<b>")
    )
    photo = await bot.send_photo(chat_id, PHOTO_URL, caption="c")
    assert "no text in the message" in await refused(
        bot.edit_message_text("t", chat_id=chat_id, message_id=photo.message_id)
    )
