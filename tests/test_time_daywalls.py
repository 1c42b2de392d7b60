"""``DayWalls``: the boundary rule for the readings of a window of days, fast away from DST
changes, and always what ``wall_instant`` gives.

Hand-worked instants first (a skipped day, a 30-minute fall-back, a negative DST zone),
then a Hypothesis property against ``wall_instant`` over zones with every kind of change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slocalc._time import DayWalls, wall_instant

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def us(dt: datetime) -> int:
    return (dt - EPOCH) // timedelta(microseconds=1)


def test_a_skipped_day_is_placed_at_the_change() -> None:
    # Pacific/Apia went from -10:00 to +14:00 at the end of 2011-12-29: 30 December never was
    apia = ZoneInfo("Pacific/Apia")
    walls = DayWalls(apia, date(2011, 1, 1), date(2013, 1, 1))  # 2011 and 2012 whole
    # 09:00 on the 30th is in the gap: the change itself, 2011-12-29 24:00 at -10:00 = 10:00Z
    assert walls(date(2011, 12, 30), 9 * 60) == us(datetime(2011, 12, 30, 10, tzinfo=UTC))
    # 09:00 on the 31st at +14:00 = 19:00Z the day before; on the 29th at -10:00 = 19:00Z
    assert walls(date(2011, 12, 31), 9 * 60) == us(datetime(2011, 12, 30, 19, tzinfo=UTC))
    assert walls(date(2011, 12, 29), 9 * 60) == us(datetime(2011, 12, 29, 19, tzinfo=UTC))
    # far from the change (arithmetic): -10:00 on 1 December, +14:00 on 31 January
    assert walls(date(2011, 12, 1), 0) == us(datetime(2011, 12, 1, 10, tzinfo=UTC))
    assert walls(date(2012, 1, 31), 17 * 60) == us(datetime(2012, 1, 31, 3, tzinfo=UTC))


def test_a_repeated_half_hour_takes_its_first_occurrence() -> None:
    # Lord Howe leaves +11:00 for +10:30 at 02:00 on Sunday 5 April 2026: 01:30-02:00 twice
    howe = ZoneInfo("Australia/Lord_Howe")
    walls = DayWalls(howe, date(2025, 12, 29), date(2027, 1, 3))  # a year compiled
    assert walls(date(2026, 4, 5), 105) == us(datetime(2026, 4, 4, 14, 45, tzinfo=UTC))  # 01:45 at +11:00
    assert walls(date(2026, 4, 5), 120) == us(datetime(2026, 4, 4, 15, 30, tzinfo=UTC))  # 02:00 at +10:30
    assert walls(date(2026, 4, 20), 9 * 60) == us(datetime(2026, 4, 19, 22, 30, tzinfo=UTC))


def test_overnight_ends_past_the_last_day_and_a_negative_dst() -> None:
    # Dublin: +01:00 (IST) in summer, +00:00 (GMT) in winter
    dublin = ZoneInfo("Europe/Dublin")
    walls = DayWalls(dublin, date(2026, 1, 1), date(2026, 7, 31))  # 2026 not whole: the rule
    assert walls(date(2026, 7, 31), 30 * 60) == us(datetime(2026, 8, 1, 5, tzinfo=UTC))  # 06:00 next day
    assert walls(date(2026, 7, 15), 0) == us(datetime(2026, 7, 14, 23, tzinfo=UTC))


ZONES = st.sampled_from(
    [
        "America/New_York",
        "Europe/Dublin",
        "Australia/Lord_Howe",
        "Pacific/Apia",
        "Pacific/Kiritimati",
        "Asia/Kathmandu",
        "America/St_Johns",
        "Antarctica/Troll",
        "Africa/Casablanca",
        "America/Santiago",
        "UTC",
    ]
).map(ZoneInfo)


@given(
    zone=ZONES,
    first=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    span=st.integers(0, 800),
    data=st.data(),
)
def test_the_same_as_wall_instant(zone: ZoneInfo, first: date, span: int, data: st.DataObject) -> None:
    last = first + timedelta(days=span)
    walls = DayWalls(zone, first, last)
    for _ in range(20):
        day = first + timedelta(days=data.draw(st.integers(0, span + 2)))
        minutes = data.draw(st.integers(0, 48 * 60))
        assert walls(day, minutes) == wall_instant(zone, day, timedelta(minutes=minutes)), (day, minutes)


def test_the_first_and_last_years_are_placed_by_the_rule() -> None:
    # near the ends of ``datetime`` the window would pass them: every reading by wall_instant
    ny = ZoneInfo("America/New_York")
    for first, last in ((date(2, 1, 1), date(2, 1, 31)), (date(9998, 12, 1), date(9998, 12, 29))):
        walls = DayWalls(ny, first, last)
        for k in range(0, (last - first).days + 3, 5):
            day = first + timedelta(days=k)
            assert walls(day, 9 * 60) == wall_instant(ny, day, timedelta(hours=9))
    # 9 December 9998 at 09:00 in New York (-05:00 in winter, as the rule extends it) = 14:00Z
    assert DayWalls(ny, date(9998, 12, 1), date(9998, 12, 29))(date(9998, 12, 9), 540) == us(
        datetime(9998, 12, 9, 14, tzinfo=UTC)
    )


def test_readings_far_from_a_change_are_placed_by_arithmetic(monkeypatch: pytest.MonkeyPatch) -> None:
    # the rule's search is asked only near the offset changes and the ends of the whole years
    import slocalc._time as time_module

    asked: list[date] = []

    def rule(zone: ZoneInfo, day: date, wall: timedelta) -> int:
        asked.append(day)
        return wall_instant(zone, day, wall)

    walls = DayWalls(ZoneInfo("Europe/Berlin"), date(2025, 12, 29), date(2027, 1, 3))
    monkeypatch.setattr(time_module, "wall_instant", rule)
    # 2026: +01:00, +02:00 from 29 March 01:00Z, +01:00 again from 25 October 01:00Z
    assert walls(date(2026, 6, 1), 9 * 60) == us(datetime(2026, 6, 1, 7, tzinfo=UTC))
    assert walls(date(2026, 2, 2), 9 * 60) == us(datetime(2026, 2, 2, 8, tzinfo=UTC))
    assert asked == []
    assert walls(date(2026, 3, 29), 2 * 60 + 30) == us(datetime(2026, 3, 29, 1, tzinfo=UTC))  # in the gap
    assert walls(date(2026, 12, 31), 9 * 60) == us(datetime(2026, 12, 31, 8, tzinfo=UTC))  # near 2027
    assert asked == [date(2026, 3, 29), date(2026, 12, 31)]
