"""A small affiliate whose traffic sources can be checked by hand (`seed_demo` adds it).

    demo-key-dave-0004  balance 12.40; 8 clicks in the last 3 days carrying utm tags, a sub-id,
                        a referrer or nothing, and 7 exchanges sharing their `user_hash`

Source (default parameters)   clicks exchanges completed earnings  expected (not accrued)
utm_source=forum                  3        3         2       3.50       2.00
sub_id=tg42                       2        1         1       3.25       3.25
bestchange.ru (referrer)          2        1         1       0.80
direct                            1        1         1       0.00       (0.00: never credited)
unknown (no click of the user)    0        1         1       1.10
"""

from __future__ import annotations

from decimal import Decimal

from bot.sandbox.records import (
    STATUS_NEW,
    STATUS_SUCCESS,
    Click,
    Exchange,
    Partner,
    money,
)
from bot.sandbox.state import SandboxState

DAVE = "demo-key-dave-0004"
DAY, HOUR = 86_400, 3_600
BESTCHANGE = "https://www.bestchange.ru/tether-trc20-to-sberbank.html"


def _h(n: int) -> str:
    return f"{n:032x}"


# (user hash, age, referrer, query string)
CLICKS = [
    (_h(1), 3 * DAY, "https://forum.example/t/9", "utm_source=forum"),
    (_h(2), 3 * DAY - HOUR, "", "utm_source=forum&utm_medium=post"),
    (_h(3), 2 * DAY, "", "rid={id}&utm_source=forum"),
    (_h(4), 2 * DAY - HOUR, "https://t.me/s/x", "rid={id}&sub_id=tg42"),
    (_h(5), DAY, "", "sub_id=tg42"),
    (_h(6), DAY - HOUR, BESTCHANGE, "rid={id}"),
    (_h(7), DAY - 2 * HOUR, "", ""),
    (_h(8), 5 * HOUR, BESTCHANGE, "rid={id}&utm_source="),
]
# (user hash, age, completed, accrued, reward)
EXCHANGES = [
    (_h(1), 3 * DAY - 600, 1, 1, "1.50"),
    (_h(2), 3 * DAY - 2 * HOUR, 1, 0, "2.00"),
    (_h(3), 2 * DAY - 600, 0, 0, "0.70"),
    (_h(4), 2 * DAY - 2 * HOUR, 1, 0, "3.25"),
    (_h(6), DAY - 2 * HOUR, 1, 1, "0.80"),
    (_h(7), DAY - 3 * HOUR, 1, 0, "0.00"),
    (_h(9), 6 * HOUR, 1, 1, "1.10"),
]


def seed_sources(state: SandboxState) -> Partner:
    dave = state.add_partner(
        DAVE,
        balance="12.40",
        min_payout="10.00",
        methods=[{"id": 1, "title": "USDT TRC20", "comission": "1.00"}],
    )
    now = state.now()
    for user_hash, age, referrer, query in CLICKS:
        dave.clicks.append(
            Click(
                id=state.next_id("item"),
                time=now - age,
                browser="Mozilla/5.0",
                ip="203.0.113.5",
                referrer=referrer,
                user_hash=user_hash,
                query_string=query.format(id=dave.id),
            )
        )
    for user_hash, age, done, accrued, reward in EXCHANGES:
        made = now - age
        exchange = Exchange(
            id=state.next_id("item"),
            time=made,
            edit_date=made + (HOUR if accrued else 600),
            currency_code_give="USDTTRC20",
            currency_code_get="SBERRUB",
            course_give=Decimal(1),
            course_get=Decimal("91.37"),
            amount_give=money("100"),
            amount_get=money("9137"),
            exchange_success=done,
            accrued=accrued,
            partner_reward=money(reward),
            user_hash=user_hash,
            statuses=[STATUS_NEW, STATUS_SUCCESS] if done else [STATUS_NEW],
        )
        dave.exchanges[exchange.id] = exchange
    return dave
