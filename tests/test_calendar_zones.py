"""The time kernel's zone helpers: ``wall_instant``, ``week_bounds``, ``transitions`` and
the vectorised ``ZoneTable``.

Expected instants are worked out by hand from the zones' published rules (docs/concepts/dst.md);
the transition scanner is also checked against the zone files themselves.
"""

from __future__ import annotations

import itertools
import random
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference import boundary, offset_at, offset_changes, us_of
from slocalc._time import from_us, transitions, wall_instant, wall_to_us, week_bounds
from slocalc.calendars import ZoneTable

NY = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
H = 3_600_000_000


def utc(*args: int) -> int:
    return us_of(datetime(*args, tzinfo=UTC))  # type: ignore[misc]


# --------------------------------------------------------------------------- wall_instant


@pytest.mark.parametrize(
    ("zone", "day", "wall", "expected"),
    [
        # New York springs forward at 02:00 EST (07:00Z) on 8 March 2026: 02:30 does not
        # exist, so the boundary is the transition instant.
        (NY, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7)),
        (NY, date(2026, 3, 8), time(3, 0), utc(2026, 3, 8, 7)),
        (NY, date(2026, 3, 8), time(1, 59), utc(2026, 3, 8, 6, 59)),
        # Falls back at 02:00 EDT (06:00Z) on 1 November 2026: 01:30 happens twice, the
        # first time at 01:30 EDT = 05:30Z.
        (NY, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),
        # timedelta walls: 24:00 is the next midnight (EST, 05:00Z), 30 h is 06:00 next day.
        (NY, date(2026, 11, 1), timedelta(hours=24), utc(2026, 11, 2, 5)),
        (NY, date(2026, 11, 1), timedelta(hours=30), utc(2026, 11, 2, 11)),
        # Lord Howe moves 30 minutes: 02:00 +10:30 -> 02:30 +11 on 4 October 2026 (15:30Z
        # the day before); 02:10 is in the gap.
        (LORD_HOWE, date(2026, 10, 4), time(2, 10), utc(2026, 10, 3, 15, 30)),
        (LORD_HOWE, date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 15, 30)),
        (LORD_HOWE, date(2026, 10, 4), time(0, 0), utc(2026, 10, 3, 13, 30)),
    ],
)
def test_wall_instant_hand_worked(zone: ZoneInfo, day: date, wall: time | timedelta, expected: int) -> None:
    assert wall_instant(zone, day, wall) == expected


ZONES = ("America/New_York", "Australia/Lord_Howe", "America/Santiago", "Europe/Dublin", "Pacific/Chatham")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.dates(date(2024, 1, 1), date(2029, 12, 31)),
    st.integers(0, 48 * 60 - 1),
)
def test_wall_instant_is_the_boundary_rule(tz: str, day: date, minute: int) -> None:
    zone = ZoneInfo(tz)
    wall = datetime.combine(day, time()) + timedelta(minutes=minute)
    assert wall_instant(zone, day, timedelta(minutes=minute)) == boundary(zone, wall)


def test_week_bounds() -> None:
    # The week of Wed 4 March 2026 runs Mon 2 March 00:00 EST (05:00Z) to Mon 9 March
    # 00:00 EDT (04:00Z): the spring-forward Sunday makes it 167 hours.
    assert week_bounds(date(2026, 3, 4), NY) == (utc(2026, 3, 2, 5), utc(2026, 3, 9, 4))
    assert week_bounds(date(2026, 3, 8), NY) == (utc(2026, 3, 2, 5), utc(2026, 3, 9, 4))
    assert week_bounds(date(2026, 3, 2), ZoneInfo("UTC")) == (utc(2026, 3, 2), utc(2026, 3, 9))


# --------------------------------------------------------------------------- transitions


def test_transitions_hand_worked() -> None:
    lo, hi = utc(2026, 1, 1), utc(2027, 1, 1)
    assert transitions(NY, lo, hi) == ((utc(2026, 3, 8, 7), -4 * H), (utc(2026, 11, 1, 6), -5 * H))
    # Lord Howe: back to +10:30 at 02:00 +11 on 5 April (15:00Z on the 4th), on to +11 at
    # 02:00 +10:30 on 4 October (15:30Z on the 3rd).
    assert transitions(LORD_HOWE, lo, hi) == (
        (utc(2026, 4, 4, 15), 21 * H // 2),
        (utc(2026, 10, 3, 15, 30), 11 * H),
    )
    assert transitions(ZoneInfo("Asia/Kathmandu"), lo, hi) == ()
    # the range is half-open and exact to the microsecond
    t = utc(2026, 3, 8, 7)
    assert transitions(NY, t, t + 1) == ((t, -4 * H),)
    assert transitions(NY, t - 1, t) == ()
    assert transitions(NY, hi, lo) == ()


def _zone_file_changes(key: str) -> list[int] | None:
    """Offset changes (UTC seconds) listed explicitly in the zone file, read by the
    pure-Python zoneinfo implementation (test-only use of a private module)."""
    from zoneinfo import _zoneinfo

    try:
        z = _zoneinfo.ZoneInfo.no_cache(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None
    prev = z._tti_before.utcoff if z._tti_before else None  # type: ignore[attr-defined]
    out = []
    for t, tti in zip(z._trans_utc, z._ttinfos, strict=True):  # type: ignore[attr-defined]
        if tti.utcoff != prev:
            out.append(t)
        prev = tti.utcoff
    return out


def test_offset_changes_are_days_apart_in_every_zone() -> None:
    """The scanner samples offsets a day apart: no two changes in tzdata may be closer."""
    closest = min(
        (b - a, key)
        for key in zoneinfo.available_timezones()
        if (changes := _zone_file_changes(key))
        for a, b in itertools.pairwise(changes)
    )
    assert closest[0] > 2 * 86_400, closest


@pytest.mark.parametrize("key", sorted(zoneinfo.available_timezones())[::29])
def test_transitions_match_the_zone_file(key: str) -> None:
    zone = ZoneInfo(key)
    lo, hi = utc(2020, 1, 1), utc(2031, 1, 1)
    changes = _zone_file_changes(key)
    assert changes is not None
    explicit = [s * 1_000_000 for s in changes if lo <= s * 1_000_000 < hi]
    got = transitions(zone, lo, hi)
    last = max(changes, default=0) * 1_000_000
    # explicit transitions agree exactly; past the file's last one the zone follows its
    # POSIX rule, checked against the reference's hourly scan
    assert [t for t, _ in got if t <= last] == explicit
    tail = max(lo, last + 1)
    assert [t for t, _ in got if t > last] == [t for t in offset_changes(zone, tail - 1, hi - 1) if t >= tail]
    for t, off in got:
        assert off == offset_at(zone, t) != offset_at(zone, t - 1)


# --------------------------------------------------------------------------- ZoneTable


@pytest.mark.parametrize("tz", ZONES)
def test_zone_table_matches_the_scalar_kernel(tz: str) -> None:
    zone = ZoneInfo(tz)
    rng = random.Random(tz)
    lo, hi = utc(2025, 1, 1), utc(2029, 1, 1)
    edges = [t for t, _ in transitions(zone, lo, hi)]
    u = [rng.randint(lo, hi) for _ in range(300)]
    u += [e + k for e in edges for k in (-1, 0, 1)]
    arr = np.array(u, dtype=np.int64)
    table = ZoneTable(zone, lo, hi)
    assert table.offsets(arr).tolist() == [offset_at(zone, v) for v in u]
    assert table.local(arr).tolist() == [v + offset_at(zone, v) for v in u]
    # walls on every quarter hour around each transition, and random ones
    walls = [e + offset_at(zone, e) + k * 15 * 60_000_000 for e in edges for k in range(-12, 13)]
    walls += [rng.randint(lo, hi) for _ in range(200)]
    epoch = datetime(1970, 1, 1)
    want = [wall_to_us(zone, epoch + timedelta(microseconds=w)) for w in walls]
    assert table.place(np.array(walls, dtype=np.int64)).tolist() == want
    assert from_us(want[0], zone).utcoffset() is not None
