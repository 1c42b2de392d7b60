"""Hypothesis properties of coverage, open_centers, follow_the_sun and handoffs.

Selections mix the guidebook's centers with random user centers (zones with odd DST rules,
Sunday-Thursday weeks, overnight shifts, split days, company holiday lists); instants are
weighted towards DST transitions (``tests/strategies.py``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc.calendars.centers import CENTERS, SupportCenter, coverage, follow_the_sun, handoffs, open_centers
from strategies import instants

ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "America/New_York",
    "Asia/Singapore",
    "Asia/Jerusalem",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kathmandu",
)
HOURS = (
    "Mon-Fri 08:00-17:00",
    "Sun-Thu 08:00-17:00",
    "Mon-Fri 09:00-12:30,13:30-18:00",
    "Fri 22:00-06:00",
    "Mon-Sun 00:00-24:00",
    "Sat 10:00-14:00; Sun 00:00-02:00",
    "closed",
)
ONE_US = timedelta(microseconds=1)
PROPS = settings(max_examples=100, deadline=None)


@st.composite
def user_centers(draw: st.DrawFn, index: int) -> SupportCenter:
    tz = draw(st.sampled_from(ZONES))
    hours = draw(st.sampled_from(HOURS))
    days = draw(st.lists(st.dates(date(2025, 1, 1), date(2028, 12, 31)), max_size=4))
    return SupportCenter.from_hours(f"user{index}", f"User {index}", tz=tz, hours=hours, holidays=days)


@st.composite
def selections(draw: st.DrawFn) -> list[str | SupportCenter] | None:
    if draw(st.integers(0, 4)) == 0:
        return None  # the default: all six
    keys: list[str | SupportCenter] = list(draw(st.lists(st.sampled_from(list(CENTERS)), unique=True)))
    keys += [draw(user_centers(i)) for i in range(draw(st.integers(0, 2)))]
    return list(draw(st.permutations(keys)))


def instants_anywhere() -> st.SearchStrategy[datetime]:
    return st.sampled_from(ZONES).flatmap(instants)


def spans() -> st.SearchStrategy[timedelta]:
    return st.one_of(
        st.integers(0, 10 * 24 * 60).map(lambda m: timedelta(minutes=m)),
        st.integers(0, 10 * 86_400 * 1_000_000).map(lambda u: timedelta(microseconds=u)),
    )


def later(t: datetime, d: timedelta) -> datetime:
    """``t`` plus elapsed time ``d`` (not wall time), in ``t``'s tzinfo."""
    return (t.astimezone(UTC) + d).astimezone(t.tzinfo)


def keys_of(sel: list[str | SupportCenter] | None) -> list[str]:
    if sel is None:
        return list(CENTERS)
    return [c if isinstance(c, str) else c.key for c in sel]


@PROPS
@given(selections(), instants_anywhere(), spans(), st.data())
def test_coverage_tiles_the_range_and_agrees_with_open_centers(
    sel: list[str | SupportCenter] | None, a: datetime, span: timedelta, data: st.DataObject
) -> None:
    b = later(a, span)
    segs = coverage(a, b, sel)
    if span == timedelta(0):
        assert segs == []
        return
    # Tiles [a, b) exactly, in a's tzinfo.
    assert segs[0].start.astimezone(UTC) == a.astimezone(UTC)
    assert segs[-1].end.astimezone(UTC) == b.astimezone(UTC)
    for s, e, _ in segs:
        assert s.tzinfo is a.tzinfo
        assert e.tzinfo is a.tzinfo
        assert s.astimezone(UTC) < e.astimezone(UTC)
    for x, y in pairwise(segs):
        assert x.end.astimezone(UTC) == y.start.astimezone(UTC)
        assert x.centers != y.centers
    assert sum((seg.duration for seg in segs), timedelta(0)) == span
    # Each segment's set is what open_centers says anywhere inside it, in selection order.
    order = keys_of(sel)
    for seg in segs[:25]:
        start = seg.start.astimezone(UTC)
        inside = start + ONE_US * data.draw(st.integers(0, seg.duration // ONE_US - 1))
        for t in (start, inside, seg.end.astimezone(UTC) - ONE_US):
            got = open_centers(t, sel)
            assert frozenset(got) == seg.centers
            assert list(got) == [k for k in order if k in seg.centers]


@PROPS
@given(selections(), instants_anywhere(), spans())
def test_follow_the_sun_is_open_exactly_where_some_center_is(
    sel: list[str | SupportCenter] | None, a: datetime, span: timedelta
) -> None:
    fts = follow_the_sun(sel)
    assert fts.is_open(a) == bool(open_centers(a, sel))
    b = later(a, span)
    # Its open intervals are the non-gap segments of coverage, joined where they touch.
    covered: list[tuple[datetime, datetime]] = []
    for s, e, keys in coverage(a, b, sel):
        if not keys:
            continue
        s, e = s.astimezone(UTC), e.astimezone(UTC)
        if covered and covered[-1][1] == s:
            covered[-1] = (covered[-1][0], e)
        else:
            covered.append((s, e))
    got = [(s.astimezone(UTC), e.astimezone(UTC)) for s, e in fts.intervals(a, b)]
    assert got == covered


@PROPS
@given(
    selections(),
    st.dates(date(2025, 1, 6), date(2028, 12, 18)),
    st.sampled_from(("UTC", *ZONES)),
)
def test_handoffs_are_exactly_the_changes_of_the_week(
    sel: list[str | SupportCenter] | None, week_of: date, tz: str
) -> None:
    hs = handoffs(week_of, sel, tz=tz)
    order = keys_of(sel)
    at = [h.utc for h in hs]
    assert at == sorted(set(at))
    for h in hs:
        assert str(h.at.tzinfo) == tz
        assert h.at.astimezone(UTC) == h.utc
        assert h.before != h.after
        assert h.before == open_centers(h.utc - ONE_US, sel)
        assert h.after == open_centers(h.utc, sel)
        assert list(h.after) == [k for k in order if k in h.after]
        assert set(h.opens) == set(h.after) - set(h.before)
        assert set(h.closes) == set(h.before) - set(h.after)
    # Nothing changes between consecutive handoffs: they are the coverage boundaries.
    if hs:
        segs = coverage(hs[0].utc, hs[-1].utc, sel)
        assert [s.start for s in segs] == at[:-1]
