"""The contact form's intake questions in a real browser: wording, accessibility, sending."""

import pytest

from tests.plugins.browser import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def label_text(page, field_id: str) -> str:
    return page.locator(f'label[for="{field_id}"]').inner_text()


def test_intake_questions_follow_who_writes_and_stay_accessible(live_server, page):
    page.goto(f"{live_server}/contact")
    assert serious_violations(page) == []
    assert label_text(page, "child_birth_date").startswith("Date de naissance de l'enfant")
    assert page.locator("#child_first_name").is_visible()

    page.locator('label[for="requester_kind-1"]').click()  # DSFR radios: the label
    assert label_text(page, "child_birth_date").startswith("Votre date de naissance")
    assert label_text(page, "login").startswith("Ton identifiant EduConnect")
    assert page.locator("#enfant-legend").inner_text().startswith("Votre scolarité")
    assert not page.locator("#child_first_name").is_visible()
    assert serious_violations(page) == []

    page.locator('label[for="requester_kind-0"]').click()
    assert label_text(page, "child_birth_date").startswith("Date de naissance de l'enfant")
    assert page.locator("#child_first_name").is_visible()

    # A wrong date is refused in French and what was typed stays.
    page.locator("#last_name").fill("Garnier")
    page.locator("#first_name").fill("Inès")
    page.locator("#email").fill("ines.garnier@example.org")
    page.locator("#child_last_name").fill("Garnier-Roux")
    page.locator("#child_birth_date").fill("2099-03-14")
    page.locator("#login").fill("i.garnier4")
    page.locator('label[for="path_tried-1"]').click()
    page.locator("#message_shown").fill("Vos informations ne correspondent pas")
    page.locator("#subject").fill("FranceConnect refuse mon compte")
    page.locator("#message").fill("Bonjour, FranceConnect ne me laisse pas accéder à mon compte.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_load_state()
    assert "Cette date de naissance n'est pas possible" in page.content()
    assert page.locator("#child_last_name").input_value() == "Garnier-Roux"
    assert page.locator("#path_tried-1").is_checked()
    assert serious_violations(page) == []

    page.locator("#child_birth_date").fill("2016-03-14")
    page.get_by_role("button", name="Envoyer ma demande").click(timeout=60_000)
    page.wait_for_url("**/contact/envoye", timeout=60_000)
    # The refused submission's 422 is logged by the browser; nothing else may be.
    assert [e for e in page.console_errors if "422" not in e] == []
