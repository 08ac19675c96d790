"""Push notifications: poll the exchangers, detect changes, deliver each exactly once.

    poller.py ─▶ detector.py (pure) ─▶ outbox.py (state + events, one transaction) ─▶ sender.py

`schedule.py` reads due accounts and stored state, `health.py` keeps per-site health and the
circuit breaker, `pacing.py` Telegram's rate limits, `render.py` turns a row into a message,
`engine.py` owns the two long-lived tasks.
"""

from bot.notifications.engine import NotificationEngine

__all__ = ["NotificationEngine"]
