"""Linking: which configured site accepts a key, and what the user is told otherwise."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bot.exchanger import OldApiClient
from bot.services.access import AccountGone
from bot.services.accounts import AccountService, LinkStatus, UnlinkResult
from bot.storage.accounts import AccountRepo
from bot.storage.chats import ChatRepo
from bot.storage.db import Database

INFO = {"balance": "12.50", "min_payout": "10", "items": []}
KEY = "good-key-0001"


def service(account_repo: AccountRepo, answers: dict[str, object]) -> AccountService:
    """`answers[host]`: a JSON-able body, an int HTTP status, or an exception to raise."""

    def app(request: httpx.Request) -> httpx.Response:
        answer = answers[request.url.host]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, int):
            return httpx.Response(answer)
        if request.url.params.get("api_key") != KEY:
            return httpx.Response(200, json={"error": 1, "error_text": "Api disabled"})
        return httpx.Response(200, content=json.dumps(answer).encode())

    client = OldApiClient(httpx.AsyncClient(transport=httpx.MockTransport(app)))
    sites = [f"https://{host}" for host in answers]
    return AccountService(client, account_repo, sites)


@pytest.fixture(autouse=True)
async def chat(chats: ChatRepo) -> None:
    await chats.ensure(1, "private")


async def test_the_site_that_accepts_the_key_is_chosen(account_repo: AccountRepo) -> None:
    accounts = service(
        account_repo, {"a.example": {"error": 1, "error_text": "Api disabled"}, "b.example": INFO}
    )
    result = await accounts.link(1, 7, f"  {KEY}\n")
    assert result.status is LinkStatus.LINKED and result.account is not None
    assert result.account.site == "https://b.example"
    assert result.info is not None and str(result.info.balance) == "12.50"
    again = await accounts.link(1, 7, KEY)
    assert again.status is LinkStatus.ALREADY_LINKED


async def test_two_links_of_one_key_at_once_say_already_linked(
    account_repo: AccountRepo,
) -> None:
    accounts = service(account_repo, {"a.example": INFO})
    first, second = await asyncio.gather(accounts.link(1, 7, KEY), accounts.link(1, 8, KEY))
    statuses = sorted(r.status.name for r in (first, second))
    assert statuses == ["ALREADY_LINKED", "LINKED"]
    assert first.account is not None and second.account is not None
    assert first.account.id == second.account.id
    assert len(await accounts.accounts(1)) == 1


async def test_another_chats_account_cannot_be_read_or_unlinked(
    chats: ChatRepo, account_repo: AccountRepo
) -> None:
    accounts = service(account_repo, {"a.example": INFO})
    linked = (await accounts.link(1, 7, KEY)).account
    assert linked is not None
    await chats.ensure(2, "private")
    for chat, account_id in ((2, linked.id), (1, linked.id + 100)):
        with pytest.raises(AccountGone):
            await accounts.account(chat, account_id)
        assert await accounts.unlink(chat, account_id) is UnlinkResult.GONE
    assert (await accounts.account(1, linked.id)).id == linked.id
    assert await accounts.unlink(1, linked.id) is UnlinkResult.UNLINKED
    with pytest.raises(AccountGone):
        await accounts.account(1, linked.id)


async def test_rejected_everywhere(account_repo: AccountRepo) -> None:
    accounts = service(account_repo, {"a.example": INFO, "b.example": INFO})
    result = await accounts.link(1, 7, "other-key-0002")
    assert result.status is LinkStatus.REJECTED
    assert await accounts.accounts(1) == []


async def test_unreachable_when_no_site_accepts_and_one_is_down(account_repo: AccountRepo) -> None:
    accounts = service(account_repo, {"a.example": 503, "b.example": INFO})
    result = await accounts.link(1, 7, "other-key-0002")
    assert result.status is LinkStatus.UNREACHABLE


async def test_refusal_text_is_passed_on(account_repo: AccountRepo) -> None:
    refusal = {"error": 1, "error_text": "Partner program is closed"}
    accounts = service(account_repo, {"a.example": refusal})

    result = await accounts.link(1, 7, KEY)
    assert result.status is LinkStatus.REJECTED and result.detail == "Partner program is closed"


@pytest.mark.parametrize("text", ["", "abc", "has space inside", "ключ-кириллицей", "x" * 300])
async def test_malformed_keys_never_reach_the_exchanger(
    account_repo: AccountRepo, text: str
) -> None:
    accounts = service(account_repo, {"a.example": AssertionError("must not be called")})
    assert (await accounts.link(1, 7, text)).status is LinkStatus.INVALID_FORMAT


@pytest.mark.parametrize("state", ["submitting", "checking"])
async def test_an_account_is_kept_while_its_payout_request_is_in_flight(
    db: Database, account_repo: AccountRepo, state: str
) -> None:
    """Unlinking would cascade to the request: its checks and its one-in-flight guard would go."""
    accounts = service(account_repo, {"a.example": INFO})
    linked = (await accounts.link(1, 7, KEY)).account
    assert linked is not None
    await db.execute(
        "INSERT INTO payout_requests (token, chat_id, user_id, account_id, state, created_at,"
        " expires_at) VALUES ('t1', 1, 7, ?, ?, 0, 0)",
        (linked.id, state),
    )
    assert await accounts.unlink(1, linked.id) is UnlinkResult.PAYOUT_IN_FLIGHT
    assert (await accounts.account(1, linked.id)).id == linked.id
    await db.execute("UPDATE payout_requests SET state = 'done' WHERE token = 't1'")
    assert await accounts.unlink(1, linked.id) is UnlinkResult.UNLINKED
