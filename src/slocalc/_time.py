"""Private helpers: aware-datetime guards, zone resolution, microsecond conversions.

Instants travel through the engine as integers: microseconds since 1970-01-01 UTC.
No floats are ever involved.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, date, datetime, timedelta, tzinfo

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
