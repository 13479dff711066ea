"""Canned replies on a ticket: order, placeholders, masked login, insertion."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest

from helpdesk.accounts.models import Account
from helpdesk.tickets.canned import (
    canned_replies_for,
    fill_placeholders,
    french_date,
    mask_login,
    order_replies,
)
from helpdesk.tickets.models import CannedReply

TODAY = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("login", "masked"),
    [
        ("j.dupont2", "j.d****2"),
        ("claire.martin", "cla****n"),
        ("abcde", "a****"),
        ("", None),
        (None, None),
    ],
)
def test_mask_login(login, masked):
    assert mask_login(login) == masked


def test_fill_placeholders_leaves_unknown_ones_for_the_agent():
    values = {"demandeur": "Claire Martin", "ecole": None, "reference": "2026-000042"}
    text = fill_placeholders("Bonjour {demandeur}, {ecole} {inconnu} {reference} {{x}}", values)
    assert text == "Bonjour Claire Martin, {ecole} {inconnu} 2026-000042 {{x}}"


def test_french_date():
    assert french_date(TODAY) == "1er mars 2026"
    assert french_date(dt.date(2026, 8, 14)) == "14 août 2026"


def test_order_puts_the_motif_first_then_general_replies():
    replies = [
        CannedReply(id=1, title="Zèbre", motif="activation_sms", body=""),
        CannedReply(id=2, title="Horaires", motif=None, body=""),
        CannedReply(id=3, title="Bilan", motif="lsu_bilan_invisible", body=""),
        CannedReply(id=4, title="Abeille", motif="activation_sms", body=""),
        CannedReply(id=5, title="Accueil", motif=None, body=""),
    ]
    assert [r.id for r in order_replies(replies, "activation_sms")] == [4, 1, 5, 2, 3]
    assert [r.id for r in order_replies(replies, None)] == [5, 2, 4, 1, 3]


@pytest.fixture
def replies(db_session):
    rows = [
        CannedReply(title="Précisions", motif=None, body="Bonjour {demandeur}, précisez."),
        CannedReply(
            title="Identifiant",
            motif="identifiant_oublie",
            body="Bonjour {demandeur},\nvotre identifiant : {identifiant}.\n{ecole} le {date}"
            "\nDemande {reference}",
        ),
        CannedReply(title="Code SMS", motif="activation_sms", body="Le code SMS…"),
        CannedReply(title="Ancienne", motif="identifiant_oublie", body="x", is_active=False),
    ]
    db_session.add_all(rows)
    db_session.flush()
    return rows


def test_canned_replies_for_a_ticket(db_session, make_ticket, make_school, replies):
    school = make_school(name="École des Tilleuls")
    db_session.add(
        Account(
            compte_id="C-1",
            identifiant="j.dupont2",
            identifiant_key="j.dupont2",
            profil="responsable",
            personne_id="R-1",
            email="Claire.Martin@example.org",
            email_key="claire.martin@example.org",
        )
    )
    ticket = make_ticket(
        motif="identifiant_oublie",
        school_id=school.id,
        requester_name="Claire Martin",
        requester_email="claire.martin@example.org",
    )
    filled = canned_replies_for(db_session, ticket, TODAY)
    assert [f.title for f in filled] == ["Identifiant", "Précisions", "Code SMS"]
    assert [f.is_for_motif for f in filled] == [True, False, False]
    assert filled[0].text == (
        "Bonjour Claire Martin,\nvotre identifiant : j.d****2.\n"
        f"École des Tilleuls le 1er mars 2026\nDemande {ticket.reference}"
    )
    assert "j.dupont2" not in filled[0].text


def test_login_unknown_or_ambiguous_stays_a_placeholder(db_session, make_ticket, replies):
    for n, login in enumerate(("a.un1", "b.deux2")):
        db_session.add(
            Account(
                compte_id=f"C-{n}",
                identifiant=login,
                profil="responsable",
                personne_id=f"R-{n}",
                telephone_e164="+33612345678",
            )
        )
    db_session.flush()
    ticket = make_ticket(
        motif="identifiant_oublie", requester_email=None, requester_phone="06 12 34 56 78"
    )
    text = canned_replies_for(db_session, ticket, TODAY)[0].text
    assert "{identifiant}" in text and "{ecole}" in text


def test_the_ticket_page_offers_them_motif_first(
    client, db_session, make_user, login_as, make_ticket, replies
):
    login_as(make_user("agent"))
    ticket = make_ticket(motif="identifiant_oublie", requester_name="Claire Martin")
    page = client.get(f"/tickets/{ticket.reference}").get_data(as_text=True)
    titles = re.findall(
        r'data-insert-into="reply-body" data-insert-text="[^"]*"[^>]*>([^<]+)</a>', page
    )
    assert titles[:3] == ["Identifiant", "Précisions", "Code SMS"]
    assert "Ancienne" not in titles
    texts = [htmllib.unescape(t) for t in re.findall(r'data-insert-text="([^"]*)"', page)]
    assert "Bonjour Claire Martin,\nvotre identifiant : {identifiant}." in texts[0]
    assert ticket.reference in texts[0]


def test_without_javascript_the_link_prefills_the_reply(
    client, db_session, make_user, login_as, make_ticket, replies
):
    login_as(make_user("agent"))
    ticket = make_ticket(motif="activation_sms", requester_name="Claire Martin")
    page = client.get(f"/tickets/{ticket.reference}?reponse_type={replies[0].id}").get_data(
        as_text=True
    )
    body = re.search(r'<textarea[^>]*id="reply-body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert htmllib.unescape(body).strip() == "Bonjour Claire Martin, précisez."


def test_a_request_not_in_french_gets_the_language_line_in_every_canned_reply(
    client, db_session, make_user, login_as, make_ticket, replies
):
    login_as(make_user("agent"))
    english = make_ticket(
        motif="activation_sms",
        requester_name="Claire Martin",
        subject="SMS code",
        body="Hello, I never get the SMS code to create my account.",
    )
    assert english.language == "en"
    page = client.get(f"/tickets/{english.reference}").get_data(as_text=True)
    texts = _canned_texts(page)
    assert texts and all(t.startswith("Your request was written in English.") for t in texts)
    assert all("nous vous répondons en français" in t for t in texts)
    prefilled = client.get(f"/tickets/{english.reference}?reponse_type={replies[0].id}").get_data(
        as_text=True
    )
    body = re.search(r'<textarea[^>]*id="reply-body"[^>]*>(.*?)</textarea>', prefilled, re.S)
    assert (
        htmllib.unescape(body.group(1)).strip().startswith("Your request was written in English.")
    )


def test_a_french_request_gets_no_language_line(
    client, db_session, make_user, login_as, make_ticket, replies
):
    login_as(make_user("agent"))
    french = make_ticket(
        motif="activation_sms",
        requester_name="Claire Martin",
        subject="Code SMS",
        body="Bonjour, je ne reçois pas le code SMS pour créer mon compte.",
    )
    page = client.get(f"/tickets/{french.reference}").get_data(as_text=True)
    texts = _canned_texts(page)
    assert texts and not any("Your request" in t or "nous vous répondons" in t for t in texts)


def _canned_texts(page: str) -> list[str]:
    """The texts the canned-reply buttons insert (article links insert citations instead)."""
    pattern = r'data-insert-text="([^"]*)" aria-describedby="reponses-types-aide"'
    return [htmllib.unescape(text) for text in re.findall(pattern, page)]
