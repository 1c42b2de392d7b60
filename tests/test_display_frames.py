"""Typed DataFrames: instants as datetime64[us, zone], spans as timedelta64[us], categoricals.

Issue 17's complaints, each pinned: reports from customers in different zones gave ``object``
columns (``.dt.hour`` failed), all-None columns were ``object``, microseconds must survive.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from slocalc import RAPID7, Case, Customer, Event, check, evaluate
from slocalc._display import alerts_frame, records_frame, reports_frame
from slocalc._display._frames import STATES, instants, spans
from slocalc.staffing import coverage_table, gaps, structural_breaches

pd = pytest.importorskip("pandas")

NY = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")


@pytest.fixture
def reports() -> list[object]:
    """Two severity-2 cases opened at 09:00 local time, in New York and in Kolkata (UTC+05:30),
    on Monday 2026-03-02: 4 business hours make 13:00 local."""
    ny = Case(
        id="NY",
        severity=2,
        opened_at=datetime(2026, 3, 2, 9, 0, 0, 1, tzinfo=NY),
        customer=Customer(tz="America/New_York"),
        events=[Event(at=datetime(2026, 3, 2, 10, tzinfo=NY), kind="support_update")],
    )
    india = Case(
        id="IN",
        severity=2,
        opened_at=datetime(2026, 3, 2, 9, tzinfo=KOLKATA),
        customer=Customer(tz="Asia/Kolkata"),
    )
    now = datetime(2026, 3, 2, 20, tzinfo=UTC)
    return [evaluate(ny, RAPID7, now=now), evaluate(india, RAPID7, now=now)]


def test_report_frame_dtypes(reports: list[object]) -> None:
    df = reports_frame(reports)
    dtypes = {c: str(t) for c, t in df.dtypes.items()}
    for col in ("start", "due_at", "met_at", "ended_at", "now"):
        assert dtypes[col] == "datetime64[us, UTC]", col
    for col in ("breached_by", "remaining"):
        assert dtypes[col] == "timedelta64[us]", col
    for col in ("metric", "clock", "state", "status", "tz"):
        assert dtypes[col] == "category", col
    assert dtypes["cycle"] == dtypes["severity"] == "int64"
    assert list(df["state"].cat.categories) == list(STATES)
    assert list(df["tz"]) == ["America/New_York", "America/New_York", "Asia/Kolkata"]


def test_report_frame_values_are_exact(reports: list[object]) -> None:
    df = reports_frame(reports)
    # New York: opened 09:00:00.000001 EST = 14:00:00.000001 UTC, due 4 business hours later,
    # 13:00:00.000001 EST = 18:00:00.000001 UTC
    assert df["start"][0] == pd.Timestamp("2026-03-02 14:00:00.000001", tz="UTC")
    assert df["due_at"][0] == pd.Timestamp("2026-03-02 18:00:00.000001", tz="UTC")
    assert df["met_at"][0] == pd.Timestamp("2026-03-02 15:00", tz="UTC")
    # Kolkata: due 13:00 IST = 07:30 UTC, unanswered at 20:00 UTC: late by 12 h 30 min
    india = df[df["case_id"] == "IN"].iloc[0]
    assert india["due_at"] == pd.Timestamp("2026-03-02 07:30", tz="UTC")
    assert india["breached_by"] == pd.Timedelta(hours=12, minutes=30)
    assert india["state"] == "breached"
    assert pd.isna(india["met_at"])
    # update #1 of New York: 3 business days from 10:00 EST, Thu 10:00 EST = 15:00 UTC
    assert list(df["due_at"].dt.hour) == [18, 15, 7]  # the .dt accessor works across zones


def test_report_frame_other_zone_and_all_none_columns(reports: list[object]) -> None:
    df = reports_frame(reports[1:], tz="Asia/Kolkata")
    assert str(df["met_at"].dtype) == "datetime64[us, Asia/Kolkata]"  # only NaT, still typed
    assert str(df["remaining"].dtype) == "timedelta64[us]"
    assert df["due_at"][0].hour == 13


def test_alerts_frame_dtypes(reports: list[object]) -> None:
    cases = [
        Case(
            id="IN",
            severity=2,
            opened_at=datetime(2026, 3, 2, 9, tzinfo=KOLKATA),
            customer=Customer(tz="Asia/Kolkata"),
        )
    ]
    alerts = check(cases, RAPID7, now=datetime(2026, 3, 2, 20, tzinfo=UTC))
    df = alerts_frame(alerts)
    assert str(df["due_at"].dtype) == "datetime64[us, UTC]"
    assert str(df["met_at"].dtype) == "datetime64[us, UTC]"
    assert str(df["breached_by"].dtype) == "timedelta64[us]"
    assert list(df["kind"].cat.categories) == ["breached", "at_risk"]
    assert list(df["tz"]) == ["Asia/Kolkata"]
    empty = alerts_frame([])
    assert len(empty) == 0
    assert str(empty["due_at"].dtype) == "datetime64[us, UTC]"


def test_instants_beyond_the_nanosecond_range_and_fixed_offsets() -> None:
    far = datetime(2400, 1, 1, 0, 0, 0, 7, tzinfo=UTC)  # past pandas' nanosecond limit (2262)
    plus = datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    arr = instants([far, None, plus])
    assert str(arr.dtype) == "datetime64[us, UTC]"
    assert arr[0] == pd.Timestamp("2400-01-01 00:00:00.000007", tz="UTC")
    assert pd.isna(arr[1])
    assert arr[2] == pd.Timestamp("2026-01-01 06:30", tz="UTC")
    s = spans([timedelta(days=-1, microseconds=3), None])
    assert str(s.dtype) == "timedelta64[us]"
    assert s[0] == pd.Timedelta(days=-1, microseconds=3)


def test_records_frame_for_staffing_lists() -> None:
    table = records_frame(coverage_table(date(2026, 1, 14), ["singapore"], tz="Asia/Singapore"))
    assert str(table["start"].dtype) == "datetime64[us, Asia/Singapore]"
    assert table["start"][0] == pd.Timestamp("2026-01-12 00:00", tz="Asia/Singapore")
    assert len(table) == 168
    found = records_frame(gaps(datetime(2026, 12, 21, tzinfo=UTC), datetime(2027, 1, 4, tzinfo=UTC)))
    assert {c: str(t) for c, t in found.dtypes.items()} == {
        "start": "datetime64[us, UTC]",
        "end": "datetime64[us, UTC]",
        "duration": "timedelta64[us]",
    }
    # Christmas: Los Angeles closes Thu 24 Dec 17:00 PST = Fri 01:00 UTC; Singapore opens
    # Mon 28 Dec 08:00 SGT = 00:00 UTC: 2 days 23 hours
    assert found["duration"][0] == pd.Timedelta(days=2, hours=23)


def test_records_frame_categories_and_empty_typed() -> None:
    res = structural_breaches(
        RAPID7,
        ["singapore"],
        ["America/New_York", "Europe/Berlin"],
        [2],
        datetime(2026, 1, 12, tzinfo=UTC),
        datetime(2026, 1, 13, tzinfo=UTC),
        metrics=["initial_response"],
    )
    df = records_frame(
        res.by_hour_of_week(2),
        categories={"customer": None, "day": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")},
    )
    assert str(df["customer"].dtype) == "category"
    assert list(df["customer"].cat.categories) == ["America/New_York", "Europe/Berlin"]
    assert list(df["day"].cat.categories) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert str(df["share"].dtype) == "float64"
    empty = records_frame([], instant_columns=["start", "end"], span_columns=["duration"])
    assert {c: str(t) for c, t in empty.dtypes.items()} == {
        "start": "datetime64[us, UTC]",
        "end": "datetime64[us, UTC]",
        "duration": "timedelta64[us]",
    }
    with pytest.raises(TypeError, match="records: expected dataclass or named-tuple records"):
        records_frame([1, 2])
