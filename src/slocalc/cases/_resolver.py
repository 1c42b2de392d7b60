"""What a policy says, looked up once: per-customer deadlines and lifecycle sets.

Private. :class:`Resolver` holds a policy's lifecycle sets and, per severity, metric and
customer, the policy layer's :class:`~slocalc.policies.Deadline` (``Target.resolve``):
the one place a target becomes a deadline (see docs/policies.md, "Deadlines"). The replay
reads a ``Deadline``'s ``clock``, ``elapsed``, ``exact`` and ``lower_bound`` and asks it
for ``due(start)``; it keeps no deadline rule of its own. All instants are UTC ``datetime``.
"""

from __future__ import annotations

from slocalc.policies import INITIAL_RESPONSE, UPDATE, Customer, Deadline, MetricDef, Policy

__all__ = ["CustomerKey", "MetricSpec", "Resolver", "customer_key", "resolver_for"]

CustomerKey = tuple[str, str | None, str | None, str, str | None]


def customer_key(customer: Customer) -> CustomerKey:
    """What makes two customers' deadlines the same: their clock and their tier (cheaper to
    hash than the model)."""
    return (customer.tz, customer.country, customer.subdiv, customer.hours, customer.tier)


class MetricSpec:
    """A tracked metric other than the guidebook's two: its definition, with the lifecycle
    lists it names expanded to status sets (see docs/metrics.md)."""

    __slots__ = ("definition", "name", "pause", "stop")

    def __init__(self, name: str, definition: MetricDef, policy: Policy) -> None:
        self.name = name
        self.definition = definition
        self.pause = definition.statuses("pause_in", policy.lifecycle)
        self.stop = definition.statuses("stop_in", policy.lifecycle)


class Resolver:
    """A policy's deadlines and lifecycle sets; shared through :func:`resolver_for`."""

    __slots__ = (
        "_deadlines",
        "auto_close",
        "clocks",
        "closed",
        "levels",
        "lifecycle",
        "metrics",
        "pause",
        "policy",
        "reopenable",
        "restart",
        "statuses",
        "stop",
    )

    def __init__(self, policy: Policy) -> None:
        life = policy.lifecycle
        self.policy = policy
        self.lifecycle = life
        self.clocks = policy.clocks
        self.levels = frozenset(policy.levels)
        self.statuses = frozenset(life.statuses)
        self.pause = frozenset(life.pause_statuses)
        self.stop = frozenset(life.stop_statuses)
        self.closed = frozenset(life.closed_statuses)
        self.reopenable = frozenset(s for s in life.closed_statuses if life.reopens(s))
        self.auto_close = frozenset(life.auto_close_statuses) if life.auto_close_after else frozenset()
        self.restart = life.severity_change == "restart"
        self._deadlines: dict[tuple[int, str, CustomerKey], Deadline | None] = {}
        defs = policy.definitions
        #: the tracked metrics the replay follows by their definitions (the guidebook's
        #: initial_response and update have their own rules, docs/concepts/case-lifecycle.md)
        self.metrics = tuple(
            MetricSpec(m, defs[m], policy)
            for m in policy.tracked_metrics()
            if m not in (INITIAL_RESPONSE, UPDATE)
        )

    def deadline(self, severity: int, metric: str, customer: Customer, key: CustomerKey) -> Deadline | None:
        """The deadline of ``metric`` at ``severity`` for ``customer`` (whose key is ``key``),
        or ``None`` if the policy has no such target."""
        found = self._deadlines.get((severity, metric, key), False)
        if found is not False:
            assert found is None or isinstance(found, Deadline)
            return found
        policy = self.policy
        has = metric in policy.metrics(severity, customer)
        deadline = policy.deadline(severity, metric, customer) if has else None
        self._deadlines[(severity, metric, key)] = deadline
        return deadline


_RESOLVERS: dict[int, Resolver] = {}


def resolver_for(policy: Policy) -> Resolver:
    """The shared resolver of ``policy`` (by identity; policies are immutable)."""
    res = _RESOLVERS.get(id(policy))
    if res is None or res.policy is not policy:
        if len(_RESOLVERS) > 64:
            _RESOLVERS.clear()
        res = _RESOLVERS[id(policy)] = Resolver(policy)
    return res
