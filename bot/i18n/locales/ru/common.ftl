## Texts shared by every feature: start, help, errors, accounts, language.

start-text =
    👋 <b>Помощник партнёра</b>

    Я показываю ваш партнёрский баланс, выплаты, обмены рефералов и переходы, и сразу пишу, когда начислено вознаграждение или меняется статус выплаты.

    Для начала привяжите аккаунт: <code>/link ВАШ_API_КЛЮЧ</code>
    Ключ — в личном кабинете партнёра, строка «REST API ключ»:
    { $dashboards }

    /help — список команд.

help-text =
    <b>Команды</b>
    /link <code>КЛЮЧ</code> — привязать партнёрский аккаунт
    /unlink — отвязать аккаунт
    /balance — баланс, минимальная выплата, способы выплаты
    /payout — заказать выплату (с подтверждением)
    /payouts — ваши заявки на выплату
    /exchanges [today|7d|30d] — обмены рефералов
    /clicks — переходы по партнёрским ссылкам
    /settings — какие уведомления получает этот чат
    /language — English / Русский
    /cancel — выйти из текущего диалога

    API-ключ — в личном кабинете партнёра, строка «REST API ключ»:
    { $dashboards }
    Если нажать там «Сменить REST API ключ», старый ключ перестанет работать: привяжите новый.

cancel-done = Отменено.

cancel-nothing = Нечего отменять.

common-cancel_button = ✖ Отмена

throttle-wait = Подождите { $seconds } с до следующего запроса.

accounts-none = Аккаунт ещё не привязан. Сначала отправьте <code>/link ВАШ_API_КЛЮЧ</code>.

accounts-pick = Какой аккаунт?

accounts-gone = Этот аккаунт здесь больше не привязан.

view-account_header = 🏦 <b>{ $account }</b>

view-empty = Пока ничего нет.

language-name = Русский

language-choose = Выберите язык:

language-set = Язык: русский.

error-key_rejected = Сайт отклонил ваш API-ключ: возможно, его сменили в личном кабинете партнёра или отключили доступ к API. Привяжите действующий ключ командой /link.

error-method_not_supported = Сайт не разрешает этот запрос для вашего аккаунта («Method not supported»).

error-refused = Сайт отказал: { $detail }

error-unavailable = Обменник сейчас не отвечает. Попробуйте через минуту.

error-malformed = Обменник прислал ответ, который не удалось разобрать. Попробуйте позже.

error-internal = Что-то пошло не так с моей стороны. Попробуйте ещё раз.

fallback-hint = Не понял. /help — что я умею.

fallback-stale_button = Эта кнопка больше не действует.
