"""The shared time kernel: aware-datetime guards, zone resolution, exact conversions.

Instants travel through the engine as integers: microseconds since 1970-01-01 UTC.
No floats are ever involved. Every layer may import this module (it imports no numpy: its
one vectorised reader, :func:`iso_rows_us`, is handed the module by its caller);
wall-clock placement follows the boundary rule of docs/concepts/dst.md.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from bisect import bisect_right
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Final, TypeVar

from slocalc.errors import (
    NaiveDatetimeError,
    SlocalcTypeError,
    SlocalcValueError,
    UnknownTimezoneError,
    close_matches,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US_PER_SECOND = 1_000_000
US_PER_DAY = 86_400 * US_PER_SECOND
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
ONE_US = timedelta(microseconds=1)
_fromtimestamp = datetime.fromtimestamp
# The C-level operations, called unbound so that subclasses (pendulum's ``DateTime`` whose
# ``-`` gives an ``Interval``, pandas' ``Timestamp``) are read as the datetimes they hold.
_dt_sub = datetime.__sub__
_td_div = timedelta.__floordiv__

#: the supported instants: UTC 0001-01-01T00:00 up to (not including) 10000-01-01T00:00
MIN_US = (1 - _EPOCH_ORDINAL) * US_PER_DAY
MAX_US = (date(9999, 12, 31).toordinal() + 1 - _EPOCH_ORDINAL) * US_PER_DAY
RANGE_TEXT = "instants from 0001-01-01T00:00Z to 9999-12-31T23:59:59.999999Z"


def out_of_range(us: int, what: str = "instant") -> SlocalcValueError:
    """The error for an instant (UTC µs) outside the years 1-9999 (see docs/guides/dataframes.md)."""
    side = "before 0001-01-01T00:00Z" if us < MIN_US else "after 9999-12-31T23:59:59.999999Z"
    return SlocalcValueError(
        f"{what}: falls {side} in UTC, outside the supported range: datetimes hold {RANGE_TEXT}, "
        "and calendar queries answer for UTC years 2-9998 (see docs/limits.md)"
    )


def _hint(value: object) -> str:
    """How to turn ``value`` (not a datetime) into an aware datetime."""
    mod = type(value).__module__.split(".")[0]
    if mod == "whenever":
        return "; convert with its .py_datetime() method"
    if mod == "numpy":
        return (
            "; convert a numpy datetime64 with .astype(datetime).replace(tzinfo=UTC), "
            "or pass arrays to the *_many forms"
        )
    if mod == "arrow":
        return "; convert with its .datetime attribute"
    if isinstance(value, str):
        return "; parse it first, e.g. datetime.fromisoformat(text)"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "; for Unix seconds use datetime.fromtimestamp(value, tz=UTC)"
    if isinstance(value, date):
        return "; a date has no time of day: use datetime.combine(day, time(), tzinfo=ZoneInfo(...))"
    return ""


def _offset_text(off: timedelta | None) -> str:
    """``-04:56:02``-style text of a UTC offset."""
    us = 0 if off is None else _td_div(off, ONE_US)
    sign, us = ("-" if us < 0 else "+"), abs(us)
    h, rest = divmod(us // US_PER_SECOND, 3600)
    m, sec = divmod(rest, 60)
    return f"{sign}{h:02d}:{m:02d}" + (f":{sec:02d}" if sec else "")


def _pytz_unlocalised(value: datetime) -> bool:
    """Whether a pytz zone was attached with ``tzinfo=`` (it then keeps its first, LMT offset)."""
    tz = value.tzinfo
    normalize = getattr(tz, "normalize", None)
    if normalize is None or type(tz).__module__.split(".")[0] != "pytz":
        return False
    return bool(normalize(value).tzinfo is not tz)


def require_aware(value: object, param: str, tz_hint: str | None = None) -> datetime:
    """Return ``value`` if it is an aware datetime (any subclass), else raise a precise error.

    Refused: non-datetimes (with the conversion to use), naive datetimes, a pytz zone
    attached with ``tzinfo=`` instead of ``localize()``, pandas ``Timestamp`` values with
    nanoseconds (slocalc is exact to the microsecond), and instants outside the years
    1-9999 in UTC.

    >>> require_aware("2026-03-02T09:00Z", "start")
    Traceback (most recent call last):
    ...
    slocalc.errors.SlocalcTypeError: start: expected an aware datetime, got str '2026-03-02T09:00Z'; parse it first, e.g. datetime.fromisoformat(text)
    """
    if not isinstance(value, datetime):
        raise SlocalcTypeError(
            f"{param}: expected an aware datetime, got {type(value).__name__} {value!r}{_hint(value)}"
        )
    aware_us(value, param, tz_hint)
    return value


def aware_us(value: object, param: str, tz_hint: str | None = None) -> int:
    """UTC microseconds of an aware datetime of any kind, checked as :func:`require_aware`."""
    if not isinstance(value, datetime):
        raise SlocalcTypeError(
            f"{param}: expected an aware datetime, got {type(value).__name__} {value!r}{_hint(value)}"
        )
    tz = value.tzinfo
    plain = value.__class__ is datetime
    if not plain and value != value:  # pandas.NaT
        raise SlocalcValueError(f"{param}: got NaT; a missing instant is only accepted in the *_many forms")
    ns = None if plain else getattr(value, "nanosecond", None)
    if tz is None or (ns is None and value.utcoffset() is None):
        raise NaiveDatetimeError(param, value, tz_hint)
    if ns is not None:  # a pandas Timestamp: its exact nanoseconds since the epoch
        if ns:
            raise SlocalcValueError(
                f"{param}: {value!r} has nanoseconds; slocalc is exact to the microsecond: "
                f"round it first, e.g. ts.floor('us')"
            )
        us: int = value.value // 1000  # type: ignore[attr-defined]
    else:
        if _pytz_unlocalised(value):
            zone = getattr(tz, "zone", "...")
            raise SlocalcValueError(
                f"{param}: {value!r} carries the pytz zone {zone!r} attached with tzinfo=, which gives "
                f"its local mean time offset ({_offset_text(value.utcoffset())}); build it with "
                f"pytz.timezone({zone!r}).localize(naive) or use tzinfo=ZoneInfo({zone!r})"
            )
        us = _td_div(_dt_sub(value, EPOCH), ONE_US)
    if not MIN_US <= us < MAX_US:
        raise out_of_range(us, f"{param} {value.isoformat()}")
    return us


_D = TypeVar("_D", bound=date)


def from_iso(kind: type[_D], text: str, error: Callable[[str], Exception], message: str) -> _D:
    """``kind.fromisoformat(text)`` (blanks around ``text`` ignored); where ``text`` is not
    ISO 8601, ``error(message)`` is raised instead of the ``ValueError``.

    >>> from_iso(date, " 2026-03-17", SlocalcValueError, "day: expected YYYY-MM-DD")
    datetime.date(2026, 3, 17)
    >>> from_iso(date, "17/03/2026", SlocalcValueError, "day: expected YYYY-MM-DD")
    Traceback (most recent call last):
    ...
    slocalc.errors.SlocalcValueError: day: expected YYYY-MM-DD
    """
    try:
        return kind.fromisoformat(text.strip())
    except ValueError:
        raise error(message) from None


_ISO_DURATION = re.compile(
    r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,6}))?S)?)?",
    re.ASCII,
)


def _iso_layouts() -> dict[int, tuple[int, int, bool]]:
    """Text length -> (seconds digits end, fraction digits, offset?) of the ISO 8601 layouts
    exports write: ``YYYY-MM-DDTHH:MM``, then ``:SS``, ``:SS.fff`` or ``:SS.ffffff``, then
    ``Z`` or ``+HH:MM``. The lengths differ, so the length alone tells the layout."""
    layouts: dict[int, tuple[int, int, bool]] = {}
    for body, fraction in ((16, 0), (19, 0), (23, 3), (26, 6)):
        layouts[body + 1] = (body, fraction, False)
        layouts[body + 6] = (body, fraction, True)
    return layouts


#: the layouts :func:`iso_rows_us` reads, by text length (see :func:`_iso_layouts`)
ISO_LAYOUTS: Final = _iso_layouts()
_CUMULATIVE: Final = (0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def _digits(np: Any, d: Any, start: int, stop: int) -> Any:
    """The number written by rows ``start:stop`` of ``d`` (a row per column of the texts,
    each character's digit value): ``uint8`` for two digits (99 at most), else ``int32``.
    Where a row holds no digit the number means nothing (``uint8`` wraps round)."""
    value = d[start] if stop - start <= 2 else d[start].astype(np.int32)
    for row in range(start + 1, stop):
        value = value * 10 + d[row]
    return value


def iso_rows_us(np: Any, a: Any, body: int, fraction: int, offset: bool) -> tuple[Any, Any]:
    """UTC microseconds of ISO 8601 instant texts of one layout of :data:`ISO_LAYOUTS` (``a``:
    a ``uint8`` row of each text's ASCII bytes), many at once with numpy, exactly as
    ``datetime.fromisoformat`` then :func:`to_us` read each; and whether each text is a
    valid instant of the layout with a year from 2 to 9998 (where not, its microseconds
    mean nothing). The columnar reader's instants (docs/scaling.md).

    The texts are read a column at a time (the rows transposed once, each character less
    its column's ``"0"`` or separator: a digit's value, 0 for the separator), in ``uint8``
    and ``int32`` until the microseconds; each date is found in a table of the months of
    the years the texts span (its first day and length).

    >>> import numpy as np
    >>> a = np.frombuffer(b"2026-03-02T09:00:00+05:452024-02-29T23:59:59-00:30", dtype=np.uint8).reshape(2, 25)
    >>> us, ok = iso_rows_us(np, a, *ISO_LAYOUTS[25])
    >>> texts = ["2026-03-02T09:00:00+05:45", "2024-02-29T23:59:59-00:30"]
    >>> us.tolist() == [to_us(datetime.fromisoformat(t)) for t in texts], ok.tolist()
    (True, [True, True])
    >>> a = np.frombuffer(b"2025-02-29T00:00Z2026-13-01T00:00Z2026-01-01T24:00Z0001-01-01T00:00Z", dtype=np.uint8)
    >>> iso_rows_us(np, a.reshape(4, 17), *ISO_LAYOUTS[17])[1].tolist()
    [False, False, False, False]
    """
    n, width = a.shape
    text, limit = b"0000-00-00T00:00", b"\x09\x09\x09\x09\x00\x09\x09\x00\x09\x09\x00\x09\x09\x00\x09\x09"
    if body >= 19:
        text, limit = text + b":00", limit + b"\x00\x09\x09"
    if fraction:
        text, limit = text + b"." + b"0" * fraction, limit + b"\x00" + b"\x09" * fraction
    # an offset's sign less "+": 0 for "+", 2 for "-" (1, a ",", is refused below)
    text, limit = (
        (text + b"+00:00", limit + b"\x02\x09\x09\x00\x09\x09") if offset else (text + b"Z", limit + b"\x00")
    )
    assert len(text) == width
    d = a.T.copy()  # a row per column of the texts (a copy: ``a`` may be read-only)
    d -= np.frombuffer(text, dtype=np.uint8)[:, None]  # uint8: below "0" wraps round
    ok = ~(d > np.frombuffer(limit, dtype=np.uint8)[:, None]).any(axis=0)
    month, day = _digits(np, d, 5, 7), _digits(np, d, 8, 10)
    hour, minute = _digits(np, d, 11, 13), _digits(np, d, 14, 16)
    wrong = (hour > 23) | (minute > 59)
    seconds = np.multiply(hour, 3600, dtype=np.int32)  # of the day, less the offset
    seconds += np.multiply(minute, 60, dtype=np.int32)
    if body >= 19:
        second = _digits(np, d, 17, 19)
        wrong |= second > 59
        seconds += second
    if offset:
        oh, om = _digits(np, d, body + 1, body + 3), _digits(np, d, body + 4, body + 6)
        wrong |= (d[body] == 1) | (oh > 23) | (om > 59)
        shift = np.multiply(oh, 3600, dtype=np.int32)
        shift += np.multiply(om, 60, dtype=np.int32)
        seconds -= np.where(d[body] == 0, shift, -shift)
    ok &= ~wrong
    year = _digits(np, d, 0, 4)
    ok &= (year > 1) & (year < 9999)
    year = np.clip(year, 2, 9998)
    first = int(year.min()) if n else 2
    # per year from the first, 16 months (0 and 13-15: none): the days from 1970-01-01 to
    # the month's day 0, and its length (0: no month)
    years = np.arange(first, int(year.max()) + 1 if n else 3, dtype=np.int64)[:, None]
    leap = (years % 4 == 0) & ((years % 100 != 0) | (years % 400 == 0))
    before = years - 1
    starts = (
        365 * before
        + before // 4
        - before // 100
        + before // 400
        - 719163
        + np.array((0, *_CUMULATIVE[1:], 365, 365, 365))
    )
    starts += leap & (np.arange(16) > 2)
    lengths = np.array((0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0), dtype=np.uint8) + (
        leap & (np.arange(16) == 2)
    ).astype(np.uint8)
    index = np.multiply(year - first, 16, dtype=np.int32)
    index += np.minimum(month, 15)
    ok &= day - 1 < lengths.ravel().take(index)  # uint8: day 0 wraps round
    days = starts.astype(np.int32).ravel().take(index)
    days += day
    us = np.multiply(days, 86400, dtype=np.int64)
    us += seconds
    us *= 1_000_000
    if fraction:
        us += _digits(np, d, 20, 20 + fraction) * 10 ** (6 - fraction)
    return us, ok


def parse_iso_duration(text: str, param: str = "d") -> int:
    """Exact microseconds of an ISO 8601 duration such as ``"PT4H"`` or ``"P1DT30M"``.

    Weeks, days (24 hours each), hours, minutes and seconds with up to six decimals; years
    and months are refused (their length varies).

    >>> parse_iso_duration("PT4H30M") // 60_000_000
    270
    >>> parse_iso_duration("-P1DT0.5S")
    -86400500000
    """
    m = _ISO_DURATION.fullmatch(text.strip().upper())
    if (
        m is None
        or text.strip().upper().rstrip("T") in ("P", "+P", "-P")
        or text.strip().upper().endswith("T")
    ):
        years = "Y" in text.upper() or re.search(r"P[^T]*M", text.upper()) is not None
        why = " (years and months have no fixed length: give days)" if years else ""
        raise SlocalcValueError(
            f"{param}: {text[:80]!r} is not an ISO 8601 duration{why}; expected e.g. 'PT4H', "
            f"'P2D', 'P1DT30M' or 'PT0.5S'"
        )
    sign, w, d, h, mi, s, frac = m.groups()
    days = int(w or 0) * 7 + int(d or 0)
    secs = int(h or 0) * 3600 + int(mi or 0) * 60 + int(s or 0)
    us = (days * 86_400 + secs) * US_PER_SECOND + int((frac or "").ljust(6, "0") or 0)
    return -us if sign == "-" else us


def _timedelta64_us(value: Any, param: str) -> int:
    import numpy as np

    if np.isnat(value):
        raise SlocalcValueError(f"{param}: got NaT; a missing duration is only accepted in the *_many forms")
    unit = np.datetime_data(value.dtype)[0]
    if unit in ("Y", "M", "generic"):
        raise SlocalcValueError(
            f"{param}: {value!r} is in {unit!r} units, which have no fixed length; use days or finer"
        )
    as_us = value.astype("timedelta64[us]")
    if as_us.astype(value.dtype) != value:
        raise SlocalcValueError(
            f"{param}: {value!r} is not a whole number of microseconds; slocalc is exact to the microsecond"
        )
    return int(as_us.astype(np.int64))


def duration_us(value: object, param: str) -> int:
    """Exact microseconds of a duration of any kind users hold.

    ``timedelta`` and its subclasses (pendulum ``Duration``, pandas ``Timedelta``),
    ``numpy.timedelta64`` and ISO 8601 duration strings. Sub-microsecond parts are refused.

    >>> duration_us("PT1M", "d")
    60000000
    >>> duration_us(90, "d")
    Traceback (most recent call last):
    ...
    slocalc.errors.SlocalcTypeError: d: expected a duration (datetime.timedelta, numpy.timedelta64 or an ISO 8601 text such as 'PT4H'), got int 90; for seconds use timedelta(seconds=value)
    """
    if isinstance(value, timedelta):
        if value.__class__ is not timedelta:
            if value != value:  # pandas.NaT
                raise SlocalcValueError(
                    f"{param}: got NaT; a missing duration is only accepted in the *_many forms"
                )
            if getattr(value, "nanoseconds", 0):
                raise SlocalcValueError(
                    f"{param}: {value!r} has nanoseconds; slocalc is exact to the microsecond: "
                    f"round it first, e.g. td.floor('us')"
                )
        return _td_div(value, ONE_US)
    if isinstance(value, str):
        return parse_iso_duration(value, param)
    if type(value).__name__ == "timedelta64" and type(value).__module__ == "numpy":
        return _timedelta64_us(value, param)
    hint = ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        hint = "; for seconds use timedelta(seconds=value)"
    elif type(value).__module__.split(".")[0] == "whenever":
        hint = "; convert with its .py_timedelta() method"
    raise SlocalcTypeError(
        f"{param}: expected a duration (datetime.timedelta, numpy.timedelta64 or an ISO 8601 "
        f"text such as 'PT4H'), got {type(value).__name__} {value!r}{hint}"
    )


def require_timedelta(value: object, param: str) -> timedelta:
    """Return ``value`` if it is a ``timedelta`` (or a subclass), else raise ``TypeError``.

    Callers that take every duration kind convert with :func:`as_timedelta` instead.
    """
    if not isinstance(value, timedelta):
        raise SlocalcTypeError(
            f"{param}: expected a datetime.timedelta, got {type(value).__name__} {value!r}"
        )
    return value


def as_timedelta(value: object, param: str) -> timedelta:
    """``value`` (any kind :func:`duration_us` takes) as a plain ``timedelta``, exactly.

    >>> as_timedelta("PT90M", "d")
    datetime.timedelta(seconds=5400)
    """
    if value.__class__ is timedelta:
        return value
    return timedelta(microseconds=duration_us(value, param))


def to_us(dt: datetime) -> int:
    """Microseconds since the Unix epoch of an aware datetime (exact; honours ``fold``).

    Any datetime subclass is read as the datetime it holds (pendulum, pandas).
    """
    return _td_div(_dt_sub(dt, EPOCH), ONE_US)


def td_to_us(td: timedelta) -> int:
    """Exact microseconds of a timedelta."""
    return _td_div(td, ONE_US)


def from_us(us: int, tz: tzinfo | None = None) -> datetime:
    """The aware datetime for ``us``, expressed in ``tz`` (UTC when ``None``).

    Exact: whole seconds through ``fromtimestamp`` (an int, never a float), then the
    microseconds with ``replace``, which keeps ``fold`` (adding a timedelta would reset it
    in a repeated hour). An offset with microseconds (``datetime.timezone`` allows one)
    takes the general conversion.

    Raises:
        SlocalcValueError: ``us`` lies outside the years 1-9999 (UTC or local).

    >>> from datetime import timedelta, timezone
    >>> from_us(3_600_000_000, timezone(timedelta(microseconds=1))).isoformat()
    '1970-01-01T01:00:00.000001+00:00:00.000001'
    """
    q, r = divmod(us, 1_000_000)
    try:
        dt = _fromtimestamp(q, UTC if tz is None else tz)
        if dt.microsecond:  # the offset has microseconds: the local µs is not 0 at a whole second
            return (EPOCH + timedelta(microseconds=us)).astimezone(tz)
    except (OverflowError, ValueError, OSError):
        raise out_of_range(us, "result") from None
    return dt.replace(microsecond=r) if r else dt


#: the instants (UTC microseconds) of the first and last datetime
_FIRST_US: Final = -62_135_596_800_000_000
_LAST_US: Final = 253_402_300_799_999_999


def fixed_offset_us(tz: tzinfo) -> int | None:
    """The offset of ``tz`` in microseconds if it is fixed by its type (``datetime.timezone``,
    pydantic's ``TzInfo``) and a whole number of seconds, else ``None``."""
    kind = type(tz)
    if kind is timezone or (kind.__name__ == "TzInfo" and kind.__module__.startswith("pydantic_core")):
        offset = tz.utcoffset(None)
        if offset is not None:
            us = _td_div(offset, ONE_US)
            if us % 1_000_000 == 0:
                return int(us)
    return None


def utc_to(tz: tzinfo | None) -> Callable[[datetime], datetime]:
    """``dt.astimezone(tz)`` for UTC datetimes ``dt``, as a function made once for many:
    UTC itself (``None`` too) gives each unchanged; any other zone converts each distinct
    instant once and gives the same object for it again (a report names one deadline in
    several places).

    >>> from datetime import timedelta, timezone
    >>> to_est = utc_to(timezone(timedelta(hours=-5)))
    >>> to_est(datetime(2026, 3, 2, 3, tzinfo=UTC)).isoformat()
    '2026-03-01T22:00:00-05:00'
    >>> to_est(datetime(2026, 3, 2, 3, tzinfo=UTC)) is to_est(datetime(2026, 3, 2, 3, tzinfo=UTC))
    True
    """
    if tz is None or tz is UTC:
        return _same
    done: dict[datetime, datetime] = {}

    def convert(dt: datetime) -> datetime:
        out = done.get(dt)
        if out is None:
            out = done[dt] = dt.astimezone(tz)
        return out

    return convert


def _same(dt: datetime) -> datetime:
    return dt


def from_us_many(np: Any, us: Any, tz: tzinfo | None = None) -> list[datetime]:
    """:func:`from_us` of each of ``us`` (an array of UTC microseconds) in ``tz``, the same
    datetimes (value, ``tzinfo``, ``fold``).

    In a fixed offset of whole seconds (UTC, ``datetime.timezone``, pydantic's ``TzInfo``:
    what ISO 8601 text parses to) each is the zone's 1970-01-01 plus the local reading's
    ``timedelta`` from it, which numpy makes at once (``timedelta64[us]`` to objects, in C):
    the same value, the zone itself as ``tzinfo`` and ``fold`` 0, about ten times cheaper
    than setting the zone on each naive reading (``datetime.replace`` parses keywords); any
    other zone converts one instant at a time.

    Raises:
        SlocalcValueError: an instant lies outside the years 1-9999 (UTC or local).

    >>> import numpy as np
    >>> [d.isoformat() for d in from_us_many(np, np.array([0, 1_500_000]), timezone(timedelta(hours=-5)))]
    ['1969-12-31T19:00:00-05:00', '1969-12-31T19:00:01.500000-05:00']
    """
    zone = UTC if tz is None else tz
    off = fixed_offset_us(zone)
    if off is not None and len(us):
        local = us + off
        if int(local.min()) >= _FIRST_US and int(local.max()) <= _LAST_US:
            spans: list[timedelta] = local.astype("timedelta64[us]").astype(object).tolist()
            return list(map(datetime(1970, 1, 1, tzinfo=zone).__add__, spans))
    return [from_us(u, tz) for u in us.tolist()]


def like(result: datetime, model: datetime) -> datetime:
    """``result`` as the kind of datetime ``model`` is (pandas ``Timestamp``, pendulum ``DateTime``).

    A plain ``datetime`` model gives ``result`` unchanged; a subclass is rebuilt from the
    result's fields (``fold`` kept), so the value is exact to the microsecond.
    """
    cls = model.__class__
    if cls is datetime or result.__class__ is cls:
        return result
    made = cls.combine(result.date(), result.timetz())
    if result.fold and not made.fold:
        made = made.replace(fold=1)
    return made


def local_wall(us: int, zone: tzinfo) -> datetime:
    """The naive local wall-clock reading of instant ``us`` in ``zone``."""
    return (EPOCH + timedelta(microseconds=us)).astimezone(zone).replace(tzinfo=None)


def naive_to_us(naive: datetime) -> int:
    """Microseconds of a naive datetime read as if it were UTC."""
    days = naive.toordinal() - _EPOCH_ORDINAL
    secs = naive.hour * 3600 + naive.minute * 60 + naive.second
    return (days * 86_400 + secs) * US_PER_SECOND + naive.microsecond


def wall_to_us(zone: tzinfo, wall: datetime) -> int:
    """Place a local wall-clock reading by the boundary rule.

    The result is the earliest instant whose local reading in ``zone`` is ``>= wall``:
    the first occurrence of a repeated (fall-back) reading, and the transition instant for
    a reading that falls in a spring-forward gap.
    """
    first = wall.replace(tzinfo=zone, fold=0)
    off0 = first.utcoffset()
    off1 = wall.replace(tzinfo=zone, fold=1).utcoffset()
    assert off0 is not None, "zoneinfo zones always have an offset"
    assert off1 is not None, "zoneinfo zones always have an offset"
    u0 = naive_to_us(wall) - td_to_us(off0)
    if off1 <= off0:
        # Unambiguous (equal offsets) or repeated (fold=0 is the first occurrence).
        return u0
    # In a gap (the offset grows across it): fold=0 resolves with the offset before the
    # transition (too late) and fold=1 with the offset after it (too early). Bisect the
    # transition instant: the smallest instant whose local reading is >= wall.
    lo = naive_to_us(wall) - td_to_us(off1)
    hi = u0
    while lo < hi:
        mid = (lo + hi) // 2
        if local_wall(mid, zone) >= wall:
            hi = mid
        else:
            lo = mid + 1
    return lo


_MIDNIGHT = time(0)


def wall_instant(zone: tzinfo, day: date, wall: time | timedelta = _MIDNIGHT) -> int:
    """UTC µs of the local reading (``day``, ``wall``) placed by the boundary rule.

    The earliest instant whose local reading is ``>=`` (``day``, ``wall``): see
    docs/concepts/dst.md. A ``timedelta`` wall counts from local midnight and may pass 24 h
    (``timedelta(hours=24)`` is the next midnight, an overnight end lies on the next day).

    >>> from datetime import date, time
    >>> from zoneinfo import ZoneInfo
    >>> ny = ZoneInfo("America/New_York")
    >>> from_us(wall_instant(ny, date(2026, 3, 8), time(2, 30)), ny).isoformat()  # in the gap
    '2026-03-08T03:00:00-04:00'
    >>> from_us(wall_instant(ny, date(2026, 11, 1), time(1, 30)), ny).isoformat()  # first of two
    '2026-11-01T01:30:00-04:00'
    """
    if type(wall) is time:
        reading = datetime(  # noqa: DTZ001 - a local wall reading
            day.year, day.month, day.day, wall.hour, wall.minute, wall.second, wall.microsecond
        )
    else:
        reading = datetime(day.year, day.month, day.day) + wall  # type: ignore[operator]  # noqa: DTZ001
    return wall_to_us(zone, reading)


#: a reading this far (µs) from every offset change of its zone is placed by arithmetic:
#: more than any offset (±26 h), so the reading and its instant lie in one constant stretch
_NEAR: Final = 2 * US_PER_DAY


class DayWalls:
    """:func:`wall_instant` for readings of the local days ``first`` to ``last`` (and up to
    two days past ``last``: overnight ends), fast: a reading two days or more from every
    offset change of ``zone`` is its local time less the constant offset (what the
    boundary rule gives there), any other is placed by :func:`wall_instant` itself.

    The offset changes are those :func:`transitions` finds in the whole UTC years inside
    the window (cached per zone and year); a reading within two days of those years' ends
    is placed by the rule too. A calendar compiling a year asks for ~800 readings; most lie
    far from a change.

    >>> from zoneinfo import ZoneInfo
    >>> ny = ZoneInfo("America/New_York")
    >>> walls = DayWalls(ny, date(2025, 12, 29), date(2027, 1, 3))
    >>> [from_us(walls(date(2026, 3, d), 9 * 60), ny).isoformat() for d in (2, 8, 9)]
    ['2026-03-02T09:00:00-05:00', '2026-03-08T09:00:00-04:00', '2026-03-09T09:00:00-04:00']
    >>> walls(date(2026, 3, 8), 150) == wall_instant(ny, date(2026, 3, 8), time(2, 30))  # in the gap
    True
    """

    __slots__ = ("_hi", "_lo", "_offs", "_times", "_zone")

    def __init__(self, zone: tzinfo, first: date, last: date) -> None:
        self._zone = zone
        #: the whole UTC years inside the window, ``[lo, hi)`` (empty near the ends of
        #: ``datetime``, years 1 and 9999: every reading by the rule)
        lo = hi = 0
        if first.year > 1 and last.year < 9999:
            lo = year_start_us(first.year if (first.month, first.day) == (1, 1) else first.year + 1)
            hi = year_start_us(last.year)
        self._lo, self._hi = lo, hi
        #: the instants the offset changes at in them, the offset before the first and after each
        self._times: list[int] = []
        self._offs: list[int] = []
        if lo < hi:
            changes = transitions(zone, lo, hi)
            self._times = [t for t, _ in changes]
            self._offs = [offset_us(zone, lo), *(o for _, o in changes)]

    def __call__(self, day: date, minutes: int) -> int:
        """UTC µs of the local reading ``minutes`` after midnight of ``day``."""
        wall = (day.toordinal() - _EPOCH_ORDINAL) * US_PER_DAY + minutes * 60_000_000
        times = self._times
        k = bisect_right(times, wall)
        if (
            wall - self._lo < _NEAR
            or self._hi - wall < _NEAR
            or (k and wall - times[k - 1] < _NEAR)
            or (k < len(times) and times[k] - wall < _NEAR)
        ):
            return wall_instant(self._zone, day, timedelta(minutes=minutes))
        return wall - self._offs[k]


def week_bounds(day: date, zone: tzinfo) -> tuple[int, int]:
    """UTC µs of Monday 00:00 of the week holding ``day`` and of the next Monday 00:00.

    Local wall clock of ``zone``, placed by the boundary rule (so a week holding a DST
    change lasts 167 or 169 hours).

    >>> from datetime import date
    >>> from zoneinfo import ZoneInfo
    >>> a, b = week_bounds(date(2026, 3, 4), ZoneInfo("America/New_York"))  # holds Sun 8 March
    >>> (b - a) // 3_600_000_000
    167
    """
    monday = day - timedelta(days=day.weekday())
    return wall_instant(zone, monday), wall_instant(zone, monday + timedelta(days=7))


def year_start_us(year: int) -> int:
    """UTC microseconds of ``year``-01-01T00:00Z."""
    return (date(year, 1, 1).toordinal() - _EPOCH_ORDINAL) * US_PER_DAY


def year_of(us: int) -> int:
    """The UTC calendar year holding instant ``us``.

    Raises:
        SlocalcValueError: ``us`` lies outside the years 1-9999.
    """
    try:
        return date.fromordinal(us // US_PER_DAY + _EPOCH_ORDINAL).year
    except (ValueError, OverflowError):
        raise out_of_range(us) from None


def offset_us(zone: tzinfo, us: int) -> int:
    """The UTC offset of ``zone`` at instant ``us``, in microseconds."""
    off = from_us(us, zone).utcoffset()
    assert off is not None, "zoneinfo zones always have an offset"
    return off // ONE_US


#: Offsets are sampled a day apart, then every change is bisected to the microsecond. In
#: tzdata two offset changes are never closer than several days (the closest pair, in
#: Africa/Freetown 1939, is 3.9 days apart; tests/test_calendar_zones.py checks every zone
#: against the zone files), so no change is missed.
_SCAN_US = US_PER_DAY


@functools.lru_cache(maxsize=4096)
def _year_transitions(zone: tzinfo, year: int) -> tuple[tuple[int, int], ...]:
    lo, hi = year_start_us(year), year_start_us(year + 1)
    out: list[tuple[int, int]] = []
    a = lo - 1  # a change exactly at ``lo`` differs from the instant before it
    off_a = offset_us(zone, a)
    last = hi - 1
    while a < last:
        b = min(a + _SCAN_US, last)
        off_b = offset_us(zone, b)
        if off_b == off_a:
            a = b
            continue
        # offset(a) == off_a != offset(b): the first instant in (a, b] that differs
        x, y = a, b
        while y - x > 1:
            mid = (x + y) // 2
            if offset_us(zone, mid) == off_a:
                x = mid
            else:
                y = mid
        a, off_a = y, offset_us(zone, y)
        out.append((a, off_a))
    return tuple(out)


def transitions(zone: tzinfo, start_us: int, end_us: int) -> tuple[tuple[int, int], ...]:
    """Every UTC-offset change of ``zone`` in ``[start_us, end_us)``, exact to the µs.

    Each item is ``(instant, offset after it)`` in microseconds: the instant is the first
    with the new offset, so a spring-forward gap or a fall-back fold begins there on the
    local wall clock (docs/concepts/dst.md). Results are cached per zone and UTC year.

    >>> from datetime import UTC, datetime
    >>> from zoneinfo import ZoneInfo
    >>> a, b = to_us(datetime(2026, 1, 1, tzinfo=UTC)), to_us(datetime(2027, 1, 1, tzinfo=UTC))
    >>> [(from_us(t).isoformat(), off // 3_600_000_000) for t, off in transitions(ZoneInfo("Europe/Dublin"), a, b)]
    [('2026-03-29T01:00:00+00:00', 1), ('2026-10-25T01:00:00+00:00', 0)]
    """
    if end_us <= start_us:
        return ()
    out: list[tuple[int, int]] = []
    for year in range(year_of(start_us), year_of(end_us - 1) + 1):
        out.extend(tr for tr in _year_transitions(zone, year) if start_us <= tr[0] < end_us)
    return tuple(out)


# Abbreviations people type for a zone (seasonal, ambiguous, or not zones at all): suggest the
# IANA zones they usually mean instead of fixed-offset look-alikes such as 'MST' or 'EST'.
_ABBREVIATIONS = {
    "BST": ("Europe/London", "Europe/Belfast"),
    "IST": ("Europe/Dublin", "Asia/Kolkata", "Asia/Jerusalem"),
    "GMT": ("Europe/London", "UTC"),
    "EDT": ("America/New_York",),
    "CDT": ("America/Chicago",),
    "MDT": ("America/Denver",),
    "PST": ("America/Los_Angeles",),
    "PDT": ("America/Los_Angeles",),
    "SGT": ("Asia/Singapore",),
    "CEST": ("Europe/Berlin", "Europe/Paris"),
    "AEST": ("Australia/Sydney", "Australia/Brisbane"),
    "AEDT": ("Australia/Sydney",),
    "JST": ("Asia/Tokyo",),
}


@functools.lru_cache(maxsize=512)
def _available_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


#: zones whose meaning depends on the host's configuration, never the same on two machines
_HOST_ZONES = frozenset({"localtime", "posixrules", "Factory"})


def zone_key(tz: object) -> str:
    """The IANA name of a zone given as a name or as any zone object users hold.

    Accepted: an IANA name, a ``zoneinfo.ZoneInfo`` (pendulum's ``Timezone`` is one), a
    ``dateutil.tz`` zone from ``gettz(name)`` or ``tz.UTC``, a pytz zone, and
    ``datetime.timezone.utc``. Fixed offsets, local-time zones and host-dependent names
    (``localtime``, ``posixrules``) are refused: results must not depend on the machine.

    >>> from zoneinfo import ZoneInfo
    >>> zone_key(ZoneInfo("Europe/Dublin"))
    'Europe/Dublin'
    >>> zone_key("localtime")
    Traceback (most recent call last):
    ...
    slocalc.errors.SlocalcValueError: tz: 'localtime' depends on the host's configuration, so results would differ between machines; give the IANA name of the zone, e.g. 'Europe/London'
    """
    if isinstance(tz, str):
        key = tz
    elif isinstance(tz, zoneinfo.ZoneInfo):
        if tz.key is None:
            raise SlocalcValueError(
                f"tz: {tz!r} was read from a file and has no IANA name; use ZoneInfo(name)"
            )
        key = tz.key
    elif tz is UTC or tz == UTC:
        key = "UTC"
    elif isinstance(tz, timezone):
        raise SlocalcValueError(
            f"tz: {tz!r} is a fixed offset, not a zone; give an IANA name (e.g. 'Etc/GMT-5' for +05:00 "
            f"all year, or the region's zone such as 'Asia/Karachi')"
        )
    else:
        key = _foreign_key(tz)
    if key in _HOST_ZONES or (key.startswith("posix/") and key[6:] in _HOST_ZONES):
        raise SlocalcValueError(
            f"tz: {key!r} depends on the host's configuration, so results would differ between "
            f"machines; give the IANA name of the zone, e.g. 'Europe/London'"
        )
    return key


def _foreign_key(tz: object) -> str:
    """The IANA name of a pytz or dateutil zone (refusing anything else by name)."""
    mod = type(tz).__module__.split(".")[0]
    if mod == "pytz":
        zone = getattr(tz, "zone", None)
        if isinstance(zone, str):
            return zone
    if mod == "dateutil":
        name = type(tz).__name__
        if name == "tzutc":
            return "UTC"
        filename = getattr(tz, "_filename", None)  # read only: dateutil keeps the name given to gettz
        if name == "tzfile" and isinstance(filename, str):
            for root in ("zoneinfo/", "zoneinfo\\"):
                if root in filename:
                    return filename.rsplit(root, 1)[1].replace("\\", "/")
            if not filename.startswith(("/", ".")):
                return filename
        raise SlocalcValueError(
            f"tz: the dateutil zone {tz!r} has no IANA name (local time, a file or a rule); "
            f"use dateutil.tz.gettz('Area/City') or an IANA name"
        )
    raise SlocalcTypeError(
        f"tz: expected an IANA zone name such as 'Europe/London' or a zone object (ZoneInfo, "
        f"pytz, dateutil), got {type(tz).__name__} {tz!r}"
    )


def resolve_zone(tz: object) -> zoneinfo.ZoneInfo:
    """Resolve an IANA name or zone object (see :func:`zone_key`) to its ``ZoneInfo``.

    Raises:
        UnknownTimezoneError: an unknown name, with suggestions.
        SlocalcValueError: a fixed offset or a host-dependent zone.
        SlocalcTypeError: not a zone.
    """
    if type(tz) is str:
        return _resolve_name(tz)
    return _resolve_name(zone_key(tz))


@functools.lru_cache(maxsize=1024)
def _resolve_name(name: str) -> zoneinfo.ZoneInfo:
    """Resolve an IANA name, raising :class:`UnknownTimezoneError` with suggestions."""
    if not isinstance(name, str):
        raise SlocalcTypeError(f"tz: expected an IANA zone name such as 'Europe/London', got {name!r}")
    zone_key(name)  # refuses host-dependent names
    try:
        if not name or name.startswith("/") or ".." in name:
            raise zoneinfo.ZoneInfoNotFoundError(name)
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    zones = _available_zones()
    suggestions = list(_ABBREVIATIONS.get(name.upper(), ())) or close_matches(name, zones)
    if not suggestions:
        # Match on the city part too: "New York" -> America/New_York.
        city = name.replace(" ", "_").lower()
        suggestions = sorted(z for z in zones if z.lower().endswith("/" + city))[:3]
    raise UnknownTimezoneError(name, suggestions)


#: pydantic's JSON text of durations, by value (a run meets few distinct ones)
_DURATION_JSON: dict[timedelta, str] = {}
_JSON_ADAPTERS: dict[type[Any], Any] = {}


def _json_adapter(kind: type[Any]) -> Any:
    """pydantic's serialiser for ``kind``, built on first use (pydantic imported then)."""
    found = _JSON_ADAPTERS.get(kind)
    if found is None:
        from pydantic import TypeAdapter

        found = _JSON_ADAPTERS[kind] = TypeAdapter(kind)
    return found


def duration_json(value: timedelta) -> str:
    """pydantic's JSON text of a plain ``timedelta``, what every result's ``to_dict`` writes
    (docs/cases.md), made once per value.

    >>> duration_json(timedelta(hours=3, minutes=30)), duration_json(timedelta(days=-1))
    ('PT3H30M', '-P1D')
    """
    text = _DURATION_JSON.get(value)
    if text is None:
        if len(_DURATION_JSON) >= 4096:  # bounded
            _DURATION_JSON.clear()
        text = _DURATION_JSON[value] = str(_json_adapter(timedelta).dump_python(value, mode="json"))
    return text


def instant_json(value: datetime) -> str:
    """pydantic's JSON text of a plain aware ``datetime``: in an offset of whole minutes its
    ``isoformat()`` with ``Z`` for ``+00:00``; else pydantic's own (which drops an offset's
    seconds).

    >>> instant_json(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    '2026-03-02T09:00:00Z'
    >>> instant_json(datetime(2026, 3, 2, 9, 0, 0, 5, tzinfo=timezone(timedelta(hours=5, minutes=30))))
    '2026-03-02T09:00:00.000005+05:30'
    """
    offset = value.utcoffset()
    if offset is not None and not offset.seconds % 60 and not offset.microseconds:
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return str(_json_adapter(datetime).dump_python(value, mode="json"))
