"""``check()`` on built ``Case`` objects of a realistic export, and what it is made of.

Reads the first 50,000 cases of the 200,000-case realistic export of
``bench_check_e2e.py`` (generated once and cached, as there) into ``Case`` objects (timed
once: the JSON parse, the checks and the objects, each case's timeline included), then
times, warm and best of three: building the columnar path's columns from the objects
(``columns_from_cases``, batches of 16,384 as ``check()`` makes them) and ``check()`` as a
whole; then ``evaluate()`` on the first 5,000 of them, and, as its ceiling, only making the
same ``CaseReport`` objects again (new instants, targets, history steps: what any evaluation
must return, with nothing computed), copied from the reports and made from their values
read beforehand. Unlike ``bench_cases.py`` (the shipped sample replicated), every case here is a
different one. Prints cases a second; asserts nothing about time.

Usage: ``python benchmarks/bench_check_built.py`` (``--count N`` for another number of cases,
``--quick`` for the CI smoke run: 5,000 cases of the 10,000-case export).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from slocalc.cases import CaseRecord, CaseReport, Step, TargetResult, check, evaluate, read_cases
from slocalc.cases._columns import columns_from_cases
from slocalc.policies import RAPID7

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_check_e2e  # the export, generated and cached the same way

NOW = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)


def best(fn: Callable[[], object], repeats: int = 3) -> float:
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return min(runs)


_ZERO = timedelta(0)


def _again(dt: datetime | None) -> datetime | None:
    return None if dt is None else dt + _ZERO  # a new object, the same instant (cheaper than replace)


def _target(t: TargetResult) -> TargetResult:
    steps = tuple(Step(s.kind, s.at + _ZERO, _again(s.due_at), s.note) for s in t.history)
    return TargetResult(
        t.metric, t.cycle, t.severity, t.target, t.clock, t.start + _ZERO, _again(t.due_at),
        _again(t.met_at), _again(t.ended_at), t.state, t.breached_by, t.remaining, steps,
    )  # fmt: skip


def remade(r: CaseReport) -> CaseReport:
    """The same report made again from its values: the objects an evaluation returns."""
    return CaseReport(
        r.case_id, r.now + _ZERO, r.severity, r.status, _target(r.initial_response),
        tuple(map(_target, r.updates)), _again(r.next_due_at), r.breaches, _again(r.auto_close_at),
        _again(r.reopen_until), r.late_reopen_attempts, r.future_events, tuple(map(_target, r.other_metrics)),
    )  # fmt: skip


def _values(r: CaseReport) -> tuple[object, ...]:
    """A report's values as nested tuples (read once, untimed), for :func:`_made`."""

    def target(t: TargetResult) -> tuple[object, ...]:
        steps = tuple((s.kind, s.at, s.due_at, s.note) for s in t.history)
        return (*(getattr(t, f) for f in TargetResult.__dataclass_fields__ if f != "history"), steps)

    return (
        r.case_id, r.now, r.severity, r.status, target(r.initial_response), tuple(map(target, r.updates)),
        r.next_due_at, r.breaches, r.auto_close_at, r.reopen_until, r.late_reopen_attempts,
        r.future_events, tuple(map(target, r.other_metrics)),
    )  # fmt: skip


def _made_target(v: tuple[Any, ...]) -> TargetResult:
    steps = tuple(
        [Step(k, at + _ZERO, None if due is None else due + _ZERO, note) for k, at, due, note in v[12]]
    )
    return TargetResult(
        v[0], v[1], v[2], v[3], v[4], v[5] + _ZERO, _again(v[6]), _again(v[7]), _again(v[8]), v[9], v[10],
        v[11], steps,
    )  # fmt: skip


def _made(v: tuple[Any, ...]) -> CaseReport:
    """A report made from its values (:func:`_values`): its objects and nothing else, no
    attribute read (new instants by adding a zero timedelta, the cheapest new datetime)."""
    return CaseReport(
        v[0], v[1] + _ZERO, v[2], v[3], _made_target(v[4]), tuple(map(_made_target, v[5])), _again(v[6]),
        v[7], _again(v[8]), _again(v[9]), v[10], v[11], tuple(map(_made_target, v[12])),
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="CI smoke run: 5,000 cases of the 10k export")
    args = parser.parse_args()
    cache = Path(tempfile.gettempdir()) / "slocalc-bench"
    size = 10_000 if args.quick else 200_000
    if args.quick:
        args.count = min(args.count, 5_000)
    path = bench_check_e2e.export(size, "jsonl", cache, 2)
    t0 = time.perf_counter()
    records = islice(read_cases(path), args.count)
    cases = [r.case for r in records if isinstance(r, CaseRecord)]
    read = time.perf_counter() - t0
    gc.freeze()  # the cases live through the whole run, as in a service
    check(cases[:4096], RAPID7, now=NOW)  # warm: calendars compiled
    n = len(cases)
    columns = best(lambda: [columns_from_cases(cases[i : i + 16384]) for i in range(0, n, 16384)])
    whole = best(lambda: check(cases, RAPID7, now=NOW))
    print(f"# {n:,} realistic cases, now {NOW.isoformat()}")
    print(f"read_cases -> Case: {n / read:,.0f} cases/s (once, the collector on)")
    print(f"columns_from_cases: {n / columns:,.0f} cases/s")
    print(f"check():            {n / whole:,.0f} cases/s")
    some = cases[:5_000]
    reports = [evaluate(c, RAPID7, now=NOW) for c in some]
    assert [remade(r) for r in reports] == reports
    evaluated = best(lambda: [evaluate(c, RAPID7, now=NOW) for c in some])
    floor = best(lambda: [remade(r) for r in reports])
    values = [_values(r) for r in reports]
    assert [_made(v) for v in values] == reports
    made = best(lambda: [_made(v) for v in values])
    steps = sum(len(t.history) for r in reports for t in r.targets) / len(reports)
    targets = sum(len(r.targets) for r in reports) / len(reports)
    print(f"evaluate():         {len(some) / evaluated:,.0f} cases/s ({len(some):,} cases)")
    print(
        f"  its objects alone: {len(some) / floor:,.0f} reports/s "
        f"({targets:.1f} targets, {steps:.1f} history steps a report, copied from a report)"
    )
    print(
        f"  made from values:  {len(some) / made:,.0f} reports/s (the ceiling of any evaluate() returning them)"
    )


if __name__ == "__main__":
    main()
