## The command menu (setMyCommands): plain text, at most 256 characters each.

menu-balance = Баланс и способы выплаты
menu-payout = Заказать выплату
menu-payouts = Заявки на выплату
menu-exchanges = Обмены рефералов
menu-clicks = Переходы по ссылкам
menu-sources = Заработок по источникам трафика
menu-stats = График кликов, обменов и вознаграждений
menu-export = Обмены, выплаты и клики в CSV
menu-link = Привязать аккаунт
menu-unlink = Отвязать аккаунт
menu-settings = Уведомления вкл/выкл
menu-language = Язык / Language
menu-help = Что я умею

## Words a user may type after /exchanges, comma-separated; every language's words are
## understood whatever the chat's language (today, 7d, 30d and all always are).

period-words-today = сегодня
period-words-7d = неделя
period-words-30d = месяц
