"""Deflection records and the rates shown to agents."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from helpdesk.core.db import utcnow
from helpdesk.deflection.models import DeflectionEvent
from helpdesk.deflection.services import (
    InvalidDeflection,
    deflection_stats,
    new_form_key,
    record_answered,
    record_shown,
    redact,
    suggestion_query,
)
from helpdesk.tickets.models import Ticket


def test_redact_blanks_addresses_and_numbers_and_truncates():
    text = redact("Mon mail claire.martin@example.org  et mon   portable 06 12 34 56 78, merci")
    assert text == "Mon mail [courriel] et mon portable [numéro], merci"
    assert len(redact("mot " * 100)) == 120
    assert redact("mot " * 100).endswith("…")


def test_suggestion_query_keeps_the_subject_first_and_a_prefix_open():
    assert suggestion_query("Code SMS", "jamais re") == "Code SMS jamais re"
    assert suggestion_query("Code SMS", "jamais reçu ") == "Code SMS jamais reçu "
    long = suggestion_query("sujet", " ".join(f"mot{n}" for n in range(100)))
    assert long.split()[0] == "sujet" and len(long.split()) == 40


def test_shown_then_answered(db_session):
    key = new_form_key()
    state = record_shown(db_session, key, "parent", "code sms", ["a", "b", "a"])
    assert state.shown == {"a", "b"} and not state.answered
    state = record_shown(db_session, key, "parent", "code sms jamais", ["b", "c"])
    assert state.shown == {"a", "b", "c"}
    event = record_answered(db_session, key, "c")
    assert (event.outcome, event.audience, event.query) == ("answered", "parent", "code sms jamais")
    assert record_answered(db_session, key, "c").id == event.id
    with pytest.raises(InvalidDeflection):
        record_answered(db_session, key, "z")
    with pytest.raises(InvalidDeflection):
        record_shown(db_session, key, "agent", "x", ["a"])
    with pytest.raises(InvalidDeflection):
        record_shown(db_session, "bad key", "parent", "x", ["a"])


def test_rates_count_forms_not_keystrokes(db_session, make_ticket, make_user, make_school):
    parents = [new_form_key() for _ in range(4)]
    for key in parents:
        record_shown(db_session, key, "parent", "sms", ["code-sms-non-recu", "autre-article"])
        record_shown(db_session, key, "parent", "sms jamais", ["troisieme"])
    record_answered(db_session, parents[0], "code-sms-non-recu")
    record_answered(db_session, parents[0], "troisieme")  # one form, however many clicks
    record_answered(db_session, parents[1], "code-sms-non-recu")
    director = new_form_key()
    record_shown(db_session, director, "directeur", "notifier", ["directeur-notifier"])
    old = new_form_key()
    record_shown(db_session, old, "parent", "ancien", ["code-sms-non-recu"])
    record_answered(db_session, old, "code-sms-non-recu")
    tickets = [make_ticket(channel="formulaire_contact") for _ in range(3)]
    tickets.append(make_ticket(channel="email"))
    school = make_school()
    tickets.append(
        make_ticket(
            channel="portail_directeur", school_id=school.id, actor=make_user("directeur", [school])
        )
    )
    # Out of the way of anything else the database holds: the period is next year.
    since = utcnow() + timedelta(days=365)
    moved = [*parents, director]
    db_session.execute(
        update(DeflectionEvent)
        .where(DeflectionEvent.form_key.in_(moved))
        .values(created_at=since + timedelta(minutes=1))
    )
    db_session.execute(
        update(DeflectionEvent)
        .where(DeflectionEvent.form_key == old)
        .values(created_at=since - timedelta(days=1))
    )
    db_session.execute(
        update(Ticket)
        .where(Ticket.id.in_([t.id for t in tickets]))
        .values(created_at=since + timedelta(minutes=2))
    )

    stats = deflection_stats(db_session, since)
    contact, portal = stats.channels
    assert (contact.forms_shown, contact.forms_answered, contact.tickets_sent) == (4, 2, 3)
    assert contact.answered_rate == pytest.approx(0.5)
    assert contact.avoided_share == pytest.approx(2 / 5)
    assert (portal.forms_shown, portal.forms_answered, portal.tickets_sent) == (1, 0, 1)
    assert portal.answered_rate == 0
    assert stats.total.forms_shown == 5 and stats.total.tickets_sent == 4
    assert stats.top_articles == [("code-sms-non-recu", 2), ("troisieme", 1)]


def test_no_data_no_rate(db_session):
    stats = deflection_stats(db_session, utcnow() + timedelta(days=1))
    assert stats.total.answered_rate is None and stats.total.avoided_share is None


def test_dashboard_shows_the_rates(client, db_session, make_user, login_as):
    key = new_form_key()
    record_shown(db_session, key, "parent", "sms", ["code-sms-non-recu"])
    record_answered(db_session, key, "code-sms-non-recu")
    login_as(make_user("agent"))
    html = client.get("/accueil").get_data(as_text=True)
    assert "Articles proposés avant l’envoi" in html
    assert "Taux de déflexion" in html
    assert re.search(r"\d+,\d&nbsp;%", html)
    assert 'href="/faq/code-sms-non-recu"' in html
