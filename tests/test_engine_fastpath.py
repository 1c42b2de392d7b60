"""The engine's private fast entries against the public ``*_many`` methods.

``Calendar._add_us``, ``Calendar._between_us``, ``ZonedCalendar._add_days_us`` and
``Deadline._due_us`` take ``int64`` arrays of UTC µs (and µs durations or day counts, one
``int`` for all or an array) and skip reading containers. Hand-worked examples (expected
values worked out by hand from the calendars' hours, holidays and zones: DST, a 30-minute
offset, an override, a union), then Hypothesis properties: each fast entry equals its public
method on the same arrays, and the scalar query applied to each instant, errors included.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference import us_of
from slocalc import ALWAYS, NEVER, BusinessCalendar
from slocalc.calendars import Calendar, ZonedCalendar
from slocalc.errors import SlocalcError
from slocalc.policies import Customer, Target
from strategies import instants
from test_calendar_properties import CALENDARS, NAMES

H = 3_600_000_000  # one hour in µs
LONDON = ZoneInfo("Europe/London")
LON = BusinessCalendar(tz="Europe/London", hours="Mon-Fri 08:00-17:00")
KOLKATA = BusinessCalendar(tz="Asia/Kolkata", hours="Mon-Fri 08:00-17:00")
NYC = BusinessCalendar(
    tz="America/New_York",
    hours="Mon-Fri 08:00-17:00",
    holidays="US",
    overrides={date(2026, 12, 24): "08:00-12:00"},
)


def utc(*args: int) -> int:
    return us_of(datetime(*args, tzinfo=UTC))  # type: ignore[misc]


def arr(*us: int) -> np.ndarray:
    return np.array(us, dtype=np.int64)


def at(us: int) -> datetime:
    """The UTC datetime of ``us`` µs since the epoch."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)


def _outcome(call: Callable[[], Any]) -> tuple[str, object]:
    """What a call gives: its answer as a list, or its error (type and message)."""
    try:
        return "ok", call().tolist()
    except (SlocalcError, ArithmeticError, ValueError, TypeError) as e:
        return type(e).__name__, str(e)


# --------------------------------------------------------------------------- hand-worked


def test_add_us_across_the_spring_forward() -> None:
    # London springs forward on Sun 29 Mar 2026. Fri 27 Mar 15:00 GMT (15:00Z) + 4 h: 2 h on
    # Friday, then Mon 30 Mar 08:00 BST + 2 h = 10:00 BST = 09:00Z; and back again.
    fri, mon = utc(2026, 3, 27, 15), utc(2026, 3, 30, 9)
    assert LON._add_us(arr(fri), 4 * H).tolist() == [mon]
    assert LON._add_us(arr(mon), -4 * H).tolist() == [fri]
    # one call with both directions and a zero: each as if alone
    got = LON._add_us(arr(fri, mon, fri), arr(4 * H, -4 * H, 0))
    assert got.tolist() == [mon, fri, fri]
    assert got.dtype == np.int64
    assert LON._between_us(arr(fri, mon), arr(mon, fri)).tolist() == [4 * H, -4 * H]


def test_add_us_with_a_half_hour_offset() -> None:
    # Kolkata is UTC+05:30. Fri 4 Dec 2026 16:30 IST = 11:00Z, + 1 h: 30 min on Friday, then
    # Mon 7 Dec 08:00 IST + 30 min = 08:30 IST = 03:00Z.
    assert KOLKATA._add_us(arr(utc(2026, 12, 4, 11)), H).tolist() == [utc(2026, 12, 7, 3)]
    assert KOLKATA._between_us(arr(utc(2026, 12, 4, 11)), arr(utc(2026, 12, 7, 3))).tolist() == [H]


def test_add_us_over_a_holiday_and_an_override() -> None:
    # Wed 25 Nov 2026 16:00 EST (21:00Z) + 2 h: 1 h on Wednesday, Thanksgiving closed, Fri 27
    # 08:00 + 1 h = 09:00 EST (14:00Z). Thu 24 Dec 11:00 EST (16:00Z) + 2 h: open until 12:00
    # (the override), Christmas and the weekend closed, Mon 28 08:00 + 1 h = 09:00 EST (14:00Z).
    starts = arr(utc(2026, 11, 25, 21), utc(2026, 12, 24, 16))
    assert NYC._add_us(starts, 2 * H).tolist() == [utc(2026, 11, 27, 14), utc(2026, 12, 28, 14)]
    assert NYC._between_us(starts, arr(utc(2026, 11, 27, 14), utc(2026, 12, 28, 14))).tolist() == [
        2 * H,
        2 * H,
    ]


def test_a_union() -> None:
    # In December London 08:00-17:00 is 08:00-17:00Z and New York's 13:00-22:00Z: together
    # Mon-Fri 08:00-22:00Z. Fri 4 Dec 21:00Z + 2 h: 1 h on Friday, Mon 7 Dec 08:00Z + 1 h.
    sun = LON | BusinessCalendar(tz="America/New_York", hours="Mon-Fri 08:00-17:00")
    assert sun._add_us(arr(utc(2026, 12, 4, 21)), 2 * H).tolist() == [utc(2026, 12, 7, 9)]
    # Fri 20:00Z to Mon 09:00Z: 2 h on Friday, 1 h on Monday
    assert sun._between_us(arr(utc(2026, 12, 4, 20)), arr(utc(2026, 12, 7, 9))).tolist() == [3 * H]


def test_add_days_us() -> None:
    # Fri 27 Mar 15:00 GMT + 1 business day: Mon 30 Mar 15:00 BST (14:00Z). Mon 30 Mar 10:00
    # BST (09:00Z) - 1: Fri 27 Mar 10:00 GMT (10:00Z). Sat 28 Mar 12:00Z opens Mon 08:00 BST;
    # + 1: Tue 31 Mar 08:00 BST (07:00Z). 0 days: the next opening, Fri itself (open).
    fri, mon, sat = utc(2026, 3, 27, 15), utc(2026, 3, 30, 9), utc(2026, 3, 28, 12)
    assert LON._add_days_us(arr(fri, sat), 1).tolist() == [utc(2026, 3, 30, 14), utc(2026, 3, 31, 7)]
    assert LON._add_days_us(arr(mon), -1).tolist() == [utc(2026, 3, 27, 10)]
    got = LON._add_days_us(arr(fri, mon, sat, fri), arr(1, -1, 1, 0))
    assert got.tolist() == [utc(2026, 3, 30, 14), utc(2026, 3, 27, 10), utc(2026, 3, 31, 7), fri]
    assert LON._add_days_us(arr(sat), 0).tolist() == [utc(2026, 3, 30, 7)]


def test_due_us_of_each_kind() -> None:
    london = Customer(tz="Europe/London")
    fri = utc(2026, 3, 27, 15)
    # 4 business hours: as LON above, Mon 30 Mar 10:00 BST
    assert Target.parse("4 business hours").resolve(london)._due_us(arr(fri)).tolist() == [
        utc(2026, 3, 30, 9)
    ]
    # 2 business days: Mon 30 (1), Tue 31 (2) Mar at 15:00 BST = 14:00Z
    assert Target.parse("2 business days").resolve(london)._due_us(arr(fri)).tolist() == [
        utc(2026, 3, 31, 14)
    ]
    # 10 calendar days from Sat 21 Mar 12:00 GMT: Tue 31 Mar 12:00 BST = 11:00Z
    sat = utc(2026, 3, 21, 12)
    assert Target.parse("10 calendar days").resolve(london)._due_us(arr(sat)).tolist() == [
        utc(2026, 3, 31, 11)
    ]
    # 2 hours around the clock: two elapsed hours, DST or not
    assert Target.parse("2 hours").resolve(None)._due_us(arr(utc(2026, 3, 29, 0, 30))).tolist() == [
        utc(2026, 3, 29, 2, 30)
    ]


def test_empty_arrays() -> None:
    empty = np.zeros(0, dtype=np.int64)
    for got in (
        LON._add_us(empty, H),
        LON._add_us(empty, empty),
        LON._between_us(empty, empty),
        LON._add_days_us(empty, 1),
        Target.parse("10 calendar days").resolve(Customer(tz="Europe/London"))._due_us(empty),
    ):
        assert got.dtype == np.int64
        assert got.shape == (0,)


def _same_error(fast: Callable[[], object], public: Callable[[], object]) -> None:
    """Both calls raise, the same error (type and message)."""
    got, want = _outcome(fast), _outcome(public)
    assert got[0] != "ok", got
    assert got == want


def test_errors_are_the_public_ones() -> None:
    u = arr(utc(2026, 3, 27, 15), utc(2026, 3, 30, 9))
    far = arr(us_of(datetime(1, 6, 1, tzinfo=UTC)))  # outside the supported years
    _same_error(lambda: LON._add_us(far, H), lambda: LON.add_many(far, timedelta(hours=1)))
    _same_error(lambda: LON._between_us(far, u[:1]), lambda: LON.between_many(far, u[:1]))
    _same_error(lambda: LON._add_days_us(far, 1), lambda: LON.add_days_many(far, 1))
    # shapes that do not match: refused as the public methods refuse them
    _same_error(lambda: LON._between_us(u, u[:1]), lambda: LON.between_many(u, u[:1]))
    _same_error(lambda: LON._add_us(u, arr(H)), lambda: LON.add_many(u, arr(H)))
    _same_error(lambda: LON._add_days_us(u, arr(1)), lambda: LON.add_days_many(u, arr(1)))
    _same_error(lambda: LON._add_days_us(u, True), lambda: LON.add_days_many(u, True))
    # a duration far past the supported range, and one past int64
    _same_error(lambda: LON._add_us(u, 2**62), lambda: LON.add_many(u, np.full(2, 2**62)))
    with pytest.raises(OverflowError):
        LON._add_us(u, 2**63)
    # no open time within the horizon
    _same_error(lambda: NEVER._add_us(u, H), lambda: NEVER.add_many(u, timedelta(hours=1)))
    # a span of more than 100 years
    wide = arr(utc(1900, 1, 1), utc(2026, 1, 1))
    _same_error(
        lambda: LON._between_us(wide, wide[::-1].copy()), lambda: LON.between_many(wide, wide[::-1].copy())
    )
    _same_error(lambda: LON._add_us(wide, H), lambda: LON.add_many(wide, timedelta(hours=1)))


def test_due_many_takes_the_fast_entry_for_int64_arrays() -> None:
    # the public method on an int64 array answers what the fast entry answers
    # Kolkata (UTC+05:30): Fri 4 Dec 16:30 IST (11:00Z) + 4 h: 30 min on Friday, Mon 7 Dec
    # 08:00 + 3:30 = 11:30 IST (06:00Z); Mon 08:30 IST (03:00Z) + 4 h = 12:30 IST (07:00Z).
    d = Target.parse("4 business hours").resolve(Customer(tz="Asia/Kolkata"))
    u = arr(utc(2026, 12, 4, 11), utc(2026, 12, 7, 3))
    assert d.due_many(u).tolist() == d._due_us(u).tolist() == [utc(2026, 12, 7, 6), utc(2026, 12, 7, 7)]


# --------------------------------------------------------------------------- properties

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cal_and_batch(draw: st.DrawFn, zoned: bool = False) -> tuple[Calendar, np.ndarray]:
    names = [n for n in NAMES if isinstance(CALENDARS[n][0], ZonedCalendar)] if zoned else NAMES
    cal, tz = CALENDARS[draw(st.sampled_from(names))]
    ts = draw(st.lists(instants(tz), min_size=1, max_size=40))
    return cal, np.array([us_of(t) for t in ts], dtype=np.int64)


@st.composite
def signed(draw: st.DrawFn, n: int, bound: int) -> list[int]:
    """``n`` integers in ``[-bound, bound]``: all one way (the fast path) or either way."""
    way = draw(st.sampled_from(("forward", "back", "either")))
    lo, hi = {"forward": (1, bound), "back": (-bound, -1), "either": (-bound, bound)}[way]
    return draw(st.lists(st.integers(lo, hi), min_size=n, max_size=n))


@SETTINGS
@given(cal_and_batch(), st.data())
def test_add_us_and_between_us_equal_the_public_methods(
    cb: tuple[Calendar, np.ndarray], data: st.DataObject
) -> None:
    cal, u = cb
    minutes = data.draw(signed(len(u), 300 * 60))
    d = np.array(minutes, dtype=np.int64) * 60_000_000 + data.draw(st.integers(0, 999_999))
    got = _outcome(lambda: cal._add_us(u, d))
    assert got == _outcome(lambda: cal.add_many(u, d))
    if got[0] == "ok":
        pairs = zip(u.tolist(), d.tolist(), strict=True)
        assert got[1] == [us_of(cal.add(at(x), timedelta(microseconds=y))) for x, y in pairs]
    one = int(d[0])
    assert _outcome(lambda: cal._add_us(u, one)) == _outcome(
        lambda: cal.add_many(u, timedelta(microseconds=one))
    )
    b = data.draw(cal_and_batch())[1]
    k = min(len(u), len(b))
    a, b = u[:k], b[:k]
    got_b = _outcome(lambda: cal._between_us(a, b))
    assert got_b == _outcome(lambda: cal.between_many(a, b))


@SETTINGS
@given(cal_and_batch(zoned=True), st.data())
def test_add_days_us_equals_the_public_method(cb: tuple[Calendar, np.ndarray], data: st.DataObject) -> None:
    cal, u = cb
    assert isinstance(cal, ZonedCalendar)
    ns = data.draw(signed(len(u), 40))
    n = np.array(ns, dtype=np.int64)
    got = _outcome(lambda: cal._add_days_us(u, n))
    assert got == _outcome(lambda: cal.add_days_many(u, n))
    if got[0] == "ok":
        assert got[1] == [us_of(cal.add_days(at(x), k)) for x, k in zip(u.tolist(), ns, strict=True)]
    assert _outcome(lambda: cal._add_days_us(u, ns[0])) == _outcome(lambda: cal.add_days_many(u, ns[0]))


_TARGETS = (
    "30 minutes",
    "4 hours",
    "4 business hours",
    "12 business hours",
    "3 business days",
    "10 calendar days",
)
_ZONES = ("Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_TARGETS), st.sampled_from(_ZONES), st.sampled_from((None, "US", "GB")), st.data())
def test_due_us_equals_due(target: str, tz: str, country: str | None, data: st.DataObject) -> None:
    d = Target.parse(target).resolve(Customer(tz=tz, country=country))
    ts = data.draw(st.lists(instants(tz), min_size=1, max_size=20))
    u = np.array([us_of(t) for t in ts], dtype=np.int64)
    want = [us_of(d.due(t.astimezone(UTC))) for t in ts]
    assert d._due_us(u).tolist() == want
    assert d.due_many(u.astype("datetime64[us]")).astype(np.int64).tolist() == want
    assert d.due_many(u).tolist() == want


def test_always_is_plain_addition() -> None:
    u = arr(utc(2026, 3, 29, 0, 30), utc(2026, 10, 25, 0, 30))
    assert ALWAYS._add_us(u, 3 * H).tolist() == (u + 3 * H).tolist()
    assert ALWAYS._between_us(u, u + 3 * H).tolist() == [3 * H, 3 * H]
