"""``CaseReport.explain``: how each deadline was reached, in words."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from slocalc.cases._run import hours

if TYPE_CHECKING:
    from slocalc.cases._report import CaseReport, TargetResult

__all__ = ["explain"]


def _t(dt: datetime | None) -> str:
    return "-" if dt is None else dt.isoformat()


def _d(d: timedelta) -> str:
    return hours(d)


def _status_line(t: TargetResult) -> str:
    if t.state == "met":
        return f"met at {_t(t.met_at)} (due {_t(t.due_at)})"
    if t.state == "breached":
        how = f"answered late at {_t(t.met_at)}" if t.met_at else "still unanswered"
        if t.met_at is None and t.ended_at is not None:
            how = f"stopped at {_t(t.ended_at)}"
        assert t.breached_by is not None
        return f"BREACHED by {_d(t.breached_by)} (due {_t(t.due_at)}; {how})"
    if t.state == "pending":
        assert t.remaining is not None
        return f"pending, due {_t(t.due_at)} ({_d(t.remaining)} of clock time left)"
    if t.state == "paused":
        assert t.remaining is not None
        return f"paused, {_d(t.remaining)} of clock time left when it resumes"
    if t.state == "stopped":
        return f"stopped at {_t(t.ended_at)} (was due {_t(t.due_at)})"
    return f"cancelled at {_t(t.ended_at)}"


def explain(report: CaseReport) -> str:
    """The text of :meth:`CaseReport.explain`."""
    head = f"Case {report.case_id} at {_t(report.now)}: severity {report.severity}, status {report.status}"
    if report.breaches:
        head += f", {report.breaches} breach{'es' if report.breaches != 1 else ''}"
    lines = [head]
    for t in report.targets:
        name = t.label[0].upper() + t.label[1:]
        lines.append(f"{name}: {_status_line(t)}")
        lines.append(f"  promise: {t.target} (clock {t.clock!r}, severity {t.severity}), from {_t(t.start)}")
        for step in t.history:
            due = "paused" if step.due_at is None else f"due {_t(step.due_at)}"
            lines.append(f"  {_t(step.at)}  {step.kind:<9} {step.note} -> {due}")
    if report.next_due_at is not None:
        lines.append(f"Next deadline: {_t(report.next_due_at)}")
    if report.auto_close_at is not None:
        lines.append(f"Eligible for auto-close (no customer activity) at {_t(report.auto_close_at)}")
    if report.reopen_until is not None:
        lines.append(f"A customer update reopens the case until {_t(report.reopen_until)}")
    for at in report.late_reopen_attempts:
        lines.append(f"Customer update at {_t(at)} came after the reopen window: the case stayed closed")
    if report.future_events:
        n = report.future_events
        lines.append(f"{n} event{'s' if n != 1 else ''} after now not replayed")
    return "\n".join(lines)
