from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpdesk.tickets.sla import (
    DEFAULT_TARGETS,
    AtRiskRule,
    BusinessCalendar,
    SlaState,
    add_business_minutes,
    business_minutes_between,
    due_dates,
    format_business_duration,
    french_public_holidays,
    is_business_time,
    next_opening,
)

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
CAL = BusinessCalendar()


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    return datetime(year, month, day, hour, minute, second, tzinfo=PARIS)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- add_business_minutes ------------------------------------------------------------------


def test_result_is_utc():
    result = add_business_minutes(paris(2026, 3, 3, 9, 0), 10, CAL)
    assert result.tzinfo is UTC
    assert result == utc(2026, 3, 3, 8, 10)


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        pytest.param(paris(2026, 3, 3, 12, 0), 60, paris(2026, 3, 3, 14, 0), id="lunch-break"),
        pytest.param(paris(2026, 3, 3, 12, 0), 30, paris(2026, 3, 3, 12, 30), id="until-lunch"),
        pytest.param(paris(2026, 3, 3, 12, 0), 31, paris(2026, 3, 3, 13, 31), id="past-lunch"),
        pytest.param(paris(2026, 3, 3, 17, 0), 60, paris(2026, 3, 4, 8, 30), id="evening"),
        pytest.param(paris(2026, 3, 6, 17, 0), 60, paris(2026, 3, 9, 8, 30), id="weekend"),
        pytest.param(paris(2026, 4, 30, 17, 0), 60, paris(2026, 5, 4, 8, 30), id="1-may"),
        pytest.param(paris(2026, 7, 13, 17, 30), 30, paris(2026, 7, 15, 8, 30), id="14-july"),
        pytest.param(paris(2026, 4, 3, 17, 0), 60, paris(2026, 4, 7, 8, 30), id="easter-monday"),
        pytest.param(paris(2026, 5, 13, 17, 0), 60, paris(2026, 5, 15, 8, 30), id="ascension"),
        pytest.param(paris(2026, 5, 7, 17, 0), 60, paris(2026, 5, 11, 8, 30), id="8-may-friday"),
        pytest.param(paris(2026, 3, 4, 2, 0), 30, paris(2026, 3, 4, 8, 30), id="opened-at-night"),
        pytest.param(paris(2026, 3, 7, 10, 0), 30, paris(2026, 3, 9, 8, 30), id="saturday"),
        pytest.param(paris(2026, 7, 14, 10, 0), 30, paris(2026, 7, 15, 8, 30), id="on-holiday"),
        pytest.param(paris(2026, 3, 3, 12, 45), 30, paris(2026, 3, 3, 14, 0), id="at-12h45"),
        pytest.param(paris(2026, 3, 3, 18, 0), 270, paris(2026, 3, 4, 12, 30), id="to-closing"),
    ],
)
def test_add_business_minutes(start, minutes, expected):
    assert add_business_minutes(start, minutes, CAL) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        pytest.param(paris(2026, 3, 4, 2, 0), paris(2026, 3, 4, 8, 0), id="night"),
        pytest.param(paris(2026, 3, 3, 12, 45), paris(2026, 3, 3, 13, 30), id="lunch"),
        pytest.param(paris(2026, 3, 3, 12, 30), paris(2026, 3, 3, 13, 30), id="at-closing"),
        pytest.param(paris(2026, 3, 3, 17, 30), paris(2026, 3, 4, 8, 0), id="at-evening-close"),
        pytest.param(paris(2026, 3, 7, 9, 0), paris(2026, 3, 9, 8, 0), id="saturday"),
        pytest.param(paris(2026, 5, 1, 9, 0), paris(2026, 5, 4, 8, 0), id="holiday"),
        pytest.param(paris(2026, 3, 3, 10, 15), paris(2026, 3, 3, 10, 15), id="open"),
        pytest.param(paris(2026, 3, 3, 8, 0), paris(2026, 3, 3, 8, 0), id="at-opening"),
    ],
)
def test_zero_minutes_is_next_opening(start, expected):
    assert add_business_minutes(start, 0, CAL) == expected
    assert next_opening(start, CAL) == expected


def test_minutes_spanning_several_days():
    # 2400 min = four full days of 510 min, then 360 min on Friday (270 before lunch, 90 after).
    assert add_business_minutes(paris(2026, 3, 2, 8, 0), 2400, CAL) == paris(2026, 3, 6, 15, 0)


def test_minutes_spanning_months():
    # April 2026: 22 weekdays, Easter Monday off -> 21 days of 510 minutes.
    start = paris(2026, 4, 1, 0, 0)
    assert add_business_minutes(start, 21 * 510, CAL) == paris(2026, 4, 30, 17, 30)
    assert add_business_minutes(start, 21 * 510 + 1, CAL) == paris(2026, 5, 4, 8, 1)


def test_input_in_another_zone():
    # 04:00 in New York on 3 March 2026 is 10:00 in Paris.
    start = datetime(2026, 3, 3, 4, 0, tzinfo=NEW_YORK)
    assert add_business_minutes(start, 150, CAL) == paris(2026, 3, 3, 12, 30)
    assert business_minutes_between(start, paris(2026, 3, 3, 14, 0), CAL) == 180


def test_seconds_are_kept():
    start = paris(2026, 3, 3, 12, 29, 30)
    assert add_business_minutes(start, 1, CAL) == paris(2026, 3, 3, 13, 30, 30)


# --- DST ---------------------------------------------------------------------------------


def test_dst_spring_forward_weekend():
    # Last Sunday of March 2026 is the 29th: Friday in CET (UTC+1), Monday in CEST (UTC+2).
    start = paris(2026, 3, 27, 17, 0)
    assert start.astimezone(UTC) == utc(2026, 3, 27, 16, 0)
    result = add_business_minutes(start, 60, CAL)
    assert result == utc(2026, 3, 30, 6, 30)
    assert result.astimezone(PARIS).hour == 8
    assert business_minutes_between(start, result, CAL) == 60


def test_dst_fall_back_weekend():
    # Last Sunday of October 2026 is the 25th: Friday in CEST, Monday in CET.
    start = paris(2026, 10, 23, 17, 0)
    result = add_business_minutes(start, 60, CAL)
    assert result == utc(2026, 10, 26, 7, 30)
    assert business_minutes_between(start, result, CAL) == 60


def test_dst_counts_elapsed_time_not_wall_clock():
    # Open every night 01:00-04:00: the spring change removes an hour, the autumn one adds one.
    night = BusinessCalendar(periods=((time(1, 0), time(4, 0)),), workdays=tuple(range(7)))
    assert business_minutes_between(paris(2026, 3, 29), paris(2026, 3, 30), night) == 120
    assert business_minutes_between(paris(2026, 10, 25), paris(2026, 10, 26), night) == 240
    assert business_minutes_between(paris(2026, 10, 24), paris(2026, 10, 25), night) == 180
    assert add_business_minutes(paris(2026, 3, 29), 120, night) == utc(2026, 3, 29, 2, 0)
    assert add_business_minutes(paris(2026, 3, 29), 121, night) == utc(2026, 3, 29, 23, 1)


# --- business_minutes_between ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(paris(2026, 3, 3, 12, 0), paris(2026, 3, 3, 14, 0), 60, id="lunch"),
        pytest.param(paris(2026, 3, 3, 12, 30), paris(2026, 3, 3, 13, 30), 0, id="only-lunch"),
        pytest.param(paris(2026, 3, 3, 17, 0), paris(2026, 3, 4, 8, 30), 60, id="night"),
        pytest.param(paris(2026, 3, 6, 17, 30), paris(2026, 3, 9, 8, 0), 0, id="weekend"),
        pytest.param(paris(2026, 3, 2, 0, 0), paris(2026, 3, 9, 0, 0), 5 * 510, id="week"),
        pytest.param(paris(2026, 5, 11), paris(2026, 5, 18), 4 * 510, id="ascension-week"),
        pytest.param(paris(2026, 4, 1), paris(2026, 5, 1), 21 * 510, id="april"),
        pytest.param(paris(2026, 3, 3, 9, 0), paris(2026, 3, 3, 9, 0), 0, id="empty"),
        pytest.param(paris(2026, 3, 3, 10, 0), paris(2026, 3, 3, 9, 0), 0, id="reversed"),
        pytest.param(paris(2026, 3, 3, 9, 0, 0), paris(2026, 3, 3, 9, 1, 59), 1, id="floored"),
    ],
)
def test_business_minutes_between(start, end, expected):
    assert business_minutes_between(start, end, CAL) == expected


def test_whole_year_counts_each_open_day():
    # 2026: 261 weekdays, 9 of the 11 public holidays fall on a weekday.
    weekday_holidays = [d for d in french_public_holidays(2026) if d.weekday() < 5]
    assert len(weekday_holidays) == 9
    total = business_minutes_between(paris(2026, 1, 1), paris(2027, 1, 1), CAL)
    assert total == (261 - 9) * 510


def test_several_years_add_up():
    years = [
        business_minutes_between(paris(y, 1, 1), paris(y + 1, 1, 1), CAL)
        for y in (2025, 2026, 2027)
    ]
    assert business_minutes_between(paris(2025, 1, 1), paris(2028, 1, 1), CAL) == sum(years)
    assert years[1] == (261 - 9) * 510


def test_spans_are_additive():
    # Cut points at odd minutes, across days, weeks, the DST changes and the new year.
    moment = paris(2025, 12, 20, 10, 17)
    cuts = []
    for step in (1, 13, 400, 3000, 20_000, 7, 90_000, 45_000, 200_000):
        moment += timedelta(minutes=step)
        cuts.append(moment)
    for i, low in enumerate(cuts):
        for middle in cuts[i:]:
            for high in cuts[cuts.index(middle) :]:
                whole = business_minutes_between(low, high, CAL)
                parts = business_minutes_between(low, middle, CAL) + business_minutes_between(
                    middle, high, CAL
                )
                assert whole == parts, (low, middle, high)


def test_holidays_of_a_year():
    days = french_public_holidays(2026)
    for expected in (date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 14), date(2026, 7, 14)):
        assert expected in days
    assert date(2026, 4, 7) not in days


# --- round trips -----------------------------------------------------------------------------


def _starts():
    # Every 97 minutes from mid-March to late May 2026: nights, lunches, weekends, the spring
    # DST change, Easter Monday, 1 and 8 May, Ascension and Whit Monday.
    moment = paris(2026, 3, 20, 0, 7, 13)
    end = paris(2026, 5, 28)
    while moment < end:
        yield moment
        moment += timedelta(minutes=97)


@pytest.mark.parametrize("minutes", [0, 1, 29, 59, 270, 271, 510, 511, 2400, 4800])
def test_round_trip(minutes):
    for start in _starts():
        due = add_business_minutes(start, minutes, CAL)
        assert business_minutes_between(start, due, CAL) == minutes, start
        assert due >= start
        # The result lands inside hours, or on a closing time when time was counted.
        local = due.astimezone(PARIS)
        at_closing = minutes > 0 and local.time() in (time(12, 30), time(17, 30))
        assert is_business_time(due, CAL) or at_closing, (start, minutes, local)


def test_round_trip_from_any_zone():
    start = datetime(2026, 10, 23, 9, 41, tzinfo=NEW_YORK)
    for minutes in range(0, 3000, 37):
        due = add_business_minutes(start, minutes, CAL)
        assert business_minutes_between(start, due, CAL) == minutes


def test_more_minutes_never_come_earlier():
    start = paris(2026, 5, 13, 16, 20)
    dues = [add_business_minutes(start, m, CAL) for m in range(0, 1500, 7)]
    assert dues == sorted(dues)


# --- calendar ----------------------------------------------------------------------------------


def test_extra_closed_days():
    bridge = BusinessCalendar(extra_closed_days=frozenset({date(2026, 5, 15)}))
    assert add_business_minutes(paris(2026, 5, 13, 17, 0), 60, bridge) == paris(2026, 5, 18, 8, 30)
    assert business_minutes_between(paris(2026, 5, 11), paris(2026, 5, 18), bridge) == 3 * 510


def test_custom_hours_and_workdays():
    saturday_mornings = BusinessCalendar(
        periods=((time(9, 0), time(12, 0)),), workdays=(5,), extra_closed_days={date(2026, 3, 14)}
    )
    assert add_business_minutes(paris(2026, 3, 9, 10, 0), 200, saturday_mornings) == paris(
        2026, 3, 28, 9, 20
    )
    assert isinstance(saturday_mornings.extra_closed_days, frozenset)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"periods": ()},
        {"periods": ((time(10, 0), time(9, 0)),)},
        {"periods": ((time(8, 0), time(12, 0)), (time(11, 0), time(14, 0)))},
        {"workdays": ()},
        {"workdays": (7,)},
        {"tz": "Europe/Nowhere"},
    ],
)
def test_invalid_calendar(kwargs):
    with pytest.raises((ValueError, KeyError)):
        BusinessCalendar(**kwargs)


def test_naive_datetimes_and_negative_minutes_are_refused():
    with pytest.raises(ValueError):
        add_business_minutes(datetime(2026, 3, 3, 9, 0), 10, CAL)
    with pytest.raises(ValueError):
        business_minutes_between(paris(2026, 3, 3), datetime(2026, 3, 4), CAL)
    with pytest.raises(ValueError):
        add_business_minutes(paris(2026, 3, 3, 9, 0), -1, CAL)


def test_due_dates_use_priority_targets():
    opened = paris(2026, 3, 2, 8, 0)
    first, resolution = due_dates(opened, "urgente", CAL)
    assert first == paris(2026, 3, 2, 9, 0)
    assert resolution == paris(2026, 3, 2, 17, 0)
    assert due_dates(opened, "normale", CAL) == (
        paris(2026, 3, 2, 17, 0),
        paris(2026, 3, 6, 15, 0),
    )
    assert set(DEFAULT_TARGETS) == {"urgente", "haute", "normale", "basse"}
    assert all(first < resolution for first, resolution in DEFAULT_TARGETS.values())


# --- display ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 min"),
        (45, "45 min"),
        (60, "1 h"),
        (200, "3 h 20"),
        (185, "3 h 05"),
        (479, "7 h 59"),
        (480, "1 j"),
        (600, "1 j 2 h"),
        (659, "1 j 2 h"),
        (1500, "3 j 1 h"),
    ],
)
def test_format_business_duration(minutes, text):
    assert format_business_duration(minutes) == text


def test_state_ok_with_time_left():
    state = SlaState.compute(
        paris(2026, 3, 3, 16, 50), paris(2026, 3, 3, 13, 30), target_minutes=480, calendar=CAL
    )
    assert (state.status, state.minutes_left, state.label) == ("ok", 200, "3 h 20 restantes")
    assert not state.is_done
    assert state.minutes_overdue == 0


def test_state_ignores_lunch_when_counting_time_left():
    state = SlaState.compute(paris(2026, 3, 3, 14, 0), paris(2026, 3, 3, 11, 0), calendar=CAL)
    assert state.minutes_left == 120
    assert state.label == "2 h restantes"


def test_state_at_risk_under_an_hour():
    state = SlaState.compute(
        paris(2026, 3, 3, 16, 50), paris(2026, 3, 3, 16, 0), target_minutes=480, calendar=CAL
    )
    assert (state.status, state.label) == ("at_risk", "50 min restantes")


def test_state_at_risk_under_a_quarter_of_the_target():
    # Thursday 15:10-17:30, Friday 8:00-12:30 and 13:30-15:00: 500 min, under 25 % of 2400.
    due = paris(2026, 3, 6, 15, 0)
    now = paris(2026, 3, 5, 15, 10)
    state = SlaState.compute(due, now, target_minutes=2400, calendar=CAL)
    assert state.minutes_left == 500
    assert state.status == "at_risk"
    assert state.label == "1 j restant"
    relaxed = SlaState.compute(due, now, target_minutes=2400, calendar=CAL, rule=AtRiskRule(0.1))
    assert relaxed.status == "ok"


def test_state_rule_is_configurable():
    due = paris(2026, 3, 3, 16, 50)
    now = paris(2026, 3, 3, 16, 20)
    assert SlaState.compute(due, now, calendar=CAL).status == "at_risk"
    lenient = AtRiskRule(ratio=0.0, minutes=15)
    assert SlaState.compute(due, now, calendar=CAL, rule=lenient).status == "ok"


def test_state_breached_counts_business_time_overdue():
    # Overdue: Monday 11:00-12:30 and 13:30-17:30, Tuesday 8:00-12:30 = 600 min; now at lunch.
    state = SlaState.compute(paris(2026, 3, 2, 11, 0), paris(2026, 3, 3, 13, 0), calendar=CAL)
    assert state.status == "breached"
    assert state.minutes_left == -600
    assert state.minutes_overdue == 600
    assert state.label == "dépassé de 1 j 2 h"


def test_state_breached_during_closed_time():
    state = SlaState.compute(paris(2026, 3, 6, 17, 30), paris(2026, 3, 7, 11, 0), calendar=CAL)
    assert (state.status, state.minutes_left, state.label) == ("breached", 0, "dépassé")


def test_state_singular_labels():
    now = paris(2026, 3, 3, 9, 0)
    assert SlaState.compute(paris(2026, 3, 3, 9, 1), now).label == "1 min restante"
    assert SlaState.compute(paris(2026, 3, 3, 10, 0), now).label == "1 h restante"
    assert SlaState.compute(paris(2026, 3, 4, 8, 30), now).label == "1 j restant"
    assert SlaState.compute(paris(2026, 3, 4, 10, 30), now).label == "1 j 2 h restantes"
    assert SlaState.compute(paris(2026, 3, 5, 8, 0), now).label == "2 j restants"


def test_state_partial_minute_counts_as_left():
    state = SlaState.compute(paris(2026, 3, 3, 9, 0, 30), paris(2026, 3, 3, 9, 0, 0))
    assert (state.status, state.minutes_left, state.label) == ("at_risk", 1, "1 min restante")


def test_state_done():
    due = paris(2026, 3, 3, 12, 0)
    answered = SlaState.compute(
        due, paris(2026, 3, 9), kind="first_response", done_at=paris(2026, 3, 3, 11, 0)
    )
    assert (answered.status, answered.is_done, answered.label) == ("ok", True, "répondu")
    assert answered.minutes_left == 60
    late = SlaState.compute(due, paris(2026, 3, 9), done_at=paris(2026, 3, 3, 14, 0))
    assert (late.status, late.is_done, late.label) == ("breached", True, "en retard de 1 h")
    assert late.minutes_overdue == 60
    on_time = SlaState.compute(due, paris(2026, 3, 9), done_at=paris(2026, 3, 3, 11, 30))
    assert (on_time.status, on_time.is_done, on_time.label) == ("ok", True, "dans les délais")


def test_paused_state_keeps_what_was_left_when_the_clock_stopped():
    due = paris(2026, 3, 3, 12, 0)
    state = SlaState.compute(due, paris(2026, 3, 3, 10, 0)).paused()
    assert (state.status, state.minutes_left, state.is_done) == ("paused", 120, False)
    assert state.label == "en pause, en attente du demandeur (2 h à la reprise)"
    late = SlaState.compute(due, paris(2026, 3, 3, 13, 30)).paused()
    assert late.label == "en pause, en attente du demandeur (déjà dépassée)"
