from __future__ import annotations

from datetime import date

import pytest

from helpdesk.diagnostics.typos import (
    check_email,
    date_difference,
    likely_provider,
    phone_difference,
)


@pytest.mark.parametrize(
    ("domain", "provider"),
    [
        ("gmial.com", "gmail.com"),  # two neighbours swapped
        ("hotmial.fr", "hotmail.fr"),
        ("gmail.con", "gmail.com"),  # one letter changed
        ("orange.rf", "orange.fr"),
        ("wanado.fr", "wanadoo.fr"),  # one letter missing
        ("yahooo.fr", "yahoo.fr"),  # one letter too many
        ("gmai.co", "gmail.com"),  # two slips
        ("GMIAL.COM", "gmail.com"),
    ],
)
def test_a_domain_within_two_slips_of_a_provider_is_suspect(domain, provider):
    assert likely_provider(domain) == provider


@pytest.mark.parametrize(
    "domain", ["gmail.com", "laposte.net", "ac-dijon.fr", "example.fr", "gmx.de", "gmal.co.uk"]
)
def test_known_providers_and_real_domains_are_not_suspect(domain):
    assert likely_provider(domain) is None


def test_three_slips_is_another_domain():
    assert likely_provider("gxmil.cm") is None
    assert likely_provider("orange.com") is None


def test_the_provider_list_is_configurable():
    assert likely_provider("ac-dijom.fr") is None
    assert likely_provider("ac-dijom.fr", ("ac-dijon.fr",)) == "ac-dijon.fr"


def test_check_email_explains_the_problem():
    assert check_email("celine.dupont@gmial.com").likely_domain == "gmail.com"
    assert "syntaxe" in check_email("celine.dupont@@gmail.com").reason
    assert "syntaxe" in check_email("celine.dupont.gmail.com").reason
    assert check_email("celine.dupont@gmail.com") is None


@pytest.mark.parametrize(
    ("given", "gap"),
    [
        ("06 12 34 56 87", "deux chiffres inversés"),
        ("06 21 34 56 78", "deux chiffres inversés"),
        ("06 12 34 56 79", "un chiffre différent"),
        ("06 12 34 5 78", "un chiffre manquant"),
        ("06 12 34 556 78", "un chiffre en trop"),
        ("07 98 76 54 32", ""),
        ("+33 6 12 34 56 78", ""),
    ],
)
def test_phone_difference(given, gap):
    assert phone_difference(given, "+33612345678") == gap


@pytest.mark.parametrize(
    ("given", "gap"),
    [
        (date(2015, 2, 3), "jour et mois inversés"),
        (date(2016, 3, 2), "année différente"),
        (date(2015, 3, 20), "deux chiffres voisins inversés"),
        (date(2015, 3, 12), "un chiffre différent"),
        (date(2011, 7, 14), "date différente"),
        (date(2015, 3, 2), ""),
    ],
)
def test_date_difference(given, gap):
    assert date_difference(given, date(2015, 3, 2)) == gap


@pytest.mark.parametrize(
    ("given", "text", "slip"),
    [
        ("06 12 43 56 78", "les 5e et 6e chiffres sont inversés", True),
        ("06 12 34 56 79", "le 10e chiffre diffère", True),
        ("06 12 34 5 78", "il manque un chiffre (le 8e)", True),
        ("06 12 34 556 78", "un chiffre en trop (le 8e)", True),
        ("06 18 34 56 72", "les 4e et 10e chiffres sont échangés", False),
        ("07 81 22 33 44", "numéro différent", False),
    ],
)
def test_phone_gap_says_which_digits_and_whether_it_is_a_slip(given, text, slip):
    from helpdesk.diagnostics.typos import phone_gap

    gap = phone_gap(given, "06 12 34 56 78")
    assert (gap.text, gap.is_slip) == (text, slip)


@pytest.mark.parametrize(
    ("given", "slip"),
    [
        (date(2015, 2, 3), True),  # day and month swapped
        (date(2015, 3, 20), True),  # neighbouring digits
        (date(2015, 3, 12), True),  # one digit
        (date(2014, 3, 2), True),  # one digit of the year
        (date(2012, 5, 1), False),
    ],
)
def test_date_gap_slips(given, slip):
    from helpdesk.diagnostics.typos import date_gap

    assert date_gap(given, date(2015, 3, 2)).is_slip is slip
