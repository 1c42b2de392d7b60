"""The fast case builder agrees with ``Case.model_validate``: same case, or the same error.

Differential over the testing module's ``cases()`` strategy (as JSON text and as Python
values) and over mutations of valid case mappings, which exercise every reason the fast
path has to hand a mapping to full validation.
"""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slocalc.cases import Case
from slocalc.cases._fast import CaseBuilder
from slocalc.cases._readers import case_from_dict
from slocalc.errors import SlocalcError, TimelineError
from slocalc.testing import cases


def _outcome(build: Any, data: object) -> tuple[str, object]:
    try:
        case = build(copy.deepcopy(data))
    except SlocalcError as exc:
        return "error", (type(exc), str(exc))
    return "case", case


def _agree(data: object, builder: CaseBuilder | None = None) -> None:
    builder = builder or CaseBuilder()
    fast = _outcome(builder.build, data)
    full = _outcome(Case.model_validate, data)
    assert fast[0] == full[0], (data, fast, full)
    if fast[0] == "case":
        a, b = fast[1], full[1]
        assert isinstance(a, Case)
        assert isinstance(b, Case)
        assert a == b
        assert repr(a) == repr(b)
        assert a.model_dump(mode="json") == b.model_dump(mode="json")
        # the tzinfo objects are the ones pydantic makes (reports keep the case's tzinfo)
        assert [repr(e.at) for e in a.events] == [repr(e.at) for e in b.events]
        assert repr(a.opened_at) == repr(b.opened_at)
        assert a.model_fields_set == b.model_fields_set
        assert [e.model_fields_set for e in a.events] == [e.model_fields_set for e in b.events]
        assert pickle.loads(pickle.dumps(a)) == b
    else:
        assert fast == full


@given(cases(shuffle=True))
def test_fast_path_agrees_on_the_testing_strategy_as_json(case: Case) -> None:
    _agree(json.loads(case.model_dump_json()))


@given(cases())
def test_fast_path_agrees_on_the_testing_strategy_as_python_values(case: Case) -> None:
    _agree(case.model_dump(exclude_unset=True))


_SAMPLE: dict[str, Any] = {
    "id": "C-1",
    "severity": 2,
    "opened_at": "2026-03-02T09:00:00Z",
    "customer": {"tz": "Europe/Berlin", "country": "DE", "subdiv": "BY"},
    "events": [
        {"at": "2026-03-02T10:00:00+01:00", "kind": "support_update"},
        {"at": "2026-03-02T10:00:00+01:00", "kind": "status", "status": "waiting_on_customer"},
        {"at": "2026-03-03T08:30:00Z", "kind": "customer_update"},
        {"at": "2026-03-04T12:00:00Z", "kind": "severity", "severity": 1},
    ],
}

#: values that are valid, invalid, or valid but outside the fast path's shapes
_ODD_VALUES: list[object] = [
    None,
    True,
    1,
    1.0,
    "1",
    "",
    [],
    {},
    "2026-03-02T09:00:00",
    "2026-03-02T09:00Z",
    "2026-03-02T09:00:00.5Z",
    "2026-03-02T09:00:00.123Z",
    "2026-03-02T09:00:00.123456Z",
    "2026-03-02T09:00:00.1234567Z",
    "2026-03-02T09:00:00z",
    "2026-03-02 09:00:00Z",
    "2026-03-02T09:00:00-00:00",
    "2026-03-02T09:00:00+23:59",
    "2026-03-02T09:00:00+24:00",
    "2026-03-02T24:00:00Z",
    "2026-03-02T23:59:60Z",
    "2026-02-30T09:00:00Z",
    "2026-03-02T09:00:00+0530",
    "2026-03-02T09:00:00+05:30",
    "20260302T090000Z",
    "1772442000",
    "2026-03-02",
    "2026-03-01T09:00:00Z",  # before the opening when used for an event
    "closed",
    "closed\n",
    "Closed",
    "status",
    "support_update",
    "suport_update",
    "Europe/Berlin",
    "Mars/Olympus",
    "XX",
    "Mon-Fri 09:00-17:00",
    "Mon-Fry 09:00-17:00",
    "C-2",
]


def _paths(data: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_paths(value, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_paths(value, (*path, i)))
    return out


@st.composite
def _mutants(draw: st.DrawFn) -> object:
    data = copy.deepcopy(_SAMPLE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        if not path:
            continue
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        action = draw(st.sampled_from(["set", "delete", "extra"]))
        if action == "delete":
            del parent[key]
        elif action == "extra" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["bogus", "status", "severity", "at", "kind", "tz"]))] = draw(
                st.sampled_from(_ODD_VALUES)
            )
        else:
            parent[key] = draw(st.sampled_from(_ODD_VALUES))
    return data


@given(_mutants())
def test_fast_path_agrees_on_mutated_cases(data: object) -> None:
    _agree(data)


@given(st.lists(_mutants(), min_size=2, max_size=6))
def test_one_builder_agrees_across_many_cases(datas: list[object]) -> None:
    """Its caches (instants, customers, events) never let one case leak into the next."""
    builder = CaseBuilder()
    for data in [*datas, _SAMPLE, *datas]:
        _agree(data, builder)


def test_cached_event_is_not_found_for_a_bool_or_float_severity() -> None:
    builder = CaseBuilder()
    good = copy.deepcopy(_SAMPLE)
    assert builder.build(good).events[3].severity == 1
    for odd in (True, 1.0):
        bad = copy.deepcopy(_SAMPLE)
        bad["events"][3]["severity"] = odd
        with pytest.raises(SlocalcError, match="severity"):
            builder.build(bad)


def test_case_from_dict_hand_worked() -> None:
    case = case_from_dict(copy.deepcopy(_SAMPLE))
    assert case.id == "C-1"
    assert case.opened_at.isoformat() == "2026-03-02T09:00:00+00:00"
    assert [e.at.isoformat() for e in case.events] == [
        "2026-03-02T10:00:00+01:00",
        "2026-03-02T10:00:00+01:00",
        "2026-03-03T08:30:00+00:00",
        "2026-03-04T12:00:00+00:00",
    ]
    assert [e.kind for e in case.events] == ["support_update", "status", "customer_update", "severity"]
    assert case.events[1].status == "waiting_on_customer"
    assert case.customer.subdiv == "BY"


@pytest.mark.parametrize("where", ["case", "event"])
def test_severity_beyond_the_model_range_is_refused_as_the_model_refuses_it(where: str) -> None:
    # 2**63 - 1 is the largest whole number a model takes; the fast path used to accept any int
    data: dict[str, object] = {
        "id": "C-1",
        "severity": 2,
        "opened_at": "2026-03-02T09:00:00Z",
        "customer": {"tz": "UTC"},
    }
    if where == "case":
        data["severity"] = 10**30
        expected = (
            "case 'C-1': severity: expected a whole number such as 2, got a whole number with about 31 digits"
        )
    else:
        data["events"] = [{"at": "2026-03-02T10:00:00Z", "kind": "severity", "severity": -(2**63)}]
        expected = (
            "case 'C-1': events[0] at '2026-03-02T10:00:00Z': severity: expected a whole number such as 2, "
            "got a whole number with about 20 digits"
        )
    with pytest.raises(TimelineError) as info:
        CaseBuilder().build(data)
    assert str(info.value) == expected


def test_built_events_share_one_string_per_kind_and_status() -> None:
    """Equal kind and status names of the events a builder makes are one string object."""
    from slocalc.cases._fast import CaseBuilder

    builder = CaseBuilder()
    # the names made afresh for each case, as parsing a line makes them
    cases = [
        builder.build(
            {
                "id": f"C-{n}",
                "severity": 2,
                "opened_at": "2026-03-02T09:00:00Z",
                "customer": {"tz": "UTC"},
                "events": [
                    {"at": f"2026-03-02T1{n}:00:00Z", "kind": "".join(["support_", "update"])},
                    {
                        "at": f"2026-03-02T1{n}:30:00Z",
                        "kind": "".join(["sta", "tus"]),
                        "status": "".join(["wait", "ing_on_customer"]),
                    },
                ],
            }
        )
        for n in range(3)
    ]
    assert len({id(c.events[0].kind) for c in cases}) == 1
    assert len({id(c.events[1].kind) for c in cases}) == 1
    assert len({id(c.events[1].status) for c in cases}) == 1
    assert [c.events[1].status for c in cases] == ["waiting_on_customer"] * 3
