"""Issue 18, library items: regressions for errors that unpickle in a process pool (8), inputs
that raised something other than a SlocalcError (9), unbounded work (10), the next_close
horizon (16) and RecurringCalendar's start (17). Expected values are worked by hand; the
limits are those of docs/limits.md.
"""

from __future__ import annotations

import math
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slocalc import ALWAYS, NEVER, BusinessCalendar, RecurringCalendar
from slocalc.calendars._index import CHUNK_CACHE, MAX_SPAN_YEARS, MAX_YEAR, MIN_YEAR
from slocalc.cases import Case, Event, check
from slocalc.errors import (
    CalendarSpecError,
    NaiveDatetimeError,
    NaiveTimelineError,
    NoBusinessTimeError,
    PolicyError,
    SlocalcError,
    SlocalcTypeError,
    SlocalcValueError,
    TimelineError,
)
from slocalc.policies import Customer, Policy

T = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # a Monday
WEEKDAYS = BusinessCalendar(tz="America/New_York", hours="Mon-Fri 09:00-17:00")
CALENDARS = [ALWAYS, NEVER, WEEKDAYS]


# -- item 8: errors cross process boundaries ----------------------------------------------------


def _raise_naive(which: str) -> None:
    if which == "calendar":
        WEEKDAYS.is_open(datetime(2026, 12, 7, 9, 0))
    Case(
        id="C-1",
        severity=2,
        opened_at=T,
        customer=Customer(tz="UTC"),
        events=[Event(kind="support_update", at=datetime(2026, 12, 7, 10))],
    )


@pytest.mark.skipif(sys.platform == "emscripten", reason="no processes")
def test_errors_raised_in_a_process_pool_come_back_and_the_pool_survives() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        with pytest.raises(NaiveDatetimeError) as info:
            pool.submit(_raise_naive, "calendar").result(timeout=60)
        assert info.value.param == "t"
        assert "2026-12-07" in str(info.value)
        with pytest.raises(NaiveTimelineError) as info2:
            pool.submit(_raise_naive, "case").result(timeout=60)
        assert isinstance(info2.value, TimelineError)
        # the pool is not broken: it still runs work
        assert pool.submit(pow, 2, 10).result(timeout=60) == 1024


# -- item 9: instants at and beyond the range ends ----------------------------------------------

MAX_UTC = datetime.max.replace(tzinfo=UTC)  # year 9999: outside 2-9998
MIN_UTC = datetime.min.replace(tzinfo=UTC)  # year 1
MAX_WEST = datetime.max.replace(tzinfo=timezone(timedelta(hours=-14)))  # UTC year 10000
MIN_EAST = datetime.min.replace(tzinfo=timezone(timedelta(hours=14)))  # UTC year 0


@pytest.mark.parametrize("t", [MAX_UTC, MIN_UTC, MAX_WEST, MIN_EAST], ids=["max", "min", "max-14", "min+14"])
@pytest.mark.parametrize("cal", CALENDARS, ids=["ALWAYS", "NEVER", "weekdays"])
def test_instants_outside_the_range_are_refused(cal: BusinessCalendar, t: datetime) -> None:
    hour = timedelta(hours=1)
    for op in (
        lambda: cal.is_open(t),
        lambda: cal.next_open(t),
        lambda: cal.next_close(t),
        lambda: cal.add(t, hour),
        lambda: cal.add(t, -hour),
        lambda: cal.between(T, t),
        lambda: cal.between(t, T),
        lambda: cal.add_days(t, 1),
        lambda: cal.add_days(t, -1),
        lambda: cal.days_between(T, t),
        lambda: next(cal.intervals(T, t) if t > T else cal.intervals(t, T), None),
    ):
        with pytest.raises(SlocalcError) as info:
            op()
        assert isinstance(info.value, ValueError)
        assert "outside the supported range" in str(info.value)


def test_the_edges_of_the_range_still_answer() -> None:
    last = datetime(9998, 12, 31, 23, 0, tzinfo=UTC)
    assert ALWAYS.add(last, timedelta(hours=1)) == datetime(9999, 1, 1, tzinfo=UTC)
    assert ALWAYS.add(datetime(2, 1, 1, 1, tzinfo=UTC), -timedelta(hours=1)) == datetime(2, 1, 1, tzinfo=UTC)
    with pytest.raises(SlocalcValueError, match="outside the supported years 2-9998"):
        ALWAYS.add(last, timedelta(hours=2))


@pytest.mark.parametrize(
    "opened_at",
    ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59.999999-14:00", "0001-06-01T00:00:00+00:00"],
)
def test_case_instants_outside_the_range_are_refused(opened_at: str) -> None:
    with pytest.raises(TimelineError, match="outside the supported range"):
        Case(id="C-1", severity=2, opened_at=opened_at, customer=Customer(tz="UTC"))
    with pytest.raises(TimelineError, match="outside the supported range"):
        Event(kind="support_update", at=opened_at)


def test_huge_severity_is_refused_without_echoing_every_digit() -> None:
    with pytest.raises(TimelineError) as info:
        Case(id="C-1", severity=10**5000, opened_at=T, customer=Customer(tz="UTC"))
    assert "5,001 digits" in str(info.value)
    assert len(str(info.value)) < 300
    with pytest.raises(TimelineError, match="digits"):
        Event(kind="severity", at=T, severity=-(2**64))
    assert Case(id="C-1", severity=2**63 - 1, opened_at=T, customer=Customer(tz="UTC")).severity == 2**63 - 1


def test_recurring_start_in_year_one_is_refused() -> None:
    for start in (datetime(1, 1, 1, tzinfo=UTC), datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))):
        # year 1 in UTC: the calendar refuses it; year 0 in UTC: no datetime can hold it
        with pytest.raises((CalendarSpecError, SlocalcValueError), match="outside the supported range"):
            RecurringCalendar("FREQ=DAILY", start=start, duration=timedelta(hours=1), tz="Asia/Tokyo")


POLICY_4H = {"name": "p", "severities": [{"level": 1, "targets": {"initial_response": "4 hours"}}]}


def test_at_risk_numpy_float_and_nan() -> None:
    np = pytest.importorskip("numpy")
    policy = Policy.from_dict(POLICY_4H)
    case = Case(id="C-1", severity=1, opened_at=T, customer=Customer(tz="UTC"))
    now = T + timedelta(hours=3)  # 3 of 4 hours used: 75% > 50%
    alerts = check([case], policy, now=now, at_risk=np.float64(0.5))
    assert [a.kind for a in alerts] == ["at_risk"]
    for bad in (math.nan, math.inf, Decimal("NaN")):
        with pytest.raises(SlocalcValueError, match="at_risk"):
            check([case], policy, now=now, at_risk=bad)


@pytest.mark.parametrize("target", ["999999999 calendar days", "1000000000 business days", "999999999 hours"])
def test_policy_refuses_targets_beyond_100_years(target: str) -> None:
    with pytest.raises(PolicyError, match="100 years"):
        Policy.from_dict({"name": "p", "severities": [{"level": 1, "targets": {"initial_response": target}}]})


def test_policy_files_hostile(tmp_path: Path) -> None:
    files = {
        "latin1.toml": 'name = "caf\xe9"\n'.encode("latin-1"),
        "utf16.json": '{"name": "x"}'.encode("utf-16"),
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "deep.toml": b"a = " + b"[" * 100_000 + b"]" * 100_000,
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(PolicyError):
            Policy.from_file(path)
    with pytest.raises(PolicyError):
        Policy.from_json("[" * 100_000)
    with pytest.raises(PolicyError):
        Policy.from_toml("a = " + "[" * 100_000)


# -- item 10: bounded work --------------------------------------------------------------------


@pytest.mark.parametrize("cal", CALENDARS, ids=["ALWAYS", "NEVER", "weekdays"])
def test_durations_that_cannot_end_in_range_are_refused_up_front(cal: BusinessCalendar) -> None:
    # 9998-12-31 is 7,972 years after T; business time never runs faster than the clock
    before = set(cal._index.store.chunks)
    for d in (timedelta.max, timedelta(days=8000 * 365), timedelta.min, timedelta(days=-2030 * 365)):
        with pytest.raises(SlocalcValueError, match="outside the supported years 2-9998"):
            cal.add(T, d)
    assert set(cal._index.store.chunks) - before <= {2026}  # nothing traversed


def test_add_on_always_over_centuries_is_the_clock() -> None:
    # 80 years of 24x7 time is 80 years of clock time: 29,219 days, with the 19 leap days
    # 2028..2104 (2100 is not a leap year)
    assert ALWAYS.add(T, timedelta(days=29_219)) == datetime(2106, 12, 7, 9, 0, tzinfo=UTC)


def test_queries_beyond_the_span_limit_are_refused() -> None:
    far = datetime(9998, 1, 1, tzinfo=UTC)
    with pytest.raises(SlocalcValueError, match=f"at most {MAX_SPAN_YEARS} years"):
        WEEKDAYS.between(T, far)
    with pytest.raises(SlocalcValueError, match=f"at most {MAX_SPAN_YEARS} years"):
        WEEKDAYS.between(far, T)
    with pytest.raises(SlocalcValueError, match=f"at most {MAX_SPAN_YEARS} years"):
        WEEKDAYS.days_between(T, far)
    # 50 years of business time on 40 hours a week needs ~219 years of calendar
    with pytest.raises(SlocalcValueError, match="not reached within 100 years"):
        WEEKDAYS.add(T, timedelta(days=50 * 365))
    with pytest.raises(SlocalcValueError, match="not reached within 100 years"):
        WEEKDAYS.add(T, -timedelta(days=50 * 365))
    for n in (10**9, -(10**9), 100 * 366 + 1):
        with pytest.raises(SlocalcValueError, match="business days"):
            WEEKDAYS.add_days(T, n)
    # ~261 business dates a year: 30,000 of them need ~115 years
    with pytest.raises(SlocalcValueError, match="not reached within 100 years"):
        WEEKDAYS.add_days(T, 30_000)


def test_span_limit_boundary_still_answers() -> None:
    # 2026-12-07 09:00 to 2126-12-07 09:00 UTC covers UTC years 2026..2126, 101 years: the limit
    a, b = T, datetime(2126, 12, 7, 9, 0, tzinfo=UTC)
    assert ALWAYS.between(a, b) == b - a
    with pytest.raises(SlocalcValueError):
        ALWAYS.between(a, datetime(2127, 1, 1, tzinfo=UTC))


def test_compiled_chunks_stay_bounded() -> None:
    cal = BusinessCalendar(tz="Asia/Kolkata", hours="Mon-Sat 10:00-11:00")
    start = datetime(2100, 1, 1, tzinfo=UTC)
    for k in range(3):  # walk ~250 UTC years of intervals, a slice at a time
        a = start + timedelta(days=365 * 85 * k)
        for _ in cal.intervals(a, a + timedelta(days=365 * 85)):
            pass
    assert len(cal._index.store.chunks) <= CHUNK_CACHE
    # a dropped year compiles again with the same answer (hand-worked: Fri 2100-01-01 10:00 IST)
    assert cal.next_open(start) == datetime(2100, 1, 1, 4, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "rule",
    ["FREQ=SECONDLY", "FREQ=SECONDLY;INTERVAL=30", "FREQ=MINUTELY;BYSECOND=0,30", "FREQ=DAILY;BYSECOND=1,2"],
)
def test_sub_minute_rules_are_refused(rule: str) -> None:
    with pytest.raises(CalendarSpecError, match="less than a minute apart"):
        RecurringCalendar(rule, start=T, duration=timedelta(seconds=1), tz="UTC")


def test_minutely_rule_is_still_accepted() -> None:
    cal = RecurringCalendar("FREQ=MINUTELY;INTERVAL=15", start=T, duration=timedelta(minutes=5), tz="UTC")
    assert cal.next_open(T + timedelta(minutes=6)) == T + timedelta(minutes=15)


# -- item 16: next_close finds a close more than 10 years away -----------------------------------


def test_next_close_finds_a_close_eleven_years_away() -> None:
    cal = BusinessCalendar(tz="UTC", hours="Mon-Sun 00:00-24:00", overrides={date(2037, 6, 1): "closed"})
    assert cal.next_close(T) == datetime(2037, 6, 1, tzinfo=UTC)
    assert cal.next_close_many([T]) == [datetime(2037, 6, 1, tzinfo=UTC)]
    # the interval after the closed day runs on past the 100-year horizon: None
    assert cal.next_close(datetime(2037, 6, 2, tzinfo=UTC)) is None
    assert ALWAYS.next_close(datetime(9990, 1, 1, tzinfo=UTC)) is None  # open to the range's end


# -- item 17: RecurringCalendar's start -----------------------------------------------------------


def test_recurring_start_with_microseconds_is_refused() -> None:
    start = datetime(2026, 1, 13, 22, 0, 0, 250_000, tzinfo=ZoneInfo("Europe/London"))
    with pytest.raises(CalendarSpecError, match="whole seconds") as info:
        RecurringCalendar(
            "FREQ=MONTHLY;BYDAY=2TU", start=start, duration=timedelta(hours=4), tz="Europe/London"
        )
    assert "2026-01-13T22:00:00+00:00" in str(info.value)  # the suggested start


def test_recurring_start_must_be_an_occurrence() -> None:
    ldn = ZoneInfo("Europe/London")
    monday = datetime(2026, 1, 12, 22, 0, tzinfo=ldn)  # the rule wants the 2nd Tuesday
    with pytest.raises(CalendarSpecError, match="not an occurrence") as info:
        RecurringCalendar(
            "FREQ=MONTHLY;BYDAY=2TU", start=monday, duration=timedelta(hours=4), tz="Europe/London"
        )
    assert "2026-01-13T22:00:00" in str(info.value)
    # a start on the rule's first occurrence is that occurrence (the docstring's promise)
    cal = RecurringCalendar(
        "FREQ=MONTHLY;BYDAY=2TU",
        start=monday + timedelta(days=1),
        duration=timedelta(hours=4),
        tz="Europe/London",
    )
    assert cal.is_open(monday + timedelta(days=1))
    assert cal.next_open(monday) == datetime(2026, 1, 13, 22, 0, tzinfo=UTC)
    # a rule with COUNT exhausted before start has no occurrence at start either
    with pytest.raises(CalendarSpecError, match="not an occurrence"):
        RecurringCalendar(
            "FREQ=DAILY;BYHOUR=9", start=monday, duration=timedelta(hours=1), tz="Europe/London"
        )


def test_supported_years_agree_between_layers() -> None:
    from slocalc import _validation

    assert (_validation.MIN_YEAR, _validation.MAX_YEAR) == (MIN_YEAR, MAX_YEAR)


def test_no_business_time_is_still_its_own_error() -> None:
    with pytest.raises(NoBusinessTimeError, match="within 10 years"):
        NEVER.next_open(T)


def test_recurring_far_from_its_start_does_not_walk_every_occurrence() -> None:
    # every 7 minutes (3 open) of London wall time from Mon 2026-01-05 09:00. To 2090-06-01
    # 01:00 BST: 64 years (23,360 days + 16 leap days 2028..2088) + 147 days - 8 h =
    # 23,522 days 16 h = 33,872,640 minutes = 7 * 4,838,948 + 4: occurrences at 00:56 and
    # 01:03 BST, i.e. 23:56 and 00:03 UTC
    ldn = ZoneInfo("Europe/London")
    cal = RecurringCalendar(
        "FREQ=MINUTELY;INTERVAL=7",
        start=datetime(2026, 1, 5, 9, 0, tzinfo=ldn),
        duration=timedelta(minutes=3),
        tz="Europe/London",
    )
    q = datetime(2090, 6, 1, 0, 0, 30, tzinfo=UTC)
    assert not cal.is_open(q)
    assert cal.next_open(q) == datetime(2090, 6, 1, 0, 3, tzinfo=UTC)
    assert cal.next_close(q) == datetime(2090, 6, 1, 0, 6, tzinfo=UTC)
    assert cal.add(q, timedelta(minutes=4)) == datetime(2090, 6, 1, 0, 11, tzinfo=UTC)
    assert cal.next_open(datetime(2090, 5, 31, 23, 58, tzinfo=UTC)) == datetime(
        2090, 5, 31, 23, 58, tzinfo=UTC
    )


def test_recurring_huge_count_is_refused() -> None:
    with pytest.raises(CalendarSpecError, match="COUNT"):
        RecurringCalendar("FREQ=MINUTELY;COUNT=999999999", start=T, duration=timedelta(minutes=1), tz="UTC")


def test_batch_forms_are_bounded_like_the_scalar_ones() -> None:
    np = pytest.importorskip("numpy")
    cal = BusinessCalendar(tz="UTC")
    far = np.array(["2026-01-05T09:00", "2300-01-05T09:00"], dtype="datetime64[us]")
    for op in (cal.is_open_many, cal.next_open_many, cal.next_close_many):
        with pytest.raises(SlocalcValueError, match="at most 100 years"):
            op(far)
    with pytest.raises(SlocalcValueError, match="at most 100 years"):
        cal.between_many(far[:1], far[1:])
    with pytest.raises(SlocalcValueError, match="at most 100 years"):
        cal.add_many(far[:1], timedelta(days=200 * 365))
    # within the limit the batch still answers (default hours 08:00-17:00): 8 business hours
    # after Monday 09:00 is Monday's close, 17:00; 9 hours is Tuesday 09:00
    near = np.array(["2026-01-05T09:00"], dtype="datetime64[us]")
    assert cal.add_many(near, timedelta(hours=8))[0] == np.datetime64("2026-01-05T17:00", "us")
    assert cal.add_many(near, timedelta(hours=9))[0] == np.datetime64("2026-01-06T09:00", "us")


def test_coverage_over_a_thousand_years_is_refused_up_front() -> None:
    from slocalc.calendars.centers import coverage

    with pytest.raises(SlocalcValueError, match="at most 100 years"):
        coverage(datetime(2026, 1, 1, tzinfo=UTC), datetime(3026, 1, 1, tzinfo=UTC))


def test_a_deadline_past_the_range_is_the_cases_timeline_error() -> None:
    # 36,000 calendar days (98.6 years) from 9990-01-01 ends after 9999: no datetime holds it
    policy = Policy.from_dict(
        {"name": "p", "severities": [{"level": 1, "targets": {"initial_response": "36000 calendar days"}}]}
    )
    case = Case(
        id="C-late", severity=1, opened_at=datetime(9990, 1, 1, tzinfo=UTC), customer=Customer(tz="UTC")
    )
    now = datetime(9995, 1, 1, tzinfo=UTC)
    with pytest.raises(TimelineError, match=r"C-late.*supported range"):
        check([case], policy, now=now)


def test_policy_text_as_bytes() -> None:
    text = 'name = "x"\n[[severities]]\nlevel = 1\ntargets.initial_response = "1 hour"\n'
    assert Policy.from_toml(text.encode()) == Policy.from_toml(text)
    with pytest.raises(PolicyError, match="not UTF-8"):
        Policy.from_toml(b"\xff")
    with pytest.raises(SlocalcTypeError, match="expected the policy's text as str"):
        Policy.from_json(5)  # type: ignore[arg-type]
