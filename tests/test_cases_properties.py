"""Properties of case evaluation over random timelines (Hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slocalc.cases import Case, CaseReport, Event, TargetResult, check, evaluate
from slocalc.policies import RAPID7, STATUSES, Customer, Policy

RESTART: Policy = RAPID7.replace(lifecycle=RAPID7.lifecycle.replace(severity_change="restart"))
CUSTOMERS = (
    Customer(tz="UTC"),
    Customer(tz="Europe/Berlin", country="DE"),
    Customer(tz="America/New_York", country="US"),
    Customer(tz="Europe/Dublin", country="IE"),
    Customer(tz="Asia/Singapore", country="SG"),
)
#: days around DST changes and holidays of those customers (2026)
ANCHORS = (
    datetime(2026, 3, 6, tzinfo=UTC),  # US spring forward Sun Mar 8
    datetime(2026, 3, 14, tzinfo=UTC),  # St Patrick's Day Tue Mar 17
    datetime(2026, 3, 26, tzinfo=UTC),  # EU summer time Sun Mar 29
    datetime(2026, 4, 1, tzinfo=UTC),  # Easter
    datetime(2026, 10, 23, tzinfo=UTC),  # EU winter time Sun Oct 25
    datetime(2026, 10, 30, tzinfo=UTC),  # US fall back Sun Nov 1
    datetime(2026, 12, 22, tzinfo=UTC),  # Christmas
)
MINUTE = timedelta(minutes=1)

PROFILE = settings(suppress_health_check=[HealthCheck.too_slow])  # examples: the suite profile


@st.composite
def events(draw: st.DrawFn, opened: datetime, n: int) -> list[Event]:
    out: list[Event] = []
    t = opened
    for _ in range(n):
        gap = draw(st.sampled_from((0, 1, 30, 60 * 3, 60 * 20, 60 * 50, 60 * 24 * 4)))
        t = t + MINUTE * draw(st.integers(0, gap))
        kind = draw(
            st.sampled_from(("support_update", "support_update", "customer_update", "status", "severity"))
        )
        if kind == "status":
            out.append(Event(at=t, kind="status", status=draw(st.sampled_from(STATUSES))))
        elif kind == "severity":
            out.append(Event(at=t, kind="severity", severity=draw(st.integers(1, 3))))
        else:
            out.append(Event(at=t, kind=kind))
    return out


@st.composite
def cases(draw: st.DrawFn) -> Case:
    anchor = draw(st.sampled_from(ANCHORS))
    opened = anchor + MINUTE * draw(st.integers(0, 60 * 24 * 6))
    evs = draw(events(opened, draw(st.integers(0, 10))))
    if evs and draw(st.booleans()):
        evs = draw(st.permutations(evs))  # the replay sorts them
    return Case(
        id="P",
        severity=draw(st.integers(1, 3)),
        opened_at=opened,
        customer=draw(st.sampled_from(CUSTOMERS)),
        events=evs,
    )


def last_event(case: Case) -> datetime:
    return max((e.at for e in case.events), default=case.opened_at)


@st.composite
def case_and_now(draw: st.DrawFn) -> tuple[Case, datetime]:
    case = draw(cases())
    span = last_event(case) - case.opened_at + timedelta(days=3)
    now = case.opened_at + MINUTE * draw(st.integers(0, span // MINUTE))
    return case, now


def policies() -> st.SearchStrategy[Policy]:
    return st.sampled_from((RAPID7, RESTART))


def check_report(report: CaseReport, case: Case, now: datetime) -> None:
    """Invariants every report satisfies."""
    updates = {e.at for e in case.events if e.kind == "support_update"}
    for t in report.targets:
        assert (t.due_at is None) == (t.state == "paused"), t
        assert (t.remaining is not None) == (t.state in ("pending", "paused")), t
        assert (t.breached_by is not None) == (t.state == "breached"), t
        if t.remaining is not None:
            assert t.remaining >= timedelta(0)
        if t.state == "pending":
            assert t.due_at is not None
            assert t.due_at >= now
        if t.met_at is not None:
            assert t.met_at in updates
            assert t.met_at <= now
        if t.breached_by is not None:
            assert t.breached_by > timedelta(0)
    pending = [t.due_at for t in report.targets if t.state == "pending" and t.due_at is not None]
    assert report.next_due_at == (min(pending) if pending else None)
    assert report.breaches == sum(t.state == "breached" for t in report.targets)
    assert [u.cycle for u in report.updates] == list(range(1, len(report.updates) + 1))


@PROFILE
@given(case_and_now(), policies())
def test_evaluation_never_raises_on_valid_input(data: tuple[Case, datetime], policy: Policy) -> None:
    case, now = data
    report = evaluate(case, policy, now=now)
    check_report(report, case, now)
    assert report.future_events == sum(e.at > now for e in case.events)
    assert CaseReport.from_json(report.to_json()) == report
    assert report.explain()


@PROFILE
@given(case_and_now(), policies())
def test_met_iff_the_update_is_at_or_before_due_at(data: tuple[Case, datetime], policy: Policy) -> None:
    case, now = data
    for t in evaluate(case, policy, now=now).targets:
        if t.met_at is not None:
            assert t.due_at is not None
            assert (t.state == "met") == (t.met_at <= t.due_at), t
        if t.state == "met":
            assert t.met_at is not None


def _by_start(report: CaseReport) -> dict[tuple[str, datetime], TargetResult]:
    return {(t.metric, t.start): t for t in report.targets}


@PROFILE
@given(case_and_now(), policies(), st.data())
def test_adding_a_support_update_never_turns_met_into_breached(
    data: tuple[Case, datetime], policy: Policy, extra: st.DataObject
) -> None:
    case, now = data
    at = case.opened_at + MINUTE * extra.draw(st.integers(0, (now - case.opened_at) // MINUTE))
    position = extra.draw(st.integers(0, len(case.events)))
    events = list(case.events)
    events.insert(position, Event(at=at, kind="support_update"))
    more = case.model_copy(update={"events": tuple(events)})
    before, after = evaluate(case, policy, now=now), evaluate(more, policy, now=now)
    assert not (before.initial_response.state == "met" and after.initial_response.state == "breached")
    matched = _by_start(after)
    for key, target in _by_start(before).items():
        if target.state == "met" and key in matched:
            assert matched[key].state != "breached", (target, matched[key])


@PROFILE
@given(case_and_now(), policies(), st.integers(0, 60 * 24 * 8))
def test_a_later_now_never_unbreaches(data: tuple[Case, datetime], policy: Policy, minutes: int) -> None:
    case, now = data
    later = now + MINUTE * minutes
    early, late = evaluate(case, policy, now=now), evaluate(case, policy, now=later)
    assert late.breaches >= early.breaches
    after = {(t.metric, t.cycle): t for t in late.targets}
    for t in early.targets:
        if t.state == "breached":
            assert after[(t.metric, t.cycle)].state == "breached"
            assert after[(t.metric, t.cycle)].due_at == t.due_at
            assert after[(t.metric, t.cycle)].breached_by >= t.breached_by  # type: ignore[operator]


@PROFILE
@given(st.lists(case_and_now(), min_size=1, max_size=4), policies(), st.sampled_from((0.5, 0.75, 1)))
def test_check_agrees_with_evaluate(batch: list[tuple[Case, datetime]], policy: Policy, share: float) -> None:
    # check() takes the lazy fast path; evaluate() settles every deadline at every step
    now = max(n for _, n in batch)
    cases_ = [c.model_copy(update={"id": f"C-{i}"}) for i, (c, _) in enumerate(batch)]
    alerts = check(cases_, policy, now=now, at_risk=share)
    expected = []
    for c in cases_:
        report = evaluate(c, policy, now=now)
        for t in report.targets:
            if t.state == "breached":
                expected.append((c.id, t.cycle, "breached", t.due_at, t.breached_by))
            elif t.state == "pending":
                assert t.remaining is not None
                assert t.due_at is not None
                alert = [a for a in alerts if (a.case_id, a.cycle, a.kind) == (c.id, t.cycle, "at_risk")]
                if alert:
                    budget = alert[0].budget
                    assert budget is not None
                    assert alert[0].remaining == t.remaining
                    assert (budget - t.remaining) >= budget * share
                    expected.append((c.id, t.cycle, "at_risk", t.due_at, None))
    assert [(a.case_id, a.cycle, a.kind, a.due_at, a.breached_by) for a in alerts] == expected


@PROFILE
@given(case_and_now(), policies())
def test_at_risk_is_monotone_in_the_threshold(data: tuple[Case, datetime], policy: Policy) -> None:
    case, now = data
    keys = {}
    for share in (0.25, 0.5, 0.75, 1):
        keys[share] = {
            (a.metric, a.cycle) for a in check([case], policy, now=now, at_risk=share) if a.kind == "at_risk"
        }
    assert keys[1] <= keys[0.75] <= keys[0.5] <= keys[0.25]
    # at 100%, a target is at risk exactly when no clock time is left
    report = evaluate(case, policy, now=now)
    due_now = {
        (t.metric, t.cycle) for t in report.targets if t.state == "pending" and t.remaining == timedelta(0)
    }
    assert keys[1] == due_now
