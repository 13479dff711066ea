"""A parent typing in the contact form sees the right article before sending, and says so."""

import re

import pytest

from tests.plugins.browser import serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_parent_sees_the_sms_article_while_typing(live_server, page):
    page.goto(f"{live_server}/contact")
    page.locator("#subject").press_sequentially("code sms jamais recu", delay=15)
    suggestions = page.locator("#articles-suggeres")
    first = suggestions.locator("li").first
    first.get_by_role("link").wait_for()
    assert first.get_by_role("link").get_attribute("href") == "/faq/code-sms-non-recu"
    assert "Je ne reçois pas le code SMS" in first.inner_text()
    assert suggestions.locator("li").count() == 3
    assert suggestions.locator("mark").count() > 0
    assert serious_violations(page) == []

    # Typing on without changing the articles keeps them (and the button) in place.
    page.locator("#message").press_sequentially("Bonjour, le code n'arrive pas.", delay=5)
    page.wait_for_timeout(700)
    assert first.get_by_role("link").get_attribute("href") == "/faq/code-sms-non-recu"

    first.get_by_role("button", name=re.compile("Cet article répond à ma question")).click()
    first.get_by_text("Merci").wait_for()
    assert first.get_by_role("button").count() == 0
    # Nothing was sent: the form is still there, filled.
    assert page.locator("#subject").input_value() == "code sms jamais recu"
    assert page.console_errors == []

    # The agents' dashboard counts it.
    sign_in(page, live_server, "agent@ac-test.fr")
    page.goto(f"{live_server}/accueil")
    section = page.locator("section", has=page.locator("#titre-deflexion"))
    assert "code-sms-non-recu (1)" in section.inner_text()
    contact_row = section.locator("tbody tr").first
    cells = [c.inner_text().strip() for c in contact_row.locator("td").all()]
    assert int(cells[0]) >= 1 and int(cells[1]) == 1
