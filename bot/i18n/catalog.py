"""Loading the Fluent catalogs: `locales/<language>/*.ftl`, one bundle per language.

A file that does not parse, or a message id defined twice in one language, stops the bot at
start-up with the file and the id: a broken translation never reaches a user as `{???}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fluent.runtime import FluentBundle
from fluent.syntax import FluentParser, ast, visitor

LOCALES = Path(__file__).with_name("locales")
DEFAULT_LANGUAGE = "en"
PLAIN_ATTRIBUTE = "plain"
_MARKUP = ("<", "&")


class CatalogError(Exception):
    """A catalog file is broken (syntax error, duplicate id)."""


def message_id(key: str) -> str:
    """Fluent ids allow no dots: the code's "payout.status.paid" is `payout-status-paid`."""
    return key.replace(".", "-")


class _Variables(visitor.Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)


class _Text(visitor.Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def visit_TextElement(self, node: ast.TextElement) -> None:
        self.parts.append(node.value)


def variables(node: ast.BaseNode) -> set[str]:
    """The `$names` a message (or one of its parts) reads."""
    found = _Variables()
    found.visit(node)
    return found.names


def has_markup(node: ast.BaseNode) -> bool:
    """True when the translator's own text holds HTML (a tag or an entity)."""
    text = _Text()
    text.visit(node)
    return any(mark in part for part in text.parts for mark in _MARKUP)


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    bundle: FluentBundle
    messages: Mapping[str, ast.Message]


def load_language(directory: Path) -> Language:
    messages: dict[str, ast.Message] = {}
    bundle = FluentBundle([directory.name], use_isolating=False)
    parser = FluentParser(with_spans=False)
    for path in sorted(directory.glob("*.ftl")):
        resource = parser.parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            if isinstance(entry, ast.Junk):
                raise CatalogError(f"{path}: cannot parse {(entry.content or '').strip()[:80]!r}")
            if isinstance(entry, ast.Message):
                if entry.id.name in messages:
                    raise CatalogError(f"{path}: {entry.id.name} is defined twice")
                messages[entry.id.name] = entry
        bundle.add_resource(resource)
    return Language(code=directory.name, bundle=bundle, messages=messages)


@cache
def catalog() -> Mapping[str, Language]:
    """Every language found under `locales/`, by code."""
    found = {d.name: load_language(d) for d in sorted(LOCALES.iterdir()) if d.is_dir()}
    if DEFAULT_LANGUAGE not in found:
        raise CatalogError(f"{LOCALES}: no {DEFAULT_LANGUAGE} catalog")
    return found
