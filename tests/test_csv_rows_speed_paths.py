"""The CSV reader's block-at-a-time paths agree with the rules of one row.

``_Rows._whole`` takes a streaming block of rows of the common shape a column at a time:
split at commas and line feeds at once (``_Rows._flat``), or, when the header's event
columns come last, each line split at its last commas only (``_Rows._tail``); any other
block goes through ``_Rows._block``'s run-at-a-time path and ``_Rows._row``. The first
look at the ids (``_runs_are_whole``) takes a chunk of lines at a time. Hand-worked items
for both layouts (cases going on across blocks, blank case columns, a row with no event,
new severities, spaces around values), checks that the fast paths are taken and left,
and Hypothesis properties: reordered headers against the rules of one row, the first
look against its per-line form.
"""

from __future__ import annotations

import csv
import io
import itertools
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc.cases import CSV_COLUMNS, InvalidLine, _readers
from test_colread_csv import _MOVES, _PICKS, _items, _mixed, _text

_AT = "2026-03-02T09:00:00Z"


def _case(lines: tuple[int, ...], case_id: str, severity: int, customer: dict[str, str], *events: Any) -> str:
    data = {"id": case_id, "severity": severity, "opened_at": _AT, "customer": customer}
    return repr((lines, data | {"events": list(events)}))


def _reorder(text: str, names: list[str]) -> str:
    """``text`` (an export in the order of ``CSV_COLUMNS``) with the columns ``names``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    places = [CSV_COLUMNS.index(k) for k in names]
    for values in csv.reader(io.StringIO(text)):
        if len(values) >= len(CSV_COLUMNS):  # fields beyond the header's stay last
            writer.writerow([*(values[k] for k in places), *values[len(CSV_COLUMNS) :]])
        else:  # a row of fewer fields stays one
            writer.writerow(values)
    return out.getvalue()


# each row's columns in the order of CSV_COLUMNS:
# case_id, severity, opened_at, tz, country, subdiv, hours, event_at, kind, status, new_severity
_ROWS = [
    f"A,2,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,",  # 2
    f"A,2,{_AT},UTC,,,,2026-03-02T11:00:00Z,status,in_progress,",  # 3: the case columns repeated
    "A,,,,,,,2026-03-02T12:00:00Z,severity,,1",  # 4: left blank; a new severity
    f"B,1,{_AT},Europe/Berlin,DE,BE,,,,,",  # 5: no event
    "B,,,,,,,2026-03-02T13:00:00Z,customer_update,,",  # 6
    f"C,3,{_AT},UTC,US,,Mon-Fri 09:00-17:00,2026-03-02T10:00:00Z,support_update,,",  # 7
    f" C ,3,{_AT},UTC,US,,Mon-Fri 09:00-17:00, 2026-03-02T11:00:00Z ,support_update, ,",  # 8: spaces
    f"D,1,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,",  # 9
]
_WANT = [
    _case(
        (2, 2, 3, 4),
        "A",
        2,
        {"tz": "UTC"},
        {"at": "2026-03-02T10:00:00Z", "kind": "support_update"},
        {"at": "2026-03-02T11:00:00Z", "kind": "status", "status": "in_progress"},
        {"at": "2026-03-02T12:00:00Z", "kind": "severity", "severity": 1},
    ),
    _case(
        (5, 6),
        "B",
        1,
        {"tz": "Europe/Berlin", "country": "DE", "subdiv": "BE"},
        {"at": "2026-03-02T13:00:00Z", "kind": "customer_update"},
    ),
    _case(
        (7, 7, 8),
        "C",
        3,
        {"tz": "UTC", "country": "US", "hours": "Mon-Fri 09:00-17:00"},
        {"at": "2026-03-02T10:00:00Z", "kind": "support_update"},
        {"at": "2026-03-02T11:00:00Z", "kind": "support_update"},
    ),
    _case((9, 9), "D", 1, {"tz": "UTC"}, {"at": "2026-03-02T10:00:00Z", "kind": "support_update"}),
]
_TEXT = ",".join(CSV_COLUMNS) + "\n" + "".join(row + "\n" for row in _ROWS)
#: the event columns last (``_tail``); first, with the case id in the middle (``_flat``)
_TAIL = [
    "subdiv",
    "case_id",
    "opened_at",
    "hours",
    "tz",
    "severity",
    "country",
    "kind",
    "new_severity",
    "event_at",
    "status",
]
_FLAT = [
    "kind",
    "event_at",
    "hours",
    "tz",
    "case_id",
    "severity",
    "opened_at",
    "status",
    "new_severity",
    "country",
    "subdiv",
]


def _taken(text: str, block: int, seekable: bool = True) -> tuple[list[str], list[bool]]:
    """The items of ``text`` read ``block`` lines at a time, and what ``_whole`` answered."""
    answers: list[bool] = []
    whole = _readers._Rows._whole

    def spy(self: Any, lines: list[str], joined: str, offset: int) -> bool:
        answers.append(whole(self, lines, joined, offset))
        return answers[-1]

    with mock.patch.object(_readers._Rows, "_whole", spy):
        return _items(text, block, seekable), answers


@pytest.mark.parametrize("names", [list(CSV_COLUMNS), _TAIL, _FLAT])
@pytest.mark.parametrize("block", [1, 2, 3, 5, 1024])
@pytest.mark.parametrize("seekable", [True, False])
def test_blocks_of_the_common_shape_by_hand(names: list[str], block: int, seekable: bool) -> None:
    text = _reorder(_TEXT, names)
    items, answers = _taken(text, block, seekable)
    assert items == _WANT
    assert items == _items(text, 1024, seekable, rules_only=True)
    assert answers == [True] * -(-len(_ROWS) // block)  # every block of the common shape


@pytest.mark.parametrize("names", [list(CSV_COLUMNS), _FLAT])
@pytest.mark.parametrize("row", [2, 4, 5, 6])
def test_a_block_with_a_bad_row_goes_row_by_row(names: list[str], row: int) -> None:
    bad = {
        2: f"A,,{_AT},UTC,,,,2026-03-02T10:00:00Z,support_update,,",  # the first row gives no severity
        4: "A,3,,,,,,2026-03-02T12:00:00Z,severity,,1",  # a severity the first row did not give
        5: f"B,1,{_AT},Europe/Berlin,DE,BE,,,,,x",  # new severity x, and no event otherwise
        6: "B,,,,,,,2026-03-02T13:00:00Z,customer_update,,,",  # a field more
    }
    reasons = {
        2: "case 'A': first row leaves severity empty",
        4: "case 'A': severity '3' differs from '2' on line 2; leave it blank or repeat it",
        5: "case 'B': new_severity 'x': expected a whole number, e.g. 1",
        6: "1 more field(s) than the header's 11",
    }
    rows = list(_ROWS)
    rows[row - 2] = bad[row]
    text = _reorder(",".join(CSV_COLUMNS) + "\n" + "".join(r + "\n" for r in rows), names)
    items, answers = _taken(text, 1024)
    assert answers == [False]
    assert items == _items(text, 1024, rules_only=True)
    assert repr(InvalidLine(row, reasons[row])) in items
    # the cases the bad row leaves whole come as they are
    spoiled = "A" if row in (2, 4) else "B"
    assert [i for i in _WANT if f"'id': '{spoiled}'" not in i] == [i for i in items if "'id'" in i]


def test_a_block_that_goes_on_with_a_case_its_rows_left_blank() -> None:
    """A case's rows over three blocks, the later ones with their case columns blank or repeated."""
    rows = [f"A,2,{_AT},UTC,,,,2026-03-02T{10 + k}:00:00Z,support_update,," for k in range(6)]
    rows[2] = "A,,,,,,,2026-03-02T12:00:00Z,support_update,,"
    rows[4] = "A,,,,,,,,,,"  # no event
    text = ",".join(CSV_COLUMNS) + "\n" + "".join(r + "\n" for r in rows)
    for names in (list(CSV_COLUMNS), _FLAT):
        items, answers = _taken(_reorder(text, names), 2)
        assert answers == [True, True, True]
        events = [{"at": f"2026-03-02T{10 + k}:00:00Z", "kind": "support_update"} for k in (0, 1, 2, 3, 5)]
        assert items == [_case((2, 2, 3, 4, 5, 7), "A", 2, {"tz": "UTC"}, *events)]


def test_a_case_given_again_after_another_one_apart() -> None:
    """Rows of one case apart: the first look reads them so, and no block goes the fast way."""
    rows = [_ROWS[0], _ROWS[3], _ROWS[1]]
    text = ",".join(CSV_COLUMNS) + "\n" + "".join(r + "\n" for r in rows)
    items, answers = _taken(text, 1024)
    assert answers == []
    assert items == _items(text, 1024, rules_only=True)
    assert items[0].startswith("((2, 2, 4), {'id': 'A'")


# -- properties -------------------------------------------------------------------------------------

_ORDERS = st.sampled_from([list(CSV_COLUMNS), _TAIL, _FLAT]) | st.permutations(list(CSV_COLUMNS))


@settings(max_examples=60, deadline=None)
@given(
    _PICKS, _MOVES, st.sampled_from([1, 2, 3, 7, 1024]), _ORDERS, st.booleans(), st.sampled_from([1, 2, 256])
)
def test_reordered_columns_agree_with_the_rules_of_one_row(
    picks: list[tuple[int, str, str]],
    moves: list[tuple[int, int, bool]],
    block: int,
    names: list[str],
    seekable: bool,
    split: int,
) -> None:
    """Any order of the columns; lines split a few at a time (``_SPLIT_ROWS``) or more."""
    text = _reorder(_text(_mixed(picks, moves)), names)
    with mock.patch.object(_readers, "_SPLIT_ROWS", split):
        fast = _items(text, block, seekable)
    assert fast == _items(text, 1024, seekable, rules_only=True)


@pytest.mark.parametrize("split", [1, 2, 3])
def test_lines_of_fewer_commas_in_a_later_split(split: int) -> None:
    """The lines after the first ``split`` have fewer commas than the event columns."""
    text = _TEXT + "E,1\n" * 4
    with mock.patch.object(_readers, "_SPLIT_ROWS", split):
        items, answers = _taken(text, 1024)
    assert answers == [False]
    assert items == _items(text, 1024, rules_only=True)
    # D's case is open until the end: the rows naming E come before it
    invalid = [repr(InvalidLine(k, "9 fewer field(s) than the header's 11")) for k in range(10, 14)]
    assert items == _WANT[:3] + invalid + _WANT[3:]


def _runs_are_whole_per_line(lines: list[str], column: int) -> bool:
    """The first look at the ids a line at a time (as ``_runs_are_whole`` read them before)."""
    ended: set[str] = set()
    current: str | None = None
    ids = [row[column].strip() for row in csv.reader(lines) if len(row) > column]
    for key, _ in itertools.groupby(filter(None, ids)):
        if key in ended:
            return False
        if current is not None:
            ended.add(current)
        current = key
    return True


_ID_LINES = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C", " A ", "", " "]),
        st.sampled_from(["x", "", '"A"', "A,B"]),
        st.booleans(),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(_ID_LINES, st.sampled_from([0, 1]), st.sampled_from([1, 2, 3, 1024]))
def test_the_first_look_agrees_with_reading_a_line_at_a_time(
    parts: list[tuple[str, str, bool]], column: int, chunk: int
) -> None:
    """Lines of an id and another field (column 0 or 1), some with one field only."""
    lines = []
    for case_id, other, short in parts:
        if short:
            lines.append(f"{case_id}\n" if column == 0 else f"{other}\n")
        else:
            lines.append(f"{case_id},{other}\n" if column == 0 else f"{other},{case_id}\n")
    if any('"' in line for line in lines):  # a quote: the csv module reads from there on
        return
    with mock.patch.object(_readers, "_RUN_CHUNK", chunk):
        assert _readers._runs_are_whole(iter(lines), column) == _runs_are_whole_per_line(lines, column)


@pytest.mark.parametrize("chunk", [1, 2, 1024])
def test_the_first_look_by_hand(chunk: int) -> None:
    with mock.patch.object(_readers, "_RUN_CHUNK", chunk):
        # a line without the id column names no case; B ends A's run, which comes again
        assert _readers._runs_are_whole(iter(["x,A\n", "y\n", "z,A\n", "w,B\n", "v,A\n"]), 1) is False
        assert _readers._runs_are_whole(iter(["x,A\n", "y\n", "z, A\n", "w,B\n", "v,\n"]), 1) is True
        assert _readers._runs_are_whole(iter(["A,1\n", "\n", "A\n", "B,2\n", "B,3\n", "A,4\n"]), 0) is False
        assert _readers._runs_are_whole(iter(["A,1\n", " A,2\n", "B,3\n", ",4\n", "C,5\n"]), 0) is True
