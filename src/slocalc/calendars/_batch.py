"""Vectorised queries: the ``*_many`` forms of every calendar query.

Instants are ``int64`` UTC microseconds inside; containers are translated at the edges
(:func:`instants_in`, :func:`instants_out`). Every query is numpy ``searchsorted`` over the
compiled chunks of the years a batch touches, concatenated (:class:`_Span`), and business
dates over the compiled date chunks (:meth:`BusinessDates.span`). Scalar work happens
once per *distinct* value at most, and only where an answer lies outside the arrays
(beyond the years compiled, or past the 10-year horizon), so every answer and every error
is the scalar query's. Sequences of aware datetimes work without numpy too (one scalar
query each).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from slocalc._time import ONE_US, US_PER_DAY, from_us, year_of, year_start_us
from slocalc.calendars._base import _aware_us
from slocalc.calendars._dates import DRY_LIMIT
from slocalc.calendars._index import HORIZON_YEARS, MAX_YEAR, MIN_YEAR, Index
from slocalc.errors import NoBusinessTimeError, SlocalcTypeError, SlocalcValueError

if TYPE_CHECKING:  # pragma: no cover
    from slocalc.calendars._base import Calendar
    from slocalc.calendars._zoned import ZonedCalendar

__all__ = ["NEVER_US"]

#: the "missing" marker of ``int64`` results: no open time / never closes within 10 years
NEVER_US = 2**63 - 1
_NAT = -(2**63)
_EPOCH_ORD = date(1970, 1, 1).toordinal()


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # pragma: no cover - exercised only without numpy
        return None
    return numpy


# -- containers ------------------------------------------------------------------------------


def _is_array(np: Any, x: Any) -> bool:
    return np is not None and isinstance(x, np.ndarray)


def _as_us_array(np: Any, x: Any, param: str) -> tuple[Any, str]:
    """(int64 µs array, kind) for a datetime64 or int64 array."""
    if np.issubdtype(x.dtype, np.datetime64):
        return x.astype("datetime64[us]").astype(np.int64), "datetime64"
    if np.issubdtype(x.dtype, np.integer):
        return x.astype(np.int64, copy=False), "int64"
    raise SlocalcTypeError(
        f"{param}: expected a numpy datetime64 or int64 (UTC microseconds) array, got dtype {x.dtype}"
    )


def _as_list(x: Any, param: str) -> list[Any]:
    if isinstance(x, list):
        return x
    if isinstance(x, (str, bytes, datetime)) or not isinstance(x, Iterable):
        raise SlocalcTypeError(
            f"{param}: expected a sequence of aware datetimes or a numpy datetime64/int64 array, "
            f"got {type(x).__name__} {x!r}"
        )
    return list(x)


def instants_in(np: Any, cal: Calendar, x: Any, param: str) -> tuple[Any, str, list[Any] | None]:
    """``(int64 µs, kind, tzinfos)``: kind is ``"datetime64"``, ``"int64"`` or ``"list"``
    (then ``tzinfos`` holds each input's tzinfo)."""
    if _is_array(np, x):
        u, kind = _as_us_array(np, x, param)
        return u, kind, None
    seq = _as_list(x, param)
    u = np.array([_aware_us(t, f"{param}[{i}]", cal) for i, t in enumerate(seq)], dtype=np.int64)
    return u, "list", [t.tzinfo for t in seq]


def instants_out(np: Any, r: Any, kind: str, tzinfos: list[Any] | None) -> Any:
    """Results in the caller's container; :data:`NEVER_US` marks a missing value."""
    if kind == "int64":
        return r
    if kind == "datetime64":
        return np.where(r == NEVER_US, _NAT, r).astype("datetime64[us]")
    assert tzinfos is not None
    return [None if v == NEVER_US else from_us(v, tz) for v, tz in zip(r.tolist(), tzinfos, strict=True)]


def _as_duration_array(np: Any, d: Any, n: int) -> Any:
    if isinstance(d, timedelta):
        return np.full(n, d // ONE_US, dtype=np.int64)
    if isinstance(d, np.ndarray):
        if np.issubdtype(d.dtype, np.timedelta64):
            arr = d.astype("timedelta64[us]").astype(np.int64)
        elif np.issubdtype(d.dtype, np.integer):
            arr = d.astype(np.int64, copy=False)
        else:
            raise SlocalcTypeError(f"d: expected timedelta64 or int64 (microseconds), got dtype {d.dtype}")
    elif isinstance(d, Iterable) and not isinstance(d, (str, bytes)):
        arr = np.array([_td_us(x) for x in d], dtype=np.int64)
    else:
        raise SlocalcTypeError(
            f"d: expected a datetime.timedelta or one per instant, got {type(d).__name__} {d!r}"
        )
    if arr.shape != (n,):
        got = arr.shape[0] if arr.ndim == 1 else f"shape {arr.shape}"
        raise SlocalcValueError(f"d: expected {n} durations to match the instants, got {got}")
    return arr


def _td_us(x: object) -> int:
    if not isinstance(x, timedelta):
        raise SlocalcTypeError(f"d: expected datetime.timedelta values, got {type(x).__name__} {x!r}")
    return x // ONE_US


def _as_day_counts(np: Any, n: Any, size: int) -> Any:
    if isinstance(n, bool):
        raise SlocalcTypeError(f"n: expected a whole number of business days, got {n!r}")
    if isinstance(n, int):
        return np.full(size, n, dtype=np.int64)
    if isinstance(n, np.ndarray):
        if n.dtype == np.bool_ or not np.issubdtype(n.dtype, np.integer):
            raise SlocalcTypeError(f"n: expected an int or an integer array, got dtype {n.dtype}")
        arr = n.astype(np.int64, copy=False)
    elif isinstance(n, Iterable) and not isinstance(n, (str, bytes)):
        vals = list(n)
        for v in vals:
            if isinstance(v, bool) or not isinstance(v, int):
                raise SlocalcTypeError(f"n: expected whole numbers of business days, got {v!r}")
        arr = np.array(vals, dtype=np.int64)
    else:
        raise SlocalcTypeError(f"n: expected a whole number of business days, got {n!r}")
    if arr.shape != (size,):
        got = arr.shape[0] if arr.ndim == 1 else f"shape {arr.shape}"
        raise SlocalcValueError(f"n: expected {size} day counts to match the instants, got {got}")
    return arr


def _pair(np: Any, cal: Calendar, a: Any, b: Any) -> tuple[Any, Any, str, list[Any] | None]:
    ua, kind, tza = instants_in(np, cal, a, "a")
    ub, _, _ = instants_in(np, cal, b, "b")
    if ua.shape != ub.shape:
        what = "arrays" if kind != "list" else "sequences"
        got = (ua.shape, ub.shape) if kind != "list" else (len(ua), len(ub))
        raise SlocalcValueError(
            f"a, b: expected {what} of one {'shape' if kind != 'list' else 'length'}, "
            f"got {got[0]} and {got[1]}"
        )
    return ua, ub, kind, tza


def _scalar_each(np: Any, u: Any, fn: Callable[[int], int], out: Any, where: Any) -> None:
    """``out[i] = fn(u[i])`` where ``where`` holds, calling ``fn`` once per distinct value."""
    idx = np.flatnonzero(where)
    if not len(idx):
        return
    vals, inverse = np.unique(u[idx], return_inverse=True)
    res = np.array([fn(int(v)) for v in vals.tolist()], dtype=np.int64)
    out[idx] = res[inverse.reshape(-1)]


# -- interval spans --------------------------------------------------------------------------


class _Span:
    """Concatenated intervals of UTC years ``y0..y1`` with a global cumulative sum."""

    def __init__(self, np: Any, index: Index, y0: int, y1: int) -> None:
        self.y0, self.y1 = y0, y1
        self.hi = year_start_us(y1 + 1)
        starts: list[int] = []
        ends: list[int] = []
        for y in range(y0, y1 + 1):
            c = index.chunk(y)
            starts.extend(c.starts)
            ends.extend(c.ends)
        self.starts = np.array(starts, dtype=np.int64)
        self.ends = np.array(ends, dtype=np.int64)
        lengths = self.ends - self.starts
        self.cumend = np.cumsum(lengths)
        self.cum = self.cumend - lengths
        self.total = int(self.cumend[-1]) if len(lengths) else 0

    def busy(self, np: Any, u: Any) -> Any:
        if len(self.starts) == 0:
            return np.zeros_like(u)
        i = np.searchsorted(self.starts, u, side="right") - 1
        safe = np.maximum(i, 0)
        val = self.cum[safe] + np.minimum(u, self.ends[safe]) - self.starts[safe]
        return np.where(i >= 0, val, 0)

    def run_ends(self, np: Any) -> Any:
        """For each interval, the end of the run of touching intervals it starts or joins."""
        n = len(self.starts)
        if n == 0:
            return self.ends
        new = np.empty(n, dtype=bool)
        new[0] = True
        new[1:] = self.starts[1:] != self.ends[:-1]
        group = np.cumsum(new) - 1
        last = np.append(np.flatnonzero(new)[1:] - 1, n - 1)
        return self.ends[last][group]


def _years(u: Any) -> tuple[int, int]:
    return year_of(int(u.min())), year_of(int(u.max()))


def _no_time(index: Index) -> NoBusinessTimeError:
    return NoBusinessTimeError(f"{index.label}: no open time within {HORIZON_YEARS} years")


# -- the µs cores ----------------------------------------------------------------------------


def is_open_us(np: Any, index: Index, u: Any) -> Any:
    if len(u) == 0:
        return np.zeros(0, dtype=bool)
    span = _Span(np, index, *_years(u))
    if len(span.starts) == 0:
        return np.zeros(len(u), dtype=bool)
    i = np.searchsorted(span.starts, u, side="right") - 1
    return (i >= 0) & (u < span.ends[np.maximum(i, 0)])


def next_open_us(np: Any, index: Index, u: Any, *, strict: bool = True) -> Any:
    out = np.full(len(u), NEVER_US, dtype=np.int64)
    if len(u) == 0:
        return out
    y0, y1 = _years(u)
    span = _Span(np, index, y0, min(y1 + 1, MAX_YEAR))
    n = len(span.ends)
    i = np.searchsorted(span.ends, u, side="right")  # the first interval ending after u
    found = i < n
    if n:
        out[found] = np.maximum(u[found], span.starts[i[found]])

    def scalar(v: int) -> int:
        try:
            return index.next_open(v)
        except NoBusinessTimeError:
            if strict:
                raise
            return NEVER_US

    _scalar_each(np, u, scalar, out, ~found)
    return out


def last_business_us(np: Any, index: Index, u: Any) -> Any:
    """``Index.last_business`` for each instant: ``u`` if open, else the latest close before it."""
    out = np.full(len(u), NEVER_US, dtype=np.int64)
    if len(u) == 0:
        return out
    y0, y1 = _years(u)
    span = _Span(np, index, max(y0 - 1, MIN_YEAR), y1)
    i = np.searchsorted(span.starts, u, side="right") - 1
    found = i >= 0
    if len(span.starts):
        j = i[found]
        out[found] = np.minimum(u[found], span.ends[j])
    _scalar_each(np, u, index.last_business, out, ~found)
    return out


def next_close_us(np: Any, index: Index, u: Any) -> Any:
    out = np.full(len(u), NEVER_US, dtype=np.int64)
    if len(u) == 0:
        return out
    y0, y1 = _years(u)
    span = _Span(np, index, y0, min(y1 + 1, MAX_YEAR))
    n = len(span.ends)
    i = np.searchsorted(span.ends, u, side="right")
    found = i < n
    later = ~found
    if n:
        j = i[found]
        s = np.maximum(u[found], span.starts[j])
        end = span.run_ends(np)[j]
        out[found] = end
        # a run cut by the span's end may go on in later years, and one reaching 11 UTC
        # years past its start's year never closes: ask the scalar engine about both
        starts = np.array([year_start_us(y) for y in range(y0, span.y1 + 2)], dtype=np.int64)
        year = np.searchsorted(starts, s, side="right") - 1
        horizon = np.array(
            [year_start_us(y + HORIZON_YEARS + 1) for y in range(y0, span.y1 + 1)], dtype=np.int64
        )
        later[found] = (end == span.hi) | (end >= horizon[year])

    def scalar(v: int) -> int:
        r = index.next_close(v)
        return NEVER_US if r is None else r

    _scalar_each(np, u, scalar, out, later)
    return out


def add_us(np: Any, index: Index, u: Any, d: Any) -> Any:
    out = u.copy()
    if len(u) == 0:
        return out
    y0, y1 = _years(u)
    pos = d > 0
    if pos.any():
        up, dp = u[pos], d[pos]
        hi, dry = y1, 0
        span = _Span(np, index, y0, hi)
        target = span.busy(np, up) + dp  # business time from the start of year y0
        while int(target.max()) > span.total:
            hi += 1  # extend forward until every target lies inside the span
            dry = dry + 1 if index.chunk(hi).total == 0 else 0
            if dry > HORIZON_YEARS:
                raise _no_time(index)
            span = _Span(np, index, y0, hi)
        i = np.searchsorted(span.cumend, target, side="left")
        out[pos] = span.starts[i] + (target - span.cum[i])
    neg = d < 0
    if neg.any():
        un, dn = u[neg], d[neg]
        lo, dry = y0, 0
        span = _Span(np, index, lo, y1)
        target = span.busy(np, un) + dn
        while int(target.min()) < 0:
            lo -= 1  # extend backward; the origin moves, so targets are recomputed
            dry = dry + 1 if index.chunk(lo).total == 0 else 0
            if dry > HORIZON_YEARS:
                raise _no_time(index)
            span = _Span(np, index, lo, y1)
            target = span.busy(np, un) + dn
        i = np.searchsorted(span.cum, target, side="right") - 1
        out[neg] = span.starts[i] + (target - span.cum[i])
    return out


def between_us(np: Any, index: Index, ua: Any, ub: Any) -> Any:
    if len(ua) == 0:
        return np.zeros(0, dtype=np.int64)
    lo = min(int(ua.min()), int(ub.min()))
    hi = max(int(ua.max()), int(ub.max()))
    span = _Span(np, index, year_of(lo), year_of(hi))
    return span.busy(np, ub) - span.busy(np, ua)


# -- business dates ----------------------------------------------------------------------------


def _local_ordinals(np: Any, cal: ZonedCalendar, u: Any) -> tuple[Any, Any]:
    """(local date ordinals, local time of day µs) of instants ``u`` in the calendar's zone."""
    from slocalc.calendars._zones import ZoneTable

    local = ZoneTable(cal.zone, int(u.min()), int(u.max())).local(u)
    day = local // US_PER_DAY
    return day + _EPOCH_ORD, local - day * US_PER_DAY


def _dry_run_too_long(np: Any, cum: Any) -> bool:
    """Whether the span holds a run of more than :data:`DRY_LIMIT` dates without open time."""
    where = np.flatnonzero(np.diff(cum))
    edges = np.concatenate(([-1], where, [len(cum) - 1]))
    return bool(len(edges) and int(np.diff(edges).max()) - 1 > DRY_LIMIT)


def step_ordinals(np: Any, cal: ZonedCalendar, ords: Any, n: Any) -> Any:
    """``BusinessDates.step`` for arrays of ordinals and counts."""
    dates = cal._dates
    out = ords.copy()
    if len(ords) == 0:
        return out
    lo_y = date.fromordinal(int(ords.min())).year
    hi_y = date.fromordinal(int(ords.max())).year
    fwd = max(int(n.max()), 0)
    back = max(-int(n.min()), 0)
    todo = n != 0
    for attempt in range(2):
        if not todo.any():
            return out
        y0 = max(lo_y - 1 - back // 200, MIN_YEAR + 1)
        y1 = min(hi_y + 1 + fwd // 200, MAX_YEAR - 1)
        first, cum = dates.span(np, y0, y1)
        if _dry_run_too_long(np, cum):
            break  # the scalar walk decides where the horizon stops it
        top = int(cum[-1])
        idx = ords - first
        pos = todo & (n > 0)
        if pos.any():
            t = cum[idx[pos] + 1] + n[pos]
            ok = t <= top
            j = np.searchsorted(cum, t[ok], side="left")
            sel = np.flatnonzero(pos)[ok]
            out[sel] = first + j - 1
            todo[sel] = False
        neg = todo & (n < 0)
        if neg.any():
            t = cum[idx[neg]] + n[neg]
            ok = t >= 0
            j = np.searchsorted(cum, t[ok], side="right") - 1
            sel = np.flatnonzero(neg)[ok]
            out[sel] = first + j
            todo[sel] = False
        if attempt == 0 and top:
            # widen by the density measured: enough years for the largest step, twice over
            per_year = max(top // (y1 - y0 + 1), 1)
            fwd = 2 * fwd * 200 // per_year
            back = 2 * back * 200 // per_year
    idx = np.flatnonzero(todo)
    for i in idx.tolist():
        out[i] = dates.step(int(ords[i]), int(n[i]))
    return out


def add_days_us(np: Any, cal: ZonedCalendar, u: Any, n: Any) -> Any:
    from slocalc.calendars._zones import ZoneTable

    if len(u) == 0:
        return u.copy()
    s = np.empty_like(u)
    back = n < 0
    if back.any():
        s[back] = last_business_us(np, cal._index, u[back])
    if not back.all():
        s[~back] = next_open_us(np, cal._index, u[~back])
    ords, tod = _local_ordinals(np, cal, s)
    target = step_ordinals(np, cal, ords, n)
    walls = (target - _EPOCH_ORD) * US_PER_DAY + tod
    placed = ZoneTable(cal.zone, int(walls.min()) - US_PER_DAY, int(walls.max()) + US_PER_DAY).place(walls)
    return np.where(n == 0, s, placed)


def days_between_us(np: Any, cal: ZonedCalendar, ua: Any, ub: Any) -> Any:
    if len(ua) == 0:
        return np.zeros(0, dtype=np.int64)
    da, _ = _local_ordinals(np, cal, ua)
    db, _ = _local_ordinals(np, cal, ub)
    lo = min(int(da.min()), int(db.min())) + 1
    hi = max(int(da.max()), int(db.max())) + 1
    first, cum = cal._dates.span(np, date.fromordinal(lo).year, date.fromordinal(hi).year)
    return cum[db + 1 - first] - cum[da + 1 - first]


# -- the public forms ---------------------------------------------------------------------------


def _seq_scalar(fn: Callable[..., Any], *cols: Sequence[Any]) -> list[Any]:
    return [fn(*row) for row in zip(*cols, strict=True)]


def _seq_pairs(fn: Callable[[Any, Any], Any], a: Any, b: Any) -> list[Any]:
    """``fn`` over two sequences of one length (the path without numpy)."""
    a_list, b_list = _as_list(a, "a"), _as_list(b, "b")
    if len(a_list) != len(b_list):
        raise SlocalcValueError(
            f"a, b: expected sequences of one length, got {len(a_list)} and {len(b_list)}"
        )
    return _seq_scalar(fn, a_list, b_list)


def is_open_many(cal: Calendar, ts: Any) -> Any:
    np = _numpy()
    if np is None:
        return [cal.is_open(t) for t in _as_list(ts, "ts")]
    u, kind, _ = instants_in(np, cal, ts, "ts")
    res = is_open_us(np, cal._index, u)
    return res.tolist() if kind == "list" else res


def next_open_many(cal: Calendar, ts: Any, strict: bool) -> Any:
    np = _numpy()
    if np is None:
        out: list[datetime | None] = []
        for t in _as_list(ts, "ts"):
            try:
                out.append(cal.next_open(t))
            except NoBusinessTimeError:
                if strict:
                    raise
                out.append(None)
        return out
    u, kind, tz = instants_in(np, cal, ts, "ts")
    return instants_out(np, next_open_us(np, cal._index, u, strict=strict), kind, tz)


def next_close_many(cal: Calendar, ts: Any) -> Any:
    np = _numpy()
    if np is None:
        return [cal.next_close(t) for t in _as_list(ts, "ts")]
    u, kind, tz = instants_in(np, cal, ts, "ts")
    return instants_out(np, next_close_us(np, cal._index, u), kind, tz)


def add_many(cal: Calendar, starts: Any, d: Any) -> Any:
    """Vectorised :meth:`Calendar.add`; see :meth:`Calendar.add_many`."""
    np = _numpy()
    if np is None:
        seq = _as_list(starts, "starts")
        if isinstance(d, timedelta):
            return [cal.add(t, d) for t in seq]
        ds = list(d)
        if len(ds) != len(seq):
            raise SlocalcValueError(f"d: expected {len(seq)} durations to match the instants, got {len(ds)}")
        return _seq_scalar(cal.add, seq, ds)
    u, kind, tz = instants_in(np, cal, starts, "starts")
    dur = _as_duration_array(np, d, len(u))
    return instants_out(np, add_us(np, cal._index, u, dur), kind, tz)


def between_many(cal: Calendar, a: Any, b: Any) -> Any:
    """Vectorised :meth:`Calendar.between`; see :meth:`Calendar.between_many`."""
    np = _numpy()
    if np is None:
        return _seq_pairs(cal.between, a, b)
    ua, ub, kind, _ = _pair(np, cal, a, b)
    res = between_us(np, cal._index, ua, ub)
    if kind == "list":
        return [timedelta(microseconds=v) for v in res.tolist()]
    return res.astype("timedelta64[us]") if kind == "datetime64" else res


def add_days_many(cal: ZonedCalendar, ts: Any, n: Any) -> Any:
    np = _numpy()
    if np is None:
        seq = _as_list(ts, "ts")
        ns = [n] * len(seq) if isinstance(n, int) else list(n)
        if len(ns) != len(seq):
            raise SlocalcValueError(f"n: expected {len(seq)} day counts to match the instants, got {len(ns)}")
        return _seq_scalar(cal.add_days, seq, ns)
    u, kind, tz = instants_in(np, cal, ts, "ts")
    counts = _as_day_counts(np, n, len(u))
    return instants_out(np, add_days_us(np, cal, u, counts), kind, tz)


def days_between_many(cal: ZonedCalendar, a: Any, b: Any) -> Any:
    np = _numpy()
    if np is None:
        return _seq_pairs(cal.days_between, a, b)
    ua, ub, kind, _ = _pair(np, cal, a, b)
    res = days_between_us(np, cal, ua, ub)
    return res.tolist() if kind == "list" else res
