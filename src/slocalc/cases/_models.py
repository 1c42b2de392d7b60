"""``Event`` and ``Case``: the input of a replay, validated once at construction.

Both are frozen pydantic models. Bad input never surfaces as a bare pydantic
``ValidationError``: constructing (or ``model_validate``-ing) a case with a bad event raises
:class:`~slocalc.errors.TimelineError` naming the event by index and time, and a naive
datetime raises :class:`NaiveTimelineError`, which is both a ``TimelineError`` and a
``NaiveDatetimeError``.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from operator import attrgetter
from typing import Annotated, Any, ClassVar, Final, Literal, Self, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from slocalc._time import from_us, to_us
from slocalc._validation import (
    Problem,
    StrictModel,
    format_path,
    invalid,
    naive,
    supported_instant,
    whole_number_in_range,
)
from slocalc.errors import NaiveTimelineError, SlocalcError, TimelineError, describe, did_you_mean
from slocalc.policies import STATUSES, Customer

__all__ = [
    "EVENT_KINDS",
    "KIND_CODES",
    "Case",
    "Event",
    "EventKind",
    "NaiveTimelineError",
    "Packed",
    "Timeline",
    "arrange",
    "timeline_of",
]

EventKind = Literal["support_update", "customer_update", "status", "severity"]
EVENT_KINDS: Final[tuple[str, ...]] = get_args(EventKind)
_STATUS_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _whole_number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(f"expected a whole number such as 2, got {describe(value)}")
    return whole_number_in_range(value, "a whole number such as 2")


#: a severity level: an ``int`` (not a bool, a float or a numeric string)
Level = Annotated[int, BeforeValidator(_whole_number)]


#: text that is only a number: never read as Unix time (pydantic would)
_NUMBER_TEXT = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _instant_input(value: object, info: ValidationInfo) -> object:
    if isinstance(value, (str, bytes)):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        if _NUMBER_TEXT.fullmatch(text):
            raise invalid(
                "expected an aware datetime (ISO 8601 with an offset, e.g. '2026-03-02T09:00:00+01:00'), "
                f"got {describe(value)}; a number as text is not read as Unix time"
            )
        return value
    if isinstance(value, datetime):
        return value
    raise invalid(
        "expected an aware datetime, or ISO 8601 text with an offset such as "
        f"'2026-03-02T09:00:00+01:00'; got {describe(value)}"
    )


#: an instant: a ``datetime`` or ISO 8601 text (not a number of seconds, not a date)
Instant = Annotated[datetime, BeforeValidator(_instant_input)]


def _show_time(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else repr(value)


def _field(data: object, name: str) -> object:
    if isinstance(data, BaseModel):
        return getattr(data, name, None)
    if isinstance(data, Mapping):
        return data.get(name)
    return None


def _line(problem: Problem, data: object, label: str) -> str:
    """One problem as a line naming the event by index and time: ``case 'C-1': events[2] at ...: ...``."""
    loc, message, rest = problem.loc, problem.message, problem.loc
    if len(loc) >= 2 and loc[0] == "events" and isinstance(loc[1], int):
        events = _field(data, "events")
        i = loc[1]
        event = events[i] if isinstance(events, Sequence) and 0 <= i < len(events) else None
        at = _field(event, "at")
        where = f"events[{i}]" if at is None else f"events[{i}] at {_show_time(at)}"
        rest = loc[2:]
    else:
        where = f"event at {_show_time(_field(data, 'at'))}" if label == "event" else ""
    if rest and not problem.named:
        message = f"{format_path(rest)}: {message}"
    prefix = label if label != "event" else ""
    head = f"{prefix}: {where}" if prefix and where else prefix or where
    return f"{head}: {message}" if head else message


def _worded(problem: Problem) -> Problem:
    """A naive-datetime problem with its message written out (``got naive datetime ...``)."""
    if not problem.naive:
        return problem
    text = str(NaiveTimelineError(problem.path, problem.value)).removeprefix(f"{problem.path}: ")
    return problem._replace(message=text)


def _timeline_error(problems: list[Problem], data: object, label: str) -> TimelineError:
    """One error for every problem, each line naming the event by index and time."""
    if len(problems) == 1 and problems[0].naive:
        return NaiveTimelineError(problems[0].path, problems[0].value)
    problems = [_worded(p) for p in problems]
    pairs = [(p.path, p.message) for p in problems]
    lines = [_line(p, data, label) for p in problems]
    if len(lines) == 1:
        return TimelineError(lines[0], pairs)
    return TimelineError(f"{len(lines)} problems:\n  " + "\n  ".join(lines), pairs)


class _TimelineModel(StrictModel):
    """Frozen, strict about unknown keys; bad input raises :class:`TimelineError`."""

    _label: ClassVar[Callable[[object], str]]

    @classmethod
    def _error(cls, problems: list[Problem], data: object) -> SlocalcError:
        return _timeline_error(problems, data, cls._label(data))


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise naive(value)
    return supported_instant(value)


class Event(_TimelineModel):
    """One thing that happened to a case.

    Args:
        at: when it happened (an aware datetime).
        kind: ``support_update`` (a public reply from support), ``customer_update``,
            ``status`` (give ``status=``) or ``severity`` (give ``severity=``).
        status: the new status, for ``kind="status"`` only.
        severity: the new severity, for ``kind="severity"`` only.

    Statuses are checked against the policy's lifecycle when the case is evaluated (a
    policy may define its own); here only their form (``lower_snake_case``) is.

    Raises:
        TimelineError: an unknown kind, a status that is not a status name, a status event
            without ``status``, a severity event without ``severity``, or a field that does
            not belong to the kind.
        NaiveTimelineError: ``at`` is naive.

    >>> from datetime import datetime, UTC
    >>> Event(at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), kind="status", status="in_progress")
    Event(at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc), kind='status', status='in_progress')
    >>> Event(at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), kind="suport_update")
    Traceback (most recent call last):
    ...
    slocalc.errors.TimelineError: event at 2026-03-02T09:00:00+00:00: kind 'suport_update' is unknown; expected one of support_update, customer_update, status, severity; did you mean 'support_update' or 'customer_update'?
    """

    _label: ClassVar[Callable[[object], str]] = staticmethod(lambda data: "event")

    at: Instant = Field(description="When it happened; an aware datetime.")
    kind: EventKind = Field(description="What happened.")
    status: str | None = Field(
        default=None,
        description="The new status (kind 'status' only): one of the policy's lifecycle statuses.",
        json_schema_extra={"examples": list(STATUSES)},
    )
    severity: Level | None = Field(default=None, description="The new severity (kind 'severity' only).")

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return _require_aware(value)

    @field_validator("kind", mode="before")
    @classmethod
    def _known_kind(cls, value: object) -> object:
        if value not in EVENT_KINDS:
            did = did_you_mean(value, EVENT_KINDS) if isinstance(value, str) else ""
            raise invalid(
                f"kind {value!r} is unknown; expected one of {', '.join(EVENT_KINDS)}{did}", named=True
            )
        return value

    @field_validator("status")
    @classmethod
    def _status_name(cls, value: str | None) -> str | None:
        if value is not None and not _STATUS_NAME.match(value):
            raise invalid(
                f"status {value!r} is not a status name; expected a lower_snake_case name "
                f"such as {', '.join(STATUSES[:4])}, ...",
                named=True,
            )
        return value

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Self:
        if self.kind == "status" and self.status is None:
            raise invalid(f"a status event needs status=, e.g. one of {', '.join(STATUSES)}")
        if self.kind == "severity" and self.severity is None:
            raise invalid("a severity event needs severity=, e.g. severity=1")
        if self.status is not None and self.kind != "status":
            raise invalid(f"status= belongs to kind 'status' events, not {self.kind!r}")
        if self.severity is not None and self.kind != "severity":
            raise invalid(f"severity= belongs to kind 'severity' events, not {self.kind!r}")
        return self

    def __repr_args__(self) -> Any:
        yield "at", self.at
        yield "kind", self.kind
        if self.status is not None:
            yield "status", self.status
        if self.severity is not None:
            yield "severity", self.severity


def _case_label(data: object) -> str:
    case_id = _field(data, "id")
    return f"case {case_id!r}" if isinstance(case_id, str) else "case"


class Case(_TimelineModel):
    """A support case: its severity when opened, its customer and what happened to it.

    Events may be given in any order; the replay orders them by time, ties in the order
    given. A case starts in status ``open`` at ``opened_at``.

    Args:
        id: the case's identifier, carried into reports and alerts.
        severity: the severity the case was opened with.
        opened_at: when the case was opened (an aware datetime).
        customer: where the customer is (zone, holidays, hours).
        events: what happened, in any order.

    Raises:
        TimelineError: an event before ``opened_at``, or any invalid event (named by index
            and time).
        NaiveTimelineError: ``opened_at`` or an event's ``at`` is naive.

    >>> from datetime import datetime, timedelta, UTC
    >>> from slocalc.policies import STATUSES, Customer
    >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    >>> case = Case(id="C-1", severity=2, opened_at=t0, customer=Customer(tz="Europe/Berlin"),
    ...             events=[Event(at=t0 - timedelta(hours=1), kind="support_update")])
    Traceback (most recent call last):
    ...
    slocalc.errors.TimelineError: case 'C-1': events[0] at 2026-03-02T08:00:00+00:00: before opened_at 2026-03-02T09:00:00+00:00; an event cannot precede the case's opening
    """

    _label: ClassVar[Callable[[object], str]] = staticmethod(_case_label)

    id: str = Field(min_length=1, description="The case's identifier (not empty).")
    severity: Level = Field(description="The severity the case was opened with.")
    opened_at: Instant = Field(description="When the case was opened; an aware datetime.")
    customer: Customer = Field(description="The customer's zone, holidays and business hours.")
    events: tuple[Event, ...] = Field(default=(), description="What happened, in any order.")

    #: what the replay needs, computed once: see :func:`timeline_of`
    _replay: _Timeline | None = PrivateAttr(default=None)

    @field_validator("opened_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return _require_aware(value)

    @model_validator(mode="after")
    def _not_before_opening(self) -> Self:
        found = _sorted(self)
        if isinstance(found, int):
            raise invalid(_early(self), loc=("events", found), named=True)
        self._replay = found
        return self

    def __repr_args__(self) -> Any:
        yield "id", self.id
        yield "severity", self.severity
        yield "opened_at", self.opened_at
        yield "customer", self.customer
        if self.events:
            yield "events", _Count(len(self.events))


#: a case's events in timeline order: (UTC instant, position in ``events``, event)
Timeline = tuple[tuple[datetime, int, Event], ...]
#: the same timeline as plain values, what the columnar path reads in bulk (docs/scaling.md):
#: ``opened_at`` in UTC microseconds; each event's instant in UTC microseconds (``int64``,
#: little-endian bytes: the same in a pickle read on any machine) and its kind (a byte,
#: :data:`KIND_CODES`), in timeline order; the status names of its status events and the
#: severities of its severity events, in timeline order; each event's position in
#: ``events`` (``int32``, little-endian bytes), or ``None`` when the timeline keeps the
#: given order
Packed = tuple[int, bytes, bytes, tuple[str, ...], tuple[int, ...], bytes | None]
#: (the events tuple and opened_at it was computed from, opened_at in UTC, then either the
#:  events sorted by time with ties in given order as (UTC instant, given index, event) and
#:  ``None``, or ``None`` and the same as :data:`Packed`: plain values, few objects for the
#:  garbage collector to visit; the tuples only where an instant is not a plain datetime)
_Timeline = tuple[tuple[Event, ...], datetime, datetime, Timeline | None, Packed | None]

#: event kinds as the columns code them (their order in :data:`EVENT_KINDS`)
KIND_CODES: Final[dict[str, int]] = {kind: code for code, kind in enumerate(EVENT_KINDS)}
_STATUS_BYTE: Final = bytes([KIND_CODES["status"]])
_SEVERITY_BYTE: Final = bytes([KIND_CODES["severity"]])
_kind: Final = attrgetter("kind")
_SWAP: Final = sys.byteorder == "big"


def _packed_ints(code: str, values: Sequence[int]) -> bytes:
    """``values`` as little-endian bytes (``code``: ``"q"`` for ``int64``, ``"i"`` for ``int32``)."""
    ints = array(code, values)
    if _SWAP:
        ints.byteswap()
    return ints.tobytes()


def _unpacked_ints(code: str, data: bytes) -> array[int]:
    """The integers of :func:`_packed_ints`' bytes."""
    ints = array(code)
    ints.frombytes(data)
    if _SWAP:
        ints.byteswap()
    return ints


def _early(case: Case) -> str:
    """The problem of an event before ``opened_at``."""
    return f"before opened_at {case.opened_at.isoformat()}; an event cannot precede the case's opening"


def arrange(
    case: tuple[tuple[Event, ...], datetime, datetime, int | None],
    utcs: list[datetime],
    us: list[int] | None,
    whats: tuple[bytes, Sequence[str | None], Sequence[int | None]] | None = None,
) -> _Timeline:
    """The timeline of a case whose events all come at or after its opening.

    ``case`` holds the events, ``opened_at``, ``opened_at`` in UTC and in UTC microseconds
    (``None``: not a plain datetime); ``utcs`` each event's instant in UTC, ``us`` in UTC
    microseconds (``None`` if one is not a plain datetime), in the given order; ``whats``,
    when given, each event's kind code, status and severity, in the given order (else they
    are read from the events). Sorted by instant, ties in the given order (a stable sort).
    The timeline is kept as plain values (:data:`Packed`; :func:`timeline_of` makes its
    tuples when asked) unless an instant is not a plain datetime.

    >>> from datetime import timedelta
    >>> t0 = datetime(1970, 1, 1, tzinfo=UTC)  # 0 µs
    >>> events = (Event(at=t0 + timedelta(hours=2), kind="status", status="in_progress"),
    ...           Event(at=t0 + timedelta(hours=1), kind="support_update"))
    >>> found = arrange((events, t0, t0, 0), [e.at for e in events], [7_200_000_000, 3_600_000_000])
    >>> found[3] is None  # no tuples kept
    True
    >>> opened, at, kind, statuses, levels, index = found[4]
    >>> list(_unpacked_ints("q", at)), list(kind), statuses, levels, list(_unpacked_ints("i", index))
    ([3600000000, 7200000000], [0, 2], ('in_progress',), (), [1, 0])
    >>> [(utc.hour, i) for utc, i, _ in _unpacked(events, found[4])]
    [(1, 1), (2, 0)]
    """
    events, opened_at, opened, opened_us = case
    m = len(events)
    keys: list[Any] = utcs if us is None else us  # (the same order, integers compare faster)
    order = sorted(range(m), key=keys.__getitem__) if m > 1 and keys != sorted(keys) else None
    if us is None or opened_us is None:
        if order is None:
            return events, opened_at, opened, tuple(zip(utcs, range(m), events, strict=True)), None
        return events, opened_at, opened, tuple([(utcs[k], k, events[k]) for k in order]), None
    given: Sequence[Event] = events
    index: bytes | None = None
    if order is not None:  # out of order: rare (stable: ties keep the given order)
        given = [events[k] for k in order]
        us = [us[k] for k in order]
        index = _packed_ints("i", order)
        whats = None
    if whats is None:  # read from the events (in timeline order)
        kinds = bytes(map(KIND_CODES.__getitem__, map(_kind, given)))
        names: Sequence[str | None] = [ev.status for ev in given] if _STATUS_BYTE in kinds else ()
        values: Sequence[int | None] = [ev.severity for ev in given] if _SEVERITY_BYTE in kinds else ()
    else:
        kinds, names, values = whats
    statuses: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()
    if _STATUS_BYTE in kinds:
        statuses = tuple([name for name in names if name is not None])
    if _SEVERITY_BYTE in kinds:
        levels = tuple([level for level in values if level is not None])
    return (
        events,
        opened_at,
        opened,
        None,
        (opened_us, _packed_ints("q", us), kinds, statuses, levels, index),
    )


def _unpacked(events: tuple[Event, ...], packed: Packed) -> Timeline:
    """The timeline's tuples from its plain values (each instant in UTC, as ``astimezone``
    gives it: the same value, ``timezone.utc``)."""
    us = _unpacked_ints("q", packed[1])
    order: Sequence[int] = range(len(events)) if packed[5] is None else _unpacked_ints("i", packed[5])
    return tuple(zip(map(from_us, us), order, map(events.__getitem__, order), strict=True))


def _plain_us(instants: list[datetime]) -> list[int] | None:
    """UTC microseconds of aware datetimes, or ``None`` if one is not a plain datetime."""
    if list(map(type, instants)).count(datetime) != len(instants):
        return None
    return list(map(to_us, instants))


def _sorted(case: Case) -> _Timeline | int:
    """The case's timeline, or the index of the first event before ``opened_at``."""
    opened = case.opened_at.astimezone(UTC)
    utcs = []
    for i, event in enumerate(case.events):
        at = event.at.astimezone(UTC)
        if at < opened:
            return i
        utcs.append(at)
    us = _plain_us([opened, *utcs])
    opened_us = None if us is None else us.pop(0)
    return arrange((case.events, case.opened_at, opened, opened_us), utcs, us)


def timeline_of(case: Case) -> tuple[datetime, Timeline]:
    """``(opened_at in UTC, events sorted by time)`` of a case.

    Computed once per case, when it is built, and kept as plain values (:data:`Packed`):
    the tuples are made from them on each call (~2 µs a case). Recomputed (and checked)
    if the case was built without validation (``model_construct``) or copied with other
    events (``model_copy(update=...)``).
    """
    private = case.__pydantic_private__
    cached = private.get("_replay") if private else None
    if cached is None or cached[0] is not case.events or cached[1] is not case.opened_at:
        found = _sorted(case)
        if isinstance(found, int):
            where = f"events[{found}]"
            raise TimelineError(f"case {case.id!r}: {where}: {_early(case)}", [(where, _early(case))])
        cached = found
        if private is not None:
            private["_replay"] = cached
    timeline = cached[3]
    if timeline is None:  # kept as plain values: the tuples made again (not kept, ~2 µs a case)
        packed = cached[4]
        assert packed is not None
        timeline = _unpacked(case.events, packed)
    return cached[2], timeline


class _Count:
    """Shows ``<8 events>`` in a case's repr instead of every event."""

    __slots__ = ("n",)

    def __init__(self, n: int) -> None:
        self.n = n

    def __repr__(self) -> str:
        return f"<{self.n} event{'s' if self.n != 1 else ''}>"
