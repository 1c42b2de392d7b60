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
    with pytest.raises(SlocalcValueError, match=r"d: a duration is not reached within 100 years"):
        DUBLIN.add_many([T0], [timedelta(microseconds=us)])
    with pytest.raises(SlocalcValueError, match=r"d: a duration is not reached within 100 years"):
        DUBLIN._add_us(np.array([1_772_442_000_000_000], dtype=np.int64), np.array([us], dtype=np.int64))
