import pytest
from aiogram.filters.callback_data import CallbackData

from bot.domain import NotificationKind
from bot.services.reports import Period
from bot.telegram.callbacks import (
    ALL_CALLBACKS,
    AccountPick,
    Language,
    NotifyToggle,
    Page,
    PayoutConfirm,
    PayoutConfirmAction,
    PayoutFlow,
    PayoutFlowAction,
    PayoutStart,
    PickAgain,
    SourcesPage,
    Unlink,
    UnlinkAction,
    View,
)

BIG = 2**63 - 1

WORST_CASES: list[CallbackData] = [
    AccountPick(view=View.EXCHANGES, account_id=BIG, period="30d"),
    Page(view=View.EXCHANGES, account_id=BIG, page=100_000, period="today", until=2**40),
    PickAgain(view=View.EXCHANGES, period="today"),
    Unlink(action=UnlinkAction.CONFIRM, account_id=BIG),
    Language(code="ru"),
    PayoutStart(account_id=BIG),
    PayoutFlow(action=PayoutFlowAction.LAST_WALLET, account_id=BIG, method_id=BIG),
    PayoutConfirm(action=PayoutConfirmAction.CONFIRM, token="A-_" * 6),  # tokens: 16 chars
    NotifyToggle(kind=NotificationKind.PAYOUT_AVAILABLE, on=False),
    SourcesPage(period=Period.TODAY, page=100_000),
]


def test_every_callback_has_a_worst_case() -> None:
    assert {type(c) for c in WORST_CASES} == set(ALL_CALLBACKS)


@pytest.mark.parametrize("data", WORST_CASES, ids=lambda d: type(d).__name__)
def test_packs_within_64_bytes_and_round_trips(data: CallbackData) -> None:
    packed = data.pack()
    assert len(packed.encode()) <= 64
    assert type(data).unpack(packed) == data


def test_prefixes_are_unique() -> None:
    prefixes = [c.__prefix__ for c in ALL_CALLBACKS]
    assert len(prefixes) == len(set(prefixes))
