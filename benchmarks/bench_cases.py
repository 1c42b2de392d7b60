"""Case-evaluation benchmark: ``check()`` throughput and linearity.

Loads the sample export (``examples/cases.jsonl``: realistic cases of about 8-12 events in
16 zones), replicates it to the requested size, and measures ``check`` over the whole list
on one core, warm (customer calendars compiled) — the state of a long-running service.
Then it doubles the number of cases and the number of events per case to show that the cost
is linear in both. Installs nothing; prints a table; asserts nothing about time.

Usage: ``python benchmarks/bench_cases.py`` (``--quick`` for the CI smoke run).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slocalc import RAPID7, Case, check
from slocalc.cases import Event

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)


def load() -> list[Case]:
    lines = (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    return [Case.model_validate(json.loads(line)) for line in lines if line.strip()]


def timed(cases: list[Case], repeats: int) -> float:
    """Median seconds for one ``check`` over ``cases``."""
    check(cases, RAPID7, now=NOW)  # warm: calendars compiled, caches filled
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        check(cases, RAPID7, now=NOW)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def stretched(case: Case, factor: int) -> Case:
    """The case with ``factor`` times as many events: extra support updates spread evenly
    between its opening and its first event (so all are replayed before ``NOW``)."""
    events = list(case.events)
    first = min((e.at for e in events), default=case.opened_at + timedelta(hours=1))
    n = len(events) * (factor - 1)
    step = (first - case.opened_at) / (n + 1)
    extra = [Event(at=case.opened_at + step * (k + 1), kind="support_update") for k in range(n)]
    return case.model_copy(update={"events": tuple(events) + tuple(extra)})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test for CI")
    args = ap.parse_args()
    base = load()
    mean_events = sum(len(c.events) for c in base) / len(base)
    size = 600 if args.quick else 20_000
    repeats = 1 if args.quick else 5
    cases = (base * (size // len(base) + 1))[:size]
    t = timed(cases, repeats)
    print(
        f"check() over {size:,} cases ({mean_events:.1f} events each on average): "
        f"{t * 1e3:.0f} ms = {size / t:,.0f} cases/s"
    )
    t2 = timed(cases * 2, repeats)
    print(f"  twice the cases ({2 * size:,}): {t2 / t:.2f}x the time (linear: 2.00x)")
    small = cases[: size // 4]
    t_small = timed(small, repeats)
    long_cases = [stretched(c, 2) for c in small]
    t_long = timed(long_cases, repeats)
    print(
        f"  twice the events per case ({len(small):,} cases): {t_long / t_small:.2f}x the time "
        "(linear: about 2x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
