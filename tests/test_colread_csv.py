"""CSV exports read into columns agree with the per-record reader, anomaly by anomaly.

``CaseReader.batches`` on a CSV export groups its rows as iterating does and hands each
batch's cases (the reader's mappings) to ``ColumnBuilder.build_csv``. Differential: each
batch against the batch of the same ``size`` items iterating the reader gives (what
``CaseBatch.from_records`` made before): the same cases as columns (``columns_from_cases``
of the reader's cases, every array and table, each source rebuilding the reader's case),
the same invalid lines (number and reason, in order), the same lines of each case. On the
example export, ``make_cases`` exports with anomalies at batch edges (batch sizes 1, 3 and
37), with rows of a case apart and with a stream that is not seekable (spooled), and
Hypothesis mixes of good and bad rows. Plus hand-worked batches.
"""

from __future__ import annotations

import contextlib
import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc.cases import CSV_COLUMNS, CaseBatch, CaseRecord, InvalidLine, _readers, read_cases
from slocalc.cases._colread import ColumnBuilder
from slocalc.cases._columns import columns_from_cases
from slocalc.cases._fast import CaseBuilder
from slocalc.cases._readers import _csv_case
from test_colread import _same_columns

ROOT = Path(__file__).resolve().parent.parent
# 2026-03-02T00:00Z: 20514 days after 1970-01-01 (see test_colread)
_MIDNIGHT = 1_772_409_600
_US = 10**6


class _Pipe(io.StringIO):
    """A text stream that cannot be read twice: the reader spools it to a temporary file."""

    def seekable(self) -> bool:
        return False


def _source(text: str, seekable: bool) -> io.StringIO:
    return io.StringIO(text) if seekable else _Pipe(text)


def _check(text: str, size: int, seekable: bool = True) -> list[CaseBatch]:
    """Assert that the batches of ``text`` are the per-record reader's batches of ``size``
    items, case for case and line for line; return them."""
    items = list(read_cases(_source(text, seekable), "csv"))
    reader = read_cases(_source(text, seekable), "csv")
    batches = list(reader.batches(size))
    assert len(batches) == -(-len(items) // size)
    for k, batch in enumerate(batches):
        chunk = items[k * size : (k + 1) * size]
        records = [i for i in chunk if isinstance(i, CaseRecord)]
        assert batch.invalid == [i for i in chunk if isinstance(i, InvalidLine)]
        _same_columns(batch._cols, columns_from_cases([r.case for r in records], [r.line for r in records]))
        assert [batch._lines[i] for i in range(len(batch))] == [r.lines for r in records]
        assert [batch.line(i) for i in range(len(batch))] == [r.line for r in records]
    assert reader.cases_read == sum(isinstance(i, CaseRecord) for i in items)
    assert reader.invalid_lines == sum(isinstance(i, InvalidLine) for i in items)
    return batches


# -- hand-worked ------------------------------------------------------------------------------

_HEADER = ",".join(CSV_COLUMNS) + "\n"
_TEXT = (
    _HEADER
    + "C-1,2,2026-03-02T09:00:00+01:00,Europe/Berlin,DE,,,2026-03-02T10:00:00+01:00,support_update,,\n"
    + "C-1,,,,,,,2026-03-02T10:00:00+01:00,status,in_progress,\n"
    + "C-2,1,2026-03-05T09:15:00Z,UTC,,,,,,,\n"
    + ",,,,,,,,,,\n"
    + "C-3,3,2026-03-04T09:00:00-05:00,America/New_York,US,,,2026-03-04T15:00:00-05:00,severity,,x\n"
    + "C-4,3,2026-03-04T09:00:00-05:00,America/New_York,US,,,2026-03-04T15:00:00-05:00,support_update,,\n"
    + "C-4,2,,,,,,2026-03-05T15:00:00-05:00,support_update,,\n"
    + ",2,,,,,,,,,\n"
    + "C-5,3,2026-03-04T09:00:00Z,UTC,,,,2026-03-04T15:00:00Z,support_update,,,extra\n"
    + "C-6,3,2026-03-04T09:00:00Z,UTC,,,,2026-03-04T15:00:00Z,support_update,,\n"
    + "C-6,,,,,,,2026-03-04T08:00:00Z,customer_update,,\n"
    + "C-7,,2026-03-04T09:00:00Z,,,,,,,,\n"
)


@pytest.mark.parametrize("seekable", [True, False])
def test_batches_by_hand(seekable: bool) -> None:
    b1, b2, b3 = _check(_TEXT, 3, seekable)
    # items: C-1, C-2, line 6 | lines 8, 9, 10 | line 12 (C-6's events[1]), line 13
    assert b1.ids == ["C-1", "C-2"]
    assert b1._lines == [(2, 2, 3), (4,)]
    assert [i.line for i in b1.invalid] == [6]
    assert b1.invalid[0].reason == "case 'C-3': new_severity 'x': expected a whole number, e.g. 1"
    assert (len(b2), [i.line for i in b2.invalid]) == (0, [8, 9, 10])
    assert b2.invalid[0].reason == (
        "case 'C-4': severity '2' differs from '3' on line 7; leave it blank or repeat it"
    )
    assert (len(b3), [i.line for i in b3.invalid]) == (0, [12, 13])
    assert b3.invalid[0].reason.startswith("case 'C-6': events[1] at ")
    assert b3.invalid[1].reason == "case 'C-7': first row leaves severity, tz empty"
    cols = b1._cols
    # 09:00+01:00 is 08:00Z; both events 10:00+01:00 (09:00Z), in the given order; C-2 has none
    assert cols.opened.tolist() == [(_MIDNIGHT + 8 * 3600) * _US, (_MIDNIGHT + 3 * 86400 + 33_300) * _US]
    assert cols.at.tolist() == [(_MIDNIGHT + 9 * 3600) * _US] * 2
    assert cols.first.tolist() == [0, 2, 2]
    assert (cols.kind.tolist(), cols.status.tolist(), cols.statuses) == ([0, 2], [-1, 0], ["in_progress"])
    assert (cols.severity.tolist(), cols.index.tolist(), cols.level.tolist()) == ([2, 1], [0, 1], [0, 0])
    assert [c.tz for c in cols.customers] == ["Europe/Berlin", "UTC"]
    assert b1.case(0).events[1].status == "in_progress"


@pytest.mark.parametrize("seekable", [True, False])
def test_rows_apart_and_an_id_given_again(seekable: bool) -> None:
    text = (
        "kind,case_id,event_at,severity,opened_at,tz,new_severity\n"
        "support_update,A,2026-03-02T10:00:00Z,2,2026-03-02T09:00:00Z,UTC,\n"
        "support_update,B,2026-03-02T11:00:00Z,1,2026-03-02T09:30:00Z,UTC,\n"
        "\n"
        "severity,A,2026-03-02T09:30:00.500Z,,,,1\n"
        "customer_update,B,2026-03-02T12:00:00Z,3,,,\n"
    )
    [batch] = _check(text, 37, seekable)
    # the rows of A are one case (the first row's columns); B's second row contradicts it
    assert (batch.ids, batch._lines) == (["A"], [(2, 2, 5)])
    assert [(i.line, i.reason[:32]) for i in batch.invalid] == [(6, "case 'B': severity '3' differs f")]
    cols = batch._cols
    # events put in timeline order: the severity event (09:30:00.5) first, index 1
    assert cols.at.tolist() == [(_MIDNIGHT + 34_200) * _US + 500_000, (_MIDNIGHT + 36_000) * _US]
    assert (cols.kind.tolist(), cols.index.tolist(), cols.level.tolist()) == ([3, 0], [1, 0], [1, 0])


@pytest.mark.parametrize("seekable", [True, False])
def test_a_field_over_the_size_limit_after_a_quote(seekable: bool) -> None:
    """The first look at the ids passes over a row the csv module refuses (it used to end
    the reader): that row only is refused, as docs/cli.md says."""
    row = "2026-03-02T09:00:00Z,UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"
    text = (
        _HEADER + '"C-1",2,' + row + "C-2,2," + row.replace("UTC", '"' + "x" * 140_000 + '"') + "C-3,2," + row
    )
    first, second = _check(text, 2, seekable)
    assert first.invalid == [InvalidLine(3, "not a CSV row: field larger than field limit (131072)")]
    assert (first._lines, second._lines, second.invalid) == ([(2, 2)], [(4, 4)], [])


def test_a_valid_case_the_checks_leave_to_the_reader() -> None:
    # a one-digit fraction and a space for the T: not a layout the fast path parses, a valid
    # case all the same (built by CaseBuilder, as the reader builds it)
    text = _HEADER + (
        "C-1,2,2026-03-02 09:00:00.5Z,UTC,,,,2026-03-02T09:00:01Z,support_update,,\n"
        "C-2,2,2026-03-02T09:00:00Z,UTC,,,,2026-03-02T09:00:00Z,support_update,,\n"
    )
    [batch] = _check(text, 4)
    assert batch.ids == ["C-1", "C-2"]
    assert isinstance(batch._cols.sources[0], type(batch.case(0)))  # the reader's own Case
    assert batch._cols.opened.tolist() == [(_MIDNIGHT + 32_400) * _US + 500_000, (_MIDNIGHT + 32_400) * _US]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", []),
        (_HEADER, []),
        ("case_id,sev,opened_at,tz,event_at,kind\nC-1,2,,,,\n", [1]),
        (_HEADER + "\n\n,,,,,,,,,,\n", []),
    ],
)
def test_no_cases(text: str, lines: list[int]) -> None:
    batches = _check(text, 2)
    assert [i.line for b in batches for i in b.invalid] == lines
    assert sum(map(len, batches)) == 0


def test_mappings_the_reader_did_not_make() -> None:
    """``build_csv`` takes any mapping: one with a key too many, or an event with a key too
    many, fails the key count and goes the reader's own way."""
    good = {
        "id": "C-1",
        "severity": 2,
        "opened_at": "2026-03-02T09:00:00Z",
        "customer": {"tz": "UTC"},
        "events": [{"at": "2026-03-02T10:00:00Z", "kind": "status", "status": "in_progress"}],
    }
    extra = {**good, "id": "C-2", "note": "x"}
    event = {**good, "id": "C-3", "events": [{**good["events"][0], "note": "x"}]}
    fewer = {k: v for k, v in good.items() if k != "events"} | {"id": "C-4"}
    items: list[Any] = [((2, 3), good), ((4, 5), extra), ((6, 7), event), ((8,), fewer)]
    cols, invalid, lines = ColumnBuilder().build_csv(items)
    build = CaseBuilder().build
    want = [_csv_case(build, data, at) for at, data in items]
    assert invalid == [w for w in want if isinstance(w, InvalidLine)]
    assert [i.line for i in invalid] == [4, 7]  # the case's line; the event's line
    records = [w for w in want if isinstance(w, CaseRecord)]
    assert lines == [r.lines for r in records] == [(2, 3), (8,)]
    _same_columns(cols, columns_from_cases([r.case for r in records], [r.line for r in records]))


def test_example_export() -> None:
    text = (ROOT / "examples" / "cases.csv").read_text(encoding="utf-8")
    for size in (1, 5, 4096):
        _check(text, size)
    reader = read_cases(ROOT / "examples" / "cases.csv")  # a file: read twice, not spooled
    assert sum(map(len, reader.batches(5))) == 12


# -- generated exports with anomalies -----------------------------------------------------------

Row = dict[str, str] | str  # a row by column, or a raw line


def _export(count: int, seed: int) -> list[list[Row]]:
    """A ``make_cases`` export: each case's rows."""
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import make_cases  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    out = io.StringIO()
    make_cases.write_csv(make_cases.generate(count, seed=seed), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    cases: dict[str, list[Row]] = {}
    for row in rows:
        cases.setdefault(row["case_id"], []).append(dict(row))
    return list(cases.values())


def _text(cases: list[list[Row]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    out.write(_HEADER)
    for rows in cases:
        for row in rows:
            if isinstance(row, str):
                out.write(row)
            else:
                writer.writerow([row[c] for c in CSV_COLUMNS])
    return out.getvalue()


def _dicts(rows: list[Row]) -> list[dict[str, str]]:
    return [r for r in rows if isinstance(r, dict)]


def _all(column: str, value: str) -> Callable[[list[Row]], None]:
    def mutate(rows: list[Row]) -> None:
        for row in _dicts(rows):
            row[column] = value

    return mutate


def _last(column: str, value: str) -> Callable[[list[Row]], None]:
    def mutate(rows: list[Row]) -> None:
        _dicts(rows)[-1][column] = value

    return mutate


def _add(**fields: str) -> Callable[[list[Row]], None]:
    """A row more for the case: its case columns blank, the event ``fields``."""

    def mutate(rows: list[Row]) -> None:
        first = _dicts(rows)[0]
        row = dict.fromkeys(CSV_COLUMNS, "")
        row["case_id"] = first["case_id"]
        row["event_at"] = first["opened_at"]
        row.update(fields)
        rows.append(row)

    return mutate


def _raw(line: str) -> Callable[[list[Row]], None]:
    def mutate(rows: list[Row]) -> None:
        rows.insert(len(rows) // 2, line)

    return mutate


def _clash(rows: list[Row]) -> None:
    row = _dicts(rows)[-1]
    row["severity"] = str(int(row["severity"]) % 4 + 1) if row["severity"].isdigit() else "1"


def _blank_later(rows: list[Row]) -> None:
    for row in _dicts(rows)[1:]:
        for column in ("severity", "opened_at", "tz", "country", "subdiv", "hours"):
            row[column] = ""


def _reversed(rows: list[Row]) -> None:
    rows.reverse()


def _no_events(rows: list[Row]) -> None:
    first = _dicts(rows)[0]
    del rows[:]
    rows.append({**first, "event_at": "", "kind": "", "status": "", "new_severity": ""})


def _subdiv_only(rows: list[Row]) -> None:
    _all("country", "")(rows)
    _all("subdiv", "CA")(rows)


def _surrogate(column: str) -> Callable[[list[Row]], None]:
    def mutate(rows: list[Row]) -> None:
        row = _dicts(rows)[-1]
        row[column] = row[column] + "\udc80"

    return mutate


ANOMALIES: dict[str, Callable[[list[Row]], None]] = {
    "as_is": lambda rows: None,
    "bad_date": _last("event_at", "2026-02-30T10:00:00Z"),
    "text_instant": _last("event_at", "yesterday"),
    "hour_24": _last("event_at", "2026-03-02T24:00:00Z"),
    "lower_t": _last("event_at", "2026-03-02t10:00:00Z"),
    "space_t": _last("event_at", "2026-12-02 10:00:00Z"),
    "one_digit_fraction": _last("event_at", "2026-12-02T10:00:00.5Z"),
    "fraction_offset": _last("event_at", "2026-12-31T23:59:59.123456-04:30"),
    "long_instant": _last("event_at", "2026-12-31T23:59:59Z" + "x" * 300),
    "naive_event": _last("event_at", "2026-12-31T23:59:59"),
    "naive_opened": lambda rows: _all("opened_at", _dicts(rows)[0]["opened_at"][:19])(rows),
    "kathmandu": _all("opened_at", "2025-12-31T23:59:59.999+05:45"),
    "non_ascii_instant": _all("opened_at", "2026-01-0\u0662T00:00:00Z"),
    "early": _add(event_at="2001-01-01T00:00:00Z", kind="support_update"),
    "unknown_kind": _last("kind", "suport_update"),
    "empty_kind": _last("kind", ""),
    "clash": _clash,
    "clash_tz": _last("tz", "Europe/Paris"),
    "blank_later": _blank_later,
    "bad_severity": _all("severity", "x"),
    "float_severity": _all("severity", "2.0"),
    "plus_severity": _all("severity", "+3"),
    "arabic_severity": _all("severity", "\u0663"),
    "huge_severity": _all("severity", "9" * 25),
    "beyond_max": _all("severity", str(2**63)),
    "min_severity": _all("severity", str(-(2**63) + 1)),
    "severity_event": _add(kind="severity", new_severity="1"),
    "bad_new_severity": _add(kind="severity", new_severity="high"),
    "huge_new_severity": _add(kind="severity", new_severity="1" + "0" * 30),
    "severity_without_value": _add(kind="severity"),
    "status_without_name": _add(kind="status"),
    "bad_status": _add(kind="status", status="In Progress"),
    "unknown_status": _add(kind="status", status="escalated_to_l3"),
    "update_with_status": _add(kind="support_update", status="open"),
    "update_with_severity": _add(kind="customer_update", new_severity="2"),
    "status_and_severity": _add(kind="status", status="in_progress", new_severity="1"),
    "no_kind_but_status": _add(kind="", status="open"),
    "only_status": _add(event_at="", status="open"),
    "only_new_severity": _add(event_at="", new_severity="2"),
    "only_kind": _add(event_at="", kind="status"),
    "spaced_event": _add(event_at=" 2026-12-02T10:00:00Z ", kind=" severity", new_severity=" 2 "),
    "empty_id_row": _raw(",2,2026-03-02T09:00:00Z,UTC,,,,,,,\n"),
    "extra_field": lambda rows: _raw(_dicts(rows)[0]["case_id"] + ",2,,,,,,,,,,x\n")(rows),
    "fewer_fields": lambda rows: _raw(_dicts(rows)[0]["case_id"] + ",2,,,\n")(rows),
    "empty_row": _raw(",,,,,,,,,,\n"),
    "blank_line": _raw("\n"),
    "spaces_line": _raw("  \n"),
    "unknown_tz": _all("tz", "Mars/Olympus"),
    "bad_hours": _all("hours", "9 to 5"),
    "hours": _all("hours", "Mon-Fri 09:00-17:00"),
    "quoted_comma": _all("country", "U,S"),
    "line_break": _all("hours", "Mon-Fri\n09:00-17:00"),
    "subdiv_only": _subdiv_only,
    "first_row_no_tz": lambda rows: _dicts(rows)[0].update(tz=""),
    "surrogate_id": _surrogate("case_id"),
    "surrogate_status": _surrogate("kind"),
    "non_ascii_id": lambda rows: _all("case_id", _dicts(rows)[0]["case_id"] + "-\u00e9")(rows),
    "spaced_id": lambda rows: _all("case_id", " " + _dicts(rows)[0]["case_id"] + " ")(rows),
    "no_events": _no_events,
    "reversed": _reversed,
    "equal_instants": lambda rows: _all("event_at", _dicts(rows)[0]["opened_at"])(rows),
}
_NAMES = sorted(ANOMALIES)
_BASE = _export(40, seed=7)


def _copy(rows: list[Row]) -> list[Row]:
    return [r if isinstance(r, str) else dict(r) for r in rows]


def _apart(cases: list[list[Row]], k: int) -> None:
    """Case ``k``'s last row moved to the end of the export (its rows no longer adjacent)."""
    if len(cases[k]) > 1:
        cases.append([cases[k].pop()])


def _same_id(cases: list[list[Row]], k: int, j: int) -> None:
    """Case ``k`` given case ``j``'s id (its rows join ``j``'s, or clash with them)."""
    case_id = _dicts(cases[j])[0]["case_id"]
    for row in _dicts(cases[k]):
        row["case_id"] = case_id


@pytest.mark.parametrize("size", [1, 3, 37])
@pytest.mark.parametrize("apart", [False, True])
def test_anomalies_at_batch_edges(size: int, apart: bool) -> None:
    cases = [_copy(rows) for rows in _export(150, seed=11)]
    names = iter(_NAMES * 3)
    for k in range(len(cases)):
        if k % size in (0, size - 1) or k % 2:
            ANOMALIES[next(names, "as_is")](cases[k])
    _same_id(cases, 40, 39)  # adjacent: one case, or a clash
    if apart:
        _same_id(cases, 90, 12)
        for k in (5, 6, 37, 74, 111):
            _apart(cases, k)
    text = _text(cases)
    for seekable in (True, False):
        batches = _check(text, size, seekable)
        assert sum(map(len, batches)) > 50
        assert sum(len(b.invalid) for b in batches) > 20


#: cases of the base export by index, each with two anomalies (``_mixed``)
_PICKS = st.lists(
    st.tuples(st.integers(0, len(_BASE) - 1), st.sampled_from(_NAMES), st.sampled_from(_NAMES)),
    min_size=1,
    max_size=8,
)
#: pairs of those cases moved apart (``True``) or given one id
_MOVES = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.booleans()), max_size=2)


def _mixed(picks: list[tuple[int, str, str]], moves: list[tuple[int, int, bool]]) -> list[list[Row]]:
    """Cases of the base export, each with two anomalies, then some moved apart or given one id."""
    cases: list[list[Row]] = []
    for k, first, second in picks:
        rows = _copy(_BASE[k])
        ANOMALIES[first](rows)
        ANOMALIES[second](rows)
        cases.append(rows)
    for k, j, apart in moves:
        if k < len(cases) and j < len(cases) and _dicts(cases[k]) and _dicts(cases[j]):
            if apart:
                _apart(cases, k)
            else:
                _same_id(cases, k, j)
    return cases


@settings(max_examples=80, deadline=None)
@given(
    _PICKS,
    _MOVES,
    st.integers(1, 5),
    st.booleans(),
)
def test_good_and_bad_rows_agree_with_the_reader(
    picks: list[tuple[int, str, str]], moves: list[tuple[int, int, bool]], size: int, seekable: bool
) -> None:
    _check(_text(_mixed(picks, moves)), size, seekable)


# -- the reader's blocks: rows of the common shape taken a block at a time ---------------------
#
# ``_csv_items`` reads a block of lines at a time: a plain block's rows of the common shape go
# a run of one case at a time (C-level maps over the block), any other row through the rules of
# one row (``_Rows._row``). The same items whatever the block size, and the same items as the
# rules of one row alone.


def _items(text: str, block: int, seekable: bool = True, rules_only: bool = False) -> list[str]:
    """The reader's items of ``text`` (reprs: a case's lines and mapping, keys in order, or an
    invalid line), read ``block`` lines at a time; ``rules_only``: every row by ``_Rows._row``."""

    def by_rules(self: Any, lines: list[str], joined: str, offset: int, end: int) -> int:
        return int(self._rows(csv.reader(lines), offset, end, None))

    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(_readers, "_ROW_BLOCK", block))
        if rules_only:
            stack.enter_context(mock.patch.object(_readers._Rows, "_block", by_rules))
        reader = read_cases(_source(text, seekable), "csv")
        return [repr(i) for i in _readers._csv_items(reader._lines, reader._text, reader._start)]


_AT = "2026-03-02T09:00:00Z"
_ROWS_TEXT = _HEADER + (
    f"A,2,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"  # 2
    "A,,,,,,,2026-03-02T11:00:00Z,status,in_progress,\n"  # 3
    f"A,2,{_AT},UTC,,,,2026-03-02T12:00:00Z,severity,,1\n"  # 4: the case columns repeated
    f" B ,1,{_AT},UTC,,,, 2026-03-02T10:00:00Z ,support_update,,\n"  # 5: spaces around values
    "B,1,,,,,,,,,\n"  # 6: severity repeated, the others blank; no event
    f"C,,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"  # 7: no severity
    "C,3,,,,,,2026-03-02T11:00:00Z,support_update,,\n"  # 8: a severity the first row did not give
    f"D,1,{_AT},UTC,,,,2026-03-02T10:00:00Z,severity,,x\n"  # 9
    "D,,,,,,,2026-03-02T11:00:00Z,support_update,,\n"  # 10
    "\n"  # 11
    ",,,,,,,,,,\n"  # 12
    f'"E",1,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n'  # 13: a quote
    'E,,,,,,,"2026-03-02T11:00:00Z",support_update,,'  # 14: the last line, no line feed
)


def _case(lines: tuple[int, ...], case_id: str, severity: int, *events: dict[str, Any]) -> str:
    data = {"id": case_id, "severity": severity, "opened_at": _AT, "customer": {"tz": "UTC"}}
    return repr((lines, data | {"events": list(events)}))


@pytest.mark.parametrize("block", [1, 2, 3, 5, 1024])
@pytest.mark.parametrize("seekable", [True, False])
def test_blocks_by_hand(block: int, seekable: bool) -> None:
    want = [
        _case(
            (2, 2, 3, 4),
            "A",
            2,
            {"at": "2026-03-02T10:00:00Z", "kind": "support_update"},
            {"at": "2026-03-02T11:00:00Z", "kind": "status", "status": "in_progress"},
            {"at": "2026-03-02T12:00:00Z", "kind": "severity", "severity": 1},
        ),
        _case((5, 5), "B", 1, {"at": "2026-03-02T10:00:00Z", "kind": "support_update"}),
        repr(InvalidLine(7, "case 'C': first row leaves severity empty")),
        repr(InvalidLine(8, "case 'C': severity '3' differs from '' on line 7; leave it blank or repeat it")),
        repr(InvalidLine(9, "case 'D': new_severity 'x': expected a whole number, e.g. 1")),
        _case(
            (13, 13, 14),
            "E",
            1,
            {"at": "2026-03-02T10:00:00Z", "kind": "support_update"},
            {"at": "2026-03-02T11:00:00Z", "kind": "support_update"},
        ),
    ]
    assert _items(_ROWS_TEXT, block, seekable) == want
    assert _items(_ROWS_TEXT, block, seekable, rules_only=True) == want
    crlf = _ROWS_TEXT.replace("\n", "\r\n")  # carriage returns: the csv module splits the rows
    assert _items(crlf, block, seekable) == want


@pytest.mark.parametrize("block", [1, 2, 1024])
def test_a_plain_line_over_the_field_limit(block: int) -> None:
    """A line of no quote longer than the csv module's field limit is read by the csv module:
    its row only is refused."""
    row = f"2,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"
    text = _HEADER + "C-1," + row + "C-2," + row.replace("UTC", "x" * 140_000) + "C-3," + row
    event = {"at": "2026-03-02T10:00:00Z", "kind": "support_update"}
    # C-1 comes when the next case starts (a row that cannot be read names none)
    assert _items(text, block) == [
        repr(InvalidLine(3, "not a CSV row: field larger than field limit (131072)")),
        _case((2, 2), "C-1", 2, event),
        _case((4, 4), "C-3", 2, event),
    ]


@settings(max_examples=60, deadline=None)
@given(
    _PICKS,
    _MOVES,
    st.sampled_from([1, 2, 3, 7, 1024]),
    st.sampled_from(["", "crlf", "no_last_line_feed", "drop_columns"]),
    st.booleans(),
)
def test_blocks_agree_with_the_rules_of_one_row(
    picks: list[tuple[int, str, str]],
    moves: list[tuple[int, int, bool]],
    block: int,
    how: str,
    seekable: bool,
) -> None:
    text = _text(_mixed(picks, moves))
    if how == "crlf":
        text = text.replace("\n", "\r\n")
    elif how == "no_last_line_feed":
        text = text.removesuffix("\n")
    elif how == "drop_columns":  # a header without status and country: a column the rows pad
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for values in csv.reader(io.StringIO(text)):
            writer.writerow([v for k, v in enumerate(values) if k not in (4, 9)])
        text = out.getvalue()
    assert _items(text, block, seekable) == _items(text, 1024, seekable, rules_only=True)


@pytest.mark.parametrize("seekable", [True, False])
def test_a_bad_first_row_is_named_on_its_line_from_a_pipe_too(seekable: bool) -> None:
    """An unterminated quote on the first row after the header: line 2 from a file and from
    a pipe alike (a pipe, read through a spool file, used to say line 3 and another reason)."""
    text = (
        _HEADER
        + '"C-1,2,2026-03-02T09:00:00Z,UTC,,,,2026-03-02T10:00:00Z,support_update,,\n'
        + "C-2,2,2026-03-02T09:00:00Z,UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"
    )
    [bad] = [i for i in read_cases(_source(text, seekable), "csv") if isinstance(i, InvalidLine)]
    assert bad.line == 2
    assert bad.reason.startswith("a quoted field runs from line 2 to line 3: an unterminated quote?")
