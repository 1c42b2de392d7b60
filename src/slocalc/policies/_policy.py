"""``Severity`` and ``Policy``: a support organisation's promises as data."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar, Final

from pydantic import BeforeValidator, Field, model_validator

from slocalc._time import require_aware
from slocalc.calendars import Calendar
from slocalc.errors import PolicyError, SlocalcTypeError, describe, did_you_mean
from slocalc.policies._base import FrozenMap, PolicyModel, Problem, invalid
from slocalc.policies._calendars import CalendarSpec, CenterSpec, check_name, union_cycle
from slocalc.policies._clock import GUIDEBOOK_NAMES, ClockNames, Clocks, clock_scope
from slocalc.policies._customer import Customer
from slocalc.policies._deadline import Deadline, resolve
from slocalc.policies._duration import DAY_UNITS
from slocalc.policies._files import dumps_toml, loads_json, loads_toml, read_policy_data
from slocalc.policies._lifecycle import Lifecycle
from slocalc.policies._metrics import BUILTIN_METRICS, STATUS_SETS, MetricDef
from slocalc.policies._schema import patch_schema
from slocalc.policies._target import Metric, Target, Targets
from slocalc.policies._tiers import Tier

__all__ = ["INITIAL_RESPONSE", "UPDATE", "Policy", "Severity"]

#: the metric every severity must have
INITIAL_RESPONSE: Final = "initial_response"
#: the update cadence
UPDATE: Final = "update"


def _check_level(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(f"expected a whole number such as 1, got {describe(value)}")
    if value < 0:
        raise invalid(f"must be 0 or more, got {value}")
    return value


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


def _text(value: object, param: str) -> str:
    """Policy text: a ``str``, or ``bytes`` decoded as UTF-8 (what a file read in binary holds)."""
    if isinstance(value, bytes | bytearray):
        try:
            return bytes(value).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            msg = f"not UTF-8 text (byte {exc.start}); decode it first, or save the file as UTF-8"
            raise PolicyError(f"{param}: {msg}", [("(text)", msg)]) from None
    if not isinstance(value, str):
        raise SlocalcTypeError(
            f"{param}: expected the policy's text as str (or UTF-8 bytes), got {describe(value)}"
        )
    return value


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
    calendars: FrozenMap[str, CalendarSpec] = Field(
        default=FrozenMap(),
        description="Named calendars, usable as clocks: '4 hours on NAME' or clock = 'calendar:NAME'.",
    )
    centers: FrozenMap[str, CenterSpec] | None = Field(
        default=None,
        description="The policy's support centers (follow_the_sun is their union); the guidebook's six if omitted.",
    )
    metric_definitions: FrozenMap[Metric, MetricDef] = Field(
        default=FrozenMap(),
        description="Metric definitions: new metrics, or replacements of built-in ones (see docs/metrics.md).",
    )
    tiers: FrozenMap[str, Tier] = Field(
        default=FrozenMap(),
        description="Customer tiers: targets that override the base ones for Customer(tier=NAME).",
    )

    @classmethod
    def _coerce(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and isinstance(data.get("$schema"), str):  # an editor's schema reference
            return {k: v for k, v in data.items() if k != "$schema"}
        return data

    @model_validator(mode="wrap")
    @classmethod
    def _in_clock_scope(cls, data: Any, handler: Callable[[Any], Any]) -> Any:
        if isinstance(data, Policy) or not isinstance(data, Mapping):
            return handler(data)
        with clock_scope(_clock_names(data)):
            return handler(data)

    @model_validator(mode="after")
    def _tier_clocks_fit(self) -> Policy:
        try:
            names = self.clocks.names
        except PolicyError:  # bad calendars: reported by the cross-check
            return self
        for name, tier in self.tiers.items():
            for old, new in tier.clocks.items():
                if names.is_zoned(new):
                    continue
                for sev in self.severities:
                    for metric, t in [*sev.targets.items(), *self.targets.items()]:
                        if t.clock == old and t.unit in DAY_UNITS and metric not in tier.targets:
                            if metric in tier.severities.get(sev.level, FrozenMap()):
                                continue
                            where = f"severity {sev.level} {metric} ({t})"
                            raise invalid(
                                f"tier {name!r} moves {where} to clock {new!r}: "
                                + names.day_unit_problem(t.unit, new),
                                loc=("tiers", name, "clocks", old),
                            )
        return self

    @classmethod
    def _cross_check(cls, data: Mapping[str, Any]) -> list[Problem]:
        out = cls._severity_problems(data)
        names = _clock_names(data)
        out += _calendar_problems(data, names)
        out += _tier_problems(data, names)
        out += _metric_problems(data)
        for loc, target in _prebuilt_targets(data):
            problem = names.problem(target.clock)
            if problem is None and target.unit in DAY_UNITS and not names.is_zoned(target.clock):
                problem = names.day_unit_problem(target.unit, target.clock)
            if problem is not None:
                out.append(Problem((*loc, "clock"), problem))
        return out

    @classmethod
    def _severity_problems(cls, data: Mapping[str, Any]) -> list[Problem]:
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

    @property
    def clocks(self) -> Clocks:
        """The centers and named calendars this policy's clocks run on (shared by equal policies).

        >>> from slocalc.policies import RAPID7
        >>> RAPID7.clocks
        <Clocks: centers belfast, dublin, boston, austin, los_angeles, singapore; calendars (none)>
        """
        return _clocks_for(self.calendars, self.centers)

    @property
    def definitions(self) -> Mapping[str, MetricDef]:
        """Every metric this policy defines: the built-in ones and its ``metric_definitions``.

        >>> from slocalc.policies import RAPID7
        >>> list(RAPID7.definitions)[:4]
        ['initial_response', 'update', 'next_reply', 'resolution']
        """
        return {**BUILTIN_METRICS, **self.metric_definitions}

    def tracked_metrics(self) -> tuple[str, ...]:
        """The metrics with a target somewhere in the policy that cases track, in first-seen order.

        >>> from slocalc.policies import RAPID7
        >>> RAPID7.tracked_metrics()
        ('initial_response', 'update')
        """
        seen = [m for s in self.severities for m in s.targets]
        seen += list(self.targets)
        for t in self.tiers.values():
            seen += list(t.targets) + [m for targets in t.severities.values() for m in targets]
        defs = self.definitions
        return tuple(m for m in dict.fromkeys(seen) if defs[m].tracked)

    def tier(self, name: str) -> Tier:
        """The tier called ``name``.

        Raises:
            PolicyError: the policy has no such tier (the message lists its tiers).
        """
        found = self.tiers.get(name)
        if found is not None:
            return found
        if not self.tiers:
            msg = f"customer tier {name!r}: policy {self.name!r} defines no tiers; drop the tier or add [tiers.{name}]"
        else:
            known = list(self.tiers)
            msg = (
                f"customer tier {name!r}: not a tier of policy {self.name!r}; expected one of "
                f"{', '.join(known)}{did_you_mean(name, known)}"
            )
        raise PolicyError(f"tier: {msg}", [("tier", msg)])

    def metrics(self, severity: int | None = None, customer: Customer | None = None) -> tuple[str, ...]:
        """The metrics with a target for ``severity`` (policy-wide ones, and the customer's tier's, included).

        >>> from slocalc.policies import RAPID7
        >>> RAPID7.metrics(2)
        ('initial_response', 'update', 'support_contact_change')
        """
        own = () if severity is None else tuple(self.severity(severity).targets)
        out = own + tuple(m for m in self.targets if m not in own)
        tier = _tier_of(customer)
        if tier is not None:
            t = self.tier(tier)
            extra = [*(t.severities.get(severity, {}) if severity is not None else {}), *t.targets]
            out += tuple(dict.fromkeys(m for m in extra if m not in out))
        return out

    def _choose(self, severity: int | None, metric: str, tier: str | None) -> tuple[Target, str | None, str]:
        """``(target, tier applied, source)`` by the selection order of docs/policies.md, "Tiers"."""
        t = None if tier is None else self.tier(tier)
        if severity is not None:
            self.severity(severity)
        if t is not None:
            if severity is not None:
                own = t.severities.get(severity, FrozenMap()).get(metric)
                if own is not None:
                    return own, tier, f"tier {tier!r}, severity {severity}"
            shared = t.targets.get(metric)
            if shared is not None:
                return shared, tier, f"tier {tier!r}, every severity"
        base: Target | None = None
        where = "policy-wide"
        if severity is not None:
            base = self.severity(severity).targets.get(metric)
            where = f"severity {severity}"
        if base is None:
            base = self.targets.get(metric)
            where = "policy-wide"
        if base is None:
            what = "policy-wide" if severity is None else f"severity {severity}"
            msg = f"no {metric!r} target for {what} in policy {self.name!r}; it has {self.metrics(severity)}"
            raise PolicyError(f"metric: {msg}", [("metric", msg)])
        if t is not None:
            clock = t.clocks.get(base.clock)
            if clock is not None:
                moved = base.replace(clock=clock)
                return moved, tier, f"{where}, on {clock!r} instead of {base.clock!r} for tier {tier!r}"
            return base, None, f"{where} (tier {tier!r} keeps it)"
        return base, None, where

    def target(self, severity: int | None, metric: str, customer: Customer | None = None) -> Target:
        """The target of ``metric`` for ``severity`` and the customer's tier.

        The selection order (docs/policies.md, "Tiers"): the tier's target for the
        severity, the tier's target for every severity, the severity's own target, the
        policy-wide one; a base target runs on the tier's replacement clock, if any.
        ``severity=None`` looks at the policy-wide targets (and the tier's) only.

        Raises:
            PolicyError: no severity ``severity``, no target for ``metric``, or the
                customer's tier is not a tier of the policy.

        >>> from slocalc.policies import RAPID7
        >>> str(RAPID7.target(2, "update")), str(RAPID7.target(None, "support_contact_change"))
        ('3 business days', '2 business days')
        """
        return self._choose(severity, metric, _tier_of(customer))[0]

    def deadline(self, severity: int | None, metric: str, customer: Customer | None = None) -> Deadline:
        """The target of ``metric`` resolved for ``customer``: the :class:`Deadline` that computes it.

        Picks the target by the customer's tier (:meth:`target`), looks its clock up in the
        policy's :attr:`clocks`, and records the choice in ``Deadline.tier`` and
        ``Deadline.source``. Cached like :meth:`Target.resolve`.

        >>> p = Policy.from_toml('''
        ... name = "tiered"
        ... [[severities]]
        ... level = 1
        ... targets.initial_response = "2 hours"
        ... [tiers.premium.severities.1]
        ... initial_response = "30 minutes"
        ... ''')
        >>> d = p.deadline(1, "initial_response", Customer(tz="UTC", tier="premium"))
        >>> str(d.target), d.tier, d.source
        ('30 minutes', 'premium', "tier 'premium', severity 1")
        >>> p.deadline(1, "initial_response", Customer(tz="UTC")).source
        'severity 1'
        """
        target, tier, source = self._choose(severity, metric, _tier_of(customer))
        return resolve(target, customer, self.clocks, tier=tier, source=source)

    def clock_calendar(self, clock: str, customer: Customer | None = None) -> Calendar:
        """The calendar of ``clock``: ``"24x7"``, ``"customer"``, ``"follow_the_sun"``, ``"center:<key>"`` or a named calendar.

        >>> from slocalc.policies import RAPID7
        >>> RAPID7.clock_calendar("customer", Customer(tz="America/New_York", country="US"))
        BusinessCalendar(tz='America/New_York', hours='Mon-Fri 08:00-17:00', holidays='US')
        """
        return self.clocks.calendar(clock, customer)

    def due(
        self, severity: int | None, metric: str, start: datetime, customer: Customer | None = None
    ) -> datetime:
        """The deadline of one target (for the customer's tier).

        Args:
            severity: the severity level; ``None`` for a policy-wide target.
            metric: e.g. ``"initial_response"`` or ``"update"``.
            start: aware instant the clock starts at.
            customer: the customer; required by targets on the ``customer`` clock. Its
                ``tier`` picks the tier's targets.

        Returns:
            An aware datetime in ``start``'s tzinfo.

        Raises:
            NaiveDatetimeError: ``start`` is naive.
            PolicyError: unknown severity, metric or tier, or a customer clock without a
                customer.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from slocalc.policies import RAPID7
        >>> ny = Customer(tz="America/New_York", country="US")
        >>> friday = datetime(2026, 11, 20, 15, 0, tzinfo=ZoneInfo("America/New_York"))
        >>> RAPID7.due(2, "initial_response", friday, ny).isoformat()
        '2026-11-23T10:00:00-05:00'
        """
        require_aware(start, "start")
        return self.deadline(severity, metric, customer).due(start)

    def due_many(self, severities: Any, metric: str, starts: Any, customers: Any = None) -> Any:
        """:meth:`due` for a whole column of cases at once (vectorised, NaT preserved).

        Args:
            severities: one severity per start (an array, a pandas/Polars column or a
                sequence), or one ``int`` for all.
            metric: e.g. ``"initial_response"``.
            starts: the clock starts: a numpy ``datetime64``/``int64`` array, a pandas
                ``Series``/``DatetimeIndex``, a Polars or pyarrow column, or a sequence of
                aware datetimes.
            customers: one :class:`Customer` per start (a sequence or column), one for all,
                or ``None`` when no target needs a customer.

        Returns:
            The deadlines in the container type of ``starts`` (same zone and index), each
            equal to ``policy.due(severity, metric, start, customer)``. See
            docs/guides/dataframes.md.

        >>> import numpy as np
        >>> from slocalc.policies import RAPID7
        >>> starts = np.array(["2026-11-20T15:00", "NaT"], dtype="datetime64[us]")
        >>> RAPID7.due_many([1, 1], "initial_response", starts)
        array(['2026-11-20T17:00:00.000000',                        'NaT'],
              dtype='datetime64[us]')
        """
        from slocalc.policies._many import due_many

        return due_many(self, severities, metric, starts, customers)

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
    def from_toml(cls, text: str | bytes) -> Policy:
        """A policy from TOML text.

        >>> Policy.from_toml('''
        ... name = "tiny"
        ... [[severities]]
        ... level = 1
        ... targets.initial_response = "1 hour"
        ... ''')
        <Policy 'tiny': severities 1>
        """
        return cls._from_data(loads_toml(_text(text, "text")), "policy")

    @classmethod
    def from_json(cls, text: str | bytes) -> Policy:
        """A policy from JSON text (``str``, or UTF-8 ``bytes``)."""
        return cls._from_data(loads_json(_text(text, "text")), "policy")

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
        if self.calendars:
            out["calendars"] = {k: c.to_dict() for k, c in self.calendars.items()}
        if self.centers is not None:
            out["centers"] = {k: c.to_dict() for k, c in self.centers.items()}
        out["lifecycle"] = self.lifecycle.to_dict()
        out["severities"] = [s.to_dict() for s in self.severities]
        if self.metric_definitions:
            out["metric_definitions"] = {k: d.to_dict() for k, d in self.metric_definitions.items()}
        if self.tiers:
            out["tiers"] = {k: t.to_dict() for k, t in self.tiers.items()}
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

        The same as the file :func:`~slocalc.policies.schema_path` names (shipped with
        slocalc, printed by ``slocalc schema``). See docs/policies.md, "JSON Schema".

        >>> schema = Policy.json_schema()
        >>> schema["$id"], schema["title"]
        ('urn:slocalc:schema:policy:1', 'Policy')
        >>> sorted(schema["properties"])[:4]
        ['$schema', 'calendars', 'centers', 'description']
        """
        schema = cls.model_json_schema(mode="validation")
        for part in [schema, *schema.get("$defs", {}).values()]:
            for sub in [part, *part.get("anyOf", [])]:
                if "description" in sub:  # a model's docstring: keep its summary, drop examples
                    summary = sub["description"].split("\n\n")[0]
                    sub["description"] = " ".join(summary.replace("``", "`").split())
        return patch_schema(schema)

    def _repr_html_(self) -> str:
        """The notebook display: the targets per severity (and tier), with their clocks."""
        from slocalc._display import policy_html

        return policy_html(self)


# -- helpers of validation ---------------------------------------------------------------------


def _tier_of(customer: Customer | None) -> str | None:
    if customer is None:
        return None
    if not isinstance(customer, Customer):
        raise SlocalcTypeError(param="customer", value=customer, expected="a Customer")
    return customer.tier


@functools.lru_cache(maxsize=256)
def _clocks_for(
    calendars: FrozenMap[str, CalendarSpec], centers: FrozenMap[str, CenterSpec] | None
) -> Clocks:
    built = None if centers is None else {k: c.build(k) for k, c in centers.items()}
    return Clocks(calendars, built)


def _clock_names(data: Mapping[str, Any]) -> ClockNames:
    """The clock names a raw policy document defines (its centers and calendars)."""
    centers = data.get("centers")
    calendars = data.get("calendars")
    if not isinstance(centers, Mapping) and not isinstance(calendars, Mapping):
        return GUIDEBOOK_NAMES
    keys = tuple(str(k) for k in centers) if isinstance(centers, Mapping) else GUIDEBOOK_NAMES.centers
    named: dict[str, bool] = {}
    for name, spec in (calendars or {}).items() if isinstance(calendars, Mapping) else ():
        if isinstance(spec, CalendarSpec):
            named[str(name)] = spec.zoned
        else:
            named[str(name)] = not (isinstance(spec, Mapping) and "union" in spec)
    return ClockNames(keys, named)


def _entry(part: Any, model: type[Any], key: str) -> Any:
    """``key`` of a policy part, given built (a ``model``: its attribute) or as data (a
    mapping: its entry); ``None`` for anything else."""
    if isinstance(part, model):
        return getattr(part, key)
    return part.get(key) if isinstance(part, Mapping) else None


def _calendar_problems(data: Mapping[str, Any], names: ClockNames) -> list[Problem]:
    out: list[Problem] = []
    calendars = data.get("calendars")
    unions: dict[str, list[str]] = {}
    if isinstance(calendars, Mapping):
        for name, spec in calendars.items():
            bad = check_name(name, "calendar name", "tokyo")
            if bad is not None:
                out.append(Problem(("calendars", str(name)), bad))
            members = _entry(spec, CalendarSpec, "union")
            if not isinstance(members, Sequence) or isinstance(members, str):
                continue
            unions[str(name)] = [m for m in members if isinstance(m, str)]
            for i, member in enumerate(members):
                if not isinstance(member, str):
                    continue
                if member.startswith("center:"):
                    problem = names.problem(member)
                elif member.removeprefix("calendar:") not in names.calendars:
                    known = list(names.calendars)
                    problem = (
                        f"union member {member!r} is not a calendar of the policy; expected one of "
                        f"{', '.join(known)} or 'center:<key>'{did_you_mean(member, known)}"
                    )
                else:
                    problem = None
                if problem is not None:
                    out.append(Problem(("calendars", str(name), "union", i), problem))
        cycle = union_cycle(unions)
        if cycle is not None:
            out.append(
                Problem(
                    ("calendars", cycle[0], "union"),
                    f"the unions of {' -> '.join(cycle)} form a cycle; a calendar cannot contain itself",
                )
            )
    centers = data.get("centers")
    if isinstance(centers, Mapping):
        if not centers:
            out.append(
                Problem(
                    ("centers",), "name at least one center, or leave centers out for the guidebook's six"
                )
            )
        for key in centers:
            bad = check_name(key, "center key", "tokyo")
            if bad is not None:
                out.append(Problem(("centers", str(key)), bad))
    return out


def _tier_problems(data: Mapping[str, Any], names: ClockNames) -> list[Problem]:
    out: list[Problem] = []
    tiers = data.get("tiers")
    if not isinstance(tiers, Mapping):
        return out
    levels: list[Any] = []
    severities = data.get("severities")
    if isinstance(severities, Sequence) and not isinstance(severities, str):
        for sev in severities:
            level = _entry(sev, Severity, "level")
            levels.append(level)
    for name, tier in tiers.items():
        bad = check_name(name, "tier name", "premium")
        if bad is not None:
            out.append(Problem(("tiers", str(name)), bad))
        per = _entry(tier, Tier, "severities")
        if isinstance(per, Mapping):
            for key in per:
                level = int(key) if isinstance(key, str) and key.strip().isdigit() else key
                if isinstance(level, int) and levels and level not in levels:
                    out.append(
                        Problem(
                            ("tiers", str(name), "severities", str(key)),
                            f"severity {level} is not a severity of the policy; expected one of "
                            f"{', '.join(map(str, levels))}",
                        )
                    )
    return out


def _target_maps(data: Mapping[str, Any], *, raw_tiers: bool) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Each place a policy's data holds a metric-to-target map: its location and what stands
    there (not necessarily a mapping); tiers given as plain mappings too with ``raw_tiers``."""
    yield ("targets",), data.get("targets")
    severities = data.get("severities")
    if isinstance(severities, Sequence) and not isinstance(severities, str):
        for i, sev in enumerate(severities):
            targets = _entry(sev, Severity, "targets")
            yield ("severities", i, "targets"), targets
    tiers = data.get("tiers")
    if isinstance(tiers, Mapping):
        for name, tier in tiers.items():
            if isinstance(tier, Tier):
                yield ("tiers", str(name), "targets"), tier.targets
                for level, targets in tier.severities.items():
                    yield ("tiers", str(name), "severities", str(level)), targets
            elif raw_tiers and isinstance(tier, Mapping):
                yield ("tiers", str(name), "targets"), tier.get("targets")
                per = tier.get("severities")
                if isinstance(per, Mapping):
                    for level, targets in per.items():
                        yield ("tiers", str(name), "severities", str(level)), targets


def _prebuilt_targets(data: Mapping[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Target]]:
    """The ``Target`` objects a Python caller passed in (validated before the policy was known)."""

    def in_map(loc: tuple[str | int, ...], targets: Any) -> Iterator[tuple[tuple[str | int, ...], Target]]:
        if isinstance(targets, Mapping):
            for metric, t in targets.items():
                if isinstance(t, Target):
                    yield (*loc, str(metric)), t

    for loc, targets in _target_maps(data, raw_tiers=False):
        yield from in_map(loc, targets)
    life = data.get("lifecycle")
    if isinstance(life, Lifecycle):
        for field in ("auto_close_after", "reopen_window"):
            t = getattr(life, field)
            if isinstance(t, Target):
                yield ("lifecycle", field), t


_GUIDEBOOK_METRICS: Final = ("initial_response", "update")


def _metric_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Targets whose metric has no definition; definitions naming unknown statuses."""
    out: list[Problem] = []
    defined = dict(BUILTIN_METRICS)
    own = data.get("metric_definitions")
    if isinstance(own, Mapping):
        defined.update({str(k): v for k, v in own.items()})
        for name in own:
            if name in _GUIDEBOOK_METRICS:
                # the replay follows the guidebook's rules for these two (docs/metrics.md);
                # a redefinition would be silently ignored, so it is refused
                out.append(
                    Problem(
                        ("metric_definitions", name),
                        f"{name!r} cannot be redefined: its rules are the case lifecycle's "
                        "(docs/concepts/case-lifecycle.md); define a metric of another name "
                        f"instead, e.g. [metric_definitions.my_{name}]",
                    )
                )
    known = list(defined)

    def check(loc: tuple[str | int, ...], targets: Any) -> None:
        if not isinstance(targets, Mapping):
            return
        for metric in targets:
            if isinstance(metric, str) and metric not in defined:
                out.append(
                    Problem(
                        (*loc, metric),
                        f"metric {metric!r} has no definition; use a built-in one ({', '.join(BUILTIN_METRICS)}) "
                        f"or define it under [metric_definitions.{metric}] (start, stop, pause_in, ...; see "
                        f"docs/metrics.md){did_you_mean(metric, known)}",
                    )
                )

    for loc, targets in _target_maps(data, raw_tiers=True):
        check(loc, targets)
    life = data.get("lifecycle", {})
    statuses = _entry(life, Lifecycle, "statuses")
    if statuses is None:
        statuses = Lifecycle().statuses
    if isinstance(own, Mapping) and isinstance(statuses, Sequence):
        for name, spec in own.items():
            for field in ("pause_in", "stop_in"):
                items = _entry(spec, MetricDef, field)
                if not isinstance(items, Sequence) or isinstance(items, str):
                    continue
                for i, item in enumerate(items):
                    if isinstance(item, str) and item not in statuses and item not in STATUS_SETS:
                        choices = [*STATUS_SETS, *statuses]
                        out.append(
                            Problem(
                                ("metric_definitions", str(name), field, i),
                                f"unknown status {item!r}; expected a lifecycle status or one of "
                                f"{', '.join(STATUS_SETS)}{did_you_mean(item, choices)}",
                            )
                        )
    return out
