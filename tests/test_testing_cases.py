"""slocalc.testing's policy and case strategies, and the case-level laws checked with them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from slocalc.cases import Case, evaluate
from slocalc.policies import RAPID7, Customer, Policy
from slocalc.testing import cases, customers, nows, policies, targets
from slocalc.testing import invariants as inv

# One year of opening instants keeps each customer's calendar to a year or two of compiling.
YEARS = {"min_year": 2026, "max_year": 2026}


@st.composite
def policy_case_now(draw: st.DrawFn, policy: Policy | None = None) -> tuple[Policy, Case, datetime]:
    chosen = draw(policies()) if policy is None else policy
    case = draw(cases(policy=chosen, **YEARS))
    return chosen, case, draw(nows(case, policy=chosen))


# --------------------------------------------------------------------------- validity


@given(policies())
def test_policies_are_valid_and_round_trip(policy: Policy) -> None:
    assert Policy.from_json(policy.to_json()) == policy
    for level in policy.levels:
        policy.target(level, "initial_response")


@given(targets())
def test_targets_round_trip_through_text(target: object) -> None:
    assert type(target).parse(str(target)) == target  # type: ignore[attr-defined]


@given(customers())
def test_customers_have_calendars(customer: Customer) -> None:
    assert customer.calendar().tz == customer.tz


@given(policy_case_now())
def test_case_timelines_evaluate_without_error(pcn: tuple[Policy, Case, datetime]) -> None:
    policy, case, now = pcn
    report = evaluate(case, policy, now=now)
    assert report.case_id == case.id
    assert now.astimezone(UTC) >= case.opened_at.astimezone(UTC)


@given(cases(**YEARS))
def test_statuses_come_in_legal_orders(case: Case) -> None:
    life = RAPID7.lifecycle
    status = "open"
    for ev in sorted(case.events, key=lambda e: e.at.astimezone(UTC)):
        if ev.kind == "status":
            assert ev.status is not None
            if life.is_closed(status):
                assert ev.status == "reopened", (status, ev.status)
            elif status in life.pause_statuses:
                assert ev.status == "in_progress" or ev.status in life.stop_statuses, (status, ev.status)
            status = ev.status
        elif ev.kind == "customer_update" and status in life.pause_statuses:
            status = "in_progress"
        elif ev.kind == "customer_update" and life.is_closed(status):
            status = evaluate(case, RAPID7, now=ev.at).status


def test_timelines_cover_the_lifecycle() -> None:
    seen: list[tuple[Case, datetime]] = []

    @settings(max_examples=250, derandomize=True, database=None, phases=[Phase.generate], deadline=None)
    @given(cases(**YEARS))
    def collect(case: Case) -> None:
        last = max([case.opened_at, *(e.at for e in case.events)], key=lambda t: t.astimezone(UTC))
        seen.append((case, last + timedelta(days=1)))

    collect()
    reports = [evaluate(case, RAPID7, now=now) for case, now in seen]
    assert any(r.late_reopen_attempts for r in reports)
    assert any(r.status == "reopened" for r in reports)
    assert any(t.state == "paused" for r in reports for t in r.targets) or any(
        e.status in RAPID7.lifecycle.pause_statuses for c, _ in seen for e in c.events
    )
    assert any(e.kind == "severity" for c, _ in seen for e in c.events)
    assert any(r.breaches for r in reports)
    assert any(t.state == "met" for r in reports for t in r.targets)
    assert any(len({e.at for e in c.events}) < len(c.events) for c, _ in seen)  # ties


def test_shuffled_cases_are_out_of_order() -> None:
    unsorted = 0

    @settings(max_examples=100, derandomize=True, database=None, phases=[Phase.generate], deadline=None)
    @given(cases(shuffle=True, max_events=6, **YEARS))
    def count(case: Case) -> None:
        nonlocal unsorted
        instants = [e.at.astimezone(UTC) for e in case.events]
        unsorted += instants != sorted(instants)

    count()
    assert unsorted >= 20


def test_option_checks() -> None:
    with pytest.raises(ValueError, match="max_severities=0"):
        policies(max_severities=0)
    with pytest.raises(ValueError, match="max_events=-1"):
        cases(max_events=-1)


# --------------------------------------------------------------------------- the laws


@given(policy_case_now(), st.data())
def test_later_now_never_unbreaches(pcn: tuple[Policy, Case, datetime], data: st.DataObject) -> None:
    policy, case, now1 = pcn
    now2 = data.draw(nows(case, policy=policy))
    inv.assert_later_now_never_unbreaches(case, policy, now1, now2)


@given(policy_case_now())
def test_evaluation_laws(pcn: tuple[Policy, Case, datetime]) -> None:
    policy, case, now = pcn
    inv.assert_evaluation_is_pure(case, policy, now)
    inv.assert_future_events_ignored(case, policy, now)
    inv.assert_target_states_consistent(case, policy, now)
    inv.assert_check_agrees_with_evaluate(case, policy, now)


@given(st.data())
def test_shuffled_events_mean_the_same(data: st.DataObject) -> None:
    case = data.draw(cases(shuffle=True, max_events=8, **YEARS))
    inv.assert_evaluation_is_pure(case, RAPID7, data.draw(nows(case)))


def test_the_unbreach_law_catches_an_evaluator_that_forgets(monkeypatch: pytest.MonkeyPatch) -> None:
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    case = Case(id="C-9", severity=1, opened_at=t0, customer=Customer(tz="UTC"))
    real = inv.evaluate

    def forgetful(case: Case, policy: Policy, *, now: datetime) -> object:
        # a planted bug: after a day, evaluates as if no time had passed
        return real(case, policy, now=t0 if now - t0 > timedelta(days=1) else now)

    monkeypatch.setattr(inv, "evaluate", forgetful)
    with pytest.raises(AssertionError, match="a breach is never undone") as info:
        inv.assert_later_now_never_unbreaches(case, RAPID7, t0 + timedelta(hours=3), t0 + timedelta(days=2))
    assert "breached at now1 but not at now2: [('initial_response', 0)]" in str(info.value)


# --------------------------------------------------------------------------- shrinking


def test_shrinking_a_case_reaches_a_minimal_timeline() -> None:
    # A planted bug in "our" service: it thinks a status event never changes a Severity-1
    # deadline, so any pause before the first reply is a counterexample. The shrinker
    # should strip the case down to the essentials.
    def service_disagrees(case: Case) -> bool:
        report = evaluate(case, RAPID7, now=case.opened_at + timedelta(days=30))
        return case.severity == 1 and any(t.state == "stopped" for t in report.targets)

    found = find(
        cases(**YEARS),
        service_disagrees,
        settings=settings(
            derandomize=True, database=None, max_examples=500, phases=[Phase.generate, Phase.shrink]
        ),
    )
    # the plainest customer and instant, a reply, and the stop, at the same instant
    assert (found.severity, found.customer, found.opened_at) == (
        1,
        Customer(tz="UTC"),
        datetime(2026, 1, 1, tzinfo=found.opened_at.tzinfo),
    )
    assert [(e.kind, e.status, e.at) for e in found.events] == [
        ("support_update", None, found.opened_at),
        ("status", "in_engineering_backlog", found.opened_at),
    ]
