"""Calendar benchmark: slocalc against its peers and against the minimal bisect floor.

Measures, in one process and one run, medians of µs per operation for:

* the *floor*: sorted integer intervals with cumulative business time, two ``bisect`` calls
  and the unavoidable datetime <-> integer conversions, written inline below;
* slocalc (scalar ``add``/``between`` on a warm calendar, a six-center union, an overnight
  calendar; batch ``add_many``/``between_many`` on numpy arrays; cold start);
* businesstimedelta, pandas ``CustomBusinessHour`` and timegrid, each when importable.

It installs nothing. Every implementation is also checked against the slow reference in
``tests/reference.py`` on a subset of inputs, and disagreements are reported (not fatal).

Usage: ``python benchmarks/bench_calendar.py`` (``--quick`` for the CI smoke run).
"""

from __future__ import annotations

import argparse
import bisect
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays as pyholidays

from slocalc import BusinessCalendar
from slocalc._time import ONE_US as _ONE_US

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

NY = ZoneInfo("America/New_York")
TZ = "America/New_York"
HOURS_4 = timedelta(hours=4)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def median_us(fn: Callable[[], object], ops: int, repeats: int) -> float:
    """Median over ``repeats`` runs of ``fn`` (which performs ``ops`` operations), µs/op."""
    fn()  # warm
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) / ops * 1e6)
    return statistics.median(runs)


# -- the floor: the minimal pure-Python design ---------------------------------------------


class Floor:
    """Sorted integer intervals + cumulative time + bisect; nothing else."""

    def __init__(self, intervals: list[tuple[int, int]]) -> None:
        self.starts = [s for s, _ in intervals]
        self.ends = [e for _, e in intervals]
        self.cum = []
        self.cumend = []
        acc = 0
        for s, e in intervals:
            self.cum.append(acc)
            acc += e - s
            self.cumend.append(acc)

    def busy(self, u: int) -> int:
        i = bisect.bisect_right(self.starts, u) - 1
        if i < 0:
            return 0
        e = self.ends[i]
        return self.cum[i] + (u if u < e else e) - self.starts[i]

    def add(self, t: datetime, d: timedelta) -> datetime:
        u = (t - EPOCH) // _ONE_US
        target = self.busy(u) + d // _ONE_US
        i = bisect.bisect_left(self.cumend, target)
        x = self.starts[i] + target - self.cum[i]
        q, r = divmod(x, 1_000_000)
        dt = datetime.fromtimestamp(q, t.tzinfo)
        return dt.replace(microsecond=r) if r else dt

    def between(self, a: datetime, b: datetime) -> timedelta:
        return _ONE_US * (self.busy((b - EPOCH) // _ONE_US) - self.busy((a - EPOCH) // _ONE_US))


def floor_for(cal: Any, years: range) -> Floor:
    ivs: list[tuple[int, int]] = []
    for s, e in cal._index.iter_intervals(
        (datetime(years.start, 1, 1, tzinfo=UTC) - EPOCH) // _ONE_US,
        (datetime(years.stop, 1, 1, tzinfo=UTC) - EPOCH) // _ONE_US,
    ):
        ivs.append((s, e))
    return Floor(ivs)


# -- peers ---------------------------------------------------------------------------------


def peer_businesstimedelta(hol: list[date]) -> dict[str, Callable[..., Any]] | None:
    try:
        import businesstimedelta as btd
        import pytz
    except ImportError:
        return None
    tz = pytz.timezone(TZ)
    work = btd.WorkDayRule(
        start_time=datetime.min.time().replace(hour=8),
        end_time=datetime.min.time().replace(hour=17),
        working_days=[0, 1, 2, 3, 4],
        tz=tz,
    )
    rule = btd.Rules([work, btd.HolidayRule(hol, tz=tz)])
    delta = btd.BusinessTimeDelta(rule, hours=4)
    return {
        "add": lambda t, d: t + delta,
        "between": lambda a, b: rule.difference(a, b).timedelta,
    }


def peer_pandas(hol: list[date]) -> dict[str, Callable[..., Any]] | None:
    try:
        import pandas as pd
    except ImportError:
        return None
    cbh = pd.offsets.CustomBusinessHour(start="08:00", end="17:00", holidays=hol, n=4)
    return {"add": lambda t, d: (pd.Timestamp(t) + cbh).to_pydatetime()}


def peer_timegrid(hol: list[date]) -> dict[str, Callable[..., Any]] | None:
    try:
        import timegrid
    except ImportError:
        return None
    from datetime import time as dtime

    cal = timegrid.TimeGridCalendar.weekdays(dtime(8), dtime(17))
    for h in hol:
        cal = cal.close(h)
    tl = cal.compile(datetime(2025, 1, 1), datetime(2028, 1, 1))
    four = timegrid.hours(4)

    # timegrid takes naive wall times: convert at the edges, as a user would.
    def add(t: datetime, d: timedelta) -> datetime:
        local = t.astimezone(NY).replace(tzinfo=None)
        return cal.add_work_duration(local, four).replace(tzinfo=NY)

    def between(a: datetime, b: datetime) -> timedelta:
        return tl.get_working_duration(
            a.astimezone(NY).replace(tzinfo=None), b.astimezone(NY).replace(tzinfo=None)
        )

    return {"add": add, "between": between}


# -- runs ----------------------------------------------------------------------------------


def random_instants(rng: random.Random, n: int, tz: ZoneInfo) -> list[datetime]:
    base = datetime(2026, 1, 5, tzinfo=UTC)
    out = []
    for _ in range(n):
        u = base + timedelta(seconds=rng.randrange(0, 330 * 86400))
        out.append(u.astimezone(tz))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test for CI")
    args = ap.parse_args()
    n = 200 if args.quick else 5000
    repeats = 3 if args.quick else 9
    peer_n = 20 if args.quick else 300
    rng = random.Random(20261126)

    hol = sorted(d for y in (2025, 2026, 2027) for d in pyholidays.country_holidays("US", years=y))
    cal = BusinessCalendar(tz=TZ, hours="Mon-Fri 08:00-17:00", holidays=hol)
    starts = random_instants(rng, n, NY)
    ends = [t + timedelta(seconds=rng.randrange(0, 30 * 86400)) for t in starts]
    for t in starts:  # warm: compile the years used
        cal.add(t, HOURS_4)
    floor = floor_for(cal, range(2025, 2028))

    # Every measurement is registered first and then run round-robin (one pass of each per
    # round), so that load from elsewhere on the machine hits all of them alike and the
    # ratios stay fair; each row is the median over the rounds.
    jobs: list[tuple[str, str, Callable[[], None], int]] = []

    def bench(name: str, op: str, fn: Callable[[datetime, Any], Any], xs: list, ys: list) -> None:
        def run() -> None:
            for x, y in zip(xs, ys, strict=True):
                fn(x, y)

        jobs.append((name, op, run, len(xs)))

    durs = [HOURS_4] * n
    bench("floor (minimal bisect)", "add", floor.add, starts, durs)
    bench("slocalc", "add", cal.add, starts, durs)
    bench("floor (minimal bisect)", "between", floor.between, starts, ends)
    bench("slocalc", "between", cal.between, starts, ends)

    peers = {
        "businesstimedelta": peer_businesstimedelta(hol),
        "pandas CustomBusinessHour": peer_pandas(hol),
        "timegrid (naive wall times)": peer_timegrid(hol),
    }
    for pname, impl in peers.items():
        if impl is None:
            print(f"# {pname}: not installed, skipped")
            continue
        if "add" in impl:
            bench(pname, "add", impl["add"], starts[:peer_n], durs[:peer_n])
        if "between" in impl:
            bench(pname, "between", impl["between"], starts[:peer_n], ends[:peer_n])

    # Unions and overnight shifts.
    try:
        from slocalc.calendars.centers import follow_the_sun

        fts = follow_the_sun()
    except ImportError:
        from slocalc.calendars import Union

        fts = Union(
            *(
                BusinessCalendar(tz=z, holidays=h)
                for z, h in (
                    ("Europe/London", ("GB", "NIR")),
                    ("Europe/Dublin", "IE"),
                    ("America/New_York", ("US", "MA")),
                    ("America/Chicago", ("US", "TX")),
                    ("America/Los_Angeles", ("US", "CA")),
                    ("Asia/Singapore", "SG"),
                )
            )
        )
    for t in starts:
        fts.add(t, HOURS_4)
    bench("slocalc follow_the_sun (6 centers)", "add", fts.add, starts, durs)
    bench("slocalc follow_the_sun (6 centers)", "between", fts.between, starts, ends)
    night = BusinessCalendar(tz="Europe/London", hours="Mon-Fri 22:00-06:00; Sat 08:00-12:00")
    for t in starts:
        night.add(t, HOURS_4)
    bench("slocalc overnight shifts", "add", night.add, starts, durs)
    bench("slocalc overnight shifts", "between", night.between, starts, ends)

    samples: list[list[float]] = [[] for _ in jobs]
    for _, _, run, _ in jobs:
        run()  # warm
    for _ in range(repeats):
        for k, (_, _, run, count) in enumerate(jobs):
            t0 = time.perf_counter()
            run()
            samples[k].append((time.perf_counter() - t0) / count * 1e6)
    rows = [(name, op, statistics.median(samples[k])) for k, (name, op, _, _) in enumerate(jobs)]

    # Table with ratios against the floor.
    floor_of = {op: us for name, op, us in rows if name.startswith("floor")}
    slo_of = {op: us for name, op, us in rows if name == "slocalc"}
    print(f"{'implementation':38s} {'op':8s} {'µs/op':>10s} {'÷ floor':>9s} {'÷ slocalc':>10s}")
    for name, op, us in rows:
        print(f"{name:38s} {op:8s} {us:10.2f} {us / floor_of[op]:9.2f} {us / slo_of[op]:10.2f}")

    # Cold start and memory.
    # A definition this process has not seen (nothing cached), holidays package warm.
    pyholidays.country_holidays("DE", subdiv="BE", years=2020)
    t0 = time.perf_counter()
    cold = BusinessCalendar(tz="Europe/Berlin", hours="Mon-Fri 08:30-17:30", holidays=("DE", "BE"))
    cold.add(datetime(2026, 6, 1, 9, tzinfo=UTC), HOURS_4)
    cold_ms = (time.perf_counter() - t0) * 1e3
    tracemalloc.start()
    mem_cal = BusinessCalendar(tz="Asia/Singapore", hours="Mon-Fri 08:00-12:00,13:00-17:00")
    before = tracemalloc.get_traced_memory()[0]
    mem_cal._index.chunk(2030)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"\ncold start (build + first query, Berlin with DE-BE holidays): {cold_ms:.1f} ms")
    print(
        "memory per compiled year (Mon-Fri with lunch break, ~520 intervals): "
        f"{(after - before) / 1024:.1f} KiB"
    )

    # Batch.
    try:
        import numpy as np
    except ImportError:
        print("# numpy not installed: batch skipped")
    else:
        m = 20_000 if args.quick else 1_000_000
        base = np.datetime64("2026-01-05T00:00:00", "us").astype(np.int64)
        arr = base + np.array([rng.randrange(0, 330 * 86400 * 10**6) for _ in range(m)], dtype=np.int64)
        arr2 = arr + np.array([rng.randrange(0, 30 * 86400 * 10**6) for _ in range(m)], dtype=np.int64)
        dts = arr.astype("datetime64[us]")
        cal.add_many(dts[:10], HOURS_4)
        t_add = median_us(lambda: cal.add_many(dts, HOURS_4), m, max(3, repeats // 3))
        t_bet = median_us(lambda: cal.between_many(arr, arr2), m, max(3, repeats // 3))
        print(
            f"batch add_many (datetime64, {m:,}): {1 / t_add:.2f} M ops/s; "
            f"between_many (int64): {1 / t_bet:.2f} M ops/s"
        )

    # Agreement with the slow reference on a subset.
    from reference import RefBusiness

    ref = RefBusiness(tz=TZ, hours="Mon-Fri 08:00-17:00", holidays=frozenset(hol))
    check_n = 20 if args.quick else 200
    impls: dict[str, dict[str, Callable[..., Any]]] = {
        "floor": {"add": floor.add, "between": floor.between},
        "slocalc": {"add": cal.add, "between": cal.between},
    }
    impls.update({k: v for k, v in peers.items() if v is not None})
    print("\nagreement with tests/reference.py on", check_n, "inputs:")
    for name, impl in impls.items():
        bad = 0
        for t, u in zip(starts[:check_n], ends[:check_n], strict=True):
            if "add" in impl and impl["add"](t, HOURS_4) != ref.add(t, HOURS_4):
                bad += 1
            if "between" in impl and impl["between"](t, u) != ref.between(t, u):
                bad += 1
        print(f"  {name:30s} {'agrees' if bad == 0 else f'{bad} disagreements'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
