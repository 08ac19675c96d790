"""/admin: the operator's view, for ADMIN_IDS in a private chat only.

Anyone else (or an operator in a group) does not match here and falls through to the
fallback router: exactly the answer to an unknown command, so /admin is not even revealed.
"""

from __future__ import annotations

import time

from aiogram import Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.types import Message

from bot.config import Settings
from bot.i18n import Html, Translator
from bot.services.admin import AdminReport, AdminService, SiteReport

router = Router(name=__name__)
MAX_SITES_SHOWN = 20


async def is_operator(message: Message, settings: Settings) -> bool:
    user = message.from_user
    return (
        message.chat.type == ChatType.PRIVATE and user is not None and user.id in settings.admin_ids
    )


@router.message(Command("admin"), is_operator)
async def admin_handler(message: Message, t: Translator, admin: AdminService) -> None:
    report = await admin.report()
    await message.answer(render(t, report, time.time()))


def render(t: Translator, report: AdminReport, now: float) -> str:
    lines: list[str] = [
        t("admin.title"),
        t(
            "admin.chats",
            total=report.chats,
            active=report.active_chats,
            inactive=report.inactive_chats,
        ),
        t("admin.accounts", total=report.accounts, paused=report.paused_accounts),
        t("admin.sites_title"),
    ]
    for site in report.sites[:MAX_SITES_SHOWN]:
        lines.extend(_site(t, site, now))
    if len(report.sites) > MAX_SITES_SHOWN:
        lines.append(t("admin.more_sites", count=len(report.sites) - MAX_SITES_SHOWN))
    oldest = report.outbox.oldest_pending_age
    lines.append(
        t(
            "admin.outbox",
            pending=report.outbox.pending,
            dropped=report.outbox.dropped,
            oldest=_age(t, oldest) if oldest is not None else t("admin.none"),
        )
    )
    lines.append(t("admin.payouts_title", count=len(report.payouts_in_flight)))
    lines.extend(
        t(
            "admin.payout",
            id=p.id,
            site=p.site,
            chat=p.chat_id,
            state=t(f"admin.payout_state.{p.state.value}"),
            age=_age(t, now - p.since),
            checks=p.checks,
        )
        for p in report.payouts_in_flight
    )
    return "\n".join(lines)


def _site(t: Translator, site: SiteReport, now: float) -> list[str]:
    rate = site.error_rate
    last = site.last_success_at
    lines: list[str] = [
        t(
            "admin.site",
            site=site.site,
            state=t(f"admin.state.{site.state}"),
            accounts=site.accounts,
            paused=site.paused,
            failing=site.failing,
            active=site.active,
            rate=f"{rate:.0%}" if rate is not None else t("admin.none"),
            last_success=t("admin.ago", age=_age(t, now - last)) if last else t("admin.never"),
            circuit=site.circuit or t("admin.none"),
        )
    ]
    if site.last_error:
        lines.append(t("admin.site_error", error=site.last_error))
    return lines


def _age(t: Translator, seconds: float) -> Html:
    seconds = max(int(seconds), 0)
    for unit, size in (("d", 86_400), ("h", 3_600), ("min", 60)):
        if seconds >= size:
            return t(f"admin.age.{unit}", n=seconds // size)
    return t("admin.age.s", n=seconds)
