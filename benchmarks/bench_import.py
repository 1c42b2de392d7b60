"""Import-time benchmark: what ``import slocalc`` and ``slocalc --version`` cost, as whole processes.

Each row is a fresh interpreter (``subprocess``), timed from start to exit, so it includes
the interpreter's own start-up; the rows run round-robin (one of each per round, so drift in
the machine's load hits every row alike) and the table shows medians and ratios:

* ``python -c pass``: a bare interpreter, the floor;
* ``import pydantic, holidays, zoneinfo, dateutil``: slocalc's runtime dependencies together;
* ``import slocalc``: goal within 1.3x of the dependencies row;
* ``from slocalc.calendars import BusinessCalendar``: goal without pydantic (checked, shown);
* ``slocalc --version``: goal within 3x of the bare interpreter (the console script next to
  this interpreter, else ``python -m slocalc``);
* ``from slocalc import Policy, check``: every layer a case check needs, for scale.

The slocalc measured is this checkout's (``src/`` goes first on ``PYTHONPATH``). Bytecode is
cached in a temporary ``PYTHONPYCACHEPREFIX`` filled by a warm-up round, so every row reads
compiled modules, as an installed package does, and the source tree is left untouched.
Asserts nothing about time; see docs/architecture.md for the goals.

Usage: ``python benchmarks/bench_import.py`` (``--quick`` for the CI smoke run,
``--runs N``, ``--profile`` to list the costliest imports of the slocalc rows).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


@dataclass(frozen=True)
class Row:
    """One measured process: a label and the command after the interpreter (or a script)."""

    label: str
    argv: tuple[str, ...]
    goal: str = ""


def rows() -> list[Row]:
    script = Path(sys.executable).parent / ("slocalc.exe" if os.name == "nt" else "slocalc")
    version = (
        (str(script), "--version") if script.exists() else (sys.executable, "-m", "slocalc", "--version")
    )
    py = sys.executable
    return [
        Row("python -c pass", (py, "-c", "pass")),
        Row(
            "import pydantic, holidays, zoneinfo, dateutil",
            (py, "-c", "import pydantic, holidays, zoneinfo, dateutil"),
        ),
        Row("import slocalc", (py, "-c", "import slocalc"), "<= 1.3x deps"),
        Row(
            "from slocalc.calendars import BusinessCalendar",
            (py, "-c", "from slocalc.calendars import BusinessCalendar"),
            "no pydantic",
        ),
        Row("slocalc --version" if script.exists() else "python -m slocalc --version", version, "<= 3x bare"),
        Row("from slocalc import Policy, check", (py, "-c", "from slocalc import Policy, check")),
    ]


def child_env(pycache: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME")
    }
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def run_once(row: Row, env: dict[str, str]) -> float:
    """Seconds from start to exit of one process; raises if the process fails."""
    t0 = time.perf_counter()
    proc = subprocess.run(row.argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{row.label!r} failed with exit status {proc.returncode}:\n{proc.stderr}")
    return elapsed


def loaded(env: dict[str, str], statement: str, modules: tuple[str, ...]) -> dict[str, bool]:
    """Which of ``modules`` a fresh interpreter has imported after ``statement``."""
    code = f"import sys\n{statement}\nprint(*[m in sys.modules for m in {modules!r}])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return dict(zip(modules, (word == "True" for word in out.stdout.split()), strict=True))


def profile(env: dict[str, str], statement: str, top: int = 12) -> list[tuple[int, str]]:
    """The ``top`` costliest imports (cumulative µs) of ``statement``, by ``python -X importtime``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    costs = []
    for line in proc.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            costs.append((int(parts[1]), parts[2].rstrip()))
    return sorted(costs, reverse=True)[:top]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 rounds: a smoke test for CI")
    ap.add_argument("--runs", type=int, default=None, help="rounds (default 21, --quick 3)")
    ap.add_argument("--profile", action="store_true", help="list the costliest imports of the slocalc rows")
    args = ap.parse_args()
    runs = args.runs or (3 if args.quick else 21)
    table = rows()
    with tempfile.TemporaryDirectory(prefix="slocalc-pycache-") as pycache:
        env = child_env(pycache)
        for row in table:  # warm-up: compile into the cache, fill the OS page cache
            run_once(row, env)
        times: dict[str, list[float]] = {row.label: [] for row in table}
        for _ in range(runs):
            for row in table:
                times[row.label].append(run_once(row, env))
        where = subprocess.run(
            [sys.executable, "-c", "import slocalc; print(slocalc.__file__)"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        heavy = ("pydantic", "holidays", "dateutil", "numpy", "argparse")
        after_calendars = loaded(env, "from slocalc.calendars import BusinessCalendar", heavy)
        after_import = loaded(env, "import slocalc", heavy)
        profiles = (
            {s: profile(env, s) for s in ("import slocalc", "from slocalc.calendars import BusinessCalendar")}
            if args.profile
            else {}
        )

    med = {label: statistics.median(ts) for label, ts in times.items()}
    bare, deps = med[table[0].label], med[table[1].label]
    print(f"Import cost, whole processes: median of {runs} rounds (python {sys.version.split()[0]}, {where})")
    print()
    width = max(len(row.label) for row in table)
    print(f"{'process':<{width}}  {'median':>9}  {'÷ bare':>7}  {'÷ deps':>7}  goal")
    for row in table:
        m = med[row.label]
        print(f"{row.label:<{width}}  {m * 1e3:7.1f}ms  {m / bare:6.2f}x  {m / deps:6.2f}x  {row.goal}")
    print()
    status = {True: "met", False: "MISSED"}
    print(
        f"import slocalc ÷ dependencies:   {med[table[2].label] / deps:.2f}x (goal <= 1.3x: {status[med[table[2].label] <= 1.3 * deps]})"
    )
    print(
        f"slocalc --version ÷ bare python: {med[table[4].label] / bare:.2f}x (goal <= 3x: {status[med[table[4].label] <= 3 * bare]})"
    )
    print(
        "from slocalc.calendars import BusinessCalendar imports pydantic: "
        f"{'yes (goal: no)' if after_calendars['pydantic'] else 'no (goal met)'}"
    )
    imported = ", ".join(m for m in heavy if after_calendars[m]) or "none"
    print(f"  heavy modules after it: {imported}")
    imported = ", ".join(m for m in heavy if after_import[m]) or "none"
    print(f"  heavy modules after import slocalc: {imported}")
    for statement, costs in profiles.items():
        print(f"\ncostliest imports of `{statement}` (cumulative, python -X importtime):")
        for us, name in costs:
            print(f"  {us / 1e3:8.1f}ms  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
