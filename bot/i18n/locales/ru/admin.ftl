## Texts of the operator's /admin view.

admin-title = 🛠 <b>Панель оператора</b>

admin-chats = Чаты: <b>{ $total }</b> (активных { $active }, неактивных { $inactive })

admin-accounts = Аккаунты: <b>{ $total }</b> (на паузе { $paused })

admin-sites_title =
    {""}
    <b>Опрос по сайтам</b>

admin-site =
    • { $site } — <b>{ $state }</b>
    {"  "}аккаунтов { $accounts } (на паузе { $paused }), с ошибкой { $failing }/{ $active } ({ $rate })
    {"  "}последний успех: { $last_success } · автомат: { $circuit }

admin-site_error = {"  "}последняя ошибка: { $error }

admin-more_sites = … и ещё сайтов: { $count }

admin-outbox =
    {""}
    <b>Очередь уведомлений</b>: ждут { $pending } (старейшее { $oldest }), отброшено { $dropped }

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
