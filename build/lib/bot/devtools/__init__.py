"""Tools to try and test the bot without Telegram: a strict local Bot API server (bot_api*.py),
the browser playground served beside it, and `python -m bot.devtools.demo` (`make demo`)."""
