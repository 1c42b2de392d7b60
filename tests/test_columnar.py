"""The columnar replay (``check_columns``, issue 14): the scalar ``check_case``, case for case.

Hand-worked examples first (expected alerts worked out in the comments), then differential
tests against ``check_case``: Hypothesis policies and timelines, the shipped export and the
generator of examples/make_cases.py. Equality covers every value and, beyond ``==``, the
tzinfo (and fold) of every instant.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slocalc.cases import Case, CaseCheck, CaseRecord, Event, case_from_dict, check_case, read_cases
from slocalc.cases._columnar import MAX_EVENTS, check_columns
from slocalc.cases._columns import columns_from_cases
from slocalc.errors import SlocalcError
from slocalc.policies import RAPID7, Customer, Policy
from slocalc.testing import cases, nows, policies

ROOT = Path(__file__).resolve().parent.parent
EXPORT_AT = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)
RESTART: Policy = RAPID7.replace(lifecycle=RAPID7.lifecycle.replace(severity_change="restart"))
THREE_QUARTERS = Fraction(3, 4)
H = timedelta(hours=1)
UTC_CUSTOMER = Customer(tz="UTC")
BERLIN = ZoneInfo("Europe/Berlin")


def t(hour: int, minute: int = 0, day: int = 2) -> datetime:
    """2 March 2026 (a Monday) at ``hour:minute`` UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def case(severity: int, *events: Event, opened: datetime | None = None, cid: str = "C-1") -> Case:
    return Case(
        id=cid, severity=severity, opened_at=opened or t(9), customer=UTC_CUSTOMER, events=list(events)
    )


def ev(at: datetime, kind: str, **more: Any) -> Event:
    return Event(at=at, kind=kind, **more)  # type: ignore[arg-type]


def one(c: Case, now: datetime, policy: Policy = RAPID7, share: Fraction = THREE_QUARTERS) -> CaseCheck:
    [seen] = check_columns(columns_from_cases([c]), policy, now, share)
    assert seen is not None
    return seen


def alerts(seen: CaseCheck) -> list[tuple[Any, ...]]:
    return [
        (a.label, a.kind, a.due_at, a.severity, a.met_at, a.breached_by, a.remaining, a.budget)
        for a in seen.alerts
    ]


def identical(got: CaseCheck, want: CaseCheck) -> bool:
    """Equal, and every instant in the same tzinfo with the same wall reading and fold."""
    if got != want:
        return False
    for a, b in zip(got.alerts, want.alerts, strict=True):
        for x, y in ((a.due_at, b.due_at), (a.met_at, b.met_at)):
            if x is None or y is None:
                if x is not y:
                    return False
            elif (
                x.tzinfo is not y.tzinfo
                or x.replace(tzinfo=None) != y.replace(tzinfo=None)
                or x.fold != y.fold
            ):
                return False
    return True


# -- worked by hand -------------------------------------------------------------------------


def test_late_answer_then_cycle_at_risk() -> None:
    # severity 1: initial response 2 h on 24x7 -> due 11:00; answered 12:00, 1 h late.
    # update #1 runs 4 h from 12:00 -> due 16:00; at 15:00 1 h of 4 h is left: 3/4 used, at risk.
    seen = one(case(1, ev(t(12), "support_update")), t(15))
    assert alerts(seen) == [
        ("initial response", "breached", t(11), 1, t(12), H, None, None),
        ("update #1", "at_risk", t(16), 1, None, None, H, 4 * H),
    ]
    assert (seen.severity, seen.status, seen.future_events, seen.verdict) == (1, "open", 0, "breached")


def test_a_pause_moves_the_update_deadline() -> None:
    # answered 09:30 -> update #1 due 13:30; waiting on the customer 10:00-12:00 (the customer's
    # update resumes it) moves it 2 h to 15:30; at 16:00 it is 30 minutes late, unanswered.
    c = case(
        1,
        ev(t(9, 30), "support_update"),
        ev(t(10), "status", status="waiting_on_customer"),
        ev(t(12), "customer_update"),
    )
    seen = one(c, t(16))
    assert alerts(seen) == [("update #1", "breached", t(15, 30), 1, None, H / 2, None, None)]
    assert seen.status == "in_progress"
    # at 11:00 it is paused: no alert at all
    assert one(c, t(11)).alerts == ()


def test_a_pause_from_the_deadline_on_does_not_count() -> None:
    # answered 09:00 -> update #1 due 13:00. The pause begins at 13:00 itself (not before the
    # deadline), so it never moves it: at 15:00 the cycle is 2 h late though it was "paused".
    c = case(
        1,
        ev(t(9), "support_update"),
        ev(t(13), "status", status="waiting_on_customer"),
        ev(t(15), "customer_update"),
    )
    assert alerts(one(c, t(15))) == [("update #1", "breached", t(13), 1, None, 2 * H, None, None)]
    assert alerts(one(c, t(14))) == [("update #1", "breached", t(13), 1, None, H, None, None)]


def test_rebase_reapplies_the_pauses() -> None:
    # severity 2 (UTC business hours Mon-Fri 08-17): answered 10:00, update #1 on 3 business
    # days; paused 11:00-12:00; at 13:00 raised to severity 1 (RAPID7 rebases): 4 h on 24x7
    # from the original start 10:00 -> 14:00, plus the 1 h pause -> 15:00. At 16:00: 1 h late.
    c = case(
        2,
        ev(t(10), "support_update"),
        ev(t(11), "status", status="waiting_on_customer"),
        ev(t(12), "customer_update"),
        ev(t(13), "severity", severity=1),
    )
    seen = one(c, t(16))
    assert alerts(seen) == [("update #1", "breached", t(15), 1, None, H, None, None)]
    assert seen.severity == 1


def test_restart_starts_the_initial_response_again() -> None:
    # severity 3 (12 business hours) raised to 1 at 10:00 under "restart": 2 h from 10:00 -> 12:00.
    c = case(3, ev(t(10), "severity", severity=1))
    assert alerts(one(c, t(12, 30), RESTART)) == [
        ("initial response", "breached", t(12), 1, None, H / 2, None, None)
    ]
    # RAPID7 rebases: 2 h from the opening, 09:00 -> 11:00 (not passed at the change, 10:00);
    # at 12:30 it is 1:30 late.
    assert alerts(one(c, t(12, 30))) == [
        ("initial response", "breached", t(11), 1, None, 1.5 * H, None, None)
    ]


def test_instants_in_the_cases_zone() -> None:
    # opened 09:00 Berlin (08:00 UTC), severity 1: initial response 2 h -> due 11:00 Berlin
    # (10:00 UTC); at 10:30 UTC it is 30 minutes late, shown in the case's own zone.
    opened = datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN)
    c = Case(id="B", severity=1, opened_at=opened, customer=Customer(tz="Europe/Berlin", country="DE"))
    [a] = one(c, t(10, 30)).alerts
    assert a.kind == "breached"
    assert a.due_at.tzinfo is BERLIN
    assert (a.due_at.hour, a.breached_by) == (11, H / 2)


def test_future_events_and_cases_opened_after_now() -> None:
    c = case(1, ev(t(10), "support_update"), ev(t(20), "support_update"))
    seen = one(c, t(12))
    assert (seen.future_events, seen.alerts) == (1, ())  # update #1 due 14:00: 2 of 4 h used
    later = case(1, ev(t(10, day=3), "support_update"), opened=t(9, day=3))
    assert one(later, t(12)) == CaseCheck("C-1", 1, None, (), 1, "opened_after_now")


def test_batches_without_events() -> None:
    # each opened Monday 09:00 UTC, unanswered at 13:30: severity 1 (2 h, due 11:00) breached
    # by 2:30; severity 2 (4 business hours 08-17 UTC, due 13:00) breached by 0:30; severity 3
    # (12 business hours: 8 h Monday, 4 h Tuesday, due Tue 12:00) 4:30 of 12 h used, no alert
    batch = [case(level, cid=f"C-{level}") for level in (1, 2, 3)]
    got = check_columns(columns_from_cases(batch), RAPID7, t(13, 30), THREE_QUARTERS)
    assert [alerts(seen) for seen in got if seen is not None] == [
        [("initial response", "breached", t(11), 1, None, 2.5 * H, None, None)],
        [("initial response", "breached", t(13), 2, None, H / 2, None, None)],
        [],
    ]
    assert check_columns(columns_from_cases([]), RAPID7, t(12), THREE_QUARTERS) == []


def test_declines() -> None:
    bad = Case(
        id="X",
        severity=1,
        opened_at=t(9),
        customer=UTC_CUSTOMER,
        events=[ev(t(10), "status", status="parked")],
    )
    busy = case(1, *(ev(t(9) + timedelta(minutes=i), "customer_update") for i in range(MAX_EVENTS + 1)))
    fine = case(1)
    got = check_columns(columns_from_cases([bad, busy, fine]), RAPID7, t(12), THREE_QUARTERS)
    assert got[:2] == [None, None]
    assert got[2] is not None
    with pytest.raises(SlocalcError):  # the scalar path gives the error
        check_case(bad, RAPID7, now=t(12))
    # a policy tracking metrics defined as data (next_reply, resolution, ...) is taken too
    # (tests/test_columnar_metrics.py): Zendesk-like Urgent, opened 09:00, unanswered at 12:00:
    # the first reply (initial response, 1 h, due 10:00) breached by 2 h; requester wait (6 h, due 15:00) and
    # resolution (8 h, due 17:00) have used 3 of 6 and 3 of 8 hours: not at risk at 3/4
    zendesk = Policy.from_file(ROOT / "examples" / "policies" / "zendesk_like.toml")
    [seen] = check_columns(columns_from_cases([fine]), zendesk, t(12), THREE_QUARTERS)
    assert seen is not None
    assert alerts(seen) == [("initial response", "breached", t(10), 1, None, 2 * H, None, None)]


# -- differential ---------------------------------------------------------------------------


def compare(batch: list[Case], policy: Policy, now: datetime, share: Fraction) -> list[int]:
    """Assert every case taken equals ``check_case``; the positions declined."""
    got = check_columns(columns_from_cases(batch), policy, now, share)
    declined = []
    for i, (c, seen) in enumerate(zip(batch, got, strict=True)):
        if seen is None:
            declined.append(i)
            continue
        want = check_case(c, policy, now=now, at_risk=share)
        assert identical(seen, want), (c, seen, want)
    return declined


SHARES = st.sampled_from((THREE_QUARTERS, Fraction(1, 2), Fraction(1), Fraction(1, 3), Fraction(99, 100)))


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_same_as_check_case(data: st.DataObject) -> None:
    policy = data.draw(policies())
    batch = data.draw(st.lists(cases(policy=policy), min_size=1, max_size=5))
    now = data.draw(nows(data.draw(st.sampled_from(batch)), policy=policy))
    share = data.draw(SHARES)
    batch = [c.model_copy(update={"id": f"C-{i}"}) for i, c in enumerate(batch)]
    declined = compare(batch, policy, now, share)
    # nothing drawn here is declined: few events, years 2025-2028
    assert declined == [], [batch[i] for i in declined]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_same_as_check_case_rapid7_and_restart(data: st.DataObject) -> None:
    policy = data.draw(st.sampled_from((RAPID7, RESTART)))
    batch = data.draw(st.lists(cases(policy=policy, max_events=20), min_size=1, max_size=12))
    now = data.draw(nows(data.draw(st.sampled_from(batch)), policy=policy))
    assert compare(batch, policy, now, data.draw(SHARES)) == []


@pytest.mark.parametrize(
    "now",
    [
        EXPORT_AT,
        datetime(2026, 2, 1, tzinfo=UTC),
        datetime(2026, 3, 16, 12, 30, tzinfo=UTC),
        EXPORT_AT + 20 * H,
    ],
)
def test_the_shipped_export(now: datetime) -> None:
    batch = [r.case for r in read_cases(ROOT / "examples" / "cases.jsonl") if isinstance(r, CaseRecord)]
    assert len(batch) == 300
    assert compare(batch, RAPID7, now, THREE_QUARTERS) == []


def generate(count: int) -> list[dict[str, Any]]:
    """``examples/make_cases.py``'s realistic cases as dicts (its private ``_`` keys dropped)."""
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import make_cases
    finally:
        sys.path.pop(0)
    dicts = make_cases.generate(count, seed=20260331)
    return [{k: v for k, v in d.items() if not k.startswith("_")} for d in dicts]


@pytest.fixture(scope="module")
def generated() -> list[Case]:
    return [case_from_dict(d) for d in generate(2000)]


#: the instants and shares the generated exports are checked at (the export's own
#: instant, early in March, after every event)
GENERATED_AT = [
    (EXPORT_AT, THREE_QUARTERS),
    (EXPORT_AT, Fraction(1, 3)),
    (datetime(2026, 3, 9, 9, 15, tzinfo=UTC), THREE_QUARTERS),
    (datetime(2026, 4, 10, tzinfo=UTC), Fraction(9, 10)),
]


@pytest.mark.parametrize(("now", "share"), GENERATED_AT)
def test_the_generated_export(generated: list[Case], now: datetime, share: Fraction) -> None:
    # no declines: only a case with more than MAX_EVENTS events may be (none is generated)
    for policy in (RAPID7, RESTART):
        declined = compare(generated, policy, now, share)
        assert all(len(generated[i].events) > MAX_EVENTS for i in declined)
