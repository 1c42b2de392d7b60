"""``Severity`` and ``Policy``: a support organisation's promises as data."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar, Final

from pydantic import AfterValidator, BeforeValidator, Field

from slocalc.calendars import Calendar
from slocalc.errors import PolicyError, describe
from slocalc.policies._base import FrozenMap, PolicyModel, Problem, invalid
from slocalc.policies._clock import clock_calendar
from slocalc.policies._customer import Customer
from slocalc.policies._files import dumps_toml, loads_json, loads_toml, read_policy_data
from slocalc.policies._lifecycle import Lifecycle
from slocalc.policies._target import Target

__all__ = ["INITIAL_RESPONSE", "UPDATE", "Policy", "Severity"]

#: the metric every severity must have
INITIAL_RESPONSE: Final = "initial_response"
#: the update cadence
UPDATE: Final = "update"

_METRIC = re.compile(r"^[a-z][a-z0-9_]*$")
SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"


def _check_metric(value: str) -> str:
    if not _METRIC.match(value):
        raise invalid(f"metric {value!r}: expected a lower_snake_case name such as 'initial_response'")
    return value


def _check_level(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(f"expected a whole number such as 1, got {describe(value)}")
    if value < 0:
        raise invalid(f"must be 0 or more, got {value}")
    return value


Metric = Annotated[str, AfterValidator(_check_metric)]
Targets = FrozenMap[Metric, Target]


def _targets_wire(targets: Mapping[str, Target]) -> dict[str, str]:
    return {metric: str(target) for metric, target in targets.items()}


class Severity(PolicyModel):
    """One severity level and its targets, by metric name.

    >>> s = Severity(level=2, name="High", targets={"initial_response": "4 business hours"})
    >>> s.targets["initial_response"]
    Target(amount=4, unit='hours', clock='customer')
    """

    _what: ClassVar[str] = "severity"

    level: Annotated[int, Field(ge=0, description="The level, e.g. 1."), BeforeValidator(_check_level)]
    name: str = Field(default="", description="A label, e.g. 'Critical'.")
    targets: Targets = Field(
        default=FrozenMap(),
        description="Targets by metric: initial_response, update, or any other lower_snake_case name.",
    )

    def to_dict(self) -> dict[str, Any]:
        """The wire form, durations as text."""
        return {"level": self.level, "name": self.name, "targets": _targets_wire(self.targets)}


class Policy(PolicyModel):
    """A support policy: severities with their targets, policy-wide targets, lifecycle rules.

    A severity's targets come first; a metric it lacks falls back to the policy-wide
    ``targets`` (account-level promises such as ``support_contact_change``). Every severity
    must have an ``initial_response`` target, its own or the policy-wide one.

    Invalid input raises :class:`~slocalc.PolicyError` listing every problem with its
    field path.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> p = Policy(
    ...     name="demo",
    ...     severities=[{"level": 1, "targets": {"initial_response": "30 minutes"}}],
    ... )
    >>> opened = datetime(2026, 11, 21, 23, 50, tzinfo=ZoneInfo("Asia/Singapore"))
    >>> p.due(1, "initial_response", opened).isoformat()
    '2026-11-22T00:20:00+08:00'
    >>> Policy(name="bad", severities=[{"level": 1, "targets": {"update": "3 days"}}])
    Traceback (most recent call last):
    ...
    slocalc.errors.PolicyError: invalid policy (2 problems):
      severities[0].targets.update: duration '3 days': 'days' is ambiguous; write '3 business days' or '3 calendar days'
      severities[0].targets: severity 1 has no initial_response target; add one (or a policy-wide one under [targets])
    """

    name: str = Field(description="The policy's name.")
    description: str = Field(default="", description="Free text: where the figures come from.")
    severities: tuple[Severity, ...] = Field(description="The severity levels, each with its targets.")
    targets: Targets = Field(
        default=FrozenMap(),
        description="Policy-wide targets: any severity lacking a metric falls back to these.",
    )
    lifecycle: Lifecycle = Field(
        default=Lifecycle(), description="Status rules: pause, stop, auto-close, reopen, severity change."
    )

    @classmethod
    def _cross_check(cls, data: Mapping[str, Any]) -> list[Problem]:
        out: list[Problem] = []
        severities = data.get("severities")
        if not isinstance(severities, Sequence) or isinstance(severities, str):
            return out
        if not severities:
            out.append(Problem(("severities",), "a policy needs at least one severity"))
        shared = data.get("targets", {})
        shared_ok = not isinstance(shared, Mapping) or INITIAL_RESPONSE in shared
        seen: dict[int, int] = {}
        for i, sev in enumerate(severities):
            if isinstance(sev, Severity):
                level: Any = sev.level
                targets: Any = sev.targets
            elif isinstance(sev, Mapping):
                level, targets = sev.get("level"), sev.get("targets", {})
            else:
                continue
            if isinstance(level, int) and not isinstance(level, bool):
                if level in seen:
                    out.append(
                        Problem(
                            ("severities", i, "level"),
                            f"duplicate severity {level} (also severities[{seen[level]}]); "
                            "each level appears once",
                        )
                    )
                else:
                    seen[level] = i
            if isinstance(targets, Mapping) and INITIAL_RESPONSE not in targets and not shared_ok:
                name = f"severity {level}" if isinstance(level, int) else "this severity"
                out.append(
                    Problem(
                        ("severities", i, "targets"),
                        f"{name} has no {INITIAL_RESPONSE} target; add one "
                        "(or a policy-wide one under [targets])",
                    )
                )
        return out

    def __repr__(self) -> str:
        return f"<Policy {self.name!r}: severities {', '.join(map(str, self.levels))}>"

    def __str__(self) -> str:
        return repr(self)

    # -- lookups ---------------------------------------------------------------------------

    @property
    def levels(self) -> tuple[int, ...]:
        """The severity levels, in file order.

        >>> from slocalc.policies import RAPID7
        >>> RAPID7.levels
        (1, 2, 3)
        """
        return tuple(s.level for s in self.severities)

    def severity(self, level: int) -> Severity:
        """The severity with this level.

        Raises:
            PolicyError: the policy has no such severity.
        """
        for s in self.severities:
            if s.level == level and not isinstance(level, bool):
                return s
        msg = f"no severity {level!r} in policy {self.name!r}; expected one of {self.levels}"
        raise PolicyError(f"severity: {msg}", [("severity", msg)])

    def metrics(self, severity: int | None = None) -> tuple[str, ...]:
        """The metrics with a target for ``severity`` (policy-wide ones included).

        >>> from slocalc.policies import RAPID7
        >>> RAPID7.metrics(2)
        ('initial_response', 'update', 'support_contact_change')
        """
        own = () if severity is None else tuple(self.severity(severity).targets)
        return own + tuple(m for m in self.targets if m not in own)

    def target(self, severity: int | None, metric: str) -> Target:
        """The target of ``metric`` for ``severity``, falling back to the policy-wide one.

        ``severity=None`` looks at the policy-wide targets only.

        Raises:
            PolicyError: no severity ``severity``, or no target for ``metric``.

        >>> from slocalc.policies import RAPID7
        >>> str(RAPID7.target(2, "update")), str(RAPID7.target(None, "support_contact_change"))
        ('3 business days', '2 business days')
        """
        if severity is not None:
            own = self.severity(severity).targets.get(metric)
            if own is not None:
                return own
        shared = self.targets.get(metric)
        if shared is not None:
            return shared
        where = "policy-wide" if severity is None else f"severity {severity}"
        msg = f"no {metric!r} target for {where} in policy {self.name!r}; it has {self.metrics(severity)}"
        raise PolicyError(f"metric: {msg}", [("metric", msg)])

    def clock_calendar(self, clock: str, customer: Customer | None = None) -> Calendar:
        """The calendar of ``clock``: ``"24x7"``, ``"customer"``, ``"follow_the_sun"``, ``"center:<key>"``.

        >>> from slocalc.policies import RAPID7
        >>> RAPID7.clock_calendar("customer", Customer(tz="America/New_York", country="US"))
        BusinessCalendar(tz='America/New_York', hours='Mon-Fri 08:00-17:00', holidays='US')
        """
        return clock_calendar(clock, customer)

    def due(
        self, severity: int | None, metric: str, start: datetime, customer: Customer | None = None
    ) -> datetime:
        """The deadline of one target.

        Args:
            severity: the severity level; ``None`` for a policy-wide target.
            metric: e.g. ``"initial_response"`` or ``"update"``.
            start: aware instant the clock starts at.
            customer: the customer; required by targets on the ``customer`` clock.

        Returns:
            An aware datetime in ``start``'s tzinfo.

        Raises:
            NaiveDatetimeError: ``start`` is naive.
            PolicyError: unknown severity or metric, or a customer clock without a customer.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from slocalc.policies import RAPID7
        >>> ny = Customer(tz="America/New_York", country="US")
        >>> friday = datetime(2026, 11, 20, 15, 0, tzinfo=ZoneInfo("America/New_York"))
        >>> RAPID7.due(2, "initial_response", friday, ny).isoformat()
        '2026-11-23T10:00:00-05:00'
        """
        return self.target(severity, metric).due(start, customer)

    # -- files -----------------------------------------------------------------------------

    @classmethod
    def _from_data(cls, data: Any, what: str) -> Policy:
        if not isinstance(data, Mapping):
            msg = f"expected a table (a JSON object) at the top, got {type(data).__name__}"
            raise PolicyError(f"invalid {what}: {msg}", [("(top level)", msg)])
        if what == cls._what:
            return cls.model_validate(data)
        try:
            return cls.model_validate(data)
        except PolicyError as exc:
            raise PolicyError(problems=exc.problems, what=what) from None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """A policy from parsed file data (nested dicts and lists)."""
        return cls._from_data(data, "policy")

    @classmethod
    def from_toml(cls, text: str) -> Policy:
        """A policy from TOML text.

        >>> Policy.from_toml('''
        ... name = "tiny"
        ... [[severities]]
        ... level = 1
        ... targets.initial_response = "1 hour"
        ... ''')
        <Policy 'tiny': severities 1>
        """
        return cls._from_data(loads_toml(text), "policy")

    @classmethod
    def from_json(cls, text: str) -> Policy:
        """A policy from JSON text."""
        return cls._from_data(loads_json(text), "policy")

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Policy:
        """A policy from a ``.toml`` or ``.json`` file.

        Raises:
            PolicyError: the file is not valid TOML/JSON or not a valid policy; the message
                names the file and every problem.
            OSError: the file cannot be read.
        """
        p = Path(path)
        return cls._from_data(read_policy_data(p), f"policy file {str(p)!r}")

    def to_dict(self) -> dict[str, Any]:
        """The wire form: what :meth:`to_json` and :meth:`to_toml` write, durations as text."""
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        if self.targets:
            out["targets"] = _targets_wire(self.targets)
        out["lifecycle"] = self.lifecycle.to_dict()
        out["severities"] = [s.to_dict() for s in self.severities]
        return out

    def to_toml(self) -> str:
        """The policy as a TOML file; :meth:`from_toml` reads it back equal.

        >>> from slocalc.policies import RAPID7
        >>> Policy.from_toml(RAPID7.to_toml()) == RAPID7
        True
        """
        return dumps_toml(self.to_dict())

    def to_json(self, *, indent: int | None = 2) -> str:
        """The policy as JSON; :meth:`from_json` reads it back equal."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False) + "\n"

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The JSON Schema of policy files, for editors and validators.

        >>> schema = Policy.json_schema()
        >>> schema["title"], sorted(schema["properties"])
        ('Policy', ['description', 'lifecycle', 'name', 'severities', 'targets'])
        """
        schema = cls.model_json_schema(mode="validation")
        for part in [schema, *schema.get("$defs", {}).values()]:
            for sub in [part, *part.get("anyOf", [])]:
                if "description" in sub:  # a model's docstring: keep its summary, drop examples
                    summary = sub["description"].split("\n\n")[0]
                    sub["description"] = " ".join(summary.replace("``", "`").split())
        return {"$schema": SCHEMA_DIALECT, **schema}

    def _repr_html_(self) -> str:
        """The notebook display: the targets per severity (and tier), with their clocks."""
        from slocalc._display import policy_html

        return policy_html(self)
