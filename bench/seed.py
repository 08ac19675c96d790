"""The bot's database with N linked accounts, written directly (one transaction, real encryption).

Account i (1-based) holds key `bench-key-<i:06d>` on the fake exchanger and is linked to its own
private chat `chat_id(i)`, unless `chats` is smaller: then accounts share chats round-robin.
AccountRepo.add costs two statements and a commit per account (~10 s for 10,000); the same
rows go in here with one executemany, encrypted with the same KeyVault.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import aiosqlite
from cryptography.fernet import Fernet

from bot.storage.crypto import KeyVault
from bot.storage.db import Database

CHAT_BASE = 50_000_000


def chat_id(index: int) -> int:
    return CHAT_BASE + index


def bench_key(index: int) -> str:
    return f"bench-key-{index:06d}"


def new_encryption_key() -> str:
    return Fernet.generate_key().decode()


def account_chats(accounts: int, chats: int | None = None) -> list[int]:
    """The chat of each account, in account order."""
    count = chats or accounts
    return [chat_id((index - 1) % count + 1) for index in range(1, accounts + 1)]


async def seed_accounts(
    path: Path,
    site: str,
    encryption_key: str,
    accounts: int,
    *,
    chats: int | None = None,
    baseline: list[dict[str, Any]] | None = None,
    hold_polls: bool = False,
) -> list[int]:
    """Creates the database (migrations included) with the accounts; returns their chat ids.

    With `baseline` (the fake exchanger's /_bench/state) every account is stored as after its
    baseline poll: its items, `baseline_done`, `last_success_at` — a bot restarted with N
    linked accounts. Without, each account's first poll is its baseline. With `hold_polls`
    the accounts are next polled an hour from now (an idle bot)."""
    vault = KeyVault([encryption_key.encode()])
    owners = account_chats(accounts, chats)
    now = int(time.time())
    rows = []
    for index, owner in enumerate(owners, start=1):
        key = bench_key(index)
        done = baseline is not None
        available = bool(baseline[index - 1]["available"]) if baseline else False
        rows.append(
            (
                index,
                owner,
                site,
                vault.encrypt(key),
                vault.fingerprint(site, key),
                key[:4],
                owner,
                now,
                int(done),
                now if done else None,
                int(available),
                now + 3_600 if hold_polls else 0,
            )
        )
    db = await Database.open(path)
    try:
        async with db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO chats (chat_id, chat_type, created_at) VALUES (?, 'private', ?)"
                " ON CONFLICT (chat_id) DO NOTHING",
                [(owner, now) for owner in dict.fromkeys(owners)],
            )
            await conn.executemany(
                "INSERT INTO accounts (id, chat_id, site, api_key_enc, key_fingerprint, key_hint,"
                " linked_by, created_at, baseline_done, last_success_at, payout_available,"
                " next_poll_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            if baseline:
                await _store_baseline(conn, baseline)
    finally:
        await db.close()
    return sorted(set(owners))


async def _store_baseline(conn: aiosqlite.Connection, baseline: list[dict[str, Any]]) -> None:
    exchanges = [
        (index, *item) for index, data in enumerate(baseline, 1) for item in data["exchanges"]
    ]
    payouts = [(index, *item) for index, data in enumerate(baseline, 1) for item in data["payouts"]]
    await conn.executemany(
        "INSERT INTO exchange_state (account_id, exchange_id, time, completed, accrued)"
        " VALUES (?, ?, ?, ?, ?)",
        exchanges,
    )
    await conn.executemany(
        "INSERT INTO payout_state (account_id, payout_id, time, status) VALUES (?, ?, ?, ?)",
        payouts,
    )
