from __future__ import annotations

import pytest

from helpdesk.mail.inbound.quotes import split_reply

CASES = {
    "gmail_fr": (
        "Merci, cela fonctionne.\n\n"
        "Le lun. 3 juin 2024 à 10:12, Assistance DSI <assistance@ac-exemple.fr> a écrit :\n\n"
        "> Bonjour,\n> Essayez de réinitialiser votre mot de passe.\n",
        "Merci, cela fonctionne.",
        "",
    ),
    "gmail_fr_two_lines": (
        "Toujours le même message d'erreur.\n\n"
        "Le lun. 3 juin 2024 à 10:12, Assistance de la Direction des services informatiques <\n"
        "assistance@ac-exemple.fr> a écrit :\n\n"
        "> Pouvez-vous nous envoyer une capture ?\n",
        "Toujours le même message d'erreur.",
        "",
    ),
    "gmail_fr_unquoted_history": (
        "Voici la capture demandée.\n\n"
        "Le mar. 4 juin 2024 à 08:00, Assistance DSI <assistance@ac-exemple.fr>\na écrit :\n\n"
        "Bonjour, pouvez-vous nous envoyer une capture ?\n",
        "Voici la capture demandée.",
        "",
    ),
    "outlook_fr": (
        "Bonjour,\n\nJe suis toujours bloqué sur la page d'accueil.\n\nCordialement\nZoé\n\n"
        "De : Assistance DSI <assistance@ac-exemple.fr>\n"
        "Envoyé : lundi 3 juin 2024 10:12\n"
        "À : Zoé Lefèvre <zoe.lefevre@example.fr>\n"
        "Objet : RE: [2026-000123] Compte bloqué\n\n"
        "Bonjour, avez-vous essayé de vider le cache ?\n",
        "Bonjour,\n\nJe suis toujours bloqué sur la page d'accueil.\n\nCordialement\nZoé",
        "",
    ),
    "outlook_en": (
        "Thanks, it works now.\n\n"
        "From: Helpdesk <assistance@ac-exemple.fr>\n"
        "Sent: Monday, June 3, 2024 10:12 AM\n"
        "To: Parent <parent@example.fr>\n"
        "Subject: RE: [2026-000123] Account locked\n\n"
        "Please clear your browser cache.\n",
        "Thanks, it works now.",
        "",
    ),
    "outlook_underscores": (
        "Je vous renvoie le document signé.\n\n"
        "________________________________\n"
        "De : Secrétariat <secretariat@clg-exemple.fr>\n"
        "Envoyé : mardi 4 juin 2024 09:00\n"
        "À : Camille Martin\n"
        "Objet : Document\n\nMerci de signer le document.\n",
        "Je vous renvoie le document signé.",
        "",
    ),
    "message_d_origine": (
        "Le problème est réglé, merci.\n\n"
        "-----Message d'origine-----\n"
        "De : Assistance DSI\nEnvoyé : lundi 3 juin 2024 10:12\nObjet : Votre demande\n\n"
        "Bonjour,\n",
        "Le problème est réglé, merci.",
        "",
    ),
    "original_message": (
        "Solved, thank you.\n\n-----Original Message-----\nFrom: Helpdesk\nSent: Monday\n\nHi\n",
        "Solved, thank you.",
        "",
    ),
    "on_wrote_en": (
        "I tried again this morning.\n\n"
        "On Tue, Jun 4, 2024 at 9:00 AM Helpdesk <assistance@ac-exemple.fr> wrote:\n"
        "> Did you try again?\n>\n> Regards\n",
        "I tried again this morning.",
        "",
    ),
    "iphone_fr": (
        "Oui c'est bon\n\nEnvoyé de mon iPhone\n\n"
        "> Le 3 juin 2024 à 10:12, Assistance DSI <assistance@ac-exemple.fr> a écrit :\n"
        ">\n> Le problème est-il résolu ?\n",
        "Oui c'est bon",
        "Envoyé de mon iPhone",
    ),
    "apple_mail_fr_unquoted_header": (
        "Parfait.\n\nEnvoyé depuis mon mobile\n\n"
        "Le 3 juin 2024 à 10:12, Assistance DSI <assistance@ac-exemple.fr> a écrit :\n\n"
        "> Le problème est-il résolu ?\n",
        "Parfait.",
        "Envoyé depuis mon mobile",
    ),
    "sent_from_iphone": (
        "Works now\n\nSent from my iPhone\n\n"
        "On Jun 3, 2024, at 10:12 AM, Helpdesk <assistance@ac-exemple.fr> wrote:\n\n> Fixed?\n",
        "Works now",
        "Sent from my iPhone",
    ),
    "dash_signature": (
        "Bonjour,\nle lien ne s'ouvre pas.\n\n-- \nCamille Martin\nCollège Jean Moulin\n",
        "Bonjour,\nle lien ne s'ouvre pas.",
        "Camille Martin\nCollège Jean Moulin",
    ),
    "thunderbird_fr": (
        "Merci pour votre retour.\n\n"
        "Le 03/06/2024 à 10:12, Assistance DSI a écrit :\n"
        "> Votre compte est débloqué.\n",
        "Merci pour votre retour.",
        "",
    ),
    "android_fr": (
        "D'accord je réessaie ce soir\n\n"
        'Le 3 juin 2024 10:12, "Assistance DSI" <assistance@ac-exemple.fr> a écrit :\n'
        "> Pouvez-vous réessayer ?\n",
        "D'accord je réessaie ce soir",
        "",
    ),
    "zimbra_free": (
        "Bonsoir,\nc'est toujours pareil.\n\n"
        "----- Mail original -----\n"
        'De: "Assistance DSI" <assistance@ac-exemple.fr>\n'
        'À: "Zoé" <zoe@free.fr>\n'
        "Envoyé: Lundi 3 Juin 2024 10:12:00\n"
        "Objet: Re: Compte\n\nBonjour,\n",
        "Bonsoir,\nc'est toujours pareil.",
        "",
    ),
    "orange_webmail": (
        "Bonjour, voici mon identifiant.\n\n"
        "Message du 03/06/24 10:12\n"
        'De : "Assistance DSI" <assistance@ac-exemple.fr>\n'
        "A : zoe@orange.fr\n"
        "Copie à :\n"
        "Objet : Votre demande\n\n"
        "Pouvez-vous nous donner votre identifiant ?\n",
        "Bonjour, voici mon identifiant.",
        "",
    ),
    "orange_webmail_quoted": (
        "Bonjour, voici mon identifiant.\n\n"
        '> Message du 03/06/24 10:12\n> De : "Assistance DSI" <assistance@ac-exemple.fr>\n'
        "> A : zoe@orange.fr\n> Objet : Votre demande\n>\n> Votre identifiant ?\n",
        "Bonjour, voici mon identifiant.",
        "",
    ),
    "outlook_ios_fr": (
        "C'est réglé.\n\nEnvoyé à partir de Outlook pour iOS<https://aka.ms/o0ukef>\n"
        "________________________________\n"
        "From: Assistance DSI <assistance@ac-exemple.fr>\n"
        "Sent: Monday, June 3, 2024 10:12:00 AM\n"
        "To: Zoé <zoe@example.fr>\nSubject: Compte\n\nBonjour\n",
        "C'est réglé.",
        "Envoyé à partir de Outlook pour iOS<https://aka.ms/o0ukef>",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_split_reply_cases(name):
    text, expected_new, expected_signature = CASES[name]

    new_text, quoted, signature = split_reply(text)

    assert new_text == expected_new
    assert signature == expected_signature
    if name == "dash_signature":
        assert quoted == ""
    else:
        assert quoted.strip()
        assert new_text not in quoted


def test_inline_answers_kept_between_quotes():
    text = (
        "Le 3 juin 2024 à 10:12, Assistance DSI <assistance@ac-exemple.fr> a écrit :\n"
        "> Quel navigateur utilisez-vous ?\n"
        "Firefox.\n"
        "> Sur quel appareil ?\n"
        "Une tablette.\n"
    )
    new_text, quoted, _ = split_reply(text)

    assert new_text == "Firefox.\nUne tablette."
    assert "> Quel navigateur utilisez-vous ?" in quoted
    assert "> Sur quel appareil ?" in quoted


def test_forwarded_message_is_not_history():
    text = (
        "Je vous transfère ce message reçu ce matin.\n\n"
        "---------- Forwarded message ---------\n"
        "De : EduConnect <ne-pas-repondre@example.fr>\n"
        "Date: lun. 3 juin 2024 à 10:12\n"
        "Subject: Votre code d'activation\n"
        "To: <parent@example.fr>\n\n"
        "Votre code est 123456.\n"
    )
    new_text, quoted, signature = split_reply(text)

    assert "Votre code est 123456." in new_text
    assert quoted == "" and signature == ""


def test_text_without_history_is_unchanged():
    text = "Bonjour,\n\nDe : mon côté, rien ne fonctionne depuis lundi.\nMerci de votre aide."

    assert split_reply(text) == (text, "", "")


def test_prose_mentioning_writing_is_kept():
    text = "Mon collègue a écrit :\nil faut passer par le portail.\n\nMerci"

    assert split_reply(text)[0] == text


def test_crlf_and_empty_input():
    assert split_reply("") == ("", "", "")
    new_text, quoted, _ = split_reply(
        "Oui\r\n\r\nOn Mon, Jun 3, 2024 at 1:00 PM X <x@y.fr> wrote:\r\n> Q"
    )
    assert new_text == "Oui"
    assert quoted.endswith("> Q")


def test_huge_text_is_linear():
    text = "ligne de texte\n" * 100_000 + "-- \nZoé"

    new_text, _, signature = split_reply(text)

    assert signature == "Zoé"
    assert new_text.count("\n") == 99_999


@pytest.mark.parametrize(
    ("name", "present", "absent"),
    [
        ("crisp-erp__email_10.eml", "et mollis ligula rutrum quis", "Etiam non sagittis"),
        ("crisp-erp__email_customer_quote_header_3.eml", "merci d'avance", "ici dans la"),
        ("crisp-erp__email_fr_multiline.eml", "Fusce bibendum", "Etiam non sagittis"),
        ("crisp-erp__email_french_2.eml", "Fusce bibendum", "Chris - Crisp"),
        ("crisp-erp__email_french_dash_separator.eml", "Fusce bibendum", "Abc vous a envoyé"),
        ("crisp-erp__email_ios_outlook_fr.eml", "Fusce bibendum", "Hiring Engine"),
        ("crisp-erp__email_tricky_5_mixed_languages.eml", "Fusce bibendum", "Merci pour"),
        ("discourse-ert__embedded_email_french_1.eml", "C'est super !", "Discourse c'est top"),
        ("discourse-ert__embedded_email_french_2.eml", "Thanks for your answer.", "French guy"),
        ("willdurand-erp__email_zimbra_free_fr.eml", "Le paragraphe qui pose", "BONJOUR TEST"),
    ],
)
def test_body_fragments_from_real_clients(fixture_bytes, name, present, absent):
    new_text, quoted, _ = split_reply(fixture_bytes(name).decode("utf-8"))

    assert present in new_text
    assert absent not in new_text
    assert absent in quoted
