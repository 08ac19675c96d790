import re
from pathlib import Path

import pytest
from fluent.syntax import ast

from bot.i18n import LANGUAGES
from bot.i18n.catalog import (
    DEFAULT_LANGUAGE,
    LOCALES,
    PLAIN_ATTRIBUTE,
    CatalogError,
    catalog,
    has_markup,
    load_language,
    variables,
)

IDS = sorted(catalog()[DEFAULT_LANGUAGE].messages)
_TELEGRAM_TAGS = {"b", "i", "code", "pre", "u", "s", "a", "blockquote"}


def _text(node: ast.BaseNode) -> str:
    return "".join(
        e.value for e in getattr(node, "elements", []) if isinstance(e, ast.TextElement)
    ) + "".join(
        _text(v.value)
        for e in getattr(node, "elements", [])
        if isinstance(e, ast.Placeable) and isinstance(e.expression, ast.SelectExpression)
        for v in e.expression.variants
    )


def test_every_language_has_the_same_files() -> None:
    assert set(LANGUAGES) == {"en", "ru"}
    files = {lang: sorted(p.name for p in (LOCALES / lang).glob("*.ftl")) for lang in LANGUAGES}
    assert files["en"] and all(names == files["en"] for names in files.values()), files


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_exists_in_every_language(language: str) -> None:
    assert sorted(catalog()[language].messages) == IDS


@pytest.mark.parametrize("mid", IDS)
def test_every_language_reads_the_same_variables(mid: str) -> None:
    found = {lang: variables(catalog()[lang].messages[mid]) for lang in LANGUAGES}
    assert len(set(map(frozenset, found.values()))) == 1, found


@pytest.mark.parametrize("mid", IDS)
def test_messages_use_only_telegram_html(mid: str) -> None:
    for lang in LANGUAGES:
        message = catalog()[lang].messages[mid]
        assert message.value is not None, (lang, mid)
        text = _text(message.value)
        assert text.strip() or variables(message), (lang, mid)
        for tag in re.findall(r"</?([a-zA-Z-]+)", text):
            assert tag in _TELEGRAM_TAGS, (lang, mid, tag)
        assert "&" not in text.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")


@pytest.mark.parametrize("mid", IDS)
def test_plain_variants_hold_no_markup(mid: str) -> None:
    for lang in LANGUAGES:
        for attribute in catalog()[lang].messages[mid].attributes:
            assert attribute.id.name == PLAIN_ATTRIBUTE, (lang, mid)
            assert not has_markup(attribute.value), (lang, mid)


def test_a_broken_file_stops_loading(tmp_path: Path) -> None:
    tmp_path = tmp_path / "en"
    tmp_path.mkdir()
    (tmp_path / "a.ftl").write_text("good = fine\nbad = { $x\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"a\.ftl"):
        load_language(tmp_path)


def test_an_id_defined_twice_stops_loading(tmp_path: Path) -> None:
    tmp_path = tmp_path / "en"
    tmp_path.mkdir()
    (tmp_path / "a.ftl").write_text("same = one\n", encoding="utf-8")
    (tmp_path / "b.ftl").write_text("same = two\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="same is defined twice"):
        load_language(tmp_path)


def test_variables_and_markup_are_seen() -> None:
    en = catalog()["en"].messages
    assert variables(en["error-refused"]) == {"detail"}
    assert has_markup(en["balance-amounts"]) and not has_markup(en["error-refused"])
