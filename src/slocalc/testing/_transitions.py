"""UTC-offset transitions of a zone, for the strategies (no Hypothesis needed).

Read from the engine's one offset-change scanner, :func:`slocalc._time.transitions` (exact
to the microsecond; see docs/concepts/dst.md), in whole seconds: tzdata transitions fall
on whole seconds. Results are cached per zone and year range.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta

from slocalc._time import EPOCH, US_PER_SECOND, resolve_zone
from slocalc._time import transitions as _offset_changes

__all__ = ["DEFAULT_MAX_YEAR", "DEFAULT_MIN_YEAR", "transition_seconds", "transitions", "year_start_s"]

#: default year range of the strategies: recent enough to matter, short enough to compile fast
DEFAULT_MIN_YEAR = 2025
DEFAULT_MAX_YEAR = 2028

_DAY_S = 86_400
_EPOCH_ORD = date(1970, 1, 1).toordinal()


def year_start_s(year: int) -> int:
    """Seconds since the epoch of ``year``-01-01T00:00Z."""
    return (date(year, 1, 1).toordinal() - _EPOCH_ORD) * _DAY_S


@functools.lru_cache(maxsize=256)
def transition_seconds(tz: str, min_year: int, max_year: int) -> tuple[int, ...]:
    """Epoch seconds of every offset change of ``tz`` from ``min_year`` through ``max_year``.

    Each value is the first second with the new offset.
    """
    lo, hi = year_start_s(min_year) * US_PER_SECOND, year_start_s(max_year + 1) * US_PER_SECOND
    return tuple(u // US_PER_SECOND for u, _ in _offset_changes(resolve_zone(tz), lo, hi))


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
