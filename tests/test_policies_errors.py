"""Invalid policies: every problem is reported, with its field path, in one PolicyError.

Each message is pinned: it names the offending input and says what would be valid.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pydantic
import pytest

from slocalc.errors import (
    CalendarSpecError,
    NaiveDatetimeError,
    PolicyError,
    SlocalcError,
    SlocalcTypeError,
    UnknownTimezoneError,
)
from slocalc.policies import RAPID7, Customer, Lifecycle, Policy, Severity, Target

STATUS_LIST = (
    "open, in_progress, waiting_on_customer, solution_offered, in_engineering_backlog, closed, "
    "closed_no_response, closed_enhancement_request, reopened"
)
DURATION_EXAMPLES = "'4 business hours', '3 business days', '10 calendar days', '2 hours' or '30 minutes'"


def minimal() -> dict[str, Any]:
    return {"name": "t", "severities": [{"level": 1, "targets": {"initial_response": "2 hours"}}]}


def with_update(target: object) -> dict[str, Any]:
    data = minimal()
    data["severities"][0]["targets"]["update"] = target
    return data


def with_lifecycle(**fields: object) -> dict[str, Any]:
    data = minimal()
    data["lifecycle"] = fields
    return data


UPDATE = "severities[0].targets.update"

INVALID = [
    # -- the cases the issue lists ------------------------------------------------------------
    pytest.param(
        with_update({"amount": 4, "unit": "hours", "clock": "follow_the_moon"}),
        f"{UPDATE}.clock",
        "unknown clock 'follow_the_moon'; expected '24x7', 'customer', 'follow_the_sun' or "
        "'center:<key>' (e.g. 'center:boston'); did you mean 'follow_the_sun'?",
        id="unknown-clock",
    ),
    pytest.param(
        with_update("4 hours on center:bostn"),
        f"{UPDATE}.clock",
        "unknown support center 'bostn' in clock 'center:bostn'; expected one of belfast, dublin, "
        "boston, austin, los_angeles, singapore; did you mean 'center:boston'?",
        id="unknown-center",
    ),
    pytest.param(
        with_update({"amount": -4, "unit": "hours", "clock": "24x7"}),
        f"{UPDATE}.amount",
        "must be a positive whole number, got -4",
        id="negative-amount",
    ),
    pytest.param(
        with_update("0 hours"),
        f"{UPDATE}.amount",
        "must be a positive whole number, got 0",
        id="zero-amount-text",
    ),
    pytest.param(
        with_update({"amount": 4, "unit": "weeks", "clock": "24x7"}),
        f"{UPDATE}.unit",
        "unknown unit 'weeks'; expected one of hours, minutes, business_days, calendar_days",
        id="unknown-unit",
    ),
    pytest.param(
        with_update({"amount": 4, "unit": "hour", "clock": "24x7"}),
        f"{UPDATE}.unit",
        "unknown unit 'hour'; expected one of hours, minutes, business_days, calendar_days; "
        "did you mean 'hours'?",
        id="unknown-unit-close-match",
    ),
    pytest.param(
        with_update("4 hrs"),
        UPDATE,
        f"duration '4 hrs': unknown unit 'hrs'; expected e.g. {DURATION_EXAMPLES}; did you mean 'hours'?",
        id="unknown-unit-text",
    ),
    pytest.param(
        {"name": "t", "severities": [{"level": 1, "targets": {"update": "4 hours"}}]},
        "severities[0].targets",
        "severity 1 has no initial_response target; add one (or a policy-wide one under [targets])",
        id="no-initial-response",
    ),
    pytest.param(
        with_update("3 business days on follow_the_sun"),
        f"{UPDATE}.clock",
        "business_days needs a single-zone clock, 'customer' or 'center:<key>'; clock "
        "'follow_the_sun' will not do: a union of centers in several zones has no single local "
        "date (count hours instead, e.g. '72 hours on follow_the_sun')",
        id="business-days-on-union-clock",
    ),
    pytest.param(
        with_update({"amount": 3, "unit": "business_days", "clock": "24x7"}),
        f"{UPDATE}.clock",
        "business_days needs a single-zone clock, 'customer' or 'center:<key>'; clock '24x7' will "
        "not do: it is open around the clock in no zone of its own (count hours instead, e.g. "
        "'72 hours on 24x7')",
        id="business-days-on-24x7",
    ),
    pytest.param(
        with_update("10 calendar days on follow_the_sun"),
        f"{UPDATE}.clock",
        "calendar_days needs a single-zone clock, 'customer' or 'center:<key>'; clock "
        "'follow_the_sun' will not do: a union of centers in several zones has no single local "
        "date (count hours instead, e.g. '72 hours on follow_the_sun')",
        id="calendar-days-on-union-clock",
    ),
    pytest.param(
        {
            "name": "t",
            "severities": [
                {"level": 1, "targets": {"initial_response": "2 hours"}},
                {"level": 2, "targets": {"initial_response": "4 hours"}},
                {"level": 1, "targets": {"initial_response": "8 hours"}},
            ],
        },
        "severities[2].level",
        "duplicate severity 1 (also severities[0]); each level appears once",
        id="duplicate-severity",
    ),
    pytest.param(
        with_lifecycle(pause_statuses=["waiting_for_customer"]),
        "lifecycle.pause_statuses[0]",
        f"unknown status 'waiting_for_customer'; expected one of the lifecycle statuses ({STATUS_LIST}); "
        "did you mean 'waiting_on_customer'?",
        id="unknown-pause-status",
    ),
    pytest.param(
        with_lifecycle(
            stop_statuses=[
                "in_engineering_backlog",
                "resolved",
                "closed",
                "closed_no_response",
                "closed_enhancement_request",
            ]
        ),
        "lifecycle.stop_statuses[1]",
        f"unknown status 'resolved'; expected one of the lifecycle statuses ({STATUS_LIST}); "
        "did you mean 'reopened'?",
        id="unknown-stop-status",
    ),
    # -- more shapes of bad input ------------------------------------------------------------
    pytest.param(
        with_update("3 days"),
        UPDATE,
        "duration '3 days': 'days' is ambiguous; write '3 business days' or '3 calendar days'",
        id="ambiguous-days",
    ),
    pytest.param(
        with_update("1.5 hours"),
        UPDATE,
        "duration '1.5 hours': amounts are whole numbers; use a smaller unit, e.g. '90 minutes'",
        id="fractional-text",
    ),
    pytest.param(
        with_update({"amount": 2.5, "unit": "hours", "clock": "24x7"}),
        f"{UPDATE}.amount",
        "expected a whole number, got float 2.5; use a smaller unit for fractions, e.g. 90 minutes",
        id="fractional-amount",
    ),
    pytest.param(
        with_update({"amount": True, "unit": "hours", "clock": "24x7"}),
        f"{UPDATE}.amount",
        "expected a whole number, got bool True; use a smaller unit for fractions, e.g. 90 minutes",
        id="bool-amount",
    ),
    pytest.param(
        with_update("soon"),
        UPDATE,
        f"duration 'soon': expected '<whole number> <unit>', e.g. {DURATION_EXAMPLES}",
        id="not-a-duration",
    ),
    pytest.param(
        with_update(4),
        UPDATE,
        "expected a duration such as '4 business hours' or a table {amount, unit, clock}, got int 4",
        id="target-wrong-type",
    ),
    pytest.param(
        with_update({"amount": 4, "unit": "hours"}),
        f"{UPDATE}.clock",
        "required; this field is missing",
        id="structured-target-without-clock",
    ),
    pytest.param(
        with_update({"amount": 4, "unit": "hours", "clock": "24x7", "note": "x"}),
        f"{UPDATE}.note",
        "unknown field 'note'; expected one of amount, unit, clock",
        id="unknown-target-field",
    ),
    pytest.param(
        with_update("4 hours on Customer"),
        f"{UPDATE}.clock",
        "unknown clock 'Customer'; expected '24x7', 'customer', 'follow_the_sun' or 'center:<key>' "
        "(e.g. 'center:boston'); did you mean 'customer'?",
        id="clock-case",
    ),
    pytest.param(
        {
            "name": "t",
            "severities": [{"level": 1, "targets": {"initial_response": "2 hours", "First Reply": "1 hour"}}],
        },
        "severities[0].targets['First Reply']",
        "metric 'First Reply': expected a lower_snake_case name such as 'initial_response'",
        id="bad-metric-name",
    ),
    pytest.param(
        {"name": "t", "severities": [{"level": -1, "targets": {"initial_response": "2 hours"}}]},
        "severities[0].level",
        "must be 0 or more, got -1",
        id="negative-level",
    ),
    pytest.param(
        {"name": "t", "severities": [{"level": "1", "targets": {"initial_response": "2 hours"}}]},
        "severities[0].level",
        "expected a whole number such as 1, got str '1'",
        id="level-as-string",
    ),
    pytest.param(
        {"name": "t", "severities": [{"level": 1, "nmae": "x", "targets": {"initial_response": "1 hour"}}]},
        "severities[0].nmae",
        "unknown field 'nmae'; expected one of level, name, targets; did you mean 'name'?",
        id="unknown-severity-field",
    ),
    pytest.param(
        {**minimal(), "severity_order": [1]},
        "severity_order",
        "unknown field 'severity_order'; expected one of name, description, severities, targets, "
        "lifecycle, calendars, centers, metric_definitions, tiers; did you mean 'severities'?",
        id="unknown-top-level-field",
    ),
    pytest.param(
        {"severities": minimal()["severities"]},
        "name",
        "required; this field is missing",
        id="missing-name",
    ),
    pytest.param(
        {"name": "t", "severities": []},
        "severities",
        "a policy needs at least one severity",
        id="no-severities",
    ),
    pytest.param(
        {"name": "t", "severities": 5},
        "severities",
        "expected a list, got int 5",
        id="severities-not-a-list",
    ),
    pytest.param(
        {**minimal(), "lifecycle": []},
        "lifecycle",
        "expected a table (a JSON object), got list []",
        id="lifecycle-not-a-table",
    ),
    pytest.param(
        with_lifecycle(severity_change="reset"),
        "lifecycle.severity_change",
        "'reset': expected 'rebase' or 'restart'",
        id="bad-severity-change",
    ),
    pytest.param(
        with_lifecycle(
            statuses=["open", "in_progress", "closed"],
            pause_statuses=[],
            stop_statuses=["closed"],
            closed_statuses=["closed"],
            auto_close_statuses=[],
            auto_close_to="closed",
        ),
        "lifecycle.statuses",
        "missing 'reopened'; every lifecycle needs open, in_progress, reopened (cases are opened, "
        "resumed and reopened into them)",
        id="required-status-missing",
    ),
    pytest.param(
        with_lifecycle(statuses=["open", "in_progress", "reopened", "closed"]),
        "lifecycle.pause_statuses",
        "the default list names 'waiting_on_customer', 'solution_offered', which statuses lacks; "
        "set pause_statuses explicitly",
        id="default-list-no-longer-fits",
    ),
    pytest.param(
        with_lifecycle(statuses=["open", "in_progress", "reopened", "open"]),
        "lifecycle.statuses[3]",
        "duplicate status 'open'",
        id="duplicate-status",
    ),
    pytest.param(
        with_lifecycle(statuses=["Open", "open", "in_progress", "reopened"]),
        "lifecycle.statuses[0]",
        "status 'Open': expected a lower_snake_case name such as 'in_progress'",
        id="bad-status-name",
    ),
    pytest.param(
        with_lifecycle(
            stop_statuses=["closed", "closed_no_response", "closed_enhancement_request", "solution_offered"]
        ),
        "lifecycle.stop_statuses[3]",
        "'solution_offered' is also a pause status; a status either pauses or stops the clocks",
        id="pause-and-stop",
    ),
    pytest.param(
        with_lifecycle(
            closed_statuses=[
                "closed",
                "closed_no_response",
                "closed_enhancement_request",
                "waiting_on_customer",
            ]
        ),
        "lifecycle.closed_statuses[3]",
        "'waiting_on_customer' must also be a stop status: a closed case runs no update clock",
        id="closed-but-not-stop",
    ),
    pytest.param(
        with_lifecycle(auto_close_to="in_engineering_backlog"),
        "lifecycle.auto_close_to",
        "'in_engineering_backlog' is not one of the closed statuses (closed, closed_no_response, "
        "closed_enhancement_request)",
        id="auto-close-to-not-closed",
    ),
    pytest.param(
        with_lifecycle(reopen_window="ten days"),
        "lifecycle.reopen_window",
        f"duration 'ten days': expected '<whole number> <unit>', e.g. {DURATION_EXAMPLES}",
        id="bad-reopen-window",
    ),
]


@pytest.mark.parametrize(("data", "path", "message"), INVALID)
def test_invalid_policy(data: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(PolicyError, match=re.escape(f"\n  {path}: {message}")) as info:
        Policy.from_dict(data)
    assert (path, message) in info.value.problems
    assert not isinstance(info.value, pydantic.ValidationError)


def test_every_problem_is_listed_at_once() -> None:
    data = {
        "name": "bad",
        "colour": "red",
        "targets": {"support_contact_change": "2 business days on follow_the_sun"},
        "lifecycle": {"pause_statuses": ["waiting_for_customer"], "severity_change": "reset"},
        "severities": [
            {
                "level": 1,
                "targets": {
                    "initial_response": {"amount": 0, "unit": "hour", "clock": "follow_the_moon"},
                    "update": {"amount": 4, "unit": "business_days", "clock": "follow_the_sun"},
                },
            },
            {"level": 1, "targets": {"update": "4 hours on center:bostn"}},
        ],
    }
    with pytest.raises(PolicyError, match=r"^invalid policy \(11 problems\):\n") as info:
        Policy.from_dict(data)
    assert [path for path, _ in info.value.problems] == [
        "severities[0].targets.initial_response.amount",
        "severities[0].targets.initial_response.unit",
        "severities[0].targets.initial_response.clock",
        "severities[0].targets.update.clock",
        "severities[1].targets.update.clock",
        "targets.support_contact_change.clock",
        "lifecycle.severity_change",
        "lifecycle.pause_statuses[0]",
        "colour",
        "severities[1].level",
        "severities[1].targets",
    ]
    # the message has one line per problem, each "path: message"
    lines = str(info.value).splitlines()[1:]
    assert lines == [f"  {path}: {msg}" for path, msg in info.value.problems]


def test_direct_construction_raises_policy_error_too() -> None:
    with pytest.raises(PolicyError, match=r"^invalid target \(1 problem\):\n  amount: must be a positive"):
        Target(amount=0, unit="hours", clock="24x7")
    with pytest.raises(PolicyError, match=r"severities\[0\]\.targets\.initial_response: duration '2 dys'"):
        Policy(name="x", severities=[{"level": 1, "targets": {"initial_response": "2 dys"}}])
    with pytest.raises(PolicyError, match=r"^invalid severity \(1 problem\):\n  targets\.update: duration"):
        Severity(level=1, targets={"update": "3 days"})
    with pytest.raises(PolicyError, match=r"^invalid lifecycle \(1 problem\):\n  severity_change: "):
        Lifecycle(severity_change="never")  # type: ignore[arg-type]


def test_policy_error_is_a_value_error_and_slocalc_error() -> None:
    with pytest.raises(ValueError, match="invalid policy") as info:
        Policy.from_dict({"name": "x"})
    assert isinstance(info.value, SlocalcError)


# ---- files ------------------------------------------------------------------------------------


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text('name = "x"\nlevel = = 1\n', encoding="utf-8")
    with pytest.raises(PolicyError, match=r"p\.toml: not valid TOML: Invalid value \(at line 2, column 9\)$"):
        Policy.from_file(path)


def test_invalid_json_names_the_file_and_position(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"name": "x",\n "severities": [}', encoding="utf-8")
    with pytest.raises(PolicyError, match=r"p\.json: not valid JSON: Expecting value \(line 2, column 17\)"):
        Policy.from_file(path)


def test_duplicate_json_keys_are_refused() -> None:
    # JSON would silently keep the last one; a policy must not lose a figure that way.
    with pytest.raises(PolicyError, match=r"not valid JSON: duplicate key 'level' in one JSON object"):
        Policy.from_json('{"name": "x", "severities": [{"level": 1, "level": 2}]}')


def test_unknown_file_type(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: x\n", encoding="utf-8")
    with pytest.raises(
        PolicyError, match=r"p\.yaml: unknown policy file type '\.yaml'; expected \.toml or \.json"
    ):
        Policy.from_file(path)


def test_file_problems_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\n[[severities]]\nlevel = 1\ntargets.update = "4 hours"\n', encoding="utf-8")
    with pytest.raises(
        PolicyError,
        match=r"^invalid policy file '.*bad\.toml' \(1 problem\):\n  severities\[0\]\.targets: severity 1 has no",
    ):
        Policy.from_file(path)


def test_top_level_must_be_a_table() -> None:
    with pytest.raises(
        PolicyError, match=r"^invalid policy: expected a table \(a JSON object\) at the top, got list"
    ):
        Policy.from_json("[1, 2]")


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Policy.from_file(tmp_path / "nope.toml")


# ---- calls ------------------------------------------------------------------------------------

BERLIN = Customer(tz="Europe/Berlin", country="DE")
T0 = datetime(2026, 11, 20, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def test_due_unknown_severity() -> None:
    with pytest.raises(
        PolicyError, match=r"^severity: no severity 4 in policy 'Rapid7'; expected one of \(1, 2, 3\)$"
    ):
        RAPID7.due(4, "initial_response", T0, BERLIN)


def test_due_unknown_metric() -> None:
    with pytest.raises(
        PolicyError,
        match=r"^metric: no 'resolution' target for severity 2 in policy 'Rapid7'; it has "
        r"\('initial_response', 'update', 'support_contact_change'\)$",
    ):
        RAPID7.due(2, "resolution", T0, BERLIN)


def test_due_customer_clock_needs_a_customer() -> None:
    with pytest.raises(
        PolicyError, match=r"^customer: the 'customer' clock runs in the customer's zone; pass a Customer"
    ):
        RAPID7.due(2, "initial_response", T0)


def test_due_24x7_needs_no_customer() -> None:
    assert RAPID7.due(1, "initial_response", T0).isoformat() == "2026-11-20T17:00:00+01:00"


def test_due_refuses_naive_start() -> None:
    with pytest.raises(
        NaiveDatetimeError, match=r"^start: got naive datetime 2026-11-20 15:00:00; attach a zone"
    ):
        RAPID7.due(2, "initial_response", datetime(2026, 11, 20, 15, 0), BERLIN)


def test_due_refuses_a_non_customer() -> None:
    with pytest.raises(SlocalcTypeError, match=r"^customer: expected a Customer, got str 'Europe/Berlin'"):
        RAPID7.due(2, "initial_response", T0, "Europe/Berlin")  # type: ignore[arg-type]


def test_parse_refuses_non_text() -> None:
    with pytest.raises(SlocalcTypeError, match=r"^text: expected a duration string, got int 4"):
        Target.parse(4)  # type: ignore[arg-type]


def test_parse_bad_text() -> None:
    with pytest.raises(
        PolicyError, match=r"^invalid target \(1 problem\):\n  \(top level\): duration '4 parsecs'"
    ):
        Target.parse("4 parsecs")


# ---- customers --------------------------------------------------------------------------------


def test_customer_unknown_zone() -> None:
    with pytest.raises(
        UnknownTimezoneError, match=r"unknown time zone 'Europe/Berln'; did you mean 'Europe/Berlin'"
    ):
        Customer(tz="Europe/Berln")


def test_customer_unknown_country() -> None:
    with pytest.raises(CalendarSpecError, match=r"^holidays 'XX': unknown country code"):
        Customer(tz="UTC", country="XX")


def test_customer_unknown_subdivision() -> None:
    with pytest.raises(CalendarSpecError, match=r"^holidays \('US', 'XX'\): unknown subdivision for US"):
        Customer(tz="America/New_York", country="US", subdiv="XX")


def test_customer_subdivision_without_country() -> None:
    with pytest.raises(CalendarSpecError, match=r"^subdiv 'MA': a subdivision needs its country"):
        Customer(tz="America/New_York", subdiv="MA")


def test_customer_bad_hours() -> None:
    with pytest.raises(CalendarSpecError, match=r"^hours 'Mon-Fri 8-5': bad time range '8-5'"):
        Customer(tz="UTC", hours="Mon-Fri 8-5")


def test_customer_wrong_types_and_unknown_fields() -> None:
    with pytest.raises(
        PolicyError, match=r"^invalid customer \(1 problem\):\n  tz: expected a string, got int 5$"
    ):
        Customer(tz=5)  # type: ignore[arg-type]
    with pytest.raises(
        PolicyError, match=r"colour: unknown field 'colour'; expected one of tz, country, subdiv, hours"
    ):
        Customer(tz="UTC", colour="red")  # type: ignore[call-arg]
