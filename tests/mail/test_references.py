from __future__ import annotations

from email.message import EmailMessage

import pytest

from helpdesk.mail.inbound.parsing import parse_message
from helpdesk.mail.references import (
    find_reference,
    make_reply_address,
    make_subject_tag,
    reference_in_address,
    reference_in_subject,
    reference_of,
    strip_reply_prefixes,
    strip_subject_tags,
    tag_subject,
)


def test_make_subject_tag():
    assert make_subject_tag("2026-000123") == "[2026-000123]"
    for bad in ("2026-123", "26-000123", "2026-0001234", "[2026-000123]", ""):
        with pytest.raises(ValueError):
            make_subject_tag(bad)


def test_tag_subject_is_idempotent():
    tagged = tag_subject("Compte bloqué", "2026-000123")

    assert tagged == "[2026-000123] Compte bloqué"
    assert tag_subject(f"RE: {tagged}", "2026-000123") == "RE: [2026-000123] Compte bloqué"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("RE: TR: [2026-000123] Compte bloqué", "2026-000123"),
        ("Réf. [ 2025-004567 ]", "2025-004567"),
        ("[#2026-000001] Question", "2026-000001"),
        ("Demande 2026-000123 sans crochets", None),
        ("[2026-00012] trop court", None),
        ("[12026-000123] trop long", None),
        ("", None),
    ],
)
def test_reference_in_subject(subject, expected):
    assert reference_in_subject(subject) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("assistance+2026-000123@ac-exemple.fr", "2026-000123"),
        ("ASSISTANCE+2026-000123@AC-EXEMPLE.FR", "2026-000123"),
        ("assistance@ac-exemple.fr", None),
        ("assistance+2026-0001234@ac-exemple.fr", None),
        ("assistance+abc@ac-exemple.fr", None),
    ],
)
def test_reference_in_address(address, expected):
    assert reference_in_address(address) == expected


def test_make_reply_address():
    assert (
        make_reply_address("assistance@ac-exemple.fr", "2026-000123")
        == "assistance+2026-000123@ac-exemple.fr"
    )
    assert (
        make_reply_address("assistance+old@ac-exemple.fr", "2026-000124")
        == "assistance+2026-000124@ac-exemple.fr"
    )
    with pytest.raises(ValueError):
        make_reply_address("pas-une-adresse", "2026-000123")


def test_find_reference_priorities():
    addresses = ["autre@example.fr", "assistance+2026-000200@ac-exemple.fr"]

    assert find_reference("[2026-000100] Sujet", "", addresses) == "2026-000200"
    assert find_reference("[2026-000100] Sujet", "[2026-000300]") == "2026-000100"
    body = "Voir plus bas.\n\n> De : assistance+2026-000300@ac-exemple.fr\n> Objet : [2026-000400]"
    assert find_reference("Re: sujet réécrit", body) == "2026-000300"
    assert find_reference("Nouvelle demande", "Bonjour") is None


def test_strip_reply_prefixes():
    assert strip_reply_prefixes("RE : TR: Fwd: Compte bloqué") == "Compte bloqué"
    assert strip_reply_prefixes("Réf: Re[2]: Question") == "Question"
    assert strip_reply_prefixes("Retour de congés") == "Retour de congés"


def test_reference_of_parsed_mail_uses_envelope_recipient():
    message = EmailMessage()
    message["From"] = "parent@example.fr"
    message["To"] = "assistance@ac-exemple.fr"
    message["Delivered-To"] = "assistance+2026-000123@ac-exemple.fr"
    message["Subject"] = "Re: merci"
    message.set_content("Merci !")

    assert reference_of(parse_message(message.as_bytes())) == "2026-000123"


def test_strip_subject_tags_drops_every_ticket_tag_and_keeps_the_rest():
    assert strip_subject_tags("[2026-000123] Compte bloqué [# 2025-000004]").split() == [
        "Compte",
        "bloqué",
    ]
    assert strip_subject_tags("Compte [bloqué] 2026-000123") == "Compte [bloqué] 2026-000123"
