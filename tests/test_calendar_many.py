"""The vectorised ``*_many`` queries against their scalar forms.

Hand-worked examples (expected values worked out from the calendars' hours by hand), then
Hypothesis properties: for every calendar of the property suite (DST zones, 30-minute
shifts, overnight shifts, holidays, recurring windows, unions and differences), each
``*_many`` form on an ``int64`` array, a ``datetime64`` array and a list equals the scalar
query applied to each instant.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference import us_of
from slocalc import ALWAYS, NEVER, BusinessCalendar, NoBusinessTimeError
from slocalc.calendars import NEVER_US, Calendar, ZonedCalendar
from strategies import instants
from test_calendar_properties import CALENDARS, NAMES

NY = ZoneInfo("America/New_York")
CAL = BusinessCalendar(tz="America/New_York", hours="Mon-Fri 09:00-17:00", holidays=[date(2026, 11, 26)])


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)  # type: ignore[misc]


def arr(*ts: datetime) -> np.ndarray:
    return np.array([us_of(t) for t in ts], dtype=np.int64)


# --------------------------------------------------------------------------- hand-worked


def test_is_open_many() -> None:
    ts = [ny(2026, 11, 25, 8, 59), ny(2026, 11, 25, 9), ny(2026, 11, 25, 17), ny(2026, 11, 26, 12)]
    assert CAL.is_open_many(ts) == [False, True, False, False]
    assert CAL.is_open_many(arr(*ts)).tolist() == [False, True, False, False]
    assert CAL.is_open_many([]) == []


def test_next_open_and_close_many() -> None:
    # Wed 25 Nov 17:00 -> Thanksgiving is closed -> Fri 27 Nov 09:00, closing 17:00.
    ts = [ny(2026, 11, 25, 17), ny(2026, 11, 25, 10)]
    opens = CAL.next_open_many(ts)
    assert opens == [ny(2026, 11, 27, 9), ny(2026, 11, 25, 10)]
    assert opens[0].tzinfo is NY
    assert CAL.next_close_many(ts) == [ny(2026, 11, 27, 17), ny(2026, 11, 25, 17)]
    dt64 = arr(*ts).astype("datetime64[us]")
    assert CAL.next_open_many(dt64).astype(np.int64).tolist() == [us_of(x) for x in opens]
    assert CAL.next_open_many(dt64).dtype == np.dtype("datetime64[us]")


def test_missing_markers() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(NoBusinessTimeError, match="NEVER: no open time within 10 years after"):
        NEVER.next_open_many([t])
    assert NEVER.next_open_many([t], strict=False) == [None]
    assert NEVER.next_open_many(arr(t), strict=False).tolist() == [NEVER_US]
    assert np.isnat(NEVER.next_open_many(arr(t).astype("datetime64[us]"), strict=False)).all()
    assert ALWAYS.next_close_many([t]) == [None]
    assert ALWAYS.next_close_many(arr(t)).tolist() == [NEVER_US]
    with pytest.raises(NoBusinessTimeError):
        NEVER.next_close_many(arr(t))


def test_add_days_many_and_days_between_many() -> None:
    # Wed 25 Nov 10:30 + 1 business day = Fri 27 Nov 10:30 (Thanksgiving skipped);
    # Sat 28 Nov 12:00 opens Mon 30 Nov 09:00, + 2 = Wed 2 Dec 09:00; -1 from Fri 27 10:00
    # is Wed 25 10:00.
    ts = [ny(2026, 11, 25, 10, 30), ny(2026, 11, 28, 12), ny(2026, 11, 27, 10)]
    got = CAL.add_days_many(ts, [1, 2, -1])
    assert got == [ny(2026, 11, 27, 10, 30), ny(2026, 12, 2, 9), ny(2026, 11, 25, 10)]
    assert CAL.add_days_many(arr(*ts), np.array([1, 2, -1])).tolist() == [us_of(x) for x in got]
    assert CAL.add_days_many(ts, 0) == [ts[0], ny(2026, 11, 30, 9), ts[2]]
    # Wed 25 -> Fri 27: one business date (Fri); back: -1. Same date: 0.
    a = [ny(2026, 11, 25, 16), ny(2026, 11, 27, 9), ny(2026, 11, 25, 9)]
    b = [ny(2026, 11, 27, 9), ny(2026, 11, 25, 16), ny(2026, 11, 25, 23)]
    assert CAL.days_between_many(a, b) == [1, -1, 0]
    assert CAL.days_between_many(arr(*a), arr(*b)).tolist() == [1, -1, 0]


def test_add_days_many_across_dst() -> None:
    # 01:30 on Sat 31 Oct 2026 in a 24x7 New York calendar, + 1 day: 01:30 on Sunday 1 Nov
    # happens twice; the boundary rule takes the first (EDT, 05:30Z).
    cal = BusinessCalendar(tz="America/New_York", hours="Mon-Sun 00:00-24:00")
    got = cal.add_days_many(arr(ny(2026, 10, 31, 1, 30)), 1)
    assert got.tolist() == [us_of(datetime(2026, 11, 1, 5, 30, tzinfo=UTC))]
    # 02:30 on Sat 7 Mar + 1: 02:30 does not exist on 8 March; placed at 03:00 EDT (07:00Z).
    got = cal.add_days_many(arr(ny(2026, 3, 7, 2, 30)), 1)
    assert got.tolist() == [us_of(datetime(2026, 3, 8, 7, tzinfo=UTC))]


def test_many_errors() -> None:
    with pytest.raises(TypeError, match=r"ts\[1\]: expected an aware datetime"):
        CAL.is_open_many([ny(2026, 1, 1), "2026-01-01"])
    with pytest.raises(ValueError, match=r"ts\[0\]: got naive datetime"):
        CAL.next_open_many([datetime(2026, 1, 1)])
    with pytest.raises(TypeError, match="ts: expected a sequence of aware datetimes"):
        CAL.is_open_many(ny(2026, 1, 1))
    with pytest.raises(ValueError, match="n: expected 2 day counts to match the instants, got 3"):
        CAL.add_days_many([ny(2026, 1, 1)] * 2, [1, 2, 3])
    with pytest.raises(TypeError, match="n: expected an int or an integer array, got dtype float64"):
        CAL.add_days_many(arr(ny(2026, 1, 1)), np.array([1.0]))
    with pytest.raises(TypeError, match="n: expected a whole number of business days, got True"):
        CAL.add_days_many(arr(ny(2026, 1, 1)), True)
    with pytest.raises(ValueError, match=r"a, b: expected sequences of one length, got 1 and 2"):
        CAL.days_between_many([ny(2026, 1, 1)], [ny(2026, 1, 1)] * 2)


# --------------------------------------------------------------------------- properties

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cal_and_batch(draw: st.DrawFn, zoned: bool = False) -> tuple[Calendar, list[datetime]]:
    names = [n for n in NAMES if isinstance(CALENDARS[n][0], ZonedCalendar)] if zoned else NAMES
    cal, tz = CALENDARS[draw(st.sampled_from(names))]
    return cal, draw(st.lists(instants(tz), min_size=1, max_size=12))


def _three_ways(ts: list[datetime]) -> tuple[np.ndarray, np.ndarray, list[datetime]]:
    u = np.array([us_of(t) for t in ts], dtype=np.int64)
    return u, u.astype("datetime64[us]"), ts


def _us_or_never(t: datetime | None) -> int:
    return NEVER_US if t is None else us_of(t)


@SETTINGS
@given(cal_and_batch())
def test_is_open_next_open_next_close_many_match_scalar(cb: tuple[Calendar, list[datetime]]) -> None:
    cal, ts = cb
    u, dt64, seq = _three_ways(ts)
    want_open = [cal.is_open(t) for t in ts]
    assert cal.is_open_many(u).tolist() == want_open == cal.is_open_many(seq)
    want = [cal.next_open(t) for t in ts]
    assert cal.next_open_many(u).tolist() == [us_of(x) for x in want]
    assert cal.next_open_many(dt64).astype(np.int64).tolist() == [us_of(x) for x in want]
    got = cal.next_open_many(seq)
    assert [us_of(x) for x in got] == [us_of(x) for x in want]
    assert all(g.tzinfo is t.tzinfo for g, t in zip(got, ts, strict=True))
    want_c = [cal.next_close(t) for t in ts]
    assert cal.next_close_many(u).tolist() == [_us_or_never(x) for x in want_c]
    assert [_us_or_never(x) for x in cal.next_close_many(seq)] == [_us_or_never(x) for x in want_c]


@SETTINGS
@given(cal_and_batch(), st.lists(st.integers(-200 * 60, 200 * 60), min_size=12, max_size=12))
def test_add_many_and_between_many_match_scalar(
    cb: tuple[Calendar, list[datetime]], minutes: list[int]
) -> None:
    cal, ts = cb
    u, _, seq = _three_ways(ts)
    ds = [timedelta(minutes=m) for m in minutes[: len(ts)]]
    want = [us_of(cal.add(t, d)) for t, d in zip(ts, ds, strict=True)]
    d_us = np.array([d // timedelta(microseconds=1) for d in ds], dtype=np.int64)
    assert cal.add_many(u, d_us).tolist() == want
    assert [us_of(x) for x in cal.add_many(seq, ds)] == want
    back = list(reversed(ts))
    want_b = [cal.between(a, b) for a, b in zip(ts, back, strict=True)]
    assert cal.between_many(seq, back) == want_b
    got_b = cal.between_many(u, np.array([us_of(t) for t in back], dtype=np.int64))
    assert got_b.tolist() == [x // timedelta(microseconds=1) for x in want_b]


@SETTINGS
@given(cal_and_batch(zoned=True), st.lists(st.integers(-40, 40), min_size=12, max_size=12))
def test_add_days_many_matches_scalar(cb: tuple[Calendar, list[datetime]], ns: list[int]) -> None:
    cal, ts = cb
    assert isinstance(cal, ZonedCalendar)
    u, dt64, seq = _three_ways(ts)
    ns = ns[: len(ts)]
    want = [us_of(cal.add_days(t, n)) for t, n in zip(ts, ns, strict=True)]
    assert cal.add_days_many(u, np.array(ns)).tolist() == want
    assert cal.add_days_many(dt64, ns).astype(np.int64).tolist() == want
    assert [us_of(x) for x in cal.add_days_many(seq, ns)] == want
    one = [us_of(cal.add_days(t, ns[0])) for t in ts]
    assert cal.add_days_many(u, ns[0]).tolist() == one


@SETTINGS
@given(cal_and_batch(zoned=True), cal_and_batch(zoned=True))
def test_days_between_many_matches_scalar(
    cb: tuple[Calendar, list[datetime]], other: tuple[Calendar, list[datetime]]
) -> None:
    cal, ts = cb
    assert isinstance(cal, ZonedCalendar)
    us = other[1]
    k = min(len(ts), len(us))
    a, b = ts[:k], us[:k]
    want = [cal.days_between(x, y) for x, y in zip(a, b, strict=True)]
    assert cal.days_between_many(a, b) == want
    assert cal.days_between_many(_three_ways(a)[0], _three_ways(b)[0]).tolist() == want
    assert want == [-cal.days_between(y, x) for x, y in zip(a, b, strict=True)]


@SETTINGS
@given(cal_and_batch(zoned=True), st.integers(0, 30))
def test_days_between_counts_add_days(cb: tuple[Calendar, list[datetime]], n: int) -> None:
    cal, ts = cb
    assert isinstance(cal, ZonedCalendar)
    for t in ts:
        s = cal.next_open(t)
        assert cal.days_between(s, cal.add_days(s, n)) == n


def test_sequences_without_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without numpy, sequences are answered one scalar query each, with the same results."""
    from slocalc.calendars import _batch

    ts = [ny(2026, 11, 25, 17), ny(2026, 11, 28, 12), ny(2026, 11, 25, 10)]
    want = (
        CAL.is_open_many(ts),
        CAL.next_open_many(ts),
        CAL.next_close_many(ts),
        CAL.add_many(ts, timedelta(hours=3)),
        CAL.between_many(ts, ts[::-1]),
        CAL.add_days_many(ts, [1, -1, 2]),
        CAL.days_between_many(ts, ts[::-1]),
    )
    monkeypatch.setattr(_batch, "_numpy", lambda: None)
    got = (
        CAL.is_open_many(ts),
        CAL.next_open_many(ts),
        CAL.next_close_many(ts),
        CAL.add_many(ts, timedelta(hours=3)),
        CAL.between_many(ts, ts[::-1]),
        CAL.add_days_many(ts, [1, -1, 2]),
        CAL.days_between_many(ts, ts[::-1]),
    )
    assert got == want
    assert NEVER.next_open_many(ts, strict=False) == [None, None, None]
    with pytest.raises(ValueError, match="a, b: expected sequences of one length, got 3 and 1"):
        CAL.days_between_many(ts, ts[:1])
