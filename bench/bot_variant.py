"""`python -m bench.bot_variant [--profile OUT] [--transport aiohttp]`: `python -m bot`, varied.

--profile OUT    under cProfile timed with the main thread's CPU clock (`python -m cProfile`
                 times with the wall clock, so an idle bot shows its waits as the hottest
                 "functions"), enabled after the imports; the stats are written to OUT when
                 the bot exits (SIGTERM included). Used by `python -m bench --profile`.
--transport aiohttp
                 bot/exchanger/http.py's `transport = httpx.AsyncHTTPTransport(...)` line
                 replaced by httpx_aiohttp.AiohttpTransport (same arguments). Since reads go
                 over their own aiohttp session (bot/exchanger/reads.py) this swaps only the
                 httpx path, i.e. add_payout, which must never be re-sent: an experiment
                 only, never used by `python -m bench`.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import sys
import time
from unittest import mock


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bot_variant")
    parser.add_argument("--profile", metavar="OUT")
    parser.add_argument("--transport", choices=("httpx", "aiohttp"), default="httpx")
    args = parser.parse_args()
    sys.argv = ["bot"]
    import httpx

    from bot.__main__ import main as bot_main  # imported first: a profile shows the run only

    swap: contextlib.AbstractContextManager[object] = contextlib.nullcontext()
    if args.transport == "aiohttp":
        from httpx_aiohttp import AiohttpTransport

        swap = mock.patch.object(httpx, "AsyncHTTPTransport", AiohttpTransport)
    with swap:
        if not args.profile:
            return bot_main()
        profile = cProfile.Profile(time.thread_time)
        profile.enable()
        try:
            return bot_main()
        finally:
            profile.disable()
            profile.dump_stats(args.profile)


if __name__ == "__main__":
    sys.exit(main())
