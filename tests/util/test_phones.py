"""Phone numbers read once for imports, forms and diagnostics."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from helpdesk.util.phones import (
    mobile_in_text,
    national_digits,
    national_format,
    parse_french_phone,
    parse_phone,
    read_number,
    written_forms,
)


@pytest.mark.parametrize(
    "written",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "+33612345678",
        "0033612345678",
        "00 33 6 12 34 56 78",
        " 6 12 34 56 78 ",
    ],
)
def test_usual_writings_of_a_mobile_give_one_e164(written):
    phone = parse_phone(written)
    assert (phone.e164, phone.is_valid, phone.is_mobile) == ("+33612345678", True, True)
    assert phone.raw == written.strip()


@pytest.mark.parametrize(
    ("written", "e164", "is_mobile"),
    [
        ("07 56 12 34 56", "+33756123456", True),
        ("0694 12 34 56", "+594694123456", True),  # Guyane
        ("0690 12 34 56", "+590690123456", True),  # Guadeloupe
        ("0696 12 34 56", "+596696123456", True),  # Martinique
        ("0692 12 34 56", "+262692123456", True),  # La Réunion
        ("0639 01 23 45", "+262639012345", True),  # Mayotte
        ("03 80 12 34 56", "+33380123456", False),  # landline
        ("04 70 12 34 56", "+33470123456", False),
        ("0590 12 34 56", "+590590123456", False),  # Guadeloupe landline
        ("+32 470 12 34 56", "+32470123456", False),  # a Belgian mobile is not French
    ],
)
def test_overseas_and_landline_numbers(written, e164, is_mobile):
    phone = parse_phone(written)
    assert (phone.e164, phone.is_valid, phone.is_mobile) == (e164, True, is_mobile)


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("07 12 34 56 78", "+33712345678"),  # 070-072 are not allocated: possible, not valid
        ("0612", None),
        ("06 12 34 56 78 90", None),
        ("pas de portable", None),
    ],
)
def test_invalid_numbers_are_kept_as_written(written, e164):
    phone = parse_phone(written)
    assert phone.raw == written
    assert (phone.e164, phone.is_valid, phone.is_mobile) == (e164, False, False)


def test_empty_phone_is_unknown():
    assert (
        parse_phone("") is None and parse_phone("  ") is None and parse_french_phone(None) is None
    )


def test_the_academie_region_comes_first():
    assert parse_french_phone("0694 12 34 56", regions=("GF", "FR")) == "+594694123456"
    assert parse_french_phone("06 12 34 56 78", regions=("GF", "FR")) == "+33612345678"


def test_fast_path_agrees_with_phonenumbers():
    rng = random.Random(42)
    for _ in range(3000):
        national = "0" + str(rng.randint(1, 9)) + f"{rng.randint(0, 10**8 - 1):08d}"
        number = phonenumbers.parse(national, "FR")
        if not phonenumbers.is_valid_number(number):
            continue
        expected_mobile = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        phone = parse_phone(national)
        assert phone.e164 == phonenumbers.format_number(number, 0)
        assert phone.is_mobile == expected_mobile, national


def test_forms_and_searches_read_overseas_numbers_as_the_import_stores_them():
    assert parse_french_phone("0694 12 34 56") == parse_phone("0694 12 34 56").e164
    assert parse_french_phone("00 33 6 12 34 56 78") == "+33612345678"
    assert parse_french_phone("0612") is None


def test_read_number_is_french_unless_written_international():
    assert read_number("06 12 34 56 78").country_code == 33
    assert read_number("+32 470 12 34 56").country_code == 32
    assert read_number("") is None and read_number("pas de numéro") is None


def test_national_format_of_stored_numbers():
    assert national_format("+33612345678") == "06 12 34 56 78"
    assert national_format("06 12") == "06 12"
    assert national_format(None) == ""


@pytest.mark.parametrize(
    "writing",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "+33 6 12 34 56 78",
        "0033612345678",
        "+33612345678",
        "6 12 34 56 78",
    ],
)
def test_every_usual_writing_gives_the_same_national_digits(writing):
    assert national_digits(writing) == "0612345678"


def test_mobile_in_text_finds_a_mobile_and_skips_a_landline():
    assert mobile_in_text("Fixe 03 80 12 34 56, portable 06 12 34 56 78.") == "06 12 34 56 78"
    assert mobile_in_text("Appelez le 03 80 12 34 56.") is None


def test_written_forms_of_a_french_number_include_the_usual_writings():
    forms = written_forms("+33612345678")

    assert {"06 12 34 56 78", "06.12.34.56.78", "0612345678", "+33 6 12 34 56 78"} <= set(forms)
    assert written_forms("+32470123456") == ("+32470123456",)
