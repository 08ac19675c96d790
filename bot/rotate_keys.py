"""`python -m bot.rotate_keys`: re-encrypt every stored secret with the primary encryption key.

    python -m bot.rotate_keys --new-key                 # print a fresh key (NEW)
    # stop the bot, then, with the same DATABASE_PATH (or DATABASE_URL) as the bot:
    ENCRYPTION_KEY="NEW,OLD" python -m bot.rotate_keys  # or "NEW,OLD" in <data dir>/encryption.key
    # keep only NEW in ENCRYPTION_KEY (or the key file), start the bot

Every Fernet token (accounts.api_key_enc, payout_requests.wallet_enc, last_wallets.wallet_enc)
is decrypted with any configured key and encrypted again with the first one, and each account's
key fingerprint (an HMAC keyed by the primary key) is recomputed, all in one transaction: a
secret that no configured key can decrypt aborts the whole run and nothing changes. Afterwards
VACUUM and a WAL checkpoint remove the old tokens' pages from a SQLite file.

It prints counts and one-line errors, never a secret (`--new-key` prints only the new key).
Exit codes: 0 done, 1 rotation failed (nothing changed), 2 bad configuration.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings

from bot.config import Settings, describe_error
from bot.storage.crypto import KEY_FILE_NAME, KeyVault, new_key, parse_keys
from bot.storage.db import IntegrityError, parse_url
from bot.storage.rotation import RotationError, rotate_database, rotate_postgresql


class KeySettings(BaseSettings):
    """The settings rotation needs, read like the bot reads them (environment, `.env`)."""

    model_config = Settings.model_config

    database_path: Path = Settings.model_fields["database_path"].default
    database_url: SecretStr | None = None
    encryption_key: SecretStr | None = None


@dataclass(frozen=True, slots=True)
class KeySource:
    keys: list[bytes]
    where: str  # "ENCRYPTION_KEY" or the key file's path, for the operator's next step


def load_keys(settings: KeySettings) -> KeySource:
    """ENCRYPTION_KEY, else the key file next to the database; never creates a key."""
    if settings.encryption_key is not None:
        return KeySource(parse_keys(settings.encryption_key.get_secret_value()), "ENCRYPTION_KEY")
    path = settings.database_path.parent / KEY_FILE_NAME
    if not path.is_file():
        raise RotationError(
            f"ENCRYPTION_KEY is not set and there is no key file {path}: no key to rotate with"
        )
    return KeySource(parse_keys(path.read_text()), str(path))


def rotate(settings: KeySettings) -> str:
    """Runs the rotation; returns the report for the operator."""
    postgresql: str | None = None
    if settings.database_url is not None:
        engine, location = parse_url(settings.database_url.get_secret_value())
        if engine == "postgresql":
            postgresql = location
        else:
            settings.database_path = Path(location)
    source = load_keys(settings)
    vault = KeyVault(source.keys)
    if postgresql is not None:
        counts = asyncio.run(rotate_postgresql(postgresql, vault))
    else:
        counts = rotate_database(settings.database_path, vault)
    done = ", ".join(f"{count} {label}" for label, count in counts.items())
    lines = [f"Re-encrypted with the first key of {source.where}: {done}."]
    if len(source.keys) > 1:
        lines.append(f"Now keep only the first key in {source.where}, then start the bot.")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.rotate_keys",
        description="Re-encrypt stored api keys and wallets with the first key of "
        'ENCRYPTION_KEY="NEW,OLD" (stop the bot first).',
    )
    parser.add_argument("--new-key", action="store_true", help="print a fresh key and exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.new_key:
        print(new_key())
        return 0
    try:
        settings = KeySettings()
        print(rotate(settings))
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        return 2
    except ValueError as exc:  # parse_keys: a malformed key, never echoed
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except RotationError as exc:
        print(f"Rotation failed: {exc}", file=sys.stderr)
        return 1
    except (sqlite3.Error, OSError, IntegrityError) as exc:
        # Before COMMIT everything was rolled back; a finished rotation can be run again.
        print(f"Rotation failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
