"""The account a user last chose for a list command in a chat, remembered for a while.

With several accounts, /payouts, /exchanges and /clicks ask which one; the answer is kept in
the user's FSM data (so it survives a restart) for REMEMBER_SECONDS, and the next list command
in that time goes straight to it (with 🔁 to choose again). A dialog that resets the FSM data
(linking, a payout) simply makes the next list command ask again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from aiogram.fsm.context import FSMContext

REMEMBER_SECONDS = 600
KEY = "report_choice"


async def recall(state: FSMContext, clock: Callable[[], float] = time.time) -> int | None:
    """The remembered account id (ALL_ACCOUNTS for all), or None when nothing recent."""
    choice = (await state.get_data()).get(KEY)
    if not isinstance(choice, dict):
        return None
    account, until = choice.get("account"), choice.get("until")
    if not isinstance(account, int) or not isinstance(until, int | float) or until <= clock():
        return None
    return account


async def remember(
    state: FSMContext, account_id: int, clock: Callable[[], float] = time.time
) -> None:
    await state.update_data({KEY: {"account": account_id, "until": clock() + REMEMBER_SECONDS}})
