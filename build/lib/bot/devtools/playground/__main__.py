"""`python -m bot.devtools.playground [--host H] [--port P] [--sandbox-url URL]`: the local Bot
API server with the chat page, alone (`make demo` starts it together with the bot and the
sandbox). Point a bot at it with TELEGRAM_API_URL=<the printed URL> and any token."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.devtools.playground.server import PlaygroundBotApi
from bot.sandbox.serving import until_stop_signal


async def serve(host: str, port: int, sandbox_url: str | None) -> None:
    server = PlaygroundBotApi(host=host, port=port, sandbox_url=sandbox_url)
    await server.start()
    print(
        f"local Bot API: {server.base_url} (any token; TELEGRAM_API_URL={server.base_url}) "
        f"chat page: {server.base_url}/",
        flush=True,
    )
    try:
        await until_stop_signal()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.devtools.playground", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8082, help="0: any free port")
    parser.add_argument("--sandbox-url", help="the sandbox exchanger, for the page's sandbox pane")
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args.host, args.port, args.sandbox_url))
    except OSError as exc:
        print(f"cannot serve on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
