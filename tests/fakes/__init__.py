"""Test doubles for end-to-end tests: a strict fake Telegram Bot API (tests/fakes/bot_api.py) and
a harness that runs the real bot and the exchanger sandbox as subprocesses (processes.py)."""

from tests.fakes.bot_api import DEFAULT_TOKEN, FakeBotApi
from tests.fakes.bot_api_models import CallbackQuery, FakeChat, FakeMessage, FakeUser, Violation
from tests.fakes.processes import BotProcess, SandboxProcess, bot_env

__all__ = [
    "DEFAULT_TOKEN",
    "BotProcess",
    "CallbackQuery",
    "FakeBotApi",
    "FakeChat",
    "FakeMessage",
    "FakeUser",
    "SandboxProcess",
    "Violation",
    "bot_env",
]
