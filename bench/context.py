"""What every benchmark gets: the scale, a scratch directory, progress output, shared figures."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Scale:
    name: str
    runs: int  # runs per figure (the median of them is shown, with the range)
    client_accounts: int  # client options: accounts per run, 2 requests each
    concurrency: int  # requests in flight (MAX_CONCURRENT_POLLS)
    poll_sizes: tuple[int, ...]  # bot polling cost at these account counts; the last is "big"
    poll_interval: float  # POLL_INTERVAL of the polling sessions (scaled down from 60 s)
    cpu_window: float  # seconds per CPU sample while the first round runs
    commands: int  # /balance and /payouts each, sent during load
    delivery_messages: int
    delivery_chats: int
    freshness_accounts: int
    freshness_interval: float
    freshness_events: int
    freshness_window: float  # seconds over which the events are spread
    load_accounts: int  # benchmark 6: few enough to be polled every second
    load_window: float
    kinds_accounts: int  # every event kind into quiet and busy accounts (target: none missed)
    kinds_interval: float
    kinds_per_group: int
    scale_accounts: int = 100_000  # issue 15: accounts shared by `scale_processes` bots
    scale_processes: int = 4
    scale_single: int = 10_000  # the same measurement with one bot (the comparison)
    one_session: bool = False  # tiny: every bot benchmark in one bot session

    @property
    def big(self) -> int:
        return self.poll_sizes[-1]


FULL = Scale(
    name="full",
    runs=3,
    client_accounts=500,
    concurrency=20,
    poll_sizes=(1_000, 10_000),
    poll_interval=20.0,
    cpu_window=10.0,
    commands=100,  # × 2 per session (/balance, /payouts): ≥ 200 samples
    delivery_messages=3_000,
    delivery_chats=500,
    freshness_accounts=2_000,
    freshness_interval=10.0,
    freshness_events=200,
    freshness_window=30.0,
    load_accounts=50,
    load_window=12.0,
    kinds_accounts=200,
    kinds_interval=2.0,
    kinds_per_group=4,
)
TINY = Scale(
    name="tiny",
    runs=1,
    client_accounts=20,
    concurrency=5,
    poll_sizes=(20,),
    poll_interval=1.0,
    cpu_window=1.0,
    commands=2,
    delivery_messages=20,
    delivery_chats=20,
    freshness_accounts=20,
    freshness_interval=1.0,
    freshness_events=4,
    freshness_window=1.0,
    load_accounts=20,
    load_window=1.5,
    kinds_accounts=20,
    kinds_interval=1.0,
    kinds_per_group=1,
    scale_accounts=40,
    scale_single=10,
    one_session=True,
)
SCALES = {scale.name: scale for scale in (FULL, TINY)}
TARGET_RATE = 1_000.0  # requests/s the polling sessions are scaled to (3× 10,000 at 60 s)


def polling_interval(scale: Scale, accounts: int) -> float:
    """POLL_INTERVAL of a polling session: N accounts × 2 lists make ~TARGET_RATE requests/s."""
    if scale.one_session:
        return scale.poll_interval
    return max(1.0, round(accounts * 2 / TARGET_RATE, 1))


@dataclass
class Context:
    scale: Scale
    work_dir: Path
    started: float = field(default_factory=time.monotonic)
    shared: dict[str, float] = field(default_factory=dict)  # e.g. the bare loop's µs/request
    notes: list[str] = field(default_factory=list)  # extra lines for results.md
    sessions: set[str] = field(default_factory=set)  # bot sessions to run; empty: all
    profile: bool = False  # run the bot under cProfile (its figures are then inflated)
    profiles: list[Path] = field(default_factory=list)  # the profiles written

    def progress(self, text: str) -> None:
        elapsed = time.monotonic() - self.started
        print(f"[bench {elapsed:6.1f}s] {text}", file=sys.stderr, flush=True)

    def directory(self, name: str) -> Path:
        path = self.work_dir / name
        path.mkdir(parents=True, exist_ok=True)
        return path
