"""Issue 17's one-line wiring, applied at run time until it lands in the classes themselves.

The notebooks in ``examples/`` are written against the finished API (``report.plot()``,
``calendar.plot_week()``, rich displays, typed ``to_frame()``, ``rows.to_frame()`` on the
lists staffing returns, ``check(..., progress=True)``, ``Gap.duration``, ``due_at``).
``tests/test_notebooks.py`` and ``docs/hooks.py`` run this file in each notebook's kernel
before its first cell. Every line is a method the classes will carry
(``docs/notebooks/index.md`` lists them); once a class has it, its line is skipped, and when
all of them are in place this file does nothing and can be deleted.
"""

from __future__ import annotations

import functools
from typing import Any

import slocalc as _slocalc
import slocalc.cases as _cases
import slocalc.staffing as _staffing
from slocalc import _display as _d
from slocalc.calendars import Calendar
from slocalc.calendars.centers import CoverageSegment, Handoff, SupportCenter
from slocalc.cases import Alert, CaseReport
from slocalc.policies import Policy
from slocalc.staffing import ArrivalResult, BreachAnalysis, Comparison, CoverageRow, Gap, Scenario

APPLIED: list[str] = []


def _add(owner: Any, name: str, value: Any, *, replace: bool = False) -> None:
    if replace or not hasattr(owner, name):
        setattr(owner, name, value)
        APPLIED.append(f"{getattr(owner, '__name__', owner)}.{name}")


if not hasattr(CaseReport, "plot"):  # the marker: the wiring has not landed
    # renames of issue 13 (rules.md vocabulary)
    _add(Gap, "duration", property(lambda g: g.length))
    _add(ArrivalResult, "due_at", property(lambda r: r.deadline))

    # rich displays
    _add(Calendar, "_repr_html_", lambda self: _d.calendar_html(self))
    _add(Calendar, "week_view", lambda self, **kw: _d.HtmlView(_d.calendar_html(self, **kw)))
    _add(Calendar, "plot_week", lambda self, **kw: _d.plot_week(self, **kw))
    _add(Policy, "_repr_html_", lambda self: _d.policy_html(self))
    _add(CaseReport, "_repr_html_", lambda self: _d.report_html(self))
    _add(CaseReport, "__repr__", lambda self: _d.report_repr(self), replace=True)
    _add(CaseReport, "plot", lambda self, **kw: _d.plot_report(self, **kw))
    _add(CaseReport, "to_frame", lambda self, **kw: _d.reports_frame([self], **kw), replace=True)
    _add(Scenario, "_repr_html_", lambda self: _d.scenario_html(self))
    _add(BreachAnalysis, "_repr_html_", lambda self: _d.analysis_html(self))
    _add(Comparison, "_repr_html_", lambda self: _d.comparison_html(self))

    # typed frames for many reports or alerts
    def _to_frame(items: Any, **kw: Any) -> Any:
        seq = [items] if isinstance(items, (CaseReport, Alert)) else list(items)
        if seq and isinstance(seq[0], Alert):
            return _d.alerts_frame(seq, **kw)
        return _d.reports_frame(seq, **kw)

    _add(_cases, "to_frame", _to_frame, replace=True)

    # check(..., progress=True)
    _check = _cases.check

    @functools.wraps(_check)
    def _check_with_progress(cases: Any, policy: Any, *, progress: Any = None, **kw: Any) -> Any:
        return _check(_d.track(cases, progress=progress, desc="checking"), policy, **kw)

    _add(_cases, "check", _check_with_progress, replace=True)
    _add(_slocalc, "check", _check_with_progress, replace=True)

    # list-returning staffing functions return RecordList (a list with .to_frame()), and
    # take centers=None last (rules.md: the range asked about first, then the centers)
    def _records(fn: Any, *, html: Any = None, **columns: Any) -> Any:
        @functools.wraps(fn)
        def wrapped(*args: Any, **kw: Any) -> Any:
            if not args:
                kw.setdefault("centers", None)
            return _d.RecordList(fn(*args, **kw), html=html, **columns)

        return wrapped

    _add(
        _staffing,
        "coverage_table",
        _records(_staffing.coverage_table, html=_d.coverage_html, instant_columns=("start", "end")),
        replace=True,
    )
    _add(
        _staffing,
        "gaps",
        _records(_staffing.gaps, instant_columns=("start", "end"), span_columns=("duration", "length")),
        replace=True,
    )
    _add(_staffing, "handoffs", _records(_staffing.handoffs, instant_columns=("at",)), replace=True)

    del CoverageSegment, CoverageRow, Handoff, SupportCenter
