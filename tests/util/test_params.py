from datetime import date

import pytest

from helpdesk.util.params import (
    ID_MAX,
    InvalidParameter,
    clean_text,
    parse_choice,
    parse_date,
    parse_id,
    parse_int,
    parse_page,
)


def test_whole_numbers_in_ascii_digits_within_bounds():
    assert parse_int(" 42 ", "n") == 42
    assert parse_id(str(ID_MAX), "id") == ID_MAX
    assert parse_id("", "id") is None
    assert parse_page(None) == 1
    assert parse_page("3") == 3


@pytest.mark.parametrize("raw", ["²", "١٢", "1e3", "0x10", "abc", "9" * 40, "-1", str(ID_MAX + 1)])
def test_other_numbers_are_refused_in_french(raw):
    with pytest.raises(InvalidParameter) as caught:
        parse_id(raw, "ecole")
    assert "« ecole »" in str(caught.value)
    assert caught.value.name == "ecole"


def test_page_zero_and_far_pages_are_refused():
    for raw in ("0", "100001", "²"):
        with pytest.raises(InvalidParameter, match="de page"):
            parse_page(raw)


def test_dates_at_the_ends_of_the_calendar_are_refused():
    assert parse_date("2026-09-01", "du") == date(2026, 9, 1)
    assert parse_date(" ", "du") is None
    for raw in ("0001-01-01", "9999-12-31", "2026-02-30", "01/09/2026"):
        with pytest.raises(InvalidParameter, match="« du »"):
            parse_date(raw, "du")


def test_choices_and_text():
    assert parse_choice("", "tri", {"recent"}, "recent") == "recent"
    assert parse_choice("recent", "tri", {"recent"}) == "recent"
    with pytest.raises(InvalidParameter):
        parse_choice("autre", "tri", {"recent"})
    assert clean_text("  é" * 300, "q", 10) == "é  é  é  é"
    for raw in ("a\x00b", "a\x1bb", "\ud800"):
        with pytest.raises(InvalidParameter, match="caractère interdit"):
            clean_text(raw, "q")
    assert clean_text("ligne\nsuivante\ttab", "q") == "ligne\nsuivante\ttab"
