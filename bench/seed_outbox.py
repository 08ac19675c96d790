"""Notifications queued in the bot's outbox before it starts (the delivery benchmark).

Separate from seed.py because it imports the notification engine (and with it aiogram).
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

from bot.exchanger.models import Exchange
from bot.notifications.detector import detect
from bot.storage.db import Database
from bot.storage.outbox import Message, Outbox, PollResult
from bot.storage.snapshots import Snapshot


async def enqueue_notifications(path: Path, total: int, *, hold_polls: bool) -> int:
    """Queues `total` "new exchange" notifications round-robin over the (baselined) accounts,
    through the bot's own detector and outbox, so payloads are what the poller writes. With
    `hold_polls` the accounts are next polled an hour from now: the sender works alone.
    Returns the number of rows enqueued."""
    db = await Database.open(path)
    try:
        accounts = [(int(r[0]), int(r[1])) for r in await db.fetch_all(_ACCOUNTS)]
        per_account: dict[int, list[Exchange]] = {account: [] for account, _ in accounts}
        now = int(time.time())
        for number in range(total):
            account, _ = accounts[number % len(accounts)]
            per_account[account].append(_exchange(number + 1, now))
        results = []
        for account, owner in accounts:
            found = detect(
                account,
                Snapshot(),
                per_account[account],
                [],
                None,
                baseline=False,
                cap=len(per_account[account]) + 1,
            )
            label = {"account": f"bench account {account}"}  # as the poller adds it
            messages = tuple(
                Message(e.key, e.kind.value, owner, account, {**e.data, **label})
                for e in found.events
            )
            results.append(
                PollResult(
                    account_id=account,
                    next_poll_at=now + 3_600 if hold_polls else 0.0,
                    baseline_done=True,
                    exchanges=found.exchanges,
                    messages=messages,
                )
            )
        return await Outbox(db).save(results)
    finally:
        await db.close()


_ACCOUNTS = "SELECT id, chat_id FROM accounts ORDER BY id"


def _exchange(number: int, now: int) -> Exchange:
    """A new, not yet completed exchange; the amounts make every message text unique."""
    give = Decimal(number).scaleb(-4) + Decimal("0.01")
    return Exchange(
        id=900_000_000 + number,
        time=now - 60,
        currency_code_give="BTC",
        currency_code_get="USDTTRC20",
        amount_give=give,
        amount_get=(give * 67_250).quantize(Decimal("0.01")),
        partner_reward=Decimal(number % 400).scaleb(-2),
    )
