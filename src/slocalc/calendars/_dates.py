"""Business dates, compiled per local year next to the interval chunks.

A *business date* is a local date with some open time (docs/concepts/business-days.md).
A calendar's business dates are compiled one local calendar year at a time into a
:class:`DateChunk`: a flag per date and the running count of business dates, so that
``is_business_date`` is an index, and stepping ``n`` business dates or counting them
between two dates is a ``bisect`` per year crossed. Chunks live in the calendar's shared
:class:`~slocalc.calendars._index.Store`, so equal calendars compile them once.

Dates are proleptic Gregorian ordinals (``date.toordinal()``) throughout.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from slocalc._time import DayWalls
from slocalc.calendars._index import HORIZON_YEARS, MAX_SPAN_YEARS, MAX_YEAR, MIN_YEAR, cached_chunk, too_far
from slocalc.errors import NoBusinessTimeError

if TYPE_CHECKING:  # pragma: no cover
    from slocalc.calendars._index import Index

__all__ = ["DRY_LIMIT", "BusinessDates", "DateChunk"]

#: the most consecutive dates without open time a search walks before giving up
DRY_LIMIT = HORIZON_YEARS * 366


class DateChunk:
    """The business dates of one local calendar year.

    ``cum[k]`` is the number of business dates among the year's first ``k`` dates, so
    date ``first + k`` is a business date when ``cum[k + 1] > cum[k]``.
    """

    __slots__ = ("cum", "first", "first_bd", "flags", "last_bd", "size", "total", "year")

    def __init__(self, year: int, flags: bytes) -> None:
        self.year = year
        self.first = date(year, 1, 1).toordinal()
        self.size = len(flags)
        self.flags = flags
        cum = [0]
        acc = 0
        for f in flags:
            acc += f
            cum.append(acc)
        self.cum = cum
        self.total = acc
        self.first_bd = self.first + flags.find(1) if acc else None
        self.last_bd = self.first + flags.rfind(1) if acc else None


class BusinessDates:
    """The business-date queries of one zoned calendar (ordinals in, ordinals out)."""

    __slots__ = ("_chunks", "_index", "_last", "_lock", "_zone", "label")

    def __init__(self, index: Index, zone: tzinfo) -> None:
        self._index = index
        self._zone = zone
        self._chunks: dict[int, DateChunk] = index.store.dates
        self._lock = index.store.lock
        self._last: DateChunk | None = None
        self.label = index.label

    # -- compilation -----------------------------------------------------------------------

    def chunk(self, year: int) -> DateChunk:
        c = self._chunks.get(year)
        if c is not None:
            return c
        if year <= MIN_YEAR or year >= MAX_YEAR:
            raise NoBusinessTimeError(
                f"{self.label}: date in year {year} is outside the supported range: local dates "
                f"in the years {MIN_YEAR + 1}-{MAX_YEAR - 1} (see docs/limits.md)"
            )
        return cached_chunk(self._chunks, self._lock, year, lambda: DateChunk(year, self._compile(year)))

    def _compile(self, year: int) -> bytes:
        zone, between = self._zone, self._index.between
        first = date(year, 1, 1).toordinal()
        n = date(year + 1, 1, 1).toordinal() - first
        fromordinal = date.fromordinal
        place = DayWalls(zone, fromordinal(first), fromordinal(first + n))
        mids = [place(fromordinal(first + k), 0) for k in range(n + 1)]
        return bytes(1 if between(mids[k], mids[k + 1]) > 0 else 0 for k in range(n))

    def chunk_of(self, day: int) -> DateChunk:
        c = self._last
        if c is not None and c.first <= day < c.first + c.size:
            return c
        c = self.chunk(date.fromordinal(day).year)
        self._last = c
        return c

    # -- queries ---------------------------------------------------------------------------

    def is_business(self, day: int) -> bool:
        c = self.chunk_of(day)
        return c.flags[day - c.first] == 1

    def count(self, d1: int, d2: int) -> int:
        """Business dates in ``[d1, d2)``; negative (``-count(d2, d1)``) when ``d2 < d1``."""
        if d2 < d1:
            return -self.count(d2, d1)
        c = self.chunk_of(d1)
        if d2 <= c.first + c.size:
            return c.cum[d2 - c.first] - c.cum[d1 - c.first]
        total = c.total - c.cum[d1 - c.first]
        year = c.year + 1
        if date.fromordinal(d2 - 1).year - c.year > MAX_SPAN_YEARS:
            raise too_far(
                self.label,
                "b",
                f"the dates {date.fromordinal(d1).isoformat()} to {date.fromordinal(d2 - 1).isoformat()} "
                f"span more than {MAX_SPAN_YEARS} years",
            )
        while True:
            n = self.chunk(year)
            if d2 <= n.first + n.size:
                return total + n.cum[d2 - n.first]
            total += n.total
            year += 1

    def _dry(self, day: int, after: bool) -> NoBusinessTimeError:
        return NoBusinessTimeError(
            f"{self.label}: no business date within {HORIZON_YEARS} years "
            f"{'after' if after else 'before'} {date.fromordinal(day).isoformat()}"
        )

    def step(self, day: int, n: int) -> int:
        """The ``n``-th business date after ``day`` (before it when ``n < 0``); ``day`` for 0.

        Raises:
            NoBusinessTimeError: more than :data:`DRY_LIMIT` consecutive dates without open
                time lie on the way.
        """
        if abs(n) > MAX_SPAN_YEARS * 366:
            raise self._far(day, n)
        if n > 0:
            return self._forward(day, n)
        if n < 0:
            return self._backward(day, -n)
        return day

    def _far(self, day: int, n: int) -> Exception:
        return too_far(
            self.label,
            "n",
            f"{n:,} business days from {date.fromordinal(day).isoformat()} are not reached "
            f"within {MAX_SPAN_YEARS} years",
        )

    def _forward(self, day: int, need: int) -> int:
        seen = day  # the latest business date passed (or the start)
        x = day + 1
        c = self.chunk_of(x)
        k = x - c.first
        year0, need0 = c.year, need
        while True:
            cum = c.cum
            avail = c.total - cum[k]
            if avail:
                nearest = c.first + bisect_right(cum, cum[k]) - 1
                if nearest - seen - 1 > DRY_LIMIT:
                    raise self._dry(seen, True)
                if avail >= need:
                    return c.first + bisect_left(cum, cum[k] + need) - 1
                need -= avail
                seen = c.last_bd  # type: ignore[assignment]
            elif c.first + c.size - seen - 1 > DRY_LIMIT:
                raise self._dry(seen, True)
            if c.year - year0 >= MAX_SPAN_YEARS:
                raise self._far(day, need0)
            c = self.chunk(c.year + 1)
            k = 0

    def _backward(self, day: int, need: int) -> int:
        seen = day  # the earliest business date passed (or the start)
        x = day - 1
        c = self.chunk_of(x)
        k = x - c.first + 1  # dates [first, first + k) are still to search
        year0, need0 = c.year, -need
        while True:
            cum = c.cum
            avail = cum[k]
            if avail:
                nearest = c.first + bisect_left(cum, avail) - 1
                if seen - nearest - 1 > DRY_LIMIT:
                    raise self._dry(seen, False)
                if avail >= need:
                    return c.first + bisect_right(cum, avail - need) - 1
                need -= avail
                seen = c.first_bd  # type: ignore[assignment]
            elif seen - c.first > DRY_LIMIT:
                raise self._dry(seen, False)
            if year0 - c.year >= MAX_SPAN_YEARS:
                raise self._far(day, need0)
            c = self.chunk(c.year - 1)
            k = c.size

    # -- arrays ----------------------------------------------------------------------------

    def span(self, np: Any, y0: int, y1: int) -> tuple[int, Any]:
        """``(first, C)`` for local years ``y0..y1``: ``C[k]`` business dates in ``[first, first + k)``."""
        flags = b"".join(self.chunk(y).flags for y in range(y0, y1 + 1))
        cum = np.zeros(len(flags) + 1, dtype=np.int64)
        np.cumsum(np.frombuffer(flags, dtype=np.uint8), out=cum[1:])
        return date(y0, 1, 1).toordinal(), cum
