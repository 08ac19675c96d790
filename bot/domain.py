"""Names that several layers share: the kinds of notification. The bottom of the import graph:
it imports nothing from the bot, so storage, notifications and telegram can all use it."""

from __future__ import annotations

from enum import StrEnum


class NotificationKind(StrEnum):
    """The notifications a chat can turn on and off (/settings)."""

    ACCRUED = "accrued"
    PAYOUT_STATUS = "payout_status"
    NEW_EXCHANGE = "new_exchange"
    PAYOUT_AVAILABLE = "payout_available"


KEY_REJECTED = "key_rejected"  # not a toggle: always sent
KEY_WORKS = "key_works"  # a paused account's key is accepted again; not a toggle either
PAYOUT_OVERDUE = "payout_overdue"  # the payout watchdog's reminder; follows PAYOUT_STATUS
DIGEST = "digest"  # asked for in /settings, so not a toggle
ANOMALY = "anomaly"  # opt-in in /settings, so not a toggle either
BURST_SUMMARY = "burst_summary"  # never stored: the kind of the summary the sender makes
