"""The one validation layer: pydantic input models whose bad input becomes slocalc errors.

Private kernel shared by the input models of every layer (policies, customers, cases,
events). A :class:`StrictModel` is a frozen pydantic model that

* never stops at the first problem: pydantic collects field errors across the whole tree,
  and the model adds unknown keys (with close matches) and the problems that involve several
  fields (:meth:`StrictModel._cross_check`);
* raises a slocalc error, never a bare ``ValidationError``, from its constructor,
  ``model_validate`` and ``model_validate_json``: each model family turns the
  :class:`Problem` list into its error in :meth:`StrictModel._error` (a ``PolicyError``
  listing field paths, a ``TimelineError`` naming events by index and time);
* words pydantic's own errors in the library's voice, one table for every model
  (:func:`problems_of`).

Validators report a problem with :func:`invalid`. See docs/reference/errors.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple, Self

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from slocalc.errors import SlocalcError, describe, did_you_mean

__all__ = ["Loc", "Problem", "StrictModel", "format_path", "invalid", "problems_of"]

Loc = tuple[str | int, ...]

#: pydantic error types of :func:`invalid` (``_NAMED``: the message names its field itself)
_PLAIN = "slocalc"
_NAMED = "slocalc_named"
_NAIVE = "slocalc_naive"


class Problem(NamedTuple):
    """One problem of an input: where, what, and how the message reads.

    Attributes:
        loc: the location in the input, e.g. ``("events", 2, "at")``.
        message: what is wrong, e.g. ``"required; this field is missing"``.
        named: the message names its field itself (``"kind 'x' is unknown"``), so a
            listing that shows only part of ``loc`` need not repeat it.
        naive: the problem is a naive datetime, ``value``.
        value: the naive datetime, when ``naive``.
        error: the slocalc error a validator raised, when one did.
    """

    loc: Loc
    message: str
    named: bool = False
    naive: bool = False
    value: Any = None
    error: SlocalcError | None = None

    @property
    def path(self) -> str:
        """``loc`` as a field path, e.g. ``events[2].at``."""
        return format_path(self.loc)


def format_path(loc: Loc) -> str:
    """``("severities", 0, "targets", "update")`` -> ``"severities[0].targets.update"``.

    >>> format_path(("severities", 0, "targets", "First Reply"))
    "severities[0].targets['First Reply']"
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


def invalid(message: str, *, named: bool = False, loc: Loc = ()) -> PydanticCustomError:
    """The error a validator raises for one problem; ``message`` is kept verbatim.

    Args:
        message: what is wrong, in the library's voice.
        named: the message names its field itself (see :class:`Problem`).
        loc: where, below the location pydantic reports (e.g. the event a model-wide
            check found at fault).
    """
    if not loc:
        return PydanticCustomError(_NAMED if named else _PLAIN, message)
    escaped = message.replace("{", "{{").replace("}", "}}")
    return PydanticCustomError(_NAMED if named else _PLAIN, escaped, {"loc": loc})


#: the UTC years of the instants slocalc accepts, the engine's range (docs/limits.md)
MIN_YEAR, MAX_YEAR = 2, 9998

#: the largest whole number a model field accepts (beyond it, a number is surely a mistake)
MAX_WHOLE = 2**63 - 1


def supported_instant(value: datetime) -> datetime:
    """``value`` (aware) if its UTC instant lies in the supported years, else a problem."""
    try:
        year = value.astimezone(UTC).year
    except OverflowError:
        year = 0 if value.year < 5000 else 10_000
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise invalid(
            f"{value.isoformat()} is outside the supported range: the UTC instant must lie in "
            f"the years {MIN_YEAR}-{MAX_YEAR} (see docs/limits.md)"
        )
    return value


def whole_number_in_range(value: int, what: str) -> int:
    """``value`` if ``|value| <= MAX_WHOLE``, else a problem that does not echo all its digits."""
    if -MAX_WHOLE <= value <= MAX_WHOLE:
        return value
    digits = abs(value).bit_length() * 30_103 // 100_000 + 1  # log10(2): never str() a huge int
    raise invalid(f"expected {what}, got a whole number with about {digits:,} digits")


def naive(value: object) -> PydanticCustomError:
    """The error a validator raises for a naive datetime ``value``."""
    return PydanticCustomError(_NAIVE, "naive datetime", {"value": value})


#: pydantic's error types, in the library's voice: what was expected
_EXPECTED: dict[str, str] = {
    "model_type": "expected a table (a JSON object)",
    "model_attributes_type": "expected a table (a JSON object)",
    "dict_type": "expected a table (a JSON object)",
    "mapping_type": "expected a table (a JSON object)",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "iterable_type": "expected a list",
    "string_type": "expected a string",
    "str_type": "expected a string",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "datetime_type": "expected an aware datetime, e.g. datetime(2026, 3, 2, 9, tzinfo=UTC)",
    "datetime_parsing": (
        "expected an aware datetime (ISO 8601 with an offset, e.g. '2026-03-02T09:00:00+01:00')"
    ),
    "datetime_from_date_parsing": (
        "expected an aware datetime (ISO 8601 with an offset, e.g. '2026-03-02T09:00:00+01:00')"
    ),
}


def _message(err: Mapping[str, Any]) -> tuple[str, bool]:
    """``(message, named)`` of one of pydantic's errors."""
    kind = err["type"]
    value = err.get("input")
    if kind in (_PLAIN, _NAMED):
        return str(err["msg"]), kind == _NAMED
    if kind == "missing":
        return "required; this field is missing", False
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, SlocalcError):  # raised by a validator: it names its input itself
        return str(cause), True
    if kind == "value_error":
        return str(cause) if cause is not None else str(err["msg"]).removeprefix("Value error, "), False
    text = _EXPECTED.get(kind)
    if text is None:
        msg = str(err["msg"])
        text = msg[0].lower() + msg[1:]
        if text.startswith("input should be "):
            text = "expected " + text.removeprefix("input should be ")
        if kind in {"literal_error", "enum"}:
            return f"{value!r}: {text}", False
    return f"{text}, got {describe(value)}", False


def problems_of(exc: ValidationError) -> list[Problem]:
    """The problems of a pydantic ``ValidationError``, worded in the library's voice."""
    out: list[Problem] = []
    for err in exc.errors():
        ctx = err.get("ctx") or {}
        loc = tuple(p for p in err["loc"] if p != "[key]") + tuple(ctx.get("loc", ()))
        if err["type"] == _NAIVE:
            out.append(Problem(loc, "", naive=True, value=ctx.get("value")))
            continue
        message, named = _message(err)
        cause = ctx.get("error")
        out.append(Problem(loc, message, named, error=cause if isinstance(cause, SlocalcError) else None))
    return out


def unknown_key_message(key: object, known: list[str]) -> str:
    """The message of a key a model does not have."""
    return f"unknown field {key!r}; expected one of {', '.join(known)}{did_you_mean(key, known)}"


def _merge(exc: ValidationError | None, extra: list[Problem]) -> ValidationError:
    """One ``ValidationError`` carrying ``exc``'s problems and ``extra`` (worded already)."""
    details: list[InitErrorDetails] = []
    for p in [*(problems_of(exc) if exc is not None else []), *extra]:
        error = naive(p.value) if p.naive else invalid(p.message, named=p.named)
        details.append({"type": error, "loc": p.loc, "input": None})
    return ValidationError.from_exception_data("slocalc", details)


def _loads(json_data: str | bytes | bytearray) -> object:
    """The raw document, to name inputs in error messages (``None`` if it is not JSON)."""
    try:
        return json.loads(json_data)
    except ValueError:
        return None


class StrictModel(BaseModel):
    """Base of slocalc's input models: frozen, strict about unknown keys, slocalc errors.

    Subclasses say how their problems become one error (:meth:`_error`), and may accept
    another input form (:meth:`_coerce`) and add problems that involve several fields
    (:meth:`_cross_check`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise type(self)._error(problems_of(exc), data) from None

    # Tell pydantic this __init__ only translates errors: nested models are then validated
    # by pydantic-core directly, so their problems keep their full location.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """Validate ``obj`` (a mapping or a model); bad input raises a slocalc error."""
        try:
            return super().model_validate(obj, **kwargs)
        except ValidationError as exc:
            raise cls._error(problems_of(exc), obj) from None

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Self:
        """Validate a JSON document; bad input raises a slocalc error."""
        try:
            return super().model_validate_json(json_data, **kwargs)
        except ValidationError as exc:
            raise cls._error(problems_of(exc), _loads(json_data)) from None

    @classmethod
    def _error(cls, problems: list[Problem], data: object) -> SlocalcError:
        """The error for ``problems`` of input ``data``."""
        raise NotImplementedError  # pragma: no cover - every family defines it

    @classmethod
    def _coerce(cls, data: Any) -> Any:
        """Turn an alternative input form (e.g. a duration string) into a mapping."""
        return data

    @classmethod
    def _cross_check(cls, data: Mapping[str, Any]) -> list[Problem]:
        """Problems that involve several fields or items; ``data`` is the raw input."""
        return []

    @model_validator(mode="wrap")
    @classmethod
    def _validate_everything(cls, data: Any, handler: Callable[[Any], Any]) -> Any:
        if isinstance(data, cls):
            return data
        data = cls._coerce(data)
        extra: list[Problem] = []
        if isinstance(data, Mapping):
            known = list(cls.model_fields)
            unknown = [k for k in data if k not in cls.model_fields]
            extra += [Problem((str(k),), unknown_key_message(k, known)) for k in unknown]
            extra += cls._cross_check(data)
            if unknown:
                data = {k: v for k, v in data.items() if k in cls.model_fields}
        try:
            result = handler(data)
        except ValidationError as exc:
            if not extra:
                raise
            raise _merge(exc, extra) from None
        if extra:
            raise _merge(None, extra)
        return result
