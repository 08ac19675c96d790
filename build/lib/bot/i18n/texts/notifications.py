"""Texts of push notifications and /settings."""

from bot.i18n import Text

TEXTS: dict[str, Text] = {
    "notify.accrued": Text(
        en=(
            "💰 <b>Reward accrued: {reward} USD</b>\n{account}\n"
            "Exchange #{exchange_id}: {give} {give_cur} → {get} {get_cur}"
        ),
        ru=(
            "💰 <b>Начислено вознаграждение: {reward} USD</b>\n{account}\n"
            "Обмен #{exchange_id}: {give} {give_cur} → {get} {get_cur}"
        ),
    ),
    "notify.new_exchange": Text(
        en=(
            "🔄 <b>New referred exchange</b>\n{account}\n"
            "Exchange #{exchange_id}: {give} {give_cur} → {get} {get_cur}\n"
            "Not completed yet: I will tell you when the reward is accrued."
        ),
        ru=(
            "🔄 <b>Новый обмен реферала</b>\n{account}\n"
            "Обмен #{exchange_id}: {give} {give_cur} → {get} {get_cur}\n"
            "Ещё не выполнен: я сообщу, когда начислят вознаграждение."
        ),
    ),
    "notify.payout_status": Text(
        en="💸 <b>Payout #{payout_id}: {status}</b>\n{account}\n{amount} {currency} · {method}",
        ru="💸 <b>Выплата #{payout_id}: {status}</b>\n{account}\n{amount} {currency} · {method}",
    ),
    "notify.payout_available": Text(
        en=(
            "✅ <b>A payout is available</b>\n{account}\n"
            "Your balance of {balance} USD reached the minimum payout of {min_payout} USD."
        ),
        ru=(
            "✅ <b>Можно заказать выплату</b>\n{account}\n"
            "Баланс {balance} USD достиг минимальной выплаты {min_payout} USD."
        ),
    ),
    "notify.payout_button": Text(en="💸 Request a payout", ru="💸 Заказать выплату"),
    "notify.key_rejected": Text(
        en=(
            "🔑 <b>The site rejected your API key</b>\n{account}\n"
            "It may have been changed in the affiliate dashboard, or API access was turned "
            "off. I stopped checking this account: link the current key with /link."
        ),
        ru=(
            "🔑 <b>Сайт отклонил ваш API-ключ</b>\n{account}\n"
            "Возможно, его сменили в личном кабинете партнёра или отключили доступ к API. "
            "Я больше не проверяю этот аккаунт: привяжите действующий ключ командой /link."
        ),
    ),
    "settings.text": Text(
        en=(
            "🔔 <b>Notifications in this chat</b>\n"
            "Tap a kind to turn it on or off. Linking an account never announces its past."
        ),
        ru=(
            "🔔 <b>Уведомления в этом чате</b>\n"
            "Нажмите на вид, чтобы включить или выключить его. О прошлом привязанного "
            "аккаунта я не сообщаю."
        ),
    ),
    "settings.on": Text(en="✅ {name}", ru="✅ {name}"),
    "settings.off": Text(en="🔕 {name}", ru="🔕 {name}"),
    "settings.saved_on": Text(en="On: {name}", ru="Включено: {name}"),
    "settings.saved_off": Text(en="Off: {name}", ru="Выключено: {name}"),
    "settings.kind.accrued": Text(en="Reward accrued", ru="Начислено вознаграждение"),
    "settings.kind.payout_status": Text(en="Payout status", ru="Статус выплаты"),
    "settings.kind.new_exchange": Text(en="New referred exchange", ru="Новый обмен реферала"),
    "settings.kind.payout_available": Text(en="Payout available", ru="Можно заказать выплату"),
}
