"""Policy models: durations, clocks, customers, targets, lookups, value semantics.

Deadlines here are worked out by hand (reasoning in the comments), never by slocalc.
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slocalc.calendars import ALWAYS
from slocalc.calendars.centers import CENTERS, follow_the_sun
from slocalc.policies import (
    CLOCKS,
    RAPID7,
    UNITS,
    Customer,
    FrozenMap,
    Lifecycle,
    Policy,
    Severity,
    Target,
    clock_calendar,
    format_duration,
    parse_duration,
)
from slocalc.policies._limits import MAX_AMOUNT

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "policies"
NY_TZ = ZoneInfo("America/New_York")

# ---- the duration syntax ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 hours", (2, "hours", "24x7")),
        ("1 hour", (1, "hours", "24x7")),
        ("30 minutes", (30, "minutes", "24x7")),
        ("1 minute", (1, "minutes", "24x7")),
        ("4 business hours", (4, "hours", "customer")),
        ("4 Business Hours", (4, "hours", "customer")),  # the guidebook's capitals
        ("90 business minutes", (90, "minutes", "customer")),
        ("3 business days", (3, "business_days", "customer")),
        ("1 business day", (1, "business_days", "customer")),
        ("10 calendar days", (10, "calendar_days", "customer")),
        ("  4   business\thours  ", (4, "hours", "customer")),
        ("4 hours on customer", (4, "hours", "customer")),
        ("4 business hours on 24x7", (4, "hours", "24x7")),
        ("4 business hours on follow_the_sun", (4, "hours", "follow_the_sun")),
        ("2 business days on center:belfast", (2, "business_days", "center:belfast")),
        ("10 calendar days on center:singapore", (10, "calendar_days", "center:singapore")),
    ],
)
def test_parse_duration(text: str, expected: tuple[int, str, str]) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((2, "hours", "24x7"), "2 hours"),
        ((1, "minutes", "24x7"), "1 minute"),
        ((4, "hours", "customer"), "4 business hours"),
        ((1, "hours", "customer"), "1 business hour"),
        ((4, "hours", "follow_the_sun"), "4 hours on follow_the_sun"),
        ((3, "business_days", "customer"), "3 business days"),
        ((1, "business_days", "center:boston"), "1 business day on center:boston"),
        ((10, "calendar_days", "customer"), "10 calendar days"),
    ],
)
def test_format_duration(args: tuple[int, str, str], text: str) -> None:
    assert format_duration(*args) == text


CENTER_CLOCKS = [f"center:{k}" for k in CENTERS]


@st.composite
def targets(draw: st.DrawFn) -> Target:
    unit = draw(st.sampled_from(UNITS))
    zoned = ["customer", *CENTER_CLOCKS]
    clock = draw(st.sampled_from(zoned if unit in {"business_days", "calendar_days"} else [*CLOCKS, *zoned]))
    # at most 100 years in the unit (docs/limits.md): 36,600 days, 878,400 hours, ...
    return Target(amount=draw(st.integers(1, MAX_AMOUNT[unit])), unit=unit, clock=clock)


@given(targets())
def test_text_form_round_trips(target: Target) -> None:
    assert Target.parse(str(target)) == target


# ---- targets ----------------------------------------------------------------------------------


def test_target_value_semantics() -> None:
    a = Target.parse("4 business hours")
    b = Target(amount=4, unit="hours", clock="customer")
    assert a == b
    assert hash(a) == hash(b)
    assert repr(a) == "Target(amount=4, unit='hours', clock='customer')"
    assert a != Target.parse("4 hours")
    with pytest.raises(AttributeError, match=r"^Target is immutable; cannot set 'amount'"):
        a.amount = 5  # type: ignore[misc]
    assert a.replace(amount=5) == Target.parse("5 business hours")
    assert pickle.loads(pickle.dumps(a)) == a


def test_clock_time() -> None:
    assert Target.parse("2 hours").clock_time == timedelta(hours=2)
    assert Target.parse("45 minutes").clock_time == timedelta(minutes=45)
    assert Target.parse("3 business days").clock_time is None


def test_minutes_on_the_customer_clock() -> None:
    # Friday 16:45 in New York: 15 minutes left on Friday, then Monday 08:00 + 15 min.
    start = datetime(2026, 11, 20, 16, 45, tzinfo=NY_TZ)
    due = Target.parse("30 business minutes").due(start, Customer(tz="America/New_York"))
    assert due.isoformat() == "2026-11-23T08:15:00-05:00"


def test_hours_on_a_center_clock_ignore_the_customer() -> None:
    # Boston (Mon-Fri 08-17 America/New_York, US-MA holidays). Patriots' Day, Mon 20 Apr 2026,
    # is a Massachusetts holiday. Fri 17 Apr 15:00 EDT: 2 h on Friday; Monday closed; Tuesday
    # 21 Apr 08:00 + 2 h = 10:00 EDT. Asked from Tokyo: 10:00 EDT = 14:00Z = 23:00 JST.
    start = datetime(2026, 4, 17, 15, 0, tzinfo=NY_TZ).astimezone(ZoneInfo("Asia/Tokyo"))
    due = Target.parse("4 hours on center:boston").due(start)
    assert due.isoformat() == "2026-04-21T23:00:00+09:00"


def test_calendar_days_on_a_center_clock_count_in_the_centers_zone() -> None:
    # Singapore's zone: Fri 20 Nov 2026 23:30Z = Sat 21 Nov 07:30 +08; + 2 days = Mon 23 Nov
    # 07:30 +08 = Sun 22 Nov 23:30Z.
    start = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    due = Target.parse("2 calendar days on center:singapore").due(start)
    assert due.isoformat() == "2026-11-22T23:30:00+00:00"


def test_customer_with_other_hours() -> None:
    # A Dubai customer working Sun-Thu 09:00-18:00 (+04:00, no DST, no holidays given).
    # Thu 19 Nov 2026 16:00: 2 h on Thursday; Fri and Sat closed; Sun 22 Nov 09:00 + 2 h.
    dubai = Customer(tz="Asia/Dubai", hours="Sun-Thu 09:00-18:00")
    start = datetime(2026, 11, 19, 16, 0, tzinfo=ZoneInfo("Asia/Dubai"))
    assert RAPID7.due(2, "initial_response", start, dubai).isoformat() == "2026-11-22T11:00:00+04:00"


# ---- customers --------------------------------------------------------------------------------


def test_customer_calendar_is_shared_between_equal_customers() -> None:
    a = Customer(tz="Europe/Berlin", country="DE", subdiv="BY")
    b = Customer(tz="Europe/Berlin", country="DE", subdiv="BY")
    assert a == b
    assert hash(a) == hash(b)
    assert a.calendar() is b.calendar()
    assert a.calendar() is not Customer(tz="Europe/Berlin", country="DE").calendar()


def test_customer_repr_and_fields() -> None:
    assert repr(Customer(tz="UTC")) == "Customer(tz='UTC')"
    assert (
        repr(Customer(tz="America/New_York", country="US", subdiv="MA", hours="Mon-Fri 09:00-18:00"))
        == "Customer(tz='America/New_York', country='US', subdiv='MA', hours='Mon-Fri 09:00-18:00')"
    )
    assert Customer(tz="Asia/Singapore").zone == ZoneInfo("Asia/Singapore")
    assert Customer.model_validate_json('{"tz": "UTC", "country": "GB"}') == Customer(tz="UTC", country="GB")


# ---- clocks -----------------------------------------------------------------------------------


def test_clock_calendars() -> None:
    berlin = Customer(tz="Europe/Berlin", country="DE")
    assert clock_calendar("24x7") is ALWAYS
    assert clock_calendar("customer", berlin) is berlin.calendar()
    assert clock_calendar("follow_the_sun") == follow_the_sun()
    assert clock_calendar("follow_the_sun") is clock_calendar("follow_the_sun")  # compiled once
    assert RAPID7.clock_calendar("center:dublin") == CENTERS["dublin"].calendar


# ---- policies ---------------------------------------------------------------------------------


def test_policy_value_semantics() -> None:
    assert repr(RAPID7) == "<Policy 'Rapid7': severities 1, 2, 3>"
    assert str(RAPID7) == repr(RAPID7)
    assert {RAPID7: 1}[Policy.from_toml(RAPID7.to_toml())] == 1
    assert pickle.loads(pickle.dumps(RAPID7)) == RAPID7
    with pytest.raises(AttributeError, match=r"^Policy is immutable; cannot set 'name'"):
        RAPID7.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        RAPID7.targets["x"] = Target.parse("1 hour")  # type: ignore[index]
    assert isinstance(RAPID7.targets, FrozenMap)


def test_lookups() -> None:
    assert RAPID7.levels == (1, 2, 3)
    assert RAPID7.severity(2).name == "High"
    assert RAPID7.metrics(1) == ("initial_response", "update", "support_contact_change")
    assert RAPID7.metrics() == ("support_contact_change",)
    assert RAPID7.target(None, "support_contact_change") == Target.parse("2 business days")


def test_severity_target_overrides_the_policy_wide_one() -> None:
    policy = Policy(
        name="p",
        targets={"initial_response": "8 business hours", "update": "5 business days"},
        severities=[
            Severity(level=1, targets={"initial_response": "1 hour"}),
            Severity(level=2),  # everything policy-wide
        ],
    )
    assert policy.target(1, "initial_response") == Target.parse("1 hour")
    assert policy.target(1, "update") == Target.parse("5 business days")
    assert policy.target(2, "initial_response") == Target.parse("8 business hours")


def test_level_zero_is_allowed() -> None:
    policy = Policy(name="p", severities=[{"level": 0, "targets": {"initial_response": "5 minutes"}}])
    assert policy.levels == (0,)


def test_lifecycle_helpers() -> None:
    life = Lifecycle()
    assert life.pauses("waiting_on_customer")
    assert not life.pauses("in_progress")
    assert life.stops("in_engineering_backlog")
    assert life.is_closed("closed_enhancement_request")
    never = life.replace(auto_close_after="never", reopen_window=None)
    start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert never.auto_close_at(start) is None
    assert never.reopen_until(start) is None
    assert never.to_dict()["reopen_window"] == "never"


# ---- the example policies, worked by hand ----------------------------------------------------
#
# follow_the_sun (six centers, each Mon-Fri 08:00-17:00 local). In late November every center
# is on standard time, so in UTC: Singapore 00-09, Belfast and Dublin 08-17, Boston 13-22,
# Austin 14-23, Los Angeles 16-01(+1). On a weekday these overlap into one stretch from
# Monday 00:00Z (Singapore's Monday 08:00) to Saturday 01:00Z (Los Angeles' Friday 17:00).


def test_follow_the_sun_example_weekend() -> None:
    policy = Policy.from_file(EXAMPLES / "follow_the_sun.toml")
    # Fri 20 Nov 23:00Z: 2 h until Sat 01:00Z; closed until Mon 23 Nov 00:00Z; + 2 h.
    start = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
    assert policy.due(1, "update", start).isoformat() == "2026-11-23T02:00:00+00:00"


def test_follow_the_sun_example_us_holiday_gap() -> None:
    policy = Policy.from_file(EXAMPLES / "follow_the_sun.toml")
    # Thanksgiving, Thu 26 Nov: Boston, Austin and Los Angeles are closed, so coverage ends
    # when Belfast and Dublin close at 17:00Z and resumes with Singapore at Fri 00:00Z.
    # 15:00Z + 2 h reaches 17:00Z; the other 2 h run Fri 00:00Z-02:00Z.
    start = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    assert policy.due(1, "update", start).isoformat() == "2026-11-27T02:00:00+00:00"
    # the initial response is still 2 wall-clock hours
    assert policy.due(1, "initial_response", start).isoformat() == "2026-11-26T17:00:00+00:00"


def test_follow_the_sun_example_contact_change_in_belfast() -> None:
    policy = Policy.from_file(EXAMPLES / "follow_the_sun.toml")
    # Fri 13 Mar 2026 06:00 EDT (US DST began 8 Mar) = 10:00Z = 10:00 GMT in Belfast (UK DST
    # starts 29 Mar). Business dates in Belfast: Mon 16 (1), Tue 17 St Patrick's Day (NIR
    # holiday) skipped, Wed 18 (2) -> 10:00 GMT = 06:00 EDT. No customer needed.
    start = datetime(2026, 3, 13, 6, 0, tzinfo=NY_TZ)
    assert policy.due(None, "support_contact_change", start).isoformat() == "2026-03-18T06:00:00-04:00"


def test_four_level_example() -> None:
    policy = Policy.from_file(EXAMPLES / "four_level.toml")
    assert policy.levels == (1, 2, 3, 4)
    assert policy.metrics(3) == ("initial_response", "update", "resolution", "support_contact_change")
    sg = Customer(tz="Asia/Singapore", country="SG")
    ny = Customer(tz="America/New_York", country="US")
    sydney = Customer(tz="Australia/Sydney", country="AU", subdiv="NSW")
    berlin = Customer(tz="Europe/Berlin", country="DE")
    sg_tz, berlin_tz = ZoneInfo("Asia/Singapore"), ZoneInfo("Europe/Berlin")

    # P1 resolution, 8 hours 24x7: Sat 21 Nov 20:00 SGT -> Sun 04:00.
    assert (
        policy.due(1, "resolution", datetime(2026, 11, 21, 20, 0, tzinfo=sg_tz), sg).isoformat()
        == "2026-11-22T04:00:00+08:00"
    )
    # P2 initial response, 1 hour on follow_the_sun: Sat 21 Nov 13:00 CET (12:00Z), no center
    # open until Mon 00:00Z; + 1 h = 01:00Z = 02:00 CET.
    assert (
        policy.due(2, "initial_response", datetime(2026, 11, 21, 13, 0, tzinfo=berlin_tz), berlin).isoformat()
        == "2026-11-23T02:00:00+01:00"
    )
    # P2 update, 4 hours on follow_the_sun, a weekday (covered throughout): 10:00Z -> 14:00Z.
    assert (
        policy.due(2, "update", datetime(2026, 11, 18, 10, 0, tzinfo=UTC)).isoformat()
        == "2026-11-18T14:00:00+00:00"
    )
    # P2 resolution, 3 business days, Singapore: Fri 7 Aug 10:00; Mon 10 Aug National Day
    # (observed) skipped; Tue 11 (1), Wed 12 (2), Thu 13 (3).
    assert (
        policy.due(2, "resolution", datetime(2026, 8, 7, 10, 0, tzinfo=sg_tz), sg).isoformat()
        == "2026-08-13T10:00:00+08:00"
    )
    # P3 update, 2 business days, Sydney: Thu 24 Dec 16:00; Fri 25 and Mon 28 (Boxing Day
    # observed) are holidays; Tue 29 (1), Wed 30 (2).
    start = datetime(2026, 12, 24, 16, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    assert policy.due(3, "update", start, sydney).isoformat() == "2026-12-30T16:00:00+11:00"
    # P4 initial response, 1 business day, New York: Wed 25 Nov 16:00; Thanksgiving skipped.
    start = datetime(2026, 11, 25, 16, 0, tzinfo=NY_TZ)
    assert policy.due(4, "initial_response", start, ny).isoformat() == "2026-11-27T16:00:00-05:00"
    # P4 resolution, 30 calendar days, Berlin: Mon 2 Mar 09:00 CET -> Wed 1 Apr 09:00 CEST.
    start = datetime(2026, 3, 2, 9, 0, tzinfo=berlin_tz)
    assert policy.due(4, "resolution", start, berlin).isoformat() == "2026-04-01T09:00:00+02:00"

    life = policy.lifecycle
    assert life.pause_statuses == ("waiting_on_customer",)
    assert life.severity_change == "restart"
    # auto-close after 14 calendar days: Fri 23 Oct 09:00 EDT -> Fri 6 Nov 09:00 EST.
    auto = life.auto_close_at(datetime(2026, 10, 23, 9, 0, tzinfo=NY_TZ), ny)
    assert auto is not None
    assert auto.isoformat() == "2026-11-06T09:00:00-05:00"
    # reopen within 30 calendar days: Fri 25 Dec 17:00 SGT -> Sun 24 Jan 2027 17:00.
    until = life.reopen_until(datetime(2026, 12, 25, 17, 0, tzinfo=sg_tz), sg)
    assert until is not None
    assert until.isoformat() == "2027-01-24T17:00:00+08:00"
