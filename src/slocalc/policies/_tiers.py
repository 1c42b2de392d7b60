"""``Tier``: a customer tier's overrides of a policy's targets (``[tiers.NAME]``).

A customer with ``tier="premium"`` gets, for each severity and metric, the first of (see
docs/policies.md, "Tiers"):

1. the tier's target for that severity: ``[tiers.premium.severities.1]``;
2. the tier's target for every severity: ``[tiers.premium.targets]``;
3. the severity's own target, then the policy-wide one, each on the tier's replacement
   clock when ``[tiers.premium.clocks]`` replaces its clock.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field

from slocalc.errors import describe
from slocalc.policies._base import FrozenMap, PolicyModel, invalid
from slocalc.policies._clock import scoped_clock_problem
from slocalc.policies._target import Targets

__all__ = ["Tier"]


def _level_key(value: Any) -> Any:
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(f"severity level {value!r}: expected a whole number such as 1, got {describe(value)}")
    return value


def _clock(value: Any) -> Any:
    if isinstance(value, str):
        problem = scoped_clock_problem(value, None)
        if problem is not None:
            raise invalid(problem)
    return value


Level = Annotated[int, BeforeValidator(_level_key)]
ClockName = Annotated[str, BeforeValidator(_clock)]


class Tier(PolicyModel):
    """One customer tier: targets that override the policy's, per severity and metric.

    >>> t = Tier(severities={"1": {"initial_response": "30 minutes"}}, clocks={"customer": "24x7"})
    >>> str(t.severities[1]["initial_response"]), dict(t.clocks)
    ('30 minutes', {'customer': '24x7'})
    """

    _what: ClassVar[str] = "tier"

    description: str = Field(default="", description="Free text: who gets this tier.")
    severities: FrozenMap[Level, Targets] = Field(
        default=FrozenMap(), description="Per severity level: targets by metric that replace the base ones."
    )
    targets: Targets = Field(
        default=FrozenMap(), description="Targets by metric that replace the base ones for every severity."
    )
    clocks: FrozenMap[ClockName, ClockName] = Field(
        default=FrozenMap(),
        description="Clock replacements: a base target on the key clock runs on the value clock for this tier.",
    )

    def to_dict(self) -> dict[str, Any]:
        """The wire form (levels as strings, durations as text)."""
        out: dict[str, Any] = {}
        if self.description:
            out["description"] = self.description
        if self.clocks:
            out["clocks"] = dict(self.clocks)
        if self.targets:
            out["targets"] = {m: str(t) for m, t in self.targets.items()}
        if self.severities:
            out["severities"] = {
                str(level): {m: str(t) for m, t in targets.items()}
                for level, targets in self.severities.items()
            }
        return out
