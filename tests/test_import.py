"""``import slocalc`` is cheap: layers load on first use, with the same public names.

What each import loads is checked in a fresh interpreter (``sys.modules`` after the
statement); how long it takes is measured by ``benchmarks/bench_import.py``, never here.
See docs/architecture.md.
"""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import slocalc

SRC = str(Path(__file__).resolve().parent.parent / "src")
HEAVY = ("pydantic", "holidays", "dateutil", "numpy", "argparse", "json")

#: the package's exports before issue 13 made them lazy, and where each one lives
EXPORTS = {
    "slocalc.calendars": ["ALWAYS", "NEVER", "BusinessCalendar", "Calendar", "RecurringCalendar"],
    "slocalc.cases": ["Alert", "Case", "CaseReport", "Event", "TargetResult", "check", "evaluate"],
    "slocalc.errors": [
        "CalendarSpecError",
        "MissingExtraError",
        "NaiveDatetimeError",
        "NaiveTimelineError",
        "NoBusinessTimeError",
        "PolicyError",
        "SlocalcError",
        "SlocalcTypeError",
        "SlocalcValueError",
        "TimelineError",
        "UnknownTimezoneError",
    ],
    "slocalc.policies": ["RAPID7", "Customer", "Policy"],
}


def loaded_after(statement: str, *args: str) -> dict[str, list[str]]:
    """Run ``statement`` in a fresh interpreter; the slocalc and heavy modules it imported."""
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        f"{statement}\n"
        "new = sorted(set(sys.modules) - before)\n"
        f"heavy = [m for m in {HEAVY!r} if m in new]\n"
        "print(repr({'slocalc': [m for m in new if m.split('.')[0] == 'slocalc'], 'heavy': heavy}))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    out: dict[str, list[str]] = ast.literal_eval(proc.stdout.splitlines()[-1])
    return out


# -- what each entry point loads -----------------------------------------------------------------


def test_import_slocalc_loads_no_layer() -> None:
    assert loaded_after("import slocalc") == {"slocalc": ["slocalc"], "heavy": []}


def test_an_export_loads_only_its_layer() -> None:
    loaded = loaded_after("from slocalc import SlocalcError")
    assert loaded["slocalc"] == ["slocalc", "slocalc.errors"]
    assert loaded["heavy"] == []


def test_calendars_do_not_import_pydantic() -> None:
    loaded = loaded_after(
        "from datetime import datetime, timedelta, timezone\n"
        "from slocalc.calendars import ALWAYS, BusinessCalendar\n"
        "cal = BusinessCalendar(tz='Europe/Dublin', hours='Mon-Fri 09:00-17:30')\n"
        "assert cal.add(datetime(2026, 3, 6, 16, tzinfo=timezone.utc), timedelta(hours=2)) is not None\n"
        "assert (cal | ALWAYS).is_open(datetime(2026, 3, 7, 12, tzinfo=timezone.utc))"
    )
    assert "pydantic" not in loaded["heavy"]
    assert "numpy" not in loaded["heavy"]  # only the vectorised *_many forms import numpy
    assert not [m for m in loaded["slocalc"] if m.startswith(("slocalc.policies", "slocalc.cases"))]


def test_calendars_import_holidays_only_for_country_holidays() -> None:
    build = "from slocalc.calendars import BusinessCalendar\nBusinessCalendar(tz='UTC', hours='Mon-Fri 09:00-17:00'{})"
    assert "holidays" not in loaded_after(build.format(""))["heavy"]
    assert (
        "holidays"
        not in loaded_after(build.format(", holidays=[__import__('datetime').date(2026, 1, 1)]"))["heavy"]
    )
    assert "holidays" in loaded_after(build.format(", holidays='IE'"))["heavy"]


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_imports_nothing_else(flag: str) -> None:
    # what the console script does: `from slocalc.cli import main; sys.exit(main())`
    statement = (
        "import contextlib, io\n"
        "from slocalc.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    assert main() == 0\n"
        "assert out.getvalue() == f'slocalc {__import__(\"slocalc\").__version__}\\n', out.getvalue()"
    )
    loaded = loaded_after(statement, flag)  # sys.argv[1:] == [flag]
    assert loaded == {"slocalc": ["slocalc", "slocalc.cli"], "heavy": []}


def test_version_flags_through_the_command() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    for flag in ("--version", "-V"):
        proc = subprocess.run(
            [sys.executable, "-m", "slocalc", flag],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"slocalc {slocalc.__version__}\n", "")


def test_version_flag_after_a_command_is_still_argparse() -> None:
    # only a leading --version takes the fast path; elsewhere argparse answers as before
    from slocalc.cli import build_parser

    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["deadline", "--version"])
    assert exc.value.code == 2


# -- the public names are unchanged --------------------------------------------------------------


def test_all_is_unchanged() -> None:
    expected = {name for names in EXPORTS.values() for name in names} | {"__version__"}
    assert sorted(slocalc.__all__) == sorted(expected)
    assert len(slocalc.__all__) == len(set(slocalc.__all__))


@pytest.mark.parametrize(
    ("home", "name"), [(home, name) for home, names in EXPORTS.items() for name in names]
)
def test_each_export_is_its_homes_object(home: str, name: str) -> None:
    assert getattr(slocalc, name) is getattr(importlib.import_module(home), name)


def test_star_import_gives_every_export() -> None:
    namespace: dict[str, object] = {}
    exec("from slocalc import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(slocalc.__all__)
    assert namespace["BusinessCalendar"] is slocalc.BusinessCalendar


def test_dir_lists_exports_and_subpackages() -> None:
    names = dir(slocalc)
    assert set(slocalc.__all__) <= set(names)
    assert {"calendars", "cases", "policies", "staffing", "errors"} <= set(names)
    assert names == sorted(names)


def test_subpackages_are_attributes_without_importing_them_first() -> None:
    loaded = loaded_after(
        "import slocalc\nassert slocalc.calendars.BusinessCalendar.__name__ == 'BusinessCalendar'"
    )
    assert "slocalc.calendars" in loaded["slocalc"]
    assert "pydantic" not in loaded["heavy"]


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'slocalc' has no attribute 'BusinessCalender'"):
        _ = slocalc.BusinessCalender  # type: ignore[attr-defined]
    assert not hasattr(slocalc, "_private_nothing")
