## Texts of /balance, /payouts, /exchanges and /clicks.

balance-amounts =
    Баланс: <b>{ $balance }</b> USD
    Минимальная выплата: { $min_payout } USD

balance-expected = ⏳ Ожидается <b>+{ $amount }</b> USD за { $count ->
        [one] { $count } завершённый обмен
        [few] { $count } завершённых обмена
       *[many] { $count } завершённых обменов
    } (вознаграждение ещё не начислено)

balance-methods_title =
    {""}
    <b>Способы выплаты</b>

balance-method = • { $title }: комиссия { $commission }, вы получите <b>{ $amount }</b>

balance-no_methods =
    {""}
    Сейчас сайт не предлагает способов выплаты.

balance-payout_possible =
    {""}
    ✅ Выплату можно заказать сейчас.

balance-payout_missing =
    {""}
    ⏳ До выплаты не хватает { $missing } USD.

payout-status-pending = ⏳ в ожидании

payout-status-paid = ✅ выплачено

payout-status-canceled = ✖ отменено

payout-status-canceled_by_user = ↩ отменено вами

payouts-title = <b>Заявки на выплату</b>

payouts-item =
    <b>#{ $id }</b> · { $date } UTC
    { $amount } { $currency } · { $method }
    на { $account } · { $status }

exchanges-title = <b>Обмены рефералов</b> ({ $period })

exchanges-item =
    <b>#{ $id }</b> · { $date } UTC
    { $give } { $give_cur } → { $get } { $get_cur }
    { $completed } · { $accrued } · вознаграждение <b>{ $reward }</b>

exchanges-completed = выполнен

exchanges-not_completed = не выполнен

exchanges-accrued = начислено

exchanges-not_accrued = не начислено

exchanges-bad_period = Период: <code>today</code>, <code>7d</code> или <code>30d</code>, например /exchanges 30d (без него — последние 7 дней; ⏪ под списком — раньше)

period-today = сегодня

period-7d = 7 дней

period-30d = 30 дней

clicks-latest_title =
    {""}
    <b>Последние</b>

clicks-item = • { $date } — { $referrer }

clicks-direct = <i>прямой переход</i>

payouts-title_period = <b>Заявки на выплату</b> ({ $period })

period-range = { $start } – { $end } UTC

clicks-counts_window = <b>Переходы</b> ({ $period }): { $total }

clicks-today = Сегодня (UTC): { $today }

view-empty_window = За этот период ничего нет. ⏪ — предыдущий период.

view-all_header = 📚 <b>Все аккаунты</b>

accounts-all_button = 📚 Все аккаунты

accounts-pick_again = 🔁 Другой аккаунт

overview-title = 💼 <b>Ваши аккаунты</b> ({ $count })

overview-line = Баланс: <b>{ $balance }</b> USD · минимум { $min_payout } · лучшая выплата <b>{ $best }</b>

overview-can_pay = ✅ выплату можно заказать

overview-missing = ⏳ до выплаты не хватает { $missing } USD

overview-key_rejected = 🔑 Сайт отклоняет этот ключ: привяжите действующий через /link.

overview-unavailable = ⚠️ Сайт сейчас не отвечает.

overview-total = <b>Итого:</b> { $totals }

balance-payout_button = 💸 Заказать выплату

balance-all_button = 📚 Все аккаунты

payouts-typical = ⏱ { $site } обычно платит за ~{ $hours } ч (медиана по { $count ->
        [one] { $count } выплате
       *[other] { $count } выплатам
    }, которые я видел оплаченными)
