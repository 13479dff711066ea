"""The SLA clock in a browser: it stands still while the agent waits for the requester."""

from __future__ import annotations

import re

import pytest

from tests.plugins.browser import serious_violations, sign_in
from tests.plugins.database import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WAIT = 15_000


@pytest.fixture(scope="module")
def waiting_setup(live_app, live_server):
    """An admin of the SLA settings and a new ticket on the live server's database."""
    from helpdesk.auth.models import User
    from helpdesk.auth.passwords import hash_password
    from helpdesk.core.db import session_scope
    from helpdesk.core.runtime import service_context
    from helpdesk.tickets.services import TicketInput, open_ticket

    ctx = service_context(live_app)
    with session_scope(live_app.extensions["helpdesk_db"].session_factory) as session:
        session.add(
            User(
                email="admin-delais@ac-test.fr",
                display_name="Adèle Délais",
                role="admin",
                password_hash=hash_password(PASSWORD),
            )
        )
        ticket = open_ticket(
            session,
            ctx,
            None,
            TicketInput(
                subject="Code d'activation jamais reçu",
                body="Bonjour, le code SMS n'arrive pas sur mon téléphone.",
                channel="formulaire_contact",
                requester_name="Nadia Attente",
                requester_email="nadia.attente@example.org",
                motif="activation_sms",
            ),
        )
        return ticket.reference


def _page(browser, live_server, email):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(WAIT)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    sign_in(page, live_server, email)
    return page


def test_the_clock_pauses_while_waiting_and_resumes_on_the_answer(
    waiting_setup, live_app, live_server, browser
):
    from sqlalchemy import select

    from helpdesk.core.db import session_scope
    from helpdesk.core.runtime import service_context
    from helpdesk.tickets.models import Ticket
    from helpdesk.tickets.services import add_message

    reference = waiting_setup
    admin = _page(browser, live_server, "admin-delais@ac-test.fr")
    admin.goto(f"{live_server}/admin/delais")
    assert admin.locator("#pause-oui").is_checked()
    assert serious_violations(admin) == []

    agent = _page(browser, live_server, "agent@ac-test.fr")
    agent.goto(f"{live_server}/tickets/{reference}")
    agent.locator("#reply-body").fill("Quel numéro de mobile avez-vous donné à l'école ?")
    agent.get_by_role("button", name="Envoyer").click()
    agent.wait_for_url(re.compile(reference))
    badge = agent.locator(".fr-badge", has_text="Échéance")
    badge.first.wait_for()
    assert "en pause, en attente du demandeur" in badge.first.text_content()
    assert "a suspendu le délai (attente du demandeur)" in agent.content()
    assert serious_violations(agent) == []
    # Not late in the queue's overdue view, whatever its due date.
    agent.goto(f"{live_server}/tickets?sla=depasse")
    assert agent.locator(f"tr[data-reference='{reference}']").count() == 0

    # The requester answers (by e-mail or the tracking page): the clock runs again.
    ctx = service_context(live_app)
    with session_scope(live_app.extensions["helpdesk_db"].session_factory) as session:
        ticket = session.scalar(select(Ticket).where(Ticket.reference == reference))
        add_message(session, ctx, ticket, None, "C'est le 06 12 34 56 78.")
    agent.goto(f"{live_server}/tickets/{reference}")
    badge = agent.locator(".fr-badge", has_text="Échéance")
    badge.first.wait_for()
    assert "en pause" not in badge.first.text_content()
    assert "a relancé le délai ; temps suspendu" in agent.content()

    # The admin turns the pause off: the next wait no longer stops the clock.
    admin.locator("label[for=pause-non]").click()
    admin.get_by_role("button", name="Enregistrer", exact=True).last.click()
    admin.wait_for_url(re.compile(r"/admin/delais"))
    assert "Le délai court aussi" in admin.content()
    assert admin.locator("#pause-non").is_checked()
    admin.locator("label[for=pause-oui]").click()
    admin.get_by_role("button", name="Enregistrer", exact=True).last.click()
    admin.wait_for_url(re.compile(r"/admin/delais"))
    assert admin.locator("#pause-oui").is_checked()
    assert agent.console_errors == [] and admin.console_errors == []
    agent.context.close()
    admin.context.close()
