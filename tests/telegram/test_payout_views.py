"""Alerts are plain text from the same catalog messages as the HTML they stand for."""

from decimal import Decimal

import pytest

from bot.exchanger.errors import ExchangerUnavailable, KeyRejected, RequestRefused
from bot.i18n import LANGUAGES, Translator
from bot.services.payout_models import Offer, Outcome, Result, Step
from bot.storage.payouts import PayoutRequest, State
from bot.telegram import payout_views
from bot.telegram.handlers.errors import explain

REQUEST = PayoutRequest(
    id=1,
    token="tok",
    chat_id=1,
    user_id=1,
    account_id=1,
    site="x",
    method_id=1,
    method_title="USDT <TRC20> & co",
    wallet="TXyz0123456789",
    amount=Decimal("56.35"),
    commission=Decimal("1.00"),
    state=State.DONE,
    expires_at=0.0,
    submitted_at=0.0,
    outcome="requested",
    detail="",
    payout_id=7,
)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("result", list(Result))
def test_every_replayed_outcome_alert_is_plain(language: str, result: Result) -> None:
    t = Translator(language)
    detail = "0.50" if result is Result.BELOW_MINIMUM else "x & y"
    press = Outcome(result, REQUEST, payout_id=7, detail=detail, replay=True)
    alert = payout_views.alert(t, press)
    assert alert is not None and 0 < len(alert) <= 200
    assert "<b>" not in alert and "&lt;" not in alert and "&amp;" not in alert


def test_a_requested_payout_alert_shows_the_values_unescaped() -> None:
    press = Outcome(Result.REQUESTED, REQUEST, payout_id=7, replay=True)
    html, _ = payout_views.outcome(Translator("en"), press)
    alert = payout_views.alert(Translator("en"), press)
    assert "<b>#7</b>" in html and "USDT &lt;TRC20&gt; &amp; co" in html
    assert alert is not None and alert.startswith("✅ Payout #7 requested")
    assert "<TRC20> & co" in alert


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("step", [Step.GONE, Step.NOT_OWNER])
def test_refusal_alerts_are_plain(language: str, step: Step) -> None:
    t = Translator(language)
    assert payout_views.refusal_alert(t, Offer(step)) == payout_views.refusal(t, Offer(step))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "error",
    [KeyRejected("x"), RequestRefused("<i>no</i> & no"), ExchangerUnavailable("x"), ValueError()],
)
def test_error_alerts_are_plain(language: str, error: Exception) -> None:
    t = Translator(language)
    alert = explain(t.plain, error)
    assert "&lt;" not in alert and "&amp;" not in alert
    unescaped = explain(t, error).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert alert == unescaped
