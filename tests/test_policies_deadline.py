"""``Deadline``: the one deadline rule (``Target.resolve``), hand-worked, properties, reference."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference import RefAlways, RefBusiness, boundary, dt_of, us_of
from slocalc.calendars import ALWAYS
from slocalc.errors import NaiveDatetimeError, PolicyError, SlocalcTypeError
from slocalc.policies import RAPID7, Customer, Deadline, Target
from strategies import instants

BERLIN_TZ = ZoneInfo("Europe/Berlin")
NY_TZ = ZoneInfo("America/New_York")
BERLIN = Customer(tz="Europe/Berlin", country="DE")
NY = Customer(tz="America/New_York")


# ---- hand-worked examples (expected values worked out on a calendar, not by slocalc) ----------


@pytest.mark.parametrize(
    ("target", "customer", "start", "expected"),
    [
        # Friday 15:00 + 4 business hours (Mon-Fri 08-17): 2 h on Friday, 2 h on Monday
        (
            "4 business hours",
            BERLIN,
            datetime(2026, 11, 20, 15, tzinfo=BERLIN_TZ),
            "2026-11-23T10:00:00+01:00",
        ),
        # 2 hours on 24x7 across the spring-forward night: 2 h of elapsed time
        ("2 hours", None, datetime(2026, 3, 8, 1, 30, tzinfo=NY_TZ), "2026-03-08T04:30:00-04:00"),
        # 3 business days from Wednesday 23 Dec 2026 10:00 in Germany: 24 Dec is a working
        # day (not a public holiday), 25/26 Dec holidays, 27 Dec Sunday: 24, 28, 29
        (
            "3 business days",
            BERLIN,
            datetime(2026, 12, 23, 10, tzinfo=BERLIN_TZ),
            "2026-12-29T10:00:00+01:00",
        ),
        # business days start at the next opening: Saturday 12:00 -> Monday 08:00, +1 day
        ("1 business day", BERLIN, datetime(2026, 11, 21, 12, tzinfo=BERLIN_TZ), "2026-11-24T08:00:00+01:00"),
        # 1 calendar day over spring forward keeps the wall time (23 hours of elapsed time)
        ("1 calendar day", NY, datetime(2026, 3, 7, 10, tzinfo=NY_TZ), "2026-03-08T10:00:00-04:00"),
        # a wall time in the gap is placed at the transition (03:00 EDT)
        ("1 calendar day", NY, datetime(2026, 3, 7, 2, 30, tzinfo=NY_TZ), "2026-03-08T03:00:00-04:00"),
        # a repeated wall time is placed at its first occurrence (01:30 EDT)
        ("1 calendar day", NY, datetime(2026, 10, 31, 1, 30, tzinfo=NY_TZ), "2026-11-01T01:30:00-04:00"),
        # calendar days on a center's clock use the center's zone (Boston: America/New_York)
        (
            "10 calendar days on center:boston",
            None,
            datetime(2026, 10, 30, 12, tzinfo=UTC),
            "2026-11-09T13:00:00+00:00",
        ),
    ],
)
def test_hand_worked(target: str, customer: Customer | None, start: datetime, expected: str) -> None:
    t = Target.parse(target)
    got = t.resolve(customer).due(start)
    assert got.isoformat() == expected
    assert got.tzinfo is start.tzinfo
    assert us_of(t.due(start, customer)) == us_of(got)
    # the same instant asked in UTC gives the same instant, in UTC
    utc = t.resolve(customer).due(start.astimezone(UTC))
    assert us_of(utc) == us_of(got)
    assert utc.tzinfo is UTC


def test_attributes() -> None:
    exact = RAPID7.target(1, "update").resolve(BERLIN)
    assert (exact.clock, exact.elapsed, exact.exact, exact.lower_bound) == (
        ALWAYS,
        True,
        True,
        timedelta(hours=4),
    )
    assert exact.customer is None  # the 24x7 clock does not depend on the customer
    hours = RAPID7.target(2, "initial_response").resolve(BERLIN)
    assert hours.clock == BERLIN.calendar()
    assert not hours.elapsed
    assert not hours.exact
    assert hours.customer == BERLIN
    assert hours.target == RAPID7.target(2, "initial_response")
    days = RAPID7.target(2, "update").resolve(BERLIN)
    assert days.clock == BERLIN.calendar()
    assert not days.exact
    assert days.lower_bound == timedelta(days=2) - timedelta(hours=3)
    cal = Target.parse("10 calendar days").resolve(BERLIN)
    assert cal.clock is ALWAYS
    assert cal.elapsed
    assert not cal.exact
    assert cal.lower_bound == timedelta(days=9) - timedelta(hours=3)


def test_resolve_is_cached_and_a_value() -> None:
    t = Target.parse("3 business days")
    d = t.resolve(Customer(tz="Europe/Berlin", country="DE"))
    assert t.resolve(Customer(tz="Europe/Berlin", country="DE")) is d
    assert Target.parse("2 hours").resolve(BERLIN) is Target.parse("2 hours").resolve(None)
    assert Deadline(t, BERLIN) == d
    assert hash(Deadline(t, BERLIN)) == hash(d)
    assert pickle.loads(pickle.dumps(d)) == d
    with pytest.raises(AttributeError, match="immutable"):
        d.exact = True  # type: ignore[misc]


def test_errors() -> None:
    with pytest.raises(PolicyError, match=r"^customer: the 'customer' clock runs in the customer's zone"):
        Target.parse("4 business hours").resolve(None)
    with pytest.raises(SlocalcTypeError, match=r"^customer: expected a Customer, got str 'Europe/Berlin'"):
        Target.parse("4 business hours").resolve("Europe/Berlin")  # type: ignore[arg-type]
    d = Target.parse("4 business hours").resolve(BERLIN)
    with pytest.raises(NaiveDatetimeError, match=r"^start: got naive datetime 2026-03-02 09:00:00"):
        d.due(datetime(2026, 3, 2, 9))
    with pytest.raises(SlocalcTypeError, match=r"^start: expected an aware datetime, got str"):
        d.due("2026-03-02T09:00Z")  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError):
        d.due_many([datetime(2026, 3, 2, 9)])
    with pytest.raises(SlocalcTypeError, match="got dtype float64"):
        Target.parse("1 calendar day").resolve(BERLIN).due_many(np.zeros(2))


def test_fixed_offset_and_repeated_hour_starts() -> None:
    d = Target.parse("2 hours").resolve()
    plus5 = timezone(timedelta(hours=5))
    got = d.due(datetime(2026, 3, 2, 9, tzinfo=plus5))
    assert got == datetime(2026, 3, 2, 11, tzinfo=plus5)
    assert got.tzinfo is plus5
    # the two 01:30s of the fall-back night in New York are different starts
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NY_TZ)
    second = first.replace(fold=1)
    assert us_of(d.due(first)) == us_of(datetime(2026, 11, 1, 7, 30, tzinfo=UTC))
    assert us_of(d.due(second)) == us_of(datetime(2026, 11, 1, 8, 30, tzinfo=UTC))
    cal = Target.parse("1 calendar day").resolve(NY)
    assert us_of(cal.due(first)) == us_of(cal.due(second)) == us_of(datetime(2026, 11, 2, 6, 30, tzinfo=UTC))


# ---- differential: every unit against the slow reference ---------------------------------------

ZONES = ("America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata")
HOURS = ("Mon-Fri 08:00-17:00", "Mon-Sun 22:00-06:00", "Tue,Thu 00:00-24:00")


def reference_due(target: Target, tz: str, hours: str, start: datetime) -> datetime:
    zone = ZoneInfo(tz)
    assert start.tzinfo is not None
    if target.unit == "calendar_days":
        wall = dt_of(us_of(start), zone).replace(tzinfo=None) + timedelta(days=target.amount)
        return dt_of(boundary(zone, wall), start.tzinfo)
    ref = RefAlways() if target.clock == "24x7" else RefBusiness(tz, hours)
    if target.unit == "business_days":
        return ref.add_days(start, target.amount)
    step = target.clock_time
    assert step is not None
    return ref.add(start, step)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), tz=st.sampled_from(ZONES), hours=st.sampled_from(HOURS))
def test_matches_the_reference(data: st.DataObject, tz: str, hours: str) -> None:
    unit = data.draw(st.sampled_from(("hours", "minutes", "business_days", "calendar_days")))
    clock = data.draw(st.sampled_from(("24x7", "customer"))) if unit in ("hours", "minutes") else "customer"
    amount = data.draw(st.integers(1, 40 if unit != "minutes" else 600))
    target = Target(amount=amount, unit=unit, clock=clock)
    start = data.draw(instants(tz))
    customer = Customer(tz=tz, hours=hours)
    deadline = target.resolve(customer)
    got = deadline.due(start)
    assert us_of(got) == us_of(reference_due(target, tz, hours, start))
    assert got.tzinfo is start.tzinfo
    bound = us_of(start) + us_of(datetime(1970, 1, 1, tzinfo=UTC) + deadline.lower_bound)
    assert us_of(got) >= bound
    if deadline.exact:
        assert us_of(got) == bound
    assert us_of(deadline.due(start)) == us_of(got)  # from the cache
    assert us_of(deadline.due(start.astimezone(UTC))) == us_of(got)


@pytest.mark.parametrize("text", ["2 hours", "4 business hours", "3 business days", "10 calendar days"])
def test_due_many_containers(text: str) -> None:
    d = Target.parse(text).resolve(NY)
    starts = [datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=7 * k, minutes=13 * k) for k in range(60)]
    expected = [d.due(t) for t in starts]
    local = [t.astimezone(NY_TZ) for t in starts]
    got_local = d.due_many(local)
    assert [us_of(g) for g in got_local] == [us_of(e) for e in expected]
    assert all(g.tzinfo is NY_TZ for g in got_local)
    u = np.array([us_of(t) for t in starts], dtype=np.int64)
    want = np.array([us_of(t) for t in expected], dtype=np.int64)
    ints = d.due_many(u)
    assert ints.dtype == np.int64
    assert (ints == want).all()
    stamps = d.due_many(u.astype("datetime64[us]"))
    assert stamps.dtype == np.dtype("datetime64[us]")
    assert (stamps.astype(np.int64) == want).all()
    assert list(d.due_many(np.zeros(0, dtype=np.int64))) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    tz=st.sampled_from(ZONES),
    text=st.sampled_from(
        ["90 minutes", "4 business hours", "2 business days", "1 calendar day", "400 calendar days"]
    ),
)
def test_due_many_is_due_for_each(data: st.DataObject, tz: str, text: str) -> None:
    starts = data.draw(st.lists(instants(tz), min_size=1, max_size=12))
    d = Target.parse(text).resolve(Customer(tz=tz))
    want = [us_of(d.due(t)) for t in starts]
    u = np.array([us_of(t) for t in starts], dtype=np.int64)
    assert d.due_many(u).tolist() == want
    assert [us_of(t) for t in d.due_many(starts)] == want


def test_due_many_keeps_missing_stamps() -> None:
    d = Target.parse("1 calendar day").resolve(NY)
    stamps = np.array(["2026-03-07T15:00", "NaT"], dtype="datetime64[us]")
    got = d.due_many(stamps)
    assert got[0] == np.datetime64("2026-03-08T14:00", "us")
    assert np.isnat(got[1])
