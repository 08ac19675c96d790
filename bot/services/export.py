"""/export: a period's exchanges, payouts and clicks as CSV files (pure functions).

UTF-8 without a byte-order mark, a header row, comma-separated, amounts as plain decimals
(`12.50`, never `1.2E+1`), dates in ISO 8601 with the chat's UTC offset
(`2025-11-29T15:00:00+03:00`). Wallets are masked as everywhere in the bot. Free text from the
site (referrer, query string, browser) that a spreadsheet would run as a formula (it starts with
= + - @) gets a leading apostrophe. A file over Telegram's document limit is split into parts
that each start with the header row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.exchanger import PayoutStatus
from bot.services.analytics import PeriodData

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # Telegram's limit for a bot's upload
_FORMULA = ("=", "+", "-", "@", "\t", "\r")

EXCHANGE_COLUMNS = (
    "account",
    "site",
    "id",
    "created_at",
    "currency_give",
    "currency_get",
    "amount_give",
    "amount_get",
    "course_give",
    "course_get",
    "completed",
    "accrued",
    "partner_reward",
    "user_hash",
)
PAYOUT_COLUMNS = (
    "account",
    "site",
    "id",
    "created_at",
    "status",
    "method_id",
    "wallet",
    "pay_amount",
    "pay_currency",
    "original_amount",
    "original_currency",
)
CLICK_COLUMNS = (
    "account",
    "site",
    "id",
    "time",
    "referrer",
    "query_string",
    "user_hash",
    "browser",
    "ip",
)


@dataclass(frozen=True, slots=True)
class CsvFile:
    name: str
    content: bytes
    rows: int  # data rows in this file (the header not counted)


def iso(unix: int, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(unix, tz).isoformat()


def decimal(value: Decimal) -> str:
    return format(value, "f")


def text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA) else value


def mask(wallet: str) -> str:
    wallet = wallet.strip()
    if len(wallet) <= 6:
        return wallet[:1] + "…" if wallet else ""
    if len(wallet) <= 10:
        return wallet[:2] + "…" + wallet[-2:]
    return wallet[:4] + "…" + wallet[-4:]


def rows(data: PeriodData, tz: ZoneInfo) -> dict[str, list[list[str]]]:
    """The rows of each file, newest first within an account."""
    exchanges, payouts, clicks = [], [], []
    for part in data.accounts:
        who = [str(part.account.id), part.account.site]
        for e in sorted(part.exchanges, key=lambda e: (e.time, e.id), reverse=True):
            exchanges.append(
                [
                    *who,
                    str(e.id),
                    iso(e.time, tz),
                    e.currency_code_give,
                    e.currency_code_get,
                    decimal(e.amount_give),
                    decimal(e.amount_get),
                    decimal(e.course_give),
                    decimal(e.course_get),
                    str(int(e.completed)),
                    str(int(e.accrued)),
                    decimal(e.partner_reward),
                    e.user_hash,
                ]
            )
        for p in sorted(part.payouts, key=lambda p: (p.time, p.id), reverse=True):
            payouts.append(
                [
                    *who,
                    str(p.id),
                    iso(p.time, tz),
                    PayoutStatus(p.status).name.lower(),
                    str(p.method_id),
                    mask(p.account),
                    decimal(p.pay_amount),
                    p.pay_currency_code,
                    decimal(p.original_amount),
                    p.original_currency_code,
                ]
            )
        for c in sorted(part.clicks, key=lambda c: (c.time, c.id), reverse=True):
            clicks.append(
                [
                    *who,
                    str(c.id),
                    iso(c.time, tz),
                    text(c.referrer),
                    text(c.query_string),
                    c.user_hash,
                    text(c.browser),
                    c.ip,
                ]
            )
    return {"exchanges": exchanges, "payouts": payouts, "clicks": clicks}


def _line(values: Sequence[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue().encode("utf-8")


def split(
    name: str, header: Sequence[str], lines: Iterable[Sequence[str]], limit: int
) -> list[CsvFile]:
    """`name.csv`, or `name-1.csv`, `name-2.csv`… each under `limit` bytes with the header."""
    head = _line(header)
    parts: list[tuple[list[bytes], int]] = [([head], len(head))]
    for values in lines:
        line = _line(values)
        chunks, size = parts[-1]
        if size + len(line) > limit and len(chunks) > 1:
            parts.append(([head, line], len(head) + len(line)))
        else:
            chunks.append(line)
            parts[-1] = (chunks, size + len(line))
    if len(parts) == 1:
        return [CsvFile(f"{name}.csv", b"".join(parts[0][0]), len(parts[0][0]) - 1)]
    return [
        CsvFile(f"{name}-{n}.csv", b"".join(chunks), len(chunks) - 1)
        for n, (chunks, _) in enumerate(parts, start=1)
    ]


def files(
    data: PeriodData, tz: ZoneInfo, suffix: str, limit: int = MAX_DOCUMENT_BYTES
) -> list[CsvFile]:
    found = rows(data, tz)
    columns = {"exchanges": EXCHANGE_COLUMNS, "payouts": PAYOUT_COLUMNS, "clicks": CLICK_COLUMNS}
    made: list[CsvFile] = []
    for kind, header in columns.items():
        made += split(f"{kind}-{suffix}", header, found[kind], limit)
    return made
