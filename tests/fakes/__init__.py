"""The e2e harness: the strict local Bot API server (bot/devtools/bot_api.py) re-exported for tests,
and the real bot and the exchanger sandbox as subprocesses (processes.py)."""

from bot.devtools.bot_api import DEFAULT_TOKEN, FakeBotApi
from bot.devtools.bot_api_models import CallbackQuery, FakeChat, FakeMessage, FakeUser, Violation
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
