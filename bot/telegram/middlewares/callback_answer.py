"""Every button press answered once, after its handler: aiogram's CallbackAnswerMiddleware.

A handler says what to answer through the `callback_answer: CallbackAnswer` it receives
(`callback_answer.text = ...; callback_answer.show_alert = True`); it answers by hand only
when the spinner must stop before the handler ends (then it disables the automatic answer).
The one change to aiogram's middleware: a handler that raised is not answered here, so the
error handler can still explain the failure in an alert (Telegram takes one answer per press).

Registered innermost on callback queries: presses refused earlier (ChatAdminMiddleware,
ThrottlingMiddleware) are answered by those middlewares.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.dispatcher.flags import get_flag
from aiogram.types import CallbackQuery, TelegramObject
from aiogram.utils.callback_answer import CallbackAnswerMiddleware


class AnswerAfterHandler(CallbackAnswerMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        answer = self.construct_callback_answer(properties=get_flag(data, "callback_answer"))
        data["callback_answer"] = answer
        if not answer.disabled and answer.answered:  # flags={"callback_answer": {"pre": True}}
            await self.answer(event, answer)
        result = await handler(event, data)  # raised: the error handler answers
        if not answer.disabled and not answer.answered:
            await self.answer(event, answer)
        return result
