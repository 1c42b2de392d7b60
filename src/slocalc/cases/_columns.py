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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from operator import itemgetter
from typing import Any, Final

from slocalc._time import EPOCH, ONE_US
from slocalc.cases._models import Case, Timeline, timeline_of
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

        if type(source) is not dict and isinstance(source, Mapping):
            source = dict(source)  # e.g. a line parsed on demand: the builder's fast path takes dicts
        return CaseBuilder().build(source)


def columns_from_cases(
    cases: Sequence[Case],
    lines: list[int] | None = None,
    found: list[tuple[datetime, Timeline]] | None = None,
) -> CaseColumns:
    """The columns of validated cases (``Case`` objects, not re-validated).

    ``found``, when given, holds each case's ``timeline_of`` (already computed by the caller).

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

    # whole-batch list comprehensions rather than a loop per event: each is one pass in C
    # over the batch's events (a few times faster than appending field by field)
    if found is None:
        found = [timeline_of(case) for case in cases]
    timelines = [timeline for _, timeline in found]
    flat = [entry for timeline in timelines for entry in timeline]
    events = list(map(_third, flat))
    zones: dict[int, int] = {}
    zone_list: list[tzinfo] = []
    zone: list[int] = []
    for case in cases:
        tz = case.opened_at.tzinfo
        assert tz is not None
        code = zones.get(id(tz))
        if code is None:
            code = zones[id(tz)] = len(zone_list)
            zone_list.append(tz)
        zone.append(code)
    # customers by identity first (readers share one object per distinct customer; hashing
    # a model is slow), then by equality for each object not seen yet
    customers: dict[Customer, int] = {}
    by_id: dict[int, int] = {}
    customer = []
    for case in cases:
        code = by_id.get(id(case.customer))
        if code is None:
            code = by_id[id(case.customer)] = customers.setdefault(case.customer, len(customers))
        customer.append(code)
    names = [ev.status for ev in events]
    statuses = {name: code for code, name in enumerate(n for n in dict.fromkeys(names) if n is not None)}
    codes: dict[str | None, int] = {None: -1}
    codes.update(statuses)
    status = [codes[name] for name in names]
    kinds = KIND_CODES
    first = np.zeros(len(cases) + 1, dtype=np.int64)
    np.cumsum([len(timeline) for timeline in timelines], out=first[1:])
    return CaseColumns(
        ids=[case.id for case in cases],
        severity=np.array([case.severity for case in cases], dtype=np.int64),
        opened=_us(np, [opened for opened, _ in found]),
        zone=np.array(zone, dtype=np.int32),
        zones=zone_list,
        customer=np.array(customer, dtype=np.int32),
        customers=list(customers),
        first=first,
        at=_us(np, list(map(_first, flat))),
        kind=np.array([kinds[ev.kind] for ev in events], dtype=np.int8),
        status=np.array(status, dtype=np.int32),
        level=np.array([0 if ev.severity is None else ev.severity for ev in events], dtype=np.int64),
        index=np.array(list(map(_second, flat)), dtype=np.int32),
        statuses=list(statuses),
        sources=list(cases),
        lines=lines,
    )


_first: Final = itemgetter(0)
_second: Final = itemgetter(1)
_third: Final = itemgetter(2)


def _us(np: Any, instants: list[datetime]) -> Any:
    """UTC microseconds of aware datetimes, exactly (:func:`~slocalc._time.to_us` inlined:
    the call costs as much as the arithmetic)."""
    return np.array([(t - EPOCH) // ONE_US for t in instants], dtype=np.int64)
