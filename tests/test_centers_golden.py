"""Golden follow-the-sun coverage of the guidebook's six centers, worked out by hand.

The expected segments live in ``tests/resources/centers_coverage.csv`` (its header explains
the offsets and holidays used, and each row's comment says what changes at its start). They
were derived by hand from "08:00-17:00 local" and the UTC offsets in force, never computed by
slocalc. Here each scenario's rows are compared, whole, with ``coverage`` over the scenario's
range, and with ``handoffs`` and ``follow_the_sun``.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slocalc.calendars.centers import CENTERS, coverage, follow_the_sun, handoffs, open_centers

RESOURCE = Path(__file__).parent / "resources" / "centers_coverage.csv"

Row = tuple[datetime, datetime, frozenset[str], str]


def _load() -> dict[str, list[Row]]:
    with RESOURCE.open(newline="", encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    out: dict[str, list[Row]] = defaultdict(list)
    for rec in csv.DictReader(lines):
        out[rec["scenario"]].append(
            (
                datetime.fromisoformat(rec["start_utc"]),
                datetime.fromisoformat(rec["end_utc"]),
                frozenset(rec["open"].split()),
                rec["comment"],
            )
        )
    return dict(out)


GOLDEN = _load()
SCENARIOS = sorted(GOLDEN)


def _utc(segs: list[tuple[datetime, datetime, frozenset[str]]]) -> list[tuple[str, str, frozenset[str]]]:
    """Segments as comparable UTC ISO strings (aware equality ignores fold in one zone)."""
    return [(s.astimezone(UTC).isoformat(), e.astimezone(UTC).isoformat(), k) for s, e, k in segs]


def test_golden_file_covers_the_required_scenarios() -> None:
    assert set(GOLDEN) == {
        "january",
        "july",
        "between_dst_starts",
        "between_dst_ends",
        "chinese_new_year",
        "thanksgiving",
        "christmas_new_year_2026",
        "new_year_2026",
    }


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_golden_rows_tile_their_range(scenario: str) -> None:
    # A check of the hand-written file itself, independent of slocalc.
    rows = GOLDEN[scenario]
    for (_, e1, k1, _), (s2, _, k2, _) in pairwise(rows):
        assert e1 == s2
        assert k1 != k2
    assert all(s < e for s, e, _, _ in rows)
    assert all(k <= set(CENTERS) for _, _, k, _ in rows)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_coverage_matches_golden(scenario: str) -> None:
    rows = GOLDEN[scenario]
    a, b = rows[0][0], rows[-1][1]
    got = coverage(a, b)
    assert _utc(got) == _utc([(s, e, k) for s, e, k, _ in rows])


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("tz", ["America/New_York", "Europe/Dublin", "Asia/Singapore"])
def test_coverage_matches_golden_in_any_zone(scenario: str, tz: str) -> None:
    # Same instants whatever zone the range is given in; results come back in that zone.
    rows = GOLDEN[scenario]
    zone = ZoneInfo(tz)
    got = coverage(rows[0][0].astimezone(zone), rows[-1][1].astimezone(zone))
    assert all(s.tzinfo is zone and e.tzinfo is zone for s, e, _ in got)
    assert _utc(got) == _utc([(s, e, k) for s, e, k, _ in rows])


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_open_centers_and_follow_the_sun_agree_with_golden(scenario: str) -> None:
    fts = follow_the_sun()
    order = list(CENTERS)
    for s, e, keys, comment in GOLDEN[scenario]:
        for t in (s, s + (e - s) / 2, e - timedelta(microseconds=1)):
            assert open_centers(t) == tuple(sorted(keys, key=order.index)), (t, comment)
            assert fts.is_open(t) == bool(keys), (t, comment)


@pytest.mark.parametrize("scenario", ["january", "thanksgiving", "christmas_new_year_2026"])
def test_handoffs_are_the_golden_boundaries(scenario: str) -> None:
    # Every row start inside the UTC week (Mon 00:00Z to Mon 00:00Z) is a handoff; the one at
    # the week's start counts too, since Singapore opens exactly then (Sunday had nobody).
    rows = GOLDEN[scenario]
    monday = rows[0][0]
    week_end = monday + timedelta(days=7)
    order = list(CENTERS)
    expected = []
    prev: frozenset[str] = frozenset()  # the Sunday before each scenario is a gap
    for s, _, keys, _ in rows:
        if s >= week_end:
            break
        expected.append((s, tuple(sorted(prev, key=order.index)), tuple(sorted(keys, key=order.index))))
        prev = keys
    got = handoffs(monday.date(), tz="UTC")
    assert [(h.utc, h.before, h.after) for h in got] == expected


# --------------------------------------------------------------------------- pinned facts


def test_christmas_2026_gap_is_71_hours() -> None:
    # Worked out by hand (see the CSV rows of christmas_new_year_2026):
    # Thu 12-24: Austin closed (Christmas Eve, TX); LA open 08:00-17:00 PST = 16:00Z-01:00Z.
    # Fri 12-25: Christmas Day in all six jurisdictions; Sat 12-26 (Boxing Day NIR, St Stephen's
    # Day IE, Day After Christmas TX) and Sun 12-27 are the weekend anyway.
    # Mon 12-28: Belfast closed (Boxing Day observed, NIR), Dublin open (IE has no substitute
    # day), Singapore opens 08:00 SGT = Mon 00:00Z.
    # So no center is open from LA's close, 2026-12-25T01:00Z, until 2026-12-28T00:00Z.
    a = datetime(2026, 12, 21, tzinfo=UTC)
    b = datetime(2027, 1, 5, tzinfo=UTC)
    long_gaps = [(s, e) for s, e, keys in coverage(a, b) if not keys and e - s > timedelta(hours=48)]
    assert long_gaps == [
        (datetime(2026, 12, 25, 1, tzinfo=UTC), datetime(2026, 12, 28, 0, tzinfo=UTC)),
        # New Year's Day 2027 is a Friday: the same shape, 71 hours again.
        (datetime(2027, 1, 1, 1, tzinfo=UTC), datetime(2027, 1, 4, 0, tzinfo=UTC)),
    ]
    assert all(e - s == timedelta(hours=71) for s, e in long_gaps)
    # An ordinary winter weekend is 47 hours: Sat 01:00Z to Mon 00:00Z.
    fts = follow_the_sun()
    assert fts.next_open(datetime(2026, 12, 25, 1, tzinfo=UTC)) == datetime(2026, 12, 28, tzinfo=UTC)
    assert fts.next_close(datetime(2026, 12, 24, 23, tzinfo=UTC)) == datetime(2026, 12, 25, 1, tzinfo=UTC)


def test_christmas_week_holidays_per_jurisdiction() -> None:
    # Which center is closed on which day around Christmas 2026, as listed by the holidays
    # package (GB-NIR, IE, US-MA, US-TX, US-CA, SG). Each center is probed at 12:00 local.
    # Sat 12-26 (Boxing Day NIR, St Stephen's Day IE, Day After Christmas TX) is a weekend day;
    # only NIR moves it to Monday; no jurisdiction closes on Jan 2 (only Scotland would).
    probes = {
        date(2026, 12, 24): {"austin"},  # Christmas Eve: TX only
        date(2026, 12, 25): set(CENTERS),  # Christmas Day: everyone
        date(2026, 12, 28): {"belfast"},  # Boxing Day (observed): NIR only
        date(2026, 12, 31): set(),  # New Year's Eve: nobody
        date(2027, 1, 1): set(CENTERS),  # New Year's Day: everyone
    }
    for day, closed in probes.items():
        for key, center in CENTERS.items():
            noon = datetime(day.year, day.month, day.day, 12, tzinfo=center.zone)
            assert center.calendar.is_open(noon) == (key not in closed), (day, key)


def test_chinese_new_year_leaves_two_short_asian_gaps() -> None:
    # Tue 02-17 and Wed 02-18 Singapore is closed; Monday 02-16 the US centers are closed
    # (Washington's Birthday), so Monday evening to Tuesday morning nobody is open at all.
    gaps = [
        (s, e)
        for s, e, keys in coverage(datetime(2026, 2, 16, tzinfo=UTC), datetime(2026, 2, 20, tzinfo=UTC))
        if not keys
    ]
    assert gaps == [
        (datetime(2026, 2, 16, 17, tzinfo=UTC), datetime(2026, 2, 17, 8, tzinfo=UTC)),
        (datetime(2026, 2, 18, 1, tzinfo=UTC), datetime(2026, 2, 18, 8, tzinfo=UTC)),
    ]
