"""The weekly-hours grammar (docs/guides/custom-calendars.md).

``"Mon-Fri 08:00-17:00; Sat 09:00-12:00"``: clauses separated by ``;``, each ``DAYS RANGES``.
Days are ``Mon``..``Sun`` (case-insensitive), a range ``Mon-Fri`` (may wrap: ``Fri-Mon``) or a
list ``Mon,Wed``; ranges are ``HH:MM-HH:MM`` separated by ``,``. ``24:00`` is allowed as an
end; an end earlier than its start is an overnight shift ending on the next day. ``closed``
means no hours (also per clause: ``Sat closed``).

A parsed range is ``(start_minute, end_minute)`` counted from the local midnight of the day it
starts on; ``end_minute`` may exceed 1440 for an overnight shift.
"""

from __future__ import annotations

import re

from slocalc.errors import CalendarSpecError, SlocalcTypeError, did_you_mean

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_INDEX = {name.lower(): i for i, name in enumerate(DAY_NAMES)}
_TIME_RE = re.compile(r"^([0-9]{2}):([0-9]{2})$")  # ASCII digits only, not \d

Range = tuple[int, int]
DayRanges = tuple[Range, ...]
Weekly = tuple[DayRanges, DayRanges, DayRanges, DayRanges, DayRanges, DayRanges, DayRanges]


def _fail(what: str, spec: str, detail: str) -> CalendarSpecError:
    return CalendarSpecError(f"{what} {spec!r}: {detail}")


def _parse_day(token: str, what: str, spec: str) -> int:
    idx = _DAY_INDEX.get(token.lower())
    if idx is None:
        did = did_you_mean(token, DAY_NAMES, n=1)
        raise _fail(what, spec, f"unknown day {token!r}; expected one of {', '.join(DAY_NAMES)}{did}")
    return idx


def _parse_days(token: str, what: str, spec: str) -> list[int]:
    days: list[int] = []
    for item in token.split(","):
        item = item.strip()
        if not item:
            raise _fail(what, spec, f"empty day in {token!r}; expected e.g. 'Mon,Wed' or 'Mon-Fri'")
        if "-" in item:
            first, _, last = item.partition("-")
            a, b = _parse_day(first.strip(), what, spec), _parse_day(last.strip(), what, spec)
            span = (b - a) % 7
            days.extend((a + k) % 7 for k in range(span + 1))
        else:
            days.append(_parse_day(item, what, spec))
    return days


def _parse_time(token: str, what: str, spec: str, *, is_end: bool) -> int:
    m = _TIME_RE.match(token)
    if not m:
        raise _fail(what, spec, f"bad time {token!r}; expected HH:MM, e.g. '08:00'")
    hh, mm = int(m.group(1)), int(m.group(2))
    if hh == 24 and mm == 0:
        if is_end:
            return 1440
        raise _fail(what, spec, f"bad time {token!r}: 24:00 is allowed only as an end")
    if hh > 23 or mm > 59:
        raise _fail(
            what, spec, f"bad time {token!r}; hours run 00-23 and minutes 00-59 (24:00 only as an end)"
        )
    return hh * 60 + mm


def parse_ranges(text: str, *, what: str = "hours", spec: str | None = None) -> DayRanges:
    """Parse ``"08:00-12:00,13:00-17:00"`` (or ``"closed"``) into ranges.

    >>> parse_ranges("08:00-12:00,22:00-06:00")
    ((480, 720), (1320, 1800))
    """
    spec = text if spec is None else spec
    body = text.strip()
    if body.lower() == "closed":
        return ()
    out: list[Range] = []
    for raw in body.split(","):
        token = raw.strip()
        if not token:
            raise _fail(what, spec, "empty range around ','; expected HH:MM-HH:MM, e.g. '08:00-17:00'")
        start_s, sep, end_s = token.partition("-")
        if not sep or not _TIME_RE.match(start_s.strip()) or not _TIME_RE.match(end_s.strip()):
            if sep and (_TIME_RE.match(start_s.strip()) or _TIME_RE.match(end_s.strip())):
                bad = end_s.strip() if _TIME_RE.match(start_s.strip()) else start_s.strip()
                raise _fail(what, spec, f"bad time {bad!r} in {token!r}; expected HH:MM, e.g. '08:00'")
            raise _fail(what, spec, f"bad time range {token!r}; expected HH:MM-HH:MM, e.g. '08:00-17:00'")
        start = _parse_time(start_s.strip(), what, spec, is_end=False)
        end = _parse_time(end_s.strip(), what, spec, is_end=True)
        if end == start:
            raise _fail(
                what,
                spec,
                f"empty range {token!r} (start equals end); use 00:00-24:00 for a whole day",
            )
        if end < start:
            end += 1440  # overnight: ends on the next day
        out.append((start, end))
    return tuple(sorted(out))


def parse_hours(text: str) -> Weekly:
    """Parse a weekly-hours string into seven tuples of ranges, Monday first.

    >>> parse_hours("Mon-Fri 08:00-17:00")[0]
    ((480, 1020),)
    >>> parse_hours("Fri-Mon 22:00-06:00")[6]
    ((1320, 1800),)
    >>> parse_hours("closed")
    ((), (), (), (), (), (), ())
    """
    if not isinstance(text, str):
        raise SlocalcTypeError(f"hours: expected a string such as 'Mon-Fri 08:00-17:00', got {text!r}")
    spec = text
    body = text.strip()
    if not body:
        raise _fail("hours", spec, "empty; expected e.g. 'Mon-Fri 08:00-17:00' or 'closed'")
    week: list[list[Range]] = [[] for _ in range(7)]
    if body.lower() == "closed":
        return ((), (), (), (), (), (), ())
    for clause in body.split(";"):
        clause = clause.strip()
        if not clause:
            raise _fail("hours", spec, "empty clause between ';'; expected 'DAYS HH:MM-HH:MM'")
        parts = clause.split(None, 1)
        if len(parts) < 2:
            if _TIME_RE.match(clause.partition("-")[0].strip()):
                raise _fail("hours", spec, f"clause {clause!r} has no days; expected e.g. 'Mon-Fri {clause}'")
            _parse_days(parts[0], "hours", spec)  # reports an unknown day first
            raise _fail(
                "hours", spec, f"clause {clause!r} has no time ranges; expected e.g. '{clause} 08:00-17:00'"
            )
        days = _parse_days(parts[0], "hours", spec)
        ranges = parse_ranges(parts[1], what="hours", spec=spec)
        for d in days:
            week[d].extend(ranges)
    return tuple(tuple(sorted(set(day))) for day in week)  # type: ignore[return-value]
