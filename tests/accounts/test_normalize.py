"""Normalisation of dates, names, identifiers and CSV headers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from helpdesk.accounts.normalize import (
    DateError,
    check_letter,
    code_key,
    compact_key,
    email_key,
    header_key,
    is_valid_ine,
    is_valid_uai,
    name_key,
    name_parts,
    parse_date,
    parse_datetime,
    phonetic_key,
)


def test_dates_in_french_and_iso_writing():
    assert parse_date("02/03/2015") == date(2015, 3, 2)
    assert parse_date("2/3/2015") == date(2015, 3, 2)
    assert parse_date("2015-03-02") == date(2015, 3, 2)
    assert parse_date("29/02/2024") == date(2024, 2, 29)
    assert parse_date("") is None


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("31/02/2020", "date inexistante"),
        ("29/02/2023", "date inexistante"),
        ("2020-13-01", "date inexistante"),
        ("00/01/2020", "date inexistante"),
        ("hier", "date illisible"),
        ("02/03/15", "date illisible"),
    ],
)
def test_impossible_or_unreadable_dates(written, message):
    with pytest.raises(DateError, match=message):
        parse_date(written)
    with pytest.raises(DateError, match=message):
        parse_datetime(written)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("15/01/2026 08:00", datetime(2026, 1, 15, 7, 0, tzinfo=UTC)),  # winter: UTC+1
        ("15/07/2026 08:00", datetime(2026, 7, 15, 6, 0, tzinfo=UTC)),  # summer: UTC+2
        ("15/07/2026 08:00:30", datetime(2026, 7, 15, 6, 0, 30, tzinfo=UTC)),
        ("15/07/2026 8h05", datetime(2026, 7, 15, 6, 5, tzinfo=UTC)),
        ("15/07/2026", datetime(2026, 7, 14, 22, 0, tzinfo=UTC)),  # a bare date is 00:00
        ("2026-07-15 08:00", datetime(2026, 7, 15, 6, 0, tzinfo=UTC)),
        ("2026-07-15T08:00:00", datetime(2026, 7, 15, 6, 0, tzinfo=UTC)),
        ("2026-07-15T08:00:00Z", datetime(2026, 7, 15, 8, 0, tzinfo=UTC)),
        ("2026-07-15T08:00:00+01:00", datetime(2026, 7, 15, 7, 0, tzinfo=UTC)),
        ("2026-07-15 08:00:00.250", datetime(2026, 7, 15, 6, 0, 0, 250000, tzinfo=UTC)),
        ("29/03/2026 03:30", datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # just after the change
        ("25/10/2026 01:59", datetime(2026, 10, 24, 23, 59, tzinfo=UTC)),
    ],
)
def test_datetimes_are_paris_time_stored_as_utc(written, expected):
    assert parse_datetime(written) == expected


def test_datetime_fast_path_agrees_with_zoneinfo_all_year():
    from helpdesk.util.frenchdates import PARIS

    moment = datetime(2026, 1, 1)
    while moment.year == 2026:
        written = moment.strftime("%d/%m/%Y %H:%M")
        assert parse_datetime(written) == moment.replace(tzinfo=PARIS).astimezone(UTC), written
        moment += timedelta(minutes=97)


def test_check_letters_of_uai_and_ine():
    assert check_letter("0211234") == "C"
    assert is_valid_uai("0750655E") and is_valid_uai("0750654d")
    assert not is_valid_uai("0211234A")
    assert not is_valid_uai("021123C")
    assert is_valid_ine("1234567890V")
    assert not is_valid_ine("1234567890A")
    assert not is_valid_ine("1111111111A")  # ten identical digits
    assert is_valid_ine("123456789AB")  # INE-RNIE: format only


def test_name_keys():
    assert name_key("  Le Goff-N'Diaye ") == "le goff n diaye"
    assert name_key("ÉLODIE-Marie") == "elodie marie"
    assert name_key("Lætitia Œuvray") == "laetitia oeuvray"
    assert name_key(None) == ""
    assert name_parts("Martin-Dupont") == ["martin", "dupont"]
    assert compact_key("Le Goff") == compact_key("LEGOFF") == "legoff"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Dupont", "Dupond"),
        ("Philippe", "Filipe"),
        ("Matthieu", "Mathieu"),
        ("Rousseau", "Rousseaux"),
        ("Caroline", "Karoline"),
        ("Le Goff", "Legoff"),
        ("Hélène", "Helene"),
    ],
)
def test_phonetic_key_merges_spelling_variants(one, other):
    assert phonetic_key(one) == phonetic_key(other)


def test_phonetic_key_keeps_different_names_apart():
    assert phonetic_key("Dupont") != phonetic_key("Martin")
    assert phonetic_key("Bernard") != phonetic_key("Bertrand")


def test_email_key():
    assert email_key(" Celine.Dupont@Example.FR ") == "celine.dupont@example.fr"
    assert email_key("") is None


def test_header_and_code_keys():
    assert header_key("\ufeff Élève_ID ") == "eleve_id"
    assert header_key("Date Naissance") == "date_naissance"
    assert header_key("DATE-NAISSANCE") == "date_naissance"
    assert code_key(" Définitive ") == "definitive"
    assert code_key("1ère").upper() == "1ERE"
    assert code_key("Autre membre famille") == "autre_membre_famille"
