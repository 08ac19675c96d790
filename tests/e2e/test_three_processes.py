"""Issue 15's acceptance run: 3 real `python -m bot` processes in webhook mode behind a
round-robin proxy, one PostgreSQL database, 300 affiliates linked through the bot, events
injected for 60 s, one process killed with SIGKILL halfway.

Checked: every event is notified exactly once; no key is polled by two processes at once (the
sandbox records a request that arrives while another one of its key is being answered; every
read takes 0.1 s there, so two polls at once cannot slip between each other's requests); after
the kill every account is polled again within two intervals; the sender role moves when the
killed process held it (it is chosen to be the holder); every request to the fake Bot API is
valid.

The kill comes while the polls go on but at a moment when every notification so far was sent:
a sender killed in the milliseconds between Telegram's acceptance and the commit of `sent_at`
sends that row again after its lease (at least once, README "Running several processes"), and
a test that must see each event exactly once cannot let a random kill land there.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field

import asyncpg
from cryptography.fernet import Fernet

from bot.devtools.bot_api import FakeBotApi
from bot.devtools.bot_api_models import FakeChat
from bot.sandbox.state import key_id
from tests.e2e.test_notifications import EXCHANGE
from tests.e2e.test_postgresql import wait_pg
from tests.e2e.test_startup_e2e import free_port
from tests.e2e.test_webhook import SECRET
from tests.fakes.balancer import RoundRobin
from tests.fakes.fixtures import MakeBot
from tests.fakes.processes import BotProcess, SandboxProcess
from tests.postgres import Server, new_database

PROCESSES = 3
ACCOUNTS = 300
INTERVAL = 5.0  # POLL_INTERVAL, scaled down from 60 s as in the benchmarks
RUN_SECONDS = 60.0
EVENTS_PER_SECOND = 5
READ_DELAY = 0.1  # every read answer takes this long: polls have a duration to overlap in
HOOK_PATH = "/tg/hook"


@dataclass
class Affiliate:
    chat: FakeChat
    key: str


@dataclass
class Run:
    bot_api: FakeBotApi
    sandbox: SandboxProcess
    affiliates: list[Affiliate]
    events: dict[int, int] = field(default_factory=dict)  # exchange id → chat id

    async def inject(self, seconds: float, order: itertools.cycle[Affiliate]) -> None:
        """New accrued exchanges, EVENTS_PER_SECOND of them, spread over the affiliates."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        for n in itertools.count():
            at = start + n / EVENTS_PER_SECOND
            if at >= start + seconds:
                return
            await asyncio.sleep(max(0.0, at - loop.time()))
            affiliate = next(order)
            path = f"partners/{affiliate.key}/exchanges"
            created = await self.sandbox.control("POST", path, EXCHANGE | {"accrued": 1})
            self.events[int(created["id"])] = affiliate.chat.id

    def notified(self) -> dict[int, int]:
        """Exchange id → how many "Reward accrued" messages name it (in its own chat)."""
        counts = dict.fromkeys(self.events, 0)
        for exchange_id, chat_id in self.events.items():
            for message in self.bot_api.bot_messages(chat_id):
                if "Reward accrued" in message.text and f"#{exchange_id}:" in message.text:
                    counts[exchange_id] += 1
        return counts

    async def all_notified(self, seconds: float) -> None:
        async with asyncio.timeout(seconds):
            while min(self.notified().values(), default=1) < 1:
                await self.bot_api.state.messages_changed.wait(1.0)


async def link_all(bot_api: FakeBotApi, sandbox: SandboxProcess, url: str) -> list[Affiliate]:
    affiliates = []
    for i in range(ACCOUNTS):
        key = (await sandbox.control("POST", "partners", {"balance": "3.00"}))["api_key"]
        user = bot_api.user(5000 + i, f"Affiliate {i}", language_code="en")
        affiliates.append(Affiliate(bot_api.private_chat(user), key))
    for i, affiliate in enumerate(affiliates):
        await bot_api.send_text(affiliate.chat, bot_api.user(5000 + i), f"/link {affiliate.key}")
    await wait_pg(url, f"SELECT COUNT(*) = {ACCOUNTS} FROM accounts", seconds=90)
    for affiliate in affiliates:
        await bot_api.wait_for_text(affiliate.chat.id, "Account linked", timeout=30)
    await wait_pg(url, "SELECT bool_and(baseline_done = 1) FROM accounts", seconds=60)
    return affiliates


async def polled_again_within(sandbox: SandboxProcess, keys: set[str], seconds: float) -> float:
    """Seconds until every key was asked again (the request log was cleared at the kill)."""
    started = time.monotonic()
    async with asyncio.timeout(seconds + 5):
        while True:
            log = await sandbox.control("GET", "requests?limit=10000")
            if keys <= {item["key_id"] for item in log["items"]}:
                return time.monotonic() - started
            await asyncio.sleep(0.2)


async def sent_so_far(url: str) -> None:
    """Every detected event is sent: nothing is waiting in (or claimed from) the outbox."""
    await wait_pg(url, "SELECT COUNT(*) = 0 FROM outbox WHERE sent_at IS NULL", seconds=30)


async def test_three_processes_notify_each_event_once_and_survive_a_kill(
    bot_api: FakeBotApi, sandbox: SandboxProcess, make_bot: MakeBot, pg_server: Server
) -> None:
    url = await new_database(pg_server)
    key = Fernet.generate_key().decode()
    ports = [free_port() for _ in range(PROCESSES)]
    async with RoundRobin([f"http://127.0.0.1:{port}" for port in ports]) as proxy:
        bots = [
            make_bot(
                log_level="INFO",
                poll_interval=str(INTERVAL),
                database_url=url,
                encryption_key=key,
                webhook_url=proxy.url + HOOK_PATH,  # one public URL for every replica
                webhook_secret=SECRET,
                webhook_host="127.0.0.1",
                webhook_port=str(port),
            )
            for port in ports
        ]
        await asyncio.gather(*(bot.start() for bot in bots))
        for bot in bots:
            await bot.wait_for_output("Webhook registered", timeout=60)
        await sandbox.control("POST", "faults", {"mode": "slow", "delay": READ_DELAY})

        affiliates = await link_all(bot_api, sandbox, url)
        assert min(proxy.answered.values()) > 0 and len(proxy.answered) == PROCESSES
        await sandbox.control("DELETE", "overlaps")  # /link's own reads are not polls
        run = Run(bot_api, sandbox, affiliates)
        order = itertools.cycle(affiliates)

        await run.inject(RUN_SECONDS / 2, order)
        await run.all_notified(seconds=4 * INTERVAL)
        await sent_so_far(url)
        [holder] = [bot for bot in bots if "Sender role taken" in bot.output()]
        assert len(await lease_owners(url)) == PROCESSES  # each process polls a share
        await sandbox.control("DELETE", "requests")
        await holder.kill()  # SIGKILL: no shutdown; its leases and its advisory lock end

        survivors = [bot for bot in bots if bot is not holder]
        keys = {key_id(affiliate.key) for affiliate in affiliates}
        again, _ = await asyncio.gather(
            polled_again_within(sandbox, keys, 2 * INTERVAL), run.inject(RUN_SECONDS / 2, order)
        )
        await run.all_notified(seconds=4 * INTERVAL)
        await sent_so_far(url)
        await asyncio.sleep(2 * INTERVAL)  # two more rounds: a duplicate would show up now

        assert again <= 2 * INTERVAL, f"some accounts were polled again only after {again:.1f} s"
        assert len(run.events) == RUN_SECONDS * EVENTS_PER_SECOND
        counts = run.notified()
        assert {n for n in counts.values()} == {1}, {i: n for i, n in counts.items() if n != 1}
        overlaps = await sandbox.control("GET", "overlaps")
        assert overlaps["count"] == 0, overlaps["items"][:5]
        assert sum("Sender role taken" in bot.output() for bot in survivors) == 1
        await assert_leases_moved_to(url, survivors)
        for bot in survivors:
            assert await bot.terminate() == 0
            assert SECRET not in bot.output()
    assert bot_api.violations == []


async def lease_owners(url: str) -> dict[str, int]:
    """Which processes hold the accounts' leases: owner → accounts."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT lease_owner, COUNT(*) FROM accounts GROUP BY 1")
    finally:
        await conn.close()
    return {row[0]: row[1] for row in rows}


async def assert_leases_moved_to(url: str, survivors: list[BotProcess]) -> None:
    """Every account is leased by one of the survivors, and each of them polls a share."""
    owners = await lease_owners(url)
    assert len(owners) == len(survivors) and None not in owners, owners
    assert min(owners.values()) >= ACCOUNTS // 10, owners
