"""``check()`` and ``CaseBatch`` on the columnar path: the same alerts and the same errors,
in the same order, as the scalar path case by case (docs/scaling.md)."""

from __future__ import annotations

import io
import itertools
import json
import re
import sys
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import slocalc.cases._evaluate as evaluate_module
from slocalc.cases import Case, CaseBatch, CaseCheck, Event, InvalidLine, check, check_case, read_cases
from slocalc.errors import NaiveDatetimeError, SlocalcTypeError, TimelineError
from slocalc.policies import RAPID7

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)


def _case(case_id: str, *events: dict[str, Any], severity: int = 2) -> Case:
    return Case.model_validate(
        {
            "id": case_id,
            "severity": severity,
            "opened_at": "2026-03-02T09:00:00Z",
            "customer": {"tz": "Europe/Dublin", "country": "IE"},
            "events": list(events),
        }
    )


def _export_cases() -> list[Case]:
    return [item.case for item in read_cases(ROOT / "examples" / "cases.jsonl")]


def test_check_equals_check_case_one_by_one_across_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = _export_cases()
    monkeypatch.setattr(evaluate_module, "_BATCH", 64)  # several batches and a short last one
    expected = [a for case in cases for a in check_case(case, RAPID7, now=NOW).alerts]
    assert check(cases, RAPID7, now=NOW) == expected
    assert check(iter(cases), RAPID7, now=NOW) == expected  # a one-pass iterable too
    # as `slocalc check examples/cases.jsonl --now 2026-03-31T17:00Z` sums them up:
    # "alerts: 84 breached targets, 5 targets at risk"
    assert sum(a.kind == "breached" for a in expected) == 84
    assert sum(a.kind == "at_risk" for a in expected) == 5


def test_check_raises_the_first_error_in_case_order(monkeypatch: pytest.MonkeyPatch) -> None:
    good = _export_cases()[:10]
    bad = _case("C-BAD", {"at": "2026-03-02T10:00:00Z", "kind": "status", "status": "on_hold"})
    monkeypatch.setattr(evaluate_module, "_BATCH", 4)
    with pytest.raises(
        TimelineError, match=r"^case 'C-BAD': events\[0\] at .*status 'on_hold' is not in policy"
    ):
        check([*good[:5], bad, *good[5:]], RAPID7, now=NOW)
    # the bad case comes before an item that is not a case (in the same batch): its error wins
    with pytest.raises(TimelineError, match="C-BAD"):
        check([*good[:1], bad, "not a case", *good], RAPID7, now=NOW)
    # and an item that is not a case before a bad case: the type error wins
    with pytest.raises(SlocalcTypeError, match=r"^cases\[1\]: expected a slocalc Case, got str"):
        check([good[0], "not a case", bad], RAPID7, now=NOW)


def test_check_progress_counts_every_case(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = _export_cases()[:30]
    monkeypatch.setattr(evaluate_module, "_BATCH", 8)
    seen: list[tuple[int, int | None]] = []
    check(cases, RAPID7, now=NOW, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (30, 30)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_batch_check_gives_the_invalid_line_of_a_case_the_policy_refuses() -> None:
    lines = [
        # line 1: answered within the 4 business hours (due 13:00 Dublin = UTC in March): no alert
        {"id": "C-1", "severity": 2, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"},
         "events": [{"at": "2026-03-02T12:00:00Z", "kind": "support_update"}]},
        # line 2: a status RAPID7 does not have
        {"id": "C-2", "severity": 2, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"},
         "events": [{"at": "2026-03-02T10:00:00Z", "kind": "status", "status": "on_hold"}]},
        # line 3: severity 1, opened 09:00 UTC, never answered: 2 hours, breached at 11:00
        {"id": "C-3", "severity": 1, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"}},
    ]  # fmt: skip
    text = "".join(json.dumps(d) + "\n" for d in lines)
    [batch] = list(read_cases(io.StringIO(text)).batches())
    found = batch.check(RAPID7, now=datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    assert isinstance(found[0], CaseCheck)
    assert found[0].verdict == "ok"
    assert isinstance(found[1], InvalidLine)
    assert found[1].line == 2
    assert found[1].reason.startswith("case 'C-2': events[0] at 2026-03-02T10:00:00+00:00: status 'on_hold'")
    assert isinstance(found[2], CaseCheck)
    assert found[2].verdict == "breached"
    [alert] = found[2].alerts
    assert (alert.metric, alert.due_at, str(alert.breached_by)) == (
        "initial_response",
        datetime(2026, 3, 2, 11, 0, tzinfo=UTC),
        "1:00:00",
    )
    assert [batch.line(i) for i in range(len(batch))] == [1, 2, 3]


def test_batch_check_equals_check_case_on_the_export_in_both_formats() -> None:
    for name in ("cases.jsonl", "cases.csv"):
        with read_cases(ROOT / "examples" / name) as reader:
            batches = list(reader.batches(37))
        got = [c for b in batches for c in b.check(RAPID7, now=NOW)]
        cases = [b.case(i) for b in batches for i in range(len(b))]
        assert got == [check_case(case, RAPID7, now=NOW) for case in cases]


def test_batch_check_validates_its_arguments() -> None:
    batch = CaseBatch.from_records([])
    assert batch.check(RAPID7, now=NOW) == []
    with pytest.raises(SlocalcTypeError, match="policy: expected a slocalc Policy"):
        batch.check("RAPID7", now=NOW)
    with pytest.raises(NaiveDatetimeError, match=r"^now: got naive datetime"):
        batch.check(RAPID7, now=datetime(2026, 3, 2))  # naive
    with pytest.raises(ValueError, match=r"at_risk: must be in \(0, 1\]"):
        batch.check(RAPID7, now=NOW, at_risk=1.5)


def test_reader_batches_keep_their_size() -> None:
    with read_cases(ROOT / "examples" / "cases.jsonl") as reader:
        sizes = [len(b) for b in reader.batches(128)]
    assert sizes == [128, 128, 44]
    assert sum(1 for _ in itertools.islice(read_cases(ROOT / "examples" / "cases.jsonl"), 3)) == 3
    assert "numpy" in sys.modules


def test_batches_from_bad_items_say_what_they_expected() -> None:
    with pytest.raises(SlocalcTypeError, match=r"^records\[0\]: expected a CaseRecord"):
        CaseBatch.from_records(["C-1"])  # type: ignore[list-item]
    with pytest.raises(SlocalcTypeError, match=r"^lines\[1\]: expected a \(line number, text\) pair"):
        CaseBatch.from_lines([(1, "{}"), ("2", "{}")])  # type: ignore[list-item]


def test_batch_from_lines_reads_as_the_reader_does() -> None:
    text = (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines.insert(3, "not json\n")
    batch = CaseBatch.from_lines(list(enumerate(lines, start=1)))
    items = list(read_cases(io.StringIO("".join(lines))))
    assert [batch.case(i) for i in range(len(batch))] == [
        i.case for i in items if not isinstance(i, InvalidLine)
    ]
    assert batch.invalid == [i for i in items if isinstance(i, InvalidLine)]
    assert [b.line for b in batch.invalid] == [4]


def _rebuilt(batch: CaseBatch, now: datetime) -> list[CaseCheck | InvalidLine]:
    """What ``CaseBatch.check`` gives, rebuilt from the columns ``slocalc check`` tallies."""
    found, others = batch._checked(RAPID7, now, Fraction(3, 4))
    out: dict[int, CaseCheck | InvalidLine] = dict(others)
    statuses = [*found.statuses, None]
    for i in range(len(batch)):
        if found.replayed[i]:
            alerts = tuple(found.alerts.get(i, ()))
            status = statuses[int(found.status[i])]
            out[i] = CaseCheck(batch.ids[i], int(found.severity[i]), status, alerts, int(found.future[i]))
        elif found.skipped[i]:
            skipped = CaseCheck(
                batch.ids[i], int(found.severity[i]), None, (), int(found.future[i]), "opened_after_now"
            )
            out[i] = skipped
        else:
            assert found.declined[i]
            assert i in out
    assert sorted(out) == list(range(len(batch)))
    return [out[i] for i in range(len(batch))]


def test_checked_columns_give_what_check_gives() -> None:
    lines = [
        # line 1: severity 1 opened 09:00 UTC, never answered: breached at 11:00 (replayed)
        {"id": "C-1", "severity": 1, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"}},
        # line 2: a status RAPID7 does not have: declined, then refused by the scalar path
        {"id": "C-2", "severity": 2, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"},
         "events": [{"at": "2026-03-02T10:00:00Z", "kind": "status", "status": "on_hold"}]},
        # line 3: opened after now: skipped, its one event after now
        {"id": "C-3", "severity": 3, "opened_at": "2026-03-03T09:00:00Z", "customer": {"tz": "UTC"},
         "events": [{"at": "2026-03-03T10:00:00Z", "kind": "support_update"}]},
        # line 4: 70 events (more than the columnar replay takes): declined, checked by check_case
        {"id": "C-4", "severity": 3, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"},
         "events": [{"at": "2026-03-02T09:30:00Z", "kind": "customer_update"}] * 70},
        # line 5: answered at 10:00 within 4 business hours; one event after now
        {"id": "C-5", "severity": 2, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"},
         "events": [{"at": "2026-03-02T10:00:00Z", "kind": "support_update"},
                    {"at": "2026-03-02T13:00:00Z", "kind": "customer_update"}]},
    ]  # fmt: skip
    text = "".join(json.dumps(d) + "\n" for d in lines)
    [batch] = list(read_cases(io.StringIO(text)).batches())
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    found, others = batch._checked(RAPID7, now, Fraction(3, 4))
    assert found.replayed.tolist() == [True, False, False, False, True]
    assert found.skipped.tolist() == [False, False, True, False, False]
    assert found.declined.tolist() == [False, True, False, True, False]
    assert found.future.tolist()[0::2] == [0, 1, 1]  # C-1, C-3, C-5
    assert [i for i, _ in others] == [1, 3]
    assert isinstance(others[0][1], InvalidLine)
    assert others[0][1].line == 2
    assert isinstance(others[1][1], CaseCheck)
    assert others[1][1].case_id == "C-4"
    assert sorted(found.alerts) == [0]
    assert _rebuilt(batch, now) == batch.check(RAPID7, now=now)


def test_checked_columns_give_what_check_gives_on_the_export() -> None:
    with read_cases(ROOT / "examples" / "cases.jsonl") as reader:
        batches = list(reader.batches(50))
    for now in (NOW, datetime(2026, 1, 20, 12, 0, tzinfo=UTC)):
        for batch in batches:
            assert _rebuilt(batch, now) == batch.check(RAPID7, now=now)


def test_check_raises_a_bad_timeline_in_case_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """A case built without validation with an event before ``opened_at``: the columns of
    its batch are refused, the cases before it are still checked (as one at a time), and
    its ``TimelineError`` is the one ``timeline_of`` words."""
    good = _export_cases()[:10]
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    unchecked = Case.model_construct(
        id="C-EARLY",
        severity=2,
        opened_at=t0,
        customer=good[0].customer,
        events=[Event(at=t0.replace(hour=8), kind="support_update")],
    )
    monkeypatch.setattr(evaluate_module, "_BATCH", 4)
    seen: list[Any] = []
    real = evaluate_module._check_batch

    def spy(batch: list[Case], *args: Any) -> None:
        real(batch, *args)
        seen.append([c.id for c in batch])

    monkeypatch.setattr(evaluate_module, "_check_batch", spy)
    with pytest.raises(TimelineError, match=re.escape("case 'C-EARLY': events[0]: before opened_at")):
        check([*good[:6], unchecked, *good[6:]], RAPID7, now=NOW)
    # batches of 4: the first whole; the second (cases 5, 6, C-EARLY, 7) checked up to C-EARLY
    assert seen[0] == [c.id for c in good[:4]]
    assert [c.id for c in good[4:6]] in seen
