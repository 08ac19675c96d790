import subprocess
import sys

import pytest
from pydantic import ValidationError

from bot.config import PLACEHOLDER_TOKEN, Settings, describe_error

BASE = {"BOT_TOKEN": "123:abc", "EXCHANGER_URL": "https://ex.example/"}


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
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
        ({**BASE, "DATABASE_URL": "mysql://u:pw@h/db"}, "DATABASE_URL"),
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


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {**BASE, "BOT_TOKEN": PLACEHOLDER_TOKEN},
            "replace the placeholder BOT_TOKEN from @BotFather (the token it gave you)",
        ),
        ({**BASE, "EXCHANGER_URL": " , "}, "EXCHANGER_URL is empty: give the exchanger site's"),
        ({**BASE, "EXCHANGER_URL": "http://a.example,http://a.example"}, "EXCHANGER_URL lists"),
        ({**BASE, "POLL_INTERVAL": "0.5"}, "POLL_INTERVAL must be a number of at least 1"),
        ({**BASE, "POLL_INTERVAL": "soon"}, "POLL_INTERVAL must be a number of at least 1"),
        ({**BASE, "LOOKBACK_DAYS": "999"}, "LOOKBACK_DAYS must be a whole number from 1 to 365"),
        ({**BASE, "ADMIN_IDS": "1,abc,def"}, "ADMIN_IDS must be Telegram user ids"),
        ({**BASE, "LOG_LEVEL": "loud"}, "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR"),
        ({**BASE, "SEND_RATE": "0"}, "SEND_RATE must be a number greater than 0 and at most 30"),
        ({**BASE, "TELEGRAM_API_URL": "x"}, "TELEGRAM_API_URL must be an http:// or https://"),
    ],
)
def test_errors_are_plain_words_naming_the_setting_once(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], line: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        load(monkeypatch, **env)
    described = describe_error(caught.value)
    assert described.startswith("Configuration error: " + line)
    problem = described.removeprefix("Configuration error: ")
    setting = problem.split()[0] if problem.split()[0].isupper() else "BOT_TOKEN"
    assert problem.count(setting) == 1, described
    for jargon in ("validation", "Value error", "Input should", "List should", "literal"):
        assert jargon not in described


def test_several_bad_settings_are_each_named_once(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError) as caught:
        load(monkeypatch, BOT_TOKEN="x", EXCHANGER_URL="ftp://a", ADMIN_IDS="a,b")
    described = describe_error(caught.value)
    for name in ("BOT_TOKEN", "EXCHANGER_URL", "ADMIN_IDS"):
        assert described.count(name) == 1, described
    assert "'x'" not in described  # the secret is never echoed


def _run_bot(tmp_path: object, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "EXCHANGER_URL": "https://ex.example"}
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        env={**base, "DATABASE_PATH": f"{tmp_path}/db/bot.sqlite3", **env},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(tmp_path),
    )


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"BOT_TOKEN": PLACEHOLDER_TOKEN},
            "Configuration error: replace the placeholder BOT_TOKEN from @BotFather"
            " (the token it gave you)",
        ),
        (
            {"BOT_TOKEN": "1:x", "ENCRYPTION_KEY": "not-a-fernet-key"},
            "Configuration error: ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes),"
            " comma-separated",
        ),
    ],
)
def test_start_up_errors_exit_2_with_one_line(
    tmp_path: object, env: dict[str, str], line: str
) -> None:
    result = _run_bot(tmp_path, **env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [line]
    assert "Traceback" not in result.stdout + result.stderr


def test_database_url_selects_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    assert str(load(monkeypatch, **BASE).database_target) == "data/bot.sqlite3"
    sqlite = load(monkeypatch, **BASE, DATABASE_URL="sqlite:///var/bot.sqlite3")
    assert str(sqlite.database_target) == "var/bot.sqlite3"  # the key file sits beside it
    assert str(sqlite.database_path) == "var/bot.sqlite3"
    url = "postgresql://bot:secret@db:5432/bot"
    pg = load(monkeypatch, **BASE, DATABASE_URL=url)
    assert pg.database_target == url and ":secret@" not in repr(pg)


def test_a_bad_database_url_is_named_without_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError) as caught:
        load(monkeypatch, **BASE, DATABASE_URL="mysql://u:hunter2@h/db")
    text = describe_error(caught.value)
    assert "DATABASE_URL" in text and "hunter2" not in text


def test_webhook_mode_needs_a_secret_and_an_https_url(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "Hook_secret-123"
    ok = load(monkeypatch, **BASE, WEBHOOK_URL="https://bot.example/tg/hook", WEBHOOK_SECRET=secret)
    assert ok.webhook_path == "/tg/hook" and ok.webhook_port == 8080
    assert load(monkeypatch, **BASE).webhook_url is None  # long polling stays the default
    cases = [
        ({"WEBHOOK_URL": "https://bot.example/hook"}, "WEBHOOK_SECRET is required"),
        ({"WEBHOOK_URL": "http://bot.example/hook", "WEBHOOK_SECRET": secret}, "https://"),
        ({"WEBHOOK_URL": "https://bot.example/h", "WEBHOOK_SECRET": "bad secret!"}, "1-256"),
    ]
    for env, expected in cases:
        with pytest.raises(ValidationError) as caught:
            load(monkeypatch, **BASE, **env)
        line = describe_error(caught.value)
        assert expected in line and "bad secret!" not in line and "SETTINGS" not in line
