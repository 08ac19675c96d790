## Texts of /payout: picking a method, the wallet, the confirmation and its outcome.

payreq-pick_account = Выплата по какому аккаунту?

payreq-menu =
    { $header }
    Баланс: <b>{ $balance }</b> USD. Выплачивается весь баланс.
    Выберите способ выплаты:

payreq-method_button = { $title } — вы получите { $amount } (комиссия { $commission })

payreq-below_minimum =
    { $header }
    Баланс: { $balance } USD. ⏳ До выплаты не хватает { $missing } USD.

payreq-no_methods = Сейчас сайт не предлагает способов выплаты для этого баланса.

payreq-method_gone = Сайт больше не предлагает этот способ выплаты. Ничего не запрошено: /payout

payreq-not_owner = Запросить выплату может только тот, кто привязал этот аккаунт.

payreq-ask_wallet = Пришлите номер счёта или кошелька для <b>{ $method }</b>. /cancel — отмена.

payreq-last_wallet_button = ↩ Использовать { $wallet }

payreq-wallet-empty = Пришлите номер счёта или кошелька текстом.

payreq-wallet-too_short = Слишком коротко для номера счёта (минимум 3 символа). Пришлите ещё раз.

payreq-wallet-too_long = Слишком длинно для номера счёта (максимум 128 символов). Пришлите ещё раз.

payreq-wallet-spaces = В номере счёта не бывает пробелов и переносов строк. Пришлите ещё раз.

payreq-wallet-control = В номере есть невидимые или управляющие символы. Введите или вставьте его заново.

payreq-confirm =
    <b>Проверьте заявку на выплату</b>
    { $header }
    Способ: { $method }
    Куда: <code>{ $wallet }</code>
    Вы получите: <b>{ $amount }</b>
    Комиссия: { $commission }

    Запрашивается весь баланс. Подтверждение действует { $minutes } мин.

payreq-confirm_button = ✅ Подтвердить

payreq-check_button = 🔄 Проверить ещё раз

payreq-sending = ⏳ Отправляю заявку на выплату…

payreq-requested =
    ✅ Заявка на выплату <b>#{ $id }</b> создана: { $amount }, { $method }, на { $wallet }.
    Изменения её статуса придут сюда.
    .plain =
        ✅ Заявка на выплату #{ $id } создана: { $amount }, { $method }, на { $wallet }.
        Изменения её статуса придут сюда.

payreq-reconciled_note = (Ответ сайта потерялся; я нашёл заявку в списке выплат.)

payreq-refused = ❌ Сайт отклонил выплату: { $detail }

payreq-now_below_minimum = ❌ Баланс теперь ниже минимума: не хватает { $missing } USD. Ничего не запрошено.

payreq-unavailable = ❌ Обменник недоступен, поэтому ничего не запрошено. Попробуйте /payout через минуту.

payreq-not_created = ❌ Сайт не дал ясного ответа, и я проверял его список выплат { $hours } ч: заявка так и не появилась, значит, она не создана. Можно попробовать /payout ещё раз.


payreq-expired = ⌛ Подтверждение истекло. Ничего не запрошено: /payout

payreq-cancelled = Заявка на выплату отменена. Ничего не запрошено.

payreq-in_progress = Заявка уже отправляется, подождите.

payreq-not_yours = Нажимать кнопки этой заявки может только тот, кто её начал.

payreq-not_active = Эта кнопка не для вас или больше не действует.

payreq-checking = ⏳ Сайт пока не ответил; я проверяю, создана ли выплата, — не запрашивайте ещё одну. Напишу сюда, как только узнаю.

payreq-busy = ⏳ Другая заявка на выплату по этому ключу ещё { $state }: заявка { $request } от { $started } UTC ({ $amount }, { $method }). Сейчас ничего не отправлено; дождитесь её итога.

payreq-busy-submitting = отправляется

payreq-busy-checking = проверяется на сайте

payreq-changed = ⚠️ Суммы изменились с момента подтверждения: теперь вы получите <b>{ $amount }</b> вместо { $old }. Ничего не отправлено. Проверьте новые цифры:

payreq-bad_wallet = ❌ Сохранённый номер кошелька не читается, поэтому ничего не отправлено. Начните заново: /payout.

payreq-not_sent = ❌ Бот остановился до отправки заявки, поэтому ничего не запрошено. Можно попробовать /payout ещё раз.

payreq-reply_wallet = { $user }, ответьте на это сообщение номером счёта или кошелька для <b>{ $method }</b>.

payreq-wallet_placeholder = Номер счёта или кошелька
