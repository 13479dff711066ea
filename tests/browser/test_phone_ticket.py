"""A phone call in a browser: the agent finds the caller in the account data, masked, then
opens the ticket for the call."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.plugins.browser import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WAIT = 15_000


@pytest.fixture(scope="module")
def caller(live_app, live_server):
    """Amandine Garnier, mother of Hugo, in the live server's account data."""
    from helpdesk.core.db import session_scope
    from tests.plugins.factories import AccountData

    with session_scope(live_app.extensions["helpdesk_db"].session_factory) as session:
        data = AccountData(session)
        data.default_school = data.school(type="elementaire", nom="École élémentaire du Parc")
        parent, _, _ = data.family(
            nom="Garnier",
            prenom="Amandine",
            children=(("Hugo", date(2016, 5, 14)),),
            etat="non_notifie",
            telephone_portable="06 98 76 54 32",
            email="amandine.garnier@example.fr",
        )
        return parent.responsable_id


def test_a_phone_call_becomes_a_ticket_about_the_right_person(
    caller, live_app, live_server, browser
):
    from sqlalchemy import select

    from helpdesk.core.db import session_scope
    from helpdesk.tickets.models import Ticket

    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(WAIT)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server, "agent@ac-test.fr")

    page.goto(f"{live_server}/tickets")
    page.get_by_role("link", name="Appel ou visite").first.click()
    page.wait_for_url(re.compile(r"/tickets/appel"))
    assert serious_violations(page) == []
    assert page.get_by_label("Appel téléphonique").is_checked()

    # An empty look-up is refused with a French message, nothing is lost.
    page.get_by_role("button", name="Rechercher dans les comptes").click()
    page.get_by_text("Indiquez au moins un nom").wait_for()

    page.get_by_label("Nom", exact=True).fill("Garnier")
    page.get_by_label("Prénom", exact=True).fill("Amandine")
    page.get_by_label("Téléphone de la personne").fill("06 98 76 54 32")
    page.get_by_label("Prénom de l'enfant").fill("Hugo")
    page.get_by_role("button", name="Rechercher dans les comptes").click()
    page.get_by_role("heading", name="Dans les données des comptes").wait_for()
    person = page.locator(f"[data-responsable='{caller}']")
    assert person.count() == 1
    assert "A. G." in person.inner_text()
    assert "amandine.garnier@example.fr" not in person.inner_text()
    assert serious_violations(page) == []

    page.get_by_label("Motif (la nature en découle)").select_option("activation_sms")
    page.get_by_label("Objet").fill("Code SMS jamais reçu")
    page.get_by_label("Ce que la personne demande").fill(
        "Mme Garnier appelle : le code SMS d'activation n'arrive pas sur son mobile."
    )
    # Opening runs the diagnosis before the redirect: slower than a plain page under load.
    with page.expect_navigation(url=re.compile(r"/tickets/\d{4}-\d{6}$"), timeout=4 * WAIT):
        page.get_by_role("button", name="Ouvrir la demande").click(no_wait_after=True)
    reference = page.url.rsplit("/", 1)[1]
    assert f"Demande {reference} ouverte pour cet appel" in page.content()
    assert serious_violations(page) == []

    with session_scope(live_app.extensions["helpdesk_db"].session_factory) as session:
        ticket = session.scalar(select(Ticket).where(Ticket.reference == reference))
        assert ticket.channel == "telephone"
        assert ticket.requester_phone == "06 98 76 54 32"
        assert ticket.diagnosis_summary
    # The refused look-up answers 422, which the browser reports; nothing else went wrong.
    assert [e for e in errors if "status of 422" not in e] == []
    context.close()
