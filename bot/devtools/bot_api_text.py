"""Telegram's text rules for the fake Bot API: UTF-16 lengths and the HTML parse mode.

The HTML parser follows TDLib's ``parse_html`` (the code behind the Bot API's ``parse_mode=HTML``)
byte for byte, with its error messages and byte offsets, e.g.
``Unsupported start tag "foo" at byte offset 12``. It is STRICTER than Telegram in three places,
so that our tests catch what a validating emulator may flag:

* an ``&`` followed by a letter or ``#`` must be one of ``&lt; &gt; &amp; &quot; &#NNN; &#xHH;``
  with its ``;`` (Telegram keeps unknown ``&name;`` literally); a lone ``&`` followed by a space,
  a digit, punctuation or the end is accepted, as Telegram does;
* ``<a>`` needs a non-empty ``href`` that is a valid URL (Telegram would take the link from the
  text, or silently drop a bad one);
* nothing else: unknown tags, bad nesting, ``<span>`` without ``class="tg-spoiler"`` are errors in
  Telegram too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.devtools.bot_api_entities import FormattedText, TextError, sort_entities
from bot.devtools.bot_api_urls import url_problem

SURROGATE_ERROR = (
    "Text contains invalid Unicode characters after decoding HTML entities, "
    "check for unmatched surrogate code units"
)
_TAGS = frozenset(
    (
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    )
)
_SIMPLE_TYPES = {
    "i": "italic",
    "em": "italic",
    "b": "bold",
    "strong": "bold",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_ENTITIES = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_SPACES = frozenset(b" \t\r\n\x00\x0b\x0c")  # TDLib's is_space() counts NUL as a space
# TDLib's order for entities that start at the same offset with the same length.


def parse_html(source: str) -> FormattedText:
    """Parses Telegram HTML; raises TextError('can't parse entities: ...') when Telegram would."""
    try:
        return _HtmlParser(source).parse()
    except _ParseError as error:
        raise TextError(f"can't parse entities: {error}") from None


def strip_html(source: str) -> str:
    """The text a user sees for ``source`` sent with ``parse_mode=HTML``."""
    return parse_html(source).text


class _ParseError(Exception):
    pass


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    begin: int


class _HtmlParser:
    """A port of TDLib's parse_html over UTF-8 bytes, NUL-terminated like the C string."""

    def __init__(self, source: str) -> None:
        self.src = source.encode("utf-8", "surrogatepass") + b"\0"
        self.out: list[str] = []
        self.utf16 = 0
        self.entities: list[dict[str, Any]] = []
        self.stack: list[_OpenTag] = []

    def parse(self) -> FormattedText:
        i, end = 0, len(self.src) - 1
        while i < end:
            byte = self.src[i]
            if byte == 0x26:  # &
                i = self._text_entity(i)
            elif byte == 0x3C:  # <
                i = self._end_tag(i) if self.src[i + 1] == 0x2F else self._start_tag(i)
            else:
                i = self._plain(i)
        if self.stack:
            raise _ParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        entities = [{k: v for k, v in e.items() if k != "_language"} for e in self.entities]
        return FormattedText("".join(self.out), sort_entities(entities))

    def _plain(self, i: int) -> int:
        """Copies one UTF-8 character."""
        size = _utf8_size(self.src[i])
        char = self.src[i : i + size].decode("utf-8", "surrogatepass")
        self._emit(char)
        return i + size

    def _emit(self, char: str) -> None:
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise _ParseError(SURROGATE_ERROR)
        self.out.append(char)
        self.utf16 += 2 if ord(char) > 0xFFFF else 1

    def _text_entity(self, i: int) -> int:
        decoded = _decode_entity(self.src, i)
        if decoded is None:
            self._emit("&")
            return i + 1
        char, i = decoded
        self._emit(char)
        return i

    def _start_tag(self, begin: int) -> int:
        src, i = self.src, begin + 1
        while src[i] not in _SPACES and src[i] != 0x3E:
            i += 1
        if src[i] == 0:
            raise _ParseError(f"Unclosed start tag at byte offset {begin}")
        name = src[begin + 1 : i].decode("utf-8", "replace").lower()
        if name not in _TAGS:
            raise _ParseError(f'Unsupported start tag "{name}" at byte offset {begin}')
        attributes, i = _read_attributes(src, i, name, begin)
        argument = _tag_argument(name, attributes)
        if name == "span" and argument != "spoiler":
            raise _ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        if name == "a":
            _check_href(attributes.get("href"), begin)
        self.stack.append(_OpenTag(name, argument, self.utf16, begin))
        return i + 1

    def _end_tag(self, begin: int) -> int:
        if not self.stack:
            raise _ParseError(f"Unexpected end tag at byte offset {begin}")
        src, i = self.src, begin + 2
        while src[i] not in _SPACES and src[i] != 0x3E:
            i += 1
        end_name = src[begin + 2 : i].decode("utf-8", "replace")
        while src[i] in _SPACES and src[i] != 0:
            i += 1
        if src[i] != 0x3E:
            raise _ParseError(f"Unclosed end tag at byte offset {begin}")
        tag = self.stack.pop()
        if end_name and end_name != tag.name:
            raise _ParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{tag.name}>", '
                f'found "</{end_name}>"'
            )
        length = self.utf16 - tag.utf16_offset
        if length:
            self._add_entity(tag, length)
        return i + 1

    def _add_entity(self, tag: _OpenTag, length: int) -> None:
        entity: dict[str, Any] = {"offset": tag.utf16_offset, "length": length}
        last = self.entities[-1] if self.entities else None
        if last is not None and (last["offset"], last["length"]) != (tag.utf16_offset, length):
            last = None  # only an entity over the same span merges with this one
        if tag.name == "pre" and last and last["type"] == "code" and last.get("_language"):
            last.update(type="pre", language=last.pop("_language"))
            return
        if tag.name == "code" and last and last["type"] == "pre" and tag.argument:
            last["language"] = tag.argument
            return
        if tag.name in _SIMPLE_TYPES:
            entity["type"] = _SIMPLE_TYPES[tag.name]
        elif tag.name == "a":
            entity.update(type="text_link", url=tag.argument)
        elif tag.name == "code":
            entity.update(type="code", _language=tag.argument)
        elif tag.name == "pre":
            entity["type"] = "pre"
        elif tag.name == "blockquote":
            entity["type"] = "expandable_blockquote" if tag.argument else "blockquote"
        else:  # tg-emoji
            entity.update(type="custom_emoji", custom_emoji_id=_emoji_id(tag.argument))
        self.entities.append(entity)


def _utf8_size(first: int) -> int:
    if first < 0x80:
        return 1
    if first >= 0xF0:
        return 4
    return 3 if first >= 0xE0 else 2


def _decode_entity(src: bytes, i: int) -> tuple[str, int] | None:
    """Decodes the HTML entity at ``src[i] == '&'``; None for a lone '&' that starts nothing."""
    j = i + 1
    if src[j] == 0x23:  # '#'
        char, j = _numeric_entity(src, i)
    elif chr(src[j]).isascii() and chr(src[j]).isalpha():
        while chr(src[j]).isascii() and chr(src[j]).isalpha():
            j += 1
        named = _NAMED_ENTITIES.get(bytes(src[i + 1 : j]))
        if named is None:
            shown = src[i : j + (src[j] == 0x3B)].decode()
            raise _ParseError(f'Unsupported HTML entity "{shown}" at byte offset {i}')
        char = named
    else:
        return None
    if src[j] != 0x3B:
        shown = src[i:j].decode()
        raise _ParseError(f'HTML entity "{shown}" at byte offset {i} must end with ";"')
    return char, j + 1


def _numeric_entity(src: bytes, i: int) -> tuple[str, int]:
    j, base, digits = i + 2, 10, "0123456789"
    if src[j] == 0x78:  # 'x' (TDLib accepts only the lowercase form)
        j, base, digits = j + 1, 16, "0123456789abcdefABCDEF"
    start = j
    while chr(src[j]) in digits and src[j] != 0:
        j += 1
    value = int(src[start:j], base) if j > start else 0
    if value == 0 or value >= 0x10FFFF or j - i >= 10:
        shown = src[i : j + (src[j] == 0x3B)].decode("utf-8", "replace")
        raise _ParseError(f'Invalid HTML entity "{shown}" at byte offset {i}')
    if 0xD800 <= value <= 0xDFFF:
        raise _ParseError(SURROGATE_ERROR)
    return chr(value), j


def _read_attributes(src: bytes, i: int, tag: str, begin: int) -> tuple[dict[str, str], int]:
    """Reads ``name=value`` pairs up to the '>' of a start tag; returns them and its index."""
    attributes: dict[str, str] = {}
    while src[i] != 0x3E:
        while src[i] != 0 and src[i] in _SPACES:
            i += 1
        if src[i] == 0x3E:
            break
        name_begin = i
        while src[i] not in _SPACES and src[i] not in b"=>":
            i += 1
        name = src[name_begin:i].decode("utf-8", "replace")
        if not name:
            raise _ParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while src[i] != 0 and src[i] in _SPACES:
            i += 1
        if src[i] != 0x3D:  # a name without a value
            if src[i] == 0:
                raise _ParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            attributes.setdefault(name, "")
            continue
        i += 1
        while src[i] != 0 and src[i] in _SPACES:
            i += 1
        if src[i] == 0:
            raise _ParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        value, i = _attribute_value(src, i)
        if src[i] == 0:
            raise _ParseError(f"Unclosed start tag at byte offset {begin}")
        attributes[name] = value
    return attributes, i


def _attribute_value(src: bytes, i: int) -> tuple[str, int]:
    quote = src[i]
    if quote not in b"'\"":  # an unquoted name token: letters, digits, '.', '-'
        start = i
        while chr(src[i]).isascii() and (chr(src[i]).isalnum() or src[i] in b".-") and src[i]:
            i += 1
        if src[i] not in _SPACES and src[i] != 0x3E:
            raise _ParseError(f"Unexpected end of name token at byte offset {start}")
        return src[start:i].decode().lower(), i
    i += 1
    chars: list[str] = []
    while src[i] != quote and src[i] != 0:
        decoded = _decode_entity(src, i) if src[i] == 0x26 else None
        if decoded is not None:
            chars.append(decoded[0])
            i = decoded[1]
            continue
        size = _utf8_size(src[i])
        chars.append(src[i : i + size].decode("utf-8", "replace"))
        i += size
    if src[i] == quote:
        i += 1
    return "".join(chars), i


def _tag_argument(tag: str, attributes: dict[str, str]) -> str:
    if tag == "a":
        return attributes.get("href", "")
    if tag == "code" and attributes.get("class", "").startswith("language-"):
        return attributes["class"][len("language-") :]
    if tag == "span" and attributes.get("class", "").startswith("tg-"):
        return attributes["class"][len("tg-") :]
    if tag == "tg-emoji":
        return attributes.get("emoji-id", "")
    if tag == "blockquote" and "expandable" in attributes:
        return "1"
    return ""


def _check_href(href: str | None, begin: int) -> None:
    if not href:
        raise _ParseError(f'Tag "a" must have a non-empty attribute "href" at byte offset {begin}')
    problem = url_problem(href, require_scheme=False)
    if problem:
        raise _ParseError(
            f"URL '{href}' in the tag \"a\" at byte offset {begin} is invalid: {problem}"
        )


def _emoji_id(argument: str) -> str:
    if not argument.isdecimal() or not 0 < int(argument) < 2**63:
        raise _ParseError("Invalid custom emoji identifier specified")
    return argument
