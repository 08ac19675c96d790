"""What no affiliate dashboard shows, as pure functions over exchanger data (no I/O).

Expected earnings: completed exchanges whose reward is not accrued yet (rewards below one
cent are never credited, so they are not expected either).

Earnings per traffic source: a click's source is the first configured link parameter it
carries (`utm_source=forum`), else its referrer's host (`bestchange.ru`), else "direct". An
exchange belongs to the latest click of the same `user_hash` made before it (the latest click
at all when every one is later); without such a click its source is "unknown". Per source:
clicks, exchanges, completed exchanges, conversion (completed ÷ clicks), earnings (the
rewards of completed exchanges, accrued or expected) and EPC (earnings ÷ clicks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qsl, urlsplit

from bot.exchanger import Click, Exchange

CENT = Decimal("0.01")
DEFAULT_SOURCE_PARAMS: tuple[str, ...] = ("utm_source", "utm_campaign", "sub_id", "subid", "sid")
MAX_SOURCE_PARAMS = 10
DIRECT = "direct"  # a click without parameters or referrer
UNKNOWN = "unknown"  # an exchange without a matching click
OTHER = "other"  # the sources after the top ones, folded together
_MAX_LABEL = 60


@dataclass(frozen=True, slots=True)
class Expected:
    amount: Decimal
    count: int


def expected(exchanges: Iterable[Exchange]) -> Expected:
    waiting = [e for e in exchanges if e.completed and not e.accrued and e.partner_reward >= CENT]
    return Expected(sum((e.partner_reward for e in waiting), Decimal(0)), len(waiting))


def parse_source_params(text: str) -> tuple[str, ...] | None:
    """`"utm_source, sub_id"` → the names in order; None when a name is not a plain word."""
    names: list[str] = []
    for raw in text.replace(",", " ").split():
        name = raw.strip().lower()
        if not name or len(name) > 32 or not all(c.isalnum() or c in "_-." for c in name):
            return None
        if name not in names:
            names.append(name)
    return tuple(names) if 0 < len(names) <= MAX_SOURCE_PARAMS else None


def source_of(click: Click, params: Sequence[str] = DEFAULT_SOURCE_PARAMS) -> str:
    query = {k.lower(): v.strip() for k, v in reversed(parse_qsl(click.query_string.lstrip("?")))}
    for name in params:
        value = query.get(name)
        if value:
            return f"{name}={value}"[:_MAX_LABEL]
    return referrer_host(click.referrer) or DIRECT


def referrer_host(referrer: str) -> str:
    """The host of a referrer URL without `www.`; "" when there is none."""
    referrer = referrer.strip()
    if not referrer:
        return ""
    try:
        host = urlsplit(referrer if "://" in referrer else f"//{referrer}").hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")[:_MAX_LABEL]


@dataclass(frozen=True, slots=True)
class SourceRow:
    source: str
    clicks: int = 0
    exchanges: int = 0
    completed: int = 0
    earnings: Decimal = Decimal(0)

    @property
    def conversion(self) -> Decimal | None:
        """Completed exchanges per click, in per cent; None without clicks."""
        if not self.clicks:
            return None
        return (Decimal(self.completed) * 100 / self.clicks).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def epc(self) -> Decimal | None:
        if not self.clicks:
            return None
        return (self.earnings / self.clicks).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    def __add__(self, other: SourceRow) -> SourceRow:
        return SourceRow(
            self.source,
            self.clicks + other.clicks,
            self.exchanges + other.exchanges,
            self.completed + other.completed,
            self.earnings + other.earnings,
        )


@dataclass(frozen=True, slots=True)
class SourceTable:
    rows: list[SourceRow]  # best first; "other" and "unknown" (when any) last
    total: SourceRow


def attribute(
    clicks: Iterable[Click], exchanges: Iterable[Exchange], params: Sequence[str]
) -> dict[str, SourceRow]:
    """One account's clicks and exchanges (user hashes are per site) → rows by source."""
    rows: dict[str, SourceRow] = {}
    by_user: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for click in clicks:
        source = source_of(click, params)
        rows[source] = rows.get(source, SourceRow(source)) + SourceRow(source, clicks=1)
        if click.user_hash:
            by_user[click.user_hash].append((click.time, source))
    for user_clicks in by_user.values():
        user_clicks.sort()
    for exchange in exchanges:
        source = _source_of_exchange(by_user.get(exchange.user_hash, []), exchange.time)
        done = exchange.completed
        row = SourceRow(
            source,
            exchanges=1,
            completed=int(done),
            earnings=exchange.partner_reward if done else Decimal(0),
        )
        rows[source] = rows.get(source, SourceRow(source)) + row
    return rows


def _source_of_exchange(user_clicks: list[tuple[int, str]], made: int) -> str:
    if not user_clicks:
        return UNKNOWN
    before = [source for moment, source in user_clicks if moment <= made]
    return before[-1] if before else user_clicks[-1][1]


def merge(tables: Iterable[dict[str, SourceRow]]) -> dict[str, SourceRow]:
    merged: dict[str, SourceRow] = {}
    for table in tables:
        for source, row in table.items():
            merged[source] = merged.get(source, SourceRow(source)) + row
    return merged


def rank(rows: dict[str, SourceRow], top: int = 20) -> SourceTable:
    """Best sources first (earnings, then completed, then clicks), the rest as "other"."""
    known = [r for s, r in rows.items() if s != UNKNOWN]
    known.sort(key=lambda r: (-r.earnings, -r.completed, -r.clicks, r.source))
    shown, rest = known[:top], known[top:]
    if rest:
        folded = SourceRow(OTHER)
        for row in rest:
            folded = folded + row
        shown.append(folded)
    if UNKNOWN in rows:
        shown.append(rows[UNKNOWN])
    total = SourceRow("")
    for row in rows.values():
        total = total + row
    return SourceTable(shown, total)
