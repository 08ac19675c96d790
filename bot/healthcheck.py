"""`python -m bot.healthcheck`: exit 0 when the configured database answers, 1 when it does not
(the Dockerfile's HEALTHCHECK). Reads the same settings as the bot; prints no secret."""

from __future__ import annotations

import asyncio
import sys

from pydantic import ValidationError

from bot.config import Settings, describe_error
from bot.storage.health import ping


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        return 1
    try:
        asyncio.run(ping(settings.database_target))
    except Exception as exc:
        print(f"database unreachable: {type(exc).__name__}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
