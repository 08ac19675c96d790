"""The sandbox's whole in-memory world: partners by key, clock, answer shape, faults, request log.

Pure Python (no aiohttp). Everything runs on one event loop and no method awaits, so each
call is atomic. Bench partners (`bench-key-000001`…) are built on first use by a factory that
`seed.add_bench_accounts` installs, so ten thousand of them cost nothing until requested.
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from bot.sandbox.records import (
    PENDING,
    ZERO,
    Partner,
    Payout,
    PayoutMethod,
    money,
)

BENCH_PREFIX = "bench-key-"
SHAPE_CHOICES: dict[str, tuple[Any, ...]] = {
    "envelope": ("wrapped", "wrapped_str", "bare"),
    "items_as": ("list", "dict"),
    "numbers_as": ("string", "number"),
    "errors_as": ("envelope", "text"),
    "content_type": ("application/json", "text/html"),
    "statuses": (True, False),
}
FAULT_MODES = frozenset(
    {
        "api_disabled",
        "method_not_supported",
        "error_text",
        "http_500",
        "http_502",
        "http_429",
        "html",
        "garbage",
        "truncated",
        "empty",
        "null",
        "slow",
        "hang",
        "drop",
        "huge",
        "no_id",
    }
)


class PayoutRefused(Exception):
    """add_payout refused; `text` is the site's error_text."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def key_id(api_key: str) -> str:
    """A short, stable, non-reversible name for a key (what the request log shows)."""
    return hashlib.blake2s(api_key.encode(), digest_size=4).hexdigest()


@dataclass(slots=True)
class Shape:
    """How answers look. Defaults: what a typical PHP site sends."""

    envelope: str = "wrapped"
    items_as: str = "list"
    numbers_as: str = "string"
    errors_as: str = "envelope"
    content_type: str = "application/json"
    statuses: bool = True  # the status-log module: `statuses` in get_exchanges items

    def update(self, changes: Mapping[str, object]) -> None:
        for name, value in changes.items():
            choices = SHAPE_CHOICES.get(name)
            if choices is None or value not in choices:
                raise ValueError(f"shape {name!r} must be one of {choices}")
        for name, value in changes.items():
            setattr(self, name, value)


@dataclass(slots=True)
class FaultRule:
    mode: str
    methods: frozenset[str] = frozenset()  # empty: every API method
    count: int | None = None  # None: until DELETE /_control/faults
    after_processing: bool = False  # process the request (add_payout writes), then fail
    text: str = "Error! Service temporarily unavailable"  # for error_text
    delay: float = 1.0  # for slow
    status: int = 200  # for html (200 or 503)
    retry_after: int = 1  # for http_429
    size_mb: float = 5.0  # for huge
    keep_working: bool = False  # for slow: finish (add_payout writes) even if the client left

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FaultRule:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        if data.get("mode") not in FAULT_MODES:
            raise ValueError(f"fault mode must be one of {sorted(FAULT_MODES)}")
        rule = cls(mode=data["mode"], methods=frozenset(map(str, data.get("methods") or ())))
        rule.count = None if data.get("count") is None else int(data["count"])
        rule.after_processing = bool(data.get("after_processing", False))
        rule.text = str(data.get("text", rule.text))
        rule.delay = float(data.get("delay", rule.delay))
        rule.status = int(data.get("status", rule.status))
        rule.retry_after = int(data.get("retry_after", rule.retry_after))
        rule.size_mb = float(data.get("size_mb", rule.size_mb))
        rule.keep_working = bool(data.get("keep_working", False))
        if rule.count is not None and rule.count < 1:
            raise ValueError("count must be >= 1")
        return rule

    def as_json(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)} | {
            "methods": sorted(self.methods)
        }


@dataclass(slots=True)
class Faults:
    """Active fault rules; the newest matching rule wins, and `count` is used up per request."""

    rules: list[FaultRule] = field(default_factory=list)

    def take(self, method: str) -> FaultRule | None:
        if not self.rules:
            return None
        for rule in reversed(self.rules):
            if rule.methods and method not in rule.methods:
                continue
            if rule.count is not None:
                rule.count -= 1
                if rule.count <= 0:
                    self.rules.remove(rule)
            return rule
        return None


BenchFactory = Callable[["SandboxState", int, str], Partner]


class SandboxState:
    def __init__(self, *, log_size: int = 10_000, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._log_size = log_size
        self.bench_accounts = 0
        self.bench_factory: BenchFactory | None = None
        self.reset()

    def reset(self) -> None:
        """Forget every partner, fault, shape change, clock setting and logged request."""
        self.partners: dict[str, Partner] = {}
        self.shape = Shape()
        self.faults = Faults()
        self.requests: deque[dict[str, object]] = deque(maxlen=self._log_size)
        self.in_flight: Counter[str] = Counter()  # API requests being answered, per key id
        self.overlaps: deque[dict[str, object]] = deque(maxlen=self._log_size)
        self.blacklist: set[str] = set()
        self.frozen_now: int | None = None
        self._retired: set[str] = set()  # rotated bench keys that must not be rebuilt
        self._ids = {kind: itertools.count(1) for kind in ("partner", "item", "payout")}

    # --- clock and ids ---
    def now(self) -> int:
        return self.frozen_now if self.frozen_now is not None else int(self._clock())

    def next_id(self, kind: str) -> int:
        return next(self._ids[kind])

    # --- partners ---
    def partner(self, api_key: str) -> Partner | None:
        found = self.partners.get(api_key)
        if found is None and api_key.startswith(BENCH_PREFIX) and self.bench_factory:
            index = api_key.removeprefix(BENCH_PREFIX)
            valid = index.isdigit() and 0 < int(index) <= self.bench_accounts
            if valid and api_key not in self._retired and api_key == bench_key(int(index)):
                found = self.partners[api_key] = self.bench_factory(self, int(index), api_key)
        return found

    def add_partner(
        self,
        api_key: str | None = None,
        *,
        balance: object = ZERO,
        min_payout: object = "10.00",
        methods: Iterable[Mapping[str, Any]] = (),
        api_enabled: bool = True,
    ) -> Partner:
        api_key = api_key or f"sbx-{secrets.token_hex(12)}"
        if self.partner(api_key) is not None:
            raise ValueError("api_key already in use")
        partner = Partner(
            id=self.next_id("partner"),
            api_key=api_key,
            balance=money(balance),
            min_payout=money(min_payout),
            methods=[make_method(m) for m in methods],
            api_enabled=api_enabled,
        )
        self.partners[api_key] = partner
        return partner

    def rotate(self, api_key: str) -> str:
        """The site's "Change REST API key": the old key stops working at once."""
        partner = self.partners.pop(api_key)
        if api_key.startswith(BENCH_PREFIX):
            self._retired.add(api_key)
        partner.api_key = f"sbx-{secrets.token_hex(12)}"
        self.partners[partner.api_key] = partner
        return partner.api_key

    def request_payout(self, partner: Partner, method_id: str, account: str) -> Payout:
        """add_payout: a pending request for the WHOLE balance, which drops to 0."""
        method = partner.method(int(method_id)) if method_id.strip().isdigit() else None
        if method is None:
            raise PayoutRefused("Error! Payout method does not exist")
        account = account.strip()
        if not account:
            raise PayoutRefused("Error! You did not enter an account")
        if account in self.blacklist:
            raise PayoutRefused("Error! This account is blacklisted")
        if partner.balance <= 0 or partner.balance < partner.min_payout:
            raise PayoutRefused(f"Error! Minimum payout amount is {partner.min_payout} USD")
        amount = method.amount(partner.balance)
        if amount <= 0:
            raise PayoutRefused("Error! The payout amount is less than the commission")
        now = self.now()
        payout = Payout(
            id=self.next_id("payout"),
            time=now,
            edit_date=now,
            method_id=method.id,
            account=account,
            pay_amount=amount,
            pay_currency_code=method.currency_code,
            original_amount=partner.balance,
            original_currency_code="USD",
            status=PENDING,
        )
        partner.payouts[payout.id] = payout
        partner.balance = ZERO
        return payout

    # --- request log ---
    def request_started(self, params: Mapping[str, str]) -> str:
        """Marks one API request of a key in flight; returns its key id for
        `request_ended`. A request that starts while another one of the same key is still
        being answered is an overlap: a poller asks its requests one after the other, so two
        at once mean two polls of one key at once (or a command's parallel reads)."""
        kid = key_id(params.get("api_key", ""))
        if self.in_flight[kid]:
            self.overlaps.append(
                {"time": self._clock(), "key_id": kid, "method": params.get("method", "")}
            )
        self.in_flight[kid] += 1
        return kid

    def request_ended(self, kid: str) -> None:
        self.in_flight[kid] -= 1
        if self.in_flight[kid] <= 0:
            del self.in_flight[kid]

    def log_request(self, http_method: str, params: Mapping[str, str], fault: str | None) -> None:
        self.requests.append(
            {
                "time": self.now(),
                "http_method": http_method,
                "method": params.get("method", ""),
                "key_id": key_id(params.get("api_key", "")),
                "params": {k: v for k, v in params.items() if k != "api_key"},
                "fault": fault,
            }
        )


def bench_key(index: int) -> str:
    return f"{BENCH_PREFIX}{index:06d}"


def make_method(data: Mapping[str, Any]) -> PayoutMethod:
    return PayoutMethod(
        id=int(data["id"]),
        title=str(data.get("title", f"Method {data['id']}")),
        comission=money(data.get("comission", "0.00")),
        currency_code=str(data.get("currency_code", "USD")),
    )
