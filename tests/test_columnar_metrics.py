"""The columnar replay of the metrics defined as data (``next_reply``, ``resolution``, ...):
``check_columns`` gives what the scalar ``check_case`` gives, case for case.

Hand-worked examples on the Zendesk-like and JSM-like example policies first (expected alerts
worked out in the comments), then differential tests against ``check_case``: the example case
files, exports of examples/make_cases.py, and Hypothesis policies whose metric definitions
vary every field of ``MetricDef``. No case is declined in any of them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slocalc.cases import Case, CaseCheck, Event, case_from_dict, check_case
from slocalc.cases._columnar import check_columns
from slocalc.cases._columns import columns_from_cases
from slocalc.cases._resolver import resolver_for
from slocalc.policies import RAPID7, Customer, Policy
from slocalc.policies._metrics import EVENTS, STATUS_SETS
from slocalc.testing import cases, nows
from test_columnar import GENERATED_AT, alerts, compare, generate, identical

ROOT = Path(__file__).resolve().parent.parent
ZENDESK = Policy.from_file(ROOT / "examples" / "policies" / "zendesk_like.toml")
JSM = Policy.from_file(ROOT / "examples" / "policies" / "jsm_like.toml")

THREE_QUARTERS = Fraction(3, 4)
H = timedelta(hours=1)
M = timedelta(minutes=1)
EXPORT_AT = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)


def t(hour: int, minute: int = 0, day: int = 2) -> datetime:
    """2 March 2026 (a Monday) at ``hour:minute`` UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def example_cases(name: str) -> dict[str, Case]:
    data = json.loads((ROOT / "examples" / "cases" / f"{name}.json").read_text())
    return {c["id"]: Case.model_validate(c) for c in data}


def one(c: Case, now: datetime, policy: Policy, share: Fraction = THREE_QUARTERS) -> CaseCheck:
    [seen] = check_columns(columns_from_cases([c]), policy, now, share)
    assert seen is not None
    assert identical(seen, check_case(c, policy, now=now, at_risk=share))
    return seen


def metric_alerts(seen: CaseCheck) -> list[tuple[Any, ...]]:
    return [(a.metric, a.cycle, a.kind, a.due_at, a.met_at, a.breached_by, a.remaining) for a in seen.alerts]


# -- worked by hand -------------------------------------------------------------------------


def test_zendesk_urgent_every_metric() -> None:
    c = example_cases("zendesk_like")["Z-1"]  # Urgent, 24x7, opened 08:00 UTC
    # first reply 1 h -> 09:00, answered 08:40: no alert.
    # next reply #1: the customer writes 09:00 (after the first reply) -> 2 h -> 11:00; paused
    # 10:00-11:00 (waiting_on_customer, resumed by the customer's 11:00 update) -> 12:00;
    # answered 12:30: breached by 30 min, met 12:30.
    # next reply #2: the customer writes 13:00 -> 15:00; at 14:50 10 of 120 min left: at risk.
    # requester wait 6 h -> 14:00, paused 10:00-11:00 -> 15:00: 10 of 360 min left, at risk.
    # resolution 8 h -> 16:00 (no pause): 70 of 480 min left (85% used), at risk.
    assert metric_alerts(one(c, t(14, 50), ZENDESK)) == [
        ("next_reply", 1, "breached", t(12), t(12, 30), 30 * M, None),
        ("next_reply", 2, "at_risk", t(15), None, None, 10 * M),
        ("requester_wait", 0, "at_risk", t(15), None, None, 10 * M),
        ("resolution", 0, "at_risk", t(16), None, None, 70 * M),
    ]
    # at 16:00 the case is closed (15:00): next reply #2 stopped at its deadline (not late),
    # requester wait met at 15:00 on time, resolution met: only next reply #1 is left
    assert metric_alerts(one(c, t(16), ZENDESK)) == [
        ("next_reply", 1, "breached", t(12), t(12, 30), 30 * M, None)
    ]


def test_zendesk_rebase_moves_every_metric() -> None:
    c = example_cases("zendesk_like")["Z-4"]  # Normal, opened Mon 01:00 UTC (10:00 Tokyo)
    # raised to Urgent at 03:00: every running target rebased from 01:00 on Urgent (24x7):
    # first reply 1 h -> 02:00 (already past: breached at once), requester wait 6 h -> 07:00,
    # resolution 8 h -> 09:00; no customer update, so no next reply.
    # at 06:00: first reply late by 4 h; requester wait 5 of 6 h used (at risk, 1 h left);
    # resolution 5 of 8 h used (62.5%): nothing.
    seen = one(c, t(6), ZENDESK)
    assert metric_alerts(seen) == [
        ("initial_response", 0, "breached", t(2), None, 4 * H, None),
        ("requester_wait", 0, "at_risk", t(7), None, None, H),
    ]
    assert [(a.severity, a.budget) for a in seen.alerts] == [(1, None), (1, 6 * H)]


def test_jsm_resolution_and_agent_work() -> None:
    c = example_cases("jsm_like")["J-1"]  # Highest, 24x7, opened 08:00 UTC
    # first response 30 min -> 08:30, answered 08:15. Resolution (pauses while waiting on the
    # customer) 4 h -> 12:00, waiting 09:00-10:00 -> 13:00, the backlog does not pause it,
    # closed 14:00: breached by 1 h. Agent work (pauses in the backlog too) 3 h -> 11:00,
    # waiting 09-10 and backlog 11-12 -> 13:00, closed 14:00: breached by 1 h. Resolution
    # comes first: the policy names it first.
    assert metric_alerts(one(c, t(15), JSM)) == [
        ("resolution", 0, "breached", t(13), t(14), H, None),
        ("agent_work", 0, "breached", t(13), t(14), H, None),
    ]
    # at 12:30 (back in progress since 12:00) both are due 13:00: resolution has 30 of 240 min
    # left (87.5% used), agent work 30 of 180 (83%): both at risk
    assert metric_alerts(one(c, t(12, 30), JSM)) == [
        ("resolution", 0, "at_risk", t(13), None, None, 30 * M),
        ("agent_work", 0, "at_risk", t(13), None, None, 30 * M),
    ]


def test_jsm_gold_resolution() -> None:
    c = example_cases("jsm_like")["J-2"]  # gold, Highest, opened 08:00, nothing since
    # first response 30 min -> 08:30, late by 1:15 at 09:45; gold resolution 2 h -> 10:00,
    # 15 of 120 min left (87.5% used): at risk; agent work 3 h -> 11:00, 1:45 of 3 h used: no
    seen = one(c, t(9, 45), JSM)
    assert metric_alerts(seen) == [
        ("initial_response", 0, "breached", t(8, 30), None, 75 * M, None),
        ("resolution", 0, "at_risk", t(10), None, None, 15 * M),
    ]
    assert seen.alerts[1].budget == 2 * H


def test_next_reply_under_restart() -> None:
    # Zendesk-like, severity changes restarting the clocks; Urgent (24x7), UTC, opened 08:00:
    # 08:30 support update: first reply met (due 09:00);
    # 09:00 the customer writes: next reply #1 from 09:00 -> 2 h -> 11:00;
    # 09:30 waiting_on_customer: next reply and requester wait paused (resolution runs on);
    # 10:30 the customer answers: back in progress, both resumed 1 h later: next reply 12:00,
    # requester wait 14:00 -> 15:00; this update starts no second next reply (one runs).
    # At 11:45: next reply has 15 of 120 min left (87.5% used): at risk; requester wait
    # 3:15 of 6 h left, resolution (16:00) 4:15 of 8 h left: no alert.
    restart = ZENDESK.replace(lifecycle=ZENDESK.lifecycle.replace(severity_change="restart"))
    c = Case(
        id="R",
        severity=1,
        opened_at=t(8),
        customer=Customer(tz="UTC"),
        events=[
            Event(at=t(8, 30), kind="support_update"),
            Event(at=t(9), kind="customer_update"),
            Event(at=t(9, 30), kind="status", status="waiting_on_customer"),
            Event(at=t(10, 30), kind="customer_update"),
        ],
    )
    assert metric_alerts(one(c, t(11, 45), restart)) == [
        ("next_reply", 1, "at_risk", t(12), None, None, 15 * M)
    ]
    # lowered to Normal (Tokyo business hours Mon-Fri 09-18 JST) at 11:45 UTC (20:45 JST,
    # closed): next reply restarts there on 8 business hours: Tue 3 March 09:00-17:00 JST,
    # due 08:00 UTC; at 12:00 UTC none of its time is used: no alert. By Tue 12:00 UTC it is
    # 4 h late, the first alert of the case (the first reply was met).
    lowered = c.model_copy(update={"events": [*c.events, Event(at=t(11, 45), kind="severity", severity=2)]})
    assert one(lowered, t(12), restart).alerts == ()
    first = one(lowered, t(12, day=3), restart).alerts[0]
    assert (first.metric, first.kind, first.due_at, first.breached_by) == (
        "next_reply",
        "breached",
        t(8, day=3),
        4 * H,
    )


def test_a_cadence_of_its_own_restarts_after_the_backlog() -> None:
    # JSM-like plus a metric of its own, an update cadence: started by the first reply,
    # restarted by each support update, stopped in the engineering backlog (cancelled if
    # not late), a new clock on leaving it; 2 hours at Highest. UTC customer, opened 08:00:
    # 08:15 first reply: cadence #1 from 08:15 -> 10:15 (first response met, due 08:30);
    # 09:00 backlog: #1 cancelled before its deadline (no alert); agent work paused;
    # 12:00 back in progress: cadence #2 from 12:00 -> 14:00; agent work resumed.
    # At 14:30: resolution (4 h -> 12:00, the backlog does not pause it) late by 2:30; agent
    # work (3 h -> 11:00, paused 3 h -> 14:00) late by 0:30; cadence #2 late by 0:30.
    data = JSM.to_dict()
    data["metric_definitions"]["cadence"] = {
        "start": "first_reply",
        "restart_on": ["support_update"],
        "stop_in": ["in_engineering_backlog"],
        "cancel_unbreached": True,
        "restart_after_stop": True,
        "recurring": True,
    }
    data["severities"][0]["targets"]["cadence"] = "2 hours"
    policy = Policy.from_dict(data)
    c = Case(
        id="K",
        severity=1,
        opened_at=t(8),
        customer=Customer(tz="UTC"),
        events=[
            Event(at=t(8, 15), kind="support_update"),
            Event(at=t(9), kind="status", status="in_engineering_backlog"),
            Event(at=t(12), kind="status", status="in_progress"),
        ],
    )
    assert metric_alerts(one(c, t(14, 30), policy)) == [
        ("resolution", 0, "breached", t(12), None, 150 * M, None),
        ("agent_work", 0, "breached", t(14), None, 30 * M, None),
        ("cadence", 2, "breached", t(14), None, 30 * M, None),
    ]


# -- differential: the example files, the generated exports -------------------------------


NOWS = (t(9), t(14, 50), t(16), datetime(2026, 3, 10, 9, tzinfo=UTC), EXPORT_AT)


@pytest.mark.parametrize("name", ["zendesk_like", "jsm_like"])
@pytest.mark.parametrize("share", [THREE_QUARTERS, Fraction(1, 3), Fraction(1)])
def test_the_example_case_files(name: str, share: Fraction) -> None:
    policy = {"zendesk_like": ZENDESK, "jsm_like": JSM}[name]
    batch = list(example_cases(name).values())
    for now in NOWS:
        assert compare(batch, policy, now, share) == []


def _two_levels(d: dict[str, Any]) -> dict[str, Any]:
    """A make_cases record for a two-level policy: severity 3 becomes 2."""
    d = {k: v for k, v in d.items() if not k.startswith("_")}
    d["severity"] = min(d["severity"], 2)
    d["events"] = [
        {**e, "severity": min(e["severity"], 2)} if e["kind"] == "severity" else e for e in d["events"]
    ]
    return d


@pytest.fixture(scope="module")
def generated() -> list[Case]:
    return [case_from_dict(_two_levels(d)) for d in generate(1000)]


@pytest.mark.parametrize(("now", "share"), GENERATED_AT)
def test_the_generated_export(generated: list[Case], now: datetime, share: Fraction) -> None:
    for policy in (ZENDESK, JSM, JSM.replace(lifecycle=JSM.lifecycle.replace(severity_change="restart"))):
        assert compare(generated, policy, now, share) == []


# -- differential: Hypothesis policies with varied metric definitions ----------------------

_TARGETS = ("45 minutes", "2 hours", "5 hours", "3 hours on tokyo", "10 hours on tokyo", "1 business day")
_STATUS_ITEMS = (*STATUS_SETS, "waiting_on_customer", "solution_offered", "in_engineering_backlog", "closed")


def _subset(items: tuple[str, ...], most: int = 2) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(items), max_size=most, unique=True)


_definitions = st.fixed_dictionaries(
    {"start": st.sampled_from(EVENTS)},
    optional={
        "after": st.sampled_from(EVENTS),
        "stop": _subset(EVENTS),
        "restart_on": _subset(EVENTS, 1),
        "pause_in": _subset(_STATUS_ITEMS),
        "stop_in": _subset(_STATUS_ITEMS),
        "cancel_unbreached": st.booleans(),
        "restart_after_stop": st.booleans(),
        "recurring": st.booleans(),
    },
)


@st.composite
def metric_policies(draw: st.DrawFn) -> Policy:
    """An example policy (Zendesk-like or JSM-like) with one or two metrics of its own (every
    ``MetricDef`` field drawn), a built-in one redefined now and then, targets for them on
    some severities only, sometimes an update cadence, and either severity-change rule."""
    data = draw(st.sampled_from((ZENDESK, JSM))).to_dict()
    data["lifecycle"]["severity_change"] = draw(st.sampled_from(("rebase", "restart")))
    data["lifecycle"]["pause_statuses"] = draw(
        st.sampled_from((["waiting_on_customer"], ["waiting_on_customer", "solution_offered"], []))
    )
    names = draw(
        st.lists(
            st.sampled_from(("m1", "m2", "next_reply", "resolution")), min_size=1, max_size=2, unique=True
        )
    )
    data["metric_definitions"] = {name: draw(_definitions) for name in names}
    for severity in data["severities"]:
        for name in names:
            if draw(st.integers(0, 3)):
                severity["targets"][name] = draw(st.sampled_from(_TARGETS))
            else:
                severity["targets"].pop(name, None)
        if draw(st.booleans()):
            severity["targets"]["update"] = draw(st.sampled_from(_TARGETS))
    return Policy.from_dict(data)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.data())
def test_same_as_check_case(data: st.DataObject) -> None:
    policy = data.draw(metric_policies())
    batch = data.draw(st.lists(cases(policy=policy, max_events=20), min_size=1, max_size=6))
    now = data.draw(nows(data.draw(st.sampled_from(batch)), policy=policy))
    share = data.draw(st.sampled_from((THREE_QUARTERS, Fraction(1, 2), Fraction(1), Fraction(1, 3))))
    batch = [c.model_copy(update={"id": f"C-{i}"}) for i, c in enumerate(batch)]
    # nothing drawn here is declined: few events, years 2025-2028
    assert compare(batch, policy, now, share) == []


def test_the_policies_drawn_track_metrics() -> None:
    @settings(max_examples=10, deadline=None)
    @given(metric_policies())
    def check(policy: Policy) -> None:
        assert resolver_for(policy).metrics

    check()


def test_alerts_helper_agrees() -> None:
    # the shared helper of tests/test_columnar.py reads the labels: "next reply #1"
    c = example_cases("zendesk_like")["Z-1"]
    assert alerts(one(c, t(12, 15), ZENDESK))[0][:2] == ("next reply #1", "breached")


@pytest.mark.parametrize("policy", [RAPID7, ZENDESK], ids=["rapid7", "zendesk"])
def test_a_batch_leaves_no_reference_cycle_behind(generated: list[Case], policy: Policy) -> None:
    """The replay's runs refer back to it; it breaks that cycle when done, so a batch's arrays
    are freed at once even with the collector off (``slocalc check`` raises its threshold)."""
    import gc

    cols = columns_from_cases(generated[:200])
    gc.collect()
    gc.disable()
    try:
        check_columns(cols, policy, EXPORT_AT, THREE_QUARTERS)
        alive = [
            type(o).__name__
            for o in gc.get_objects()
            if type(o).__name__ in {"_Replay", "Runs", "MetricRuns"}
        ]
    finally:
        gc.enable()
    assert alive == []
