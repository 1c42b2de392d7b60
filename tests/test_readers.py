"""The streaming readers: sources, formats, line numbers and messages, laziness, frames.

Expected messages and line numbers are written by hand from the inputs (the same wording
``slocalc check`` prints, see docs/cli.md).
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from slocalc.cases import Case, CaseReader, CaseRecord, InvalidLine, cases_from_frame, read_cases
from slocalc.errors import SlocalcValueError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _line(case_id: str, opened: str = "2026-03-02T09:00:00Z", **extra: object) -> str:
    data: dict[str, object] = {
        "id": case_id,
        "severity": 2,
        "opened_at": opened,
        "customer": {"tz": "UTC"},
        **extra,
    }
    return json.dumps(data) + "\n"


def _summary(reader: CaseReader) -> list[tuple[int, str]]:
    return [
        (item.line, item.case.id if isinstance(item, CaseRecord) else "! " + item.reason) for item in reader
    ]


JSONL = (
    _line("C-1")
    + "\n"
    + "{not json\n"
    + "[1, 2]\n"
    + _line("C-2", opened="2026-03-02T09:00:00")
    + _line("C-1")
    + _line("C-3", events=[{"at": "2026-03-02T10:00:00Z", "kind": "suport_update"}])
    + "   \n"
    + _line("C-4")
)


def test_jsonl_lines_numbers_and_messages() -> None:
    got = _summary(read_cases(io.StringIO(JSONL)))
    assert [n for n, _ in got] == [1, 3, 4, 5, 6, 7, 9]
    assert got[0] == (1, "C-1")
    assert got[1] == (3, "! not valid JSON: Expecting property name enclosed in double quotes (column 2)")
    assert got[2] == (4, "! expected a JSON object (one case), got list")
    assert got[3][1] == (
        "! case 'C-2': opened_at: '2026-03-02T09:00:00' is naive (no UTC offset); write the instant "
        "with one, e.g. '2026-03-02T09:00:00+01:00' or '2026-03-02T08:00:00Z'"
    )
    assert got[4] == (6, "! case 'C-1': duplicate case id (first on line 1); one case per line")
    assert got[5][1].startswith("! case 'C-3': events[0] at ")
    assert "kind 'suport_update' is unknown" in got[5][1]
    assert "did you mean 'support_update'" in got[5][1]
    assert got[6] == (9, "C-4")


@pytest.mark.parametrize("kind", ["text", "binary", "path", "stdin"])
def test_every_source_reads_the_same(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = "\ufeff" + JSONL if kind in ("binary", "path") else JSONL  # a byte-order mark is dropped
    if kind == "text":
        reader = read_cases(io.StringIO(data))
    elif kind == "binary":
        reader = read_cases(io.BytesIO(data.encode()))
    elif kind == "path":
        path = tmp_path / "cases.jsonl"
        path.write_text(data, encoding="utf-8")
        reader = read_cases(path)
        assert reader.total_bytes == len(data.encode())
    else:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode()), encoding="utf-8"))
        reader = read_cases("-")
        assert reader.name == "<stdin>"
    assert reader.format == "jsonl"
    assert _summary(reader) == _summary(read_cases(io.StringIO(JSONL)))
    assert (reader.cases_read, reader.invalid_lines) == (2, 5)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(SlocalcValueError, match=r"no such file; expected a \.jsonl or \.csv file"):
        read_cases(tmp_path / "nope.jsonl")
    with pytest.raises(SlocalcValueError, match="is a directory"):
        read_cases(tmp_path)
    with pytest.raises(SlocalcValueError, match="format 'xml' is unknown"):
        read_cases(io.StringIO(""), "xml")  # type: ignore[arg-type]


CSV = (
    "case_id,severity,opened_at,tz,country,subdiv,hours,event_at,kind,status,new_severity\n"
    "C-1,2,2026-03-02T09:00:00+01:00,Europe/Berlin,DE,,,2026-03-02T10:00:00+01:00,support_update,,\n"
    "C-1,,,,,,,2026-03-02T10:00:00+01:00,status,in_progress,\n"
    "C-2,1,2026-03-05T09:15:00Z,UTC,,,,,,,\n"
    ",,,,,,,,,,\n"
    "C-3,3,2026-03-04T09:00:00-05:00,America/New_York,US,,,2026-03-04T15:00:00-05:00,severity,,x\n"
    "C-4,3,2026-03-04T09:00:00-05:00,America/New_York,US,,,2026-03-04T15:00:00-05:00,support_update,,\n"
    "C-4,2,,,,,,2026-03-05T15:00:00-05:00,support_update,,\n"
    ",2,,,,,,,,,\n"
    "C-5,3,2026-03-04T09:00:00Z,UTC,,,,2026-03-04T15:00:00Z,support_update,,,extra\n"
    "C-6,3,2026-03-04T09:00:00Z,UTC,,,,2026-03-04T15:00:00Z,support_update,,\n"
    "C-6,,,,,,,2026-03-04T08:00:00Z,customer_update,,\n"
    "C-7,,2026-03-04T09:00:00Z,,,,,,,,\n"
)


def _expected_csv() -> set[tuple[int, str]]:
    return {
        (2, "C-1"),
        (4, "C-2"),
        (6, "! case 'C-3': new_severity 'x': expected a whole number, e.g. 1"),
        (8, "! case 'C-4': severity '2' differs from '3' on line 7; leave it blank or repeat it"),
        (9, "! case_id is empty; every row names its case"),
        (10, "! 1 more field(s) than the header's 11"),
        (13, "! case 'C-7': first row leaves severity, tz empty"),
    }


def test_csv_hand_worked(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(CSV, encoding="utf-8")
    with read_cases(path) as reader:
        assert reader.format == "csv"
        got = _summary(reader)
    # the model's own message, on the row of the event it names (events[1]: line 12)
    c6 = next(reason for line, reason in got if line == 12)
    assert c6.startswith("! case 'C-6': events[1] at ")
    assert "before opened_at" in c6
    assert set(got) - {(12, c6)} == _expected_csv()
    with read_cases(path) as reader:
        record = next(r for r in reader if isinstance(r, CaseRecord) and r.case.id == "C-1")
    assert record.lines == (2, 2, 3)
    assert [e.kind for e in record.case.events] == ["support_update", "status"]


def test_csv_rows_of_a_case_need_not_be_adjacent(tmp_path: Path) -> None:
    text = (
        "kind,case_id,event_at,severity,opened_at,tz\n"
        "support_update,A,2026-03-02T10:00:00Z,2,2026-03-02T09:00:00Z,UTC\n"
        "support_update,B,2026-03-02T11:00:00Z,1,2026-03-02T09:30:00Z,UTC\n"
        "customer_update,A,2026-03-03T10:00:00Z,,,\n"
    )
    for source in (io.StringIO(text), io.BytesIO(text.encode())):
        records = [r for r in read_cases(source, "csv") if isinstance(r, CaseRecord)]
        assert [(r.case.id, r.lines) for r in records] == [("A", (2, 2, 4)), ("B", (3, 3))]
        assert [e.kind for e in records[0].case.events] == ["support_update", "customer_update"]


def test_csv_quoted_line_break_counts_physical_lines() -> None:
    text = (
        "case_id,severity,opened_at,tz,hours,event_at,kind\n"
        'A,2,2026-03-02T09:00:00Z,UTC,"Mon-Fri\n09:00-17:00",2026-03-02T10:00:00Z,support_update\n'
        "B,x,2026-03-02T09:00:00Z,UTC,,2026-03-02T10:00:00Z,support_update\n"
    )
    got = _summary(read_cases(io.StringIO(text), "csv"))
    # a record's number is its last physical line, as the csv module counts (and as
    # slocalc check has always reported)
    assert got[0] == (3, "A")
    assert got[1][0] == 4
    assert got[1][1].startswith("! case 'B': severity: expected a whole number")


def test_csv_header_problems() -> None:
    got = _summary(read_cases(io.StringIO("case_id,sev,opened_at,tz,event_at,kind\n"), "csv"))
    assert got == [
        (
            1,
            "! CSV header: missing column(s) severity; unknown column(s) sev; expected columns "
            "case_id, severity, opened_at, tz, country, subdiv, hours, event_at, kind, status, new_severity",
        )
    ]
    assert _summary(read_cases(io.StringIO(""), "csv")) == []


def test_format_sniffed_on_a_stream() -> None:
    assert read_cases(io.StringIO("\n" + _line("C-1"))).format == "jsonl"
    assert read_cases(io.StringIO(CSV)).format == "csv"


@pytest.mark.parametrize("name", ["cases.jsonl", "cases.csv"])
def test_examples_read_like_case_model_validate(name: str) -> None:
    """Every example case equals the one built by full validation from the same fields."""
    records = list(read_cases(EXAMPLES / name))
    assert all(isinstance(r, CaseRecord) for r in records)
    if name == "cases.jsonl":
        lines = (EXAMPLES / name).read_text(encoding="utf-8").splitlines()
        for record in records:
            assert isinstance(record, CaseRecord)
            assert record.case == Case.model_validate(json.loads(lines[record.line - 1]))
    assert len(records) == len({r.case.id for r in records if isinstance(r, CaseRecord)})


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_reading_is_lazy(fmt: str, tmp_path: Path) -> None:
    """The first case comes before the file is read to its end (memory stays flat)."""
    path = tmp_path / f"big.{fmt}"
    with path.open("w", encoding="utf-8") as f:
        if fmt == "csv":
            f.write("case_id,severity,opened_at,tz,event_at,kind\n")
            for i in range(5000):
                f.write(f"C-{i},2,2026-03-02T09:00:00Z,UTC,2026-03-02T10:00:00Z,support_update\n")
        else:
            for i in range(5000):
                f.write(_line(f"C-{i}"))
    with read_cases(path) as reader:
        first = next(reader)
        assert isinstance(first, CaseRecord)
        assert reader.total_bytes is not None
        assert reader.bytes_read is not None
        assert reader.bytes_read < reader.total_bytes // 4
        assert sum(1 for _ in reader) == 4999


def test_invalid_line_to_dict() -> None:
    assert InvalidLine(3, "bad").to_dict() == {"line": 3, "error": "bad"}


def test_cases_from_frame_matches_the_csv_reader() -> None:
    pd = pytest.importorskip("pandas")
    flat = pd.read_csv(EXAMPLES / "cases.csv", dtype=str, keep_default_na=False)
    cases = flat.drop_duplicates("case_id")[
        ["case_id", "severity", "opened_at", "tz", "country", "subdiv", "hours"]
    ]
    cases = cases.assign(severity=cases["severity"].astype(int))
    cases = cases.assign(opened_at=pd.to_datetime(cases["opened_at"], utc=True))
    cases = cases.replace({"subdiv": {"": None}, "hours": {"": None}})
    events = flat[["case_id", "event_at", "kind", "status", "new_severity"]].replace({"": None})
    events = events.assign(new_severity=events["new_severity"].astype("Int64"))
    from_frame = [r.case for r in cases_from_frame(cases, events) if isinstance(r, CaseRecord)]
    from_csv = [r.case for r in read_cases(EXAMPLES / "cases.csv") if isinstance(r, CaseRecord)]
    assert len(from_frame) == len(from_csv) == len(cases)
    for a, b in zip(from_frame, from_csv, strict=True):
        assert a.id == b.id
        assert a.customer == b.customer
        assert a.events == b.events
        assert a.opened_at == b.opened_at  # a Timestamp's UTC, the same instant


def test_cases_from_frame_errors() -> None:
    pd = pytest.importorskip("pandas")
    cases = pd.DataFrame(
        {
            "case_id": ["A", "B", "A"],
            "severity": [1, 2, 1],
            "opened_at": ["2026-03-02T09:00:00Z"] * 3,
            "tz": ["UTC", "Nowhere/City", "UTC"],
        }
    )
    events = pd.DataFrame(
        {"case_id": ["A", "Z"], "event_at": ["2026-03-02T10:00:00Z"] * 2, "kind": ["support_update"] * 2}
    )
    got = [
        (r.line, r.case.id if isinstance(r, CaseRecord) else r.reason)
        for r in cases_from_frame(cases, events)
    ]
    assert got[0] == (1, "A")
    assert got[1][0] == 2
    assert "Nowhere/City" in got[1][1]
    assert got[2] == (3, "case 'A': duplicate case id (first on row 1); one row per case")
    assert got[3] == (2, "event row names a case_id that is not in the cases frame")
    with pytest.raises(SlocalcValueError, match="cases frame: missing column"):
        list(cases_from_frame(cases.drop(columns=["tz"])))
