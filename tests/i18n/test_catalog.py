import re
import string

import pytest

from bot.i18n import Html, Translator, catalog, language_for

KEYS = sorted(catalog())


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", KEYS)
def test_both_languages_take_the_same_values(key: str) -> None:
    text = catalog()[key]
    assert text.en.strip() and text.ru.strip()
    assert _fields(text.en) == _fields(text.ru)


@pytest.mark.parametrize("key", KEYS)
def test_texts_use_only_telegram_html(key: str) -> None:
    for template in (catalog()[key].en, catalog()[key].ru):
        for tag in re.findall(r"</?([a-zA-Z-]+)", template):
            assert tag in {"b", "i", "code", "pre", "u", "s", "a", "blockquote"}, (key, tag)
        assert "&" not in template.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")


def test_values_are_escaped_unless_html() -> None:
    t = Translator("en")
    assert t("error.refused", detail="<b>&") == "The site refused: &lt;b&gt;&amp;"
    assert t("error.refused", detail=Html("<b>x</b>")) == "The site refused: <b>x</b>"


def test_language_choice() -> None:
    assert language_for(None, "ru-RU") == "ru"
    assert language_for(None, "uk") == "ru"
    assert language_for(None, "de") == "en"
    assert language_for(None, None) == "en"
    assert language_for("en", "ru") == "en"
    assert Translator("xx").language == "en"
