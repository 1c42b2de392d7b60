"""Error behaviour of the calendar engine: classes, builtin bases and pinned messages.

Messages name the offending input and say what would be valid; every error derives
from ``SlocalcError`` and from the builtin it refines.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from slocalc import (
    ALWAYS,
    NEVER,
    BusinessCalendar,
    CalendarSpecError,
    NaiveDatetimeError,
    NoBusinessTimeError,
    RecurringCalendar,
    SlocalcError,
    UnknownTimezoneError,
)

CAL = BusinessCalendar(tz="America/New_York")
NAIVE = datetime(2026, 3, 8, 2, 30)
AWARE = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
# The suggested zone is the calendar's own (UTC for ALWAYS), or America/New_York for unions.
NAIVE_MSG = re.escape("got naive datetime 2026-03-08 02:30:00; attach a zone, e.g. tzinfo=ZoneInfo(") + (
    r'"(America/New_York|UTC)"\)'
)

# --------------------------------------------------------------------------- class tree


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (NaiveDatetimeError, ValueError),
        (UnknownTimezoneError, KeyError),
        (CalendarSpecError, ValueError),
        (NoBusinessTimeError, ValueError),
    ],
)
def test_errors_subclass_slocalc_error_and_the_builtin(cls: type, builtin: type) -> None:
    assert issubclass(cls, SlocalcError)
    assert issubclass(cls, builtin)


# --------------------------------------------------------------------------- naive datetimes

NAIVE_CALLS: list[tuple[str, str, Callable[[], Any]]] = [
    ("is_open", "t", lambda: CAL.is_open(NAIVE)),
    ("next_open", "t", lambda: CAL.next_open(NAIVE)),
    ("next_close", "t", lambda: CAL.next_close(NAIVE)),
    ("add", "t", lambda: CAL.add(NAIVE, timedelta(hours=1))),
    ("add-negative", "t", lambda: CAL.add(NAIVE, -timedelta(hours=1))),
    ("add-zero", "t", lambda: CAL.add(NAIVE, timedelta(0))),
    ("add_days", "t", lambda: CAL.add_days(NAIVE, 1)),
    ("add_days-zero", "t", lambda: CAL.add_days(NAIVE, 0)),
    ("between-a", "a", lambda: CAL.between(NAIVE, AWARE)),
    ("between-b", "b", lambda: CAL.between(AWARE, NAIVE)),
    ("intervals-a", "a", lambda: list(CAL.intervals(NAIVE, AWARE))),
    ("intervals-b", "b", lambda: list(CAL.intervals(AWARE, NAIVE))),
    ("union", "t", lambda: (CAL | ALWAYS).is_open(NAIVE)),
    ("ALWAYS", "t", lambda: ALWAYS.next_close(NAIVE)),
    (
        "recurring-start",
        "start",
        lambda: RecurringCalendar("FREQ=WEEKLY", start=NAIVE, duration=timedelta(hours=1), tz="UTC"),
    ),
]


@pytest.mark.parametrize(("param", "call"), [pytest.param(p, c, id=name) for name, p, c in NAIVE_CALLS])
def test_naive_datetime_names_the_parameter(param: str, call: Callable[[], Any]) -> None:
    with pytest.raises(NaiveDatetimeError, match=f"^{param}: {NAIVE_MSG}$") as info:
        call()
    assert info.value.param == param
    assert info.value.value == NAIVE


def test_naive_hint_suggests_the_calendars_own_zone() -> None:
    london = BusinessCalendar(tz="Europe/London")
    expected = (
        't: got naive datetime 2026-03-08 02:30:00; attach a zone, e.g. tzinfo=ZoneInfo("Europe/London")'
    )
    with pytest.raises(NaiveDatetimeError, match=f"^{re.escape(expected)}$"):
        london.add(NAIVE, timedelta(hours=1))
    with pytest.raises(NaiveDatetimeError, match=r'ZoneInfo\("UTC"\)$'):
        ALWAYS.is_open(NAIVE)


def test_intervals_checks_arguments_when_called() -> None:
    with pytest.raises(NaiveDatetimeError, match=r"^a: got naive datetime"):
        CAL.intervals(NAIVE, AWARE)  # not iterated


# --------------------------------------------------------------------------- time zones


def test_unknown_zone_suggests_close_names() -> None:
    with pytest.raises(
        UnknownTimezoneError,
        match=r"^unknown time zone 'America/New_Yrok'; did you mean 'America/New_York'",
    ) as info:
        BusinessCalendar(tz="America/New_Yrok")
    assert info.value.value == "America/New_Yrok"
    assert info.value.suggestions[0] == "America/New_York"
    assert str(info.value) == info.value.message  # not KeyError's quoted repr


def test_unknown_zone_matches_city_names() -> None:
    with pytest.raises(
        UnknownTimezoneError, match=r"^unknown time zone 'New York'; did you mean 'America/New_York'\?$"
    ):
        BusinessCalendar(tz="New York")


def test_unknown_zone_without_suggestions_says_what_is_valid() -> None:
    with pytest.raises(
        UnknownTimezoneError,
        match=r"^unknown time zone 'Nowhere/Atall'; use an IANA name such as 'Europe/London' or 'UTC'$",
    ):
        BusinessCalendar(tz="Nowhere/Atall")


def test_unknown_zone_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        BusinessCalendar(tz="Mars/Olympus_Mons")


def test_recurring_unknown_zone() -> None:
    with pytest.raises(
        UnknownTimezoneError, match=r"^unknown time zone 'Europe/Londn'; did you mean 'Europe/London'"
    ):
        RecurringCalendar("FREQ=DAILY", start=AWARE, duration=timedelta(hours=1), tz="Europe/Londn")


# --------------------------------------------------------------------------- hours grammar

BAD_HOURS = [
    ("Mon-Fri 8-17", "bad time range '8-17'; expected HH:MM-HH:MM, e.g. '08:00-17:00'"),
    (
        "Mon-Fry 08:00-17:00",
        "unknown day 'Fry'; expected one of Mon, Tue, Wed, Thu, Fri, Sat, Sun; did you mean 'Fri'?",
    ),
    (
        "Mon 25:00-26:00",
        "bad time '25:00'; hours run 00-23 and minutes 00-59 (24:00 only as an end)",
    ),
    ("Mon 08:60-09:00", "bad time '08:60'; hours run 00-23 and minutes 00-59 (24:00 only as an end)"),
    (
        "Mon 08:00-08:00",
        "empty range '08:00-08:00' (start equals end); use 00:00-24:00 for a whole day",
    ),
    ("Mon 00:00-00:00", "empty range '00:00-00:00' (start equals end); use 00:00-24:00 for a whole day"),
    ("", "empty; expected e.g. 'Mon-Fri 08:00-17:00' or 'closed'"),
    ("Mon-Fri", "clause 'Mon-Fri' has no time ranges; expected e.g. 'Mon-Fri 08:00-17:00'"),
    ("08:00-17:00", "clause '08:00-17:00' has no days; expected e.g. 'Mon-Fri 08:00-17:00'"),
    ("Mon-Fri 08:00-17:00;", "empty clause between ';'; expected 'DAYS HH:MM-HH:MM'"),
    ("Mon 24:00-02:00", "bad time '24:00': 24:00 is allowed only as an end"),
]


@pytest.mark.parametrize(("hours", "detail"), BAD_HOURS)
def test_bad_hours_point_at_the_token(hours: str, detail: str) -> None:
    with pytest.raises(CalendarSpecError, match=f"^{re.escape(f'hours {hours!r}: {detail}')}$"):
        BusinessCalendar(tz="UTC", hours=hours)


@pytest.mark.parametrize("hours", ["Mon-Fri \uff10\uff18:00-17:00", "Mon-Fri 08:00-\u0661\u0667:00"])
def test_non_ascii_digits_are_refused(hours: str) -> None:
    # fullwidth "08" and Arabic-Indic "17" are digits to \d and int(), not to the grammar
    with pytest.raises(CalendarSpecError, match=r"^hours .*: bad time"):
        BusinessCalendar(tz="UTC", hours=hours)


def test_bad_override_names_the_date() -> None:
    expected = "overrides[2026-12-24] '9-12': bad time range '9-12'; expected HH:MM-HH:MM, e.g. '08:00-17:00'"
    with pytest.raises(CalendarSpecError, match=f"^{re.escape(expected)}$"):
        BusinessCalendar(tz="UTC", overrides={date(2026, 12, 24): "9-12"})


def test_bad_holidays() -> None:
    with pytest.raises(
        CalendarSpecError, match=r"^holidays 'XX': unknown country code; expected an ISO 3166"
    ):
        BusinessCalendar(tz="UTC", holidays="XX")
    with pytest.raises(CalendarSpecError, match=r"^holidays \('US', 'ZZ'\): unknown subdivision for US"):
        BusinessCalendar(tz="UTC", holidays=("US", "ZZ"))
    with pytest.raises(
        CalendarSpecError,
        match=r"^holidays: 1 is not a date; expected datetime.date values or 'YYYY-MM-DD' texts$",
    ):
        BusinessCalendar(tz="UTC", holidays=[1])


def test_bad_recurrence() -> None:
    with pytest.raises(CalendarSpecError, match=r"^rule 'FREQ=SOMETIMES': .*expected an RFC 5545 RRULE"):
        RecurringCalendar("FREQ=SOMETIMES", start=AWARE, duration=timedelta(hours=1), tz="UTC")
    with pytest.raises(CalendarSpecError, match=r"^duration datetime.timedelta\(0\): expected a positive"):
        RecurringCalendar("FREQ=DAILY", start=AWARE, duration=timedelta(0), tz="UTC")


# --------------------------------------------------------------------------- wrong types


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: CAL.add(AWARE, 5),
            "d: expected a duration (datetime.timedelta, numpy.timedelta64 or an ISO 8601 text such as 'PT4H'), got int 5; for seconds use timedelta(seconds=value)",
        ),
        (
            lambda: CAL.add("2026-01-01", timedelta(1)),
            "t: expected an aware datetime, got str '2026-01-01'; parse it first, e.g. datetime.fromisoformat(text)",
        ),
        (lambda: CAL.add_days(AWARE, 1.5), "n: expected a whole number of business days, got 1.5"),
    ],
)
def test_wrong_types_are_type_errors(call: Callable[[], Any], message: str) -> None:
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$") as info:
        call()
    assert isinstance(info.value, SlocalcError)


# --------------------------------------------------------------------------- no business time


NEVER_MSG = r"^NEVER: no open time within 10 years (after|before) 2026-03-08T07:30:00\+00:00"


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: NEVER.add(AWARE, timedelta(hours=1)), id="add"),
        pytest.param(lambda: NEVER.add(AWARE, -timedelta(hours=1)), id="add-negative"),
        pytest.param(lambda: NEVER.next_open(AWARE), id="next_open"),
        pytest.param(lambda: NEVER.next_close(AWARE), id="next_close"),
        pytest.param(lambda: NEVER.add_days(AWARE, 1), id="add_days"),
        pytest.param(lambda: NEVER.add_days(AWARE, -1), id="add_days-negative"),
    ],
)
def test_never_raises_fast(call: Callable[[], Any]) -> None:
    started = time.perf_counter()
    with pytest.raises(NoBusinessTimeError, match=NEVER_MSG):
        call()
    assert time.perf_counter() - started < 5.0  # searched 10 years, did not loop


def test_never_between_and_intervals_are_empty_not_errors() -> None:
    later = AWARE + timedelta(days=400)
    assert NEVER.between(AWARE, later) == timedelta(0)
    assert list(NEVER.intervals(AWARE, later)) == []
    assert NEVER.is_open(AWARE) is False


def test_empty_algebra_raises_no_business_time() -> None:
    with pytest.raises(NoBusinessTimeError, match=r"no open time within 10 years after"):
        (CAL - CAL).add(AWARE, timedelta(hours=1))
    with pytest.raises(NoBusinessTimeError):
        (CAL & NEVER).next_open(AWARE)


def test_open_time_beyond_a_long_gap_is_found() -> None:
    """A calendar that opens once, years away, is not "never": next_open finds it."""
    once = BusinessCalendar(tz="UTC", hours="closed", overrides={date(2031, 6, 2): "09:00-10:00"})
    got = once.next_open(AWARE)
    assert got == datetime(2031, 6, 2, 9, 0, tzinfo=UTC)
    assert once.add(AWARE, timedelta(minutes=30)) == datetime(2031, 6, 2, 9, 30, tzinfo=UTC)


def test_always_never_closes() -> None:
    assert ALWAYS.next_close(AWARE) is None
    local = BusinessCalendar(tz="Asia/Tokyo", hours="Mon-Sun 00:00-24:00")
    assert local.next_close(AWARE.astimezone(ZoneInfo("Asia/Tokyo"))) is None


def test_add_days_is_only_on_single_zone_calendars() -> None:
    with pytest.raises(AttributeError):
        (CAL | ALWAYS).add_days(AWARE, 1)  # type: ignore[attr-defined]


def test_trailing_comma_in_ranges_is_named() -> None:
    with pytest.raises(
        CalendarSpecError,
        match=r"^hours 'Mon-Fri 08:00-17:00,': empty range around ','; expected HH:MM-HH:MM",
    ):
        BusinessCalendar(tz="UTC", hours="Mon-Fri 08:00-17:00,")


def test_zone_abbreviations_suggest_iana_zones() -> None:
    # The guidebook labels centers BST and SGT: those are not zones; suggest what they mean.
    with pytest.raises(UnknownTimezoneError, match=r"unknown time zone 'BST'; did you mean 'Europe/London'"):
        BusinessCalendar(tz="BST")
    with pytest.raises(
        UnknownTimezoneError, match=r"unknown time zone 'SGT'; did you mean 'Asia/Singapore'\?"
    ):
        BusinessCalendar(tz="SGT")
