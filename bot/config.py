"""Settings read from the environment or `.env`, validated once at start.

pydantic-settings gives typed fields, `SecretStr` for secrets and one precise error per bad
field; `describe_error` turns that into the single line the operator sees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

OFFICIAL_BOT_API = "https://api.telegram.org"


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"must not contain a query or fragment: {url!r}")
    return url.rstrip("/")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr
    exchanger_url: Annotated[list[str], NoDecode] = Field(min_length=1)
    telegram_api_url: str | None = None
    database_path: Path = Path("data/bot.sqlite3")
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

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value()
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("expected the form <digits>:<secret> issued by @BotFather")
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
            raise ValueError("the same URL is listed twice")
        return checked

    @field_validator("telegram_api_url")
    @classmethod
    def _check_api_url(cls, url: str | None) -> str | None:
        return _check_base_url(url) if url else None

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


def describe_error(error: ValidationError) -> str:
    """One line naming every bad setting, without echoing secret values."""
    problems = []
    for item in error.errors(include_input=False, include_url=False):
        name = str(item["loc"][0]).upper() if item["loc"] else "settings"
        message = "is required" if item["type"] == "missing" else item["msg"]
        problems.append(f"{name} {message}")
    return "Configuration error: " + "; ".join(problems)
