"""Tests of the fake's conversation flow: edits, deletions, chats, commands, callbacks, long
polling with a real aiogram Dispatcher, flood control and injected faults."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.exceptions import (
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
)
from aiogram.types import (
    BotCommand,
    CallbackQuery,
    ChatMemberAdministrator,
    ChatMemberLeft,
    ChatMemberOwner,
    InlineKeyboardButton,
    Message,
)

from bot.devtools.bot_api import FakeBotApi
from tests.fakes.aiogram_client import keyboard, make_bot, refused

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


async def test_edit_message_text_not_modified(bot: Bot, bot_api: FakeBotApi, chat_id: int) -> None:
    markup = keyboard(InlineKeyboardButton(text="A", callback_data="a"))
    sent = await bot.send_message(chat_id, "<b>Hi</b>", reply_markup=markup)
    same = bot.edit_message_text(
        "<b>Hi</b>", chat_id=chat_id, message_id=sent.message_id, reply_markup=markup
    )
    assert await refused(same) == NOT_MODIFIED
    # the same text with other entities is a change; so is leaving out the keyboard (removes it)
    await bot.edit_message_text(
        "<i>Hi</i>", chat_id=chat_id, message_id=sent.message_id, reply_markup=markup
    )
    edited = await bot.edit_message_text("<i>Hi</i>", chat_id=chat_id, message_id=sent.message_id)
    assert edited.reply_markup is None and edited.edit_date is not None  # type: ignore[union-attr]
    assert (
        await refused(bot.edit_message_reply_markup(chat_id=chat_id, message_id=sent.message_id))
        == NOT_MODIFIED
    )
    stored = bot_api.bot_messages(chat_id)[0]
    assert (stored.text, stored.edits, stored.html, stored.buttons) == ("Hi", 2, "<i>Hi</i>", [])
    assert [v.description for v in bot_api.violations] == [NOT_MODIFIED, NOT_MODIFIED]


async def test_edit_and_delete_need_an_existing_bot_message(
    bot: Bot, bot_api: FakeBotApi, chat_id: int
) -> None:
    users_message = await bot_api.send_text(
        bot_api.state.chats[chat_id], bot_api.state.users[1001], "hi"
    )
    sent = await bot.send_message(chat_id, "mine")
    assert await refused(bot.edit_message_text("x", chat_id=chat_id, message_id=999)) == (
        "Bad Request: message to edit not found"
    )
    assert await refused(
        bot.edit_message_text("x", chat_id=chat_id, message_id=users_message.message_id)
    ) == ("Bad Request: message can't be edited")
    assert await bot.delete_message(chat_id, sent.message_id) is True
    assert (
        await bot.delete_message(chat_id, users_message.message_id) is True
    )  # allowed in private chats
    for again in (bot.delete_message(chat_id, sent.message_id), bot.delete_message(chat_id, 999)):
        assert await refused(again) == "Bad Request: message to delete not found"
    assert await refused(
        bot.edit_message_text("x", chat_id=chat_id, message_id=sent.message_id)
    ) == ("Bad Request: message to edit not found")
    assert [m.message_id for m in bot_api.deleted_messages(chat_id)] == [1, 2]
    assert bot_api.bot_messages(chat_id)[0].deleted


async def test_group_messages_of_others_need_admin_rights(bot: Bot, bot_api: FakeBotApi) -> None:
    group = bot_api.group_chat(-100123, "Partners")
    bob = bot_api.user(2002, "Bob")
    message = await bot_api.send_text(group, bob, "/start@pex_test_bot")
    assert message.entities == [{"type": "bot_command", "offset": 0, "length": 19}]
    assert await refused(bot.delete_message(group.id, message.message_id)) == (
        "Bad Request: message can't be deleted"
    )
    bot_api.set_member_status(group.id, bot.id, "administrator")
    assert await bot.delete_message(group.id, message.message_id)


async def test_unknown_blocked_and_unstarted_chats(
    bot: Bot, bot_api: FakeBotApi, chat_id: int
) -> None:
    assert await refused(bot.send_message(424242, "x")) == "Bad Request: chat not found"
    assert await refused(bot.send_message("@nobody", "x")) == "Bad Request: chat not found"
    ann = bot_api.state.users[1001]
    bot_api.block(ann)
    assert await refused(bot.send_message(chat_id, "x"), TelegramForbiddenError) == (
        "Forbidden: bot was blocked by the user"
    )
    assert await refused(bot.send_chat_action(chat_id, "typing"), TelegramForbiddenError)
    await bot_api.send_text(bot_api.state.chats[chat_id], ann, "/start")  # writing unblocks
    await bot.send_message(chat_id, "welcome back")
    stranger = bot_api.private_chat(bot_api.user(3003, "Cy"), started=False)
    assert await refused(bot.send_message(stranger.id, "x"), TelegramForbiddenError) == (
        "Forbidden: bot can't initiate conversation with a user"
    )
    assert [v.description for v in bot_api.violations] == ["Bad Request: chat not found"] * 2
    assert [e.status for e in bot_api.errors] == [400, 400, 403, 403, 403]


async def test_chat_members_and_get_chat(bot: Bot, bot_api: FakeBotApi) -> None:
    channel = bot_api.group_chat(-100777, "News", username="pex_news")
    ann, bob = bot_api.user(1001, "Ann"), bot_api.user(2002, "Bob")
    bot_api.set_member_status(channel.id, ann.id, "creator")
    bot_api.set_member_status(channel.id, bob.id, "administrator")
    assert isinstance(await bot.get_chat_member("@pex_news", ann.id), ChatMemberOwner)
    assert isinstance(await bot.get_chat_member(channel.id, bob.id), ChatMemberAdministrator)
    bot_api.set_member_status(channel.id, bob.id, "left")
    assert isinstance(await bot.get_chat_member(channel.id, bob.id), ChatMemberLeft)
    assert await refused(bot.get_chat_member(channel.id, 5555)) == "Bad Request: user not found"
    info = await bot.get_chat(channel.id)
    assert (info.id, info.type, info.title, info.username) == (
        channel.id,
        "supergroup",
        "News",
        "pex_news",
    )
    with pytest.raises(ValueError):
        bot_api.set_member_status(channel.id, ann.id, "owner")


async def test_commands(bot: Bot, bot_api: FakeBotApi) -> None:
    commands = [
        BotCommand(command="start", description="Start"),
        BotCommand(command="help", description="Help"),
    ]
    assert await bot.set_my_commands(commands)
    assert await bot.set_my_commands(commands[:1], language_code="ru")
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert bot_api.commands(language_code="ru") == [{"command": "start", "description": "Start"}]
    for bad, error in [
        (BotCommand(command="Start", description="x"), "BOT_COMMAND_INVALID"),
        (BotCommand(command="x" * 33, description="x"), "command length must not exceed 32"),
        (BotCommand(command="x", description=" "), "command description must be non-empty"),
        (
            BotCommand(command="x", description="d" * 257),
            "command description length must not exceed 256",
        ),
    ]:
        assert await refused(bot.set_my_commands([bad])) == f"Bad Request: {error}"
    many = [BotCommand(command=f"c{i}", description="d") for i in range(101)]
    assert await refused(bot.set_my_commands(many)) == "Bad Request: BOT_COMMANDS_TOO_MUCH"
    assert await refused(bot.set_my_commands(commands, language_code="rus")) == (
        "Bad Request: invalid language code specified"
    )
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == []


async def test_answer_callback_query_rules(bot: Bot, bot_api: FakeBotApi, chat_id: int) -> None:
    chat, ann = bot_api.state.chats[chat_id], bot_api.state.users[1001]
    sent = await bot.send_message(
        chat_id, "menu", reply_markup=keyboard(InlineKeyboardButton(text="Go", callback_data="go"))
    )
    query_id = await bot_api.press(chat, ann, sent.message_id, "go")
    assert bot_api.unanswered_callbacks()[0].id == query_id
    assert (
        await refused(bot.answer_callback_query(query_id, text="x" * 201))
        == "Bad Request: MESSAGE_TOO_LONG"
    )
    assert await bot.answer_callback_query(query_id, text="Done", show_alert=True)
    assert bot_api.callback_answer(query_id) == {
        "text": "Done",
        "show_alert": True,
        "url": None,
        "cache_time": 0,
    }
    too_old = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    assert await refused(bot.answer_callback_query(query_id)) == too_old
    assert await refused(bot.answer_callback_query("123")) == too_old
    with pytest.raises(AssertionError, match="no button with callback_data 'stop'"):
        await bot_api.press(chat, ann, sent.message_id, "stop")
    with pytest.raises(AssertionError, match="no bot message 99"):
        await bot_api.press(chat, ann, 99, "go")


async def test_chat_action(bot: Bot, chat_id: int) -> None:
    assert await bot.send_chat_action(chat_id, "typing")
    assert await refused(bot.send_chat_action(chat_id, "dancing")) == (
        "Bad Request: wrong parameter action in request"
    )


async def test_dispatcher_receives_text_and_callback_updates(bot_api: FakeBotApi) -> None:
    ann = bot_api.user(1001, "Ann")
    chat = bot_api.private_chat(ann)
    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        markup = keyboard(InlineKeyboardButton(text="Shout", callback_data="shout"))
        await message.answer(f"echo: {message.text}", reply_markup=markup)

    @router.callback_query(F.data == "shout")
    async def shout(query: CallbackQuery) -> None:
        await query.answer("shouted")
        await query.message.edit_text(query.message.text.upper())  # type: ignore[union-attr]

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    polling_bot = make_bot(bot_api)
    polling = asyncio.create_task(
        dispatcher.start_polling(polling_bot, handle_signals=False, polling_timeout=30)
    )
    try:
        await bot_api.send_text(chat, ann, "hello <friend>")
        reply = await bot_api.wait_for_text(chat.id, "echo: hello <friend>", timeout=5)
        mark = bot_api.revision
        query_id = await bot_api.press(chat, ann, reply.message_id, "shout")
        assert await bot_api.wait_for_answer(query_id, timeout=5) == {
            "text": "shouted",
            "show_alert": False,
            "url": None,
            "cache_time": 0,
        }
        edited = await bot_api.wait_for(
            lambda m: m.text.isupper(), chat_id=chat.id, since=mark, timeout=5
        )
        assert edited.message_id == reply.message_id and edited.buttons == []
    finally:
        await dispatcher.stop_polling()
        await polling
    assert bot_api.violations == []
    methods = [r.method for r in bot_api.requests]
    assert methods[:2] == ["getMe", "getUpdates"]
    assert set(bot_api.requests[1].params["allowed_updates"]) == {"message", "callback_query"}


async def test_long_poll_returns_early_and_confirms_with_offset(
    bot: Bot, bot_api: FakeBotApi, chat_id: int
) -> None:
    chat, ann = bot_api.state.chats[chat_id], bot_api.state.users[1001]
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(timeout=20))
    await asyncio.sleep(0.05)
    await bot_api.send_text(chat, ann, "/start payload")
    updates = await poll
    assert loop.time() - started < 2
    assert updates[0].message is not None and updates[0].message.text == "/start payload"
    assert updates[0].message.entities[0].type == "bot_command"  # type: ignore[index]
    assert [u.update_id for u in await bot.get_updates()] == [updates[0].update_id]  # not confirmed
    assert await bot.get_updates(offset=updates[0].update_id + 1) == []
    assert loop.time() - started < 3


async def test_allowed_updates_limit_and_drop_pending(
    bot: Bot, bot_api: FakeBotApi, chat_id: int
) -> None:
    chat, ann = bot_api.state.chats[chat_id], bot_api.state.users[1001]
    sent = await bot.send_message(
        chat_id, "menu", reply_markup=keyboard(InlineKeyboardButton(text="Go", callback_data="go"))
    )
    await bot_api.press(chat, ann, sent.message_id, "go")
    for text in ("a", "b", "c"):
        await bot_api.send_text(chat, ann, text)
    only_messages = await bot.get_updates(allowed_updates=["message"], limit=2)
    assert [u.message.text for u in only_messages] == ["a", "b"]  # type: ignore[union-attr]
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == []


async def test_a_second_long_poll_terminates_the_first(bot: Bot, bot_api: FakeBotApi) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=20))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=1))
    assert await refused(first, TelegramConflictError) == (
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
        "is running"
    )
    second.cancel()
    assert bot_api.violations == []


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_rate_limits_answer_429() -> None:
    clock = FakeClock()
    async with FakeBotApi(clock=clock) as fake:
        bot = make_bot(fake)
        try:
            chat = fake.private_chat(fake.user(1001))
            group = fake.group_chat(-100555, "Group")
            fake.rate_limit(global_per_sec=30, per_chat_per_sec=1, group_per_min=20)
            await bot.send_message(chat.id, "one")
            with pytest.raises(TelegramRetryAfter) as raised:
                await bot.send_message(chat.id, "two")
            assert raised.value.retry_after == 1
            assert raised.value.message.endswith(
                "Original description: Too Many Requests: retry after 1"
            )
            clock.now += 1.0
            await bot.send_message(chat.id, "two")
            for minute_second in range(20):
                clock.now += 1.0
                await bot.send_message(group.id, f"g{minute_second}")
            clock.now += 1.0
            with pytest.raises(TelegramRetryAfter) as raised:
                await bot.send_message(group.id, "too many")
            assert raised.value.retry_after == 40  # the first of the 20 leaves the window then
            assert fake.count_429 == 2 and fake.violations == []
        finally:
            await bot.session.close()


async def test_group_migration_service_messages_and_the_old_id(
    bot: Bot, bot_api: FakeBotApi
) -> None:
    ann = bot_api.user(1001, "Ann")
    group = bot_api.group_chat(-4001, "Team", type="group")
    bot_api.set_member_status(group.id, ann.id, "creator")
    await bot.send_message(group.id, "before")
    supergroup = bot_api.migrate_to_supergroup(group, -1004001, ann)
    assert supergroup.type == "supergroup"
    assert bot_api.state.member_status(supergroup, ann.id) == "creator"
    updates = await bot.get_updates(timeout=0)
    moved = [
        (u.message.chat.id, u.message.migrate_to_chat_id, u.message.migrate_from_chat_id)
        for u in updates
        if u.message
    ]
    assert moved == [(group.id, supergroup.id, None), (supergroup.id, None, group.id)]
    with pytest.raises(TelegramMigrateToChat) as info:
        await bot.send_message(group.id, "after")
    assert info.value.migrate_to_chat_id == supergroup.id
    await bot.send_message(supergroup.id, "after")
    assert bot_api.violations == []


async def test_flood_chat_answers_429_for_that_chat_only(
    bot: Bot, bot_api: FakeBotApi, chat_id: int
) -> None:
    other = bot_api.private_chat(bot_api.user(1002, "Bo")).id
    bot_api.flood_chat(chat_id, retry_after=3, count=2)
    for _ in range(2):
        with pytest.raises(TelegramRetryAfter) as info:
            await bot.send_message(chat_id, "hi")
        assert info.value.retry_after == 3
    await bot.send_message(other, "not limited")
    await bot.send_message(chat_id, "now it goes")
    assert [m.text for m in bot_api.bot_messages(chat_id)] == ["now it goes"]


async def test_a_user_edits_a_message(bot: Bot, bot_api: FakeBotApi, chat_id: int) -> None:
    chat, ann = bot_api.state.chats[chat_id], bot_api.state.users[1001]
    message = await bot_api.send_text(chat, ann, "hello")
    await bot_api.edit_text(message, "/link abc")
    updates = await bot.get_updates(timeout=0, allowed_updates=["message", "edited_message"])
    edited = updates[-1].edited_message
    assert edited is not None and edited.text == "/link abc" and edited.edit_date
    assert edited.entities and edited.entities[0].type == "bot_command"
    assert message.history == ["hello"]
    # A bot that did not ask for edited messages never gets them.
    await bot_api.edit_text(message, "again")
    assert (
        await bot.get_updates(
            offset=updates[-1].update_id + 1, timeout=0, allowed_updates=["message"]
        )
        == []
    )
