"""The replay's datetimes in bulk: ``_time.from_us_many`` keeps the zone object itself (and
fold 0) in a fixed offset, and ``_columnar._instants`` puts each instant in its own case's zone."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone, tzinfo

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import TzInfo

from slocalc._time import from_us, from_us_many
from slocalc.cases._columnar import _instants

DAY = 86_400_000_000


def test_the_zone_object_itself_and_fold_0() -> None:
    # -1 µs is 1969-12-31T23:59:59.999999Z; in -03:30 that is 20:29:59.999999 the day before
    minus = timezone(timedelta(hours=-3, minutes=-30))
    got = from_us_many(np, np.array([-1, 0], dtype=np.int64), minus)
    assert [d.isoformat() for d in got] == ["1969-12-31T20:29:59.999999-03:30", "1969-12-31T20:30:00-03:30"]
    assert all(d.tzinfo is minus and d.fold == 0 and type(d).__name__ == "datetime" for d in got)


def test_each_instant_in_its_own_cases_zone() -> None:
    # 2026-03-02T12:00Z is 1_772_452_800 s: 12:00 UTC, 07:00 in -05:00, 17:45 in +05:45
    est, npt = timezone(timedelta(hours=-5)), TzInfo(5 * 3600 + 45 * 60)
    noon = 1_772_452_800_000_000
    us = np.array([noon, noon, noon, noon + 1], dtype=np.int64)
    got = _instants(np, us, np.array([1, 0, 2, 1]), [UTC, est, npt])
    assert [d.isoformat() for d in got] == [
        "2026-03-02T07:00:00-05:00",
        "2026-03-02T12:00:00+00:00",
        "2026-03-02T17:45:00+05:45",
        "2026-03-02T07:00:00.000001-05:00",
    ]
    assert [d.tzinfo for d in got] == [est, UTC, npt, est]
    assert _instants(np, us[:0], np.array([], dtype=np.int64), [UTC]) == []
    one = _instants(np, us[:2], np.array([2, 2]), [UTC, est, npt])
    assert [d.isoformat() for d in one] == ["2026-03-02T17:45:00+05:45"] * 2


ZONES: list[tzinfo] = [UTC, TzInfo(-(9 * 3600 + 30 * 60)), timezone(timedelta(hours=13)), TzInfo(0)]


@given(
    st.lists(
        st.tuples(st.integers(-400_000 * DAY, 2_900_000 * DAY), st.integers(0, len(ZONES) - 1)), max_size=30
    )
)
def test_instants_equal_from_us_one_at_a_time(rows: list[tuple[int, int]]) -> None:
    us = np.array([u for u, _ in rows], dtype=np.int64)
    zone = np.array([z for _, z in rows], dtype=np.int64)
    got = _instants(np, us, zone, ZONES)
    want = [from_us(u, ZONES[z]) for u, z in rows]
    assert got == want
    assert [(d.tzinfo is w.tzinfo, d.fold, d.isoformat()) for d, w in zip(got, want, strict=True)] == [
        (True, 0, w.isoformat()) for w in want
    ]
