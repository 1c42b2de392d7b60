"""Calendars that live in one IANA zone: weekly hours and recurring windows.

They add business days (docs/concepts/business-days.md), which need a single local date
line: :meth:`ZonedCalendar.add_days`, :meth:`~ZonedCalendar.days_between`,
:meth:`~ZonedCalendar.is_business_date` and their ``*_many`` forms, all answered from the
business dates compiled per local year (:mod:`slocalc.calendars._dates`).
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

from slocalc._time import local_wall, wall_instant, wall_to_us
from slocalc.calendars._base import Calendar, _aware_us, _batch, _init_slots, _out, alias_of
from slocalc.calendars._dates import BusinessDates
from slocalc.errors import SlocalcTypeError

_MIDNIGHT = time(0, 0)
_DAY = timedelta(days=1)


class ZonedCalendar(Calendar):
    """A calendar defined on the local wall clock of one IANA zone."""

    __slots__ = ("_dates_ref", "tz", "zone")
    tz: str
    zone: zoneinfo.ZoneInfo
    _dates_ref: BusinessDates | None

    def _init_zoned(self, tz: str, zone: zoneinfo.ZoneInfo, **values: Any) -> None:
        """Set a new calendar's slots: its zone, ``values``; business dates compile on first use."""
        _init_slots(self, tz=tz, zone=zone, _dates_ref=None, **values)

    def __repr__(self) -> str:
        """Code that builds an equal calendar; aliases (``ALWAYS``, ``NEVER``, the support
        centers) print as their names."""
        alias = alias_of(self)
        return self._spelled() if alias is None else alias

    def _spelled(self) -> str:
        """The constructor call that builds an equal calendar."""
        raise NotImplementedError

    def boundary(self, day: date, wall: time | timedelta = _MIDNIGHT) -> int:
        """UTC µs of local ``day`` + ``wall`` placed by the boundary rule (docs/concepts/dst.md)."""
        return wall_instant(self.zone, day, wall)

    @property
    def _dates(self) -> BusinessDates:
        dates = self._dates_ref
        if dates is None:
            dates = BusinessDates(self._index, self.zone)
            object.__setattr__(self, "_dates_ref", dates)
        return dates

    def is_business_date(self, day: date) -> bool:
        """Whether local date ``day`` has some open time.

        >>> from datetime import date
        >>> from slocalc import BusinessCalendar
        >>> cal = BusinessCalendar(tz="Europe/Dublin", holidays="IE")
        >>> cal.is_business_date(date(2026, 3, 17)), cal.is_business_date(date(2026, 3, 18))
        (False, True)
        """
        if not isinstance(day, date):
            raise SlocalcTypeError(f"day: expected a datetime.date, got {type(day).__name__} {day!r}")
        return self._dates.is_business(day.toordinal())

    def add_days(self, t: datetime, n: int) -> datetime:
        """``n`` business days from ``t`` (negative ``n`` goes back).

        A business date is a local date with some open time. For ``n >= 0`` let ``s`` be
        ``next_open(t)``; for ``n < 0`` let ``s`` be the last business instant at or before
        ``t`` (``t`` itself if open, else the close that ends the latest open interval
        before ``t``). The result is ``s``'s local wall time on the ``|n|``-th business
        date after (``n > 0``) or before (``n < 0``) ``s``'s local date, placed by the
        boundary rule; ``next_open(t)`` when ``n == 0``. So going back mirrors going
        forward: one business day before Saturday noon on Mon-Fri 09:00-17:00 is one whole
        business day before Friday's close, Thursday 17:00. See
        docs/concepts/business-days.md.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from slocalc import BusinessCalendar
        >>> ny = ZoneInfo("America/New_York")
        >>> cal = BusinessCalendar(tz="America/New_York", holidays=("US", "MA"))
        >>> cal.add_days(datetime(2026, 11, 25, 10, 30, tzinfo=ny), 3).isoformat()  # Thanksgiving
        '2026-12-01T10:30:00-05:00'
        >>> cal.add_days(datetime(2026, 11, 28, 12, 0, tzinfo=ny), -1).isoformat()  # Saturday noon
        '2026-11-25T17:00:00-05:00'
        """
        u = _aware_us(t, "t", self)
        if isinstance(n, bool) or not isinstance(n, int):
            raise SlocalcTypeError(f"n: expected a whole number of business days, got {n!r}")
        if n >= 0:
            s = self._index.next_open(u)
            if n == 0:
                return t if s == u else _out(s, t)
        else:
            s = self._index.last_business(u)
        wall = local_wall(s, self.zone)
        day = wall.toordinal()
        target = self._dates.step(day, n)
        return _out(wall_to_us(self.zone, wall + (target - day) * _DAY), t)

    def days_between(self, a: datetime, b: datetime) -> int:
        """Business dates from ``a``'s local date to ``b``'s: negative when ``b < a``.

        The number of business dates after ``a``'s local date up to and including ``b``'s
        (on this calendar's wall clock); for ``b`` before ``a``, minus the count from ``b``
        to ``a``. The times of day do not matter, so for an open ``t`` and ``n >= 0``,
        ``days_between(t, add_days(t, n)) == n``. See docs/concepts/business-days.md.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from slocalc import BusinessCalendar
        >>> ny = ZoneInfo("America/New_York")
        >>> cal = BusinessCalendar(tz="America/New_York", holidays=("US", "MA"))
        >>> wed = datetime(2026, 11, 25, 10, 30, tzinfo=ny)  # Thanksgiving is Thursday
        >>> cal.days_between(wed, datetime(2026, 12, 1, 9, 0, tzinfo=ny))
        3
        >>> cal.days_between(datetime(2026, 12, 1, 9, 0, tzinfo=ny), wed)
        -3
        """
        ua, ub = _aware_us(a, "a", self), _aware_us(b, "b", self)
        index = self._index
        index.year(ua), index.year(ub)  # refuse instants outside the supported range
        da = local_wall(ua, self.zone).toordinal()
        db = local_wall(ub, self.zone).toordinal()
        return self._dates.count(da + 1, db + 1)

    # -- batches ---------------------------------------------------------------------------

    def add_days_many(self, ts: Any, n: Any) -> Any:
        """:meth:`add_days` for many instants at once.

        Args:
            ts: a sequence of aware datetimes, a numpy ``datetime64`` array (UTC) or an
                ``int64`` array of UTC microseconds.
            n: one whole number for all, or one per instant (a sequence or integer array).

        Returns:
            The same kind as ``ts`` (see :meth:`Calendar.add_many`).

        >>> import numpy as np
        >>> from slocalc import BusinessCalendar
        >>> cal = BusinessCalendar(tz="UTC")
        >>> cal.add_days_many(np.array(["2026-12-04T15:00", "2026-12-05T15:00"], dtype="datetime64[us]"), 1)
        array(['2026-12-07T15:00:00.000000', '2026-12-08T08:00:00.000000'],
              dtype='datetime64[us]')
        """
        return _batch().add_days_many(self, ts, n)

    def days_between_many(self, a: Any, b: Any) -> Any:
        """:meth:`days_between` for many pairs at once; ``int64`` array or list of ints."""
        return _batch().days_between_many(self, a, b)

    def _add_days_us(self, u: Any, n: Any) -> Any:
        """:meth:`add_days_many` for an ``int64`` array ``u`` (UTC µs) and day counts ``n``:
        one ``int`` for all, or an ``int64`` array of ``u``'s shape. A new ``int64`` array; a
        private fast entry, as :meth:`Calendar._add_us`.

        >>> import numpy as np
        >>> from slocalc import BusinessCalendar
        >>> cal = BusinessCalendar(tz="UTC")  # Mon-Fri 08:00-17:00
        >>> fri = 1_796_396_400_000_000  # 2026-12-04T15:00Z, a Friday
        >>> (cal._add_days_us(np.array([fri]), 1) - fri) // 3_600_000_000  # Monday 15:00
        array([72])
        """
        return _batch().add_days_fast(self, u, n)
