"""``check()`` on built ``Case`` objects of a realistic export, and what it is made of.

Reads the first 50,000 cases of the 200,000-case realistic export of
``bench_check_e2e.py`` (generated once and cached, as there) into ``Case`` objects, then
times, warm and best of three: building the columnar path's columns from the objects
(``columns_from_cases``, batches of 4,096 as ``check()`` makes them) and ``check()`` as a
whole. Unlike ``bench_cases.py`` (the shipped sample replicated), every case here is a
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
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from slocalc.cases import CaseRecord, check, read_cases
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
    records = islice(read_cases(path), args.count)
    cases = [r.case for r in records if isinstance(r, CaseRecord)]
    gc.freeze()  # the cases live through the whole run, as in a service
    check(cases[:4096], RAPID7, now=NOW)  # warm: calendars compiled
    n = len(cases)
    columns = best(lambda: [columns_from_cases(cases[i : i + 4096]) for i in range(0, n, 4096)])
    whole = best(lambda: check(cases, RAPID7, now=NOW))
    print(f"# {n:,} realistic cases, now {NOW.isoformat()}")
    print(f"columns_from_cases: {n / columns:,.0f} cases/s")
    print(f"check():            {n / whole:,.0f} cases/s")


if __name__ == "__main__":
    main()
