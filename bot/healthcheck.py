"""`python -m bot.healthcheck`: the Dockerfile's HEALTHCHECK. With METRICS_PORT set, exit 0 when
the process's own `/healthz` answers 200 (database reachable, polling recent, sender not
lagging: see bot/monitoring.py), else 1; without it, 0 when the configured database answers.
Reads the same settings as the bot; prints no secret."""

from __future__ import annotations

import asyncio
import sys

import httpx
from pydantic import ValidationError

from bot.config import Settings, describe_error
from bot.storage.health import ping


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        return 1
    if settings.metrics_port:
        return _healthz(settings.metrics_port)
    try:
        asyncio.run(ping(settings.database_target))
    except Exception as exc:
        print(f"database unreachable: {type(exc).__name__}", file=sys.stderr)
        return 1
    return 0


def _healthz(port: int) -> int:
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=8.0, trust_env=False)
    except httpx.HTTPError as exc:
        print(f"/healthz unreachable: {type(exc).__name__}", file=sys.stderr)
        return 1
    if response.status_code != 200:
        print(f"/healthz: {response.status_code} {response.text[:300]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
