"""Strategies that draw the kinds of instants, durations and columns users hold.

So a user's suite can test its own pandas, pendulum or Polars code paths: each strategy
draws a value of one kind together with what it means (UTC microseconds), so a test can
check slocalc's answer against the plain-``datetime`` one. Kinds whose library is not
installed are never drawn. See docs/guides/dataframes.md.

>>> from hypothesis import given, settings
>>> from slocalc import BusinessCalendar
>>> from slocalc.testing import instant_kinds
>>> cal = BusinessCalendar(tz="Europe/Dublin")
>>> @settings(max_examples=20, deadline=None)
... @given(instant_kinds())
... def test_any_kind(t):
...     assert type(cal.next_open(t)) is type(t)
>>> test_any_kind()
"""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from slocalc._time import from_us, to_us

__all__ = [
    "COLUMN_KINDS",
    "DURATION_KINDS",
    "INSTANT_KINDS",
    "duration_kinds",
    "instant_columns",
    "instant_kinds",
]

_ZONES = ("UTC", "Europe/Dublin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe")


#: the library a kind needs, where that is not the kind's own name (up to its first dot)
_LIBRARY = {"timedelta": "datetime", "iso": "datetime", "list": "datetime", "datetime64": "numpy"}


def _installed(*kinds: str) -> tuple[str, ...]:
    """``kinds`` whose library is installed, in order."""
    return tuple(k for k in kinds if importlib.util.find_spec(_LIBRARY.get(k, k.split(".")[0])) is not None)


#: instant kinds drawn by :func:`instant_kinds` (those whose library is installed)
INSTANT_KINDS: tuple[str, ...] = _installed("datetime", "pandas", "pendulum", "pytz", "dateutil")
#: duration kinds drawn by :func:`duration_kinds`
DURATION_KINDS: tuple[str, ...] = _installed("timedelta", "iso", "numpy", "pandas", "pendulum")
#: column kinds drawn by :func:`instant_columns`
COLUMN_KINDS: tuple[str, ...] = _installed(
    "list", "datetime64", "pandas.Series", "pandas.DatetimeIndex", "polars", "pyarrow"
)


def as_kind(t: datetime, kind: str) -> datetime:
    """The aware datetime ``t`` as an instant of ``kind`` (one of :data:`INSTANT_KINDS`),
    in the same zone and at the same instant."""
    zone = t.tzinfo
    name = getattr(zone, "key", None) or "UTC"
    if kind == "datetime":
        return t
    if kind == "pandas":
        import pandas as pd

        return pd.Timestamp(t)
    if kind == "pendulum":
        import pendulum

        return pendulum.instance(t.astimezone(UTC)).in_timezone(name)
    if kind == "pytz":
        pytz: Any = importlib.import_module("pytz")
        return t.astimezone(pytz.timezone(name))
    if kind == "dateutil":
        from dateutil import tz

        return t.astimezone(tz.gettz(name))
    raise ValueError(f"kind: expected one of {INSTANT_KINDS}, got {kind!r}")


@st.composite
def instant_kinds(
    draw: st.DrawFn, kinds: tuple[str, ...] = INSTANT_KINDS, min_year: int = 2020, max_year: int = 2030
) -> datetime:
    """Aware instants of every kind users hold: ``datetime`` in a ``ZoneInfo``, pandas
    ``Timestamp``, pendulum ``DateTime``, pytz-localised and ``dateutil`` datetimes.

    Args:
        kinds: the kinds to draw from (default: every installed one).
        min_year: earliest UTC year.
        max_year: latest UTC year.
    """
    lo = to_us(datetime(min_year, 1, 1, tzinfo=UTC))
    hi = to_us(datetime(max_year + 1, 1, 1, tzinfo=UTC)) - 1
    us = draw(st.integers(lo, hi))
    zone = ZoneInfo(draw(st.sampled_from(_ZONES)))
    return as_kind(from_us(us, zone), draw(st.sampled_from(kinds)))


def duration_as_kind(us: int, kind: str) -> Any:
    """A duration of ``us`` microseconds as ``kind`` (one of :data:`DURATION_KINDS`)."""
    td = timedelta(microseconds=us)
    if kind == "timedelta":
        return td
    if kind == "iso":
        sign, mag = ("-" if us < 0 else ""), abs(us)
        secs, frac = divmod(mag, 1_000_000)
        return f"{sign}PT{secs}.{frac:06d}S"
    if kind == "numpy":
        import numpy as np

        return np.timedelta64(us, "us")
    if kind == "pandas":
        import pandas as pd

        return pd.Timedelta(td)
    if kind == "pendulum":
        import pendulum

        return pendulum.duration(microseconds=us)
    raise ValueError(f"kind: expected one of {DURATION_KINDS}, got {kind!r}")


@st.composite
def duration_kinds(
    draw: st.DrawFn, kinds: tuple[str, ...] = DURATION_KINDS, max_days: int = 60, negative: bool = False
) -> tuple[Any, int]:
    """``(duration, microseconds)``: a duration of any kind (``timedelta``, pandas
    ``Timedelta``, pendulum ``Duration``, ``numpy.timedelta64``, ISO 8601 text) and its
    exact length."""
    top = max_days * 86_400_000_000
    us = draw(st.integers(-top if negative else 0, top))
    return duration_as_kind(us, draw(st.sampled_from(kinds))), us


def column_of(values: list[int | None], kind: str, tz: str = "UTC") -> Any:
    """A column of kind ``kind`` (one of :data:`COLUMN_KINDS`) holding UTC microseconds
    ``values`` (``None`` = missing) in zone ``tz``."""
    if kind == "list":
        zone = ZoneInfo(tz)
        return [None if v is None else from_us(v, zone) for v in values]
    import numpy as np

    raw = np.array(
        [np.datetime64("NaT") if v is None else np.datetime64(v, "us") for v in values],
        dtype="datetime64[us]",
    )
    if kind == "datetime64":
        return raw
    if kind.startswith("pandas"):
        import pandas as pd

        idx = pd.DatetimeIndex(raw).tz_localize("UTC").tz_convert(tz)
        if kind == "pandas.DatetimeIndex":
            return idx.rename("t")
        return pd.Series(idx, index=pd.RangeIndex(100, 100 + len(values)), name="t")
    if kind == "polars":
        import polars as pl

        return pl.Series("t", raw).dt.replace_time_zone("UTC").dt.convert_time_zone(tz)
    if kind == "pyarrow":
        pa: Any = importlib.import_module("pyarrow")
        return pa.array(raw, type=pa.timestamp("us", tz=tz), from_pandas=True)
    raise ValueError(f"kind: expected one of {COLUMN_KINDS}, got {kind!r}")


@st.composite
def instant_columns(
    draw: st.DrawFn,
    kinds: tuple[str, ...] = COLUMN_KINDS,
    min_size: int = 0,
    max_size: int = 12,
    missing: bool = True,
) -> tuple[Any, list[int | None]]:
    """``(column, values)``: a column of instants of any kind (list, numpy ``datetime64``,
    pandas ``Series``/``DatetimeIndex``, Polars, pyarrow) with missing values (NaT/None/null)
    anywhere, including all-missing columns, and its UTC microseconds (``None`` = missing)."""
    lo = to_us(datetime(2025, 1, 1, tzinfo=UTC))
    hi = to_us(datetime(2028, 1, 1, tzinfo=UTC))
    item = st.integers(lo, hi)
    values: list[int | None] = draw(
        st.lists(st.none() | item if missing else item, min_size=min_size, max_size=max_size)
    )
    kind = draw(st.sampled_from(kinds))
    tz = "UTC" if kind == "datetime64" else draw(st.sampled_from(_ZONES))
    return column_of(values, kind, tz), values
