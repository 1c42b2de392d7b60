"""Support centers, follow-the-sun coverage and handoffs.

:data:`CENTERS` holds the six support centers of the support guidebook, each open Mon–Fri
08:00–17:00 local time and closed on its public holidays (from the holidays package):

| key           | city        | zone                  | holidays            |
|---------------|-------------|-----------------------|---------------------|
| `belfast`     | Belfast     | `Europe/London`       | GB, subdivision NIR |
| `dublin`      | Dublin      | `Europe/Dublin`       | IE                  |
| `boston`      | Boston      | `America/New_York`    | US, subdivision MA  |
| `austin`      | Austin      | `America/Chicago`     | US, subdivision TX  |
| `los_angeles` | Los Angeles | `America/Los_Angeles` | US, subdivision CA  |
| `singapore`   | Singapore   | `Asia/Singapore`      | SG                  |

Every function takes ``centers=None`` (all six) or a selection: an iterable of keys and
:class:`SupportCenter` values, or a mapping of key to :class:`SupportCenter` (or to a bare
:class:`~slocalc.calendars.Calendar`), so users can drop a center, add their own (another
city, a Sunday–Thursday week, a company holiday list) or try a what-if calendar.

* :func:`follow_the_sun`: the union calendar, open when any center is;
* :func:`open_centers`: the keys open at an instant, in table order;
* :func:`coverage`: segments tiling ``[a, b)`` with the set of open centers (empty = gap);
* :func:`handoffs`: the moments of one week when the set of open centers changes.

**Why IANA zones, not the guidebook's labels.** The guidebook labels the centers BST, BST,
EST, CST, PST and SGT. Those are not time zones but names of *offsets*, and seasonal ones:
Belfast is on BST (UTC+1) only from late March to late October and on GMT (UTC+0)
otherwise; Boston, Austin and Los Angeles are on EST, CST and PST (UTC-5, -6, -8) only in
winter and on EDT, CDT and PDT from March to November. A fixed label would place every
opening an hour wrong for much of the year. Dublin is not on BST at all: Irish summer time
is IST (Irish Standard Time, UTC+1), and Irish law makes that the *standard* time, so
tzdata's ``Europe/Dublin`` has negative daylight saving time (GMT in winter, with
``dst() == -1 h``). The abbreviations are also ambiguous (CST is China Standard Time too,
IST India's), tzdata itself calls Singapore's offset ``+08``, not SGT, and ``EST`` is a
tzdata zone of its own, a fixed UTC-5 with no summer time, so ``tz="EST"`` would be wrong
for Boston half the year. The two DST systems change on different dates (US: second Sunday
of March and first Sunday of November; EU: last Sundays of March and October), so the daily
pattern of coverage shifts twice in spring and twice in autumn. slocalc therefore names
each center's IANA zone and lets zoneinfo apply its rules on every date.

>>> from datetime import UTC, datetime
>>> open_centers(datetime(2026, 1, 14, 8, 30, tzinfo=UTC))
('belfast', 'dublin', 'singapore')
>>> open_centers(datetime(2026, 7, 15, 7, 30, tzinfo=UTC))  # 08:30 BST / IST in summer
('belfast', 'dublin', 'singapore')
"""

from __future__ import annotations

import functools
import re
import threading
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeAlias, final

from slocalc._time import from_us, require_aware, resolve_zone, week_bounds
from slocalc.calendars._base import Calendar, Union
from slocalc.calendars._business import ALWAYS, NEVER, BusinessCalendar, HolidaysArg
from slocalc.calendars._index import MAX_SPAN_YEARS
from slocalc.calendars._zoned import ZonedCalendar
from slocalc.errors import CalendarSpecError, SlocalcTypeError, SlocalcValueError, did_you_mean

if TYPE_CHECKING:
    from slocalc._display import RecordList

__all__ = [
    "CENTERS",
    "CentersArg",
    "CoverageSegment",
    "Handoff",
    "SupportCenter",
    "center",
    "coverage",
    "follow_the_sun",
    "handoffs",
    "open_centers",
]

_KEY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_ONE_US = timedelta(microseconds=1)


def _check_key(key: object, what: str) -> str:
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise CalendarSpecError(
            f"{what} {key!r}: expected a short key of letters, digits, '_', '.' or '-', "
            f"starting with a letter or digit, e.g. 'tel_aviv'"
        )
    return key


@final
@dataclass(frozen=True, slots=True)
class SupportCenter:
    """A support center: a key, a display name, its IANA zone and its opening calendar.

    A frozen, hashable value. Build one from weekly hours with :meth:`from_hours`, or pass any
    calendar (a union of shifts, a difference with a blackout, ...). Change one field with
    ``dataclasses.replace``.

    Args:
        key: short identifier used in results, e.g. ``"belfast"`` (letters, digits, ``_``,
            ``.``, ``-``; no spaces or commas).
        name: display name, e.g. ``"Belfast"``.
        tz: the center's IANA zone, e.g. ``"Europe/London"``.
        calendar: when the center is open. A single-zone calendar must be in ``tz``
            (``ALWAYS`` and ``NEVER`` fit any center).

    Raises:
        CalendarSpecError: bad key or name, or a calendar in another zone than ``tz``.
        UnknownTimezoneError: ``tz`` is not an IANA zone.
        SlocalcTypeError: ``calendar`` is not a calendar.

    >>> tlv = SupportCenter.from_hours(
    ...     "tel_aviv", "Tel Aviv", tz="Asia/Jerusalem", hours="Sun-Thu 08:00-17:00"
    ... )
    >>> tlv
    SupportCenter(key='tel_aviv', name='Tel Aviv', tz='Asia/Jerusalem', calendar=BusinessCalendar(tz='Asia/Jerusalem', hours='Sun-Thu 08:00-17:00'))
    >>> CENTERS["dublin"].calendar  # a guidebook center's calendar prints as center(key)
    center('dublin')
    """

    key: str
    name: str
    tz: str
    calendar: Calendar

    def __post_init__(self) -> None:
        _check_key(self.key, "key")
        if not isinstance(self.name, str) or not self.name.strip():
            raise CalendarSpecError(f"name {self.name!r}: expected a non-empty display name, e.g. 'Belfast'")
        resolve_zone(self.tz)
        cal = self.calendar
        if not isinstance(cal, Calendar):
            raise SlocalcTypeError(f"calendar: expected a slocalc calendar, got {type(cal).__name__} {cal!r}")
        if isinstance(cal, ZonedCalendar) and cal.tz != self.tz and cal not in (ALWAYS, NEVER):
            raise CalendarSpecError(
                f"calendar {cal!r}: runs in {cal.tz!r} but the center {self.key!r} is in {self.tz!r}; "
                f"build the calendar with tz={self.tz!r}"
            )

    @classmethod
    def from_hours(
        cls,
        key: str,
        name: str,
        *,
        tz: str,
        hours: str = "Mon-Fri 08:00-17:00",
        holidays: HolidaysArg = None,
        overrides: Mapping[date, str] | None = None,
    ) -> SupportCenter:
        """A center open ``hours`` in ``tz``, closed on ``holidays``.

        The arguments after ``name`` are those of
        :class:`~slocalc.calendars.BusinessCalendar`: ``holidays`` may be a country code,
        a ``(country, subdivision)`` pair, a ``holidays.HolidayBase`` or any iterable of
        dates (a company holiday list).

        >>> from datetime import date
        >>> c = SupportCenter.from_hours(
        ...     "cork", "Cork", tz="Europe/Dublin", holidays=[date(2026, 12, 24), date(2026, 12, 31)]
        ... )
        >>> c.calendar.is_business_date(date(2026, 12, 24))
        False
        """
        cal = BusinessCalendar(tz=tz, hours=hours, holidays=holidays, overrides=overrides)
        return cls(key, name, tz, cal)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The center's zone, for showing instants in local time: ``t.astimezone(c.zone)``."""
        return resolve_zone(self.tz)

    def _repr_html_(self) -> str:
        """The notebook display: the center's week grid of open hours and next holidays."""
        from slocalc._display import calendar_html

        return f"<p><b>{_html_escape(self.name)}</b> ({_html_escape(self.tz)})</p>" + calendar_html(
            self.calendar
        )


def _html_escape(text: str) -> str:
    import html

    return html.escape(text)


_TABLE: Final = (
    ("belfast", "Belfast", "Europe/London", ("GB", "NIR")),
    ("dublin", "Dublin", "Europe/Dublin", "IE"),
    ("boston", "Boston", "America/New_York", ("US", "MA")),
    ("austin", "Austin", "America/Chicago", ("US", "TX")),
    ("los_angeles", "Los Angeles", "America/Los_Angeles", ("US", "CA")),
    ("singapore", "Singapore", "Asia/Singapore", "SG"),
)
_ROWS: Final = {key: (name, tz, hol) for key, name, tz, hol in _TABLE}


@final
class _Centers(Mapping[str, SupportCenter]):
    """The guidebook's six centers by key, each built the first time it is read.

    A read-only mapping: iteration, ``len`` and ``in`` need no calendar; reading a value
    builds that center's calendar once (thread-safe), so importing this module is cheap.
    """

    __slots__ = ("_built", "_lock")

    def __init__(self) -> None:
        self._built: dict[str, SupportCenter] = {}
        self._lock = threading.Lock()

    def __getitem__(self, key: str) -> SupportCenter:
        found = self._built.get(key)
        if found is not None:
            return found
        row = _ROWS.get(key)
        if row is None:
            raise KeyError(key)
        name, tz, _ = row
        with self._lock:
            found = self._built.get(key)
            if found is None:
                found = SupportCenter(key, name, tz, _CenterCalendar(key))
                self._built[key] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(_ROWS)

    def __len__(self) -> int:
        return len(_ROWS)

    def __contains__(self, key: object) -> bool:
        return key in _ROWS

    def __repr__(self) -> str:
        return repr(dict(self))


@final
class _CenterCalendar(BusinessCalendar):
    """A guidebook center's calendar: a plain ``BusinessCalendar`` by value (equal, same
    hash, shared compiled data) that prints and pickles as ``center('<key>')``."""

    __slots__ = ("_center",)
    _center: str

    def __init__(self, key: str) -> None:
        _, tz, hol = _ROWS[key]
        super().__init__(tz=tz, holidays=hol)
        object.__setattr__(self, "_center", key)

    def __repr__(self) -> str:
        return f"center({self._center!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (center, (self._center,))


#: The guidebook's six centers by key, in table order: a read-only mapping, each center
#: built on first use (copy it with ``dict(CENTERS)`` to build a variant).
CENTERS: Final[Mapping[str, SupportCenter]] = _Centers()

#: What every ``centers=`` parameter accepts.
CentersArg: TypeAlias = Iterable[str | SupportCenter] | Mapping[str, SupportCenter | Calendar] | None

_Parts = tuple[tuple[str, Calendar], ...]


@functools.cache
def _default_parts() -> _Parts:
    """The six centers as ``(key, calendar)`` pairs, built on the first call."""
    return tuple((k, c.calendar) for k, c in CENTERS.items())


def _unknown(key: object) -> CalendarSpecError:
    return CalendarSpecError(
        f"centers: unknown center {key!r}; known centers are {', '.join(_ROWS)}, "
        f"or pass a SupportCenter{did_you_mean(key, _ROWS)}"
    )


def center(key: str) -> BusinessCalendar:
    """The calendar of the guidebook's center ``key``: ``CENTERS[key].calendar``.

    It is a :class:`~slocalc.calendars.BusinessCalendar` equal to
    ``BusinessCalendar(tz=..., holidays=...)`` of the center's row, sharing its compiled
    data, that prints and pickles as ``center('<key>')``: reprs of the centers' calendars
    and their unions stay short and paste back where
    ``from slocalc.calendars.centers import *`` was run. A calendar built by hand prints
    its own definition, whatever it equals.

    Args:
        key: one of the keys of :data:`CENTERS`, e.g. ``"dublin"``.

    Raises:
        CalendarSpecError: an unknown key (the message lists the known keys and close
            matches).

    >>> center("dublin") == BusinessCalendar(tz="Europe/Dublin", holidays="IE")
    True
    >>> center("dublin") | center("belfast")  # reprs paste back (from ...centers import *)
    (center('dublin') | center('belfast'))
    >>> center("dubin")
    Traceback (most recent call last):
    ...
    slocalc.errors.CalendarSpecError: centers: unknown center 'dubin'; known centers are belfast, dublin, boston, austin, los_angeles, singapore, or pass a SupportCenter; did you mean 'dublin'?
    """
    if not isinstance(key, str) or key not in _ROWS:
        raise _unknown(key)
    cal = CENTERS[key].calendar
    assert isinstance(cal, BusinessCalendar)
    return cal


def _resolve(centers: CentersArg) -> _Parts:
    """``(key, calendar)`` pairs, in the caller's order, keys unique."""
    if centers is None:
        return _default_parts()
    if isinstance(centers, str):
        raise SlocalcTypeError(
            f"centers: got the string {centers!r}; pass a list of keys, e.g. [{centers!r}], "
            f"or SupportCenter values"
        )
    if isinstance(centers, SupportCenter):
        return ((centers.key, centers.calendar),)
    out: dict[str, Calendar] = {}
    if isinstance(centers, Mapping):
        for key, value in centers.items():
            if isinstance(value, SupportCenter):
                if value.key != key:
                    raise CalendarSpecError(
                        f"centers[{key!r}]: holds the center {value.key!r}; a mapping's keys must be "
                        f"its centers' keys"
                    )
                out[key] = value.calendar
            elif isinstance(value, Calendar):
                out[_check_key(key, "centers: key")] = value
            else:
                raise SlocalcTypeError(
                    f"centers[{key!r}]: expected a SupportCenter or a calendar, "
                    f"got {type(value).__name__} {value!r}"
                )
        return tuple(out.items())
    try:
        items = iter(centers)
    except TypeError:
        raise SlocalcTypeError(
            f"centers: expected keys or SupportCenter values (an iterable or a mapping), "
            f"got {type(centers).__name__} {centers!r}"
        ) from None
    for item in items:
        if isinstance(item, SupportCenter):
            center = item
        elif isinstance(item, str):
            found = CENTERS.get(item)
            if found is None:
                raise _unknown(item)
            center = found
        else:
            raise SlocalcTypeError(
                f"centers: expected a center key or a SupportCenter, got {type(item).__name__} {item!r}"
            )
        prev = out.get(center.key)
        if prev is not None and prev != center.calendar:
            raise CalendarSpecError(
                f"centers: two different centers share the key {center.key!r}; give each a unique key"
            )
        out[center.key] = center.calendar
    return tuple(out.items())


def follow_the_sun(centers: CentersArg = None) -> Calendar:
    """The union of the centers' calendars: open whenever at least one center is open.

    Args:
        centers: ``None`` for all six of :data:`CENTERS`, or a selection (keys,
            :class:`SupportCenter` values, or a mapping of key to center or calendar).

    Returns:
        A calendar with every operation of a calendar except ``add_days`` (see
        docs/concepts/business-time.md); ``NEVER`` for an
        empty selection.

    Raises:
        CalendarSpecError: an unknown key (the message lists close matches and the known
            keys), or two different centers with one key.

    >>> from datetime import UTC, datetime, timedelta
    >>> fts = follow_the_sun()
    >>> fts.next_open(datetime(2026, 12, 25, 12, 0, tzinfo=UTC))  # everyone's Christmas
    datetime.datetime(2026, 12, 28, 0, 0, tzinfo=datetime.timezone.utc)
    >>> week = datetime(2026, 1, 12, tzinfo=UTC), datetime(2026, 1, 19, tzinfo=UTC)
    >>> str(follow_the_sun(["belfast", "dublin"]).between(*week))  # same hours: 5 x 9 h
    '1 day, 21:00:00'
    """
    parts = _resolve(centers)
    if not parts:
        return NEVER
    return Union(*(cal for _, cal in parts))


def open_centers(t: datetime, centers: CentersArg = None) -> tuple[str, ...]:
    """The keys of the centers open at instant ``t``, in table (or the caller's) order.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> ny = ZoneInfo("America/New_York")
    >>> open_centers(datetime(2026, 3, 10, 9, 30, tzinfo=ny))  # 13:30 UTC: US on EDT, EU not yet
    ('belfast', 'dublin', 'boston', 'austin')
    >>> open_centers(datetime(2026, 11, 26, 9, 30, tzinfo=ny))  # Thanksgiving
    ('belfast', 'dublin')
    """
    require_aware(t, "t")
    return tuple(key for key, cal in _resolve(centers) if cal.is_open(t))


@final
class CoverageSegment(NamedTuple):
    """A stretch of time during which the same centers are open (a gap when none is).

    A tuple ``(start, end, centers)``, with ``start`` and ``end`` in the tzinfo of the
    range's start.
    """

    start: datetime
    end: datetime
    centers: frozenset[str]

    @property
    def duration(self) -> timedelta:
        """Elapsed time ``end - start``, exact across DST changes (measured in UTC)."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    @property
    def is_gap(self) -> bool:
        """Whether no center is open."""
        return not self.centers


def _sweep(ua: datetime, ub: datetime, parts: _Parts) -> list[tuple[datetime, datetime, frozenset[str]]]:
    """Coverage of ``[ua, ub)`` (UTC datetimes), as UTC segments."""
    per = [(key, list(cal.intervals(ua, ub))) for key, cal in parts]
    points = {ua, ub}
    for _, ivs in per:
        for s, e in ivs:
            points.add(s)
            points.add(e)
    bounds = sorted(points)
    pos = [0] * len(per)
    out: list[tuple[datetime, datetime, frozenset[str]]] = []
    for p, q in pairwise(bounds):
        # Every interval end point is a bound, so each center is open on all of [p, q) or none.
        now_open = []
        for i, (key, ivs) in enumerate(per):
            j = pos[i]
            while j < len(ivs) and ivs[j][1] <= p:
                j += 1
            pos[i] = j
            if j < len(ivs) and ivs[j][0] <= p:
                now_open.append(key)
        keys = frozenset(now_open)
        if out and out[-1][2] == keys:
            out[-1] = (out[-1][0], q, keys)
        else:
            out.append((p, q, keys))
    return out


def coverage(a: datetime, b: datetime, centers: CentersArg = None) -> RecordList[CoverageSegment]:
    """Which centers are open over ``[a, b)``: segments that tile the range exactly.

    Consecutive segments have different sets of open centers; an empty set is a coverage
    gap. Segment bounds are in ``a``'s tzinfo. An empty or reversed range gives ``[]``.
    Cost: one ``intervals(a, b)`` per center and a sweep over their end points.

    Args:
        a: start of the range (aware).
        b: end of the range, excluded (aware).
        centers: ``None`` for all six of :data:`CENTERS`, or a selection.

    Raises:
        NaiveDatetimeError: ``a`` or ``b`` has no zone.
        CalendarSpecError: an unknown key in ``centers``.

    >>> from datetime import UTC, datetime
    >>> segs = coverage(datetime(2026, 12, 21, tzinfo=UTC), datetime(2027, 1, 5, tzinfo=UTC))
    >>> for s in segs:
    ...     if s.is_gap and s.duration.days >= 2:
    ...         print(s.start, "->", s.end, s.duration)
    2026-12-25 01:00:00+00:00 -> 2026-12-28 00:00:00+00:00 2 days, 23:00:00
    2027-01-01 01:00:00+00:00 -> 2027-01-04 00:00:00+00:00 2 days, 23:00:00
    """
    require_aware(a, "a")
    require_aware(b, "b")
    parts = _resolve(centers)
    ua, ub = a.astimezone(UTC), b.astimezone(UTC)
    if ub.year - ua.year > MAX_SPAN_YEARS:
        raise SlocalcValueError(
            f"b: coverage from {a.isoformat()} to {b.isoformat()} spans {ub.year - ua.year + 1} years; "
            f"one query may cover at most {MAX_SPAN_YEARS} years (see docs/limits.md)",
            param="b",
        )
    from slocalc._display import RecordList

    out: RecordList[CoverageSegment] = RecordList(instant_columns=("start", "end"))
    if ub <= ua:
        return out
    tz = a.tzinfo
    out.extend(
        CoverageSegment(s.astimezone(tz), e.astimezone(tz), keys) for s, e, keys in _sweep(ua, ub, parts)
    )
    return out


@final
@dataclass(frozen=True, slots=True)
class Handoff:
    """A moment when the set of open centers changes.

    Attributes:
        at: the instant, in the zone the handoffs were asked for.
        before: keys open just before ``at``, in table order.
        after: keys open from ``at`` on, in table order.
    """

    at: datetime
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def opens(self) -> tuple[str, ...]:
        """Keys that open at ``at``."""
        return tuple(k for k in self.after if k not in self.before)

    @property
    def closes(self) -> tuple[str, ...]:
        """Keys that close at ``at``."""
        return tuple(k for k in self.before if k not in self.after)

    @property
    def utc(self) -> datetime:
        """``at`` in UTC."""
        return self.at.astimezone(UTC)

    def __str__(self) -> str:
        moves = " ".join([*(f"+{k}" for k in self.opens), *(f"-{k}" for k in self.closes)])
        now = ", ".join(self.after) if self.after else "nobody (gap)"
        return f"{self.at:%a %Y-%m-%d %H:%M %Z}  {moves}  -> {now}"


def handoffs(week_of: date, centers: CentersArg = None, *, tz: str = "UTC") -> RecordList[Handoff]:
    """The moments of one week at which the set of open centers changes, in order.

    The week is the Monday-to-Monday week holding the date ``week_of``, from Monday 00:00
    to the next Monday 00:00 on the wall clock of ``tz``. A change exactly at the week's
    start is included (compared with the instant just before).

    Args:
        week_of: any date of the week.
        centers: ``None`` for all six of :data:`CENTERS`, or a selection.
        tz: IANA zone for the week's bounds and the results' ``at`` (``Handoff.utc`` gives
            UTC).

    Raises:
        UnknownTimezoneError: ``tz`` is not an IANA zone.
        CalendarSpecError: an unknown key in ``centers``.

    >>> hs = handoffs(date(2026, 1, 14), tz="Europe/London")
    >>> len(hs)
    50
    >>> for h in hs[:4]:
    ...     print(h)
    Mon 2026-01-12 00:00 GMT  +singapore  -> singapore
    Mon 2026-01-12 08:00 GMT  +belfast +dublin  -> belfast, dublin, singapore
    Mon 2026-01-12 09:00 GMT  -singapore  -> belfast, dublin
    Mon 2026-01-12 13:00 GMT  +boston  -> belfast, dublin, boston
    """
    if isinstance(week_of, datetime) or not isinstance(week_of, date):
        raise SlocalcTypeError(
            f"week_of: expected a datetime.date, got {type(week_of).__name__} {week_of!r}; "
            f"pass t.date() for an instant"
        )
    zone = resolve_zone(tz)
    parts = _resolve(centers)
    start, end = (from_us(u) for u in week_bounds(week_of, zone))
    order = {key: i for i, (key, _) in enumerate(parts)}
    segs = _sweep(start - _ONE_US, end, parts)
    from slocalc._display import RecordList

    out: RecordList[Handoff] = RecordList(instant_columns=("at",))
    for prev, seg in pairwise(segs):
        out.append(
            Handoff(
                seg[0].astimezone(zone),
                tuple(sorted(prev[2], key=order.__getitem__)),
                tuple(sorted(seg[2], key=order.__getitem__)),
            )
        )
    return out
