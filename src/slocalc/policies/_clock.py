"""Clocks: which calendar a target's time runs on.

``"24x7"`` is :data:`~slocalc.calendars.ALWAYS`; ``"customer"`` the customer's business
calendar; ``"follow_the_sun"`` the union of the support centers; ``"center:<key>"`` one
center (:data:`slocalc.calendars.centers.CENTERS`).
"""

from __future__ import annotations

import functools
import zoneinfo
from typing import Final

from slocalc._time import resolve_zone
from slocalc.calendars import ALWAYS, Calendar, ZonedCalendar
from slocalc.calendars.centers import CENTERS, follow_the_sun
from slocalc.errors import PolicyError, SlocalcTypeError, close_matches, did_you_mean, suggest
from slocalc.policies._customer import Customer

__all__ = ["CLOCKS", "clock_calendar", "clock_problem", "clock_zone", "day_calendar", "is_zoned"]

#: the clocks that are not centers
CLOCKS: Final = ("24x7", "customer", "follow_the_sun")
CENTER_PREFIX: Final = "center:"


def center_keys() -> tuple[str, ...]:
    """The known support-center keys, in table order."""
    return tuple(CENTERS)


@functools.cache
def _follow_the_sun() -> Calendar:
    return follow_the_sun()


def clock_problem(clock: str) -> str | None:
    """Why ``clock`` is not a clock, or ``None`` when it is one."""
    if clock in CLOCKS:
        return None
    keys = center_keys()
    if clock.startswith(CENTER_PREFIX):
        key = clock[len(CENTER_PREFIX) :]
        if key in keys:
            return None
        did = suggest(CENTER_PREFIX + h for h in close_matches(key, keys))
        return f"unknown support center {key!r} in clock {clock!r}; expected one of {', '.join(keys)}{did}"
    did = did_you_mean(clock, [*CLOCKS, *(CENTER_PREFIX + k for k in keys)])
    return (
        f"unknown clock {clock!r}; expected '24x7', 'customer', 'follow_the_sun' "
        f"or 'center:<key>' (e.g. 'center:boston'){did}"
    )


def is_zoned(clock: str) -> bool:
    """Whether ``clock`` runs in one time zone (so it has local dates)."""
    return clock == "customer" or clock.startswith(CENTER_PREFIX)


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


def clock_calendar(clock: str, customer: Customer | None = None) -> Calendar:
    """The calendar of ``clock`` (for ``"customer"``, of ``customer``).

    Raises:
        PolicyError: ``clock`` is unknown, or it is ``"customer"`` and no customer is given.

    >>> clock_calendar("24x7")
    ALWAYS
    >>> clock_calendar("customer", Customer(tz="Asia/Singapore", country="SG"))
    BusinessCalendar(tz='Asia/Singapore', hours='Mon-Fri 08:00-17:00', holidays='SG')
    """
    if clock == "24x7":
        return ALWAYS
    if clock == "customer":
        return _need_customer(clock, customer).calendar()
    if clock == "follow_the_sun":
        return _follow_the_sun()
    center = CENTERS.get(clock[len(CENTER_PREFIX) :]) if clock.startswith(CENTER_PREFIX) else None
    if center is None:
        problem = clock_problem(str(clock))
        raise PolicyError(f"clock: {problem}", [("clock", str(problem))])
    return center.calendar


def clock_zone(clock: str, customer: Customer | None = None) -> zoneinfo.ZoneInfo:
    """The zone whose local dates a day-counting target uses on ``clock``.

    >>> clock_zone("center:singapore")
    zoneinfo.ZoneInfo(key='Asia/Singapore')
    """
    if clock == "customer":
        return _need_customer(clock, customer).zone
    problem = clock_problem(clock)
    if problem is not None:
        raise PolicyError(f"clock: {problem}", [("clock", problem)])
    if not clock.startswith(CENTER_PREFIX):
        msg = f"clock {clock!r} has no single time zone; day units need 'customer' or 'center:<key>'"
        raise PolicyError(msg, [("clock", msg)])
    return resolve_zone(CENTERS[clock[len(CENTER_PREFIX) :]].tz)


def day_calendar(clock: str, customer: Customer | None = None) -> ZonedCalendar:
    """The single-zone calendar that ``business_days`` count on."""
    cal = clock_calendar(clock, customer)
    if not isinstance(cal, ZonedCalendar) or clock == "24x7":
        msg = (
            f"clock {clock!r} is not a calendar in one zone; business_days need 'customer' or 'center:<key>'"
        )
        raise PolicyError(msg, [("clock", msg)])
    return cal
