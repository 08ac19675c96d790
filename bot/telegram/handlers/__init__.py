"""The routing table: every feature's Router, in the order they are tried."""

from __future__ import annotations

from aiogram import Router

from bot.telegram.handlers import (
    admin,
    errors,
    export,
    fallback,
    insight_settings,
    language,
    link,
    migration,
    payout,
    reports,
    settings,
    sources,
    start,
    stats,
    unlink,
)


def get_routers() -> list[Router]:
    return [
        errors.router,
        migration.router,  # service messages: before anything that reads the chat's accounts
        payout.router,  # before start: its /cancel also cancels a pending confirmation
        start.router,
        link.router,
        unlink.router,
        reports.router,
        sources.router,
        stats.router,
        export.router,
        language.router,
        insight_settings.router,  # before settings: /settings with arguments
        settings.router,
        admin.router,  # before fallback: anyone but an operator falls through to it
        fallback.router,  # last: takes what nobody else did
    ]
