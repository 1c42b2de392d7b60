"""Calendar reprs paste back: ``eval(repr(c), ns) == c`` and they stay readable."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings

from slocalc import ALWAYS, NEVER, BusinessCalendar, RecurringCalendar
from slocalc.calendars import Calendar
from slocalc.calendars._base import _ALIASES, set_alias
from strategies import calendars

NS = {
    "BusinessCalendar": BusinessCalendar,
    "RecurringCalendar": RecurringCalendar,
    "ALWAYS": ALWAYS,
    "NEVER": NEVER,
    "date": date,
    "datetime": datetime,
    "timedelta": timedelta,
    "ZoneInfo": ZoneInfo,
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars())
def test_repr_pastes_back(cal: Calendar) -> None:
    text = repr(cal)
    again = eval(text, dict(NS))
    assert again == cal
    assert repr(again) == text


def test_business_repr_spells_dates() -> None:
    cal = BusinessCalendar(
        tz="Europe/Dublin",
        holidays=[date(2026, 12, 25), date(2026, 3, 17)],
        overrides={date(2026, 12, 24): "08:00-12:00", date(2026, 12, 31): "closed"},
    )
    assert repr(cal) == (
        "BusinessCalendar(tz='Europe/Dublin', hours='Mon-Fri 08:00-17:00', "
        "holidays=[date(2026, 3, 17), date(2026, 12, 25)], "
        "overrides={date(2026, 12, 24): '08:00-12:00', date(2026, 12, 31): 'closed'})"
    )


def test_recurring_repr_shows_an_aware_start_on_its_wall_clock() -> None:
    # 17:00 in New York is 22:00 in London on 13 January 2026
    cal = RecurringCalendar(
        "FREQ=MONTHLY;BYDAY=2TU",
        start=datetime(2026, 1, 13, 17, 0, tzinfo=ZoneInfo("America/New_York")),
        duration=timedelta(hours=4, microseconds=5),
        tz="Europe/London",
    )
    assert repr(cal) == (
        "RecurringCalendar('FREQ=MONTHLY;BYDAY=2TU', start=datetime(2026, 1, 13, 22, 0, "
        "tzinfo=ZoneInfo('Europe/London')), duration=timedelta(seconds=14400, microseconds=5), "
        "tz='Europe/London')"
    )


def test_aliases_belong_to_the_definition() -> None:
    assert repr(BusinessCalendar(tz="UTC", hours="Mon-Sun 00:00-24:00")) == "ALWAYS"
    assert repr(ALWAYS | NEVER) == "(ALWAYS | NEVER)"
    desk = BusinessCalendar(tz="Asia/Tokyo", hours="Mon-Fri 09:07-18:03")
    set_alias(desk, "TOKYO_DESK")
    try:
        assert repr(BusinessCalendar(tz="Asia/Tokyo", hours="Mon-Fri 09:07-18:03")) == "TOKYO_DESK"
        assert repr(desk | ALWAYS) == "(TOKYO_DESK | ALWAYS)"
        assert desk == BusinessCalendar(tz="Asia/Tokyo", hours="Mon-Fri 09:07-18:03")
    finally:
        _ALIASES.pop(desk._key())
