"""Driving the playground page in headless Chromium (Selenium + Debian's chromium-driver).

Used by the browser test and by `python -m bot.devtools.screenshot`. Nothing is downloaded at
run time: the driver is `/usr/bin/chromedriver` (or `chromedriver` on PATH), passed explicitly,
so Selenium Manager never runs. Every wait is on a DOM condition, never a fixed sleep.
Selenium is a development dependency (the `dev` extra) and is imported only here.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

_T = TypeVar("_T")

INSTALL_HINT = (
    "headless Chromium is needed: apt-get update && apt-get install -y chromium chromium-driver"
)
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)


class BrowserMissing(RuntimeError):
    """Chromium or its driver is not installed; the message says how to install them."""


def find_browser() -> tuple[str, str]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
    )
    if binary is None or driver is None:
        raise BrowserMissing(INSTALL_HINT)
    return binary, driver


def start_browser(profile_dir: Path | None = None) -> WebDriver:
    """Headless Chromium with a fresh profile directory."""
    binary, driver = find_browser()
    options = Options()
    options.binary_location = binary
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    profile = profile_dir or Path(tempfile.mkdtemp(prefix="pexbot-chromium-"))
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


class PlaygroundPage:
    """The chat page as a visitor uses it."""

    def __init__(self, driver: WebDriver, url: str, timeout: float = 30.0) -> None:
        self.driver, self.url, self.timeout = driver, url, timeout

    def wait(
        self,
        condition: Callable[[WebDriver], _T | Literal[False]],
        what: str,
        timeout: float | None = None,
    ) -> _T:
        try:
            return WebDriverWait(
                self.driver,
                timeout or self.timeout,
                ignored_exceptions=(StaleElementReferenceException,),
            ).until(condition)
        except TimeoutException:
            raise AssertionError(f"timed out waiting for {what}\n{self.transcript()}") from None

    def open(self) -> None:
        self.driver.get(self.url)
        self.wait(
            lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-connected") == "true",
            "the event stream",
        )

    # -- the chat -------------------------------------------------------------------------------

    def messages(self, *, from_bot: bool = True) -> list[WebElement]:
        kind = "in" if from_bot else "out"
        found = self.driver.find_elements(By.CSS_SELECTOR, f"#messages .msg.{kind}")
        return [m for m in found if m.is_displayed()]

    def count(self, fragment: str, *, from_bot: bool = True) -> int:
        return sum(fragment in m.text for m in self.messages(from_bot=from_bot))

    def wait_text(
        self, fragment: str, *, more_than: int = 0, timeout: float | None = None
    ) -> WebElement:
        """The newest bot message containing ``fragment``, once more than ``more_than`` do."""

        def found(_: WebDriver) -> WebElement | Literal[False]:
            matching = [m for m in self.messages() if fragment in m.text]
            return matching[-1] if len(matching) > more_than else False

        return self.wait(found, f"a bot message containing {fragment!r}", timeout)

    def send(self, text: str) -> None:
        box = self.driver.find_element(By.ID, "input")
        box.send_keys(text)
        box.send_keys(Keys.ENTER)

    def ask(self, text: str, expect: str, timeout: float | None = None) -> WebElement:
        """Sends ``text`` and waits for a new bot message containing ``expect``."""
        before = self.count(expect)
        self.send(text)
        return self.wait_text(expect, more_than=before, timeout=timeout)

    def press(self, label: str) -> None:
        """Clicks the newest inline button whose label contains ``label``."""

        def button(_: WebDriver) -> WebElement | Literal[False]:
            buttons = [
                b
                for m in self.messages()
                for b in m.find_elements(By.CSS_SELECTOR, ".keyboard button")
                if label in b.text
            ]
            return buttons[-1] if buttons else False

        found = self.wait(button, f"a button {label!r}")
        found.click()

    def wait_gone(self, fragment: str, *, from_bot: bool = False) -> None:
        self.wait(
            lambda _: self.count(fragment, from_bot=from_bot) == 0,
            f"the message containing {fragment!r} to disappear",
        )

    def menu(self) -> list[str]:
        self.driver.find_element(By.ID, "menu-button").click()
        items = self.wait(
            lambda d: d.find_elements(By.CSS_SELECTOR, "#menu button b") or False,
            "the command menu",
        )
        names = [item.text for item in items]
        self.driver.find_element(By.ID, "menu-button").click()
        return names

    def set_mode(self, mode: str) -> None:
        Select(self.driver.find_element(By.ID, "mode")).select_by_value(mode)

    # -- the side panes -------------------------------------------------------------------------

    def sandbox(self, action: str, **selects: str) -> str:
        """Clicks a sandbox button (``data-action``) after choosing ``selects`` (id → value);
        returns the line it logged."""
        for select_id, value in selects.items():
            Select(self.driver.find_element(By.ID, select_id.replace("_", "-"))).select_by_value(
                value
            )
        before = len(self.driver.find_elements(By.CSS_SELECTOR, "#sandbox-log li"))
        self.driver.find_element(By.CSS_SELECTOR, f'[data-action="{action}"]').click()
        self.wait(
            lambda d: len(d.find_elements(By.CSS_SELECTOR, "#sandbox-log li")) > before,
            f"the sandbox action {action}",
        )
        return self.driver.find_element(By.CSS_SELECTOR, "#sandbox-log li").text

    def violations(self) -> list[str]:
        return [li.text for li in self.driver.find_elements(By.CSS_SELECTOR, "#violations li")]

    def toasts(self) -> list[str]:
        return [t.text for t in self.driver.find_elements(By.CSS_SELECTOR, "#toasts .toast")]

    def transcript(self) -> str:
        try:
            lines = [
                ("bot: " if "in" in (m.get_attribute("class") or "") else "you: ") + m.text
                for m in self.driver.find_elements(By.CSS_SELECTOR, "#messages .msg")
            ]
            return (
                "--- chat ---\n"
                + "\n".join(lines[-15:])
                + "\n--- violations ---\n"
                + "\n".join(self.violations())
            )
        except Exception as exc:  # the page itself is broken: say so instead of hiding the cause
            return f"(no transcript: {exc})"

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))
        return path
