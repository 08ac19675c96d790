"""Draw the /stats chart from the sandbox's demo data, offline: `make chart` writes
docs/stats.png (the README's picture).

    python -m bot.devtools.chart [--days 30] [--language en] [--timezone Europe/Moscow] [OUT]
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.exchanger import Click, Exchange
from bot.i18n import Translator
from bot.sandbox import SandboxState, seed_demo
from bot.sandbox.seed import ALICE
from bot.services import charts
from bot.services.analytics import StatsReport
from bot.telegram.insight_views import stats_chart


def demo_report(period: charts.StatsPeriod, timezone: str | None) -> StatsReport:
    state = SandboxState()
    seed_demo(state)
    partner = state.partners[ALICE]
    clicks = [Click(id=c.id, time=c.time, user_hash=c.user_hash) for c in partner.clicks]
    exchanges = [
        Exchange(
            id=e.id,
            time=e.time,
            completed=bool(e.exchange_success),
            accrued=bool(e.accrued),
            partner_reward=e.partner_reward,
            user_hash=e.user_hash,
        )
        for e in partner.exchanges.values()
    ]
    tz = charts.zone(timezone)
    days = [d.date() for d in charts.day_starts(state.now(), tz, 2 * period.days)]
    return StatsReport(
        period,
        charts.series(clicks, exchanges, days[period.days :], tz),
        charts.series(clicks, exchanges, days[: period.days], tz),
        failed=[],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="docs/stats.png", type=Path)
    parser.add_argument("--days", default="30", choices=["7", "30", "90"])
    parser.add_argument("--language", default="en")
    parser.add_argument("--timezone", default=None)
    args = parser.parse_args()
    report = demo_report(charts.StatsPeriod(f"{args.days}d"), args.timezone)
    png, caption = asyncio.run(stats_chart(Translator(args.language), report, args.timezone))
    args.out.write_bytes(png)
    print(f"{args.out}: {len(png)} bytes\n{caption}")


if __name__ == "__main__":
    main()
