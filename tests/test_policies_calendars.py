"""Named calendars and a policy's own support centers (docs/policies.md, "Calendars and centers").

Expected instants are worked by hand from the calendars' hours and holidays (the Japanese
holidays of Golden Week 2026: Apr 29 Showa Day, May 4 Greenery Day, May 5 Children's Day,
May 6 the substitute holiday for Constitution Day on Sunday May 3).
"""

from __future__ import annotations

import pickle
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from slocalc.calendars import ALWAYS
from slocalc.calendars.centers import CENTERS
from slocalc.errors import PolicyError
from slocalc.policies import GUIDEBOOK, RAPID7, CalendarSpec, CenterSpec, Customer, Policy, Severity, Target

TOKYO = ZoneInfo("Asia/Tokyo")

DOC = """
name = "calendars"

[calendars.tokyo]
tz = "Asia/Tokyo"
hours = "Mon-Fri 09:00-18:00"
holidays = "JP"

[calendars.london]
tz = "Europe/London"
holidays = ["GB", "ENG"]
overrides = { "2026-12-24" = "09:00-12:00" }

[calendars.both]
union = ["tokyo", "london"]

[calendars.shutdown]
tz = "Asia/Tokyo"
hours = "Mon-Fri 09:00-18:00"
holidays = [2026-12-28, "2026-12-29"]

[centers.tokyo]
name = "Tokyo"
tz = "Asia/Tokyo"
hours = "Mon-Fri 09:00-18:00"
holidays = "JP"

[centers.dublin]
name = "Dublin"
tz = "Europe/Dublin"
holidays = "IE"

[metric_definitions.center_reply]
start = "opened"
stop = ["support_update"]

[metric_definitions.shutdown_reply]
start = "opened"
stop = ["support_update"]

[[severities]]
level = 1
[severities.targets]
initial_response = "1 hour on tokyo"
next_reply = "2 hours on calendar:both"
resolution = "2 business days on tokyo"
update = "4 hours on follow_the_sun"
center_reply = "3 hours on center:tokyo"
shutdown_reply = "1 business day on shutdown"
"""


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.from_toml(DOC)


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("metric", "start", "due"),
    [
        # Fri 17:30 JST: 30 min on Friday, 30 min from Monday 09:00
        ("initial_response", jst(2026, 3, 6, 17, 30), jst(2026, 3, 9, 9, 30)),
        # Tue Apr 28 17:00: 1 h on Tuesday; Wed Apr 29 (Showa Day) closed; 1 h from nothing
        # else -> the second hour is... initial_response is 1 hour: 18:00 Tuesday
        ("initial_response", jst(2026, 4, 28, 17, 0), jst(2026, 4, 28, 18, 0)),
        # Tue Apr 28 17:30: 30 min Tuesday, Apr 29 a holiday, 30 min from Thu Apr 30 09:00
        ("initial_response", jst(2026, 4, 28, 17, 30), jst(2026, 4, 30, 9, 30)),
        # 2 business days from Fri May 1 10:00: May 4, 5, 6 are holidays -> Thu 7, Fri 8
        ("resolution", jst(2026, 5, 1, 10, 0), jst(2026, 5, 8, 10, 0)),
        # union: Fri 17:30 JST = 08:30 GMT; Tokyo open until 09:00 GMT, London 08:00-17:00
        # GMT: open without a break, 2 hours -> 10:30 GMT = 19:30 JST
        ("next_reply", jst(2026, 3, 6, 17, 30), jst(2026, 3, 6, 19, 30)),
        # the policy's center tokyo: 30 min Friday, 2.5 h from Monday 09:00
        ("center_reply", jst(2026, 3, 6, 17, 30), jst(2026, 3, 9, 11, 30)),
        # company shutdown dates written as a TOML date and a string: Mon Dec 28 and
        # Tue Dec 29 closed; 1 business day from Fri Dec 25 10:00 -> Wed Dec 30 10:00
        ("shutdown_reply", jst(2026, 12, 25, 10, 0), jst(2026, 12, 30, 10, 0)),
    ],
)
def test_named_calendar_deadlines(policy: Policy, metric: str, start: datetime, due: datetime) -> None:
    assert policy.due(1, metric, start) == due
    assert policy.deadline(1, metric).due(start) == due


def test_follow_the_sun_means_the_policys_centers(policy: Policy) -> None:
    # Mon 2026-03-09 16:30 UTC, 4 hours. This policy: Dublin (GMT, 08-17 UTC) 30 min, then
    # nothing until Tokyo opens at 09:00 JST = 00:00 UTC Tuesday: 3.5 h -> 03:30 UTC.
    start = datetime(2026, 3, 9, 16, 30, tzinfo=UTC)
    assert policy.due(1, "update", start) == datetime(2026, 3, 10, 3, 30, tzinfo=UTC)
    # The guidebook's six: Boston (EDT since Mar 8) 12-21 UTC, Los Angeles 15-24 UTC: open
    # throughout, 20:30 UTC.
    assert Target.parse("4 hours on follow_the_sun").due(start) == datetime(2026, 3, 9, 20, 30, tzinfo=UTC)
    assert list(policy.clocks.centers) == ["tokyo", "dublin"]


def test_rapid7_keeps_the_guidebook_centers() -> None:
    assert RAPID7.centers is None
    assert RAPID7.calendars == {}
    assert RAPID7.clocks == GUIDEBOOK
    assert dict(RAPID7.clocks.centers) == dict(CENTERS)


def test_calendar_and_bare_name_are_one_clock(policy: Policy) -> None:
    assert policy.clock_calendar("tokyo") is policy.clock_calendar("calendar:tokyo")
    assert policy.clock_calendar("24x7") is ALWAYS
    london = policy.clock_calendar("london")
    assert not london.is_open(datetime(2026, 12, 24, 12, 30, tzinfo=UTC))  # the override: 09-12
    assert london.is_open(datetime(2026, 12, 24, 11, 30, tzinfo=UTC))


def test_round_trip_and_wire_form(policy: Policy) -> None:
    assert Policy.from_toml(policy.to_toml()) == policy
    assert Policy.from_json(policy.to_json()) == policy
    wire = policy.to_dict()
    assert wire["calendars"]["shutdown"]["holidays"] == ["2026-12-28", "2026-12-29"]
    assert wire["calendars"]["both"] == {"union": ["tokyo", "london"]}
    assert wire["centers"]["dublin"] == {
        "name": "Dublin",
        "tz": "Europe/Dublin",
        "hours": "Mon-Fri 08:00-17:00",
        "holidays": "IE",
    }
    assert "calendars" not in RAPID7.to_dict()
    assert "centers" not in RAPID7.to_dict()


def test_python_api_takes_the_same_objects() -> None:
    p = Policy(
        name="api",
        calendars={"tokyo": CalendarSpec(tz="Asia/Tokyo", hours="Mon-Fri 09:00-18:00", holidays="JP")},
        centers={
            "tokyo": CenterSpec(name="Tokyo", tz="Asia/Tokyo", hours="Mon-Fri 09:00-18:00", holidays="JP")
        },
        severities=[
            Severity(level=1, targets={"initial_response": Target(amount=1, unit="hours", clock="tokyo")})
        ],
    )
    assert p.due(1, "initial_response", jst(2026, 3, 6, 17, 30)) == jst(2026, 3, 9, 9, 30)
    assert p == Policy.from_toml(p.to_toml())
    # a target built on its own is checked once its policy is known
    with pytest.raises(PolicyError) as info:
        Policy(
            name="api",
            calendars={"tokyo": {"tz": "Asia/Tokyo"}},
            severities=[
                Severity(level=1, targets={"initial_response": Target(amount=1, unit="hours", clock="tokio")})
            ],
        )
    assert list(info.value.problems) == [
        (
            "severities[0].targets.initial_response.clock",
            "unknown clock 'tokio'; expected '24x7', 'customer', 'follow_the_sun', a calendar of the "
            "policy (tokyo) or 'center:<key>' (e.g. 'center:boston'); did you mean 'tokyo'?",
        )
    ]


def test_target_on_its_own_names_the_policy_route() -> None:
    t = Target.parse("1 hour on tokyo")  # a well-formed name: accepted, checked on use
    with pytest.raises(PolicyError, match=re.escape("use policy.due(...) or policy.deadline(...)")):
        t.due(jst(2026, 3, 6, 9))


def test_deadlines_and_clocks_pickle(policy: Policy) -> None:
    d = policy.deadline(1, "initial_response")
    again = pickle.loads(pickle.dumps(d))
    assert again == d
    assert again.clocks == policy.clocks
    assert again.due(jst(2026, 3, 6, 17, 30)) == jst(2026, 3, 9, 9, 30)


def problems(doc: str) -> list[tuple[str, str]]:
    with pytest.raises(PolicyError) as info:
        Policy.from_toml(doc)
    return list(info.value.problems)


SEV = '\n[[severities]]\nlevel = 1\ntargets.initial_response = "1 hour"\n'


def test_unknown_names_suggest() -> None:
    got = problems(
        """name = "x"
[calendars.tokyo]
tz = "Asia/Tokyo"
[centers.osaka]
name = "Osaka"
tz = "Asia/Tokyo"
[[severities]]
level = 1
targets.initial_response = "1 hour on tokio"
targets.update = "1 hour on calendar:tokio"
targets.resolution = "1 hour on center:osak"
"""
    )
    assert got == [
        (
            "severities[0].targets.initial_response.clock",
            "unknown clock 'tokio'; expected '24x7', 'customer', 'follow_the_sun', a calendar of the policy "
            "(tokyo) or 'center:<key>' (e.g. 'center:osaka'); did you mean 'tokyo'?",
        ),
        (
            "severities[0].targets.update.clock",
            "unknown calendar 'tokio' in clock 'calendar:tokio'; expected one of tokyo; did you mean 'calendar:tokyo'?",
        ),
        (
            "severities[0].targets.resolution.clock",
            "unknown support center 'osak' in clock 'center:osak'; expected one of osaka; did you mean 'center:osaka'?",
        ),
    ]


def test_calendar_without_definition_says_how_to_add_one() -> None:
    got = problems('name = "x"' + SEV + 'targets.update = "1 hour on calendar:tokyo"\n')
    assert got == [
        (
            "severities[0].targets.update.clock",
            "unknown calendar 'tokyo' in clock 'calendar:tokyo'; the policy names no calendars (add a "
            "[calendars.tokyo] table with tz, hours and holidays)",
        )
    ]


def test_union_cycles_and_members_are_refused() -> None:
    got = problems(
        'name = "x"\n[calendars.a]\nunion = ["b"]\n[calendars.b]\nunion = ["c", "center:bostn"]\n'
        '[calendars.c]\nunion = ["a"]\n' + SEV
    )
    assert got == [
        (
            "calendars.b.union[1]",
            "unknown support center 'bostn' in clock 'center:bostn'; expected one of belfast, dublin, "
            "boston, austin, los_angeles, singapore; did you mean 'center:boston'?",
        ),
        (
            "calendars.a.union",
            "the unions of a -> b -> c -> a form a cycle; a calendar cannot contain itself",
        ),
    ]
    got = problems('name = "x"\n[calendars.a]\nunion = ["a"]\n' + SEV)
    assert got == [
        ("calendars.a.union", "the unions of a -> a form a cycle; a calendar cannot contain itself")
    ]


def test_bad_calendar_specs() -> None:
    got = problems(
        'name = "x"\n[calendars.customer]\ntz = "UTC"\n[calendars.u]\nunion = ["customer"]\ntz = "UTC"\n'
        '[calendars.n]\nhours = "Mon 09:00-10:00"\n[calendars.h]\ntz = "UTC"\nholidays = "XX"\n' + SEV
    )
    assert got == [
        ("calendars.u", "a union calendar takes only union; tz belong to its member calendars"),
        ("calendars.n", "a calendar needs tz (with hours, holidays, overrides) or union = [names]"),
        (
            "calendars.h",
            "holidays 'XX': unknown country code; expected an ISO 3166 code supported by the holidays "
            "package, e.g. 'US', 'GB', 'IE', 'SG'",
        ),
        (
            "calendars.customer",
            "calendar name 'customer': the name is taken by a built-in clock; choose another, e.g. 'tokyo'",
        ),
    ]


def test_day_units_need_a_zoned_calendar() -> None:
    got = problems(
        'name = "x"\n[calendars.a]\ntz = "UTC"\n[calendars.u]\nunion = ["a"]\n'
        + SEV
        + 'targets.update = "2 business days on u"\n'
    )
    assert got == [
        (
            "severities[0].targets.update.clock",
            "business_days needs a single-zone clock, 'customer', 'center:<key>' or a calendar with a tz; "
            "clock 'u' will not do: a union calendar has no single local date (count hours instead, e.g. "
            "'72 hours on u')",
        )
    ]


def test_policy_centers() -> None:
    assert problems('name = "x"\ncenters = {}\n' + SEV) == [
        ("centers", "name at least one center, or leave centers out for the guidebook's six")
    ]
    got = problems('name = "x"\n[centers.tokyo]\nname = "Tokyo"\n' + SEV)
    assert got == [("centers.tokyo.tz", "required; this field is missing")]
    p = Policy.from_toml('name = "x"\n[centers.tokyo]\nname = "Tokyo"\ntz = "Asia/Tokyo"\n' + SEV)
    with pytest.raises(PolicyError, match="unknown support center 'boston'"):
        p.clock_calendar("center:boston")


def test_schema_key_is_ignored() -> None:
    p = Policy.from_dict(
        {
            "$schema": "./policy.schema.json",
            "name": "x",
            "severities": [{"level": 1, "targets": {"initial_response": "1 hour"}}],
        }
    )
    assert "$schema" not in p.to_dict()
    with pytest.raises(PolicyError, match=r"\$schema"):
        Policy.from_dict(
            {
                "$schema": 3,
                "name": "x",
                "severities": [{"level": 1, "targets": {"initial_response": "1 hour"}}],
            }
        )


def test_customer_clock_unchanged_by_tier() -> None:
    assert (
        Customer(tz="Europe/Berlin", country="DE", tier="gold").calendar()
        is Customer(tz="Europe/Berlin", country="DE").calendar()
    )


@pytest.mark.parametrize("name", ["initial_response", "update"])
def test_the_guidebook_metrics_cannot_be_redefined(name: str) -> None:
    # the replay follows the case lifecycle for these two: a redefinition is refused, not ignored
    data = {
        "name": "p",
        "severities": [{"level": 1, "targets": {"initial_response": "1 hour"}}],
        "metric_definitions": {name: {"start": "opened", "stop": ["support_update"]}},
    }
    with pytest.raises(PolicyError, match=f"'{name}' cannot be redefined"):
        Policy.from_dict(data)
