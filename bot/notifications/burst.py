"""Burst batching: when many notifications of one chat are due at once (e.g. a dozen rewards
accrued by a site's cron run), they go out as one summary message instead of one each.

Pure: `fold` turns one chat's due rows (in event order) into the rows to send, the summary
standing in for the rows it folds (at the place of the first). The sender marks every folded
row sent only after Telegram accepted the summary (and retries or drops them together).
Notifications with a button or about the key (payout available, key rejected/working again)
are never folded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from bot.domain import BURST_SUMMARY, PAYOUT_OVERDUE, NotificationKind
from bot.storage.outbox import Pending

FOLDABLE = frozenset(
    {
        NotificationKind.ACCRUED.value,
        NotificationKind.NEW_EXCHANGE.value,
        NotificationKind.PAYOUT_STATUS.value,
        PAYOUT_OVERDUE,
    }
)


def fold(rows: Sequence[Pending], minimum: int) -> tuple[list[Pending], dict[int, tuple[int, ...]]]:
    """(rows to send, summary id → the ids of the rows it folds); `minimum` 0: never fold."""
    foldable = [row for row in rows if row.kind in FOLDABLE]
    if minimum <= 0 or len(foldable) < max(minimum, 2):
        return list(rows), {}
    first = foldable[0]
    summary = dataclasses.replace(
        first,
        kind=BURST_SUMMARY,
        payload={"items": [{"kind": row.kind, **row.payload} for row in foldable]},
        attempts=max(row.attempts for row in foldable),
    )
    kept = [
        summary if row is first else row for row in rows if row is first or row.kind not in FOLDABLE
    ]
    return kept, {summary.id: tuple(row.id for row in foldable)}
