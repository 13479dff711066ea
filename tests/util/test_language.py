import pytest

from helpdesk.util.language import detect_language, language_name, with_language_notice


@pytest.mark.parametrize(
    ("subject", "body", "expected"),
    [
        ("Code SMS", "Bonjour, je ne reçois pas le code pour mon compte.", "fr"),
        ("Code SMS", "Hello, I never get the text message with the code.", "en"),
        ("", "Bom dia, não recebo o código no meu celular.", "pt"),
        ("", "Hola, no me llega el código a mi teléfono.", "es"),
        ("", "Ik ben mijn wachtwoord vergeten, kunt u mij helpen?", "nl"),
        ("", "Mwen pa resevwa kòd la pou kont mwen.", "ht"),
        ("", "Я забув пароль від свого облікового запису.", "uk"),
        ("", "Я забыл пароль от своей учётной записи.", "ru"),
        ("Mot de passe", "", "fr"),
        ("", "12345", "und"),
    ],
)
def test_language_of_short_requests(subject, body, expected):
    assert detect_language(subject, body) == expected


def test_body_decides_over_a_french_subject_chosen_from_the_form():
    assert detect_language("Mot de passe oublié", "I forgot my password.") == "en"


def test_notice_opens_the_reply_in_the_requesters_language():
    reply = "Bonjour,\n\nVoici la marche à suivre."
    noticed = with_language_notice(reply, "pt")
    assert noticed.startswith("O seu pedido foi escrito em português.")
    assert "parvenue en portugais" in noticed
    assert noticed.endswith(reply)


def test_french_and_unknown_languages_get_no_notice():
    assert with_language_notice("Bonjour.", "fr") == "Bonjour."
    assert with_language_notice("Bonjour.", "und") == "Bonjour."
    assert with_language_notice("", "en") == ""
    assert with_language_notice("Bonjour.", "it").startswith("Your request was written")
    assert language_name("ht") == "créole haïtien"
