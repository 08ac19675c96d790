"""Run the sandbox: `python -m bot.sandbox [--host H] [--port P] [--no-seed] [--seed-accounts N]`.

Prints one line (the API URL and the demo keys), then serves until SIGINT/SIGTERM.
`--port 0` picks a free port; the printed URL shows the real one. No access log: the
api_key travels in the query string.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from aiohttp import web

from bot.sandbox.app import create_app
from bot.sandbox.seed import DEMO_KEYS, add_bench_accounts, seed_demo
from bot.sandbox.serving import until_stop_signal
from bot.sandbox.state import SandboxState, bench_key


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--no-seed", action="store_true", help="start without demo partners")
    parser.add_argument(
        "--seed-accounts",
        type=int,
        default=0,
        metavar="N",
        help="also accept bench-key-000001 … bench-key-N (each built on first use)",
    )
    return parser.parse_args(argv)


def banner(url: str, state: SandboxState, bench: int) -> str:
    keys = [key for key in DEMO_KEYS if key in state.partners]
    line = f"sandbox: {url}/api.html control: {url}/_control/ demo keys: {' '.join(keys) or '-'}"
    if bench:
        line += f" bench keys: {bench_key(1)}..{bench_key(bench)}"
    return line


async def serve(state: SandboxState, host: str, port: int, bench: int) -> None:
    runner = web.AppRunner(create_app(state), access_log=None, shutdown_timeout=2.0)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_host, bound_port = runner.addresses[0][:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    print(banner(f"http://{shown}:{bound_port}", state, bench), flush=True)
    try:
        await until_stop_signal()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    state = SandboxState()
    if not args.no_seed:
        seed_demo(state)
    if args.seed_accounts:
        add_bench_accounts(state, args.seed_accounts)
    asyncio.run(serve(state, args.host, args.port, args.seed_accounts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
