"""Texts of the chat-admin rule in groups."""

from bot.i18n import Text

TEXTS: dict[str, Text] = {
    "chat_admin.only": Text(
        en=(
            "🔒 In a group, only its administrators can link or unlink accounts, change "
            "settings and request payouts."
        ),
        ru=(
            "🔒 В группе привязывать и отвязывать аккаунты, менять настройки и заказывать "
            "выплаты могут только её администраторы."
        ),
    ),
    "chat_admin.check_failed": Text(
        en="I could not check your admin rights in this group right now. Please try again.",
        ru="Сейчас не удалось проверить ваши права администратора в группе. Попробуйте ещё раз.",
    ),
}
