"""CSV blocks read a column at a time agree with the rules of one row.

``CaseReader.batches`` on a streaming CSV export reads a block of lines at a time with numpy
(``_Rows._cases``): the whole cases of a block of the common shape come as one
``_CsvCases`` (no mapping per case; ``_CsvCases.data`` makes one on demand), the rows of
its last case wait for the next block, and ``ColumnBuilder.build_csv`` reads the columns
straight from it. Any other block goes by the rules (``_Rows._lines``). The first look at
the ids reads a stream the reader opened a large piece at a time (``_runs_in_text``).

Hand-worked batches (ids, lines, instants, kinds, invalid lines), checks that the fast path
is taken and left, and Hypothesis properties: batches against the per-record reader (the
rules of one row) for generated exports with bad rows, any block size, from a stream, a
pipe, a path, a binary file and standard input; the first look against its line-by-line
form.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc.cases import CaseRecord, InvalidLine, _readers, read_cases
from test_colread_csv import _HEADER, _MOVES, _PICKS, _check, _mixed, _source, _text

# 2026-03-02T00:00Z in seconds (20514 days after 1970-01-01)
_MIDNIGHT = 1_772_409_600
_US = 10**6
_AT = "2026-03-02T09:00:00Z"


@contextlib.contextmanager
def _blocks(size: int = 8192, carry: int = 4096, piece: int = 1 << 20) -> Iterator[list[bool]]:
    """Column blocks of ``size`` lines, or ``piece`` characters from a stream the reader
    opened (at most ``carry`` rows of one case waiting); yields whether each call of
    ``_Rows._cases`` read its block (``False``: the rules did)."""
    taken: list[bool] = []
    cases = _readers._Rows._cases

    def spy(self: Any, *args: Any) -> Any:
        found = cases(self, *args)
        taken.append(found is not None)
        return found

    with (
        mock.patch.object(_readers, "_COLUMN_BLOCK", size),
        mock.patch.object(_readers, "_TEXT_BLOCK", piece),
        mock.patch.object(_readers, "_CARRY", carry),
        mock.patch.object(_readers._Rows, "_cases", spy),
    ):
        yield taken


# -- hand-worked --------------------------------------------------------------------------------

# each row: case_id, severity, opened_at, tz, country, subdiv, hours, event_at, kind, status, new_severity
_TEXT = _HEADER + (
    f"A,2,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"  # 2
    f"A,2,{_AT},UTC,,,,2026-03-02T11:00:00Z,status,in_progress,\n"  # 3
    f"A,2,{_AT},UTC,,,,2026-03-02T12:00:00Z,severity,,1\n"  # 4
    f"B,1,{_AT},Europe/Berlin,DE,BE,,,,,\n"  # 5: no event
    "B,,,,,,,2026-03-02T13:00:00Z,customer_update,,\n"  # 6: case columns left blank
    f"C,3,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"  # 7
    f"C,3,{_AT},UTC,,,,2026-03-02T11:00:00Z,suport_update,,\n"  # 8: an unknown kind
    f"D,3,{_AT},UTC,,,,2026-03-02T10:00Z,status,closed,\n"  # 9: no seconds
    f"D,3,{_AT},UTC,,,,2026-03-02T10:61:00Z,status,closed,\n"  # 10: no such minute
    f"E,1,{_AT},UTC,US,,,2026-03-02T10:00:00Z,support_update,,\n"  # 11
)


@pytest.mark.parametrize("block", [1, 2, 3, 4, 8192])
@pytest.mark.parametrize("seekable", [True, False])
def test_column_blocks_by_hand(block: int, seekable: bool) -> None:
    with _blocks(block) as taken:
        reader = read_cases(_source(_TEXT, seekable), "csv")
        [batch] = reader.batches(100)
    assert taken
    assert all(taken)  # every block of the common shape (a bad kind or instant is the builder's)
    assert batch.ids == ["A", "B", "E"]
    assert batch._lines == [(2, 2, 3, 4), (5, 6), (11, 11)]
    assert [(i.line, i.reason.split(";")[0]) for i in batch.invalid] == [
        (8, "case 'C': events[1] at '2026-03-02T11:00:00Z': kind 'suport_update' is unknown"),
        (
            10,
            "case 'D': events[1] at '2026-03-02T10:61:00Z': at: expected an aware datetime (ISO 8601 with an "
            "offset, e.g. '2026-03-02T09:00:00+01:00'), got str '2026-03-02T10:61:00Z'",
        ),
    ]
    cols = batch._cols
    hours = [(_MIDNIGHT + h * 3600) * _US for h in (10, 11, 12, 13, 10)]
    assert cols.at.tolist() == hours
    assert cols.kind.tolist() == [0, 2, 3, 1, 0]  # support, status, severity, customer, support
    assert cols.first.tolist() == [0, 3, 4, 5]
    assert [cols.statuses[s] if s >= 0 else None for s in cols.status.tolist()] == [
        None,
        "in_progress",
        None,
        None,
        None,
    ]
    assert cols.level.tolist() == [0, 0, 1, 0, 0]
    assert cols.severity.tolist() == [2, 1, 1]
    assert [cols.customers[c].country for c in cols.customer.tolist()] == [None, "DE", "US"]
    assert batch.case(1).customer.subdiv == "BE"
    assert (reader.cases_read, reader.invalid_lines) == (3, 2)


@pytest.mark.parametrize("size", [1, 2, 3])
def test_column_blocks_cut_at_batch_edges_by_hand(size: int) -> None:
    """A block's cases come in batches of ``size`` items, the invalid lines in their place."""
    with _blocks() as taken:
        batches = list(read_cases(io.StringIO(_TEXT), "csv").batches(size))
    assert all(taken)
    # items in order: A (2), B (5), C's line 8, D's line 10, E (11)
    items = [("A", 2), ("B", 5), ("bad", 8), ("bad", 10), ("E", 11)]
    got = []
    for batch in batches:
        assert len(batch) + len(batch.invalid) == size or batch is batches[-1]
        got += [(i, batch.line(k)) for k, i in enumerate(batch.ids)] + [
            ("bad", i.line) for i in batch.invalid
        ]
    assert sorted(got, key=lambda x: x[1]) == items
    assert [b._lines[k] for b in batches for k in range(len(b))] == [(2, 2, 3, 4), (5, 6), (11, 11)]


def test_cases_the_builder_refuses_in_a_column_block_by_hand() -> None:
    text = _HEADER + (
        f"F,high,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"  # 2: a severity that is no number
        f"G,1,{_AT},Mars/Olympus,,,,2026-03-02T10:00:00Z,support_update,,\n"  # 3: no such zone
        f"H,1,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"  # 4
        f"H,1,{_AT},UTC,,,,2026-03-02T11:00:00Z,severity,,99999999999999999999\n"  # 5: out of range
        f"I,1,{_AT},UTC,,,,2026-03-02T10:00:00Z,status,,\n"  # 6: a status event with no status
        f"J,1,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,closed,\n"  # 7: a status on another kind
        f"K,1,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"  # 8
    )
    with _blocks() as taken:
        [batch] = read_cases(io.StringIO(text), "csv").batches(100)
    assert all(taken)
    assert batch.ids == ["K"]
    assert [(i.line, i.reason[:9]) for i in batch.invalid] == [
        (2, "case 'F':"),
        (3, "unknown t"),  # unknown time zone ...
        (5, "case 'H':"),
        (6, "case 'I':"),
        (7, "case 'J':"),
    ]
    _check(text, 2)


def test_rows_the_rules_left_open_go_on_in_a_column_block() -> None:
    """Blocks of 2 lines: a quote sends the first to the rules (case A left open); the next
    is all A's (the rules again); the one after ends A by the rules, then reads B."""
    row = f"2,{_AT},UTC,,,,2026-03-02T1{{}}:00:00Z,support_update,,\n"
    text = _HEADER + '"A",' + row.format(0) + "".join("A," + row.format(h) for h in (1, 2, 3, 4))
    text += "B," + row.format(5)
    with _blocks(2) as taken:
        [batch] = read_cases(io.StringIO(text), "csv").batches(10)
    assert taken == [False, False, True, True]
    assert batch.ids == ["A", "B"]
    assert batch._lines == [(2, 2, 3, 4, 5, 6), (7, 7)]
    assert batch._cols.at.tolist()[-1] == (_MIDNIGHT + 15 * 3600) * _US


@pytest.mark.parametrize(
    "rows",
    [
        [f"B,,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"],  # a first row with no severity
        [
            "B,1,{_AT},UTC,,,2026-03-02T10:00:00Z,support_update,,\n",
            f"C,1,{_AT},UTC,,,,,2026-03-02T10:00:00Z,support_update,,\n",
        ],  # widths 10 and 12
        [f"B,1,{_AT},{'x' * 140_000},,,,2026-03-02T10:00:00Z,support_update,,\n"],  # over the field limit
        [
            f"B,1,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n",
            f"B ,1,{_AT},UTC,,,,2026-03-02T11:00:00Z,support_update,,\n",
        ],  # an id given with a space: one case
        [f"B,1,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n", "B,,,,,,,,,,\n"],  # no event
        [f"B,1,{_AT},UTC,,,,{'9' * 300},support_update,,\n"],  # an instant of 300 characters
        [f"B,1,{_AT},UTC,,,,2026-03-02T10:00:00Z,status,closed_enhancement_request_x,\n"],  # a long status
        [f"B,1,{_AT},UTC,,,,2026-03-02T10:00:00Z,status,{'x' * 45},\n"],  # a status of 45 characters
    ],
)
def test_more_blocks_by_the_rules_or_not(rows: list[str]) -> None:
    text = _HEADER + f"A,2,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n" + "".join(rows)
    for block in (1, 2, 8192):
        with _blocks(block):
            _check(text, 1)
            _check(text, 5, seekable=False)


def test_a_case_that_goes_on_across_blocks_by_hand() -> None:
    """Blocks of 2 lines: case A's rows wait block after block; past ``carry`` rows the
    rules keep it open, and the next block's first run goes on with it by the rules."""
    rows = [f"A,2,{_AT},UTC,,,,2026-03-02T1{h}:00:00Z,support_update,,\n" for h in range(7)]
    text = _HEADER + "".join(rows) + f"B,1,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"
    with _blocks(2, carry=3) as taken:
        [batch] = read_cases(io.StringIO(text), "csv").batches(10)
    assert batch.ids == ["A", "B"]
    assert batch._lines == [(2, 2, 3, 4, 5, 6, 7, 8), (9, 9)]
    assert batch._cols.at.tolist()[:2] == [(_MIDNIGHT + 10 * 3600) * _US, (_MIDNIGHT + 11 * 3600) * _US]
    assert False in taken  # the rules took the long case's rows
    assert taken[-1]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (f'A,2,{_AT},UTC,,,,"2026-03-02T11:00:00Z",support_update,,\n', None),  # a quote: the rules
        (f"A,2,{_AT},UTC,,,, 2026-03-02T11:00:00Z,support_update,,\n", None),  # a space
        (
            f"A,2,{_AT},UTC,,,,2026-03-02T11:00:00Z,support_update,,,\n",
            "1 more field(s) than the header's 11",
        ),
        (f"A,2,{_AT},UTC,,,,2026-03-02T11:00:00Z,support_update,\n", "1 fewer field(s) than the header's 11"),
        (
            f"A,3,{_AT},UTC,,,,2026-03-02T11:00:00Z,support_update,,\n",
            "case 'A': severity '3' differs from '2' on line 2; leave it blank or repeat it",
        ),
        (
            f"A,2,{_AT},UTC,,,,2026-03-02T11:00:00Z,severity,,high\n",
            "case 'A': new_severity 'high': expected a whole number, e.g. 1",
        ),
        (f"A,2,{_AT},UTC,,,,2026-03-02T11:00:00Z,support_update,,\r\n", None),  # a carriage return
        (f"A,2,{_AT},UTC,,,,2026-03-02T11:00:00Z,support_updaté,,\n", "case 'A': events[1]"),  # not ASCII
    ],
)
def test_a_block_not_of_the_common_shape_goes_by_the_rules(line: str, reason: str | None) -> None:
    """The block is left to the rules (hand-worked: a row's own error on its line 3)."""
    first = f"A,2,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"
    last = f"B,1,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,\n"
    with _blocks() as taken:
        [batch] = read_cases(io.StringIO(_HEADER + first + line + last), "csv").batches(10)
    assert taken == [False]
    if reason is None:
        assert batch.ids == ["A", "B"]
        assert batch._lines == [(2, 2, 3), (4, 4)]
    else:
        assert batch.ids == ["B"]
        [bad] = batch.invalid
        assert bad.line == 3
        assert bad.reason.startswith(reason)


@pytest.mark.parametrize(
    "text",
    [
        _HEADER,  # a header only
        _HEADER.removesuffix("\n"),  # no line feed
        "\ufeff"
        + _HEADER
        + f"A,2,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,",  # a BOM; no last line feed
        _HEADER + "\n\n",  # blank lines
    ],
)
def test_small_exports(text: str) -> None:
    for size in (1, 8192):
        with _blocks(size):
            _check(text, 3)
            _check(text, 3, seekable=False)


# -- generated exports ---------------------------------------------------------------------------


def _variant(text: str, how: str) -> str:
    if how == "crlf":
        return text.replace("\n", "\r\n")
    if how == "no_last_line_feed":
        return text.removesuffix("\n")
    if how == "blank_later":  # each case's later rows leave the case columns blank
        out, seen = [], set()
        for line in text.splitlines(keepends=True):
            parts = line.split(",")
            if len(parts) == 11 and parts[0] in seen and '"' not in line:
                parts[1:7] = [""] * 6
            seen.add(parts[0])
            out.append(",".join(parts))
        return "".join(out)
    if how == "reordered":  # the event columns first, the id last
        out = []
        for line in text.splitlines(keepends=True):
            parts = line.rstrip("\n").split(",")
            if len(parts) == 11 and '"' not in line:
                line = ",".join(parts[7:] + parts[1:7] + parts[:1]) + "\n"
            out.append(line)
        return "".join(out)
    if how == "no_status":  # a header without status and new_severity: the rows padded
        out = []
        for line in text.splitlines(keepends=True):
            parts = line.rstrip("\n").split(",")
            if len(parts) == 11 and '"' not in line:
                line = ",".join(parts[:9]) + "\n"
            out.append(line)
        return "".join(out)
    return text


_HOWS = st.sampled_from(["", "crlf", "no_last_line_feed", "blank_later", "reordered", "no_status"])


@settings(max_examples=70, deadline=None)
@given(_PICKS, _MOVES, st.sampled_from([1, 2, 3, 7, 8192]), st.integers(1, 6), _HOWS, st.booleans())
def test_column_blocks_agree_with_the_reader(
    picks: list[tuple[int, str, str]],
    moves: list[tuple[int, int, bool]],
    block: int,
    size: int,
    how: str,
    seekable: bool,
) -> None:
    text = _variant(_text(_mixed(picks, moves)), how)
    with _blocks(block, carry=5, piece=block * 60):
        _check(text, size, seekable)


def _expected(text: str) -> list[CaseRecord | InvalidLine]:
    return list(read_cases(io.StringIO(text), "csv"))


def _same(reader: Any, items: list[CaseRecord | InvalidLine], size: int) -> None:
    """The batches of ``reader`` hold ``items`` (the per-record reader's), ``size`` at a time."""
    batches = list(reader.batches(size))
    got_invalid = [i for b in batches for i in b.invalid]
    assert got_invalid == [i for i in items if isinstance(i, InvalidLine)]
    records = [i for i in items if isinstance(i, CaseRecord)]
    assert [i for b in batches for i in b.ids] == [r.case.id for r in records]
    assert [b._lines[k] for b in batches for k in range(len(b))] == [r.lines for r in records]
    assert [b.case(k) for b in batches for k in range(len(b))] == [r.case for r in records]
    assert reader.cases_read == len(records)
    assert reader.invalid_lines == len(got_invalid)


@pytest.mark.parametrize("how", ["", "crlf", "blank_later"])
def test_a_path_a_binary_file_and_standard_input(how: str, tmp_path: Path, monkeypatch: Any) -> None:
    """Streams the reader opens itself: its first look reads them a piece at a time."""
    picks = [(k, "as_is", "as_is") for k in range(30)] + [(3, "clash", "no_events"), (7, "reversed", "as_is")]
    text = _variant(_text(_mixed(picks, [])), how)
    items = _expected(text)
    path = tmp_path / "cases.csv"
    path.write_bytes(text.encode("utf-8"))
    with _blocks(16, piece=700), mock.patch.object(_readers, "_TEXT_CHUNK", 100):
        reader = read_cases(path)
        _same(reader, items, 7)
        with path.open("rb") as binary:
            _same(read_cases(binary, "csv"), items, 5)
        monkeypatch.setattr(sys, "stdin", mock.Mock(buffer=io.BytesIO(text.encode("utf-8"))))
        _same(read_cases("-", "csv"), items, 3)


def test_progress_counters_follow_the_batches(tmp_path: Path) -> None:
    picks = [(k, "as_is", "as_is") for k in range(40)] + [(5, "clash", "as_is")]
    text = _text(_mixed(picks, []))
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8")
    items = _expected(text)
    reader = read_cases(path)
    seen, done = 0, []
    with _blocks(32):
        for batch in reader.batches(9):
            seen += len(batch) + len(batch.invalid)
            assert reader.cases_read + reader.invalid_lines == seen
            done.append(reader.bytes_read)
    assert seen == len(items)
    assert done == sorted(done)
    assert done[-1] == path.stat().st_size


# -- the first look at the ids, a piece at a time -------------------------------------------------

_LINES = st.lists(
    st.sampled_from(
        [
            "A,1\n",
            "A,2\n",
            " A,3\n",
            "B,1\n",
            "B\n",
            "\n",
            ",4\n",
            "C,5",
            "AAAAAAAAAAAAAAAAAAAA,1\n",  # an id longer than 16 characters
            "AAAAAAAAAAAAAAAAAAAB,1\n",
            "AAAAAAAAAAAAAAA,1\n",  # ids of 15, 16 and 17 characters: around the first look's 16 bytes
            "AAAAAAAAAAAAAAAA\n",
            "AAAAAAAAAAAAAAAAA,2\n",
            '"A",1\n',  # a quote: line by line from here
            "D,x\r\n",  # a carriage return
            "é,1\n",  # not ASCII
        ]
    ),
    max_size=14,
)


@settings(max_examples=150, deadline=None)
@given(_LINES, st.integers(1, 40), st.sampled_from([0, 1]))
def test_the_first_look_a_piece_at_a_time(lines: list[str], chunk: int, column: int) -> None:
    text = "".join(lines)
    want = _readers._runs_are_whole(iter(io.StringIO(text, newline="")), column)
    with mock.patch.object(_readers, "_TEXT_CHUNK", chunk):
        assert _readers._runs_in_text(io.StringIO(text, newline=""), column) is want


def test_the_first_look_a_piece_at_a_time_by_hand() -> None:
    def look(text: str, chunk: int = 3) -> bool:
        with mock.patch.object(_readers, "_TEXT_CHUNK", chunk):
            return _readers._runs_in_text(io.StringIO(text, newline=""), 0)

    assert look("A,1\nA,2\n\nB,1\nC,1\n") is True
    assert look("A,1\nB,1\nA,2\n") is False
    assert look("A,1\n A,2\nB\n") is True  # the id is stripped; a line with no comma names one
    assert look("AAAAAAAAAAAAAAAAAAAA,1\nAAAAAAAAAAAAAAAAAAAB,1\nAAAAAAAAAAAAAAAAAAAA,2\n", 1000) is False
    assert look('A,1\nB,1\n"A",2\n') is False  # after a quote, the csv module reads
    assert look("A,1\r\nB,1\r\nA,2\r\n", 1000) is False
    assert look("") is True
    assert list(itertools.islice(iter([look("A,1\nB,2\nC")]), 1)) == [True]


@pytest.mark.parametrize("piece", [60, 100, 150, 1000, 1 << 20])
@pytest.mark.parametrize("carry", [2, 4096])
def test_a_file_a_piece_at_a_time(piece: int, carry: int, tmp_path: Path) -> None:
    """A file the reader opens is read a piece of ``piece`` characters at a time until a
    piece is not of the common shape (a quote on line 6, a case of more than ``carry``
    rows); from there line by line. Hand-worked lines; the rest against the reader."""
    row = f"2,{_AT},UTC,,,,2026-03-02T1{{}}:00:00Z,support_update,,\n"
    text = _HEADER + "A," + row.format(0) + "A," + row.format(1) + "B," + row.format(2)
    text += "C," + row.format(3) + '"C",' + row.format(4)  # line 6: a quote
    text += "".join("D," + row.format(h) for h in range(5, 9)) + "E," + row.format(9).rstrip("\n")
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8")
    with _blocks(3, carry=carry, piece=piece) as taken:
        reader = read_cases(path)
        [batch] = reader.batches(100)
    assert batch.ids == ["A", "B", "C", "D", "E"]
    assert batch._lines == [(2, 2, 3), (4, 4), (5, 5, 6), (7, 7, 8, 9, 10), (11, 11)]
    assert False in taken
    _same(read_cases(path), _expected(text), 2)
