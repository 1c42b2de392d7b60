"""The JSON Schema of policy files as a product: shipped, identified, and agreeing with the loader.

The property test generates policy documents that vary everything JSON Schema can see (field
names and types, duration text, clock names by their form, names, amounts, the two kinds
of named calendar, ``$schema``) and checks that the schema accepts exactly what
``Policy.from_dict`` accepts. What needs the whole policy (a named clock or severity being
defined, time zones, country codes, hours) is beyond a schema; the generator keeps those
valid (docs/policies.md, "JSON Schema").
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slocalc.errors import PolicyError
from slocalc.policies import RAPID7, Policy, schema_path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "policies").glob("*.*"))
VALIDATOR = jsonschema.Draft202012Validator(Policy.json_schema())


def schema_ok(doc: Any) -> bool:
    return VALIDATOR.is_valid(doc)


def loader_ok(doc: Any) -> bool:
    try:
        Policy.from_dict(doc)
    except PolicyError:
        return False
    return True


def test_the_shipped_file_is_the_schema() -> None:
    path = schema_path()
    assert path.is_file()
    assert (
        path.read_text(encoding="utf-8")
        == json.dumps(Policy.json_schema(), indent=2, ensure_ascii=False) + "\n"
    )
    jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))
    assert Policy.json_schema()["$id"] == "urn:slocalc:schema:policy:1"


def test_the_wheel_ships_it() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "policies/policy.schema.json" in config["tool"]["setuptools"]["package-data"]["slocalc"]


def test_slocalc_schema_prints_the_file() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "slocalc", "schema"], capture_output=True, text=True, check=True, env=None
    ).stdout
    assert out == schema_path().read_text(encoding="utf-8")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_policies_validate(path: Path) -> None:
    data = json.loads(path.read_text()) if path.suffix == ".json" else tomllib.loads(path.read_text())
    VALIDATOR.validate(json.loads(json.dumps(data, default=str)))
    VALIDATOR.validate(Policy.from_file(path).to_dict())


def minimal(**targets: Any) -> dict[str, Any]:
    return {"name": "t", "severities": [{"level": 1, "targets": {"initial_response": "2 hours", **targets}}]}


@pytest.mark.parametrize(
    ("doc", "ok"),
    [
        (minimal(update="3 days"), False),  # ambiguous: the schema used to accept it
        (minimal(update="+4 hours"), True),  # the schema used to refuse it
        (minimal(update="4 Business Hours"), True),
        (minimal(update="3 business days on follow_the_sun"), False),
        (minimal(update={"amount": 3, "unit": "business_days", "clock": "24x7"}), False),
        (minimal(update="0 hours"), False),
        ({**minimal(), "$schema": "./policy.schema.json"}, True),
        ({**minimal(), "$schema": 3}, False),
        ({**minimal(), "calendars": {"tokyo": {"tz": "Asia/Tokyo", "union": ["x"]}}}, False),
        (
            {**minimal(), "tiers": {"premium": {"severities": {"1": {"initial_response": "30 minutes"}}}}},
            True,
        ),
        ({**minimal(), "tiers": {"premium": {"severities": {"one": {}}}}}, False),
    ],
)
def test_known_disagreements_are_fixed(doc: dict[str, Any], ok: bool) -> None:
    assert schema_ok(doc) is ok
    assert loader_ok(doc) is ok


def test_rapid7_validates() -> None:
    VALIDATOR.validate(RAPID7.to_dict())


# -- the property -----------------------------------------------------------------------------

GOOD_AMOUNTS = ["4", "+4", "04", "1"]
BAD_AMOUNTS = ["0", "-4", "+0", "1.5", ".5", "four"]
SPACES = [" ", "  ", "\t"]
GOOD_WORDS = ["hours", "hour", "Hours", "business hours", "BUSINESS  HOURS", "minutes", "business minute"]
DAY_WORDS = ["business days", "business day", "Calendar Days", "calendar days"]
BAD_WORDS = ["days", "day", "hrs", "weeks", "calendar hours"]
METRICS = ["update", "resolution", "next_reply", "First Reply", "next-reply"]


@st.composite
def clocks(draw: st.DrawFn, centers: list[str]) -> str:
    good = [
        "24x7",
        "customer",
        "follow_the_sun",
        "tokyo",
        "calendar:tokyo",
        *(f"center:{c}" for c in centers),
    ]
    bad = ["Tokyo", "center:", "calendar:Tokyo", "24X7", "on tokyo", "a b"]
    return draw(st.sampled_from(bad if rare(draw) else good))


_MUTATING = [True]


def rare(draw: st.DrawFn) -> bool:
    """A mutation, drawn now and then in a document that mutates at all (half of them)."""
    return _MUTATING[0] and draw(st.sampled_from([False] * 7 + [True]))


@st.composite
def durations(draw: st.DrawFn, centers: list[str]) -> Any:
    if draw(st.booleans()):
        amount = draw(st.sampled_from(BAD_AMOUNTS if rare(draw) else GOOD_AMOUNTS))
        words = draw(st.sampled_from(BAD_WORDS if rare(draw) else GOOD_WORDS + DAY_WORDS))
        text = amount + draw(st.sampled_from(SPACES)) + words
        if draw(st.booleans()):
            text += draw(st.sampled_from([" ON "] if rare(draw) else [" on ", " on  "])) + draw(
                clocks(centers)
            )
        if draw(st.booleans()):
            text = draw(st.sampled_from(["", " ", "\t"])) + text + draw(st.sampled_from(["", " ", "\n"]))
        return text
    out: dict[str, Any] = {
        "amount": draw(st.sampled_from([0, -1, "4", 4.5, True] if rare(draw) else [4, 1])),
        "unit": draw(
            st.sampled_from(
                ["hour", "weeks"] if rare(draw) else ["hours", "minutes", "business_days", "calendar_days"]
            )
        ),
        "clock": draw(clocks(centers)),
    }
    if rare(draw):
        del out[draw(st.sampled_from(["amount", "unit", "clock"]))]
    if rare(draw):
        out["note"] = "x"
    return out


@st.composite
def target_maps(draw: st.DrawFn, centers: list[str], *, initial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if initial:
        out["initial_response"] = draw(durations(centers))
    metrics = METRICS if rare(draw) else ["update", "resolution", "next_reply", "agent_work"]
    for metric in draw(st.lists(st.sampled_from(metrics), max_size=2, unique=True)):
        out[metric] = draw(durations(centers))
    return out


CALENDAR_VARIANTS: list[Any] = [
    {"tz": "Asia/Tokyo", "hours": "Mon-Fri 10:00-16:00"},
    {"union": ["tokyo"]},
    {"union": ["tokyo", "center:boston"]},
    {"union": []},
    {"union": "tokyo"},
    {"tz": "Asia/Tokyo", "union": ["tokyo"]},
    {},
    {"tz": "Asia/Tokyo", "holidays": ["2026-12-24", "2026-12-31"]},
    {"tz": "Asia/Tokyo", "holidays": ["US", "MA"]},
    {"tz": "Asia/Tokyo", "holidays": ["US", "MA", "X"]},
    {"tz": "Asia/Tokyo", "holidays": []},
    {"tz": "Asia/Tokyo", "holidays": 3},
    {"tz": "Asia/Tokyo", "overrides": {"2026-12-24": "closed"}},
    {"tz": "Asia/Tokyo", "overrides": {"xmas": "closed"}},
    {"tz": "Asia/Tokyo", "overrides": {"2026-12-24": 3}},
    {"tz": "Asia/Tokyo", "colour": 1},
    {"tz": 9},
]


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    _MUTATING[0] = draw(st.booleans())
    centers = ["boston", "singapore"]
    doc["name"] = 3 if rare(draw) else "p"
    if draw(st.integers(0, 3)) == 0:
        variant = draw(
            st.sampled_from(
                [
                    {"tokyo": {"name": "Tokyo", "tz": "Asia/Tokyo", "hours": "Mon-Fri 09:00-18:00"}},
                    {"tokyo": {"name": "", "tz": "Asia/Tokyo"}},
                    {"tokyo": {"tz": "Asia/Tokyo"}},
                    {"Tokyo": {"name": "Tokyo", "tz": "Asia/Tokyo"}},
                    {},
                ]
            )
        )
        doc["centers"] = variant
        centers = [k for k in variant if k == "tokyo"] or ["tokyo"]
    calendars: dict[str, Any] = {
        "tokyo": {"tz": "Asia/Tokyo", "hours": "Mon-Fri 09:00-18:00", "holidays": "JP"}
    }
    if draw(st.booleans()):
        name = draw(st.sampled_from(["osaka", "Osaka", "customer", "calendar", "o2"]))
        calendars[name] = draw(st.sampled_from(CALENDAR_VARIANTS))
        if draw(st.booleans()):
            name = "osaka"
            calendars[name] = {"tz": "Asia/Tokyo"}
    doc["calendars"] = calendars
    levels = draw(st.lists(st.sampled_from([1, 2, 3]), min_size=1, max_size=3, unique=True))
    severities: list[dict[str, Any]] = []
    for level in levels:
        sev: dict[str, Any] = {"level": level, "targets": draw(target_maps(centers, initial=True))}
        if rare(draw):
            sev["level"] = draw(st.sampled_from(["1", -1, True, 1.5]))
        if draw(st.booleans()):
            sev["name"] = 3 if rare(draw) else "High"
        severities.append(sev)
    doc["severities"] = severities
    if draw(st.booleans()):
        doc["targets"] = draw(target_maps(centers, initial=False))
    if draw(st.booleans()):
        tier: dict[str, Any] = {}
        key = draw(st.sampled_from(["x", "-1"])) if rare(draw) else str(levels[0])
        tier["severities"] = {key: draw(target_maps(centers, initial=False))}
        if draw(st.booleans()):
            tier["clocks"] = (
                draw(st.sampled_from([{"customer": "Tokyo"}, {"Customer": "tokyo"}]))
                if rare(draw)
                else {"customer": "tokyo"}
            )
        if draw(st.booleans()):
            tier["targets"] = draw(target_maps(centers, initial=False))
        doc["tiers"] = {
            draw(st.sampled_from(["Premium", "follow_the_sun"])) if rare(draw) else "premium": tier
        }
    if draw(st.booleans()):
        doc["lifecycle"] = draw(
            st.sampled_from(
                [
                    {"severity_change": "restart"},
                    {"severity_change": "reset"},
                    {"reopen_window": "never"},
                    {"reopen_window": "30 calendar days"},
                    {"reopen_window": "3 days"},
                    {"auto_close_after": None},
                    {"statuses": ["open", "in_progress", "reopened", "Waiting"]},
                ]
            )
        )
    extra = draw(
        st.sampled_from(
            [("$schema", 3), ("colour", "red")] if rare(draw) else [None, ("$schema", "./p.json")]
        )
    )
    if extra:
        doc[extra[0]] = extra[1]
    return doc


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(doc=documents())
def test_schema_accepts_exactly_what_the_loader_accepts(doc: dict[str, Any]) -> None:
    assert schema_ok(doc) == loader_ok(doc), [e.message for e in VALIDATOR.iter_errors(doc)]
    if loader_ok(doc):
        VALIDATOR.validate(Policy.from_dict(doc).to_dict())
