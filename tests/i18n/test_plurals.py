"""Every count is worded with its language's plural form (CLDR rules through Babel)."""

import pytest

from bot.i18n import Translator

SITE = {"site": "x", "state": "ok", "paused": 0, "failing": 0, "active": 1, "rate": "0%"}
SITE |= {"last_success": "—", "circuit": "—"}


@pytest.mark.parametrize(
    ("count", "category", "expected"),
    [
        (1, "one", "… и ещё 1 сайт"),
        (21, "one", "… и ещё 21 сайт"),
        (2, "few", "… и ещё 2 сайта"),
        (34, "few", "… и ещё 34 сайта"),
        (5, "many", "… и ещё 5 сайтов"),
        (11, "many", "… и ещё 11 сайтов"),
        (12, "many", "… и ещё 12 сайтов"),
        (1000, "many", "… и ещё 1000 сайтов"),
    ],
)
def test_russian_one_few_many(count: int, category: str, expected: str) -> None:
    assert Translator("ru")("admin.more_sites", count=count) == expected, category


@pytest.mark.parametrize(
    ("count", "category", "expected"),
    [
        (1, "one", "… and 1 more site"),
        (0, "other", "… and 0 more sites"),
        (2, "other", "… and 2 more sites"),
        (21, "other", "… and 21 more sites"),
    ],
)
def test_english_one_other(count: int, category: str, expected: str) -> None:
    assert Translator("en")("admin.more_sites", count=count) == expected, category


@pytest.mark.parametrize(
    ("count", "ru", "en"),
    [
        (1, "1 аккаунт", "1 account"),
        (3, "3 аккаунта", "3 accounts"),
        (7, "7 аккаунтов", "7 accounts"),
    ],
)
def test_accounts_of_a_site(count: int, ru: str, en: str) -> None:
    assert f"  {ru} (на паузе 0)" in Translator("ru")("admin.site", accounts=count, **SITE)
    assert f"  {en} (0 paused)" in Translator("en")("admin.site", accounts=count, **SITE)


def test_russian_adjectives_and_verbs_agree_with_their_count() -> None:
    t = Translator("ru")
    chats = t("admin.chats", total=22, active=21, inactive=1)
    assert chats == "Чаты: <b>22</b> (21 активный, 1 неактивный)"
    assert t("admin.chats", total=7, active=2, inactive=5).endswith("(2 активных, 5 неактивных)")
    outbox = t("admin.outbox", pending=1, oldest="—", dropped=0)
    assert "ждёт 1 " in outbox and "ждут 3 " in t("admin.outbox", pending=3, oldest="—", dropped=0)
