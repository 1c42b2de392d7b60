"""``Target``: an amount of time on a clock, the unit of every promise."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetJsonSchemaHandler,
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from slocalc._time import require_aware
from slocalc.calendars import Calendar
from slocalc.errors import SlocalcTypeError, describe, did_you_mean
from slocalc.policies._base import FrozenMap, PolicyModel, invalid
from slocalc.policies._clock import GUIDEBOOK, Clocks, scoped_clock_problem
from slocalc.policies._customer import Customer
from slocalc.policies._deadline import Deadline, resolve
from slocalc.policies._duration import (
    CLOCK_PATTERN,
    DURATION_PATTERN,
    UNITS,
    Unit,
    format_duration,
    parse_duration,
)
from slocalc.policies._limits import MAX_AMOUNT

__all__ = ["Metric", "Target", "Targets"]


def _check_amount(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(
            f"expected a whole number, got {describe(value)}; "
            "use a smaller unit for fractions, e.g. 90 minutes"
        )
    if value < 1:
        raise invalid(f"must be a positive whole number, got {value}")
    return value


def _check_unit(value: Any) -> Any:
    if value in UNITS:
        return value
    raise invalid(f"unknown unit {value!r}; expected one of {', '.join(UNITS)}{did_you_mean(value, UNITS)}")


def _too_long(amount: object, unit: str) -> str | None:
    limit = MAX_AMOUNT.get(unit)
    if not isinstance(amount, int) or limit is None or amount <= limit:
        return None
    words = unit.replace("_", " ")
    return (
        f"{amount:,} {words} is longer than 100 years, the longest span "
        f"slocalc computes (at most {limit:,} {words}; see docs/limits.md)"
    )


class Target(PolicyModel):
    """A promise: ``amount`` ``unit`` on ``clock``.

    * ``hours`` and ``minutes`` count the clock's open time (``Calendar.add``);
    * ``business_days`` counts business dates of the clock (``add_days``): the deadline
      is the same local wall time as the first open instant, that many business dates on;
    * ``calendar_days`` adds whole local days in the clock's zone (the customer's zone on
      the ``customer`` clock, a center's on ``center:<key>``), keeping the wall time, placed
      by the boundary rule; the clock's hours are not consulted.

    Day units need a clock in one zone: ``customer`` or ``center:<key>``.

    In files a target is a table ``{amount = 4, unit = "hours", clock = "customer"}`` or a
    string such as ``"4 business hours"`` (see :func:`Target.parse`).

    >>> t = Target.parse("4 business hours")
    >>> t
    Target(amount=4, unit='hours', clock='customer')
    >>> str(t)
    '4 business hours'
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> friday = datetime(2026, 11, 20, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    >>> t.due(friday, Customer(tz="Europe/Berlin", country="DE")).isoformat()
    '2026-11-23T10:00:00+01:00'
    """

    _what: ClassVar[str] = "target"

    amount: Annotated[
        int,
        Field(ge=1, description="How many units: a positive whole number."),
        BeforeValidator(_check_amount),
    ]
    unit: Annotated[
        Unit,
        BeforeValidator(_check_unit),
        Field(description="hours or minutes of clock time, business_days, or calendar_days."),
    ]
    clock: str = Field(
        description=(
            "'24x7', 'customer', 'follow_the_sun', 'center:<key>', or a calendar the policy "
            "names: '<name>' or 'calendar:<name>'."
        ),
        json_schema_extra={"pattern": CLOCK_PATTERN},
    )

    @classmethod
    def _coerce(cls, data: Any) -> Any:
        if isinstance(data, str):
            try:
                amount, unit, clock = parse_duration(data)
            except ValueError as exc:
                raise invalid(str(exc)) from None
            return {"amount": amount, "unit": unit, "clock": clock}
        if not isinstance(data, Mapping | Target):
            raise invalid(
                f"expected a duration such as '4 business hours' or a table "
                f"{{amount, unit, clock}}, got {describe(data)}"
            )
        return data

    @field_validator("unit", "clock")
    @classmethod
    def _agree(cls, value: str, info: ValidationInfo) -> str:
        """The amount fits in 100 years of the unit; the unit can run on the clock."""
        if info.field_name == "unit":
            problem = _too_long(info.data.get("amount"), value)
        else:
            problem = scoped_clock_problem(value, info.data.get("unit"))
        if problem is not None:
            raise invalid(problem)
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        structured = handler(schema)
        return {
            "title": "Target",
            "description": "A duration on a clock: a string such as '4 business hours' or a table.",
            "anyOf": [
                {
                    "type": "string",
                    "pattern": DURATION_PATTERN,
                    "examples": ["4 business hours", "3 business days", "10 calendar days", "2 hours"],
                },
                {k: v for k, v in structured.items() if k != "title"},
            ],
        }

    @classmethod
    def parse(cls, text: str) -> Target:
        """Read a duration string.

        ``"N hours"`` and ``"N minutes"`` run on ``24x7``; ``"N business hours"``,
        ``"N business days"`` and ``"N calendar days"`` on ``customer``; a trailing
        ``"on <clock>"`` picks another clock.

        Raises:
            PolicyError: the text is not a duration.

        >>> Target.parse("2 hours")
        Target(amount=2, unit='hours', clock='24x7')
        >>> Target.parse("3 business days on center:boston")
        Target(amount=3, unit='business_days', clock='center:boston')
        """
        if not isinstance(text, str):
            raise SlocalcTypeError(param="text", value=text, expected="a duration string")
        return cls.model_validate(text)

    def __str__(self) -> str:
        return format_duration(self.amount, self.unit, self.clock)

    @property
    def clock_time(self) -> timedelta | None:
        """The clock time of an ``hours``/``minutes`` target; ``None`` for day units.

        >>> Target.parse("90 minutes").clock_time
        datetime.timedelta(seconds=5400)
        """
        if self.unit == "hours":
            return timedelta(hours=self.amount)
        if self.unit == "minutes":
            return timedelta(minutes=self.amount)
        return None

    def calendar(self, customer: Customer | None = None, clocks: Clocks | None = None) -> Calendar:
        """The calendar this target's clock runs on (for ``customer``, of ``customer``).

        ``clocks``: the policy's centers and named calendars (``policy.clocks``); the
        guidebook's by default.
        """
        return (clocks or GUIDEBOOK).calendar(self.clock, customer)

    def resolve(self, customer: Customer | None = None, clocks: Clocks | None = None) -> Deadline:
        """This target resolved for ``customer``: the :class:`Deadline` that computes it.

        Cached: equal targets and customers share one ``Deadline`` (and its per-start
        cache). See docs/policies.md, "Deadlines". A target on a policy's own centers or
        named calendars resolves with that policy's ``clocks`` (``policy.clocks``); the
        policy's :meth:`~slocalc.policies.Policy.deadline` does that, and picks the
        customer's tier.

        Raises:
            PolicyError: the clock needs a customer and none was given.
            SlocalcTypeError: ``customer`` is not a :class:`Customer`.

        >>> from datetime import datetime, UTC
        >>> d = Target.parse("2 hours").resolve()
        >>> d.exact, d.due(datetime(2026, 3, 2, 9, tzinfo=UTC)).isoformat()
        (True, '2026-03-02T11:00:00+00:00')
        """
        return resolve(self, customer, clocks or GUIDEBOOK)

    def due(
        self, start: datetime, customer: Customer | None = None, clocks: Clocks | None = None
    ) -> datetime:
        """The deadline of this target for a clock started at ``start``.

        The same as ``self.resolve(customer).due(start)``.

        Args:
            start: aware instant the clock starts at.
            customer: needed by the ``customer`` clock.
            clocks: the policy's centers and named calendars; the guidebook's by default.

        Returns:
            An aware datetime in ``start``'s tzinfo.

        Raises:
            NaiveDatetimeError: ``start`` is naive.
            PolicyError: the clock needs a customer and none was given.
        """
        require_aware(start, "start")
        return resolve(self, customer, clocks or GUIDEBOOK).due(start)


_METRIC = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_metric(value: str) -> str:
    if not _METRIC.match(value):
        raise invalid(f"metric {value!r}: expected a lower_snake_case name such as 'initial_response'")
    return value


#: a metric name: lower_snake_case
Metric = Annotated[str, AfterValidator(_check_metric)]
#: targets by metric name
Targets = FrozenMap[Metric, Target]
