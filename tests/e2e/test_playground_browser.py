"""The playground in a real browser: headless Chromium drives the page of `make demo` — /start,
/link, /balance, the whole payout flow by pressing the buttons, a notification triggered from
the sandbox pane — and saves a screenshot. A missing browser fails with the install command."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import httpx
import pytest

from bot.devtools.browser import BrowserMissing, PlaygroundPage, find_browser, start_browser
from bot.devtools.screenshot import ALICE, WALLET, tour
from tests.fakes.processes import ManagedProcess

URL = re.compile(r"Playground: (http://\S+/)")


def browse(url: str, tmp_path: Path) -> dict[str, object]:
    """The tour plus what it must have shown; runs in a thread (Selenium blocks)."""
    driver = start_browser(tmp_path / "chromium-profile")
    try:
        page = PlaygroundPage(driver, url)
        page.open()
        assert "/balance" in page.menu()  # the command menu comes from setMyCommands
        started = time.monotonic()
        tour(page)
        seconds = time.monotonic() - started
        shot = page.screenshot(tmp_path / "playground.png")
        paid = page.wait_text("💸 Payout #").text
        page.ask("/settings", "Notifications in this chat")
        page.press("Reward accrued")  # answerCallbackQuery with a text: a toast
        page.wait(lambda _: "Off: Reward accrued" in page.toasts(), "the toast")
        page.set_mode("member")  # the same visitor in a group, not an admin there
        page.ask("/unlink", "only its administrators")
        page.set_mode("admin")
        page.ask("/unlink", "No account is linked yet")
        return {
            "paid": paid,
            "violations": page.violations(),
            "screenshot": shot,
            "seconds": seconds,
            "key_shown": page.count(ALICE, from_bot=False),
        }
    finally:
        driver.quit()


async def test_the_playground_in_headless_chromium(tmp_path: Path) -> None:
    try:
        find_browser()
    except BrowserMissing as exc:
        pytest.fail(str(exc))
    demo = ManagedProcess(
        ["-m", "bot.devtools.demo", "--port", "0", "--bot-env", "THROTTLE_SECONDS=0"],
        log_path=tmp_path / "demo.log",
        name="demo",
    )
    await demo.start()
    try:
        await demo.wait_for_output("Playground: ", timeout=60)
        await demo.wait_for_output("\n", timeout=5)
        url = URL.search(demo.output()).group(1)  # type: ignore[union-attr]
        seen = await asyncio.to_thread(browse, url, tmp_path)
        async with httpx.AsyncClient(timeout=10, trust_env=False) as client:
            payouts = (await client.get(f"{url}_playground/sandbox/partners/{ALICE}")).json()
        mine = [p for p in payouts["payouts"] if p["account"] == WALLET]
    finally:
        await demo.terminate()
    assert len(mine) == 1 and mine[0]["status"] == 1  # requested once, then paid in the pane
    assert f"Payout #{mine[0]['id']}" in str(seen["paid"])
    assert seen["key_shown"] == 0
    assert seen["violations"] == []
    shot = Path(str(seen["screenshot"]))
    assert shot.stat().st_size > 20_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"browser tour took {seen['seconds']:.1f} s; screenshot: {shot}")
