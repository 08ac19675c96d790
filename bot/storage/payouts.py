"""SQL of the payout flow: one row per confirmation, its audit trail, the last wallet per method.

Every state change is one conditional UPDATE (`… WHERE token = ? AND state = ?`) whose row
count says whether this caller won; the audit row and the saved wallet are written in the same
transaction, so the trail never disagrees with the state. Wallets are stored only encrypted,
and a `PayoutRequest`'s repr never shows one.

One request in flight per key: the claim copies the account's site and key fingerprint into
the row, and a partial UNIQUE index over (key_site, key_fingerprint) WHERE the state is
submitting or checking makes a second claim for the same key fail in the database itself,
whichever chat or process tries.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from bot.storage.crypto import DecryptionError, KeyVault, mask
from bot.storage.db import Connection, Database, IntegrityError, Row


class State(StrEnum):
    CREATED = "created"  # method and wallet chosen; the confirmation is not shown yet
    CONFIRMING = "confirming"  # the confirmation is shown; usable until expires_at
    SUBMITTING = "submitting"  # the claim was won: add_payout is (being) sent
    DONE = "done"
    FAILED = "failed"
    CHECKING = "checking"  # sent without a clear answer: reconciled with get_payouts
    CANCELLED = "cancelled"
    EXPIRED = "expired"


LIVE = (State.CREATED, State.CONFIRMING)
IN_FLIGHT = (State.SUBMITTING, State.CHECKING)


class Claim(StrEnum):
    WON = "won"
    LOST = "lost"  # the row was no longer confirming (another press, expiry)
    BUSY = "busy"  # another request for the same key is in flight


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
    submitted_at: float | None  # stamped right before add_payout leaves
    outcome: str | None
    detail: str
    payout_id: int | None
    claimed_at: float | None = None
    message_id: int | None = None  # the confirmation message, edited with the result
    language: str | None = None
    checks: int = 0
    next_check_at: float | None = None
    announce: bool = False  # the chat has not been told the final result yet


_ROWS = "SELECT r.*, a.site FROM payout_requests r JOIN accounts a ON a.id = r.account_id "
_SELECT = _ROWS + "WHERE r.token = ?"
_FLIGHT = "r.state IN ('submitting', 'checking')"
_KEY_OF = "(SELECT {col} FROM accounts k WHERE k.id = payout_requests.account_id)"


@dataclass(frozen=True, slots=True)
class InFlight:
    """A request being sent or checked, as /admin lists it (no wallet)."""

    id: int
    site: str
    chat_id: int
    state: State
    since: float
    checks: int


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
                    token,
                    draft.chat_id,
                    draft.user_id,
                    draft.account_id,
                    draft.method_id,
                    draft.method_title,
                    self._vault.encrypt(draft.wallet),
                    str(draft.amount),
                    str(draft.commission),
                    State.CREATED,
                    now,
                    now,
                ),
            )
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

    async def in_flight(self, account_id: int) -> PayoutRequest | None:
        """The request being sent or checked for this account's key, from any chat."""
        row = await self._db.fetch_one(
            _ROWS + f"WHERE {_FLIGHT} AND (r.key_site, r.key_fingerprint) = "
            "(SELECT site, key_fingerprint FROM accounts WHERE id = ?) ORDER BY r.id LIMIT 1",
            (account_id,),
        )
        return self._request(row) if row else None

    async def claim(
        self,
        request: PayoutRequest,
        user_id: int,
        now: float,
        *,
        message_id: int | None = None,
        language: str | None = None,
    ) -> Claim:
        """confirming → submitting, only if still confirming and not expired, and no other
        request of the same key is in flight: one statement (and the partial UNIQUE index)
        makes a confirmation usable once, across tasks, chats and processes. The amounts stored
        are the request's (re-read at confirmation time)."""
        try:
            async with self._db.transaction() as conn:
                changed = await conn.execute(
                    "UPDATE payout_requests SET state = ?, claimed_at = ?, amount = ?, "
                    f"commission = ?, message_id = ?, language = ?, "
                    f"key_site = {_KEY_OF.format(col='site')}, "
                    f"key_fingerprint = {_KEY_OF.format(col='key_fingerprint')} "
                    "WHERE token = ? AND state = ? AND expires_at > ?",
                    (
                        State.SUBMITTING,
                        now,
                        str(request.amount),
                        str(request.commission),
                        message_id,
                        language,
                        request.token,
                        State.CONFIRMING,
                        now,
                    ),
                )
                if changed != 1:
                    return Claim.LOST
                await self._audit(conn, request, user_id, now, "submitting")
        except IntegrityError:  # payout_requests_one_in_flight
            return Claim.BUSY
        return Claim.WON

    async def mark_sent(self, request: PayoutRequest, now: float) -> bool:
        """Stamped right before add_payout leaves; False: the row was given up meanwhile
        (stale), and the request must not be sent."""
        async with self._db.transaction() as conn:
            changed = await conn.execute(
                "UPDATE payout_requests SET submitted_at = ? "
                "WHERE token = ? AND state = ? AND submitted_at IS NULL",
                (now, request.token, State.SUBMITTING),
            )
            if changed != 1:
                return False
            await self._audit(conn, request, request.user_id, now, "sent")
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
        next_check_at: float | None = None,
        announce: bool = False,
    ) -> bool:
        """Move the row to `to` if it is still in one of `from_states` (and, with `stale_before`,
        was submitted, or claimed, before that time); audit it, and remember the wallet when it
        is DONE. `announce`: the chat is still to be told (by the reconciler)."""
        marks = ", ".join("?" for _ in from_states)
        sql = (
            "UPDATE payout_requests SET state = ?, outcome = ?, detail = ?, "
            "payout_id = COALESCE(?, payout_id), next_check_at = ?, announce = ? "
            f"WHERE token = ? AND state IN ({marks})"
        )
        params: list[object] = [
            to,
            outcome,
            detail,
            payout_id,
            next_check_at,
            int(announce),
            request.token,
            *from_states,
        ]
        if stale_before is not None:
            sql += " AND COALESCE(submitted_at, claimed_at) < ?"
            params.append(stale_before)
        async with self._db.transaction() as conn:
            if await conn.execute(sql, params) != 1:
                return False
            await self._audit(conn, request, user_id, now, outcome, payout_id, detail)
            if to is State.DONE:
                await self._remember(conn, request)
        return True

    async def checked(
        self, request: PayoutRequest, now: float, next_check_at: float, detail: str
    ) -> bool:
        """A check found nothing (yet): count it and plan the next one; audited."""
        async with self._db.transaction() as conn:
            changed = await conn.execute(
                "UPDATE payout_requests SET checks = checks + 1, next_check_at = ? "
                "WHERE token = ? AND state = ?",
                (next_check_at, request.token, State.CHECKING),
            )
            if changed != 1:
                return False
            await self._audit(conn, request, request.user_id, now, "checked", None, detail)
        return True

    async def taken_payout_ids(self, request: PayoutRequest) -> frozenset[int]:
        """Site payouts already attributed to other requests of the same account or key."""
        rows = await self._db.fetch_all(
            "SELECT o.payout_id FROM payout_requests o, payout_requests r "
            "WHERE r.id = ? AND o.id != r.id AND o.payout_id IS NOT NULL AND "
            "(o.account_id = r.account_id OR (o.key_site, o.key_fingerprint) = "
            "(r.key_site, r.key_fingerprint))",
            (request.id,),
        )
        return frozenset(int(row[0]) for row in rows)

    async def due(self, now: float, stale_before: float, limit: int = 100) -> list[PayoutRequest]:
        """What the reconciler must look at: checks that are due, submissions gone stale (a
        crash, a kill), and results the chat has not been told yet."""
        rows = await self._db.fetch_all(
            _ROWS + "WHERE (r.state = ? AND r.next_check_at <= ?) "
            "OR (r.state = ? AND COALESCE(r.submitted_at, r.claimed_at) < ?) "
            "OR (r.announce = 1 AND COALESCE(r.next_check_at, 0) <= ?) ORDER BY r.id LIMIT ?",
            (State.CHECKING, now, State.SUBMITTING, stale_before, now, limit),
        )
        return [self._request(row) for row in rows]

    async def next_due(self, stale_after: float) -> float | None:
        """When `due` will next return something (None: nothing in flight)."""
        row = await self._db.fetch_one(
            "SELECT MIN(at) FROM (SELECT next_check_at AS at FROM payout_requests "
            "WHERE state = ? UNION ALL SELECT COALESCE(submitted_at, claimed_at) + ? "
            "FROM payout_requests WHERE state = ? UNION ALL SELECT COALESCE(next_check_at, 0) "
            "FROM payout_requests WHERE announce = 1) AS due",
            (State.CHECKING, stale_after, State.SUBMITTING),
        )
        return float(row[0]) if row and row[0] is not None else None

    async def set_announce(
        self, request: PayoutRequest, pending: bool, at: float | None = None
    ) -> None:
        """Whether the chat still has to be told the final result (and when to try again);
        a request still in flight is announced when it ends anyway."""
        await self._db.execute(
            "UPDATE payout_requests SET announce = ?, next_check_at = ? "
            "WHERE token = ? AND state NOT IN (?, ?)",
            (int(pending), at, request.token, *IN_FLIGHT),
        )

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

    async def _remember(self, conn: Connection, request: PayoutRequest) -> None:
        await conn.execute(
            "INSERT INTO last_wallets (account_id, method_id, wallet_enc) VALUES (?, ?, ?) "
            "ON CONFLICT (account_id, method_id) DO UPDATE SET wallet_enc = excluded.wallet_enc",
            (request.account_id, request.method_id, self._vault.encrypt(request.wallet)),
        )

    async def _audit(
        self,
        conn: Connection,
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
                request.id,
                now,
                request.chat_id,
                user_id,
                request.account_id,
                request.site,
                request.method_id,
                mask(request.wallet),
                result,
                payout_id,
                detail[:500],
            ),
        )

    def _request(self, row: Row) -> PayoutRequest:
        try:
            wallet = self._vault.decrypt(row["wallet_enc"]) if row["wallet_enc"] else ""
        except DecryptionError:
            wallet = ""  # never submitted: an empty or invalid wallet stops the flow
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
            claimed_at=row["claimed_at"],
            message_id=row["message_id"],
            language=row["language"],
            checks=int(row["checks"] or 0),
            next_check_at=row["next_check_at"],
            announce=bool(row["announce"]),
        )


async def in_flight_requests(db: Database, limit: int = 20) -> list[InFlight]:
    """Requests being sent or checked, oldest first (for /admin)."""
    rows = await db.fetch_all(
        "SELECT r.id, a.site, r.chat_id, r.state, r.checks, "
        "COALESCE(r.submitted_at, r.claimed_at, r.created_at) AS since "
        f"FROM payout_requests r JOIN accounts a ON a.id = r.account_id WHERE {_FLIGHT} "
        "ORDER BY since LIMIT ?",
        (limit,),
    )
    return [
        InFlight(
            row["id"],
            row["site"],
            row["chat_id"],
            State(row["state"]),
            row["since"],
            int(row["checks"] or 0),
        )
        for row in rows
    ]
