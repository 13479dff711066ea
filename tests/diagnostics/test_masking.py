from __future__ import annotations

from datetime import date

from helpdesk.diagnostics.masking import Masker, initials, mask_email, mask_phone


def test_phone_keeps_first_and_last_pairs():
    assert mask_phone("+33612345678") == "06 ** ** ** 78"
    assert mask_phone("06 12 34 56 78") == "06 ** ** ** 78"
    assert mask_phone("0612") == "****"


def test_overseas_mobile_is_masked_in_its_national_writing():
    assert mask_phone("+594694123456") == "0694 ** ** 56"


def test_email_keeps_initial_and_domain():
    assert mask_email("celine.dupont@gmial.com") == "c***@gmial.com"
    assert mask_email("pas-une-adresse") == "p***"


def test_initials_of_compound_names():
    assert initials("Marie-Claire Le Goff") == "M.-C. L. G."


def test_masker_shows_clear_values_when_disabled():
    clear, masked = Masker(False), Masker(True)
    assert clear.phone("+33612345678") == "06 12 34 56 78"
    assert masked.phone("+33612345678") == "06 ** ** ** 78"
    assert clear.email("a.b@free.fr") == "a.b@free.fr"
    assert masked.name("Léa", "Dupont") == "L. D."
    assert clear.name("Léa", "Dupont") == "Léa Dupont"
    assert masked.birth_date(date(2015, 3, 2)) == "**/**/2015"
    assert clear.birth_date(date(2015, 3, 2)) == "02/03/2015"
    assert masked.login("celine.dupont114") == "cel****4"
