"""Formatting of exchanger data for Telegram HTML: money, dates, masking, pagination.

All exchanger-provided strings are escaped by the translator (`bot.i18n`); here they are only
shortened, so that one item can never push a message past Telegram's 4096 characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

# Below Telegram's 4096 with room for a header and footer.
PAGE_CHAR_BUDGET = 3500
PAGE_ITEMS = 8
MAX_FIELD = 120
_CENT = Decimal("0.01")


def money(value: Decimal) -> str:
    """12.5 → "12.50"; keeps more digits when the site sends them (crypto amounts)."""
    try:
        if value == value.quantize(_CENT):
            return f"{value:.2f}"
    except InvalidOperation:  # too many digits to quantize: show as sent
        pass
    return format(value.normalize(), "f")


def when(unix: int) -> str:
    if unix <= 0:
        return "—"
    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%d %H:%M")


def short(text: str, limit: int = MAX_FIELD) -> str:
    text = " ".join(text.split())  # no newlines or tabs from the site inside a line
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mask_wallet(account: str) -> str:
    """ "U1234567890" → "U123…7890": enough to recognise, not enough to reuse."""
    account = account.strip()
    if len(account) <= 6:
        return account[:1] + "…" if account else "—"
    if len(account) <= 10:
        return account[:2] + "…" + account[-2:]
    return account[:4] + "…" + account[-4:]


def paginate(blocks: Sequence[str], *, per_page: int = PAGE_ITEMS) -> list[list[str]]:
    """Split rendered items into pages by count and by size; never an empty page list."""
    pages: list[list[str]] = [[]]
    size = 0
    for block in blocks:
        if pages[-1] and (len(pages[-1]) >= per_page or size + len(block) > PAGE_CHAR_BUDGET):
            pages.append([])
            size = 0
        pages[-1].append(block)
        size += len(block) + 2
    return pages


def clamp_page(page: int, total: int) -> int:
    return min(max(page, 0), max(total - 1, 0))
