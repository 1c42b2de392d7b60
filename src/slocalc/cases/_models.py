"""``Event`` and ``Case``: the input of a replay, validated once at construction.

Both are frozen pydantic models. Bad input never surfaces as a bare pydantic
``ValidationError``: constructing (or ``model_validate``-ing) a case with a bad event raises
:class:`~slocalc.errors.TimelineError` naming the event by index and time, and a naive
datetime raises :class:`NaiveTimelineError`, which is both a ``TimelineError`` and a
``NaiveDatetimeError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Final, Literal, Self, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from slocalc.errors import NaiveDatetimeError, NaiveTimelineError, SlocalcError, TimelineError, close_matches
from slocalc.policies import STATUSES, Customer

__all__ = [
    "EVENT_KINDS",
    "Case",
    "Event",
    "EventKind",
    "NaiveTimelineError",
    "timeline_of",
]

EventKind = Literal["support_update", "customer_update", "status", "severity"]
EVENT_KINDS: Final[tuple[str, ...]] = get_args(EventKind)
EVENT_FIELDS: Final = ("at", "kind", "status", "severity")
_STATUS_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _whole_number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _text_error(
            f"severity: expected a whole number such as 2, got {type(value).__name__} {value!r}"
        )
    return value


#: a severity level: an ``int`` (not a bool, a float or a numeric string)
Level = Annotated[int, BeforeValidator(_whole_number)]


def _instant_input(value: object, info: ValidationInfo) -> object:
    if isinstance(value, (datetime, str, bytes)):
        return value
    raise _text_error(
        f"{info.field_name}: expected an aware datetime, or ISO 8601 text with an offset such as "
        f"'2026-03-02T09:00:00+01:00'; got {type(value).__name__} {value!r}"
    )


#: an instant: a ``datetime`` or ISO 8601 text (not a number of seconds, not a date)
Instant = Annotated[datetime, BeforeValidator(_instant_input)]


#: one problem: (location in the input, message, the naive value when it is a naive instant)
_Problem = tuple[tuple[int | str, ...], str, "tuple[object] | None"]
_PROBLEMS = "problems"


def _naive_error(value: object) -> PydanticCustomError:
    return PydanticCustomError("naive_datetime", "naive datetime", {"value": value})


def _text_error(message: str) -> PydanticCustomError:
    return PydanticCustomError("timeline", message.replace("{", "{{").replace("}", "}}"))


def _choice(value: object, what: str, choices: Sequence[str]) -> PydanticCustomError:
    hint = close_matches(value, choices) if isinstance(value, str) else []
    did = f"; did you mean {' or '.join(map(repr, hint))}?" if hint else ""
    return _text_error(f"{what} {value!r} is unknown; expected one of {', '.join(choices)}{did}")


def _show_time(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else repr(value)


def _field(data: object, name: str) -> object:
    if isinstance(data, BaseModel):
        return getattr(data, name, None)
    if isinstance(data, Mapping):
        return data.get(name)
    return None


def _path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problems(exc: ValidationError, fields: Sequence[str]) -> list[_Problem]:
    """The problems of ``exc``, with those of nested cases and events flattened in."""
    out: list[_Problem] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        ctx = err.get("ctx") or {}
        index = ctx.get("index")
        if isinstance(index, int):
            loc = ("events", index, *loc)
        cause = ctx.get("error")
        nested = getattr(cause, _PROBLEMS, None)
        if isinstance(cause, TimelineError) and isinstance(nested, list):
            out.extend((loc + sub, msg, naive) for sub, msg, naive in nested)
        elif isinstance(cause, SlocalcError):  # e.g. the customer's PolicyError
            out.append((loc, str(cause), None))
        elif err["type"] == "naive_datetime":
            out.append((loc, "", (ctx.get("value"),)))
        elif err["type"] == "timeline":
            out.append((loc, str(err["msg"]), None))
        elif err["type"] == "missing":
            out.append((loc, f"{_path(loc[-1:])}: required; this field is missing", None))
        elif err["type"] == "extra_forbidden":
            known = EVENT_FIELDS if len(loc) == 3 and loc[0] == "events" else fields
            hint = close_matches(str(loc[-1]), known)
            did = f"; did you mean {' or '.join(map(repr, hint))}?" if hint else ""
            out.append((loc, f"{_path(loc[-1:])}: unknown field; expected {', '.join(known)}{did}", None))
        else:
            out.append(
                (loc, f"{_path(loc[-1:])}: {_expected(err['type'], str(err['msg']), err.get('input'))}", None)
            )
    return out


_EXPECTED: Final = {
    "string_type": "expected a string",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "datetime_type": "expected an aware datetime, e.g. datetime(2026, 3, 2, 9, tzinfo=UTC)",
    "datetime_parsing": "expected an aware datetime (ISO 8601 with an offset, e.g. '2026-03-02T09:00:00+01:00')",
    "datetime_from_date_parsing": "expected an aware datetime (ISO 8601 with an offset, e.g. '2026-03-02T09:00:00+01:00')",
    "model_type": "expected a mapping of fields or a model instance",
    "model_attributes_type": "expected a mapping of fields or a model instance",
    "tuple_type": "expected a list of events",
    "list_type": "expected a list of events",
}


def _expected(kind: str, message: str, value: object) -> str:
    """Pydantic's message for ``kind``, in the library's voice: what was expected, what came."""
    text = _EXPECTED.get(kind)
    if text is None:
        text = message[0].lower() + message[1:]
        if text.startswith("input should be "):
            text = "expected " + text.removeprefix("input should be ")
    return f"{text}, got {type(value).__name__} {value!r}"


def _timeline_error(problems: list[_Problem], data: object, label: str) -> TimelineError:
    """One error for every problem, each line naming the event by index and time."""
    lines = []
    for loc, msg, naive in problems:
        if naive is not None:
            msg = str(NaiveDatetimeError(_path(loc), naive[0]))
        if len(loc) >= 2 and loc[0] == "events" and isinstance(loc[1], int):
            events = _field(data, "events")
            i = loc[1]
            event = events[i] if isinstance(events, Sequence) and 0 <= i < len(events) else None
            at = _field(event, "at")
            where = f"events[{i}]" if at is None else f"events[{i}] at {_show_time(at)}"
        elif label == "event":
            where = f"event at {_show_time(_field(data, 'at'))}"
        else:
            where = ""
        prefix = label if label != "event" else ""
        head = f"{prefix}: {where}" if prefix and where else prefix or where
        lines.append(f"{head}: {msg}" if head else msg)
    error: TimelineError
    if len(problems) == 1 and problems[0][2] is not None:
        loc, _, naive = problems[0]
        error = NaiveTimelineError(_path(loc), naive[0] if naive else None)
    elif len(lines) == 1:
        error = TimelineError(lines[0])
    else:
        error = TimelineError(f"{len(lines)} problems:\n  " + "\n  ".join(lines))
    setattr(error, _PROBLEMS, problems)
    return error


def _convert(exc: ValidationError, data: object, label: str, fields: Sequence[str]) -> TimelineError:
    return _timeline_error(_problems(exc, fields), data, label)


class _TimelineModel(BaseModel):
    """Frozen, strict about unknown keys; bad input raises :class:`TimelineError`."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    _label: ClassVar[Callable[[object], str]]

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _convert(exc, data, type(self)._label(data), list(type(self).model_fields)) from None

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """Validate ``obj`` (a mapping or a model); bad input raises :class:`TimelineError`."""
        try:
            return super().model_validate(obj, **kwargs)
        except ValidationError as exc:
            raise _convert(exc, obj, cls._label(obj), list(cls.model_fields)) from None

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Self:
        """Validate a JSON document; bad input raises :class:`TimelineError`."""
        try:
            return super().model_validate_json(json_data, **kwargs)
        except ValidationError as exc:
            raise _convert(
                exc, _loads(json_data), cls._label(_loads(json_data)), list(cls.model_fields)
            ) from None


def _loads(json_data: str | bytes | bytearray) -> object:
    """The raw document, to name events in error messages (``None`` if it is not JSON)."""
    try:
        return json.loads(json_data)
    except ValueError:
        return None


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise _naive_error(value)
    return value


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
            raise _choice(value, "kind", EVENT_KINDS)
        return value

    @field_validator("status")
    @classmethod
    def _status_name(cls, value: str | None) -> str | None:
        if value is not None and not _STATUS_NAME.match(value):
            raise _text_error(
                f"status {value!r} is not a status name; expected a lower_snake_case name "
                f"such as {', '.join(STATUSES[:4])}, ..."
            )
        return value

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Self:
        if self.kind == "status" and self.status is None:
            raise _text_error(f"a status event needs status=, e.g. one of {', '.join(STATUSES)}")
        if self.kind == "severity" and self.severity is None:
            raise _text_error("a severity event needs severity=, e.g. severity=1")
        if self.status is not None and self.kind != "status":
            raise _text_error(f"status= belongs to kind 'status' events, not {self.kind!r}")
        if self.severity is not None and self.kind != "severity":
            raise _text_error(f"severity= belongs to kind 'severity' events, not {self.kind!r}")
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

    id: str = Field(description="The case's identifier.")
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
        self._replay = _sorted(self)
        return self

    def __repr_args__(self) -> Any:
        yield "id", self.id
        yield "severity", self.severity
        yield "opened_at", self.opened_at
        yield "customer", self.customer
        if self.events:
            yield "events", _Count(len(self.events))


#: (the events tuple and opened_at it was computed from, opened_at in UTC,
#:  the events sorted by time with ties in given order as (UTC instant, given index, event))
_Timeline = tuple[tuple[Event, ...], datetime, datetime, tuple[tuple[datetime, int, Event], ...]]


def _sorted(case: Case) -> _Timeline:
    opened = case.opened_at.astimezone(UTC)
    timeline = []
    for i, event in enumerate(case.events):
        at = event.at.astimezone(UTC)
        if at < opened:
            raise PydanticCustomError(
                "timeline",
                "before opened_at {opened}; an event cannot precede the case's opening",
                {"opened": case.opened_at.isoformat(), "index": i},
            )
        timeline.append((at, i, event))
    timeline.sort(key=lambda item: item[0])  # stable: ties keep the given order
    return case.events, case.opened_at, opened, tuple(timeline)


def timeline_of(case: Case) -> tuple[datetime, tuple[tuple[datetime, int, Event], ...]]:
    """``(opened_at in UTC, events sorted by time)`` of a case, computed once per case.

    Recomputed (and checked) if the case was built without validation
    (``model_construct``) or copied with other events (``model_copy(update=...)``).
    """
    private = case.__pydantic_private__
    cached = private.get("_replay") if private else None
    if cached is None or cached[0] is not case.events or cached[1] is not case.opened_at:
        try:
            cached = _sorted(case)
        except PydanticCustomError as exc:
            index = (exc.context or {}).get("index")
            raise TimelineError(f"case {case.id!r}: events[{index}]: {exc.message()}") from None
        if private is not None:
            private["_replay"] = cached
    return cached[2], cached[3]


class _Count:
    """Shows ``<8 events>`` in a case's repr instead of every event."""

    __slots__ = ("n",)

    def __init__(self, n: int) -> None:
        self.n = n

    def __repr__(self) -> str:
        return f"<{self.n} event{'s' if self.n != 1 else ''}>"
