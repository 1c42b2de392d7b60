"""Hypothesis strategies for instants, zones, weekly hours, calendars and durations.

Design rules, so that counterexamples come out small and readable:

* every strategy is built from structured draws (indices, minute counts) and *then* turned
  into a value, so Hypothesis shrinks the structure, not the text;
* the first alternative of every choice is the plainest value (UTC, ``Mon-Fri``,
  ``09:00-17:00``, an offset of zero from a transition or a boundary), because Hypothesis
  shrinks towards the first alternative and towards zero;
* nothing is filtered: every draw is valid by construction, so no example is wasted.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from slocalc._time import EPOCH, from_us, resolve_zone, to_us
from slocalc.calendars import BusinessCalendar, Calendar, Difference, Intersection, Union, ZonedCalendar
from slocalc.errors import NoBusinessTimeError, SlocalcValueError, did_you_mean
from slocalc.testing._transitions import (
    DEFAULT_MAX_YEAR,
    DEFAULT_MIN_YEAR,
    transition_seconds,
    year_start_s,
)

__all__ = [
    "AWKWARD_ZONES",
    "HOLIDAY_COUNTRIES",
    "ZONES",
    "aware_datetimes",
    "calendars",
    "day_ranges",
    "durations",
    "unions",
    "weekly_hours",
    "zones",
]

_US = 1_000_000
_MINUTE = 60 * _US
_HOUR = 60 * _MINUTE

#: Zones whose offsets or transitions break naive assumptions, each for a stated reason.
AWKWARD_ZONES: tuple[str, ...] = (
    "Asia/Kathmandu",  # +05:45: a 45-minute offset
    "Asia/Kolkata",  # +05:30, no DST
    "Australia/Lord_Howe",  # +10:30 / +11:00: DST moves the clock by 30 minutes
    "America/Santiago",  # transitions at local midnight: 00:00 is skipped or repeated
    "America/Havana",  # midnight transitions, northern hemisphere
    "Europe/Dublin",  # negative DST in tzdata: winter GMT is the "daylight" offset
    "Africa/Casablanca",  # +01 with a drop to +00 around Ramadan (moves every year)
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/St_Johns",  # -03:30 / -02:30
)

#: The default pool of :func:`zones`: UTC, the everyday zones, then the awkward ones.
ZONES: tuple[str, ...] = (
    "UTC",
    "America/New_York",
    "Europe/London",
    "Asia/Singapore",
    "Australia/Sydney",  # southern hemisphere: summer time spans the new year
    "America/Los_Angeles",
    "Europe/Berlin",
    "Asia/Tokyo",
    *AWKWARD_ZONES,
)

#: Holiday specs :func:`calendars` draws from: a country or a (country, subdivision).
HOLIDAY_COUNTRIES: tuple[str | tuple[str, str], ...] = (
    "US",
    ("US", "MA"),
    "GB",
    ("GB", "NIR"),
    "IE",
    "SG",
    "DE",
    "IN",
    "CL",
    "AU",
)

#: Zones an instant may be re-expressed in when ``mixed_tzinfo=True``.
_THIRD_ZONES = ("UTC", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Chatham")

ZonesArg = str | Iterable[str] | SearchStrategy[str] | None


def _check_years(min_year: int, max_year: int) -> None:
    if not (1900 <= min_year <= max_year <= 2100):
        raise SlocalcValueError(
            f"min_year={min_year}, max_year={max_year}: expected 1900 <= min_year <= max_year <= 2100"
        )


def _zone_strategy(value: ZonesArg) -> SearchStrategy[str]:
    if value is None:
        return zones()
    if isinstance(value, SearchStrategy):
        return value
    names = (value,) if isinstance(value, str) else tuple(value)
    if not names:
        raise SlocalcValueError("zones: expected at least one IANA zone name, got none")
    for name in names:
        resolve_zone(name)  # UnknownTimezoneError with suggestions
    return st.sampled_from(names)


def _has_transitions(tz: str) -> bool:
    return bool(transition_seconds(tz, DEFAULT_MIN_YEAR, DEFAULT_MAX_YEAR))


def zones(*, dst_only: bool = False) -> SearchStrategy[str]:
    """IANA zone names, awkward ones included (see :data:`ZONES`).

    Shrinks towards ``"UTC"`` (or the first DST zone), then the everyday zones.

    Args:
        dst_only: only zones whose UTC offset changes in the default year range.

    >>> from hypothesis import find, settings
    >>> find(zones(), lambda tz: True, settings=settings(database=None, derandomize=True))
    'UTC'
    """
    pool = tuple(z for z in ZONES if _has_transitions(z)) if dst_only else ZONES
    return st.sampled_from(pool)


def _tzinfo(name: str) -> tzinfo:
    return resolve_zone(name)


@functools.cache
def _jitter(span_us: int) -> SearchStrategy[int]:
    """An offset in ``(-span, span)`` µs: exactly zero a third of the time, whole minutes a
    third, any microsecond a third. Shrinks to zero."""
    minutes = span_us // _MINUTE
    whole = st.integers(-minutes, minutes).map(lambda m: m * _MINUTE)
    if minutes * _MINUTE >= span_us:
        whole = st.integers(-minutes + 1, minutes - 1).map(lambda m: m * _MINUTE)
    return st.one_of(st.just(0), whole, st.integers(-span_us + 1, span_us - 1))


_SUB_MINUTE = st.one_of(st.just(0), st.integers(0, _MINUTE - 1))


def _wall_instant(draw: st.DrawFn, zone: tzinfo, min_year: int, max_year: int) -> int:
    """A local wall reading (date, minute, jitter, fold) in range, as UTC µs."""
    first = date(min_year, 1, 1)
    days = (date(max_year + 1, 1, 1) - first).days
    day = first + timedelta(days=draw(st.integers(0, days - 1)))
    minute = draw(st.integers(0, 24 * 60 - 1))
    sub = draw(_SUB_MINUTE)
    fold = draw(st.integers(0, 1))
    naive = datetime(day.year, day.month, day.day, minute // 60, minute % 60)  # noqa: DTZ001
    local = (naive + timedelta(microseconds=sub)).replace(tzinfo=zone, fold=fold)
    return to_us(local)  # a gap reading resolves to a real instant here (by its fold)


def _calendar_zones(cal: Calendar) -> tuple[str, ...]:
    """The IANA zones a calendar is defined in (parts of unions and the like included)."""
    if isinstance(cal, ZonedCalendar):
        return (cal.tz,)
    parts: tuple[Calendar, ...] = ()
    if isinstance(cal, Union | Intersection):
        parts = cal.parts
    elif isinstance(cal, Difference):
        parts = (cal.base, cal.removed)
    out: list[str] = []
    for p in parts:
        out.extend(z for z in _calendar_zones(p) if z not in out)
    return tuple(out)


@functools.cache
def _kinds(edges: bool, boundaries: bool) -> SearchStrategy[str]:
    """Which kind of instant to draw; weights by repetition, the plainest kind first."""
    kinds: tuple[str, ...] = ("wall",)
    if edges:
        kinds += ("edge", "edge", "edge", "edge", "edge_day")
    if boundaries:
        kinds += ("boundary", "boundary")
    return st.sampled_from((*kinds, "instant"))


@st.composite
def _aware_datetimes(
    draw: st.DrawFn,
    zone_names: SearchStrategy[str],
    near_transitions: bool,
    calendar: Calendar | None,
    mixed_tzinfo: bool,
    min_year: int,
    max_year: int,
) -> datetime:
    tz = draw(zone_names)
    zone = _tzinfo(tz)
    edges = transition_seconds(tz, min_year, max_year) if near_transitions else ()
    kind = draw(_kinds(bool(edges), calendar is not None))
    if kind == "wall":
        us = _wall_instant(draw, zone, min_year, max_year)
    elif kind == "edge":  # within two hours of an offset change, often exactly on it
        us = draw(st.sampled_from(edges)) * _US + draw(_jitter(2 * _HOUR))
    elif kind == "edge_day":  # the day around it: business days that contain a transition
        us = draw(st.sampled_from(edges)) * _US + draw(_jitter(36 * _HOUR))
    elif kind == "boundary":  # near an open or a close of the calendar, often exactly on it
        assert calendar is not None
        base = _wall_instant(draw, zone, min_year, max_year)
        base_dt = EPOCH + timedelta(microseconds=base)
        which = draw(st.sampled_from(("open", "close")))
        try:
            hit = calendar.next_open(base_dt) if which == "open" else calendar.next_close(base_dt)
        except NoBusinessTimeError:
            hit = None
        us = (base if hit is None else to_us(hit)) + draw(_jitter(_HOUR))
    else:
        lo, hi = year_start_s(min_year) * _US, year_start_s(max_year + 1) * _US
        us = draw(st.integers(lo, hi - 1))
    where = zone
    if mixed_tzinfo:
        other = draw(st.sampled_from((tz, "UTC", *_THIRD_ZONES)))
        where = UTC if other == "UTC" else _tzinfo(other)
    return from_us(us, where)


def aware_datetimes(
    *,
    zones: ZonesArg = None,
    near_transitions: bool = True,
    calendar: Calendar | None = None,
    mixed_tzinfo: bool = False,
    min_year: int = DEFAULT_MIN_YEAR,
    max_year: int = DEFAULT_MAX_YEAR,
) -> SearchStrategy[datetime]:
    """Aware datetimes, weighted towards the instants where time code breaks.

    Each draw is one of: a local wall reading (date, minute, sub-minute, fold); an instant
    within two hours of one of the zone's UTC-offset changes (a third of those exactly on
    it); one within 36 hours of a change; an instant near an open or a close of
    ``calendar`` (exactly on it a third of the time); or a uniform instant. For a zone with
    DST and no ``calendar``, at least 40% of draws land within two hours of a transition
    (the suite measures this). Results are real instants: a wall reading in a spring-forward
    gap is resolved, and readings in a repeated hour carry the right ``fold``.

    Args:
        zones: an IANA name, names, or a strategy of names; by default :func:`zones`, or the
            zones of ``calendar`` when one is given.
        near_transitions: weight instants near the zone's offset changes.
        calendar: also weight instants near this calendar's opens and closes.
        mixed_tzinfo: sometimes express the instant in UTC or a third zone rather than its
            own (equality is by instant, so this tests code that assumes one tzinfo).
        min_year: first year of the range (UTC).
        max_year: last year of the range (UTC), inclusive.

    Returns:
        A strategy of aware datetimes in the drawn zone (or a third one, see above).

    The smallest instant in a repeated hour of New York (Hypothesis shrinks to it):

    >>> from hypothesis import find, settings
    >>> once = settings(database=None, derandomize=True)
    >>> find(aware_datetimes(zones="America/New_York"), lambda t: t.fold == 1, settings=once)
    datetime.datetime(2025, 11, 2, 1, 0, fold=1, tzinfo=zoneinfo.ZoneInfo(key='America/New_York'))
    """
    _check_years(min_year, max_year)
    if zones is None and calendar is not None:
        zones = _calendar_zones(calendar) or None
    return _aware_datetimes(
        _zone_strategy(zones), near_transitions, calendar, mixed_tzinfo, min_year, max_year
    )


# --------------------------------------------------------------------------- hours grammar


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def _range_text(draw: st.DrawFn) -> str:
    """One ``HH:MM-HH:MM`` range: at least 15 minutes, overnight when it passes midnight."""
    start = draw(st.one_of(st.integers(0, 95).map(lambda q: q * 15), st.integers(0, 24 * 60 - 1)))
    longest = 24 * 60 if start == 0 else 24 * 60 - 1  # a full turn would end where it starts
    to_midnight = 24 * 60 - start if start <= 24 * 60 - 15 else longest  # ends at 24:00 / 00:00
    length = draw(
        st.one_of(
            st.integers(1, longest // 15).map(lambda q: q * 15),
            st.integers(15, longest),
            st.just(to_midnight),
        )
    )
    end = start + length
    if end == 24 * 60:  # "24:00", or "00:00" read as an overnight end (not from 00:00: empty)
        return f"{_clock(start)}-" + (draw(st.sampled_from(("24:00", "00:00"))) if start else "24:00")
    return f"{_clock(start)}-{_clock(end % (24 * 60))}"


_TYPICAL_RANGES = (
    "09:00-17:00",
    "08:00-17:00",
    "08:00-12:00,13:00-17:00",  # split day
    "00:00-24:00",
    "22:00-06:00",  # overnight
    "08:30-17:30",
)


def day_ranges(*, allow_closed: bool = True) -> SearchStrategy[str]:
    """The ranges part of one day: ``"08:00-12:00,13:00-17:00"``, ``"22:00-06:00"``, ``"closed"``.

    What an override of a single date takes. Ranges may overlap, run overnight or end at
    ``24:00``; each lasts at least 15 minutes.

    Args:
        allow_closed: sometimes return ``"closed"``.
    """
    generated = st.lists(_range_text(), min_size=1, max_size=3).map(",".join)
    options = [st.sampled_from(_TYPICAL_RANGES), generated]
    if allow_closed:
        options.append(st.just("closed"))
    return st.one_of(*options)


_TYPICAL_DAYS = ("Mon-Fri", "Mon-Sun", "Sat,Sun", "Fri-Mon")

#: the day names of the hours grammar (docs/guides/custom-calendars.md)
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_single_day = st.sampled_from(_DAY_NAMES)
_day_range = st.tuples(_single_day, _single_day).map(lambda p: f"{p[0]}-{p[1]}")  # may wrap
_days_token: SearchStrategy[str] = st.one_of(
    st.sampled_from(_TYPICAL_DAYS),
    _single_day,
    _day_range,
    st.lists(st.one_of(_single_day, _day_range), min_size=2, max_size=3, unique=True).map(",".join),
)


def weekly_hours(*, allow_closed: bool = False) -> SearchStrategy[str]:
    """Weekly-hours strings that parse, covering the whole grammar.

    Clauses of days (``Mon``, ``Mon-Fri``, wrapping ``Fri-Mon``, lists ``Mon,Wed-Thu``) and
    ranges (split days, overnight shifts, ``24:00`` and ``00:00`` ends, overlaps); a later
    clause may be ``Sat closed``. Every range lasts at least 15 minutes, so a calendar with
    these hours opens at least 15 minutes a week. Shrinks towards ``"Mon-Fri 09:00-17:00"``.

    Args:
        allow_closed: sometimes return ``"closed"`` (a calendar that never opens).

    >>> from hypothesis import given, settings
    >>> from slocalc import BusinessCalendar
    >>> @settings(max_examples=20)
    ... @given(weekly_hours())
    ... def test_hours_parse(hours):
    ...     BusinessCalendar(tz="UTC", hours=hours)
    >>> test_hours_parse()
    """
    first = st.tuples(_days_token, day_ranges(allow_closed=False)).map(" ".join)
    later = st.tuples(_days_token, day_ranges(allow_closed=True)).map(" ".join)
    sep = st.sampled_from(("; ", ";", " ; "))

    @st.composite
    def build(draw: st.DrawFn) -> str:
        text = draw(first)
        for clause in draw(st.lists(later, max_size=2)):
            text += draw(sep) + clause
        return text

    strategy: SearchStrategy[str] = build()
    return st.one_of(strategy, st.just("closed")) if allow_closed else strategy


# --------------------------------------------------------------------------- calendars


# Strategies are built once per zone and year range and reused across draws: building them
# inside a composite would cost a validation pass on every example.


@functools.cache
def _local_dates(tz: str, min_year: int, max_year: int) -> SearchStrategy[date]:
    """A local date in range: any, or within a day of one of ``tz``'s transitions."""
    first = date(min_year, 1, 1)
    days = (date(max_year + 1, 1, 1) - first).days
    anywhere = st.integers(0, days - 1).map(lambda k: first + timedelta(days=k))
    zone = _tzinfo(tz)
    edge_dates = sorted(
        {
            (EPOCH + timedelta(seconds=e)).astimezone(zone).date()
            for e in transition_seconds(tz, min_year, max_year)
        }
    )
    if not edge_dates:
        return anywhere
    near = st.tuples(st.sampled_from(edge_dates), st.integers(-1, 1)).map(
        lambda p: p[0] + timedelta(days=p[1])
    )
    return st.one_of(anywhere, near)


@functools.cache
def _holiday_specs(
    tz: str, min_year: int, max_year: int
) -> SearchStrategy[str | tuple[str, str] | frozenset[date] | None]:
    return st.one_of(
        st.none(),
        st.frozensets(_local_dates(tz, min_year, max_year), min_size=1, max_size=4),
        st.sampled_from(HOLIDAY_COUNTRIES),
    )


@functools.cache
def _override_specs(tz: str, min_year: int, max_year: int) -> SearchStrategy[dict[date, str]]:
    return st.dictionaries(_local_dates(tz, min_year, max_year), day_ranges(), max_size=3)


@st.composite
def _calendars(
    draw: st.DrawFn,
    zone_names: SearchStrategy[str],
    hours: SearchStrategy[str],
    holidays: bool,
    overrides: bool,
    years: tuple[int, int],
) -> BusinessCalendar:
    min_year, max_year = years
    tz = draw(zone_names)
    text = draw(hours)
    holiday_arg: str | tuple[str, str] | frozenset[date] | None = None
    if holidays:
        holiday_arg = draw(_holiday_specs(tz, min_year, max_year))
    override_arg: dict[date, str] | None = None
    if overrides:
        override_arg = draw(_override_specs(tz, min_year, max_year)) or None
    return BusinessCalendar(tz=tz, hours=text, holidays=holiday_arg, overrides=override_arg)


def calendars(
    *,
    zones: ZonesArg = None,
    hours: str | SearchStrategy[str] | None = None,
    holidays: bool = True,
    overrides: bool = True,
    min_year: int = DEFAULT_MIN_YEAR,
    max_year: int = DEFAULT_MAX_YEAR,
) -> SearchStrategy[BusinessCalendar]:
    """``BusinessCalendar`` values with weekly hours, holidays and overrides.

    Holidays are none, a set of local dates, or a country (or country and subdivision) from
    :data:`HOLIDAY_COUNTRIES`; overrides replace the hours of up to three dates. Half of the
    drawn dates lie within a day of one of the zone's transitions, where they matter most.
    The calendar opens every week (see :func:`weekly_hours`), so ``add`` always terminates;
    shrinks towards ``BusinessCalendar(tz='UTC', hours='Mon-Fri 09:00-17:00')``.

    Args:
        zones: an IANA name, names, or a strategy of names (default :func:`zones`).
        hours: fixed weekly hours or a strategy of them (default :func:`weekly_hours`).
        holidays: draw holidays.
        overrides: draw per-date overrides.
        min_year: first year holidays and overrides fall in.
        max_year: last year holidays and overrides fall in.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(calendars(zones="Asia/Kathmandu"))
    ... def test_kathmandu(cal):
    ...     assert cal.tz == "Asia/Kathmandu"
    >>> test_kathmandu()
    """
    _check_years(min_year, max_year)
    hours_strategy: SearchStrategy[str]
    if hours is None:
        hours_strategy = weekly_hours()
    elif isinstance(hours, str):
        hours_strategy = st.just(hours)
    else:
        hours_strategy = hours
    return _calendars(_zone_strategy(zones), hours_strategy, holidays, overrides, (min_year, max_year))


def unions(
    parts: SearchStrategy[Calendar] | None = None, *, min_parts: int = 2, max_parts: int = 3
) -> SearchStrategy[Calendar]:
    """Follow-the-sun unions ``a | b | ...`` of calendars drawn from ``parts``.

    Args:
        parts: the strategy for each part (default :func:`calendars`).
        min_parts: fewest parts (the parts are distinct calendars).
        max_parts: most parts.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(unions())
    ... def test_follow_the_sun(cal):
    ...     assert len(cal.parts) >= 2
    >>> test_follow_the_sun()
    """
    if not 1 <= min_parts <= max_parts:
        raise SlocalcValueError(
            f"min_parts={min_parts}, max_parts={max_parts}: expected 1 <= min_parts <= max_parts"
        )
    each: SearchStrategy[Calendar] = calendars() if parts is None else parts
    return st.lists(each, min_size=min_parts, max_size=max_parts, unique=True).map(
        lambda cals: functools.reduce(operator.or_, cals)
    )


# --------------------------------------------------------------------------- durations


_SIGNS = ("positive", "negative", "any")


def durations(
    *,
    sign: Literal["positive", "negative", "any"] = "positive",
    allow_zero: bool = False,
    max_value: timedelta = timedelta(days=7),
) -> SearchStrategy[timedelta]:
    """Exact durations: whole hours, whole minutes, or any number of microseconds.

    Shrinks towards one hour (or zero when ``allow_zero``).

    Args:
        sign: ``"positive"``, ``"negative"`` or ``"any"``.
        allow_zero: also draw ``timedelta(0)``.
        max_value: the largest magnitude (at least one microsecond).

    >>> from hypothesis import find, settings
    >>> once = settings(database=None, derandomize=True)
    >>> find(durations(sign="any"), lambda d: d < timedelta(0), settings=once)
    datetime.timedelta(days=-1, seconds=82800)
    """
    if sign not in _SIGNS:
        raise SlocalcValueError(
            f"sign={sign!r}: expected 'positive', 'negative' or 'any'{did_you_mean(sign, _SIGNS)}"
        )
    top = (max_value.days * 86_400 + max_value.seconds) * _US + max_value.microseconds
    if top < 1:
        raise SlocalcValueError(f"max_value={max_value!r}: expected at least timedelta(microseconds=1)")
    options: list[SearchStrategy[int]] = []
    if top >= _HOUR:
        options.append(st.integers(1, top // _HOUR).map(lambda h: h * _HOUR))
    if top >= _MINUTE:
        options.append(st.integers(1, top // _MINUTE).map(lambda m: m * _MINUTE))
    options.append(st.integers(1, top))
    magnitude = st.one_of(*options)
    if sign == "negative":
        micros = magnitude.map(operator.neg)
    elif sign == "any":
        micros = st.tuples(magnitude, st.booleans()).map(lambda p: -p[0] if p[1] else p[0])
    else:
        micros = magnitude
    if allow_zero:
        micros = st.one_of(st.just(0), micros)
    return micros.map(lambda u: timedelta(microseconds=u))
