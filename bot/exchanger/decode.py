"""Turn the exchanger's answer bytes into typed models, tolerating every shape PHP produces.

One mechanism for every method: `parse_answer` turns the body into a payload (JSON without
the envelope) or raises the error the site meant; `decode_info`, `decode_items` and
`decode_payout_id` build the frozen models from it, driven by the dataclass field types.

Decisions on ambiguous answers:
- "Nothing" (empty body, null, [], {}, an envelope with empty data) is [] for list methods
  and MalformedResponse("empty answer") for get_info and add_payout (for add_payout the client
  makes it OutcomeUnknown: the payout may have been created).
- A list item that is not an object, lacks a usable id or required field, has a money field
  that is not a finite number, or a payout status outside 0..3 is skipped (DEBUG log, id only).
  Absent strings/flags/tuples are empty; other absent fields take the dataclass default or
  make the item unusable. A missing or bad `time` falls back to `date` (UTC), else 0.
- A key counts as rejected ONLY when the site's own error text is one of `KEY_REJECTED_TEXTS`
  (errors.py): a firewall page, "Access temporarily limited", an unknown text or a bare
  401/403 must never pause an account and tell its chat to re-link. Texts saying "temporarily"
  or "try again later" (`TRANSIENT_WORDS`) mean the site is unavailable; any other text is
  RequestRefused (the poller counts it as a site failure, add_payout shows it).
- Plain text (not JSON) is an error only when it is one of those known phrases.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import MISSING, fields
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from itertools import islice
from typing import Any, TypeVar, get_type_hints

from .errors import (
    KEY_REJECTED_TEXTS,
    TRANSIENT_WORDS,
    ExchangerError,
    ExchangerUnavailable,
    KeyRejected,
    MalformedResponse,
    MethodNotSupported,
    RequestRefused,
)
from .models import PartnerInfo, PayoutMethod, PayoutStatus

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_TEXT = 1000
MAX_ERROR_TEXT = 300
_MAX_STATUSES = 50
_MAX_STATUS_TEXT = 100
_MAX_INT = 2**63 - 1  # what SQLite can store
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?")
_ENVELOPE_KEYS = frozenset({"error", "error_text", "data"})
_PHP_NOISE = re.compile(r"notice|warning|deprecated", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M")
_STATUS_KEYS = ("title", "status_title", "name", "text", "status")
_SOURCE_KEYS = {  # model field → keys the site may use for it, first wins
    "completed": ("exchange_success", "completed"),
    "commission": ("comission", "commission"),
    "methods": ("items",),
}
_NOT_JSON = object()


class _Unusable(Exception):
    """A value that cannot become its field's type; the message is the field name only."""


def parse_answer(raw: bytes, *, secret: str = "") -> object:
    """Body → payload without the envelope (None means "nothing"), or raise the site's error.

    `secret` (the api key) is redacted from any site text put into an exception.
    """
    text = raw.decode("utf-8-sig", errors="replace").strip()
    if not text:
        return None
    value = _load_json(text)
    if value is _NOT_JSON:
        raise _text_error(text)
    if isinstance(value, str):
        known = _known_phrase(value)
        if known is not None:
            raise known
        return value
    return _unwrap(value, secret)


def _load_json(text: str) -> object:
    candidates = [text]
    start = min((i for i in (text.find("{"), text.find("[")) if i > 0), default=-1)
    if start > 0 and _PHP_NOISE.search(text[:start]):  # PHP notices printed before the JSON
        candidates.append(text[start:])
    for candidate in candidates:
        try:
            return json.loads(candidate, parse_float=Decimal)
        except (ValueError, ArithmeticError, RecursionError):
            continue
    return _NOT_JSON


def _text_error(text: str) -> ExchangerError:
    head = text[:2000].casefold()
    if head.startswith("<") or "<html" in head:
        return ExchangerUnavailable("HTML page instead of JSON")
    return _known_phrase(text) or MalformedResponse("answer is not JSON")


def _known_phrase(text: str) -> ExchangerError | None:
    low = text.strip().casefold()
    if len(low) > 200:
        return None
    if "method not supported" in low:
        return MethodNotSupported("Method not supported")
    phrase = rejected_key_phrase(low)
    if phrase is not None:
        return KeyRejected(phrase)
    if _is_transient(low):
        return ExchangerUnavailable("the site is temporarily unavailable")
    return None


def rejected_key_phrase(text: str) -> str | None:
    """The phrase of `KEY_REJECTED_TEXTS` that `text` says as a whole phrase, or None."""
    words = _words(text)
    for phrase in KEY_REJECTED_TEXTS:
        if f" {_words(phrase)} " in f" {words} ":
            return phrase
    return None


def _is_transient(text: str) -> bool:
    words = f" {_words(text)} "
    return any(f" {_words(word)}" in words for word in TRANSIENT_WORDS)


def _words(text: str) -> str:
    """Case-folded words only: "Error! Api  disabled." → "error api disabled"."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _unwrap(value: object, secret: str) -> object:
    if not isinstance(value, dict) or not (
        "error" in value or "error_text" in value or set(value) == {"data"}
    ):
        return value
    if "data" in value:
        data = value["data"]
    else:
        data = {k: v for k, v in value.items() if k not in _ENVELOPE_KEYS} or None
    text = _envelope_text(value)
    if _is_error_flag(value.get("error")) or (text and _is_nothing(data)):
        raise site_error(text, secret)
    return data


def _envelope_text(envelope: dict[str, Any]) -> str:
    text = envelope.get("error_text")
    error = envelope.get("error")
    if _is_nothing(text) and isinstance(error, str) and not error.strip().isdigit():
        text = error  # {"error": "Api disabled"}
    return _to_text(text) if not _is_nothing(text) else ""


def _is_error_flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() not in ("", "0", "false")
    return bool(value)


def _is_nothing(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value is False or (isinstance(value, list | dict) and not value)


def site_error(text: str, secret: str = "") -> ExchangerError:
    """The typed error for a site's error text."""
    clean = clean_error_text(text, secret) or "error without text"
    low = clean.casefold()
    if "method not supported" in low:
        return MethodNotSupported(clean)
    if rejected_key_phrase(low) is not None:
        return KeyRejected(clean)
    if _is_transient(low):
        return ExchangerUnavailable(f"the site is temporarily unavailable: {clean}")
    return RequestRefused(clean)


def clean_error_text(text: str, secret: str = "") -> str:
    """A site's error text safe to show: no key, no control characters, at most 300 chars."""
    text = _redact(text, secret)[: 10 * MAX_ERROR_TEXT]
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return _redact(" ".join(text.split()), secret)[:MAX_ERROR_TEXT]


def _redact(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


def decode_info(payload: object) -> PartnerInfo:
    """get_info payload → PartnerInfo; nothing or a missing balance/min_payout is malformed."""
    if isinstance(payload, list) and len(payload) == 1:
        payload = payload[0]
    if _is_nothing(payload):
        raise MalformedResponse("empty answer")
    if not isinstance(payload, dict):
        raise MalformedResponse("unexpected answer shape")
    try:
        return _build(PartnerInfo, payload)
    except _Unusable as exc:
        failure = MalformedResponse(f"unusable field {exc}")
    raise failure


def decode_items(payload: object, model: type[T]) -> list[T]:
    """List payload → usable items of `model` in the site's order; bad items are skipped."""
    built = (_item(model, key, item, i) for i, (key, item) in enumerate(_entries(payload)))
    return [item for item in built if item is not None]


def decode_payout_id(payload: object) -> int:
    """add_payout payload (`{"payout_id": 5}`, `5`, `"5"`) → the new payout's id."""
    value = payload
    if isinstance(payload, dict):
        value = next((payload[k] for k in ("payout_id", "id") if k in payload), None)
    if _is_nothing(value):
        raise MalformedResponse("empty answer")
    try:
        payout_id = _to_int(value)
    except _Unusable:
        payout_id = 0
    if payout_id <= 0:
        raise MalformedResponse("no payout_id in the answer")
    return payout_id


def _entries(payload: object) -> list[tuple[object, object]]:
    """(key, item) pairs of a list answer: a bare list, `items` list, or an object keyed by id."""
    if isinstance(payload, dict):
        if "items" in payload:
            payload = payload["items"]
        elif payload and not any(isinstance(v, dict) for v in payload.values()):
            raise MalformedResponse("no items in the answer")
    if _is_nothing(payload):
        return []
    if isinstance(payload, dict):
        return list(payload.items())
    if isinstance(payload, list):
        return [(None, item) for item in payload]
    raise MalformedResponse("unexpected answer shape")


def _item(model: type[T], key: object, item: object, index: int) -> T | None:
    name = model.__name__
    if not isinstance(item, dict):
        log.debug("skipped %s entry #%d: not an object", name, index)
        return None
    if item.get("id") is None and key is not None:
        item = {**item, "id": key}  # PHP object keyed by id
    try:
        return _build(model, item)
    except _Unusable as exc:
        log.debug("skipped %s id=%r: unusable %s", name, _to_text(item.get("id"))[:40], exc)
        return None


def _build(model: type[T], obj: Mapping[str, object]) -> T:
    values: dict[str, object] = {}
    # A class is hashable, but mypy matches a class object against `Hashable` through the
    # instance's `__hash__` and refuses it (python/mypy#11470).
    for name, keys, convert, default in _plan(model):  # type: ignore[arg-type]
        raw = next((obj[k] for k in keys if obj.get(k) is not None), None)
        try:
            if raw is None and default is MISSING:
                raise _Unusable
            values[name] = default if raw is None else convert(raw)
        except _Unusable:
            if name != "time":
                raise _Unusable(name) from None
            values[name] = _time_from_date(obj)
    return model(**values)


@cache
def _plan(model: type) -> tuple[tuple[str, tuple[str, ...], Callable[[Any], object], Any], ...]:
    """Per field: its name, the keys the site may use, its converter, its value when absent."""
    hints = get_type_hints(model)
    return tuple(
        (
            f.name,
            _SOURCE_KEYS.get(f.name, (f.name,)),
            _CONVERTERS[hints[f.name]],
            f.default if f.default is not MISSING else _EMPTY.get(hints[f.name], MISSING),
        )
        for f in fields(model)
    )


def _to_decimal(value: object, max_exponent: int = 18) -> Decimal:
    """A finite number below 10**(max_exponent + 1), never through float arithmetic."""
    if isinstance(value, bool):
        raise _Unusable
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):  # only NaN/Infinity: JSON floats are parsed as Decimal
        number = Decimal(str(value))
    elif isinstance(value, str):
        number = _decimal_from_text(value)
    else:
        raise _Unusable
    exponent = number.as_tuple().exponent  # an int for every finite number
    if not number.is_finite() or not isinstance(exponent, int) or exponent < -30:
        raise _Unusable
    if number.adjusted() > max_exponent:
        raise _Unusable
    return number


def _decimal_from_text(text: str) -> Decimal:
    text = text.strip()
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")  # "12,50"
    if len(text) > 100 or not _NUMBER.fullmatch(text):
        raise _Unusable
    return Decimal(text)


def _to_money(value: object) -> Decimal:
    return _to_decimal(value, max_exponent=15)


def _to_int(value: object) -> int:
    number = _to_decimal(value)
    if number != number.to_integral_value():
        raise _Unusable
    result = int(number)
    if not 0 <= result <= _MAX_INT:
        raise _Unusable
    return result


def _to_flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in ("true", "false", ""):
        return value.strip().casefold() == "true"
    number = _to_int(value)
    if number not in (0, 1):
        raise _Unusable
    return bool(number)


def _to_status(value: object) -> PayoutStatus:
    number = _to_int(value)
    if number not in PayoutStatus._value2member_map_:
        raise _Unusable
    return PayoutStatus(number)


def _to_text(value: object) -> str:
    """Any scalar → a clean string (no NUL, no lone surrogates, capped); others → ""."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | Decimal):
        value = str(value)
    if not isinstance(value, str):
        return ""
    text = value[: 4 * MAX_TEXT].replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8").strip()[:MAX_TEXT]


def _to_statuses(value: object) -> tuple[str, ...]:
    """Status history of unknown shape → short texts; never unusable."""
    if isinstance(value, dict):
        entries = list(islice(value.values(), _MAX_STATUSES))
    else:
        entries = value[:_MAX_STATUSES] if isinstance(value, list) else [value]
    texts = (_status_text(entry) for entry in entries)
    return tuple(text for text in texts if text)


def _status_text(entry: object) -> str:
    if isinstance(entry, dict):
        keys = [k for k in _STATUS_KEYS if k in entry] + list(entry)
        entry = next((entry[k] for k in keys if _to_text(entry[k])), "")
    return _to_text(entry)[:_MAX_STATUS_TEXT]


def _to_methods(value: object) -> tuple[PayoutMethod, ...]:
    try:
        return tuple(decode_items(value, PayoutMethod))
    except MalformedResponse:
        log.debug("skipped get_info items: unexpected shape")
        return ()


def _time_from_date(obj: Mapping[str, object]) -> int:
    """Unix time from the item's `date` (read as UTC), or 0 when there is none usable."""
    text = _to_text(obj.get("date"))
    for fmt in _DATE_FORMATS:
        try:
            moment = datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
        return max(0, int(moment.timestamp()))
    return 0


_CONVERTERS: dict[object, Callable[[Any], object]] = {
    int: _to_int,
    str: _to_text,
    bool: _to_flag,
    Decimal: _to_money,
    PayoutStatus: _to_status,
    tuple[str, ...]: _to_statuses,
    tuple[PayoutMethod, ...]: _to_methods,
}
_EMPTY: dict[object, object] = {str: "", bool: False, tuple[str, ...]: ()}
