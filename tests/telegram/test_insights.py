"""Expected earnings, /sources, /stats and /export through the real dispatcher, against the
in-process sandbox seeded with demo-key-dave-0004 (numbers in bot/sandbox/seed_sources.py)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.sandbox.seed import ALICE
from bot.sandbox.seed_sources import DAVE
from tests.telegram.harness import Harness


async def test_balance_shows_expected_earnings(harness: Harness) -> None:
    await harness.start_bot()
    await harness.link(DAVE)
    balance = await harness.ask("/balance", "Payout methods")
    # 2.00 + 3.25 completed and not accrued; the completed 0.00 one is never credited.
    assert "Expected +5.25 USD from 2 completed exchanges" in balance.text
    await harness.link(ALICE)
    overview = await harness.ask("/balance", "Your accounts")
    assert "Expected +5.25 USD from 2 completed exchanges" in overview.text


def test_expected_earnings_in_russian_plural_forms() -> None:
    t = Translator("ru")
    assert "за 1 завершённый обмен" in t("balance.expected", amount="1.00", count=1)
    assert "за 3 завершённых обмена" in t("balance.expected", amount="1.00", count=3)
    assert "за 5 завершённых обменов" in t("balance.expected", amount="1.00", count=5)
