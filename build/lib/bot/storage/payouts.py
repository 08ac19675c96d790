"""SQL of the payout flow: one row per confirmation, its audit trail, the last wallet per method.

Every state change is one conditional UPDATE (`… WHERE token = ? AND state = ?`) whose row
count says whether this caller won; the audit row and the saved wallet are written in the same
transaction, so the trail never disagrees with the state. Wallets are stored only encrypted,
and a `PayoutRequest`'s repr never shows one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

import aiosqlite

from bot.storage.crypto import DecryptionError, KeyVault, mask
from bot.storage.db import Database


class State(StrEnum):
    CREATED = "created"  # method and wallet chosen; the confirmation is not shown yet
    CONFIRMING = "confirming"  # the confirmation is shown; usable until expires_at
    SUBMITTING = "submitting"  # the claim was won: add_payout is (being) sent
    DONE = "done"
    FAILED = "failed"
    UNKNOWN = "unknown"  # sent, no answer: to reconcile with get_payouts
    CANCELLED = "cancelled"
    EXPIRED = "expired"


LIVE = (State.CREATED, State.CONFIRMING)


@dataclass(frozen=True, slots=True)
class Draft:
    """What a new confirmation row holds."""

    chat_id: int
    user_id: int
    account_id: int
    method_id: int
    method_title: str
    wallet: str = field(repr=False)
    amount: Decimal
    commission: Decimal


@dataclass(frozen=True, slots=True)
class PayoutRequest:
    id: int
    token: str
    chat_id: int
    user_id: int
    account_id: int
    site: str
    method_id: int
    method_title: str
    wallet: str = field(repr=False)
    amount: Decimal
    commission: Decimal
    state: State
    expires_at: float
    submitted_at: float | None
    outcome: str | None
    detail: str
    payout_id: int | None


_SELECT = (
    "SELECT r.*, a.site FROM payout_requests r JOIN accounts a ON a.id = r.account_id "
    "WHERE r.token = ?"
)


def new_token() -> str:
    """16 url-safe characters (96 random bits): fits callback data, cannot be guessed."""
    return secrets.token_urlsafe(12)


class PayoutRepo:
    def __init__(self, db: Database, vault: KeyVault) -> None:
        self._db = db
        self._vault = vault

    async def account_owner(self, account_id: int) -> tuple[int, int] | None:
        """(chat_id, user who linked it) of an account, or None when it is gone."""
        row = await self._db.fetch_one(
            "SELECT chat_id, linked_by FROM accounts WHERE id = ?", (account_id,)
        )
        return (int(row["chat_id"]), int(row["linked_by"])) if row else None

    async def create(self, draft: Draft, now: float) -> PayoutRequest:
        """A new row in state `created`; older live confirmations of the account are cancelled,
        so at most one confirmation per account can ever be pressed."""
        token = new_token()
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE payout_requests SET state = ?, outcome = ? "
                "WHERE account_id = ? AND state IN (?, ?)",
                (State.CANCELLED, "superseded", draft.account_id, *LIVE),
            )
            await conn.execute(
                "INSERT INTO payout_requests (token, chat_id, user_id, account_id, method_id, "
                "method_title, wallet_enc, amount, commission, state, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    token, draft.chat_id, draft.user_id, draft.account_id, draft.method_id,
                    draft.method_title, self._vault.encrypt(draft.wallet), str(draft.amount),
                    str(draft.commission), State.CREATED, now, now,
                ),
            )  # fmt: skip
        request = await self.get(token)
        assert request is not None
        return request

    async def get(self, token: str) -> PayoutRequest | None:
        row = await self._db.fetch_one(_SELECT, (token,))
        return self._request(row) if row else None

    async def show(self, token: str, expires_at: float) -> bool:
        """created → confirming: the confirmation is being shown, the clock starts. (Written
        before the message is sent: a confirmation that never arrived just expires.)"""
        changed = await self._db.execute(
            "UPDATE payout_requests SET state = ?, expires_at = ? WHERE token = ? AND state = ?",
            (State.CONFIRMING, expires_at, token, State.CREATED),
        )
        return changed == 1

    async def claim(self, request: PayoutRequest, user_id: int, now: float) -> bool:
        """confirming → submitting, only if still confirming and not expired: the one statement
        that makes a confirmation usable once, across tasks and processes. The amounts stored
        are the request's (re-read at confirmation time)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE payout_requests SET state = ?, submitted_at = ?, amount = ?, "
                "commission = ? WHERE token = ? AND state = ? AND expires_at > ?",
                (
                    State.SUBMITTING, now, str(request.amount), str(request.commission),
                    request.token, State.CONFIRMING, now,
                ),
            )  # fmt: skip
            if cursor.rowcount != 1:
                return False
            await self._audit(conn, request, user_id, now, "submitting")
        return True

    async def settle(
        self,
        request: PayoutRequest,
        to: State,
        outcome: str,
        *,
        from_states: tuple[State, ...],
        user_id: int,
        now: float,
        payout_id: int | None = None,
        detail: str = "",
        stale_before: float | None = None,
    ) -> bool:
        """Move the row to `to` if it is still in one of `from_states` (and, with `stale_before`,
        was submitted before that time); audit it, and remember the wallet when it is DONE."""
        marks = ", ".join("?" for _ in from_states)
        sql = (
            "UPDATE payout_requests SET state = ?, outcome = ?, detail = ?, "
            f"payout_id = COALESCE(?, payout_id) WHERE token = ? AND state IN ({marks})"
        )
        params: list[object] = [to, outcome, detail, payout_id, request.token, *from_states]
        if stale_before is not None:
            sql += " AND submitted_at < ?"
            params.append(stale_before)
        async with self._db.transaction() as conn:
            cursor = await conn.execute(sql, params)
            if cursor.rowcount != 1:
                return False
            await self._audit(conn, request, user_id, now, outcome, payout_id, detail)
            if to is State.DONE:
                await self._remember(conn, request)
        return True

    async def audit(
        self, request: PayoutRequest, user_id: int, now: float, result: str, detail: str = ""
    ) -> None:
        """An event that changes no state (a foreign press, a failed check)."""
        async with self._db.transaction() as conn:
            await self._audit(conn, request, user_id, now, result, None, detail)

    async def last_wallet(self, account_id: int, method_id: int) -> str | None:
        row = await self._db.fetch_one(
            "SELECT wallet_enc FROM last_wallets WHERE account_id = ? AND method_id = ?",
            (account_id, method_id),
        )
        if row is None:
            return None
        try:
            return self._vault.decrypt(row["wallet_enc"])
        except DecryptionError:
            return None

    async def _remember(self, conn: aiosqlite.Connection, request: PayoutRequest) -> None:
        await conn.execute(
            "INSERT INTO last_wallets (account_id, method_id, wallet_enc) VALUES (?, ?, ?) "
            "ON CONFLICT (account_id, method_id) DO UPDATE SET wallet_enc = excluded.wallet_enc",
            (request.account_id, request.method_id, self._vault.encrypt(request.wallet)),
        )

    async def _audit(
        self,
        conn: aiosqlite.Connection,
        request: PayoutRequest,
        user_id: int,
        now: float,
        result: str,
        payout_id: int | None = None,
        detail: str = "",
    ) -> None:
        await conn.execute(
            "INSERT INTO payout_audit (request_id, at, chat_id, user_id, account_id, site, "
            "method_id, wallet_masked, result, payout_id, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                request.id, now, request.chat_id, user_id, request.account_id, request.site,
                request.method_id, mask(request.wallet), result, payout_id, detail[:500],
            ),
        )  # fmt: skip

    def _request(self, row: aiosqlite.Row) -> PayoutRequest:
        try:
            wallet = self._vault.decrypt(row["wallet_enc"])
        except DecryptionError:
            wallet = ""  # never submitted: an empty account is refused before sending
        return PayoutRequest(
            id=row["id"],
            token=row["token"],
            chat_id=row["chat_id"],
            user_id=row["user_id"],
            account_id=row["account_id"],
            site=row["site"],
            method_id=row["method_id"],
            method_title=row["method_title"] or "",
            wallet=wallet,
            amount=Decimal(row["amount"]),
            commission=Decimal(row["commission"]),
            state=State(row["state"]),
            expires_at=row["expires_at"],
            submitted_at=row["submitted_at"],
            outcome=row["outcome"],
            detail=row["detail"] or "",
            payout_id=row["payout_id"],
        )
