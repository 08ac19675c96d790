"""`python -m bot.migrate_db SOURCE TARGET`: move the bot's data to another database.

    # stop the bot first; then, e.g. from SQLite to PostgreSQL:
    python -m bot.migrate_db sqlite:///data/bot.sqlite3 postgresql://bot:secret@db/bot
    # start the bot with DATABASE_URL=postgresql://bot:secret@db/bot and THE SAME encryption
    # key: ENCRYPTION_KEY, or the file data/encryption.key copied beside the new deployment

Both databases are brought to the current schema first (an older bot's SQLite file is upgraded
in place, as the bot itself would on start). Every table is copied in one transaction into the
target, which must be empty (the command refuses to overwrite anything); the row counts of
every table are compared before it commits. Keys and wallets are copied as stored: encrypted.

Prints one line per table, never a secret or a password. Exit codes: 0 copied, 1 refused or
failed (the target is unchanged), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.storage.copy import Copied, CountMismatch, TargetNotEmpty, copy_database
from bot.storage.db import Database, parse_url, redact_url


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.migrate_db",
        description="Copy the bot's database to another (empty) database; the bot must be "
        "stopped. URLs: sqlite:///path/to/file or postgresql://user:password@host:port/dbname",
    )
    parser.add_argument("source", help="the database the bot uses now")
    parser.add_argument("target", help="an empty database to copy into")
    return parser


async def migrate(source_url: str, target_url: str) -> list[Copied]:
    source = await Database.open(source_url)
    try:
        target = await Database.open(target_url)
        try:
            return await copy_database(
                source, target, lambda done: print(f"{done.table}: {done.rows} rows", flush=True)
            )
        finally:
            await target.close()
    finally:
        await source.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for url in (args.source, args.target):
        try:
            parse_url(url)
        except ValueError as exc:
            print(f"{redact_url(url)}: {exc}", file=sys.stderr)
            return 2
    if parse_url(args.source) == parse_url(args.target):
        print("source and target are the same database", file=sys.stderr)
        return 2
    try:
        report = asyncio.run(migrate(args.source, args.target))
    except (TargetNotEmpty, CountMismatch) as exc:
        print(f"Not copied: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a driver's error: the target's transaction was rolled back
        print(f"Not copied: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    total = sum(done.rows for done in report)
    print(f"Copied {total} rows into {redact_url(args.target)}; row counts verified.")
    print("Give the new deployment the same encryption key (ENCRYPTION_KEY or encryption.key).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
