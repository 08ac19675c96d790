"""The sender: drains the outbox into Telegram within its limits, with an explicit outcome.

Each batch of due rows is checked first (chat unreachable, account unlinked, kind turned off
in /settings — toggles apply at send time, so turning a kind off also silences what is queued),
then sent chat by chat: at most one message in flight per chat, ≥ 1 s apart in a private chat
and 3 s in a group (20/min), and a global pace of `rate` messages per second.

Order: one chat's messages go out in event (outbox id) order, even after a retry. A row that
must be retried ends its chat's turn in the batch, and `Outbox.due` holds back every later row
of that chat until the retried row is sent or dropped. Other chats are not held.

429 decision: Telegram answers 429 with a `retry_after` both for one chat's limit and for the
bot's overall limit, and aiogram's TelegramRetryAfter does not say which. A 429 is taken as
that chat's: only the chat waits `retry_after` (its row and everything after it). When 429s
hit `GLOBAL_429_CHATS` different chats within `GLOBAL_429_WINDOW` seconds, the limit is the
bot's: the whole sender pauses for the longest retry_after. Outcomes:

    sent        marked sent only after Telegram accepted it
    retry       429 (that chat waits retry_after; several chats at once: everyone waits),
                network or server error (backoff with jitter, the whole sender backs off:
                Telegram itself is failing); attempts are counted and bounded
    chat gone   403 or "chat not found": the chat is marked inactive (its accounts are no
                longer polled until /start) and its pending rows are dropped
    dropped     any other 400 (the message can never be sent), or too many attempts
    migrated    the group became a supergroup: its rows move to the new chat id
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any, Protocol

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
)
from aiogram.types import InlineKeyboardMarkup

from bot.i18n import DEFAULT_LANGUAGE, Translator
from bot.notifications.burst import fold
from bot.notifications.health import backoff
from bot.notifications.pacing import ChatPacer, Pacer
from bot.services.quiet_hours import QuietHours
from bot.storage.insight_settings import InsightSettings
from bot.storage.outbox import Outbox, Pending

log = logging.getLogger(__name__)


class SenderRole(Protocol):
    """Whether this process is the one that sends (storage/leadership.py on PostgreSQL)."""

    is_leader: bool

    async def held(self) -> bool: ...

    async def release(self) -> None: ...


class _AlwaysSender:
    is_leader = True

    async def held(self) -> bool:
        return True

    async def release(self) -> None:
        return None


class QuietSource(Protocol):
    async def with_quiet_hours(self, chat_ids: list[int]) -> dict[int, InsightSettings]: ...


BATCH = 300  # large enough that the global pace, not one chat's 1 s gaps, sets a batch's length
HORIZON = 3.0  # seconds of one chat's messages taken per batch; the rest is deferred
IDLE = 2.0  # the longest the sender sleeps when nothing is due (a wake() cuts it short)
MAX_RETRY_DELAY = 300.0
PRUNE_EVERY = 3_600.0
GLOBAL_429_CHATS = 2  # 429s for this many different chats…
GLOBAL_429_WINDOW = 1.0  # …within this many seconds: the bot's own limit, everyone waits


class Outcome(Enum):
    SENT = auto()
    RETRY = auto()
    CHAT_GONE = auto()
    DROPPED = auto()
    MIGRATED = auto()


@dataclass(frozen=True, slots=True)
class Delivery:
    outcome: Outcome
    reason: str = ""
    delay: float = 0.0
    new_chat_id: int = 0


# An outbox row's kind, account and payload, in the chat's language → the message and its
# keyboard. Given by the composition root (telegram/notification_texts.render): the texts and
# buttons of a notification are Telegram's, so this package does not import telegram.
Renderer = Callable[
    [str, int | None, Mapping[str, Any], Translator], tuple[str, InlineKeyboardMarkup | None]
]


class Sender:
    def __init__(
        self,
        bot: Bot,
        outbox: Outbox,
        *,
        render: Renderer,
        rate: float = 29.0,
        private_gap: float = 1.0,
        group_gap: float = 3.0,
        concurrency: int = 8,
        max_attempts: int = 20,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        burst: int = 0,
        quiet: QuietSource | None = None,
        role: SenderRole | None = None,
    ) -> None:
        self._clock = clock  # outbox times are unix seconds: they survive a restart
        self._bot, self._outbox, self._render = bot, outbox, render
        self._pacer = Pacer(rate, monotonic)
        self._chats = ChatPacer(private_gap, group_gap, monotonic)
        self._slots = asyncio.Semaphore(concurrency)
        self._max_attempts = max_attempts
        self._rng = rng or random.Random()
        self._wake = asyncio.Event()
        self._network_failures = 0
        self._monotonic = monotonic
        self._recent_429: dict[int, float] = {}  # chat → when it last met a 429 (monotonic)
        # --- burst batching (issue 16): `burst` or more foldable rows of a chat due at once
        # go out as one summary (0: off); summary row id → the ids of the rows it stands for.
        self._burst = burst
        self._folded: dict[int, tuple[int, ...]] = {}
        self._quiet = quiet  # quiet hours per chat (issue 16); None: none
        # One sender among all processes (issue 15): Telegram's 30/s is per token.
        self._role: SenderRole = role or _AlwaysSender()
        self.sent = 0  # for /metrics (issue 15): messages Telegram accepted, 429s met
        self.flood_429 = 0

    @property
    def is_leader(self) -> bool:
        """Whether this process is the one that sends now."""
        return self._role.is_leader

    def wake(self) -> None:
        """New rows were enqueued: look now instead of at the next idle tick."""
        self._wake.set()

    async def run(self, stopping: asyncio.Event) -> None:
        pruned_at = 0.0
        try:  # a retry time far ahead was set before the clock went back
            await self._outbox.unstall(MAX_RETRY_DELAY + HORIZON)
        except Exception:
            log.exception("Could not check the outbox's retry times")
        while not stopping.is_set():
            try:
                if not await self._role.held():  # another process sends (issue 15)
                    await self._idle(stopping)
                    continue
                if self._clock() - pruned_at > PRUNE_EVERY:
                    pruned_at = self._clock()
                    log.debug("Pruned %d old outbox row(s)", await self._outbox.prune())
                handled = await self.drain(stopping)
            except Exception:  # a database hiccup: keep the loop alive, rows stay in the outbox
                log.exception("Sending notifications failed; retrying")
                handled = 0
            if not handled:
                await self._idle(stopping)
        await self._role.release()

    async def drain(self, stopping: asyncio.Event | None = None) -> int:
        """One batch of due rows; returns how many rows it handled."""
        self._wake.clear()  # rows enqueued from now on wake the next idle wait
        rows = await self._outbox.due(BATCH)
        by_reason: defaultdict[str, list[int]] = defaultdict(list)
        by_chat: defaultdict[int, list[Pending]] = defaultdict(list)
        for row in sorted(rows, key=lambda r: r.id):  # each chat's rows in event order
            reason = _skip_reason(row)
            if reason:
                by_reason[reason].append(row.id)
            else:
                by_chat[row.chat_id].append(row)
        for reason, ids in by_reason.items():
            await self._outbox.drop(ids, reason)
        self._folded = {}
        minimum = dict.fromkeys(by_chat, self._burst)
        await self._hold_quiet(by_chat, minimum)
        for chat_id, chat_rows in by_chat.items():  # burst batching (issue 16)
            by_chat[chat_id], folded = fold(chat_rows, minimum[chat_id])
            self._folded.update(folded)
        await self._defer_excess(by_chat)
        sends = (self._send_chat(chat, stopping) for chat in by_chat.values())
        # Every chat's sends end before the next batch is read, even when one of them failed:
        # a row still being sent must never be read (and sent) again.
        outcomes = await asyncio.gather(*sends, return_exceptions=True)
        for error in outcomes:
            if isinstance(error, BaseException):
                raise error  # run() logs it and idles: no hot loop on a failing database
        return len(rows)

    async def _hold_quiet(self, by_chat: dict[int, list[Pending]], minimum: dict[int, int]) -> None:
        """Quiet hours (issue 16): a quiet chat's rows wait until its quiet hours end; just
        after the end, what was held goes out as one summary (folded from two rows on)."""
        if self._quiet is None or not by_chat:
            return
        now = self._clock()
        for chat_id, settings in (await self._quiet.with_quiet_hours(list(by_chat))).items():
            if settings.quiet is None or chat_id not in by_chat:
                continue
            hours = QuietHours(*settings.quiet, settings.timezone)
            until = hours.until(now)
            if until is not None:
                await self._outbox.defer([row.id for row in by_chat.pop(chat_id)], until)
            elif hours.just_ended(now):
                minimum[chat_id] = 2

    async def _defer_excess(self, by_chat: dict[int, list[Pending]]) -> None:
        for chat_rows in by_chat.values():
            gap = self._chats.gap(chat_rows[0].is_group)
            quota = max(1, int(HORIZON / gap)) if gap > 0 else len(chat_rows)
            if len(chat_rows) > quota:
                later = [i for row in chat_rows[quota:] for i in self._ids(row)]
                del chat_rows[quota:]
                await self._outbox.defer(later, self._clock() + quota * gap)

    async def _send_chat(self, rows: list[Pending], stopping: asyncio.Event | None) -> None:
        for row in rows:
            await self._chats.wait(row.chat_id)
            # A slot bounds requests in flight, not chats: a chat waiting out its 1 s gap
            # must not hold one, or a few slow chats would cap the whole sender's rate.
            async with self._slots:
                await self._pacer.wait()
                if stopping is not None and stopping.is_set():
                    return  # in-flight sends finish; no new one starts
                try:
                    delivery = await self.deliver(row)
                finally:
                    self._chats.sent(row.chat_id, row.is_group)
            await self._apply(row, delivery)
            if delivery.outcome in (Outcome.CHAT_GONE, Outcome.MIGRATED):
                return  # the chat's other rows were dropped or moved
            if delivery.outcome is Outcome.RETRY:
                return  # later rows of this chat wait for this one (Outbox.due holds them)

    async def deliver(self, row: Pending) -> Delivery:
        """One attempt at one message; never raises (but cancellation)."""
        try:
            text, markup = self._render(row.kind, row.account_id, row.payload, _translator(row))
        except (KeyError, ValueError, TypeError) as exc:
            return Delivery(Outcome.DROPPED, f"cannot render: {type(exc).__name__}")
        try:
            await self._bot.send_message(row.chat_id, text, reply_markup=markup)
        except TelegramRetryAfter as exc:
            self.flood_429 += 1
            self._flood_control(row.chat_id, float(exc.retry_after))
            return Delivery(Outcome.RETRY, "flood control", delay=float(exc.retry_after))
        except TelegramMigrateToChat as exc:
            return Delivery(Outcome.MIGRATED, new_chat_id=exc.migrate_to_chat_id)
        except TelegramForbiddenError as exc:
            return Delivery(Outcome.CHAT_GONE, exc.message)
        except TelegramBadRequest as exc:
            if "chat not found" in exc.message.lower():
                return Delivery(Outcome.CHAT_GONE, exc.message)
            return Delivery(Outcome.DROPPED, exc.message)
        except TelegramAPIError as exc:  # network, 5xx, 401, 404...: Telegram, not this message
            return self._transient(row, f"{type(exc).__name__}: {exc.message}")
        except Exception as exc:  # aiohttp/OS errors that escaped aiogram's wrapping
            return self._transient(row, type(exc).__name__)
        self._network_failures = 0
        self.sent += 1
        return Delivery(Outcome.SENT)

    def _flood_control(self, chat_id: int, retry_after: float) -> None:
        """A 429: that chat waits; 429s for several chats at once pause the whole sender."""
        now = self._monotonic()
        self._chats.hold(chat_id, retry_after)
        self._recent_429 = {
            c: at for c, at in self._recent_429.items() if now - at <= GLOBAL_429_WINDOW
        }
        self._recent_429[chat_id] = now
        if len(self._recent_429) >= GLOBAL_429_CHATS:
            log.warning("Telegram flood control for several chats: pausing %.0f s", retry_after)
            self._pacer.pause(retry_after)

    def _transient(self, row: Pending, reason: str) -> Delivery:
        # The whole sender backs off too: when Telegram is down, one message probes it.
        self._network_failures += 1
        self._pacer.pause(backoff(self._network_failures, 1.0, 60.0, self._rng))
        delay = backoff(row.attempts + 1, 1.0, MAX_RETRY_DELAY, self._rng)
        return Delivery(Outcome.RETRY, reason, delay=delay)

    def _ids(self, row: Pending) -> tuple[int, ...]:
        """The outbox rows a row stands for: itself, or every row a summary folds."""
        return self._folded.get(row.id, (row.id,))

    async def _apply(self, row: Pending, delivery: Delivery) -> None:
        outcome = delivery.outcome
        ids = self._ids(row)
        if outcome is Outcome.SENT:
            await self._outbox.mark_sent(*ids)
            log.debug("Notification %d sent to chat %d", row.id, row.chat_id)
        elif outcome is Outcome.RETRY and row.attempts + 1 < self._max_attempts:
            at = self._clock() + delivery.delay
            await self._outbox.retry(ids, at)
            log.info(
                "Notification %d: %s; retry in %.0f s", row.id, delivery.reason, delivery.delay
            )
        elif outcome is Outcome.RETRY:
            await self._outbox.drop(ids, f"gave up: {delivery.reason}")
            log.warning("Notification %d dropped after %d attempts", row.id, row.attempts + 1)
        elif outcome is Outcome.CHAT_GONE:
            dropped = await self._outbox.chat_gone(row.chat_id, delivery.reason)
            log.info(
                "Chat %d unreachable (%s); %d pending dropped",
                row.chat_id,
                delivery.reason,
                dropped,
            )
        elif outcome is Outcome.MIGRATED:
            await self._outbox.migrate_chat(row.chat_id, delivery.new_chat_id)
            log.info("Chat %d moved to %d", row.chat_id, delivery.new_chat_id)
        else:
            await self._outbox.drop(ids, delivery.reason)
            log.warning("Notification %d dropped: %s", row.id, delivery.reason)

    async def _idle(self, stopping: asyncio.Event) -> None:
        next_due = await self._outbox.next_due_at()
        seconds = IDLE if next_due is None else min(max(next_due - self._clock(), 0.05), IDLE)
        waiters = [asyncio.ensure_future(e.wait()) for e in (self._wake, stopping)]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()


def _skip_reason(row: Pending) -> str:
    if row.chat_type is None or not row.chat_active:
        return "chat inactive"
    if not row.linked:
        return "account unlinked"
    if row.kind not in row.wanted:
        return "turned off in /settings"
    return ""


def _translator(row: Pending) -> Translator:
    return Translator(row.language or DEFAULT_LANGUAGE)
