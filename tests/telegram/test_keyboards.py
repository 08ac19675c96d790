from bot.telegram.keyboards import languages


def test_language_buttons_name_every_catalog_language_in_itself() -> None:
    markup = languages()
    buttons = [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row]
    assert buttons == [("English", "l1:en"), ("Русский", "l1:ru")]
