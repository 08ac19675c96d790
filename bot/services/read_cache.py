"""A short-lived cache of exchanger reads, per account and request.

A person taps /balance, /payouts, /exchanges one after another, or taps the same command twice;
the exchanger should not be asked again for an answer it gave a few seconds ago. Entries are
keyed by (account id, method, parameters) and live `ttl` seconds (READ_CACHE_SECONDS). Two
identical reads at the same time share one request (the second awaits the first), so a burst of
the same command costs one call. Failures are never cached. Writes (add_payout) never go
through here; `forget(account_id)` drops an account's entries (unlink, relink, after a payout).

Memory is bounded: at most `max_entries`, oldest dropped first, expired ones pruned on insert.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar, cast

_T = TypeVar("_T")
Key = tuple[int, str, tuple[Hashable, ...]]
MAX_ENTRIES = 20_000


class ReadCache:
    def __init__(
        self,
        ttl: float,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._max_entries = max_entries
        self._values: OrderedDict[Key, tuple[float, Any]] = OrderedDict()
        self._pending: dict[Key, asyncio.Future[Any]] = {}

    @staticmethod
    def key(account_id: int, method: str, *params: Hashable) -> Key:
        return (account_id, method, tuple(params))

    def peek(self, key: Key) -> Any | None:
        """The fresh cached value, or None."""
        entry = self._values.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._values[key]
            return None
        return entry[1]

    def put(self, key: Key, value: Any) -> None:
        if self._ttl <= 0:
            return
        now = self._clock()
        self._values[key] = (now + self._ttl, value)
        self._values.move_to_end(key)
        self._prune(now)

    async def get(self, key: Key, fetch: Callable[[], Awaitable[_T]]) -> _T:
        """The cached value, the result of a read already running, or a new read."""
        cached = self.peek(key)
        if cached is not None:
            return cast(_T, cached)  # one cache holds every read's type: the key tells which
        running = self._pending.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            value = await fetch()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # marked retrieved: no warning when nobody else waited
            raise
        else:
            self.put(key, value)
            future.set_result(value)
            return value
        finally:
            self._pending.pop(key, None)

    def forget(self, account_id: int) -> None:
        """Drops every entry of the account (its data changed, or it is gone)."""
        for key in [k for k in self._values if k[0] == account_id]:
            del self._values[key]

    def _prune(self, now: float) -> None:
        while self._values and (
            len(self._values) > self._max_entries or next(iter(self._values.values()))[0] <= now
        ):
            self._values.popitem(last=False)

    def __len__(self) -> int:
        return len(self._values)
