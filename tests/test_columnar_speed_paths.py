"""The columnar replay's faster paths (``_columnar``): the same results by cheaper means.

The objects made column by column (``_maker``), the radix-sorted groups (``_stable_order``,
``_groups``, ``_run_starts``) against numpy's own answers, and hand-worked cases that drive the
prefetched reopen windows, the deadlines computed once for a case's events of one instant and
the refold of several pauses at a rebase (each also equal to the scalar ``check_case``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from slocalc.cases import Alert, Case, CaseCheck, Event, check_case
from slocalc.cases._columnar import _groups, _maker, _run_starts, _stable_order, check_columns
from slocalc.cases._columns import columns_from_cases
from slocalc.policies import RAPID7, Customer

H = timedelta(hours=1)
THREE_QUARTERS = Fraction(3, 4)


def t(hour: int, minute: int = 0, day: int = 2) -> datetime:
    """March 2026 (the 2nd is a Monday) at ``hour:minute`` UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def ev(at: datetime, kind: str, **more: Any) -> Event:
    return Event(at=at, kind=kind, **more)  # type: ignore[arg-type]


def case(cid: str, severity: int, *events: Event) -> Case:
    return Case(id=cid, severity=severity, opened_at=t(9), customer=Customer(tz="UTC"), events=list(events))


def checked(batch: list[Case], now: datetime) -> list[CaseCheck]:
    """The columnar checks of ``batch``, each also equal to the scalar one."""
    got = check_columns(columns_from_cases(batch), RAPID7, now, THREE_QUARTERS)
    out = []
    for c, seen in zip(batch, got, strict=True):
        assert seen is not None
        assert seen == check_case(c, RAPID7, now=now, at_risk=THREE_QUARTERS)
        out.append(seen)
    return out


def summary(seen: CaseCheck) -> tuple[Any, ...]:
    return (
        seen.status,
        [(a.label, a.kind, a.due_at, a.met_at, a.breached_by, a.remaining, a.budget) for a in seen.alerts],
    )


# -- objects made column by column -----------------------------------------------------------


def test_maker_makes_what_init_makes() -> None:
    due = t(11)
    made = _maker(Alert)(
        2,
        {
            "case_id": ["C-1", "C-2"],
            "metric": ["update", "initial_response"],
            "kind": ["breached", "at_risk"],
            "due_at": [due, due],
            "cycle": [3, 0],
            "severity": [2, 1],
            "met_at": [t(12), None],
            "breached_by": [H, None],
            "remaining": [None, H / 2],
            "budget": [None, 2 * H],
        },
    )
    assert made == [
        Alert("C-1", "update", "breached", due, 3, 2, t(12), H),
        Alert("C-2", "initial_response", "at_risk", due, 0, 1, remaining=H / 2, budget=2 * H),
    ]
    assert [type(a) for a in made] == [Alert, Alert]
    assert hash(made[0]) == hash(Alert("C-1", "update", "breached", due, 3, 2, t(12), H))
    # a field left out takes its default; none at all makes none
    [check] = _maker(CaseCheck)(
        1, {"case_id": ["C-9"], "severity": [3], "status": ["open"], "alerts": [()], "future_events": [4]}
    )
    assert check == CaseCheck("C-9", 3, "open", (), 4)
    assert check.skipped is None
    assert (
        _maker(CaseCheck)(
            0, {key: [] for key in ("case_id", "severity", "status", "alerts", "future_events")}
        )
        == []
    )


@dataclass(frozen=True)
class _Doubled:
    value: int
    twice: int = field(init=False)
    tags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        object.__setattr__(self, "twice", 2 * self.value)


def test_maker_calls_init_where_it_does_more() -> None:
    # __post_init__, a field outside __init__, a default factory, no slots: made by __init__
    made = _maker(_Doubled)(2, {"value": [1, 5]})
    assert made == [_Doubled(1), _Doubled(5)]
    assert [d.twice for d in made] == [2, 10]


# -- groups and sorts --------------------------------------------------------------------------

ints = st.one_of(
    arrays(np.int64, st.integers(0, 300), elements=st.integers(0, 40)),
    arrays(np.int64, st.integers(0, 300), elements=st.integers(-(2**40), 2**40)),
    arrays(np.int64, st.integers(0, 300), elements=st.sampled_from([0, 2**15 - 1, 2**15, -1])),
)


@settings(max_examples=200)
@given(ints)
def test_stable_order_is_numpys(keys: Any) -> None:
    assert _stable_order(np, keys).tolist() == np.argsort(keys, kind="stable").tolist()


@settings(max_examples=200)
@given(ints)
def test_groups_partition_by_key(keys: Any) -> None:
    order, groups = _groups(np, keys)
    assert sorted(order.tolist()) == list(range(len(keys)))
    assert [g for g, _, _ in groups] == sorted(set(keys.tolist()))
    for g, lo, hi in groups:
        part = order[lo:hi].tolist()
        assert part == sorted(part)
        assert set(keys[part].tolist()) == {g}
    assert sum(hi - lo for _, lo, hi in groups) == len(keys)


@settings(max_examples=200)
@given(ints)
def test_run_starts_are_uniques_first_positions(keys: Any) -> None:
    keys = np.sort(keys)
    assert _run_starts(np, keys).tolist() == np.unique(keys, return_index=True)[1].tolist()


# -- worked by hand ------------------------------------------------------------------------------


def test_reopen_windows() -> None:
    # severity 1 (24x7): answered 09:30, closed 10:00 on Mon 2 Mar. The reopen window runs 10
    # calendar days from the closure, to Thu 12 Mar 10:00.
    # R: the customer writes at 09:00 on the 12th, within it: reopened, and a new update
    #    cycle (#2) runs 4 h from 09:00 -> 13:00; at 12:00 3 h of 4 are used: at risk, 1 h left.
    # L: the customer writes at 10:30 on the 12th, past it: still closed, nothing runs.
    # S: closed twice; the window runs from the first closure (10:00 on the 2nd), so a
    #    write at 10:30 on the 12th is past it even though the second closure was on the 3rd.
    closing = (ev(t(9, 30), "support_update"), ev(t(10), "status", status="closed"))
    batch = [
        case("R", 1, *closing, ev(t(9, day=12), "customer_update")),
        case("L", 1, *closing, ev(t(10, 30, day=12), "customer_update")),
        case(
            "S",
            1,
            *closing,
            ev(t(11), "customer_update"),
            ev(t(9, day=3), "status", status="closed"),
            ev(t(10, 30, day=12), "customer_update"),
        ),
    ]
    now = t(12, day=12)
    r, late, second = checked(batch, now)
    assert summary(r) == ("reopened", [("update #2", "at_risk", t(13, day=12), None, None, H, 4 * H)])
    assert summary(late) == ("closed", [])
    # S: reopened at 11:00 on the 2nd (update #2 from 11:00, due 15:00), closed again on the
    # 3rd at 09:00, breached by then (due 15:00 on the 2nd): 18 h late at the closure
    assert summary(second) == ("closed", [("update #2", "breached", t(15), None, 18 * H, None, None)])


def test_events_of_one_instant() -> None:
    # severity 1: the reply and the move to in_progress both at 09:30 (update #1 from 09:30,
    # due 13:30); a second reply and a pause both at 11:00: update #2 from 11:00, paused at once,
    # resumed by the customer at 12:00 -> due 16:00; at 15:30 3.5 h of 4 are used: at risk.
    c = case(
        "T",
        1,
        ev(t(9, 30), "support_update"),
        ev(t(9, 30), "status", status="in_progress"),
        ev(t(11), "support_update"),
        ev(t(11), "status", status="waiting_on_customer"),
        ev(t(12), "customer_update"),
    )
    [seen] = checked([c], t(15, 30))
    assert summary(seen) == ("in_progress", [("update #2", "at_risk", t(16), None, None, H / 2, 4 * H)])


def test_rebase_refolds_several_pauses() -> None:
    # severity 2 (business hours Mon-Fri 08-17 UTC), answered 10:00: update #1 on 3 business
    # days. Paused 11:00-12:00 and 12:30-13:00; at 13:30 raised to severity 1 (RAPID7 rebases):
    # 4 h on 24x7 from the original start 10:00 -> 14:00, plus both pauses (1 h + 30 min) ->
    # 15:30. At 16:00 it is 30 minutes late.
    c = case(
        "P",
        2,
        ev(t(10), "support_update"),
        ev(t(11), "status", status="waiting_on_customer"),
        ev(t(12), "customer_update"),
        ev(t(12, 30), "status", status="solution_offered"),
        ev(t(13), "customer_update"),
        ev(t(13, 30), "severity", severity=1),
    )
    # a second case pauses at 13:00 and is raised while paused: the one ended pause (11:00-12:00)
    # moves 14:00 to 15:00, and the open one holds the deadline there (no alert while paused)
    d = case(
        "Q",
        2,
        ev(t(10), "support_update"),
        ev(t(11), "status", status="waiting_on_customer"),
        ev(t(12), "customer_update"),
        ev(t(13), "status", status="waiting_on_customer"),
        ev(t(13, 30), "severity", severity=1),
    )
    seen, paused = checked([c, d], t(16))
    assert summary(seen) == ("in_progress", [("update #1", "breached", t(15, 30), None, H / 2, None, None)])
    assert (seen.severity, paused.severity, summary(paused)) == (1, 1, ("waiting_on_customer", []))
    # resumed at 15:30 (the customer writes): 15:00 + 2:30 paused -> 17:30; at 18:00 30 min late
    q = d.model_copy(update={"events": [*d.events, ev(t(15, 30), "customer_update")]})
    [resumed] = checked([q], t(18))
    assert summary(resumed) == (
        "in_progress",
        [("update #1", "breached", t(17, 30), None, H / 2, None, None)],
    )


def test_maker_wants_every_field_without_a_default() -> None:
    with pytest.raises(TypeError, match="no column for 'future_events'"):
        _maker(CaseCheck)(1, {"case_id": ["C-1"], "severity": [1], "status": [None], "alerts": [()]})
