"""Batch queries: ``add_many`` and ``between_many`` over arrays of instants.

With numpy installed, ``numpy.datetime64`` and ``int64`` (UTC microseconds) arrays are
answered with vectorised ``searchsorted`` over the compiled intervals of the years the batch
touches. Sequences of aware datetimes work with or without numpy (one scalar query each).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from slocalc._time import ONE_US
from slocalc.calendars._index import HORIZON_YEARS, Index, year_of
from slocalc.errors import NoBusinessTimeError, SlocalcTypeError, SlocalcValueError

if TYPE_CHECKING:  # pragma: no cover
    from slocalc.calendars._base import Calendar


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # pragma: no cover - exercised only without numpy
        return None
    return numpy


def _as_us_array(np: Any, x: Any, param: str) -> tuple[Any, str]:
    """(int64 µs array, kind) for a datetime64 or int64 array."""
    if np.issubdtype(x.dtype, np.datetime64):
        return x.astype("datetime64[us]").astype(np.int64), "datetime64"
    if np.issubdtype(x.dtype, np.integer):
        return x.astype(np.int64, copy=False), "int64"
    raise SlocalcTypeError(
        f"{param}: expected a numpy datetime64 or int64 (UTC microseconds) array, got dtype {x.dtype}"
    )


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
    else:
        arr = np.array([_td_us(x) for x in d], dtype=np.int64)
    if arr.shape != (n,):
        got = arr.shape[0] if arr.ndim == 1 else f"shape {arr.shape}"
        raise SlocalcValueError(f"d: expected {n} durations to match the instants, got {got}")
    return arr


def _td_us(x: object) -> int:
    if not isinstance(x, timedelta):
        raise SlocalcTypeError(f"d: expected datetime.timedelta values, got {type(x).__name__} {x!r}")
    return x // ONE_US


class _Span:
    """Concatenated intervals of years ``y0..y1`` with a global cumulative sum."""

    def __init__(self, np: Any, index: Index, y0: int, y1: int) -> None:
        self.y0, self.y1 = y0, y1
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
        i = np.searchsorted(self.starts, u, side="right") - 1
        safe = np.maximum(i, 0)
        if len(self.starts) == 0:
            return np.zeros_like(u)
        val = self.cum[safe] + np.minimum(u, self.ends[safe]) - self.starts[safe]
        return np.where(i >= 0, val, 0)


def _no_time(index: Index) -> NoBusinessTimeError:
    return NoBusinessTimeError(f"{index.label}: no open time within {HORIZON_YEARS} years")


def _add_us_array(np: Any, index: Index, u: Any, d: Any) -> Any:
    out = u.copy()
    if len(u) == 0:
        return out
    y0 = year_of(int(u.min()))
    y1 = year_of(int(u.max()))
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


def add_many(cal: Calendar, starts: Any, d: Any) -> Any:
    """Vectorised :meth:`Calendar.add`; see :meth:`Calendar.add_many`."""
    np = _numpy()
    if np is not None and isinstance(starts, np.ndarray):
        u, kind = _as_us_array(np, starts, "starts")
        dur = _as_duration_array(np, d, len(u))
        res = _add_us_array(np, cal._index, u, dur)
        return res.astype("datetime64[us]") if kind == "datetime64" else res
    if not isinstance(starts, Sequence) or isinstance(starts, (str, bytes)):
        starts = list(starts)
    if isinstance(d, timedelta):
        return [cal.add(t, d) for t in starts]
    ds = list(d)
    if len(ds) != len(starts):
        raise SlocalcValueError(f"d: expected {len(starts)} durations to match the instants, got {len(ds)}")
    return [cal.add(t, x) for t, x in zip(starts, ds, strict=True)]


def between_many(cal: Calendar, a: Any, b: Any) -> Any:
    """Vectorised :meth:`Calendar.between`; see :meth:`Calendar.between_many`."""
    np = _numpy()
    if np is not None and isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        ua, kind = _as_us_array(np, a, "a")
        ub, _ = _as_us_array(np, b, "b")
        if ua.shape != ub.shape:
            raise SlocalcValueError(f"a, b: expected arrays of one shape, got {ua.shape} and {ub.shape}")
        if len(ua) == 0:
            res = np.zeros(0, dtype=np.int64)
        else:
            lo = min(int(ua.min()), int(ub.min()))
            hi = max(int(ua.max()), int(ub.max()))
            span = _Span(np, cal._index, year_of(lo), year_of(hi))
            res = span.busy(np, ub) - span.busy(np, ua)
        return res.astype("timedelta64[us]") if kind == "datetime64" else res
    a_list = list(a)
    b_list = list(b)
    if len(a_list) != len(b_list):
        raise SlocalcValueError(
            f"a, b: expected sequences of one length, got {len(a_list)} and {len(b_list)}"
        )
    return [cal.between(x, y) for x, y in zip(a_list, b_list, strict=True)]
