"""JSON Lines straight into :class:`~slocalc.cases._columns.CaseColumns`, no ``Case`` objects.

Private. :class:`ColumnBuilder` reads a batch of JSON Lines lines into columns, with every
line's validity and error message exactly what :func:`~slocalc.cases.read_cases` gives
(docs/scaling.md). It works per batch, not per event:

1. Each line is parsed by the standard library's C scanner (no ``object_pairs_hook``: a
   Python call per object costs a fifth of the parse). A line the scanner does not take
   as one object (a backslash, bytes that are not UTF-8, leading space, a syntax error...)
   is parsed the reader's own way (``_parse_line``, with the hook): its error is the
   reader's, and an object it gives joins the batch.
2. The shape checks :class:`~slocalc.cases._fast.CaseBuilder` makes run over the whole
   batch at once: each field of every case, then of every event of the batch flattened,
   is read by ``map`` over C-level callables (``dict.get``, ``len``, ``type``), kinds and
   status names become codes by one dictionary lookup each, and every check is a numpy
   comparison or a set of types, so a case passes or fails as a whole. Instants come from
   a cache of UTC microseconds per distinct text; the new texts of a batch are parsed
   together, by numpy over their bytes, for each layout ``CaseBuilder`` parses itself
   (``_INSTANT``: with or without seconds and fractions, ``Z`` or an offset), with the
   checks that pattern and ``datetime.fromisoformat`` make; any text it does not take is
   parsed one by one as ``CaseBuilder`` does.
3. Duplicate keys are refused without the hook by counting: a line without a backslash
   holds exactly two ``"`` per string, and parsing drops a key given twice (at least one
   string of the line has no counterpart in the parsed value), so a line whose ``"`` count
   is twice the strings of its parsed value holds no key twice.
4. A case that fails any check (rare in an export) goes the reader's own way:
   ``_parse_line`` again if it was parsed without the hook, then ``CaseBuilder().build``:
   the same ``Case``, appended from its timeline as
   :func:`~slocalc.cases._columns.columns_from_cases` does, or the same
   :class:`~slocalc.cases.InvalidLine`.
5. Case ids are checked for duplicates in line order, across all batches of one builder,
   as the reader does (a case found on either path counts). Events are put in timeline
   order by sorting only the cases whose instants are not already in order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from itertools import chain, repeat
from typing import Any, Final

import numpy as np
from pydantic_core import TzInfo

from slocalc._time import to_us
from slocalc._validation import MAX_WHOLE
from slocalc.cases._columns import KIND_CODES, CaseColumns
from slocalc.cases._fast import _INSTANT, _STATUS, CaseBuilder
from slocalc.cases._models import Case, timeline_of
from slocalc.cases._readers import InvalidLine, _build, _parse_line, _undecodable
from slocalc.cases._seen import SeenIds
from slocalc.policies import Customer

__all__ = ["ColumnBuilder"]

_CASE_KEYS: Final = frozenset({"id", "severity", "opened_at", "customer", "events"})
_CUSTOMER_KEYS: Final = frozenset({"tz", "country", "subdiv", "hours"})
#: the caches are cleared when they reach this size (memory stays bounded)
_CACHE_LIMIT: Final = 1 << 16
#: the standard library's C scanner: what ``json.loads`` runs, without its Python wrapper
_scan: Final[Callable[[str, int], tuple[Any, int]]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_fromisoformat: Final = datetime.fromisoformat
_get: Final[Callable[[dict[str, Any], str], Any]] = dict.get
#: the instant of a text the fast path does not take: before any instant it takes
_BAD: Final = -(2**63)
#: event kind -> code; every other value -> -1
_KINDS: Final[dict[Any, int]] = dict(KIND_CODES)
_STATUS_KIND: Final = KIND_CODES["status"]
_SEVERITY: Final = KIND_CODES["severity"]
_SPACE: Final = " \t\n\r"
_EMPTY: Final[dict[str, Any]] = {}


def _instant_layouts() -> dict[int, tuple[int, int, bool]]:
    """Text length -> (seconds digits end, fraction digits, offset?) of the layouts ``_INSTANT``
    matches: ``YYYY-MM-DDTHH:MM``, then ``:SS``, ``:SS.fff`` or ``:SS.ffffff``, then ``Z`` or
    ``+HH:MM``. The lengths differ, so the length alone tells the layout."""
    layouts: dict[int, tuple[int, int, bool]] = {}
    for body, fraction in ((16, 0), (19, 0), (23, 3), (26, 6)):
        layouts[body + 1] = (body, fraction, False)
        layouts[body + 6] = (body, fraction, True)
    return layouts


_LAYOUTS: Final = _instant_layouts()
_CUMULATIVE: Final = (0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def _digits(a: Any, start: int, stop: int) -> Any:
    """The number written by columns ``start:stop`` of the byte rows ``a``."""
    value = np.zeros(len(a), dtype=np.int64)
    for col in range(start, stop):
        value = value * 10 + (a[:, col].astype(np.int64) - 48)
    return value


def _parse_layout(texts: list[str], body: int, fraction: int, offset: bool) -> tuple[Any, Any]:
    """UTC microseconds of instant texts of one layout, and whether each is one
    ``CaseBuilder`` takes (``_INSTANT`` matches, ``fromisoformat`` parses, a year from 2 to
    9998)."""
    size = len(texts[0])
    a = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8).reshape(len(texts), size)
    digit_cols = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15]
    seps = {4: "-", 7: "-", 10: "T", 13: ":"}
    if body >= 19:
        digit_cols += [17, 18]
        seps[16] = ":"
    if fraction:
        digit_cols += list(range(20, 20 + fraction))
        seps[19] = "."
    if offset:
        digit_cols += [body + 1, body + 2, body + 4, body + 5]
        seps[body + 3] = ":"
    else:
        seps[body] = "Z"
    ok = ((a[:, digit_cols] - 48) <= 9).all(axis=1)  # uint8: below "0" wraps round
    for col, char in seps.items():
        ok &= a[:, col] == ord(char)
    year, month, day = _digits(a, 0, 4), _digits(a, 5, 7), _digits(a, 8, 10)
    hour, minute = _digits(a, 11, 13), _digits(a, 14, 16)
    second = _digits(a, 17, 19) if body >= 19 else 0
    micro = _digits(a, 20, 20 + fraction) * 10 ** (6 - fraction) if fraction else 0
    shift: Any = 0
    if offset:
        sign = np.where(a[:, body] == ord("+"), 1, np.where(a[:, body] == ord("-"), -1, 0))
        ok &= sign != 0
        oh, om = _digits(a, body + 1, body + 3), _digits(a, body + 4, body + 6)
        ok &= (oh <= 23) & (om <= 59)
        shift = sign * (oh * 3600 + om * 60)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (hour <= 23) & (minute <= 59) & (second <= 59)
    month = np.clip(month, 1, 12)
    lengths = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[month] + (leap & (month == 2))
    ok &= (day <= lengths) & (year > 1) & (year < 9999)
    # days since 1970-01-01 of the proleptic Gregorian date
    before = year - 1
    days = (
        365 * before
        + before // 4
        - before // 100
        + before // 400
        + np.array(_CUMULATIVE)[month]
        + (leap & (month > 2))
        + day
        - 719163
    )
    us = (days * 86400 + hour * 3600 + minute * 60 + second - shift) * 1_000_000 + micro
    return us, ok


def _case_events(case: Case) -> tuple[list[int], list[int], list[str | None], list[int], list[int]]:
    """A validated case's events in timeline order: instants, kinds, status names, levels
    and given positions (what ``columns_from_cases`` reads)."""
    _, timeline = timeline_of(case)
    ats = [to_us(utc) for utc, _, _ in timeline]
    kinds = [KIND_CODES[ev.kind] for _, _, ev in timeline]
    names = [ev.status for _, _, ev in timeline]
    levels = [0 if ev.severity is None else ev.severity for _, _, ev in timeline]
    index = [i for _, i, _ in timeline]
    return ats, kinds, names, levels, index


def _in_range(case: Case) -> bool:
    """Whether every severity of ``case`` fits the model's range (an ``int64`` column holds it)."""
    if not -MAX_WHOLE <= case.severity <= MAX_WHOLE:
        return False
    return all(e.severity is None or -MAX_WHOLE <= e.severity <= MAX_WHOLE for e in case.events)


def _codes(objects: list[Any], key: Callable[[Any], Any]) -> tuple[list[int], list[Any]]:
    """Codes of ``objects`` in order of first appearance, equal keys sharing one, and the
    distinct objects; looked up by ``id`` (the objects are shared), compared by ``key``."""
    by_id: dict[int, Any] = dict.fromkeys(map(id, objects))  # C-level, in order of first appearance
    if len(by_id) == 0:
        return [], []
    firsts: dict[int, Any] = {}
    for obj in objects:
        if id(obj) not in firsts:
            firsts[id(obj)] = obj
            if len(firsts) == len(by_id):
                break
    table: dict[Any, int] = {}
    distinct: list[Any] = []
    for ident, obj in firsts.items():
        k = key(obj)
        code = table.get(k)
        if code is None:
            code = table[k] = len(distinct)
            distinct.append(obj)
        by_id[ident] = code
    return list(map(by_id.__getitem__, map(id, objects))), distinct


class ColumnBuilder:
    """Builds :class:`CaseColumns` batches from JSON Lines lines, as the reader reads them.

    One builder reads one stream: it remembers the case ids of every batch it built, and
    refuses a later line with an id seen before, as :func:`~slocalc.cases.read_cases` does.

    >>> line = ('{"id": "C-1", "severity": 2, "opened_at": "2026-03-02T09:00:00+05:45",'
    ...         ' "customer": {"tz": "Asia/Kathmandu"},'
    ...         ' "events": [{"at": "2026-03-02T04:00:00Z", "kind": "support_update"}]}\\n')
    >>> builder = ColumnBuilder()
    >>> cols, invalid = builder.build([(1, line), (2, "\\n"), (3, '{"id": "C-2",\\n')])
    >>> cols.ids, cols.lines, cols.opened.tolist(), cols.at.tolist(), cols.zones
    (['C-1'], [1], [1772421300000000], [1772424000000000], [TzInfo(20700)])
    >>> invalid
    [InvalidLine(line=3, reason='not valid JSON: Expecting property name enclosed in double quotes (column 1)')]
    >>> builder.build([(4, line)])[1]  # a later batch of the same stream
    [InvalidLine(line=4, reason="case 'C-1': duplicate case id (first on line 1); one case per line")]
    """

    def __init__(self) -> None:
        self._seen = SeenIds()
        self._builder = CaseBuilder()
        #: instant text -> UTC microseconds; ``_BAD``: not a text the fast path takes
        self._instants: dict[str, int] = {}
        #: the tzinfo of each offset text ("Z", "+05:45"): the kind pydantic gives
        self._zones: dict[str, tzinfo] = {"Z": TzInfo(0)}
        self._customers: dict[tuple[tuple[str, Any], ...], Customer | None] = {}
        #: status name -> a code of this builder, and the names by code
        self._names: dict[str, int] = {}
        self._name_list: list[str] = []
        #: an event's status value -> its code if the fast path takes it, -1 for ``None`` (no
        #: status), -2 for a name it does not take
        self._fast_status: dict[Any, int] = {None: -1}

    def build(self, lines: Iterable[tuple[int, str]]) -> tuple[CaseColumns, list[InvalidLine]]:
        """The cases of ``(line number, text)`` pairs as columns, and the invalid lines.

        Blank lines are passed over. ``lines`` of the columns holds each case's line
        number and ``sources`` the mapping it was parsed from (or the ``Case``).
        """
        if len(self._fast_status) > _CACHE_LIMIT:  # only between batches: codes hold in one
            self._names, self._name_list, self._fast_status = {}, [], {None: -1}
        numbers: list[int] = []
        texts: list[str] = []
        datas: list[dict[str, Any]] = []
        hooked: list[int] = []  # the objects parsed with the hook already
        places: list[int] = []  # each object's position among the lines
        invalid: list[tuple[int, InvalidLine]] = []
        scan = _scan
        for place, (number, text) in enumerate(lines):
            if text[:1] == "{" and "\\" not in text and (text.isascii() or _undecodable(text) is None):
                try:
                    data, end = scan(text, 0)
                except (ValueError, RecursionError, StopIteration):
                    pass  # the reader's own parse words the error
                else:
                    if end == len(text) or not text[end:].strip(_SPACE):
                        numbers.append(number)
                        texts.append(text)
                        datas.append(data)
                        places.append(place)
                        continue
            elif not text.strip():
                continue
            data, problem = _parse_line(text)
            if problem is not None:
                invalid.append((place, InvalidLine(number, problem)))
            elif type(data) is not dict:
                got = type(data).__name__
                invalid.append((place, InvalidLine(number, f"expected a JSON object (one case), got {got}")))
            else:
                hooked.append(len(datas))
                numbers.append(number)
                texts.append(text)
                datas.append(data)
                places.append(place)
        return self._columns(numbers, texts, datas, places, hooked, invalid)

    # -- the checks, over the whole batch ----------------------------------------------------

    def _columns(
        self,
        numbers: list[int],
        texts: list[str],
        datas: list[dict[str, Any]],
        places: list[int],
        hooked: list[int],
        invalid: list[tuple[int, InvalidLine]],
    ) -> tuple[CaseColumns, list[InvalidLine]]:
        n = len(datas)
        ok = np.fromiter(map(_CASE_KEYS.issuperset, datas), dtype=bool, count=n)
        ok &= np.fromiter(map(len, datas), dtype=np.int64, count=n) >= 4
        ids = list(map(_get, datas, repeat("id")))
        severities = list(map(_get, datas, repeat("severity")))
        opened_texts = list(map(_get, datas, repeat("opened_at")))
        customer_data = list(map(_get, datas, repeat("customer")))
        lists = list(map(_get, datas, repeat("events")))
        _only(ids, str, "", ok)
        if not all(map(str.strip, ids)):
            ok &= np.fromiter(map(bool, map(str.strip, ids)), dtype=bool, count=n)
        if not all(map(str.isascii, ids)):
            ok &= [i.isascii() or _undecodable(i) is None for i in ids]
        _only(severities, int, 0, ok)
        if severities and not -MAX_WHOLE <= min(severities) <= max(severities) <= MAX_WHOLE:
            ok &= [-MAX_WHOLE <= s <= MAX_WHOLE for s in severities]
            severities = [s if -MAX_WHOLE <= s <= MAX_WHOLE else 0 for s in severities]
        _only(opened_texts, str, "", ok)
        _only(customer_data, dict, _EMPTY, ok)
        _only(lists, list, [], ok)
        customers = self._customers_of(customer_data)
        if None in customers:
            ok &= [c is not None for c in customers]

        counts = np.fromiter(map(len, lists), dtype=np.int64, count=n)
        events: list[Any] = list(chain.from_iterable(lists))
        m = len(events)
        case_of = np.repeat(np.arange(n), counts)
        bad_events = _only(events, dict, _EMPTY, None)
        sizes = np.fromiter(map(len, events), dtype=np.int64, count=m)
        ats = list(map(_get, events, repeat("at")))
        bad_events |= _only(ats, str, "", None)
        try:
            kinds = np.fromiter(map(_KINDS.get, map(_get, events, repeat("kind")), repeat(-1)), np.int8, m)
        except TypeError:  # a kind that is not hashable
            kinds = np.array([_kind(e.get("kind")) for e in events], dtype=np.int8)
        # {"at", "kind"} for an update, {"at", "kind", "status" | "severity"} otherwise
        bad_events |= (kinds < 0) | (sizes != 2 + (kinds >= _STATUS_KIND))
        status = self._status_of(events)
        bad_events |= (kinds == _STATUS_KIND) != (status >= 0)
        levels = np.zeros(m, dtype=np.int64)
        for k in np.flatnonzero(kinds == _SEVERITY).tolist():
            level = events[k].get("severity")
            if type(level) is int and -MAX_WHOLE <= level <= MAX_WHOLE:
                levels[k] = level
            else:
                bad_events[k] = True

        us = self._instants_of(opened_texts + ats)
        opened, at = us[:n], us[n:]
        ok &= opened != _BAD
        bad_events |= at < np.repeat(opened, counts)  # an event before opened_at: the model words it
        if bad_events.any():
            ok[case_of[bad_events]] = False
        # the strings of each value: keys, id and opened_at; the customer's keys and values;
        # each event's keys and its string values (all but a severity)
        strings = np.fromiter(map(len, datas), dtype=np.int64, count=n) + 2
        strings += 2 * np.fromiter(map(len, customer_data), dtype=np.int64, count=n)
        per_event = np.cumsum(2 * sizes - (kinds == _SEVERITY))
        ends = np.cumsum(counts)
        within = np.concatenate(([0], per_event))
        strings += within[ends] - within[ends - counts]
        counted = np.fromiter(map(str.count, texts, repeat('"')), dtype=np.int64, count=n) == 2 * strings
        counted[hooked] = True  # the hook refused a key given twice already
        ok &= counted

        # timeline order: by instant, ties in the given order; only unsorted cases are sorted
        index = np.arange(m, dtype=np.int64) - np.repeat(ends - counts, counts)
        if m > 1:
            down = (at[1:] < at[:-1]) & (case_of[1:] == case_of[:-1])
            if down.any():
                rows = np.flatnonzero(np.isin(case_of, case_of[1:][down]))
                order = rows[np.lexsort((index[rows], at[rows], case_of[rows]))]
                at[rows], kinds[rows], status[rows] = at[order], kinds[order], status[order]
                levels[rows], index[rows] = levels[order], index[order]

        return self._assemble(
            numbers,
            [None if k in set(hooked) else t for k, t in enumerate(texts)] if hooked else texts,
            datas,
            places,
            invalid,
            ok,
            (ids, severities, opened, opened_texts, customers, counts),
            (at, kinds, status, levels, index, case_of),
        )

    def _assemble(
        self,
        numbers: list[int],
        texts: list[str] | list[str | None],
        datas: list[dict[str, Any]],
        places: list[int],
        invalid: list[tuple[int, InvalidLine]],
        ok: Any,
        per_case: tuple[list[str], list[int], Any, list[str], list[Any], Any],
        per_event: tuple[Any, Any, Any, Any, Any, Any],
    ) -> tuple[CaseColumns, list[InvalidLine]]:
        """Slow cases the reader's way, duplicates refused in line order, and the columns."""
        ids, severities, opened, opened_texts, customers, counts = per_case
        at, kinds, status, levels, index, case_of = per_event
        sources: list[Any] = datas
        zone_of = self._zones
        zones: list[Any] = [zone_of.get("Z" if t[-1:] == "Z" else t[-6:]) for t in opened_texts]
        slow = np.flatnonzero(~ok).tolist()
        keep = ok.copy()
        if slow:
            sources = list(datas)
            extra: list[tuple[list[int], list[int], list[str | None], list[int], list[int]]] = []
            for k in slow:
                case = self._slow(numbers[k], texts[k], datas[k], places[k], invalid)
                if case is None:
                    continue
                keep[k] = True
                tz = case.opened_at.tzinfo
                assert tz is not None
                ids[k], severities[k], customers[k], zones[k], sources[k] = (
                    case.id,
                    case.severity,
                    case.customer,
                    tz,
                    case,
                )
                opened[k] = to_us(case.opened_at)
                extra.append(_case_events(case))
            # the slow cases' events replace theirs: appended, then put in case order
            drop = np.isin(case_of, slow)
            added = [len(e[0]) for e in extra]
            counts = counts.copy()
            counts[[k for k in slow if keep[k]]] = added
            names = [-1 if x is None else self._name(x) for e in extra for x in e[2]]
            slow_case = np.repeat([k for k in slow if keep[k]], added).astype(case_of.dtype)
            case_of = np.concatenate((case_of[~drop], slow_case))
            order = np.argsort(case_of, kind="stable")
            case_of = case_of[order]

            def joined(old: Any, new: list[int], dtype: Any) -> Any:
                return np.concatenate((old[~drop], np.array(new, dtype=dtype)))[order]

            at = joined(at, [x for e in extra for x in e[0]], np.int64)
            kinds = joined(kinds, [x for e in extra for x in e[1]], np.int8)
            status = joined(status, names, np.int32)
            levels = joined(levels, [x for e in extra for x in e[3]], np.int64)
            index = joined(index, [x for e in extra for x in e[4]], np.int64)

        # duplicate ids, in line order: a case found on either path counts
        kept = np.flatnonzero(keep).tolist()
        first = self._seen.first
        for k in kept:
            earlier = first(ids[k], numbers[k])
            if earlier != numbers[k]:
                keep[k] = False
                message = f"case {ids[k]!r}: duplicate case id (first on line {earlier}); one case per line"
                invalid.append((places[k], InvalidLine(numbers[k], message)))
        if len(kept) != int(keep.sum()):
            kept = np.flatnonzero(keep).tolist()
        if len(kept) != len(keep):
            rows = keep[case_of]
            at, kinds, status, levels, index = at[rows], kinds[rows], status[rows], levels[rows], index[rows]
            counts = counts[keep]

        status_codes, statuses = _status_table(status, self._name_list)
        zone, zone_list = _codes([zones[k] for k in kept], id)
        customer, customer_list = _codes([customers[k] for k in kept], _same)
        invalid.sort(key=_place)
        cols = CaseColumns(
            ids=[ids[k] for k in kept],
            severity=np.array([severities[k] for k in kept], dtype=np.int64),
            opened=opened[keep],
            zone=np.array(zone, dtype=np.int32),
            zones=zone_list,
            customer=np.array(customer, dtype=np.int32),
            customers=customer_list,
            first=np.concatenate(([0], np.cumsum(counts))).astype(np.int64),
            at=at,
            kind=kinds.astype(np.int8),
            status=status_codes,
            level=levels,
            index=index.astype(np.int32),
            statuses=statuses,
            sources=[sources[k] for k in kept],
            lines=[numbers[k] for k in kept],
        )
        return cols, [line for _, line in invalid]

    def _slow(
        self,
        number: int,
        text: str | None,
        data: dict[str, Any],
        place: int,
        invalid: list[tuple[int, InvalidLine]],
    ) -> Case | None:
        """The reader's own path for one line (``_read_jsonl``): the case, or ``None`` and
        its reason appended to ``invalid``."""
        if text is not None:  # parsed without the hook: a key given twice is found now
            parsed, problem = _parse_line(text)
            if problem is not None:
                invalid.append((place, InvalidLine(number, problem)))
                return None
            data = parsed
        case, problem = _build(self._builder.build, data)
        if case is not None and not _in_range(case):
            case, problem = _build(Case.model_validate, data)
        if case is None:
            invalid.append((place, InvalidLine(number, problem or "")))
        return case

    # -- tables --------------------------------------------------------------------------------

    def _customers_of(self, data: list[dict[str, Any]]) -> list[Customer | None]:
        """The customer of each mapping (``None``: not one ``CaseBuilder`` takes itself)."""
        keys = list(map(tuple, map(dict.items, data)))
        try:
            return list(map(self._customers.__getitem__, keys))
        except (KeyError, TypeError):  # a new customer, or an unhashable value
            return [self._customer(d) for d in data]

    def _customer(self, data: dict[str, Any]) -> Customer | None:
        key = tuple(data.items())
        for _, value in key:
            if type(value) is not str:
                return None
        try:
            return self._customers[key]
        except KeyError:
            pass
        customer: Customer | None
        if "tz" not in data or not data.keys() <= _CUSTOMER_KEYS:
            customer = None
        else:
            try:
                customer = Customer.model_validate(data)
            except Exception:  # CaseBuilder's own path raises it or words it
                customer = None
        if len(self._customers) >= _CACHE_LIMIT:
            self._customers.clear()
        self._customers[key] = customer
        return customer

    def _name(self, name: str) -> int:
        code = self._names.get(name)
        if code is None:
            code = self._names[name] = len(self._name_list)
            self._name_list.append(name)
        return code

    def _status_of(self, events: list[dict[str, Any]]) -> Any:
        """Each event's status code: -1 without a status, -2 for a value the fast path does
        not take (not a status name, not a string)."""
        names = list(map(_get, events, repeat("status")))
        table = self._fast_status
        for _ in range(2):
            try:
                codes = np.fromiter(map(table.get, names, repeat(-3)), dtype=np.int32, count=len(names))
            except TypeError:  # a value that is not hashable
                codes = np.array([table.get(x, -3) if _hashable(x) else -2 for x in names], np.int32)
            new = np.flatnonzero(codes == -3).tolist()
            if not new:
                break
            for value in {names[k] for k in new}:
                table[value] = self._name(value) if type(value) is str and _STATUS.match(value) else -2
        return codes

    def _instants_of(self, texts: list[str]) -> Any:
        """UTC microseconds of each instant text, ``_BAD`` where the fast path does not take it."""
        cache = self._instants
        try:
            return np.fromiter(map(cache.__getitem__, texts), dtype=np.int64, count=len(texts))
        except KeyError:
            pass
        new = set(texts).difference(cache)
        if len(cache) + len(new) > _CACHE_LIMIT:
            cache.clear()
            new = set(texts)
        groups: dict[int, list[str]] = {}
        for text in new:
            groups.setdefault(len(text), []).append(text)
        for size, group in groups.items():
            layout = _LAYOUTS.get(size)
            if layout is None or not all(map(str.isascii, group)):
                for text in group:
                    self._instant(text)
                continue
            us, good = _parse_layout(group, *layout)
            cache.update(zip(group, us.tolist(), strict=True))
            for k in np.flatnonzero(~good).tolist():
                self._instant(group[k])  # the pattern and fromisoformat decide, one by one
            if layout[2]:
                firsts = {group[k][-6:]: group[k] for k in np.flatnonzero(good).tolist()}
                for suffix in firsts.keys() - self._zones.keys():
                    self._zone(firsts[suffix])
        return np.fromiter(map(cache.__getitem__, texts), dtype=np.int64, count=len(texts))

    def _zone(self, text: str) -> None:
        suffix = text[-6:]
        if suffix not in self._zones:
            offset = _fromisoformat(text).utcoffset()
            assert offset is not None
            self._zones[suffix] = TzInfo(int(offset.total_seconds()))

    def _instant(self, text: str) -> int:
        """UTC microseconds of an instant text ``CaseBuilder`` parses itself, else ``_BAD``."""
        us = _BAD
        if _INSTANT.match(text):
            try:
                parsed = _fromisoformat(text)
            except ValueError:
                parsed = None
            # years 1 and 9999 may fall outside the datetime range in UTC: CaseBuilder words it
            if parsed is not None and 1 < parsed.year < 9999:
                us = to_us(parsed)
                if text[-1] != "Z":
                    self._zone(text)
        self._instants[text] = us
        return us


def _only(values: list[Any], kind: type, stand_in: Any, ok: Any) -> Any:
    """Replace each value of ``values`` not exactly of type ``kind`` by ``stand_in`` (so the
    checks after run), and mark it in ``ok`` (as failed) or in the mask it returns."""
    types = set(map(type, values))
    if not types or types == {kind}:
        return np.zeros(len(values), dtype=bool) if ok is None else ok
    wrong = np.fromiter((type(v) is not kind for v in values), dtype=bool, count=len(values))
    for k in np.flatnonzero(wrong).tolist():
        values[k] = stand_in
    if ok is None:
        return wrong
    ok &= ~wrong
    return ok


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _kind(value: Any) -> int:
    return _KINDS.get(value, -1) if type(value) is str else -1


def _same(customer: Customer) -> Customer:
    return customer


def _place(item: tuple[int, InvalidLine]) -> int:
    return item[0]


def _status_table(status: Any, names: list[str]) -> tuple[Any, list[str]]:
    """Status codes renumbered in order of first appearance, and their names."""
    named = status >= 0
    out = np.full(len(status), -1, dtype=np.int32)
    if not named.any():
        return out, []
    values, firsts, inverse = np.unique(status[named], return_index=True, return_inverse=True)
    order = np.argsort(firsts)
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    out[named] = rank[inverse.reshape(-1)]
    return out, [names[v] for v in values[order].tolist()]
