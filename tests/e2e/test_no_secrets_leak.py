"""No secret in any output: the real `python -m bot` at LOG_LEVEL=DEBUG, driven through a whole
scenario (links in one and two steps, every report, a rejected key, an exchanger fault, SIGTERM);
its complete output is scanned for the api keys, the bot token and its secret part, and the
generated encryption key. The SQLite files (+ -wal, -shm) hold no api key either."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from bot.devtools.bot_api import FakeBotApi
from bot.devtools.bot_api_models import FakeChat, FakeUser
from bot.sandbox.seed import ALICE, BOB
from tests.fakes.fixtures import MakeBot
from tests.fakes.processes import BotProcess, SandboxProcess

REJECTED = "wrong-key-000000"


class User:
    def __init__(self, fake: FakeBotApi) -> None:
        self.fake = fake
        self.user: FakeUser = fake.user(1001, "Ann", language_code="en")
        self.chat: FakeChat = fake.private_chat(self.user)

    async def ask(self, text: str, expect: str) -> str:
        mark = self.fake.revision
        await self.fake.send_text(self.chat, self.user, text)
        return (await self.fake.wait_for_text(self.chat.id, expect, since=mark, timeout=15)).text

    async def send_key(self, text: str) -> None:
        """Sends a message holding a key; it must be deleted and the account linked."""
        mark = self.fake.revision
        message = await self.fake.send_text(self.chat, self.user, text)
        await self.fake.wait_for_text(self.chat.id, "Account linked", since=mark, timeout=15)
        assert message.deleted


async def started(make_bot: MakeBot) -> BotProcess:
    bot = make_bot(throttle_seconds="0", read_cache_seconds="0", log_level="DEBUG")
    await bot.start()
    await bot.wait_for_output("Start polling", timeout=30)
    return bot


def database_bytes(tmp_path: Path) -> bytes:
    files = sorted(tmp_path.glob("bot0.sqlite3*"))
    assert files, "no database file"
    return b"".join(path.read_bytes() for path in files)


async def test_no_secret_in_the_debug_output(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot, tmp_path: Path
) -> None:
    bot = await started(make_bot)
    ann = User(bot_api)
    await ann.ask("/start", "REST API key")
    await ann.send_key(f"/link {ALICE}")
    for command, expect in [
        ("/balance", "Payout methods"),
        ("/payouts", "Payout requests"),
        ("/exchanges", "Referred exchanges"),
        ("/clicks", "Clicks"),
        (f"/link {REJECTED}", "rejected this key"),
    ]:
        await ann.ask(command, expect)
    await sandbox.control("POST", "faults", {"mode": "http_500"})
    await ann.ask("/balance", "not answering")
    await sandbox.control("DELETE", "faults")
    await ann.ask("/link", "Send me your API key")
    await ann.send_key(BOB)
    assert await bot.terminate() == 0

    output = bot.output()
    key_file = tmp_path / "encryption.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    secrets = {
        "alice's key": ALICE,
        "bob's key": BOB,
        "the rejected key": REJECTED,
        "the bot token": bot_api.token,
        "the token's secret part": bot_api.token.split(":", 1)[1],
        "the encryption key": key_file.read_text().strip(),
    }
    leaked = [name for name, secret in secrets.items() if secret in output]
    assert leaked == []
    assert " DEBUG " in output and "Update id=" in output  # the scan read a real DEBUG log
    assert str(key_file) in output  # where the generated key is, is logged
    assert bot_api.violations == []


async def test_the_database_files_hold_no_api_key(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot, tmp_path: Path
) -> None:
    bot = await started(make_bot)
    ann = User(bot_api)
    await ann.send_key(f"/link {ALICE}")
    await ann.ask("/link", "Send me your API key")  # the dialog state lives in the database
    await ann.send_key(BOB)
    running = database_bytes(tmp_path)  # the WAL is live: the latest writes are in it
    for key in (ALICE, BOB):
        assert key.encode() not in running
    assert await bot.terminate() == 0
    stopped = database_bytes(tmp_path)
    for key in (ALICE, BOB):
        assert key.encode() not in stopped
    assert b"accounts" in stopped  # a real database was read
    assert bot_api.violations == []
