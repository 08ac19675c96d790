"""Rows of the results table, their statistics, and the table as text and as Markdown.

A `Row` holds every sample of one figure (one per run, or per window, see the README); the
table shows the median with its range, the limit it is compared with, the ratio and whether
the target is met. A row that could not be measured keeps its place with the reason.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from enum import StrEnum


class Goal(StrEnum):
    AT_MOST = "≤"
    AT_LEAST = "≥"


@dataclass(frozen=True)
class Target:
    """The issue's target: the value (or the ratio to the limit) ≤ or ≥ a threshold."""

    goal: Goal
    threshold: float
    unit: str = ""  # shown after the threshold; "×" for a ratio target
    on_ratio: bool = False

    def check(self, value: float, ratio: float | None) -> bool | None:
        checked = ratio if self.on_ratio else value
        if checked is None:
            return None
        return checked <= self.threshold if self.goal is Goal.AT_MOST else checked >= self.threshold

    def text(self) -> str:
        what = "ratio " if self.on_ratio else ""
        return f"{what}{self.goal.value} {fmt(self.threshold)}{self.unit}"


@dataclass
class Row:
    key: str  # stable id, e.g. "1.cpu_us.10000" (the smoke test checks them)
    figure: str
    unit: str
    limit: float | None = None  # what the value is compared with, in the same unit
    limit_text: str = ""  # what that limit is, e.g. "bare aiohttp loop"
    target: Target | None = None
    samples: list[float] = field(default_factory=list)
    missing: str = ""  # why there is no value
    note: str = ""

    @property
    def measured(self) -> bool:
        return bool(self.samples) and not self.missing

    @property
    def value(self) -> float | None:
        return statistics.median(self.samples) if self.measured else None

    @property
    def ratio(self) -> float | None:
        value = self.value
        if value is None or not self.limit:
            return None
        return value / self.limit

    @property
    def met(self) -> bool | None:
        value = self.value
        if value is None or self.target is None:
            return None
        return self.target.check(value, self.ratio)


def fmt(value: float) -> str:
    if float(value).is_integer():
        return f"{value:,.0f}"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def value_text(row: Row) -> str:
    if not row.measured:
        return f"not measured: {row.missing or 'no samples'}"
    text = f"{fmt(row.value or 0)} {row.unit}".strip()
    if len(row.samples) > 1:
        text += f" [{fmt(min(row.samples))}–{fmt(max(row.samples))}, n={len(row.samples)}]"
    return text


def limit_text(row: Row) -> str:
    if row.limit is None:
        return row.limit_text or "—"
    shown = f"{fmt(row.limit)} {row.unit}".strip()
    return f"{shown} ({row.limit_text})" if row.limit_text else shown


def ratio_text(row: Row) -> str:
    ratio = row.ratio
    return "—" if ratio is None else f"{ratio:.2f}×"


def met_text(row: Row) -> str:
    met = row.met
    if met is None:
        return "—" if row.measured else "n/a"
    return "yes" if met else "**NO**"


COLUMNS = (
    "#",
    "figure",
    "value: median [range, n]",
    "limit compared with",
    "ratio",
    "target",
    "met",
)


def cells(rows: list[Row]) -> list[tuple[str, ...]]:
    out = []
    for row in rows:
        figure = f"{row.figure} ({row.note})" if row.note else row.figure
        target = row.target.text() if row.target else "—"
        out.append(
            (
                row.key,
                figure,
                value_text(row),
                limit_text(row),
                ratio_text(row),
                target,
                met_text(row),
            )
        )
    return out


def markdown_table(rows: list[Row]) -> str:
    def line(values: tuple[str, ...]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

    lines = [line(COLUMNS), "|" + "---|" * len(COLUMNS)]
    lines += [line(c) for c in cells(rows)]
    return "\n".join(lines)


def text_table(rows: list[Row], width: int = 60) -> str:
    data = [COLUMNS, *[tuple(c.replace("**", "") for c in row) for row in cells(rows)]]
    data = [tuple(c if len(c) <= width else c[: width - 1] + "…" for c in row) for row in data]
    widths = [max(len(row[i]) for row in data) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in data]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)
