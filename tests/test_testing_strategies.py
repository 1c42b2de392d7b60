"""Tests of slocalc.testing's strategies: valid values only, the promised weighting, shrinking."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from slocalc import ALWAYS, BusinessCalendar, UnknownTimezoneError
from slocalc.calendars import Union
from slocalc.calendars._hours import parse_hours, parse_ranges
from slocalc.testing import (
    AWKWARD_ZONES,
    ZONES,
    aware_datetimes,
    calendars,
    day_ranges,
    durations,
    transitions,
    unions,
    weekly_hours,
    zones,
)
from slocalc.testing._transitions import transition_seconds

SAMPLE = settings(max_examples=600, derandomize=True, database=None, phases=[Phase.generate], deadline=None)


def _within(t: datetime, span: timedelta) -> bool:
    """Whether ``t`` is within ``span`` of one of its own zone's transitions."""
    s = t.timestamp()
    return any(abs(s - e) <= span.total_seconds() for e in transition_seconds(str(t.tzinfo), 2025, 2028))


def _sample(strategy: st.SearchStrategy[datetime]) -> list[datetime]:
    """A fixed-seed sample of the generation phase (no shrinking, no database)."""
    out: list[datetime] = []

    @SAMPLE
    @given(strategy)
    def collect(value: datetime) -> None:
        out.append(value)

    collect()
    return out


# --------------------------------------------------------------------------- transitions


def test_transitions_of_dublin_are_the_eu_rule_instants() -> None:
    # EU rule: last Sunday of March and of October, 01:00 UTC (Dublin's "negative DST"
    # does not move the instants).
    assert transitions("Europe/Dublin", min_year=2026, max_year=2026) == (
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
    )


def test_transitions_of_lord_howe_move_the_clock_by_thirty_minutes() -> None:
    zone = ZoneInfo("Australia/Lord_Howe")
    edges = transitions("Australia/Lord_Howe", min_year=2026, max_year=2026)
    assert len(edges) == 2
    for edge in edges:
        before = (edge - timedelta(microseconds=1)).astimezone(zone).utcoffset()
        after = edge.astimezone(zone).utcoffset()
        assert before is not None
        assert after is not None
        assert abs(after - before) == timedelta(minutes=30)


def test_transitions_of_santiago_are_at_local_midnight() -> None:
    zone = ZoneInfo("America/Santiago")
    for edge in transitions("America/Santiago"):
        walls = {(edge - timedelta(microseconds=1)).astimezone(zone).time(), edge.astimezone(zone).time()}
        # spring forward: 23:59:59.999999 -> 01:00; fall back: 23:59:59.999999 -> 23:00
        assert any(w.hour == 0 and w.minute == 0 for w in walls) or any(
            w.hour == 23 and w.minute == 59 for w in walls
        ), edge


def test_zones_without_dst_have_no_transitions() -> None:
    for tz in ("UTC", "Asia/Kathmandu", "Asia/Kolkata", "Asia/Singapore"):
        assert transitions(tz) == ()


def test_transitions_reject_unknown_zones() -> None:
    with pytest.raises(UnknownTimezoneError, match="Europe/Lndon"):
        transitions("Europe/Lndon")


# --------------------------------------------------------------------------- zones


def test_zone_pool_holds_the_awkward_zones() -> None:
    for tz in (
        "Asia/Kathmandu",
        "Australia/Lord_Howe",
        "America/Santiago",
        "Europe/Dublin",
        "Asia/Kolkata",
        "Pacific/Chatham",
        "America/St_Johns",
    ):
        assert tz in AWKWARD_ZONES
    assert set(AWKWARD_ZONES) <= set(ZONES)
    assert ZONES[0] == "UTC"  # shrinks to the plainest zone


@given(zones(dst_only=True))
def test_dst_only_zones_have_transitions(tz: str) -> None:
    assert transitions(tz)


# --------------------------------------------------------------------------- instants


@given(aware_datetimes(mixed_tzinfo=True))
def test_aware_datetimes_are_real_canonical_instants(t: datetime) -> None:
    assert t.utcoffset() is not None
    # canonical: converting through UTC gives back the same reading and fold
    back = t.astimezone(UTC).astimezone(t.tzinfo)
    assert (back.replace(tzinfo=None), back.fold) == (t.replace(tzinfo=None), t.fold)
    assert datetime(2024, 12, 29, tzinfo=UTC) <= t < datetime(2029, 1, 3, tzinfo=UTC)


@given(aware_datetimes(zones=("Asia/Kathmandu", "Pacific/Chatham"), min_year=2030, max_year=2030))
def test_aware_datetimes_respect_zones_and_years(t: datetime) -> None:
    assert str(t.tzinfo) in ("Asia/Kathmandu", "Pacific/Chatham")
    assert datetime(2029, 12, 30, tzinfo=UTC) <= t < datetime(2031, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize("tz", ["America/New_York", "Australia/Lord_Howe", "America/Santiago"])
def test_at_least_forty_percent_land_within_two_hours_of_a_transition(tz: str) -> None:
    sample = _sample(aware_datetimes(zones=tz))
    share = sum(_within(t, timedelta(hours=2)) for t in sample) / len(sample)
    assert share >= 0.40, f"{share:.0%} of {len(sample)} draws near a transition in {tz}"


def test_default_pool_weights_transitions_too() -> None:
    sample = [t for t in _sample(aware_datetimes()) if transition_seconds(str(t.tzinfo), 2025, 2028)]
    share = sum(_within(t, timedelta(hours=2)) for t in sample) / len(sample)
    assert share >= 1 / 3, f"{share:.0%} of {len(sample)} draws in DST zones near a transition"


def test_without_weighting_few_land_near_a_transition() -> None:
    sample = _sample(aware_datetimes(zones="America/New_York", near_transitions=False))
    share = sum(_within(t, timedelta(hours=2)) for t in sample) / len(sample)
    assert share < 0.05


def test_a_calendar_weights_its_opens_and_closes() -> None:
    cal = BusinessCalendar(tz="Europe/London", hours="Mon-Fri 09:00-17:00")
    sample = _sample(aware_datetimes(calendar=cal, near_transitions=False))
    on_boundary = sum(
        t.astimezone(ZoneInfo("Europe/London")).time().isoformat() in ("09:00:00", "17:00:00") for t in sample
    )
    assert on_boundary / len(sample) >= 0.15
    assert all(str(t.tzinfo) == "Europe/London" for t in sample)  # the calendar's zone


# --------------------------------------------------------------------------- hours


@given(weekly_hours())
def test_weekly_hours_parse_and_open_some_time(text: str) -> None:
    week = parse_hours(text)
    assert sum(e - s for day in week for s, e in day) >= 15


@given(weekly_hours(allow_closed=True))
def test_weekly_hours_may_be_closed_but_always_parse(text: str) -> None:
    parse_hours(text)


@given(day_ranges())
def test_day_ranges_parse(text: str) -> None:
    parse_ranges(text)


def test_weekly_hours_cover_the_grammar() -> None:
    seen: list[str] = []

    @settings(max_examples=400, derandomize=True, database=None, phases=[Phase.generate])
    @given(weekly_hours())
    def collect(text: str) -> None:
        seen.append(text)

    collect()
    joined = "\n".join(seen)
    for piece in ("24:00", "00:00", ";", "closed"):
        assert piece in joined
    assert any("," in t.split()[0] for t in seen)  # a day list
    assert any(parse_hours(t)[6] and "Sun" not in t.split()[0] for t in seen)  # a wrapping range
    overnight = [t for t in seen if any(e > 1440 for day in parse_hours(t) for _, e in day)]
    assert overnight


# --------------------------------------------------------------------------- calendars


@given(calendars())
def test_calendars_are_valid_values(cal: BusinessCalendar) -> None:
    overrides = {d: cal._ranges_text(r) for d, r in cal.overrides} or None
    rebuilt = BusinessCalendar(tz=cal.tz, hours=cal.hours, holidays=cal._holidays_arg, overrides=overrides)
    assert cal == rebuilt
    hash(cal)
    t = datetime(2026, 1, 1, tzinfo=UTC)
    assert cal.is_open(cal.next_open(t))


@given(calendars(zones="Asia/Kathmandu", hours="Mon-Fri 08:00-17:00", holidays=False, overrides=False))
def test_calendars_take_fixed_parts(cal: BusinessCalendar) -> None:
    assert (cal.tz, cal.hours, cal.overrides) == ("Asia/Kathmandu", "Mon-Fri 08:00-17:00", ())
    assert not cal.is_holiday(date(2026, 12, 25))


@given(unions(max_parts=3))
def test_unions_are_unions_of_distinct_calendars(cal: object) -> None:
    assert isinstance(cal, Union)
    assert 2 <= len(cal.parts) <= 3


def test_unions_check_their_bounds() -> None:
    with pytest.raises(ValueError, match="min_parts=3, max_parts=2"):
        unions(min_parts=3, max_parts=2)


# --------------------------------------------------------------------------- durations


@given(durations())
def test_durations_are_positive_by_default(d: timedelta) -> None:
    assert timedelta(0) < d <= timedelta(days=7)


@given(durations(sign="negative", max_value=timedelta(hours=3)))
def test_negative_durations(d: timedelta) -> None:
    assert -timedelta(hours=3) <= d < timedelta(0)


@given(durations(sign="any", allow_zero=True, max_value=timedelta(microseconds=5)))
def test_tiny_durations_of_either_sign(d: timedelta) -> None:
    assert abs(d) <= timedelta(microseconds=5)


def test_durations_check_their_options() -> None:
    with pytest.raises(ValueError, match="sign='up'"):
        durations(sign="up")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"'negative' or 'any'; did you mean 'positive'\?$"):
        durations(sign="postive")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"max_value=datetime\.timedelta"):
        durations(max_value=timedelta(0))


# --------------------------------------------------------------------------- shrinking


def _naive_due(opened: datetime) -> datetime:
    """A planted bug: wall-clock arithmetic (aware + timedelta keeps the wall reading)."""
    return opened + timedelta(hours=4)


def test_shrinking_finds_an_exact_instant_just_before_a_transition() -> None:
    bad = find(
        aware_datetimes(zones="America/New_York"),
        lambda t: _naive_due(t).astimezone(UTC) != ALWAYS.add(t, timedelta(hours=4)).astimezone(UTC),
        settings=settings(derandomize=True, database=None, max_examples=1000),
    )
    # Minimal: a whole minute, at most four hours before an offset change.
    assert (bad.second, bad.microsecond) == (0, 0)
    s = bad.timestamp()
    assert any(0 < e - s <= 4 * 3600 for e in transition_seconds("America/New_York", 2025, 2028)), bad


def _buggy_days(token: str) -> list[int]:
    """A planted bug: day ranges that wrap (``Fri-Mon``) come out empty."""
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    out: list[int] = []
    for item in token.split(","):
        first, _, last = item.partition("-")
        out.extend(range(names.index(first), names.index(last or first) + 1))
    return out


def test_shrinking_reaches_the_plainest_wrapping_hours() -> None:
    def disagrees(text: str) -> bool:
        days = {d for clause in text.split(";") for d in _buggy_days(clause.split()[0])}
        really = {d for d, ranges in enumerate(parse_hours(text)) if ranges}
        return not days >= really

    found = find(weekly_hours(), disagrees, settings=settings(derandomize=True, database=None))
    # One clause, the plainest ranges, and a day range that wraps (its plainest form in the
    # branch the shrinker lands in: "Fri-Mon" among the typical ones, or "Tue-Mon").
    assert found in ("Fri-Mon 09:00-17:00", "Tue-Mon 09:00-17:00"), found


# --------------------------------------------------------------------------- packaging


def test_importing_slocalc_testing_without_hypothesis_names_the_extra() -> None:
    code = textwrap.dedent(
        """
        import sys
        sys.modules["hypothesis"] = None  # as if it were not installed
        import slocalc  # never needs hypothesis
        try:
            import slocalc.testing
        except ImportError as exc:
            print(exc)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "pip install 'slocalc[testing]'" in out


@pytest.mark.parametrize("kind", ["BusinessCalendar", "Customer", "Target", "Policy", "Case"])
def test_from_type_draws_the_public_models(kind: str) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    import slocalc
    import slocalc.policies
    import slocalc.testing

    cls = getattr(slocalc, kind, None) or getattr(slocalc.policies, kind)

    @settings(max_examples=5, deadline=None)
    @given(st.from_type(cls))
    def drawn(value: object) -> None:
        assert isinstance(value, cls)
        if isinstance(value, slocalc.Case):  # a valid case: it passes its own validation again
            assert slocalc.Case.model_validate(value.model_dump()) == value

    drawn()
