"""Named calendars and support centers of a policy file (``[calendars.NAME]``, ``[centers.KEY]``).

A named calendar is weekly hours in an IANA zone with holidays and per-date overrides, or a
``union`` of other named calendars and centers; a target runs on it as ``"4 hours on NAME"``
or ``clock = "calendar:NAME"``. A policy's centers replace the guidebook's six: its
``follow_the_sun`` clock is their union and ``center:KEY`` names one. See docs/policies.md,
"Calendars and centers".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Annotated, Any, ClassVar, Final

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from slocalc.calendars import BusinessCalendar
from slocalc.calendars.centers import SupportCenter
from slocalc.errors import CalendarSpecError, SlocalcError, describe
from slocalc.policies._base import FrozenMap, PolicyModel, invalid
from slocalc.policies._customer import DEFAULT_HOURS

__all__ = ["CalendarSpec", "CenterSpec", "check_name"]

_NAME: Final = re.compile(r"^[a-z][a-z0-9_]*$")
_ISO_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: clock names a calendar may not take
RESERVED: Final = frozenset({"customer", "follow_the_sun", "center", "calendar"})


def check_name(value: str, what: str, example: str) -> str | None:
    """Why ``value`` is not a valid name of a calendar, center or tier; ``None`` if it is."""
    if not isinstance(value, str) or not _NAME.match(value):
        return f"{what} {value!r}: expected a lower_snake_case name such as {example!r}"
    if value in RESERVED:
        return f"{what} {value!r}: the name is taken by a built-in clock; choose another, e.g. {example!r}"
    return None


def _is_date_text(value: object) -> bool:
    return isinstance(value, str) and bool(_ISO_DATE.match(value))


def _as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise invalid(f"date {value!r}: expected an ISO date such as '2026-12-24'") from None


def _holidays(value: Any) -> Any:
    """``"JP"``, ``[country, subdivision]`` or a list of dates, normalised for the model."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Sequence) and not isinstance(value, bytes):
        items = list(value)
        if items and all(isinstance(v, str) and not _is_date_text(v) for v in items):
            if len(items) > 2:
                raise invalid(
                    f"holidays {items!r}: expected a country code ('JP'), [country, subdivision] "
                    "(['US', 'MA']) or a list of dates"
                )
            return tuple(items)
        return tuple(_as_date(v).isoformat() for v in items)
    raise invalid(
        f"holidays: expected a country code ('JP'), [country, subdivision] (['US', 'MA']) or a "
        f"list of dates (['2026-12-24']), got {describe(value)}"
    )


def _overrides(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return {
        (_as_date(k).isoformat() if isinstance(k, date) or _is_date_text(k) else k): v
        for k, v in value.items()
    }


def _override_key(value: str) -> str:
    _as_date(value)
    return value


Holidays = Annotated[str | tuple[str, ...] | None, BeforeValidator(_holidays)]
Overrides = Annotated[
    FrozenMap[Annotated[str, AfterValidator(_override_key)], str], BeforeValidator(_overrides)
]


def holidays_arg(holidays: str | tuple[str, ...] | None) -> Any:
    """The ``holidays`` argument of :class:`~slocalc.calendars.BusinessCalendar`."""
    if holidays is None or isinstance(holidays, str):
        return holidays
    if holidays and all(_is_date_text(h) for h in holidays):
        return [date.fromisoformat(h) for h in holidays]
    return tuple(holidays)


def _holidays_wire(holidays: str | tuple[str, ...] | None) -> Any:
    return list(holidays) if isinstance(holidays, tuple) else holidays


class CalendarSpec(PolicyModel):
    """A named calendar of a policy file: ``[calendars.NAME]``.

    Either weekly ``hours`` in the IANA zone ``tz``, closed on ``holidays`` (a country
    code, ``[country, subdivision]`` or a list of dates) with per-date ``overrides``; or a
    ``union`` of other named calendars (and ``center:KEY`` centers), open when any is.

    >>> tokyo = CalendarSpec(tz="Asia/Tokyo", hours="Mon-Fri 09:00-18:00", holidays="JP")
    >>> tokyo.build()
    BusinessCalendar(tz='Asia/Tokyo', hours='Mon-Fri 09:00-18:00', holidays='JP')
    >>> CalendarSpec(union=["tokyo", "london"]).union
    ('tokyo', 'london')
    """

    _what: ClassVar[str] = "calendar"

    tz: str | None = Field(default=None, description="IANA time zone, e.g. 'Asia/Tokyo'.")
    hours: str | None = Field(
        default=None, description="Weekly hours, local wall clock (default 'Mon-Fri 08:00-17:00')."
    )
    holidays: Holidays = Field(
        default=None,
        description="A country code ('JP'), [country, subdivision] (['US', 'MA']) or a list of ISO dates.",
    )
    overrides: Overrides = Field(
        default=FrozenMap(), description="Hours for single dates: {'2026-12-24': '09:00-12:00' or 'closed'}."
    )
    union: tuple[str, ...] | None = Field(
        default=None, description="Names of other calendars (or 'center:KEY'): open when any of them is."
    )

    @model_validator(mode="after")
    def _one_kind(self) -> CalendarSpec:
        if self.union is None:
            if self.tz is None:
                raise invalid("a calendar needs tz (with hours, holidays, overrides) or union = [names]")
            try:
                self.build()
            except SlocalcError as exc:
                raise invalid(str(exc)) from None
        else:
            extra = [f for f in ("tz", "hours", "holidays") if getattr(self, f) is not None]
            extra += ["overrides"] if self.overrides else []
            if extra:
                raise invalid(
                    f"a union calendar takes only union; {', '.join(extra)} belong to its member calendars"
                )
            if not self.union:
                raise invalid("union = []: name at least one calendar, e.g. union = ['tokyo', 'london']")
        return self

    @property
    def zoned(self) -> bool:
        """Whether the calendar runs in one zone (so day units can count on it)."""
        return self.union is None

    def build(self) -> BusinessCalendar:
        """The calendar of a ``tz`` spec (a union is built by the policy's clocks).

        Raises:
            CalendarSpecError: bad hours, holidays or overrides.
        """
        if self.tz is None:
            raise CalendarSpecError("a union calendar is built from its members by the policy's clocks")
        return BusinessCalendar(
            tz=self.tz,
            hours=self.hours or DEFAULT_HOURS,
            holidays=holidays_arg(self.holidays),
            overrides={date.fromisoformat(k): v for k, v in self.overrides.items()},
        )

    def to_dict(self) -> dict[str, Any]:
        """The wire form (only the fields that are set)."""
        if self.union is not None:
            return {"union": list(self.union)}
        out: dict[str, Any] = {"tz": self.tz}
        if self.hours is not None:
            out["hours"] = self.hours
        if self.holidays is not None:
            out["holidays"] = _holidays_wire(self.holidays)
        if self.overrides:
            out["overrides"] = dict(self.overrides)
        return out


class CenterSpec(PolicyModel):
    """A support center of a policy file: ``[centers.KEY]``.

    >>> c = CenterSpec(name="Tokyo", tz="Asia/Tokyo", hours="Mon-Fri 09:00-18:00", holidays="JP")
    >>> c.build("tokyo")
    SupportCenter(key='tokyo', name='Tokyo', tz='Asia/Tokyo', calendar=BusinessCalendar(tz='Asia/Tokyo', hours='Mon-Fri 09:00-18:00', holidays='JP'))
    """

    _what: ClassVar[str] = "center"

    name: str = Field(description="Display name, e.g. 'Tokyo'.")
    tz: str = Field(description="IANA time zone, e.g. 'Asia/Tokyo'.")
    hours: str = Field(default=DEFAULT_HOURS, description="Weekly opening hours, local wall clock.")
    holidays: Holidays = Field(
        default=None,
        description="A country code ('JP'), [country, subdivision] (['US', 'MA']) or a list of ISO dates.",
    )
    overrides: Overrides = Field(
        default=FrozenMap(), description="Hours for single dates: {'2026-12-24': '09:00-12:00' or 'closed'}."
    )

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise invalid("expected a non-empty display name, e.g. 'Tokyo'")
        return value

    @model_validator(mode="after")
    def _builds(self) -> CenterSpec:
        try:
            self.build("center")
        except SlocalcError as exc:
            raise invalid(str(exc)) from None
        return self

    def build(self, key: str) -> SupportCenter:
        """The :class:`~slocalc.calendars.centers.SupportCenter` with key ``key``."""
        return SupportCenter.from_hours(
            key,
            self.name,
            tz=self.tz,
            hours=self.hours,
            holidays=holidays_arg(self.holidays),
            overrides={date.fromisoformat(k): v for k, v in self.overrides.items()},
        )

    def to_dict(self) -> dict[str, Any]:
        """The wire form."""
        out: dict[str, Any] = {"name": self.name, "tz": self.tz, "hours": self.hours}
        if self.holidays is not None:
            out["holidays"] = _holidays_wire(self.holidays)
        if self.overrides:
            out["overrides"] = dict(self.overrides)
        return out


def union_cycle(calendars: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle among named calendars' unions (``[a, b, a]``), or ``None``.

    >>> union_cycle({"a": ["b"], "b": ["c"], "c": ["a"]})
    ['a', 'b', 'c', 'a']
    >>> union_cycle({"a": ["b"], "b": []}) is None
    True
    """
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        stack.append(name)
        for member in calendars.get(name, ()):
            member = member.removeprefix("calendar:")
            if member not in calendars:
                continue
            if state.get(member) == 1:
                return [*stack[stack.index(member) :], member]
            if member not in state:
                found = visit(member)
                if found:
                    return found
        stack.pop()
        state[name] = 2
        return None

    for name in calendars:
        if name not in state:
            found = visit(name)
            if found:
                return found
    return None
