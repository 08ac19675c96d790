"""The whole bench at the tiny scale (~20 accounts, seconds): it completes and writes every row.

Benchmarks are not tests: nothing here asserts a time or a target. This only keeps `bench/`
from rotting: every benchmark still runs against the current bot and produces its figures.
The one behaviour checked beyond that: in the scale benchmark (issue 15) each of the 4 bot
processes sharing the accounts made polls.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLIENTS = ("aiohttp", "httpx", "httpx-nosniffio", "httpx-aiohttp", "bot")
KINDS = ("exchange", "complete", "accrue", "payout_new", "payout", "rotate")
TINY_ACCOUNTS = 20
SCALE_SETUPS = ("1x10", "4x40")  # issue 15: one bot, then 4 bots sharing the accounts
SCALE_FIGURES = (
    "cpu_us",
    "server_us",
    "polls_s",
    "cpu_pct60",
    "server_pct60",
    "rss",
    "unpolled",
    "early_repeats",
)
ROWS = (
    *(f"1.client.{option}" for option in CLIENTS),
    *(f"1.lost_answer.{option}" for option in CLIENTS),
    f"1.cpu_us.{TINY_ACCOUNTS}",
    f"1.cpu_us.{TINY_ACCOUNTS}.next",
    f"1.cpu_pct60.{TINY_ACCOUNTS}",
    f"1.round_s.{TINY_ACCOUNTS}",
    "2.rate",
    "2.count_429",
    "2.duplicates",
    "2.lost",
    "3.p50",
    "3.p99",
    "4.p50",
    "4.p99",
    "5.bare_rss",
    "5.bare_import_s",
    f"5.rss.{TINY_ACCOUNTS}",
    f"5.startup.{TINY_ACCOUNTS}",
    f"5.startup_over.{TINY_ACCOUNTS}",
    "6.req_per_min.busy",
    "6.req_per_min.quiet",
    "6.req_per_min.mean",
    "6.missed",
    *(f"6.worst_s.{kind}" for kind in KINDS),
    *(f"13.cpu_us_per_poll.{engine}.{TINY_ACCOUNTS}" for engine in ("sqlite", "postgresql")),
    *(f"13.save_p99_ms.{engine}.{TINY_ACCOUNTS}" for engine in ("sqlite", "postgresql")),
    f"13.server_us_per_poll.{TINY_ACCOUNTS}",
    *(f"15.{figure}.{setup}" for figure in SCALE_FIGURES for setup in SCALE_SETUPS),
    "15.process_share.4x40",
)


def cell(table: list[str], key: str, column: int) -> str:
    """A cell of the row `key` (columns: key, figure, value, limit…)."""
    found = [line for line in table if line.startswith(f"| {key} | ")]
    assert len(found) == 1, key
    return found[0].split(" | ")[column]


def test_the_whole_bench_runs_at_tiny_scale(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out), "--keep", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    text = out.read_text(encoding="utf-8")
    assert "## Machine" in text and "**cores**" in text and "**packages**" in text
    table = [line for line in text.splitlines() if line.startswith("| ")]
    keys = [line.split(" | ")[0].removeprefix("| ") for line in table[1:]]
    assert sorted(keys) == sorted(ROWS)
    unmeasured = [line for line in table if "not measured" in line]
    assert unmeasured == [], "\n".join(unmeasured) + "\n" + done.stderr[-3000:]
    assert "figure" in done.stdout  # the table was printed too
    for setup in SCALE_SETUPS:  # each session polled
        assert float(cell(table, f"15.polls_s.{setup}", 2).split()[0].replace(",", "")) > 0
    share_note = re.search(
        r"polls per process: ([\d, ]+)\)", cell(table, "15.process_share.4x40", 1)
    )
    assert share_note is not None, cell(table, "15.process_share.4x40", 1)
    polls = [int(n.replace(",", "")) for n in share_note.group(1).split(", ")]
    # Each of the 4 pollers ran (the session waits for every /healthz to report a round, else
    # the rows are "not measured"); which of them polled is not fixed at 40 accounts: claims keep
    # an account with the process that polled it last, so one process may hold them all.
    assert len(polls) == 4 and sum(polls) > 0, polls
