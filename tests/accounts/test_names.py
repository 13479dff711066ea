from __future__ import annotations

from datetime import date

import pytest

from helpdesk.accounts.names import (
    CLOSE,
    FAR,
    OTHER,
    SAME,
    civility_gender,
    first_name_level,
    parse_loose_date,
    surname_alternatives,
    surname_level,
)


@pytest.mark.parametrize(
    ("given", "recorded", "level"),
    [
        ("Dupont", "DUPONT", SAME),
        ("Le Goff", "Legoff", SAME),
        ("de La Fontaine", "Lafontaine", SAME),
        ("N'Diaye", "Ndiaye", SAME),
        ("Dupond", "Dupont", CLOSE),
        ("Martin", "Martin-Dupont", CLOSE),
        ("Lefebre", "Lefebvre", CLOSE),
        ("Lefèbre", "Lefebvres", FAR),
        ("Dupont", "Durand", OTHER),
        ("Dupont épouse Martin", "Martin", SAME),
        ("", "Dupont", None),
    ],
)
def test_surname_level(given, recorded, level):
    assert surname_level(given, recorded) == level


@pytest.mark.parametrize(
    ("given", "recorded", "level"),
    [
        ("Celine", "Céline", SAME),
        ("Marie Claire", "Marie-Claire", SAME),
        ("Marieclaire", "Marie-Claire", SAME),
        ("Marie", "Marie-Claire", CLOSE),
        ("Cléine", "Céline", CLOSE),
        ("Christele", "Christelle", CLOSE),
        ("Cristele", "Christelle", FAR),
        ("Louis", "Louise", OTHER),
        ("Jean", "Jeanne", OTHER),
        ("Daniel", "Danielle", OTHER),
        ("Léa", "Léo", FAR),
        ("Lce", "Luce", FAR),
        ("Lou", "Léo", OTHER),
        ("Jean", "Paul", OTHER),
        ("Celia", "Céline", OTHER),
        (None, "Céline", None),
    ],
)
def test_first_name_level(given, recorded, level):
    assert first_name_level(given, recorded) == level


def test_surname_alternatives_split_married_and_birth_names():
    assert surname_alternatives("Dupont née Martin") == ("dupont martin", "dupont", "martin")
    assert surname_alternatives("Dupont") == ("dupont",)


@pytest.mark.parametrize(
    "writing",
    ["02/03/2015", "2/3/2015", "02-03-2015", "02.03.15", "2015-03-02", "2 mars 2015",
     "02032015", " 02 / 03 / 2015 "],
)  # fmt: skip
def test_usual_date_writings(writing):
    assert parse_loose_date(writing) == date(2015, 3, 2)


@pytest.mark.parametrize("writing", ["31/02/2015", "bientôt", "", None, "13/13/2013"])
def test_unreadable_dates_are_none(writing):
    assert parse_loose_date(writing) is None


def test_civility_gender():
    assert civility_gender("M.") == "M"
    assert civility_gender("MME") == "F"
    assert civility_gender("") is None
