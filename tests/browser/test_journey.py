"""A parent writes, an agent finds and answers through the htmx queue, the parent reads it."""

import re

import pytest

from tests.plugins.browser import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def tracking_link_mailed_to(live_app, address: str) -> str:
    from sqlalchemy import select

    from helpdesk.core.db import session_scope
    from helpdesk.mail.models import OutboxMessage

    with session_scope(live_app.extensions["helpdesk_db"].session_factory) as session:
        body = session.scalar(
            select(OutboxMessage.body_text)
            .where(OutboxMessage.to_address == address, OutboxMessage.kind == "request_received")
            .order_by(OutboxMessage.id.desc())
        )
    return re.search(r"http\S+/suivi/\S+", body).group(0)


def test_parent_to_agent_and_back(live_server, live_app, page):
    # The parent writes through the public form.
    page.goto(f"{live_server}/contact")
    assert serious_violations(page) == []
    page.locator("#last_name").fill("Lefebvre")
    page.locator("#first_name").fill("Océane")
    page.locator("#email").fill("oceane.lefebvre@example.org")
    page.locator("#child_first_name").fill("Jules")
    page.locator("#school_query").fill("tilleuls")
    page.locator("#ecoles-proposees label", has_text="École élémentaire des Tilleuls").click()
    assert page.get_by_label(re.compile("École élémentaire des Tilleuls")).is_checked()
    page.locator("#subject").fill("Code SMS jamais reçu")
    page.locator("#message").fill("Bonjour, je ne reçois jamais le code SMS pour activer.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/contact/envoye")
    assert "Votre demande a bien été envoyée" in page.content()
    # The page gives the reference only; the tracking link goes by e-mail.
    assert "/suivi/" not in page.content()
    tracking_url = tracking_link_mailed_to(live_app, "oceane.lefebvre@example.org")
    reference = re.search(r"\d{4}-\d{6}", page.content()).group(0)

    # The agent finds it through the htmx filters and answers.
    sign_in(page, live_server, "agent@ac-test.fr")
    page.goto(f"{live_server}/tickets")
    assert serious_violations(page) == []
    page.locator("#statut").select_option("nouveau")
    page.wait_for_url(re.compile(r"statut=nouveau"))
    page.locator("#q").fill("lefebvre")
    page.wait_for_url(re.compile(r"q=lefebvre"))
    link = page.locator("#resultats").get_by_role("link", name=reference)
    link.wait_for()
    assert page.locator("#resultats tbody tr").count() == 1
    link.click()
    page.wait_for_url(f"**/tickets/{reference}")
    assert serious_violations(page) == []
    page.locator("#reply-body").fill(
        "Bonjour, votre numéro de portable n'est pas celui de l'école."
    )
    page.get_by_role("button", name="Envoyer", exact=True).click()
    page.wait_for_url(f"**/tickets/{reference}")
    assert "Réponse envoyée." in page.content()
    page.go_back()

    # The parent reads the answer through the signed link, without an account.
    page.context.clear_cookies()
    page.goto(tracking_url)
    assert (
        "votre numéro de portable n&#39;est pas celui de l&#39;école" in page.content()
        or "votre numéro de portable n'est pas celui de l'école" in page.content()
    )
    assert serious_violations(page) == []
    assert page.console_errors == []


def test_login_and_portal_are_accessible(live_server, page):
    page.goto(f"{live_server}/login")
    assert serious_violations(page) == []
    sign_in(page, live_server, "directeur@ac-test.fr")
    page.goto(f"{live_server}/demandes")
    assert serious_violations(page) == []
    page.goto(f"{live_server}/demandes/nouvelle")
    assert serious_violations(page) == []
    assert page.console_errors == []
