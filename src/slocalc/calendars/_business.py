"""``BusinessCalendar``: weekly hours in an IANA zone, with holidays and overrides."""

from __future__ import annotations

import sys
from collections.abc import Hashable, Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Literal, Union

if TYPE_CHECKING:  # pragma: no cover - holidays loads on first use (import stays cheap)
    import holidays as _holidays

from slocalc._time import DayWalls, from_iso, resolve_zone, zone_key
from slocalc.calendars._base import set_alias
from slocalc.calendars._hours import DayRanges, Weekly, parse_hours, parse_ranges
from slocalc.calendars._index import Intervals, merge, subtract
from slocalc.calendars._zoned import ZonedCalendar
from slocalc.errors import CalendarSpecError, did_you_mean

__all__ = ["ALWAYS", "NEVER", "BusinessCalendar"]

HolidaysArg = Union[str, tuple[str, str], tuple[str], Iterable[date], "_holidays.HolidayBase", None]


def _is_holiday_base(value: object) -> bool:
    """Whether ``value`` is a ``holidays.HolidayBase`` (never, if holidays is not loaded)."""
    mod = sys.modules.get("holidays")
    return mod is not None and isinstance(value, mod.HolidayBase)


class _Identity:
    """Hashes and compares a mutable object by identity (a user's HolidayBase)."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Identity) and other.obj is self.obj

    def __hash__(self) -> int:
        return id(self.obj)


def _country_holidays(country: str, subdiv: str | None) -> tuple[_holidays.HolidayBase, str, str | None]:
    """The holidays of ``country`` (and ``subdiv``), codes matched case-insensitively.

    Returns ``(holidays, country code, subdivision code)`` with the codes as the holidays
    package spells them.
    """
    import holidays as _holidays

    supported = _holidays.list_supported_countries()
    code = country.upper() if isinstance(country, str) else country
    if code not in supported:
        raise CalendarSpecError(
            f"holidays {country!r}: unknown country code; expected an ISO 3166 code supported "
            f"by the holidays package, e.g. 'US', 'GB', 'IE', 'SG'{did_you_mean(country, supported)}"
        )
    if subdiv is not None:
        subdivs = list(supported[code])
        by_fold = {s.casefold(): s for s in subdivs}
        found = by_fold.get(subdiv.strip().casefold())
        if found is None:
            did = did_you_mean(subdiv, subdivs)
            raise CalendarSpecError(
                f"holidays ({country!r}, {subdiv!r}): unknown subdivision for {code}; expected "
                f"one of {', '.join(subdivs)}{did}"
            )
        subdiv = found
    return _holidays.country_holidays(code, subdiv=subdiv), code, subdiv


class _PandasHolidays:
    """``date in lookup`` for a pandas ``AbstractHolidayCalendar``, one year at a time."""

    __slots__ = ("_cal", "_years")

    def __init__(self, cal: Any) -> None:
        self._cal = cal
        self._years: dict[int, frozenset[date]] = {}

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        found = self._years.get(day.year)
        if found is None:
            stamps = self._cal.holidays(start=date(day.year, 1, 1), end=date(day.year, 12, 31))
            found = self._years[day.year] = frozenset(t.date() for t in stamps)
        return day in found


def _is_pandas_calendar(value: object) -> bool:
    mod = sys.modules.get("pandas.tseries.holiday")
    return mod is not None and isinstance(value, mod.AbstractHolidayCalendar)


def _looks_like_iso_dates(value: tuple[str, ...]) -> bool:
    return bool(value) and all(len(v) >= 10 and v[:4].isdigit() for v in value)


def _as_dates(value: object) -> frozenset[date]:
    """Local dates from any common form: dates, ISO texts, numpy ``datetime64`` arrays, a
    pandas ``DatetimeIndex``/``Series`` of midnights (naive or aware: its wall dates)."""
    mod = type(value).__module__.split(".")[0]
    if mod in ("numpy", "pandas"):
        import numpy as np

        if mod == "pandas":
            stamps: Any = getattr(value, "dt", value)
            if getattr(stamps, "tz", None) is not None:
                value = stamps.tz_localize(None)  # the local wall dates
            value = np.asarray(value)
        arr = np.asarray(value)
        if np.issubdtype(arr.dtype, np.datetime64):
            if np.isnat(arr).any():
                raise CalendarSpecError("holidays: the dates hold NaT; drop missing values first")
            days = arr.astype("datetime64[D]")
            if (days.astype(arr.dtype) != arr).any():
                bad = arr[days.astype(arr.dtype) != arr][0]
                raise CalendarSpecError(
                    f"holidays: {bad} is not a midnight; expected dates (datetime64[D] or normalized stamps)"
                )
            return frozenset(days.tolist())
        value = arr.tolist()
    try:
        items = list(value)  # type: ignore[call-overload]
    except TypeError:
        raise CalendarSpecError(
            f"holidays {value!r}: expected a country code, (country, subdivision), a "
            f"holidays.HolidayBase, a pandas holiday calendar, or an iterable of dates"
        ) from None
    out: set[date] = set()
    for d in items:
        if isinstance(d, str):
            d = from_iso(
                date, d, CalendarSpecError, f"holidays: {d[:40]!r} is not an ISO date; expected 'YYYY-MM-DD'"
            )
        if isinstance(d, datetime) or not isinstance(d, date):
            raise CalendarSpecError(
                f"holidays: {d!r} is not a date; expected datetime.date values or 'YYYY-MM-DD' texts"
            )
        out.add(d)
    return frozenset(out)


def _resolve_holidays(value: HolidaysArg) -> tuple[Hashable, Any, str | None]:
    """Return ``(key, lookup, repr_text)``; lookup supports ``date in lookup``."""
    if value is None:
        return None, frozenset(), None
    if _is_holiday_base(value):
        return _Identity(value), value, f"<{type(value).__name__} holidays>"
    if _is_pandas_calendar(value):
        return _Identity(value), _PandasHolidays(value), f"<{type(value).__name__} holidays>"
    if isinstance(value, str):
        value = (value,)
    if (
        isinstance(value, tuple)
        and value
        and all(isinstance(v, str) for v in value)
        and not _looks_like_iso_dates(value)
    ):
        if len(value) > 2:
            raise CalendarSpecError(f"holidays {value!r}: expected a country code or (country, subdivision)")
        country = str(value[0])
        subdiv: str | None = str(value[1]) if len(value) == 2 else None
        obj, code, subdiv = _country_holidays(country, subdiv)
        key = ("country", obj.country, subdiv)
        return key, obj, repr(code if subdiv is None else (code, subdiv))
    dates = _as_dates(value)
    shown = ", ".join(f"date({d.year}, {d.month}, {d.day})" for d in sorted(dates))
    return ("dates", dates), dates, f"[{shown}]"


def _resolve_overrides(value: Mapping[date, str] | None) -> tuple[tuple[date, DayRanges], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise CalendarSpecError(
            f"overrides {value!r}: expected a mapping of date to hours, "
            f"e.g. {{date(2026, 12, 24): '08:00-12:00'}}"
        )
    out = []
    for d, spec in value.items():
        if isinstance(d, datetime) or not isinstance(d, date):
            raise CalendarSpecError(f"overrides: key {d!r} is not a date; expected datetime.date")
        if not isinstance(spec, str):
            raise CalendarSpecError(
                f"overrides[{d.isoformat()}]: expected hours such as '08:00-12:00' or 'closed', got {spec!r}"
            )
        out.append((d, parse_ranges(spec, what=f"overrides[{d.isoformat()}]")))
    return tuple(sorted(out))


class BusinessCalendar(ZonedCalendar):
    """Weekly business hours in an IANA zone, with holidays and per-date overrides.

    Args:
        tz: IANA zone name, e.g. ``"America/New_York"``, or a zone object naming one
            (``ZoneInfo``, pytz, ``dateutil.tz.gettz``); kept as its IANA name.
        hours: weekly hours, e.g. ``"Mon-Fri 08:00-17:00; Sat 09:00-12:00"``.
        holidays: a country code (``"US"``), a ``(country, subdivision)`` pair
            (``("US", "MA")``) resolved with the holidays package for any year, a
            ``holidays.HolidayBase``, a pandas ``AbstractHolidayCalendar``, or dates in any
            common form: ``datetime.date`` values, ``"YYYY-MM-DD"`` texts, a numpy
            ``datetime64[D]`` array, a pandas ``DatetimeIndex``. Country and subdivision
            codes match case-insensitively. A holiday closes its whole local date.
        overrides: hours for single local dates (``"08:00-12:00"`` or ``"closed"``); an
            override replaces the weekly hours and wins over a holiday.

    Raises:
        UnknownTimezoneError: ``tz`` is not an IANA zone.
        CalendarSpecError: ``hours``, ``holidays`` or ``overrides`` is invalid.

    >>> from datetime import date
    >>> BusinessCalendar(tz="America/New_York", holidays=("US", "MA"))
    BusinessCalendar(tz='America/New_York', hours='Mon-Fri 08:00-17:00', holidays=('US', 'MA'))
    >>> cal = BusinessCalendar(tz="Europe/Dublin", overrides={date(2026, 12, 24): "08:00-12:00"})
    >>> cal.day_ranges(date(2026, 12, 24))  # minutes from local midnight
    ((480, 720),)
    """

    __slots__ = (
        "_holiday_lookup",
        "_holidays_arg",
        "_holidays_key",
        "_holidays_repr",
        "_name",
        "_override_map",
        "hours",
        "overrides",
        "weekly",
    )
    hours: str
    weekly: Weekly
    overrides: tuple[tuple[date, DayRanges], ...]
    _holiday_lookup: Any
    _holidays_key: Hashable
    _holidays_repr: str | None
    _holidays_arg: HolidaysArg
    _name: str | None
    _override_map: dict[date, DayRanges]

    def __init__(
        self,
        *,
        tz: str | tzinfo,
        hours: str = "Mon-Fri 08:00-17:00",
        holidays: HolidaysArg = None,
        overrides: Mapping[date, str] | None = None,
    ) -> None:
        tz = zone_key(tz)
        zone = resolve_zone(tz)
        weekly = parse_hours(hours)
        key, lookup, hrepr = _resolve_holidays(holidays)
        ov = _resolve_overrides(overrides)
        self._init_zoned(
            tz,
            zone,
            hours=" ".join(hours.split()),
            weekly=weekly,
            overrides=ov,
            _override_map=dict(ov),
            _holidays_key=key,
            _holiday_lookup=lookup,
            _holidays_repr=hrepr,
            _holidays_arg=holidays,
            _name=None,
        )

    def _key(self) -> Hashable:
        return ("business", self.tz, self.weekly, self._holidays_key, self.overrides)

    def _spelled(self) -> str:
        """The constructor call, holidays and overrides spelled out as dates."""
        parts = [f"tz={self.tz!r}", f"hours={self.hours!r}"]
        if self._holidays_repr is not None:
            parts.append(f"holidays={self._holidays_repr}")
        if self.overrides:
            shown = ", ".join(
                f"date({d.year}, {d.month}, {d.day}): {self._ranges_text(r)!r}" for d, r in self.overrides
            )
            parts.append(f"overrides={{{shown}}}")
        return f"BusinessCalendar({', '.join(parts)})"

    @staticmethod
    def _ranges_text(ranges: DayRanges) -> str:
        if not ranges:
            return "closed"
        out = []
        for s, e in ranges:
            e_m = e % 1440 if e != 1440 else 1440
            out.append(f"{s // 60:02d}:{s % 60:02d}-{e_m // 60:02d}:{e_m % 60:02d}")
        return ",".join(out)

    def __reduce__(self) -> str | tuple[Any, ...]:  # type: ignore[override]
        if self._name:
            return self._name  # ALWAYS / NEVER pickle as the module globals
        overrides = {d: self._ranges_text(r) for d, r in self.overrides}
        holidays = self._holidays_arg
        key = self._holidays_key
        if isinstance(key, tuple) and key[0] == "dates":
            holidays = key[1]  # any form of dates pickles as the dates
        return (_rebuild, (self.tz, self.hours, holidays, overrides or None))

    def replace(
        self,
        *,
        tz: str | tzinfo | None = None,
        hours: str | None = None,
        holidays: HolidaysArg | Literal["keep"] = "keep",
        overrides: Mapping[date, str] | Literal["keep"] | None = "keep",
    ) -> BusinessCalendar:
        """A copy with some parts of the definition changed (validated like a new calendar).

        ``holidays=None`` or ``overrides=None`` remove them; omitted parts are kept.

        >>> cal = BusinessCalendar(tz="Europe/London", holidays=("GB", "NIR"))
        >>> cal.replace(hours="Mon-Thu 09:00-17:00")
        BusinessCalendar(tz='Europe/London', hours='Mon-Thu 09:00-17:00', holidays=('GB', 'NIR'))
        """
        return BusinessCalendar(
            tz=self.tz if tz is None else tz,
            hours=self.hours if hours is None else hours,
            holidays=self._holidays_arg if isinstance(holidays, str) and holidays == "keep" else holidays,
            overrides=(
                {d: self._ranges_text(r) for d, r in self.overrides}
                if isinstance(overrides, str) and overrides == "keep"
                else overrides
            ),
        )

    def is_holiday(self, day: date) -> bool:
        """Whether local date ``day`` is a holiday of this calendar (overrides aside)."""
        return bool(day in self._holiday_lookup)

    def day_ranges(self, day: date) -> DayRanges:
        """The ranges (minutes from local midnight) that start on local date ``day``."""
        ranges = self._override_map.get(day)
        if ranges is not None:
            return ranges
        if day in self._holiday_lookup:
            return ()
        weekly: DayRanges = self.weekly[day.weekday()]
        return weekly

    def _compile_year(self, year: int, lo: int, hi: int) -> Intervals:
        # Local dates that can meet [lo, hi): offsets are within ±26 h, shifts within 48 h.
        first = date(year, 1, 1) - timedelta(days=3)
        last = date(year + 1, 1, 1) + timedelta(days=2)
        overridden = self._override_map
        opens: Intervals = []
        cuts: Intervals = []
        day = first
        one = timedelta(days=1)
        lookup = self._holiday_lookup
        place = DayWalls(self.zone, first, last)  # the boundary rule, fast away from DST changes
        while day <= last:
            ranges = self.day_ranges(day)
            for s, e in ranges:
                opens.append((place(day, s), place(day, e)))
            if day not in overridden and day in lookup:
                cuts.append((place(day, 0), place(day + one, 0)))
            day += one
        opened = merge(opens)
        return subtract(opened, merge(cuts)) if cuts else opened


def _rebuild(
    tz: str, hours: str, holidays: HolidaysArg, overrides: dict[date, str] | None
) -> BusinessCalendar:
    return BusinessCalendar(tz=tz, hours=hours, holidays=holidays, overrides=overrides)


ALWAYS = BusinessCalendar(tz="UTC", hours="Mon-Sun 00:00-24:00")
object.__setattr__(ALWAYS, "_name", "ALWAYS")
set_alias(ALWAYS, "ALWAYS")
NEVER = BusinessCalendar(tz="UTC", hours="closed")
object.__setattr__(NEVER, "_name", "NEVER")
set_alias(NEVER, "NEVER")
