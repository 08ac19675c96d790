"""CSV export: formats (plain decimals, ISO dates with the offset, masked wallets, formulas
defused) and the split under a size limit, each part with its header."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from bot.exchanger import Click, Exchange, Payout, PayoutStatus
from bot.services.analytics import AccountData, PeriodData
from bot.services.charts import zone
from bot.services.export import CLICK_COLUMNS, files, split
from bot.storage.accounts import Account

ACCOUNT = Account(
    id=4, chat_id=1, site="https://a.example", key_hint="…1", paused=False, created_at=0
)


def _read(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


def test_rows_and_formats() -> None:
    data = PeriodData(
        [
            AccountData(
                ACCOUNT,
                clicks=[
                    Click(
                        7,
                        1_764_417_600,
                        referrer='=HYPERLINK("x")',
                        query_string='a=1,b="2"',
                        user_hash="h",
                        browser="Ünï",
                        ip="203.0.113.1",
                    )
                ],
                exchanges=[
                    Exchange(
                        9,
                        1_764_417_600,
                        amount_give=Decimal("1E-8"),
                        partner_reward=Decimal("1E+1"),
                        completed=True,
                    )
                ],
                payouts=[
                    Payout(
                        3,
                        1_764_417_600,
                        1,
                        "TXyzABCDEFGHIJ123",
                        Decimal("12.50"),
                        "USDT",
                        Decimal("13.50"),
                        "USD",
                        PayoutStatus.CANCELED_BY_USER,
                    )
                ],
            )
        ],
        failed=[],
    )
    made = {f.name: f for f in files(data, zone("Europe/Moscow"), "30d")}
    assert sorted(made) == ["clicks-30d.csv", "exchanges-30d.csv", "payouts-30d.csv"]
    assert not made["clicks-30d.csv"].content.startswith(b"\xef\xbb\xbf")  # no BOM
    (click,) = _read(made["clicks-30d.csv"].content)
    assert click["time"] == "2025-11-29T15:00:00+03:00" and click["browser"] == "Ünï"
    assert click["referrer"] == '\'=HYPERLINK("x")' and click["query_string"] == 'a=1,b="2"'
    (exchange,) = _read(made["exchanges-30d.csv"].content)
    assert (exchange["amount_give"], exchange["partner_reward"]) == ("0.00000001", "10")
    assert (exchange["completed"], exchange["accrued"], exchange["account"]) == ("1", "0", "4")
    (payout,) = _read(made["payouts-30d.csv"].content)
    assert payout["status"] == "canceled_by_user" and payout["wallet"] == "TXyz…J123"
    assert payout["pay_amount"] == "12.50"


def test_split_keeps_each_part_under_the_limit_with_its_header() -> None:
    lines = [["4", "s", str(n), "t", "r" * 50, "", "", "", ""] for n in range(40)]
    parts = split("clicks-7d", CLICK_COLUMNS, lines, limit=500)
    assert len(parts) > 1 and all(len(p.content) <= 500 for p in parts)
    assert [p.name for p in parts[:2]] == ["clicks-7d-1.csv", "clicks-7d-2.csv"]
    ids = [row["id"] for p in parts for row in _read(p.content)]
    assert ids == [str(n) for n in range(40)] and sum(p.rows for p in parts) == 40
    (single,) = split("clicks-7d", CLICK_COLUMNS, [], limit=500)
    assert single.name == "clicks-7d.csv" and single.rows == 0 and _read(single.content) == []
