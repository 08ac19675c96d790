"""Turn an answer into bytes in the current `Shape`, the way PHP's json_encode would.

Records arrive in PHP's form, every value a string ("12.50", "1718000000"): `string` mode
sends them as they are (the cheap default path: one json.dumps). `number` mode writes the
numeric fields as JSON numbers from their own digits (no float on the way). Slashes are
escaped ("\\/") and non-ASCII is \\u-escaped. `items` become an object keyed by id in `dict`
mode, and an empty `[]` either way (PHP cannot tell an empty object from an empty list).
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.sandbox.state import Shape

NUMERIC_FIELDS = frozenset(
    {
        "id",
        "time",
        "balance",
        "min_payout",
        "comission",
        "amount",
        "course_give",
        "course_get",
        "amount_give",
        "amount_get",
        "exchange_success",
        "accrued",
        "partner_reward",
        "method_id",
        "pay_amount",
        "original_amount",
        "status",
        "payout_id",
    }
)
_MARK = "\x00#"  # prefix of a value to write as a JSON number; json.dumps escapes \x00
_MARKED = re.compile(r'"\\u0000#(-?[0-9.]+)"')


def _numbers(record: dict[str, Any]) -> dict[str, Any]:
    return {k: _MARK + v if k in NUMERIC_FIELDS else v for k, v in record.items()}


def _as_numbers(data: dict[str, Any]) -> dict[str, Any]:
    converted = _numbers(data)
    items = data.get("items")
    if isinstance(items, list):
        converted["items"] = [_numbers(item) for item in items]
    return converted


def _dumps(document: object, numbers_as: str) -> bytes:
    text = json.dumps(document, separators=(",", ":"))
    if numbers_as == "number":
        text = _MARKED.sub(r"\1", text)
    return text.replace("/", "\\/").encode()


def success_body(data: dict[str, Any], shape: Shape) -> bytes:
    if shape.numbers_as == "number":
        data = _as_numbers(data)
    if shape.items_as == "dict" and isinstance(data.get("items"), list):
        items = data["items"]
        data = data | {"items": {item["id"].removeprefix(_MARK): item for item in items} or []}
    if shape.envelope == "bare":
        return _dumps(data, shape.numbers_as)
    error: object = "0" if shape.envelope == "wrapped_str" else 0
    return _dumps({"error": error, "error_text": "", "data": data}, shape.numbers_as)


def error_body(text: str, shape: Shape) -> bytes:
    """An error: `{"error": 1, "error_text": ..., "data": []}`, or the bare text."""
    if shape.errors_as == "text":
        return text.encode()
    error: object = "1" if shape.envelope == "wrapped_str" else 1
    return _dumps({"error": error, "error_text": text, "data": []}, "string")
