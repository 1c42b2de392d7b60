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
from datetime import datetime, timedelta, timezone, tzinfo
from itertools import chain, repeat
from operator import attrgetter, is_, itemgetter
from typing import Any, Final

from pydantic_core import TzInfo

from slocalc._time import EPOCH, MAX_US, MIN_US, ONE_US, US_PER_DAY, US_PER_SECOND
from slocalc.cases._models import KIND_CODES, Case, Timeline, timeline_of
from slocalc.policies import Customer

__all__ = ["KIND_CODES", "CaseColumns", "columns_from_cases"]

#: event kinds as the ``kind`` column codes them (:data:`~slocalc.cases._models.KIND_CODES`)
SUPPORT_UPDATE: Final = KIND_CODES["support_update"]
CUSTOMER_UPDATE: Final = KIND_CODES["customer_update"]
STATUS: Final = KIND_CODES["status"]
SEVERITY: Final = KIND_CODES["severity"]


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

    The columns are those timelines. A validated case carries its timeline as plain values
    (:data:`~slocalc.cases._models.Packed`, made when the case was built): a batch whose
    cases all do is joined from those (a few passes in C over the cases, no pass over their
    events). Otherwise they are read from the cases' events in bulk (a few passes in C
    over every 128 cases, then numpy): each instant as UTC microseconds from its datetime's
    fields and its zone's offset, the timeline order checked at once and only the cases out
    of order sorted (by instant, ties in the order given, as ``timeline_of`` sorts). A batch
    this does not take (a naive instant, a datetime subclass, an instant outside the years
    1-9999 in UTC, an event before ``opened_at``, an event that is not an ``Event``) is built
    case by case from ``found`` or ``timeline_of``, which raises what it always raised.

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

    try:
        cols = _packed_columns(np, cases, lines)
        if cols is None:
            cols = _bulk_columns(np, cases, lines)
    except _NOT_TAKEN:
        cols = None  # e.g. an event that is not an ``Event``: the plain path raises as it always did
    return _plain_columns(np, cases, lines, found) if cols is None else cols


#: what makes the bulk path leave a batch to the plain one (which raises as it always did)
_NOT_TAKEN: Final = (LookupError, TypeError, ValueError, AttributeError, ArithmeticError)

_first: Final = itemgetter(0)
_second: Final = itemgetter(1)
_third: Final = itemgetter(2)
_fields: Final = attrgetter("__dict__")
_case_fields: Final = itemgetter("id", "severity", "opened_at", "customer", "events")
_event_at: Final = itemgetter("at")
_event_what: Final = itemgetter("kind", "status", "severity")
#: ``(datetime, (10 bytes of local fields, tzinfo))`` of an aware datetime, in one C call
_dt_reduce: Final[Any] = datetime.__reduce__
_dt_utcoffset: Final[Any] = datetime.utcoffset
_td_div: Final[Any] = timedelta.__floordiv__
#: tzinfo types whose offset is one constant (``utcoffset(None)`` gives it)
_FIXED: Final = (timezone, TzInfo)
#: cases per chunk of the passes that gather the fields (a chunk's objects stay in the CPU's
#: cache from one pass to the next; a whole batch's would not)
_CHUNK: Final = 128
_private: Final = attrgetter("__pydantic_private__")
_replay_of: Final = itemgetter("_replay")
_fourth: Final = itemgetter(4)
#: what :func:`_instants_us` reads the state bytes with (:func:`_tables`)
_TABLES: list[Any] = []


def _tables(np: Any) -> list[Any]:
    """The tables of :func:`_instants_us`, made on first use: the microseconds from the epoch
    to the day before the 1st of each month of the years 1-9999 (by ``year * 12 + month``,
    which ``state[:3] @ weights`` gives: the year is two bytes), and the weights of the
    other state bytes (day, hour, minute, second, then the microsecond in three bytes)."""
    months = np.arange("0001-01", "10000-01", dtype="datetime64[M]")  # proleptic Gregorian
    since = months.astype(np.int64)  # months since 1970-01
    starts = np.zeros(10000 * 12 + 1, dtype=np.int64)
    starts[(since // 12 + 1970) * 12 + since % 12 + 1] = (
        months.astype("datetime64[D]").astype(np.int64) - 1
    ) * US_PER_DAY
    weights = np.array([256 * 12, 12, 1], dtype=np.int64)
    rest = np.array(
        [US_PER_DAY, 3600 * US_PER_SECOND, 60 * US_PER_SECOND, US_PER_SECOND, 65536, 256, 1], dtype=np.int64
    )
    _TABLES[:] = [starts, weights, rest]
    return _TABLES


class _Codes(dict[Any, int]):
    """A code for each distinct key, in the order the keys first come."""

    __slots__ = ()

    def __missing__(self, key: Any) -> int:
        code = self[key] = len(self)
        return code


def _bulk_columns(np: Any, cases: Sequence[Case], lines: list[int] | None) -> CaseColumns | None:
    """The columns from whole-batch passes in C over the cases and their events; ``None``
    for a batch to build case by case (see :func:`columns_from_cases`)."""
    sources = list(cases)
    n = len(sources)
    if not n:
        return None
    ids: list[str] = []
    severities: list[int] = []
    openeds: list[datetime] = []
    customers: list[Customer] = []
    counts: list[int] = []
    opened_parts: list[Any] = []
    ats: list[datetime] = []
    at_parts: list[Any] = []
    whats: list[int] = []
    plain = 0  # instants of type datetime exactly
    codes = _Codes()
    code_of = codes.__getitem__
    # a few passes per chunk of cases, each in C (map, chain, itemgetter): the later passes
    # over a chunk find its objects still in the CPU's cache
    for start in range(0, n, _CHUNK):
        some_ids, some_levels, some_opened, some_customers, some_events = zip(
            *map(_case_fields, map(_fields, sources[start : start + _CHUNK])), strict=True
        )
        ids += some_ids
        severities += some_levels
        openeds += some_opened
        customers += some_customers
        counts += map(len, some_events)
        plain += list(map(type, some_opened)).count(datetime)
        opened_parts += chain.from_iterable(map(_second, map(_dt_reduce, some_opened)))
        fields = list(map(_fields, chain.from_iterable(some_events)))
        at = list(map(_event_at, fields))
        plain += list(map(type, at)).count(datetime)
        at_parts += chain.from_iterable(map(_second, map(_dt_reduce, at)))  # state, tzinfo, ...
        ats += at
        whats += map(code_of, map(_event_what, fields))
    m = len(ats)
    if plain != n + m:
        return None  # a subclass (a pandas Timestamp orders by its nanoseconds too)
    opened = _instants_us(np, opened_parts, openeds)
    at_us = _instants_us(np, at_parts, ats)
    if opened is None or at_us is None:
        return None  # a naive instant, or one outside the years 1-9999 in UTC
    first = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=first[1:])
    if (at_us < np.repeat(opened, counts)).any():
        return None  # an event before opened_at: timeline_of raises (or found holds what to use)
    given = np.arange(m, dtype=np.int64)
    index = given - np.repeat(first[:-1], counts)  # each event's position in its case
    # a byte per event while there are few codes (a list of ints grows faster than an array)
    what = (
        np.frombuffer(bytes(whats), dtype=np.uint8) if len(codes) <= 256 else np.array(whats, dtype=np.int64)
    )
    # timeline order: by instant, ties in the given order. Most cases come in order; only
    # those that do not are sorted (lexsort is stable: ties keep the given order)
    walk: Any = range(len(codes))
    if m > 1:
        down = at_us[1:] < at_us[:-1]
        starts = first[1:-1]
        down[starts[(starts > 0) & (starts < m)] - 1] = False  # a case may start earlier than the last ended
        if down.any():
            case_of = np.repeat(np.arange(n), counts)
            unsorted = np.zeros(n, dtype=bool)
            unsorted[case_of[1:][down]] = True
            picked = np.flatnonzero(unsorted[case_of])
            order = given  # (not needed as it was any more)
            order[picked] = picked[np.lexsort((at_us[picked], case_of[picked]))]
            at_us, index, what = at_us[order], index[order], what[order]
            seen, where = np.unique(what, return_index=True)
            walk = seen[np.argsort(where)].tolist()  # status codes go by first use in timeline order
    # kind, status and severity by a code per distinct (kind, status, severity)
    keys = list(codes)
    names: dict[str, int] = {}
    status_of = [-1] * len(keys)
    for code in walk:
        name = keys[code][1]
        if name is not None:
            status_of[code] = names.setdefault(name, len(names))
    kinds = KIND_CODES
    kind_of = np.array([kinds[kind] for kind, _, _ in keys], dtype=np.int8)
    level_of = np.array([0 if level is None else level for _, _, level in keys], dtype=np.int64)
    zone, zones = _by_identity(np, opened_parts[1::2])
    customer, equal = _customer_codes(np, customers)
    return CaseColumns(
        ids=ids,
        severity=np.array(severities, dtype=np.int64),
        opened=opened,
        zone=zone,
        zones=zones,
        customer=customer,
        customers=equal,
        first=first,
        at=at_us,
        kind=kind_of[what],
        status=np.array(status_of, dtype=np.int32)[what],
        level=level_of[what],
        index=index.astype(np.int32),
        statuses=list(names),
        sources=sources,
        lines=lines,
    )


def _packed_columns(np: Any, cases: Sequence[Case], lines: list[int] | None) -> CaseColumns | None:
    """The columns joined from each case's timeline as plain values (``Packed``); ``None``
    when a case carries none, or one computed from other events or another ``opened_at``
    (a case built without validation, or copied with other values): see
    :func:`columns_from_cases`."""
    sources = list(cases)
    n = len(sources)
    if not n:
        return None
    ids, severities, openeds, customers, events = zip(*map(_case_fields, map(_fields, sources)), strict=True)
    privates = list(map(_private, sources))
    if None in privates:
        return None  # (a case made by ``model_construct`` with no private values)
    replays = list(map(_replay_of, privates))
    if None in replays:
        return None  # built without validation: the timeline is not computed yet
    if not all(map(is_, map(_first, replays), events)) or not all(map(is_, map(_second, replays), openeds)):
        return None  # not the objects the timeline was computed from
    packs = list(map(_fourth, replays))
    if None in packs:
        return None  # an instant that is not a plain datetime: read from the events
    opened_us, ats, kinds, statuses, levels, indexes = zip(*packs, strict=True)
    counts = list(map(len, kinds))
    first = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=first[1:])
    m = int(first[-1])
    kind = np.frombuffer(b"".join(kinds), dtype=np.int8)
    status = np.full(m, -1, dtype=np.int32)
    names = _Codes()
    status[kind == STATUS] = list(map(names.__getitem__, chain.from_iterable(statuses)))
    level = np.zeros(m, dtype=np.int64)
    level[kind == SEVERITY] = list(chain.from_iterable(levels))
    index = np.arange(m, dtype=np.int32) - np.repeat(first[:-1], counts).astype(np.int32)
    if indexes.count(None) != n:  # a case out of order: its positions as sorted
        for i, order in enumerate(indexes):
            if order is not None:
                index[first[i] : first[i + 1]] = np.frombuffer(order, dtype="<i4")
    zone, zones = _by_identity(np, [opened.tzinfo for opened in openeds])
    customer, equal = _customer_codes(np, list(customers))
    return CaseColumns(
        ids=list(ids),
        severity=np.array(severities, dtype=np.int64),
        opened=np.array(opened_us, dtype=np.int64),
        zone=zone,
        zones=zones,
        customer=customer,
        customers=equal,
        first=first,
        at=np.frombuffer(b"".join(ats), dtype="<i8").astype(np.int64, copy=False),  # (no copy on x86, ARM)
        kind=kind,
        status=status,
        level=level,
        index=index,
        statuses=list(names),
        sources=sources,
        lines=lines,
    )


def _customer_codes(np: Any, customers: list[Customer]) -> tuple[Any, list[Customer]]:
    """``int32`` codes of ``customers`` by equality, and the distinct ones in order of first
    use: by identity first (readers share one object per distinct customer; hashing a model
    is slow), then by equality for each object not seen yet."""
    customer, distinct = _by_identity(np, customers)
    equal: dict[Customer, int] = {}
    merged = np.array([equal.setdefault(c, len(equal)) for c in distinct], dtype=np.int32)
    return merged[customer], list(equal)


def _by_identity(np: Any, items: list[Any]) -> tuple[Any, list[Any]]:
    """``int32`` codes of ``items`` by identity, and the distinct objects in order of first use."""
    if items and all(map(is_, items, repeat(items[0]))):
        return np.zeros(len(items), dtype=np.int32), items[:1]
    ids = list(map(id, items))
    codes = _Codes()
    code = np.array(list(map(codes.__getitem__, ids)), dtype=np.int32)
    objects = dict(zip(ids, items, strict=True))
    return code, [objects[key] for key in codes]


def _instants_us(np: Any, parts: list[Any], instants: list[datetime]) -> Any:
    """UTC microseconds of aware datetimes, exactly; ``None`` if one is naive (or its tzinfo
    gives no offset) or falls outside the years 1-9999 in UTC.

    ``parts`` holds each datetime's pickled state and tzinfo one after the other (what
    ``datetime.__reduce__`` gives): 10 bytes of local fields (year in two bytes, month, day,
    hour, minute, second, microsecond in three), read with numpy. The offset is the zone's
    one constant when all share one ``datetime.timezone`` or pydantic ``TzInfo`` object,
    else each datetime's ``utcoffset()`` (what ``dt - EPOCH`` subtracts: zoneinfo zones
    across DST, ``fold`` included; ``__reduce__`` pickles with protocol 2, which leaves
    ``fold`` out of the bytes).
    """
    n = len(instants)
    if len(parts) != 2 * n:
        return None  # a naive datetime reduces to (fields,): no tzinfo
    tables = _TABLES or _tables(np)
    raw = np.frombuffer(b"".join(parts[0::2]), dtype=np.uint8).reshape(n, 10).astype(np.int64)
    # the month's start from a table by (year, month); the rest of the fields are linear
    us = tables[0][raw[:, :3] @ tables[1]] + raw[:, 3:] @ tables[2]
    if not n:
        return us
    zones = parts[1::2]
    zone = zones[0]
    if type(zone) in _FIXED and all(map(is_, zones, repeat(zone))):
        us -= _td_div(zone.utcoffset(None), ONE_US)  # one zone of one offset: the common case
    else:
        offsets = list(map(_dt_utcoffset, instants))
        if None in offsets:
            return None
        codes = _Codes()  # a zone gives few distinct offsets (often the same objects)
        which = np.array(list(map(codes.__getitem__, offsets)), dtype=np.intp)
        us -= np.array([_td_div(offset, ONE_US) for offset in codes], dtype=np.int64)[which]
    # outside the years 1-9999 in UTC (only a case made without validation): astimezone fails
    return us if us.min() >= MIN_US and us.max() < MAX_US else None


def _plain_columns(
    np: Any, cases: Sequence[Case], lines: list[int] | None, found: list[tuple[datetime, Timeline]] | None
) -> CaseColumns:
    """The columns built case by case from each case's ``timeline_of`` (or ``found``)."""
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
    customer, customers = _customer_codes(np, [case.customer for case in cases])
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
        customer=customer,
        customers=customers,
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


def _us(np: Any, instants: list[datetime]) -> Any:
    """UTC microseconds of aware datetimes, exactly (:func:`~slocalc._time.to_us` inlined:
    the call costs as much as the arithmetic)."""
    return np.array([(t - EPOCH) // ONE_US for t in instants], dtype=np.int64)
