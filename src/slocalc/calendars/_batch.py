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

import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from slocalc._time import US_PER_DAY, aware_us, from_us, like, year_of, year_start_us
from slocalc.calendars._base import _aware_us, _duration_us
from slocalc.calendars._dates import DRY_LIMIT, BusinessDates
from slocalc.calendars._index import HORIZON_YEARS, MAX_SPAN_YEARS, MAX_YEAR, MIN_YEAR, Index, too_far
from slocalc.calendars._zones import ZoneTable
from slocalc.errors import (
    NaiveDatetimeError,
    NoBusinessTimeError,
    SlocalcError,
    SlocalcTypeError,
    SlocalcValueError,
)

if TYPE_CHECKING:  # pragma: no cover
    from slocalc.calendars._base import Calendar
    from slocalc.calendars._zoned import ZonedCalendar

__all__ = ["NEVER_US", "Column", "read_column"]

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


#: the kinds of numpy integer dtypes (``np.issubdtype(dt, np.integer)``, without its cost)
_INT_KINDS = ("i", "u")


# -- containers ------------------------------------------------------------------------------
#
# A column of instants is read once into int64 UTC microseconds plus a mask of missing rows
# (NaT, None, null), computed on its present rows only, and written back in the caller's
# container: numpy arrays, pandas Series/DatetimeIndex (same index, name and zone), Polars
# Series, pyarrow arrays, or lists. See docs/guides/dataframes.md.


def _module(x: Any) -> str:
    return type(x).__module__.split(".")[0]


def _is_array(np: Any, x: Any) -> bool:
    return np is not None and isinstance(x, np.ndarray)


def _dt64_us(np: Any, x: Any, param: str) -> tuple[Any, Any]:
    """(int64 µs, missing mask or None) of a datetime64 array; sub-µs values are refused."""
    missing = np.isnat(x)
    unit = np.datetime_data(x.dtype)[0]
    if unit in ("ns", "ps", "fs", "as"):
        raw = x.view(np.int64)
        per = {"ns": 1000, "ps": 10**6, "fs": 10**9, "as": 10**12}[unit]
        sub = (raw % per != 0) & ~missing
        if sub.any():
            i = int(np.flatnonzero(sub)[0])
            raise SlocalcValueError(
                f"{param}[{i}]: {x[i]} has sub-microsecond digits; slocalc is exact to the "
                f"microsecond: round first (numpy: .astype('datetime64[us]'); pandas: .dt.floor('us'))"
            )
    u = x.astype("datetime64[us]").view(np.int64)
    return u, (missing if missing.any() else None)


def _as_us_array(np: Any, x: Any, param: str) -> tuple[Any, Any, str]:
    """(int64 µs array, missing, kind) for a datetime64 or int64 array."""
    if x.ndim != 1:
        raise SlocalcValueError(f"{param}: expected a one-dimensional array, got shape {x.shape}")
    kind = x.dtype.kind  # dtype kinds, not np.issubdtype: this runs once per engine call
    if kind == "M":
        u, missing = _dt64_us(np, x, param)
        return u, missing, "datetime64"
    if kind in _INT_KINDS:
        return x.astype(np.int64, copy=False), None, "int64"
    raise SlocalcTypeError(
        f"{param}: expected a numpy datetime64 or int64 (UTC microseconds) array, got dtype {x.dtype}"
    )


def _as_list(x: Any, param: str) -> list[Any]:
    if isinstance(x, list):
        return x
    if isinstance(x, (str, bytes, datetime)) or not isinstance(x, Iterable):
        raise SlocalcTypeError(
            f"{param}: expected a sequence of aware datetimes, a numpy datetime64/int64 array, or a "
            f"pandas/Polars/pyarrow column of aware timestamps, got {type(x).__name__} {x!r}"
        )
    return list(x)


def _is_missing(t: Any) -> bool:
    return t is None or (isinstance(t, datetime) and t != t)  # None, pandas.NaT


class Column:
    """A container of instants read as ``int64`` UTC µs (``u``) and a missing mask.

    ``kind`` is one of ``int64``, ``datetime64``, ``list``, ``pandas``, ``polars``,
    ``arrow``; :meth:`instants`, :meth:`durations`, :meth:`bools` and :meth:`ints` write
    results back into the same kind (``None``/``NaT``/null where missing).
    """

    __slots__ = ("kind", "missing", "models", "src", "tz", "u", "wrap_list")

    def __init__(self, u: Any, missing: Any, kind: str, src: Any = None, tz: Any = None) -> None:
        self.u, self.missing, self.kind, self.src, self.tz = u, missing, kind, src, tz
        self.models: list[Any] | None = None
        self.wrap_list = False

    # -- results -------------------------------------------------------------------------

    def instants(self, np: Any, r: Any) -> Any:
        """``r`` (µs, :data:`NEVER_US` = none) in this container."""
        if self.kind == "int64":
            return r
        if self.kind == "list":
            out = _list_instants(r, self.models)
            return self._pandas_list(out) if self.wrap_list else out
        stamps = np.where(r == NEVER_US, _NAT, r).view("datetime64[us]")
        if self.missing is not None:
            stamps[self.missing] = np.datetime64("NaT")
        if self.kind == "datetime64":
            return stamps
        if self.kind == "pandas":
            pd = sys.modules["pandas"]
            return self._pandas(pd.DatetimeIndex(stamps).tz_localize("UTC").tz_convert(self.tz).array)
        if self.kind == "polars":
            pl = sys.modules["polars"]
            return pl.Series(self.src.name, stamps).dt.replace_time_zone("UTC").dt.convert_time_zone(self.tz)
        pa = sys.modules["pyarrow"]
        return self._arrow(pa.array(stamps, type=pa.timestamp("us", tz=self.tz), from_pandas=True))

    def durations(self, np: Any, r: Any) -> Any:
        """Durations ``r`` (µs) in this container's duration kind."""
        if self.kind == "int64":
            return r
        if self.kind == "list":
            out = [
                None if m else timedelta(microseconds=v)
                for v, m in zip(r.tolist(), self._mask_list(), strict=True)
            ]
            return self._pandas_list(out) if self.wrap_list else out
        spans = r.view("timedelta64[us]").copy()
        if self.missing is not None:
            spans[self.missing] = np.timedelta64("NaT")
        if self.kind == "datetime64":
            return spans
        if self.kind == "pandas":
            return self._pandas(spans)
        if self.kind == "polars":
            return sys.modules["polars"].Series(self.src.name, spans)
        pa = sys.modules["pyarrow"]
        return self._arrow(pa.array(spans, type=pa.duration("us"), from_pandas=True))

    def bools(self, np: Any, r: Any) -> Any:
        """Booleans ``r``; a missing instant answers ``False`` (as NaT comparisons do)."""
        if self.missing is not None:
            r = r & ~self.missing
        return self._plain(np, r, r.tolist)

    def ints(self, np: Any, r: Any) -> Any:
        """Counts ``r``: pandas gives nullable ``Int64``, Polars/pyarrow null, numpy refuses NaT."""
        if self.missing is not None and self.kind in ("datetime64", "int64"):
            i = int(np.flatnonzero(self.missing)[0])
            raise SlocalcValueError(
                f"a, b: row {i} is NaT and an int64 array cannot hold a missing count; drop the "
                f"missing rows first, or pass pandas Series (answers Int64 with <NA>)"
            )
        if self.kind == "list":
            out = [None if m else v for v, m in zip(r.tolist(), self._mask_list(), strict=True)]
            return self._pandas_list(out) if self.wrap_list else out
        return self._plain(np, r, r.tolist, nullable="Int64")

    def _mask_list(self) -> list[bool]:
        n = len(self.u)
        return [False] * n if self.missing is None else self.missing.tolist()

    def _pandas_list(self, out: list[Any]) -> Any:
        return self._pandas(out, dtype=object)

    def _pandas(self, values: Any, **options: Any) -> Any:
        """``values`` as the pandas container the column came in: an Index or a Series."""
        pd = sys.modules["pandas"]
        if isinstance(self.src, pd.Index):
            return pd.Index(values, name=self.src.name, **options)
        return pd.Series(values, index=self.src.index, name=self.src.name, **options)

    def _arrow(self, arr: Any) -> Any:
        """The pyarrow array ``arr``, chunked when the column came chunked."""
        pa = sys.modules["pyarrow"]
        return pa.chunked_array([arr]) if isinstance(self.src, pa.ChunkedArray) else arr

    def _plain(self, np: Any, r: Any, as_list: Callable[[], list[Any]], nullable: str | None = None) -> Any:
        if self.kind in ("datetime64", "int64"):
            return r
        if self.kind == "list":
            out = as_list()
            return self._pandas_list(out) if self.wrap_list else out
        if self.kind == "pandas":
            pd = sys.modules["pandas"]
            values: Any = r
            if nullable is not None and self.missing is not None:
                values = pd.array(r, dtype=nullable)
                values[self.missing] = pd.NA
            return self._pandas(values)
        if self.kind == "polars":
            pl = sys.modules["polars"]
            series = pl.Series(self.src.name, r)
            if nullable is not None and self.missing is not None:
                series = series.scatter(np.flatnonzero(self.missing), None)
            return series
        pa = sys.modules["pyarrow"]
        return self._arrow(pa.array(r, mask=self.missing if nullable is not None else None))


def _list_instants(r: Any, models: list[Any] | None) -> list[Any]:
    assert models is not None
    out: list[Any] = []
    for v, m in zip(r.tolist(), models, strict=True):
        if m is None or v == NEVER_US:
            out.append(None)
        elif m.__class__ is datetime:
            out.append(from_us(v, m.tzinfo))
        else:
            out.append(like(from_us(v, m.tzinfo), m))
    return out


def _naive_column(param: str, fix: str) -> NaiveDatetimeError:
    err = NaiveDatetimeError(param, "column", None)
    msg = (
        f"{param}: got a column of naive timestamps; attach their zone first, e.g. {fix} "
        f"(numpy datetime64 arrays, by contrast, are read as UTC)"
    )
    err.message = msg
    err.args = (msg,)
    return err


def _pandas_column(np: Any, cal: Calendar | None, x: Any, param: str) -> Column | None:
    pd = sys.modules.get("pandas")
    if pd is None or not isinstance(x, (pd.Series, pd.Index)):
        return None
    if isinstance(x.dtype, pd.DatetimeTZDtype):
        naive = x.dt.tz_convert(None) if isinstance(x, pd.Series) else x.tz_convert(None)
        u, missing = _dt64_us(np, naive.to_numpy(), param)
        return Column(u, missing, "pandas", x, x.dtype.tz)
    if np.issubdtype(x.dtype, np.datetime64):
        raise _naive_column(param, "series.dt.tz_localize('UTC')")
    if x.dtype == object:
        col = _list_column(np, cal, x.tolist(), param)
        col.src, col.wrap_list = x, True
        return col
    raise SlocalcTypeError(
        f"{param}: expected a pandas column of tz-aware timestamps (dtype datetime64[..., zone]), "
        f"got dtype {x.dtype}"
    )


def _polars_column(np: Any, x: Any, param: str) -> Column | None:
    pl = sys.modules.get("polars")
    if pl is None or not isinstance(x, pl.Series):
        return None
    if not isinstance(x.dtype, pl.Datetime):
        raise SlocalcTypeError(f"{param}: expected a Polars Datetime series with a time zone, got {x.dtype}")
    if x.dtype.time_zone is None:
        raise _naive_column(param, "s.dt.replace_time_zone('UTC')")
    u, missing = _dt64_us(np, x.dt.convert_time_zone("UTC").dt.replace_time_zone(None).to_numpy(), param)
    return Column(u, missing, "polars", x, x.dtype.time_zone)


def _arrow_column(np: Any, x: Any, param: str) -> Column | None:
    pa = sys.modules.get("pyarrow")
    if pa is None or not isinstance(x, (pa.Array, pa.ChunkedArray)):
        return None
    if not pa.types.is_timestamp(x.type):
        raise SlocalcTypeError(f"{param}: expected a pyarrow timestamp array with a time zone, got {x.type}")
    if x.type.tz is None:
        raise _naive_column(param, "arr.cast(pa.timestamp('us', tz='UTC'))")
    u, missing = _dt64_us(np, x.to_numpy(zero_copy_only=False), param)
    return Column(u, missing, "arrow", x, x.type.tz)


def _list_column(np: Any, cal: Calendar | None, seq: list[Any], param: str) -> Column:
    hint = getattr(cal, "tz", None)
    vals: list[int] = []
    models: list[Any] = []
    has_missing = False
    for i, t in enumerate(seq):
        if _is_missing(t):
            has_missing = True
            vals.append(0)
            models.append(None)
        else:
            vals.append(_aware_us(t, f"{param}[{i}]", cal) if hint else aware_us(t, f"{param}[{i}]"))
            models.append(t)
    u = np.array(vals, dtype=np.int64)
    missing = np.array([m is None for m in models], dtype=bool) if has_missing else None
    col = Column(u, missing, "list")
    col.models = models
    return col


def read_column(np: Any, cal: Calendar | None, x: Any, param: str) -> Column:
    """Read any supported container of instants (see :class:`Column`)."""
    if _is_array(np, x):
        u, missing, kind = _as_us_array(np, x, param)
        return Column(u, missing, kind)
    mod = _module(x)
    if mod == "pandas":
        col = _pandas_column(np, cal, x, param)
        if col is not None:
            return col
    elif mod == "polars":
        col = _polars_column(np, x, param)
        if col is not None:
            return col
    elif mod == "pyarrow":
        col = _arrow_column(np, x, param)
        if col is not None:
            return col
    return _list_column(np, cal, _as_list(x, param), param)


def _plain_values(np: Any, d: Any) -> Any:
    """A numpy array of the values of a pandas/Polars/pyarrow column (others unchanged)."""
    mod = _module(d)
    if mod in ("pandas", "polars") and hasattr(d, "to_numpy"):
        return d.to_numpy()
    if mod == "pyarrow" and hasattr(d, "to_numpy"):
        return d.to_numpy(zero_copy_only=False)
    return d


def _as_duration_array(np: Any, d: Any, n: int) -> tuple[Any, Any]:
    """(int64 µs durations, missing mask or None): one for all, or one per instant."""
    missing = None
    if d.__class__ is np.ndarray and d.dtype == np.int64 and d.shape == (n,):
        return d, None  # µs already (the common case, checked first)
    if isinstance(d, (timedelta, str)) or (_module(d) == "numpy" and not isinstance(d, np.ndarray)):
        return np.full(n, _duration_us(d, "d"), dtype=np.int64), None
    d = _plain_values(np, d)
    if isinstance(d, np.ndarray):
        kind = d.dtype.kind
        if kind == "m":
            missing = np.isnat(d)
            unit = np.datetime_data(d.dtype)[0]
            if unit in ("Y", "M", "generic"):
                raise SlocalcValueError(
                    f"d: timedelta64 in {unit!r} units has no fixed length; use days or finer"
                )
            as_us = d.astype("timedelta64[us]")
            bad = (as_us.astype(d.dtype) != d) & ~missing
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise SlocalcValueError(
                    f"d[{i}]: {d[i]} is not a whole number of microseconds; slocalc is exact to the microsecond"
                )
            arr = as_us.view(np.int64)
            missing = missing if missing.any() else None
        elif kind in _INT_KINDS:
            arr = d.astype(np.int64, copy=False)
        elif d.dtype == object:
            arr, missing = _duration_list(np, d.tolist())
        else:
            raise SlocalcTypeError(f"d: expected timedelta64 or int64 (microseconds), got dtype {d.dtype}")
    elif isinstance(d, Iterable) and not isinstance(d, (str, bytes)):
        arr, missing = _duration_list(np, list(d))
    else:
        raise SlocalcTypeError(
            f"d: expected a duration (timedelta, numpy.timedelta64, ISO 8601 text) or one per "
            f"instant, got {type(d).__name__} {d!r}"
        )
    if arr.shape != (n,):
        got = arr.shape[0] if arr.ndim == 1 else f"shape {arr.shape}"
        raise SlocalcValueError(f"d: expected {n} durations to match the instants, got {got}")
    return arr, missing


def _duration_list(np: Any, items: list[Any]) -> tuple[Any, Any]:
    vals: list[int] = []
    gone: list[bool] = []
    for i, x in enumerate(items):
        if x is None or (isinstance(x, timedelta) and x != x) or (_module(x) == "numpy" and np.isnat(x)):
            vals.append(0)
            gone.append(True)
        else:
            vals.append(_duration_us(x, f"d[{i}]"))
            gone.append(False)
    missing = np.array(gone, dtype=bool) if any(gone) else None
    return np.array(vals, dtype=np.int64), missing


def _as_day_counts(np: Any, n: Any, size: int) -> Any:
    if isinstance(n, bool):
        raise SlocalcTypeError(f"n: expected a whole number of business days, got {n!r}")
    if isinstance(n, int):
        return np.full(size, n, dtype=np.int64)
    if _module(n) == "numpy" and isinstance(n, np.integer) and not isinstance(n, np.bool_):
        return np.full(size, int(n), dtype=np.int64)
    if _module(n) in ("pandas", "polars", "pyarrow"):
        mod = _module(n)
        nulls = n.isna().any() if mod == "pandas" else n.null_count() if mod == "polars" else n.null_count
        has_null = bool(nulls)
        if has_null:
            raise SlocalcValueError("n: the day counts hold missing values; give a count for every row")
        n = _plain_values(np, n)
    if isinstance(n, np.ndarray):
        if n.dtype.kind not in _INT_KINDS:
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


def _pair(np: Any, cal: Calendar, a: Any, b: Any) -> tuple[Column, Any, Any]:
    """(column of ``a``, µs of ``b``, missing of either) for two containers of one length."""
    ca = read_column(np, cal, a, "a")
    cb = read_column(np, cal, b, "b")
    if ca.u.shape != cb.u.shape:
        what = "arrays" if ca.kind != "list" else "sequences"
        got = (ca.u.shape, cb.u.shape) if ca.kind != "list" else (len(ca.u), len(cb.u))
        raise SlocalcValueError(
            f"a, b: expected {what} of one {'shape' if ca.kind != 'list' else 'length'}, "
            f"got {got[0]} and {got[1]}"
        )
    ca.missing = _either(np, ca.missing, cb.missing)
    return ca, cb.u, ca.missing


def _either(np: Any, m1: Any, m2: Any) -> Any:
    if m1 is None:
        return m2
    if m2 is None:
        return m1
    return m1 | m2


def _present(np: Any, missing: Any, fn: Callable[..., Any], fill: int, *cols: Any) -> Any:
    """``fn(*cols)`` on the present rows only, ``fill`` on the missing ones."""
    if missing is None:
        return fn(*cols)
    keep = ~missing
    out = np.full(len(cols[0]), fill, dtype=np.int64)
    if keep.any():
        out[keep] = fn(*(c[keep] for c in cols))
    return out


def _scalar_each(np: Any, u: Any, fn: Callable[[int], int], out: Any, where: Any) -> None:
    """``out[i] = fn(u[i])`` where ``where`` holds, calling ``fn`` once per distinct value."""
    idx = np.flatnonzero(where)
    if not len(idx):
        return
    vals, inverse = np.unique(u[idx], return_inverse=True)
    res = np.array([fn(int(v)) for v in vals.tolist()], dtype=np.int64)
    out[idx] = res[inverse.reshape(-1)]


# -- interval spans --------------------------------------------------------------------------


#: below every supported instant: the end of the empty interval before a span's first (busy)
_BEFORE = -(2**62)


class _Span:
    """Concatenated intervals of UTC years ``y0..y1`` with a global cumulative sum.

    Besides ``starts``, ``ends``, ``cum`` (business time before each interval) and
    ``cumend`` (up to each interval's end), a span keeps the arrays its queries index once
    per instant, built once per span rather than once per call: ``_e`` and ``_back`` hold,
    at ``k = 1..n``, interval ``k - 1``'s end and ``start - cum`` (the instant where its
    business time would begin if counted from the span's start), and at ``k = 0`` an empty
    interval before every instant (so :meth:`busy` needs no mask); ``_fwd[i]`` is
    ``_back[i + 1]``.
    """

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
        self._e = np.concatenate(([_BEFORE], self.ends))
        # min(u, _BEFORE) - _BEFORE == 0: no business time before the first interval
        self._back = np.concatenate(([_BEFORE], self.starts - self.cum))
        self._fwd = self._back[1:]

    def busy(self, np: Any, u: Any) -> Any:
        """Business time in ``[start of year y0, u)`` for each instant ``u`` of the span's years:
        ``cum[i] + min(u, ends[i]) - starts[i]`` for the last interval ``i`` starting at or
        before ``u``, 0 where none does."""
        k = self.starts.searchsorted(u, "right")
        return np.minimum(u, self._e[k]) - self._back[k]

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


_T = TypeVar("_T")


def _shared(
    cache: dict[tuple[int, int, int], tuple[Any, _T]],
    size: int,
    owner: Any,
    y0: int,
    y1: int,
    build: Callable[[], _T],
) -> _T:
    """What ``build`` makes for ``owner``'s years ``y0..y1``, made once and kept in ``cache``
    while it holds fewer than ``size`` (cleared when full): the spans below are read only,
    and what they are built from never changes. The owner is kept with its span, so its
    ``id`` is not reused meanwhile."""
    key = (id(owner), y0, y1)
    found = cache.get(key)
    if found is not None and found[0] is owner:
        return found[1]
    made = build()
    if len(cache) >= size:
        cache.clear()
    cache[key] = (owner, made)
    return made


def _span(np: Any, index: Index, y0: int, y1: int) -> _Span:
    """The span of ``index``'s years ``y0..y1``, shared by the queries over the same years
    (concatenating the compiled chunks is most of a small batch's cost)."""
    return _shared(_SPANS, _SPAN_CACHE_SIZE, index, y0, y1, lambda: _Span(np, index, y0, y1))


#: spans kept by :func:`_span` (emptied when full)
_SPAN_CACHE_SIZE = 256
_SPANS: dict[tuple[int, int, int], tuple[Index, _Span]] = {}


#: arrays up to this size are bounded with Python's min/max (cheaper than numpy reductions)
_FEW = 24


def _bounds(np: Any, x: Any) -> tuple[int, int]:
    """The least and greatest value of a non-empty integer array, as ints."""
    if len(x) <= _FEW:
        vals = x.tolist()
        return min(vals), max(vals)
    return int(np.minimum.reduce(x)), int(np.maximum.reduce(x))


def _least(np: Any, x: Any) -> int:
    """The least value of a non-empty integer array, as an int."""
    return min(x.tolist()) if len(x) <= _FEW else int(np.minimum.reduce(x))


def _greatest(np: Any, x: Any) -> int:
    """The greatest value of a non-empty integer array, as an int."""
    return max(x.tolist()) if len(x) <= _FEW else int(np.maximum.reduce(x))


def _years(np: Any, u: Any, index: Index, param: str = "t") -> tuple[int, int]:
    """The UTC years of the earliest and latest instant of the non-empty ``u``: one batch
    covers at most :data:`MAX_SPAN_YEARS` years of the supported range (docs/limits.md), so
    its work is bounded."""
    return _years_of(index, *_bounds(np, u), param)


#: the UTC years :func:`_years_of` last found for a least and a greatest instant, each as
#: (the year's first µs, the next year's first µs, the year): consecutive batches mostly
#: fall in the same years, and an instant inside a year found is inside the supported range
_SEEN_LO = _SEEN_HI = (0, 0, 0)


def _years_of(index: Index, lo: int, hi: int, param: str = "t") -> tuple[int, int]:
    """:func:`_years` of instants from ``lo`` to ``hi`` (``Index.year`` of each, remembered)."""
    global _SEEN_LO, _SEEN_HI
    start, end, y0 = _SEEN_LO
    if not start <= lo < end:
        y0 = index.year(lo)  # refuses an instant outside the supported range
        _SEEN_LO = (year_start_us(y0), year_start_us(y0 + 1), y0)
    start, end, y1 = _SEEN_HI
    if not start <= hi < end:
        y1 = index.year(hi)
        _SEEN_HI = (year_start_us(y1), year_start_us(y1 + 1), y1)
    if y1 - y0 > MAX_SPAN_YEARS:
        raise too_far(index.label, param, f"the instants span {y1 - y0 + 1} years ({y0}-{y1})")
    return y0, y1


def _span_of(np: Any, index: Index, u: Any, before: int, after: int) -> tuple[Any, _Span | None]:
    """A result of :data:`NEVER_US` for each instant of ``u`` and, unless ``u`` is empty, the
    compiled span of its years widened by ``before`` and ``after`` years (within the range)."""
    out = np.full(len(u), NEVER_US, dtype=np.int64)
    if len(u) == 0:
        return out, None
    return out, _widened(np, index, u, before, after)[0]


def _widened(np: Any, index: Index, u: Any, before: int, after: int) -> tuple[_Span, int, int]:
    """The compiled span of the years of the non-empty ``u`` widened by ``before`` and
    ``after`` years (within the range), and ``u``'s least and greatest instant."""
    lo, hi = _bounds(np, u)
    y0, y1 = _years_of(index, lo, hi)
    return _span(np, index, max(y0 - before, MIN_YEAR), min(y1 + after, MAX_YEAR)), lo, hi


def _no_time(index: Index) -> NoBusinessTimeError:
    return NoBusinessTimeError(f"{index.label}: no open time within {HORIZON_YEARS} years")


# -- the µs cores ----------------------------------------------------------------------------


def is_open_us(np: Any, index: Index, u: Any) -> Any:
    if len(u) == 0:
        return np.zeros(0, dtype=bool)
    span = _span(np, index, *_years(np, u, index))
    # before the end of the last interval starting at or before u (none: the empty one first)
    return u < span._e[span.starts.searchsorted(u, "right")]


def next_open_us(np: Any, index: Index, u: Any, *, strict: bool = True) -> Any:
    if len(u) == 0:
        return np.full(0, NEVER_US, dtype=np.int64)
    span, _, hi = _widened(np, index, u, 0, 1)
    n = len(span.ends)
    i = span.ends.searchsorted(u, "right")  # the first interval ending after u
    if n and hi < span.ends[-1]:  # one for every instant (the common case): no masks
        return np.maximum(u, span.starts[i])
    out = np.full(len(u), NEVER_US, dtype=np.int64)
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
    if len(u) == 0:
        return np.full(0, NEVER_US, dtype=np.int64)
    span, lo, _ = _widened(np, index, u, 1, 0)
    k = span.starts.searchsorted(u, "right")  # one past the last interval starting at or before u
    if len(span.starts) and lo >= span.starts[0]:  # one for every instant (the common case)
        return np.minimum(u, span._e[k])
    out = np.full(len(u), NEVER_US, dtype=np.int64)
    i = k - 1
    found = i >= 0
    if len(span.starts):
        j = i[found]
        out[found] = np.minimum(u[found], span.ends[j])
    _scalar_each(np, u, index.last_business, out, ~found)
    return out


def next_close_us(np: Any, index: Index, u: Any) -> Any:
    out, span = _span_of(np, index, u, 0, 1)
    if span is None:
        return out
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
        starts = np.array([year_start_us(y) for y in range(span.y0, span.y1 + 2)], dtype=np.int64)
        year = np.searchsorted(starts, s, side="right") - 1
        horizon = np.array(
            [year_start_us(y + HORIZON_YEARS + 1) for y in range(span.y0, span.y1 + 1)], dtype=np.int64
        )
        later[found] = (end == span.hi) | (end >= horizon[year])

    def scalar(v: int) -> int:
        r = index.next_close(v)
        return NEVER_US if r is None else r

    _scalar_each(np, u, scalar, out, later)
    return out


def _one_more_year(index: Index, year: int, beyond: int, dry: int) -> int:
    """``add_us`` takes ``year`` into its span, ``beyond`` years past the batch's own, after
    ``dry`` years without open time: the count of those now. Refuses a span longer than
    :data:`MAX_SPAN_YEARS` and more than :data:`HORIZON_YEARS` empty years in a row."""
    if beyond > MAX_SPAN_YEARS:
        raise too_far(index.label, "d", f"a duration is not reached within {MAX_SPAN_YEARS} years")
    dry = dry + 1 if index.chunk(year).total == 0 else 0
    if dry > HORIZON_YEARS:
        raise _no_time(index)
    return dry


def add_us(np: Any, index: Index, u: Any, d: Any) -> Any:
    """``Index.add`` for each instant of the ``int64`` array ``u`` (UTC µs, none missing) and
    duration of ``d`` (µs): an ``int64`` array of ``u``'s length, or one ``int`` for all. A
    fresh ``int64`` array.

    What ``Index.add`` refuses is refused with its error (of the first instant it refuses):
    a result more than :data:`MAX_SPAN_YEARS` UTC years from its instant's year (a batch's
    span may reach further for its later instants), a duration beyond the supported range
    (asked before business time plus it could wrap around ``int64``), and whatever makes
    the batch's own walk fail."""
    if len(u) == 0:
        return u.copy()
    one = d.__class__ is int
    lo, hi = (d, d) if one else _bounds(np, d)
    if max(hi, -lo) >= _BIG:  # beyond reach in any span
        _refuse_first(index, u, d, np.abs(d) >= _BIG if not one else None)
        raise too_far(index.label, "d", f"a duration is not reached within {MAX_SPAN_YEARS} years")
    try:
        out = _add_us(np, index, u, d)
    except SlocalcError:
        _refuse_first(index, u, d, None)
        raise
    if _near(np, u, out):
        return out  # the usual batch
    forward = d > 0
    years = _utc_years(np, u)
    reached = _utc_years(np, np.where(forward, out - 1, out))  # a forward answer ends an interval
    beyond = np.where(forward, reached - years, years - reached) > MAX_SPAN_YEARS
    if beyond.any():
        _refuse_first(index, u, d, beyond)
    return out


def _near(np: Any, u: Any, out: Any) -> bool:
    """Whether no answer of ``out`` can lie more than :data:`MAX_SPAN_YEARS` UTC years from
    its instant of ``u`` (checked on the arrays' bounds: no row's years computed)."""
    u_lo, u_hi = _bounds(np, u)
    out_lo, out_hi = _bounds(np, out)
    return (
        year_of(out_hi) - year_of(u_lo) <= MAX_SPAN_YEARS
        and year_of(u_hi) - year_of(out_lo) <= MAX_SPAN_YEARS
    )


def _refuse_first(index: Index, u: Any, d: Any, rows: Any) -> None:
    """Ask ``Index.add`` for the instants ``rows`` marks (all if ``None``), in order: it
    raises its own error for the first it refuses."""
    picked = range(len(u)) if rows is None else rows.nonzero()[0].tolist()
    for k in picked:
        index.add(int(u[k]), d if d.__class__ is int else int(d[k]))


def _utc_years(np: Any, us: Any) -> Any:
    """The UTC year of each instant (µs) of an ``int64`` array."""
    days = (us // US_PER_DAY).astype("datetime64[D]")
    return days.astype("datetime64[Y]").astype(np.int64) + 1970


def _add_us(np: Any, index: Index, u: Any, d: Any) -> Any:
    """:func:`add_us` without its per-instant limit."""
    y0, y1 = _years(np, u, index)
    if d.__class__ is int:
        if d > 0:
            return _forward(np, index, u, d, y0, y1)
        return _backward(np, index, u, d, y0, y1) if d < 0 else u.copy()
    lo, hi = _bounds(np, d)
    if lo > 0:  # every duration forward (the common case): no masks
        return _forward(np, index, u, d, y0, y1)
    if hi < 0:
        return _backward(np, index, u, d, y0, y1)
    out = u.copy()
    if hi > 0:
        pos = d > 0
        out[pos] = _forward(np, index, u[pos], d[pos], y0, y1)
    if lo < 0:
        neg = d < 0
        out[neg] = _backward(np, index, u[neg], d[neg], y0, y1)
    return out


def _forward(np: Any, index: Index, u: Any, d: Any, y0: int, y1: int) -> Any:
    """:func:`add_us` for durations ``d > 0`` from instants ``u`` of the years ``y0..y1``."""
    hi, dry = y1, 0
    span = _span(np, index, y0, hi)
    target = span.busy(np, u) + d  # business time from the start of year y0
    top = _greatest(np, target)
    while top > span.total:
        hi += 1  # extend forward until every target lies inside the span
        dry = _one_more_year(index, hi, hi - y1, dry)
        span = _span(np, index, y0, hi)
    # the interval where each target is reached: starts[i] + (target - cum[i])
    return span._fwd[span.cumend.searchsorted(target, "left")] + target


def _backward(np: Any, index: Index, u: Any, d: Any, y0: int, y1: int) -> Any:
    """:func:`add_us` for durations ``d < 0`` from instants ``u`` of the years ``y0..y1``."""
    lo, dry = y0, 0
    span = _span(np, index, lo, y1)
    target = span.busy(np, u) + d
    while _least(np, target) < 0:
        lo -= 1  # extend backward; the origin moves, so targets are recomputed
        dry = _one_more_year(index, lo, y0 - lo, dry)
        span = _span(np, index, lo, y1)
        target = span.busy(np, u) + d
    # the last interval starting at or before each target: starts[i] + (target - cum[i])
    # (cum[0] == 0 <= target, so the index is at least 1)
    return span._back[span.cum.searchsorted(target, "right")] + target


def between_us(np: Any, index: Index, ua: Any, ub: Any) -> Any:
    """``Index.between`` for each pair of the ``int64`` arrays ``ua``, ``ub`` (UTC µs, one
    length, none missing): ``busy(b) - busy(a)`` over the span of their years, both ends
    looked up at once."""
    n = len(ua)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    both = np.concatenate((ua, ub))
    y0, y1 = _years_of(index, *_bounds(np, both), "b")
    busy = _span(np, index, y0, y1).busy(np, both)
    return busy[n:] - busy[:n]


# -- many calendars at once -------------------------------------------------------------------
#
# A batch whose rows are on different calendars (each case on its customer's) is answered by
# one lookup over the spans of all its calendars laid one after another: block ``c`` holds
# calendar ``c``'s span of the batch's years, its instants shifted by ``c * width`` (a
# sentinel first, an empty interval before every instant of the block) and its business time
# by the totals of the blocks before it. Each row's answer is its own calendar's: the same
# intervals, the same arithmetic. Where that cannot be done at once (a result beyond the
# span's years, a span too long, a limit to check row by row) ``None`` asks the caller to
# go calendar by calendar (one call per calendar, which answers or raises as it always has).


class _Joined:
    """The spans of ``indexes`` over the UTC years ``y0..y1``, laid one after another (read only).

    ``starts``, ``e`` and ``back`` are :class:`_Span`'s ``starts``, ``_e`` and ``_back`` of
    every block in turn, each block's instants shifted by its ``shift`` (``c * width``
    minus the first instant of year ``y0``) and led by a sentinel at ``c * width``;
    ``cumend`` and ``fwd`` are ``_Span.cumend`` and ``_fwd`` with each block's business time
    moved up by ``base`` (the totals of the blocks before it); ``total`` is each block's own.
    """

    __slots__ = ("back", "base", "cumend", "e", "fwd", "shift", "starts", "total")

    def __init__(self, np: Any, spans: list[_Span], y0: int) -> None:
        first = year_start_us(y0)
        width = spans[0].hi - first  # every span ends where year y1 ends
        starts, e, back, cumend, fwd = [], [], [], [], []
        shifts, bases, totals = [], [], []
        base = 0
        for c, span in enumerate(spans):
            shift = c * width - first
            lead = np.array([c * width], dtype=np.int64)
            starts += [lead, span.starts + shift]
            e += [lead, span.ends + shift]
            back += [lead, span._back[1:] + shift]
            cumend.append(span.cumend + base)
            fwd.append(span._fwd - base)
            shifts.append(shift)
            bases.append(base)
            totals.append(span.total)
            base += span.total
        self.starts = np.concatenate(starts)
        self.e = np.concatenate(e)
        self.back = np.concatenate(back)
        self.cumend = np.concatenate(cumend)
        self.fwd = np.concatenate(fwd)
        self.shift = np.array(shifts, dtype=np.int64)
        self.base = np.array(bases, dtype=np.int64)
        self.total = np.array(totals, dtype=np.int64)

    def busy(self, np: Any, u: Any, which: Any) -> Any:
        """:meth:`_Span.busy` of each instant on its own calendar ``which``."""
        v = u + self.shift[which]
        k = self.starts.searchsorted(v, "right") - 1
        return np.minimum(v, self.e[k]) - self.back[k]


#: joined spans kept by :func:`_joined` (emptied when full): few, as each holds the spans of
#: all a batch's calendars (a replay asks for the same calendars and years round after round)
_JOINED_CACHE_SIZE = 16
_JOINED: dict[tuple[int, int, int], tuple[Any, _Joined]] = {}


def _joined(np: Any, indexes: tuple[Index, ...], y0: int, y1: int) -> _Joined:
    """The :class:`_Joined` spans of ``indexes`` over the years ``y0..y1``, shared by the
    queries over the same calendars and years (the tuple is kept with it, so no ``id`` of it
    or of its indexes is reused meanwhile)."""
    key = (hash(tuple(map(id, indexes))), y0, y1)
    found = _JOINED.get(key)
    if found is not None and len(found[0]) == len(indexes) and all(map(_same, found[0], indexes)):
        return found[1]
    made = _Joined(np, [_span(np, index, y0, y1) for index in indexes], y0)
    if len(_JOINED) >= _JOINED_CACHE_SIZE:
        _JOINED.clear()
    _JOINED[key] = (indexes, made)
    return made


def _same(a: Any, b: Any) -> bool:
    return a is b


def _index_of(cal: Calendar) -> Index:
    """``cal._index``, read from its slot when compiled already (no property call)."""
    index = cal._index_ref
    return cal._index if index is None else index


def _indexes(cals: Sequence[Calendar]) -> tuple[Index, ...]:
    """The index of each calendar."""
    return tuple(map(_index_of, cals))


def _joined_years(np: Any, indexes: tuple[Index, ...], u: Any) -> tuple[int, int] | None:
    """The UTC years of the non-empty ``u`` as :func:`_years` finds them; ``None`` where it
    would refuse them (each calendar then refuses, or answers, its own rows)."""
    try:
        return _years(np, u, indexes[0])
    except SlocalcError:
        return None


def between_rows(cals: Sequence[Calendar], which: Any, a: Any, b: Any) -> Any:
    """``cals[which[k]]._between_us`` of each pair of the ``int64`` arrays ``a``, ``b`` (UTC
    µs, one length, none missing) in one lookup over all the calendars: an ``int64`` array,
    or ``None`` where the calendars must each answer their own rows (see above).

    ``which`` is an integer array of ``a``'s length (each row's calendar, an index into ``cals``).
    """
    np = sys.modules["numpy"]
    n = len(a)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    indexes = _indexes(cals)
    both = np.concatenate((a, b))
    years = _joined_years(np, indexes, both)
    if years is None:
        return None
    two = np.concatenate((which, which))
    busy = _joined(np, indexes, *years).busy(np, both, two)
    return busy[n:] - busy[:n]


def add_rows(cals: Sequence[Calendar], which: Any, u: Any, d: Any) -> Any:
    """``cals[which[k]]._add_us`` of each instant of the ``int64`` array ``u`` (UTC µs, none
    missing) and duration of the ``int64`` array ``d`` (µs, each positive) in one lookup over
    all the calendars: an ``int64`` array, or ``None`` where the calendars must each answer
    their own rows (a duration not positive or beyond reach, an answer past the span of the
    batch's years or too far from its instant: see :func:`add_us`).

    ``which`` is an integer array of ``u``'s length (each row's calendar, an index into ``cals``).
    """
    np = sys.modules["numpy"]
    if len(u) == 0:
        return u.copy()
    lo, hi = _bounds(np, d)
    if lo <= 0 or hi >= _BIG:
        return None
    indexes = _indexes(cals)
    years = _joined_years(np, indexes, u)
    if years is None:
        return None
    joined = _joined(np, indexes, *years)
    target = joined.busy(np, u, which) + d  # business time from the start of the block's year y0
    if not bool((target <= joined.total[which]).all()):
        return None  # reached past the span: each calendar widens its own
    base = joined.base[which]
    out = joined.fwd[joined.cumend.searchsorted(target + base, "left")] + (target + base)
    return out if _near(np, u, out) else None  # else add_us finds the row it refuses


# -- business dates ----------------------------------------------------------------------------


def _local_ordinals(np: Any, cal: ZonedCalendar, u: Any) -> tuple[Any, Any]:
    """(local date ordinals, local time of day µs) of instants ``u`` in the calendar's zone."""
    local = ZoneTable.covering(cal.zone, *_bounds(np, u)).local(u)
    day = local // US_PER_DAY
    return day + _EPOCH_ORD, local - day * US_PER_DAY


def _dry_run_too_long(np: Any, cum: Any) -> bool:
    """Whether the span holds a run of more than :data:`DRY_LIMIT` dates without open time."""
    where = np.flatnonzero(np.diff(cum))
    edges = np.concatenate(([-1], where, [len(cum) - 1]))
    return bool(len(edges) and int(np.diff(edges).max()) - 1 > DRY_LIMIT)


class _DateSpan:
    """The business dates of local years ``y0..y1`` as arrays (read only).

    ``cum[k]`` counts the business dates in ``[first, first + k)`` (:meth:`BusinessDates.span`),
    ``top`` all of them; ``dry`` tells whether the span holds a run of more than
    :data:`DRY_LIMIT` dates without open time; ``at[t]`` is the first ``k`` with
    ``cum[k] >= t`` for ``t`` in ``0..top + 1`` (``searchsorted(cum, t, "left")`` as a table, so
    also ``searchsorted(cum, t, "right") == at[t + 1]`` for whole ``t``).
    """

    __slots__ = ("at", "cum", "dry", "first", "top")

    def __init__(self, np: Any, dates: BusinessDates, y0: int, y1: int) -> None:
        self.first, self.cum = dates.span(np, y0, y1)
        self.top = int(self.cum[-1])
        self.dry = _dry_run_too_long(np, self.cum)
        self.at = self.cum.searchsorted(np.arange(self.top + 2), "left")


#: date spans kept by :func:`_date_span` (emptied when full)
_DATE_SPAN_CACHE_SIZE = 64
_DATE_SPANS: dict[tuple[int, int, int], tuple[BusinessDates, _DateSpan]] = {}


def _date_span(np: Any, dates: BusinessDates, y0: int, y1: int) -> _DateSpan:
    """The :class:`_DateSpan` of ``dates``' local years ``y0..y1``, shared by the queries over
    the same years."""
    return _shared(_DATE_SPANS, _DATE_SPAN_CACHE_SIZE, dates, y0, y1, lambda: _DateSpan(np, dates, y0, y1))


def step_ordinals(np: Any, cal: ZonedCalendar, ords: Any, n: Any) -> Any:
    """``BusinessDates.step`` for an ``int64`` array of ordinals and counts ``n``: an ``int64``
    array of the same length, or one ``int`` for all.

    Refused as the scalar step refuses it (the error of the first such date): a count over
    ``MAX_SPAN_YEARS * 366``, and a date not reached within :data:`MAX_SPAN_YEARS` years of
    the year the walk starts in (the day after, or before, the start).
    """
    if len(ords) == 0:
        return ords.copy()
    dates = cal._dates
    if n.__class__ is int:
        if abs(n) > MAX_SPAN_YEARS * 366:
            raise dates._far(int(ords[0]), n)
    else:
        far = np.abs(n) > MAX_SPAN_YEARS * 366  # (no int64 count wraps: |n| < 2**63)
        if far.any():
            k = int(np.argmax(far))
            raise dates._far(int(ords[k]), int(n[k]))
    out = _step_ordinals(np, cal, ords, n)
    # A date reached more than MAX_SPAN_YEARS years after the year of the day after its start
    # lies at least 365 * MAX_SPAN_YEARS + 1 days after that day (before the day before it,
    # going back): where no step is that long, none is refused (the usual batch: no years
    # computed)
    lo, hi = _bounds(np, out - ords)
    if lo > -_SAFE_STEP_DAYS and hi < _SAFE_STEP_DAYS:
        return out
    counts = np.full(len(ords), n, dtype=np.int64) if n.__class__ is int else n
    ahead, behind = counts > 0, counts < 0
    years = _years_of_ordinals(np, out)
    beyond = (ahead & (years - _years_of_ordinals(np, ords + 1) > MAX_SPAN_YEARS)) | (
        behind & (_years_of_ordinals(np, ords - 1) - years > MAX_SPAN_YEARS)
    )
    if beyond.any():
        k = int(np.argmax(beyond))
        raise dates._far(int(ords[k]), int(counts[k]))
    return out


#: steps shorter than this many days (either way) reach no date :func:`step_ordinals` refuses
_SAFE_STEP_DAYS = 365 * MAX_SPAN_YEARS


def _years_of_ordinals(np: Any, ords: Any) -> Any:
    """The Gregorian year of each proleptic ordinal (``date.toordinal``) of an array."""
    days = (ords - _EPOCH_ORD).astype("datetime64[D]")
    return days.astype("datetime64[Y]").astype(np.int64) + 1970


def _step_ordinals(np: Any, cal: ZonedCalendar, ords: Any, n: Any) -> Any:
    """:func:`step_ordinals` without its limits."""
    dates = cal._dates
    lo, hi = _bounds(np, ords)
    lo_y = date.fromordinal(lo).year
    hi_y = date.fromordinal(hi).year
    if n.__class__ is int:
        if n == 0:
            return ords.copy()
        n_lo = n_hi = n
    else:
        n_lo, n_hi = _bounds(np, n)
    fwd = max(n_hi, 0)
    back = max(-n_lo, 0)
    if n_lo > 0 or n_hi < 0:
        # Every count one way (the common case): the general walk's first attempt without
        # masks, taken when it answers every date; otherwise the general walk decides.
        y0 = max(lo_y - 1 - back // 200, MIN_YEAR + 1)
        y1 = min(hi_y + 1 + fwd // 200, MAX_YEAR - 1)
        span = _date_span(np, dates, y0, y1)
        if not span.dry:
            first, cum = span.first, span.cum
            if n_lo > 0:  # the date where the count reaches t: searchsorted(cum, t, "left") - 1
                t = cum[ords - first + 1] + n
                t_lo, t_hi = _bounds(np, t)
                if t_lo > 0 and t_hi <= span.top:  # (t_lo > 0 unless a huge count wrapped)
                    return span.at[t] + (first - 1)
            else:  # the last date before the count passes t: searchsorted(cum, t, "right") - 1
                t = cum[ords - first] + n
                if _least(np, t) >= 0:
                    return span.at[t + 1] + (first - 1)
    if n.__class__ is int:
        n = np.full(len(ords), n, dtype=np.int64)
    return _step_walk(np, dates, ords, n, lo_y, hi_y, fwd, back)


def _step_walk(
    np: Any, dates: BusinessDates, ords: Any, n: Any, lo_y: int, hi_y: int, fwd: int, back: int
) -> Any:
    """:func:`step_ordinals` in general: counts either way or zero, a span widened once by the
    density measured, and the scalar walk for the dates that lie beyond it."""
    out = ords.copy()
    todo = n != 0
    for attempt in range(2):
        if not todo.any():
            return out
        y0 = max(lo_y - 1 - back // 200, MIN_YEAR + 1)
        y1 = min(hi_y + 1 + fwd // 200, MAX_YEAR - 1)
        span = _date_span(np, dates, y0, y1)
        if span.dry:
            break  # the scalar walk decides where the horizon stops it
        first, cum, top = span.first, span.cum, span.top
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
    """``ZonedCalendar.add_days`` for each instant of the ``int64`` array ``u`` (UTC µs, none
    missing) and count of ``n``: an ``int64`` array of ``u``'s length, or one ``int`` for all
    with ``abs(n) < 2**62``. A fresh ``int64`` array."""
    if len(u) == 0:
        return u.copy()
    index = cal._index
    one = n.__class__ is int
    if one:
        n_lo = n_hi = n
    else:
        n_lo, n_hi = _bounds(np, n)
    if n_lo >= 0:
        s = next_open_us(np, index, u)
    elif n_hi < 0:
        s = last_business_us(np, index, u)
    else:
        s = np.empty_like(u)
        back = n < 0
        s[back] = last_business_us(np, index, u[back])
        s[~back] = next_open_us(np, index, u[~back])
    ords, tod = _local_ordinals(np, cal, s)
    target = step_ordinals(np, cal, ords, n)
    walls = (target - _EPOCH_ORD) * US_PER_DAY + tod
    lo, hi = _bounds(np, walls)
    placed = ZoneTable.covering(cal.zone, lo - US_PER_DAY, hi + US_PER_DAY).place(walls)
    if one:
        return s if n == 0 else placed
    return placed if n_lo > 0 or n_hi < 0 else np.where(n == 0, s, placed)


def days_between_us(np: Any, cal: ZonedCalendar, ua: Any, ub: Any) -> Any:
    if len(ua) == 0:
        return np.zeros(0, dtype=np.int64)
    da, _ = _local_ordinals(np, cal, ua)
    db, _ = _local_ordinals(np, cal, ub)
    lo, hi = _bounds(np, np.concatenate((da, db)))
    span = _date_span(np, cal._dates, date.fromordinal(lo + 1).year, date.fromordinal(hi + 1).year)
    first, cum = span.first, span.cum
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


def _pairs_many(
    cal: Calendar,
    a: Any,
    b: Any,
    scalar: Callable[[Any, Any], Any],
    core: Callable[[Any, Any, Any], Any],
    wrap: Callable[[Column, Any, Any], Any],
) -> Any:
    """A measure between two containers of instants: ``scalar`` per pair without numpy, else
    ``core(np, ua, ub)`` over the present pairs (0 where either is missing), returned by
    ``wrap`` (a :class:`Column` method) in ``a``'s kind."""
    np = _numpy()
    if np is None:
        return _seq_pairs(scalar, a, b)
    col, ub, missing = _pair(np, cal, a, b)
    if missing is None and col.kind == "int64":
        return core(np, col.u, ub)  # what ``wrap`` gives an int64 column
    r = _present(np, missing, lambda x, y: core(np, x, y), 0, col.u, ub)
    return wrap(col, np, r)


def is_open_many(cal: Calendar, ts: Any) -> Any:
    np = _numpy()
    if np is None:
        return [cal.is_open(t) for t in _as_list(ts, "ts")]
    col = read_column(np, cal, ts, "ts")
    if col.missing is None:
        res = is_open_us(np, cal._index, col.u)
    else:
        res = np.zeros(len(col.u), dtype=bool)
        keep = ~col.missing
        if keep.any():
            res[keep] = is_open_us(np, cal._index, col.u[keep])
    return col.bools(np, res)


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
    col = read_column(np, cal, ts, "ts")
    r = _present(np, col.missing, lambda u: next_open_us(np, cal._index, u, strict=strict), NEVER_US, col.u)
    return col.instants(np, r)


def next_close_many(cal: Calendar, ts: Any) -> Any:
    np = _numpy()
    if np is None:
        return [cal.next_close(t) for t in _as_list(ts, "ts")]
    col = read_column(np, cal, ts, "ts")
    r = _present(np, col.missing, lambda u: next_close_us(np, cal._index, u), NEVER_US, col.u)
    return col.instants(np, r)


def add_many(cal: Calendar, starts: Any, d: Any) -> Any:
    """Vectorised :meth:`Calendar.add`; see :meth:`Calendar.add_many`."""
    np = _numpy()
    if np is None:
        seq = _as_list(starts, "starts")
        if isinstance(d, (timedelta, str)):
            return [cal.add(t, d) for t in seq]  # type: ignore[arg-type]  # any duration kind
        ds = list(d)
        if len(ds) != len(seq):
            raise SlocalcValueError(f"d: expected {len(seq)} durations to match the instants, got {len(ds)}")
        return _seq_scalar(cal.add, seq, ds)
    col = read_column(np, cal, starts, "starts")
    dur, dmiss = _as_duration_array(np, d, len(col.u))
    if col.kind == "int64" and dmiss is None:
        return add_us(np, cal._index, col.u, dur)  # what ``col.instants`` gives an int64 column
    col.missing = _either(np, col.missing, dmiss)
    r = _present(np, col.missing, lambda u, du: add_us(np, cal._index, u, du), NEVER_US, col.u, dur)
    if col.kind == "list" and col.missing is not None:
        assert col.models is not None
        col.models = [None if m else t for t, m in zip(col.models, col.missing.tolist(), strict=True)]
    return col.instants(np, r)


def between_many(cal: Calendar, a: Any, b: Any) -> Any:
    """Vectorised :meth:`Calendar.between`; see :meth:`Calendar.between_many`."""
    return _pairs_many(
        cal, a, b, cal.between, lambda np, x, y: between_us(np, cal._index, x, y), Column.durations
    )


def add_days_many(cal: ZonedCalendar, ts: Any, n: Any) -> Any:
    np = _numpy()
    if np is None:
        seq = _as_list(ts, "ts")
        ns = [n] * len(seq) if isinstance(n, int) else list(n)
        if len(ns) != len(seq):
            raise SlocalcValueError(f"n: expected {len(seq)} day counts to match the instants, got {len(ns)}")
        return _seq_scalar(cal.add_days, seq, ns)
    col = read_column(np, cal, ts, "ts")
    counts = _as_day_counts(np, n, len(col.u))
    if col.kind == "int64":
        return add_days_us(np, cal, col.u, counts)  # what ``col.instants`` gives an int64 column
    r = _present(np, col.missing, lambda u, c: add_days_us(np, cal, u, c), NEVER_US, col.u, counts)
    return col.instants(np, r)


def days_between_many(cal: ZonedCalendar, a: Any, b: Any) -> Any:
    return _pairs_many(
        cal, a, b, cal.days_between, lambda np, x, y: days_between_us(np, cal, x, y), Column.ints
    )


# -- private fast entries ------------------------------------------------------------------------
#
# ``Calendar._add_us``, ``Calendar._between_us`` and ``ZonedCalendar._add_days_us`` (which call
# these) serve internal callers that hold instants as ``int64`` UTC µs already checked, many
# small arrays at a time (the columnar replay of ``slocalc check``): they skip reading the
# containers, so they take exactly one form. ``u``, ``a`` and ``b`` must be one-dimensional
# ``int64`` numpy arrays of UTC µs (no missing values in that form); then every answer, and
# every error (an instant or a result outside the supported range, a horizon crossed), is
# that of the public ``*_many`` method, which gives ``int64`` for ``int64``. A duration or
# count that is not an ``int`` or an array of the instants' shape goes to the public method
# (which refuses it as it does).

#: scalar durations and counts beyond this are handed to the arrays' path (no int64 overflow);
#: a duration this long (µs, 146,000 years) is beyond reach in any span (``add_us``)
_BIG = 2**62


def _amounts(np: Any, u: Any, x: Any) -> Any:
    """Durations or counts ``x`` in the form the ``int64`` cores take for ``u``: an ``int``
    for all (an array of it past :data:`_BIG`, so the public method's overflow error comes
    from numpy as it does there), or ``x`` itself if an ``int64`` array of ``u``'s shape;
    ``None`` for anything else (the public method reads and refuses it)."""
    if x.__class__ is int:
        return x if -_BIG < x < _BIG else np.full(len(u), x, dtype=np.int64)
    if x.__class__ is not np.ndarray or x.dtype != np.int64 or x.shape != u.shape:
        return None
    return x


def add_fast(cal: Calendar, u: Any, d: Any) -> Any:
    """``cal.add_many(u, d)`` for an ``int64`` array ``u`` and ``d`` µs: an ``int`` for all or
    an ``int64`` array of ``u``'s shape."""
    np = sys.modules["numpy"]
    durations = _amounts(np, u, d)
    if durations is None:
        return add_many(cal, u, d)
    return add_us(np, _index_of(cal), u, durations)


def between_fast(cal: Calendar, a: Any, b: Any) -> Any:
    """``cal.between_many(a, b)`` for ``int64`` arrays ``a`` and ``b`` of one shape."""
    if a.shape != b.shape:
        return between_many(cal, a, b)  # refused as between_many does
    return between_us(sys.modules["numpy"], _index_of(cal), a, b)


def add_days_fast(cal: ZonedCalendar, u: Any, n: Any) -> Any:
    """``cal.add_days_many(u, n)`` for an ``int64`` array ``u`` and day counts ``n``: an ``int``
    for all or an ``int64`` array of ``u``'s shape."""
    np = sys.modules["numpy"]
    counts = _amounts(np, u, n)
    if counts is None:
        return add_days_many(cal, u, n)
    return add_days_us(np, cal, u, counts)
