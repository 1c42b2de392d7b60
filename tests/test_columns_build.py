"""``columns_from_cases``: the columns of validated cases, built in bulk.

Hand-worked examples first (events out of order, equal instants in different offsets, a
repeated DST hour, status and severity events, cases without events, shared customers and
zones, the error of a case built without validation), then a Hypothesis property against
:func:`reference`: the columns built plainly, case by case, from ``timeline_of``.
"""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import TzInfo

import slocalc.cases._columns as columns_module
from slocalc.cases import Case, Event, check
from slocalc.cases._columns import CaseColumns, columns_from_cases
from slocalc.cases._models import timeline_of
from slocalc.errors import TimelineError
from slocalc.policies import RAPID7, Customer
from slocalc.testing import cases, customers

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: 2026-03-02T00:00Z: 56 years since 1970 with 14 leap days (1972..2024), then 31 + 28 + 1
#: days of 2026: 20514 days of 86400 s
MARCH_2 = 20514 * 86400 * 1_000_000
HOUR = 3600 * 1_000_000
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UTC_CUSTOMER = Customer(tz="UTC")
NEW_YORK = ZoneInfo("America/New_York")
PLUS_2 = timezone(timedelta(hours=2))
MINUS_5 = timezone(timedelta(hours=-5))

#: dtypes of the array fields
DTYPES = {
    "severity": np.int64,
    "opened": np.int64,
    "zone": np.int32,
    "customer": np.int32,
    "first": np.int64,
    "at": np.int64,
    "kind": np.int8,
    "status": np.int32,
    "level": np.int64,
    "index": np.int32,
}


def at(hour: int, minute: int = 0, tz: tzinfo = UTC) -> datetime:
    """2 March 2026 at ``hour:minute`` UTC, shown in ``tz``."""
    return (T0.replace(hour=hour, minute=minute)).astimezone(tz)


def make(*events: Event, cid: str = "C-1", opened: datetime = T0, customer: Customer = UTC_CUSTOMER) -> Case:
    return Case(id=cid, severity=2, opened_at=opened, customer=customer, events=list(events))


def us(dt: datetime) -> int:
    """Exact UTC microseconds with the standard library only."""
    return (dt - EPOCH) // timedelta(microseconds=1)


def reference(batch: list[Case]) -> CaseColumns:
    """The columns, plainly: each case's ``timeline_of``, one event after another."""
    at_, kind, status, level, index, first = [], [], [], [], [], [0]
    statuses: list[str] = []
    zones: list[tzinfo] = []
    zone: list[int] = []
    distinct: list[Customer] = []
    customer: list[int] = []
    kinds = {"support_update": 0, "customer_update": 1, "status": 2, "severity": 3}
    for case in batch:
        tz = case.opened_at.tzinfo
        assert tz is not None
        if not any(z is tz for z in zones):
            zones.append(tz)
        zone.append(next(k for k, z in enumerate(zones) if z is tz))
        if case.customer not in distinct:
            distinct.append(case.customer)
        customer.append(distinct.index(case.customer))
        _, timeline = timeline_of(case)
        for utc, i, event in timeline:
            at_.append(us(utc))
            kind.append(kinds[event.kind])
            if event.status is None:
                status.append(-1)
            else:
                if event.status not in statuses:
                    statuses.append(event.status)
                status.append(statuses.index(event.status))
            level.append(0 if event.severity is None else event.severity)
            index.append(i)
        first.append(len(at_))

    def arr(values: list[int], name: str) -> Any:
        return np.array(values, dtype=DTYPES[name])

    return CaseColumns(
        ids=[case.id for case in batch],
        severity=arr([case.severity for case in batch], "severity"),
        opened=arr([us(case.opened_at) for case in batch], "opened"),
        zone=arr(zone, "zone"),
        zones=zones,
        customer=arr(customer, "customer"),
        customers=distinct,
        first=arr(first, "first"),
        at=arr(at_, "at"),
        kind=arr(kind, "kind"),
        status=arr(status, "status"),
        level=arr(level, "level"),
        index=arr(index, "index"),
        statuses=statuses,
        sources=list(batch),
        lines=None,
    )


def assert_same(got: CaseColumns, want: CaseColumns) -> None:
    """Every field equal; arrays of the same dtype and shape; tzinfos, customers and sources
    the very same objects."""
    for field in fields(CaseColumns):
        a, b = getattr(got, field.name), getattr(want, field.name)
        if field.name in DTYPES:
            assert a.dtype == DTYPES[field.name], field.name
            assert a.dtype == b.dtype, field.name
            assert a.shape == b.shape, field.name
            assert a.tolist() == b.tolist(), field.name
        else:
            assert a == b, field.name
    for name in ("zones", "customers", "sources"):
        a, b = getattr(got, name), getattr(want, name)
        assert all(x is y for x, y in zip(a, b, strict=True)), name


@pytest.fixture
def bulk_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if the batch is left to the case-by-case path (the bulk path takes it)."""

    def refuse(*args: Any) -> None:
        raise AssertionError("the bulk path did not take the batch")

    monkeypatch.setattr(columns_module, "_plain_columns", refuse)


# --------------------------------------------------------------------------- hand-worked examples


@pytest.mark.usefixtures("bulk_only")
def test_events_out_of_order_are_sorted_ties_in_the_given_order() -> None:
    c = make(
        Event(at=at(11), kind="status", status="in_progress"),  # given 0
        Event(at=at(10), kind="support_update"),  # given 1: first
        Event(at=at(10), kind="customer_update"),  # given 2: ties with 1, after it
        Event(at=at(12), kind="severity", severity=1),  # given 3
    )
    cols = columns_from_cases([c])
    assert cols.at.tolist() == [
        MARCH_2 + 10 * HOUR,
        MARCH_2 + 10 * HOUR,
        MARCH_2 + 11 * HOUR,
        MARCH_2 + 12 * HOUR,
    ]
    assert cols.index.tolist() == [1, 2, 0, 3]
    assert cols.kind.tolist() == [0, 1, 2, 3]
    assert cols.status.tolist() == [-1, -1, 0, -1]
    assert cols.level.tolist() == [0, 0, 0, 1]
    assert cols.statuses == ["in_progress"]
    assert cols.first.tolist() == [0, 4]
    assert cols.opened.tolist() == [MARCH_2 + 9 * HOUR]
    assert_same(cols, reference([c]))


@pytest.mark.usefixtures("bulk_only")
def test_equal_instants_in_different_offsets_keep_the_given_order() -> None:
    # 12:00+02:00, 10:00Z and 05:00-05:00 are one instant; 09:30+01:00 is 08:30Z, before
    # 09:00Z although its wall clock reads later
    c = make(
        Event(at=at(10, tz=PLUS_2), kind="support_update"),
        Event(at=at(10), kind="customer_update"),
        Event(at=at(10, tz=MINUS_5), kind="status", status="in_progress"),
        Event(at=datetime(2026, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=1))), kind="support_update"),
        Event(at=at(9, tz=TzInfo(0)), kind="customer_update"),
        opened=datetime(2026, 3, 2, 8, tzinfo=UTC),
    )
    cols = columns_from_cases([c])
    assert cols.index.tolist() == [3, 4, 0, 1, 2]
    assert cols.at.tolist() == [
        MARCH_2 + 8 * HOUR + HOUR // 2,
        MARCH_2 + 9 * HOUR,
        MARCH_2 + 10 * HOUR,
        MARCH_2 + 10 * HOUR,
        MARCH_2 + 10 * HOUR,
    ]
    assert cols.kind.tolist() == [0, 1, 0, 1, 2]
    assert_same(cols, reference([c]))


@pytest.mark.usefixtures("bulk_only")
def test_a_repeated_hour_is_placed_by_fold() -> None:
    # New York falls back on 2026-11-01 at 06:00Z: 01:30 fold=0 is EDT (05:30Z), fold=1 is
    # EST (06:30Z); given the second first, it sorts after the first
    opened = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
    second = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK)
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)
    c = make(Event(at=second, kind="support_update"), Event(at=first, kind="customer_update"), opened=opened)
    cols = columns_from_cases([c])
    # 2026-11-01T00:00Z: 2 March, then 30 days to 1 April and the months April to October
    day = (20514 + 30 + 30 + 31 + 30 + 31 + 31 + 30 + 31) * 86400 * 1_000_000
    assert day == us(datetime(2026, 11, 1, tzinfo=UTC))
    assert cols.at.tolist() == [day + 5 * HOUR + HOUR // 2, day + 6 * HOUR + HOUR // 2]
    assert cols.index.tolist() == [1, 0]
    assert_same(cols, reference([c]))


@pytest.mark.usefixtures("bulk_only")
def test_statuses_are_numbered_by_first_use_in_timeline_order() -> None:
    c = make(
        Event(at=at(14), kind="status", status="closed"),
        Event(at=at(12), kind="severity", severity=3),
        Event(at=at(10), kind="status", status="in_progress"),
        Event(at=at(11), kind="status", status="waiting_on_customer"),
        Event(at=at(13), kind="status", status="in_progress"),
    )
    d = make(
        Event(at=at(10), kind="status", status="closed"),
        Event(at=at(11), kind="status", status="solution_provided"),
        cid="C-2",
    )
    cols = columns_from_cases([c, d])
    assert cols.statuses == ["in_progress", "waiting_on_customer", "closed", "solution_provided"]
    assert cols.status.tolist() == [0, 1, -1, 0, 2, 2, 3]
    assert cols.level.tolist() == [0, 0, 3, 0, 0, 0, 0]
    assert cols.kind.tolist() == [2, 2, 3, 2, 2, 2, 2]
    assert cols.index.tolist() == [2, 3, 1, 4, 0, 0, 1]
    assert cols.first.tolist() == [0, 5, 7]
    assert_same(cols, reference([c, d]))


@pytest.mark.usefixtures("bulk_only")
def test_cases_without_events() -> None:
    empty = make(cid="C-0")
    busy = make(Event(at=at(10), kind="support_update"), Event(at=at(11), kind="support_update"), cid="C-1")
    batch = [empty, busy, make(cid="C-2"), make(cid="C-3")]
    cols = columns_from_cases(batch)
    assert cols.ids == ["C-0", "C-1", "C-2", "C-3"]
    assert cols.first.tolist() == [0, 0, 2, 2, 2]
    assert cols.at.tolist() == [MARCH_2 + 10 * HOUR, MARCH_2 + 11 * HOUR]
    assert cols.index.tolist() == [0, 1]
    assert cols.statuses == []
    assert_same(cols, reference(batch))
    alone = [make(cid="C-4")]
    nothing = columns_from_cases(alone)
    assert (nothing.first.tolist(), nothing.at.tolist(), nothing.at.dtype) == ([0, 0], [], np.int64)
    assert_same(nothing, reference(alone))


def test_an_empty_batch() -> None:
    cols = columns_from_cases([])
    assert (len(cols), cols.first.tolist(), cols.opened.tolist(), cols.statuses) == (0, [0], [], [])
    assert_same(cols, reference([]))


@pytest.mark.usefixtures("bulk_only")
def test_customers_by_equality_zones_by_identity() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    zero = timezone(timedelta(0), "Z")  # equal to UTC, but another object: another zone
    dublin = Customer(tz="Europe/Dublin", country="IE")
    dublin_again = Customer(tz="Europe/Dublin", country="IE")  # equal: the first one's code
    batch = [
        make(cid="A", opened=T0.astimezone(berlin), customer=dublin),
        make(cid="B", opened=T0, customer=UTC_CUSTOMER),
        make(cid="C", opened=T0.astimezone(zero), customer=dublin_again),
        make(cid="D", opened=T0.astimezone(berlin), customer=UTC_CUSTOMER),
        make(cid="E", opened=T0.astimezone(PLUS_2), customer=dublin),
    ]
    cols = columns_from_cases(batch)
    assert cols.zone.tolist() == [0, 1, 2, 0, 3]
    assert cols.zones == [berlin, UTC, zero, PLUS_2]
    assert cols.zones[1] is UTC
    assert cols.zones[2] is zero
    assert cols.customer.tolist() == [0, 1, 0, 1, 0]
    assert cols.customers[0] is dublin
    assert cols.customers[1] is UTC_CUSTOMER
    assert cols.opened.tolist() == [MARCH_2 + 9 * HOUR] * 5
    assert_same(cols, reference(batch))


@pytest.mark.usefixtures("bulk_only")
def test_fixed_offsets_with_seconds_and_microseconds() -> None:
    odd = timezone(timedelta(hours=-4, minutes=-56, seconds=-2))  # an LMT-style offset
    tiny = timezone(timedelta(microseconds=1))
    c = make(
        Event(at=datetime(2026, 3, 2, 5, 0, 0, tzinfo=odd), kind="support_update"),  # 09:56:02Z
        Event(at=datetime(2026, 3, 2, 10, 0, 0, 1, tzinfo=tiny), kind="support_update"),  # 10:00Z
        Event(at=datetime(9998, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), kind="customer_update"),
    )
    cols = columns_from_cases([c])
    assert cols.at.tolist() == [
        MARCH_2 + 9 * HOUR + (56 * 60 + 2) * 1_000_000,
        MARCH_2 + 10 * HOUR,
        # 10000-01-01T00:00Z is 253402300800 s after the epoch, 9999 has 365 days
        (253402300800 - 365 * 86400) * 1_000_000 - 1,
    ]
    assert_same(cols, reference([c]))


@pytest.mark.usefixtures("bulk_only")
def test_leap_days_of_centuries() -> None:
    day = 86400 * 1_000_000
    # 2000-01-01 is 30 * 365 + 7 leap days (1972..1996) = 10957 days after the epoch; 2000 is
    # a leap year (divisible by 400), 2100 is not (by 100): 2100-01-01 is 36500 + 25 leap days
    # (2000..2096) later
    opened = datetime(2000, 1, 1, tzinfo=UTC)
    c = make(
        Event(at=datetime(2000, 3, 1, tzinfo=UTC), kind="support_update"),
        Event(at=datetime(2100, 3, 1, tzinfo=UTC), kind="support_update"),
        Event(at=datetime(2400, 2, 29, 12, tzinfo=UTC), kind="support_update"),
        opened=opened,
    )
    cols = columns_from_cases([c])
    y2100 = 10957 + 36525
    y2400 = y2100 + 300 * 365 + 72  # 2104..2396: 74 multiples of 4, less 2200 and 2300
    assert cols.at.tolist() == [
        (10957 + 31 + 29) * day,
        (y2100 + 31 + 28) * day,
        (y2400 + 31 + 28) * day + 12 * HOUR,
    ]
    assert cols.opened.tolist() == [10957 * day]
    assert_same(cols, reference([c]))


@pytest.mark.usefixtures("bulk_only")
def test_the_first_and_last_years_of_the_range() -> None:
    day = 86400 * 1_000_000
    # 0002-01-01 is day 366 of the proleptic Gregorian calendar (0001-01-01 is day 1) and
    # 1970-01-01 day 719163; shown at -05:00 it reads 0001-12-31T19:00 (local year 1)
    opened = datetime(2, 1, 1, tzinfo=UTC)
    west = timezone(timedelta(hours=-5))
    east = timezone(timedelta(hours=5))
    last = datetime(9998, 12, 31, 23, tzinfo=UTC)  # shown at +05:00: 9999-01-01T04:00 local
    c = make(
        Event(at=opened.astimezone(west), kind="support_update"),
        Event(at=last.astimezone(east), kind="customer_update"),
        opened=opened,
    )
    assert c.events[0].at.year == 1
    assert c.events[1].at.year == 9999
    cols = columns_from_cases([c])
    start = (366 - 719163) * day
    assert cols.opened.tolist() == [start]
    # 10000-01-01 is 253402300800 s after the epoch; 9999 has 365 days
    assert cols.at.tolist() == [start, (253402300800 - 365 * 86400) * 1_000_000 - HOUR]
    assert_same(cols, reference([c]))


def test_lines_and_found_are_kept() -> None:
    batch = [make(Event(at=at(11), kind="support_update"), Event(at=at(10), kind="customer_update"))]
    found = [timeline_of(case) for case in batch]
    with_found = columns_from_cases(batch, [7], found=found)
    assert with_found.lines == [7]
    assert_same(columns_from_cases(batch, found=found), reference(batch))


def test_an_event_before_opened_at_raises_as_check_does() -> None:
    good = make(Event(at=at(10), kind="support_update"), cid="C-8")
    unchecked = Case.model_construct(
        id="C-9",
        severity=2,
        opened_at=T0,
        customer=UTC_CUSTOMER,
        events=(Event(at=at(10), kind="support_update"), Event(at=at(8), kind="customer_update")),
    )
    message = (
        "case 'C-9': events[1]: before opened_at 2026-03-02T09:00:00+00:00; "
        "an event cannot precede the case's opening"
    )
    with pytest.raises(TimelineError, match=f"^{re.escape(message)}$"):
        columns_from_cases([good, unchecked])
    with pytest.raises(TimelineError, match=f"^{re.escape(message)}$"):
        check([good, unchecked], RAPID7, now=at(12))


def test_cases_built_without_validation_match_the_plain_columns() -> None:
    # a case made with model_construct: events as a list, its timeline not cached yet
    unchecked = Case.model_construct(
        id="C-9",
        severity=3,
        opened_at=T0,
        customer=UTC_CUSTOMER,
        events=[
            Event(at=at(12), kind="support_update"),
            Event(at=at(10, tz=NEW_YORK), kind="support_update"),
        ],
    )
    batch = [make(Event(at=at(10), kind="support_update")), unchecked]
    assert_same(columns_from_cases(batch), reference(batch))


def test_naive_instants_of_unvalidated_cases_are_read_as_timeline_of_reads_them() -> None:
    # model_construct skips the checks: timeline_of reads a naive event in the local zone
    unchecked = Case.model_construct(
        id="C-9",
        severity=2,
        opened_at=datetime(2026, 3, 1, tzinfo=UTC),
        customer=UTC_CUSTOMER,
        events=(Event.model_construct(at=datetime(2026, 3, 2, 10), kind="support_update"),),
    )
    assert_same(columns_from_cases([unchecked]), reference([unchecked]))


def test_an_instant_outside_the_datetime_range_in_utc_raises_as_before() -> None:
    # 0001-01-01T00:30+01:00 is before 0001-01-01T00:00Z: astimezone(UTC) overflows
    early = datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    unchecked = Case.model_construct(id="C-9", severity=2, opened_at=early, customer=UTC_CUSTOMER, events=())
    with pytest.raises(OverflowError):
        timeline_of(unchecked)
    with pytest.raises(OverflowError):
        columns_from_cases([unchecked])


def test_datetime_subclasses_order_as_timeline_of_orders_them() -> None:
    pd = pytest.importorskip("pandas")
    # two instants in one microsecond: timeline_of orders pandas Timestamps by their nanoseconds
    late = pd.Timestamp("2026-03-02T10:00:00.000000800Z")
    soon = pd.Timestamp("2026-03-02T10:00:00.000000200Z")
    c = make(Event(at=late, kind="support_update"), Event(at=soon, kind="customer_update"))
    cols = columns_from_cases([c])
    assert cols.index.tolist() == [1, 0]
    assert cols.at.tolist() == [MARCH_2 + 10 * HOUR] * 2
    assert_same(cols, reference([c]))


# --------------------------------------------------------------------------- properties

OFFSETS = st.builds(
    lambda minutes, seconds: timezone(timedelta(minutes=minutes, seconds=seconds)),
    st.integers(-14 * 60, 14 * 60),
    st.sampled_from([0, 0, 0, 30]),
)
SHOWN_IN = st.one_of(
    st.none(),  # as drawn
    st.just(UTC),
    OFFSETS,
    st.builds(TzInfo, st.integers(-50000, 50000)),
    st.sampled_from([ZoneInfo("Europe/Dublin"), NEW_YORK, ZoneInfo("Australia/Lord_Howe")]),
)


@st.composite
def shown(draw: st.DrawFn, case: Case) -> Case:
    """``case`` with each instant maybe shown in another tzinfo (the same instant)."""

    def move(t: datetime) -> datetime:
        tz = draw(SHOWN_IN)
        return t if tz is None else t.astimezone(tz)

    events = [event.model_copy(update={"at": move(event.at)}) for event in case.events]
    return Case(
        id=case.id,
        severity=case.severity,
        opened_at=move(case.opened_at),
        customer=case.customer,
        events=events,
    )


SHARED = customers(custom_hours=False)
BATCHES = st.lists(
    st.one_of(
        cases(max_events=6, shuffle=True, customers=SHARED),
        cases(max_events=6, customers=SHARED),
        cases(max_events=4, shuffle=True, min_year=1900, max_year=2100).flatmap(shown),
    ),
    max_size=8,
)


@given(BATCHES)
def test_same_as_the_plain_columns(batch: list[Case]) -> None:
    assert_same(columns_from_cases(batch), reference(batch))
    if batch:  # and the bulk path takes every such batch
        bulk = columns_module._bulk_columns(np, batch, None)
        assert bulk is not None
        assert_same(bulk, reference(batch))


@given(BATCHES)
def test_found_gives_the_same_columns(batch: list[Case]) -> None:
    found = [timeline_of(case) for case in batch]
    assert_same(columns_from_cases(batch, found=found), reference(batch))
