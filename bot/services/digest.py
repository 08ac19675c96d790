"""The daily (or weekly) digest of a chat: clicks, exchanges, rewards accrued, balance change
and best traffic source over every linked account, as an outbox payload (plain JSON)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.services import insights
from bot.services.analytics import AnalyticsService
from bot.services.reports import DAY, ReportService, Window
from bot.storage.accounts import AccountRepo

PERIOD_DAYS = {"daily": 1, "weekly": 7}


@dataclass(frozen=True, slots=True)
class Digest:
    payload: dict[str, Any]
    balance: Decimal | None  # the total balance now (kept for the next digest's change)


class DigestService:
    def __init__(
        self, accounts: AccountRepo, reports: ReportService, analytics: AnalyticsService
    ) -> None:
        self._accounts = accounts
        self._reports = reports
        self._analytics = analytics

    async def build(
        self,
        chat_id: int,
        every: str,
        params: Sequence[str],
        last_balance: Decimal | None,
        now: float,
    ) -> Digest | None:
        """None when the chat has no account left."""
        linked = await self._accounts.for_chat(chat_id)
        if not linked:
            return None
        window = Window(int(now) - PERIOD_DAYS.get(every, 1) * DAY, None)
        data = await self._analytics.period(linked, window)
        overview = await self._reports.overview(chat_id, linked)
        balance = overview.totals.get("USD")
        accrued = [e for e in data.exchanges if e.accrued]
        table = insights.rank(
            insights.merge(
                insights.attribute(a.clicks, a.exchanges, params) for a in data.accounts
            ),
            top=1,
        )
        best = next((r for r in table.rows if r.source != insights.UNKNOWN and r.clicks), None)
        change = (
            balance - last_balance if balance is not None and last_balance is not None else None
        )
        payload = {
            "every": every,
            "clicks": len(data.clicks),
            "exchanges": len(data.exchanges),
            "completed": sum(1 for e in data.exchanges if e.completed),
            "accrued": format(sum((e.partner_reward for e in accrued), Decimal(0)), "f"),
            "accrued_count": len(accrued),
            "balance": format(balance, "f") if balance is not None else None,
            "change": format(change, "f") if change is not None else None,
            "best": best.source if best else None,
            "best_earnings": format(best.earnings, "f") if best else None,
            "unread": len(
                {a.id for a in data.failed}
                | {b.account.id for b in overview.balances if not b.info}
            ),
        }
        return Digest(payload, balance)
