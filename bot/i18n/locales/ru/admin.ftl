## Texts of the operator's /admin view.

admin-title = 🛠 <b>Панель оператора</b>

admin-chats = Чаты: <b>{ $total }</b> ({ $active } { $active ->
        [one] активный
       *[other] активных
    }, { $inactive } { $inactive ->
        [one] неактивный
       *[other] неактивных
    })

admin-accounts = Аккаунты: <b>{ $total }</b> (на паузе { $paused })

admin-sites_title =
    {""}
    <b>Опрос по сайтам</b>

admin-site =
    • { $site } — <b>{ $state }</b>
    {"  "}{ $accounts } { $accounts ->
        [one] аккаунт
        [few] аккаунта
       *[many] аккаунтов
    } (на паузе { $paused }), с ошибкой { $failing }/{ $active } ({ $rate })
    {"  "}последний успех: { $last_success } · автомат: { $circuit }

admin-site_error = {"  "}последняя ошибка: { $error }

admin-more_sites = … и ещё { $count } { $count ->
        [one] сайт
        [few] сайта
       *[many] сайтов
    }

admin-outbox =
    {""}
    <b>Очередь уведомлений</b>: { $pending ->
        [one] ждёт
       *[other] ждут
    } { $pending } (старейшее { $oldest }), отброшено { $dropped }

admin-state-ok = в порядке

admin-state-degraded = частично с ошибками

admin-state-down = не отвечает

admin-state-idle = нет активных аккаунтов

admin-none = —

admin-never = ни разу

admin-ago = { $age } назад

admin-age-s = { $n } с

admin-age-min = { $n } мин

admin-age-h = { $n } ч

admin-age-d = { $n } д

admin-payouts_title =
    {""}
    <b>Заявки на выплату в отправке или на проверке</b>: { $count }

admin-payout = #{ $id } · { $site } · чат { $chat } · { $state } уже { $age } · { $checks } { $checks ->
        [one] проверка
        [few] проверки
       *[many] проверок
    }

admin-payout_state-submitting = отправляется

admin-payout_state-checking = проверяется
