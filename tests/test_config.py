import subprocess
import sys

import pytest
from pydantic import ValidationError

from bot.config import Settings, describe_error

BASE = {"BOT_TOKEN": "123:abc", "EXCHANGER_URL": "https://ex.example/"}


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name in ("BOT_TOKEN", "EXCHANGER_URL", "ADMIN_IDS", "POLL_INTERVAL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_defaults_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**BASE, "ADMIN_IDS": "1, 2", "EXCHANGER_URL": "https://a.example/, http://b.example"}
    settings = load(monkeypatch, **env)
    assert settings.exchanger_url == ["https://a.example", "http://b.example"]
    assert settings.admin_ids == frozenset({1, 2})
    assert settings.poll_interval == 60 and settings.lookback_days == 30
    assert str(settings.database_path) == "data/bot.sqlite3"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"EXCHANGER_URL": "https://ex.example"}, "BOT_TOKEN is required"),
        ({**BASE, "BOT_TOKEN": "nonsense"}, "BOT_TOKEN"),
        ({**BASE, "EXCHANGER_URL": "ftp://x"}, "EXCHANGER_URL"),
        ({**BASE, "POLL_INTERVAL": "0.5"}, "POLL_INTERVAL"),
        ({**BASE, "ADMIN_IDS": "1,abc"}, "ADMIN_IDS"),
    ],
)
def test_invalid_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], named: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        load(monkeypatch, **env)
    line = describe_error(caught.value)
    assert named in line and "\n" not in line


def test_missing_token_is_one_line_and_nonzero_exit(tmp_path: object) -> None:
    env = {"PATH": "/usr/bin:/bin", "EXCHANGER_URL": "https://ex.example"}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(tmp_path),
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == ["Configuration error: BOT_TOKEN is required"]
    assert "Traceback" not in result.stdout + result.stderr
