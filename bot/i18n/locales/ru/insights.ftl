## Тексты /sources, /stats, /export и их настроек.

insights-unread = ⚠️ Не прочитано (сайт не ответил): { $accounts }

sources-title = 📊 <b>Заработок по источникам трафика</b> ({ $period })

sources-total = Итого: { $clicks } { $clicks ->
        [one] клик
        [few] клика
       *[many] кликов
    } · завершено { $completed } · <b>{ $earnings }</b> USD · EPC { $epc }

sources-row =
    { $number }. <b>{ $source }</b>
    { $clicks } { $clicks ->
        [one] клик
        [few] клика
       *[many] кликов
    } · { $exchanges } { $exchanges ->
        [one] обмен
        [few] обмена
       *[many] обменов
    } · завершено { $completed } · конверсия { $conversion }
    заработано <b>{ $earnings }</b> USD · EPC { $epc }

sources-empty = За этот период нет ни кликов, ни обменов.

sources-direct = прямые заходы

sources-unknown = источник неизвестен

sources-other = остальные

sources-bad_period = Период: <code>today</code>, <code>7d</code> или <code>30d</code>, например /sources 30d (без него — последние 7 дней)

insettings-sources =
    Параметры источника: <code>{ $params }</code>
    Источник клика — первый из этих параметров ссылки, который в ней есть, иначе сайт-реферер, иначе «прямые заходы».

insettings-sources_saved = ✅ Параметры источника: <code>{ $params }</code>

insettings-sources_bad = Пришлите имена параметров через запятую, например <code>/settings sources utm_source, sub_id</code> (не больше 10), или <code>/settings sources default</code>.

insettings-timezone = Часовой пояс графиков и выгрузок: <code>{ $timezone }</code>

insettings-timezone_saved = ✅ Часовой пояс: <code>{ $timezone }</code>

insettings-timezone_bad = Неизвестный часовой пояс. Пришлите название, например <code>/settings timezone Europe/Moscow</code> или <code>/settings timezone UTC</code>.

insettings-unknown = Настройки, которые можно прислать текстом: <code>/settings sources utm_source, sub_id</code> и <code>/settings timezone Europe/Moscow</code>, <code>/settings quiet 23-8</code>, <code>/settings digest daily 9</code>, <code>/settings anomaly on</code>.

stats-caption =
    📈 <b>Последние { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    }</b> в сравнении с предыдущими
    Клики: <b>{ $clicks }</b>{ $clicks_change }
    Завершённые обмены: <b>{ $completed }</b>{ $completed_change }
    Вознаграждения: <b>{ $rewards }</b> USD{ $rewards_change }

stats-chart_title = Последние { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    } ({ $timezone })

stats-chart_clicks = Клики

stats-chart_completed = Завершённые обмены

stats-chart_rewards = Вознаграждения, USD

stats-chart_counts = Клики и обмены

stats-bad_period = Период: <code>7d</code>, <code>30d</code> или <code>90d</code>, например /stats 90d (без него — последние 30 дней)

export-summary = 📄 <b>Выгрузка</b> ({ $period }): обменов { $exchanges }, выплат { $payouts }, кликов { $clicks } в { $files ->
        [one] { $files } файле CSV
       *[other] { $files } файлах CSV
    } (UTF-8, даты в { $timezone }).

export-bad_period = Период: <code>today</code>, <code>7d</code> или <code>30d</code>, например /export 7d (без него — последние 30 дней)

insettings-quiet_saved = 🌙 Тихие часы: { $start }:00 – { $end }:00 ({ $timezone }). Уведомления за это время придержу и пришлю одной сводкой, когда они закончатся.

insettings-quiet_off = 🔔 Тихие часы выключены.

insettings-quiet_bad = Пришлите два часа от 0 до 23, например <code>/settings quiet 23-8</code> (в часовом поясе чата), или <code>/settings quiet off</code>.

insettings-digest_daily = 📰 Сводка каждый день в { $hour }:00 (часовой пояс чата): клики, обмены, начисленные вознаграждения, изменение баланса, лучший источник.

insettings-digest_weekly = 📰 Сводка каждый понедельник в { $hour }:00 (часовой пояс чата): клики, обмены, начисленные вознаграждения, изменение баланса, лучший источник за неделю.

insettings-digest_off = Сводка выключена.

insettings-digest_bad = Пришлите, например, <code>/settings digest daily 9</code>, <code>/settings digest weekly 9</code> (час 0–23, часовой пояс чата) или <code>/settings digest off</code>.

insettings-anomaly_on = ⚠️ Оповещения об аномалиях включены: одно сообщение, если клики идут, а обменов нет 3 дня, хотя по вашим прошлым неделям они должны быть, или если главный источник перестал присылать клики.

insettings-anomaly_off = Оповещения об аномалиях выключены.
