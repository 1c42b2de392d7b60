"""``Customer``: the time zone, holidays and business hours of the ``customer`` clock."""

from __future__ import annotations

import functools
import re
import zoneinfo
from typing import Any, ClassVar

from pydantic import Field, field_validator, model_validator

from slocalc._time import resolve_zone
from slocalc.calendars import BusinessCalendar
from slocalc.errors import CalendarSpecError, SlocalcError
from slocalc.policies._base import PolicyModel, Problem, invalid, policy_error

__all__ = ["DEFAULT_HOURS", "Customer"]

#: the customer's business hours unless a Customer says otherwise (see docs/concepts/clocks.md)
DEFAULT_HOURS = "Mon-Fri 08:00-17:00"
_TIER = re.compile(r"^[a-z][a-z0-9_]*$")


@functools.lru_cache(maxsize=1024)
def customer_calendar(tz: str, country: str | None, subdiv: str | None, hours: str) -> BusinessCalendar:
    """The business calendar of one customer; equal customers share one (lazily compiled)."""
    holidays: str | tuple[str, str] | None = None
    if country is not None:
        holidays = country if subdiv is None else (country, subdiv)
    return BusinessCalendar(tz=tz, hours=hours, holidays=holidays)


class Customer(PolicyModel):
    """Where a customer is: the zone, holidays and hours of the ``customer`` clock.

    The ``customer`` clock runs Mon–Fri 08:00–17:00 on the customer's local wall clock
    (``hours`` changes that), closed on the public holidays of ``country`` (and
    ``subdiv``) from the holidays package.

    Args:
        tz: IANA zone name, e.g. ``"Europe/Berlin"``.
        country: ISO 3166 country code for public holidays, e.g. ``"DE"``; none if omitted.
        subdiv: a subdivision of ``country``, e.g. ``"BY"`` for Bavaria.
        hours: weekly business hours in the calendar grammar.
        tier: the customer's service tier, e.g. ``"premium"``: a policy's
            ``[tiers.NAME]`` whose targets override the base ones (see docs/policies.md,
            "Tiers"); ``None`` for the base targets.

    Raises:
        UnknownTimezoneError: ``tz`` is not an IANA zone.
        CalendarSpecError: ``country``, ``subdiv`` or ``hours`` is invalid.

    >>> berlin = Customer(tz="Europe/Berlin", country="DE")
    >>> berlin
    Customer(tz='Europe/Berlin', country='DE')
    >>> berlin.calendar()
    BusinessCalendar(tz='Europe/Berlin', hours='Mon-Fri 08:00-17:00', holidays='DE')
    >>> berlin.calendar() is Customer(tz="Europe/Berlin", country="DE").calendar()
    True
    """

    _what: ClassVar[str] = "customer"

    tz: str = Field(description="IANA time zone name, e.g. 'Europe/Berlin'.")
    country: str | None = Field(
        default=None, description="ISO 3166 country code for public holidays, e.g. 'DE'."
    )
    subdiv: str | None = Field(
        default=None, description="Subdivision of the country for regional holidays, e.g. 'BY'."
    )
    hours: str = Field(default=DEFAULT_HOURS, description="Weekly business hours, local wall clock.")
    tier: str | None = Field(
        default=None, description="The customer's service tier, e.g. 'premium'; none for the base targets."
    )

    @classmethod
    def _error(cls, problems: list[Problem], data: object) -> SlocalcError:
        if len(problems) == 1 and problems[0].error is not None:
            return problems[0].error  # e.g. the CalendarSpecError of a bad country code
        return policy_error(problems, cls._what)

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        resolve_zone(value)  # UnknownTimezoneError (a KeyError) is not wrapped by pydantic
        return value

    @field_validator("tier")
    @classmethod
    def _tier_name(cls, value: str | None) -> str | None:
        if value is not None and not _TIER.match(value):
            raise invalid(f"tier {value!r}: expected a lower_snake_case name such as 'premium'")
        return value

    @model_validator(mode="after")
    def _valid_calendar(self) -> Customer:
        if self.subdiv is not None and self.country is None:
            raise CalendarSpecError(
                f"subdiv {self.subdiv!r}: a subdivision needs its country, e.g. country='US', subdiv='MA'"
            )
        self.calendar()
        return self

    def __repr_args__(self) -> Any:
        yield "tz", self.tz
        if self.country is not None:
            yield "country", self.country
        if self.subdiv is not None:
            yield "subdiv", self.subdiv
        if self.hours != DEFAULT_HOURS:
            yield "hours", self.hours
        if self.tier is not None:
            yield "tier", self.tier

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The customer's zone.

        >>> Customer(tz="Asia/Singapore").zone
        zoneinfo.ZoneInfo(key='Asia/Singapore')
        """
        return resolve_zone(self.tz)

    def calendar(self) -> BusinessCalendar:
        """The customer's business calendar: the ``customer`` clock.

        Equal customers share one calendar object, so its compiled intervals are reused.
        """
        return customer_calendar(self.tz, self.country, self.subdiv, self.hours)
