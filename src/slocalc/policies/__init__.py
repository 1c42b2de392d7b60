"""Policies: a support organisation's promises as data.

A :class:`Policy` maps each severity to :class:`Target` s (an amount of a unit on a
clock), adds policy-wide targets, and carries the :class:`Lifecycle` rules of case
statuses. Policies are frozen, hashable pydantic models, read from and written to TOML
and JSON files, with a JSON Schema for editors. :data:`RAPID7` is the support guidebook.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from slocalc.policies import RAPID7, Customer
>>> sydney = Customer(tz="Australia/Sydney", country="AU", subdiv="NSW")
>>> opened = datetime(2026, 11, 20, 16, 0, tzinfo=ZoneInfo("Australia/Sydney"))  # a Friday
>>> RAPID7.due(2, "initial_response", opened, sydney).isoformat()
'2026-11-23T11:00:00+11:00'
"""

from slocalc.policies._base import FrozenMap
from slocalc.policies._calendars import CalendarSpec, CenterSpec
from slocalc.policies._clock import CLOCKS, GUIDEBOOK, Clocks, clock_calendar
from slocalc.policies._customer import DEFAULT_HOURS, Customer
from slocalc.policies._deadline import Deadline
from slocalc.policies._duration import UNITS, Unit, format_duration, parse_duration
from slocalc.policies._lifecycle import STATUSES, Lifecycle
from slocalc.policies._metrics import BUILTIN_METRICS, MetricDef
from slocalc.policies._policy import INITIAL_RESPONSE, UPDATE, Policy, Severity
from slocalc.policies._schema import schema_path
from slocalc.policies._target import Target
from slocalc.policies._tiers import Tier
from slocalc.policies.rapid7 import RAPID7

__all__ = [
    "BUILTIN_METRICS",
    "CLOCKS",
    "DEFAULT_HOURS",
    "GUIDEBOOK",
    "INITIAL_RESPONSE",
    "RAPID7",
    "STATUSES",
    "UNITS",
    "UPDATE",
    "CalendarSpec",
    "CenterSpec",
    "Clocks",
    "Customer",
    "Deadline",
    "FrozenMap",
    "Lifecycle",
    "MetricDef",
    "Policy",
    "Severity",
    "Target",
    "Tier",
    "Unit",
    "clock_calendar",
    "format_duration",
    "parse_duration",
    "schema_path",
]
