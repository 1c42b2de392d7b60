"""Many cases as columns: the input of the columnar replay (docs/scaling.md).

Private. A :class:`CaseColumns` holds a bounded batch of cases as numpy arrays, one row
per case and one per event, with every instant as UTC microseconds and every name as a
small integer code into a table the batch carries. It depends on no policy: the replay
maps the batch's status table onto a policy's lifecycle once per batch.

Events of case ``i`` are rows ``first[i]:first[i + 1]``, in *timeline order*: by UTC
instant, ties in the order the case gives them (what ``timeline_of`` computes), and
``index`` holds each event's position in the case's own ``events`` list (for messages).

:func:`columns_from_cases` builds one from validated :class:`~slocalc.cases.Case` objects;
the readers build one straight from JSON lines (no ``Case`` objects on the way). Every
case keeps its ``source`` (the ``Case``, or the mapping it was read from) so a case the
columnar replay does not take is replayed by the scalar path from the same input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Final

from slocalc._time import to_us
from slocalc.cases._models import Case, timeline_of
from slocalc.policies import Customer

__all__ = ["KIND_CODES", "CaseColumns", "columns_from_cases"]

#: event kinds as the ``kind`` column codes them
KIND_CODES: Final = {"support_update": 0, "customer_update": 1, "status": 2, "severity": 3}
SUPPORT_UPDATE: Final = 0
CUSTOMER_UPDATE: Final = 1
STATUS: Final = 2
SEVERITY: Final = 3


@dataclass(slots=True, eq=False)
class CaseColumns:
    """A batch of ``n`` cases and their ``m`` events as columns.

    Attributes:
        ids: the case ids, in input order.
        severity: ``int64[n]``, each case's severity as opened.
        opened: ``int64[n]``, ``opened_at`` in UTC microseconds.
        zone: ``int32[n]``, index into ``zones``: the tzinfo of each case's ``opened_at``
            (the reports' instants are shown in it).
        zones: the distinct tzinfos of ``opened_at``.
        customer: ``int32[n]``, index into ``customers``.
        customers: the distinct customers.
        first: ``int64[n + 1]``, where each case's events begin (and the last one ends).
        at: ``int64[m]``, each event's instant in UTC microseconds (timeline order).
        kind: ``int8[m]``, the event kind (:data:`KIND_CODES`).
        status: ``int32[m]``, index into ``statuses`` for a ``status`` event, else -1.
        level: ``int64[m]``, the new severity of a ``severity`` event, else 0.
        index: ``int32[m]``, the event's position in its case's ``events``.
        statuses: the distinct status names the events use.
        sources: per case, the ``Case`` or the mapping it was read from (for the scalar
            path: :meth:`case`).
        lines: per case, the physical line its input began on, or ``None``.
    """

    ids: list[str]
    severity: Any
    opened: Any
    zone: Any
    zones: list[tzinfo]
    customer: Any
    customers: list[Customer]
    first: Any
    at: Any
    kind: Any
    status: Any
    level: Any
    index: Any
    statuses: list[str]
    sources: list[Any]
    lines: list[int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def case(self, i: int) -> Case:
        """Case ``i`` as a validated ``Case`` (built from its source if it was read)."""
        source = self.sources[i]
        if isinstance(source, Case):
            return source
        from slocalc.cases._fast import CaseBuilder

        return CaseBuilder().build(source)


def columns_from_cases(cases: Sequence[Case], lines: list[int] | None = None) -> CaseColumns:
    """The columns of validated cases (``Case`` objects, not re-validated).

    Raises:
        TimelineError: a case built without validation has an event before ``opened_at``
            (as :func:`~slocalc.cases.check` raises it).

    >>> from datetime import datetime, UTC
    >>> from slocalc.cases import Case, Event
    >>> from slocalc.policies import Customer
    >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    >>> cols = columns_from_cases([Case(id="C-1", severity=2, opened_at=t0, customer=Customer(tz="UTC"),
    ...     events=[Event(at=t0.replace(hour=11), kind="status", status="in_progress"),
    ...             Event(at=t0.replace(hour=10), kind="support_update")])])
    >>> cols.kind.tolist(), cols.index.tolist(), cols.statuses
    ([0, 2], [1, 0], ['in_progress'])
    """
    import numpy as np

    ids: list[str] = []
    severity: list[int] = []
    opened: list[int] = []
    zone: list[int] = []
    zones: dict[int, int] = {}
    zone_list: list[tzinfo] = []
    customer: list[int] = []
    customers: dict[Customer, int] = {}
    first = [0]
    at: list[int] = []
    kind: list[int] = []
    status: list[int] = []
    level: list[int] = []
    index: list[int] = []
    statuses: dict[str, int] = {}
    kinds = KIND_CODES
    for case in cases:
        opened_utc, timeline = timeline_of(case)
        ids.append(case.id)
        severity.append(case.severity)
        opened.append(to_us(opened_utc))
        tz = case.opened_at.tzinfo
        assert tz is not None
        code = zones.get(id(tz))
        if code is None:
            code = zones[id(tz)] = len(zone_list)
            zone_list.append(tz)
        zone.append(code)
        cust = customers.get(case.customer)
        if cust is None:
            cust = customers[case.customer] = len(customers)
        customer.append(cust)
        for utc, i, ev in timeline:
            at.append(to_us(utc))
            kind.append(kinds[ev.kind])
            index.append(i)
            name = ev.status
            if name is None:
                status.append(-1)
            else:
                s = statuses.get(name)
                if s is None:
                    s = statuses[name] = len(statuses)
                status.append(s)
            level.append(0 if ev.severity is None else ev.severity)
        first.append(len(at))
    return CaseColumns(
        ids=ids,
        severity=np.array(severity, dtype=np.int64),
        opened=np.array(opened, dtype=np.int64),
        zone=np.array(zone, dtype=np.int32),
        zones=zone_list,
        customer=np.array(customer, dtype=np.int32),
        customers=list(customers),
        first=np.array(first, dtype=np.int64),
        at=np.array(at, dtype=np.int64),
        kind=np.array(kind, dtype=np.int8),
        status=np.array(status, dtype=np.int32),
        level=np.array(level, dtype=np.int64),
        index=np.array(index, dtype=np.int32),
        statuses=list(statuses),
        sources=list(cases),
        lines=lines,
    )
