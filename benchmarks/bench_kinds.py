"""Input-kind benchmark: columns of every kind against the numpy path, and ``due_many``.

Measures, in one process, best-of-N seconds for:

* ``add_many`` over N instants as a numpy ``datetime64`` array (the floor), a tz-aware
  pandas ``Series``, a ``DatetimeIndex``, a Polars ``Series`` and a pyarrow array, each with
  ~1% NaT; the ratio of each to the numpy path (goal: pandas within 1.5x);
* ``due_many`` over N rows with mixed severities (1-3 of RAPID7) and 20 customer
  zones/countries, in deadlines per second (goal: >= 1M/s per core), checked against
  ``policy.due`` row by row on a sample;
* scalar ``add`` with a plain ``datetime``, a pandas ``Timestamp`` and a pendulum
  ``DateTime``, in µs per call.

Nothing asserts a timing. Usage: ``python benchmarks/bench_kinds.py`` (1M rows) or
``--quick`` (100k rows, the CI smoke run).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from slocalc import BusinessCalendar
from slocalc.policies import RAPID7, Customer
from slocalc.policies._many import due_many

CUSTOMERS = [
    ("Europe/Berlin", "DE"),
    ("Europe/London", "GB"),
    ("Europe/Dublin", "IE"),
    ("Europe/Paris", "FR"),
    ("Europe/Madrid", "ES"),
    ("Europe/Warsaw", "PL"),
    ("America/New_York", "US"),
    ("America/Chicago", "US"),
    ("America/Los_Angeles", "US"),
    ("America/Sao_Paulo", "BR"),
    ("America/Toronto", "CA"),
    ("America/Mexico_City", "MX"),
    ("Asia/Kolkata", "IN"),
    ("Asia/Singapore", "SG"),
    ("Asia/Tokyo", "JP"),
    ("Asia/Dubai", "AE"),
    ("Australia/Sydney", "AU"),
    ("Australia/Adelaide", "AU"),
    ("Pacific/Auckland", "NZ"),
    ("Africa/Johannesburg", "ZA"),
]


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def starts_us(n: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lo = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()) * 1_000_000
    return lo + rng.integers(0, 365 * 86_400_000_000, size=n, dtype=np.int64)


def columns(u: np.ndarray, tz: str) -> dict[str, Any]:
    raw = u.view("datetime64[us]").copy()
    raw[::97] = np.datetime64("NaT")  # ~1% missing
    out: dict[str, Any] = {"numpy datetime64 (floor)": raw}
    idx = pd.DatetimeIndex(raw).tz_localize("UTC").tz_convert(tz)
    out["pandas Series (tz-aware)"] = pd.Series(idx, name="opened_at")
    out["pandas DatetimeIndex"] = idx
    try:
        import polars as pl

        out["Polars Series"] = (
            pl.Series("opened_at", raw).dt.replace_time_zone("UTC").dt.convert_time_zone(tz)
        )
    except ImportError:  # pragma: no cover
        print("# polars: not installed, skipped")
    try:
        import pyarrow as pa

        out["pyarrow timestamp array"] = pa.array(raw, type=pa.timestamp("us", tz=tz), from_pandas=True)
    except ImportError:  # pragma: no cover
        print("# pyarrow: not installed, skipped")
    return out


def bench_columns(n: int, repeat: int) -> None:
    cal = BusinessCalendar(tz="Europe/London", holidays="GB")
    d = timedelta(hours=4)
    cols = columns(starts_us(n), "Europe/London")
    cal.add_many(cols["numpy datetime64 (floor)"], d)  # compile the years once
    floor = None
    print(f"add_many over {n:,} instants (~1% NaT), best of {repeat}")
    print(f"{'container':32} {'seconds':>9} {'M rows/s':>9} {'÷ numpy':>8}")
    for name, col in cols.items():
        s = best(lambda col=col: cal.add_many(col, d), repeat)
        floor = floor or s
        print(f"{name:32} {s:9.3f} {n / s / 1e6:9.2f} {s / floor:8.2f}")


def bench_due_many(n: int, repeat: int) -> None:
    rng = random.Random(11)
    custs = [Customer(tz=z, country=c) for z, c in CUSTOMERS]
    sev = np.array([rng.choice((1, 2, 3)) for _ in range(n)], dtype=np.int64)
    cust = pd.Series([custs[rng.randrange(len(custs))] for _ in range(n)])
    raw = starts_us(n, 3).view("datetime64[us]")
    starts = pd.Series(pd.DatetimeIndex(raw).tz_localize("UTC"))
    due_many(RAPID7, sev, "initial_response", starts, cust)  # warm: compile each customer's years
    for metric in ("initial_response", "update"):
        s = best(lambda metric=metric: due_many(RAPID7, sev, metric, starts, cust), repeat)
        print(
            f"due_many RAPID7 {metric!r:20} {n:,} rows, 3 severities x 20 customer zones: "
            f"{s:.3f} s = {n / s / 1e6:.2f} M deadlines/s"
        )
    cats = cust.astype("category")
    s = best(lambda: due_many(RAPID7, sev, "update", starts, cats), repeat)
    print(
        f"due_many RAPID7 'update' (customers as a pandas categorical)   {n:,} rows: "
        f"{s:.3f} s = {n / s / 1e6:.2f} M deadlines/s"
    )
    got = due_many(RAPID7, sev, "update", starts, cust)
    sample = rng.sample(range(n), 300)
    bad = sum(
        got.iloc[i] != RAPID7.due(int(sev[i]), "update", starts.iloc[i].to_pydatetime(), cust.iloc[i])
        for i in sample
    )
    print(
        f"due_many == policy.due row by row on {len(sample)} sampled rows: {'agrees' if not bad else f'{bad} DIFFER'}"
    )


def bench_scalar(repeat: int) -> None:
    cal = BusinessCalendar(tz="Europe/London")
    lon = ZoneInfo("Europe/London")
    d = timedelta(hours=4)
    base = datetime(2026, 12, 4, 15, 0, tzinfo=lon)
    kinds: dict[str, Any] = {"datetime (ZoneInfo)": base, "pandas Timestamp": pd.Timestamp(base)}
    try:
        import pendulum

        kinds["pendulum DateTime"] = pendulum.instance(base)
    except ImportError:  # pragma: no cover
        pass
    loops = 20_000
    print(f"scalar add, µs per call (best of {repeat} x {loops:,})")
    for name, t in kinds.items():
        s = best(lambda t=t: [cal.add(t, d) for _ in range(loops)], repeat)
        print(f"  {name:22} {s / loops * 1e6:7.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100k rows, fewer repeats (CI smoke run)")
    ap.add_argument("--rows", type=int, default=None)
    args = ap.parse_args()
    n = args.rows or (100_000 if args.quick else 1_000_000)
    repeat = 2 if args.quick else 5
    bench_columns(n, repeat)
    bench_due_many(n, repeat)
    bench_scalar(repeat)


if __name__ == "__main__":
    main()
