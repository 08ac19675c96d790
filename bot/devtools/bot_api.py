"""A strict local Telegram Bot API server (aiohttp, in the caller's event loop): the test
suite, the bench and the browser playground (`make demo`) all run this one.

Point the bot at ``fake.base_url`` (``TELEGRAM_API_URL``): aiogram's
``TelegramAPIServer.from_base(base)`` sends ``{base}/bot{token}/{method}``. Parameters are read
from the query string, an urlencoded or multipart form (aiogram: complex values as JSON strings)
or a JSON body. Every request is checked against the official parameters and Telegram's rules;
a refused request is answered like Telegram (``{"ok": false, "error_code": 400, "description":
"Bad Request: ..."}``) and also recorded in ``fake.violations``, so a test can assert
``fake.violations == []`` even when the bot swallowed the error.

Example::

    async with FakeBotApi() as fake:
        ann = fake.user(1001, "Ann")
        chat = fake.private_chat(ann)
        ...  # start the bot with TELEGRAM_API_URL=fake.base_url, BOT_TOKEN=fake.token
        await fake.send_text(chat, ann, "/start")
        menu = await fake.wait_for_text(chat.id, "Welcome")
        query_id = await fake.press(chat, ann, menu.message_id, menu.callback_data("Balance"))
        await fake.wait_for_answer(query_id)
        assert fake.violations == []
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.devtools.bot_api_control import BotApiControl
from bot.devtools.bot_api_media import MAX_DOCUMENT_BYTES, Upload
from bot.devtools.bot_api_methods import BotApiMethods
from bot.devtools.bot_api_models import (
    ErrorRecord,
    FakeUser,
    Fault,
    LoggedRequest,
    RateLimiter,
    Violation,
)
from bot.devtools.bot_api_state import CONFLICT, BotApiState
from bot.devtools.bot_api_validation import (
    ARRAY,
    METHOD_PARAMS,
    METHODS_BY_LOWER_NAME,
    OBJECT,
    ApiError,
    bad_request,
    check_params,
)
from bot.devtools.bot_api_webhook import WebhookDelivery

DEFAULT_TOKEN = "123456789:AAFakeBotApiTokenForTests-0123456789"
MAX_LOG = 5_000
MAX_VIOLATIONS = 1_000
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden: bot was blocked by the user",
    409: CONFLICT,
    500: "Internal Server Error",
    502: "Bad Gateway",
}
logger = logging.getLogger(__name__)


class FakeBotApi(BotApiControl):
    """The fake server plus its control API (see BotApiControl for the test-side methods)."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "pex_test_bot",
        bot_name: str = "PEX Test Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        bot = FakeUser(int(token.split(":")[0]), bot_name, None, bot_username, None, is_bot=True)
        self.state = BotApiState(bot)
        self.requests: deque[LoggedRequest] = deque(maxlen=MAX_LOG)
        self.violations: list[Violation] = []
        self.errors: list[ErrorRecord] = []
        self.status_counts: Counter[int] = Counter()
        self._limiter = RateLimiter(clock)
        self._methods = BotApiMethods(self.state, self._limiter)
        self._faults: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self.webhook = WebhookDelivery(self.state)  # POSTs updates once setWebhook was called
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> FakeBotApi:
        """Listens on ``host:port`` (port 0: a free one); sets ``base_url``. After stop() it
        can start again on the same port, with all its data: a Telegram outage."""
        self.state.closing = False
        app = web.Application(client_max_size=MAX_DOCUMENT_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self.add_routes(app)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self._port = self._runner.addresses[0][1]
        self.base_url = f"http://{self._host}:{self._port}"
        self.webhook.start()
        return self

    async def stop(self) -> None:
        """Ends pending long polls at once, then closes the server."""
        self.state.stop_polling()
        await self.webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- limits and faults --------------------------------------------------------------------

    def rate_limit(
        self,
        global_per_sec: int | None = 30,
        per_chat_per_sec: int | None = 1,
        group_per_min: int | None = 20,
    ) -> None:
        """Telegram's flood control for sendMessage and the edits: beyond a limit the answer is
        429 "Too Many Requests: retry after N" with parameters.retry_after. None disables one."""
        self._limiter.configure(global_per_sec, per_chat_per_sec, group_per_min)

    def fail_next(
        self,
        method: str,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        """The next ``count`` calls of ``method`` answer this error (nothing is done)."""
        if status == 429:
            retry_after = retry_after or 1
            description = description or f"Too Many Requests: retry after {retry_after}"
        description = description or _DEFAULT_DESCRIPTIONS.get(status, "Internal Server Error")
        fault = Fault(status, description, retry_after)
        self._faults[_canonical(method)].extend([fault] * count)

    def drop_next(self, method: str, count: int = 1, *, after_processing: bool = False) -> None:
        """The next ``count`` calls of ``method`` lose their connection (a network error) —
        before anything is done, or with ``after_processing`` after the work (a lost answer)."""
        fault = Fault(drop=True, after=after_processing)
        self._faults[_canonical(method)].extend([fault] * count)

    @property
    def count_429(self) -> int:
        return self.status_counts[429]

    def assert_no_violations(self) -> None:
        """Fails with the list of refused requests, if any."""
        if self.violations:
            listing = "\n".join(f"  {v}" for v in self.violations)
            raise AssertionError(
                f"the fake Bot API refused {len(self.violations)} request(s):\n{listing}"
            )

    # -- HTTP ---------------------------------------------------------------------------------

    def add_routes(self, app: web.Application) -> None:
        """More routes beside the Bot API (the playground's page and events); none here."""

    def accepts_token(self, token: str) -> bool:
        """Whether a request with this token is served (else 401 Unauthorized)."""
        return token == self.token

    async def _not_found(self, request: web.Request) -> web.Response:
        return self._error(request.path, ApiError(404, "Not Found"), {})

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["method"]
        if not self.accepts_token(request.match_info["token"]):
            return self._error(name, ApiError(401, "Unauthorized"), {})
        method = METHODS_BY_LOWER_NAME.get(name.lower())
        if method is None:
            return self._error(name, ApiError(404, "Not Found"), {})
        try:
            raw = await _read_params(request)
        except ApiError as error:
            return self._error(method, error, {})
        self.requests.append(LoggedRequest(method, _decoded(method, raw)))
        fault = self._faults[method].popleft() if self._faults[method] else None
        if fault is not None and not fault.after:
            if fault.drop:
                return _drop(request)
            injected = ApiError(
                fault.status, fault.description, retry_after=fault.retry_after, violation=False
            )
            return self._error(method, injected, raw)
        try:
            result = await self._methods.call(method, check_params(method, raw))
        except ApiError as error:
            return self._error(method, error, raw)
        if fault is not None:
            return _drop(request)
        self.status_counts[200] += 1
        return web.json_response({"ok": True, "result": result})

    def _error(self, method: str, error: ApiError, params: dict[str, Any]) -> web.Response:
        self.status_counts[error.status] += 1
        self.errors.append(ErrorRecord(method, error.status, error.description))
        del self.errors[:-MAX_LOG]
        if error.violation:
            logger.warning("fake Bot API refused %s: %s", method, error.description)
            violation = Violation(method, error.status, error.description, _decoded(method, params))
            self.violations.append(violation)
            del self.violations[:-MAX_VIOLATIONS]
        return web.json_response(error.payload(), status=error.status)


def _canonical(method: str) -> str:
    canonical = METHODS_BY_LOWER_NAME.get(method.lower())
    if canonical is None:
        raise ValueError(f"the fake Bot API does not implement {method}")
    return canonical


def _drop(request: web.Request) -> web.Response:
    if request.transport is not None:
        request.transport.abort()
    return web.Response()


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Query string, then the body: JSON, urlencoded or multipart form."""
    params: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON encoded request") from None
        if not isinstance(body, dict):
            raise bad_request("JSON object expected as request body")
        params.update(body)
    elif request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.post()
        files = {key: Upload.of(value) for key, value in form.items() if not isinstance(value, str)}
        for key, value in form.items():
            params[key] = value if isinstance(value, str) else files[key]
        for key, value in list(params.items()):  # aiogram: photo=attach://<field of the file>
            if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
                params[key] = files[value[9:]]
                params.pop(value[9:], None)
    else:
        raise bad_request(f"unsupported Content-Type {request.content_type}")
    return params


def _decoded(method: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The parameters for the request log, JSON strings of complex fields decoded."""
    kinds = METHOD_PARAMS.get(method, {})
    decoded = dict(raw)
    for name, value in raw.items():
        if kinds.get(name) in (ARRAY, OBJECT) and isinstance(value, str):
            with contextlib.suppress(ValueError):
                decoded[name] = json.loads(value)
    return decoded
