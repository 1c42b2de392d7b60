"""Metrics as data (docs/metrics.md): the built-in definitions, custom ones, and load-time checks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from slocalc.cases import Case, Event, evaluate
from slocalc.errors import PolicyError
from slocalc.policies import BUILTIN_METRICS, RAPID7, Customer, Lifecycle, MetricDef, Policy


def test_builtins_in_the_same_terms() -> None:
    ir, up = BUILTIN_METRICS["initial_response"], BUILTIN_METRICS["update"]
    assert (ir.start, ir.stop, ir.stop_in, ir.recurring, ir.cancel_unbreached) == (
        "opened",
        ("support_update",),
        ("closed_statuses",),
        False,
        True,
    )
    assert (up.start, up.restart_on, up.pause_in, up.stop_in, up.restart_after_stop, up.recurring) == (
        "first_reply",
        ("support_update",),
        ("pause_statuses",),
        ("stop_statuses",),
        True,
        True,
    )
    nr = BUILTIN_METRICS["next_reply"]
    assert (nr.start, nr.after, nr.stop) == ("customer_update", "first_reply", ("support_update",))
    assert BUILTIN_METRICS["resolution"].stop == ("closed",)
    assert BUILTIN_METRICS["resolution"].pause_in == ()
    assert BUILTIN_METRICS["requester_wait"].pause_in == ("pause_statuses",)
    assert BUILTIN_METRICS["agent_work"].pause_in == ("pause_statuses", "stop_statuses")
    assert not BUILTIN_METRICS["support_contact_change"].tracked
    life = Lifecycle()
    assert BUILTIN_METRICS["agent_work"].statuses("pause_in", life) == {
        "waiting_on_customer",
        "solution_offered",
        "in_engineering_backlog",
        "closed",
        "closed_no_response",
        "closed_enhancement_request",
    }


def doc(**targets: str) -> dict[str, object]:
    return {"name": "m", "severities": [{"level": 1, "targets": {"initial_response": "1 hour", **targets}}]}


def test_a_target_without_definition_is_refused_at_load() -> None:
    with pytest.raises(PolicyError) as info:
        Policy.from_dict(doc(first_contact="2 hours", next_replay="1 hour"))
    assert list(info.value.problems) == [
        (
            "severities[0].targets.first_contact",
            "metric 'first_contact' has no definition; use a built-in one (initial_response, update, "
            "next_reply, resolution, requester_wait, agent_work, support_contact_change) or define it under "
            "[metric_definitions.first_contact] (start, stop, pause_in, ...; see docs/metrics.md)",
        ),
        (
            "severities[0].targets.next_replay",
            "metric 'next_replay' has no definition; use a built-in one (initial_response, update, "
            "next_reply, resolution, requester_wait, agent_work, support_contact_change) or define it under "
            "[metric_definitions.next_replay] (start, stop, pause_in, ...; see docs/metrics.md); did you "
            "mean 'next_reply'?",
        ),
    ]


def test_custom_definitions() -> None:
    data = {
        **doc(first_contact="2 hours"),
        "metric_definitions": {
            "first_contact": {
                "start": "opened",
                "stop": ["support_update", "customer_update"],
                "pause_in": ["waiting_on_customer"],
            }
        },
    }
    p = Policy.from_dict(data)
    assert p.definitions["first_contact"] == MetricDef(
        start="opened", stop=("support_update", "customer_update"), pause_in=("waiting_on_customer",)
    )
    assert p.tracked_metrics() == ("initial_response", "first_contact")
    assert Policy.from_toml(p.to_toml()) == p
    assert p.to_dict()["metric_definitions"] == {
        "first_contact": {
            "start": "opened",
            "stop": ["support_update", "customer_update"],
            "pause_in": ["waiting_on_customer"],
        }
    }
    bad = {**data, "metric_definitions": {"first_contact": {"start": "created", "pause_in": ["waiting"]}}}
    with pytest.raises(PolicyError) as info:
        Policy.from_dict(bad)
    paths = [path for path, _ in info.value.problems]
    assert paths == ["metric_definitions.first_contact.start", "metric_definitions.first_contact.pause_in[0]"]


def test_four_level_example_resolution_now_has_a_definition() -> None:
    p = Policy.from_file("examples/policies/four_level.toml")
    assert p.tracked_metrics() == ("initial_response", "update", "resolution")


# -- reopenable statuses: the one intended change to RAPID7 ------------------------------------


def test_reopen_statuses_default_and_rapid7() -> None:
    assert Lifecycle().reopen_statuses is None
    assert all(Lifecycle().reopens(s) for s in Lifecycle().closed_statuses)
    assert RAPID7.lifecycle.reopen_statuses == ("closed", "closed_no_response")
    with pytest.raises(PolicyError, match=r"'in_progress' is not a closed status"):
        Lifecycle(reopen_statuses=["closed", "in_progress"])


def t(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("closed_as", "status_at_now"),
    [("closed", "reopened"), ("closed_enhancement_request", "closed_enhancement_request")],
)
def test_a_reply_reopens_closed_but_not_an_enhancement_request(closed_as: str, status_at_now: str) -> None:
    # Severity 1 (24x7). Opened Mon 2 Mar 09:00, answered 09:30, closed 10:00; the customer
    # writes on Wed 4 Mar 09:00, inside the 10-day window.
    case = Case(
        id="C-1",
        severity=1,
        opened_at=t(2, 9),
        customer=Customer(tz="UTC"),
        events=[
            Event(at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC), kind="support_update"),
            Event(at=t(2, 10), kind="status", status=closed_as),
            Event(at=t(4, 9), kind="customer_update"),
        ],
    )
    report = evaluate(case, RAPID7, now=t(4, 10))
    assert report.status == status_at_now
    assert len(report.late_reopen_attempts) == 0
