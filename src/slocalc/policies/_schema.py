"""The JSON Schema of policy files: generated from the models, shipped as ``policy.schema.json``.

The schema checks what JSON Schema can: field names and types, duration text and clock
names by their form, lower_snake_case names, positive amounts, the two kinds of named
calendar. What needs the whole policy (that a clock, status or severity named is defined,
duplicate severities, an ``initial_response`` for every severity, time zones, country codes
and hours) only slocalc checks. See docs/policies.md, "JSON Schema".
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Final

from slocalc.policies._limits import MAX_AMOUNT

__all__ = ["SCHEMA_ID", "patch_schema", "schema_path"]

SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
#: the schema's identifier (a URN: the file is found with schema_path() or from the docs site)
SCHEMA_ID: Final = "urn:slocalc:schema:policy:1"
NAME_PATTERN: Final = r"^[a-z][a-z0-9_]*$"
#: a calendar, center or tier name: lower_snake_case, not a built-in clock's
FREE_NAME_PATTERN: Final = r"^(?!(?:customer|follow_the_sun|center|calendar)$)[a-z][a-z0-9_]*$"
DATE_PATTERN: Final = r"^\d{4}-\d{2}-\d{2}$"
_HOLIDAYS: Final = {
    "anyOf": [
        {"type": "string"},
        {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": DATE_PATTERN}},
        {
            "type": "array",
            "minItems": 1,
            "maxItems": 2,
            "items": {"type": "string", "not": {"pattern": DATE_PATTERN}},
        },
        {"type": "array", "maxItems": 0},
        {"type": "null"},
    ],
    "description": "A country code ('JP'), [country, subdivision] (['US', 'MA']) or a list of ISO dates.",
}


def schema_path() -> Path:
    """The path of the JSON Schema of policy files shipped with slocalc.

    Point an editor at it, or validate files with any JSON Schema validator (see
    docs/policies.md, "JSON Schema").

    >>> schema_path().name
    'policy.schema.json'
    """
    return Path(str(resources.files("slocalc.policies").joinpath("policy.schema.json")))


def _metric_map(node: dict[str, Any]) -> None:
    node["propertyNames"] = {"pattern": NAME_PATTERN}


def patch_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """pydantic's schema of :class:`Policy`, made to agree with the loader."""
    defs = schema["$defs"]
    props = schema["properties"]
    props["$schema"] = {"type": "string", "description": "The schema this file follows (ignored by slocalc)."}
    props["severities"]["minItems"] = 1
    _metric_map(props["targets"])
    # initial_response and update follow the case lifecycle: they cannot be redefined
    props["metric_definitions"]["propertyNames"] = {
        "pattern": NAME_PATTERN,
        "not": {"enum": ["initial_response", "update"]},
    }
    for key in ("calendars", "tiers"):
        props[key]["propertyNames"] = {"pattern": FREE_NAME_PATTERN}
    centers = props["centers"]["anyOf"][0]
    centers["propertyNames"] = {"pattern": FREE_NAME_PATTERN}
    centers["minProperties"] = 1
    _metric_map(defs["Severity"]["properties"]["targets"])
    tier = defs["Tier"]["properties"]
    _metric_map(tier["targets"])
    tier["severities"]["propertyNames"] = {"pattern": r"^[0-9]+$"}
    _metric_map(tier["severities"]["additionalProperties"])
    statuses = defs["Lifecycle"]["properties"]["statuses"]
    statuses["items"]["pattern"] = NAME_PATTERN
    structured = defs["Target"]["anyOf"][1]
    structured["if"] = {"properties": {"unit": {"enum": ["business_days", "calendar_days"]}}}
    structured["then"] = {"properties": {"clock": {"not": {"enum": ["24x7", "follow_the_sun"]}}}}
    # at most 100 years in its unit (docs/limits.md); duration text is checked by its form only
    structured["allOf"] = [
        {
            "if": {"properties": {"unit": {"const": unit}}},
            "then": {"properties": {"amount": {"maximum": limit}}},
        }
        for unit, limit in MAX_AMOUNT.items()
    ]
    for spec in ("CalendarSpec", "CenterSpec"):
        p = defs[spec]["properties"]
        p["holidays"] = dict(_HOLIDAYS)
        p["overrides"]["propertyNames"] = {"pattern": DATE_PATTERN}
    defs["CenterSpec"]["properties"]["name"]["pattern"] = r"\S"
    cal = defs["CalendarSpec"]
    cal["anyOf"] = [
        {"required": ["tz"], "properties": {"tz": {"type": "string"}, "union": {"type": "null"}}},
        {
            "required": ["union"],
            "properties": {
                "union": {"type": "array", "minItems": 1},
                "tz": {"type": "null"},
                "hours": {"type": "null"},
                "holidays": {"type": "null"},
                "overrides": {"maxProperties": 0},
            },
        },
    ]
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, **schema}
