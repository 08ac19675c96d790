"""A throwaway PostgreSQL server for the test session: `initdb` into a temporary directory,
`pg_ctl start` on a Unix socket there (no TCP port to collide on), stopped and removed at the
end. Each pytest-xdist worker starts its own (~1 s). Run as the `postgres` user when the tests
run as root (initdb refuses root), as CI does.

The server binaries come from Debian's `postgresql` package (`apt-get install postgresql`);
they are looked up on PATH and in /usr/lib/postgresql/*/bin. Without them the PostgreSQL tests
FAIL with that hint, unless PEXBOT_TESTS_WITHOUT_POSTGRESQL=1 says to skip them (never on CI).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from bot.storage.db import Database

OPT_OUT = "PEXBOT_TESTS_WITHOUT_POSTGRESQL"
TEMPLATE = "pexbot_template"


@dataclass(frozen=True)
class Server:
    socket_dir: Path
    port: int

    @property
    def pids(self) -> list[int]:
        """The postmaster and its children (backends, WAL writer…): the server's processes."""
        lines = (self.socket_dir / "data" / "postmaster.pid").read_text().split()
        master = int(lines[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                text = stat.read_text()
                if int(text[text.rindex(")") + 2 :].split()[1]) == master:
                    children.append(int(stat.parent.name))
        return [master, *children]

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}&port={self.port}"


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _missing(message: str) -> None:
    if os.environ.get(OPT_OUT) == "1" and not os.environ.get("CI"):
        pytest.skip(f"{message} ({OPT_OUT}=1)")
    pytest.fail(
        f"{message}: install the server (Debian/Ubuntu: apt-get install postgresql), "
        f"or set {OPT_OUT}=1 to skip the PostgreSQL tests on this machine",
        pytrace=False,
    )


@contextlib.contextmanager
def running_server(*, durable: bool = False) -> Iterator[Server]:
    """`durable`: PostgreSQL's default fsync and synchronous commit (for benchmarks); the tests
    turn both off, they never survive a crash anyway."""
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        _missing("PostgreSQL's initdb/pg_ctl were not found")
    assert initdb is not None and pg_ctl is not None
    as_user: list[str] = []
    user = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            _missing("running as root, and there is no 'postgres' user to run the server as")
        as_user = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="pexbot-pg-"))
    base.chmod(0o755)
    if user is not None:
        os.chown(base, user.pw_uid, user.pw_gid)
    data, log = base / "data", base / "server.log"
    port = 5432 + os.getpid() % 20000  # only names the socket file: no TCP listener
    run = {"check": True, "capture_output": True, "text": True}
    try:
        subprocess.run(
            [
                *as_user,
                initdb,
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            ],
            **run,
        )
        options = f"-k {base} -p {port} -c listen_addresses='' -c max_connections=200"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
            **run,
        )
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or "").strip()[-500:]
        if log.exists():
            detail += "\n" + log.read_text()[-1000:]
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"the test PostgreSQL server did not start: {detail}", pytrace=False)
    try:
        yield Server(base, port)
    finally:
        subprocess.run(
            [*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(base, ignore_errors=True)


_names = itertools.count()


async def new_database(pg_server: Server) -> str:
    """A new, migrated, empty database on the test server; returns its URL."""
    admin = await asyncpg.connect(pg_server.url("postgres"))
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", TEMPLATE):
            await admin.execute(f"CREATE DATABASE {TEMPLATE}")
            template = await Database.open(pg_server.url(TEMPLATE))
            await template.close()
        name = f"test_{next(_names)}"
        await admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    finally:
        await admin.close()
    return pg_server.url(name)


# For a test of SQLite's own machinery (its file, its query planner): the storage tests'
# `db` fixture runs on both engines unless narrowed with this.
sqlite_only = pytest.mark.parametrize("db", ["sqlite"], indirect=True)
