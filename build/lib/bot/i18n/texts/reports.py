"""Texts of /balance, /payouts, /exchanges and /clicks."""

from bot.i18n import Text

TEXTS: dict[str, Text] = {
    "balance.amounts": Text(
        en="Balance: <b>{balance}</b> USD\nMinimum payout: {min_payout} USD",
        ru="Баланс: <b>{balance}</b> USD\nМинимальная выплата: {min_payout} USD",
    ),
    "balance.methods_title": Text(en="\n<b>Payout methods</b>", ru="\n<b>Способы выплаты</b>"),
    "balance.method": Text(
        en="• {title}: commission {commission}, you receive <b>{amount}</b>",
        ru="• {title}: комиссия {commission}, вы получите <b>{amount}</b>",
    ),
    "balance.no_methods": Text(
        en="\nThe site offers no payout method right now.",
        ru="\nСейчас сайт не предлагает способов выплаты.",
    ),
    "balance.payout_possible": Text(
        en="\n✅ A payout is possible now.", ru="\n✅ Выплату можно заказать сейчас."
    ),
    "balance.payout_missing": Text(
        en="\n⏳ {missing} USD more until a payout is possible.",
        ru="\n⏳ До выплаты не хватает {missing} USD.",
    ),
    "payout.status.pending": Text(en="⏳ pending", ru="⏳ в ожидании"),
    "payout.status.paid": Text(en="✅ paid", ru="✅ выплачено"),
    "payout.status.canceled": Text(en="✖ canceled", ru="✖ отменено"),
    "payout.status.canceled_by_user": Text(en="↩ canceled by you", ru="↩ отменено вами"),
    "payouts.title": Text(en="<b>Payout requests</b>", ru="<b>Заявки на выплату</b>"),
    "payouts.item": Text(
        en="<b>#{id}</b> · {date} UTC\n{amount} {currency} · {method}\nto {account} · {status}",
        ru="<b>#{id}</b> · {date} UTC\n{amount} {currency} · {method}\nна {account} · {status}",
    ),
    "exchanges.title": Text(
        en="<b>Referred exchanges</b> ({period})", ru="<b>Обмены рефералов</b> ({period})"
    ),
    "exchanges.item": Text(
        en=(
            "<b>#{id}</b> · {date} UTC\n{give} {give_cur} → {get} {get_cur}\n"
            "{completed} · {accrued} · reward <b>{reward}</b>"
        ),
        ru=(
            "<b>#{id}</b> · {date} UTC\n{give} {give_cur} → {get} {get_cur}\n"
            "{completed} · {accrued} · вознаграждение <b>{reward}</b>"
        ),
    ),
    "exchanges.completed": Text(en="completed", ru="выполнен"),
    "exchanges.not_completed": Text(en="not completed", ru="не выполнен"),
    "exchanges.accrued": Text(en="accrued", ru="начислено"),
    "exchanges.not_accrued": Text(en="not accrued", ru="не начислено"),
    "exchanges.bad_period": Text(
        en="Period: <code>today</code>, <code>7d</code> or <code>30d</code>, e.g. /exchanges 7d",
        ru=(
            "Период: <code>today</code>, <code>7d</code> или <code>30d</code>, "
            "например /exchanges 7d"
        ),
    ),
    "period.all": Text(en="all time", ru="за всё время"),
    "period.today": Text(en="today", ru="сегодня"),
    "period.7d": Text(en="7 days", ru="7 дней"),
    "period.30d": Text(en="30 days", ru="30 дней"),
    "clicks.counts": Text(
        en="<b>Clicks</b>\nToday (UTC): {today}\n7 days: {week}\n30 days: {month}",
        ru="<b>Переходы</b>\nСегодня (UTC): {today}\n7 дней: {week}\n30 дней: {month}",
    ),
    "clicks.latest_title": Text(en="\n<b>Latest</b>", ru="\n<b>Последние</b>"),
    "clicks.item": Text(en="• {date} — {referrer}", ru="• {date} — {referrer}"),
    "clicks.direct": Text(en="<i>direct</i>", ru="<i>прямой переход</i>"),
}
