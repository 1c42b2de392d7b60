"""Case timelines: replay a case's events into deadlines, breaches and alerts.

A :class:`Case` is a severity, an opening instant, a :class:`~slocalc.policies.Customer`
and its :class:`Event` s. :func:`evaluate` replays it under a policy and reports each
target (the initial response and every update cycle) as it stands at ``now``;
:func:`check` does that for many cases and returns :class:`Alert` s for breached targets
and for targets at risk, and :func:`check_case` gives one case's alerts with its severity,
status and verdict at ``now``. :func:`read_cases` streams a JSON Lines or CSV export as
:class:`CaseRecord` s and :class:`InvalidLine` s (never raising mid-stream), or as
:class:`CaseBatch` es of columns checked many at a time (the columnar path),
:func:`case_from_dict` builds one case fast, and :func:`cases_from_frame` reads pandas
frames (see docs/scaling.md). Results are frozen dataclasses; they serialise with
``to_dict()``/``to_json()`` and, with pandas, to DataFrames (:func:`to_frame`). See
docs/cases.md.

>>> from datetime import datetime, timezone
>>> from slocalc.cases import case_from_dict, evaluate
>>> from slocalc.policies import RAPID7
>>> case = case_from_dict({  # a case as an export holds it (docs/cli.md)
...     "id": "C-42", "severity": 3, "customer": {"tz": "America/New_York", "country": "US"},
...     "opened_at": "2026-11-25T14:00:00-05:00",  # the day before Thanksgiving
...     "events": [{"at": "2026-11-30T09:00:00-05:00", "kind": "support_update"}],
... })
>>> report = evaluate(case, RAPID7, now=datetime(2026, 12, 1, 14, 0, tzinfo=timezone.utc))
>>> initial = report.initial_response  # 12 business hours: Wed 14-17, (Thanksgiving), Fri 8-17
>>> initial.due_at.isoformat(), initial.state, str(initial.breached_by)
('2026-11-27T17:00:00-05:00', 'breached', '2 days, 16:00:00')
>>> report.updates[0].due_at.isoformat()  # 5 business days after Monday 09:00
'2026-12-07T09:00:00-05:00'
"""

from slocalc.cases._batches import CaseBatch
from slocalc.cases._evaluate import DEFAULT_AT_RISK, at_risk_share, check, check_case, evaluate
from slocalc.cases._models import EVENT_KINDS, Case, Event, EventKind
from slocalc.cases._readers import (
    CSV_COLUMNS,
    CSV_REQUIRED,
    CaseReader,
    CaseRecord,
    InputFormat,
    InvalidLine,
    case_from_dict,
    cases_from_frame,
    read_cases,
)
from slocalc.cases._report import (
    Alert,
    AlertKind,
    CaseCheck,
    CaseReport,
    SkipReason,
    Step,
    StepKind,
    TargetResult,
    TargetState,
    Verdict,
    to_frame,
)

__all__ = [
    "CSV_COLUMNS",
    "CSV_REQUIRED",
    "DEFAULT_AT_RISK",
    "EVENT_KINDS",
    "Alert",
    "AlertKind",
    "Case",
    "CaseBatch",
    "CaseCheck",
    "CaseReader",
    "CaseRecord",
    "CaseReport",
    "Event",
    "EventKind",
    "InputFormat",
    "InvalidLine",
    "SkipReason",
    "Step",
    "StepKind",
    "TargetResult",
    "TargetState",
    "Verdict",
    "at_risk_share",
    "case_from_dict",
    "cases_from_frame",
    "check",
    "check_case",
    "evaluate",
    "read_cases",
    "to_frame",
]
