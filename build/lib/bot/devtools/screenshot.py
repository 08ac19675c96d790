"""`python -m bot.devtools.screenshot` (`make screenshot`): regenerates docs/playground.png.

Runs `make demo`'s command (`python -m bot.devtools.demo --port 0`), takes the tour below in
headless Chromium — /start, /link, /balance, a payout by button presses, a payout status
changed from the sandbox pane — and saves a screenshot of the page. The browser test takes the
same tour (tests/e2e/test_playground_browser.py).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.devtools.browser import BrowserMissing, PlaygroundPage, start_browser

ROOT = Path(__file__).resolve().parents[2]
ALICE = "demo-key-alice-0001"
WALLET = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
_URL = re.compile(r"Playground: (http://\S+/)")


def tour(page: PlaygroundPage) -> None:
    """What a visitor does in two minutes; every step waits for the bot's answer."""
    page.ask("/start", "REST API key")
    page.ask(f"/link {ALICE}", "Account linked")
    page.wait_gone(ALICE)  # the bot deleted the message holding the key
    page.ask("/balance", "Payout methods")
    page.ask("/payout", "Choose the payout method")
    page.press("USDT TRC20")
    page.wait_text("wallet number")
    page.ask(WALLET, "Check the payout request")
    page.press("Confirm")
    page.wait_text("requested")
    page.sandbox("payout", payout_status="1")
    page.wait_text("💸", timeout=60)  # the poller runs every 5 s in the demo


@contextmanager
def running_demo(*extra: str) -> Iterator[str]:
    """`python -m bot.devtools.demo --port 0` until the block ends (SIGINT, like Ctrl-C)."""
    demo = subprocess.Popen(
        [sys.executable, "-m", "bot.devtools.demo", "--port", "0", *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert demo.stdout is not None
        line = demo.stdout.readline()
        found = _URL.search(line)
        if found is None:
            raise RuntimeError(f"the demo did not start: {line}{demo.stdout.read()}")
        yield found.group(1)
    finally:
        demo.send_signal(signal.SIGINT)
        try:
            demo.wait(30)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.devtools.screenshot")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "playground.png")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        driver = start_browser()
    except BrowserMissing as exc:
        print(f"screenshot: {exc}", file=sys.stderr)
        return 1
    try:
        with running_demo("--bot-env", "THROTTLE_SECONDS=0") as url:
            page = PlaygroundPage(driver, url)
            page.open()
            tour(page)
            page.screenshot(args.output)
    finally:
        driver.quit()
    shown = os.path.relpath(args.output, Path.cwd())
    print(f"saved {shown} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
