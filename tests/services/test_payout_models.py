"""The payout flow's pure rules: wallet validation, which payout on the site is ours, how a
finished confirmation is reported again."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.exchanger import Payout, PayoutStatus
from bot.services.payout_models import Result, WalletProblem, check_wallet, created_by, stored
from bot.storage.payouts import PayoutRequest, State

WALLET = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
SUBMITTED = 1_700_000_000.0


def request(state: State = State.CHECKING, **changes: object) -> PayoutRequest:
    values: dict[str, object] = {
        "id": 1,
        "token": "t" * 16,
        "chat_id": 1,
        "user_id": 1,
        "account_id": 1,
        "site": "https://ex.example",
        "method_id": 2,
        "method_title": "USDT",
        "wallet": WALLET,
        "amount": Decimal("9"),
        "commission": Decimal("1"),
        "state": state,
        "expires_at": SUBMITTED + 300,
        "submitted_at": SUBMITTED,
        "outcome": None,
        "detail": "",
        "payout_id": None,
    }
    values.update(changes)
    return PayoutRequest(**values)  # type: ignore[arg-type]


def payout(
    payout_id: int, time: int, method_id: int = 2, account: str = WALLET, amount: str = "9"
) -> Payout:
    return Payout(
        payout_id,
        time,
        method_id,
        account,
        Decimal(amount),
        "USD",
        Decimal("10"),
        "USD",
        PayoutStatus.PENDING,
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", WalletProblem.EMPTY),
        ("   \n", WalletProblem.EMPTY),
        ("ab", WalletProblem.TOO_SHORT),
        ("x" * 129, WalletProblem.TOO_LONG),
        ("TQn9 Y2kh", WalletProblem.SPACES),
        ("TQn9\x00Y2kh", WalletProblem.CONTROL),
        ("TQn9\u200bY2kh", WalletProblem.CONTROL),  # zero-width space
        ("  P1234567  ", None),
        ("user@example.com", None),
        ("x" * 128, None),
    ],
)
def test_wallet_validation(text: str, problem: WalletProblem | None) -> None:
    assert check_wallet(text) is problem


def test_our_payout_is_the_oldest_match_since_the_request() -> None:
    since = SUBMITTED - 60
    newest_first = [
        payout(9, int(SUBMITTED) + 5, method_id=3),  # another method
        payout(8, int(SUBMITTED) + 4, account="TOTHER0000"),  # another account
        payout(7, int(SUBMITTED) + 1, account=f" {WALLET} "),  # ours (the site kept spaces)
        payout(6, int(since) - 1),  # same method and account, but older
    ]
    found = created_by(request(), newest_first, since)
    assert found is not None and found.id == 7
    assert created_by(request(), newest_first[:2] + newest_first[3:], since) is None
    later = [payout(10, int(SUBMITTED) + 9), *newest_first]
    assert created_by(request(), later, since).id == 7  # type: ignore[union-attr]
    assert created_by(request(), later, since, taken=frozenset({7})).id == 10  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("amount", "account", "ours"),
    [
        ("9", WALLET, True),
        ("9.04", WALLET, True),  # rounding on the site
        ("8.50", WALLET, False),  # another request, of another amount
        ("12", WALLET, False),
        ("0", WALLET, True),  # the site does not show the amount
        ("9", "", True),  # the site does not show the account
        ("9", "TOTHER0000", False),
    ],
)
def test_a_payout_is_ours_only_with_about_the_amount_confirmed(
    amount: str, account: str, ours: bool
) -> None:
    found = created_by(request(), [payout(7, int(SUBMITTED), account=account, amount=amount)], 0)
    assert (found is not None) is ours


def test_a_finished_confirmation_is_replayed_not_redrawn() -> None:
    done = stored(request(State.DONE, outcome="requested", payout_id=5))
    assert (done.result, done.payout_id, done.replay) == (Result.REQUESTED, 5, True)
    refused = stored(request(State.FAILED, outcome="refused", detail="Blacklisted"))
    assert (refused.result, refused.detail) == (Result.REFUSED, "Blacklisted")
    assert stored(request(State.EXPIRED)).result is Result.EXPIRED
    assert stored(request(State.CANCELLED, outcome="superseded")).result is Result.CANCELLED
    assert stored(request(State.CREATED)).result is Result.STALE
    checking = stored(request(State.CHECKING))
    assert (checking.result, checking.replay) == (Result.CHECKING, True)
    assert stored(request(State.SUBMITTING)).result is Result.IN_PROGRESS
