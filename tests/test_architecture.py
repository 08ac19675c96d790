"""The layout, kept true by a test: which package may import which, and where SQL lives.

Imports point down: telegram → services → storage / exchanger → domain; notifications sits
beside telegram, above services (it uses their digest, insights and quiet hours); neither
of the two imports the other, and nothing imports upward. `bot/storage/` is the only package
with SQL text and the only one that talks to a database driver."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"

# package (or top-level module) → the bot packages it may import
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "exchanger": set(),
    "storage": {"domain", "exchanger"},
    "i18n": set(),
    "logging_setup": set(),
    "services": {"domain", "exchanger", "i18n", "logging_setup", "storage"},
    "notifications": {
        "config",
        "domain",
        "exchanger",
        "i18n",
        "logging_setup",
        "services",
        "storage",
    },
    "telegram": {"config", "domain", "exchanger", "i18n", "logging_setup", "services", "storage"},
    "config": {"services", "storage"},
}
DRIVERS = {"sqlite3", "aiosqlite", "asyncpg"}
# Entry points may name sqlite3 for its exception class only (they catch sqlite3.Error).
DRIVER_OK = {"bot/__main__.py", "bot/rotate_keys.py", "bot/logging_setup.py"}
SQL = re.compile(  # the bot writes SQL keywords in capitals
    r"\b(SELECT\s+[\w*(]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX))"
)


def _modules() -> list[Path]:
    return sorted(p for p in BOT.rglob("*.py") if "sandbox" not in p.parts)


def _package(path: Path) -> str:
    parts = path.relative_to(BOT).with_suffix("").parts
    return parts[0]


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _name(path: Path) -> str:
    return str(path.relative_to(BOT.parent))


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_imports_point_down(path: Path) -> None:
    package = _package(path)
    if package not in ALLOWED:  # entry points and dev tools see everything
        return
    imported = {
        m.split(".")[1] for m in _imports(ast.parse(path.read_text())) if m.startswith("bot.")
    }
    upward = imported - {package} - ALLOWED[package]
    assert not upward, f"{_name(path)} imports {sorted(upward)}: only {sorted(ALLOWED[package])}"


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_only_storage_holds_sql_and_talks_to_drivers(path: Path) -> None:
    if _package(path) == "storage":
        return
    tree = ast.parse(path.read_text())
    drivers = {m.split(".")[0] for m in _imports(tree)} & DRIVERS
    assert not drivers or _name(path) in DRIVER_OK, f"{_name(path)} imports {drivers}"
    texts = [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    sql = [t for t in texts if SQL.search(t)]
    assert not sql, f"{_name(path)} holds SQL: {sql[0][:80]!r}"


def test_the_checks_see_a_violation(tmp_path: Path) -> None:
    """The two checks are not vacuous: SQL text and an upward import are found."""
    tree = ast.parse('from bot.telegram import x\nQ = "SELECT id FROM accounts"\n')
    assert "bot.telegram" in _imports(tree)
    assert any(SQL.search(n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant))
    assert "telegram" not in ALLOWED["notifications"]
