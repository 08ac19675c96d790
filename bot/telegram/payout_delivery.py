"""The payout flow's final messages, delivered whatever Telegram does at that moment.

`deliver` edits the confirmation message in place (or sends a new message when there is none
or it can no longer be edited), honouring 429 `retry_after` and retrying timeouts, network and
server errors a bounded number of times; each call has its own short timeout. `announcer`
turns it into what the reconciler calls to tell a chat the result unasked.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import DEFAULT_LANGUAGE, Translator
from bot.services.payout_checks import Announce
from bot.services.payout_models import Outcome
from bot.storage.payouts import PayoutRequest
from bot.telegram import payout_views

log = logging.getLogger(__name__)
ATTEMPTS = 6
REQUEST_TIMEOUT = 10  # seconds per Bot API call
MAX_WAIT = 60.0  # the longest single wait (retry_after beyond this is cut)
Sleep = Callable[[float], Awaitable[object]]


async def deliver(
    bot: Bot,
    chat_id: int,
    message_id: int | None,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    attempts: int = ATTEMPTS,
    sleep: Sleep = asyncio.sleep,
) -> bool:
    """True when Telegram has the message (or it can never be delivered: the chat is gone);
    False after `attempts` transient failures (the caller keeps it for later)."""
    edit = message_id is not None
    for attempt in range(attempts):
        try:
            if edit:
                await bot.edit_message_text(
                    text=text,
                    chat_id=chat_id,
                    message_id=message_id,
                    reply_markup=markup,
                    request_timeout=REQUEST_TIMEOUT,
                )
            else:
                await bot.send_message(
                    chat_id, text, reply_markup=markup, request_timeout=REQUEST_TIMEOUT
                )
            return True
        except TelegramRetryAfter as exc:
            await sleep(min(float(exc.retry_after), MAX_WAIT))
        except TelegramForbiddenError as exc:
            log.info("Payout message to chat %d not deliverable: %s", chat_id, exc.message)
            return True
        except TelegramBadRequest as exc:
            if "message is not modified" in exc.message:
                return True
            if not edit:
                log.warning("Payout message to chat %d refused: %s", chat_id, exc.message)
                return True
            edit = False  # cannot be edited (deleted, too old): a new message instead
        except (TelegramAPIError, TimeoutError, OSError) as exc:
            log.info("Payout message to chat %d: %s; retrying", chat_id, type(exc).__name__)
            await sleep(min(2.0**attempt, MAX_WAIT))
    return False


def announcer(bot: Bot) -> Announce:
    """Tells the chat of a request the outcome, in the language it was confirmed in."""

    async def announce(request: PayoutRequest, outcome: Outcome) -> bool:
        t = Translator(request.language or DEFAULT_LANGUAGE)
        text, markup = payout_views.outcome(t, outcome)
        return await deliver(bot, request.chat_id, request.message_id, text, markup)

    return announce
