"""Dialog state on both engines: state and data are kept apart and survive a reopen."""

from __future__ import annotations

from bot.storage.db import Database
from bot.storage.fsm import FsmRepo


async def test_state_and_data_are_kept_apart(db: Database) -> None:
    fsm = FsmRepo(db)
    assert await fsm.state("1:2:3") is None and await fsm.data("1:2:3") == {}
    await fsm.set_state("1:2:3", "Link:key")
    await fsm.set_data("1:2:3", {"account": 5, "site": "ex"})
    await fsm.set_state("1:2:3", "Link:site")
    assert await fsm.state("1:2:3") == "Link:site"
    assert await fsm.data("1:2:3") == {"account": 5, "site": "ex"}
    await fsm.set_state("1:2:3", None)
    assert await fsm.state("1:2:3") is None
    assert await fsm.data("1:9:9") == {}  # another user's dialog is untouched
