"""Texts of linking and unlinking accounts."""

from bot.i18n import Text

TEXTS: dict[str, Text] = {
    "link.ask_key": Text(
        en="Send me your API key (affiliate dashboard → “REST API key”). /cancel to stop.",
        ru="Пришлите API-ключ (личный кабинет партнёра → «REST API ключ»). /cancel — отмена.",
    ),
    "link.key_deleted": Text(
        en="🔒 I deleted your message with the key, so it does not stay in the chat.",
        ru="🔒 Я удалил ваше сообщение с ключом, чтобы он не оставался в чате.",
    ),
    "link.key_not_deleted": Text(
        en=(
            "⚠️ I could not delete your message with the key. Delete it yourself, and if other "
            "people can read this chat, change the key in the affiliate dashboard."
        ),
        ru=(
            "⚠️ Не удалось удалить ваше сообщение с ключом. Удалите его сами, а если чат читают "
            "другие люди — смените ключ в личном кабинете партнёра."
        ),
    ),
    "link.key_not_deleted_group": Text(
        en=(
            "⚠️ I could not delete the message with the key: in a group I need to be an "
            "administrator with the “Delete messages” right. Everyone here could read the key, "
            "so delete that message, change the key in the affiliate dashboard (“Change REST API "
            "key”) and link the new one."
        ),
        ru=(
            "⚠️ Не удалось удалить сообщение с ключом: в группе для этого мне нужны права "
            "администратора «Удаление сообщений». Ключ могли прочитать все участники: удалите "
            "это сообщение, смените ключ в личном кабинете партнёра («Сменить REST API ключ») и "
            "привяжите новый."
        ),
    ),
    "link.ask_key_group": Text(
        en=(
            "Reply to this message with your API key (affiliate dashboard → “REST API key”); "
            "I will delete it at once. /cancel to stop."
        ),
        ru=(
            "Ответьте на это сообщение API-ключом (личный кабинет партнёра → «REST API ключ»); "
            "я сразу его удалю. /cancel — отмена."
        ),
    ),
    "link.linked": Text(en="✅ Account linked.", ru="✅ Аккаунт привязан."),
    "link.already": Text(
        en="This key is already linked here: {account}.",
        ru="Этот ключ уже привязан здесь: {account}.",
    ),
    "link.invalid_format": Text(
        en=(
            "That does not look like an API key. Copy it from the affiliate dashboard, line "
            "“REST API key”, and send <code>/link YOUR_API_KEY</code>."
        ),
        ru=(
            "Это не похоже на API-ключ. Скопируйте его в личном кабинете партнёра, строка "
            "«REST API ключ», и отправьте <code>/link ВАШ_API_КЛЮЧ</code>."
        ),
    ),
    "link.unreachable": Text(
        en=(
            "The exchanger is not answering right now, so I could not check the key. "
            "Try again in a minute."
        ),
        ru=(
            "Обменник сейчас не отвечает, поэтому проверить ключ не удалось. "
            "Попробуйте через минуту."
        ),
    ),
    "link.rejected": Text(
        en="❌ The site rejected this key. {hint}",
        ru="❌ Сайт не принял этот ключ. {hint}",
    ),
    "link.refused": Text(
        en="❌ The site refused the key: {detail}",
        ru="❌ Сайт не принял ключ: {detail}",
    ),
    "link.where_key": Text(
        en=(
            "Check that you copied the current key (affiliate dashboard → “REST API key”) and "
            "that the site has enabled the affiliate API for you."
        ),
        ru=(
            "Проверьте, что скопирован действующий ключ (личный кабинет партнёра → «REST API "
            "ключ») и что сайт включил для вас партнёрский API."
        ),
    ),
    "unlink.pick": Text(en="Which account should I unlink?", ru="Какой аккаунт отвязать?"),
    "unlink.confirm": Text(
        en="Unlink <b>{account}</b>? You will stop getting its notifications.",
        ru="Отвязать <b>{account}</b>? Уведомления по нему перестанут приходить.",
    ),
    "unlink.confirm_button": Text(en="🗑 Unlink", ru="🗑 Отвязать"),
    "unlink.done": Text(en="The account is unlinked.", ru="Аккаунт отвязан."),
    "unlink.cancelled": Text(en="Nothing was changed.", ru="Ничего не изменено."),
}
