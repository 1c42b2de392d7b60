"""Rich displays: the HTML renderers (parsed, content checked), typed frames, progress.

Expected values are worked out by hand from the calendars' definitions (hours, holidays,
DST dates) and the policy's targets, never computed by slocalc.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from html.parser import HTMLParser
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from slocalc import RAPID7, BusinessCalendar, Case, Customer, Event, evaluate
from slocalc._display import _progress as progress_module
from slocalc._display import (
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
    track,
)
from slocalc.calendars.centers import CENTERS, follow_the_sun
from slocalc.errors import SlocalcTypeError
from slocalc.policies import Policy
from slocalc.staffing import Scenario, compare, coverage_table, gaps, structural_breaches

UTC_T = lambda day, hour, minute=0: datetime(2026, 3, day, hour, minute, tzinfo=UTC)  # noqa: E731


class Page(HTMLParser):
    """Tables as lists of rows of cell texts, every tag seen, every ``title`` and ``style``."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.captions: list[str] = []
        self.titles: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for k, v in attrs:
            if k == "title" and v is not None:
                self.titles.append(v)
            if k == "style" and v is not None:
                self.styles.append(v)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "caption":
            self._caption = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption" and self._caption is not None:
            self.captions.append("".join(self._caption))
            self._caption = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def _self_contained(page: Page, raw: str) -> None:
    assert "script" not in page.tags
    assert "link" not in page.tags
    assert "img" not in page.tags
    assert "http" not in raw
    assert "url(" not in raw


# -- formatting ------------------------------------------------------------------------------


def test_instants_and_spans_are_exact_and_short() -> None:
    ny = ZoneInfo("America/New_York")
    assert fmt_instant(datetime(2026, 3, 8, 3, 0, tzinfo=ny)) == "Sun 2026-03-08 03:00 EDT"
    assert fmt_instant(datetime(2026, 1, 1, 0, 0, 0, 5, tzinfo=UTC)) == "Thu 2026-01-01 00:00:00.000005 UTC"
    assert fmt_instant(None) == "—"
    assert fmt_span(timedelta(days=1, seconds=1)) == "1d 1s"
    assert fmt_span(timedelta(microseconds=-1)) == "-0.000001s"
    assert fmt_span(timedelta(hours=27, minutes=5)) == "1d 3h 5m"


# -- calendars -------------------------------------------------------------------------------


def test_calendar_week_grid_thanksgiving_and_next_holidays() -> None:
    cal = BusinessCalendar(tz="America/New_York", holidays=("US", "MA"))
    raw = calendar_html(cal, week_of=date(2026, 11, 25))
    page = Page(raw)
    _self_contained(page, raw)
    (table,) = page.tables
    assert table[0][0] == "day"
    assert table[0][2] == "open hours (America/New_York)"
    days = [row[0] for row in table[1:]]
    assert days == [
        "Mon 23 Nov",
        "Tue 24 Nov",
        "Wed 25 Nov",
        "Thu 26 Nov",
        "Fri 27 Nov",
        "Sat 28 Nov",
        "Sun 29 Nov",
    ]
    hours = [row[2] for row in table[1:]]
    assert hours == ["08:00–17:00"] * 3 + ["closed", "08:00–17:00", "closed", "closed"]
    assert [row[3] for row in table[1:]] == ["", "", "", "holiday", "", "", ""]
    # Thanksgiving, Christmas (Fri), New Year (Fri), MLK day (3rd Mon of Jan 2027), Presidents' Day
    assert (
        "next holidays: Thu 2026-11-26, Fri 2026-12-25, Fri 2027-01-01, Mon 2027-01-18, Mon 2027-02-15"
        in (page.all_text)
    )
    # 08:00-17:00 of a 24-hour day: open from 8/24 = 33.33% to 17/24 = 70.83% of the bar
    assert any("33.33%" in s and "70.83%" in s for s in page.styles)


def test_calendar_week_grid_draws_a_dst_day_in_true_proportion() -> None:
    cal = BusinessCalendar(tz="America/New_York", hours="Sun 00:00-12:00")
    page = Page(calendar_html(cal, week_of=date(2026, 3, 2), holidays=0))
    sunday = page.tables[0][-1]
    assert sunday[0] == "Sun 08 Mar"
    assert sunday[2] == "00:00–12:00"
    assert sunday[3] == "23h day (DST)"  # clocks spring forward at 02:00
    # 00:00-12:00 EST/EDT is 11 elapsed hours of a 23-hour day: 47.83% of the bar
    assert any("47.83%" in s for s in page.styles)
    assert "next holidays" not in page.all_text


def test_union_grid_says_which_member_is_open_when() -> None:
    union = follow_the_sun(["belfast", "singapore"])
    page = Page(calendar_html(union, week_of=date(2026, 1, 14)))  # winter: Belfast on GMT
    (table,) = page.tables
    assert table[0][2] == "open hours (UTC)"
    monday = table[1]
    assert monday[0] == "Mon 12 Jan"
    assert monday[2] == "00:00–17:00"  # Singapore 08:00-17:00 SGT = 00:00-09:00 UTC, then Belfast to 17:00
    assert "Europe/London: 08:00–17:00" in page.titles
    assert "Asia/Singapore: 00:00–09:00" in page.titles
    assert table[6][2] == "closed"  # Saturday
    named = Page(
        calendar_html(
            union,
            week_of=date(2026, 1, 14),
            members=[(k, CENTERS[k].calendar) for k in ("belfast", "singapore")],
        )
    )
    assert "belfast: 08:00–17:00" in named.titles
    assert "members (thin bars, top to bottom): belfast singapore" in " ".join(named.all_text.split())


def test_calendar_text_is_escaped() -> None:
    cal = BusinessCalendar(tz="UTC", hours="Mon 09:00-10:00")
    page = Page(calendar_html(cal, week_of=date(2026, 1, 14), members=[("<script>x</script>", cal)]))
    assert "script" not in page.tags
    assert any("<script>x</script>" in t for t in page.titles)


# -- policies --------------------------------------------------------------------------------


def test_policy_targets_table_per_severity() -> None:
    raw = policy_html(RAPID7)
    page = Page(raw)
    _self_contained(page, raw)
    table = page.tables[0]
    assert table[0] == ["severity", "name", "initial_response", "update", "support_contact_change"]
    assert table[1] == ["1", "Critical", "2 hours (24x7)", "4 hours (24x7)", "2 business days"]
    assert table[2] == [
        "2",
        "High",
        "4 business hours (customer)",
        "3 business days (customer)",
        "2 business days",
    ]
    assert table[3] == [
        "3",
        "Medium",
        "12 business hours (customer)",
        "5 business days (customer)",
        "2 business days",
    ]
    assert "pause in waiting_on_customer, solution_offered" in page.all_text
    assert "i" in page.tags  # the policy-wide fallback is set apart


def test_policy_with_tiers_gets_one_table_per_tier() -> None:
    # issue 16's tiers: premium answers Severity 1 in 30 minutes and runs the customer clock
    # 24x7; its customers keep the base targets otherwise
    policy = Policy.from_toml(
        """
        name = "tiered"
        [[severities]]
        level = 1
        name = "Critical"
        targets.initial_response = "2 hours"
        [[severities]]
        level = 2
        name = "High"
        targets.initial_response = "4 business hours"
        [tiers.premium]
        clocks.customer = "24x7"
        [tiers.premium.severities.1]
        initial_response = "30 minutes"
        """
    )
    page = Page(policy_html(policy))
    assert page.captions == ["Policy 'tiered'", "tier 'premium'"]
    assert page.tables[0][1:] == [
        ["1", "Critical", "2 hours (24x7)"],
        ["2", "High", "4 business hours (customer)"],
    ]
    assert page.tables[1][1:] == [["1", "Critical", "30 minutes (24x7)"], ["2", "High", "4 hours (24x7)"]]
    assert page.titles.count("set by tier premium") == 2  # both cells differ from the base
    plain = Page(policy_html(RAPID7))
    assert plain.captions == ["Policy 'Rapid7'"]


# -- case reports ----------------------------------------------------------------------------


@pytest.fixture
def late_update() -> object:
    """Severity 1 (24x7): opened 08:00, answered 09:00 (due 10:00: met), then no update:
    update #1 was due 09:00 + 4 h = 13:00 and is late by 1 h at 14:00."""
    case = Case(
        id="C-7",
        severity=1,
        opened_at=UTC_T(2, 8),
        customer=Customer(tz="UTC"),
        events=[Event(at=UTC_T(2, 9), kind="support_update")],
    )
    return evaluate(case, RAPID7, now=UTC_T(2, 14))


def test_report_timeline_table(late_update: object) -> None:
    raw = report_html(late_update)  # type: ignore[arg-type]
    page = Page(raw)
    _self_contained(page, raw)
    table = page.tables[0]
    assert table[0] == ["target", "sev", "promise (clock)", "start", "due", "met", "state", ""]
    assert table[1] == [
        "initial response",
        "1",
        "2 hours (24x7)",
        "Mon 2026-03-02 08:00 UTC",
        "Mon 2026-03-02 10:00 UTC",
        "Mon 2026-03-02 09:00 UTC",
        "met",
        "",
    ]
    assert table[2] == [
        "update #1",
        "1",
        "4 hours (24x7)",
        "Mon 2026-03-02 09:00 UTC",
        "Mon 2026-03-02 13:00 UTC",
        "—",
        "breached",
        "late by 1h",
    ]
    headline = " ".join(page.all_text.split())
    assert "Case C-7 · at Mon 2026-03-02 14:00 UTC · severity 1 · status open · 1 breach" in headline
    assert "next due" not in headline
    assert page.tags.count("details") == 2  # each target's steps, collapsed


def test_report_with_pause_and_pending_target() -> None:
    # The explain() example: update #1 due 13:00, paused 10:00-11:30, so due 14:30; at 12:00
    # 2h30 of clock time is left.
    case = Case(
        id="C-5",
        severity=1,
        opened_at=UTC_T(2, 8),
        customer=Customer(tz="UTC"),
        events=[
            Event(at=UTC_T(2, 9), kind="support_update"),
            Event(at=UTC_T(2, 10), kind="status", status="waiting_on_customer"),
            Event(at=UTC_T(2, 11, 30), kind="customer_update"),
        ],
    )
    report = evaluate(case, RAPID7, now=UTC_T(2, 12))
    page = Page(report_html(report))
    assert page.tables[0][2][4:] == ["Mon 2026-03-02 14:30 UTC", "—", "pending", "2h 30m left"]
    assert "next due Mon 2026-03-02 14:30 UTC" in " ".join(page.all_text.split())
    steps = page.tables[2]  # update #1's steps
    assert [row[1] for row in steps[1:]] == ["start", "pause", "resume"]
    assert steps[2][2] == "—"  # no deadline while paused


def test_report_html_escapes_and_caps_rows() -> None:
    opened = UTC_T(2, 8)
    events = [Event(at=opened + timedelta(hours=1 + h), kind="support_update") for h in range(60)]
    case = Case(
        id="<script>alert(1)</script>",
        severity=1,
        opened_at=opened,
        customer=Customer(tz="UTC"),
        events=events,
    )
    report = evaluate(case, RAPID7, now=opened + timedelta(days=3))
    page = Page(report_html(report, max_rows=10))
    assert "script" not in page.tags
    assert "Case <script>alert(1)</script>" in page.all_text
    rows = page.tables[0][1:]
    assert len(rows) == 11  # 9 first, the "more" row, the last
    assert rows[9][0] == f"… {len(report.targets) - 10} more"
    assert rows[10][0] == f"update #{len(report.targets) - 1}"


def test_report_repr_is_short() -> None:
    opened = UTC_T(2, 8)
    case = Case(id="X" * 500, severity=2, opened_at=opened, customer=Customer(tz="America/New_York"))
    text = report_repr(evaluate(case, RAPID7, now=opened))
    assert len(text) < 400
    assert text.endswith(
        "severity 2, open, 1 target, 0 breaches, next due 2026-03-02T17:00:00+00:00>"
    )  # 08:00-12:00 EST


def test_reports_table(late_update: object) -> None:
    page = Page(reports_html([late_update] * 3, max_rows=2))  # type: ignore[list-item]
    table = page.tables[0]
    assert table[1] == ["C-7", "1", "open", "1", "—", "Mon 2026-03-02 14:00 UTC"]
    assert table[-1][0] == "… 1 more"


# -- staffing --------------------------------------------------------------------------------


def test_comparison_and_its_no_change_note() -> None:
    base = Scenario.guidebook()
    kw = {
        "policy": RAPID7,
        "customers": ["Asia/Tokyo"],
        "severities": [2],
        "a": datetime(2026, 1, 12, tzinfo=UTC),
        "b": datetime(2026, 1, 19, tzinfo=UTC),
        "metrics": ["initial_response"],
    }
    cmp = compare(base, base.without("singapore"), **kw)  # type: ignore[arg-type]
    page = Page(comparison_html(cmp))
    totals = page.tables[0]
    assert totals[0][2:4] == ["A: guidebook", "B: drop singapore"]
    # 68 of the week's 168 hourly arrivals lose their answer: 68/168 = 40.5%
    assert totals[1] == ["2", "initial_response", "0.0%", "40.5%", "+40.5 pts", "68", "0"]
    assert page.captions[1] == "most changed cells"
    same = Page(comparison_html(compare(base, base, **kw)))  # type: ignore[arg-type]
    assert len(same.tables) == 1
    assert "No change: no arrival changes outcome for any target." in same.all_text


def test_analysis_share_table() -> None:
    ny = ZoneInfo("America/New_York")
    res = structural_breaches(
        RAPID7,
        Scenario.of("Singapore only", ["singapore"]),
        ["America/New_York"],
        [2],
        datetime(2026, 1, 12, 9, tzinfo=ny),
        datetime(2026, 1, 12, 10, tzinfo=ny),
        metrics=["initial_response"],
    )
    page = Page(analysis_html(res))
    assert page.tables[0] == [["customer", "sev 2 initial_response"], ["America/New_York", "100.0% 1/1"]]
    assert "Scenario 'Singapore only' under policy 'Rapid7'" in page.all_text


def test_coverage_grid_counts_open_centers_per_hour() -> None:
    rows = coverage_table(date(2026, 1, 14), ["belfast", "singapore"])
    page = Page(coverage_html(rows))
    table = page.tables[0]
    assert [r[0] for r in table[1:]] == [
        "Mon 12 Jan",
        "Tue 13 Jan",
        "Wed 14 Jan",
        "Thu 15 Jan",
        "Fri 16 Jan",
        "Sat 17 Jan",
        "Sun 18 Jan",
    ]
    # Singapore 00:00-09:00 UTC, Belfast 08:00-17:00 UTC: counts 1 x8, 2, 1 x8, then gaps
    assert table[1][1] == "1" * 8 + "2" + "1" * 8
    assert table[6][1] == ""
    assert "08:00 belfast, singapore" in page.titles
    assert "17:00 nobody (gap)" in page.titles


def test_records_table_gaps_and_empty() -> None:
    found = gaps(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))  # weekends
    page = Page(records_html(found, max_rows=4))
    table = page.tables[0]
    assert table[0][:2] == ["start", "end"]
    assert table[3][0] == f"… {len(found) - 4} more"
    assert len(table) == 6
    assert "no records" in Page(records_html([])).all_text


def test_scenario_table() -> None:
    page = Page(scenario_html(Scenario.guidebook().without("belfast")))
    assert page.captions == ["Scenario 'drop belfast'"]
    assert [r[0] for r in page.tables[0][1:]] == ["dublin", "boston", "austin", "los_angeles", "singapore"]
    assert page.tables[0][1][2] == "Europe/Dublin"


# -- progress --------------------------------------------------------------------------------


def test_progress_off_returns_the_items_themselves() -> None:
    items = [1, 2]
    assert track(items) is items
    assert track(items, progress=False) is items


def test_progress_callback_counts_with_total() -> None:
    seen: list[tuple[int, int | None]] = []
    assert list(track(iter("ab"), progress=lambda d, t: seen.append((d, t)))) == ["a", "b"]
    assert seen == [(1, None), (2, None)]
    seen.clear()
    list(track(iter("ab"), total=2, progress=lambda d, t: seen.append((d, t))))
    assert seen == [(1, 2), (2, 2)]


def test_progress_true_without_tqdm_draws_a_text_bar(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(progress_module, "_tqdm", lambda total, desc: None)
    assert list(track(range(4), progress=True, desc="checking")) == [0, 1, 2, 3]
    err = capsys.readouterr().err
    assert "\rchecking [" + "#" * 30 + "] 4/4" in err
    assert "\rchecking [" + "#" * 7 + "." * 23 + "] 1/4" in err
    assert err.endswith("\n")


def test_progress_true_uses_tqdm_and_closes_it_on_break(monkeypatch: pytest.MonkeyPatch) -> None:
    bars: list[SimpleNamespace] = []

    def fake(total: int | None, desc: str) -> SimpleNamespace:
        bar = SimpleNamespace(total=total, desc=desc, n=0, closed=False)
        bar.update = lambda n: setattr(bar, "n", bar.n + n)
        bar.close = lambda: setattr(bar, "closed", True)
        bars.append(bar)
        return bar

    monkeypatch.setattr(progress_module, "_tqdm", fake)
    it = track([1, 2, 3], progress=True, desc="x")
    for item in it:
        if item == 2:
            break
    it.close()  # type: ignore[union-attr]
    (bar,) = bars
    assert (bar.total, bar.desc, bar.n, bar.closed) == (3, "x", 1, True)


def test_progress_real_tqdm_writes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    assert sum(track(range(5), progress=True, desc="summing")) == 10
    assert "summing" in capsys.readouterr().err


def test_progress_rejects_other_values() -> None:
    with pytest.raises(SlocalcTypeError, match=r"progress: expected True, False, None or a callable"):
        track([1], progress="yes")  # type: ignore[arg-type]


# -- import cost -----------------------------------------------------------------------------


def test_display_imports_nothing_heavy() -> None:
    code = (
        "import sys, slocalc._display as d; d.calendar_html; d.track; "
        "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib', 'tqdm') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_fixed_offset_zone_names() -> None:
    from slocalc._display._frames import zone_name

    assert zone_name(timezone(timedelta(hours=-3, minutes=-30))) == "UTC-03:30"
    assert zone_name(UTC) == "UTC"
