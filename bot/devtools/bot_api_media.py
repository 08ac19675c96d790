"""sendPhoto and sendDocument of the local Bot API: a file (upload, http(s) URL or a file_id
this server issued) with an optional caption, checked like a message text (1024 characters)."""

from __future__ import annotations

import hashlib
import itertools
from typing import TYPE_CHECKING, Any

from bot.devtools.bot_api_markup import check_reply_markup, inline_keyboard_of
from bot.devtools.bot_api_models import FakeChat, FakeMessage
from bot.devtools.bot_api_validation import bad_request, read_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.devtools.bot_api_state import BotApiState

MAX_CAPTION_UTF16 = 1024
UPLOAD = "<file>"  # what the server's request reader keeps of an uploaded file (an `Upload`)
# Telegram's limits for bots: photos up to 10 MB, width + height at most 10000, a side ratio of
# at most 20; documents up to 50 MB.
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDES = 10_000
MAX_PHOTO_RATIO = 20
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"


class Upload(str):
    """An uploaded file: compares equal to UPLOAD and keeps the bytes and the file name."""

    data: bytes
    filename: str

    @classmethod
    def of(cls, field: Any) -> Upload:
        upload = cls(UPLOAD)
        upload.data = field.file.read()
        upload.filename = str(getattr(field, "filename", "") or "")
        return upload


def check_upload(kind: str, upload: Upload) -> None:
    """Telegram's size limits; a photo must be an image whose sides Telegram accepts (PNG
    sides are read from its header; other formats only by size)."""
    if not upload.data:
        raise bad_request("file must be non-empty")
    if kind == "document":
        if len(upload.data) > MAX_DOCUMENT_BYTES:
            raise bad_request("file is too big")
        return
    if len(upload.data) > MAX_PHOTO_BYTES:
        raise bad_request("PHOTO_INVALID_DIMENSIONS: file is too big")
    if upload.data.startswith(_PNG) and len(upload.data) >= 24:
        width = int.from_bytes(upload.data[16:20], "big")
        height = int.from_bytes(upload.data[20:24], "big")
        if not width or not height or width + height > MAX_PHOTO_SIDES:
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        if max(width, height) / min(width, height) > MAX_PHOTO_RATIO:
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
    elif not upload.data.startswith((b"\xff\xd8", b"GIF8", b"RIFF", b"BM")):
        raise bad_request("IMAGE_PROCESS_FAILED")


_file_numbers = itertools.count(1)


class MediaMethods:
    """Mixed into BotApiMethods, which provides the shared checks used here."""

    state: BotApiState
    issued_files: dict[str, dict[str, Any]]
    # Provided by BotApiMethods:
    _writable_chat: Callable[[Any], FakeChat]
    _reply_target: Callable[[FakeChat, dict[str, Any]], FakeMessage | None]
    _throttle: Callable[[FakeChat], None]

    def send_photo(self, values: dict[str, Any]) -> dict[str, Any]:
        return self._send_media(values, "photo")

    def send_document(self, values: dict[str, Any]) -> dict[str, Any]:
        return self._send_media(values, "document")

    def _send_media(self, values: dict[str, Any], kind: str) -> dict[str, Any]:
        source = values.get(kind)
        if not source:
            raise bad_request(f"there is no {kind} in the request")
        if isinstance(source, Upload):
            check_upload(kind, source)
        caption = _caption(values)
        markup = values.get("reply_markup")
        if markup is not None:
            check_reply_markup(markup)
        chat = self._writable_chat(values.get("chat_id"))
        reply_to = self._reply_target(chat, values)
        self._throttle(chat)
        message = FakeMessage(
            chat=chat,
            message_id=self.state.new_message_id(chat),
            sender=self.state.bot,
            text=caption.text if caption else "",
            entities=caption.entities if caption else [],
            from_bot=True,
            source=values.get("caption"),
            parse_mode=values.get("parse_mode"),
            reply_markup=inline_keyboard_of(markup),
            keyboard=None if markup is None or "inline_keyboard" in markup else markup,
            reply_to=reply_to,
            params=values,
            media={kind: self._file(kind, source)},
            upload=source.data if isinstance(source, Upload) else None,
        )
        return self.state.add_message(message).to_api()

    def _file(self, kind: str, source: Any) -> Any:
        """The PhotoSize list or Document object Telegram returns for ``source``."""
        known = getattr(self, "issued_files", None)
        if known is None:
            known = self.issued_files = {}
        if source in known:
            return known[source]
        if source != UPLOAD and not source.startswith(("http://", "https://")):
            raise bad_request("wrong file identifier/HTTP URL specified")
        number = next(_file_numbers)
        unique = hashlib.sha256(f"{kind}{number}".encode()).hexdigest()[:16]
        file_id = f"{'AgAC' if kind == 'photo' else 'BQAC'}{unique}{number}"
        size = len(source.data) if isinstance(source, Upload) else 1024
        base = {"file_id": file_id, "file_unique_id": unique, "file_size": size}
        if kind == "photo":
            made: Any = [{**base, "width": 800, "height": 600}]
        else:
            name = source.rsplit("/", 1)[-1] if source != UPLOAD else "document"
            if isinstance(source, Upload) and source.filename:
                name = source.filename
            made = {
                **base,
                "file_name": name or "document",
                "mime_type": "application/octet-stream",
            }
        known[file_id] = made
        return made


def _caption(values: dict[str, Any]) -> Any:
    """The formatted caption, or None without one; the same rules as a message text."""
    if values.get("caption") in (None, ""):
        return None
    as_text = {
        "text": values["caption"],
        "parse_mode": values.get("parse_mode"),
        "entities": values.get("caption_entities"),
    }
    formatted = read_text({k: v for k, v in as_text.items() if v is not None})
    if len(formatted.text.encode("utf-16-le")) // 2 > MAX_CAPTION_UTF16:
        raise bad_request("message caption is too long")
    return formatted
