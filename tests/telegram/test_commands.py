from bot.i18n import LANGUAGES, Translator
from bot.telegram.commands import MENU, menu


def test_the_menu_is_described_in_every_language() -> None:
    described = {lang: [c.description for c in menu(Translator(lang))] for lang in LANGUAGES}
    assert [c.command for c in menu(Translator("ru"))] == list(MENU)
    assert described["en"][0] == "Balance and payout methods"
    assert described["ru"][0] == "Баланс и способы выплаты"
    for descriptions in described.values():
        assert all(0 < len(d) <= 256 for d in descriptions)
