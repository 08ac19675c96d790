"""Settings read from the environment or `.env`, validated once at start.

pydantic-settings gives typed fields, `SecretStr` for secrets and one precise error per bad
field; `describe_error` turns that into the single line the operator sees, in plain words (no
validator jargon), naming each bad setting once and never echoing a secret.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.services.payout_models import DEFAULT_CHECK_SCHEDULE
from bot.services.payout_watch import Thresholds
from bot.storage.db import parse_url

OFFICIAL_BOT_API = "https://api.telegram.org"
# The BOT_TOKEN line of .env.example: well-formed, so it must be refused by name.
PLACEHOLDER_TOKEN = "123456789:replace-with-your-bot-token"
PLACEHOLDER_MESSAGE = "replace the placeholder BOT_TOKEN from @BotFather (the token it gave you)"
_SECRETS = frozenset({"bot_token", "encryption_key", "webhook_secret"})
# Telegram's rule for setWebhook's secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"must be an http:// or https:// address such as https://site.example, not {url!r}"
        )
    if parts.query or parts.fragment:
        raise ValueError(f"must be a bare site address without ?query or #fragment, not {url!r}")
    return url.rstrip("/")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr
    exchanger_url: Annotated[list[str], NoDecode] = Field(min_length=1)
    telegram_api_url: str | None = None
    database_path: Path = Path("data/bot.sqlite3")
    # Unset: SQLite at DATABASE_PATH. sqlite:///path or postgresql://user:pass@host/db.
    database_url: SecretStr | None = None
    poll_interval: float = Field(default=60.0, ge=1)
    lookback_days: int = Field(default=30, ge=1, le=365)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    payout_confirm_ttl: int = Field(default=300, ge=30, le=3600)
    encryption_key: SecretStr | None = None
    max_concurrent_polls: int = Field(default=20, ge=1, le=500)
    max_items_per_poll: int = Field(default=1000, ge=10, le=100_000)
    # Payouts are read every poll while one is pending, else every this many polls.
    payouts_every: int = Field(default=10, ge=1, le=1440)
    breaker_threshold: int = Field(default=5, ge=1, le=1000)
    send_rate: float = Field(default=29.0, gt=0, le=30)
    http_timeout: float = Field(default=20.0, gt=0, le=300)
    throttle_seconds: float = Field(default=2.0, ge=0)
    payout_request_timeout: float = Field(default=30.0, gt=0, le=300)
    payout_check_schedule: Annotated[tuple[float, ...], NoDecode] = DEFAULT_CHECK_SCHEDULE
    throttle_burst: int = Field(default=8, ge=1, le=1000)
    throttle_max_delay: float = Field(default=4.0, ge=0, le=60)
    read_cache_seconds: float = Field(default=15.0, ge=0, le=600)
    # Payout watchdog (issue 16): "48" or "48,https://slow.example=96" (hours; site overrides).
    payout_reminder_hours: str = "48"
    # Burst batching (issue 16): this many notifications of one chat due at once → one summary.
    notify_burst: int = Field(default=5, ge=0, le=1000)
    # Webhook mode (issue 15): set WEBHOOK_URL (public HTTPS) and WEBHOOK_SECRET to receive
    # updates on WEBHOOK_HOST:WEBHOOK_PORT at the URL's path instead of long polling.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    # /healthz and /metrics of this process (issue 15) on METRICS_HOST:METRICS_PORT; 0: off.
    metrics_host: str = "0.0.0.0"
    metrics_port: int = Field(default=0, ge=0, le=65535)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value()
        if token.strip() == PLACEHOLDER_TOKEN:
            raise ValueError(PLACEHOLDER_MESSAGE)
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("is not a token from @BotFather (digits, a colon, then letters)")
        return value

    @field_validator("exchanger_url", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("exchanger_url")
    @classmethod
    def _check_urls(cls, urls: list[str]) -> list[str]:
        checked = [_check_base_url(url) for url in urls]
        if len(set(checked)) != len(checked):
            raise ValueError("lists the same site twice")
        return checked

    @field_validator("telegram_api_url")
    @classmethod
    def _check_api_url(cls, url: str | None) -> str | None:
        return _check_base_url(url) if url else None

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, url: str | None) -> str | None:
        if not url:
            return None
        parts = urlsplit(url)
        loopback = parts.scheme == "http" and parts.hostname in _LOOPBACK
        if (parts.scheme != "https" and not loopback) or not parts.netloc:
            raise ValueError(f"must be a public https:// address, not {url!r}")
        if parts.query or parts.fragment:
            raise ValueError(f"must not have a ?query or #fragment, not {url!r}")
        return url

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters: letters, digits, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET is required with WEBHOOK_URL")
        return self

    @property
    def webhook_path(self) -> str:
        """Where the webhook is served: the path of WEBHOOK_URL ("/" when it has none)."""
        return urlsplit(self.webhook_url or "").path or "/"

    @field_validator("payout_check_schedule", mode="before")
    @classmethod
    def _split_schedule(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("payout_check_schedule")
    @classmethod
    def _check_schedule(cls, offsets: tuple[float, ...]) -> tuple[float, ...]:
        if not offsets or any(b <= a for a, b in zip((0.0, *offsets), offsets, strict=False)):
            raise ValueError("expected increasing positive seconds, e.g. 15,60,300")
        return offsets

    @field_validator("payout_reminder_hours")
    @classmethod
    def _check_reminder_hours(cls, value: str) -> str:
        try:
            Thresholds.parse(value)
        except ValueError:
            raise ValueError(
                "expected hours, optionally with site=hours overrides, e.g. 48,https://a.example=96"
            ) from None
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_url(value.get_secret_value())  # ValueError names the accepted forms
        return value

    @model_validator(mode="after")
    def _sqlite_url_sets_path(self) -> Settings:
        """DATABASE_URL=sqlite:///… is the same as DATABASE_PATH (the key file sits beside it)."""
        if self.database_url is not None:
            engine, location = parse_url(self.database_url.get_secret_value())
            if engine == "sqlite":
                self.database_path = Path(location)
        return self

    @property
    def database_target(self) -> Path | str:
        """What `Database.open` is given: the SQLite file, or the PostgreSQL URL."""
        if self.database_url is not None:
            url = self.database_url.get_secret_value()
            if parse_url(url)[0] == "postgresql":
                return url
        return self.database_path

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


def describe_error(error: ValidationError) -> str:
    """One line naming every bad setting once, in plain words, without echoing secret values."""
    problems: dict[str, str] = {}
    for item in error.errors(include_input=False, include_url=False):
        field = str(item["loc"][0]) if item["loc"] else ""
        name = field.upper() or "settings"
        if name not in problems:
            message = _plain(field, item)
            named = name in message or not field  # a rule over several settings names them
            problems[name] = message if named else f"{name} {message}"
    return "Configuration error: " + "; ".join(problems.values())


def _plain(field: str, item: Any) -> str:
    """The problem of one field in words an operator understands."""
    kind, ctx = item["type"], item.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "value_error":
        return str(ctx.get("error", "has an invalid value"))
    if field == "exchanger_url":
        return "is empty: give the exchanger site's address, e.g. https://exchanger.example"
    if field == "admin_ids":
        return "must be Telegram user ids (whole numbers), comma-separated"
    if field == "log_level":
        return "must be one of DEBUG, INFO, WARNING, ERROR"
    if field in _SECRETS:
        return "has an invalid value"
    return _number_problem(field, kind)


def _number_problem(field: str, kind: str) -> str:
    info = Settings.model_fields.get(field)
    annotation = info.annotation if info else None
    noun = "a whole number" if annotation is int else "a number"
    low = high = None
    low_word = "of at least"
    for rule in info.metadata if info else ():
        if getattr(rule, "ge", None) is not None:
            low = rule.ge
        if getattr(rule, "gt", None) is not None:
            low, low_word = rule.gt, "greater than"
        if getattr(rule, "le", None) is not None:
            high = rule.le
    if not (kind.endswith("_parsing") or kind.startswith(("greater", "less", "int_", "float_"))):
        return "has an invalid value"
    if low is not None and high is not None:
        if low_word == "of at least":
            return f"must be {noun} from {_num(low)} to {_num(high)}"
        return f"must be {noun} greater than {_num(low)} and at most {_num(high)}"
    if low is not None:
        return f"must be {noun} {low_word} {_num(low)}"
    return f"must be {noun}"


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
