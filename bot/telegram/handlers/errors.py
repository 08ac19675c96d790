"""What the user hears when the exchanger fails; anything unexpected is logged, not shown."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import CallbackQuery, ErrorEvent

from bot.exchanger.errors import (
    ExchangerError,
    ExchangerUnavailable,
    KeyRejected,
    MethodNotSupported,
    RequestRefused,
)
from bot.i18n import Render, Translator
from bot.services.access import AccountGone

router = Router(name=__name__)
log = logging.getLogger(__name__)


def explain(t: Render, error: BaseException) -> str:
    """`t` gives HTML for a message, `t.plain` plain text for an alert."""
    if isinstance(error, KeyRejected):
        return t("error.key_rejected")
    if isinstance(error, MethodNotSupported):
        return t("error.method_not_supported")
    if isinstance(error, RequestRefused):
        return t("error.refused", detail=error.text)
    if isinstance(error, ExchangerUnavailable):
        return t("error.unavailable")
    if isinstance(error, AccountGone):
        return t("accounts.gone")
    if isinstance(error, ExchangerError):
        return t("error.malformed")
    return t("error.internal")


async def _tell(event: ErrorEvent, t: Translator) -> None:
    if event.update.message is not None:
        await event.update.message.answer(explain(t, event.exception))
    elif event.update.callback_query is not None:
        query: CallbackQuery = event.update.callback_query
        # Alerts are plain text of at most 200 characters.
        await query.answer(explain(t.plain, event.exception)[:200], show_alert=True)


@router.error(ExceptionTypeFilter(ExchangerError, AccountGone))
async def exchanger_error_handler(event: ErrorEvent, t: Translator) -> None:
    log.info("Refusal shown to the user: %s", type(event.exception).__name__)
    await _tell(event, t)


@router.error()
async def unexpected_error_handler(event: ErrorEvent, t: Translator) -> None:
    log.exception("Unhandled error in update %s", event.update.update_id, exc_info=event.exception)
    await _tell(event, t)
