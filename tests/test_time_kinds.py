"""Exactness at the edges of the kernel (issue 18 items 14 and 15)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from slocalc import ALWAYS, BusinessCalendar, SlocalcError
from slocalc._time import from_us, parse_iso_duration, year_of
from slocalc.errors import SlocalcValueError

ONE_US_TZ = timezone(timedelta(microseconds=1))
CAL = BusinessCalendar(tz="UTC", hours="Mon-Sun 00:00-24:00")


def test_offset_with_microseconds_add() -> None:
    # issue 18 item 14: 09:00 + 1 h on ALWAYS is 10:00 in the same (odd) zone, exactly
    t = datetime(2026, 12, 7, 9, 0, tzinfo=ONE_US_TZ)
    got = ALWAYS.add(t, timedelta(hours=1))
    assert got == datetime(2026, 12, 7, 10, 0, tzinfo=ONE_US_TZ)
    assert got.isoformat() == "2026-12-07T10:00:00+00:00:00.000001"


def test_offset_with_microseconds_intervals_start_at_t() -> None:
    t = datetime(2026, 12, 7, 9, 0, 0, 250, tzinfo=ONE_US_TZ)
    first, _ = next(iter(ALWAYS.intervals(t, t + timedelta(hours=2))))
    assert first == t
    assert first.microsecond == 250


@pytest.mark.parametrize("us", [0, 1, 999_999, -1, 1_000_000, 1_790_000_000_123_456])
def test_from_us_odd_offsets(us: int) -> None:
    for tz in (
        ONE_US_TZ,
        timezone(timedelta(hours=5, microseconds=999_999)),
        timezone(-timedelta(microseconds=7)),
    ):
        dt = from_us(us, tz)
        assert (dt - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1) == us
        assert dt.tzinfo is tz


EDGES = [
    datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=5))),  # UTC year 0
    datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=-14))),  # UTC 10000
]


@pytest.mark.parametrize("t", EDGES, ids=["year-0", "year-10000"])
@pytest.mark.parametrize(
    "op",
    [
        lambda c, t: c.is_open(t),
        lambda c, t: c.next_open(t),
        lambda c, t: c.next_close(t),
        lambda c, t: c.add(t, timedelta(hours=1)),
        lambda c, t: c.between(t, datetime(2026, 1, 1, tzinfo=UTC)),
        lambda c, t: list(c.intervals(t, datetime(2026, 1, 1, tzinfo=UTC))),
    ],
)
@pytest.mark.parametrize("cal", [ALWAYS, CAL, BusinessCalendar(tz="America/New_York", holidays="US")])
def test_instants_outside_years_1_to_9999_are_slocalc_errors(cal: Any, op: Any, t: datetime) -> None:
    # issue 18 item 15
    # refused where it is met: by the kernel (no datetime can hold it) or by the engine
    with pytest.raises(SlocalcError, match="outside the supported range") as info:
        op(cal, t)
    assert isinstance(info.value, SlocalcError)
    assert isinstance(info.value, ValueError)


def test_year_of_range() -> None:
    assert year_of(0) == 1970
    with pytest.raises(SlocalcValueError, match="before 0001-01-01"):
        year_of(-62_135_596_800_000_001)


def test_results_past_year_9999_are_slocalc_errors() -> None:
    with pytest.raises(SlocalcError):
        ALWAYS.add(datetime(9999, 12, 31, 23, 0, tzinfo=UTC), timedelta(hours=2))


@pytest.mark.parametrize(
    ("text", "us"),
    [
        ("PT4H", 4 * 3_600_000_000),
        ("P2D", 2 * 86_400_000_000),
        ("P1W", 7 * 86_400_000_000),
        ("P1DT30M", 86_400_000_000 + 1_800_000_000),
        ("PT0.5S", 500_000),
        ("PT0,000001S", 1),
        ("-PT1M", -60_000_000),
        ("+PT1S", 1_000_000),
    ],
)
def test_iso_durations(text: str, us: int) -> None:
    assert parse_iso_duration(text) == us
