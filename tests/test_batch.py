"""Batch queries (add_many / between_many) against the slow reference.

Expected values come from ``tests/reference.py`` (walk of local dates), never from slocalc.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from reference import RefBusiness, td_us, us_of
from slocalc import NEVER, BusinessCalendar, NoBusinessTimeError

NY = ZoneInfo("America/New_York")
HOLS = frozenset({date(2026, 11, 26), date(2026, 12, 25), date(2027, 1, 1)})
CAL = BusinessCalendar(tz="America/New_York", hours="Mon-Fri 08:00-12:00,13:00-17:00", holidays=HOLS)
REF = RefBusiness(tz="America/New_York", hours="Mon-Fri 08:00-12:00,13:00-17:00", holidays=HOLS)


def _instants(n: int, seed: int) -> list[datetime]:
    rng = random.Random(seed)
    base = datetime(2026, 10, 1, tzinfo=UTC)
    return [(base + timedelta(seconds=rng.randrange(0, 120 * 86400))).astimezone(NY) for _ in range(n)]


def _as_dt64(xs: list[datetime]) -> np.ndarray:
    return np.array([us_of(x) for x in xs], dtype=np.int64).astype("datetime64[us]")


def test_add_many_datetime64_matches_reference() -> None:
    xs = _instants(60, 1)
    d = timedelta(hours=30, microseconds=7)
    got = CAL.add_many(_as_dt64(xs), d)
    assert got.dtype == np.dtype("datetime64[us]")
    want = [us_of(REF.add(x, d)) for x in xs]
    assert got.astype(np.int64).tolist() == want


def test_add_many_negative_and_mixed_int64() -> None:
    xs = _instants(60, 2)
    rng = random.Random(3)
    ds = [timedelta(minutes=rng.randrange(-3000, 3000)) for _ in xs]
    u = np.array([us_of(x) for x in xs], dtype=np.int64)
    got = CAL.add_many(u, np.array([td_us(d) for d in ds], dtype=np.int64))
    assert got.dtype == np.int64
    assert got.tolist() == [us_of(REF.add(x, d)) for x, d in zip(xs, ds, strict=True)]


def test_add_many_timedelta64_durations() -> None:
    xs = _instants(10, 4)
    ds = np.array([3600 * 10**6 * k for k in range(10)], dtype="timedelta64[us]")
    got = CAL.add_many(_as_dt64(xs), ds)
    want = [us_of(REF.add(x, timedelta(hours=k))) for k, x in enumerate(xs)]
    assert got.astype(np.int64).tolist() == want


def test_add_many_far_beyond_input_years() -> None:
    # 3,000 business hours from late 2026 lands in 2028: the span must extend forward.
    xs = _instants(5, 5)
    d = timedelta(hours=3000)
    got = CAL.add_many(_as_dt64(xs), d).astype(np.int64).tolist()
    assert got == [us_of(REF.add(x, d)) for x in xs]
    back = CAL.add_many(_as_dt64(xs), -d).astype(np.int64).tolist()
    assert back == [us_of(REF.add(x, -d)) for x in xs]


def test_between_many_arrays_and_sequences() -> None:
    xs = _instants(50, 6)
    ys = _instants(50, 7)
    want = [td_us(REF.between(x, y)) for x, y in zip(xs, ys, strict=True)]
    got = CAL.between_many(_as_dt64(xs), _as_dt64(ys))
    assert got.dtype == np.dtype("timedelta64[us]")
    assert got.astype(np.int64).tolist() == want
    seq = CAL.between_many(xs, ys)
    assert [td_us(g) for g in seq] == want


def test_add_many_sequence_keeps_each_tzinfo() -> None:
    sg = ZoneInfo("Asia/Singapore")
    xs = [datetime(2026, 11, 27, 15, 0, tzinfo=NY), datetime(2026, 11, 27, 5, 0, tzinfo=sg)]
    got = CAL.add_many(xs, timedelta(hours=4))
    # Fri 15:00 NY + 4h: 2h Friday (to 17:00), 2h Monday 08:00-10:00.
    assert got[0] == datetime(2026, 11, 30, 10, 0, tzinfo=NY)
    assert got[0].tzinfo is NY
    # Fri 05:00 SGT = Thu 16:00 NY (Thanksgiving, closed) -> Fri 08:00 + 4h = 13:00 NY... with
    # the 12:00-13:00 lunch break: 08:00-12:00 is exactly 4h, so the deadline is the close 12:00.
    assert got[1] == datetime(2026, 11, 27, 12, 0, tzinfo=NY)
    assert got[1].tzinfo is sg


def test_batch_errors() -> None:
    with pytest.raises(ValueError, match=r"d: expected 2 durations to match the instants, got 1"):
        CAL.add_many(_as_dt64(_instants(2, 8)), [timedelta(hours=1)])
    with pytest.raises(TypeError, match=r"starts: expected a numpy datetime64 or int64"):
        CAL.add_many(np.array([1.5]), timedelta(hours=1))
    with pytest.raises(ValueError, match=r"a, b: expected arrays of one shape"):
        CAL.between_many(np.zeros(2, dtype=np.int64), np.zeros(3, dtype=np.int64))
    with pytest.raises(NoBusinessTimeError, match=r"NEVER: no open time within 10 years"):
        NEVER.add_many(np.array([0], dtype=np.int64), timedelta(hours=1))


def test_add_many_durations_longer_than_the_horizon() -> None:
    # UTC Mon-Fri 08:00-17:00, no holidays: 3,120 weekdays of 9 h each (624 whole weeks).
    # From Mon 2026-01-05 08:00 the 3,120th weekday, counting Monday as the first, is the
    # Friday 623 weeks after Fri 2026-01-09, and the deadline is its 17:00 close. Twelve
    # years of business time: more than the 10-year "no open time" horizon, which must not
    # be mistaken for a calendar that never opens.
    cal = BusinessCalendar(tz="UTC", hours="Mon-Fri 08:00-17:00")
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    d = timedelta(hours=9 * 3120)
    due = datetime(2026, 1, 9, 17, 0, tzinfo=UTC) + timedelta(weeks=623)
    got = cal.add_many(_as_dt64([start]), d).astype(np.int64).tolist()
    assert got == [us_of(due)]
    # And back: the latest instant with that much business time before the deadline is the
    # Monday 08:00 opening itself.
    back = cal.add_many(_as_dt64([due]), -d).astype(np.int64).tolist()
    assert back == [us_of(start)]
    assert cal.add(start, d) == due  # the scalar path agrees
    assert cal.add(due, -d) == start
