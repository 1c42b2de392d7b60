"""A deliberately slow, obviously-correct reference for the calendar engine.

Nothing here imports the engine: only :mod:`slocalc.errors` for the exception class the
engine must raise. The reference

* walks local dates one by one and applies the day rule of docs/concepts/business-days.md literally: a day's own
  ranges are its override if it has one, else nothing if it is a holiday, else the weekly
  hours of its weekday; an overnight range spills into the next date; a holiday that is not
  overridden closes its whole local date (so it also cuts the tail of the previous night);
* places every wall-clock boundary by scanning the zone's UTC offsets hour by hour,
  bisecting each offset change to the microsecond, and taking the earliest instant whose
  local reading is ``>=`` the wanted wall time (so a gap boundary is the transition
  instant and a fold boundary its first occurrence);
* turns the pieces into UTC microsecond intervals, merges them, and answers every query by
  walking those intervals.

Instants are integers: microseconds since 1970-01-01 UTC. Nothing is fast, and nothing
needs to be: tests cache what they compute per calendar.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from slocalc.errors import NoBusinessTimeError

US = 1_000_000
HOUR = 3600 * US
DAY = 24 * HOUR
HORIZON = 10 * 366 * DAY  # "10 years": a little over, see the tests' margins
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Interval = tuple[int, int]
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# --------------------------------------------------------------------------- instants


def us_of(dt: datetime) -> int:
    """Exact microseconds since the epoch of an aware datetime."""
    assert dt.utcoffset() is not None, dt
    delta = dt - EPOCH  # aware subtraction: exact, honours fold
    return (delta.days * 86_400 + delta.seconds) * US + delta.microseconds


def dt_of(us: int, tz: tzinfo) -> datetime:
    """The aware datetime of instant ``us`` expressed in ``tz``."""
    return (EPOCH + timedelta(microseconds=us)).astimezone(tz)


def offset_at(zone: ZoneInfo, us: int) -> int:
    """UTC offset of ``zone`` at instant ``us``, in microseconds."""
    off = dt_of(us, zone).utcoffset()
    assert off is not None
    return (off.days * 86_400 + off.seconds) * US + off.microseconds


def wall_us(wall: datetime) -> int:
    """A naive wall reading as a number (microseconds, as if it were UTC)."""
    return us_of(wall.replace(tzinfo=UTC))


def local_date(zone: ZoneInfo, us: int) -> date:
    return dt_of(us, zone).date()


def offset_changes(zone: ZoneInfo, lo: int, hi: int) -> list[int]:
    """Every instant in ``(lo, hi]`` where ``zone``'s UTC offset changes (scan hourly, then
    bisect each change to the microsecond: the first instant with the new offset)."""
    out = []
    u = lo
    while u < hi:
        v = min(u + HOUR, hi)
        if offset_at(zone, u) != offset_at(zone, v):
            a, b = u, v
            target = offset_at(zone, v)
            while b - a > 1:
                m = (a + b) // 2
                if offset_at(zone, m) == target:
                    b = m
                else:
                    a = m
            out.append(b)
        u = v
    return out


@functools.lru_cache(maxsize=200_000)
def boundary(zone: ZoneInfo, wall: datetime) -> int:
    """The earliest instant whose local reading in ``zone`` is ``>= wall``.

    Offsets are within +-15 h, so the answer lies in ``[W - 15h, W + 15h]`` (W read as UTC).
    Split that window into pieces of constant offset (:func:`offset_changes`); within a
    piece the local reading ``u + off`` increases, so the earliest ``u`` with
    ``u + off >= W`` is ``max(piece start, W - off)`` when that lies in the piece.
    """
    w = wall_us(wall)
    lo, hi = w - 15 * HOUR, w + 15 * HOUR
    cuts = [lo, *offset_changes(zone, lo, hi), hi + 1]
    best = None
    for start, end in itertools.pairwise(cuts):
        cand = max(start, w - offset_at(zone, start))
        if cand < end and (best is None or cand < best):
            best = cand
    assert best is not None
    return best


# --------------------------------------------------------------------------- hours


def parse_ranges(text: str) -> list[tuple[int, int]]:
    """``"08:00-12:00,22:00-06:00"`` -> ``[(480, 720), (1320, 1800)]`` (minutes from D 00:00)."""
    if text.strip().lower() == "closed":
        return []
    out = []
    for token in text.split(","):
        a, b = token.strip().split("-")
        ha, ma = (int(x) for x in a.split(":"))
        hb, mb = (int(x) for x in b.split(":"))
        start, end = ha * 60 + ma, hb * 60 + mb
        assert 0 <= start < 1440, token
        assert 0 <= end <= 1440, token
        assert start != end, token
        if end < start:
            end += 1440  # overnight: ends on the next date
        out.append((start, end))
    return out


def parse_hours(text: str) -> list[list[tuple[int, int]]]:
    """The tests' own small parser for the weekly-hours grammar (Monday first)."""
    week: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    if text.strip().lower() == "closed":
        return week
    for clause in text.split(";"):
        days_s, ranges_s = clause.strip().split(None, 1)
        days: list[int] = []
        for item in days_s.split(","):
            if "-" in item:
                a, b = (DAY_NAMES.index(x.lower()) for x in item.split("-"))
                days += [(a + k) % 7 for k in range((b - a) % 7 + 1)]
            else:
                days.append(DAY_NAMES.index(item.lower()))
        for d in days:
            week[d] += parse_ranges(ranges_s)
    return week


# --------------------------------------------------------------------------- interval sets


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge touching or overlapping half-open intervals; drop empty ones."""
    out: list[Interval] = []
    for s, e in sorted(i for i in intervals if i[0] < i[1]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def member(ivs: list[Interval]) -> Callable[[int], bool]:
    """A test "does instant ``u`` lie in the merged half-open intervals ``ivs``?"."""
    starts = [s for s, _ in ivs]

    def contains(u: int) -> bool:
        i = bisect.bisect_right(starts, u) - 1
        return i >= 0 and u < ivs[i][1]

    return contains


def combine(a: list[Interval], b: list[Interval], keep: Callable[[bool, bool], bool]) -> list[Interval]:
    """Set operation on merged lists by elementary segments.

    Between two consecutive endpoints of ``a`` or ``b`` membership cannot change, so the
    segment ``[p, q)`` belongs to the result iff ``keep(p in a, p in b)``.
    """
    in_a, in_b = member(a), member(b)
    points = sorted({x for iv in a + b for x in iv})
    return merge((p, q) for p, q in itertools.pairwise(points) if keep(in_a(p), in_b(p)))


def subtract(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """``a`` minus ``b``."""
    return combine(a, b, lambda in_a, in_b: in_a and not in_b)


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """``a`` and ``b``."""
    return combine(a, b, lambda in_a, in_b: in_a and in_b)


def clip(ivs: list[Interval], a: int, b: int) -> list[Interval]:
    return [(max(s, a), min(e, b)) for s, e in ivs if max(s, a) < min(e, b)]


# --------------------------------------------------------------------------- calendars


class RefCalendar:
    """Queries shared by every reference calendar; subclasses provide :meth:`window`."""

    zone: ZoneInfo | None = None

    def window(self, a: int, b: int) -> list[Interval]:
        """Merged open intervals clipped to ``[a, b)`` (microseconds)."""
        raise NotImplementedError

    # Walking ------------------------------------------------------------------

    def forward(self, t: int) -> Iterator[Interval]:
        """Merged open intervals at or after ``t`` (the first clipped to start at ``t``).

        Stops at ``t + HORIZON``; the last interval is cut there if it runs on.
        """
        step = 8 * DAY
        cur: Interval | None = None
        lo = t
        while lo < t + HORIZON:
            hi = min(lo + step, t + HORIZON)
            for s, e in self.window(lo, hi):
                if cur is not None and s == cur[1]:
                    cur = (cur[0], e)
                    continue
                if cur is not None:
                    yield cur
                cur = (s, e)
            lo = hi
            step = min(step * 2, 400 * DAY)
        if cur is not None:
            yield cur

    def backward(self, t: int) -> Iterator[Interval]:
        """Merged open intervals before ``t``, latest first (the first clipped to end at ``t``)."""
        step = 8 * DAY
        cur: Interval | None = None
        hi = t
        while hi > t - HORIZON:
            lo = max(hi - step, t - HORIZON)
            for s, e in reversed(self.window(lo, hi)):
                if cur is not None and e == cur[0]:
                    cur = (s, cur[1])
                    continue
                if cur is not None:
                    yield cur
                cur = (s, e)
            hi = lo
            step = min(step * 2, 400 * DAY)
        if cur is not None:
            yield cur

    # Queries on microseconds ---------------------------------------------------

    def is_open_us(self, t: int) -> bool:
        return bool(self.window(t, t + 1))

    def next_open_us(self, t: int) -> int:
        for s, _ in self.forward(t):
            return s
        raise NoBusinessTimeError("reference: no open time within the horizon")

    def next_close_us(self, t: int) -> int | None:
        for _, e in self.forward(t):
            return None if e >= t + HORIZON else e
        raise NoBusinessTimeError("reference: no open time within the horizon")

    def between_us(self, a: int, b: int) -> int:
        if b < a:
            return -self.between_us(b, a)
        return sum(e - s for s, e in self.window(a, b))

    def add_us(self, t: int, d: int) -> int:
        if d == 0:
            return t
        if d > 0:
            left = d
            for s, e in self.forward(t):
                if e - s >= left:
                    return s + left
                left -= e - s
        else:
            left = -d
            for s, e in self.backward(t):
                if e - s >= left:
                    return e - left
                left -= e - s
        raise NoBusinessTimeError("reference: not enough open time within the horizon")

    # Queries on datetimes (results in the caller's tzinfo) -----------------------

    def is_open(self, t: datetime) -> bool:
        return self.is_open_us(us_of(t))

    def next_open(self, t: datetime) -> datetime:
        return dt_of(self.next_open_us(us_of(t)), t.tzinfo)  # type: ignore[arg-type]

    def next_close(self, t: datetime) -> datetime | None:
        r = self.next_close_us(us_of(t))
        return None if r is None else dt_of(r, t.tzinfo)  # type: ignore[arg-type]

    def add(self, t: datetime, d: timedelta) -> datetime:
        return dt_of(self.add_us(us_of(t), td_us(d)), t.tzinfo)  # type: ignore[arg-type]

    def between(self, a: datetime, b: datetime) -> timedelta:
        return timedelta(microseconds=self.between_us(us_of(a), us_of(b)))

    def intervals(self, a: datetime, b: datetime) -> list[tuple[datetime, datetime]]:
        tz = a.tzinfo
        return [(dt_of(s, tz), dt_of(e, tz)) for s, e in self.window(us_of(a), us_of(b))]  # type: ignore[arg-type]

    # Business days (single-zone calendars) -------------------------------------

    def is_business_date(self, d: date) -> bool:
        """Some open time in ``[boundary(d, 00:00), boundary(d + 1, 00:00))``."""
        assert self.zone is not None
        lo = boundary(self.zone, datetime.combine(d, time()))
        hi = boundary(self.zone, datetime.combine(d + timedelta(days=1), time()))
        return bool(self.window(lo, hi))

    def add_days(self, t: datetime, n: int) -> datetime:
        """``s``'s wall time on the |n|-th business date after (before) its date, where ``s``
        is ``next_open(t)`` for ``n >= 0`` and, for ``n < 0``, ``t`` if open, else the end of
        the latest open interval before ``t``."""
        assert self.zone is not None
        u = us_of(t)
        if n >= 0:
            s = self.next_open_us(u)
        elif self.is_open_us(u):
            s = u
        else:
            s = next((e for _, e in self.backward(u)), None)  # type: ignore[assignment]
            if s is None:
                raise NoBusinessTimeError("reference: no open time within the horizon")
        if n == 0:
            return dt_of(s, t.tzinfo)  # type: ignore[arg-type]
        local = dt_of(s, self.zone)
        d, wall_time = local.date(), local.replace(tzinfo=None).time()
        step = 1 if n > 0 else -1
        count = 0
        tries = 0
        while count != n:
            d += timedelta(days=step)
            tries += 1
            if tries > 3700:
                raise NoBusinessTimeError("reference: no business date within the horizon")
            if self.is_business_date(d):
                count += step
        return dt_of(boundary(self.zone, datetime.combine(d, wall_time)), t.tzinfo)  # type: ignore[arg-type]

    def days_between(self, a: datetime, b: datetime) -> int:
        """Business dates after ``a``'s local date up to and including ``b``'s, walking the
        dates one by one; minus the count the other way when ``b``'s date is earlier."""
        assert self.zone is not None
        da, db = local_date(self.zone, us_of(a)), local_date(self.zone, us_of(b))
        sign = 1
        if db < da:
            da, db, sign = db, da, -1
        count = 0
        d = da + timedelta(days=1)
        while d <= db:
            count += self.is_business_date(d)
            d += timedelta(days=1)
        return sign * count

    # Algebra --------------------------------------------------------------------

    def __or__(self, other: RefCalendar) -> RefCalendar:
        return RefCombined(self, other, "|")

    def __and__(self, other: RefCalendar) -> RefCalendar:
        return RefCombined(self, other, "&")

    def __sub__(self, other: RefCalendar) -> RefCalendar:
        return RefCombined(self, other, "-")


def td_us(d: timedelta) -> int:
    return (d.days * 86_400 + d.seconds) * US + d.microseconds


class RefAlways(RefCalendar):
    def window(self, a: int, b: int) -> list[Interval]:
        return [(a, b)] if a < b else []


class RefNever(RefCalendar):
    def window(self, a: int, b: int) -> list[Interval]:
        return []


@dataclass(eq=False)
class RefCombined(RefCalendar):
    left: RefCalendar
    right: RefCalendar
    op: str

    def window(self, a: int, b: int) -> list[Interval]:
        x, y = self.left.window(a, b), self.right.window(a, b)
        if self.op == "|":
            return merge(x + y)
        if self.op == "&":
            return intersect(x, y)
        return subtract(x, y)


@dataclass(eq=False)
class RefBusiness(RefCalendar):
    """A single-zone calendar: weekly hours, holidays and per-date overrides."""

    tz: str
    hours: str = "Mon-Fri 08:00-17:00"
    holidays: frozenset[date] = frozenset()
    overrides: Mapping[date, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.zone = ZoneInfo(self.tz)
        self.weekly = parse_hours(self.hours)
        self._days: dict[date, tuple[list[Interval], list[Interval]]] = {}

    def b(self, d: date, minute: int) -> int:
        """Boundary at ``minute`` minutes after local midnight of ``d`` (may pass 24:00)."""
        assert self.zone is not None
        return boundary(self.zone, datetime.combine(d, time()) + timedelta(minutes=minute))

    def day_pieces(self, d: date) -> tuple[list[Interval], list[Interval]]:
        """(open pieces started by date ``d``, closed window if ``d`` is a plain holiday)."""
        if d not in self._days:
            if d in self.overrides:
                ranges = parse_ranges(self.overrides[d])
            elif d in self.holidays:
                ranges = []
            else:
                ranges = self.weekly[d.weekday()]
            opens = [(self.b(d, s), self.b(d, e)) for s, e in ranges]
            closed = []
            if d in self.holidays and d not in self.overrides:
                closed = [(self.b(d, 0), self.b(d, 1440))]
            self._days[d] = (opens, closed)
        return self._days[d]

    def window(self, a: int, b: int) -> list[Interval]:
        if a >= b:
            return []
        assert self.zone is not None
        # A date's pieces lie within [D 00:00, D+2 00:00) local, so two dates of margin
        # on either side cover everything that can reach [a, b).
        first = local_date(self.zone, a) - timedelta(days=2)
        last = local_date(self.zone, b) + timedelta(days=1)
        opens: list[Interval] = []
        closed: list[Interval] = []
        d = first
        while d <= last:
            o, c = self.day_pieces(d)
            opens += o
            closed += c
            d += timedelta(days=1)
        return clip(subtract(merge(opens), merge(closed)), a, b)


@dataclass(eq=False)
class RefRecurring(RefCalendar):
    """Windows starting at each RRULE occurrence, lasting ``duration`` of wall-clock time."""

    rule: str
    start: datetime
    duration: timedelta
    tz: str

    def __post_init__(self) -> None:
        from dateutil.rrule import rrulestr

        self.zone = ZoneInfo(self.tz)
        self.dtstart = self.start.astimezone(self.zone).replace(tzinfo=None)
        self.rrule = rrulestr(self.rule, dtstart=self.dtstart)

    def window(self, a: int, b: int) -> list[Interval]:
        if a >= b:
            return []
        assert self.zone is not None
        lo = dt_of(a, self.zone).replace(tzinfo=None) - self.duration - timedelta(days=2)
        hi = dt_of(b, self.zone).replace(tzinfo=None) + timedelta(days=2)
        pieces = [
            (boundary(self.zone, occ), boundary(self.zone, occ + self.duration))
            for occ in self.rrule.between(lo, hi, inc=True)
        ]
        return clip(merge(pieces), a, b)
