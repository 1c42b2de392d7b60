"""Fuzz the public library entry points with hostile input (issue 18; docs/limits.md).

Calendar constructors and every scalar calendar operation with extreme instants (every UTC
offset, the ends of ``datetime``), durations and day counts; ``Policy.from_dict`` /
``from_json`` / ``from_toml`` with byte-level mutations of valid documents; ``Case`` and
``Event`` from mutated data. Each example must either answer or raise a
:class:`~slocalc.errors.SlocalcError`, and finish within :data:`DEADLINE` (Hypothesis'
deadline: the bounded-work guarantee of docs/limits.md, with room for a cold compile on a
busy machine).

The default ``ci`` profile (tests/conftest.py) runs 100 examples per test, about 30 s in all;
``HYPOTHESIS_PROFILE=nightly python -m pytest tests/test_fuzz_library.py`` runs 2,000 each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slocalc import ALWAYS, NEVER, BusinessCalendar, RecurringCalendar
from slocalc.cases import Case, Event
from slocalc.errors import SlocalcError
from slocalc.policies import Policy

#: the most one example may take (a cold 100-year compile is ~1-2 s)
DEADLINE = timedelta(seconds=20)

fuzz = settings(deadline=DEADLINE, suppress_health_check=[HealthCheck.too_slow])

CALENDARS = [
    ALWAYS,
    NEVER,
    BusinessCalendar(tz="America/New_York", hours="Mon-Fri 09:00-17:00"),
    BusinessCalendar(tz="Asia/Kolkata", hours="Mon-Sat 22:00-06:00"),
    BusinessCalendar(tz="Australia/Lord_Howe", hours="Mon-Fri 08:00-12:00,13:00-17:00"),
    RecurringCalendar(
        "FREQ=MONTHLY;BYDAY=2TU",
        start=datetime(2026, 1, 13, 22, 0, tzinfo=ZoneInfo("Europe/London")),
        duration=timedelta(hours=4),
        tz="Europe/London",
    ),
]
CALENDARS.append(CALENDARS[2] | CALENDARS[3])
CALENDARS.append(CALENDARS[2] - CALENDARS[5])

ZONES = [
    UTC,
    timezone(timedelta(hours=14)),
    timezone(timedelta(hours=-14)),
    timezone(timedelta(hours=5, minutes=45)),
    ZoneInfo("America/New_York"),
    ZoneInfo("Pacific/Kiritimati"),
]

#: instants: anywhere in ``datetime``'s range, near its ends, or near today
instants = st.one_of(
    st.datetimes(timezones=st.sampled_from(ZONES)),
    st.sampled_from([datetime.min, datetime.max]).flatmap(  # noqa: DTZ901 - made aware below
        lambda edge: st.sampled_from(ZONES).map(lambda z: edge.replace(tzinfo=z))
    ),
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.sampled_from(ZONES)
    ),
)
durations = st.one_of(
    st.timedeltas(),
    st.sampled_from([timedelta.max, timedelta.min, timedelta(days=8000 * 365), -timedelta(days=3000 * 365)]),
    st.timedeltas(min_value=timedelta(days=-3 * 366), max_value=timedelta(days=3 * 366)),
)
day_counts = st.one_of(
    st.integers(),
    st.sampled_from([10**9, -(10**9), 2**63, 10**50]),
    st.integers(min_value=-2000, max_value=2000),
)
calendars = st.sampled_from(CALENDARS)


def answers_or_refuses(fn: Callable[[], Any]) -> None:
    """Run ``fn``: any exception must be a SlocalcError (the only assertion of this suite)."""
    try:
        result = fn()
        if hasattr(result, "__next__"):
            for _ in zip(range(3), result, strict=False):
                pass
    except SlocalcError:
        pass


@fuzz
@given(cal=calendars, t=instants, u=instants, d=durations, n=day_counts)
def test_calendar_operations(cal: BusinessCalendar, t: datetime, u: datetime, d: timedelta, n: int) -> None:
    answers_or_refuses(lambda: cal.is_open(t))
    answers_or_refuses(lambda: cal.next_open(t))
    answers_or_refuses(lambda: cal.next_close(t))
    answers_or_refuses(lambda: cal.add(t, d))
    answers_or_refuses(lambda: cal.between(t, u))
    answers_or_refuses(lambda: cal.intervals(t, u))
    if hasattr(cal, "add_days"):
        answers_or_refuses(lambda: cal.add_days(t, n))
        answers_or_refuses(lambda: cal.days_between(t, u))
        answers_or_refuses(lambda: cal.is_business_date(t.date()))


HOURS = ["Mon-Fri 09:00-17:00", "Fri-Mon 22:00-06:00; Sat closed", "closed", "Mon-Sun 00:00-24:00"]
RULES = [
    "FREQ=WEEKLY;BYDAY=TU",
    "FREQ=MONTHLY;BYDAY=2TU",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=MINUTELY;INTERVAL=15",
]


def mutated(valid: list[str]) -> st.SearchStrategy[str]:
    """Valid texts, and the same with characters replaced, inserted or dropped."""

    def mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
        for kind, pos, ch in edits:
            i = pos % (len(text) + 1)
            text = (
                (text[:i] + ch + text[i + 1 :])
                if kind == 0
                else (text[:i] + ch + text[i:])
                if kind == 1
                else (text[:i] + text[i + 1 :])
            )
        return text

    edit = st.tuples(st.integers(0, 2), st.integers(0, 10_000), st.characters())
    return st.one_of(st.text(), st.builds(mutate, st.sampled_from(valid), st.lists(edit, max_size=4)))


@fuzz
@given(
    tz=st.one_of(st.sampled_from(["UTC", "Europe/Dublin", "Asia/Kolkata"]), st.text(max_size=40)),
    hours=mutated(HOURS),
    holidays=st.sampled_from([None, "US", "IE", ("US", "MA"), "XX", "", ("GB", "ZZ")]),
    overrides=st.dictionaries(
        st.dates(), st.one_of(mutated(["closed", "10:00-12:00"]), st.integers()), max_size=3
    ),
    t=instants,
)
def test_business_calendar_constructor(
    tz: str, hours: str, holidays: Any, overrides: dict[date, Any], t: datetime
) -> None:
    def build_and_ask() -> Any:
        cal = BusinessCalendar(tz=tz, hours=hours, holidays=holidays, overrides=overrides)
        return cal.next_open(t)

    answers_or_refuses(build_and_ask)


@fuzz
@given(
    rule=mutated(RULES),
    start=instants,
    duration=durations,
    tz=st.sampled_from(["UTC", "Europe/London", "Pacific/Chatham"]),
    t=instants,
)
def test_recurring_calendar_constructor(
    rule: str, start: datetime, duration: timedelta, tz: str, t: datetime
) -> None:
    def build_and_ask() -> Any:
        cal = RecurringCalendar(rule, start=start, duration=duration, tz=tz)
        return cal.next_open(t), cal.between(t, t + timedelta(days=30)) if t.year < 9999 else None

    answers_or_refuses(build_and_ask)


POLICY = {
    "name": "fuzz",
    "targets": {"initial_response": "8 business hours"},
    "severities": [
        {"level": 1, "name": "Critical", "targets": {"initial_response": "1 hour", "update": "4 hours"}},
        {"level": 2, "name": "High", "targets": {"initial_response": "2 business days"}},
    ],
}
POLICY_JSON = json.dumps(POLICY)
POLICY_TOML = """name = "fuzz"

[targets]
initial_response = "8 business hours"

[[severities]]
level = 1
name = "Critical"
targets = { initial_response = "1 hour", update = "4 hours" }

[[severities]]
level = 2
name = "High"
targets = { initial_response = "2 business days" }
"""


def byte_mutated(valid: str) -> st.SearchStrategy[str]:
    """``valid`` with a few bytes replaced, inserted or dropped, decoded with replacement."""

    def mutate(edits: list[tuple[int, int, int]]) -> str:
        data = bytearray(valid.encode())
        for kind, pos, byte in edits:
            i = pos % (len(data) + 1)
            if kind == 0 and i < len(data):
                data[i] = byte
            elif kind == 1:
                data.insert(i, byte)
            elif i < len(data):
                del data[i]
        return data.decode("utf-8", errors="replace")

    return st.builds(
        mutate,
        st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=8
        ),
    )


@fuzz
@given(text=byte_mutated(POLICY_JSON))
def test_policy_from_json_mutated(text: str) -> None:
    answers_or_refuses(lambda: Policy.from_json(text))


@fuzz
@given(text=byte_mutated(POLICY_TOML))
def test_policy_from_toml_mutated(text: str) -> None:
    answers_or_refuses(lambda: Policy.from_toml(text))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=10,
)


@fuzz
@given(
    path=st.sampled_from(["name", "targets", "severities", "hours", "x"]),
    value=json_values,
    level=st.one_of(st.integers(), st.just(10**5000), st.floats(), st.text(max_size=5)),
    target=st.one_of(mutated(["4 hours", "2 business days", "999999999 calendar days"]), json_values),
)
def test_policy_from_dict_hostile(path: str, value: Any, level: Any, target: Any) -> None:
    doc = json.loads(POLICY_JSON)
    doc[path] = value
    answers_or_refuses(lambda: Policy.from_dict(doc))
    doc = json.loads(POLICY_JSON)
    doc["severities"][0]["level"] = level
    doc["severities"][1]["targets"]["initial_response"] = target
    answers_or_refuses(lambda: Policy.from_dict(doc))


@fuzz
@given(
    case_id=st.one_of(st.text(max_size=10), json_values),
    severity=st.one_of(st.integers(), st.just(10**5000), st.just(-(10**5000)), json_values),
    opened_at=st.one_of(
        instants,
        instants.map(lambda t: t.isoformat()),
        st.datetimes(),
        mutated(
            ["2026-03-02T09:00:00+01:00", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59.999999-14:00"]
        ),
        json_values,
    ),
    kind=st.one_of(
        st.sampled_from(["support_update", "customer_update", "status", "severity"]), st.text(max_size=10)
    ),
    at=st.one_of(instants, st.datetimes(), json_values),
    extra=st.dictionaries(st.sampled_from(["status", "severity", "note", "x"]), json_values, max_size=2),
)
def test_case_and_event_construction(
    case_id: Any, severity: Any, opened_at: Any, kind: Any, at: Any, extra: dict[str, Any]
) -> None:
    answers_or_refuses(lambda: Event(kind=kind, at=at, **extra))
    answers_or_refuses(
        lambda: Case.model_validate(
            {
                "id": case_id,
                "severity": severity,
                "opened_at": opened_at,
                "customer": {"tz": "UTC"},
                "events": [{"kind": kind, "at": at, **extra}],
            }
        )
    )
