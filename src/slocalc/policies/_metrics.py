"""Metrics as data: when each metric's clock starts, pauses, resumes and stops.

A :class:`MetricDef` says it in terms of a case's events and statuses (see docs/metrics.md):

* events: ``opened`` (the case is opened), ``first_reply`` (the first ``support_update``),
  ``support_update``, ``customer_update``, ``closed`` (the case enters a closed status),
  ``reopened``;
* status sets: a lifecycle status, or one of the lifecycle's lists ``pause_statuses``,
  ``stop_statuses``, ``closed_statuses``.

:data:`BUILTIN_METRICS` defines ``initial_response`` and ``update`` (the guidebook's two, in
these terms), and the helpdesk metrics ``next_reply``, ``resolution``, ``requester_wait``
and ``agent_work``, plus the account-level ``support_contact_change`` that no case tracks.
A policy's ``[metric_definitions.NAME]`` tables add metrics or replace a built-in definition
(except ``initial_response`` and ``update``, whose rules are the case lifecycle's).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final, Literal

from pydantic import Field

from slocalc.policies._base import FrozenMap, PolicyModel

__all__ = ["BUILTIN_METRICS", "EVENTS", "STATUS_SETS", "MetricDef"]

Event = Literal["opened", "first_reply", "support_update", "customer_update", "closed", "reopened"]
#: the events a metric's clock reacts to
EVENTS: Final = ("opened", "first_reply", "support_update", "customer_update", "closed", "reopened")
#: the lifecycle's status lists a metric may name instead of statuses
STATUS_SETS: Final = ("pause_statuses", "stop_statuses", "closed_statuses")


class MetricDef(PolicyModel):
    """When one metric's clock starts, pauses, resumes and stops (docs/metrics.md).

    * ``start``: the event that starts a clock when none is running (``None``: no case
      event does: an account-level promise such as ``support_contact_change``);
    * ``after``: start events count only once this event has happened (``next_reply``
      starts at customer updates after the first reply);
    * ``stop``: events that meet the running clock;
    * ``restart_on``: events that meet the running clock and start the next one at once;
    * ``pause_in``: statuses (or status lists) in which the clock pauses; it resumes on
      leaving them;
    * ``stop_in``: statuses in which the clock stops unmet: ``stopped`` (or ``cancelled``
      when ``cancel_unbreached`` and it had not breached);
    * ``restart_after_stop``: leaving a ``stop_in`` status starts a new clock (the update
      cadence after a case leaves the engineering backlog or is reopened);
    * ``recurring``: after a clock ends, the next start event starts another (``False``: at
      most one clock per case).

    >>> BUILTIN_METRICS["next_reply"].start, BUILTIN_METRICS["next_reply"].after
    ('customer_update', 'first_reply')
    >>> BUILTIN_METRICS["update"].restart_on
    ('support_update',)
    """

    _what: ClassVar[str] = "metric"

    description: str = Field(default="", description="What the metric measures.")
    start: Event | None = Field(
        default=None,
        description="The event that starts a clock when none runs; none for an untracked metric.",
    )
    after: Event | None = Field(default=None, description="Start events count only after this event.")
    stop: tuple[Event, ...] = Field(default=(), description="Events that meet the running clock.")
    restart_on: tuple[Event, ...] = Field(
        default=(), description="Events that meet the running clock and start the next one."
    )
    pause_in: tuple[str, ...] = Field(
        default=(),
        description="Statuses (or pause_statuses, stop_statuses, closed_statuses) that pause the clock.",
    )
    stop_in: tuple[str, ...] = Field(
        default=(), description="Statuses (or a lifecycle list) in which the clock stops unmet."
    )
    cancel_unbreached: bool = Field(
        default=False,
        description="A clock stopped unmet before its deadline is 'cancelled' rather than 'stopped'.",
    )
    restart_after_stop: bool = Field(
        default=False, description="Leaving a stop_in status starts a new clock."
    )
    recurring: bool = Field(
        default=False, description="After a clock ends, the next start event starts another."
    )

    @property
    def tracked(self) -> bool:
        """Whether cases track this metric (it has a start event)."""
        return self.start is not None

    def statuses(self, field: str, lifecycle: Any) -> frozenset[str]:
        """The statuses ``pause_in`` or ``stop_in`` names, lifecycle lists expanded."""
        out: set[str] = set()
        for item in getattr(self, field):
            out.update(getattr(lifecycle, item) if item in STATUS_SETS else (item,))
        return frozenset(out)

    def to_dict(self) -> dict[str, Any]:
        """The wire form: only the fields that differ from the defaults."""
        out: dict[str, Any] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value != field.default:
                out[name] = list(value) if isinstance(value, tuple) else value
        return out


BUILTIN_METRICS: Final[Mapping[str, MetricDef]] = FrozenMap(
    {
        "initial_response": MetricDef(
            description="First reply: from opening to the first support update; closing the case first cancels it.",
            start="opened",
            stop=("support_update",),
            stop_in=("closed_statuses",),
            cancel_unbreached=True,
        ),
        "update": MetricDef(
            description=(
                "Periodic update: from the first reply, each support update meets the running cycle and "
                "starts the next; pauses and stops as the lifecycle says; leaving a stop status starts a "
                "new cycle."
            ),
            start="first_reply",
            restart_on=("support_update",),
            pause_in=("pause_statuses",),
            stop_in=("stop_statuses",),
            restart_after_stop=True,
            recurring=True,
        ),
        "next_reply": MetricDef(
            description=(
                "Next reply: starts at a customer update after the first reply when none runs; met by the "
                "next support update."
            ),
            start="customer_update",
            after="first_reply",
            stop=("support_update",),
            pause_in=("pause_statuses",),
            stop_in=("closed_statuses",),
            recurring=True,
        ),
        "resolution": MetricDef(
            description="Full resolution: from opening until the case first enters a closed status.",
            start="opened",
            stop=("closed",),
        ),
        "requester_wait": MetricDef(
            description=(
                "Requester wait: from opening until closed, paused while the case waits on the customer "
                "(the lifecycle's pause statuses)."
            ),
            start="opened",
            stop=("closed",),
            pause_in=("pause_statuses",),
        ),
        "agent_work": MetricDef(
            description=(
                "Agent work: from opening until closed, paused while the case waits on the customer or is "
                "stopped elsewhere (pause and stop statuses, e.g. the engineering backlog)."
            ),
            start="opened",
            stop=("closed",),
            pause_in=("pause_statuses", "stop_statuses"),
        ),
        "support_contact_change": MetricDef(
            description="An account-level promise (support contact changes); no case tracks it.",
        ),
    }
)
