"""`python -m bench.fake_exchanger --accounts N`: the sandbox exchanger, counted, own process.

The real sandbox app (bot/sandbox) serves `bench-key-000001 … N`, all built at start. On top:
- every `/api.html` request is counted per key and method (the sandbox's own request log is
  capped and costs more);
- `--quiet-every K`: every K-th account has nothing pending (all exchanges accrued, every payout
  final), the others keep the sandbox's default (one pending payout, some unaccrued exchanges);
- `GET /_bench/counts?per_key=2` → totals per method and per group (busy/quiet), polls (=
  get_exchanges requests) per group, the time of
  the first request, distinct keys, keys requested at least `per_key` times (a full round:
  both lists); `DELETE /_bench/counts` resets them;
- `GET /_bench/state` → every account's items as a baseline poll stores them (the partners
  are built at start, in order, so their ids and times are fixed);
- `POST /_bench/inject {"index": i, "kind": "exchange" | "payout"}` makes one change now (a new
  exchange, or the pending payout paid) and answers `{"at": <unix time of the change>}`.
Prints one line with its URL when ready (SandboxProcess reads it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.sandbox.app import create_app
from bot.sandbox.records import PENDING, STATUS_NEW, Exchange, Partner
from bot.sandbox.seed import _bench_partner, add_bench_accounts
from bot.sandbox.serving import until_stop_signal
from bot.sandbox.state import BENCH_PREFIX, SandboxState, bench_key

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _index(api_key: str) -> int:
    tail = api_key.removeprefix(BENCH_PREFIX)
    return int(tail) if tail.isdigit() else 0


class BenchExchanger:
    def __init__(self, accounts: int, quiet_every: int) -> None:
        self.state = SandboxState(log_size=100)
        self.quiet_every = quiet_every
        add_bench_accounts(self.state, accounts)
        self.state.bench_factory = self._partner
        for index in range(1, accounts + 1):  # in order: item ids do not depend on requests
            self.state.partner(bench_key(index))
        self.by_method: Counter[str] = Counter()
        self.by_group: Counter[str] = Counter()
        self.per_key: Counter[str] = Counter()
        self.polls: Counter[str] = Counter()
        self.first_at: float | None = None

    def quiet(self, index: int) -> bool:
        return self.quiet_every > 0 and index % self.quiet_every == 0

    def _partner(self, state: SandboxState, index: int, api_key: str) -> Partner:
        partner = _bench_partner(state, index, api_key)
        if self.quiet(index):
            for exchange in partner.exchanges.values():
                exchange.exchange_success, exchange.accrued = 1, 1
            for payout in partner.payouts.values():
                payout.status = 1 if payout.status == PENDING else payout.status
        return partner

    @web.middleware
    async def count(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == "/api.html":
            key = request.query.get("api_key", "")
            self.by_method[request.query.get("method", "")] += 1
            group = "quiet" if self.quiet(_index(key)) else "busy"
            self.by_group[group] += 1
            if request.query.get("method") == "get_exchanges":  # one per poll
                self.polls[group] += 1
            self.per_key[key] += 1
            if self.first_at is None:
                self.first_at = time.time()
        return await handler(request)

    async def counts(self, request: web.Request) -> web.Response:
        if request.method == "DELETE":
            self.by_method.clear()
            self.by_group.clear()
            self.per_key.clear()
            self.polls.clear()
            self.first_at = None
        need = int(request.query.get("per_key", "2"))
        return web.json_response({
            "at": time.time(),
            "first_at": self.first_at,
            "total": sum(self.by_method.values()),
            "by_method": dict(self.by_method),
            "by_group": dict(self.by_group),
            "polls": dict(self.polls),
            "keys": len(self.per_key),
            "keys_done": sum(1 for n in self.per_key.values() if n >= need),
        })  # fmt: skip

    async def export(self, request: web.Request) -> web.Response:
        """What a finished baseline poll stores, per account (for bench/seed.py): exchanges
        [id, time, completed, accrued], payouts [id, time, status], payout available."""
        accounts = []
        for index in range(1, self.state.bench_accounts + 1):
            partner = self.state.partner(bench_key(index))
            assert partner is not None
            accounts.append({
                "exchanges": [[e.id, e.time, e.exchange_success, e.accrued]
                              for e in partner.exchanges.values()],
                "payouts": [[p.id, p.time, p.status] for p in partner.payouts.values()],
                "available": 0 < partner.balance >= partner.min_payout,
            })  # fmt: skip
        return web.json_response({"accounts": accounts})

    async def inject(self, request: web.Request) -> web.Response:
        body = json.loads(await request.text())
        partner = self.state.partner(bench_key(int(body["index"])))
        if partner is None:
            raise web.HTTPNotFound(text="unknown account")
        now = self.state.now()
        if body.get("kind") == "payout":
            pending = [p for p in partner.payouts.values() if p.status == PENDING]
            if not pending:
                raise web.HTTPConflict(text="no pending payout")
            partner.update_payout(pending[0], 1, now)
        else:
            item = self.state.next_id("item")
            partner.exchanges[item] = Exchange(
                id=item, time=now, edit_date=now, currency_code_give="BTC",
                currency_code_get="SBERRUB", user_hash=f"{item:032x}", statuses=[STATUS_NEW],
            )  # fmt: skip
        return web.json_response({"at": time.time()})

    def app(self) -> web.Application:
        app = create_app(self.state)
        app.middlewares.append(self.count)
        app.router.add_route("GET", "/_bench/counts", self.counts)
        app.router.add_route("DELETE", "/_bench/counts", self.counts)
        app.router.add_route("POST", "/_bench/inject", self.inject)
        app.router.add_route("GET", "/_bench/state", self.export)
        return app


async def serve(exchanger: BenchExchanger, host: str, port: int) -> None:
    runner = web.AppRunner(exchanger.app(), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=1024)
    await site.start()
    bound = runner.addresses[0][1]
    print(f"fake exchanger: http://{host}:{bound}", flush=True)
    try:
        await until_stop_signal()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fake_exchanger")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--quiet-every", type=int, default=0, metavar="K")
    args = parser.parse_args(argv)
    asyncio.run(serve(BenchExchanger(args.accounts, args.quiet_every), args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
