"""Image tests: each plot renders with Agg, with the expected axes, labels and artists."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from slocalc import RAPID7, BusinessCalendar, Case, Customer, Event, evaluate
from slocalc._display import heatmap, plot_report, plot_week
from slocalc.calendars.centers import CENTERS, follow_the_sun

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
np = pytest.importorskip("numpy")
plt = pytest.importorskip("matplotlib.pyplot")
mdates = pytest.importorskip("matplotlib.dates")


@pytest.fixture(autouse=True)
def _close_figures() -> Any:
    yield
    plt.close("all")


def _render(fig: Any) -> None:
    fig.canvas.draw()  # layout and text really happen; a bad artist fails here
    width, height = fig.canvas.get_width_height()
    assert width > 100
    assert height > 100


def _labels(ticks: Any) -> list[str]:
    return [t.get_text() for t in ticks]


def _by_label(ax: Any, label: str) -> Any:
    (found,) = [c for c in ax.collections if c.get_label() == label]
    return found


def _t(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=UTC)


def test_report_timeline_cycles_pauses_due_and_breaches() -> None:
    # Severity 1 (24x7). Initial response due 10:00, met 09:00. Update #1 from 09:00, due 13:00,
    # paused 10:00-11:30 (so due 14:30), never answered: breached at 15:00.
    case = Case(
        id="C-5",
        severity=1,
        opened_at=_t(8),
        customer=Customer(tz="UTC"),
        events=[
            Event(at=_t(9), kind="support_update"),
            Event(at=_t(10), kind="status", status="waiting_on_customer"),
            Event(at=_t(11, 30), kind="customer_update"),
        ],
    )
    fig = plot_report(evaluate(case, RAPID7, now=_t(15)))
    _render(fig)
    ax = fig.axes[0]
    assert _labels(ax.get_yticklabels()) == ["initial response (met)", "update #1 (breached)"]
    assert ax.get_title() == "Case C-5: severity 1, in_progress, 1 breach"
    assert ax.get_xlabel() == "time (UTC)"
    assert len(ax.containers) == 1
    assert len(ax.containers[0]) == 2  # one bar per target
    (pause,) = [c for c in ax.collections if c.get_label() == "paused"]
    assert len(pause.get_paths()) == 1
    due = _by_label(ax, "due").get_offsets()
    assert [mdates.num2date(x).replace(tzinfo=UTC) for x in due[:, 0]] == [_t(10), _t(14, 30)]
    assert len(_by_label(ax, "answered").get_offsets()) == 1
    late = _by_label(ax, "breached").get_offsets()
    assert mdates.num2date(late[0, 0]) == _t(14, 30)
    assert late[0, 1] == 1  # on update #1's row
    (now,) = [line for line in ax.lines if line.get_label() == "now"]
    assert mdates.num2date(now.get_xdata()[0]) == _t(15)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert set(legend) == {"running (colour: state)", "paused", "due", "answered", "breached", "now"}


def test_report_timeline_long_after_the_case_names_now_instead_of_drawing_it() -> None:
    case = Case(
        id="C-9",
        severity=1,
        opened_at=_t(8),
        customer=Customer(tz="UTC"),
        events=[Event(at=_t(9), kind="support_update"), Event(at=_t(9), kind="status", status="closed")],
    )
    fig = plot_report(evaluate(case, RAPID7, now=datetime(2026, 6, 1, tzinfo=UTC)))
    _render(fig)
    ax = fig.axes[0]
    assert not [line for line in ax.lines if line.get_label() == "now"]
    assert [t.get_text() for t in ax.texts] == ["now: 2026-06-01 00:00 →"]
    _, hi = ax.get_xlim()
    assert mdates.num2date(hi) < datetime(2026, 3, 3, tzinfo=UTC)


def test_plot_week_single_zone_calendar_with_holiday() -> None:
    cal = BusinessCalendar(tz="America/New_York", holidays=("US", "MA"))
    fig = plot_week(cal, week_of=date(2026, 11, 25))
    _render(fig)
    ax = fig.axes[0]
    assert _labels(ax.get_yticklabels()) == [
        "Mon 23 Nov",
        "Tue 24 Nov",
        "Wed 25 Nov",
        "Thu 26 Nov (holiday)",
        "Fri 27 Nov",
        "Sat 28 Nov",
        "Sun 29 Nov",
    ]
    assert ax.get_xlabel() == "local time (America/New_York)"
    assert len(ax.collections) == 7  # one row of bars per day
    counts = [len(c.get_paths()) for c in ax.collections]
    assert counts == [1, 1, 1, 0, 1, 0, 0]
    (monday,) = ax.collections[0].get_paths()
    xs = monday.vertices[:, 0]
    assert (xs.min(), xs.max()) == (8.0, 17.0)


def test_plot_week_overnight_shift_across_the_autumn_change_reads_wall_clock() -> None:
    # Saturday 22:00 BST to Sunday 06:00 GMT: the UK falls back at 02:00 on 2026-10-25
    night = BusinessCalendar(tz="Europe/London", hours="Sat 22:00-06:00")
    fig = plot_week(night, week_of=date(2026, 10, 22))
    _render(fig)
    ax = fig.axes[0]
    assert _labels(ax.get_yticklabels())[5:] == ["Sat 24 Oct", "Sun 25 Oct (25h day)"]
    saturday, sunday = (ax.collections[i].get_paths()[0].vertices[:, 0] for i in (5, 6))
    assert (saturday.min(), saturday.max()) == (22.0, 24.0)
    assert (sunday.min(), sunday.max()) == (0.0, 6.0)


def test_plot_week_union_rows_per_member_with_dates() -> None:
    members = [(k, CENTERS[k].calendar) for k in ("belfast", "singapore")]
    fig = plot_week(follow_the_sun(["belfast", "singapore"]), week_of=date(2026, 1, 14), members=members)
    _render(fig)
    ax = fig.axes[0]
    assert _labels(ax.get_yticklabels()) == ["belfast", "singapore", "any"]
    assert _labels(ax.get_xticklabels()) == [
        "Mon 12 Jan",
        "Tue 13 Jan",
        "Wed 14 Jan",
        "Thu 15 Jan",
        "Fri 16 Jan",
        "Sat 17 Jan",
        "Sun 18 Jan",
    ]
    assert ax.get_xlabel() == "week of 2026-01-12 (UTC)"
    # Belfast and Singapore: five weekdays each; "any": five stretches 00:00-17:00 UTC
    assert [len(c.get_paths()) for c in ax.collections] == [5, 5, 5]


def test_heatmap_labels_dates_for_one_week() -> None:
    matrix = np.zeros((2, 168))
    matrix[0, 8:17] = 1
    fig = heatmap(matrix, ["a", "b"], title="t", colorbar="open", week_start=date(2026, 1, 12))
    _render(fig)
    ax = fig.axes[0]
    assert _labels(ax.get_xticklabels())[:2] == ["Mon 12 Jan", "Tue 13 Jan"]
    assert len(fig.axes) == 2  # the heatmap and its colour bar
    assert len(ax.images) == 1
    assert len(ax.texts) == 0
    pooled = heatmap(matrix, ["a", "b"], title="t", colorbar="share", empty_note="nothing")
    assert _labels(pooled.axes[0].get_xticklabels())[:2] == ["Mon", "Tue"]
    assert len(pooled.axes[0].texts) == 0  # not empty: no note


def test_empty_heatmap_says_so() -> None:
    fig = heatmap(
        np.zeros((3, 168)),
        ["x", "y", "z"],
        title="B vs A",
        colorbar="change",
        empty_note="no change: no arrival changes outcome",
    )
    _render(fig)
    (note,) = fig.axes[0].texts
    assert note.get_text() == "no change: no arrival changes outcome"


def test_plots_draw_on_a_given_axes() -> None:
    fig, (left, right) = plt.subplots(1, 2)
    cal = BusinessCalendar(tz="UTC")
    assert plot_week(cal, week_of=date(2026, 1, 14), ax=left) is fig
    assert heatmap(np.ones((1, 24)), ["r"], title="t", colorbar="c", ax=right) is fig
    assert left.get_title() == "Open hours, week of Mon 2026-01-12"
