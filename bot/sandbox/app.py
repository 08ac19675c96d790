"""The sandbox web application: a fake Premium Exchanger affiliate API plus a control API.

Affiliate API (what a real site serves)
    GET|POST /api.html?api_action=pp&api_key=<key>&method=<method>&...
    methods get_info, get_links (start_time, end_time, ip), get_exchanges (start_time,
    end_time), get_payouts (start_time, end_time), add_payout (method_id, account; also
    from a POST form body). Exchanges and payouts are filtered on their last change
    (`edit_date`), newest change first. Errors: "Api disabled" (unknown key, API off),
    "Method not supported", add_payout refusals (below minimum, unknown method, empty or
    blacklisted account). Errors come with HTTP 200, like the real site.

Affiliate dashboard stand-in: GET /paccount/ — an HTML page with the line "REST API key"
(where /start tells users to look), listing the sandbox's accounts.

Control API (JSON in, JSON out; 400 on bad input, 404 on unknown partner/item)
    GET    /_control/ping                            → {"ok": true}
    POST   /_control/reset {"seed": true}            forget everything; reseed demo data
    POST   /_control/partners {"api_key"?, "balance"?: "10.00", "min_payout"?: "5.00",
           "methods"?: [{"id": 1, "title": "USDT TRC20", "comission": "1.00"}],
           "api_enabled"?: bool}                     → {"api_key", "partner_id"}
    GET    /_control/partners/{key}                  → full dump (balance, methods, items)
    PATCH  /_control/partners/{key} {"balance"?, "min_payout"?, "api_enabled"?, "methods"?}
    POST   /_control/partners/{key}/rotate           → {"api_key": new}; old key dies at once
    POST   /_control/partners/{key}/clicks {fields}  → the created click (with id)
    POST   /_control/partners/{key}/exchanges {fields} → the created exchange (with id);
           `time` defaults to now, `edit_date` to `time`; the balance is not touched
    POST   /_control/partners/{key}/exchanges/bulk {"count": 15000, "days"?: 30, "seed"?: 1}
           a big history at once (realistic exchanges spread over the last days; 80 % done,
           most of those accrued) → {"count", "first_id", "last_id"}
    PATCH  /_control/partners/{key}/exchanges/{id} {"accrued"?, "exchange_success"?,
           "partner_reward"?}                        bumps edit_date; accruing 0 → 1 credits
                                                     the reward to the balance
    POST   /_control/partners/{key}/payouts {fields} → the created payout (balance untouched)
    PATCH  /_control/partners/{key}/payouts/{id} {"status": 0-3}  bumps edit_date; canceling
                                                     a pending payout refunds its amount
    POST   /_control/blacklist {"accounts": [...]}   accounts add_payout refuses
    GET    /_control/requests?method=&key_id=&limit= → {"count", "items": [{"time",
           "http_method", "method", "key_id", "params" (never the api_key), "fault"}]}
    DELETE /_control/requests                        clear the log (capped at 10,000)
    GET    /_control/overlaps → {"count", "items": [{"time", "key_id", "method"}]}: requests
           that arrived while another request of the same key was still being answered
           (two polls of one key at once; a poller asks one request after the other). An
           answer takes time only under a fault: add a `slow` rule to make overlaps visible
    DELETE /_control/overlaps                        forget them
    POST   /_control/faults {"mode", "methods"?: [...], "count"?: N, "after_processing"?,
           "text"?, "delay"?, "status"?, "retry_after"?, "size_mb"?, "keep_working"?}   add a
           rule ("keep_working": a slow add_payout is performed after the delay even when the
           client gave up, as a PHP site does); the newest
           matching rule wins; `count` rules expire after N requests
    GET    /_control/faults ; DELETE /_control/faults
    POST   /_control/shape {"envelope": "wrapped"|"wrapped_str"|"bare", "items_as":
           "list"|"dict", "numbers_as": "string"|"number", "errors_as": "envelope"|"text",
           "content_type": "application/json"|"text/html", "statuses": bool} ; GET too
    POST   /_control/clock {"now": unix | null} or {"advance": seconds} ; GET too

Fault modes: api_disabled, method_not_supported, error_text ("text"), http_500, http_502,
http_429 ("retry_after" → Retry-After), html ("status" 200|503), garbage (non-JSON bytes),
truncated (half of the answer), empty, null, slow ("delay" seconds, then the answer),
hang (no answer until the client gives up), drop (connection closed, no answer), huge
("size_mb", default 5), no_id (the request is performed, then `{"error":0,"error_text":
"Payout request created"}` without the id). With "after_processing": true the request is
performed first (add_payout creates the payout), then the fault is sent: a lost answer.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.sandbox import faults
from bot.sandbox.api import ApiError, answer
from bot.sandbox.control import create_control_app
from bot.sandbox.paccount import create_paccount_handler
from bot.sandbox.render import error_body, success_body
from bot.sandbox.state import SandboxState


class AffiliateApi:
    """The /api.html handler: dict lookups, one json.dumps, a log entry."""

    def __init__(self, state: SandboxState, stopping: asyncio.Event) -> None:
        self._state = state
        self._stopping = stopping

    def _answer(self, params: dict[str, str]) -> web.Response:
        shape = self._state.shape
        try:
            body = success_body(answer(self._state, params), shape)
        except ApiError as error:
            body = error_body(error.text, shape)
        return web.Response(body=body, content_type=shape.content_type, charset="utf-8")

    async def handle(self, request: web.Request) -> web.StreamResponse:
        params = dict(request.query)
        if request.method == "POST":
            form = await request.post()
            params.update((k, v) for k, v in form.items() if isinstance(v, str))
        method = params.get("method", "")
        rule = self._state.faults.take(method)
        self._state.log_request(request.method, params, rule.mode if rule else None)
        flying = self._state.request_started(params)
        try:
            if rule is None:
                return self._answer(params)
            return await faults.respond(
                rule,
                request,
                method,
                self._state.shape,
                lambda: self._answer(params),
                self._stopping,
            )
        finally:
            self._state.request_ended(flying)


def create_app(state: SandboxState) -> web.Application:
    app = web.Application()
    stopping = asyncio.Event()
    api = AffiliateApi(state, stopping)
    app.router.add_route("GET", "/api.html", api.handle)
    app.router.add_route("POST", "/api.html", api.handle)
    app.add_subapp("/_control/", create_control_app(state))
    app.router.add_get("/paccount/", create_paccount_handler(state))

    async def release_waiting(_: web.Application) -> None:
        stopping.set()  # `hang` and `slow` answers end, so shutdown does not wait for them

    app.on_shutdown.append(release_waiting)
    return app
