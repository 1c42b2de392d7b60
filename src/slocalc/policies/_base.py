"""Shared machinery of the policy models: a frozen mapping and the model base.

Every policy model is a frozen, hashable pydantic model on slocalc's one validation layer:
validation never stops at the first problem, and every problem (field errors across the
whole tree, unknown keys with close matches, duplicate severities, ...) is listed in one
:class:`~slocalc.errors.PolicyError` whose ``problems`` are ``(field path, message)``
pairs. See docs/policies.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Generic, Self, TypeVar, get_args

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from slocalc._validation import Problem, StrictModel, invalid
from slocalc.errors import PolicyError, SlocalcError

K = TypeVar("K")
V = TypeVar("V")

__all__ = ["FrozenMap", "PolicyModel", "Problem", "invalid", "policy_error"]


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


def policy_error(problems: list[Problem], what: str) -> PolicyError:
    """One :class:`PolicyError` listing every problem (each once), with its field path."""
    pairs: list[tuple[str, str]] = []
    for p in problems:
        pair = (p.path or "(top level)", p.message)
        if pair not in pairs:
            pairs.append(pair)
    return PolicyError(problems=pairs, what=what)


class PolicyModel(StrictModel):
    """Base of the policy models: frozen, hashable, strict about unknown keys.

    Constructing a model with bad input raises :class:`PolicyError` listing every
    problem, never a bare pydantic ``ValidationError``.
    """

    #: the name used in error messages ("invalid policy (2 problems): ...")
    _what: ClassVar[str] = "policy"

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"{type(self).__name__} is immutable; cannot set {name!r} "
            f"(make a changed copy with .replace({name}=...))"
        )

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; cannot delete {name!r}")

    @classmethod
    def _error(cls, problems: list[Problem], data: object) -> SlocalcError:
        return policy_error(problems, cls._what)

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed, validated like a new value.

        >>> from slocalc.policies import Customer
        >>> Customer(tz="Europe/Berlin", country="DE").replace(tz="Europe/Vienna", country="AT")
        Customer(tz='Europe/Vienna', country='AT')
        """
        return self.model_validate({**dict(self), **changes})
