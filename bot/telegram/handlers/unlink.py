"""/unlink: remove a linked account after an inline confirmation."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Chat, Message

from bot.i18n import Translator
from bot.services.accounts import AccountService, UnlinkResult
from bot.telegram import keyboards
from bot.telegram.callbacks import Unlink, UnlinkAction
from bot.telegram.middlewares.chat_admin import CHAT_ADMIN
from bot.telegram.replies import show

router = Router(name=__name__)


@router.message(Command("unlink"), flags=CHAT_ADMIN)
async def unlink_handler(message: Message, t: Translator, accounts: AccountService) -> None:
    linked = await accounts.accounts(message.chat.id)
    if not linked:
        await message.answer(t("accounts.none"))
    elif len(linked) == 1:
        account = linked[0]
        text = t("unlink.confirm", account=keyboards.account_label(account))
        await message.answer(text, reply_markup=keyboards.unlink_confirm(account.id, t))
    else:
        await message.answer(t("unlink.pick"), reply_markup=keyboards.unlink_pick(linked, t))


@router.callback_query(Unlink.filter(F.action == UnlinkAction.PICK), flags=CHAT_ADMIN)
async def unlink_pick_handler(
    query: CallbackQuery,
    callback_data: Unlink,
    event_chat: Chat,
    t: Translator,
    accounts: AccountService,
) -> None:
    account = await accounts.account(event_chat.id, callback_data.account_id)
    text = t("unlink.confirm", account=keyboards.account_label(account))
    await show(query, text, keyboards.unlink_confirm(account.id, t))


_UNLINK_TEXTS = {
    UnlinkResult.UNLINKED: "unlink.done",
    UnlinkResult.GONE: "accounts.gone",
    UnlinkResult.PAYOUT_IN_FLIGHT: "unlink.payout_in_flight",
}


@router.callback_query(Unlink.filter(F.action == UnlinkAction.CONFIRM), flags=CHAT_ADMIN)
async def unlink_confirm_handler(
    query: CallbackQuery,
    callback_data: Unlink,
    event_chat: Chat,
    t: Translator,
    accounts: AccountService,
) -> None:
    result = await accounts.unlink(event_chat.id, callback_data.account_id)
    await show(query, t(_UNLINK_TEXTS[result]))


@router.callback_query(Unlink.filter(F.action == UnlinkAction.CANCEL), flags=CHAT_ADMIN)
async def unlink_cancel_handler(query: CallbackQuery, t: Translator) -> None:
    await show(query, t("unlink.cancelled"))
