"""The replay's private date shortcuts agree with the calendar and policy engines.

``slocalc.cases._days.add_days`` (cached business-date arithmetic) must equal
``ZonedCalendar.add_days``, and the lower bound the replay uses to skip computing a deadline
must never exceed it, in zones with DST at midnight, half-hour and two-hour DST, skipped
dates, overnight shifts and holidays.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slocalc.calendars import BusinessCalendar
from slocalc.cases._days import add_days
from slocalc.cases._resolver import lower_bound
from slocalc.policies import Customer, Target

CALENDARS = (
    BusinessCalendar(tz="Europe/Dublin", holidays="IE"),
    BusinessCalendar(tz="America/New_York", holidays=("US", "MA")),
    BusinessCalendar(tz="America/Havana", hours="Mon-Sat 00:00-02:00,08:00-17:00"),  # DST at midnight
    BusinessCalendar(tz="Australia/Lord_Howe", hours="Mon-Fri 08:00-17:00"),  # 30-minute DST
    BusinessCalendar(tz="Antarctica/Troll", hours="Mon-Sun 01:00-03:30"),  # 2-hour DST at 01:00 UTC
    BusinessCalendar(tz="Pacific/Apia", hours="Mon-Fri 08:00-17:00"),  # skipped 2011-12-30
    BusinessCalendar(tz="Europe/London", hours="Fri 22:00-06:00; Sat 10:00-12:00"),  # overnight
    BusinessCalendar(tz="Asia/Singapore", hours="Mon-Fri 09:00-18:00", holidays="SG"),
    BusinessCalendar(tz="America/Sao_Paulo", hours="Sun 23:30-24:00; Mon 00:00-00:30"),
)
EDGES = (
    datetime(2011, 12, 27, tzinfo=UTC),
    datetime(2026, 3, 6, tzinfo=UTC),
    datetime(2026, 3, 26, tzinfo=UTC),
    datetime(2026, 4, 2, tzinfo=UTC),
    datetime(2026, 9, 24, tzinfo=UTC),
    datetime(2026, 10, 22, tzinfo=UTC),
    datetime(2026, 10, 29, tzinfo=UTC),
    datetime(2026, 12, 22, tzinfo=UTC),
    datetime(2027, 3, 10, tzinfo=UTC),
)


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    base = draw(st.sampled_from(EDGES))
    minutes = draw(st.integers(0, 60 * 24 * 9))
    micro = draw(st.sampled_from((0, 0, 0, 1, 999_999)))
    return base + timedelta(minutes=minutes, microseconds=micro)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CALENDARS), instants(), st.integers(1, 12))
def test_cached_add_days_equals_the_engine(cal: BusinessCalendar, t: datetime, n: int) -> None:
    expected = cal.add_days(t, n)
    got = add_days(cal, t, n)
    assert got == expected
    assert add_days(cal, t, n) == expected  # and again, from the cache


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(CALENDARS),
    instants(),
    st.integers(1, 12),
    st.sampled_from(("business_days", "calendar_days")),
)
def test_lower_bound_never_exceeds_the_deadline(
    cal: BusinessCalendar, t: datetime, n: int, unit: str
) -> None:
    target = Target(amount=n, unit=unit, clock="customer")
    customer = Customer(tz=cal.tz, hours=cal.hours)
    assert t + lower_bound(target) <= target.due(t, customer)


def test_a_calendar_with_overrides() -> None:
    from datetime import date

    cal = BusinessCalendar(tz="UTC", overrides={date(2026, 3, 7): "09:00-10:00"})
    t = datetime(2026, 3, 5, 12, tzinfo=UTC)
    # Thu 5 12:00 + 3 business dates: Fri 6, Sat 7 (opened by the override), Mon 9
    assert add_days(cal, t, 3) == cal.add_days(t, 3) == datetime(2026, 3, 9, 12, tzinfo=UTC)
