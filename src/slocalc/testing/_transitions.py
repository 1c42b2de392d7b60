"""UTC-offset transitions of a zone, found by scanning and bisecting (no Hypothesis needed).

zoneinfo does not expose its transition table, so we read it back from ``utcoffset``: scan
the range a day at a time and bisect every change of offset to the second (tzdata
transitions fall on whole seconds). Results are cached per zone and year range.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta

from slocalc._time import EPOCH, resolve_zone

__all__ = ["DEFAULT_MAX_YEAR", "DEFAULT_MIN_YEAR", "transition_seconds", "transitions", "year_start_s"]

#: default year range of the strategies: recent enough to matter, short enough to compile fast
DEFAULT_MIN_YEAR = 2025
DEFAULT_MAX_YEAR = 2028

_DAY_S = 86_400
_EPOCH_ORD = date(1970, 1, 1).toordinal()


def year_start_s(year: int) -> int:
    """Seconds since the epoch of ``year``-01-01T00:00Z."""
    return (date(year, 1, 1).toordinal() - _EPOCH_ORD) * _DAY_S


def _offset_s(tz: str, s: int) -> int:
    off = (EPOCH + timedelta(seconds=s)).astimezone(resolve_zone(tz)).utcoffset()
    assert off is not None
    return off.days * _DAY_S + off.seconds


@functools.lru_cache(maxsize=256)
def transition_seconds(tz: str, min_year: int, max_year: int) -> tuple[int, ...]:
    """Epoch seconds of every offset change of ``tz`` from ``min_year`` through ``max_year``.

    Each value is the first second with the new offset. Two changes less than a day apart
    that cancel out would be missed; tzdata has none in modern years.
    """
    lo, hi = year_start_s(min_year), year_start_s(max_year + 1)
    out: list[int] = []
    u, off_u = lo, _offset_s(tz, lo)
    while u < hi:
        v = min(u + _DAY_S, hi)
        off_v = _offset_s(tz, v)
        if off_v != off_u:
            a, b = u, v  # offset(a) == off_u, offset(b) == off_v
            while b - a > 1:
                m = (a + b) // 2
                if _offset_s(tz, m) == off_u:
                    a = m
                else:
                    b = m
            out.append(b)
        u, off_u = v, off_v
    return tuple(out)


def transitions(
    tz: str, *, min_year: int = DEFAULT_MIN_YEAR, max_year: int = DEFAULT_MAX_YEAR
) -> tuple[datetime, ...]:
    """Instants (in UTC) at which ``tz``'s UTC offset changes, ``min_year`` through ``max_year``.

    Each instant is the first with the new offset: a spring-forward gap or a fall-back fold
    starts there on the local wall clock.

    Args:
        tz: IANA zone name.
        min_year: first calendar year scanned (UTC).
        max_year: last calendar year scanned (UTC), inclusive.

    Raises:
        UnknownTimezoneError: ``tz`` is not an IANA zone.

    >>> [t.isoformat() for t in transitions("Europe/Dublin", min_year=2026, max_year=2026)]
    ['2026-03-29T01:00:00+00:00', '2026-10-25T01:00:00+00:00']
    >>> transitions("Asia/Kathmandu")
    ()
    """
    resolve_zone(tz)
    return tuple(EPOCH + timedelta(seconds=s) for s in transition_seconds(tz, min_year, max_year))
