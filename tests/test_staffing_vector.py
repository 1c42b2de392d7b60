"""The vectorised paths of slocalc.staffing against the scalar engine, plus frames and plots.

The staffing module answers next_open, add_days and policy deadlines for arrays of
instants with numpy; every one must agree exactly with the scalar calendar and policy
calls, including across DST changes, holidays, overnight shifts and boundaries that fall
in a spring-forward gap.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from slocalc import BusinessCalendar
from slocalc._time import from_us, to_us
from slocalc.calendars.centers import follow_the_sun
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
from slocalc.staffing._vector import NEVER_US, add_days_many, next_open_many

US_PER_MIN = 60_000_000
START = to_us(datetime(2025, 12, 20, tzinfo=UTC))


def _instants(seed: int, n: int = 600) -> np.ndarray:
    """Random instants over ~15 months: minute-aligned, plus exact hour marks."""
    rng = np.random.default_rng(seed)
    minutes = rng.integers(0, 460 * 24 * 60, size=n)
    hours = rng.integers(0, 460 * 24, size=n // 3) * 60
    return START + np.concatenate([minutes, hours]).astype(np.int64) * US_PER_MIN


CALENDARS = [
    BusinessCalendar(tz="America/New_York", holidays=("US", "MA")),
    BusinessCalendar(tz="Pacific/Auckland", holidays="NZ"),
    BusinessCalendar(tz="Australia/Lord_Howe"),  # 30-minute DST shift
    BusinessCalendar(tz="Europe/London", hours="Mon-Fri 22:00-06:00"),  # overnight shifts
    BusinessCalendar(tz="America/New_York", hours="Sun 02:00-04:00; Wed 09:00-10:00"),  # in the DST gap
    BusinessCalendar(tz="Asia/Kolkata", hours="Mon-Sat 09:30-18:30", holidays="IN"),
]


@pytest.mark.parametrize("cal", CALENDARS, ids=repr)
def test_next_open_many_matches_scalar(cal: BusinessCalendar) -> None:
    u = _instants(1)
    got = next_open_many(np, cal, u)
    want = [to_us(cal.next_open(from_us(int(v)))) for v in u]
    assert got.tolist() == want


def test_next_open_many_on_unions_and_differences() -> None:
    u = _instants(2)
    for cal in (follow_the_sun(), Scenario.guidebook().closed_on("singapore", "Fri").union()):
        got = next_open_many(np, cal, u)
        assert got.tolist() == [to_us(cal.next_open(from_us(int(v)))) for v in u]


def test_next_open_many_never_opens() -> None:
    never = BusinessCalendar(tz="UTC", hours="closed")
    got = next_open_many(np, never, _instants(3, 5))
    assert (got == NEVER_US).all()


@pytest.mark.parametrize("cal", CALENDARS, ids=repr)
@pytest.mark.parametrize("n", [1, 3, 5])
def test_add_days_many_matches_scalar(cal: BusinessCalendar, n: int) -> None:
    u = _instants(10 + n, 300)
    got = add_days_many(np, cal, u, n)
    want = [to_us(cal.add_days(from_us(int(v)), n)) for v in u]
    assert got.tolist() == want


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


ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Africa/Casablanca",
    "UTC",
]


@pytest.mark.parametrize("name", ZONES)
def test_zone_table_matches_zoneinfo_and_the_boundary_rule(name: str) -> None:
    from zoneinfo import ZoneInfo

    from slocalc._time import naive_to_us, wall_to_us
    from slocalc.staffing._vector import ZoneTable

    zone = ZoneInfo(name)
    lo, hi = to_us(datetime(2025, 1, 1, tzinfo=UTC)), to_us(datetime(2027, 1, 1, tzinfo=UTC))
    table = ZoneTable(np, zone, lo, hi)
    # every quarter hour of two years: offsets, and walls placed by the boundary rule
    u = np.arange(lo, hi, 15 * US_PER_MIN, dtype=np.int64)
    want = [from_us(int(v), zone).utcoffset() // timedelta(microseconds=1) for v in u[::7]]  # type: ignore[operator]
    assert table.offsets(u[::7]).tolist() == want
    walls = u[::5] + 7 * US_PER_MIN  # wall readings, not instants: gaps and folds included
    naive = [datetime(1970, 1, 1) + timedelta(microseconds=int(w)) for w in walls]
    assert [naive_to_us(n) for n in naive[:3]] == walls[:3].tolist()
    assert table.place(walls).tolist() == [wall_to_us(zone, n) for n in naive]
