"""Check a large export on a local Dask cluster, and compare with one process.

Writes COUNT realistic cases (``make_cases.py``, default 200,000) as JSON Lines files of
25,000 cases each into a temporary folder (or uses ``--folder``), checks them with
``slocalc.scale.dask.check_jsonl`` on a ``distributed.LocalCluster`` with 1 and then 2
worker processes, prints the wall time of each, and verifies that both give exactly the
alerts of single-process ``slocalc.cases.check`` (``--no-verify`` skips that).

Usage::

    python examples/scale_dask.py                       # 200,000 cases
    python examples/scale_dask.py --count 20000 --workers 1,2
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from slocalc.cases import CaseRecord, check, read_cases
from slocalc.policies import RAPID7
from slocalc.scale.dask import check_jsonl

NOW = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)
PER_FILE = 25_000


def write_export(folder: Path, count: int) -> list[Path]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import make_cases

    paths = []
    for i in range(0, count, PER_FILE):
        path = folder / f"cases-{i // PER_FILE:03d}.jsonl"
        if not path.exists():
            cases = make_cases.generate(min(PER_FILE, count - i), seed=1000 + i // PER_FILE)
            for case in cases:
                case["id"] = f"C-{i // PER_FILE:03d}-{case['id'][2:]}"
            with path.open("w", encoding="utf-8") as f:
                make_cases.write_jsonl(cases, f)
        paths.append(path)
    return paths


def single_process(paths: list[Path]) -> list[tuple[str, str, int, str, str]]:
    rows = []
    for path in paths:
        with read_cases(path) as reader:
            for record in reader:
                if isinstance(record, CaseRecord):
                    rows.extend(
                        (a.case_id, a.metric, a.cycle, a.kind, a.due_at.isoformat().replace("+00:00", "Z"))
                        for a in check([record.case], RAPID7, now=NOW)
                    )
    return sorted(rows)


def main() -> int:
    from distributed import Client, LocalCluster

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--workers", default="1,2", help="worker counts to time, e.g. 1,2")
    parser.add_argument("--folder", type=Path, help="where the export is written (kept)")
    parser.add_argument("--no-verify", action="store_true")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="slocalc-dask-"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = write_export(folder, args.count)
    results = {}
    for n in (int(w) for w in args.workers.split(",")):
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        with cluster, Client(cluster) as client:
            started = time.perf_counter()
            frame = client.compute(check_jsonl([str(p) for p in paths], RAPID7, now=NOW)).result()
            wall = time.perf_counter() - started
        results[n] = frame
        print(
            f"{n} worker(s): {args.count:,} cases in {wall:.1f} s ({args.count / wall:,.0f} cases/s), "
            f"{len(frame):,} alerts"
        )
    if not args.no_verify:
        expected = single_process(paths)
        for n, frame in results.items():
            got = sorted(
                zip(
                    frame["case_id"],
                    frame["metric"],
                    frame["cycle"].astype(int),
                    frame["kind"],
                    frame["due_at"],
                    strict=True,
                )
            )
            assert got == expected, f"{n} worker(s): alerts differ from single-process check"
        print(f"verified: every run equals single-process check ({len(expected):,} alerts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
