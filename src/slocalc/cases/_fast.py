"""Building cases fast: plain checks on the common shapes, pydantic for everything else.

``Case.model_validate`` costs about a fifth of a millisecond a case (a pydantic pass with
Python validators on every event, and a fresh :class:`~slocalc.policies.Customer` per
case). :class:`CaseBuilder` builds the same :class:`~slocalc.cases.Case` from the common
shape of an export (ISO 8601 text with ``Z`` or an offset, plain ``int`` severities, string
fields) with dictionary checks and ``datetime.fromisoformat``, shares one ``Customer`` per
distinct customer and one ``Event`` per distinct event, and hands anything it does not
accept, valid or not, to ``Case.model_validate``: so the result, or the error and its
message, is always the one full validation gives (see docs/scaling.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from pydantic import ValidationError
from pydantic_core import TzInfo

from slocalc._time import to_us
from slocalc._validation import MAX_WHOLE
from slocalc.cases._models import EVENT_KINDS, KIND_CODES, Case, Event, arrange
from slocalc.errors import SlocalcError
from slocalc.policies import Customer

__all__ = ["CaseBuilder"]

#: the instants the fast path parses itself: pydantic and ``fromisoformat`` agree on these
_INSTANT: Final = re.compile(
    r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d"
    r"(?::[0-5]\d(?:\.\d{6}|\.\d{3})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)\Z",
    re.ASCII,
)
_STATUS: Final = re.compile(r"[a-z][a-z0-9_]*\Z", re.ASCII)
_CASE_KEYS: Final = frozenset({"id", "severity", "opened_at", "customer", "events"})
_CUSTOMER_KEYS: Final = frozenset({"tz", "country", "subdiv", "hours"})
_EVENT_KEYS: Final = frozenset({"at", "kind", "status", "severity"})
_KINDS: Final = frozenset(EVENT_KINDS)
#: one string object per kind name, shared by every event built (equal names compare by
#: identity first: the columnar replay's code lookups are cheaper, and the cases smaller)
_KIND_NAMES: Final[dict[str, str]] = {kind: kind for kind in EVENT_KINDS}
#: the caches are cleared when they reach this size (memory stays bounded)
_CACHE_LIMIT: Final = 1 << 16


class _RejectError(Exception):
    """The fast path does not take this input (it may still be valid)."""


class CaseBuilder:
    """Builds :class:`Case` objects from mappings, as ``Case.model_validate`` would.

    >>> builder = CaseBuilder()
    >>> case = builder.build({"id": "C-1", "severity": 2, "opened_at": "2026-03-02T09:00:00Z",
    ...                       "customer": {"tz": "Europe/Berlin"},
    ...                       "events": [{"at": "2026-03-02T10:00:00Z", "kind": "support_update"}]})
    >>> case == Case.model_validate({"id": "C-1", "severity": 2, "opened_at": "2026-03-02T09:00:00Z",
    ...     "customer": {"tz": "Europe/Berlin"},
    ...     "events": [{"at": "2026-03-02T10:00:00Z", "kind": "support_update"}]})
    True
    """

    def __init__(self) -> None:
        self._zones: dict[str, TzInfo] = {"Z": TzInfo(0)}
        self._instants: dict[str, tuple[datetime, datetime, int]] = {}
        self._customers: dict[tuple[tuple[str, object], ...], Customer] = {}
        self._events: dict[tuple[object, ...], tuple[Event, datetime, int, int, str | None, int | None]] = {}
        #: one string object per status name (as :data:`_KIND_NAMES`)
        self._statuses: dict[str, str] = {}
        #: one fields-set object per order of keys, shared by the models built (frozen:
        #: pydantic never changes it; a copy gets its own); fewer objects for the collector
        self._fields_sets: dict[tuple[str, ...], set[str]] = {}

    def build(self, data: object) -> Case:
        """The case ``data`` describes.

        Raises:
            TimelineError: (or another :class:`~slocalc.errors.SlocalcError`) exactly as
                ``Case.model_validate(data)`` raises it.
        """
        if isinstance(data, Mapping):
            try:
                return self._fast(data)
            except _RejectError:
                pass  # the model validates it and words any error (numbers as text included)
        return Case.model_validate(data)

    # -- the fast path ----------------------------------------------------------------------

    def _instant(self, value: object) -> tuple[datetime, datetime, int]:
        """``value`` as pydantic gives it, and the same instant in UTC and in UTC microseconds."""
        if type(value) is str:
            cached = self._instants.get(value)
            if cached is not None:
                return cached
            if not _INSTANT.match(value):
                raise _RejectError
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                raise _RejectError from None
            suffix = "Z" if value[-1] == "Z" else value[-6:]
            zone = self._zones.get(suffix)
            if zone is None:
                offset = parsed.utcoffset()
                assert offset is not None  # the pattern requires an offset
                zone = self._zones[suffix] = TzInfo(int(offset.total_seconds()))
            utc = parsed.astimezone(UTC)
            triple = parsed.replace(tzinfo=zone), utc, to_us(utc)
            if len(self._instants) >= _CACHE_LIMIT:
                self._instants.clear()
            self._instants[value] = triple
            return triple
        if type(value) is datetime and value.tzinfo is not None and value.utcoffset() is not None:
            utc = value.astimezone(UTC)
            return value, utc, to_us(utc)
        raise _RejectError

    def _customer(self, data: object) -> Customer:
        if type(data) is not dict or "tz" not in data or not data.keys() <= _CUSTOMER_KEYS:
            raise _RejectError
        key = tuple(data.items())
        if any(type(v) is not str for _, v in key):
            raise _RejectError
        customer = self._customers.get(key)
        if customer is None:
            try:
                customer = Customer.model_validate(data)
            except (SlocalcError, ValidationError, ValueError, KeyError):
                raise _RejectError from None  # the full validation words the error
            if len(self._customers) >= _CACHE_LIMIT:
                self._customers.clear()
            self._customers[key] = customer
        return customer

    def _event(self, data: object) -> tuple[Event, datetime, int, int, str | None, int | None]:
        """The event ``data`` describes, its instant in UTC and in UTC microseconds, its kind's
        code, its status and its severity."""
        if type(data) is not dict:
            raise _RejectError
        size = len(data)
        at, kind = data.get("at"), data.get("kind")
        # only hashable values of the exact types a cached event came from are looked up
        # (True == 1 and 1.0 == 1 must not find the event of severity 1)
        if size == 2:  # {"at", "kind"}: support and customer updates, the commonest shape
            status = severity = None
            cacheable = type(at) is str and type(kind) is str
        else:
            status, severity = data.get("status"), data.get("severity")
            cacheable = (
                type(at) is str
                and type(kind) is str
                and (status is None or type(status) is str)
                and (severity is None or type(severity) is int)
            )
        key = (at, kind, status, severity, size)
        if cacheable:
            hit = self._events.get(key)
            if hit is not None:
                return hit
        if at is None or type(kind) is not str or kind not in _KINDS:
            raise _RejectError
        if size == 2:  # both keys found: exactly "at" and "kind"
            if kind == "status" or kind == "severity":
                raise _RejectError
        elif not data.keys() <= _EVENT_KEYS:
            raise _RejectError
        elif kind == "status":
            if type(status) is not str or not _STATUS.match(status) or "severity" in data:
                raise _RejectError
        elif kind == "severity":
            if type(severity) is not int or "status" in data or not -MAX_WHOLE <= severity <= MAX_WHOLE:
                raise _RejectError  # the model words it (a number too large, say)
        else:
            raise _RejectError  # an update with a status or severity: the model words it
        aware, utc, us = self._instant(at)
        kind = _KIND_NAMES[kind]
        if status is not None:
            if len(self._statuses) >= _CACHE_LIMIT:
                self._statuses.clear()
            status = self._statuses.setdefault(status, status)
        values = {"at": aware, "kind": kind, "status": status, "severity": severity}
        found = (
            _trusted(Event, values, self._fields_set(data), None),
            utc,
            us,
            KIND_CODES[kind],
            status,
            severity,
        )
        if cacheable:
            if len(self._events) >= _CACHE_LIMIT:
                self._events.clear()
            self._events[key] = found
        return found

    def _fields_set(self, data: dict[str, Any]) -> set[str]:
        """The fields set of a model built from ``data`` (whose keys were checked: a few
        orders of a few names), one object for each order of keys."""
        keys = tuple(data)
        found = self._fields_sets.get(keys)
        if found is None:
            found = self._fields_sets[keys] = set(keys)
        return found

    def _fast(self, data: Mapping[str, object]) -> Case:
        if type(data) is not dict or not data.keys() <= _CASE_KEYS or len(data) < 4:
            raise _RejectError
        case_id, severity = data.get("id"), data.get("severity")
        if type(case_id) is not str or type(severity) is not int or not -MAX_WHOLE <= severity <= MAX_WHOLE:
            raise _RejectError
        raw_events = data.get("events", ())
        if type(raw_events) is not list and type(raw_events) is not tuple:
            raise _RejectError
        opened_at, opened, opened_us = self._instant(data.get("opened_at"))
        customer = self._customer(data.get("customer"))
        event = self._event
        events, utcs, us, kinds, statuses, levels = (
            zip(*map(event, raw_events), strict=True) if raw_events else ((), (), (), (), (), ())
        )
        if utcs and min(utcs) < opened:
            raise _RejectError  # an event before opened_at: the model words the error
        values = {
            "id": case_id,
            "severity": severity,
            "opened_at": opened_at,
            "customer": customer,
            "events": events,
        }
        # the timeline the replay reads (docs/cases.md), as ``timeline_of`` computes it
        replay = arrange(
            (events, opened_at, opened, opened_us), list(utcs), list(us), (bytes(kinds), statuses, levels)
        )
        case: Case = _trusted(Case, values, self._fields_set(data), {"_replay": replay})
        return case


_set: Final = object.__setattr__


def _trusted(cls: Any, values: dict[str, Any], fields_set: set[str], private: dict[str, Any] | None) -> Any:
    """An instance of the model ``cls`` from values this module checked: what pydantic's
    ``model_construct`` makes (``__dict__``, the fields set, no extra, the private
    attributes), set directly, several times cheaper (see docs/scaling.md)."""
    obj = cls.__new__(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", private)
    return obj
