"""Demo mode in a browser: an admin reads the caught mails and follows their links."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.plugins.browser import serious_violations, sign_in
from tests.plugins.database import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

WAIT = 15_000


@pytest.fixture(scope="module")
def caught(live_app, live_server):
    """Demo mode on, an admin, and a parent's request whose acknowledgement is caught."""
    from helpdesk.auth.models import User
    from helpdesk.auth.passwords import hash_password
    from helpdesk.core.db import session_scope
    from helpdesk.core.runtime import service_context
    from helpdesk.mail.models import MailSetting
    from helpdesk.tickets.services import TicketInput, open_ticket

    with session_scope(live_app.extensions["helpdesk_db"].session_factory) as session:
        session.merge(MailSetting(key="sandbox", value="1"))
        session.add(
            User(
                email="admin.courriels@ac-test.fr",
                display_name="Alex Admin",
                role="admin",
                password_hash=hash_password(PASSWORD),
            )
        )
        ticket = open_ticket(
            session,
            service_context(live_app),
            None,
            TicketInput(
                subject="Courriel retenu pour la démonstration",
                body="Bonjour, je ne reçois pas le code.",
                channel="formulaire_contact",
                requester_name="Lou Parent",
                requester_email="lou.parent@example.org",
                motif="activation_sms",
            ),
        )
        return ticket.reference


def test_admin_reads_a_caught_mail_and_follows_its_tracking_link(caught, live_server, page):
    sign_in(page, live_server, "admin.courriels@ac-test.fr")
    page.goto(f"{live_server}/courriels?a=lou.parent")
    expect(page.get_by_role("heading", name="Courriels de la démonstration")).to_be_visible(
        timeout=WAIT
    )
    assert serious_violations(page) == []
    page.get_by_role("link", name=f"[{caught}]").first.click()
    expect(page.get_by_text("lou.parent@example.org").first).to_be_visible(timeout=WAIT)
    assert serious_violations(page) == []
    link = page.locator(".app-mail-preview a[href*='/suivi/']").first
    assert link.get_attribute("href").startswith(live_server)
    page.goto(link.get_attribute("href"))
    expect(page.get_by_role("heading", name=f"Votre demande {caught}")).to_be_visible(timeout=WAIT)
    assert page.console_errors == []
