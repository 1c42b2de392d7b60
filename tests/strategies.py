"""Shared test data: aware instants weighted towards DST transitions, durations.

Used by the Hypothesis property tests (strategies) and the seeded differential test
(plain ``random.Random`` samplers), so both draw from the same distribution.
"""

from __future__ import annotations

import functools
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import reject
from hypothesis import strategies as st

from reference import DAY, HOUR, dt_of, offset_changes, us_of

LO = us_of(datetime(2025, 1, 1, tzinfo=UTC))
HI = us_of(datetime(2029, 1, 1, tzinfo=UTC))

#: zones used to express inputs that are neither the calendar's zone nor UTC
THIRD_ZONES = ("Asia/Tokyo", "America/Los_Angeles", "Pacific/Chatham", "Europe/Berlin")


@functools.cache
def transitions(tz: str, lo: int = LO, hi: int = HI) -> tuple[int, ...]:
    """Every UTC-offset change of ``tz`` in ``[lo, hi)``, as exact microsecond instants."""
    return tuple(offset_changes(ZoneInfo(tz), lo, hi))


def _express(us: int, tz: str) -> datetime:
    return dt_of(us, UTC if tz == "UTC" else ZoneInfo(tz))


# --------------------------------------------------------------------------- seeded sampling


def random_instant_us(rng: random.Random, tz: str) -> int:
    """About a third of draws within a day of one of ``tz``'s transitions."""
    edges = transitions(tz)
    kind = rng.random()
    if edges and kind < 0.34:
        edge = rng.choice(edges)
        # whole minutes most of the time (hits boundaries exactly), sometimes microseconds
        if rng.random() < 0.7:
            return edge + rng.randint(-24 * 60, 24 * 60) * 60 * 1_000_000
        return edge + rng.randint(-DAY, DAY)
    if kind < 0.4:
        # near a UTC new year: the engine compiles one UTC year at a time
        year = rng.choice((2026, 2027, 2028))
        new_year = us_of(datetime(year, 1, 1, tzinfo=UTC))
        return new_year + rng.randint(-2 * 24 * 4, 2 * 24 * 4) * 15 * 60 * 1_000_000
    if kind < 0.65:
        # on a quarter hour: lands exactly on opens and closes often
        q = 15 * 60 * 1_000_000
        return rng.randint(LO // q, HI // q) * q
    return rng.randint(LO, HI)


def random_instant(rng: random.Random, tz: str) -> datetime:
    """An aware instant near ``tz``'s edges, expressed in ``tz``, UTC or a third zone."""
    us = random_instant_us(rng, tz)
    where = rng.choice((tz, "UTC", rng.choice(THIRD_ZONES)))
    return _express(us, where)


def random_duration(rng: random.Random) -> timedelta:
    kind = rng.random()
    if kind < 0.4:
        return timedelta(minutes=rng.randint(1, 60 * 40))
    if kind < 0.7:
        return timedelta(hours=rng.randint(1, 9 * 15))
    if kind < 0.9:
        return timedelta(microseconds=rng.randint(1, 200 * HOUR))
    return timedelta(minutes=rng.choice((30, 60, 9 * 60, 4 * 60, 12 * 60, 45)))


# --------------------------------------------------------------------------- Hypothesis


@st.composite
def instants(draw: st.DrawFn, tz: str) -> datetime:
    """Aware datetimes in 2025-2028, weighted towards ``tz``'s DST transitions and
    expressed in ``tz``, UTC or a third zone."""
    edges = transitions(tz)
    near = bool(edges) and draw(st.integers(0, 2)) == 0
    if near:
        edge = draw(st.sampled_from(edges))
        minutes = draw(st.integers(-24 * 60, 24 * 60))
        micro = draw(st.one_of(st.just(0), st.integers(0, 60_000_000 - 1)))
        us = edge + minutes * 60_000_000 + micro
    else:
        q = 15 * 60 * 1_000_000
        us = draw(
            st.one_of(
                st.integers(LO // q, HI // q).map(lambda k: k * q),
                st.integers(LO, HI),
            )
        )
    where = draw(st.sampled_from((tz, "UTC", *THIRD_ZONES)))
    return _express(us, where)


def durations(*, max_hours: int = 120) -> st.SearchStrategy[timedelta]:
    """Positive durations: whole minutes mostly, sometimes arbitrary microseconds."""
    return st.one_of(
        st.integers(1, max_hours * 60).map(lambda m: timedelta(minutes=m)),
        st.integers(1, max_hours * HOUR).map(lambda u: timedelta(microseconds=u)),
    )


# --------------------------------------------------------------------------- calendars

CALENDAR_ZONES = ("UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata")
_HOURS = (
    "Mon-Fri 08:00-17:00",
    "Mon-Fri 08:00-12:00,13:00-17:00",
    "Mon-Fri 22:00-06:00",
    "Fri-Mon 20:00-02:00; Wed 09:00-10:00",
    "Mon-Sun 00:00-24:00",
    "Sat 09:30-13:00",
    "closed",
)
_RANGES = ("08:00-12:00", "closed", "22:00-06:00", "00:00-24:00", "09:15-09:45,13:00-17:00")
_RULES = (
    "FREQ=DAILY",
    "FREQ=WEEKLY;BYDAY=TU,TH",
    "FREQ=MONTHLY;BYDAY=2TU",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=SA",
)
_HOLIDAYS: tuple[object, ...] = (None, "US", ("GB", "NIR"), "ie")


@st.composite
def business_calendars(draw: st.DrawFn) -> object:
    """``BusinessCalendar``s built from strings, dates and zones (what a repr can spell)."""
    from slocalc import BusinessCalendar

    days = st.dates(datetime(2025, 1, 1).date(), datetime(2028, 12, 31).date())
    holidays = draw(st.one_of(st.sampled_from(_HOLIDAYS), st.lists(days, max_size=4)))
    overrides = draw(st.dictionaries(days, st.sampled_from(_RANGES), max_size=3)) or None
    return BusinessCalendar(
        tz=draw(st.sampled_from(CALENDAR_ZONES)),
        hours=draw(st.sampled_from(_HOURS)),
        holidays=holidays,  # type: ignore[arg-type]
        overrides=overrides,
    )


@st.composite
def recurring_calendars(draw: st.DrawFn) -> object:
    """``RecurringCalendar``s whose start is an aware instant in any zone.

    The start must be an occurrence of the rule (docs/limits.md): the drawn instant is moved
    to the rule's first occurrence at or after it on the calendar's wall clock (examples
    where that reading falls in a DST gap are rejected).
    """
    from dateutil import rrule

    from slocalc import RecurringCalendar
    from slocalc.errors import CalendarSpecError

    tz = draw(st.sampled_from(CALENDAR_ZONES))
    start = draw(instants(tz)).replace(microsecond=0)
    minutes = draw(st.integers(1, 48 * 60))
    extra = draw(st.sampled_from((0, 0, 17, 1_500_000)))
    rule = draw(st.sampled_from(_RULES))
    cal_tz = draw(st.sampled_from(CALENDAR_ZONES))
    zone = ZoneInfo(cal_tz)
    wall = start.astimezone(zone).replace(tzinfo=None)
    first = rrule.rrulestr(rule, dtstart=wall).after(wall, inc=True)
    try:
        return RecurringCalendar(
            rule,
            start=first.replace(tzinfo=zone),
            duration=timedelta(minutes=minutes, microseconds=extra),
            tz=cal_tz,
        )
    except CalendarSpecError:
        reject()


def calendars(*, max_leaves: int = 4) -> st.SearchStrategy[object]:
    """Calendars of every kind: business, recurring, ``ALWAYS``/``NEVER`` and their algebra."""
    from slocalc import ALWAYS, NEVER

    leaves = st.one_of(business_calendars(), recurring_calendars(), st.sampled_from((ALWAYS, NEVER)))

    def combine(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
        return st.tuples(children, children, st.sampled_from("|&-")).map(
            lambda p: p[0] | p[1] if p[2] == "|" else p[0] & p[1] if p[2] == "&" else p[0] - p[1]  # type: ignore[operator]
        )

    return st.recursive(leaves, combine, max_leaves=max_leaves)
