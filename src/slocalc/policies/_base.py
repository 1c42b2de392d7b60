"""Shared machinery of the policy models: a frozen mapping, the model base, error reports.

Every policy model is a frozen, hashable pydantic model. Validation never stops at the
first problem: pydantic collects field errors across the whole tree, and each model adds
the problems that involve several fields or several list items (unknown keys with close
matches, duplicate severities, ...). All of them become one :class:`PolicyError` whose
``problems`` are ``(field path, message)`` pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar, Generic, Self, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

from slocalc.errors import PolicyError, SlocalcError, close_matches

K = TypeVar("K")
V = TypeVar("V")

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """An immutable, hashable mapping that keeps insertion order.

    Pydantic validates it like a ``dict`` and serialises it as one.

    >>> m = FrozenMap({"update": 4})
    >>> m["update"], dict(m), hash(m) == hash(FrozenMap({"update": 4}))
    (4, {'update': 4}, True)
    """

    __slots__ = ("_data",)
    _data: dict[K, V]

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        object.__setattr__(self, "_data", dict(data or {}))

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._data.items()) == dict(other.items())
        return NotImplemented

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"FrozenMap is immutable; cannot set {name!r}")

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._data,))

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        args = get_args(source)
        dict_schema = handler.generate_schema(dict[args[0], args[1]] if args else dict)  # type: ignore[valid-type]
        return core_schema.no_info_after_validator_function(
            cls,
            dict_schema,
            serialization=core_schema.plain_serializer_function_ser_schema(dict, return_schema=dict_schema),
        )


def custom_error(message: str) -> PydanticCustomError:
    """A pydantic error that carries ``message`` verbatim (no context, so braces stay as they are)."""
    return PydanticCustomError("policy", message)


def format_path(loc: Loc) -> str:
    """``("severities", 0, "targets", "update")`` -> ``"severities[0].targets.update"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


def _friendly(err: Mapping[str, Any]) -> str:
    """Rewrite pydantic's generic messages in the library's voice."""
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return "required; this field is missing"
    if kind in {"model_type", "model_attributes_type", "dict_type", "mapping_type"}:
        return f"expected a table (a JSON object), got {type(value).__name__} {value!r}"
    if kind in {"tuple_type", "list_type", "iterable_type"}:
        return f"expected a list, got {type(value).__name__} {value!r}"
    if kind in {"string_type", "str_type"}:
        return f"expected a string, got {type(value).__name__} {value!r}"
    msg = str(err["msg"])
    if kind == "policy":
        return msg
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", msg.removeprefix("Value error, ")))
    if msg.startswith("Input should be "):
        msg = "expected " + msg.removeprefix("Input should be ")
    if kind in {"literal_error", "enum"}:
        return f"{value!r}: {msg}"
    return f"{msg[0].lower()}{msg[1:]}, got {value!r}"


def _problems_of(exc: ValidationError) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if p != "[key]")
        out.append((loc, _friendly(err)))
    return out


def policy_error(exc: ValidationError | None, extra: list[Problem], what: str) -> PolicyError:
    """One :class:`PolicyError` listing every problem of ``exc`` and ``extra``."""
    seen: set[Problem] = set()
    problems: list[Problem] = []
    for p in [*(_problems_of(exc) if exc is not None else []), *extra]:
        if p not in seen:
            seen.add(p)
            problems.append(p)
    pairs = [(format_path(loc) or "(top level)", msg) for loc, msg in problems]
    count = f"{len(pairs)} problem{'s' if len(pairs) != 1 else ''}"
    lines = [f"invalid {what} ({count}):"] + [f"  {path}: {msg}" for path, msg in pairs]
    return PolicyError("\n".join(lines), pairs)


def unknown_key_message(key: object, known: list[str]) -> str:
    hint = close_matches(str(key), known)
    did = f"; did you mean {' or '.join(map(repr, hint))}?" if hint else ""
    return f"unknown field {key!r}; expected one of {', '.join(known)}{did}"


class PolicyModel(BaseModel):
    """Base of the policy models: frozen, hashable, strict about unknown keys.

    Constructing a model with bad input raises :class:`PolicyError` listing every
    problem, never a bare pydantic ``ValidationError``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False)

    #: the name used in error messages ("invalid policy (2 problems): ...")
    _what: ClassVar[str] = "policy"

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise self._error(exc) from None

    # Tell pydantic this __init__ only translates errors: nested models are then validated
    # by pydantic-core directly (a "custom" __init__ would be called for each nested model
    # and its PolicyError wrapped as a value error of the parent).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"{type(self).__name__} is immutable; cannot set {name!r} "
            f"(make a changed copy with .replace({name}=...))"
        )

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; cannot delete {name!r}")

    @classmethod
    def _error(cls, exc: ValidationError) -> SlocalcError:
        return policy_error(exc, [], cls._what)

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed, validated like a new value.

        >>> from slocalc.policies import Customer
        >>> Customer(tz="Europe/Berlin", country="DE").replace(tz="Europe/Vienna", country="AT")
        Customer(tz='Europe/Vienna', country='AT')
        """
        return self._load({**dict(self), **changes})

    @classmethod
    def _load(cls, data: Any) -> Self:
        """``model_validate`` that raises the library's error instead of pydantic's."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise cls._error(exc) from None

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
            extra += [((str(k),), unknown_key_message(k, known)) for k in unknown]
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


def _merge(exc: ValidationError | None, extra: list[Problem]) -> ValidationError:
    details: list[InitErrorDetails] = []
    if exc is not None:
        for loc, msg in _problems_of(exc):
            details.append({"type": custom_error(msg), "loc": loc, "input": None})
    for loc, msg in extra:
        details.append({"type": custom_error(msg), "loc": loc, "input": None})
    return ValidationError.from_exception_data("policy", details)
