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
        en=(
            "Period: <code>today</code>, <code>7d</code> or <code>30d</code>, e.g. /exchanges 30d "
            "(without one: the last 7 days; ⏪ under the list goes further back)"
        ),
        ru=(
            "Период: <code>today</code>, <code>7d</code> или <code>30d</code>, "
            "например /exchanges 30d (без него — последние 7 дней; ⏪ под списком — раньше)"
        ),
    ),
    "payouts.title_period": Text(
        en="<b>Payout requests</b> ({period})", ru="<b>Заявки на выплату</b> ({period})"
    ),
    "period.range": Text(en="{start} – {end} UTC", ru="{start} – {end} UTC"),
    "period.today": Text(en="today", ru="сегодня"),
    "period.7d": Text(en="7 days", ru="7 дней"),
    "period.30d": Text(en="30 days", ru="30 дней"),
    "clicks.counts_window": Text(
        en="<b>Clicks</b> ({period}): {total}", ru="<b>Переходы</b> ({period}): {total}"
    ),
    "clicks.today": Text(en="Today (UTC): {today}", ru="Сегодня (UTC): {today}"),
    "view.empty_window": Text(
        en="Nothing in this period. ⏪ shows the one before.",
        ru="За этот период ничего нет. ⏪ — предыдущий период.",
    ),
    "view.all_header": Text(en="📚 <b>All accounts</b>", ru="📚 <b>Все аккаунты</b>"),
    "accounts.all_button": Text(en="📚 All accounts", ru="📚 Все аккаунты"),
    "accounts.pick_again": Text(en="🔁 Another account", ru="🔁 Другой аккаунт"),
    "overview.title": Text(
        en="💼 <b>Your accounts</b> ({count})", ru="💼 <b>Ваши аккаунты</b> ({count})"
    ),
    "overview.line": Text(
        en="Balance: <b>{balance}</b> USD · minimum {min_payout} · best payout <b>{best}</b>",
        ru="Баланс: <b>{balance}</b> USD · минимум {min_payout} · лучшая выплата <b>{best}</b>",
    ),
    "overview.can_pay": Text(en="✅ a payout is possible", ru="✅ выплату можно заказать"),
    "overview.missing": Text(
        en="⏳ {missing} USD more until a payout", ru="⏳ до выплаты не хватает {missing} USD"
    ),
    "overview.key_rejected": Text(
        en="🔑 The site rejects this key: /link the current one.",
        ru="🔑 Сайт отклоняет этот ключ: привяжите действующий через /link.",
    ),
    "overview.unavailable": Text(
        en="⚠️ The site is not answering right now.", ru="⚠️ Сайт сейчас не отвечает."
    ),
    "overview.total": Text(en="<b>Total:</b> {totals}", ru="<b>Итого:</b> {totals}"),
    "balance.payout_button": Text(en="💸 Request a payout", ru="💸 Заказать выплату"),
    "balance.all_button": Text(en="📚 All accounts", ru="📚 Все аккаунты"),
    "clicks.latest_title": Text(en="\n<b>Latest</b>", ru="\n<b>Последние</b>"),
    "clicks.item": Text(en="• {date} — {referrer}", ru="• {date} — {referrer}"),
    "clicks.direct": Text(en="<i>direct</i>", ru="<i>прямой переход</i>"),
}
