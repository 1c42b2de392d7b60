"""The deadlines the replay uses agree with the calendar engine, and its shortcut is safe.

The replay asks the policy layer's ``Deadline`` (``Target.resolve(customer)``) for every
deadline and skips computing one while an event comes no later than
``start + deadline.lower_bound``. These checks (moved here with the replay's switch from its
own cached date arithmetic to ``Deadline``) pin both in zones with DST at midnight,
half-hour and two-hour DST, skipped dates, overnight shifts and holidays: ``N business days``
equals ``ZonedCalendar.add_days``, and the lower bound never exceeds the deadline.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slocalc.policies import Customer, Target

CUSTOMERS = (
    Customer(tz="Europe/Dublin", country="IE"),
    Customer(tz="America/New_York", country="US", subdiv="MA"),
    Customer(tz="America/Havana", hours="Mon-Sat 00:00-02:00,08:00-17:00"),  # DST at midnight
    Customer(tz="Australia/Lord_Howe", hours="Mon-Fri 08:00-17:00"),  # 30-minute DST
    Customer(tz="Antarctica/Troll", hours="Mon-Sun 01:00-03:30"),  # 2-hour DST at 01:00 UTC
    Customer(tz="Pacific/Apia", hours="Mon-Fri 08:00-17:00"),  # skipped 2011-12-30
    Customer(tz="Europe/London", hours="Fri 22:00-06:00; Sat 10:00-12:00"),  # overnight
    Customer(tz="Asia/Singapore", hours="Mon-Fri 09:00-18:00", country="SG"),
    Customer(tz="America/Sao_Paulo", hours="Sun 23:30-24:00; Mon 00:00-00:30"),
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
@given(st.sampled_from(CUSTOMERS), instants(), st.integers(1, 12))
def test_business_days_equal_the_engine(customer: Customer, t: datetime, n: int) -> None:
    expected = customer.calendar().add_days(t, n)
    deadline = Target(amount=n, unit="business_days", clock="customer").resolve(customer)
    assert deadline.due(t) == expected
    assert deadline.due(t) == expected  # and again, from its caches


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(CUSTOMERS),
    instants(),
    st.integers(1, 12),
    st.sampled_from(("business_days", "calendar_days", "hours")),
)
def test_lower_bound_never_exceeds_the_deadline(customer: Customer, t: datetime, n: int, unit: str) -> None:
    deadline = Target(amount=n, unit=unit, clock="customer").resolve(customer)
    due = deadline.due(t)
    assert t + deadline.lower_bound <= due
    if deadline.exact:
        assert t + deadline.lower_bound == due
