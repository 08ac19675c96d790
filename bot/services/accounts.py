"""Linking and unlinking affiliate accounts: which site accepts a key, and storing it."""

from __future__ import annotations

import asyncio
import string
from dataclasses import dataclass
from enum import Enum, auto

from bot.exchanger import Credentials, ExchangerApi, PartnerInfo
from bot.exchanger.errors import (
    ExchangerError,
    ExchangerUnavailable,
    KeyRejected,
    MalformedResponse,
    RequestRefused,
)
from bot.services.access import AccountGone, owned
from bot.services.read_cache import ReadCache
from bot.storage.accounts import Account, AccountRepo, AlreadyLinked

_KEY_ALPHABET = frozenset(string.ascii_letters + string.digits + "-_.=+/")
MAX_KEY_LENGTH = 256


class UnlinkResult(Enum):
    UNLINKED = auto()
    GONE = auto()  # not (or no longer) linked in this chat
    PAYOUT_IN_FLIGHT = auto()  # a payout request is being sent or checked: kept until it ends


class LinkStatus(Enum):
    LINKED = auto()
    ALREADY_LINKED = auto()
    INVALID_FORMAT = auto()
    REJECTED = auto()
    UNREACHABLE = auto()


@dataclass(frozen=True, slots=True)
class LinkResult:
    status: LinkStatus
    account: Account | None = None
    info: PartnerInfo | None = None
    detail: str = ""  # the site's own error text, when it gave one


def looks_like_key(text: str) -> bool:
    return 4 <= len(text) <= MAX_KEY_LENGTH and set(text) <= _KEY_ALPHABET


class AccountService:
    def __init__(
        self,
        api: ExchangerApi,
        repo: AccountRepo,
        sites: list[str],
        cache: ReadCache | None = None,
    ) -> None:
        self._api = api
        self._repo = repo
        self._sites = sites
        self._cache = cache if cache is not None else ReadCache(ttl=0)

    @property
    def sites(self) -> list[str]:
        return list(self._sites)

    async def link(self, chat_id: int, user_id: int, api_key: str) -> LinkResult:
        key = api_key.strip()
        if not looks_like_key(key):
            return LinkResult(LinkStatus.INVALID_FORMAT)
        site, info, failure = await self._find_site(key)
        if site is None or info is None:
            return failure
        try:
            account = await self._repo.add(chat_id, Credentials(site, key), linked_by=user_id)
        except AlreadyLinked as exc:
            self._remember(exc.account.id, info)
            return LinkResult(LinkStatus.ALREADY_LINKED, account=exc.account, info=info)
        self._remember(account.id, info)
        return LinkResult(LinkStatus.LINKED, account=account, info=info)

    def _remember(self, account_id: int, info: PartnerInfo) -> None:
        """The get_info just made serves the /balance that usually follows a /link."""
        self._cache.forget(account_id)
        self._cache.put(ReadCache.key(account_id, "get_info"), info)

    async def _find_site(self, key: str) -> tuple[str | None, PartnerInfo | None, LinkResult]:
        """Ask every configured site at once; the first (in configured order) that accepts wins."""
        answers = await asyncio.gather(
            *(self._api.get_info(Credentials(site, key)) for site in self._sites),
            return_exceptions=True,
        )
        for site, answer in zip(self._sites, answers, strict=True):
            if isinstance(answer, PartnerInfo):
                return site, answer, LinkResult(LinkStatus.LINKED)
        errors = [a for a in answers if isinstance(a, BaseException)]
        for error in errors:
            if not isinstance(error, ExchangerError):
                raise error
        if any(isinstance(e, ExchangerUnavailable | MalformedResponse) for e in errors):
            return None, None, LinkResult(LinkStatus.UNREACHABLE)
        refused = [e.text for e in errors if isinstance(e, RequestRefused)]
        detail = (
            refused[0] if refused and not any(isinstance(e, KeyRejected) for e in errors) else ""
        )
        return None, None, LinkResult(LinkStatus.REJECTED, detail=detail)

    async def accounts(self, chat_id: int) -> list[Account]:
        return await self._repo.for_chat(chat_id)

    async def account(self, chat_id: int, account_id: int) -> Account:
        """The account; AccountGone unless it is linked in this chat (ids can be forged)."""
        return await owned(self._repo, chat_id, account_id)

    async def unlink(self, chat_id: int, account_id: int) -> UnlinkResult:
        """The DELETE itself is conditional on the chat and on no payout request in flight:
        whatever changed in between, it never removes the truth of a payout being checked."""
        try:
            await owned(self._repo, chat_id, account_id)
        except AccountGone:
            return UnlinkResult.GONE
        if await self._repo.delete(chat_id, account_id):
            self._cache.forget(account_id)
            return UnlinkResult.UNLINKED
        if await self._repo.payout_in_flight(account_id):
            return UnlinkResult.PAYOUT_IN_FLIGHT
        return UnlinkResult.GONE
