## Texts of push notifications and /settings.

notify-accrued =
    💰 <b>Начислено вознаграждение: { $reward } USD</b>
    { $account }
    Обмен #{ $exchange_id }: { $give } { $give_cur } → { $get } { $get_cur }

notify-new_exchange =
    🔄 <b>Новый обмен реферала</b>
    { $account }
    Обмен #{ $exchange_id }: { $give } { $give_cur } → { $get } { $get_cur }
    Ещё не выполнен: я сообщу, когда начислят вознаграждение.

notify-payout_status =
    💸 <b>Выплата #{ $payout_id }: { $status }</b>
    { $account }
    { $amount } { $currency } · { $method }

notify-payout_available =
    ✅ <b>Можно заказать выплату</b>
    { $account }
    Баланс { $balance } USD достиг минимальной выплаты { $min_payout } USD.

notify-payout_button = 💸 Заказать выплату

notify-key_rejected =
    🔑 <b>Сайт отклонил ваш API-ключ</b>
    { $account }
    Возможно, его сменили в личном кабинете партнёра или отключили доступ к API. Я приостановил этот аккаунт (время от времени я пробую ключ снова): привяжите действующий ключ командой /link.

settings-text =
    🔔 <b>Уведомления в этом чате</b>
    Нажмите на вид, чтобы включить или выключить его. О прошлом привязанного аккаунта я не сообщаю.
    Настройки текстом: <code>/settings sources utm_source, sub_id</code> (параметры ссылки, которые называют источник трафика), <code>/settings timezone Europe/Moscow</code> (графики, выгрузки, тихие часы), <code>/settings quiet 23-8</code> (уведомления придерживаются, потом одна сводка), <code>/settings digest daily 9</code> (ежедневная или еженедельная сводка), <code>/settings anomaly on</code> (оповещения, если клики идут без обменов или главный источник замолчал).

settings-on = ✅ { $name }

settings-off = 🔕 { $name }

settings-saved_on = Включено: { $name }

settings-saved_off = Выключено: { $name }

settings-kind-accrued = Начислено вознаграждение

settings-kind-payout_status = Статус выплаты

settings-kind-new_exchange = Новый обмен реферала

settings-kind-payout_available = Можно заказать выплату

notify-key_works =
    ✅ <b>API-ключ снова работает</b>
    { $account }
    Сайт снова принимает его: я проверяю этот аккаунт и присылаю уведомления, как раньше.

notify-payout_overdue =
    ⏰ <b>Выплата #{ $payout_id } всё ещё в ожидании</b>
    { $account }
    Запрошена { $date } UTC. Если она идёт намного дольше обычного (/payouts показывает, сколько обычно платит сайт), напишите в поддержку сайта.

notify-burst_title = 🔔 <b>Сразу { $count } { $count ->
        [one] уведомление
        [few] уведомления
       *[many] уведомлений
    }</b>

notify-burst_accrued_total = 💰 Начислено { $count ->
        [one] { $count } вознаграждение
        [few] { $count } вознаграждения
       *[many] { $count } вознаграждений
    }: <b>+{ $total } USD</b>

notify-burst_accrued = • 💰 +{ $reward } USD · обмен #{ $exchange_id } · { $account }

notify-burst_new = • 🔄 новый обмен #{ $exchange_id } · { $account }

notify-burst_payout = • 💸 выплата #{ $payout_id }: { $status } · { $account }

notify-burst_overdue = • ⏰ выплата #{ $payout_id } всё ещё в ожидании · { $account }

notify-burst_more = …и ещё { $count }

notify-digest_title = 📰 <b>Ваш день</b> (последние 24 часа)

notify-digest_title_weekly = 📰 <b>Ваша неделя</b> (последние 7 дней)

notify-digest_counts = Клики: <b>{ $clicks }</b> · обмены: <b>{ $exchanges }</b> (завершено { $completed })

notify-digest_accrued = Начислено вознаграждений: <b>{ $amount }</b> USD ({ $count })

notify-digest_balance = Баланс: <b>{ $balance }</b> USD{ $change }

notify-digest_best = Лучший источник: <b>{ $source }</b> ({ $earnings } USD)

notify-digest_unread = ⚠️ Не прочитано аккаунтов: { $count } (сайт не ответил).

notify-anomaly_no_exchanges =
    ⚠️ <b>Клики есть, обменов нет</b>
    { $account }
    За последние 3 дня { $clicks } { $clicks ->
        [one] клик
        [few] клика
       *[many] кликов
    } и ни одного обмена, хотя по вашей обычной конверсии ожидалось около { $expected }. Проверьте, работают ли ваша ссылка и форма обмена на сайте.

notify-anomaly_source =
    ⚠️ <b>Главный источник замолчал</b>
    { $account }
    <b>{ $source }</b>, откуда за последние недели шло больше всего кликов, за последние 3 дня не прислал ни одного.
