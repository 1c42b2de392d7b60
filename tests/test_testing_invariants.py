"""The engine's laws (slocalc.testing.invariants), checked with slocalc.testing's strategies.

Two halves: the laws hold for every calendar the strategies draw (so the strategies and the
engine are exercised on every run), and each law fails, with a readable message, on a
calendar that breaks it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slocalc import ALWAYS, BusinessCalendar
from slocalc.calendars import Calendar
from slocalc.testing import aware_datetimes, calendars, durations, unions
from slocalc.testing import invariants as inv

# One UTC year of instants and dates (both DST directions in every zone), so each drawn
# calendar compiles a year or two: hundreds of examples stay fast.
YEARS = {"min_year": 2026, "max_year": 2026}

# Durations short enough that even a calendar open 15 minutes a week stays within a few years.
SHORT = durations(sign="any", allow_zero=True, max_value=timedelta(hours=30))


@st.composite
def calendar_and_instants(
    draw: st.DrawFn, n: int = 1, cals: st.SearchStrategy[Calendar] | None = None
) -> tuple[Calendar, list[datetime]]:
    """A calendar and ``n`` instants weighted towards its opens, closes and DST edges."""
    cal = draw(calendars(**YEARS) if cals is None else cals)
    instants = aware_datetimes(calendar=cal, mixed_tzinfo=True, **YEARS)
    return cal, [draw(instants) for _ in range(n)]


# --------------------------------------------------------------------------- the laws hold


@given(calendar_and_instants(), SHORT)
def test_add_between_inverse(ct: tuple[Calendar, list[datetime]], d: timedelta) -> None:
    cal, (t,) = ct
    inv.assert_add_between_inverse(cal, t, d)
    inv.assert_add_earliest(cal, t, d)
    inv.assert_add_keeps_tzinfo(cal, t, d)


@given(calendar_and_instants(2), SHORT)
def test_add_monotone_in_start(ct: tuple[Calendar, list[datetime]], d: timedelta) -> None:
    cal, (t1, t2) = ct
    inv.assert_add_monotone(cal, t1, t2, d)


@given(calendar_and_instants(), SHORT, SHORT)
def test_add_monotone_in_duration(ct: tuple[Calendar, list[datetime]], d1: timedelta, d2: timedelta) -> None:
    cal, (t,) = ct
    inv.assert_add_monotone_in_duration(cal, t, d1, d2)


@given(
    calendar_and_instants(),
    durations(max_value=timedelta(hours=15)),
    durations(max_value=timedelta(hours=15)),
    st.booleans(),
)
def test_add_composes(ct: tuple[Calendar, list[datetime]], d1: timedelta, d2: timedelta, back: bool) -> None:
    cal, (t,) = ct
    if back:
        d1, d2 = -d1, -d2
    inv.assert_add_composes(cal, t, d1, d2)


@given(calendar_and_instants(3))
def test_between_laws(ct: tuple[Calendar, list[datetime]]) -> None:
    cal, (a, b, c) = ct
    inv.assert_between_additive(cal, a, b, c)
    inv.assert_between_antisymmetric(cal, a, b)
    inv.assert_between_bounded(cal, a, b)


@given(calendar_and_instants())
def test_next_open_and_close(ct: tuple[Calendar, list[datetime]]) -> None:
    cal, (t,) = ct
    inv.assert_next_open_consistent(cal, t)
    inv.assert_next_close_consistent(cal, t)


@given(calendar_and_instants(), durations(max_value=timedelta(days=9)))
def test_intervals(ct: tuple[Calendar, list[datetime]], span: timedelta) -> None:
    cal, (a,) = ct
    inv.assert_intervals_consistent(cal, a, a.astimezone(UTC) + span)


@given(calendar_and_instants(), st.integers(-12, 12), st.integers(-12, 12))
def test_add_days_monotone(ct: tuple[Calendar, list[datetime]], n1: int, n2: int) -> None:
    cal, (t,) = ct
    assert isinstance(cal, BusinessCalendar)
    inv.assert_add_days_monotone(cal, t, n1, n2)


@given(calendar_and_instants(), st.integers(-12, 12))
def test_add_days_round_trip(ct: tuple[Calendar, list[datetime]], n: int) -> None:
    cal, (t,) = ct
    assert isinstance(cal, BusinessCalendar)
    inv.assert_add_days_round_trip(cal, t, n)
    inv.assert_add_days_round_trip(cal, t, -n)


@given(calendars(**YEARS), calendars(**YEARS), aware_datetimes(**YEARS))
def test_algebra_is_pointwise(a: Calendar, b: Calendar, t: datetime) -> None:
    inv.assert_union_open(a, b, t)
    inv.assert_intersection_open(a, b, t)
    inv.assert_difference_never_open(a, b, t)


@given(calendar_and_instants(cals=unions(calendars(**YEARS))), SHORT)
def test_laws_hold_for_unions(ct: tuple[Calendar, list[datetime]], d: timedelta) -> None:
    cal, (t,) = ct
    inv.assert_add_between_inverse(cal, t, d)
    inv.assert_next_open_consistent(cal, t)
    inv.assert_next_close_consistent(cal, t)


@given(
    calendars(**YEARS), calendars(**YEARS), aware_datetimes(**YEARS), durations(max_value=timedelta(days=9))
)
def test_union_between_bounds(a: Calendar, b: Calendar, start: datetime, span: timedelta) -> None:
    inv.assert_union_between_bounds(a, b, start, start.astimezone(UTC) + span)


# --------------------------------------------------------------------------- the laws bite


class WallClockCalendar(BusinessCalendar):
    """A planted bug: ``add`` on the wall clock, like ``aware + timedelta`` (24x7 hours)."""

    __slots__ = ()

    def add(self, t: datetime, d: timedelta) -> datetime:
        return t + d


class LeakyCalendar(BusinessCalendar):
    """A planted bug: says it is open one microsecond past each close."""

    __slots__ = ()

    def is_open(self, t: datetime) -> bool:
        return super().is_open(t) or super().is_open(t - timedelta(microseconds=1))


NY = ZoneInfo("America/New_York")
SPRING = datetime(2026, 3, 8, 1, 0, tzinfo=NY)  # an hour before clocks go forward
WALL = WallClockCalendar(tz="America/New_York", hours="Mon-Sun 00:00-24:00")
NINE_TO_FIVE = BusinessCalendar(tz="America/New_York", hours="Mon-Fri 09:00-17:00")


def test_inverse_law_catches_wall_clock_arithmetic() -> None:
    with pytest.raises(AssertionError, match=r"between\(t, add\(t, d\)\) == d") as info:
        inv.assert_add_between_inverse(WALL, SPRING, timedelta(hours=4))
    message = str(info.value)
    assert "t=2026-03-08T01:00:00-05:00 [America/New_York]" in message
    assert "between(t, that) = datetime.timedelta(seconds=10800)" in message


def test_monotonicity_catches_wall_clock_arithmetic_in_a_repeated_hour() -> None:
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NY)  # 01:30 EDT
    second = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NY)  # 01:10 EST, 40 minutes later
    with pytest.raises(AssertionError, match=r"t1 <= t2 implies add\(t1, d\) <= add\(t2, d\)") as info:
        inv.assert_add_monotone(WALL, first, second, timedelta(minutes=30))
    assert "add(t1, d) = 2026-11-01T02:00:00-05:00" in str(info.value)


def test_composition_refuses_mixed_signs() -> None:
    with pytest.raises(ValueError, match="same sign"):
        inv.assert_add_composes(ALWAYS, SPRING, timedelta(hours=1), timedelta(hours=-1))


def test_next_close_law_catches_a_leaky_close() -> None:
    leaky = LeakyCalendar(tz="America/New_York", hours="Mon-Fri 09:00-17:00")
    with pytest.raises(AssertionError, match="still open at it"):
        inv.assert_next_close_consistent(leaky, datetime(2026, 3, 9, 10, 0, tzinfo=NY))


def test_union_law_names_both_parts() -> None:
    class NoUnion(BusinessCalendar):
        __slots__ = ()

        def __or__(self, other: Calendar) -> Calendar:
            return self  # forgets the other part

    a = NoUnion(tz="America/New_York", hours="Mon-Fri 09:00-17:00")
    b = BusinessCalendar(tz="Asia/Singapore", hours="Mon-Fri 09:00-17:00")
    t = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # 10:00 in Singapore, night in New York
    with pytest.raises(AssertionError, match=r"\(a \| b\) is open exactly when a or b is") as info:
        inv.assert_union_open(a, b, t)
    assert "b.is_open(t) = True" in str(info.value)


def test_bounded_law_and_antisymmetry_hold_on_fixed_values() -> None:
    a = datetime(2026, 3, 6, 16, 0, tzinfo=NY)
    b = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    inv.assert_between_bounded(NINE_TO_FIVE, b, a)
    inv.assert_between_antisymmetric(NINE_TO_FIVE, a, b)
    inv.assert_intervals_consistent(NINE_TO_FIVE, a, b)
    inv.assert_add_earliest(NINE_TO_FIVE, a, timedelta(hours=1))  # lands on the 17:00 close


def test_every_law_states_itself_in_one_line() -> None:
    for name in inv.__all__:
        doc = getattr(inv, name).__doc__
        assert doc, name
        assert doc.strip().splitlines()[0].strip(), name


class OneDayShortBackwards(BusinessCalendar):
    """A planted bug: going back, ``add_days`` steps one business date too few."""

    __slots__ = ()

    def add_days(self, t: datetime, n: int) -> datetime:
        return super().add_days(t, n + 1 if n < 0 else n)


def test_round_trip_law_catches_a_short_step_back() -> None:
    short = OneDayShortBackwards(tz="America/New_York", hours="Mon-Fri 09:00-17:00")
    wednesday = datetime(2026, 3, 11, 10, 0, tzinfo=NY)
    with pytest.raises(AssertionError, match=r"add_days\(add_days\(t, n\), -n\) == t") as info:
        inv.assert_add_days_round_trip(short, wednesday, 2)  # to Friday, and back only to Thursday
    message = str(info.value)
    assert "add_days(t, n) = 2026-03-13T10:00:00-04:00" in message
    assert "add_days(that, -n) = 2026-03-12T10:00:00-04:00" in message


def test_round_trip_law_claims_nothing_outside_its_conditions() -> None:
    short = OneDayShortBackwards(tz="America/New_York", hours="Mon-Fri 09:00-17:00")
    inv.assert_add_days_round_trip(short, datetime(2026, 3, 14, 10, 0, tzinfo=NY), 2)  # Saturday: closed
    uneven = BusinessCalendar(tz="UTC", hours="Mon,Wed,Fri 09:00-17:00; Tue,Thu 10:00-16:00")
    # Monday 16:30 plus one day is Tuesday 16:30, after Tuesday's close: no claim
    inv.assert_add_days_round_trip(uneven, datetime(2026, 11, 23, 16, 30, tzinfo=UTC), 1)
    night = OneDayShortBackwards(tz="America/New_York", hours="Mon-Sun 00:00-24:00")
    second = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY)  # the second 01:30 of the autumn change
    inv.assert_add_days_round_trip(night, second, 1)  # not the first occurrence: no claim
