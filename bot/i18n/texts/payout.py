"""Texts of /payout: picking a method, the wallet, the confirmation and its outcome."""

from bot.i18n import Text

TEXTS: dict[str, Text] = {
    "payreq.pick_account": Text(
        en="Request a payout for which account?", ru="Выплата по какому аккаунту?"
    ),
    "payreq.menu": Text(
        en=(
            "{header}\nBalance: <b>{balance}</b> USD. The whole balance is paid out.\n"
            "Choose the payout method:"
        ),
        ru=(
            "{header}\nБаланс: <b>{balance}</b> USD. Выплачивается весь баланс.\n"
            "Выберите способ выплаты:"
        ),
    ),
    "payreq.method_button": Text(
        en="{title} — you receive {amount} ({commission} commission)",
        ru="{title} — вы получите {amount} (комиссия {commission})",
    ),
    "payreq.below_minimum": Text(
        en="{header}\nBalance: {balance} USD. ⏳ {missing} USD more is needed for a payout.",
        ru="{header}\nБаланс: {balance} USD. ⏳ До выплаты не хватает {missing} USD.",
    ),
    "payreq.no_methods": Text(
        en="The site offers no payout method for this balance right now.",
        ru="Сейчас сайт не предлагает способов выплаты для этого баланса.",
    ),
    "payreq.method_gone": Text(
        en="The site no longer offers this payout method. Nothing was requested: /payout",
        ru="Сайт больше не предлагает этот способ выплаты. Ничего не запрошено: /payout",
    ),
    "payreq.not_owner": Text(
        en="Only the person who linked this account can request its payout.",
        ru="Запросить выплату может только тот, кто привязал этот аккаунт.",
    ),
    "payreq.ask_wallet": Text(
        en="Send the account or wallet number for <b>{method}</b>. /cancel to stop.",
        ru="Пришлите номер счёта или кошелька для <b>{method}</b>. /cancel — отмена.",
    ),
    "payreq.reply_wallet": Text(
        en="{user}, reply to this message with the account or wallet number for <b>{method}</b>.",
        ru="{user}, ответьте на это сообщение номером счёта или кошелька для <b>{method}</b>.",
    ),
    "payreq.wallet_placeholder": Text(en="Account or wallet number", ru="Номер счёта или кошелька"),
    "payreq.last_wallet_button": Text(en="↩ Use {wallet}", ru="↩ Использовать {wallet}"),
    "payreq.wallet.empty": Text(
        en="Send the account or wallet number as text.",
        ru="Пришлите номер счёта или кошелька текстом.",
    ),
    "payreq.wallet.too_short": Text(
        en="That is too short for an account number (at least 3 characters). Send it again.",
        ru="Слишком коротко для номера счёта (минимум 3 символа). Пришлите ещё раз.",
    ),
    "payreq.wallet.too_long": Text(
        en="That is too long for an account number (at most 128 characters). Send it again.",
        ru="Слишком длинно для номера счёта (максимум 128 символов). Пришлите ещё раз.",
    ),
    "payreq.wallet.spaces": Text(
        en="An account number has no spaces or line breaks inside. Send it again.",
        ru="В номере счёта не бывает пробелов и переносов строк. Пришлите ещё раз.",
    ),
    "payreq.wallet.control": Text(
        en="The number contains invisible or control characters. Type or paste it again.",
        ru="В номере есть невидимые или управляющие символы. Введите или вставьте его заново.",
    ),
    "payreq.confirm": Text(
        en=(
            "<b>Check the payout request</b>\n{header}\nMethod: {method}\n"
            "To: <code>{wallet}</code>\nYou receive: <b>{amount}</b>\n"
            "Commission: {commission}\n\nThe whole balance is requested. "
            "This confirmation is valid for {minutes} min."
        ),
        ru=(
            "<b>Проверьте заявку на выплату</b>\n{header}\nСпособ: {method}\n"
            "Куда: <code>{wallet}</code>\nВы получите: <b>{amount}</b>\n"
            "Комиссия: {commission}\n\nЗапрашивается весь баланс. "
            "Подтверждение действует {minutes} мин."
        ),
    ),
    "payreq.confirm_button": Text(en="✅ Confirm", ru="✅ Подтвердить"),
    "payreq.check_button": Text(en="🔄 Check again", ru="🔄 Проверить ещё раз"),
    "payreq.sending": Text(
        en="⏳ Sending the payout request to the site…", ru="⏳ Отправляю заявку на выплату…"
    ),
    "payreq.requested": Text(
        en=(
            "✅ Payout <b>#{id}</b> requested: {amount} via {method} to {wallet}.\n"
            "Its status changes will arrive here."
        ),
        ru=(
            "✅ Заявка на выплату <b>#{id}</b> создана: {amount}, {method}, на {wallet}.\n"
            "Изменения её статуса придут сюда."
        ),
    ),
    "payreq.reconciled_note": Text(
        en="(The site's answer was lost; I found the request in its payout list.)",
        ru="(Ответ сайта потерялся; я нашёл заявку в списке выплат.)",
    ),
    "payreq.refused": Text(
        en="❌ The site refused the payout: {detail}", ru="❌ Сайт отклонил выплату: {detail}"
    ),
    "payreq.now_below_minimum": Text(
        en="❌ The balance is now below the minimum: {missing} USD more is needed. Nothing was "
        "requested.",
        ru="❌ Баланс теперь ниже минимума: не хватает {missing} USD. Ничего не запрошено.",
    ),
    "payreq.unavailable": Text(
        en="❌ The exchanger could not be reached, so nothing was requested. Try /payout again "
        "in a minute.",
        ru="❌ Обменник недоступен, поэтому ничего не запрошено. Попробуйте /payout через минуту.",
    ),
    "payreq.not_created": Text(
        en="❌ The site did not answer, and no such request appeared in its payout list: "
        "nothing was created. You can try /payout again.",
        ru="❌ Сайт не ответил, и такой заявки нет в его списке выплат: ничего не создано. "
        "Можно попробовать /payout ещё раз.",
    ),
    "payreq.unknown": Text(
        en="⚠️ The site did not answer and its payout list could not be read, so I do not know "
        "yet whether the request was created. Do not request again: check /payouts in a few "
        "minutes or press “Check again”.",
        ru="⚠️ Сайт не ответил, а список выплат прочитать не удалось, поэтому пока неизвестно, "
        "создана ли заявка. Не запрашивайте повторно: проверьте /payouts через несколько минут "
        "или нажмите «Проверить ещё раз».",
    ),
    "payreq.expired": Text(
        en="⌛ This confirmation expired. Nothing was requested: /payout",
        ru="⌛ Подтверждение истекло. Ничего не запрошено: /payout",
    ),
    "payreq.cancelled": Text(
        en="Payout request cancelled. Nothing was requested.",
        ru="Заявка на выплату отменена. Ничего не запрошено.",
    ),
    "payreq.in_progress": Text(
        en="The request is being sent, please wait.", ru="Заявка уже отправляется, подождите."
    ),
    "payreq.not_yours": Text(
        en="Only the person who started this payout request can press its buttons.",
        ru="Нажимать кнопки этой заявки может только тот, кто её начал.",
    ),
    "payreq.not_active": Text(
        en="This button is not for you, or it is no longer active.",
        ru="Эта кнопка не для вас или больше не действует.",
    ),
}
