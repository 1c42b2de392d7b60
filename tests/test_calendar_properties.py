"""Hypothesis properties of the calendar engine (docs/concepts/business-time.md).

Instants come from :func:`strategies.instants`: 2025-2028, a third within a day of a DST
transition of the calendar's zone, expressed in that zone, UTC or a third zone. Results are
compared as instants (microseconds since the epoch), never with ``<`` on same-zone aware
datetimes, which ignores ``fold`` (PEP 495).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference import us_of
from slocalc import ALWAYS, BusinessCalendar, RecurringCalendar
from slocalc.calendars import Calendar
from strategies import durations, instants

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

CALENDARS: dict[str, tuple[Calendar, str]] = {
    "new_york": (
        BusinessCalendar(
            tz="America/New_York",
            hours="Mon-Fri 08:00-17:00",
            holidays="US",
            overrides={date(2026, 12, 24): "08:00-12:00"},
        ),
        "America/New_York",
    ),
    "london_lunch": (
        BusinessCalendar(tz="Europe/London", hours="Mon-Fri 08:00-12:00,13:00-17:00"),
        "Europe/London",
    ),
    "santiago": (
        BusinessCalendar(tz="America/Santiago", hours="Mon-Sun 00:00-06:00; Sat 20:00-02:00"),
        "America/Santiago",
    ),
    "lord_howe": (
        BusinessCalendar(tz="Australia/Lord_Howe", hours="Sat-Sun 01:45-02:15,09:00-17:00"),
        "Australia/Lord_Howe",
    ),
    "night": (
        BusinessCalendar(tz="America/New_York", hours="Mon-Fri 22:00-06:00", holidays=[date(2026, 7, 3)]),
        "America/New_York",
    ),
    "singapore": (
        BusinessCalendar(tz="Asia/Singapore", hours="Mon-Fri 09:00-18:00; Sat 09:00-13:00"),
        "Asia/Singapore",
    ),
    "recurring": (
        RecurringCalendar(
            "FREQ=DAILY",
            start=datetime.fromisoformat("2020-01-01T01:30:00-05:00"),
            duration=timedelta(hours=1),
            tz="America/New_York",
        ),
        "America/New_York",
    ),
}
CALENDARS["follow_the_sun"] = (
    CALENDARS["new_york"][0] | CALENDARS["london_lunch"][0] | CALENDARS["singapore"][0],
    "Europe/London",
)
CALENDARS["london_minus_recurring"] = (
    CALENDARS["london_lunch"][0] - CALENDARS["recurring"][0],
    "Europe/London",
)

NAMES = sorted(CALENDARS)


def elapsed(a: datetime, b: datetime) -> timedelta:
    """Real time from ``a`` to ``b`` (``b - a`` ignores fold when both share a tzinfo)."""
    return timedelta(microseconds=us_of(b) - us_of(a))


@st.composite
def cal_and_instant(draw: st.DrawFn) -> tuple[Calendar, datetime]:
    cal, tz = CALENDARS[draw(st.sampled_from(NAMES))]
    return cal, draw(instants(tz))


@st.composite
def cal_and_instants(draw: st.DrawFn, n: int) -> tuple[Calendar, list[datetime]]:
    cal, tz = CALENDARS[draw(st.sampled_from(NAMES))]
    return cal, [draw(instants(tz)) for _ in range(n)]


signed_durations = st.tuples(durations(), st.booleans()).map(lambda p: -p[0] if p[1] else p[0])


# --------------------------------------------------------------------------- add / between


@SETTINGS
@given(cal_and_instant(), signed_durations)
def test_between_undoes_add(ct: tuple[Calendar, datetime], d: timedelta) -> None:
    cal, t = ct
    x = cal.add(t, d)
    assert x.tzinfo is t.tzinfo
    assert cal.between(t, x) == d


@SETTINGS
@given(cal_and_instant(), signed_durations)
def test_add_then_subtract_is_business_equal(ct: tuple[Calendar, datetime], d: timedelta) -> None:
    cal, t = ct
    back = cal.add(cal.add(t, d), -d)
    assert cal.between(t, back) == timedelta(0)


@SETTINGS
@given(cal_and_instants(2), durations())
def test_add_is_monotone_in_t(ct: tuple[Calendar, list[datetime]], d: timedelta) -> None:
    cal, (t1, t2) = ct
    if us_of(t2) < us_of(t1):
        t1, t2 = t2, t1
    assert us_of(cal.add(t1, d)) <= us_of(cal.add(t2, d))
    assert us_of(cal.add(t1, -d)) <= us_of(cal.add(t2, -d))


@SETTINGS
@given(cal_and_instant(), signed_durations, signed_durations)
def test_add_is_monotone_in_d(ct: tuple[Calendar, datetime], d1: timedelta, d2: timedelta) -> None:
    cal, t = ct
    if d2 < d1:
        d1, d2 = d2, d1
    assert us_of(cal.add(t, d1)) <= us_of(cal.add(t, d2))


@SETTINGS
@given(cal_and_instants(3))
def test_between_is_additive(ct: tuple[Calendar, list[datetime]]) -> None:
    cal, (a, b, c) = ct
    assert cal.between(a, b) + cal.between(b, c) == cal.between(a, c)


@SETTINGS
@given(cal_and_instants(2))
def test_between_is_antisymmetric(ct: tuple[Calendar, list[datetime]]) -> None:
    cal, (a, b) = ct
    assert cal.between(a, b) == -cal.between(b, a)
    if us_of(a) <= us_of(b):
        assert timedelta(0) <= cal.between(a, b) <= elapsed(a, b)
    else:
        assert elapsed(a, b) <= cal.between(a, b) <= timedelta(0)


@SETTINGS
@given(cal_and_instant())
def test_next_open_and_next_close(ct: tuple[Calendar, datetime]) -> None:
    cal, t = ct
    o = cal.next_open(t)
    c = cal.next_close(t)
    assert o.tzinfo is t.tzinfo
    assert us_of(o) >= us_of(t)
    assert cal.is_open(o)
    assert cal.is_open(t) == (us_of(o) == us_of(t))
    assert cal.between(t, o) == timedelta(0)
    assert c is not None  # every calendar here closes
    assert us_of(c) > us_of(o)
    assert not cal.is_open(c)
    assert cal.between(o, c) == elapsed(o, c)


@SETTINGS
@given(cal_and_instants(2))
def test_intervals_tile_between(ct: tuple[Calendar, list[datetime]]) -> None:
    cal, (a, b) = ct
    if us_of(b) < us_of(a):
        a, b = b, a
    if elapsed(a, b) > timedelta(days=30):
        b = a + timedelta(days=30)
    ivs = list(cal.intervals(a, b))
    total = timedelta(0)
    prev_end = None
    for s, e in ivs:
        assert s.tzinfo is a.tzinfo
        assert e.tzinfo is a.tzinfo
        assert us_of(a) <= us_of(s) < us_of(e) <= us_of(b)
        if prev_end is not None:
            assert us_of(prev_end) < us_of(s)  # sorted, disjoint, touching ones merged
        assert cal.is_open(s)
        assert cal.between(s, e) == elapsed(s, e)
        total += elapsed(s, e)
        prev_end = e
    assert total == cal.between(a, b)


# --------------------------------------------------------------------------- business days

NINE_TO_FIVE = BusinessCalendar(tz="America/New_York", hours="Mon-Fri 08:00-17:00", holidays="US")


@SETTINGS
@given(instants("America/New_York"), st.integers(-15, 15))
def test_add_days_agrees_with_nine_hour_days(t: datetime, n: int) -> None:
    """docs/concepts/business-days.md: on Mon-Fri 08:00-17:00, add_days(t, n) ~ add(next_open(t), n x 9h)."""
    by_days = NINE_TO_FIVE.add_days(t, n)
    by_hours = NINE_TO_FIVE.add(NINE_TO_FIVE.next_open(t), timedelta(hours=9) * n)
    assert by_days.tzinfo is t.tzinfo
    assert NINE_TO_FIVE.between(by_days, by_hours) == timedelta(0)


@SETTINGS
@given(cal_and_instant(), st.integers(0, 8))
def test_add_days_moves_forward_and_back(ct: tuple[Calendar, datetime], n: int) -> None:
    cal, t = ct
    if not hasattr(cal, "add_days"):
        return
    fwd = cal.add_days(t, n)
    assert us_of(fwd) >= us_of(cal.next_open(t))
    if n == 0:
        assert fwd == cal.next_open(t)


# --------------------------------------------------------------------------- algebra

PAIRS = [(a, b) for a in NAMES for b in NAMES if a != b]


@st.composite
def pair_and_instant(draw: st.DrawFn) -> tuple[Calendar, Calendar, datetime]:
    a, b = draw(st.sampled_from(PAIRS))
    tz = draw(st.sampled_from((CALENDARS[a][1], CALENDARS[b][1])))
    return CALENDARS[a][0], CALENDARS[b][0], draw(instants(tz))


@SETTINGS
@given(pair_and_instant())
def test_union_is_open_when_a_part_is(abt: tuple[Calendar, Calendar, datetime]) -> None:
    a, b, t = abt
    assert (a | b).is_open(t) == (a.is_open(t) or b.is_open(t))


@SETTINGS
@given(pair_and_instant())
def test_intersection_is_open_when_both_are(abt: tuple[Calendar, Calendar, datetime]) -> None:
    a, b, t = abt
    assert (a & b).is_open(t) == (a.is_open(t) and b.is_open(t))


@SETTINGS
@given(pair_and_instant())
def test_difference_is_never_open_where_b_is(abt: tuple[Calendar, Calendar, datetime]) -> None:
    a, b, t = abt
    diff = a - b
    if b.is_open(t) or not a.is_open(t):
        assert not diff.is_open(t)
    else:
        assert diff.is_open(t)


@SETTINGS
@given(pair_and_instant(), durations(max_hours=48))
def test_union_between_is_inclusion_exclusion(abt: tuple[Calendar, Calendar, datetime], d: timedelta) -> None:
    a, b, t = abt
    u = t + d  # wall-clock addition is fine: any later instant will do
    assert (a | b).between(t, u) + (a & b).between(t, u) == a.between(t, u) + b.between(t, u)
    assert (a - b).between(t, u) == a.between(t, u) - (a & b).between(t, u)


@pytest.mark.parametrize("name", NAMES)
def test_always_and_never_identities(name: str) -> None:
    cal, _ = CALENDARS[name]
    t = datetime.fromisoformat("2026-03-08T01:00:00-05:00")
    u = t + timedelta(days=9)
    assert (cal & ALWAYS).between(t, u) == cal.between(t, u)
    assert (cal | ALWAYS).between(t, u) == elapsed(t, u)
    assert (cal - ALWAYS).between(t, u) == timedelta(0)
    assert (cal - cal).between(t, u) == timedelta(0)
