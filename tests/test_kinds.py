"""Every instant, duration, zone and holiday kind users hold (issue 15).

Expected values are worked by hand from the calendars' definitions, never by slocalc:
London, Mon-Fri 08:00-17:00, Friday 2026-12-04 15:00 + 4 business hours is 2 hours on
Friday and 2 on Monday: Monday 2026-12-07 10:00 (GMT all along, +00:00).
"""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pendulum
import pytest
import pytz
from dateutil import tz as dateutil_tz
from hypothesis import given, settings
from pandas.tseries.holiday import USFederalHolidayCalendar

from slocalc import ALWAYS, BusinessCalendar, SlocalcError
from slocalc.errors import CalendarSpecError, NaiveDatetimeError, SlocalcTypeError, SlocalcValueError
from slocalc.policies import RAPID7, Customer
from slocalc.testing._kinds import DURATION_KINDS, INSTANT_KINDS, duration_kinds, instant_kinds

LON = ZoneInfo("Europe/London")
CAL = BusinessCalendar(tz="Europe/London")
FRI_15 = datetime(2026, 12, 4, 15, 0, tzinfo=LON)
MON_10 = datetime(2026, 12, 7, 10, 0, tzinfo=LON)


# -- instants in, instants out, in the caller's type --------------------------------------------


def test_pendulum_in_pendulum_out() -> None:
    t = pendulum.datetime(2026, 12, 4, 15, tz="Europe/London")
    got = CAL.add(t, timedelta(hours=4))
    assert type(got) is pendulum.DateTime
    assert got == MON_10
    assert got.utcoffset() == timedelta(0)
    assert got.tzinfo is t.tzinfo


def test_timestamp_in_timestamp_out() -> None:
    t = pd.Timestamp("2026-12-04 15:00", tz="Europe/London")
    got = CAL.add(t, timedelta(hours=4))
    assert type(got) is pd.Timestamp
    assert got == MON_10
    assert str(got.tz) == "Europe/London"


@pytest.mark.parametrize(
    "query",
    [
        lambda t: CAL.next_open(t),
        lambda t: CAL.next_close(t),
        lambda t: CAL.add_days(t, 1),
        lambda t: CAL.add_days(t, -1),
        lambda t: next(iter(CAL.intervals(t, t + timedelta(days=3))))[0],
    ],
)
@pytest.mark.parametrize("kind", ["pandas", "pendulum"])
def test_every_query_keeps_the_kind(query: Any, kind: str) -> None:
    from slocalc.testing._kinds import as_kind

    sat = datetime(2026, 12, 5, 12, 0, tzinfo=LON)  # closed: every query moves
    t = as_kind(sat, kind)
    got, plain = query(t), query(sat)
    assert type(got) is type(t)
    assert got == plain
    assert got.utcoffset() == plain.utcoffset()


def test_microseconds_are_kept_for_subclasses() -> None:
    t = pd.Timestamp("2026-12-04 15:00:00.000007", tz="Europe/London")
    got = CAL.add(t, timedelta(microseconds=5))
    assert got == datetime(2026, 12, 4, 15, 0, 0, 12, tzinfo=LON)


def test_fold_is_kept_for_subclasses() -> None:
    # the second 01:30 of 2026-11-01 in New York (EST, -05:00) is 06:30Z
    ny = ZoneInfo("America/New_York")
    t = pd.Timestamp(datetime(2026, 11, 1, 5, 0, tzinfo=UTC)).tz_convert("America/New_York")
    got = ALWAYS.add(t, timedelta(hours=1, minutes=30))
    assert got.utcoffset() == timedelta(hours=-5)
    # (pandas itself compares a fold=1 Timestamp unequal to the same datetime: compare values)
    assert got - pd.Timestamp("2026-11-01T06:30Z") == pd.Timedelta(0)
    assert got.astimezone(ny).hour == 1


@pytest.mark.parametrize(
    "d",
    [
        timedelta(hours=4),
        pendulum.duration(hours=4),
        pd.Timedelta(hours=4),
        np.timedelta64(4, "h"),
        np.timedelta64(14_400_000_000_000, "ns"),
        "PT4H",
        "pt240m",
        "PT14400S",
        "P0DT4H",
    ],
    ids=repr,
)
def test_duration_kinds(d: Any) -> None:
    assert CAL.add(FRI_15, d) == MON_10


def test_iso_durations_worked() -> None:
    # P1W = 7 x 24 h of business time on ALWAYS; -PT0.5S goes back half a second
    t = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    assert ALWAYS.add(t, "P1W") == datetime(2026, 12, 11, 15, 0, tzinfo=UTC)
    assert ALWAYS.add(t, "-PT0.5S") == datetime(2026, 12, 4, 14, 59, 59, 500_000, tzinfo=UTC)
    assert ALWAYS.add(t, "P1DT2H3M4.000005S") == datetime(2026, 12, 5, 17, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize("text", ["P1M", "P1Y", "4h", "PT", "P", "P1DT", "PT1.5H", ""])
def test_bad_iso_durations(text: str) -> None:
    with pytest.raises(SlocalcValueError, match="ISO 8601 duration"):
        CAL.add(FRI_15, text)


def test_pendulum_duration_between_and_interval_hot_path() -> None:
    a = pendulum.datetime(2026, 12, 4, 15, tz="Europe/London")
    b = pendulum.datetime(2026, 12, 7, 10, tz="Europe/London")
    assert CAL.between(a, b) == timedelta(hours=4)
    assert CAL.is_open(a)
    assert not CAL.is_open(b.add(hours=8))


class _Whenever:
    __module__ = "whenever"

    def __repr__(self) -> str:
        return "ZonedDateTime(2026-12-04 15:00+00:00[Europe/London])"


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (_Whenever(), ".py_datetime()"),
        ("2026-12-04T15:00Z", "datetime.fromisoformat"),
        (1_764_860_400, "datetime.fromtimestamp"),
        (1.5, "datetime.fromtimestamp"),
        (date(2026, 12, 4), "datetime.combine"),
        (np.datetime64("2026-12-04T15:00"), "*_many"),
    ],
    ids=lambda v: type(v).__name__,
)
def test_non_datetimes_name_the_conversion(value: object, hint: str) -> None:
    with pytest.raises(SlocalcTypeError) as info:
        CAL.add(value, timedelta(hours=1))  # type: ignore[arg-type]
    assert str(info.value).startswith("t: expected an aware datetime, got ")
    assert hint in str(info.value)


@pytest.mark.parametrize(
    ("value", "hint"),
    [(90, "timedelta(seconds=value)"), (1.5, "timedelta(seconds=value)"), (None, "ISO 8601")],
)
def test_non_durations_name_the_conversion(value: object, hint: str) -> None:
    with pytest.raises(SlocalcTypeError, match=r"^d: expected a duration") as info:
        CAL.add(FRI_15, value)  # type: ignore[arg-type]
    assert hint in str(info.value)


def test_pandas_nanoseconds_are_refused() -> None:
    # decision (issue 18 item 17): refuse rather than truncate silently
    t = pd.Timestamp("2026-12-04 15:00:00.000000001", tz="Europe/London")
    with pytest.raises(SlocalcValueError, match=r"nanoseconds.*floor\('us'\)"):
        CAL.add(t, timedelta(hours=1))
    with pytest.raises(SlocalcValueError, match="nanoseconds"):
        CAL.add(FRI_15, pd.Timedelta(1, "ns"))
    with pytest.raises(SlocalcValueError, match="whole number of microseconds"):
        CAL.add(FRI_15, np.timedelta64(1, "ns"))
    # whole microseconds in nanosecond units are fine
    assert CAL.add(FRI_15, pd.Timedelta(1000, "ns")) == FRI_15 + timedelta(microseconds=1)


def test_nat_scalars_are_refused() -> None:
    with pytest.raises(SlocalcValueError, match="NaT"):
        CAL.add(pd.NaT, timedelta(hours=1))  # type: ignore[arg-type]
    with pytest.raises(SlocalcValueError, match="NaT"):
        CAL.add(FRI_15, np.timedelta64("NaT"))


def test_naive_subclasses_are_naive_errors() -> None:
    with pytest.raises(NaiveDatetimeError):
        CAL.add(pd.Timestamp("2026-12-04 15:00"), timedelta(hours=1))
    with pytest.raises(NaiveDatetimeError):
        CAL.add(pendulum.naive(2026, 12, 4, 15), timedelta(hours=1))


@settings(max_examples=60, deadline=None)
@given(instant_kinds(), duration_kinds(max_days=20, negative=True))
def test_any_kind_equals_plain_datetime(t: datetime, dur: tuple[Any, int]) -> None:
    d, us = dur
    plain = datetime.fromtimestamp(0, UTC) + (t - datetime.fromtimestamp(0, UTC))  # the same instant
    plain = plain.astimezone(ZoneInfo("UTC"))
    got = CAL.add(t, d)
    want = CAL.add(plain, timedelta(microseconds=us))
    assert got == want
    assert type(got) is type(t)
    assert got.utcoffset() == want.astimezone(t.tzinfo).utcoffset()


def test_strategies_draw_every_kind() -> None:
    assert {"datetime", "pandas", "pendulum", "pytz", "dateutil"} <= set(INSTANT_KINDS)
    assert {"timedelta", "iso", "numpy", "pandas", "pendulum"} <= set(DURATION_KINDS)


# -- zones as any object ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "tz",
    [
        "Europe/Dublin",
        ZoneInfo("Europe/Dublin"),
        dateutil_tz.gettz("Europe/Dublin"),
        pytz.timezone("Europe/Dublin"),
        pendulum.timezone("Europe/Dublin"),
    ],
    ids=lambda z: type(z).__module__,
)
def test_zone_objects_normalise_to_their_key(tz: Any) -> None:
    cal = BusinessCalendar(tz=tz, holidays="IE")
    assert cal.tz == "Europe/Dublin"
    assert cal == BusinessCalendar(tz="Europe/Dublin", holidays="IE")
    assert repr(cal) == "BusinessCalendar(tz='Europe/Dublin', hours='Mon-Fri 08:00-17:00', holidays='IE')"
    assert pickle.loads(pickle.dumps(cal)) == cal


@pytest.mark.parametrize("tz", [dateutil_tz.UTC, pytz.utc, UTC])
def test_utc_objects(tz: Any) -> None:
    assert BusinessCalendar(tz=tz).tz == "UTC"


@pytest.mark.parametrize("tz", ["localtime", "posixrules", dateutil_tz.tzlocal()])
def test_host_dependent_zones_are_refused(tz: Any) -> None:
    with pytest.raises(SlocalcValueError, match=r"host|no IANA name"):
        BusinessCalendar(tz=tz)


def test_fixed_offsets_are_refused() -> None:
    with pytest.raises(SlocalcValueError, match=r"fixed offset.*Etc/GMT-5"):
        BusinessCalendar(tz=timezone(timedelta(hours=5)))
    with pytest.raises(SlocalcTypeError, match="zone object"):
        BusinessCalendar(tz=5)  # type: ignore[arg-type]


def test_unlocalised_pytz_is_refused_naming_localize() -> None:
    ny = pytz.timezone("America/New_York")
    cal = BusinessCalendar(tz="America/New_York")
    wrong = datetime(2026, 12, 4, 15, 0, tzinfo=ny)  # LMT -04:56
    with pytest.raises(SlocalcValueError, match=r"localize\(\)|\.localize\("):
        cal.add(wrong, timedelta(hours=4))
    # localised properly: Fri 15:00-17:00 (2 h) + Mon 08:00-10:00 (2 h) = Mon 10:00 -05:00
    right = ny.localize(datetime(2026, 12, 4, 15, 0))
    got = cal.add(right, timedelta(hours=4))
    assert got.isoformat() == "2026-12-07T10:00:00-05:00"
    assert got.tzinfo is not None
    assert got.tzinfo.utcoffset(got) == timedelta(hours=-5)


def test_pytz_before_1900_lmt_is_legitimate() -> None:
    # localize() itself gives LMT for 1850: not the tzinfo= mistake
    ny = pytz.timezone("America/New_York")
    t = ny.localize(datetime(1850, 6, 1, 12, 0))
    assert ALWAYS.add(t, timedelta(hours=1)) == t + timedelta(hours=1)


# -- holidays in every common form ------------------------------------------------------------

XMAS = date(2026, 12, 25)


@pytest.mark.parametrize(
    "holidays",
    [
        [XMAS],
        ["2026-12-25"],
        ("2026-12-25",),
        np.array(["2026-12-25"], dtype="datetime64[D]"),
        pd.DatetimeIndex(["2026-12-25"]),
        pd.DatetimeIndex(["2026-12-25"], tz="Europe/Dublin"),
        pd.Series(pd.to_datetime(["2026-12-25"])),
    ],
    ids=lambda h: type(h).__name__,
)
def test_holiday_date_forms(holidays: Any) -> None:
    cal = BusinessCalendar(tz="Europe/Dublin", holidays=holidays)
    assert cal == BusinessCalendar(tz="Europe/Dublin", holidays=[XMAS])
    assert cal.is_holiday(XMAS)
    assert not cal.is_holiday(date(2026, 12, 24))
    assert pickle.loads(pickle.dumps(cal)) == cal


def test_holiday_forms_refused() -> None:
    with pytest.raises(CalendarSpecError, match="not an ISO date"):
        BusinessCalendar(tz="UTC", holidays=["25/12/2026"])
    with pytest.raises(CalendarSpecError, match="not a midnight"):
        BusinessCalendar(tz="UTC", holidays=np.array(["2026-12-25T12:00"], dtype="datetime64[m]"))
    with pytest.raises(CalendarSpecError, match="NaT"):
        BusinessCalendar(tz="UTC", holidays=np.array(["NaT"], dtype="datetime64[D]"))


def test_pandas_holiday_calendar() -> None:
    cal = BusinessCalendar(tz="America/New_York", holidays=USFederalHolidayCalendar())
    # Thanksgiving 2026 is Thursday 26 November; Independence Day 2027 is observed Monday 5 July
    assert cal.is_holiday(date(2026, 11, 26))
    assert cal.is_holiday(date(2027, 7, 5))
    assert not cal.is_holiday(date(2026, 11, 27))
    # Wed 25 Nov 16:00 + 2 h: 1 h on Wednesday, Thursday closed, Friday 08:00 + 1 h
    ny = ZoneInfo("America/New_York")
    assert cal.add(datetime(2026, 11, 25, 16, 0, tzinfo=ny), timedelta(hours=2)) == datetime(
        2026, 11, 27, 9, 0, tzinfo=ny
    )


@pytest.mark.parametrize("subdiv", ["ma", "Ma", "MA", " ma"])
def test_subdivisions_are_case_insensitive(subdiv: str) -> None:
    cal = BusinessCalendar(tz="America/New_York", holidays=("us", subdiv))
    assert cal == BusinessCalendar(tz="America/New_York", holidays=("US", "MA"))
    # Patriots' Day 2026 (third Monday of April) is a Massachusetts holiday
    assert cal.is_holiday(date(2026, 4, 20))


def test_customer_lowercase_subdivision_via_the_engine() -> None:
    ma = Customer(tz="America/New_York", country="US", subdiv="ma")
    ny = ZoneInfo("America/New_York")
    # severity 2, 4 business hours from Fri 17 April 2026 15:00: 2 h Friday, Monday 20 April is
    # Patriots' Day, so Tuesday 08:00 + 2 h
    got = RAPID7.due(2, "initial_response", datetime(2026, 4, 17, 15, 0, tzinfo=ny), ma)
    assert got == datetime(2026, 4, 21, 10, 0, tzinfo=ny)


def test_unknown_subdivision_lists_the_valid_ones() -> None:
    with pytest.raises(CalendarSpecError) as info:
        BusinessCalendar(tz="America/New_York", holidays=("US", "Mass"))
    text = str(info.value)
    assert "unknown subdivision for US" in text
    assert "MA" in text
    assert "WY" in text
    assert isinstance(info.value, SlocalcError)


@pytest.mark.parametrize("kind", ["pandas", "pendulum"])
def test_policy_due_takes_any_kind(kind: str) -> None:
    from slocalc.testing._kinds import as_kind

    # 16:00 Berlin on Friday 20 November + 12 business hours: 1 h Friday, 9 h Monday, 2 h Tuesday
    berlin = Customer(tz="Europe/Berlin", country="DE")
    start = as_kind(datetime(2026, 11, 20, 16, 0, tzinfo=ZoneInfo("Europe/Berlin")), kind)
    got = RAPID7.due(3, "initial_response", start, berlin)
    assert got == datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert got.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize("kind", ["pandas", "pendulum"])
def test_policy_due_keeps_the_kind(kind: str) -> None:
    from slocalc.policies import RAPID7, Customer
    from slocalc.testing._kinds import as_kind

    # Friday 15:00 in Berlin + 4 business hours (08-17): 2 h on Friday, 2 h on Monday
    berlin = ZoneInfo("Europe/Berlin")
    t = as_kind(datetime(2026, 11, 20, 15, 0, tzinfo=berlin), kind)
    got = RAPID7.due(2, "initial_response", t, Customer(tz="Europe/Berlin", country="DE"))
    assert type(got) is type(t)
    assert got == datetime(2026, 11, 23, 10, 0, tzinfo=berlin)
    assert got.utcoffset() == timedelta(hours=1)
