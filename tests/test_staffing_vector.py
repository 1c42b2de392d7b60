"""The vectorised breach grid of slocalc.staffing against the scalar engine, plus frames and plots.

The grid asks the engine's ``*_many`` forms and the policy's ``Deadline.due_many`` for arrays
of arrivals; every cell must agree exactly with the scalar calendar and policy calls,
including across DST changes and holidays. (The ``*_many`` forms themselves are tested
against their scalar forms in tests/test_calendar_many.py.)
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta

import pytest

from slocalc.errors import MissingExtraError
from slocalc.policies import RAPID7, Customer
from slocalc.staffing import (
    Scenario,
    compare,
    coverage_heatmap,
    coverage_table,
    structural_breaches,
    to_frame,
)

CUSTOMERS = [
    Customer(tz="America/New_York", country="US"),
    Customer(tz="Europe/Berlin", country="DE", subdiv="BY"),
    Customer(tz="Australia/Sydney", country="AU", subdiv="NSW"),
    Customer(tz="Asia/Kolkata", country="IN"),
    Customer(tz="America/Sao_Paulo", country="BR"),
]


def test_deadlines_and_breaches_match_scalar_policy_and_union() -> None:
    # Arrivals every 97 minutes over March-April 2026 (both DST seasons change), all
    # RAPID7 targets, a what-if scenario; check each cell against policy.due and the union.
    a = datetime(2026, 3, 1, 0, 7, tzinfo=UTC)
    b = datetime(2026, 4, 15, tzinfo=UTC)
    scen = Scenario.guidebook().without("belfast").closed_on("singapore", "Fri")
    labels = {c.tz: c for c in CUSTOMERS}
    res = structural_breaches(RAPID7, scen, CUSTOMERS, None, a, b, timedelta(minutes=97))
    union = scen.union()
    rows = res.results()
    assert len(rows) == len(res.arrivals) * len(CUSTOMERS) * 6
    for r in rows[::7]:
        cust = labels[r.customer]
        assert r.due_at == RAPID7.due(r.severity, r.metric, r.arrival, cust)
        assert r.first_response == union.next_open(r.arrival)
        assert r.staffed == union.between(r.arrival, r.due_at)
        assert r.breached == (r.first_response >= r.due_at)
        assert r.breached == (r.staffed == timedelta(0))


def test_calendar_days_targets_take_the_scalar_path() -> None:
    from slocalc.policies import Policy

    p = Policy(
        name="days",
        severities=[{"level": 1, "targets": {"initial_response": "2 calendar days", "update": "90 minutes"}}],
    )
    a = datetime(2026, 3, 27, tzinfo=UTC)
    cust = Customer(tz="Europe/London")
    res = structural_breaches(p, None, [cust], [1], a, a + timedelta(days=3), timedelta(hours=5))
    for r in res.results():
        assert r.due_at == p.due(1, r.metric, r.arrival, cust)


# -- frames and plots ------------------------------------------------------------------------

MON = datetime(2026, 1, 12, tzinfo=UTC)


def test_to_frame_summary_and_detail() -> None:
    res = structural_breaches(
        RAPID7, None, ["Europe/London", "Asia/Tokyo"], [1, 2], MON, MON + timedelta(days=7)
    )
    summary = res.to_frame()
    assert list(summary.columns) == [
        "scenario",
        "severity",
        "metric",
        "customer",
        "arrivals",
        "breached",
        "share",
    ]
    assert len(summary) == 2 * 2 * 2
    detail = res.to_frame(detail=True)
    assert len(detail) == 168 * 2 * 4
    assert list(detail.columns) == [
        "arrival",
        "customer",
        "severity",
        "metric",
        "due_at",
        "first_response",
        "staffed",
        "breached",
    ]
    assert str(detail["arrival"].dt.tz) == "UTC"
    assert int(detail["breached"].sum()) == sum(s.breached for s in res.summary())
    rows = to_frame(coverage_table(date(2026, 1, 14)))
    assert len(rows) == 168
    assert to_frame([]).empty


def test_to_frame_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'slocalc\[pandas\]'"):
        to_frame(coverage_table(date(2026, 1, 14)))
    with pytest.raises(ImportError):
        structural_breaches(RAPID7, None, ["UTC"], [1], MON, MON + timedelta(hours=1)).to_frame()


def test_heatmaps_return_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    base = Scenario.guidebook()
    fig = coverage_heatmap(date(2026, 1, 14), base, tz="Europe/London")
    assert isinstance(fig, Figure)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [*base.keys, "any"]
    cmp = compare(
        base,
        base.without("singapore"),
        RAPID7,
        ["Asia/Tokyo", "Europe/Paris"],
        [2],
        MON,
        MON + timedelta(days=7),
    )
    f1 = cmp.a.heatmap(2)
    f2 = cmp.heatmap(2, tz="UTC")
    assert isinstance(f1, Figure)
    assert isinstance(f2, Figure)
    assert "change in breached share" in f2.axes[0].get_title()
    plt.close("all")


def test_heatmap_without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(MissingExtraError, match=r"plots need matplotlib: pip install 'slocalc\[plot\]'"):
        coverage_heatmap(date(2026, 1, 14))
