"""The short per-account read cache: reuse within the TTL, one request for a burst, no cached
failures, forgetting an account, bounded memory."""

from __future__ import annotations

import asyncio

import pytest

from bot.services import read_cache
from bot.services.read_cache import ReadCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Site:
    def __init__(self) -> None:
        self.calls = 0
        self.gate = asyncio.Event()
        self.gate.set()
        self.fail = False

    async def read(self) -> str:
        self.calls += 1
        await self.gate.wait()
        if self.fail:
            raise RuntimeError("site down")
        return f"answer {self.calls}"


async def test_reused_within_the_ttl_then_read_again() -> None:
    clock, site = Clock(), Site()
    cache = ReadCache(15, clock=clock)
    key = ReadCache.key(1, "get_info")
    assert await cache.get(key, site.read) == "answer 1"
    clock.now += 14.9
    assert await cache.get(key, site.read) == "answer 1"
    assert await cache.get(ReadCache.key(2, "get_info"), site.read) == "answer 2"  # per account
    assert await cache.get(ReadCache.key(1, "get_links", 5, None), site.read) == "answer 3"
    clock.now += 0.2
    assert await cache.get(key, site.read) == "answer 4"
    assert site.calls == 4


async def test_a_burst_of_the_same_read_costs_one_request() -> None:
    site = Site()
    site.gate.clear()
    cache = ReadCache(15, clock=Clock())
    key = ReadCache.key(1, "get_info")
    tasks = [asyncio.create_task(cache.get(key, site.read)) for _ in range(10)]
    await asyncio.sleep(0)
    site.gate.set()
    assert await asyncio.gather(*tasks) == ["answer 1"] * 10
    assert site.calls == 1


async def test_failures_reach_every_waiter_and_are_not_cached() -> None:
    site = Site()
    site.gate.clear()
    site.fail = True
    cache = ReadCache(15, clock=Clock())
    key = ReadCache.key(1, "get_info")
    tasks = [asyncio.create_task(cache.get(key, site.read)) for _ in range(3)]
    await asyncio.sleep(0)
    site.gate.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results)
    site.fail = False
    assert await cache.get(key, site.read) == "answer 2"


async def test_forget_and_put_and_ttl_zero() -> None:
    clock, site = Clock(), Site()
    cache = ReadCache(15, clock=clock)
    cache.put(ReadCache.key(7, "get_info"), "seeded")
    assert await cache.get(ReadCache.key(7, "get_info"), site.read) == "seeded"
    cache.forget(7)
    assert await cache.get(ReadCache.key(7, "get_info"), site.read) == "answer 1"
    off = ReadCache(0, clock=clock)
    off.put(ReadCache.key(7, "get_info"), "seeded")
    assert await off.get(ReadCache.key(7, "get_info"), site.read) == "answer 2"
    assert len(off) == 0


def test_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    cache = ReadCache(15, clock=clock, max_entries=100)
    for account in range(1_000):
        cache.put(ReadCache.key(account, "get_info"), account)
    assert len(cache) == 100
    assert cache.peek(ReadCache.key(999, "get_info")) == 999
    clock.now += 16
    cache.put(ReadCache.key(5_000, "get_info"), 0)
    assert len(cache) == 1  # expired entries are pruned
    assert read_cache.MAX_ENTRIES >= 10_000
