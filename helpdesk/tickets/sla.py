"""Business-hours arithmetic for SLA targets.

Business time is the real time elapsed inside the opening periods of the service centre, in
its own time zone, on open days (work days that are neither French public holidays nor extra
closed days). Every function takes aware datetimes in any zone and returns UTC datetimes.
Computations walk the calendar one day at a time, never minute by minute.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

#: First-response and resolution targets per priority, in business minutes.
DEFAULT_TARGETS: dict[str, tuple[int, int]] = {
    "urgente": (60, 480),
    "haute": (240, 960),
    "normale": (480, 2400),
    "basse": (960, 4800),
}

#: Length of a "jour" in the labels, in business minutes.
BUSINESS_DAY_MINUTES = 480

#: How far ahead the calendar is searched before concluding that it never opens.
_MAX_DAYS_WITHOUT_OPENING = 366

_MINUTE = timedelta(minutes=1)

SlaStatus = Literal["ok", "at_risk", "breached", "paused"]
SlaKind = Literal["first_response", "resolution"]


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening periods of a day, open weekdays (Monday = 0), zone and extra closed days."""

    periods: tuple[tuple[time, time], ...] = (
        (time(8, 0), time(12, 30)),
        (time(13, 30), time(17, 30)),
    )
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    tz: str = "Europe/Paris"
    extra_closed_days: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        periods = tuple((start, end) for start, end in self.periods)
        if not periods:
            raise ValueError("a business calendar needs at least one opening period")
        previous_end: time | None = None
        for start, end in periods:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("opening periods are wall-clock times without a zone")
            if start >= end:
                raise ValueError(f"opening period {start}-{end} ends before it starts")
            if previous_end is not None and start < previous_end:
                raise ValueError("opening periods must be in order and must not overlap")
            previous_end = end
        workdays = tuple(sorted(set(self.workdays)))
        if not workdays or any(day not in range(7) for day in workdays):
            raise ValueError("workdays must be a non-empty set of weekday numbers 0-6")
        ZoneInfo(self.tz)  # raises for an unknown zone
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "workdays", workdays)
        object.__setattr__(self, "extra_closed_days", frozenset(self.extra_closed_days))
        # Calendars key the caches below: hash the fields once.
        object.__setattr__(
            self, "_hash", hash((periods, workdays, self.tz, self.extra_closed_days))
        )

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def is_open_day(self, day: date) -> bool:
        return (
            day.weekday() in self.workdays
            and day not in self.extra_closed_days
            and day not in french_public_holidays(day.year)
        )


DEFAULT_CALENDAR = BusinessCalendar()


@lru_cache(maxsize=64)
def french_public_holidays(year: int) -> frozenset[date]:
    """French public holidays of one year, computed on first use."""
    return frozenset(holidays.France(years=year).keys())


@lru_cache(maxsize=16384)
def _open_intervals(calendar: BusinessCalendar, day: date) -> tuple[tuple[datetime, datetime], ...]:
    """Opening intervals of a local day, as UTC datetimes (empty on a closed day)."""
    if not calendar.is_open_day(day):
        return ()
    zone = calendar.zone
    return tuple(
        (
            datetime.combine(day, start, tzinfo=zone).astimezone(UTC),
            datetime.combine(day, end, tzinfo=zone).astimezone(UTC),
        )
        for start, end in calendar.periods
    )


def _as_utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return moment.astimezone(UTC)


def _days_from(calendar: BusinessCalendar, moment: datetime) -> Iterator[date]:
    day = moment.astimezone(calendar.zone).date()
    while True:
        yield day
        day += timedelta(days=1)


def is_business_time(moment: datetime, calendar: BusinessCalendar = DEFAULT_CALENDAR) -> bool:
    """Whether the centre is open at this moment (periods are half-open: [start, end))."""
    moment = _as_utc(moment, "moment")
    day = moment.astimezone(calendar.zone).date()
    return any(start <= moment < end for start, end in _open_intervals(calendar, day))


def next_opening(moment: datetime, calendar: BusinessCalendar = DEFAULT_CALENDAR) -> datetime:
    """The moment itself when the centre is open, else the start of the next opening period."""
    return add_business_minutes(moment, 0, calendar)


def add_business_minutes(
    start: datetime, minutes: int, calendar: BusinessCalendar = DEFAULT_CALENDAR
) -> datetime:
    """The moment when `minutes` of business time have elapsed since `start`, in UTC.

    Counting starts at the next opening when `start` is outside hours; zero minutes gives that
    opening. An amount that runs out exactly when a period closes lands on that closing time.
    """
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    moment = _as_utc(start, "start")
    remaining = timedelta(minutes=minutes)
    closed_in_a_row = 0
    for day in _days_from(calendar, moment):
        intervals = _open_intervals(calendar, day)
        if not intervals:
            closed_in_a_row += 1
            if closed_in_a_row > _MAX_DAYS_WITHOUT_OPENING:
                raise ValueError("the business calendar never opens")
            continue
        closed_in_a_row = 0
        for opens, closes in intervals:
            if closes <= moment:
                continue
            begin = max(opens, moment)
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
    raise AssertionError("unreachable")  # pragma: no cover


def _overlap(calendar: BusinessCalendar, day: date, low: datetime, high: datetime) -> timedelta:
    total = timedelta(0)
    for opens, closes in _open_intervals(calendar, day):
        overlap = min(closes, high) - max(opens, low)
        if overlap > timedelta(0):
            total += overlap
    return total


@lru_cache(maxsize=256)
def _year_table(calendar: BusinessCalendar, year: int) -> tuple[tuple[timedelta, ...], timedelta]:
    """Business time from 1 January to the start of each day of `year`, and the year's total."""
    offsets = []
    running = timedelta(0)
    day = date(year, 1, 1)
    while day.year == year:
        offsets.append(running)
        for opens, closes in _open_intervals(calendar, day):
            running += closes - opens
        day += timedelta(days=1)
    return tuple(offsets), running


def _whole_days(calendar: BusinessCalendar, first: date, last: date) -> timedelta:
    """Business time of the whole days from `first` included to `last` excluded."""
    if first >= last:
        return timedelta(0)
    first_offsets, first_total = _year_table(calendar, first.year)
    last_offsets, _ = _year_table(calendar, last.year)
    first_offset = first_offsets[first.toordinal() - date(first.year, 1, 1).toordinal()]
    last_offset = last_offsets[last.toordinal() - date(last.year, 1, 1).toordinal()]
    if first.year == last.year:
        return last_offset - first_offset
    between = sum(
        (_year_table(calendar, y)[1] for y in range(first.year + 1, last.year)), timedelta()
    )
    return first_total - first_offset + between + last_offset


def business_time_between(
    start: datetime, end: datetime, calendar: BusinessCalendar = DEFAULT_CALENDAR
) -> timedelta:
    """Business time inside [start, end); zero when end <= start."""
    low = _as_utc(start, "start")
    high = _as_utc(end, "end")
    if high <= low:
        return timedelta(0)
    first_day = low.astimezone(calendar.zone).date()
    last_day = high.astimezone(calendar.zone).date()
    if first_day == last_day:
        return _overlap(calendar, first_day, low, high)
    # Partial first and last days, and the whole days between them from per-year tables.
    return (
        _overlap(calendar, first_day, low, high)
        + _whole_days(calendar, first_day + timedelta(days=1), last_day)
        + _overlap(calendar, last_day, low, high)
    )


def business_minutes_between(
    start: datetime, end: datetime, calendar: BusinessCalendar = DEFAULT_CALENDAR
) -> int:
    """Whole minutes of business time inside [start, end); 0 when end <= start."""
    return business_time_between(start, end, calendar) // _MINUTE


def due_dates(
    opened_at: datetime,
    priority: str,
    calendar: BusinessCalendar = DEFAULT_CALENDAR,
    targets: dict[str, tuple[int, int]] = DEFAULT_TARGETS,
) -> tuple[datetime, datetime]:
    """First-response and resolution due dates of a ticket opened at `opened_at`."""
    first_response, resolution = targets[priority]
    return (
        add_business_minutes(opened_at, first_response, calendar),
        add_business_minutes(opened_at, resolution, calendar),
    )


def format_business_duration(minutes: int, day_minutes: int = BUSINESS_DAY_MINUTES) -> str:
    """French short form of a business duration: '45 min', '3 h 20', '1 j 2 h'."""
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    if minutes < 60:
        return f"{minutes} min"
    days, rest = divmod(minutes, day_minutes)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} j {hours} h" if hours else f"{days} j"
    return f"{hours} h {mins:02d}" if mins else f"{hours} h"


def _remaining_label(minutes: int, day_minutes: int) -> str:
    text = format_business_duration(minutes, day_minutes)
    # Agree with the last unit written: jour is masculine, heure and minute feminine.
    masculine = text.endswith(" j")
    single = text in ("1 min", "1 h", "1 j")
    ending = "restant" if masculine else "restante"
    return f"{text} {ending}" if single else f"{text} {ending}s"


@dataclass(frozen=True)
class AtRiskRule:
    """A target is at risk when less than `ratio` of it, or less than `minutes`, is left."""

    ratio: float = 0.25
    minutes: int = 60


DEFAULT_AT_RISK = AtRiskRule()


@dataclass(frozen=True)
class SlaState:
    """Where a ticket stands against one target, for display."""

    status: SlaStatus
    #: Business minutes left before the due date; negative when overdue.
    minutes_left: int
    is_done: bool
    label: str

    @property
    def minutes_overdue(self) -> int:
        return max(0, -self.minutes_left)

    def paused(self) -> SlaState:
        """The same state with the clock standing still (waiting for the requester)."""
        left = format_business_duration(max(0, self.minutes_left), BUSINESS_DAY_MINUTES)
        label = "en pause, en attente du demandeur"
        if self.minutes_left > 0:
            label += f" ({left} à la reprise)"
        elif self.minutes_left < 0:
            label += " (déjà dépassée)"
        return SlaState(status="paused", minutes_left=self.minutes_left, is_done=False, label=label)

    @classmethod
    def compute(
        cls,
        due: datetime,
        now: datetime,
        *,
        target_minutes: int | None = None,
        kind: SlaKind = "resolution",
        done_at: datetime | None = None,
        calendar: BusinessCalendar = DEFAULT_CALENDAR,
        rule: AtRiskRule = DEFAULT_AT_RISK,
        day_minutes: int = BUSINESS_DAY_MINUTES,
    ) -> SlaState:
        """State of a target due at `due`, seen at `now` (or when it was met, `done_at`)."""
        due_utc = _as_utc(due, "due")
        if done_at is not None:
            done_utc = _as_utc(done_at, "done_at")
            met = done_utc <= due_utc
            if met:
                left = math.ceil(business_time_between(done_utc, due_utc, calendar) / _MINUTE)
            else:
                left = -business_minutes_between(due_utc, done_utc, calendar)
            if kind == "first_response":
                label = "répondu"
            elif met:
                label = "dans les délais"
            else:
                late = format_business_duration(-left, day_minutes) if left else ""
                label = f"en retard de {late}" if late else "en retard"
            return cls(
                status="ok" if met else "breached", minutes_left=left, is_done=True, label=label
            )
        now_utc = _as_utc(now, "now")
        if now_utc >= due_utc:
            overdue = business_minutes_between(due_utc, now_utc, calendar)
            label = f"dépassé de {format_business_duration(overdue, day_minutes)}"
            return cls(
                status="breached",
                minutes_left=-overdue,
                is_done=False,
                label=label if overdue else "dépassé",
            )
        # A started minute counts as left, so a target is never shown as "0 min" before its due.
        left = math.ceil(business_time_between(now_utc, due_utc, calendar) / _MINUTE)
        at_risk = left < rule.minutes or (
            target_minutes is not None and left < rule.ratio * target_minutes
        )
        if left == 0:
            # Outside hours just before a due date at closing time: nothing is left to work.
            return cls(status="at_risk", minutes_left=0, is_done=False, label="échéance imminente")
        return cls(
            status="at_risk" if at_risk else "ok",
            minutes_left=left,
            is_done=False,
            label=_remaining_label(left, day_minutes),
        )


def current_state(ticket, now: datetime) -> SlaState | None:
    """State of the target that matters now (`Ticket.current_due_at`); once the ticket is
    resolved, whether its resolution met its due date."""
    if ticket.status in ("resolu", "clos"):
        if ticket.resolution_due_at is None:
            return None
        return SlaState.compute(ticket.resolution_due_at, now, done_at=ticket.resolved_at)
    if ticket.current_due_at is None:
        return None
    # While the clock stands still (waiting for the requester), the state it had when it stopped.
    paused_at = getattr(ticket, "sla_paused_at", None)
    state = SlaState.compute(ticket.current_due_at, paused_at or now, kind=ticket.current_target)
    return state.paused() if paused_at is not None else state
