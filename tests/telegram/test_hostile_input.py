"""Hostile and broken input through the real dispatcher: very long messages, control characters,
odd unicode, commands with junk arguments, forged callback data (wrong ids, another chat's
account, stale pages, malformed data with a known prefix, unknown prefixes).

Every input gets a clear reply (an alert for a button), nothing is logged as an error, no
traceback, another chat's account stays linked and untouched, and the strict fake Bot API
refused no request.
"""

from __future__ import annotations

import random

import pytest

from bot.devtools.bot_api_models import FakeChat, FakeMessage, FakeUser
from bot.sandbox.seed import ALICE, BOB
from tests.telegram.harness import Harness, RunningBot
from tests.telegram.updates import (
    capture_events,
    errors,
    forge_press,
    last_update_id,
    wait_handled,
)

HINT = "I did not understand"
NOT_A_KEY = "does not look like an API key"
GONE = "no longer linked"
STALE = "no longer active"
ANSWERED = "*"  # any answer but "something went wrong"

NASTY_TEXTS = [
    "x" * 10_000,
    "\x00\x01\x02\x07\x08\x1b[31mred\x1b[0m\x7f\x9f",
    "\u202eevil.exe\u202c \u200f\u200eRTL marks",
    "\u200b\u200c\u200d\u2060\ufeff",
    "👨‍👩‍👧‍👦🏳️‍🌈🇺🇦" * 300,
    "\\ud800\\udfff\\u0000 escapes as text",
    "\ud800 a lone surrogate \udfff",
    "e\u0301\u0301\u0301\u0301" * 500,
    "<b>bold</b><script>alert(1)</script> &amp; & <a href='x'>",
    "{t} {0} {__class__} {text!r} %s %(x)s %n",
    "'; DROP TABLE accounts; --",
    "\n\n \t \r\n",
    "𝕳𝖊𝖑𝖑𝖔 ﷽ ᄀᄀᄀ 각 ⸻ \U0010ffff",
]

JUNK_COMMANDS = [
    ("/exchanges ../../etc/passwd", "Period:"),
    ("/exchanges 7d 30d today", "Period:"),
    ("/exchanges " + "7d" * 3_000, "Period:"),
    ("/link " + "A" * 5_000, NOT_A_KEY),
    ("/link \u202e" + ALICE, NOT_A_KEY),
    (f"/link {ALICE} trailing junk", NOT_A_KEY),
    ("/link ../../etc/passwd\x00", NOT_A_KEY),
    ("/balance@otherbot", HINT),
    ("/balance@pex_test_bot", "Balance"),
    ("/start " + "x" * 5_000, "REST API key"),
    ("/unlink 1 2 3 \x00", "Unlink"),
    ("/language '; DROP TABLE chats; --", "Choose the language"),
    ("/admin please", HINT),
    ("/", HINT),
    ("/cancel\x00", HINT),
]


class World:
    """Ann (the attacker, ALICE linked) and Bob (the victim, BOB linked) in private chats."""

    def __init__(self, harness: Harness, running: RunningBot) -> None:
        self.h = harness
        self.running = running
        self.bob: FakeUser = harness.fake.user(2002, "Bob")
        self.bob_chat: FakeChat = harness.fake.private_chat(self.bob)
        self.ann_account = 0
        self.bob_account = 0

    async def setup(self) -> None:
        await self.h.link(ALICE)
        await self.h.fake.send_text(self.bob_chat, self.bob, f"/link {BOB}")
        await self.h.fake.wait_for_text(self.bob_chat.id, "Account linked")
        rows = await self.running.db.fetch_all("SELECT id, chat_id FROM accounts")
        ids = {row["chat_id"]: row["id"] for row in rows}
        self.ann_account, self.bob_account = ids[self.h.chat.id], ids[self.bob_chat.id]

    async def accounts(self) -> list[tuple[int, int]]:
        rows = await self.running.db.fetch_all("SELECT id, chat_id FROM accounts ORDER BY id")
        return [(row["id"], row["chat_id"]) for row in rows]

    async def reply_to(self, text: str) -> FakeMessage:
        mark = self.h.fake.revision
        await self.h.say(text)
        return await self.h.fake.wait_for(lambda m: True, chat_id=self.h.chat.id, since=mark)


@pytest.fixture
async def world(harness: Harness, caplog: pytest.LogCaptureFixture) -> World:
    capture_events(caplog)
    world = World(harness, await harness.start_bot())
    await world.setup()
    return world


@pytest.fixture(autouse=True)
async def nothing_leaks_or_breaks(world: World, caplog: pytest.LogCaptureFixture):  # type: ignore[no-untyped-def]
    before = await world.accounts()
    bob_messages = len(world.h.fake.bot_messages(world.bob_chat.id))
    yield
    assert errors(caplog) == []
    assert await world.accounts() == before  # nothing linked, nothing unlinked
    assert len(world.h.fake.bot_messages(world.bob_chat.id)) == bob_messages
    assert world.h.fake.unanswered_callbacks() == []
    assert world.h.fake.violations == [], world.h.fake.transcript()


async def test_nasty_text_gets_the_hint(world: World) -> None:
    for text in NASTY_TEXTS:
        reply = await world.reply_to(text)
        assert HINT in reply.text, repr(text[:40])


async def test_commands_with_junk_arguments(world: World) -> None:
    for text, expected in JUNK_COMMANDS:
        mark = world.h.fake.revision
        message = await world.h.say(text)
        await world.h.fake.wait_for_text(world.h.chat.id, expected, since=mark)
        if text.startswith("/link"):
            assert message.deleted, repr(text[:40])  # whatever followed /link may be a key


def random_inputs(seed: int, count: int) -> list[str]:
    """Strings mixing commands, control characters, bidi marks, combining marks and emoji."""
    rng = random.Random(seed)
    pool = (
        [chr(c) for c in range(0x00, 0x20)]
        + list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200d\ufeff")
        + list("\u0301\u0336\u20dd🙂👍🏽🇷🇺😀ЯяñΩ字<>&'\"{}%:/@\\ ")
        + [chr(rng.randrange(0x20, 0x2FFFF)) for _ in range(64)]
    )
    prefixes = ["", "/link ", "/exchanges ", "/balance ", "/unlink ", "/start ", "/help@"]
    texts = []
    for _ in range(count):
        body = "".join(rng.choice(pool) for _ in range(rng.randrange(1, 400)))
        texts.append(rng.choice(prefixes) + body)
    return texts


async def test_random_unicode_never_breaks_anything(world: World) -> None:
    for text in random_inputs(seed=20240505, count=40):
        reply = await world.reply_to(text)
        assert reply.text and ALICE not in reply.text and BOB not in reply.text


async def test_nasty_text_in_a_group_is_ignored_quietly(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    group = world.h.fake.group_chat(-1007, "Noise")
    for text in [*NASTY_TEXTS[:5], "/balance@otherbot", "/admin"]:
        await world.h.fake.send_text(group, world.h.user, text)
        assert not await wait_handled(caplog, last_update_id(world.h.fake))
    assert world.h.fake.bot_messages(group.id) == []


def forged_data(ann: int, bob: int) -> list[tuple[str, str | None]]:
    """(callback data, the alert's expected fragment, None: a plain acknowledgement)."""
    return [
        (f"a1:b:{bob}:all", GONE),  # another chat's account
        (f"pg1:e:{bob}:0:7d:0", GONE),
        (f"u1:p:{bob}", GONE),
        (f"u1:y:{bob}", None),  # "no longer linked" shown in the message, Bob's stays
        (f"ps1:{bob}", GONE),
        ("a1:b:999999:all", GONE),  # an id that never existed
        ("a1:b:0:all", None),  # 0: every account of this chat (only Ann's)
        ("a1:c:0:", GONE),  # no "all" for clicks
        ("u1:y:-1", ANSWERED),  # "no longer linked", or stale once ids are bounded
        (f"pg1:e:{ann}:999:7d:0", None),  # a stale page: clamped to the last one
        (f"pg1:e:{ann}:-7:7d:0", STALE),  # out of the page range: refused by the filter
        (f"pg1:p:{ann}:99999999999999999999:30d:0", STALE),
        (f"pg1:p:{ann}:0:30d:99999999999999999", STALE),  # a time beyond the range
        (f"pg1:e:{ann}:0:all", STALE),  # a button of the version before time windows
        (f"pg1:e:{ann}:0:7d:1", None),  # a window in 1970: starts at 2010 instead
        (f"a1:e:{ann}:../../etc", None),  # a junk period: the default one
        (f"a1:x:{ann}:all", STALE),  # malformed data with a known prefix
        (f"a1:b:{ann}", STALE),
        (f"a1:b:{ann}:all:extra", STALE),
        ("a1:b:notanumber:all", STALE),
        ("pg1:e:1.5:0:7d:0", STALE),
        ("u1:zz:1", STALE),
        ("u1:", STALE),
        ("l1:" + "x" * 60, None),  # an unknown language: English
        ("zz:1", STALE),  # unknown prefixes
        ("", STALE),
        (":::::", STALE),
        ("\x00\u202e👍", STALE),
    ]


async def test_forged_callback_data(world: World) -> None:
    listing = await world.reply_to("/exchanges")
    assert listing.buttons
    for data, expected in forged_data(world.ann_account, world.bob_account):
        query = forge_press(world.h.fake, world.h.user, listing, data)
        answer = await world.h.fake.wait_for_answer(query)
        assert "went wrong" not in (answer["text"] or ""), (data, answer)
        if expected is None:
            assert not answer["show_alert"], (data, answer)
        elif expected == ANSWERED:
            continue
        else:
            assert expected in (answer["text"] or ""), (data, answer)
            assert answer["show_alert"], data


async def test_ids_beyond_the_database_range(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    listing = await world.reply_to("/exchanges")
    try:
        for data in ("u1:y:" + "9" * 30, "ps1:" + "9" * 60, "a1:b:" + "9" * 25 + ":all"):
            query = forge_press(world.h.fake, world.h.user, listing, data)
            answer = await world.h.fake.wait_for_answer(query)
            assert errors(caplog) == [] and "went wrong" not in (answer["text"] or ""), data
    finally:
        caplog.clear()  # the fixture's checks stay about the other effects
