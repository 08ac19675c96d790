"""PayoutChecks against the in-process sandbox: unclear answers end as the payout the site
lists (never as a refusal), a late site is found on the schedule, a site clock a few minutes
behind is tolerated, and the chat is told unasked."""

from __future__ import annotations

import asyncio

import pytest

from bot.services.admin import AdminService
from bot.services.payout_models import Result
from bot.storage.payouts import State
from tests.services.test_payouts import ALICE, CHAT, USER, World

AMBIGUOUS = {
    "success-without-id": {"mode": "no_id"},
    "empty-body": {"mode": "empty", "after_processing": True},
    "html-page": {"mode": "html", "after_processing": True},
    "502-after-processing": {"mode": "http_502", "after_processing": True},
    "dropped-after-processing": {"mode": "drop", "after_processing": True},
}


async def newest_payout_id(world: World) -> int:
    payouts = (await world.sandbox.control("GET", f"partners/{ALICE}"))["payouts"]
    return max(p["id"] for p in payouts)


@pytest.mark.parametrize("fault", AMBIGUOUS.values(), ids=AMBIGUOUS.keys())
async def test_an_unclear_answer_ends_as_the_payout_the_site_shows(
    world: World, fault: dict[str, object]
) -> None:
    request = await world.confirmation()
    await world.fault(count=1, **fault)
    # The site lists the new payout only a little later: the first look finds nothing.
    await world.sandbox.control(
        "POST", "faults", {"mode": "http_502", "methods": ["get_payouts"], "count": 1}
    )
    outcome = await world.service.confirm(request.token, CHAT, USER)
    assert outcome.result is Result.CHECKING
    await world.later(15)
    [(told_request, told)] = world.announced
    assert told.result is Result.RECONCILED and told.payout_id == await newest_payout_id(world)
    assert told_request.token == request.token and await world.state(request) is State.DONE
    assert await world.add_payout_calls() == 1


async def test_a_site_that_answers_after_the_deadline_is_found_later(world: World) -> None:
    request = await world.confirmation()
    # The site needs 1.5 s (the deadline is 1 s) and creates the payout only then.
    await world.fault(mode="slow", delay=1.5, keep_working=True, count=1)
    outcome = await world.service.confirm(request.token, CHAT, USER)
    assert outcome.result is Result.CHECKING
    assert (await world.sandbox.control("GET", f"partners/{ALICE}"))["balance"] != "0.00"
    for _ in range(100):  # the site finishes its work 1.5 s after the request
        if (await world.sandbox.control("GET", f"partners/{ALICE}"))["balance"] == "0.00":
            break
        await asyncio.sleep(0.05)
    await world.later(15)
    [(_, told)] = world.announced
    assert told.result is Result.RECONCILED and told.payout_id == await newest_payout_id(world)
    assert await world.add_payout_calls() == 1


async def test_a_site_clock_minutes_behind_is_tolerated(world: World) -> None:
    request = await world.confirmation()
    await world.sandbox.control("POST", "clock", {"advance": -240})
    await world.fault(mode="drop", after_processing=True, count=1)
    outcome = await world.service.confirm(request.token, CHAT, USER)
    assert outcome.result is Result.RECONCILED
    assert outcome.payout_id == await newest_payout_id(world)


async def test_a_failed_announcement_is_retried(world: World) -> None:
    request = await world.confirmation()
    await world.fault(mode="drop", count=1)
    assert (await world.service.confirm(request.token, CHAT, USER)).result is Result.CHECKING
    attempts: list[Result] = []

    async def flaky(_: object, outcome: object) -> bool:
        attempts.append(outcome.result)  # type: ignore[attr-defined]
        return len(attempts) > 1

    world.service.checks.announce = flaky
    for seconds in (15, 45, 60):
        await world.later(seconds)
    assert attempts == [Result.NOT_CREATED]
    assert await world.later(1) == 0  # not due yet: retried a minute later
    await world.later(60)
    assert attempts == [Result.NOT_CREATED, Result.NOT_CREATED]
    assert await world.later(120) == 0  # delivered: done


async def test_admin_lists_the_requests_being_checked(world: World) -> None:
    request = await world.confirmation()
    await world.fault(mode="drop", count=1)
    assert (await world.service.confirm(request.token, CHAT, USER)).result is Result.CHECKING
    await world.later(15)
    [listed] = (await AdminService(world.db, []).report()).payouts_in_flight
    assert (listed.id, listed.state, listed.checks) == (request.id, State.CHECKING, 1)
    assert listed.site == world.account.site and listed.since <= world.clock.now - 15


async def test_a_payout_found_for_one_request_is_not_taken_by_the_next(world: World) -> None:
    first = await world.confirmation()
    assert (await world.service.confirm(first.token, CHAT, USER)).result is Result.REQUESTED
    # The same amount again, a minute later (the site's list still shows the first payout).
    await world.sandbox.control("PATCH", f"partners/{ALICE}", {"balance": "57.35"})
    world.clock.now += 60
    second = await world.confirmation()
    await world.fault(mode="drop", count=1)  # lost before the site saw it
    assert (await world.service.confirm(second.token, CHAT, USER)).result is Result.CHECKING
    await world.later(15)
    assert await world.state(second) is State.CHECKING and world.announced == []
