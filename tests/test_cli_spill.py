"""``slocalc check`` in flat memory: alerts and invalid lines spilled in sorted runs.

The sorter (``slocalc._cli._spill.SpillSort``) against ``sorted`` (a property), its
temporary files removed on every path, and the command's output byte for byte the same
whether nothing is spilled or every few rows are (run size forced tiny), on the shipped
exports and on a generated export with invalid lines, in all three output formats. See
docs/scaling.md, "One machine".
"""

from __future__ import annotations

import io
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import slocalc._cli._spill as spill
from slocalc import cli
from slocalc._cli._spill import SpillSort

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-03-31T17:00Z"  # the export instant of examples/make_cases.py


# -- the sorter ------------------------------------------------------------------------------


def test_small_example_by_hand() -> None:
    with SpillSort(run_rows=2) as rows:
        for row in [(5, 0, "e"), (1, 1, "a"), (3, 2, "c"), (1, 0, "A"), (4, 4, "d")]:
            rows.add(row)
        assert rows.runs == 2  # two full runs of 2 rows, one row still in memory
        assert [r[2] for r in rows.sorted()] == ["A", "a", "c", "d", "e"]
        assert len(rows) == 5


@settings(max_examples=150, deadline=None)
@given(
    keys=st.lists(st.tuples(st.integers(0, 5), st.integers(-3, 3)), max_size=300, unique=True),
    run_rows=st.integers(1, 40),
    max_runs=st.integers(2, 6),
    batch=st.integers(1, 7),
)
def test_gives_back_what_sorted_gives(
    keys: list[tuple[int, int]], run_rows: int, max_runs: int, batch: int
) -> None:
    """Every row back, none twice, in ``sorted`` order, for any run size, batch size and
    merge width (runs merged early when there are many); and again on a second pass."""
    rows = [(*k, str(k), [k[0]] * (k[1] % 3)) for k in keys]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(spill, "_MAX_RUNS", max_runs)
        mp.setattr(spill, "_BATCH", batch)
        with SpillSort(run_rows=run_rows) as sorter:
            for row in rows:
                sorter.add(row)
            assert sorter.runs < max_runs
            assert list(sorter.sorted()) == sorted(rows)
            assert list(sorter.sorted()) == sorted(rows)
            assert len(sorter) == len(rows)


def test_default_run_size_is_read_when_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spill, "RUN_ROWS", 3)
    with SpillSort() as rows:
        for i in range(7):
            rows.add((i,))
        assert rows.runs == 2


class _Files:
    """Wraps ``tempfile.TemporaryFile`` in the spill module and keeps every file it made."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import tempfile

        self.made: list[Any] = []
        real = tempfile.TemporaryFile

        def made(*args: Any, **kwargs: Any) -> Any:
            f = real(*args, **kwargs)
            self.made.append(f)
            return f

        monkeypatch.setattr(spill.tempfile, "TemporaryFile", made)


def test_close_removes_the_files(monkeypatch: pytest.MonkeyPatch) -> None:
    files = _Files(monkeypatch)
    monkeypatch.setattr(spill, "_MAX_RUNS", 3)
    rows = SpillSort(run_rows=2)
    for i in range(20):
        rows.add((-i,))
    assert files.made
    assert rows.runs < 3
    assert sum(not f.closed for f in files.made) == rows.runs  # merged runs already closed
    rows.close()
    rows.close()
    assert all(f.closed for f in files.made)
    assert list(rows.sorted()) == []


# -- the command -----------------------------------------------------------------------------


def _check(path: Path, *options: str) -> tuple[int, str, str]:
    """``slocalc check PATH --now NOW OPTIONS`` in this process: status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = cli.main(["check", str(path), "--now", NOW, "--no-progress", *options])
    finally:
        sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated export of 1,500 cases with invalid lines among them: bad JSON, a case
    missing fields, a duplicate id (found by the reader) and a case that fails its check."""
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import make_cases
    finally:
        sys.path.pop(0)
    cases = make_cases.generate(1500, seed=20260331)
    out = io.StringIO()
    make_cases.write_jsonl(cases, out)
    lines = out.getvalue().splitlines(keepends=True)
    bad = [
        "not json\n",
        json.dumps({"id": "X", "severity": 2}) + "\n",
        lines[3],  # a duplicate id
        json.dumps({**json.loads(lines[0]), "id": "Z", "severity": 9}, ensure_ascii=False) + "\n",
        "ünïcödé\n",
    ]
    rng = random.Random(14)
    mixed = []
    for i, line in enumerate(lines):
        mixed.append(line)
        if rng.random() < 0.05:
            mixed.append(bad[i % len(bad)])
    path = tmp_path_factory.mktemp("spill") / "generated.jsonl"
    path.write_text("".join(mixed), encoding="utf-8")
    return path


def _same_spilled_or_not(
    path: Path, options: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    files = _Files(monkeypatch)
    monkeypatch.setattr(spill, "RUN_ROWS", 10**9)
    whole = _check(path, *options)
    assert files.made == []  # nothing spilled
    monkeypatch.setattr(spill, "RUN_ROWS", 7)
    monkeypatch.setattr(spill, "_MAX_RUNS", 5)  # runs merged early too
    monkeypatch.setattr(spill, "_BATCH", 3)
    spilled = _check(path, *options)
    assert files.made  # spilled, and every file removed
    assert all(f.closed for f in files.made)
    assert spilled == whole
    return whole


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
@pytest.mark.parametrize("name", ["cases.jsonl", "cases.csv"])
def test_shipped_exports_byte_identical_when_spilled(
    name: str, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = _same_spilled_or_not(ROOT / "examples" / name, ("--format", fmt), monkeypatch)
    assert code == 1
    assert out.count("C-") > 7  # more alerts than a run holds


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_generated_export_with_invalid_lines_byte_identical_when_spilled(
    generated: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _same_spilled_or_not(generated, ("--format", fmt, "--at-risk", "0.5"), monkeypatch)
    assert code == 2
    reported = [
        int(line.split()[3].rstrip(":"))
        for line in err.splitlines()
        if line.startswith("slocalc check: line")
    ]
    assert len(reported) > 40
    assert reported == sorted(reported)  # in line order, none lost
    assert "duplicate case id" in err
    if fmt == "json":
        doc = json.loads(out)
        assert [bad["line"] for bad in doc["invalid"]] == reported
        assert doc["summary"]["invalid_lines"] == len(reported)
        assert len(doc["alerts"]) > 100


def test_spilled_files_removed_when_interrupted(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C in the middle of a run: the runs written so far are removed."""
    import slocalc._cli._check as check_command
    from slocalc.cases import CaseBatch

    files = _Files(monkeypatch)
    monkeypatch.setattr(spill, "RUN_ROWS", 5)
    monkeypatch.setattr(check_command, "BATCH", 50)
    real = CaseBatch._checked
    calls = 0

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls > 6:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(CaseBatch, "_checked", interrupted)
    code, out, err = _check(generated, "--format", "json")
    assert (code, out, err) == (130, "", "slocalc check: interrupted\n")
    assert files.made
    assert all(f.closed for f in files.made)


def test_table_columns_fit_their_widest_cell(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The widths tracked as rows come are the widths over every row: each column ends two
    spaces before the next in every row, and some row fills it (the widest cell)."""
    monkeypatch.setattr(spill, "RUN_ROWS", 50)
    _, out, _ = _check(generated)
    lines = out.split("\n\n")[0].splitlines()
    header, rows = lines[0], lines[1:]
    assert len(rows) > 100
    starts = [header.index(h) for h in ("sev", "target", "alert", "due (UTC)", "due (customer)")]
    for end in starts:
        assert all(row[end - 2 : end] == "  " and row[end] != " " for row in rows)
        assert any(row[end - 3] != " " for row in (header, *rows))


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_the_alerts_are_written_as_they_are_merged(fmt: str) -> None:
    """Every format writes the sorted alerts one at a time: no format holds them all at once
    (the table once built a tuple of every row before writing the first)."""
    from datetime import UTC, datetime
    from fractions import Fraction

    import slocalc._cli._check as check_module

    outcome = check_module._Outcome(datetime(2026, 3, 2, tzinfo=UTC), "--now", Fraction(3, 4), fmt)
    cells = ("C-1", "2", "update #1", "BREACHED", "Mon 2026-03-02 09:00 UTC", "same", "1h late")
    rendered: Any = {"table": cells, "json": "    {}", "csv": list(cells)}[fmt]
    for k in range(50):
        outcome.rows.add((0, k, k, 0, rendered))
    pulled: list[int] = []

    def alerts() -> Any:
        for row in outcome.rows.sorted():
            pulled.append(1)
            yield row[4]

    class Out(io.StringIO):
        seen_at_first_write: int | None = None

        def write(self, text: str) -> int:
            if self.seen_at_first_write is None and pulled:
                self.seen_at_first_write = len(pulled)
            return super().write(text)

    out = Out()
    outcome.alerts = alerts  # type: ignore[method-assign]
    writer = {"table": check_module._write_table, "json": check_module._write_json}.get(fmt)
    if writer is None:
        check_module._write_csv(outcome, out)
    else:
        writer(outcome, "rapid7", out)
    outcome.close()
    assert len(pulled) == 50
    assert out.seen_at_first_write is not None
    assert out.seen_at_first_write <= 2
