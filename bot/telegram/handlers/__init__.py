"""The routing table: every feature's Router, in the order they are tried."""

from __future__ import annotations

from aiogram import Router

from bot.telegram.handlers import errors, fallback, language, link, reports, start, unlink


def get_routers() -> list[Router]:
    return [
        errors.router,
        start.router,
        link.router,
        unlink.router,
        reports.router,
        language.router,
        fallback.router,  # last: takes what nobody else did
    ]
