"""The /_control/ sub-application (documented in `app.py`): tests and demos drive the sandbox.

JSON in, JSON out. Money is read with `parse_float=Decimal` and sent back as "12.50" strings.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

from aiohttp import web

from bot.sandbox.records import Click, Exchange, Partner, Payout, decimal, money
from bot.sandbox.seed import add_history, seed_demo
from bot.sandbox.state import FaultRule, SandboxState, key_id, make_method

MONEY_FIELDS = frozenset({"partner_reward", "pay_amount", "original_amount"})
T = TypeVar("T")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def reply(data: object, status: int = 200) -> web.Response:
    text = json.dumps(data, default=_default, ensure_ascii=False)
    return web.Response(text=text, status=status, content_type="application/json")


@web.middleware
async def bad_input_as_400(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except (ValueError, TypeError, KeyError) as error:
        return reply({"error": str(error) or type(error).__name__}, status=400)


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    data = json.loads(await request.text() or "{}", parse_float=Decimal)
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    return data


def _build(cls: type[Any], data: dict[str, Any], item_id: int, **defaults: Any) -> Any:
    """A record from JSON fields, coerced by the dataclass's annotations (`id` is ours)."""
    types = {f.name: str(f.type) for f in dataclasses.fields(cls) if f.name != "id"}
    unknown = set(data) - set(types)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    values = defaults | data
    for name, value in values.items():
        kind = types[name]
        if name in MONEY_FIELDS:
            values[name] = money(value)
        elif kind == "Decimal":
            values[name] = decimal(value)
        elif kind == "int":
            values[name] = int(str(value))
        elif kind == "str":
            values[name] = str(value)
        elif kind == "list[str]":
            values[name] = [str(v) for v in value]
    return cls(id=item_id, **values)


def _not_found(text: str) -> web.HTTPNotFound:
    return web.HTTPNotFound(text=json.dumps({"error": text}), content_type="application/json")


def _item(items: dict[int, T], request: web.Request) -> T:
    found = items.get(int(request.match_info["id"]))
    if found is None:
        raise _not_found("unknown item id")
    return found


def dump(partner: Partner) -> dict[str, Any]:
    data = dataclasses.asdict(partner)
    data["partner_id"] = data.pop("id")
    data["key_id"] = key_id(partner.api_key)
    data["methods"] = [m.wire(partner.balance) for m in partner.methods]
    data["exchanges"] = list(data["exchanges"].values())
    data["payouts"] = list(data["payouts"].values())
    return data


class Control:
    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def _partner(self, request: web.Request) -> Partner:
        partner = self.state.partner(request.match_info["key"])
        if partner is None:
            raise _not_found("unknown partner")
        return partner

    async def ping(self, request: web.Request) -> web.Response:
        return reply({"ok": True})

    async def reset(self, request: web.Request) -> web.Response:
        body = await _body(request)
        self.state.reset()
        if body.get("seed", True):
            seed_demo(self.state)
        return reply({"ok": True, "partners": len(self.state.partners)})

    async def create_partner(self, request: web.Request) -> web.Response:
        partner = self.state.add_partner(**await _body(request))
        return reply({"api_key": partner.api_key, "partner_id": partner.id}, status=201)

    async def get_partner(self, request: web.Request) -> web.Response:
        return reply(dump(self._partner(request)))

    async def patch_partner(self, request: web.Request) -> web.Response:
        partner, body = self._partner(request), await _body(request)
        if set(body) - {"balance", "min_payout", "api_enabled", "methods"}:
            raise ValueError("only balance, min_payout, api_enabled and methods can change")
        if "methods" in body:
            partner.methods = [make_method(m) for m in body["methods"]]
        partner.balance = money(body.get("balance", partner.balance))
        partner.min_payout = money(body.get("min_payout", partner.min_payout))
        partner.api_enabled = bool(body.get("api_enabled", partner.api_enabled))
        return reply(dump(partner))

    async def rotate(self, request: web.Request) -> web.Response:
        return reply({"api_key": self.state.rotate(self._partner(request).api_key)})

    async def add_click(self, request: web.Request) -> web.Response:
        partner, now = self._partner(request), self.state.now()
        click = _build(Click, await _body(request), self.state.next_id("item"), time=now)
        partner.clicks.append(click)
        return reply(dataclasses.asdict(click), status=201)

    async def add_exchange(self, request: web.Request) -> web.Response:
        partner, body = self._partner(request), await _body(request)
        moment = int(str(body.get("time", self.state.now())))
        exchange = _build(Exchange, body, self.state.next_id("item"), time=moment, edit_date=moment)
        partner.exchanges[exchange.id] = exchange
        return reply(dataclasses.asdict(exchange), status=201)

    async def add_history(self, request: web.Request) -> web.Response:
        partner, body = self._partner(request), await _body(request)
        if set(body) - {"count", "days", "seed"}:
            raise ValueError("only count, days and seed")
        first, last = add_history(
            self.state,
            partner,
            int(body["count"]),
            int(body.get("days", 30)),
            int(body.get("seed", 1)),
        )
        return reply({"count": int(body["count"]), "first_id": first, "last_id": last}, 201)

    async def patch_exchange(self, request: web.Request) -> web.Response:
        partner, body = self._partner(request), await _body(request)
        exchange = _item(partner.exchanges, request)
        if set(body) - {"accrued", "exchange_success", "partner_reward"}:
            raise ValueError("only accrued, exchange_success and partner_reward can change")
        partner.update_exchange(exchange, body, self.state.now())
        return reply(dataclasses.asdict(exchange))

    async def add_payout(self, request: web.Request) -> web.Response:
        partner, body = self._partner(request), await _body(request)
        moment = int(str(body.get("time", self.state.now())))
        method_id = partner.methods[0].id if partner.methods else 1
        defaults: dict[str, object] = {"method_id": method_id, "time": moment, "edit_date": moment}
        defaults |= {"account": "", "pay_amount": "0.00"}
        payout = _build(Payout, body, self.state.next_id("payout"), **defaults)
        partner.payouts[payout.id] = payout
        return reply(dataclasses.asdict(payout), status=201)

    async def patch_payout(self, request: web.Request) -> web.Response:
        partner, body = self._partner(request), await _body(request)
        payout = _item(partner.payouts, request)
        partner.update_payout(payout, int(body["status"]), self.state.now())
        return reply(dataclasses.asdict(payout))

    async def blacklist(self, request: web.Request) -> web.Response:
        self.state.blacklist.update(map(str, (await _body(request)).get("accounts", ())))
        return reply({"blacklist": self.state.blacklist})

    async def requests(self, request: web.Request) -> web.Response:
        method, kid = request.query.get("method"), request.query.get("key_id")
        items = [
            r
            for r in self.state.requests
            if (not method or r["method"] == method) and (not kid or r["key_id"] == kid)
        ]
        if "limit" in request.query:
            items = items[-int(request.query["limit"]) :]
        return reply({"count": len(items), "items": items})

    async def clear_requests(self, request: web.Request) -> web.Response:
        self.state.requests.clear()
        return reply({"ok": True})

    async def overlaps(self, request: web.Request) -> web.Response:
        items = list(self.state.overlaps)
        return reply({"count": len(items), "items": items})

    async def clear_overlaps(self, request: web.Request) -> web.Response:
        self.state.overlaps.clear()
        return reply({"ok": True})

    async def add_fault(self, request: web.Request) -> web.Response:
        self.state.faults.rules.append(FaultRule.from_json(await _body(request)))
        return await self.get_faults(request)

    async def get_faults(self, request: web.Request) -> web.Response:
        return reply({"faults": [rule.as_json() for rule in self.state.faults.rules]})

    async def clear_faults(self, request: web.Request) -> web.Response:
        self.state.faults.rules.clear()
        return await self.get_faults(request)

    async def shape(self, request: web.Request) -> web.Response:
        if request.method == "POST":
            self.state.shape.update(await _body(request))
        return reply(dataclasses.asdict(self.state.shape))

    async def clock(self, request: web.Request) -> web.Response:
        body = await _body(request) if request.method == "POST" else {}
        if "now" in body:
            self.state.frozen_now = None if body["now"] is None else int(body["now"])
        if "advance" in body:
            self.state.frozen_now = self.state.now() + int(body["advance"])
        return reply({"now": self.state.now(), "frozen": self.state.frozen_now is not None})


def create_control_app(state: SandboxState) -> web.Application:
    control = Control(state)
    app = web.Application(middlewares=[bad_input_as_400])
    item = app.router.add_route
    item("GET", "/ping", control.ping)
    item("POST", "/reset", control.reset)
    item("POST", "/partners", control.create_partner)
    item("GET", "/partners/{key}", control.get_partner)
    item("PATCH", "/partners/{key}", control.patch_partner)
    item("POST", "/partners/{key}/rotate", control.rotate)
    item("POST", "/partners/{key}/clicks", control.add_click)
    item("POST", "/partners/{key}/exchanges", control.add_exchange)
    item("POST", "/partners/{key}/exchanges/bulk", control.add_history)
    item("PATCH", "/partners/{key}/exchanges/{id}", control.patch_exchange)
    item("POST", "/partners/{key}/payouts", control.add_payout)
    item("PATCH", "/partners/{key}/payouts/{id}", control.patch_payout)
    item("POST", "/blacklist", control.blacklist)
    item("GET", "/requests", control.requests)
    item("DELETE", "/requests", control.clear_requests)
    item("GET", "/overlaps", control.overlaps)
    item("DELETE", "/overlaps", control.clear_overlaps)
    item("POST", "/faults", control.add_fault)
    item("GET", "/faults", control.get_faults)
    item("DELETE", "/faults", control.clear_faults)
    for verb in ("GET", "POST"):
        item(verb, "/shape", control.shape)
        item(verb, "/clock", control.clock)
    return app
