"""JSON Lines straight into :class:`~slocalc.cases._columns.CaseColumns`, no ``Case`` objects.

Private. :class:`ColumnBuilder` reads a batch of JSON Lines lines into columns, with every
line's validity and error message exactly what :func:`~slocalc.cases.read_cases` gives
(docs/scaling.md). It works per batch, not per event:

1. Lines are parsed a chunk at a time (:data:`_CHUNK` lines) by the standard library's C
   scanner (no ``object_pairs_hook``: a Python call per object costs a fifth of the
   parse), and what the checks need is read out of the chunk's objects before they are
   dropped: kept, the parsed objects of a whole batch would cost more than the parse
   (memory no longer in cache). A case's source is its line, parsed again only if read
   (:class:`_Line`), an object made only when read (:class:`_Sources`: an object per case
   would outlive the batch's collections). A line the scanner does not take as one object
   (a backslash, bytes that are not UTF-8, leading space, a syntax error...) is parsed the
   reader's own way (``_parse_line``, with the hook): its error is the reader's, an object
   joins the chunk.
2. The shape checks :class:`~slocalc.cases._fast.CaseBuilder` makes run over all cases,
   then all events of a chunk at once: each field is read by ``map`` over C-level
   callables (``dict.get``, ``len``, ``type``), kinds and status values become codes by
   one dictionary lookup each, customers come from a cache keyed by their items, and a
   case passes or fails as a whole.
3. Duplicate keys and keys the model does not know are refused without the hook by
   counting: a line without a backslash holds exactly two ``"`` per string; a case that
   passes the checks holds the strings its shape gives (its five keys, id and
   ``opened_at``, the customer's keys and values, and per event two keys, ``at``, the kind,
   and ``"status"`` and its name, or ``"severity"``); a key given twice (parsing drops one)
   or any other key adds strings. So a line with twice that many ``"`` holds no other key.
   Objects parsed with the hook have their key sets checked instead.
4. Instants are parsed for the whole batch at once, by numpy over their bytes, for each
   layout ``CaseBuilder`` parses itself (``_INSTANT``: with or without seconds and
   fractions, ``Z`` or an offset), with the checks that pattern and
   ``datetime.fromisoformat`` make; a text it does not take is parsed on its own as
   ``CaseBuilder`` does.
5. A case that fails any check (rare in an export) goes the reader's own way:
   ``_parse_line`` (with the hook), then ``CaseBuilder().build``: the same ``Case``,
   appended from its timeline as :func:`~slocalc.cases._columns.columns_from_cases` does,
   or the same :class:`~slocalc.cases.InvalidLine`.
6. Case ids are checked for duplicates in line order, across all batches of one builder,
   as the reader does (a case found on either path counts), with the reader's table of
   :class:`~slocalc.cases._seen.SeenIds`, probed for a batch at once (``first_many``).
   Events are put in timeline order by sorting only the cases whose instants are not in
   order already.

A CSV export's cases (:meth:`ColumnBuilder.build_csv`) come as the mappings the CSV reader
groups its rows into (``_csv_items``: no text, no duplicate key), each with the lines it
came from, among the rows the reader refused: they go through steps 2, 4 and 5 as parsed
objects, their key sets checked (step 3) by counting (a case's five keys, an event's two
or, for a status or severity, three, each of them read by a check). A case that fails a
check is built the CSV reader's own way (``_csv_case``). Case ids need no check (step 6):
the reader gives each id one case (its rows, adjacent or not, make one case).

Most CSV cases come instead as parts of a block the reader read a column at a time
(``_readers._CsvCases``): :meth:`ColumnBuilder._read_cases` appends their columns as they
are (ids, severities, instants' text, kind codes, status names by index, new severities,
customers by one shared text each), with no mapping made: the keys each mapping would have
are checked by the reader (an event with a status or severity its kind does not take, or
missing one, marks its case), the values by the same checks as above. A case that fails
one gets its mapping, made by the rules, and goes the CSV reader's own way. Its source in
the batch is a number, read as that mapping on demand (:class:`_Sources`).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, tzinfo
from itertools import accumulate, chain, compress, islice, repeat
from operator import is_, is_not
from typing import Any, Final, SupportsIndex, overload

import numpy as np
from pydantic_core import TzInfo

from slocalc._time import ISO_LAYOUTS, iso_rows_us, to_us
from slocalc._validation import MAX_WHOLE
from slocalc.cases._columns import KIND_CODES, CaseColumns
from slocalc.cases._fast import _INSTANT, _STATUS, CaseBuilder
from slocalc.cases._models import Case, timeline_of
from slocalc.cases._readers import (
    InvalidLine,
    _build,
    _csv_case,
    _CsvCase,
    _CsvCases,
    _parse_line,
    _undecodable,
)
from slocalc.cases._seen import SeenIds
from slocalc.policies import Customer

__all__ = ["ColumnBuilder"]

_CASE_KEYS: Final = frozenset({"id", "severity", "opened_at", "customer", "events"})
_CUSTOMER_KEYS: Final = frozenset({"tz", "country", "subdiv", "hours"})
#: lines parsed at a time: their objects stay in the processor's cache until read out
_CHUNK: Final = 64
#: the caches are cleared when they reach this size (memory stays bounded)
_CACHE_LIMIT: Final = 1 << 16
#: the standard library's C scanner: what ``json.loads`` runs, without its Python wrapper
_scan: Final[Callable[[str, int], tuple[Any, int]]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_fromisoformat: Final = datetime.fromisoformat
_get: Final[Callable[[dict[str, Any], str], Any]] = dict.get
#: the instant of a text the fast path does not take: before any instant it takes
_BAD: Final = -(2**63)
#: event kind -> code (``KIND_CODES``); any other value: :data:`_UNKNOWN`
_KINDS: Final[dict[Any, int]] = dict(KIND_CODES)
_UNKNOWN: Final = 4
_STATUS_KIND: Final = KIND_CODES["status"]
_SEVERITY: Final = KIND_CODES["severity"]
#: the strings of an event by kind code: two keys, ``at``, the kind (a status and its key;
#: the ``severity`` key); an event of no known kind fails before its count matters
_EVENT_STRINGS: Final = (4, 4, 6, 5, 0)
#: the keys of an event by kind code, as ``bytes.translate`` maps a chunk's kinds (two keys,
#: ``at`` and the kind; a status or severity adds its key); 255 for no known kind
_EVENT_KEYS: Final = bytes([2, 2, 3, 3, *[255] * 252])
#: an event's kind code -> 1 for a status (a severity) event, else 0: ``bytes.translate``
#: makes a chunk's kinds the selectors of ``compress``
_IS_STATUS: Final = bytes(int(code == _STATUS_KIND) for code in range(256))
_IS_SEVERITY: Final = bytes(int(code == _SEVERITY) for code in range(256))
_SPACE: Final = " \t\n\r"
#: the longest text an instant's length is kept for (in a byte)
_LONGEST: Final = 255
_EMPTY: Final[dict[str, Any]] = {}


class _Line(Mapping[str, Any]):
    """The case object of a JSON line, parsed when first read: a batch keeps its lines, not
    the parsed objects (a case the fast path took holds no key twice: plain parsing gives
    the object the reader's parse gives).

    >>> line = _Line('{"id": "C-1", "severity": 2}')
    >>> line["id"], len(line), dict(line)
    ('C-1', 2, {'id': 'C-1', 'severity': 2})
    """

    __slots__ = ("_data", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._data: dict[str, Any] | None = None

    def _parsed(self) -> dict[str, Any]:
        if self._data is None:
            self._data = json.loads(self.text)
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._parsed()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parsed())

    def __len__(self) -> int:
        return len(self._parsed())

    def __repr__(self) -> str:
        return f"_Line({self.text!r})"


class _Sources(list[Any]):
    """A batch's ``sources`` with no object per case until one is read: an item is a case's
    ``Case`` or mapping; or the text of its line, read as its :class:`_Line` (kept) when
    indexed or iterated; or a number, a CSV case read a column at a time, read as its
    mapping (kept) from ``cases`` (:class:`~slocalc.cases._readers._CsvCases` parts, each
    numbered from the number in ``starts``). A batch's cases would outlive many collections
    of the garbage collector, and its full passes over one object per case cost more than
    the object (docs/scaling.md).

    >>> sources = _Sources(['{"id": "C-1"}', '{"id": "C-2"}'])
    >>> sources[1], sources[1] is sources[1], [line["id"] for line in sources]
    (_Line('{"id": "C-2"}'), True, ['C-1', 'C-2'])
    >>> sources[:1], list(reversed(sources))[0]["id"]
    ([_Line('{"id": "C-1"}')], 'C-2')
    """

    __slots__ = ("cases", "starts")

    def __init__(self, items: Iterable[Any] = (), like: _Sources | None = None) -> None:
        super().__init__(items)
        #: the parts numbered items come from, and the number of each one's first case
        self.cases: list[_CsvCases] = [] if like is None else like.cases
        self.starts: list[int] = [] if like is None else like.starts

    def add(self, cases: _CsvCases) -> None:
        """Append the cases of a part read a column at a time (numbers, read on demand)."""
        start = self.starts[-1] + len(self.cases[-1]) if self.cases else 0
        self.cases.append(cases)
        self.starts.append(start)
        self += range(start, start + len(cases))

    @overload
    def __getitem__(self, index: SupportsIndex) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: SupportsIndex | slice) -> Any:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        item = super().__getitem__(index)
        if type(item) is str:
            item = _Line(item)
            super().__setitem__(index, item)
        elif type(item) is int:
            part = bisect_right(self.starts, item) - 1
            cases = self.cases[part]
            item = cases.data(cases.lo + item - self.starts[part])
            super().__setitem__(index, item)
        return item

    def __iter__(self) -> Iterator[Any]:
        return map(self.__getitem__, range(len(self)))

    def __reversed__(self) -> Iterator[Any]:
        return map(self.__getitem__, reversed(range(len(self))))


class _Batch:
    """What the checks read out of a batch's chunks: per case, then per event."""

    __slots__ = (
        "at_lens",
        "at_text",
        "bad",
        "counts",
        "customers",
        "datas",
        "events",
        "hooked",
        "ids",
        "keyed",
        "kinds",
        "levels",
        "lines",
        "numbers",
        "opened",
        "places",
        "quotes",
        "severities",
        "sizes",
        "status",
        "texts",
    )

    def __init__(self, keyed: bool = False) -> None:
        #: the cases are mappings the CSV reader made (``datas``, ``lines``), not JSON lines
        self.keyed = keyed
        self.datas = _Sources()  # (keyed) each case's mapping (or what makes it)
        self.lines: list[tuple[int, ...]] = []  # (keyed) each case's lines
        self.numbers: list[int] = []
        self.texts: list[str] = []
        self.places: list[int] = []  # each case's position among the batch's lines
        self.hooked: list[int] = []  # the cases parsed with the hook
        self.bad: list[int] = []  # cases that failed a check
        self.ids: list[Any] = []
        self.severities: list[Any] = []
        self.opened: list[str] = []
        self.customers: list[Customer | None] = []
        self.sizes: list[int] = []  # the customer's keys
        self.quotes: list[int] = []
        self.counts: list[int] = []
        self.events = 0
        self.at_text: list[str] = []  # per chunk, its events' instant texts joined
        self.at_lens: list[bytes] = []  # per chunk (an instant text is short: see _read_out)
        self.kinds: list[bytes] = []
        self.status: list[int] = []  # the status events' codes
        self.levels: list[int] = []  # the severity events' levels


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


def _only(values: list[Any], kind: type, stand_in: Any) -> list[int]:
    """The positions of ``values`` not exactly of type ``kind``, each replaced by
    ``stand_in`` (so the checks after run over the rest)."""
    if set(map(type, values)) <= {kind}:
        return []
    wrong = [k for k, v in enumerate(values) if type(v) is not kind]
    for k in wrong:
        values[k] = stand_in
    return wrong


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _kind(value: Any) -> int:
    return _KINDS.get(value, _UNKNOWN) if type(value) is str else _UNKNOWN


def _codes(objects: list[Any], key: Callable[[Any], Any]) -> tuple[list[int], list[Any]]:
    """Codes of ``objects`` in order of first appearance, objects of equal ``key`` sharing
    one, and the distinct objects (looked up by ``id``: the objects are shared).

    >>> a, b = "a", "b"
    >>> _codes([b, a, b, a], _same), _codes([a, a], _same), _codes([], _same)
    (([0, 1, 0, 1], ['b', 'a']), ([0, 0], ['a']), ([], []))
    """
    if objects and all(map(is_, objects, repeat(objects[0]))):  # one object (one zone, say)
        return [0] * len(objects), [objects[0]]
    by_id: dict[int, Any] = dict.fromkeys(map(id, objects))  # C-level, in order of first appearance
    firsts: dict[int, Any] = {}
    for obj in objects:
        if len(firsts) == len(by_id):
            break
        firsts.setdefault(id(obj), obj)
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


def _same(obj: Any) -> Any:
    return obj


def _place(item: tuple[int, InvalidLine]) -> int:
    return item[0]


def _status_table(status: Any, names: list[str]) -> tuple[Any, list[str]]:
    """Status codes (of ``names``; -1 for none) renumbered in order of first appearance, and
    their names: each code's first position found in one pass (no sort of the events).

    >>> codes, found = _status_table(np.array([-1, 2, 0, 2, -1, 0]), ["a", "b", "c"])
    >>> codes.tolist(), found
    ([-1, 0, 1, 0, -1, 1], ['c', 'a'])
    """
    m = len(status)
    where = np.flatnonzero(status >= 0)
    first = np.full(len(names), m, dtype=np.int64)
    np.minimum.at(first, status[where], where)
    found = np.flatnonzero(first < m)
    order = found[np.argsort(first[found])]
    renumber = np.full(len(names) + 1, -1, dtype=np.int32)  # by code + 1: -1 stays -1
    renumber[order + 1] = np.arange(len(order), dtype=np.int32)
    return renumber[status + 1], [names[v] for v in order.tolist()]


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
        #: the tzinfo of each offset text ("Z", "+05:45"): the kind pydantic gives
        self._zones: dict[str, tzinfo] = {"Z": TzInfo(0)}
        self._customers: dict[tuple[tuple[str, Any], ...], Customer | None] = {}
        #: the same by a CSV case's customer text (``_CsvCases.customer``)
        self._csv_customers: dict[str, Customer | None] = {}
        #: status name -> a code of this builder, and the names by code
        self._names: dict[str, int] = {}
        self._name_list: list[str] = []
        #: an event's status value -> its code if the fast path takes it, -1 for ``None`` (no
        #: status), -2 for a value it does not take
        self._fast_status: dict[Any, int] = {None: -1}

    def build(self, lines: Iterable[tuple[int, str]]) -> tuple[CaseColumns, list[InvalidLine]]:
        """The cases of ``(line number, text)`` pairs as columns, and the invalid lines.

        Blank lines are passed over. ``lines`` of the columns holds each case's line
        number, ``sources`` the mapping it was read from (a :class:`_Line`) or the ``Case``.
        """
        self._new_batch()
        batch = _Batch()
        invalid: list[tuple[int, InvalidLine]] = []
        numbers, texts, places, hooked = batch.numbers, batch.texts, batch.places, batch.hooked
        scan = _scan
        pairs = iter(lines)
        place = 0
        while chunk := list(islice(pairs, _CHUNK)):
            datas: list[dict[str, Any]] = []
            for number, text in chunk:
                place += 1
                if text[:1] == "{" and "\\" not in text and (text.isascii() or _undecodable(text) is None):
                    try:
                        data, end = scan(text, 0)
                    except (ValueError, RecursionError, StopIteration):
                        pass  # the reader's own parse words the error
                    else:
                        if end == len(text) or not text[end:].strip(_SPACE):
                            numbers.append(number)
                            texts.append(text)
                            places.append(place)
                            datas.append(data)
                            continue
                elif not text.strip():
                    continue
                data, problem = _parse_line(text)
                if problem is not None:
                    invalid.append((place, InvalidLine(number, problem)))
                elif type(data) is not dict:
                    got = type(data).__name__
                    invalid.append(
                        (place, InvalidLine(number, f"expected a JSON object (one case), got {got}"))
                    )
                else:
                    hooked.append(len(numbers))
                    numbers.append(number)
                    texts.append(text)
                    places.append(place)
                    datas.append(data)
            if datas:
                self._read_out(datas, batch)
        cols, found, _ = self._columns(batch, invalid)
        return cols, found

    def build_csv(
        self, items: Iterable[_CsvCase | InvalidLine | _CsvCases]
    ) -> tuple[CaseColumns, list[InvalidLine], list[tuple[int, ...]]]:
        """The cases of the CSV reader's items (``_csv_items``) as columns, the invalid lines
        in the order of ``items``, and every line each case came from.

        An item is a case's lines (its first row, then each event's row) and the mapping
        the reader made of its rows, or a row the reader refused. A case that fails a
        check is built as the CSV reader builds it: the same ``Case``, or the same
        :class:`~slocalc.cases.InvalidLine`, on the row of the event its error names.
        ``lines`` of the columns holds each case's first line, ``sources`` its mapping or
        the ``Case``.

        >>> data = {"id": "C-1", "severity": 2, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"},
        ...         "events": [{"at": "2026-03-02T10:00:00Z", "kind": "support_update"}]}
        >>> bad = data | {"id": "C-2", "events": [*data["events"], {"at": "2026-03-02T11:00:00Z", "kind": "x"}]}
        >>> cols, invalid, lines = ColumnBuilder().build_csv(
        ...     [((2, 2), data), InvalidLine(4, "case 'C-3': ..."), ((5, 6, 8), bad)])
        >>> cols.ids, cols.lines, cols.at.tolist(), lines
        (['C-1'], [2], [1772445600000000], [(2, 2)])
        >>> [(i.line, i.reason.split(";")[0]) for i in invalid]
        [(4, "case 'C-3': ..."), (8, "case 'C-2': events[1] at '2026-03-02T11:00:00Z': kind 'x' is unknown")]
        """
        self._new_batch()
        batch = _Batch(keyed=True)
        invalid: list[tuple[int, InvalidLine]] = []
        numbers, lines, datas_of, places = batch.numbers, batch.lines, batch.datas, batch.places
        pairs = iter(items)
        place = 0
        while chunk := list(islice(pairs, _CHUNK)):
            datas: list[dict[str, Any]] = []
            for item in chunk:
                if type(item) is _CsvCases:
                    if datas:
                        datas_of += datas
                        self._read_out(datas, batch)
                        datas = []
                    self._read_cases(item, batch, place)
                    place += len(item)
                    continue
                place += 1
                if type(item) is InvalidLine:
                    invalid.append((place, item))
                else:
                    lines.append(item[0])
                    numbers.append(item[0][0])
                    places.append(place)
                    datas.append(item[1])
            if datas:
                datas_of += datas
                self._read_out(datas, batch)
        cols, found, kept = self._columns(batch, invalid)
        return cols, found, lines if len(kept) == len(lines) else [lines[k] for k in kept]

    def _new_batch(self) -> None:
        if len(self._fast_status) > _CACHE_LIMIT:  # only between batches: codes hold in one
            self._names, self._name_list, self._fast_status = {}, [], {None: -1}

    # -- per chunk: the values of its objects, and the checks on their shapes --------------

    def _read_out(self, datas: list[dict[str, Any]], b: _Batch) -> None:
        """Append what the checks need of a chunk's case objects to ``b``. A failing check
        marks the case in ``b.bad``; a value of the wrong type is replaced (so the checks
        after run over the rest). Types are checked by the operations that need them (a
        ``join`` of strings, ``dict.get``) where they raise on anything else."""
        n0 = len(b.ids)
        bad: list[int] = []
        ids = list(map(_get, datas, repeat("id")))
        severities = list(map(_get, datas, repeat("severity")))
        opened = list(map(_get, datas, repeat("opened_at")))
        customer_data = list(map(_get, datas, repeat("customer")))
        lists = list(map(_get, datas, repeat("events")))
        try:
            "".join(ids)
            "".join(opened)
        except TypeError:
            bad += _only(ids, str, "")
            bad += _only(opened, str, "")
        bad += _only(severities, int, 0)
        bad += _only(lists, list, [])
        try:
            customers = self._customers_of(customer_data)
        except TypeError:  # not a mapping
            bad += _only(customer_data, dict, _EMPTY)
            customers = self._customers_of(customer_data)
        if not all(map(is_not, customers, repeat(None))):  # by identity: no Customer.__eq__
            bad += [k for k, c in enumerate(customers) if c is None]
        b.ids += ids
        b.severities += severities
        b.opened += opened
        b.customers += customers
        if not b.keyed:
            b.sizes += map(len, customer_data)
            b.quotes += map(str.count, b.texts[n0:], repeat('"'))
        elif set(map(len, datas)) != {5} or not all(map(_CASE_KEYS.issuperset, datas)):
            bad += [k for k, d in enumerate(datas) if len(d) != 5 or not _CASE_KEYS.issuperset(d)]
        counts = list(map(len, lists))
        b.counts += counts

        events: list[Any] = list(chain.from_iterable(lists))
        m = len(events)
        b.events += m
        bad_events: list[int] = []
        try:
            ats = list(map(_get, events, repeat("at")))
        except TypeError:  # not a mapping
            bad_events += _only(events, dict, _EMPTY)
            ats = list(map(_get, events, repeat("at")))
        try:
            at_text = "".join(ats)
            lens = bytes(map(len, ats))
        except TypeError:
            bad_events += _only(ats, str, "")
            at_text, lens = "".join(ats), bytes(map(len, ats))
        except ValueError:  # a text of 256 characters or more: not an instant the fast path takes
            long = [k for k, text in enumerate(ats) if len(text) > _LONGEST]
            for k in long:
                ats[k] = ""
            bad_events += long
            at_text, lens = "".join(ats), bytes(map(len, ats))
        b.at_text.append(at_text)
        b.at_lens.append(lens)
        try:
            kinds = bytes(map(_KINDS.get, map(_get, events, repeat("kind")), repeat(_UNKNOWN)))
        except TypeError:  # a kind that is not hashable
            kinds = bytes([_kind(e.get("kind")) for e in events])
        b.kinds.append(kinds)
        # a status event's name (any other event has no "status": the strings counted, or
        # the key sets checked, tell); checked per batch (``_columns``)
        if _STATUS_KIND in kinds:
            names = list(map(_get, compress(events, kinds.translate(_IS_STATUS)), repeat("status")))
            b.status += self._status_of(names)
        if _SEVERITY in kinds:
            levels = list(map(_get, compress(events, kinds.translate(_IS_SEVERITY)), repeat("severity")))
            if set(map(type, levels)) <= {int} and -MAX_WHOLE <= min(levels) <= max(levels) <= MAX_WHOLE:
                b.levels += levels
            else:
                at = [k for k, code in enumerate(kinds) if code == _SEVERITY]
                for k, level in zip(at, levels, strict=True):
                    if type(level) is not int or not -MAX_WHOLE <= level <= MAX_WHOLE:
                        bad_events.append(k)
                b.levels += [v if type(v) is int and -MAX_WHOLE <= v <= MAX_WHOLE else 0 for v in levels]
        if b.keyed:  # no quotes to count: each event's keys are counted (its kind, its values read)
            try:
                sizes = bytes(map(len, events))
            except ValueError:  # 256 keys or more
                sizes = bytes([min(len(e), 254) for e in events])
            wanted = kinds.translate(_EVENT_KEYS)
            if sizes != wanted:
                pairs = enumerate(zip(sizes, wanted, strict=True))
                bad_events += [e for e, (size, want) in pairs if size != want]
        elif b.hooked and b.hooked[-1] >= n0:  # no quotes counted: the key sets are checked
            ends = list(accumulate(counts))
            for k in b.hooked:
                if k >= n0:
                    data = datas[k - n0]
                    if len(data) != 5 or not _CASE_KEYS.issuperset(data):
                        bad.append(k - n0)
                    for e in range(ends[k - n0] - counts[k - n0], ends[k - n0]):
                        if len(events[e]) != (2 if kinds[e] < _STATUS_KIND else 3):
                            bad_events.append(e)
        if bad_events:
            ends = list(accumulate(counts))
            bad += [bisect_right(ends, e) for e in bad_events]
        if bad:
            b.bad += [n0 + k for k in bad]

    def _read_cases(self, cases: _CsvCases, b: _Batch, place: int) -> None:
        """Append what the checks need of CSV cases read a column at a time to ``b`` (what
        :meth:`_read_out` reads of their mappings, which are not made: their keys are those
        of the rules' mappings, an event's counted by the reader, ``cases.bad``); ``place``:
        the items before them in the batch."""
        lo, hi = cases.lo, cases.hi
        n0, count = len(b.ids), hi - lo
        first, last = cases.event_first[lo], cases.event_first[hi]
        bad = [k - lo for k in cases.bad if lo <= k < hi]
        b.ids += cases.ids[lo:hi]
        severities = cases.severities[lo:hi]
        bad += _only(severities, int, 0)
        b.severities += severities
        b.opened += cases.opened[lo:hi]
        keys = cases.customers[lo:hi]
        known = self._csv_customers
        try:
            customers = list(map(known.__getitem__, keys))
        except KeyError:  # a new customer
            if len(known) >= _CACHE_LIMIT:
                known.clear()
            for key in keys:
                if key not in known:
                    known[key] = self._customer(_CsvCases.customer(key))
            customers = list(map(known.__getitem__, keys))
        if not all(map(is_not, customers, repeat(None))):
            bad += [k for k, c in enumerate(customers) if c is None]
        b.customers += customers
        b.counts += map(int.__sub__, cases.event_first[lo + 1 : hi + 1], cases.event_first[lo:hi])
        b.events += last - first
        lens = cases.at_lens[first:last]
        if first or last != len(cases.at_lens):
            start = sum(cases.at_lens[:first])
            b.at_text.append(cases.at_text[start : start + sum(lens)])
        else:
            b.at_text.append(cases.at_text)
        b.at_lens.append(lens)
        kinds = cases.kinds[first:last]
        b.kinds.append(kinds)
        if _STATUS_KIND in kinds:  # the codes of the names the status events name (-1: none)
            codes = np.array([*self._status_of(cases.names), -1], dtype=np.int64)
            named = np.frombuffer(kinds, dtype=np.uint8) == _STATUS_KIND
            b.status += codes[cases.status[first:last][named]].tolist()
        if _SEVERITY in kinds:
            levels = list(compress(cases.levels[first:last], kinds.translate(_IS_SEVERITY)))
            if set(map(type, levels)) <= {int} and -MAX_WHOLE <= min(levels) <= max(levels) <= MAX_WHOLE:
                b.levels += levels
            else:
                ends = list(accumulate(b.counts[n0:]))
                at = [first + k for k, code in enumerate(kinds) if code == _SEVERITY]
                for e, level in zip(at, levels, strict=True):
                    if type(level) is not int or not -MAX_WHOLE <= level <= MAX_WHOLE:
                        bad.append(bisect_right(ends, e - first))
                b.levels += [v if type(v) is int and -MAX_WHOLE <= v <= MAX_WHOLE else 0 for v in levels]
        if bad:
            b.bad += sorted({n0 + k for k in bad})
        b.datas.add(cases)
        b.lines += cases.lines[lo:hi]
        b.numbers += cases.firsts[lo:hi]
        b.places += range(place + 1, place + 1 + count)

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

    def _status_of(self, names: list[Any]) -> list[int]:
        """The code of each status event's ``status``: -2 for a value the fast path does not
        take (not a status name, not a string), -1 for none."""
        table = self._fast_status
        try:
            codes = list(map(table.get, names, repeat(-3)))
        except TypeError:  # a value that is not hashable
            codes = [table.get(x, -3) if _hashable(x) else -2 for x in names]
        if -3 in codes:
            for value in {names[k] for k, code in enumerate(codes) if code == -3}:
                table[value] = self._name(value) if type(value) is str and _STATUS.match(value) else -2
            codes = [table[x] if code == -3 else code for x, code in zip(names, codes, strict=True)]
        return codes

    # -- per batch -------------------------------------------------------------------------

    def _instants_of(self, joined: str, lens: Any) -> Any:
        """UTC microseconds of the instant texts ``joined`` holds (of lengths ``lens``),
        :data:`_BAD` where the fast path does not take one."""
        n = len(lens)
        out = np.full(n, _BAD, dtype=np.int64)
        starts = None
        rest: list[int] = []
        if joined.isascii():
            data = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
            size = int(lens[0]) if n and lens.min() == lens.max() else None
            if size in ISO_LAYOUTS:  # one layout (the usual batch): the texts are its rows
                us, good = iso_rows_us(np, data.reshape(n, size), *ISO_LAYOUTS[size])
                out = np.where(good, us, out)
                rest = np.flatnonzero(~good).tolist()
            elif size is None:
                starts = np.cumsum(lens) - lens
                for size in np.unique(lens).tolist():
                    rows = np.flatnonzero(lens == size)
                    if size not in ISO_LAYOUTS:
                        rest += rows.tolist()
                        continue
                    a = data[starts[rows, None] + np.arange(size)]
                    us, good = iso_rows_us(np, a, *ISO_LAYOUTS[size])
                    out[rows[good]] = us[good]
                    rest += rows[~good].tolist()
            else:
                rest = list(range(n))
        else:
            rest = list(range(n))
        if rest:  # the pattern and fromisoformat decide, one by one
            if starts is None:
                starts = np.cumsum(lens) - lens
            for k in rest:
                start = int(starts[k])
                out[k] = self._instant(joined[start : start + int(lens[k])])
        return out

    def _instant(self, text: str) -> int:
        """UTC microseconds of an instant text ``CaseBuilder`` parses itself, else ``_BAD``."""
        if _INSTANT.match(text):
            try:
                parsed = _fromisoformat(text)
            except ValueError:
                return _BAD
            # years 1 and 9999 may fall outside the datetime range in UTC: CaseBuilder words it
            if 1 < parsed.year < 9999:
                return to_us(parsed)
        return _BAD

    def _zone_of(self, texts: list[str]) -> list[tzinfo | None]:
        """The tzinfo of each ``opened_at`` text (any, for a text the fast path does not take)."""
        suffixes = ["Z" if t[-1:] == "Z" else t[-6:] for t in texts]
        zones = self._zones
        if not all(map(zones.__contains__, suffixes)):
            # a new suffix's zone is read from a text the fast path takes: any of them (a text
            # it does not take may hold the suffix too)
            for k, suffix in enumerate(suffixes):
                if suffix not in zones and _INSTANT.match(texts[k]):
                    try:
                        offset = _fromisoformat(texts[k]).utcoffset()
                    except ValueError:
                        continue
                    assert offset is not None  # the pattern requires an offset
                    zones[suffix] = TzInfo(int(offset.total_seconds()))
        return list(map(zones.get, suffixes))

    def _columns(
        self, b: _Batch, invalid: list[tuple[int, InvalidLine]]
    ) -> tuple[CaseColumns, list[InvalidLine], list[int]]:
        """The columns of the cases ``b`` holds, the invalid lines (``invalid`` and the cases
        refused, in order of place) and the positions in ``b`` of the cases kept."""
        n, m = len(b.ids), b.events
        ok = np.ones(n, dtype=bool)
        ok[b.bad] = False
        ids, severities = b.ids, b.severities
        if not all(map(str.strip, ids)):
            ok &= np.fromiter(map(bool, map(str.strip, ids)), dtype=bool, count=n)
        if not all(map(str.isascii, ids)):
            ok &= [i.isascii() or _undecodable(i) is None for i in ids]
        if severities and not -MAX_WHOLE <= min(severities) <= max(severities) <= MAX_WHOLE:
            ok &= [-MAX_WHOLE <= s <= MAX_WHOLE for s in severities]
            severities = [s if -MAX_WHOLE <= s <= MAX_WHOLE else 0 for s in severities]
        counts = np.array(b.counts, dtype=np.int64)
        case_of = np.repeat(np.arange(n), counts)
        kinds = np.frombuffer(b"".join(b.kinds), dtype=np.uint8).astype(np.int8)
        status = np.full(m, -1, dtype=np.int32)
        named = kinds == _STATUS_KIND
        status[named] = b.status
        levels = np.zeros(m, dtype=np.int64)
        levels[kinds == _SEVERITY] = b.levels
        wrong = (kinds == _UNKNOWN) | (named & (status < 0))  # no kind; no status name
        if wrong.any():
            ok[case_of[wrong]] = False
        lens = np.concatenate(
            (
                np.fromiter(map(len, b.opened), dtype=np.int64, count=n),
                np.frombuffer(b"".join(b.at_lens), dtype=np.uint8),
            )
        )
        us = self._instants_of("".join([*b.opened, *b.at_text]), lens)
        opened, at = us[:n], us[n:]
        ok &= opened != _BAD
        early = at < np.repeat(opened, counts)  # an event before opened_at: the model words it
        if early.any():
            ok[case_of[early]] = False
        ends = np.cumsum(counts)
        if not b.keyed:
            # the strings of a case: five keys, id and opened_at, the customer's keys and
            # values, and its events'
            per_event = np.concatenate(([0], np.cumsum(np.array(_EVENT_STRINGS)[kinds])))
            strings = 7 + 2 * np.array(b.sizes, dtype=np.int64) + per_event[ends] - per_event[ends - counts]
            counted = np.array(b.quotes, dtype=np.int64) == 2 * strings
            counted[b.hooked] = True  # no key twice (the hook), key sets checked
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

        zones = self._zone_of(b.opened)
        customers: list[Any] = b.customers
        sources: dict[int, Case] = {}
        slow = np.flatnonzero(~ok).tolist()
        keep = ok.copy()
        if slow:
            extra: list[tuple[list[int], list[int], list[str | None], list[int], list[int]]] = []
            for k in slow:
                case = (
                    self._slow_csv(b.datas[k], b.lines[k], b.places[k], invalid)
                    if b.keyed
                    else self._slow(b.numbers[k], b.texts[k], b.places[k], invalid)
                )
                if case is None:
                    continue
                keep[k] = True
                tz = case.opened_at.tzinfo
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
            found = [k for k in slow if keep[k]]
            drop = np.isin(case_of, slow)
            added = [len(e[0]) for e in extra]
            counts[found] = added
            names = [-1 if x is None else self._name(x) for e in extra for x in e[2]]
            case_of = np.concatenate((case_of[~drop], np.repeat(np.array(found, dtype=case_of.dtype), added)))
            order = np.argsort(case_of, kind="stable")
            case_of = case_of[order]

            def joined(old: Any, new: list[int]) -> Any:
                return np.concatenate((old[~drop], np.array(new, dtype=old.dtype)))[order]

            at = joined(at, [x for e in extra for x in e[0]])
            kinds = joined(kinds, [x for e in extra for x in e[1]])
            status = joined(status, names)
            levels = joined(levels, [x for e in extra for x in e[3]])
            index = joined(index, [x for e in extra for x in e[4]])

        # duplicate ids, in line order: a case found on either path counts (the CSV reader
        # gives each id one case)
        kept = np.flatnonzero(keep).tolist()
        numbers = b.numbers
        if not b.keyed:
            lines = np.fromiter(numbers, dtype=np.int64, count=n)
            if len(kept) == n:
                earlier = self._seen.first_many(ids, lines)
            else:
                lines = lines[kept]
                earlier = self._seen.first_many([ids[k] for k in kept], lines)
            for j in np.flatnonzero(earlier != lines).tolist():
                k = kept[j]
                keep[k] = False
                message = (
                    f"case {ids[k]!r}: duplicate case id (first on line {earlier[j]}); one case per line"
                )
                invalid.append((b.places[k], InvalidLine(numbers[k], message)))
        if not keep.all():
            kept = np.flatnonzero(keep).tolist()
            rows = keep[case_of]
            at, kinds, status, levels, index = at[rows], kinds[rows], status[rows], levels[rows], index[rows]
            counts = counts[keep]

        status_codes, statuses = _status_table(status, self._name_list)
        given: _Sources = b.datas if b.keyed else _Sources(b.texts)
        if len(kept) == n:  # every case kept (the usual batch)
            out_ids, out_severities, out_numbers, out_zones, out_customers = (
                ids,
                severities,
                numbers,
                zones,
                customers,
            )
            out_sources = given
            for k, case in sources.items():
                out_sources[k] = case
        else:
            out_ids = [ids[k] for k in kept]
            out_severities = [severities[k] for k in kept]
            out_numbers = [numbers[k] for k in kept]
            out_zones = [zones[k] for k in kept]
            out_customers = [customers[k] for k in kept]
            stored = list.__getitem__  # a text of _Sources stays unread
            out_sources = _Sources([sources[k] if k in sources else stored(given, k) for k in kept], given)
        zone, zone_list = _codes(out_zones, _same)
        customer, customer_list = _codes(out_customers, _same)
        invalid.sort(key=_place)
        cols = CaseColumns(
            ids=out_ids,
            severity=np.array(out_severities, dtype=np.int64),
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
            sources=out_sources,
            lines=out_numbers,
        )
        return cols, [line for _, line in invalid], kept

    def _slow_csv(
        self, data: dict[str, Any], lines: tuple[int, ...], place: int, invalid: list[tuple[int, InvalidLine]]
    ) -> Case | None:
        """The CSV reader's own path for one case (``_csv_case``): the case, or ``None`` and
        its reason appended to ``invalid``."""
        found = _csv_case(self._builder.build, data, lines)
        if type(found) is InvalidLine:
            invalid.append((place, found))
            return None
        return found.case

    def _slow(
        self, number: int, text: str, place: int, invalid: list[tuple[int, InvalidLine]]
    ) -> Case | None:
        """The reader's own path for one line (``_read_jsonl``): the case, or ``None`` and
        its reason appended to ``invalid``."""
        data, problem = _parse_line(text)
        if problem is None:
            case, problem = _build(self._builder.build, data)
            if case is not None and not _in_range(case):
                case, problem = _build(Case.model_validate, data)
            if case is not None:
                return case
        invalid.append((place, InvalidLine(number, problem or "")))
        return None
