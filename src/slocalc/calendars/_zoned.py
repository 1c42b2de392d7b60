"""Calendars that live in one IANA zone: weekly hours and recurring windows.

They add :meth:`ZonedCalendar.add_days` (business days), which needs a single local date line.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import ClassVar

from slocalc._time import local_wall, wall_to_us
from slocalc.calendars._base import Calendar, _aware_us, _out
from slocalc.calendars._index import HORIZON_YEARS
from slocalc.errors import NoBusinessTimeError, SlocalcTypeError

_MIDNIGHT = time(0, 0)


class ZonedCalendar(Calendar):
    """A calendar defined on the local wall clock of one IANA zone."""

    __slots__ = ("_business_dates", "tz", "zone")
    tz: str
    zone: zoneinfo.ZoneInfo
    _business_dates: dict[date, bool]
    _BUSINESS_DATE_CACHE: ClassVar[int] = 20_000

    def boundary(self, day: date, wall: time | timedelta = _MIDNIGHT) -> int:
        """UTC µs of local ``day`` + ``wall`` placed by the boundary rule."""
        base = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a local wall reading
        offset = (
            wall
            if isinstance(wall, timedelta)
            else timedelta(
                hours=wall.hour, minutes=wall.minute, seconds=wall.second, microseconds=wall.microsecond
            )
        )
        return wall_to_us(self.zone, base + offset)

    def is_business_date(self, day: date) -> bool:
        """Whether local date ``day`` has some open time.

        >>> from datetime import date
        >>> from slocalc import BusinessCalendar
        >>> cal = BusinessCalendar(tz="Europe/Dublin", holidays="IE")
        >>> cal.is_business_date(date(2026, 3, 17)), cal.is_business_date(date(2026, 3, 18))
        (False, True)
        """
        hit = self._business_dates.get(day)
        if hit is None:
            lo = self.boundary(day)
            hi = self.boundary(day + timedelta(days=1))
            hit = self._index.between(lo, hi) > 0
            if len(self._business_dates) < self._BUSINESS_DATE_CACHE:
                self._business_dates[day] = hit
        return hit

    def add_days(self, t: datetime, n: int) -> datetime:
        """``n`` business days from ``t`` (negative ``n`` goes back).

        Let ``s = next_open(t)``: the result is ``s``'s local wall time on the ``n``-th
        business date after ``s``'s local date (a business date has some open time),
        placed by the boundary rule; ``s`` itself when ``n == 0``.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from slocalc import BusinessCalendar
        >>> ny = ZoneInfo("America/New_York")
        >>> cal = BusinessCalendar(tz="America/New_York", holidays=("US", "MA"))
        >>> cal.add_days(datetime(2026, 11, 25, 10, 30, tzinfo=ny), 3).isoformat()  # Thanksgiving
        '2026-12-01T10:30:00-05:00'
        """
        u = _aware_us(t, "t", self)
        if isinstance(n, bool) or not isinstance(n, int):
            raise SlocalcTypeError(f"n: expected a whole number of business days, got {n!r}")
        s = self._index.next_open(u)
        if n == 0:
            return t if s == u else _out(s, t.tzinfo)
        wall = local_wall(s, self.zone)
        day = wall.date()
        step = 1 if n > 0 else -1
        left = abs(n)
        dry = 0
        while left:
            day += timedelta(days=step)
            if self.is_business_date(day):
                left -= 1
                dry = 0
            else:
                dry += 1
                if dry > HORIZON_YEARS * 366:
                    raise NoBusinessTimeError(
                        f"{self!r}: no business date within {HORIZON_YEARS} years "
                        f"{'after' if step > 0 else 'before'} {day.isoformat()}"
                    )
        return _out(self.boundary(day, wall.time()), t.tzinfo)
