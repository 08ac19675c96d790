"""The affiliate API's methods (ppapi, old version) over a `SandboxState`. Pure Python.

`answer(state, params)` returns the `data` part of a successful answer or raises `ApiError`
with the site's error text. Read methods have no side effects; `add_payout` writes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.sandbox.records import Partner
from bot.sandbox.state import PayoutRefused, SandboxState

API_DISABLED = "Api disabled"
METHOD_NOT_SUPPORTED = "Method not supported"
READ_METHODS = frozenset({"get_info", "get_links", "get_exchanges", "get_payouts"})

Params = Mapping[str, str]
Payload = dict[str, object]


class ApiError(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _unix(params: Params, name: str) -> int:
    """PHP's intval(): anything that is not a number is 0 (no filter)."""
    value = params.get(name, "").strip()
    return int(value) if value.isdigit() else 0


def get_info(state: SandboxState, partner: Partner, params: Params) -> Payload:
    return partner.info()


def get_links(state: SandboxState, partner: Partner, params: Params) -> Payload:
    start, end = _unix(params, "start_time"), _unix(params, "end_time")
    return {"items": partner.links(start, end, params.get("ip", "").strip())}


def get_exchanges(state: SandboxState, partner: Partner, params: Params) -> Payload:
    start, end = _unix(params, "start_time"), _unix(params, "end_time")
    return {"items": partner.exchange_items(start, end, state.shape.statuses)}


def get_payouts(state: SandboxState, partner: Partner, params: Params) -> Payload:
    return {"items": partner.payout_items(_unix(params, "start_time"), _unix(params, "end_time"))}


def add_payout(state: SandboxState, partner: Partner, params: Params) -> Payload:
    try:
        payout = state.request_payout(
            partner, params.get("method_id", ""), params.get("account", "")
        )
    except PayoutRefused as refused:
        raise ApiError(refused.text) from None
    return {"payout_id": str(payout.id)}


METHODS: dict[str, Callable[[SandboxState, Partner, Params], Payload]] = {
    "get_info": get_info,
    "get_links": get_links,
    "get_exchanges": get_exchanges,
    "get_payouts": get_payouts,
    "add_payout": add_payout,
}


def answer(state: SandboxState, params: Params) -> Payload:
    if params.get("api_action") != "pp":
        raise ApiError(API_DISABLED)
    partner = state.partner(params.get("api_key", ""))
    if partner is None or not partner.api_enabled:
        raise ApiError(API_DISABLED)
    method = METHODS.get(params.get("method", ""))
    if method is None:
        raise ApiError(METHOD_NOT_SUPPORTED)
    return method(state, partner, params)
