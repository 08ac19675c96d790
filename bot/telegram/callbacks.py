"""Every inline button's data. Short versioned prefixes, Enum actions, ids only: never a key
or a wallet number. Each packs into Telegram's 64-byte limit (tested)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class View(StrEnum):
    BALANCE = "b"
    PAYOUTS = "p"
    EXCHANGES = "e"
    CLICKS = "c"


class AccountPick(CallbackData, prefix="a1"):
    """Choose which linked account a command is about."""

    view: View
    account_id: int
    period: str = "all"


class Page(CallbackData, prefix="pg1"):
    """◀ ▶ through a long list; the data is fetched again, so no page cache to go stale."""

    view: View
    account_id: int
    page: int
    period: str = "all"


class UnlinkAction(StrEnum):
    PICK = "p"
    CONFIRM = "y"
    CANCEL = "n"


class Unlink(CallbackData, prefix="u1"):
    action: UnlinkAction
    account_id: int = 0


class Language(CallbackData, prefix="l1"):
    code: str


class PayoutStart(CallbackData, prefix="ps1"):
    """Start the payout flow for an account (e.g. from a "payout available" notification)."""

    account_id: int


ALL_CALLBACKS: tuple[type[CallbackData], ...] = (AccountPick, Page, Unlink, Language, PayoutStart)
