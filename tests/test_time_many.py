"""``_time.from_us_many``: UTC microseconds to aware datetimes in bulk, the same datetimes
``from_us`` gives one at a time (value, zone object, fold)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import TzInfo

from slocalc._time import from_us, from_us_many
from slocalc.errors import SlocalcValueError

FIRST = -62_135_596_800_000_000  # 0001-01-01T00:00:00Z
LAST = 253_402_300_799_999_999  # 9999-12-31T23:59:59.999999Z


def _same(got: list[datetime], want: list[datetime]) -> None:
    assert got == want
    assert [(d.tzinfo, d.fold, d.isoformat()) for d in got] == [
        (d.tzinfo, d.fold, d.isoformat()) for d in want
    ]


def test_hand_worked_readings() -> None:
    # 2026-03-29T01:30:00Z is 1_774_747_800 s: 07:15 in +05:45, 02:30 in London (BST from 01:00 UTC)
    us = np.array([1_774_747_800_000_000, 1_774_747_800_000_001], dtype=np.int64)
    kathmandu = TzInfo(5 * 3600 + 45 * 60)
    got = from_us_many(np, us, kathmandu)
    assert [d.isoformat() for d in got] == ["2026-03-29T07:15:00+05:45", "2026-03-29T07:15:00.000001+05:45"]
    assert all(d.tzinfo is kathmandu for d in got)
    london = from_us_many(np, us[:1], ZoneInfo("Europe/London"))
    assert london[0].isoformat() == "2026-03-29T02:30:00+01:00"
    assert from_us_many(np, np.array([FIRST, LAST], dtype=np.int64)) == [
        datetime.min.replace(tzinfo=UTC),
        datetime.max.replace(tzinfo=UTC),
    ]
    assert from_us_many(np, np.array([], dtype=np.int64), UTC) == []


def test_a_repeated_hour_keeps_its_fold() -> None:
    # 2026-10-25 01:30 London happens twice: 00:30Z (fold 0) and 01:30Z (fold 1)
    us = np.array([1_792_888_200_000_000, 1_792_891_800_000_000], dtype=np.int64)
    got = from_us_many(np, us, ZoneInfo("Europe/London"))
    assert [(d.hour, d.minute, d.fold) for d in got] == [(1, 30, 0), (1, 30, 1)]


def test_outside_the_years_1_to_9999_is_refused_as_from_us_refuses_it() -> None:
    with pytest.raises(SlocalcValueError):
        from_us_many(np, np.array([LAST], dtype=np.int64), timezone(timedelta(hours=1)))
    with pytest.raises(SlocalcValueError):
        from_us_many(np, np.array([FIRST], dtype=np.int64), timezone(timedelta(hours=-1)))


ZONES: list[tzinfo | None] = [
    None,
    UTC,
    TzInfo(0),
    TzInfo(-(9 * 3600 + 30 * 60)),
    timezone(timedelta(hours=13)),
    timezone(timedelta(microseconds=1)),  # not whole seconds: one at a time
    ZoneInfo("America/St_Johns"),
    ZoneInfo("Australia/Lord_Howe"),
]


@given(
    st.lists(st.integers(FIRST + 86_400_000_000, LAST - 86_400_000_000), max_size=20),
    st.sampled_from(ZONES),
)
def test_equals_from_us_one_at_a_time(values: list[int], tz: tzinfo | None) -> None:
    _same(from_us_many(np, np.array(values, dtype=np.int64), tz), [from_us(v, tz) for v in values])
