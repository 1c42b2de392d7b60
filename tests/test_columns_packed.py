"""A validated case's timeline as plain values (``Packed``) and the columns joined from them.

A case carries, from when it is built (by the model's validation or by ``CaseBuilder``), its
timeline as UTC microseconds, kind codes, status names, severities and the sorted positions;
``columns_from_cases`` joins a batch's instead of reading every event again. Hand-worked
values first (expected microseconds counted by hand from 1970), then what makes a batch go
the other way (a case copied with other events, built without validation, an instant of a
datetime subclass), pickling, and a Hypothesis property: the joined columns equal the plain
ones (:func:`tests.test_columns_build.reference`) for every batch the bulk tests draw.
"""

from __future__ import annotations

import pickle
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from tests.test_columns_build import BATCHES, assert_same, reference

import slocalc.cases._columns as columns_module
from slocalc.cases import Case, Event, case_from_dict, check
from slocalc.cases._models import timeline_of
from slocalc.policies import RAPID7, Customer
from slocalc.testing import cases as case_strategy

#: 1970-01-02T00:00Z: one day of 86,400 s
DAY_US = 86_400 * 1_000_000
HOUR_US = 3_600 * 1_000_000
OPENED = datetime(1970, 1, 2, tzinfo=UTC)
PLUS_1 = timezone(timedelta(hours=1))


def packed(case: Case) -> Any:
    return case.__pydantic_private__["_replay"][4]  # type: ignore[index]


def data() -> dict[str, Any]:
    """A case of five events given out of order, in two offsets."""
    return {
        "id": "C-1",
        "severity": 2,
        "opened_at": "1970-01-02T00:00:00Z",
        "customer": {"tz": "UTC"},
        "events": [
            {"at": "1970-01-02T03:00:00+01:00", "kind": "status", "status": "in_progress"},  # 02:00Z
            {"at": "1970-01-02T01:00:00Z", "kind": "support_update"},
            {"at": "1970-01-02T02:00:00Z", "kind": "severity", "severity": 1},  # ties with the first
            {"at": "1970-01-02T04:30:00Z", "kind": "customer_update"},
            {"at": "1970-01-02T05:00:00+01:00", "kind": "status", "status": "waiting_on_customer"},  # 04:00Z
        ],
    }


#: the sorted timeline of :func:`data`: given positions 1, 0, 2 (a tie: given order), 4, 3
WANT = (
    DAY_US,
    [
        DAY_US + HOUR_US,
        DAY_US + 2 * HOUR_US,
        DAY_US + 2 * HOUR_US,
        DAY_US + 4 * HOUR_US,
        DAY_US + 9 * HOUR_US // 2,
    ],
    [0, 2, 3, 2, 1],  # support_update, status, severity, status, customer_update
    ("in_progress", "waiting_on_customer"),
    (1,),
    [1, 0, 2, 4, 3],
)


def unpacked(p: Any) -> tuple[Any, ...]:
    opened, at, kind, statuses, levels, index = p
    return (
        opened,
        np.frombuffer(at, "<i8").tolist(),
        list(kind),
        statuses,
        levels,
        None if index is None else np.frombuffer(index, "<i4").tolist(),
    )


@pytest.mark.parametrize("build", [Case.model_validate, case_from_dict], ids=["model", "builder"])
def test_a_case_carries_its_timeline_as_plain_values(build: Any) -> None:
    case = build(data())
    assert unpacked(packed(case)) == WANT


def test_the_builder_and_the_model_give_equal_cases() -> None:
    a, b = Case.model_validate(data()), case_from_dict(data())
    assert a == b
    assert packed(a) == packed(b)


def test_a_timeline_in_the_given_order_has_no_positions() -> None:
    d = data()
    d["events"] = [d["events"][1], d["events"][0], d["events"][2]]  # 01:00Z, 02:00Z, 02:00Z
    p = packed(case_from_dict(d))
    assert unpacked(p) == (
        DAY_US,
        [DAY_US + HOUR_US, *[DAY_US + 2 * HOUR_US] * 2],
        [0, 2, 3],
        ("in_progress",),
        (1,),
        None,
    )


def test_a_case_without_events() -> None:
    d = data()
    d["events"] = []
    assert unpacked(packed(case_from_dict(d))) == (DAY_US, [], [], (), (), None)
    cols = columns_module._packed_columns(np, [case_from_dict(d)], None)
    assert cols is not None
    assert cols.first.tolist() == [0, 0]
    assert cols.at.tolist() == []


def test_the_joined_columns() -> None:
    a = case_from_dict(data())
    d = data()
    d.update(id="C-2", opened_at="1970-01-02T01:00:00+01:00", events=d["events"][3:])  # 00:00Z again
    b = case_from_dict(d)
    cols = columns_module._packed_columns(np, [a, b], [7, 9])
    assert cols is not None
    assert cols.first.tolist() == [0, 5, 7]
    assert cols.opened.tolist() == [DAY_US, DAY_US]
    assert cols.at.tolist() == [*WANT[1], DAY_US + 4 * HOUR_US, DAY_US + 9 * HOUR_US // 2]
    assert cols.kind.tolist() == [*WANT[2], 2, 1]
    assert cols.statuses == ["in_progress", "waiting_on_customer"]
    assert cols.status.tolist() == [-1, 0, -1, 1, -1, 1, -1]
    assert cols.level.tolist() == [0, 0, 1, 0, 0, 0, 0]
    assert cols.index.tolist() == [1, 0, 2, 4, 3, 1, 0]
    assert len(cols.zones) == 2  # "Z" and +01:00: two tzinfos
    assert cols.zone.tolist() == [0, 1]
    assert cols.lines == [7, 9]
    assert_same(replace(cols, lines=None), reference([a, b]))


def test_a_case_copied_with_other_events_is_read_from_its_events() -> None:
    case = case_from_dict(data())
    later = Event(at=OPENED + timedelta(hours=7), kind="support_update")
    copied = case.model_copy(update={"events": (later,)})  # keeps the private values of ``case``
    assert packed(copied) == packed(case)
    assert columns_module._packed_columns(np, [case, copied], None) is None
    cols = columns_module.columns_from_cases([case, copied])
    assert cols.at.tolist()[5:] == [DAY_US + 7 * HOUR_US]
    assert_same(cols, reference([case, copied]))


def test_a_case_copied_with_another_opening_is_read_from_its_events() -> None:
    case = case_from_dict(data())
    copied = case.model_copy(update={"opened_at": OPENED - timedelta(hours=1)})
    assert columns_module._packed_columns(np, [copied], None) is None
    cols = columns_module.columns_from_cases([copied])
    assert cols.opened.tolist() == [DAY_US - HOUR_US]
    assert_same(cols, reference([copied]))


def test_a_case_built_without_validation_is_read_from_its_events() -> None:
    valid = Case.model_validate(data())
    raw = Case.model_construct(**dict(valid))
    assert columns_module._packed_columns(np, [valid, raw], None) is None
    assert_same(columns_module.columns_from_cases([valid, raw]), reference([valid, raw]))


def test_datetime_subclasses_carry_no_plain_values() -> None:
    t = pd.Timestamp("1970-01-02T01:00:00.000001500Z")  # nanoseconds below the microsecond
    case = Case(id="C-1", severity=2, opened_at=OPENED, customer=Customer(tz="UTC"),
                events=[Event(at=t, kind="support_update")])  # fmt: skip
    if type(case.events[0].at) is datetime:
        pytest.skip("this pydantic gives plain datetimes")
    assert packed(case) is None
    cols = columns_module.columns_from_cases([case])
    assert cols.at.tolist() == [DAY_US + HOUR_US + 1]
    assert_same(cols, reference([case]))


def test_a_pickled_case_is_equal_and_joins_the_same() -> None:
    case = case_from_dict(data())
    again = pickle.loads(pickle.dumps(case))
    assert again == case
    assert packed(again) == packed(case)
    cols = columns_module._packed_columns(np, [again], None)
    assert cols is not None
    assert_same(cols, reference([again]))


def test_check_is_the_same_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    d = data()
    d["severity"] = 3
    cases = [case_from_dict({**d, "id": f"C-{k}"}) for k in range(3)]
    now = OPENED + timedelta(days=3)
    joined = check(cases, RAPID7, now=now)
    monkeypatch.setattr(columns_module, "_packed_columns", lambda *args: None)
    assert check(cases, RAPID7, now=now) == joined
    assert [a.case_id for a in joined] == ["C-0", "C-1", "C-2"] * (len(joined) // 3)


@pytest.mark.parametrize("build", [Case.model_validate, case_from_dict], ids=["model", "builder"])
def test_the_timeline_is_made_from_the_plain_values(build: Any) -> None:
    case = build(data())
    assert case.__pydantic_private__["_replay"][3] is None  # type: ignore[index]  # no tuples kept
    opened, timeline = timeline_of(case)
    assert opened == OPENED
    hours = [1, 2, 2, 4, 4.5]
    assert [(utc, i) for utc, i, _ in timeline] == [
        (OPENED + timedelta(hours=h), i) for h, i in zip(hours, WANT[5], strict=True)
    ]
    assert all(utc.tzinfo is UTC for utc, _, _ in timeline)
    assert [ev for _, i, ev in timeline] == [case.events[i] for i in WANT[5]]
    assert all(ev is case.events[i] for _, i, ev in timeline)


def test_the_builder_shares_one_fields_set_per_order_of_keys() -> None:
    d = data()
    a, b = case_from_dict(d), case_from_dict({**d, "id": "C-2"})
    assert a.model_fields_set == {"id", "severity", "opened_at", "customer", "events"}
    assert a.model_fields_set is b.model_fields_set
    assert a.events[0].model_fields_set == {"at", "kind", "status"}
    assert a.events[0].model_fields_set is a.events[4].model_fields_set  # both status events
    copied = a.model_copy(update={"id": "C-3"})
    assert copied.model_fields_set is not a.model_fields_set
    assert a.model_fields_set == {"id", "severity", "opened_at", "customer", "events"}


@given(case_strategy(max_events=8, shuffle=True))
def test_the_timeline_is_the_sorted_events(case: Case) -> None:
    # plainly: each instant in UTC, sorted by it, ties in the given order (a stable sort)
    want = sorted(((e.at.astimezone(UTC), i, e) for i, e in enumerate(case.events)), key=lambda t: t[0])
    for built in (case, case_from_dict(case.model_dump())):
        opened, timeline = timeline_of(built)
        assert opened == case.opened_at.astimezone(UTC)
        assert [(utc, i, e) for utc, i, e in timeline] == want
        assert all(utc.tzinfo is UTC and utc.fold == 0 for utc, _, _ in timeline)


@given(BATCHES)
def test_same_as_the_plain_columns(batch: list[Case]) -> None:
    cols = columns_module._packed_columns(np, batch, None)
    if not batch:
        assert cols is None
        return
    assert cols is not None  # every drawn case is validated, with plain datetimes
    assert_same(cols, reference(batch))
