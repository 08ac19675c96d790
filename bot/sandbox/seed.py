"""Realistic demo data: fixed keys, a fixed random seed, times relative to the sandbox's now.

    demo-key-alice-0001  balance 57.35 ≥ minimum 10.00, three payout methods, ~36 clicks,
                         30 exchanges over 40 days, 6 payouts in every status
    demo-key-bob-0002    balance 3.20 < minimum 10.00, two methods, a little history
    demo-key-carol-0003  API access off for the user: every request answers "Api disabled"
    demo-key-dave-0004   traffic sources computable by hand (see seed_sources.py)

`add_bench_accounts(state, n)` adds `bench-key-000001`…: each is built on its first request.
`add_history(state, partner, count, days)` gives a partner a big history (15,000 exchanges in
30 days is a few MB per answer): what a large affiliate looks like.
"""

from __future__ import annotations

import random
from decimal import Decimal

from bot.sandbox.records import (
    STATUS_NEW,
    STATUS_PAYED,
    STATUS_REALPAY,
    STATUS_SUCCESS,
    Click,
    Exchange,
    Partner,
    Payout,
    PayoutMethod,
    money,
)
from bot.sandbox.seed_sources import seed_sources
from bot.sandbox.state import SandboxState

ALICE, BOB, CAROL = "demo-key-alice-0001", "demo-key-bob-0002", "demo-key-carol-0003"
DEMO_KEYS = (ALICE, BOB, CAROL)
BLACKLISTED_ACCOUNT = "TBLACKLISTED0000000000000000000000"
DAY, HOUR = 86_400, 3_600

METHODS = [
    {"id": 1, "title": "USDT TRC20", "comission": "1.00", "currency_code": "USDTTRC20"},
    {"id": 2, "title": "USDT ERC20", "comission": "5.00", "currency_code": "USDTERC20"},
    {"id": 3, "title": "Payeer USD", "comission": "0.50", "currency_code": "PRUSD"},
]
# (give, get, course_give, course_get, smallest and largest amount_give, decimals of give/get)
PAIRS = [
    ("BTC", "SBERRUB", "1", "6012345.12", 10_000, 20_000_000, 8, 2),  # 0.0001 … 0.2 BTC
    ("SBERRUB", "BTC", "6150000", "1", 500_000, 25_000_000, 2, 8),  # 5 000 … 250 000 RUB
    ("USDTTRC20", "QIWIRUB", "1", "91.37", 1_000, 300_000, 2, 2),
    ("QIWIRUB", "USDTTRC20", "94.80", "1", 100_000, 5_000_000, 2, 2),
    ("ETH", "USDTTRC20", "1", "3412.55", 10, 3_000, 4, 2),  # 0.001 … 0.3 ETH
    ("USDTTRC20", "BTC", "67250", "1", 2_000, 500_000, 2, 8),
]
REFERRERS = [
    "https://www.bestchange.ru/bitcoin-to-sberbank.html",
    "https://forum.example/t/1?a=1&b=2",
    'https://evil.example/?q=<script>alert("x")</script>&r=1',
    "https://пример.рф/обмен?валюта=₽&x=<b>",
    "https://t.me/s/crypto_chat",
    "android-app://org.telegram.messenger",
    "",
]
BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
]
IPS = ["203.0.113.7", "198.51.100.23", "192.0.2.44", "2001:db8::1f", "203.0.113.99"]


def _hash(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _clicks(state: SandboxState, partner: Partner, rng: random.Random, count: int) -> None:
    now = state.now()
    for _ in range(count):
        partner.clicks.append(
            Click(
                id=state.next_id("item"),
                time=now - rng.randrange(40 * DAY),
                browser=rng.choice(BROWSERS),
                ip=rng.choice(IPS),
                referrer=rng.choice(REFERRERS),
                user_hash=_hash(rng),
                query_string=f"rid={partner.id}&utm_source=bestchange",
            )
        )


def _exchange(state: SandboxState, rng: random.Random, age: int) -> Exchange:
    """One exchange created `age` seconds ago; older ones are more likely done and accrued."""
    give, get, course_give, course_get, low, high, give_places, get_places = rng.choice(PAIRS)
    amount_give = Decimal(rng.randrange(low, high)).scaleb(-give_places)
    rate = Decimal(course_get) / Decimal(course_give)
    amount_get = (amount_give * rate).quantize(Decimal(1).scaleb(-get_places))
    created = state.now() - age
    done = age > 2 * HOUR and rng.random() < 0.8
    accrued = done and age > DAY and rng.random() < 0.85
    statuses = [STATUS_NEW, STATUS_PAYED, STATUS_REALPAY, STATUS_SUCCESS] if done else [STATUS_NEW]
    changed = created + (rng.randrange(600, 4 * HOUR) if done else 0)
    if accrued:
        changed = min(state.now(), changed + rng.randrange(HOUR, 3 * DAY))
    return Exchange(
        id=state.next_id("item"),
        time=created,
        edit_date=changed,
        currency_code_give=give,
        currency_code_get=get,
        course_give=Decimal(course_give),
        course_get=Decimal(course_get),
        amount_give=amount_give,
        amount_get=amount_get,
        exchange_success=int(done),
        accrued=int(accrued),
        partner_reward=money(Decimal(rng.randrange(0, 400)) / 100),
        user_hash=_hash(rng),
        statuses=statuses,
    )


def _payout(state: SandboxState, partner: Partner, age: int, status: int, amount: str) -> None:
    method = partner.methods[age % len(partner.methods)]
    original = money(amount)
    created = state.now() - age
    changed = created if status == 0 else created + 5 * HOUR
    payout = Payout(
        id=state.next_id("payout"),
        time=created,
        edit_date=changed,
        method_id=method.id,
        account=f"TXyz{age:030d}"[:34],
        pay_amount=method.amount(original),
        pay_currency_code=method.currency_code,
        original_amount=original,
        status=status,
    )
    partner.payouts[payout.id] = payout


def _history(state: SandboxState, partner: Partner, rng: random.Random, exchanges: int) -> None:
    for _ in range(exchanges):
        exchange = _exchange(state, rng, rng.randrange(10 * 60, 40 * DAY))
        partner.exchanges[exchange.id] = exchange


MAX_HISTORY = 200_000


def add_history(
    state: SandboxState, partner: Partner, count: int, days: int, seed: int = 1
) -> tuple[int, int]:
    """`count` exchanges created over the last `days` (ids in creation order); returns the
    first and last id. Deterministic for a seed."""
    if not 0 < count <= MAX_HISTORY or not 0 < days <= 3_650:
        raise ValueError(f"count must be 1..{MAX_HISTORY} and days 1..3650")
    rng = random.Random(seed)
    span = days * DAY
    ages = sorted((rng.randrange(10 * 60, span) for _ in range(count)), reverse=True)
    first = last = 0
    for age in ages:
        exchange = _exchange(state, rng, age)
        partner.exchanges[exchange.id] = exchange
        first, last = first or exchange.id, exchange.id
    return first, last


def seed_demo(state: SandboxState) -> None:
    rng = random.Random(20240601)
    alice = state.add_partner(ALICE, balance="57.35", min_payout="10.00", methods=METHODS)
    _clicks(state, alice, rng, 36)
    _history(state, alice, rng, 28)
    # An old exchange accrued an hour ago and a fresh pending one: both show in recent windows.
    old = _exchange(state, rng, 20 * DAY)
    old.exchange_success, old.accrued, old.edit_date = 1, 1, state.now() - HOUR
    old.statuses = [STATUS_NEW, STATUS_PAYED, STATUS_REALPAY, STATUS_SUCCESS]
    fresh = _exchange(state, rng, 5 * 60)
    alice.exchanges.update({old.id: old, fresh.id: fresh})
    for age, status, amount in [
        (38 * DAY, 1, "25.00"),
        (30 * DAY, 1, "41.10"),
        (21 * DAY, 2, "12.00"),
        (14 * DAY, 3, "18.75"),
        (7 * DAY, 1, "33.40"),
        (2 * DAY, 0, "15.20"),
    ]:
        _payout(state, alice, age, status, amount)

    bob = state.add_partner(BOB, balance="3.20", min_payout="10.00", methods=METHODS[:2])
    _clicks(state, bob, rng, 6)
    _history(state, bob, rng, 4)
    _payout(state, bob, 25 * DAY, 1, "11.00")

    carol = state.add_partner(CAROL, balance="25.00", methods=METHODS[:1], api_enabled=False)
    _history(state, carol, rng, 2)
    state.blacklist.add(BLACKLISTED_ACCOUNT)
    seed_sources(state)


def _bench_partner(state: SandboxState, index: int, api_key: str) -> Partner:
    """A small deterministic partner for load tests (times relative to its first request)."""
    rng = random.Random(index)
    partner = Partner(
        id=1_000_000 + index,
        api_key=api_key,
        balance=money(Decimal(rng.randrange(0, 8_000)) / 100),
        min_payout=money("10.00"),
        methods=[PayoutMethod(1, "USDT TRC20", money("1.00"), "USDTTRC20")],
    )
    _clicks(state, partner, rng, 2)
    _history(state, partner, rng, 3)
    for age, status in ((9 * DAY, 1), (DAY, 0)):
        _payout(state, partner, age, status, f"{rng.randrange(10, 60)}.00")
    return partner


def add_bench_accounts(state: SandboxState, count: int) -> None:
    """Make `bench-key-000001` … `bench-key-{count:06d}` valid (built lazily, O(1) now)."""
    state.bench_accounts = count
    state.bench_factory = _bench_partner
