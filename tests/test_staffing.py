"""slocalc.staffing: hand-checked structural breaches, coverage tables, gaps, scenarios.

Every expected instant below is worked out by hand in the comments (zone offsets, opening
hours, holidays), never computed by calling slocalc.

Offsets used (January 2026, northern winter): New York EST = UTC-5, Chicago CST = UTC-6,
Los Angeles PST = UTC-8, London GMT = UTC+0, Dublin GMT = UTC+0, Singapore = UTC+8 (no
DST), Auckland NZDT = UTC+13. The week Mon 2026-01-12 .. Sun 2026-01-18 has no public
holiday in GB-NIR, IE, US (MLK day is Mon 2026-01-19), US-MA/TX/CA or SG (Chinese New
Year is 2026-02-17), so every center keeps its plain Mon-Fri 08:00-17:00 local hours.

Guidebook centers in UTC on such a weekday:
    singapore   00:00-09:00   (08:00-17:00 SGT)
    belfast     08:00-17:00   dublin 08:00-17:00
    boston      13:00-22:00   (08:00-17:00 EST)
    austin      14:00-23:00   (08:00-17:00 CST)
    los_angeles 16:00-01:00+1 (08:00-17:00 PST)
so the union is open without a break from Monday 00:00 UTC (Singapore opens) to Saturday
01:00 UTC (Los Angeles closes Friday 17:00 PST), and closed from Saturday 01:00 UTC to
Monday 00:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from slocalc import BusinessCalendar, NaiveDatetimeError
from slocalc.calendars.centers import CENTERS, SupportCenter
from slocalc.errors import CalendarSpecError, PolicyError
from slocalc.policies import RAPID7, Customer
from slocalc.staffing import (
    Gap,
    Scenario,
    compare,
    coverage_table,
    gaps,
    handoffs,
    structural_breaches,
)

NY = ZoneInfo("America/New_York")
SG = ZoneInfo("Asia/Singapore")
AKL = ZoneInfo("Pacific/Auckland")
H = timedelta(hours=1)
MON = datetime(2026, 1, 12, tzinfo=UTC)  # Monday 00:00 UTC of the holiday-free week
NEXT_MON = MON + timedelta(days=7)


# -- the three cases of issue 10 ------------------------------------------------------------


def test_singapore_alone_cannot_answer_new_york_monday_morning() -> None:
    # New York customer (US holidays), Severity-2, arrives Monday 2026-01-12 09:00 EST.
    #   = 14:00 UTC = 22:00 SGT Monday: Singapore closed since 17:00 SGT.
    # Initial response: 4 business hours on the customer's clock (Mon-Fri 08-17 New York):
    #   09:00 + 4 h = Monday 13:00 EST (no holiday, no close in between)
    #   = 18:00 UTC = Tuesday 02:00 SGT.
    # Singapore next opens Tuesday 08:00 SGT = Tuesday 00:00 UTC = Monday 19:00 EST,
    # six hours after the deadline, so nobody is on shift in [09:00, 13:00) EST.
    customer = Customer(tz="America/New_York", country="US")
    arrival = datetime(2026, 1, 12, 9, 0, tzinfo=NY)
    res = structural_breaches(
        RAPID7, ["singapore"], [customer], [2], arrival, arrival + H, metrics=["initial_response"]
    )
    (r,) = res.results()
    assert r.arrival == arrival
    assert r.due_at == datetime(2026, 1, 12, 13, 0, tzinfo=NY)
    assert r.due_at == datetime(2026, 1, 13, 2, 0, tzinfo=SG)
    assert r.first_response == datetime(2026, 1, 12, 19, 0, tzinfo=NY)
    assert r.first_response == datetime(2026, 1, 13, 8, 0, tzinfo=SG)
    assert r.staffed == timedelta(0)
    assert r.breached is True
    assert r.due_at.tzinfo is NY  # results in the tzinfo of the range's start
    (s,) = res.summary()
    assert (s.severity, s.metric, s.customer, s.arrivals, s.breached, s.share) == (
        2,
        "initial_response",
        "America/New_York",
        1,
        1,
        1.0,
    )


def test_singapore_alone_can_meet_the_severity_2_update_cadence() -> None:
    # Same arrival, update target: 3 business days on the customer's clock. The clock is
    # open at Monday 09:00 EST, so the deadline is 09:00 on the third business date after
    # Monday: Thursday 2026-01-15 09:00 EST = 14:00 UTC. Singapore is open 00:00-09:00 UTC
    # on Tue, Wed and Thu, all before that deadline (Monday's 00-09 UTC is before the
    # arrival at 14:00 UTC): 27 staffed hours, so the cadence could be met.
    customer = Customer(tz="America/New_York", country="US")
    arrival = datetime(2026, 1, 12, 9, 0, tzinfo=NY)
    res = structural_breaches(RAPID7, ["singapore"], [customer], [2], arrival, arrival + H)
    (r,) = res.results(metric="update")
    assert r.due_at == datetime(2026, 1, 15, 9, 0, tzinfo=NY)
    assert r.first_response == datetime(2026, 1, 12, 19, 0, tzinfo=NY)
    assert r.staffed == timedelta(hours=27)
    assert r.breached is False


ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Honolulu",
]


def test_all_six_centers_no_severity_2_weekday_arrival_is_breached() -> None:
    # Arrivals every hour from Monday 00:00 UTC to Saturday 00:00 UTC of the holiday-free
    # week: the union is open at every one of them (open without a break from Monday 00:00
    # to Saturday 01:00 UTC, see the module docstring), so the first response is the
    # arrival itself, and every deadline is later than its arrival, so staffed time > 0.
    # That holds whatever the customer's zone (no holidays given) and for both targets.
    res = structural_breaches(RAPID7, None, ZONES, [2], MON, MON + timedelta(days=5))
    assert len(res.arrivals) == 120
    for s in res.summary():
        assert s.arrivals == 120
        assert s.breached == 0, s
    assert all(r.first_response == r.arrival for r in res.results(customer="Europe/London"))


def test_all_six_centers_auckland_monday_morning_is_breached_by_the_weekend() -> None:
    # An ordinary weekday on the *customer's* clock can still be structurally breached:
    # Auckland's Monday morning is Sunday evening UTC, when no center is open.
    #   08:00 NZDT Mon = 19:00 UTC Sun; deadline 12:00 NZDT = 23:00 UTC Sun;
    #   union opens Mon 00:00 UTC (Singapore 08:00 SGT) > deadline: breached.
    #   09:00 NZDT -> deadline 13:00 NZDT = Mon 00:00 UTC = exactly Singapore's opening:
    #   breached (a center opening at the deadline has no time before it).
    #   10:00 NZDT -> deadline 14:00 NZDT = Mon 01:00 UTC: one staffed hour, met.
    arrival = datetime(2026, 1, 12, 8, 0, tzinfo=AKL)
    res = structural_breaches(
        RAPID7, None, ["Pacific/Auckland"], [2], arrival, arrival + 3 * H, metrics=["initial_response"]
    )
    got = [(r.arrival.hour, r.due_at.hour, r.breached, r.staffed) for r in res.results()]
    assert got == [
        (8, 12, True, timedelta(0)),
        (9, 13, True, timedelta(0)),
        (10, 14, False, timedelta(hours=1)),
    ]
    assert res.results()[1].first_response == res.results()[1].due_at == datetime(2026, 1, 12, tzinfo=UTC)


def test_no_center_on_weekends_severity_1_weekend_arrivals_are_the_breaches() -> None:
    # Severity-1 runs on 24x7: initial response 2 hours, update 4 hours after arrival.
    # The guidebook centers are all closed from Saturday 01:00 UTC to Monday 00:00 UTC.
    # An arrival t is breached when that closure covers all of [t, t + 2h):
    #   Sat 00:00 -> LA open until 01:00: met.   Sat 01:00 .. Sun 22:00: breached
    #   (Sun 22:00 -> deadline Mon 00:00 = Singapore's opening, nothing before it).
    #   Sun 23:00 -> deadline Mon 01:00, Singapore from 00:00: met.
    # So exactly the 46 hourly arrivals Sat 01:00 .. Sun 22:00 UTC, for any customer zone.
    # For the 4-hour update: Sat 01:00 .. Sun 20:00, 44 arrivals.
    res = structural_breaches(RAPID7, None, ["Europe/London", "Asia/Tokyo"], [1], MON, NEXT_MON)
    sat = datetime(2026, 1, 17, 1, 0, tzinfo=UTC)
    want_ir = [sat + k * H for k in range(46)]
    want_up = [sat + k * H for k in range(44)]
    for zone in ("Europe/London", "Asia/Tokyo"):
        ir = res.results(customer=zone, metric="initial_response", breached_only=True)
        up = res.results(customer=zone, metric="update", breached_only=True)
        assert [r.arrival for r in ir] == want_ir
        assert [r.arrival for r in up] == want_up
        assert all(r.arrival.weekday() >= 5 for r in ir + up)  # all on the weekend
    assert res.share(1, "initial_response") == 46 / 168

    # A weekend on-call desk removes every one of them.
    oncall = SupportCenter.from_hours("oncall", "Weekend on-call", tz="UTC", hours="Sat-Sun 00:00-24:00")
    covered = structural_breaches(
        RAPID7, Scenario.guidebook().with_center(oncall), ["Europe/London"], [1], MON, NEXT_MON
    )
    assert covered.share() == 0.0


def test_min_staffed_requires_enough_time_before_the_deadline() -> None:
    # Auckland 10:00 NZDT from the test above has exactly 1 staffed hour: met with
    # min_staffed=1h, breached with 61 minutes.
    arrival = datetime(2026, 1, 12, 10, 0, tzinfo=AKL)
    args = (RAPID7, None, ["Pacific/Auckland"], [2], arrival, arrival + H)
    ok = structural_breaches(*args, metrics=["initial_response"], min_staffed=H)
    bad = structural_breaches(*args, metrics=["initial_response"], min_staffed=61 * timedelta(minutes=1))
    assert ok.share() == 0.0
    assert bad.share() == 1.0


# -- compare --------------------------------------------------------------------------------


def test_compare_drop_singapore_for_singapore_customers() -> None:
    # Singapore customer (no holidays), Severity-2 initial response, arrivals hourly in
    # the holiday-free week Mon 00:00 - Sat 00:00 UTC (120 arrivals). The customer's clock
    # runs 08-17 SGT = 00:00-09:00 UTC.
    # With all six centers: none breached (the union is open at every arrival).
    # Without Singapore the union is closed Mon 00:00-08:00 UTC (weekend tail) and Tue-Fri
    # 01:00-08:00 UTC (LA closes 01:00, Belfast and Dublin open 08:00).
    #  * Mon 00:00..04:00 UTC: deadline 04:00..08:00 UTC, nothing open before it (04:00 ->
    #    08:00 is exactly Belfast's opening, which does not count): 5 breached.
    #    Mon 05:00 -> deadline 09:00, Belfast open 08-09: met.
    #  * Tue-Fri 00:00: LA still open until 01:00: met. 01:00..04:00: deadlines
    #    05:00..08:00, breached: 4 a day, 16.
    #  * From 09:00 UTC (17:00 SGT) the clock is closed and the deadline is 04:00 UTC the
    #    next business morning, but a center is open at the arrival itself: met.
    # Total 21 of 120.
    sg_customer = Customer(tz="Asia/Singapore")
    base = Scenario.guidebook()
    cmp = compare(
        base,
        base.without("singapore"),
        RAPID7,
        [sg_customer],
        [2],
        MON,
        MON + timedelta(days=5),
        metrics=["initial_response"],
    )
    (row,) = cmp.rows
    assert (row.arrivals, row.breached_a, row.breached_b, row.newly_breached, row.newly_met) == (
        120,
        0,
        21,
        21,
        0,
    )
    breached = {r.arrival for r in cmp.b.results(breached_only=True)}
    monday = {MON + k * H for k in range(5)}  # 00:00..04:00 UTC
    tuesday = {MON + timedelta(days=1) + k * H for k in range(1, 5)}  # 01:00..04:00 UTC
    assert monday <= breached
    assert tuesday <= breached
    assert MON + timedelta(days=1) not in breached  # LA still open at Tue 00:00 UTC
    assert MON + 5 * H not in breached  # Mon 05:00 -> deadline 09:00, Belfast from 08:00
    text = cmp.describe()
    assert text.startswith("'drop singapore' vs 'guidebook':")
    assert "severity 2 initial_response: 0.0% ->" in text


def test_compare_rejects_analyses_on_different_grids() -> None:
    a = structural_breaches(RAPID7, None, ["Europe/London"], [1], MON, MON + H)
    b = structural_breaches(RAPID7, None, ["Europe/London"], [1], MON, MON + 2 * H)
    with pytest.raises(ValueError, match=r"not on one grid \(arrival grids differ\)"):
        compare(a, b)
    with pytest.raises(ValueError, match="compare: policy, customers, a, b required"):
        compare(None, ["belfast"])


def test_compare_same_scenario_changes_nothing() -> None:
    cmp = compare(None, None, RAPID7, ["Asia/Tokyo"], [2], MON, MON + timedelta(days=2))
    assert all(r.change == 0 for r in cmp.rows)
    assert "no arrival changes outcome" in cmp.describe()


# -- coverage, gaps, handoffs ---------------------------------------------------------------


def test_coverage_table_singapore_and_belfast_in_utc() -> None:
    rows = coverage_table(date(2026, 1, 14), ["belfast", "singapore"])
    assert len(rows) == 168  # a week of hours, no DST change in UTC
    assert rows[0].start == MON
    assert rows[0].slot == 0
    # Monday: singapore 00-09 UTC, belfast 08-17 UTC
    assert [r.centers for r in rows[7:10]] == [("singapore",), ("belfast", "singapore"), ("belfast",)]
    assert rows[8].count == 2
    assert rows[17].centers == ()
    # Saturday 00:00 UTC = slot 120: nobody
    assert rows[120].count == 0


def test_coverage_table_in_a_dst_week_has_167_rows() -> None:
    # London springs forward on Sunday 2026-03-29: Mon 23 00:00 GMT to Mon 30 00:00 BST is
    # 7 days minus one hour.
    rows = coverage_table(date(2026, 3, 25), ["belfast"], tz="Europe/London")
    assert len(rows) == 167
    assert rows[8].start == datetime(2026, 3, 23, 8, 0, tzinfo=ZoneInfo("Europe/London"))
    assert rows[8].centers == ("belfast",)
    assert rows[-1].end == datetime(2026, 3, 30, 0, 0, tzinfo=ZoneInfo("Europe/London"))


def test_coverage_table_step_must_be_positive() -> None:
    with pytest.raises(ValueError, match=r"step: must be positive, got datetime.timedelta\(0\)"):
        coverage_table(date(2026, 1, 14), step=timedelta(0))
    with pytest.raises(TypeError, match=r"week_of: expected a datetime\.date, got datetime"):
        coverage_table(MON)  # type: ignore[arg-type]


def test_gaps_over_christmas_include_holidays() -> None:
    # Christmas 2026 is a Friday: a holiday for all six centers. Last open before it:
    # Los Angeles, Thursday 24 Dec 17:00 PST = Fri 25 01:00 UTC (Austin is closed on
    # Christmas Eve, a Texas holiday, but Boston and LA cover). Next opening: Singapore,
    # Monday 28 Dec 08:00 SGT = 00:00 UTC. Length 2 days 23 hours.
    got = gaps(datetime(2026, 12, 21, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC))
    long = [g for g in got if g.duration >= timedelta(days=2)]
    assert long == [
        Gap(
            datetime(2026, 12, 25, 1, 0, tzinfo=UTC),
            datetime(2026, 12, 28, 0, 0, tzinfo=UTC),
            timedelta(days=2, hours=23),
        )
    ]
    # No other gap: Mon 21 - Thu 24 and Mon 28 - Wed 30 are covered around the clock
    # (Singapore 00-09, Europe 08-17, Boston 13-22, LA 16-01 UTC). On Mon 28 Belfast is
    # closed for Boxing Day (observed, GB-NIR) but Dublin is open (IE observes nothing).
    assert len(got) == 1


def test_gaps_min_duration_and_naive_guard() -> None:
    a, b = MON, NEXT_MON
    # Without Singapore a 7-hour hole opens every weekday night: 01:00-08:00 UTC (Tue-Fri),
    # plus Monday 00:00-08:00 (weekend tail) and the weekend from Sat 01:00.
    got = gaps(a, b, Scenario.guidebook().without("singapore"), min_duration=timedelta(hours=7))
    assert [(g.start.isoformat(), g.duration) for g in got] == [
        ("2026-01-12T00:00:00+00:00", timedelta(hours=8)),
        ("2026-01-13T01:00:00+00:00", timedelta(hours=7)),
        ("2026-01-14T01:00:00+00:00", timedelta(hours=7)),
        ("2026-01-15T01:00:00+00:00", timedelta(hours=7)),
        ("2026-01-16T01:00:00+00:00", timedelta(hours=7)),
        ("2026-01-17T01:00:00+00:00", timedelta(days=1, hours=23)),
    ]
    with pytest.raises(NaiveDatetimeError, match="a: got naive datetime"):
        gaps(datetime(2026, 1, 12), b)


def test_handoffs_week_first() -> None:
    hs = handoffs(date(2026, 1, 14), ["belfast", "boston"])
    # Monday: belfast 08:00-17:00 UTC, boston 13:00-22:00 UTC -> 4 changes a day, 5 days
    assert len(hs) == 20
    assert [(h.at.hour, h.opens, h.closes) for h in hs[:4]] == [
        (8, ("belfast",), ()),
        (13, ("boston",), ()),
        (17, (), ("belfast",)),
        (22, (), ("boston",)),
    ]


# -- scenarios ------------------------------------------------------------------------------


def test_scenario_edits() -> None:
    base = Scenario.guidebook()
    assert base.keys == tuple(CENTERS)
    austin = base.with_hours("austin", "Mon-Fri 10:00-19:00")
    cal = austin.center("austin").calendar
    assert cal == BusinessCalendar(tz="America/Chicago", hours="Mon-Fri 10:00-19:00", holidays=("US", "TX"))
    assert austin.keys == base.keys  # replaced in place
    assert austin.name == "austin Mon-Fri 10:00-19:00"
    # Singapore closed on Fridays: Friday 2026-01-16 10:00 SGT closed, Thursday open
    fri = base.closed_on("singapore", "Fri", name="Singapore closes on Fridays")
    sg = fri.center("singapore").calendar
    assert not sg.is_open(datetime(2026, 1, 16, 10, 0, tzinfo=SG))
    assert sg.is_open(datetime(2026, 1, 15, 10, 0, tzinfo=SG))
    assert fri.name == "Singapore closes on Fridays"
    assert base.without("belfast").keys == ("dublin", "boston", "austin", "los_angeles", "singapore")
    assert repr(base.without("belfast", "dublin")) == (
        "Scenario('drop belfast, dublin', centers=['boston', 'austin', 'los_angeles', 'singapore'])"
    )


def test_scenario_errors() -> None:
    base = Scenario.guidebook()
    with pytest.raises(
        CalendarSpecError,
        match=r"center 'belfst': not in scenario 'guidebook'; it has belfast, .*; did you mean 'belfast'\?$",
    ):
        base.without("belfst")
    with pytest.raises(CalendarSpecError, match="unknown center 'sngapore'"):
        Scenario.of("x", ["sngapore"])
    with pytest.raises(
        TypeError, match=r"centers: got the string 'belfast'; pass a list of keys, e.g. \['belfast'\]"
    ):
        coverage_table(date(2026, 1, 14), "belfast")  # type: ignore[arg-type]
    with pytest.raises(CalendarSpecError, match="the key 'belfast' appears twice"):
        Scenario("dup", (CENTERS["belfast"], CENTERS["belfast"]))


def test_structural_breaches_argument_errors() -> None:
    with pytest.raises(NaiveDatetimeError, match="a: got naive datetime"):
        structural_breaches(RAPID7, None, ["UTC"], [1], datetime(2026, 1, 12), NEXT_MON)
    with pytest.raises(ValueError, match="step: must be positive"):
        structural_breaches(RAPID7, None, ["UTC"], [1], MON, NEXT_MON, -H)
    with pytest.raises(TypeError, match=r"customers: got a single str 'UTC'; pass a list, e.g. \['UTC'\]"):
        structural_breaches(RAPID7, None, "UTC", [1], MON, NEXT_MON)
    with pytest.raises(
        ValueError, match=r"customers: two different customers in 'America/New_York'; name them"
    ):
        structural_breaches(
            RAPID7,
            None,
            [Customer(tz="America/New_York", country="US"), Customer(tz="America/New_York")],
            [1],
            MON,
            NEXT_MON,
        )
    with pytest.raises(TypeError, match=r"severities: got the single level 2; pass a list, e.g. \[2\]"):
        structural_breaches(RAPID7, None, ["UTC"], 2, MON, NEXT_MON)  # type: ignore[arg-type]
    with pytest.raises(PolicyError, match="no severity 4"):
        structural_breaches(RAPID7, None, ["UTC"], [4], MON, NEXT_MON)
    res = structural_breaches(RAPID7, None, ["UTC"], [1], MON, MON + H)
    with pytest.raises(ValueError, match=r"severity: 2 is not in this analysis; it has \[1\]"):
        res.results(severity=2)
    with pytest.raises(ValueError, match="by: unknown field 'zone'"):
        res.summary(by=["zone"])
    with pytest.raises(ValueError, match=r"by: unknown field 'metrics'; .*; did you mean 'metric'\?$"):
        res.summary(by=["metrics"])
    with pytest.raises(
        ValueError, match=r"it has \['initial_response', 'update'\]; did you mean 'update'\?$"
    ):
        res.results(metric="updates")
    with pytest.raises(
        ValueError, match=r"customer: 'utc' is not in this analysis; it has \['UTC'\]; did you mean 'UTC'\?$"
    ):
        res.results(customer="utc")


def test_named_customer_profiles_and_policy_wide_metrics() -> None:
    # Two New York customers told apart by a mapping; a policy-wide metric on request.
    profiles = {
        "NY (US holidays)": Customer(tz="America/New_York", country="US"),
        "NY (none)": Customer(tz="America/New_York"),
    }
    # MLK day Monday 2026-01-19 09:00 EST: the US customer's clock is closed all day, so
    # 4 business hours run Tuesday 08:00-12:00 EST; without holidays, Monday 09-13.
    arrival = datetime(2026, 1, 19, 9, 0, tzinfo=NY)
    res = structural_breaches(
        RAPID7, ["boston"], profiles, [2], arrival, arrival + H, metrics=["initial_response"]
    )
    got = {r.customer: (r.due_at, r.breached) for r in res.results()}
    # Boston is closed on MLK day too (US-MA) and opens Tue 08:00 EST:
    assert got == {
        "NY (US holidays)": (datetime(2026, 1, 20, 12, 0, tzinfo=NY), False),
        "NY (none)": (datetime(2026, 1, 19, 13, 0, tzinfo=NY), True),
    }
    extra = structural_breaches(RAPID7, None, ["UTC"], [2], MON, MON + H, metrics=["support_contact_change"])
    assert extra.targets == ((2, "support_contact_change"),)


def test_summary_groupings_and_hour_of_week() -> None:
    res = structural_breaches(RAPID7, None, ["Europe/London", "Asia/Tokyo"], [1], MON, NEXT_MON)
    overall = res.summary(by=())
    assert len(overall) == 1
    (o,) = overall
    # 2 customers x 2 targets x 168 arrivals; breaches 46 + 44 per customer (see above)
    assert (o.severity, o.metric, o.customer, o.arrivals, o.breached) == (None, None, None, 672, 180)
    per_sev = res.summary(by=("severity", "metric"))
    assert [(s.metric, s.breached) for s in per_sev] == [("initial_response", 92), ("update", 88)]
    hours = res.by_hour_of_week(1, tz="UTC")
    assert len(hours) == 2 * 168
    sat_0100 = next(h for h in hours if h.customer == "Europe/London" and h.hour_of_week == 5 * 24 + 1)
    assert (sat_0100.day, sat_0100.hour, sat_0100.arrivals, sat_0100.breached) == ("Sat", 1, 1, 1)
    # Tokyo's local clock is UTC+9: Saturday 01:00 UTC is Saturday 10:00 in Tokyo
    tokyo = {h.hour_of_week: h for h in res.by_hour_of_week(1) if h.customer == "Asia/Tokyo"}
    assert tokyo[5 * 24 + 10].breached == 1
    assert tokyo[5 * 24 + 9].breached == 0  # Sat 00:00 UTC, LA still open


def test_empty_arrival_range() -> None:
    res = structural_breaches(RAPID7, None, ["Europe/London"], None, MON, MON)
    assert res.arrivals == []
    assert res.results() == []
    assert [(s.arrivals, s.breached, s.share) for s in res.summary(by=())] == [(0, 0, 0.0)]


# -- result types ---------------------------------------------------------------------------


def test_results_are_frozen_slotted_values_that_pickle() -> None:
    import dataclasses
    import pickle

    from slocalc.staffing import BreachAnalysis, BreachCell, Comparison

    base = Scenario.guidebook()
    cmp = compare(base, base.without("singapore"), RAPID7, ["Asia/Tokyo"], [2], MON, MON + 30 * H)
    res = cmp.b
    records: list[object] = [
        res,
        cmp,
        *res.summary(),
        *res.results()[:3],
        *res.by_hour_of_week(2)[:3],
        *cmp.rows,
        *coverage_table(date(2026, 1, 14))[:3],
        *gaps(MON, NEXT_MON),
    ]
    for r in records:
        assert dataclasses.is_dataclass(r)
        assert not hasattr(r, "__dict__"), type(r)  # slotted
        back = pickle.loads(pickle.dumps(r))
        assert back == r, type(r)
        assert type(back) is type(r)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(r, dataclasses.fields(r)[0].name, None)
    # equal analyses hash alike; a different result is unequal
    again = structural_breaches(RAPID7, base.without("singapore"), ["Asia/Tokyo"], [2], MON, MON + 30 * H)
    assert dataclasses.replace(again, scenario=res.scenario) == res
    assert hash(dataclasses.replace(again, scenario=res.scenario)) == hash(res)
    assert cmp.a != res
    assert isinstance(cmp, Comparison)
    assert isinstance(res, BreachAnalysis)
    # the arrays are read-only, so the analysis cannot be changed through them
    with pytest.raises(ValueError, match="read-only"):
        res.arrival_us[0] = 0
    cell = res.cells[("Asia/Tokyo", 2, "initial_response")]
    assert isinstance(cell, BreachCell)
    with pytest.raises(ValueError, match="read-only"):
        cell.breached[0] = True
    # Comparison's public view of the analyses: the arrival grid and the hour counts
    total, hit = res.hour_counts(2, tz="UTC")
    assert total.shape == hit.shape == (1, 168)
    assert int(total.sum()) == 30
    assert int(hit.sum()) == int(cell.breached.sum())
