"""/link <api_key> (or /link, then the key): check it with the exchanger and store it.

The two-step form waits LINK_WAIT_SECONDS for the key; a later message is not taken as a key
(and not deleted). A key that arrives by editing a message (an edited `/link KEY`, or an
edited message while waiting) is handled, and deleted, like a sent one.
"""

from __future__ import annotations

import time

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import ForceReply, Message, User

from bot.i18n import Html, Translator
from bot.services.accounts import AccountService, LinkResult, LinkStatus
from bot.telegram import views
from bot.telegram.keyboards import account_label
from bot.telegram.middlewares.chat_admin import CHAT_ADMIN
from bot.telegram.middlewares.secret_input import SECRET_INPUT, SecretMessage
from bot.telegram.middlewares.throttling import EXCHANGER

router = Router(name=__name__)
# A message holding a key: deleted first, then admins only (in groups), then throttled.
KEY_MESSAGE = {**SECRET_INPUT, **CHAT_ADMIN, **EXCHANGER}


LINK_WAIT_SECONDS = 600
ASKED_AT = "link_asked_at"


class LinkDialog(StatesGroup):
    waiting_key = State()


async def waiting_recently(message: Message, state: FSMContext) -> bool:
    """Whether /link asked for the key less than LINK_WAIT_SECONDS ago; an expired wait is
    forgotten, so the message goes on to the other handlers as ordinary text."""
    asked = (await state.get_data()).get(ASKED_AT)
    if isinstance(asked, int | float) and 0 <= time.time() - asked <= LINK_WAIT_SECONDS:
        return True
    await state.clear()
    return False


@router.message(Command("link", magic=F.args), flags=KEY_MESSAGE)
@router.edited_message(Command("link", magic=F.args), flags=KEY_MESSAGE)
async def link_with_key_handler(
    message: Message,
    command: CommandObject,
    event_from_user: User,
    t: Translator,
    accounts: AccountService,
    secret: SecretMessage,
) -> None:
    await _link(message, event_from_user, command.args or "", t, accounts, secret)


@router.message(Command("link"), flags=CHAT_ADMIN)
async def link_ask_handler(message: Message, t: Translator, state: FSMContext) -> None:
    await state.set_state(LinkDialog.waiting_key)
    await state.update_data({ASKED_AT: time.time()})
    if message.chat.type == ChatType.PRIVATE:
        await message.answer(t("link.ask_key"))
    else:  # privacy mode: in a group the bot sees replies to its messages, not plain text
        await message.reply(t("link.ask_key_group"), reply_markup=ForceReply(selective=True))


@router.message(
    LinkDialog.waiting_key, F.text, ~F.text.startswith("/"), waiting_recently, flags=KEY_MESSAGE
)
@router.edited_message(
    LinkDialog.waiting_key, F.text, ~F.text.startswith("/"), waiting_recently, flags=KEY_MESSAGE
)
async def link_key_message_handler(
    message: Message,
    event_from_user: User,
    t: Translator,
    accounts: AccountService,
    state: FSMContext,
    secret: SecretMessage,
) -> None:
    await state.clear()
    await _link(message, event_from_user, message.text or "", t, accounts, secret)


async def _link(
    message: Message,
    user: User,
    key: str,
    t: Translator,
    accounts: AccountService,
    secret: SecretMessage,
) -> None:
    """The key message is already deleted (SecretInputMiddleware); `secret` tells how it went."""
    result = await accounts.link(message.chat.id, user.id, key)
    await message.answer(f"{_outcome(t, result)}\n\n{secret.note(t)}")


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
