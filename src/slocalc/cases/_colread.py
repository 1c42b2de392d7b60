"""JSON Lines straight into :class:`~slocalc.cases._columns.CaseColumns`, no ``Case`` objects.

Private. :class:`ColumnBuilder` reads a batch of JSON Lines lines and appends each valid
case to numpy-ready column lists, with every line's validity and error message exactly
what :func:`~slocalc.cases.read_cases` gives (docs/scaling.md):

- The fast path parses a line with the standard library's C scanner (no
  ``object_pairs_hook``: a Python call per object costs a fifth of the parse), checks the
  shapes :class:`~slocalc.cases._fast.CaseBuilder` takes (when in doubt it refuses) and
  appends the case's values; instants come from a cache of UTC microseconds per distinct
  text (the same pattern and ``datetime.fromisoformat`` as ``CaseBuilder``).
- Duplicate keys are refused without the hook by counting: a line without a backslash
  holds exactly two ``"`` per string, and parsing drops a key given twice (at least one
  string of the line has no counterpart in the parsed value), so a line whose ``"`` count
  is twice the strings of its parsed value holds no key twice. Any other line (a
  backslash, a mismatch) is parsed again with the hook.
- Anything the fast path does not take goes the reader's own way (``_parse_line``, then
  ``CaseBuilder().build``): the same ``Case``, appended from its timeline as
  :func:`~slocalc.cases._columns.columns_from_cases` does, or the same
  :class:`~slocalc.cases.InvalidLine`.

Case ids are checked for duplicates across all batches of one builder, as the reader does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from typing import Any, Final

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
_SUPPORT: Final = KIND_CODES["support_update"]
_CUSTOMER: Final = KIND_CODES["customer_update"]
_STATUS_KIND: Final = KIND_CODES["status"]
_SEVERITY: Final = KIND_CODES["severity"]


class _Batch:
    """The column lists of one batch, and its tables."""

    __slots__ = (
        "at",
        "customer",
        "customer_codes",
        "customers",
        "first",
        "ids",
        "index",
        "kind",
        "level",
        "lines",
        "opened",
        "severity",
        "sources",
        "status",
        "statuses",
        "zone",
        "zone_codes",
        "zones",
    )

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.severity: list[int] = []
        self.opened: list[int] = []
        self.zone: list[int] = []
        self.zone_codes: dict[int, int] = {}  # id(tzinfo) -> code, as columns_from_cases keys them
        self.zones: list[tzinfo] = []
        self.customer: list[int] = []
        self.customer_codes: dict[Customer, int] = {}
        self.customers: list[Customer] = []
        self.first: list[int] = [0]
        self.at: list[int] = []
        self.kind: list[int] = []
        self.status: list[int] = []
        self.level: list[int] = []
        self.index: list[int] = []
        self.statuses: dict[str, int] = {}
        self.sources: list[Any] = []
        self.lines: list[int] = []

    def zone_code(self, tz: tzinfo) -> int:
        code = self.zone_codes.get(id(tz))
        if code is None:
            code = self.zone_codes[id(tz)] = len(self.zones)
            self.zones.append(tz)
        return code

    def customer_code(self, customer: Customer) -> int:
        code = self.customer_codes.get(customer)
        if code is None:
            code = self.customer_codes[customer] = len(self.customers)
            self.customers.append(customer)
        return code

    def add_case(self, case: Case, line: int) -> None:
        """Append a validated case from its timeline (what ``columns_from_cases`` does)."""
        opened_utc, timeline = timeline_of(case)
        tz = case.opened_at.tzinfo
        assert tz is not None
        self.ids.append(case.id)
        self.severity.append(case.severity)
        self.opened.append(to_us(opened_utc))
        self.zone.append(self.zone_code(tz))
        self.customer.append(self.customer_code(case.customer))
        statuses = self.statuses
        for utc, i, ev in timeline:
            self.at.append(to_us(utc))
            self.kind.append(KIND_CODES[ev.kind])
            self.index.append(i)
            name = ev.status
            if name is None:
                self.status.append(-1)
            else:
                s = statuses.get(name)
                if s is None:
                    s = statuses[name] = len(statuses)
                self.status.append(s)
            self.level.append(0 if ev.severity is None else ev.severity)
        self.first.append(len(self.at))
        self.sources.append(case)
        self.lines.append(line)

    def columns(self) -> CaseColumns:
        import numpy as np

        return CaseColumns(
            ids=self.ids,
            severity=np.array(self.severity, dtype=np.int64),
            opened=np.array(self.opened, dtype=np.int64),
            zone=np.array(self.zone, dtype=np.int32),
            zones=self.zones,
            customer=np.array(self.customer, dtype=np.int32),
            customers=self.customers,
            first=np.array(self.first, dtype=np.int64),
            at=np.array(self.at, dtype=np.int64),
            kind=np.array(self.kind, dtype=np.int8),
            status=np.array(self.status, dtype=np.int32),
            level=np.array(self.level, dtype=np.int64),
            index=np.array(self.index, dtype=np.int32),
            statuses=list(self.statuses),
            sources=self.sources,
            lines=self.lines,
        )


def _in_range(case: Case) -> bool:
    """Whether every severity of ``case`` fits the model's range (``CaseBuilder`` does not
    check it, ``Case.model_validate`` does; an ``int64`` column holds the range)."""
    if not -MAX_WHOLE <= case.severity <= MAX_WHOLE:
        return False
    return all(e.severity is None or -MAX_WHOLE <= e.severity <= MAX_WHOLE for e in case.events)


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
        #: instant text -> UTC microseconds; ``None``: not a text the fast path takes
        self._instants: dict[str, int | None] = {}
        #: the tzinfo of each offset text ("Z", "+05:45"): the kind pydantic gives
        self._zones: dict[str, tzinfo] = {"Z": TzInfo(0)}
        self._customers: dict[tuple[tuple[str, Any], ...], Customer | None] = {}
        #: status names the model takes
        self._names: set[str] = set()

    def build(self, lines: Iterable[tuple[int, str]]) -> tuple[CaseColumns, list[InvalidLine]]:
        """The cases of ``(line number, text)`` pairs as columns, and the invalid lines.

        Blank lines are passed over. ``lines`` of the columns holds each case's line
        number and ``sources`` the mapping it was parsed from (or the ``Case``).
        """
        batch = _Batch()
        invalid: list[InvalidLine] = []
        fast = self._fast
        for number, text in lines:
            if text[:1] == "{" and "\\" not in text and (text.isascii() or _undecodable(text) is None):
                try:
                    data, end = _scan(text, 0)
                except (ValueError, RecursionError, StopIteration):
                    pass  # the reader's own parse words the error
                else:
                    if (end == len(text) or not text[end:].strip(" \t\n\r")) and fast(
                        data, number, text, batch, invalid
                    ):
                        continue
            elif not text.strip():
                continue
            self._slow(number, text, batch, invalid)
        return batch.columns(), invalid

    def _slow(self, number: int, text: str, batch: _Batch, invalid: list[InvalidLine]) -> None:
        """The reader's own path for one line (``_read_jsonl``): the same case or reason."""
        data, problem = _parse_line(text)
        if problem is not None:
            invalid.append(InvalidLine(number, problem))
            return
        if not isinstance(data, dict):
            invalid.append(
                InvalidLine(number, f"expected a JSON object (one case), got {type(data).__name__}")
            )
            return
        if self._fast(data, number, None, batch, invalid):
            return  # parsed with the hook (a backslash, a key given twice...) but a plain case
        case, problem = _build(self._builder.build, data)
        if case is not None and not _in_range(case):
            case, problem = _build(Case.model_validate, data)
        if case is None:
            invalid.append(InvalidLine(number, problem or ""))
            return
        first = self._seen.first(case.id, number)
        if first != number:
            invalid.append(_duplicate(number, case.id, first))
            return
        batch.add_case(case, number)

    def _instant(self, text: str) -> int | None:
        """UTC microseconds of an instant text ``CaseBuilder`` parses itself, else ``None``."""
        us: int | None = None
        if _INSTANT.match(text):
            try:
                parsed = _fromisoformat(text)
            except ValueError:
                parsed = None
            # years 1 and 9999 may fall outside the datetime range in UTC: CaseBuilder words it
            if parsed is not None and 1 < parsed.year < 9999:
                us = to_us(parsed)
                suffix = "Z" if text[-1] == "Z" else text[-6:]
                if suffix not in self._zones:
                    offset = parsed.utcoffset()
                    assert offset is not None  # the pattern requires an offset
                    self._zones[suffix] = TzInfo(int(offset.total_seconds()))
        if len(self._instants) >= _CACHE_LIMIT:
            self._instants.clear()
        self._instants[text] = us
        return us

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

    def _fast(
        self, data: Any, number: int, text: str | None, batch: _Batch, invalid: list[InvalidLine]
    ) -> bool:
        """Append the case ``data`` describes if it has a shape ``CaseBuilder`` takes (and,
        when ``text`` is given, the text gives no key twice); ``False`` if not taken."""
        if type(data) is not dict or len(data) < 4 or not data.keys() <= _CASE_KEYS:
            return False
        case_id, severity = data.get("id"), data.get("severity")
        if type(case_id) is not str or type(severity) is not int or not -MAX_WHOLE <= severity <= MAX_WHOLE:
            return False
        if not case_id.strip() or (not case_id.isascii() and _undecodable(case_id) is not None):
            return False
        events = data.get("events", ())
        opened_text, customer_data = data.get("opened_at"), data.get("customer")
        if type(events) is not list and type(events) is not tuple:
            return False
        if type(opened_text) is not str or type(customer_data) is not dict:
            return False
        instants = self._instants
        opened = instants.get(opened_text, -1)
        if opened == -1:  # not cached (an instant of -1 µs is parsed again each time: still right)
            opened = self._instant(opened_text)
        if opened is None:
            return False
        customer = self._customer(customer_data)
        if customer is None:
            return False
        # the strings of the value: keys, id and opened_at; the customer's keys and values
        strings = len(data) + 2 + 2 * len(customer_data)
        ats: list[int] = []
        kinds: list[int] = []
        names: list[str | None] = []
        levels: list[int] = []
        known = self._names
        for event in events:
            if type(event) is not dict:
                return False
            at = event.get("at")
            if type(at) is not str:
                return False
            kind = event.get("kind")
            size = len(event)
            if size == 2:  # {"at", "kind"}
                if kind == "support_update":
                    kinds.append(_SUPPORT)
                elif kind == "customer_update":
                    kinds.append(_CUSTOMER)
                else:
                    return False
                names.append(None)
                levels.append(0)
                strings += 4
            elif size != 3:
                return False
            elif kind == "status":  # {"at", "kind", "status"}
                name = event.get("status")
                if type(name) is not str:
                    return False
                if name not in known:
                    if not _STATUS.match(name):
                        return False
                    known.add(name)
                kinds.append(_STATUS_KIND)
                names.append(name)
                levels.append(0)
                strings += 6
            elif kind == "severity":  # {"at", "kind", "severity"}
                level = event.get("severity")
                if type(level) is not int or not -MAX_WHOLE <= level <= MAX_WHOLE:
                    return False
                kinds.append(_SEVERITY)
                names.append(None)
                levels.append(level)
                strings += 5
            else:
                return False
            us = instants.get(at, -1)
            if us == -1:
                us = self._instant(at)
            if us is None or us < opened:  # an event before opened_at: the model words it
                return False
            ats.append(us)
        if text is not None and text.count('"') != 2 * strings:
            return False  # a key given twice, or a string the count cannot tell: the hook decides
        zone = self._zones["Z" if opened_text[-1] == "Z" else opened_text[-6:]]
        first = self._seen.first(case_id, number)
        if first != number:
            invalid.append(_duplicate(number, case_id, first))
            return True
        batch.ids.append(case_id)
        batch.severity.append(severity)
        batch.opened.append(opened)
        batch.zone.append(batch.zone_code(zone))
        batch.customer.append(batch.customer_code(customer))
        n = len(ats)
        if n:
            order: Iterable[int] = range(n)
            if sorted(ats) != ats:  # timeline order: by instant, ties in the given order
                order = sorted(order, key=ats.__getitem__)
                ats = [ats[i] for i in order]
                kinds = [kinds[i] for i in order]
                names = [names[i] for i in order]
                levels = [levels[i] for i in order]
            batch.at += ats
            batch.kind += kinds
            batch.level += levels
            batch.index += order
            statuses = batch.statuses
            status = batch.status
            for name in names:
                if name is None:
                    status.append(-1)
                else:
                    s = statuses.get(name)
                    if s is None:
                        s = statuses[name] = len(statuses)
                    status.append(s)
        batch.first.append(len(batch.at))
        batch.sources.append(data)
        batch.lines.append(number)
        return True


def _duplicate(number: int, case_id: str, first: int) -> InvalidLine:
    return InvalidLine(
        number, f"case {case_id!r}: duplicate case id (first on line {first}); one case per line"
    )
