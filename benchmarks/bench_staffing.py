"""Staffing benchmark: structural-breach analysis over a year of hourly arrivals.

The workload of issue 10: a year of hourly arrivals (8,760) × 20 customer zones (with their
public holidays) × 3 severities × 2 targets (RAPID7: initial response and update cadence)
= 1,051,200 deadlines, each checked against the follow-the-sun union of the six centers.
Goal: seconds, not minutes.

Prints wall-clock seconds for a cold run (calendars and holidays compiled on first use), a
warm run, the summaries, the hour-of-week table, the detailed DataFrame (when pandas is
installed), and a two-scenario ``compare``. Also times the scalar path (``policy.due`` and
``union.next_open``/``between`` per arrival) on a sample and extrapolates it to the whole
grid, to show what the vectorised path saves. Installs nothing; asserts no timing.

Usage: ``python benchmarks/bench_staffing.py`` (``--quick`` for the CI smoke run: one month,
five zones).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slocalc.policies import RAPID7, Customer
from slocalc.staffing import Scenario, compare, structural_breaches

ZONES: list[tuple[str, str | None, str | None]] = [
    ("America/New_York", "US", None),
    ("America/Chicago", "US", None),
    ("America/Denver", "US", None),
    ("America/Los_Angeles", "US", "CA"),
    ("America/Toronto", "CA", "ON"),
    ("America/Mexico_City", "MX", None),
    ("America/Sao_Paulo", "BR", None),
    ("Europe/London", "GB", None),
    ("Europe/Dublin", "IE", None),
    ("Europe/Paris", "FR", None),
    ("Europe/Berlin", "DE", "BY"),
    ("Europe/Stockholm", "SE", None),
    ("Africa/Johannesburg", "ZA", None),
    ("Asia/Dubai", "AE", None),
    ("Asia/Kolkata", "IN", None),
    ("Asia/Singapore", "SG", None),
    ("Asia/Tokyo", "JP", None),
    ("Asia/Seoul", "KR", None),
    ("Australia/Sydney", "AU", "NSW"),
    ("Pacific/Auckland", "NZ", None),
]
H = timedelta(hours=1)


def timed(label: str, fn: Callable[[], Any]) -> Any:
    t0 = time.perf_counter()
    out = fn()
    print(f"  {label:<52} {time.perf_counter() - t0:8.3f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="CI smoke run: one month, five zones")
    args = parser.parse_args()

    zones = ZONES[::4] if args.quick else ZONES
    a = datetime(2026, 1, 1, tzinfo=UTC)
    b = datetime(2026, 2, 1, tzinfo=UTC) if args.quick else datetime(2027, 1, 1, tzinfo=UTC)
    customers = [Customer(tz=tz, country=c, subdiv=s) for tz, c, s in zones]
    base = Scenario.guidebook()
    what_if = base.closed_on("singapore", "Fri")
    n_arrivals = int((b - a) / H)
    cells = n_arrivals * len(customers) * 6
    print(
        f"structural breaches: {n_arrivals:,} hourly arrivals x {len(customers)} customer zones x "
        f"3 severities x 2 targets = {cells:,} deadlines"
    )

    res = timed(
        "structural_breaches, cold (compiles calendars)",
        lambda: structural_breaches(RAPID7, base, customers, None, a, b),
    )
    res = timed("structural_breaches, warm", lambda: structural_breaches(RAPID7, base, customers, None, a, b))
    summary = timed("summary() per severity x target x zone", res.summary)
    timed("by_hour_of_week(2) per zone, customer clocks", lambda: res.by_hour_of_week(2))
    if importlib.util.find_spec("pandas") is not None:
        timed("import pandas", lambda: importlib.import_module("pandas"))
        timed(f"to_frame(detail=True), {cells:,} rows", lambda: res.to_frame(detail=True))
    else:
        print("  to_frame(detail=True): skipped, pandas not installed")
    cmp = timed(
        "compare(guidebook, singapore closed on Fri)",
        lambda: compare(base, what_if, RAPID7, customers, None, a, b),
    )

    # the scalar path on a sample, extrapolated
    union = base.union()
    sample = [a + k * H for k in range(0, n_arrivals, max(1, n_arrivals // 200))]
    t0 = time.perf_counter()
    for t in sample:
        first = union.next_open(t)
        for cust in customers:
            for sev in RAPID7.levels:
                for metric in ("initial_response", "update"):
                    due = RAPID7.due(sev, metric, t, cust)
                    union.between(t, due)
                    _ = first < due
    per_cell = (time.perf_counter() - t0) / (len(sample) * len(customers) * 6)
    print(f"  {'scalar path, extrapolated from a sample':<52} {per_cell * cells:8.3f} s")

    worst = max(summary, key=lambda s: s.share)
    print(
        f"worst cell: severity {worst.severity} {worst.metric} {worst.customer}: "
        f"{100 * worst.share:.1f}% of arrivals structurally breached"
    )
    print(cmp.describe(top=2))


if __name__ == "__main__":
    main()
