"""Clocks: which calendar a target's time runs on.

``"24x7"`` is :data:`~slocalc.calendars.ALWAYS`; ``"customer"`` the customer's business
calendar; ``"follow_the_sun"`` the union of the support centers; ``"center:<key>"`` one
center; ``"<name>"`` or ``"calendar:<name>"`` a calendar the policy names under
``[calendars]``. A :class:`Clocks` holds one policy's centers and named calendars
(``policy.clocks``); without a policy the guidebook's six centers and no named calendars
apply (see docs/policies.md, "Calendars and centers").
"""

from __future__ import annotations

import contextvars
import functools
import re
import zoneinfo
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final, final

from slocalc._time import resolve_zone
from slocalc.calendars import ALWAYS, Calendar, Union, ZonedCalendar
from slocalc.calendars.centers import CENTERS, SupportCenter, follow_the_sun
from slocalc.errors import PolicyError, SlocalcTypeError, close_matches, did_you_mean, suggest
from slocalc.policies._customer import Customer

if TYPE_CHECKING:  # pragma: no cover
    from slocalc.policies._calendars import CalendarSpec

__all__ = [
    "CLOCKS",
    "GUIDEBOOK",
    "ClockNames",
    "Clocks",
    "clock_calendar",
    "clock_problem",
    "clock_zone",
    "day_calendar",
    "is_zoned",
]

#: the clocks that are not centers or named calendars
CLOCKS: Final = ("24x7", "customer", "follow_the_sun")
CENTER_PREFIX: Final = "center:"
CALENDAR_PREFIX: Final = "calendar:"
_NAME: Final = re.compile(r"^[a-z][a-z0-9_]*$")
_CENTER_KEY: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _calendar_name(clock: str) -> str | None:
    """The calendar a clock names (``"tokyo"``, ``"calendar:tokyo"``), or ``None``."""
    if clock.startswith(CALENDAR_PREFIX):
        return clock[len(CALENDAR_PREFIX) :]
    if clock in CLOCKS or not _NAME.match(clock):
        return None
    return clock


@final
class ClockNames:
    """The clock names one policy knows: its centers and named calendars (for validation).

    Attributes:
        centers: the center keys, in table order.
        calendars: named calendar -> whether it runs in one zone (a union does not).
    """

    __slots__ = ("calendars", "centers")

    def __init__(self, centers: tuple[str, ...], calendars: Mapping[str, bool]) -> None:
        self.centers = centers
        self.calendars = dict(calendars)

    def problem(self, clock: str) -> str | None:
        """Why ``clock`` is not a clock here, or ``None`` when it is one."""
        if clock in CLOCKS:
            return None
        keys = self.centers
        if clock.startswith(CENTER_PREFIX):
            key = clock[len(CENTER_PREFIX) :]
            if key in keys:
                return None
            did = suggest(CENTER_PREFIX + h for h in close_matches(key, keys))
            return (
                f"unknown support center {key!r} in clock {clock!r}; expected one of {', '.join(keys)}{did}"
            )
        names = list(self.calendars)
        if clock.startswith(CALENDAR_PREFIX):
            name = clock[len(CALENDAR_PREFIX) :]
            if name in self.calendars:
                return None
            if not names:
                return (
                    f"unknown calendar {name!r} in clock {clock!r}; the policy names no calendars "
                    f"(add a [calendars.{name}] table with tz, hours and holidays)"
                )
            did = suggest(CALENDAR_PREFIX + h for h in close_matches(name, names))
            return f"unknown calendar {name!r} in clock {clock!r}; expected one of {', '.join(names)}{did}"
        if clock in self.calendars:
            return None
        did = did_you_mean(clock, [*CLOCKS, *(CENTER_PREFIX + k for k in keys), *names])
        example = "boston" if "boston" in keys or not keys else keys[0]
        also = f", a calendar of the policy ({', '.join(names)})" if names else ""
        return (
            f"unknown clock {clock!r}; expected '24x7', 'customer', 'follow_the_sun'{also} "
            f"or 'center:<key>' (e.g. 'center:{example}'){did}"
        )

    def is_zoned(self, clock: str) -> bool:
        """Whether ``clock`` runs in one time zone (so it has local dates)."""
        if clock == "customer" or clock.startswith(CENTER_PREFIX):
            return True
        name = _calendar_name(clock)
        return name is not None and self.calendars.get(name, False)

    def day_unit_problem(self, unit: str, clock: str) -> str:
        """Why ``unit`` cannot count on ``clock`` (a clock in no single zone)."""
        named = bool(self.calendars)
        which = (
            "'customer', 'center:<key>' or a calendar with a tz" if named else "'customer' or 'center:<key>'"
        )
        if clock == "follow_the_sun":
            why = "a union of centers in several zones has no single local date"
        elif clock == "24x7":
            why = "it is open around the clock in no zone of its own"
        else:
            why = "a union calendar has no single local date"
        return (
            f"{unit} needs a single-zone clock, {which}; clock {clock!r} will not do: {why} "
            f"(count hours instead, e.g. '72 hours on {clock}')"
        )


#: the guidebook's clock names: six centers, no named calendars
GUIDEBOOK_NAMES: Final = ClockNames(tuple(CENTERS), {})

# The clock names of the policy being validated; None outside a policy (a target on its
# own may name any syntactically valid clock, checked when its policy is known).
_SCOPE: contextvars.ContextVar[ClockNames | None] = contextvars.ContextVar(
    "slocalc_clock_scope", default=None
)


@contextmanager
def clock_scope(names: ClockNames) -> Iterator[None]:
    """Validate targets against ``names`` (a policy's clocks) inside the block."""
    token = _SCOPE.set(names)
    try:
        yield
    finally:
        _SCOPE.reset(token)


def syntax_problem(clock: str) -> str | None:
    """Why ``clock`` cannot be a clock in any policy, or ``None``."""
    if clock in CLOCKS or _calendar_name(clock) is not None:
        return None
    if clock.startswith(CENTER_PREFIX) and _CENTER_KEY.match(clock[len(CENTER_PREFIX) :]):
        return None
    return GUIDEBOOK_NAMES.problem(clock) or f"clock {clock!r}: not a clock name"


def scoped_clock_problem(clock: str, unit: str | None) -> str | None:
    """The problem of ``clock`` (for ``unit``) where it is validated, or ``None``.

    Inside a policy's validation the policy's clock names decide; a target on its own
    accepts any well-formed center or calendar name (its policy checks it).
    """
    from slocalc.policies._duration import DAY_UNITS

    names = _SCOPE.get()
    if names is None:
        problem = syntax_problem(clock)
        if problem is None and unit in DAY_UNITS and clock in ("24x7", "follow_the_sun"):
            return GUIDEBOOK_NAMES.day_unit_problem(unit, clock)
        return problem
    problem = names.problem(clock)
    if problem is None and unit in DAY_UNITS and not names.is_zoned(clock):
        return names.day_unit_problem(unit, clock)
    return problem


def clock_problem(clock: str) -> str | None:
    """Why ``clock`` is not a clock of the guidebook, or ``None`` when it is one."""
    return GUIDEBOOK_NAMES.problem(clock)


def is_zoned(clock: str) -> bool:
    """Whether ``clock`` runs in one time zone, among the guidebook's clocks."""
    return GUIDEBOOK_NAMES.is_zoned(clock)


def _need_customer(clock: str, customer: Customer | None) -> Customer:
    if customer is None:
        raise PolicyError(
            f"customer: the {clock!r} clock runs in the customer's zone; pass a Customer, "
            f"e.g. Customer(tz='Europe/Berlin', country='DE')",
            [("customer", "required by the customer clock")],
        )
    if not isinstance(customer, Customer):
        raise SlocalcTypeError(param="customer", value=customer, expected="a Customer")
    return customer


def _clock_error(problem: str) -> PolicyError:
    return PolicyError(f"clock: {problem}", [("clock", problem)])


@final
class Clocks:
    """The calendars one policy's clocks run on: its centers and its named calendars.

    ``policy.clocks`` builds one (shared by equal policies); :data:`GUIDEBOOK` holds the
    guidebook's six centers and no named calendars, what a target on its own runs on.

    Attributes:
        centers: the support centers by key, in table order; ``follow_the_sun`` is their union.
        calendars: the named calendars by name.

    >>> from slocalc.policies._calendars import CalendarSpec
    >>> clocks = Clocks(calendars={"tokyo": CalendarSpec(tz="Asia/Tokyo", holidays="JP")})
    >>> clocks.calendar("tokyo") is clocks.calendar("calendar:tokyo")
    True
    >>> clocks.zone("tokyo")
    zoneinfo.ZoneInfo(key='Asia/Tokyo')
    """

    __slots__ = ("_ftsun", "_hash", "_key", "calendars", "centers", "names")

    def __init__(
        self,
        calendars: Mapping[str, CalendarSpec] | None = None,
        centers: Mapping[str, SupportCenter] | None = None,
    ) -> None:
        specs = dict(calendars or {})
        self.centers: Mapping[str, SupportCenter] = CENTERS if centers is None else dict(centers)
        self._key = (tuple(specs.items()), None if centers is None else tuple(self.centers.values()))
        self._hash = hash(self._key)
        self.names = ClockNames(tuple(self.centers), {k: s.zoned for k, s in specs.items()})
        problems = [p for name, spec in specs.items() for p in self._member_problems(name, spec)]
        if problems:
            raise PolicyError(f"calendars: {problems[0]}", [("calendars", p) for p in problems])
        built: dict[str, Calendar] = {}

        def build(name: str, seen: tuple[str, ...]) -> Calendar:
            if name in built:
                return built[name]
            if name in seen:
                msg = f"the unions of {' -> '.join((*seen, name))} form a cycle; a calendar cannot contain itself"
                raise PolicyError(f"calendars: {msg}", [(f"calendars.{name}.union", msg)])
            spec = specs[name]
            if spec.union is None:
                cal: Calendar = spec.build()
            else:
                parts = []
                for member in spec.union:
                    if member.startswith(CENTER_PREFIX):
                        parts.append(self.centers[member[len(CENTER_PREFIX) :]].calendar)
                    else:
                        parts.append(build(member.removeprefix(CALENDAR_PREFIX), (*seen, name)))
                cal = parts[0] if len(parts) == 1 else Union(*parts)
            built[name] = cal
            return cal

        for name in specs:
            build(name, ())
        self.calendars: Mapping[str, Calendar] = built
        self._ftsun: Calendar | None = None

    def _member_problems(self, name: str, spec: CalendarSpec) -> list[str]:
        out = []
        for member in spec.union or ():
            if member.startswith(CENTER_PREFIX):
                if member[len(CENTER_PREFIX) :] not in self.centers:
                    out.append(f"{name}: {self.names.problem(member)}")
            elif member.removeprefix(CALENDAR_PREFIX) not in self.names.calendars:
                known = list(self.names.calendars)
                out.append(
                    f"{name}: union member {member!r} is not a calendar of the policy; expected "
                    f"one of {', '.join(known)} or 'center:<key>'{did_you_mean(member, known)}"
                )
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Clocks):
            return NotImplemented
        return self is other or (self._hash == other._hash and self._key == other._key)

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        specs, centers = self._key
        return (Clocks, (dict(specs), None if centers is None else {c.key: c for c in centers}))

    def __repr__(self) -> str:
        return (
            f"<Clocks: centers {', '.join(self.centers)}; calendars {', '.join(self.calendars) or '(none)'}>"
        )

    def problem(self, clock: str) -> str | None:
        """Why ``clock`` is not a clock here, or ``None``."""
        return self.names.problem(clock)

    def calendar(self, clock: str, customer: Customer | None = None) -> Calendar:
        """The calendar of ``clock`` (for ``"customer"``, of ``customer``).

        Raises:
            PolicyError: ``clock`` is unknown here, or it is ``"customer"`` and no customer
                is given.
        """
        if clock == "24x7":
            return ALWAYS
        if clock == "customer":
            return _need_customer(clock, customer).calendar()
        if clock == "follow_the_sun":
            if self.centers is CENTERS:
                return _guidebook_follow_the_sun()
            if self._ftsun is None:
                object.__setattr__(self, "_ftsun", follow_the_sun(self.centers))
            assert self._ftsun is not None
            return self._ftsun
        if clock.startswith(CENTER_PREFIX):
            center = self.centers.get(clock[len(CENTER_PREFIX) :])
            if center is not None:
                return center.calendar
        name = _calendar_name(clock)
        if name is not None and name in self.calendars:
            return self.calendars[name]
        problem = self.names.problem(str(clock)) or f"clock {clock!r}: not a clock"
        if name is not None and not self.calendars:
            problem += (
                f"; a calendar a policy names under [calendars.{name}] is known to that policy: "
                "use policy.due(...) or policy.deadline(...), or target.resolve(customer, policy.clocks)"
            )
        raise _clock_error(problem)

    def zone(self, clock: str, customer: Customer | None = None) -> zoneinfo.ZoneInfo:
        """The zone whose local dates a day-counting target uses on ``clock``."""
        if clock == "customer":
            return _need_customer(clock, customer).zone
        problem = self.names.problem(clock)
        if problem is not None:
            raise _clock_error(problem)
        if not self.names.is_zoned(clock):
            msg = f"clock {clock!r} has no single time zone; day units need 'customer', 'center:<key>' or a calendar with a tz"
            raise _clock_error(msg)
        if clock.startswith(CENTER_PREFIX):
            return resolve_zone(self.centers[clock[len(CENTER_PREFIX) :]].tz)
        cal = self.calendar(clock)
        assert isinstance(cal, ZonedCalendar)
        return cal.zone

    def day_calendar(self, clock: str, customer: Customer | None = None) -> ZonedCalendar:
        """The single-zone calendar that ``business_days`` count on."""
        cal = self.calendar(clock, customer)
        if not isinstance(cal, ZonedCalendar) or clock == "24x7" or not self.names.is_zoned(clock):
            msg = (
                f"clock {clock!r} is not a calendar in one zone; business_days need 'customer', "
                "'center:<key>' or a calendar with a tz"
            )
            raise _clock_error(msg)
        return cal


@functools.cache
def _guidebook_follow_the_sun() -> Calendar:
    return follow_the_sun()


#: the guidebook's clocks: its six centers, no named calendars
GUIDEBOOK: Final = Clocks()


def clock_calendar(clock: str, customer: Customer | None = None) -> Calendar:
    """The calendar of a guidebook ``clock`` (for ``"customer"``, of ``customer``).

    A policy's own centers and named calendars: ``policy.clock_calendar(clock, customer)``.

    Raises:
        PolicyError: ``clock`` is unknown, or it is ``"customer"`` and no customer is given.

    >>> clock_calendar("24x7")
    ALWAYS
    >>> clock_calendar("customer", Customer(tz="Asia/Singapore", country="SG"))
    BusinessCalendar(tz='Asia/Singapore', hours='Mon-Fri 08:00-17:00', holidays='SG')
    """
    return GUIDEBOOK.calendar(clock, customer)


def clock_zone(clock: str, customer: Customer | None = None) -> zoneinfo.ZoneInfo:
    """The zone whose local dates a day-counting target uses on a guidebook ``clock``.

    >>> clock_zone("center:singapore")
    zoneinfo.ZoneInfo(key='Asia/Singapore')
    """
    return GUIDEBOOK.zone(clock, customer)


def day_calendar(clock: str, customer: Customer | None = None) -> ZonedCalendar:
    """The single-zone calendar that ``business_days`` count on (guidebook clocks)."""
    return GUIDEBOOK.day_calendar(clock, customer)
