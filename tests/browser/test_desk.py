"""The agents' desk in a browser: a dense queue, bulk changes, saved views, shortcuts,
and the warning of two agents answering the same ticket at once."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_journey import serious_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DESK_SUBJECT = "Bureau des agents"


@pytest.fixture(scope="module")
def desk(live_app, live_server):
    """Forty open tickets, a second agent and an admin on the live server's database."""
    from helpdesk.auth.models import User
    from helpdesk.auth.passwords import hash_password
    from helpdesk.db import session_scope
    from helpdesk.tickets.services import TicketInput, open_ticket
    from helpdesk.web.context import service_context

    ctx = service_context(live_app)
    hashed = hash_password(PASSWORD)
    references = []
    with session_scope(live_app.extensions["helpdesk_db"].session_factory) as session:
        session.add_all(
            [
                User(
                    email="collegue@ac-test.fr",
                    display_name="Marc Collègue",
                    role="agent",
                    password_hash=hashed,
                ),
                User(
                    email="admin@ac-test.fr",
                    display_name="Alice Admin",
                    role="admin",
                    password_hash=hashed,
                ),
            ]
        )
        for n in range(40):
            ticket = open_ticket(
                session,
                ctx,
                None,
                TicketInput(
                    subject=f"{DESK_SUBJECT} {n:02d} : une demande au long objet qui "
                    "déborderait de sa cellule si la file ne le coupait pas",
                    body="Bonjour, je ne reçois pas le code SMS d'activation de mon compte.",
                    channel="formulaire_contact",
                    requester_name=f"Parent Numéro {n} Avec Un Nom Composé",
                    requester_email=f"parent{n}@example.org",
                    motif="activation_sms" if n % 2 else "mot_de_passe_oublie",
                ),
            )
            references.append(ticket.reference)
    return references


def test_twenty_rows_fit_a_laptop_screen(desk, live_server, browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, live_server, "agent@ac-test.fr")
    page.goto(f"{live_server}/tickets")
    rows = page.locator("#resultats tbody tr")
    assert rows.count() >= 20
    visible = page.evaluate(
        """() => [...document.querySelectorAll('#resultats tbody tr')]
              .filter(r => r.getBoundingClientRect().bottom <= window.innerHeight).length"""
    )
    heights = page.evaluate(
        """() => [...document.querySelectorAll('#resultats tbody tr')]
              .map(r => Math.round(r.getBoundingClientRect().height))"""
    )
    assert visible >= 20, f"{visible} rows visible at 1366×768"
    # One line per ticket: references never wrap, every row has the same height.
    assert len(set(heights)) == 1
    assert serious_violations(page) == []
    context.close()
