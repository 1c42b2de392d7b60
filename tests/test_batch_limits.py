"""The vectorised ``add_days_many`` and ``add_many`` refuse what is beyond reach, as the
scalar queries do (huge counts and durations used to wrap around ``int64`` and give a date)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc import BusinessCalendar
from slocalc.errors import SlocalcValueError

DUBLIN = BusinessCalendar(tz="Europe/Dublin")  # Mon-Fri 08:00-17:00, about 261 business days a year
#: 52 business days a year: 100 years of them are about 5,200
SATURDAYS = BusinessCalendar(tz="Pacific/Kiritimati", hours="Sat 10:00-12:00")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def _outcome(call: object) -> str:
    try:
        return str(call())  # type: ignore[operator]
    except SlocalcValueError as exc:
        return f"refused: {exc}"


@pytest.mark.parametrize("n", [2**63 - 1, -(2**63) + 1, 10**6, 36_601, 40_000, -40_000])
def test_a_count_beyond_100_years_is_refused_as_the_scalar_query_refuses_it(n: int) -> None:
    with pytest.raises(
        SlocalcValueError, match=r"business days from 2026-03-02 are not reached within 100 years"
    ):
        DUBLIN.add_days(T0, n)
    scalar = _outcome(lambda: DUBLIN.add_days(T0, n))
    assert _outcome(lambda: DUBLIN.add_days_many([T0], [n])[0]) == scalar
    assert _outcome(lambda: DUBLIN.add_days_many([T0, T0], n)[0]) == scalar  # one count for all


def test_hand_worked_counts_within_reach() -> None:
    # 5 business days from Monday 2 March 2026 09:00: Monday 9 March, same time
    assert DUBLIN.add_days_many([T0], [5]) == [datetime(2026, 3, 9, 9, 0, tzinfo=UTC)]
    # Monday 2 March 2026 09:00Z is 23:00 in Kiritimati (UTC+14); the next open time is
    # Saturday 7 March 10:00, and 5,200 Saturdays on is 7 March + 36,400 days: 99 years of
    # 365 days and 24 leap days (2028-2124 but 2100) take it to 7 March 2125, then 241 days
    # more: Saturday 3 November 2125, 10:00 local = 2 November 20:00Z (within 100 years of
    # 2026, so within reach)
    assert SATURDAYS.add_days_many([T0], [5_200]) == [datetime(2125, 11, 2, 20, 0, tzinfo=UTC)]


@given(st.integers(-5_400, 5_400), st.sampled_from([T0, datetime(2026, 12, 31, 23, 0, tzinfo=UTC)]))
@settings(max_examples=60, deadline=None)
def test_counts_near_the_limit_agree_with_the_scalar_query(n: int, start: datetime) -> None:
    scalar = _outcome(lambda: SATURDAYS.add_days(start, n))
    assert _outcome(lambda: SATURDAYS.add_days_many([start], [n])[0]) == scalar


@pytest.mark.parametrize("us", [2**63 - 1, -(2**63) + 1, 2**62, 2**62 - 1, 10**17])
def test_a_duration_beyond_reach_is_refused_not_wrapped(us: int) -> None:
    # 10**17 µs is about 3,170 years: beyond 100 years of business time, within the range
    scalar = _outcome(lambda: DUBLIN.add(T0, timedelta(microseconds=us)))
    assert scalar.startswith("refused: ")
    assert _outcome(lambda: DUBLIN.add_many([T0], [timedelta(microseconds=us)])[0]) == scalar
    t0 = np.array([1_772_442_000_000_000], dtype=np.int64)  # T0
    assert _outcome(lambda: DUBLIN._add_us(t0, np.array([us], dtype=np.int64))[0]) == scalar
    assert _outcome(lambda: DUBLIN._add_us(t0, us)[0]) == scalar


def test_a_duration_reached_beyond_100_years_of_its_own_instant_is_refused_in_a_batch() -> None:
    # the batch spans 2026-2120, so the engine's span reaches 2220: the 2026 instant's answer
    # (about 120 years of Mon-Fri 08:00-17:00 hours on) must still be refused, as add refuses it
    cal = BusinessCalendar(tz="UTC")
    d = timedelta(hours=9 * 261 * 120)
    later = datetime(2120, 3, 4, 9, 0, tzinfo=UTC)  # a Monday (2120-03-02 is a Saturday)
    scalar = _outcome(lambda: cal.add(T0, d))
    assert scalar.startswith("refused: ")
    assert "is not reached within 100 years" in scalar
    assert _outcome(lambda: cal.add_many([T0, later], [d, timedelta(hours=1)])[0]) == scalar
    # the later instant alone is answered: 1 hour on from Monday 09:00 is 10:00
    assert cal.add_many([later], [timedelta(hours=1)]) == [later + timedelta(hours=1)]


@given(
    st.integers(-11_000, 11_000),
    st.sampled_from(
        [
            T0,
            datetime(2026, 12, 31, 23, 0, tzinfo=UTC),
            datetime(2027, 1, 1, 0, 0, tzinfo=UTC),
        ]
    ),
    st.sampled_from([SATURDAYS, BusinessCalendar(tz="UTC", hours="Mon-Sun 00:00-24:00")]),
    st.integers(0, 59),
)
@settings(max_examples=80, deadline=None)
def test_durations_near_the_limit_agree_with_the_scalar_query(
    hours: int, start: datetime, cal: BusinessCalendar, minutes: int
) -> None:
    # Saturdays 10:00-12:00 hold 104-106 hours a year (100 years: about 10,400); round the
    # clock, hours * 80 covers 100 years at about 11,000 (answers on year boundaries included)
    scale = 80 if cal is not SATURDAYS else 1
    d = timedelta(hours=hours * scale, minutes=minutes if hours else 0)
    scalar = _outcome(lambda: cal.add(start, d))
    assert _outcome(lambda: cal.add_many([start], [d])[0]) == scalar
    far = datetime(2100, 6, 1, tzinfo=UTC)  # a batch whose span reaches further
    assert _outcome(lambda: cal.add_many([start, far], [d, timedelta(0)])[0]) == scalar
