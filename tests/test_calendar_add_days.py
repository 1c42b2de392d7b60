"""``add_days`` with negative ``n`` mirrors positive ``n`` (docs/concepts/business-days.md).

For ``n < 0`` the walk starts from the last business instant at or before ``t`` (``t`` if
open, else the close ending the latest interval before ``t``), steps back ``|n|`` business
dates keeping that instant's wall time, and places the result by the boundary rule.
Expected values are worked out by hand from the hours below.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference import boundary, us_of
from slocalc import NEVER, BusinessCalendar, NoBusinessTimeError
from slocalc._time import local_wall
from slocalc.calendars import Calendar, ZonedCalendar
from strategies import instants
from test_calendar_properties import CALENDARS, NAMES

NINE_FIVE = BusinessCalendar(tz="UTC", hours="Mon-Fri 09:00-17:00")
# zendesk/biz's test schedule (issue 19), in UTC
BIZ = BusinessCalendar(tz="UTC", hours="Mon,Wed,Fri 09:00-17:00; Tue,Thu 10:00-16:00; Sat 11:00-14:30")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("cal", "t", "n", "expected"),
    [
        # Sat 12:00 - 1: the last business instant is Friday's 17:00 close; one business
        # date back keeping 17:00 is Thursday 17:00 (mirrors Sat 12:00 + 1 = Tue 09:00).
        (NINE_FIVE, utc(2026, 11, 28, 12), -1, utc(2026, 11, 26, 17)),
        (NINE_FIVE, utc(2026, 11, 28, 12), 1, utc(2026, 12, 1, 9)),
        # open instants keep their own wall time; a close is its own last business instant
        (NINE_FIVE, utc(2026, 11, 25, 10, 30), -2, utc(2026, 11, 23, 10, 30)),
        (NINE_FIVE, utc(2026, 11, 27, 17), -1, utc(2026, 11, 26, 17)),
        (NINE_FIVE, utc(2026, 11, 30, 8), -1, utc(2026, 11, 26, 17)),  # Mon 08:00 -> Fri close -> Thu
        # the biz schedule: Thu 2006-01-05 08:00 - 2 starts from Wed 17:00, back over Tue to
        # Mon 01-02 17:00; Fri 01-06 08:00 - 2 starts from Thu's 16:00 close: Wed, Tue 16:00.
        (BIZ, utc(2006, 1, 5, 8), -2, utc(2006, 1, 2, 17)),
        (BIZ, utc(2006, 1, 6, 8), -2, utc(2006, 1, 3, 16)),
        (BIZ, utc(2006, 1, 5, 18), -2, utc(2006, 1, 3, 16)),  # Thu 18:00: Thu's 16:00 close
        # Sunday 10:00 - 1: Saturday's 14:30 close, back one business date: Friday 14:30
        (BIZ, utc(2006, 1, 8, 10), -1, utc(2006, 1, 6, 14, 30)),
    ],
)
def test_negative_add_days_hand_worked(
    cal: BusinessCalendar, t: datetime, n: int, expected: datetime
) -> None:
    assert cal.add_days(t, n) == expected
    assert cal.add_days_many([t], n) == [expected]
    assert cal.add_days_many(np.array([us_of(t)]), n).tolist() == [us_of(expected)]


def test_negative_add_days_across_dst_and_in_other_zones() -> None:
    ny = ZoneInfo("America/New_York")
    cal = BusinessCalendar(tz="America/New_York", hours="Mon-Fri 09:00-17:00")
    # Sun 8 March 2026 (spring forward) 12:00 EDT - 1: Friday's 17:00 EST close, back to
    # Thursday 17:00 EST; the answer comes back in the caller's tzinfo.
    t = datetime(2026, 3, 8, 16, 0, tzinfo=UTC)
    got = cal.add_days(t, -1)
    assert got == datetime(2026, 3, 5, 17, 0, tzinfo=ny)
    assert got.tzinfo is UTC


def test_negative_add_days_that_never_opens() -> None:
    with pytest.raises(NoBusinessTimeError, match="NEVER: no open time within 10 years before"):
        NEVER.add_days(utc(2026, 1, 1), -1)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ZONED = [n for n in NAMES if isinstance(CALENDARS[n][0], ZonedCalendar)]


@st.composite
def zoned_and_instant(draw: st.DrawFn) -> tuple[ZonedCalendar, datetime]:
    cal, tz = CALENDARS[draw(st.sampled_from(ZONED))]
    assert isinstance(cal, ZonedCalendar)
    return cal, draw(instants(tz))


def _wall(cal: ZonedCalendar, t: datetime) -> datetime:
    return local_wall(us_of(t), cal.zone)


@SETTINGS
@given(zoned_and_instant(), st.integers(-15, 15).filter(bool))
def test_round_trip(ct: tuple[ZonedCalendar, datetime], n: int) -> None:
    """``add_days(add_days(t, n), -n) == t`` for an open ``t`` whose wall time exists (as
    its first occurrence) on both dates and is open on the date reached."""
    cal, t = ct
    if not cal.is_open(t) or boundary(cal.zone, _wall(cal, t)) != us_of(t):
        return
    there = cal.add_days(t, n)
    if not cal.is_open(there) or _wall(cal, there).time() != _wall(cal, t).time():
        return
    assert us_of(cal.add_days(there, -n)) == us_of(t)


@SETTINGS
@given(zoned_and_instant(), st.integers(1, 10))
def test_backwards_is_never_later_than_the_last_business_instant(
    ct: tuple[ZonedCalendar, datetime], n: int
) -> None:
    cal, t = ct
    back = cal.add_days(t, -n)
    assert us_of(back) <= us_of(t)
    if cal.is_open(t):
        assert cal.days_between(back, t) == n


def test_mixed_signs_in_one_batch_agree_with_the_scalar_form() -> None:
    cal: Calendar = CALENDARS["night"][0]
    assert isinstance(cal, ZonedCalendar)
    ts = [utc(2026, 7, 3, 12) + timedelta(hours=7 * k) for k in range(60)]
    ns = [(-1) ** k * (k % 5) for k in range(60)]
    assert cal.add_days_many(ts, ns) == [cal.add_days(t, n) for t, n in zip(ts, ns, strict=True)]
