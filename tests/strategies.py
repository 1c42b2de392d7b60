"""Shared test data: aware instants weighted towards DST transitions, durations.

Used by the Hypothesis property tests (strategies) and the seeded differential test
(plain ``random.Random`` samplers), so both draw from the same distribution.
"""

from __future__ import annotations

import functools
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

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
