"""/link <api_key> (or /link, then the key): check it with the exchanger and store it."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message

from bot.i18n import Html, Translator
from bot.services.accounts import AccountService, LinkResult, LinkStatus
from bot.telegram import views
from bot.telegram.keyboards import account_label
from bot.telegram.middlewares.throttling import EXCHANGER

router = Router(name=__name__)
log = logging.getLogger(__name__)


class LinkDialog(StatesGroup):
    waiting_key = State()


@router.message(Command("link", magic=F.args), flags=EXCHANGER)
async def link_with_key_handler(
    message: Message, command: CommandObject, t: Translator, accounts: AccountService, bot: Bot
) -> None:
    await _link(message, command.args or "", t, accounts, bot)


@router.message(Command("link"))
async def link_ask_handler(message: Message, t: Translator, state: FSMContext) -> None:
    await state.set_state(LinkDialog.waiting_key)
    await message.answer(t("link.ask_key"))


@router.message(LinkDialog.waiting_key, F.text, ~F.text.startswith("/"), flags=EXCHANGER)
async def link_key_message_handler(
    message: Message, t: Translator, accounts: AccountService, bot: Bot, state: FSMContext
) -> None:
    await state.clear()
    await _link(message, message.text or "", t, accounts, bot)


async def _link(
    message: Message, key: str, t: Translator, accounts: AccountService, bot: Bot
) -> None:
    deleted = await _delete_key_message(message, bot)
    result = await accounts.link(
        message.chat.id, message.from_user.id if message.from_user else 0, key
    )
    note = t("link.key_deleted") if deleted else t("link.key_not_deleted")
    await message.answer(f"{_outcome(t, result)}\n\n{note}")


async def _delete_key_message(message: Message, bot: Bot) -> bool:
    try:
        return await bot.delete_message(message.chat.id, message.message_id)
    except (TelegramBadRequest, TelegramForbiddenError) as exc:
        log.warning("Could not delete a message holding an api key: %s", exc.message)
        return False


def _outcome(t: Translator, result: LinkResult) -> str:
    if result.status is LinkStatus.LINKED and result.account and result.info:
        summary = views.balance(t, result.account, result.info)
        return f"{t('link.linked')}\n\n{summary}"
    if result.status is LinkStatus.ALREADY_LINKED and result.account:
        return t("link.already", account=account_label(result.account))
    if result.status is LinkStatus.INVALID_FORMAT:
        return t("link.invalid_format")
    if result.status is LinkStatus.UNREACHABLE:
        return t("link.unreachable")
    if result.detail:
        return t("link.refused", detail=result.detail)
    return t("link.rejected", hint=Html(t("link.where_key")))
