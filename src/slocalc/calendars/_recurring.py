"""``RecurringCalendar``: open windows from an RFC 5545 recurrence rule (dateutil ``rrule``)."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - dateutil loads on first use
    from dateutil import rrule as _rrule

from slocalc._time import local_wall, require_aware, resolve_zone, to_us, wall_to_us, zone_key
from slocalc.calendars._index import MAX_SPAN_YEARS, MAX_YEAR, MIN_YEAR, Intervals, merge
from slocalc.calendars._zoned import ZonedCalendar
from slocalc.errors import CalendarSpecError

__all__ = ["RecurringCalendar"]

_MAX_WINDOW = timedelta(days=MAX_SPAN_YEARS * 366)


class RecurringCalendar(ZonedCalendar):
    """Windows that open at each occurrence of a recurrence rule, in a zone.

    Occurrences are local wall-clock times: the rule's time of day comes from ``start``'s
    wall time in ``tz``; each window lasts ``duration`` of wall-clock time, its end placed by
    the same boundary rule as every other calendar (so a 22:00-02:00 window stays
    22:00-02:00 local across DST changes).

    Args:
        rule: an RFC 5545 ``RRULE`` value, e.g. ``"FREQ=MONTHLY;BYDAY=2TU"``.
        start: the first occurrence (aware, whole seconds, read on ``tz``'s wall clock); it
            must be an occurrence of ``rule``.
        duration: how long each window stays open (positive).
        tz: IANA zone of the wall clock.

    Raises:
        CalendarSpecError: a rule that recurs more often than once a minute, a ``start``
            with microseconds, outside the supported years, or that is not an occurrence
            of ``rule`` (see docs/limits.md).

    >>> from datetime import UTC, datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> ldn = ZoneInfo("Europe/London")
    >>> maint = RecurringCalendar("FREQ=MONTHLY;BYDAY=2TU", tz="Europe/London",
    ...                           start=datetime(2026, 1, 13, 22, 0, tzinfo=ldn),
    ...                           duration=timedelta(hours=4))
    >>> maint.next_open(datetime(2026, 11, 1, tzinfo=ldn)).isoformat()
    '2026-11-10T22:00:00+00:00'
    """

    __slots__ = ("_rule", "_wall_start", "duration", "rule", "start")
    rule: str
    start: datetime
    duration: timedelta
    _rule: _rrule.rrule
    _wall_start: datetime

    def __init__(self, rule: str, *, start: datetime, duration: timedelta, tz: str) -> None:
        tz = zone_key(tz)  # a ZoneInfo, dateutil or pytz zone given as tz= keeps its IANA name
        zone = resolve_zone(tz)
        require_aware(start, "start")
        if start.microsecond:
            raise CalendarSpecError(
                f"start {start.isoformat()}: recurrence rules run in whole seconds; "
                f"expected a start without microseconds, e.g. {start.replace(microsecond=0).isoformat()}"
            )
        try:
            start_year = start.astimezone(UTC).year
        except OverflowError:
            start_year = 0
        if not MIN_YEAR <= start_year <= MAX_YEAR:
            raise CalendarSpecError(
                f"start {start.isoformat()}: outside the supported range; expected a UTC instant "
                f"in the years {MIN_YEAR}-{MAX_YEAR} (see docs/limits.md)"
            )
        if not isinstance(duration, timedelta) or duration <= timedelta(0):
            raise CalendarSpecError(
                f"duration {duration!r}: expected a positive datetime.timedelta, e.g. timedelta(hours=4)"
            )
        if duration > _MAX_WINDOW:
            raise CalendarSpecError(
                f"duration {duration!r}: longer than {MAX_SPAN_YEARS} years; expected a window of at "
                f"most {_MAX_WINDOW.days:,} days (see docs/limits.md)"
            )
        if not isinstance(rule, str) or not rule.strip():
            raise CalendarSpecError(
                f"rule {rule!r}: expected an RFC 5545 RRULE such as 'FREQ=WEEKLY;BYDAY=TU'"
            )
        text = rule.strip()
        if text.upper().startswith("RRULE:"):
            text = text[6:]
        if "DTSTART" in text.upper() or "\n" in text:
            raise CalendarSpecError(
                f"rule {rule!r}: give only the RRULE value; the first occurrence goes in start="
            )
        wall_start = local_wall(to_us(start), zone)
        from dateutil import rrule as _rrule

        try:
            parsed = _rrule.rrulestr(text, dtstart=wall_start)
        except (ValueError, TypeError) as exc:
            raise CalendarSpecError(
                f"rule {rule!r}: {exc}; expected an RFC 5545 RRULE such as 'FREQ=WEEKLY;BYDAY=TU'"
            ) from None
        if not isinstance(parsed, _rrule.rrule):  # pragma: no cover - rrulestr without sets
            raise CalendarSpecError(f"rule {rule!r}: expected a single RRULE")
        _check_density(rule, parsed)
        first = parsed.after(wall_start, inc=True)
        if first != wall_start:
            found = "it has no occurrence" if first is None else f"its first is {first.isoformat()}"
            raise CalendarSpecError(
                f"start {start.isoformat()}: not an occurrence of rule {rule!r} on the wall clock of "
                f"{tz} ({found}); start must be the first occurrence"
            )
        self._init_zoned(
            tz, zone, rule=text, start=start, duration=duration, _rule=parsed, _wall_start=wall_start
        )

    def _key(self) -> Hashable:
        return ("rrule", self.tz, self.rule.upper(), self._wall_start, self.duration)

    def _spelled(self) -> str:
        """The constructor call: the start is shown on ``tz``'s wall clock."""
        w = self._wall_start
        fields = [w.year, w.month, w.day, w.hour, w.minute, w.second, w.microsecond]
        while len(fields) > 5 and fields[-1] == 0:
            fields.pop()
        start = f"datetime({', '.join(map(str, fields))}, tzinfo=ZoneInfo({self.tz!r}))"
        duration = repr(self.duration).removeprefix("datetime.")
        return f"RecurringCalendar({self.rule!r}, start={start}, duration={duration}, tz={self.tz!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.rule, self.start, self.duration, self.tz))

    def _compile_year(self, year: int, lo: int, hi: int) -> Intervals:
        # Local wall range that can meet [lo, hi), widened by the window length.
        pad = timedelta(days=2)
        try:
            after = local_wall(lo, self.zone) - self.duration - pad
        except OverflowError:  # a long window near year 2: from the start of time
            after = datetime.min  # noqa: DTZ901 - a naive wall reading, like the rule's
        before = local_wall(hi - 1, self.zone) + pad
        out: Intervals = []
        for occ in _rebased(self._rule, self._wall_start, after).between(after, before, inc=True):
            s = wall_to_us(self.zone, occ)
            try:
                e = wall_to_us(self.zone, occ + self.duration)
            except OverflowError:  # runs past year 9999: the chunk clips it at ``hi``
                e = hi
            if e > s:
                out.append((s, e))
        return merge(out)


def _private(rule: _rrule.rrule, name: str) -> Any:
    """A field of a parsed rule (dateutil keeps them private and exposes no accessor)."""
    return getattr(rule, "_" + name)


#: the most occurrences a rule with COUNT may have (each is walked from the start)
MAX_COUNT = 1_000_000


def _rebased(rule: _rrule.rrule, wall_start: datetime, after: datetime) -> _rrule.rrule:
    """``rule`` with its start moved forward, whole periods at a time, to just before
    ``after``: the same occurrences from there on, without walking every one since the
    start (dateutil iterates from ``dtstart``). The period grid (every ``INTERVAL`` weeks,
    days, hours or minutes from the start) and the defaults taken from the start's time of
    day are kept. Rules with ``COUNT`` count from the start and are not moved.
    """
    from dateutil import rrule as _rrule

    unit = _PERIODS.get(_private(rule, "freq"))
    if unit is None or _private(rule, "count") is not None:
        return rule
    step = unit * _private(rule, "interval")
    periods = (after - wall_start) // step - 1
    if periods < 2:
        return rule
    moved = rule.replace(dtstart=wall_start + periods * step)
    assert isinstance(moved, _rrule.rrule)
    return moved


#: the length of one period of each frequency dateutil steps by (its WEEKLY=2 .. MINUTELY=5)
_PERIODS: dict[int, timedelta] = {
    2: timedelta(weeks=1),
    3: timedelta(days=1),
    4: timedelta(hours=1),
    5: timedelta(minutes=1),
}


def _check_density(rule: str, parsed: _rrule.rrule) -> None:
    """Refuse rules with occurrences less than a minute apart (``FREQ=SECONDLY``, several
    ``BYSECOND`` values): a year of them is too many windows to compile (docs/limits.md)."""
    from dateutil import rrule as _rrule

    freq = _private(parsed, "freq")  # dateutil exposes no public accessor
    seconds = _private(parsed, "bysecond") or ()
    count = _private(parsed, "count")
    if count is not None and count > MAX_COUNT:
        raise CalendarSpecError(
            f"rule {rule!r}: COUNT={_private(parsed, 'count'):,} is more than {MAX_COUNT:,} occurrences; "
            "expected a smaller COUNT, or UNTIL=, or no end (see docs/limits.md)"
        )
    if _private(parsed, "interval") < 1:
        raise CalendarSpecError(f"rule {rule!r}: INTERVAL must be a positive whole number, e.g. INTERVAL=2")
    if freq == _rrule.SECONDLY or len(seconds) > 1:
        raise CalendarSpecError(
            f"rule {rule!r}: has occurrences less than a minute apart; expected at most one "
            "occurrence a minute, e.g. 'FREQ=MINUTELY;INTERVAL=15' (see docs/limits.md)"
        )


def _rebuild(rule: str, start: datetime, duration: timedelta, tz: str) -> RecurringCalendar:
    return RecurringCalendar(rule, start=start, duration=duration, tz=tz)
