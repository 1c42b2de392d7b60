"""End to end: ``slocalc check`` on realistic exports of 10k, 200k and 1M cases.

For each size it runs ``slocalc check FILE --now ... --format json`` as a whole process
(output to /dev/null; ``--output json,table`` also times the README's default table, one
line per output) and reports wall time, peak RSS (the child's ``ru_maxrss``), cases a
second, and, in the same run, the time the standard library's ``json.loads`` alone needs
to parse the same file line by line (the ratio ``slocalc/json`` is the number to watch:
the goal in docs/scaling.md is 2.5 or less). Then, in this process, the throughput of the
streaming readers alone: ``read_cases`` iterated (parse, validate and build every ``Case``)
and ``CaseReader.batches`` (parse and validate into the columns ``slocalc check`` reads).

The exports come from ``examples/make_cases.py`` (about 8 events a case, the guidebook's
status paths), generated in chunks of 50,000 cases with their own seeds (ids made unique
per chunk), and cached in ``$SLOCALC_BENCH_CACHE`` (default: a ``slocalc-bench`` folder in
the system's temporary directory): a 1M-case file takes minutes to generate.

Usage::

    python benchmarks/bench_check_e2e.py                  # 10k, 200k, 1M
    python benchmarks/bench_check_e2e.py --quick          # CI: 10k only
    python benchmarks/bench_check_e2e.py --sizes 10000,200000 --format csv
    python benchmarks/bench_check_e2e.py --output json,table   # also the default output

Nothing here asserts a time: it prints a table (and ``--json`` writes the numbers).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-03-31T17:00:00Z"  # make_cases.EXPORT_AT
CHUNK = 50_000


def _make_cases() -> Any:
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import make_cases
    finally:
        sys.path.pop(0)
    return make_cases


def _chunk(args: tuple[int, int, str]) -> str:
    """Generate one chunk of cases as JSON Lines text (ids unique across chunks)."""
    index, count, fmt = args
    make_cases = _make_cases()
    cases = make_cases.generate(count, seed=20260331 + index)
    for case in cases:
        case["id"] = f"C-{index:03d}-{case['id'][2:]}"
    import io

    out = io.StringIO()
    (make_cases.write_csv if fmt == "csv" else make_cases.write_jsonl)(cases, out)
    text = out.getvalue()
    if fmt == "csv" and index > 0:
        text = text.split("\n", 1)[1]  # one header for the whole file
    return text


def export(size: int, fmt: str, cache: Path, workers: int) -> Path:
    """A realistic export of ``size`` cases, generated once and cached."""
    path = cache / f"cases-{size}.{fmt}"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    chunks = [(i, min(CHUNK, size - i * CHUNK), fmt) for i in range((size + CHUNK - 1) // CHUNK)]
    tmp = path.with_suffix(".part")
    started = time.perf_counter()
    with tmp.open("w", encoding="utf-8", newline="") as f, ProcessPoolExecutor(workers) as pool:
        for text in pool.map(_chunk, chunks):
            f.write(text)
    tmp.rename(path)
    print(f"# generated {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


#: runs its arguments as a child and prints the child's peak RSS (KiB on Linux): a fresh
#: parent, so no earlier child (e.g. the export generators) counts
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def run_check(path: Path, fmt: str, output: str = "json") -> dict[str, Any]:
    """``slocalc check`` as a whole process, writing ``output``: wall time and peak RSS."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "slocalc", "check", str(path), "--now", NOW, "--format", output]
    cmd += ["--input-format", fmt, "--no-progress"]
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, *cmd], capture_output=True, env=env, check=False, text=True
    )
    wall = time.perf_counter() - started
    code, peak = proc.stdout.split()[-2:]
    if code not in ("0", "1"):
        raise SystemExit(f"slocalc check failed ({code}): {proc.stderr[-2000:]}")
    return {"wall_s": wall, "peak_rss_mb": int(peak) / 1024}


def json_parse_time(path: Path) -> float:
    """Seconds for stdlib ``json.loads`` on every line (the floor the CLI is measured to)."""
    loads = json.loads
    started = time.perf_counter()
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                loads(line)
    return time.perf_counter() - started


def csv_parse_time(path: Path) -> float:
    """Seconds for the stdlib ``csv`` module to split every row (the CSV floor)."""
    import csv

    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as f:
        for _ in csv.reader(f):
            pass
    return time.perf_counter() - started


def readers_time(path: Path, limit: int) -> tuple[int, float]:
    """Cases and seconds for the streaming readers to build the first ``limit`` cases."""
    sys.path.insert(0, str(ROOT / "src"))
    from slocalc.cases import CaseRecord, read_cases

    n = 0
    gc.collect()
    started = time.perf_counter()
    with read_cases(path) as reader:
        for item in reader:
            n += isinstance(item, CaseRecord)
            if n >= limit:
                break
    return n, time.perf_counter() - started


def batches_time(path: Path, limit: int) -> tuple[int, float]:
    """Cases and seconds for ``CaseReader.batches`` (the columns ``slocalc check`` reads:
    parsed and validated, no ``Case`` objects) to hold the first ``limit`` cases."""
    sys.path.insert(0, str(ROOT / "src"))
    from slocalc.cases import read_cases

    n = 0
    gc.collect()
    started = time.perf_counter()
    with read_cases(path) as reader:
        for batch in reader.batches():
            n += len(batch)
            if n >= limit:
                break
    return n, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="CI: 10k cases only")
    parser.add_argument("--sizes", help="comma-separated case counts (default 10000,200000,1000000)")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument(
        "--output",
        default="json",
        help="slocalc check's --format, comma-separated for several (json,table,csv)",
    )
    parser.add_argument("--cache", type=Path, default=None, help="where exports are kept")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="generator processes")
    parser.add_argument("--readers-limit", type=int, default=200_000, help="cases for the readers-only run")
    parser.add_argument("--skip-check", action="store_true", help="readers and json only (no CLI runs)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args(argv)
    sizes = [10_000] if args.quick else [int(s) for s in (args.sizes or "10000,200000,1000000").split(",")]
    outputs = args.output.split(",")
    if not set(outputs) <= {"json", "table", "csv"}:
        parser.error(f"--output {args.output!r}: expected json, table or csv, comma-separated")
    cache = args.cache or Path(
        os.environ.get("SLOCALC_BENCH_CACHE", Path(tempfile.gettempdir()) / "slocalc-bench")
    )
    rows = []
    print(
        f"# python {sys.version.split()[0]}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}; now {NOW}"
    )
    header = (
        f"{'cases':>9} {'out':>5} {'file MB':>8} {'check s':>8} {'cases/s':>9} {'peak MB':>8} "
        f"{'json s':>7} {'ratio':>6} {'readers/s':>10} {'batches/s':>10}"
    )
    print(header)
    for size in sorted(sizes):
        path = export(size, args.format, cache, args.workers)
        mb = path.stat().st_size / 1e6
        floor = json_parse_time(path) if args.format == "jsonl" else csv_parse_time(path)
        read_n, read_s = readers_time(path, min(size, args.readers_limit))
        batch_n, batch_s = batches_time(path, min(size, args.readers_limit))
        row: dict[str, Any] = {
            "cases": size,
            "format": args.format,
            "file_mb": mb,
            "parse_floor_s": floor,
            "readers_cases": read_n,
            "readers_s": read_s,
            "readers_cases_per_s": read_n / read_s,
            "batches_cases_per_s": batch_n / batch_s,
        }
        for output in [None] if args.skip_check else outputs:
            this = dict(row)
            if output is not None:
                this["output"] = output
                this.update(run_check(path, args.format, output))
                this["cases_per_s"] = size / this["wall_s"]
                this["ratio"] = this["wall_s"] / floor
            rows.append(this)
            check = (
                f"{this['wall_s']:8.1f} {this['cases_per_s']:9,.0f} {this['peak_rss_mb']:8.0f} "
                if "wall_s" in this
                else f"{'-':>8} {'-':>9} {'-':>8} "
            )
            ratio = f"{this['ratio']:6.1f}" if "ratio" in this else f"{'-':>6}"
            print(
                f"{size:9,d} {output or '-':>5} {mb:8.1f} {check}{floor:7.2f} {ratio}"
                f" {this['readers_cases_per_s']:10,.0f} {this['batches_cases_per_s']:10,.0f}",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
