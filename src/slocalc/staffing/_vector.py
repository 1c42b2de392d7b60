"""Vectorised queries over many arrival instants (numpy), for the structural-breach grid.

Instants are ``int64`` UTC microseconds. The calendar engine answers ``add`` and
``between`` for arrays (``add_many``/``between_many``); this module adds what it lacks for
arrays: ``next_open`` (from the calendar's open intervals and ``searchsorted``), business
days (``add_days``) and local wall-clock offsets. Scalar work is done once per *distinct*
value, never per arrival. ``tests/test_staffing_vector.py`` checks each function against
the scalar engine.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from typing import Any

from slocalc._time import US_PER_DAY, from_us, to_us
from slocalc.calendars import Calendar, ZonedCalendar
from slocalc.calendars._index import HORIZON_YEARS, year_of, year_start_us
from slocalc.errors import MissingExtraError, NoBusinessTimeError

__all__ = ["NEVER_US", "MissingExtraError", "numpy"]

#: sentinel for "no open time within the horizon"
NEVER_US = 2**63 - 1
_HORIZON_US = (HORIZON_YEARS * 366 + 1) * US_PER_DAY
_EPOCH_NAIVE = datetime(1970, 1, 1)  # noqa: DTZ001 - origin of naive wall readings
_EPOCH_ORDINAL = _EPOCH_NAIVE.toordinal()


def numpy() -> Any:
    """The numpy module, or :class:`MissingExtraError` naming the extra to install."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is installed wherever tests run
        raise MissingExtraError(
            "structural breach analysis needs numpy: pip install 'slocalc[pandas]'"
        ) from None
    return np


def to_us_array(np: Any, instants: list[datetime]) -> Any:
    return np.array([to_us(t) for t in instants], dtype=np.int64)


def intervals_us(np: Any, cal: Calendar, lo: int, hi: int) -> tuple[Any, Any]:
    """The calendar's merged open intervals clipped to ``[lo, hi)``, as two int64 arrays."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in cal.intervals(from_us(lo), from_us(hi)):
        starts.append(to_us(s))
        ends.append(to_us(e))
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def next_open_many(np: Any, cal: Calendar, u: Any) -> Any:
    """``cal.next_open`` for each instant; :data:`NEVER_US` where it never opens (10 years)."""
    out = np.full(len(u), NEVER_US, dtype=np.int64)
    if len(u) == 0:
        return out
    pending = np.arange(len(u))
    top = int(u.max())
    span = 14 * US_PER_DAY
    while len(pending):
        up = u[pending]
        starts, ends = intervals_us(np, cal, int(up.min()), top + span)
        # the first interval ending after t holds t, or is the next one to open
        i = np.searchsorted(ends, up, side="right")
        found = i < len(ends)
        if found.any():
            j = i[found]
            out[pending[found]] = np.maximum(up[found], starts[j])
        pending = pending[~found]
        if span > _HORIZON_US:
            break
        span *= 4
    return out


_SAMPLE_US = 6 * 3600 * 1_000_000  # offsets are sampled every 6 hours, then bisected
_FAR = 2**62


@functools.lru_cache(maxsize=512)
def _transitions(zone: zoneinfo.ZoneInfo, year: int) -> tuple[tuple[int, int], ...]:
    """``(instant, offset after it)`` for each offset change of ``zone`` in UTC ``year``.

    Exact to the microsecond (bisection on the instant), assuming two changes are never
    less than 6 hours apart (true of every zone in tzdata).
    """
    lo, hi = year_start_us(year), year_start_us(year + 1)

    def off(u: int) -> int:
        o = from_us(u, zone).utcoffset()
        assert o is not None
        return o // timedelta(microseconds=1)

    out: list[tuple[int, int]] = []
    prev_u, prev_o = lo, off(lo)
    u = lo
    while u < hi:
        u = min(u + _SAMPLE_US, hi)
        o = off(u)
        if o != prev_o:
            a, b = prev_u, u  # off(a) == prev_o != off(b): the change is in (a, b]
            while b - a > 1:
                mid = (a + b) // 2
                if off(mid) == prev_o:
                    a = mid
                else:
                    b = mid
            out.append((b, o))
            prev_o = o
        prev_u = u
    return tuple(out)


class ZoneTable:
    """A zone's UTC offsets over a range of years, as arrays: offset lookups and the
    boundary rule for many instants at once."""

    def __init__(self, np: Any, zone: zoneinfo.ZoneInfo, lo_us: int, hi_us: int) -> None:
        y0, y1 = year_of(lo_us) - 1, year_of(hi_us) + 1
        first = from_us(year_start_us(y0), zone).utcoffset()
        assert first is not None
        times = [-_FAR]
        offs = [first // timedelta(microseconds=1)]
        for y in range(y0, y1 + 1):
            for t, o in _transitions(zone, y):
                times.append(t)
                offs.append(o)
        self.np = np
        self.times = np.array(times, dtype=np.int64)
        self.offs = np.array(offs, dtype=np.int64)
        # local reading at the end of each constant-offset segment (exclusive)
        self.local_ends = np.append(self.times[1:] + self.offs[:-1], _FAR)

    def offsets(self, u: Any) -> Any:
        """The UTC offset (µs) at each instant."""
        return self.offs[self.np.searchsorted(self.times, u, side="right") - 1]

    def place(self, walls: Any) -> Any:
        """The boundary rule for naive wall readings (µs since 1970-01-01 local): the
        earliest instant whose local reading is ``>= wall``.

        Within a constant-offset segment ``k`` the local readings run up to
        ``local_ends[k]``; the first segment reaching past ``wall`` holds the answer: the
        instant ``wall - offset``, or the segment's start when ``wall`` fell in the gap
        before it (spring forward). In a repeated hour the earlier segment wins.
        """
        k = self.np.searchsorted(self.local_ends, walls, side="right")
        return self.np.maximum(self.times[k], walls - self.offs[k])


def add_days_many(np: Any, cal: ZonedCalendar, u: Any, n: int) -> Any:
    """``cal.add_days(t, n)`` for each instant, ``n >= 1``.

    ``s = next_open(t)``; the result is ``s``'s local wall time on the ``n``-th business
    date after ``s``'s local date, placed by the boundary rule.
    """
    if len(u) == 0:
        return u.copy()
    s = next_open_many(np, cal, u)
    if (s == NEVER_US).any():
        bad = int(u[s == NEVER_US][0])
        raise NoBusinessTimeError(
            f"{cal!r}: no open time within {HORIZON_YEARS} years after {from_us(bad).isoformat()}"
        )
    local = s + ZoneTable(np, cal.zone, int(s.min()), int(s.max())).offsets(s)
    day = local // US_PER_DAY
    tod = local - day * US_PER_DAY
    d0 = int(day.min())
    extra = max(14, 3 * n)
    while True:
        last = int(day.max()) + extra
        flags = np.array(
            [cal.is_business_date(date.fromordinal(d + _EPOCH_ORDINAL)) for d in range(d0, last + 1)],
            dtype=np.int64,
        )
        cum = np.cumsum(flags)
        target = cum[day - d0] + n
        if int(target.max()) <= int(cum[-1]):
            break
        if extra > HORIZON_YEARS * 366:
            raise NoBusinessTimeError(f"{cal!r}: no business date within {HORIZON_YEARS} years")
        extra *= 4
    k = np.searchsorted(cum, target, side="left")
    walls = (d0 + k) * US_PER_DAY + tod
    return ZoneTable(np, cal.zone, int(s.min()), int(walls.max()) + US_PER_DAY).place(walls)


def local_hour_of_week(np: Any, zone: zoneinfo.ZoneInfo, u: Any) -> Any:
    """Hour of the local week (0 = Monday 00:00-01:00) of each instant in ``zone``."""
    local = u + ZoneTable(np, zone, int(u.min()), int(u.max())).offsets(u) if len(u) else u
    days = local // US_PER_DAY
    hour = (local - days * US_PER_DAY) // (3600 * 1_000_000)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
    return weekday * 24 + hour


def from_us_list(values: Any, tz: Any) -> list[datetime | None]:
    """Aware datetimes in ``tz`` (``None`` for :data:`NEVER_US`)."""
    return [None if v == NEVER_US else from_us(v, tz if tz is not None else UTC) for v in values.tolist()]
