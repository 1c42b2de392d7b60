"""Hypothesis strategies and invariants for property-testing code that computes SLAs.

Install with ``pip install 'slocalc[testing]'`` (it brings Hypothesis). Strategies:

* :func:`aware_datetimes`: instants weighted towards DST transitions and a calendar's
  opens and closes; :func:`zones`: IANA zones, awkward ones included;
* :func:`weekly_hours`, :func:`day_ranges`: strings of the hours grammar that parse;
* :func:`calendars`, :func:`unions`: business calendars with holidays and overrides;
* :func:`durations`: exact microsecond timedeltas;
* :func:`policies`, :func:`targets`, :func:`customers`: SLA policies and their parts;
* :func:`cases`: realistic case timelines, :func:`nows`: instants to evaluate them at.

:mod:`slocalc.testing.invariants` holds the engine's laws as assertion functions, and
:func:`transitions` lists a zone's UTC-offset changes.

>>> from hypothesis import given, settings
>>> from slocalc.testing import aware_datetimes, calendars, durations
>>> from slocalc.testing.invariants import assert_add_between_inverse
>>> @settings(max_examples=25, deadline=None)
... @given(calendars(), aware_datetimes(), durations())
... def test_deadlines(cal, t, d):
...     assert_add_between_inverse(cal, t, d)
>>> test_deadlines()
"""

from slocalc.errors import MissingExtraError

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise MissingExtraError(
        "slocalc.testing needs Hypothesis, which is not installed; "
        "install it with: pip install 'slocalc[testing]' (from a clone: pip install -e '.[testing]')"
    ) from exc

from slocalc.testing import invariants
from slocalc.testing._cases import CUSTOMER_COUNTRIES, cases, customers, nows, policies, targets
from slocalc.testing._kinds import (
    COLUMN_KINDS,
    DURATION_KINDS,
    INSTANT_KINDS,
    duration_kinds,
    instant_columns,
    instant_kinds,
)
from slocalc.testing._strategies import (
    AWKWARD_ZONES,
    HOLIDAY_COUNTRIES,
    ZONES,
    aware_datetimes,
    calendars,
    day_ranges,
    durations,
    unions,
    weekly_hours,
    zones,
)
from slocalc.testing._transitions import transitions
from slocalc.testing._types import register_types

register_types()

__all__ = [
    "AWKWARD_ZONES",
    "COLUMN_KINDS",
    "CUSTOMER_COUNTRIES",
    "DURATION_KINDS",
    "HOLIDAY_COUNTRIES",
    "INSTANT_KINDS",
    "ZONES",
    "aware_datetimes",
    "calendars",
    "cases",
    "customers",
    "day_ranges",
    "duration_kinds",
    "durations",
    "instant_columns",
    "instant_kinds",
    "invariants",
    "nows",
    "policies",
    "targets",
    "transitions",
    "unions",
    "weekly_hours",
    "zones",
]
