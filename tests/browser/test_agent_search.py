"""An agent finds a request from the header's search box and links an article in the reply."""

import re

import pytest

from tests.plugins.browser import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def send_request(page, base: str) -> str:
    page.goto(f"{base}/contact")
    page.locator("#last_name").fill("Quintard")
    page.locator("#first_name").fill("Mélissandre")
    page.locator("#email").fill("m.quintard@example.org")
    page.locator("#subject").fill("Code SMS jamais reçu")
    page.locator("#message").fill("Le code n'arrive pas, j'ai essayé trois fois. Xylophage.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**/contact/envoye")
    return re.search(r"\d{4}-\d{6}", page.content()).group(0)


def test_header_search_then_insert_an_article_link(live_server, page):
    reference = send_request(page, live_server)
    sign_in(page, live_server, "agent@ac-test.fr")
    page.goto(f"{live_server}/accueil")
    page.locator("#recherche-globale-q").press_sequentially("xylophage", delay=10)
    preview = page.locator("#recherche-globale-apercu")
    preview.get_by_role("link", name=re.compile(reference)).wait_for()
    assert serious_violations(page) == []
    page.keyboard.press("Escape")
    preview.get_by_role("link").first.wait_for(state="detached")

    # Enter opens the full results page.
    page.locator("#recherche-globale-q").fill("xylophage")
    page.locator("#recherche-globale-q").press("Enter")
    page.wait_for_url(re.compile(r"/recherche\?q=xylophage"))
    page.get_by_role("link", name=reference).click()
    page.wait_for_url(f"**/tickets/{reference}")

    reply = page.locator("#reply-body")
    reply.fill("Bonjour,\n\nVoici l'article : ")
    reply.press("End")
    panel = page.locator("section", has=page.locator("#articles-utiles"))
    panel.get_by_role("link", name=re.compile("Insérer le lien")).first.click()
    assert page.url.endswith(f"/tickets/{reference}")  # no reload: inserted in place
    text = reply.input_value()
    assert text.startswith("Bonjour,\n\nVoici l'article : Je ne reçois pas le code SMS : http")
    assert text.endswith("/faq/code-sms-non-recu")
    assert page.console_errors == [], page.console_errors
