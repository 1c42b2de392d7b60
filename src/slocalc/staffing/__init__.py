"""What-if staffing analysis, for notebooks.

"What if Singapore closes on Fridays? What if Austin moves to 10:00–19:00? What if we drop
Belfast?" This module answers with:

* :class:`Scenario`: a named set of support centers, with what-if edits
  (:meth:`~Scenario.without`, :meth:`~Scenario.with_hours`, :meth:`~Scenario.closed_on`,
  :meth:`~Scenario.with_center`);
* :func:`coverage_table`: which centers are open at each step of a week (UTC or any zone);
* :func:`gaps`: when no center is open over a date range, holidays included;
* :func:`handoffs`: the week's handoff schedule;
* :func:`structural_breaches`: for a grid of arrivals and customer profiles, the targets
  no staffing of the centers could meet (no center open before the deadline);
* :func:`compare`: two scenarios side by side, with the differences and a written summary.

Results are lists of frozen dataclass records (a :class:`RecordList`: a ``list`` with a
``.to_frame()``); :func:`to_frame` and the ``to_frame`` methods turn them into typed pandas
DataFrames (``pip install 'slocalc[pandas]'``; see docs/notebooks/index.md), and
:func:`coverage_heatmap` and the ``heatmap`` methods draw hour-of-week heatmaps with
matplotlib (``pip install 'slocalc[plot]'``). Both are imported only when used. The
breach analysis needs numpy (installed with either extra).

>>> from datetime import UTC, datetime
>>> from slocalc.policies import RAPID7
>>> base = Scenario.guidebook()
>>> res = structural_breaches(
...     RAPID7, base.without("belfast", "dublin"), ["Europe/Berlin"], [2],
...     datetime(2026, 1, 12, tzinfo=UTC), datetime(2026, 1, 17, tzinfo=UTC),
... )
>>> for s in res.summary():
...     print(s.severity, s.metric, s.customer, f"{s.breached}/{s.arrivals}")
2 initial_response Europe/Berlin 5/120
2 update Europe/Berlin 0/120
>>> r = res.results(breached_only=True)[0]  # Boston opens exactly at the deadline
>>> print(r.arrival, r.due_at, r.first_response, r.staffed)
2026-01-12 09:00:00+00:00 2026-01-12 13:00:00+00:00 2026-01-12 13:00:00+00:00 0:00:00
"""

from slocalc._display import RecordList
from slocalc.staffing._breaches import (
    ArrivalResult,
    BreachAnalysis,
    BreachCell,
    BreachSummary,
    CustomersArg,
    HourShare,
    structural_breaches,
)
from slocalc.staffing._compare import Comparison, ComparisonRow, compare, coverage_heatmap
from slocalc.staffing._coverage import CoverageRow, Gap, coverage_table, gaps, handoffs, week_bounds
from slocalc.staffing._extras import to_frame
from slocalc.staffing._scenario import Scenario, StaffingArg

__all__ = [
    "ArrivalResult",
    "BreachAnalysis",
    "BreachCell",
    "BreachSummary",
    "Comparison",
    "ComparisonRow",
    "CoverageRow",
    "CustomersArg",
    "Gap",
    "HourShare",
    "RecordList",
    "Scenario",
    "StaffingArg",
    "compare",
    "coverage_heatmap",
    "coverage_table",
    "gaps",
    "handoffs",
    "structural_breaches",
    "to_frame",
    "week_bounds",
]
