"""Rich displays for notebooks: HTML renderers, matplotlib plots, typed DataFrames, progress.

A private package. The public classes delegate to it with one-line methods
(``_repr_html_``, ``plot``, ``plot_week``, ``to_frame``) and the long-running functions
take a ``progress=`` option served by :func:`track`; see docs/notebooks/index.md for what
users see. Nothing heavy is imported here: pandas, numpy and matplotlib are imported by the
function that needs them, the first time it runs.

* HTML (standard library only): :func:`calendar_html`, :func:`policy_html`,
  :func:`report_html`, :func:`reports_html`, :func:`analysis_html`,
  :func:`comparison_html`, :func:`coverage_html`, :func:`records_html`,
  :func:`scenario_html`, :class:`HtmlView` (a fragment that displays as HTML), and the
  text helpers :func:`report_repr`, :func:`fmt_instant`,
  :func:`fmt_span`;
* plots (matplotlib): :func:`plot_report`, :func:`plot_week`, :func:`heatmap`;
* frames (pandas): :func:`reports_frame`, :func:`alerts_frame`, :func:`records_frame`;
* progress: :func:`track` and :data:`ProgressArg`;
* :class:`RecordList`: the list a list-returning staffing function returns, with
  ``.to_frame()`` and a rich display.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slocalc._display._frames import alerts_frame, records_frame, reports_frame, zone_name
    from slocalc._display._html import (
        HtmlView,
        analysis_html,
        calendar_html,
        comparison_html,
        coverage_html,
        fmt_instant,
        fmt_span,
        policy_html,
        records_html,
        report_html,
        report_repr,
        reports_html,
        scenario_html,
    )
    from slocalc._display._plot import heatmap, plot_report, plot_week
    from slocalc._display._progress import ProgressArg, track
    from slocalc._display._records import RecordList

__all__ = [
    "HtmlView",
    "ProgressArg",
    "RecordList",
    "alerts_frame",
    "analysis_html",
    "calendar_html",
    "comparison_html",
    "coverage_html",
    "fmt_instant",
    "fmt_span",
    "heatmap",
    "plot_report",
    "plot_week",
    "policy_html",
    "records_frame",
    "records_html",
    "report_html",
    "report_repr",
    "reports_frame",
    "reports_html",
    "scenario_html",
    "track",
    "zone_name",
]

_HOME = {
    "ProgressArg": "_progress",
    "RecordList": "_records",
    "track": "_progress",
    "alerts_frame": "_frames",
    "records_frame": "_frames",
    "reports_frame": "_frames",
    "zone_name": "_frames",
    "heatmap": "_plot",
    "plot_report": "_plot",
    "plot_week": "_plot",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_HOME.get(name, '_html')}")
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
