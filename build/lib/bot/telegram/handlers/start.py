"""/start, /help and /cancel."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.i18n import Translator
from bot.services.accounts import AccountService

router = Router(name=__name__)


def _dashboards(accounts: AccountService) -> str:
    return "\n".join(f"{site}/paccount/" for site in accounts.sites)


@router.message(CommandStart())
async def start_handler(
    message: Message, t: Translator, accounts: AccountService, state: FSMContext
) -> None:
    await state.clear()
    await message.answer(t("start.text", dashboards=_dashboards(accounts)))


@router.message(Command("help"))
async def help_handler(message: Message, t: Translator, accounts: AccountService) -> None:
    await message.answer(t("help.text", dashboards=_dashboards(accounts)))


@router.message(Command("cancel"))
async def cancel_handler(message: Message, t: Translator, state: FSMContext) -> None:
    had_dialog = await state.get_state() is not None
    await state.clear()
    await message.answer(t("cancel.done" if had_dialog else "cancel.nothing"))
