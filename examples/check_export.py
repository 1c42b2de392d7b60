"""Checking an export from Python: what ``slocalc check`` does, as a library call.

Reads ``examples/cases.jsonl`` (one case per line, the ``Case`` model's JSON), checks every
case under the guidebook policy at the export instant, and prints the unanswered breaches
and the cases at risk, then explains one case step by step.

Run: ``python examples/check_export.py``
"""

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from slocalc.cases import Case, check, evaluate
from slocalc.policies import RAPID7

EXPORT = Path(__file__).with_name("cases.jsonl")
NOW = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)  # the export instant: never the wall clock

with EXPORT.open(encoding="utf-8") as f:
    cases = [Case.model_validate_json(line) for line in f if line.strip()]

alerts = check(cases, RAPID7, now=NOW, at_risk=0.75)
kinds = Counter(a.kind for a in alerts)
print(
    f"{len(cases)} cases at {NOW:%Y-%m-%d %H:%M} UTC: {kinds['breached']} breached targets, {kinds['at_risk']} at risk"
)

overdue = sorted((a for a in alerts if a.kind == "breached" and a.met_at is None), key=lambda a: a.due_at)
print("\nStill unanswered past the deadline:")
for a in overdue:
    print(
        f"  {a.case_id}  sev {a.severity}  {a.metric:16}  due {a.due_at:%a %d %b %H:%M} UTC, {a.breached_by} ago"
    )

print("\nAt risk (75% of the time used):")
for a in (a for a in alerts if a.kind == "at_risk"):
    print(
        f"  {a.case_id}  sev {a.severity}  {a.metric:16}  due {a.due_at:%a %d %b %H:%M} UTC, {a.remaining} of clock time left"
    )

oldest = next(c for c in cases if c.id == overdue[0].case_id)
print(f"\nWhy {oldest.id} is breached:")
print(evaluate(oldest, RAPID7, now=NOW).explain())
