"""Texts of the operator's /admin view."""

from bot.i18n import Text

TEXTS: dict[str, Text] = {
    "admin.title": Text(en="🛠 <b>Operator view</b>", ru="🛠 <b>Панель оператора</b>"),
    "admin.chats": Text(
        en="Chats: <b>{total}</b> ({active} active, {inactive} inactive)",
        ru="Чаты: <b>{total}</b> (активных {active}, неактивных {inactive})",
    ),
    "admin.accounts": Text(
        en="Accounts: <b>{total}</b> ({paused} paused)",
        ru="Аккаунты: <b>{total}</b> (на паузе {paused})",
    ),
    "admin.sites_title": Text(en="\n<b>Polling per site</b>", ru="\n<b>Опрос по сайтам</b>"),
    "admin.site": Text(
        en=(
            "• {site} — <b>{state}</b>\n"
            "  accounts {accounts} ({paused} paused), failing {failing}/{active} ({rate})\n"
            "  last success: {last_success} · circuit: {circuit}"
        ),
        ru=(
            "• {site} — <b>{state}</b>\n"
            "  аккаунтов {accounts} (на паузе {paused}), с ошибкой {failing}/{active} ({rate})\n"
            "  последний успех: {last_success} · автомат: {circuit}"
        ),
    ),
    "admin.site_error": Text(en="  last error: {error}", ru="  последняя ошибка: {error}"),
    "admin.more_sites": Text(en="… and {count} more sites", ru="… и ещё сайтов: {count}"),
    "admin.outbox": Text(
        en="\n<b>Outbox</b>: {pending} pending (oldest {oldest}), {dropped} dropped",
        ru="\n<b>Очередь уведомлений</b>: ждут {pending} (старейшее {oldest}), отброшено {dropped}",
    ),
    "admin.payouts_title": Text(
        en="\n<b>Payout requests being sent or checked</b>: {count}",
        ru="\n<b>Заявки на выплату в отправке или на проверке</b>: {count}",
    ),
    "admin.payout": Text(
        en="#{id} · {site} · chat {chat} · {state} for {age} · {checks} check(s)",
        ru="#{id} · {site} · чат {chat} · {state} уже {age} · проверок: {checks}",
    ),
    "admin.payout_state.submitting": Text(en="sending", ru="отправляется"),
    "admin.payout_state.checking": Text(en="being checked", ru="проверяется"),
    "admin.state.ok": Text(en="ok", ru="в порядке"),
    "admin.state.degraded": Text(en="degraded", ru="частично с ошибками"),
    "admin.state.down": Text(en="down", ru="не отвечает"),
    "admin.state.idle": Text(en="idle", ru="нет активных аккаунтов"),
    "admin.none": Text(en="—", ru="—"),
    "admin.never": Text(en="never", ru="ни разу"),
    "admin.ago": Text(en="{age} ago", ru="{age} назад"),
    "admin.age.s": Text(en="{n} s", ru="{n} с"),
    "admin.age.min": Text(en="{n} min", ru="{n} мин"),
    "admin.age.h": Text(en="{n} h", ru="{n} ч"),
    "admin.age.d": Text(en="{n} d", ru="{n} д"),
}
