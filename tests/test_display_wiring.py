"""Issue 17 on the public classes: every display, plot, frame and progress hook a user calls.

``tests/test_display*.py`` pin the renderers of ``slocalc._display`` themselves; this file
checks that each public class and function reaches them (``_repr_html_``, ``week_view``,
``plot_week``, ``plot``, ``to_frame``, ``progress=``) with the frame types of
docs/notebooks/index.md ("Typed frames"). Expected values are worked out by hand from the
calendars' hours and holidays and the RAPID7 targets, never computed by slocalc.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from slocalc import RAPID7, BusinessCalendar, Case, Customer, Event, evaluate
from slocalc.calendars import centers
from slocalc.calendars.centers import CENTERS, follow_the_sun
from slocalc.cases import check, to_frame
from slocalc.errors import SlocalcTypeError
from slocalc.staffing import (
    Scenario,
    compare,
    coverage_heatmap,
    coverage_table,
    gaps,
    handoffs,
    structural_breaches,
)
from slocalc.staffing import to_frame as staffing_frame

pd = pytest.importorskip("pandas")

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")


class Cells(HTMLParser):
    """Every table cell's text, every tag; fails on a closing tag that does not match."""

    VOID = frozenset({"br", "hr", "img", "meta", "col", "wbr"})

    def __init__(self, text: str) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self._open: list[str] = []
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()
        assert not self._open, f"unclosed tags: {self._open}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self._open.append(tag)
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        assert self._open, f"</{tag}> closes nothing"
        assert self._open[-1] == tag, f"</{tag}> closes <{self._open[-1]}>"
        self._open.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def all_text(self) -> str:
        return " ".join("".join(self.text).split())


def _case(case_id: str, tz: ZoneInfo, country: str | None = None) -> Case:
    """Severity 1 (2 h initial response on 24x7), opened Mon 2 Mar 2026 10:00 local, answered
    at 11:00 local (met); update #1 then due 4 h later, at 15:00 local."""
    opened = datetime(2026, 3, 2, 10, tzinfo=tz)
    return Case(
        id=case_id,
        severity=1,
        opened_at=opened,
        customer=Customer(tz=str(tz), country=country),
        events=[Event(at=opened + timedelta(hours=1), kind="support_update")],
    )


NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)  # 13:00 in Berlin, 21:00 in Tokyo


# -- typed frames -----------------------------------------------------------------------------


def test_report_frames_from_two_zones_are_utc_with_a_tz_column() -> None:
    reports = [
        evaluate(_case("B-1", BERLIN, "DE"), RAPID7, now=NOW),
        evaluate(_case("T-1", TOKYO), RAPID7, now=NOW),
    ]
    frame = to_frame(reports)
    assert list(frame.columns) == [
        "case_id", "metric", "cycle", "severity", "target", "clock", "state", "start",
        "due_at", "met_at", "ended_at", "breached_by", "remaining", "status", "now", "tz",
    ]  # fmt: skip
    for name in ("start", "due_at", "met_at", "ended_at", "now"):
        assert str(frame[name].dtype) == "datetime64[us, UTC]", name
    for name in ("breached_by", "remaining"):
        assert str(frame[name].dtype) == "timedelta64[us]", name
    for name in ("metric", "clock", "state", "status", "tz"):
        assert str(frame[name].dtype) == "category", name
    assert list(frame["tz"]) == ["Europe/Berlin", "Europe/Berlin", "Asia/Tokyo", "Asia/Tokyo"]
    # Berlin opened 10:00 CET = 09:00 UTC, due 11:00 UTC; Tokyo 10:00 JST = 01:00 UTC, due 03:00
    assert list(frame["due_at"].dt.hour) == [11, 14, 3, 6]
    assert list(frame["state"].cat.categories) == [
        "pending",
        "paused",
        "met",
        "breached",
        "stopped",
        "cancelled",
    ]
    # the update cycle of Tokyo (due 06:00 UTC) is breached by 6 h at 12:00 UTC
    assert frame["breached_by"][3] == pd.Timedelta(hours=6)
    assert list(frame["ended_at"].isna()) == [False, True, False, True]  # met initial responses end
    fresh = Case(id="N-1", severity=1, opened_at=NOW, customer=Customer(tz="UTC"))
    unanswered = evaluate(fresh, RAPID7, now=NOW).to_frame()
    assert unanswered["met_at"].isna().all()  # an all-None column keeps its type
    assert str(unanswered["met_at"].dtype) == "datetime64[us, UTC]"
    local = reports[0].to_frame(tz="Europe/Berlin")
    assert str(local["due_at"].dtype) == "datetime64[us, Europe/Berlin]"
    assert local["due_at"][0] == pd.Timestamp("2026-03-02 12:00", tz="Europe/Berlin")


def test_alert_frames_are_typed() -> None:
    frame = to_frame(check([_case("T-1", TOKYO)], RAPID7, now=NOW))
    assert list(frame["kind"]) == ["breached"]
    assert list(frame["kind"].cat.categories) == ["breached", "at_risk"]
    assert str(frame["due_at"].dtype) == "datetime64[us, UTC]"
    assert str(frame["budget"].dtype) == "timedelta64[us]"
    assert frame["due_at"][0] == pd.Timestamp("2026-03-02 06:00", tz="UTC")
    assert list(frame["tz"]) == ["Asia/Tokyo"]


def test_staffing_lists_have_typed_frames() -> None:
    table = coverage_table(week_of=date(2026, 1, 14), centers=["singapore"], tz="Asia/Singapore")
    df = table.to_frame()
    assert str(df["start"].dtype) == "datetime64[us, Asia/Singapore]"
    # Singapore opens 08:00 SGT: row 8 of the week is the first with a center
    assert list(df["count"][7:9]) == [0, 1]
    assert str(df["count"].dtype) == "int64"
    assert str(table.to_frame(tz="UTC")["start"].dtype) == "datetime64[us, UTC]"

    a, b = datetime(2026, 1, 12, tzinfo=UTC), datetime(2026, 1, 13, tzinfo=UTC)
    found = gaps(a=a, b=b, centers=["belfast"])  # Belfast 08:00-17:00 GMT: two gaps on Monday
    frame = found.to_frame()
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "start": "datetime64[us, UTC]",
        "end": "datetime64[us, UTC]",
        "duration": "timedelta64[us]",
    }
    assert list(frame["duration"]) == [pd.Timedelta(hours=8), pd.Timedelta(hours=7)]
    none = gaps(a, b, min_duration=timedelta(days=1)).to_frame()  # empty and still typed
    assert len(none) == 0
    assert str(none["duration"].dtype) == "timedelta64[us]"

    hand = handoffs(week_of=date(2026, 1, 14), centers=["belfast"], tz="Europe/London").to_frame()
    assert str(hand["at"].dtype) == "datetime64[us, Europe/London]"
    assert len(hand) == 10  # opens and closes on five weekdays

    segs = centers.coverage(a, b, ["belfast"]).to_frame()
    assert list(segs.columns) == ["start", "end", "centers"]
    assert str(segs["end"].dtype) == "datetime64[us, UTC]"
    assert len(segs) == 3
    assert len(centers.coverage(b, a).to_frame()) == 0  # a reversed range: no segments
    assert (
        str(centers.handoffs(date(2026, 1, 14), ["belfast"]).to_frame()["at"].dtype) == "datetime64[us, UTC]"
    )
    assert str(staffing_frame(found)["start"].dtype) == "datetime64[us, UTC]"


@pytest.fixture(scope="module")
def analysis() -> Any:
    pytest.importorskip("numpy")
    # Tokyo customer, severity 2 initial response (4 business hours on the customer's clock),
    # with Singapore only: Mon 12 Jan 2026 00:00-06:00 UTC, hourly arrivals
    return structural_breaches(
        RAPID7,
        ["singapore"],
        ["Asia/Tokyo"],
        [2],
        datetime(2026, 1, 12, tzinfo=UTC),
        datetime(2026, 1, 12, 6, tzinfo=UTC),
        metrics=["initial_response"],
    )


def test_breach_analysis_frames_are_typed(analysis: Any) -> None:
    summary = analysis.to_frame()
    for name in ("scenario", "metric", "customer"):
        assert str(summary[name].dtype) == "category", name
    assert str(summary["arrivals"].dtype) == "int64"
    detail = analysis.to_frame(detail=True)
    assert list(detail.columns) == [
        "arrival", "customer", "severity", "metric", "due_at", "first_response", "staffed", "breached",
    ]  # fmt: skip
    for name in ("arrival", "due_at", "first_response"):
        assert str(detail[name].dtype) == "datetime64[us, UTC]", name
    assert str(detail["staffed"].dtype) == "timedelta64[us]"
    results = analysis.results().to_frame()
    assert str(results["due_at"].dtype) == "datetime64[us, UTC]"
    assert str(results["customer"].dtype) == "category"
    assert len(results) == 6
    hours = analysis.by_hour_of_week(2).to_frame()
    assert list(hours["day"].cat.categories) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert len(hours) == 168
    assert str(analysis.summary().to_frame()["share"].dtype) == "float64"


def test_comparison_frames_are_typed() -> None:
    base = Scenario.guidebook()
    cmp = compare(
        base,
        base.without("singapore"),
        RAPID7,
        ["Asia/Tokyo"],
        [2],
        datetime(2026, 1, 12, tzinfo=UTC),
        datetime(2026, 1, 13, tzinfo=UTC),
        metrics=["initial_response"],
    )
    for frame in (cmp.to_frame(), cmp.changed().to_frame(), cmp.totals().to_frame()):
        assert str(frame["metric"].dtype) == "category"
        assert str(frame["customer"].dtype) == "category"
    assert list(cmp.totals().to_frame()["customer"]) == ["*"]


# -- progress ---------------------------------------------------------------------------------


def test_check_reports_progress_per_case() -> None:
    seen: list[tuple[int, int | None]] = []
    cases = [_case("B-1", BERLIN), _case("T-1", TOKYO)]
    alerts = check(cases, RAPID7, now=NOW, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]
    assert [a.case_id for a in alerts] == ["T-1"]  # Berlin's update is due 14:00 UTC, not at risk
    seen.clear()
    check(iter(cases), RAPID7, now=NOW, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, None), (2, None)]  # no length: no total
    with pytest.raises(SlocalcTypeError, match="progress: expected True, False, None or a callable"):
        check(cases, RAPID7, now=NOW, progress="yes")  # type: ignore[arg-type]


def test_check_progress_bar_without_tqdm(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm now fails: the text bar
    check([_case("B-1", BERLIN)], RAPID7, now=NOW, progress=True)
    err = capsys.readouterr().err
    assert err.endswith("checking [" + "#" * 30 + "] 1/1\n")


def test_staffing_analyses_report_progress_per_cell() -> None:
    pytest.importorskip("numpy")
    seen: list[tuple[int, int | None]] = []
    args = (RAPID7, ["singapore"], ["Asia/Tokyo", "Europe/Berlin"], [1, 2])
    span = (datetime(2026, 1, 12, tzinfo=UTC), datetime(2026, 1, 12, 2, tzinfo=UTC))
    structural_breaches(*args, *span, metrics=["initial_response"], progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]  # 2 customers x 2 severities
    seen.clear()
    compare(
        ["singapore"],
        ["singapore", "belfast"],
        RAPID7,
        ["Asia/Tokyo"],
        [1],
        *span,
        metrics=["initial_response"],
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen == [(1, 1), (1, 1)]  # scenario A, then B


def test_staffing_progress_bar_is_labelled(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("numpy")
    import sys

    monkeypatch.setitem(sys.modules, "tqdm", None)
    span = (datetime(2026, 1, 12, tzinfo=UTC), datetime(2026, 1, 12, 2, tzinfo=UTC))
    compare(
        ["singapore"], ["belfast"], RAPID7, ["UTC"], [1], *span, metrics=["initial_response"], progress=True
    )
    err = capsys.readouterr().err
    assert "analysing A [" in err
    assert "analysing B [" in err


# -- reprs and HTML ---------------------------------------------------------------------------


def test_report_repr_is_short_and_html_parses() -> None:
    # a long case: answered every 3 hours for three days, one update cycle each time
    opened = datetime(2026, 3, 2, tzinfo=UTC)
    events = [Event(at=opened + timedelta(hours=3 * i + 1), kind="support_update") for i in range(24)]
    case = Case(id="C-LONG", severity=1, opened_at=opened, customer=Customer(tz="UTC"), events=events)
    report = evaluate(case, RAPID7, now=opened + timedelta(days=3))
    assert len(report.targets) == 25
    text = repr(report)
    assert len(text) < 400
    assert text.startswith("<CaseReport 'C-LONG' at 2026-03-05T00:00:00+00:00: severity 1, ")
    page = Cells(report._repr_html_())
    assert "table" in page.tags
    assert "update #24" in page.cells
    assert "script" not in page.tags


def test_calendar_union_policy_and_center_html_parse() -> None:
    cal = BusinessCalendar(tz="Europe/Dublin", holidays="IE")
    page = Cells(cal._repr_html_())
    assert "table" in page.tags
    week = Cells(cal.week_view(week_of=date(2026, 3, 16)))
    assert "Tue 17 Mar" in week.cells  # St Patrick's Day
    assert "holiday" in week.cells
    assert cal.week_view(week_of=date(2026, 3, 16))._repr_html_() == str(
        cal.week_view(week_of=date(2026, 3, 16))
    )
    union = Cells(follow_the_sun().week_view(week_of=date(2026, 1, 14), tz="UTC"))
    assert "open hours (UTC)" in union.cells
    assert "Mon 12 Jan" in union.cells
    policy = Cells(RAPID7._repr_html_())
    assert policy.cells[5:10] == ["1", "Critical", "2 hours (24x7)", "4 hours (24x7)", "2 business days"]
    center = Cells(CENTERS["belfast"]._repr_html_())
    assert center.all_text.startswith("Belfast (Europe/London)")


def test_staffing_results_html_parse(analysis: Any) -> None:
    scen = Cells(Scenario.guidebook()._repr_html_())
    assert "Singapore" in scen.all_text
    res = Cells(analysis._repr_html_())
    assert "Asia/Tokyo" in res.cells
    base = Scenario.guidebook()
    same = compare(
        base,
        base,
        RAPID7,
        ["UTC"],
        [1],
        datetime(2026, 1, 12, tzinfo=UTC),
        datetime(2026, 1, 12, 3, tzinfo=UTC),
        metrics=["initial_response"],
    )
    assert "No change" in Cells(same._repr_html_()).all_text
    grid = Cells(coverage_table(date(2026, 1, 14), ["belfast"])._repr_html_())
    assert "Mon 12 Jan" in grid.cells
    listed = Cells(
        gaps(datetime(2026, 1, 12, tzinfo=UTC), datetime(2026, 1, 13, tzinfo=UTC), ["belfast"])._repr_html_()
    )
    assert "start" in listed.cells


# -- plots ------------------------------------------------------------------------------------


@pytest.fixture
def plt() -> Any:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


def _png(fig: Any) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png")
    data = out.getvalue()
    assert data.startswith(b"\x89PNG")
    return data


def test_report_plot_and_calendar_plot_week(plt: Any) -> None:
    report = evaluate(_case("T-1", TOKYO), RAPID7, now=NOW)
    fig = report.plot()
    _png(fig)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["initial response (met)", "update #1 (breached)"]
    assert ax.get_xlabel() == "time (Asia/Tokyo)"
    assert len(ax.containers[0]) == 2
    week = BusinessCalendar(tz="Europe/Dublin", holidays="IE").plot_week(week_of=date(2026, 3, 16))
    _png(week)
    labels = [t.get_text() for t in week.axes[0].get_yticklabels()]
    assert labels[1] == "Tue 17 Mar (holiday)"
    assert [len(c.get_paths()) for c in week.axes[0].collections] == [1, 0, 1, 1, 1, 0, 0]
    members = [(k, CENTERS[k].calendar) for k in ("belfast", "boston")]
    union = follow_the_sun(["belfast", "boston"]).plot_week(week_of=date(2026, 1, 14), members=members)
    assert [t.get_text() for t in union.axes[0].get_yticklabels()] == ["belfast", "boston", "any"]


def test_heatmaps_are_dated_or_say_they_are_empty(plt: Any, analysis: Any) -> None:
    fig = coverage_heatmap(date(2026, 1, 14), ["belfast", "singapore"])
    _png(fig)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks[:3] == ["Mon 12 Jan", "Tue 13 Jan", "Wed 14 Jan"]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["belfast", "singapore", "any"]
    base = Scenario.guidebook()
    same = compare(
        base,
        base,
        RAPID7,
        ["UTC"],
        [1],
        datetime(2026, 1, 12, tzinfo=UTC),
        datetime(2026, 1, 12, 3, tzinfo=UTC),
        metrics=["initial_response"],
    )
    empty = same.heatmap(1)
    _png(empty)
    (note,) = empty.axes[0].texts
    assert note.get_text() == "no change: no arrival changes outcome for severity 1 initial_response"
    pooled = analysis.heatmap(2)
    assert [t.get_text() for t in pooled.axes[0].get_xticklabels()][:2] == ["Mon", "Tue"]
