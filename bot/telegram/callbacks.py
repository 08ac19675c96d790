"""Every inline button's data. Short versioned prefixes, Enum actions, ids only: never a key
or a wallet number. Each packs into Telegram's 64-byte limit (tested)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.domain import NotificationKind
from bot.services.reports import Period

# A database row id: forged data beyond SQLite's 64-bit range fails the filter, not the query.
RowId = Annotated[int, Field(ge=0, le=2**63 - 1)]
PageNumber = Annotated[int, Field(ge=0, le=100_000)]
UnixTime = Annotated[int, Field(ge=0, le=2**40)]
ALL_ACCOUNTS = 0  # account_id 0 in AccountPick / Page: every account of the chat


class View(StrEnum):
    BALANCE = "b"
    PAYOUTS = "p"
    EXCHANGES = "e"
    CLICKS = "c"


class AccountPick(CallbackData, prefix="a1"):
    """Choose which linked account a command is about (ALL_ACCOUNTS: all of them)."""

    view: View
    account_id: RowId
    period: str = ""


class Page(CallbackData, prefix="pg1"):
    """◀ ▶ through a long list, and ⏪ ⏩ through time: `until` is the end of the shown time
    window (0: up to now). The data is fetched again (through the short read cache)."""

    view: View
    account_id: RowId
    page: PageNumber
    period: str = ""
    until: UnixTime = 0


class PickAgain(CallbackData, prefix="ra1"):
    """🔁 under a list shown for the remembered account: choose the account again."""

    view: View
    period: str = ""


class UnlinkAction(StrEnum):
    PICK = "p"
    CONFIRM = "y"
    CANCEL = "n"


class Unlink(CallbackData, prefix="u1"):
    action: UnlinkAction
    account_id: RowId = 0


class Language(CallbackData, prefix="l1"):
    code: str


class PayoutStart(CallbackData, prefix="ps1"):
    """Start the payout flow for an account (e.g. from a "payout available" notification)."""

    account_id: RowId


class PayoutFlowAction(StrEnum):
    METHOD = "m"
    LAST_WALLET = "w"
    CANCEL = "x"


class PayoutFlow(CallbackData, prefix="pf1"):
    """A step of the payout dialog before its confirmation; the dialog itself is in the FSM."""

    action: PayoutFlowAction
    account_id: RowId = 0
    method_id: RowId = 0


class PayoutConfirmAction(StrEnum):
    CONFIRM = "y"
    CANCEL = "n"
    CHECK = "c"  # buttons of older versions ("check again"): now answered with the state


class PayoutConfirm(CallbackData, prefix="pc1"):
    """A button of a payout confirmation: a random token names its row (never the wallet)."""

    action: PayoutConfirmAction
    token: str


class NotifyToggle(CallbackData, prefix="ns1"):
    """/settings: set one notification kind on or off (the wanted value, not a flip: a stale
    button pressed twice leaves the same result)."""

    kind: NotificationKind
    on: bool


class SourcesPage(CallbackData, prefix="sp1"):
    """◀ ▶ through the /sources table of a period (read again through the read cache)."""

    period: Period
    page: PageNumber


ALL_CALLBACKS: tuple[type[CallbackData], ...] = (
    AccountPick,
    Page,
    PickAgain,
    Unlink,
    Language,
    PayoutStart,
    PayoutFlow,
    PayoutConfirm,
    NotifyToggle,
    SourcesPage,
)
