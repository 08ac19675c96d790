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
- `--repeat-gap S`: `early_repeats` in the counts = polls of a key less than S seconds after
  its previous poll (several bot processes sharing the accounts, issue 15: with S = half an
  interval, a poll by a second process while the first one's lease runs);
- `GET /_bench/state` → every account's items as a baseline poll stores them (the partners
  are built at start, in order, so their ids and times are fixed);
- `POST /_bench/inject {"index": i, "kind": K}` makes one change now and answers `{"at": <unix
  time of the change>}`; K: `exchange` (a new exchange), `payout` (the pending payout paid),
  `complete` (an unfinished exchange completed), `accrue` (a completed exchange's reward
  accrued), `payout_new` (a payout created in the dashboard, pending), `rotate` (the key
  changed in the dashboard: the old one is refused from now on);
- pre-encoded answers: a read (get_info, get_exchanges, get_payouts) is answered from the
  bytes of the same query's last answer while nothing changed (any inject, control call or
  write clears them), so the fake spends ~no CPU on JSON and the bot is what is measured.
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
from decimal import Decimal

from aiohttp import web

from bot.sandbox.app import create_app
from bot.sandbox.records import PENDING, STATUS_NEW, Exchange, Partner, Payout
from bot.sandbox.seed import _bench_partner, add_bench_accounts
from bot.sandbox.serving import until_stop_signal
from bot.sandbox.state import BENCH_PREFIX, SandboxState, bench_key

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
CACHED = frozenset({"get_info", "get_exchanges", "get_payouts"})
MAX_CACHED = 400_000  # 100,000 accounts (issue 15's bench) ask 2-3 distinct queries each


def _index(api_key: str) -> int:
    tail = api_key.removeprefix(BENCH_PREFIX)
    return int(tail) if tail.isdigit() else 0


class BenchExchanger:
    def __init__(self, accounts: int, quiet_every: int, repeat_gap: float = 0.0) -> None:
        self.state = SandboxState(log_size=100)
        self.quiet_every = quiet_every
        self.repeat_gap = repeat_gap
        self.polled_at: dict[str, float] = {}  # key → its last get_exchanges (with repeat_gap)
        self.early_repeats = 0
        add_bench_accounts(self.state, accounts)
        self.state.bench_factory = self._partner
        for index in range(1, accounts + 1):  # in order: item ids do not depend on requests
            self.state.partner(bench_key(index))
        self.by_method: Counter[str] = Counter()
        self.by_group: Counter[str] = Counter()
        self.per_key: Counter[str] = Counter()
        self.polls: Counter[str] = Counter()
        self.first_at: float | None = None
        self.answers: dict[str, tuple[bytes, str]] = {}  # query string → body, content type

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
                if self.repeat_gap:
                    self._note_poll(key)
            self.per_key[key] += 1
            if self.first_at is None:
                self.first_at = time.time()
            if request.query.get("method") in CACHED and not self.state.faults.rules:
                return await self._pre_encoded(request, handler)
            self.answers.clear()  # a write: answers may change
        elif request.path.startswith("/_control"):
            self.answers.clear()
        return await handler(request)

    def _note_poll(self, key: str) -> None:
        now = time.monotonic()
        last = self.polled_at.get(key)
        if last is not None and now - last < self.repeat_gap:
            self.early_repeats += 1
        self.polled_at[key] = now

    async def _pre_encoded(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        cached = self.answers.get(request.query_string)
        if cached is not None:
            return web.Response(body=cached[0], content_type=cached[1], charset="utf-8")
        response = await handler(request)
        if response.status == 200 and isinstance(response, web.Response):
            if len(self.answers) >= MAX_CACHED:
                self.answers.clear()
            body = response.body
            if isinstance(body, bytes):
                self.answers[request.query_string] = (body, response.content_type)
        return response

    async def counts(self, request: web.Request) -> web.Response:
        if request.method == "DELETE":
            self.by_method.clear()
            self.by_group.clear()
            self.per_key.clear()
            self.polls.clear()
            self.polled_at.clear()
            self.early_repeats = 0
            self.first_at = None
        need = int(request.query.get("per_key", "2"))
        return web.json_response(
            {
                "at": time.time(),
                "first_at": self.first_at,
                "total": sum(self.by_method.values()),
                "by_method": dict(self.by_method),
                "by_group": dict(self.by_group),
                "polls": dict(self.polls),
                "keys": len(self.per_key),
                "keys_done": sum(1 for n in self.per_key.values() if n >= need),
                "early_repeats": self.early_repeats,
            }
        )

    async def export(self, request: web.Request) -> web.Response:
        """What a finished baseline poll stores, per account (for bench/seed.py): exchanges
        [id, time, completed, accrued], payouts [id, time, status], payout available."""
        accounts = []
        for index in range(1, self.state.bench_accounts + 1):
            partner = self.state.partner(bench_key(index))
            assert partner is not None
            accounts.append(
                {
                    "exchanges": [
                        [e.id, e.time, e.exchange_success, e.accrued]
                        for e in partner.exchanges.values()
                    ],
                    "payouts": [[p.id, p.time, p.status] for p in partner.payouts.values()],
                    "available": 0 < partner.balance >= partner.min_payout,
                }
            )
        return web.json_response({"accounts": accounts})

    async def inject(self, request: web.Request) -> web.Response:
        body = json.loads(await request.text())
        partner = self.state.partner(bench_key(int(body["index"])))
        if partner is None:
            raise web.HTTPNotFound(text="unknown account")
        now = self.state.now()
        kind = body.get("kind", "exchange")
        self.answers.clear()
        item = 0
        if kind == "payout":
            pending = [p for p in partner.payouts.values() if p.status == PENDING]
            if not pending:  # paid already (an earlier phase): one made an hour ago, paid now
                made = self.state.next_id("payout")
                pending = [
                    partner.payouts.setdefault(
                        made,
                        Payout(
                            id=made,
                            time=now - 3_600,
                            edit_date=now - 3_600,
                            method_id=1,
                            account="T" * 34,
                            pay_amount=Decimal("10.00"),
                            status=PENDING,
                        ),
                    )
                ]
            partner.update_payout(pending[0], 1, now)
            item = pending[0].id
        elif kind in ("complete", "accrue"):
            want = (0, 0) if kind == "complete" else (1, 0)
            found = [
                e for e in partner.exchanges.values() if (e.exchange_success, e.accrued) == want
            ]
            if not found:  # none in that state: one made (an hour old), changed now
                found = [self._exchange(partner, now - 3_600, success=want[0])]
            change: dict[str, object] = {"exchange_success": 1}
            if kind == "accrue":
                change = {"accrued": 1, "partner_reward": max(found[0].partner_reward, 1)}
            partner.update_exchange(found[0], change, now)
            item = found[0].id
        elif kind == "payout_new":
            item = self.state.next_id("payout")
            partner.payouts[item] = Payout(
                id=item,
                time=now,
                edit_date=now,
                method_id=1,
                account="T" * 34,
                pay_amount=partner.balance,
                status=PENDING,
            )
        elif kind == "rotate":
            self.state.rotate(partner.api_key)
        else:
            item = self._exchange(partner, now).id
        return web.json_response({"at": time.time(), "item": item})

    def _exchange(self, partner: Partner, at: int, success: int = 0) -> Exchange:
        item = self.state.next_id("item")
        exchange = partner.exchanges[item] = Exchange(
            id=item,
            time=at,
            edit_date=at,
            currency_code_give="BTC",
            currency_code_get="SBERRUB",
            user_hash=f"{item:032x}",
            statuses=[STATUS_NEW],
            exchange_success=success,
            partner_reward=Decimal("1.50"),
        )
        return exchange

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
    parser.add_argument("--repeat-gap", type=float, default=0.0, metavar="S")
    args = parser.parse_args(argv)
    exchanger = BenchExchanger(args.accounts, args.quiet_every, args.repeat_gap)
    asyncio.run(serve(exchanger, args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
