"""Policy files: TOML and JSON round trips of every shipped policy, snapshots, JSON Schema."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from slocalc.policies import RAPID7, Policy

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "policies"
SHIPPED_FILES = sorted(EXAMPLES.glob("*.toml")) + sorted(EXAMPLES.glob("*.json"))


def shipped() -> list[object]:
    out: list[object] = [pytest.param(RAPID7, id="RAPID7")]
    out += [pytest.param(Policy.from_file(p), id=p.name) for p in SHIPPED_FILES]
    return out


def test_the_examples_are_there() -> None:
    names = {p.name for p in SHIPPED_FILES}
    assert {"rapid7.toml", "rapid7.json", "four_level.toml", "follow_the_sun.toml"} <= names


@pytest.mark.parametrize("policy", shipped())
def test_toml_round_trip(policy: Policy) -> None:
    text = policy.to_toml()
    again = Policy.from_toml(text)
    assert again == policy
    assert hash(again) == hash(policy)
    assert again.to_toml() == text  # writing is deterministic


@pytest.mark.parametrize("policy", shipped())
def test_json_round_trip(policy: Policy) -> None:
    text = policy.to_json()
    again = Policy.from_json(text)
    assert again == policy
    assert again.to_json() == text
    assert Policy.from_json(policy.to_json(indent=None)) == policy


@pytest.mark.parametrize("policy", shipped())
def test_cross_format_round_trip(policy: Policy) -> None:
    assert Policy.from_json(Policy.from_toml(policy.to_toml()).to_json()) == policy
    # the TOML and JSON forms carry the same data
    assert tomllib.loads(policy.to_toml()) == json.loads(policy.to_json())


@pytest.mark.parametrize("policy", shipped())
def test_files_round_trip_through_disk(policy: Policy, tmp_path: Path) -> None:
    for suffix, text in ((".toml", policy.to_toml()), (".json", policy.to_json())):
        path = tmp_path / f"policy{suffix}"
        path.write_text(text, encoding="utf-8")
        assert Policy.from_file(path) == policy
        assert Policy.from_file(str(path)) == policy


def test_rapid7_snapshots() -> None:
    # examples/policies/rapid7.{toml,json} are RAPID7 written out: a change to the guidebook
    # policy shows up as a reviewable diff of these files.
    assert (EXAMPLES / "rapid7.toml").read_text(encoding="utf-8") == RAPID7.to_toml()
    assert (EXAMPLES / "rapid7.json").read_text(encoding="utf-8") == RAPID7.to_json()
    assert Policy.from_file(EXAMPLES / "rapid7.toml") == RAPID7


def test_wire_form_uses_text_durations() -> None:
    data = RAPID7.to_dict()
    assert data["severities"][0] == {
        "level": 1,
        "name": "Critical",
        "targets": {"initial_response": "2 hours", "update": "4 hours"},
    }
    assert data["severities"][1]["targets"] == {
        "initial_response": "4 business hours",
        "update": "3 business days",
    }
    assert data["targets"] == {"support_contact_change": "2 business days"}
    assert data["lifecycle"]["auto_close_after"] == "10 calendar days"


def test_structured_and_text_forms_are_equal() -> None:
    text = Policy.from_toml(
        'name = "p"\n[[severities]]\nlevel = 1\ntargets.initial_response = "4 business hours"\n'
    )
    structured = Policy.from_toml(
        'name = "p"\n[[severities]]\nlevel = 1\n'
        'targets.initial_response = { amount = 4, unit = "hours", clock = "customer" }\n'
    )
    assert text == structured


def test_never_round_trips() -> None:
    policy = Policy.from_toml(
        'name = "p"\n[lifecycle]\nauto_close_after = "never"\nreopen_window = "never"\n'
        '[[severities]]\nlevel = 1\ntargets.initial_response = "1 hour"\n'
    )
    assert policy.lifecycle.auto_close_after is None
    assert policy.lifecycle.reopen_window is None
    assert 'auto_close_after = "never"' in policy.to_toml()
    assert Policy.from_toml(policy.to_toml()) == policy
    assert Policy.from_json(policy.to_json()) == policy
    # JSON may also say null
    data = policy.to_dict()
    data["lifecycle"]["reopen_window"] = None
    assert Policy.from_dict(data) == policy


def test_toml_strings_are_escaped() -> None:
    policy = RAPID7.replace(name='Quote " backslash \\ tab \t del \x7f é', description="line\nbreak")
    assert Policy.from_toml(policy.to_toml()) == policy


def test_partial_lifecycle_keeps_guidebook_defaults() -> None:
    policy = Policy.from_toml(
        'name = "p"\n[lifecycle]\nseverity_change = "restart"\n'
        '[[severities]]\nlevel = 1\ntargets.initial_response = "1 hour"\n'
    )
    assert policy.lifecycle.severity_change == "restart"
    # every default is the guidebook's, except reopen_statuses: files that do not set it keep
    # reopening every closed status (their meaning before the field existed); RAPID7 lists two
    assert policy.lifecycle.reopen_statuses is None
    assert (
        policy.lifecycle.replace(severity_change="rebase", reopen_statuses=("closed", "closed_no_response"))
        == RAPID7.lifecycle
    )


def test_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + RAPID7.to_json().encode())
    assert Policy.from_file(path) == RAPID7


# ---- JSON Schema ------------------------------------------------------------------------------


def test_json_schema_shape() -> None:
    schema = Policy.json_schema()
    json.dumps(schema)  # serialisable
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Policy"
    assert schema["required"] == ["name", "severities"]
    assert schema["additionalProperties"] is False
    target = schema["$defs"]["Target"]
    text, table = target["anyOf"]
    assert text["type"] == "string"
    assert table["required"] == ["amount", "unit", "clock"]
    assert table["properties"]["amount"]["minimum"] == 1
    assert table["properties"]["unit"]["enum"] == ["hours", "minutes", "business_days", "calendar_days"]
    life = schema["$defs"]["Lifecycle"]["properties"]
    assert {"const": "never"} in life["auto_close_after"]["anyOf"]
    assert life["severity_change"]["enum"] == ["rebase", "restart"]
    # model docstrings are trimmed to their summary (no doctest examples in the schema)
    assert ">>>" not in json.dumps(schema)


def test_json_schema_text_pattern_accepts_canonical_durations() -> None:
    import re

    pattern = re.compile(Policy.json_schema()["$defs"]["Target"]["anyOf"][0]["pattern"])
    for policy in [RAPID7, *(Policy.from_file(p) for p in SHIPPED_FILES)]:
        for severity in policy.severities:
            for target in severity.targets.values():
                assert pattern.match(str(target))
    assert not pattern.match("3 weeks")
