"""JSON Lines read straight into columns agree with the per-record reader.

Differential: ``CaseReader.batches`` (``ColumnBuilder``) against ``columns_from_cases`` of
the cases iterating the reader yields, and the same invalid lines (number and reason, in
order), on the example export, a ``make_cases`` export and Hypothesis line lists mixing
valid cases with broken ones. Plus hand-worked instants.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc.cases import CaseRecord, InvalidLine, read_cases
from slocalc.cases._colread import ColumnBuilder
from slocalc.cases._columns import CaseColumns, columns_from_cases
from slocalc.testing import cases

ROOT = Path(__file__).resolve().parent.parent


def _expected(text: str) -> list[CaseRecord | InvalidLine]:
    return list(read_cases(io.StringIO(text), format="jsonl"))


def _zones(cols: CaseColumns) -> list[tuple[Any, type]]:
    return [(cols.zones[z].utcoffset(None), type(cols.zones[z])) for z in cols.zone.tolist()]


_ARRAYS = ("severity", "opened", "customer", "first", "at", "kind", "status", "level", "index")


def _same_columns(got: CaseColumns, want: CaseColumns, cases: bool = True) -> None:
    """Equal columns, tables and zones (by offset and type); with ``cases``, each source
    gives the reader's case."""
    assert got.ids == want.ids
    assert got.lines == want.lines
    for name in _ARRAYS:
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype, name
        assert np.array_equal(a, b), (name, a, b)
    assert got.statuses == want.statuses
    assert got.customers == want.customers
    assert _zones(got) == _zones(want)
    if cases:
        assert [got.case(i) for i in range(len(got))] == want.sources


def _check(text: str, size: int = 4096) -> list[CaseRecord | InvalidLine]:
    """Assert that the batches of ``text`` agree with the per-record reader's items."""
    items = _expected(text)
    reader = read_cases(io.StringIO(text), format="jsonl")
    batches = list(reader.batches(size))
    assert reader.cases_read == sum(isinstance(i, CaseRecord) for i in items)
    assert reader.invalid_lines == sum(isinstance(i, InvalidLine) for i in items)
    assert [i for b in batches for i in b.invalid] == [i for i in items if isinstance(i, InvalidLine)]
    records = [i for i in items if isinstance(i, CaseRecord)]
    for k, batch in enumerate(batches):
        mine = [r for r in records if k * size < r.line <= (k + 1) * size]
        _same_columns(batch._cols, columns_from_cases([r.case for r in mine], [r.line for r in mine]))
    return items


def _make_cases() -> Any:
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import make_cases  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    return make_cases


def test_example_export() -> None:
    items = _check((ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8"), size=64)
    assert len(items) == 300


def test_make_cases_export() -> None:
    make_cases = _make_cases()
    out = io.StringIO()
    make_cases.write_jsonl(make_cases.generate(3000, seed=14), out)
    items = _check(out.getvalue(), size=1000)
    assert all(isinstance(i, CaseRecord) for i in items)


# -- hand-worked ------------------------------------------------------------------------

# 2026-03-02T00:00Z is day 20514 since 1970-01-01 (56 years with 14 leap days: 20454 days
# to 2026-01-01, then 31 + 28 + 1), so 1_772_409_600 s.
_MIDNIGHT = 1_772_409_600


def _line(case_id: str, opened_at: str, events: list[dict[str, Any]]) -> str:
    return json.dumps(
        {
            "id": case_id,
            "severity": 2,
            "opened_at": opened_at,
            "customer": {"tz": "Asia/Kathmandu"},
            "events": events,
        }
    )


def test_offsets_and_fractions_by_hand() -> None:
    text = "\n".join(
        [
            # 09:00+05:45 is 03:15Z: 11_700 s after midnight
            _line(
                "C-1",
                "2026-03-02T09:00:00+05:45",
                [
                    # 03:15:00.5Z, given second, sorted first
                    {"at": "2026-03-02T09:00:00.500+05:45", "kind": "support_update"},
                    # 03:15Z exactly: ties with opened_at, sorted before the .5 s one
                    {"at": "2026-03-02T03:15Z", "kind": "status", "status": "in_progress"},
                    # 23:59:59.999999-04:30 on 1 March is 04:29:59.999999Z on 2 March
                    {"at": "2026-03-01T23:59:59.999999-04:30", "kind": "severity", "severity": 1},
                ],
            ),
        ]
    )
    cols, invalid = ColumnBuilder().build([(1, text)])
    assert invalid == []
    assert cols.opened.tolist() == [(_MIDNIGHT + 11_700) * 10**6]
    assert cols.at.tolist() == [
        (_MIDNIGHT + 11_700) * 10**6,
        (_MIDNIGHT + 11_700) * 10**6 + 500_000,
        (_MIDNIGHT + 4 * 3600 + 29 * 60 + 59) * 10**6 + 999_999,
    ]
    assert cols.index.tolist() == [1, 0, 2]
    assert cols.kind.tolist() == [2, 0, 3]
    assert cols.status.tolist() == [0, -1, -1]
    assert cols.level.tolist() == [0, 0, 1]
    assert cols.statuses == ["in_progress"]
    assert cols.first.tolist() == [0, 3]
    assert cols.zones[0].utcoffset(None) == timedelta(hours=5, minutes=45)
    _check(text)


def test_duplicate_key_and_duplicate_id_by_hand() -> None:
    good = _line("C-1", "2026-03-02T09:00:00Z", [])
    twice = good.replace('"severity": 2', '"severity": 2, "severity": 3')
    spaced = good.replace('"id":', '"id" :').replace('"C-1"', '"C-2"')
    text = "\n".join([good, "", twice, good, spaced, "  \t", good.replace("C-1", "C-\\u00e9")])
    items = _check(text, size=2)
    assert [(i.line, getattr(i, "reason", "")[:30]) for i in items] == [
        (1, ""),
        (3, "key 'severity' appears twice i"),
        (4, "case 'C-1': duplicate case id "),
        (5, ""),
        (7, ""),
    ]


def test_batches_needs_a_fresh_reader_and_a_positive_size() -> None:
    text = _line("C-1", "2026-03-02T09:00:00Z", []) + "\n"
    reader = read_cases(io.StringIO(text))
    with pytest.raises(ValueError, match="size"):
        next(reader.batches(0))
    next(reader)
    with pytest.raises(ValueError, match="iterated already"):
        next(reader.batches())


def test_csv_batches_group_the_records() -> None:
    items = list(read_cases(ROOT / "examples" / "cases.csv"))
    reader = read_cases(ROOT / "examples" / "cases.csv")
    batches = list(reader.batches(50))
    records = [i for i in items if isinstance(i, CaseRecord)]
    assert [i for b in batches for i in b.ids] == [r.case.id for r in records]
    assert [i for b in batches for i in b.invalid] == [i for i in items if isinstance(i, InvalidLine)]
    assert [b.line(i) for b in batches for i in range(len(b))] == [r.line for r in records]
    assert reader.cases_read == len(records)


# -- Hypothesis: valid cases mixed with broken lines ---------------------------------------

_MUTATIONS = (
    "as_is",
    "as_is",
    "as_is",
    "compact",
    "bad_json",
    "duplicate_key",
    "nested_duplicate_key",
    "naive",
    "unknown_kind",
    "extra_key",
    "extra_event_key",
    "early_event",
    "non_dict_event",
    "huge_severity",
    "huge_level",
    "huge_digits",
    "float_severity",
    "odd_offset",
    "fraction",
    "escaped",
    "space_before_colon",
    "colon_string",
    "surrogate",
    "not_object",
    "empty_id",
    "null_field",
)


def _mutate(data: dict[str, Any], how: str, draw: st.DrawFn) -> str:
    events = data.get("events", [])
    if how == "naive":
        data["opened_at"] = data["opened_at"][:19]
    elif how == "unknown_kind" and events:
        events[-1]["kind"] = "suport_update"
    elif how == "extra_key":
        data["bogus"] = 1
    elif how == "extra_event_key" and events:
        events[0]["note"] = "x"
    elif how == "early_event":
        events.append({"at": "2001-01-01T00:00:00Z", "kind": "support_update"})
    elif how == "non_dict_event":
        events.append(draw(st.sampled_from([1, "x", None, []])))
    elif how == "huge_severity":
        data["severity"] = draw(st.sampled_from([10**30, -(2**63), 2**63, True, 1.0]))
    elif how == "huge_level":
        events.append({"at": data["opened_at"], "kind": "severity", "severity": 2**64})
    elif how == "float_severity":
        data["severity"] = 1e400  # inf
    elif how == "odd_offset":
        data["opened_at"] = "2020-06-01T12:00:00+05:45"
        events.append({"at": "2020-06-01T06:15:00Z", "kind": "support_update"})  # the same instant
    elif how == "fraction":
        events.append({"at": "2099-12-31T23:59:59.123Z", "kind": "customer_update"})
        events.append({"at": "2099-12-31T23:59:59.123456-00:00", "kind": "customer_update"})
    elif how == "empty_id":
        data["id"] = draw(st.sampled_from(["", "  ", "\udc80"]))
    elif how == "null_field" and events:
        events[0]["status"] = None
    elif how == "colon_string":
        data["id"] += '":x'  # escaped in JSON text: the hook path, a valid case
    text = json.dumps(data, ensure_ascii=how not in ("surrogate", "colon_string"))
    if how == "compact":
        text = json.dumps(data, separators=(",", ":"))
    elif how == "bad_json":
        text = text[: draw(st.integers(0, len(text) - 1))]
    elif how == "duplicate_key":
        text = text.replace('"severity": ', '"severity": 3, "severity": ', 1)
    elif how == "nested_duplicate_key":
        text = text.replace('"tz": ', '"tz": "UTC", "tz": ', 1)
    elif how == "huge_digits":
        text = text.replace('"severity": ', '"severity": ' + "9" * 5000 + ', "x": ', 1)
    elif how == "escaped":
        text = text.replace('"id": "', '"id": "\\u00e9\\"', 1)
    elif how == "space_before_colon":
        text = text.replace('"opened_at":', '"opened_at" \t:', 1)
    elif how == "surrogate":
        text = text.replace('"id": "', '"id": "\udc80', 1)
    elif how == "not_object":
        text = draw(st.sampled_from(["[]", "1", '"x"', "null", "{}", " {}"]))
    return text


@st.composite
def _lines(draw: st.DrawFn) -> list[str]:
    lines: list[str] = []
    ids: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", " ", "\t"])))
            continue
        case = draw(cases(shuffle=draw(st.booleans()), max_events=6))
        data = case.model_dump(mode="json", exclude_none=draw(st.integers(0, 3)) > 0)
        data["id"] = draw(st.sampled_from(ids)) if ids and draw(st.integers(0, 4)) == 0 else f"C-{len(lines)}"
        ids.append(data["id"])
        lines.append(_mutate(data, draw(st.sampled_from(_MUTATIONS)), draw))
    return lines


@settings(max_examples=80)
@given(_lines(), st.integers(1, 4))
def test_batches_agree_with_the_reader(lines: list[str], size: int) -> None:
    _check("\n".join(lines) + "\n", size)
