"""Anomalies of one account, pure (opt-in per chat): the account's own last weeks are the
baseline.

- no exchanges: at least MIN_CLICKS clicks in the last QUIET_DAYS days but not one exchange,
  although the baseline conversion (exchanges per click over the BASELINE_DAYS before) says
  at least MIN_EXPECTED were due (zero then happens by chance less than ~5 % of the time);
- top source silent: the baseline's top source (by clicks, at least MIN_SOURCE_PER_DAY a day)
  sent no click in the last QUIET_DAYS days while other clicks still come.

Each anomaly has a stable id for its episode (the last exchange / the source's last click):
it is announced once, and again only after the situation ended and came back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.exchanger import Click, Exchange
from bot.services.insights import DIRECT, source_of

DAY = 86_400
QUIET_DAYS = 3
BASELINE_DAYS = 28
MIN_CLICKS = 10
MIN_EXPECTED = 3.0
MIN_SOURCE_PER_DAY = 2.0
LOOKBACK = (QUIET_DAYS + BASELINE_DAYS) * DAY


@dataclass(frozen=True, slots=True)
class Anomaly:
    kind: str  # "no_exchanges" or "source_silent"
    episode: str  # stable while the situation lasts
    clicks: int = 0  # recent clicks
    expected: float = 0.0  # exchanges the baseline expected (no_exchanges)
    source: str = ""  # the silent source (source_silent)


def detect(
    clicks: Sequence[Click], exchanges: Sequence[Exchange], params: Sequence[str], now: float
) -> list[Anomaly]:
    split = now - QUIET_DAYS * DAY
    start = split - BASELINE_DAYS * DAY
    recent = [c for c in clicks if c.time >= split]
    before = [c for c in clicks if start <= c.time < split]
    found: list[Anomaly] = []
    recent_exchanges = [e for e in exchanges if e.time >= split]
    earlier = [e for e in exchanges if start <= e.time < split]
    if len(recent) >= MIN_CLICKS and not recent_exchanges and before and earlier:
        expected = len(recent) * len(earlier) / len(before)
        if expected >= MIN_EXPECTED:
            last = max(e.time for e in earlier)
            found.append(Anomaly("no_exchanges", f"after-{last}", len(recent), round(expected, 1)))
    counts = Counter(source_of(c, params) for c in before)
    if counts and recent:
        top, top_clicks = counts.most_common(1)[0]
        silent = all(source_of(c, params) != top for c in recent)
        if top != DIRECT and silent and top_clicks >= MIN_SOURCE_PER_DAY * BASELINE_DAYS:
            last = max(c.time for c in before if source_of(c, params) == top)
            found.append(Anomaly("source_silent", f"{top}@{last}", len(recent), source=top))
    return found
