"""After the answer, in a browser: a director reopens their request, a parent says the
problem is solved and rates the answer, a director closes a parent's request with a reason."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.plugins.browser import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WAIT = 15_000


def _session(live_app):
    from helpdesk.core.db import session_scope

    return session_scope(live_app.extensions["helpdesk_db"].session_factory)


def _open(live_app, *, by_director: bool, subject: str, resolve: bool):
    """A request of the director's school, resolved by an agent when asked; its tracking URL."""
    from sqlalchemy import select

    from helpdesk.auth.models import User
    from helpdesk.core.runtime import service_context
    from helpdesk.tickets import services

    ctx = service_context(live_app)
    with _session(live_app) as session:
        director = session.scalar(select(User).where(User.email == "directeur@ac-test.fr"))
        agent = session.scalar(select(User).where(User.email == "agent@ac-test.fr"))
        school = director.schools[0]
        data = services.TicketInput(
            subject=subject,
            body="Bonjour, le code d'activation n'arrive pas.",
            channel="portail_directeur" if by_director else "formulaire_contact",
            requester_name=director.display_name if by_director else "Claire Parent",
            requester_email=director.email if by_director else "claire.parent@example.org",
            requester_kind="directeur" if by_director else "parent",
            school_id=school.id,
            motif="activation_sms",
        )
        ticket = services.open_ticket(session, ctx, director if by_director else None, data)
        if resolve:
            services.add_message(
                session, ctx, ticket, agent, "Le numéro est corrigé.", new_status="resolu"
            )
        return ticket.reference, ctx.tracking_url(ticket.id, ticket.reference)


def _status(live_app, reference: str) -> str:
    from helpdesk.tickets.services import get_by_reference

    with _session(live_app) as session:
        return get_by_reference(session, reference).status


def test_director_reopens_a_resolved_request(live_app, live_server, page):
    reference, _ = _open(
        live_app, by_director=True, subject="Réouverture par le directeur", resolve=True
    )
    sign_in(page, live_server, "directeur@ac-test.fr")
    page.goto(f"{live_server}/demandes?etat=miennes")
    expect(page.get_by_role("columnheader", name="Demandeur")).to_be_visible(timeout=WAIT)
    assert serious_violations(page) == []
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name="Le problème n'est pas réglé ?")).to_be_visible(
        timeout=WAIT
    )
    assert serious_violations(page) == []
    page.get_by_label("Ce qui n'est pas réglé (facultatif)").fill("Deux familles attendent encore.")
    page.get_by_role("button", name="Rouvrir la demande").click()
    expect(page.get_by_text("Demande rouverte : le centre de services la reprend.")).to_be_visible(
        timeout=WAIT
    )
    expect(page.get_by_text("Deux familles attendent encore.")).to_be_visible(timeout=WAIT)
    assert _status(live_app, reference) == "en_cours"
    assert page.console_errors == []


def test_parent_says_solved_then_rates_the_answer(live_app, live_server, page):
    reference, tracking_url = _open(
        live_app, by_director=False, subject="Avis après résolution", resolve=True
    )
    page.goto(tracking_url)
    expect(page.get_by_role("heading", name="Votre problème est-il réglé ?")).to_be_visible(
        timeout=WAIT
    )
    assert serious_violations(page) == []
    page.get_by_role("button", name="Oui, c'est réglé").click()
    page.wait_for_url(re.compile(r"/avis$"), timeout=WAIT)
    assert _status(live_app, reference) == "clos"
    assert serious_violations(page) == []
    page.locator("label[for=rating-0]").click()
    page.get_by_label("Commentaire (facultatif)").fill("Réponse claire et rapide.")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_text("Merci : votre avis a été enregistré.")).to_be_visible(timeout=WAIT)
    assert page.console_errors == []


def test_parent_says_not_solved_and_the_request_is_reopened(live_app, live_server, page):
    reference, tracking_url = _open(
        live_app, by_director=False, subject="Pas réglé pour le parent", resolve=True
    )
    page.goto(tracking_url)
    page.get_by_label("Qu'est-ce qui ne fonctionne toujours pas ? (facultatif)").fill(
        "Le SMS n'arrive toujours pas."
    )
    page.get_by_role("button", name="Non, ce n'est pas réglé").click()
    expect(page.get_by_text("Votre demande est rouverte")).to_be_visible(timeout=WAIT)
    assert _status(live_app, reference) == "en_cours"
    assert serious_violations(page) == []


def test_director_must_give_a_reason_to_close_a_parents_request(live_app, live_server, page):
    reference, tracking_url = _open(
        live_app, by_director=False, subject="Clôture par l'école", resolve=False
    )
    sign_in(page, live_server, "directeur@ac-test.fr")
    page.goto(f"{live_server}/demandes/{reference}")
    page.get_by_role("button", name="Clore la demande").click()
    expect(page.get_by_text("Indiquez la raison de la clôture")).to_be_visible(timeout=WAIT)
    assert serious_violations(page) == []
    assert _status(live_app, reference) == "nouveau"
    page.get_by_label("Raison de la clôture").fill("L'école a recréé le compte ce matin.")
    page.get_by_role("button", name="Clore la demande").click()
    expect(page.get_by_text("Demande close.", exact=True)).to_be_visible(timeout=WAIT)
    assert _status(live_app, reference) == "clos"
    page.goto(tracking_url)
    expect(page.get_by_text("L'école a recréé le compte ce matin.")).to_be_visible(timeout=WAIT)
