"""Texts shared by every feature: start, help, errors, accounts, language."""

from bot.i18n import Text

TEXTS: dict[str, Text] = {
    "start.text": Text(
        en=(
            "👋 <b>Affiliate assistant</b>\n\n"
            "I show your affiliate balance, payouts, referred exchanges and clicks, and I "
            "message you the moment a reward is accrued or a payout changes status.\n\n"
            "To begin, link your account: <code>/link YOUR_API_KEY</code>\n"
            "The key is in your affiliate dashboard, line “REST API key”:\n{dashboards}\n\n"
            "/help lists every command."
        ),
        ru=(
            "👋 <b>Помощник партнёра</b>\n\n"
            "Я показываю ваш партнёрский баланс, выплаты, обмены рефералов и переходы, и сразу "
            "пишу, когда начислено вознаграждение или меняется статус выплаты.\n\n"
            "Для начала привяжите аккаунт: <code>/link ВАШ_API_КЛЮЧ</code>\n"
            "Ключ — в личном кабинете партнёра, строка «REST API ключ»:\n{dashboards}\n\n"
            "/help — список команд."
        ),
    ),
    "help.text": Text(
        en=(
            "<b>Commands</b>\n"
            "/link <code>KEY</code> — link an affiliate account\n"
            "/unlink — remove a linked account\n"
            "/balance — balance, minimum payout, payout methods (every account at once)\n"
            "/payout — request a payout (with a confirmation)\n"
            "/payouts [today|7d|30d] — your payout requests (default 30 days)\n"
            "/exchanges [today|7d|30d] — referred exchanges (default 7 days)\n"
            "/clicks [today|7d|30d] — clicks on your affiliate links (default 7 days)\n"
            "/settings — which notifications this chat gets\n"
            "/language — English / Русский\n"
            "/cancel — leave the current dialog\n\n"
            "Your API key is in the affiliate dashboard, line “REST API key”:\n{dashboards}\n"
            "If you click “Change REST API key” there, the old key stops working: "
            "link the new one."
        ),
        ru=(
            "<b>Команды</b>\n"
            "/link <code>КЛЮЧ</code> — привязать партнёрский аккаунт\n"
            "/unlink — отвязать аккаунт\n"
            "/balance — баланс, минимальная выплата, способы выплаты (все аккаунты сразу)\n"
            "/payout — заказать выплату (с подтверждением)\n"
            "/payouts [today|7d|30d] — ваши заявки на выплату (по умолчанию 30 дней)\n"
            "/exchanges [today|7d|30d] — обмены рефералов (по умолчанию 7 дней)\n"
            "/clicks [today|7d|30d] — переходы по партнёрским ссылкам (по умолчанию 7 дней)\n"
            "/settings — какие уведомления получает этот чат\n"
            "/language — English / Русский\n"
            "/cancel — выйти из текущего диалога\n\n"
            "API-ключ — в личном кабинете партнёра, строка «REST API ключ»:\n{dashboards}\n"
            "Если нажать там «Сменить REST API ключ», старый ключ перестанет работать: "
            "привяжите новый."
        ),
    ),
    "cancel.done": Text(en="Cancelled.", ru="Отменено."),
    "cancel.nothing": Text(en="There is nothing to cancel.", ru="Нечего отменять."),
    "common.cancel_button": Text(en="✖ Cancel", ru="✖ Отмена"),
    "throttle.slow_down": Text(
        en=(
            "🐢 Too many requests at once: I answered what I could. "
            "Please send the next one in {seconds} s."
        ),
        ru=(
            "🐢 Слишком много запросов подряд: я ответил, на что смог. "
            "Следующий отправьте через {seconds} с."
        ),
    ),
    "accounts.none": Text(
        en="No account is linked yet. Send <code>/link YOUR_API_KEY</code> first.",
        ru="Аккаунт ещё не привязан. Сначала отправьте <code>/link ВАШ_API_КЛЮЧ</code>.",
    ),
    "accounts.pick": Text(en="Which account?", ru="Какой аккаунт?"),
    "accounts.gone": Text(
        en="This account is no longer linked here.", ru="Этот аккаунт здесь больше не привязан."
    ),
    "view.account_header": Text(en="🏦 <b>{account}</b>", ru="🏦 <b>{account}</b>"),
    "language.choose": Text(en="Choose the language:", ru="Выберите язык:"),
    "language.set": Text(en="Language: English.", ru="Язык: русский."),
    "error.key_rejected": Text(
        en=(
            "The site rejected your API key: it may have been changed in the affiliate "
            "dashboard, or API access was turned off. Link the current key with /link."
        ),
        ru=(
            "Сайт отклонил ваш API-ключ: возможно, его сменили в личном кабинете партнёра или "
            "отключили доступ к API. Привяжите действующий ключ командой /link."
        ),
    ),
    "error.method_not_supported": Text(
        en="The site does not allow this request for your account (“Method not supported”).",
        ru="Сайт не разрешает этот запрос для вашего аккаунта («Method not supported»).",
    ),
    "error.refused": Text(en="The site refused: {detail}", ru="Сайт отказал: {detail}"),
    "error.unavailable": Text(
        en="The exchanger is not answering right now. Please try again in a minute.",
        ru="Обменник сейчас не отвечает. Попробуйте через минуту.",
    ),
    "error.malformed": Text(
        en="The exchanger sent an answer I could not read. Please try again later.",
        ru="Обменник прислал ответ, который не удалось разобрать. Попробуйте позже.",
    ),
    "error.internal": Text(
        en="Something went wrong on my side. Please try again.",
        ru="Что-то пошло не так с моей стороны. Попробуйте ещё раз.",
    ),
    "fallback.hint": Text(
        en="I did not understand that. /help lists what I can do.",
        ru="Не понял. /help — что я умею.",
    ),
    "fallback.stale_button": Text(
        en="This button is no longer active.", ru="Эта кнопка больше не действует."
    ),
}
