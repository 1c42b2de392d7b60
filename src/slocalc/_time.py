"""The shared time kernel: aware-datetime guards, zone resolution, exact conversions.

Instants travel through the engine as integers: microseconds since 1970-01-01 UTC.
No floats are ever involved. Every layer may import this module (it imports no numpy);
wall-clock placement follows the boundary rule of docs/concepts/dst.md.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from slocalc.errors import NaiveDatetimeError, SlocalcTypeError, UnknownTimezoneError, close_matches

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US_PER_SECOND = 1_000_000
US_PER_DAY = 86_400 * US_PER_SECOND
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def require_aware(value: object, param: str) -> datetime:
    """Return ``value`` if it is an aware datetime, else raise a precise error."""
    if not isinstance(value, datetime):
        raise SlocalcTypeError(f"{param}: expected an aware datetime, got {type(value).__name__} {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(param, value)
    return value


def require_timedelta(value: object, param: str) -> timedelta:
    """Return ``value`` if it is a timedelta, else raise ``TypeError``."""
    if not isinstance(value, timedelta):
        raise SlocalcTypeError(
            f"{param}: expected a datetime.timedelta, got {type(value).__name__} {value!r}"
        )
    return value


ONE_US = timedelta(microseconds=1)
_fromtimestamp = datetime.fromtimestamp


def to_us(dt: datetime) -> int:
    """Microseconds since the Unix epoch of an aware datetime (exact; honours ``fold``)."""
    return (dt - EPOCH) // ONE_US


def td_to_us(td: timedelta) -> int:
    """Exact microseconds of a timedelta."""
    return td // ONE_US


def from_us(us: int, tz: tzinfo | None = None) -> datetime:
    """The aware datetime for ``us``, expressed in ``tz`` (UTC when ``None``).

    Exact: whole seconds through ``fromtimestamp`` (an int, never a float), then the
    microseconds with ``replace``, which keeps ``fold`` (adding a timedelta would reset it
    in a repeated hour).
    """
    q, r = divmod(us, 1_000_000)
    dt = _fromtimestamp(q, UTC if tz is None else tz)
    return dt.replace(microsecond=r) if r else dt


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
    """The UTC calendar year holding instant ``us``."""
    return date.fromordinal(us // US_PER_DAY + _EPOCH_ORDINAL).year


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


@functools.lru_cache(maxsize=1024)
def resolve_zone(name: str) -> zoneinfo.ZoneInfo:
    """Resolve an IANA name, raising :class:`UnknownTimezoneError` with suggestions."""
    if not isinstance(name, str):
        raise SlocalcTypeError(f"tz: expected an IANA zone name such as 'Europe/London', got {name!r}")
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
