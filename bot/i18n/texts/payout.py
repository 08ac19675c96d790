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
        en="❌ The site did not answer clearly, and I checked its payout list for {hours} h: "
        "the request never appeared, so it was not created. You can try /payout again.",
        ru="❌ Сайт не дал ясного ответа, и я проверял его список выплат {hours} ч: заявка так "
        "и не появилась, значит, она не создана. Можно попробовать /payout ещё раз.",
    ),
    "payreq.checking": Text(
        en="⏳ The site has not answered yet; I'm checking whether the payout was created — "
        "don't request another one. I will write here as soon as I know.",
        ru="⏳ Сайт пока не ответил; я проверяю, создана ли выплата, — не запрашивайте ещё "
        "одну. Напишу сюда, как только узнаю.",
    ),
    "payreq.busy": Text(
        en="⏳ Another payout request for this key is still {state}: request {request} of "
        "{started} UTC ({amount} via {method}). Nothing was sent now; wait for its result.",
        ru="⏳ Другая заявка на выплату по этому ключу ещё {state}: заявка {request} от "
        "{started} UTC ({amount}, {method}). Сейчас ничего не отправлено; дождитесь её итога.",
    ),
    "payreq.busy.submitting": Text(en="being sent", ru="отправляется"),
    "payreq.busy.checking": Text(
        en="being checked on the site", ru="проверяется на сайте"
    ),
    "payreq.changed": Text(
        en="⚠️ The amounts changed since the confirmation: you would now receive <b>{amount}</b> "
        "instead of {old}. Nothing was sent. Check the new figures:",
        ru="⚠️ Суммы изменились с момента подтверждения: теперь вы получите <b>{amount}</b> "
        "вместо {old}. Ничего не отправлено. Проверьте новые цифры:",
    ),
    "payreq.bad_wallet": Text(
        en="❌ The stored wallet number cannot be read, so nothing was sent. Start again with "
        "/payout.",
        ru="❌ Сохранённый номер кошелька не читается, поэтому ничего не отправлено. Начните "
        "заново: /payout.",
    ),
    "payreq.not_sent": Text(
        en="❌ The bot stopped before the request left, so nothing was requested. You can try "
        "/payout again.",
        ru="❌ Бот остановился до отправки заявки, поэтому ничего не запрошено. Можно "
        "попробовать /payout ещё раз.",
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
