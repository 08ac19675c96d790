"""The browser playground: a Telegram-like chat page served by the local Bot API server."""

from bot.devtools.playground.server import PlaygroundBotApi

__all__ = ["PlaygroundBotApi"]
