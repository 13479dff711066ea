"""The reports in a browser: charts beside their tables, the school picker, no axe violation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.plugins.browser import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def reported(live_app, live_server):
    """A few recent tickets of a school of their own, one of them answered.

    Other browser tests share the live server's database and file tickets at its schools;
    a school only this module uses keeps the counts below to what it created.
    """
    from helpdesk.core.db import session_scope
    from helpdesk.core.runtime import service_context
    from helpdesk.schools.models import School
    from helpdesk.tickets.services import TicketInput, open_ticket
    from helpdesk.util.text import search_key
    from tests.plugins.database import uai_for

    ctx = service_context(live_app)
    with session_scope(live_app.extensions["helpdesk_db"].session_factory) as session:
        uai = uai_for(2177770)
        school = School(
            uai=uai,
            name="École élémentaire des Tilleuls",
            type="elementaire",
            commune="Vézelay",
            search_key=search_key("École élémentaire des Tilleuls", "Vézelay", uai),
        )
        session.add(school)
        session.flush()
        for n in range(3):
            ticket = open_ticket(
                session,
                ctx,
                None,
                TicketInput(
                    subject=f"Rapport {n}",
                    body="Le code SMS n'arrive pas.",
                    channel="formulaire_contact",
                    requester_name="Claire Martin",
                    requester_email="claire.martin@example.org",
                    motif="activation_sms",
                    school_id=school.id,
                    created_at=datetime.now(UTC) - timedelta(hours=2 + n),
                ),
            )
            if n == 0:
                ticket.first_response_at = ticket.created_at + timedelta(minutes=30)
        return school


def test_agent_reads_the_reports_and_picks_a_school(live_server, page, reported):
    sign_in(page, live_server, "agent@ac-test.fr")
    page.get_by_role("link", name="Rapports").first.click()
    page.get_by_role("heading", name="Volume des demandes").wait_for(timeout=15_000)
    assert page.locator("figure svg[role=img]").count() >= 4
    motif = page.get_by_role("table", name="Demandes par motif")
    assert "Total" in motif.inner_text()
    assert serious_violations(page) == []

    page.get_by_role("searchbox", name="École").press_sequentially("tilleuls", delay=20)
    choice = page.locator("#ecoles-proposees").get_by_role("link", name="Vézelay")
    choice.wait_for(timeout=15_000)
    choice.click()
    page.get_by_text(f"École élémentaire des Tilleuls ({reported.uai}), demandes reçues").wait_for(
        timeout=15_000
    )

    page.get_by_role("link", name="Délais").click()
    page.get_by_role("heading", name="Délais et respect des objectifs").wait_for(timeout=15_000)
    assert f"ecole={reported.uai}" in page.url
    summary = page.get_by_role("table", name="Respect des délais")
    first = summary.get_by_role("row", name="Première réponse")
    cells = [cell.inner_text() for cell in first.get_by_role("cell").all()]
    assert cells[:2] == ["3", "1"]  # received, answered
    assert serious_violations(page) == []
    assert page.console_errors == []


def test_director_gets_no_report(live_server, page):
    sign_in(page, live_server, "directeur@ac-test.fr")
    response = page.goto(f"{live_server}/rapports")
    assert response is not None and response.status == 404
    assert page.get_by_role("link", name="Rapports").count() == 0
