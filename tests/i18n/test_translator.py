from decimal import Decimal

import pytest

from bot.i18n import Html, PlainTextError, Translator, language_for


def test_values_are_escaped_unless_html() -> None:
    t = Translator("en")
    assert t("error.refused", detail="<b>&") == "The site refused: &lt;b&gt;&amp;"
    assert t("error.refused", detail=Html("<b>x</b>")) == "The site refused: <b>x</b>"
    assert isinstance(t("error.refused", detail="x"), Html)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_numbers_are_not_reformatted_by_locale(language: str) -> None:
    t = Translator(language)
    text = t("balance.amounts", balance=Decimal("12345.50"), min_payout=1234567)
    assert "12345.50" in text and "1234567" in text
    assert "\u2068" not in text and "\u2069" not in text  # no bidi isolation marks


def test_plain_escapes_nothing_and_refuses_markup() -> None:
    t = Translator("en")
    assert t.plain("error.refused", detail="<b>&") == "The site refused: <b>&"
    assert not isinstance(t.plain("error.refused", detail="x"), Html)
    with pytest.raises(PlainTextError):
        t.plain("balance.amounts", balance="1", min_payout="2")


def test_a_missing_value_is_an_error() -> None:
    with pytest.raises(KeyError, match="detail"):
        Translator("en")("error.refused")
    with pytest.raises(KeyError):
        Translator("en")("no.such.key")


def test_language_choice() -> None:
    assert language_for(None, "ru-RU") == "ru"
    assert language_for(None, "uk") == "ru"
    assert language_for(None, "de") == "en"
    assert language_for(None, None) == "en"
    assert language_for("en", "ru") == "en"
    assert language_for("ru", "en") == "ru"
    assert Translator("xx").language == "en"
