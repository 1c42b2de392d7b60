"""Coverage tables, gaps and handoffs: thin record-returning wrappers over the centers module."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import final

from slocalc._display import RecordList, coverage_html
from slocalc._time import from_us, require_timedelta, resolve_zone
from slocalc._time import week_bounds as bounds_us
from slocalc.calendars.centers import Handoff, coverage
from slocalc.calendars.centers import handoffs as centers_handoffs
from slocalc.errors import SlocalcTypeError, SlocalcValueError
from slocalc.staffing._scenario import StaffingArg, as_scenario

__all__ = ["CoverageRow", "Gap", "coverage_table", "gaps", "handoffs", "week_bounds"]

_HOUR = timedelta(hours=1)


@final
@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One step of a coverage table.

    Attributes:
        start: the step's start, in the table's zone.
        end: the step's end (``start + step``, or the week's end), in the table's zone.
        slot: the step's index in the week, from 0 (Monday 00:00 in the table's zone).
        centers: keys of the centers open at ``start``, in the scenario's order.
        count: ``len(centers)``.
    """

    start: datetime
    end: datetime
    slot: int
    centers: tuple[str, ...]
    count: int


@final
@dataclass(frozen=True, slots=True)
class Gap:
    """A stretch of time when no chosen center is open.

    Attributes:
        start: first instant of the gap, in the tzinfo of the range's start.
        end: the instant a center opens again (or the range's end), excluded.
        duration: elapsed time ``end - start`` (exact across DST changes), as
            :attr:`~slocalc.calendars.centers.CoverageSegment.duration`.
    """

    start: datetime
    end: datetime
    duration: timedelta


def week_bounds(week_of: date, tz: str = "UTC") -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 on ``tz``'s wall clock, for the week of ``week_of``.

    Both bounds are aware datetimes in ``tz`` (placed by the boundary rule, so a DST week
    is 167 or 169 hours long).

    >>> a, b = week_bounds(date(2026, 3, 11), tz="America/New_York")
    >>> a.isoformat(), b - a
    ('2026-03-09T00:00:00-04:00', datetime.timedelta(days=7))
    """
    if isinstance(week_of, datetime) or not isinstance(week_of, date):
        raise SlocalcTypeError(
            f"week_of: expected a datetime.date, got {type(week_of).__name__} {week_of!r}; "
            f"pass t.date() for an instant"
        )
    zone = resolve_zone(tz)
    start, end = bounds_us(week_of, zone)
    return from_us(start, zone), from_us(end, zone)


def coverage_table(
    week_of: date, centers: StaffingArg = None, *, tz: str = "UTC", step: timedelta = _HOUR
) -> RecordList[CoverageRow]:
    """Which centers are open at each step of one week.

    The week runs from Monday 00:00 to the next Monday 00:00 on ``tz``'s wall clock; steps
    are ``step`` of elapsed time from its start. Each row samples the centers open at the
    step's *start* (a center opening at 08:30 shows from the 09:00 row); :func:`gaps` gives
    the exact spans. Holidays in the week count (a center is closed on its holidays).

    Args:
        week_of: any date of the week.
        centers: a :class:`~slocalc.staffing.Scenario`, or a ``centers=`` selection of
            :mod:`slocalc.calendars.centers` (``None`` for all six).
        tz: IANA zone of the week's bounds and of the rows' ``start``/``end``.
        step: the row length, positive.

    Raises:
        UnknownTimezoneError: ``tz`` is not an IANA zone.
        CalendarSpecError: an unknown center key.

    >>> rows = coverage_table(date(2026, 1, 14))  # winter, UTC rows
    >>> len(rows)
    168
    >>> for r in rows[7:10]:
    ...     print(f"{r.start:%a %H:%M}", r.count, ", ".join(r.centers))
    Mon 07:00 1 singapore
    Mon 08:00 3 belfast, dublin, singapore
    Mon 09:00 2 belfast, dublin
    """
    require_timedelta(step, "step")
    if step <= timedelta(0):
        raise SlocalcValueError(f"step: must be positive, got {step!r}")
    scen = as_scenario(centers)
    start, end = week_bounds(week_of, tz)
    zone = start.tzinfo
    order = {k: i for i, k in enumerate(scen.keys)}
    segs = coverage(start, end, scen.mapping())
    seg_starts = [s.start.astimezone(UTC) for s in segs]
    ua, ub = start.astimezone(UTC), end.astimezone(UTC)
    rows: RecordList[CoverageRow] = RecordList(instant_columns=("start", "end"), html=coverage_html)
    t, slot = ua, 0
    while t < ub:
        nxt = min(t + step, ub)
        seg = segs[bisect_right(seg_starts, t) - 1]
        keys = tuple(sorted(seg.centers, key=order.__getitem__))
        rows.append(CoverageRow(t.astimezone(zone), nxt.astimezone(zone), slot, keys, len(keys)))
        t, slot = nxt, slot + 1
    return rows


def gaps(
    a: datetime, b: datetime, centers: StaffingArg = None, *, min_duration: timedelta = timedelta(0)
) -> RecordList[Gap]:
    """Coverage gaps in ``[a, b)``: when none of the chosen centers is open.

    Holidays are included: a center is closed on its public holidays, so Christmas shows as
    a gap of days. Gaps are clipped to the range (a gap running past ``b`` ends at ``b``).

    Args:
        a: start of the range (aware).
        b: end of the range, excluded (aware).
        centers: a :class:`~slocalc.staffing.Scenario` or a ``centers=`` selection
            (``None`` for all six).
        min_duration: keep only gaps at least this long.

    Raises:
        NaiveDatetimeError: ``a`` or ``b`` has no zone.

    >>> from datetime import UTC, datetime
    >>> for g in gaps(datetime(2026, 12, 21, tzinfo=UTC), datetime(2027, 1, 4, tzinfo=UTC),
    ...               min_duration=timedelta(days=2)):
    ...     print(g.start, "->", g.end, g.duration)
    2026-12-25 01:00:00+00:00 -> 2026-12-28 00:00:00+00:00 2 days, 23:00:00
    2027-01-01 01:00:00+00:00 -> 2027-01-04 00:00:00+00:00 2 days, 23:00:00
    """
    require_timedelta(min_duration, "min_duration")
    segs = coverage(a, b, as_scenario(centers).mapping())
    return RecordList(
        (Gap(s.start, s.end, s.duration) for s in segs if s.is_gap and s.duration >= min_duration),
        instant_columns=("start", "end"),
        span_columns=("duration",),
    )


def handoffs(week_of: date, centers: StaffingArg = None, *, tz: str = "UTC") -> RecordList[Handoff]:
    """The handoff schedule of one week: each moment the set of open centers changes.

    :func:`slocalc.calendars.centers.handoffs` (same arguments, week and records:
    :class:`~slocalc.calendars.centers.Handoff` with ``at``, ``before``, ``after``,
    ``opens``, ``closes``), taking a :class:`~slocalc.staffing.Scenario` too.

    >>> for h in handoffs(date(2026, 1, 14), ["belfast", "boston"])[:3]:
    ...     print(h)
    Mon 2026-01-12 08:00 UTC  +belfast  -> belfast
    Mon 2026-01-12 13:00 UTC  +boston  -> belfast, boston
    Mon 2026-01-12 17:00 UTC  -belfast  -> boston
    """
    return centers_handoffs(week_of, as_scenario(centers).mapping(), tz=tz)
