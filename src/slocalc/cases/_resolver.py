"""What a policy says, looked up once: per-customer target plans and lifecycle sets.

Private. A :class:`Plan` is one target (a severity's ``initial_response`` or ``update``)
resolved for one customer: its calendar, how to compute its deadline, and a cheap lower
bound of that deadline (a cycle answered before the bound never computes its deadline). :class:`Resolver` caches plans per policy and customer, and
deadlines per plan and start, so a service that checks the same open cases every minute
computes each deadline once. All instants are UTC ``datetime``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from slocalc.calendars import ALWAYS, Calendar, ZonedCalendar
from slocalc.cases._days import add_days
from slocalc.policies import Customer, Policy, Target

__all__ = ["CustomerKey", "Plan", "Resolver", "customer_key", "lower_bound", "resolver_for"]

CustomerKey = tuple[str, str | None, str | None, str]

_EXACT: Final = 0  # hours/minutes on 24x7: start + step
_HOURS: Final = 1  # hours/minutes on a calendar: clock.add(start, step)
_DAYS: Final = 2  # business_days: clock.add_days(start, n)
_OTHER: Final = 3  # calendar_days and anything else: Target.due
_DUE_CACHE_SIZE: Final = 200_000


#: more than any change of UTC offset over a few days (DST is 1 h, 2 h on Antarctica/Troll)
_SLACK: Final = timedelta(hours=3)


def lower_bound(target: Target) -> timedelta:
    """A duration the target's deadline is never earlier than, from its start.

    Clock time never runs faster than elapsed time, so ``N hours`` is at least N hours
    away. ``N business_days``/``calendar_days`` keep the local wall time N local dates on:
    at least N - 1 days, less any offset change (a zone skipping a date loses a day).
    A replayed event no later than ``start`` plus this bound cannot find the target
    breached, so its deadline need not be computed.
    """
    step = target.clock_time
    if step is not None:
        return step
    return max(timedelta(0), (target.amount - 1) * timedelta(days=1) - _SLACK)


def customer_key(customer: Customer) -> CustomerKey:
    """What makes two customers' clocks the same."""
    return (customer.tz, customer.country, customer.subdiv, customer.hours)


class Plan:
    """One target resolved for one customer.

    Attributes:
        target: the policy's target.
        clock: the calendar pauses are measured on: the target's clock, except for
            ``calendar_days``, whose whole local days ignore business hours (elapsed time).
        elapsed: ``clock`` is ``24x7``, so clock time is elapsed time.
        delta: the deadline is never earlier than ``start + delta`` (exactly that when
            ``exact``): see :func:`lower_bound`.
    """

    __slots__ = (
        "_dues",
        "clock",
        "customer",
        "delta",
        "elapsed",
        "exact",
        "kind",
        "n",
        "step",
        "target",
        "weekly",
    )

    def __init__(
        self, target: Target, customer: Customer, dues: dict[tuple[int, datetime], datetime]
    ) -> None:
        self.target = target
        self.customer = customer
        self._dues = dues
        self.step = target.clock_time
        self.n = target.amount
        calendar = target.calendar(customer)
        if target.unit == "calendar_days":
            self.kind = _OTHER
            self.clock: Calendar = ALWAYS
        elif self.step is not None:
            self.kind = _EXACT if calendar is ALWAYS else _HOURS
            self.clock = calendar
        elif target.unit == "business_days" and isinstance(calendar, ZonedCalendar):
            self.kind = _DAYS
            self.clock = calendar
        else:  # pragma: no cover - every unit is handled above
            self.kind = _OTHER
            self.clock = calendar
        self.elapsed = self.clock is ALWAYS
        self.exact = self.kind == _EXACT
        self.delta = lower_bound(target)

    def due(self, start: datetime) -> datetime:
        """The target's own deadline for a clock started at ``start`` (``Target.due``)."""
        kind = self.kind
        if kind == _EXACT:
            assert self.step is not None
            return start + self.step
        key = (id(self), start)
        found = self._dues.get(key)
        if found is not None:
            return found
        if kind == _HOURS:
            assert self.step is not None
            found = self.clock.add(start, self.step)
        elif kind == _DAYS:
            assert isinstance(self.clock, ZonedCalendar)
            found = add_days(self.clock, start, self.n)
        else:
            found = self.target.due(start, self.customer)
        if len(self._dues) >= _DUE_CACHE_SIZE:
            self._dues.clear()
        self._dues[key] = found
        return found


class Resolver:
    """A policy's plans and lifecycle sets; shared through :func:`resolver_for`."""

    __slots__ = (
        "_dues",
        "_plans",
        "auto_close",
        "closed",
        "levels",
        "lifecycle",
        "pause",
        "policy",
        "restart",
        "statuses",
        "stop",
    )

    def __init__(self, policy: Policy) -> None:
        life = policy.lifecycle
        self.policy = policy
        self.lifecycle = life
        self.levels = frozenset(policy.levels)
        self.statuses = frozenset(life.statuses)
        self.pause = frozenset(life.pause_statuses)
        self.stop = frozenset(life.stop_statuses)
        self.closed = frozenset(life.closed_statuses)
        self.auto_close = frozenset(life.auto_close_statuses) if life.auto_close_after else frozenset()
        self.restart = life.severity_change == "restart"
        self._plans: dict[tuple[int, str, CustomerKey], Plan | None] = {}
        self._dues: dict[tuple[int, datetime], datetime] = {}

    def plan(self, severity: int, metric: str, customer: Customer, key: CustomerKey) -> Plan | None:
        """The plan of ``metric`` at ``severity`` for ``customer`` (whose key is ``key``), or
        ``None`` if the policy has no such target."""
        found = self._plans.get((severity, metric, key), False)
        if found is not False:
            assert found is None or isinstance(found, Plan)
            return found
        policy = self.policy
        target = policy.target(severity, metric) if metric in policy.metrics(severity) else None
        plan = None if target is None else Plan(target, customer, self._dues)
        self._plans[(severity, metric, key)] = plan
        return plan


_RESOLVERS: dict[int, Resolver] = {}


def resolver_for(policy: Policy) -> Resolver:
    """The shared resolver of ``policy`` (by identity; policies are immutable)."""
    res = _RESOLVERS.get(id(policy))
    if res is None or res.policy is not policy:
        if len(_RESOLVERS) > 64:
            _RESOLVERS.clear()
        res = _RESOLVERS[id(policy)] = Resolver(policy)
    return res
