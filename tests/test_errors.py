"""The exception tree: structured fields, one suggestion style, exact pickling of every class."""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime
from typing import Any

import pytest

import slocalc.errors as errors
from slocalc.cases import Case
from slocalc.errors import (
    CalendarSpecError,
    MissingExtraError,
    NaiveDatetimeError,
    NaiveTimelineError,
    NoBusinessTimeError,
    PolicyError,
    SlocalcError,
    SlocalcTypeError,
    SlocalcValueError,
    TimelineError,
    UnknownTimezoneError,
    describe,
    did_you_mean,
    suggest,
)
from slocalc.policies import Customer, Policy

NAIVE = datetime(2026, 3, 2, 10, 0)

#: one instance of every error class, built the ways the library builds them
SAMPLES: list[SlocalcError] = [
    SlocalcError("plain message"),
    NaiveDatetimeError("start", NAIVE),
    NaiveDatetimeError("start", NAIVE, "Europe/Berlin"),
    UnknownTimezoneError("Europe/Berln", ["Europe/Berlin"]),
    UnknownTimezoneError("Nowhere"),
    CalendarSpecError("hours 'x': bad"),
    NoBusinessTimeError("never opens"),
    PolicyError("severity: no severity 4", [("severity", "no severity 4")]),
    PolicyError(problems=[("amount", "must be a positive whole number, got 0")], what="target"),
    SlocalcTypeError(param="customer", value="Berlin", expected="a Customer"),
    SlocalcValueError(param="by", value="zone", expected="some of severity, metric", suggestions=["metric"]),
    MissingExtraError("pip install 'slocalc[pandas]'"),
    TimelineError("case 'C-1': bad"),
    TimelineError("2 problems: ...", [("events[0].kind", "kind 'x' is unknown"), ("events[1]", "bad")]),
    NaiveTimelineError("events[2].at", NAIVE),
]


def raised() -> list[SlocalcError]:
    """Errors as the library raises them (built by the validation layer)."""
    out: list[SlocalcError] = []
    for bad in (
        lambda: Policy.from_dict(
            {"name": "x", "severities": [{"level": 1, "targets": {"update": "3 days"}}]}
        ),
        lambda: Customer(tz="Europe/Berln"),
        lambda: Customer(tz="UTC", country="XX"),
        lambda: Case(id="C-1", severity=2, opened_at=NAIVE, customer=Customer(tz="UTC")),
        lambda: Case(id="C-1", severity=2, opened_at=datetime(2026, 3, 2, tzinfo=UTC), customer=None),
        lambda: Case(id="C-1", severity="2", opened_at=NAIVE, customer=None),
    ):
        with pytest.raises(SlocalcError) as info:
            bad()
        out.append(info.value)
    return out


def state(error: BaseException) -> tuple[Any, ...]:
    return (type(error), error.args, str(error), vars(error))


def test_every_error_class_is_sampled() -> None:
    classes = {
        obj for obj in vars(errors).values() if isinstance(obj, type) and issubclass(obj, SlocalcError)
    }
    assert classes == {type(e) for e in SAMPLES}


@pytest.mark.parametrize("error", [*SAMPLES, *raised()], ids=lambda e: type(e).__name__)
def test_pickles_and_copies_exactly(error: SlocalcError) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(error, protocol))
        assert state(back) == state(error)
    assert state(copy.deepcopy(error)) == state(error)


@pytest.mark.parametrize("error", [*SAMPLES, *raised()], ids=lambda e: type(e).__name__)
def test_fields_are_declared(error: SlocalcError) -> None:
    assert isinstance(error.message, str)
    assert str(error) == error.message
    assert isinstance(error.suggestions, tuple)
    if isinstance(error, (PolicyError, TimelineError)):
        assert isinstance(error.problems, tuple)
        assert all(isinstance(p, str) and isinstance(m, str) for p, m in error.problems)


def test_messages_from_fields() -> None:
    e = SlocalcTypeError(param="customer", value="Berlin", expected="a Customer")
    assert str(e) == "customer: expected a Customer, got str 'Berlin'"
    assert (e.param, e.value, e.expected, e.suggestions) == ("customer", "Berlin", "a Customer", ())
    e = SlocalcValueError(param="unit", value="hour", expected="hours or minutes", suggestions=["hours"])
    assert str(e) == "unit: expected hours or minutes, got str 'hour'; did you mean 'hours'?"
    assert str(SlocalcValueError(param="n", value=None)) == "n: got None"
    e = UnknownTimezoneError("BST", ["Europe/London", "Europe/Belfast"])
    assert str(e) == "unknown time zone 'BST'; did you mean 'Europe/London' or 'Europe/Belfast'?"
    assert (e.param, e.value, e.suggestions) == ("tz", "BST", ("Europe/London", "Europe/Belfast"))
    assert isinstance(e, KeyError)
    e = NaiveDatetimeError("start", NAIVE)
    assert (e.param, e.value, e.expected) == ("start", NAIVE, "an aware datetime")
    n = NaiveTimelineError("events[2].at", NAIVE)
    assert n.problems == (("events[2].at", str(n).removeprefix("events[2].at: ")),)
    assert isinstance(n, TimelineError)
    assert isinstance(n, NaiveDatetimeError)
    p = PolicyError(problems=[("a", "x"), ("b", "y")], what="policy")
    assert str(p) == "invalid policy (2 problems):\n  a: x\n  b: y"


def test_one_suggestion_style() -> None:
    assert did_you_mean("hour", ["hours", "minutes"]) == "; did you mean 'hours'?"
    assert suggest(["a", "b", "c"]) == "; did you mean 'a' or 'b' or 'c'?"
    assert suggest([]) == ""
    assert describe(None) == "None"
    assert describe("x" * 200).startswith("str 'xxx")
    assert describe("x" * 200).endswith("...")


def test_timeline_problems_are_declared_not_attached() -> None:
    assert TimelineError("x").problems == ()
    assert "problems" in vars(TimelineError("x"))
