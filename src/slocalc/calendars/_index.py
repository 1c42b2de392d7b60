"""The compiled index: open intervals as sorted integer UTC microseconds.

A calendar is compiled lazily, one UTC calendar year (a *chunk*) at a time. A chunk holds
the merged open intervals clipped to ``[lo, hi)`` with their cumulative business time, so
every query is a couple of ``bisect`` calls. Intervals that touch across a chunk border are
joined again by the iteration helpers.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from slocalc._time import year_of, year_start_us
from slocalc.errors import NoBusinessTimeError, SlocalcValueError

__all__ = [
    "CHUNK_CACHE",
    "HORIZON_YEARS",
    "MAX_SPAN_YEARS",
    "Chunk",
    "Index",
    "Intervals",
    "Store",
    "cached_chunk",
    "year_of",
    "year_start_us",
]

#: how many consecutive years without open time a search crosses before giving up
HORIZON_YEARS = 10
#: the supported UTC years of instants (docs/limits.md)
MIN_YEAR = 2
MAX_YEAR = 9998
#: the most UTC years one query may traverse (``add``, ``between``, ``next_close``); a query
#: that would cross more is refused up front or when it reaches the limit (docs/limits.md)
MAX_SPAN_YEARS = 100
#: compiled chunks kept per calendar definition (older ones are compiled again when asked)
CHUNK_CACHE = 2 * MAX_SPAN_YEARS + 8

_RANGE_LO = year_start_us(MIN_YEAR)
_RANGE_HI = year_start_us(MAX_YEAR + 1)


def _iso(u: int) -> str:
    from slocalc._time import from_us

    return from_us(u).isoformat()


def _human(us: int) -> str:
    """A duration in µs for a message: whole days when large, else ``H:MM:SS``."""
    from datetime import timedelta

    days = abs(us) // 86_400_000_000
    text = f"{days:,} days" if days >= 1000 else str(timedelta(microseconds=abs(us)))
    return ("-" if us < 0 else "") + text


def too_far(label: str, param: str, what: str) -> SlocalcValueError:
    """The refusal of a query that would cross more than :data:`MAX_SPAN_YEARS` years."""
    return SlocalcValueError(
        f"{label}: {param}: {what}; one query may cover at most {MAX_SPAN_YEARS} years "
        f"within the supported years {MIN_YEAR}-{MAX_YEAR} (see docs/limits.md)",
        param=param,
        expected=f"a query covering at most {MAX_SPAN_YEARS} years",
    )


Intervals = list[tuple[int, int]]


_C = TypeVar("_C")


def cached_chunk(chunks: dict[int, _C], lock: threading.RLock, year: int, build: Callable[[], _C]) -> _C:
    """The compiled chunk of ``year`` from ``chunks``, else ``build()``'s, kept there: under
    ``lock``, in at most :data:`CHUNK_CACHE` entries (the oldest compiled is dropped first)."""
    with lock:
        c = chunks.get(year)
        if c is None:
            c = build()
            if len(chunks) >= CHUNK_CACHE:  # bounded memory: drop the oldest compiled
                del chunks[next(iter(chunks))]
            chunks[year] = c
        return c


class Chunk:
    """Open intervals of one UTC year, clipped to ``[lo, hi)``."""

    __slots__ = ("cum", "cumend", "ends", "hi", "lo", "starts", "total", "year")

    def __init__(self, year: int, intervals: Intervals) -> None:
        self.year = year
        self.lo = year_start_us(year)
        self.hi = year_start_us(year + 1)
        self.starts = [s for s, _ in intervals]
        self.ends = [e for _, e in intervals]
        cum: list[int] = []
        cumend: list[int] = []
        acc = 0
        for s, e in intervals:
            cum.append(acc)
            acc += e - s
            cumend.append(acc)
        self.cum = cum
        self.cumend = cumend
        self.total = acc

    def pairs(self) -> Intervals:
        return list(zip(self.starts, self.ends, strict=True))

    def busy(self, u: int) -> int:
        """Business time in ``[lo, u)`` for ``lo <= u <= hi``."""
        i = bisect_right(self.starts, u) - 1
        if i < 0:
            return 0
        e = self.ends[i]
        return self.cum[i] + (u if u < e else e) - self.starts[i]


def merge(intervals: Intervals) -> Intervals:
    """Sort and merge touching or overlapping half-open intervals, dropping empty ones."""
    out: Intervals = []
    for s, e in sorted(intervals):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def clip(intervals: Intervals, lo: int, hi: int) -> Intervals:
    """Clip merged intervals to ``[lo, hi)``."""
    return [(max(s, lo), min(e, hi)) for s, e in intervals if e > lo and s < hi]


def subtract(a: Intervals, b: Intervals) -> Intervals:
    """``a`` minus ``b``, both merged and sorted."""
    out: Intervals = []
    j = 0
    for s, e in a:
        cur = s
        while j < len(b) and b[j][1] <= cur:
            j += 1
        k = j
        while k < len(b) and b[k][0] < e:
            bs, be = b[k]
            if bs > cur:
                out.append((cur, bs))
            cur = max(cur, be)
            if cur >= e:
                break
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def intersect(a: Intervals, b: Intervals) -> Intervals:
    """Intersection of two merged, sorted interval lists."""
    out: Intervals = []
    i = j = 0
    while i < len(a) and j < len(b):
        s = max(a[i][0], b[j][0])
        e = min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


class Store:
    """The compiled chunks of one calendar definition, shared by every equal calendar:
    open intervals per UTC year, and business dates per local year (zoned calendars)."""

    __slots__ = ("chunks", "dates", "lock")

    def __init__(self) -> None:
        self.chunks: dict[int, Chunk] = {}
        self.dates: dict[int, Any] = {}  # local year -> _dates.DateChunk
        self.lock = threading.RLock()


class Index:
    """Lazily compiled, thread-safe chunks of one calendar, and the queries over them.

    Each calendar has its own ``Index`` (its label names it in errors); equal calendars
    share one :class:`Store`, so a definition is compiled once.
    """

    __slots__ = ("_chunks", "_compile", "_last", "_lock", "label", "store")

    def __init__(
        self, compile_year: Callable[[int, int, int], Intervals], label: str, store: Store | None = None
    ) -> None:
        store = Store() if store is None else store
        self.store = store
        self._compile = compile_year
        self._chunks = store.chunks
        self._lock = store.lock
        self._last: Chunk | None = None
        self.label = label

    def chunk(self, year: int) -> Chunk:
        c = self._chunks.get(year)
        if c is not None:
            return c
        if year < MIN_YEAR or year > MAX_YEAR:
            raise NoBusinessTimeError(
                f"{self.label}: instant in year {year} is outside the supported range: UTC years "
                f"{MIN_YEAR}-{MAX_YEAR} (see docs/limits.md)"
            )
        lo, hi = year_start_us(year), year_start_us(year + 1)
        return cached_chunk(
            self._chunks,
            self._lock,
            year,
            lambda: Chunk(year, clip(merge(self._compile(year, lo, hi)), lo, hi)),
        )

    def year(self, u: int) -> int:
        """The UTC year of ``u``, refusing an instant outside the supported years (even one
        whose year ``datetime`` cannot hold, such as year 0 or 10000)."""
        if _RANGE_LO <= u < _RANGE_HI:
            return year_of(u)
        from datetime import timedelta

        from slocalc._time import EPOCH

        try:
            shown = (EPOCH + timedelta(microseconds=u)).isoformat()
        except OverflowError:
            shown = f"{'before 0001' if u < 0 else 'after 9999'} (UTC)"
        raise NoBusinessTimeError(
            f"{self.label}: instant {shown} is outside the supported range: UTC years "
            f"{MIN_YEAR}-{MAX_YEAR} (see docs/limits.md)"
        )

    def chunk_for(self, u: int) -> Chunk:
        c = self._last
        if c is not None and c.lo <= u < c.hi:
            return c
        c = self.chunk(self.year(u))
        self._last = c
        return c

    def _no_time(self, u: int, direction: str) -> NoBusinessTimeError:
        from slocalc._time import from_us

        return NoBusinessTimeError(
            f"{self.label}: no open time within {HORIZON_YEARS} years {direction} "
            f"{from_us(u).isoformat()}; the calendar never opens there"
        )

    # -- scalar queries (all in UTC microseconds) ------------------------------------------

    def is_open(self, u: int) -> bool:
        c = self.chunk_for(u)
        i = bisect_right(c.starts, u) - 1
        return i >= 0 and u < c.ends[i]

    def next_open(self, u: int) -> int:
        c = self.chunk_for(u)
        i = bisect_right(c.starts, u) - 1
        if i >= 0 and u < c.ends[i]:
            return u
        if i + 1 < len(c.starts):
            return c.starts[i + 1]
        for k in range(1, HORIZON_YEARS + 2):
            n = self.chunk(c.year + k)
            if n.starts:
                return n.starts[0]
        raise self._no_time(u, "after")

    def last_business(self, u: int) -> int:
        """``u`` if open, else the close that ends the latest open interval before ``u``."""
        c = self.chunk_for(u)
        i = bisect_right(c.starts, u) - 1
        if i >= 0:
            e = c.ends[i]
            return u if u < e else e
        # no interval starts in u's chunk up to u, so one that ends a chunk earlier is a close
        for k in range(1, HORIZON_YEARS + 2):
            p = self.chunk(c.year - k)
            if p.ends:
                return p.ends[-1]
        raise self._no_time(u, "before")

    def next_close(self, u: int) -> int | None:
        """The close ending the open interval at or after ``u``; ``None`` when that interval
        runs past :data:`MAX_SPAN_YEARS` UTC years after the year it starts in, or past the
        end of the supported range (docs/limits.md)."""
        s = self.next_open(u)
        c = self.chunk_for(s)
        i = bisect_right(c.starts, s) - 1
        end = c.ends[i]
        year = c.year
        # An interval clipped at the chunk's end may go on in the next chunk(s).
        while end == year_start_us(year + 1):
            if year + 1 - c.year > MAX_SPAN_YEARS or year + 1 > MAX_YEAR:
                return None
            year += 1
            n = self.chunk(year)
            if not n.starts or n.starts[0] != end:
                break
            end = n.ends[0]
        return end

    def between(self, a: int, b: int) -> int:
        if b < a:
            return -self.between(b, a)
        ca = self.chunk_for(a)
        if b < ca.hi:
            return ca.busy(b) - ca.busy(a)
        yb = self.year(b)
        if yb - ca.year > MAX_SPAN_YEARS:
            raise too_far(self.label, "b", f"the span {_iso(a)} to {_iso(b)} covers {yb - ca.year + 1} years")
        cb = self.chunk(yb)
        total = ca.total - ca.busy(a)
        for y in range(ca.year + 1, cb.year):
            total += self.chunk(y).total
        return total + cb.busy(b)

    def _check_add(self, u: int, d: int) -> None:
        """Refuse up front a duration that cannot end inside the supported range: business
        time never runs faster than the clock."""
        room = _RANGE_HI - u if d > 0 else u - _RANGE_LO
        if abs(d) > room:
            raise SlocalcValueError(
                f"{self.label}: d: {_human(d)} of business time from {_iso(u)} would end "
                f"outside the supported years {MIN_YEAR}-{MAX_YEAR} (see docs/limits.md)",
                param="d",
                expected=f"a duration that ends within the years {MIN_YEAR}-{MAX_YEAR}",
            )

    def _far(self, u: int, d: int) -> SlocalcValueError:
        return too_far(
            self.label,
            "d",
            f"{_human(d)} of business time from {_iso(u)} is not reached within {MAX_SPAN_YEARS} years",
        )

    def _leaving(self, c: Chunk, first: int, empty_years: int, u: int, d: int) -> int:
        """``add(u, d)`` leaves chunk ``c`` (the search began in year ``first``) after
        ``empty_years`` years without open time: the count of those now. Refuses a search
        longer than :data:`MAX_SPAN_YEARS` and more than :data:`HORIZON_YEARS` empty years
        in a row (off the hot path: only a search that leaves its year comes here)."""
        if abs(c.year - first) >= MAX_SPAN_YEARS:
            raise self._far(u, d)
        if c.total:
            return 0
        if empty_years >= HORIZON_YEARS:
            raise self._no_time(u, "after" if d > 0 else "before")
        return empty_years + 1

    def add(self, u: int, d: int) -> int:
        if d == 0:
            return u
        c = self.chunk_for(u)  # refuses an instant outside the supported range
        if d > 0:
            target = c.busy(u) + d
            if target > c.total:  # leaves u's year: the bounds are checked off the hot path
                self._check_add(u, d)
                first = c.year
                empty_years = 0
                while target > c.total:
                    empty_years = self._leaving(c, first, empty_years, u, d)
                    target -= c.total
                    c = self.chunk(c.year + 1)
            i = bisect_left(c.cumend, target)
            return c.starts[i] + (target - c.cum[i])
        target = c.busy(u) + d
        if target < 0 or (target == 0 and not c.starts):
            self._check_add(u, d)
            first = c.year
            empty_years = 0
            while target < 0 or (target == 0 and not c.starts):
                empty_years = self._leaving(c, first, empty_years, u, d)
                c = self.chunk(c.year - 1)
                target += c.total
        i = bisect_right(c.cum, target) - 1
        return c.starts[i] + (target - c.cum[i])

    def iter_intervals(self, a: int, b: int) -> Iterator[tuple[int, int]]:
        """Open intervals clipped to ``[a, b)``, joined across chunk borders.

        Both ends are checked against the supported range at the call; the intervals are
        compiled as they are consumed (memory stays bounded however long the range).
        """
        if b <= a:
            return iter(())
        return self._iter(self.year(a), self.year(b - 1), a, b)

    def _iter(self, year: int, last_year: int, a: int, b: int) -> Iterator[tuple[int, int]]:
        pending: tuple[int, int] | None = None
        while year <= last_year:
            c = self.chunk(year)
            i = max(bisect_right(c.starts, a) - 1, 0)
            for k in range(i, len(c.starts)):
                s, e = c.starts[k], c.ends[k]
                if e <= a:
                    continue
                if s >= b:
                    break
                s, e = max(s, a), min(e, b)
                if pending is not None and pending[1] == s:
                    pending = (pending[0], e)
                else:
                    if pending is not None:
                        yield pending
                    pending = (s, e)
            year += 1
        if pending is not None:
            yield pending

    def raw_intervals(self, year: int) -> Intervals:
        return self.chunk(year).pairs()
