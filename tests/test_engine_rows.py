"""One engine lookup for rows on different calendars (``Calendar._between_rows_us`` and
``Calendar._add_rows_us``) answers each row as its own calendar does, or leaves the batch to
the calendars (``None``)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc import ALWAYS, BusinessCalendar, Calendar

HOUR = 3_600_000_000
DAY = 24 * HOUR
CALS: list[Calendar] = [
    BusinessCalendar(tz="UTC"),  # Mon-Fri 08:00-17:00
    BusinessCalendar(tz="Asia/Tokyo"),
    BusinessCalendar(tz="Europe/Berlin", holidays="DE"),  # German public holidays closed
    BusinessCalendar(tz="Pacific/Kiritimati", hours="Sat 10:00-12:00"),
    BusinessCalendar(tz="America/New_York", hours="Mon-Fri 00:00-24:00"),
    ALWAYS,
]
MON = 1_796_601_600_000_000  # 2026-12-07T00:00Z, a Monday
T2026 = 1_767_225_600_000_000  # 2026-01-01T00:00Z


def test_hand_worked_rows_on_three_calendars() -> None:
    which = np.array([0, 1, 3])
    a = np.array([MON, MON, MON])
    # Monday 00:00Z to 12:00Z: 08:00-12:00 in UTC (4 h); 09:00-21:00 in Tokyo, open 09:00-17:00
    # (8 h); Kiritimati (UTC+14) is only open on Saturdays (0 h)
    got = Calendar._between_rows_us(CALS, which, a, a + 12 * HOUR)
    assert (got // HOUR).tolist() == [4, 8, 0]
    # 2 hours on from Monday 00:00Z: UTC opens at 08:00 (10:00Z); Tokyo is open (02:00Z);
    # Kiritimati opens on Saturday 12 December 10:00 local, Friday 11 December 20:00Z (22:00Z)
    got = Calendar._add_rows_us(CALS, which, a, np.full(3, 2 * HOUR))
    assert ((got - MON) // HOUR).tolist() == [10, 2, 4 * 24 + 22]


def test_left_to_the_calendars_when_not_answerable_at_once() -> None:
    which = np.array([0, 1])
    u = np.array([MON, MON])
    assert Calendar._add_rows_us(CALS, which, u, np.array([HOUR, -HOUR])) is None  # not positive
    # a year of business hours from December reaches past the batch's year
    assert Calendar._add_rows_us(CALS, which, u, np.full(2, 9 * 261 * HOUR)) is None


rows = st.lists(
    st.tuples(
        st.integers(0, len(CALS) - 1),
        st.integers(T2026, T2026 + 2 * 365 * DAY),
        st.integers(0, 40 * DAY),
    ),
    min_size=1,
    max_size=40,
)


@given(rows)
@settings(max_examples=60, deadline=None)
def test_between_rows_equals_each_calendar(found: list[tuple[int, int, int]]) -> None:
    which = np.array([w for w, _, _ in found])
    a = np.array([u for _, u, _ in found], dtype=np.int64)
    b = a + np.array([d for _, _, d in found], dtype=np.int64)
    got = Calendar._between_rows_us(CALS, which, a, b)
    assert got is not None
    for k, w in enumerate(which.tolist()):
        assert got[k] == CALS[w]._between_us(a[k : k + 1], b[k : k + 1])[0]
    assert (Calendar._between_rows_us(CALS, which, b, a) == -got).all()  # either way round


@given(rows)
@settings(max_examples=60, deadline=None)
def test_add_rows_equals_each_calendar(found: list[tuple[int, int, int]]) -> None:
    which = np.array([w for w, _, _ in found])
    u = np.array([u for _, u, _ in found], dtype=np.int64)
    d = np.array([max(d // 20, 1) for _, _, d in found], dtype=np.int64)  # up to 2 days of clock time
    got = Calendar._add_rows_us(CALS, which, u, d)
    if got is None:  # a result past the span of the batch's years: each calendar answers
        return
    for k, w in enumerate(which.tolist()):
        assert got[k] == CALS[w]._add_us(u[k : k + 1], d[k : k + 1])[0]
