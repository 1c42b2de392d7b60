"""Every metric a policy defines, evaluated: next_reply, resolution, requester_wait,
agent_work (see docs/metrics.md).

Expected values are worked by hand in the comments, never computed by slocalc.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from tests.test_cases_properties import PROFILE, case_and_now

from slocalc.cases import Case, CaseReport, Event, TargetResult, check, evaluate
from slocalc.policies import BUILTIN_METRICS, RAPID7, Customer, Policy

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "policies"
ZENDESK = Policy.from_file(EXAMPLES / "zendesk_like.toml")
JSM = Policy.from_file(EXAMPLES / "jsm_like.toml")
TOKYO = ZoneInfo("Asia/Tokyo")
H = timedelta(hours=1)
M = timedelta(minutes=1)


def t(hour: int, minute: int = 0, day: int = 2) -> datetime:
    """An instant in March 2026, UTC (Mon 2 March)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def jst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=TOKYO)


def states(report: CaseReport, metric: str) -> list[tuple[str, datetime | None, datetime | None]]:
    return [(r.state, r.due_at, r.met_at) for r in report.results(metric)]


def load_cases(name: str) -> dict[str, Case]:
    data = json.loads((EXAMPLES.parent / "cases" / name).read_text())
    return {c["id"]: Case.model_validate(c) for c in data}


ZENDESK_CASES = load_cases("zendesk_like.json")
JSM_CASES = load_cases("jsm_like.json")


# -- Zendesk-like, Urgent, round the clock (UTC) -------------------------------------------


def test_zendesk_urgent_every_metric_by_hand() -> None:
    case = ZENDESK_CASES["Z-1"]
    report = evaluate(case, ZENDESK, now=t(16))
    # first reply: opened 08:00 + 1 hour = 09:00; answered 08:40
    assert states(report, "initial_response") == [("met", t(9), t(8, 40))]
    # next reply #1: the customer writes at 09:00 (after the first reply) -> due 11:00;
    # waiting_on_customer 10:00-11:00 pauses it one hour -> 12:00; answered 12:30: 30 min late.
    # #2: the customer writes at 13:00 -> due 15:00; the case closes at 15:00: stopped
    # (closing exactly at the deadline is not a breach).
    assert states(report, "next_reply") == [("breached", t(12), t(12, 30)), ("stopped", t(15), None)]
    assert report.results("next_reply")[0].breached_by == 30 * M
    assert [r.label for r in report.results("next_reply")] == ["next reply #1", "next reply #2"]
    # requester wait: 08:00 + 6 hours = 14:00, paused 10:00-11:00 -> 15:00; closed 15:00: met
    assert states(report, "requester_wait") == [("met", t(15), t(15))]
    # resolution: 08:00 + 8 hours = 16:00 (does not pause); closed 15:00: met
    assert states(report, "resolution") == [("met", t(16), t(15))]
    assert report.results("update") == ()  # this policy promises no periodic update
    assert report.breaches == 1
    assert "Next reply #1: BREACHED by 0:30:00" in report.explain()


def test_zendesk_check_alerts_every_metric() -> None:
    case = ZENDESK_CASES["Z-1"]
    alerts = check([case], ZENDESK, now=t(14, 50))
    got = [(a.metric, a.cycle, a.kind, a.due_at, a.remaining) for a in alerts]
    # at 14:50: next reply #1 breached (due 12:00); #2 due 15:00 has 10 of its 120 minutes
    # left (92% used); requester wait due 15:00 has 10 of 360 minutes left; resolution due
    # 16:00 has 70 of 480 minutes left (85% used): all at risk at 75%
    assert got == [
        ("next_reply", 1, "breached", t(12), None),
        ("next_reply", 2, "at_risk", t(15), 10 * M),
        ("requester_wait", 0, "at_risk", t(15), 10 * M),
        ("resolution", 0, "at_risk", t(16), 70 * M),
    ]


def test_next_reply_waits_for_the_first_reply_and_does_not_restart() -> None:
    case = Case(
        id="Z-x",
        severity=1,
        opened_at=t(8),
        customer=Customer(tz="UTC"),
        events=[
            Event(at=t(8, 10), kind="customer_update"),  # before the first reply: no next reply
            Event(at=t(8, 40), kind="support_update"),
            Event(at=t(9), kind="customer_update"),  # starts next reply #1: due 11:00
            Event(at=t(9, 30), kind="customer_update"),  # one is running: nothing new
        ],
    )
    report = evaluate(case, ZENDESK, now=t(10))
    assert states(report, "next_reply") == [("pending", t(11), None)]
    assert report.results("next_reply")[0].remaining == H  # 10:00 -> 11:00


def test_zendesk_premium_tier() -> None:
    case = ZENDESK_CASES["Z-2"]
    report = evaluate(case, ZENDESK, now=t(11))
    # premium, Urgent: first reply 30 minutes (08:00 -> 08:30), answered 08:20;
    # next reply 1 hour: the customer writes 09:00 -> 10:00, answered 09:45;
    # resolution keeps the base 8 hours -> 16:00, still open
    assert states(report, "initial_response") == [("met", t(8, 30), t(8, 20))]
    assert states(report, "next_reply") == [("met", t(10), t(9, 45))]
    assert states(report, "resolution") == [("pending", t(16), None)]
    assert report.results("resolution")[0].remaining == 5 * H
    assert report.next_due_at == t(14)  # requester wait: 08:00 + 6 hours, never paused


def test_zendesk_normal_on_the_tokyo_calendar() -> None:
    case = ZENDESK_CASES["Z-3"]
    report = evaluate(case, ZENDESK, now=jst(10, 17))
    # Tokyo desk Mon-Fri 09:00-18:00 JST, no Japanese holiday 6-13 March 2026.
    # opened Fri 6 Mar 16:00 JST. first reply 4 hours: Fri 16-18 (2h), Mon 9 09:00 + 2h
    # = Mon 11:00; answered Mon 10:00
    assert states(report, "initial_response") == [("met", jst(9, 11), jst(9, 10))]
    # next reply 8 hours from the customer's Mon 17:00: Mon 17-18 (1h), Tue 09:00 + 7h = Tue
    # 16:00; unanswered at Tue 17:00: breached by 1 hour
    [nr] = report.results("next_reply")
    assert (nr.state, nr.due_at, nr.breached_by) == ("breached", jst(10, 16), H)
    # requester wait 24 hours: Fri 2, Mon 9 (11), Tue 9 (20), Wed 09:00 + 4 = Wed 13:00;
    # at Tue 17:00: Tue 17-18 (1h) + Wed 4h = 5 hours left
    [rw] = report.results("requester_wait")
    assert (rw.state, rw.due_at, rw.remaining) == ("pending", jst(11, 13), 5 * H)
    # resolution 40 hours: Fri 2, Mon-Thu 4 x 9 (38), Fri 13 09:00 + 2 = Fri 11:00;
    # left at Tue 17:00: 1 + 9 + 9 + 2 = 21 hours
    [res] = report.results("resolution")
    assert (res.state, res.due_at, res.remaining) == ("pending", jst(13, 11), 21 * H)
    assert res.clock == "tokyo"


def test_severity_upgrade_rebases_every_metric() -> None:
    case = ZENDESK_CASES["Z-4"]
    report = evaluate(case, ZENDESK, now=t(4))
    # opened Mon 2 Mar 10:00 JST = 01:00 UTC at Normal; upgraded to Urgent at 03:00 UTC:
    # every running target is recomputed from 01:00 on the Urgent targets (24x7)
    # first reply 1 hour -> 02:00, already past at the change: breached at once, by 2 hours at 04:00
    [ir] = report.results("initial_response")
    assert (ir.state, ir.due_at, ir.breached_by, ir.severity) == ("breached", t(2), 2 * H, 1)
    # requester wait 6 hours -> 07:00; resolution 8 hours -> 09:00
    assert states(report, "requester_wait") == [("pending", t(7), None)]
    assert states(report, "resolution") == [("pending", t(9), None)]


# -- JSM-like: resolution redefined to pause while waiting on the customer ----------------


def test_jsm_resolution_pauses_and_agent_work_pauses_in_the_backlog() -> None:
    case = JSM_CASES["J-1"]
    report = evaluate(case, JSM, now=t(20))
    # Highest: time to first response 30 minutes: 08:00 -> 08:30, answered 08:15
    assert states(report, "initial_response") == [("met", t(8, 30), t(8, 15))]
    # time to resolution (JSM-style, pauses in waiting_on_customer) 4 hours: 12:00;
    # waiting 09:00-10:00 -> 13:00; backlog 11:00-12:00 does not pause it; closed 14:00:
    # breached by 1 hour
    [res] = report.results("resolution")
    assert (res.state, res.due_at, res.met_at, res.breached_by) == ("breached", t(13), t(14), H)
    # agent work 3 hours: 11:00; paused while waiting (09-10) and in the backlog (11-12):
    # 13:00; closed 14:00: breached by 1 hour
    [aw] = report.results("agent_work")
    assert (aw.state, aw.due_at, aw.met_at, aw.breached_by) == ("breached", t(13), t(14), H)
    assert report.breaches == 2


def test_jsm_gold_tier() -> None:
    case = JSM_CASES["J-2"]
    report = evaluate(case, JSM, now=t(9))
    # gold, every severity: time to resolution 2 hours: 08:00 -> 10:00, pending at 09:00
    [res] = report.results("resolution")
    assert (res.state, res.due_at, res.target) == ("pending", t(10), "2 hours")
    # gold keeps the base first response: 30 minutes -> 08:30, unanswered: breached by 30 min
    [ir] = report.results("initial_response")
    assert (ir.state, ir.breached_by) == ("breached", 30 * M)


# -- serialisation -----------------------------------------------------------------------


def test_guidebook_reports_serialise_without_other_metrics() -> None:
    case = Case(id="R-1", severity=1, opened_at=t(8), customer=Customer(tz="UTC"))
    report = evaluate(case, RAPID7, now=t(9))
    assert "other_metrics" not in report.to_dict()
    assert "other_metrics" not in json.loads(report.to_json())
    assert CaseReport.from_json(report.to_json()) == report


def test_other_metrics_round_trip() -> None:
    report = evaluate(ZENDESK_CASES["Z-1"], ZENDESK, now=t(16))
    data: dict[str, Any] = report.to_dict()
    assert [r["metric"] for r in data["other_metrics"]] == [
        "next_reply",
        "next_reply",
        "requester_wait",
        "resolution",
    ]
    assert CaseReport.from_json(report.to_json()) == report
    assert CaseReport.from_dict(data) == report


def test_four_level_resolution_is_no_longer_ignored() -> None:
    four = Policy.from_file(EXAMPLES / "four_level.toml")
    case = Case(id="F-1", severity=1, opened_at=t(8), customer=Customer(tz="UTC"))
    # P1 resolution 8 hours round the clock: 16:00; at 16:30 breached by 30 minutes
    alerts = [a for a in check([case], four, now=t(16, 30)) if a.metric == "resolution"]
    assert [(a.kind, a.due_at, a.breached_by) for a in alerts] == [("breached", t(16), 30 * M)]


# -- properties --------------------------------------------------------------------------


def everything(policy: Policy) -> Policy:
    """``policy`` with every built-in case metric targeted at every severity."""
    data = policy.to_dict()
    for sev in data["severities"]:
        sev["targets"].update(
            next_reply="3 hours",
            resolution="2 business days",
            requester_wait="20 hours",
            agent_work="1 calendar days",
        )
    return Policy.from_dict(data)


EVERYTHING = everything(RAPID7)


@PROFILE
@given(case_and_now())
def test_every_metric_is_ordered_and_consistent(data: tuple[Case, datetime]) -> None:
    case, now = data
    report = evaluate(case, EVERYTHING, now=now)
    assert report.breaches == sum(r.state == "breached" for r in report.targets)
    for metric in EVERYTHING.tracked_metrics():
        results = report.results(metric)
        starts = [r.start for r in results]
        assert starts == sorted(starts)
        if metric in ("initial_response", "resolution", "requester_wait", "agent_work"):
            assert len(results) <= 1
        else:
            assert [r.cycle for r in results] == list(range(1, len(results) + 1))
        # at most one clock of a metric runs at a time
        assert sum(r.state in ("pending", "paused") for r in results) <= 1
        for r in results:
            assert r.start <= now
            if r.state == "met":
                assert r.met_at is not None
                assert r.due_at is not None
                assert r.met_at <= r.due_at
            if r.state == "breached":
                assert r.due_at is not None
                assert r.breached_by is not None
                assert r.breached_by > timedelta(0)
            if r.state == "pending":
                assert r.due_at is not None
                assert r.due_at >= now
            if r.state == "paused":
                assert r.due_at is None
                assert r.remaining is not None
    # check raises one breached alert per breached result
    alerts = check([case], EVERYTHING, now=now)
    assert sum(a.kind == "breached" for a in alerts) == report.breaches
    assert all(a.metric in EVERYTHING.tracked_metrics() for a in alerts)


# -- a metric defined like a built-in one behaves like it --------------------------------


def _twins() -> Policy:
    """RAPID7 with ``twin_first`` and ``twin_update``: copies of the built-in definitions of
    ``initial_response`` and ``update`` under other names, so the definition-driven replay
    runs them next to the guidebook's own rules."""
    data = RAPID7.to_dict()
    data["metric_definitions"] = {
        "twin_first": BUILTIN_METRICS["initial_response"].to_dict(),
        "twin_update": BUILTIN_METRICS["update"].to_dict(),
    }
    for sev in data["severities"]:
        sev["targets"]["twin_first"] = sev["targets"]["initial_response"]
        sev["targets"]["twin_update"] = sev["targets"]["update"]
    return Policy.from_dict(data)


TWINS = _twins()


def _plain(results: tuple[TargetResult, ...]) -> list[tuple[object, ...]]:
    return [
        (r.cycle, r.severity, r.start, r.due_at, r.met_at, r.ended_at, r.state, r.breached_by, r.remaining)
        for r in results
    ]


@PROFILE
@given(case_and_now())
def test_a_metric_defined_like_a_builtin_one_gives_its_results(data: tuple[Case, datetime]) -> None:
    case, now = data
    report = evaluate(case, TWINS, now=now)
    assert _plain(report.results("twin_first")) == _plain(report.results("initial_response"))
    ir = report.initial_response
    if ir.met_at is None and ir.ended_at is not None:
        # the one difference: the guidebook starts update cycles when a case closed before
        # any response is reopened; a defined metric starts only after its start event
        return
    assert _plain(report.results("twin_update")) == _plain(report.results("update"))
