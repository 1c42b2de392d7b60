"""Importing the calendar engine stays cheap: holidays, dateutil, numpy and pydantic load on
first use, never with ``slocalc.calendars`` itself.

The package ``slocalc`` is stubbed so that only the calendars package's own imports run
(what ``slocalc/__init__.py`` loads is measured by the import benchmark).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "slocalc"

PROBE = f"""
import sys, types
pkg = types.ModuleType("slocalc")
pkg.__path__ = [{str(SRC)!r}]
sys.modules["slocalc"] = pkg
import slocalc.calendars
heavy = ("holidays", "dateutil", "numpy", "pydantic")
print(",".join(m for m in heavy if m in sys.modules))
from datetime import date, datetime, timedelta, UTC
cal = slocalc.calendars.BusinessCalendar(tz="UTC", holidays=[date(2026, 1, 1)])
cal.add_days(datetime(2026, 1, 2, tzinfo=UTC), 3)
print(",".join(m for m in heavy if m in sys.modules))
slocalc.calendars.BusinessCalendar(tz="UTC", holidays="US")
slocalc.calendars.RecurringCalendar("FREQ=DAILY", start=datetime(2026, 1, 1, tzinfo=UTC),
                                    duration=timedelta(hours=1), tz="UTC")
print(",".join(m for m in heavy if m in sys.modules))
"""


def test_calendars_import_loads_no_heavy_dependency() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    bare, dated, used = out.stdout.splitlines()
    assert bare == ""
    assert dated == ""  # dates as holidays need no holidays package
    assert set(used.split(",")) == {"holidays", "dateutil"}  # loaded when first asked for
