"""``slocalc check --format table`` writes a batch's alerts from the replay's columns
(``_alerts_table``, ``format_instants``): the same cells as alert by alert (``_render``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc._cli._check import _alerts_table, _Outcome, _render
from slocalc._cli._common import format_instant, format_instants
from slocalc._time import to_us
from slocalc.cases import Case, CaseBatch
from slocalc.policies import RAPID7
from slocalc.testing import cases, nows

#: zones with DST, half-hour and 45-minute offsets, no abbreviation (``+08``), and
#: renames at an unchanged offset (Amman 2022, Beulah 2010, Cambridge Bay 2000)
_ZONE_NAMES = [
    "UTC",
    "Europe/Dublin",
    "America/New_York",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Asia/Singapore",
    "Asia/Amman",
    "America/North_Dakota/Beulah",
    "America/Cambridge_Bay",
]
_ZONES = st.sampled_from([None, *map(ZoneInfo, _ZONE_NAMES)])
#: instants near the renames and DST changes above, and anywhere in the years 1001-9998
_NEAR = [
    datetime(2022, 10, 27, 22, tzinfo=UTC),
    datetime(2010, 11, 7, 8, tzinfo=UTC),
    datetime(2000, 10, 29, 7, tzinfo=UTC),
    datetime(2026, 3, 29, 1, tzinfo=UTC),
    datetime(2026, 11, 1, 6, tzinfo=UTC),
]
_INSTANTS = st.one_of(
    st.builds(
        lambda t, s: t + timedelta(microseconds=s),
        st.sampled_from(_NEAR),
        st.integers(-3 * 86_400_000_000, 3 * 86_400_000_000),
    ),
    st.datetimes(min_value=datetime(1001, 1, 1), max_value=datetime(9998, 1, 1), timezones=st.just(UTC)),
    st.builds(  # whole minutes, as most deadlines are
        lambda t: t.replace(second=0, microsecond=0),
        st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
    ),
)


_YEARS_APART = st.integers(-40 * 365 * 86_400_000_000, 40 * 365 * 86_400_000_000)


@given(_INSTANTS, st.lists(_YEARS_APART, max_size=12), _ZONES)
def test_format_instants_is_format_instant_of_each(
    first: datetime, apart: list[int], zone: ZoneInfo | None
) -> None:
    values = [first] + [
        v for v in (first + timedelta(microseconds=us) for us in apart) if 1000 < v.year < 9999
    ]
    us = np.array([to_us(v) for v in values], dtype=np.int64)
    assert format_instants(us, zone) == [format_instant(v, zone) for v in values]


@given(st.lists(st.sampled_from(_NEAR), min_size=1, max_size=4), _ZONES)
def test_format_instants_of_whole_minutes(values: list[datetime], zone: ZoneInfo | None) -> None:
    us = np.array([to_us(v) for v in values], dtype=np.int64)
    assert format_instants(us, zone) == [format_instant(v, zone) for v in values]


def test_format_instants_by_hand() -> None:
    def texts(zone: str | None, *values: datetime) -> list[str] | None:
        return format_instants(
            np.array([to_us(v) for v in values], dtype=np.int64), None if zone is None else ZoneInfo(zone)
        )

    # Asia/Amman kept +03:00 when its summer time used to end (2022-10-28 01:00 local,
    # 2022-10-27 22:00Z) but stopped calling it EEST: no abbreviation after (+03)
    assert texts(
        "Asia/Amman", datetime(2022, 10, 27, 21, 59, tzinfo=UTC), datetime(2022, 10, 27, 22, 30, tzinfo=UTC)
    ) == ["Fri 2022-10-28 00:59 EEST", "Fri 2022-10-28 01:30 UTC+03:00"]
    # Kathmandu is +05:45; seconds shown when not zero, microseconds when not zero
    assert texts("Asia/Kathmandu", datetime(2026, 3, 2, 3, 15, 30, tzinfo=UTC)) == [
        "Mon 2026-03-02 09:00:30 UTC+05:45"
    ]
    assert texts(None, datetime(2026, 3, 2, 3, 15, 0, 7, tzinfo=UTC)) == [
        "Mon 2026-03-02 03:15:00.000007 UTC"
    ]
    # New York's spring forward: 06:59:59Z is 01:59:59 EST, 07:00Z is 03:00 EDT
    assert texts(
        "America/New_York", datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC), datetime(2026, 3, 8, 7, tzinfo=UTC)
    ) == ["Sun 2026-03-08 01:59:59 EST", "Sun 2026-03-08 03:00 EDT"]
    assert texts(None) == []


def test_format_instants_declines_what_it_does_not_write() -> None:
    year_999 = np.array([to_us(datetime(999, 12, 31, 23, tzinfo=UTC))], dtype=np.int64)
    assert format_instants(year_999) is None  # strftime's years: format_instant one by one
    assert format_instants(year_999 + 3_600_000_000, ZoneInfo("America/New_York")) is None  # 999 there
    some = np.array([to_us(datetime(2026, 3, 2, tzinfo=UTC))], dtype=np.int64)
    two_centuries = np.array([to_us(datetime(1826, 3, 2, tzinfo=UTC)), int(some[0])], dtype=np.int64)
    assert format_instants(two_centuries, ZoneInfo("Europe/Dublin")) is None  # too wide a span
    assert format_instants(two_centuries) == ["Thu 1826-03-02 00:00 UTC", "Mon 2026-03-02 00:00 UTC"]
    assert format_instants(some, timezone(timedelta(hours=1))) is None  # not a ZoneInfo


@settings(max_examples=60, deadline=None)
@given(
    st.lists(cases(max_events=8), min_size=1, max_size=10),
    st.data(),
    st.sampled_from([Fraction(3, 4), Fraction(1, 2), Fraction(1)]),
)
def test_a_batchs_table_rows_are_each_alerts_cells(
    drawn: list[Case], data: st.DataObject, share: Fraction
) -> None:
    """``_alerts_table`` gives each alert exactly the cells ``_render`` gives the same
    ``Alert``, in the same order; and the outcome's widths and kept rows are the same both ways."""
    lines = [(k + 1, json.dumps(c.model_dump(mode="json", exclude_none=True))) for k, c in enumerate(drawn)]
    batch = CaseBatch.from_lines(lines)
    now = data.draw(nows(drawn[data.draw(st.integers(0, len(drawn) - 1))]))
    found, _ = batch._checked(RAPID7, now, share)
    alerts = [(a, batch.customer(i)) for i, these in found.alerts.items() for a in these]
    rows = _alerts_table(found.rows, batch)
    years = [t.astimezone(z).year for a, c in alerts for z in (UTC, c.zone) for t in [a.due_at]]
    if all(1000 <= y <= 9999 for y in years):
        assert rows is not None
    if rows is None:
        return
    assert rows == [_render("table", a, c) for a, c in alerts]
    bulk = _Outcome(now, "--now", share, "table")
    bulk.add_batch(batch, found)
    one_by_one = _Outcome(now, "--now", share, "table")
    for i, these in found.alerts.items():
        one_by_one._add_alerts(these, batch.customer(i), batch.line(i))
    try:
        assert bulk.widths == one_by_one.widths
        assert list(bulk.alerts()) == list(one_by_one.alerts())
    finally:
        bulk.close()
        one_by_one.close()


def test_a_batchs_table_rows_by_hand() -> None:
    """Two cases: one unanswered in Kathmandu (+05:45), one answered late in New York."""
    first = (
        '{"id": "C-1", "severity": 1, "opened_at": "2026-03-02T09:00:00+05:45",'
        ' "customer": {"tz": "Asia/Kathmandu"}}'
    )
    second = (
        '{"id": "C-22", "severity": 1, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "America/New_York"},'
        ' "events": [{"at": "2026-03-02T12:30:00Z", "kind": "support_update"}]}'
    )
    batch = CaseBatch.from_lines([(3, first), (7, second)])
    now = datetime(2026, 3, 2, 13, tzinfo=UTC)
    found, _ = batch._checked(RAPID7, now, Fraction(3, 4))
    # C-1: opened 03:15Z, Severity-1 due 2 hours later, 05:15Z = 11:00 in Kathmandu;
    # at 13:00Z 7 h 45 min overdue. C-22: due 11:00Z = 06:00 EST, answered at 12:30Z: 1 h 30 late
    assert _alerts_table(found.rows, batch) == [
        (
            "C-1",
            "1",
            "initial response",
            "BREACHED",
            "Mon 2026-03-02 05:15 UTC",
            "Mon 2026-03-02 11:00 UTC+05:45 Asia/Kathmandu",
            "7h 45m overdue",
        ),
        (
            "C-22",
            "1",
            "initial response",
            "BREACHED",
            "Mon 2026-03-02 11:00 UTC",
            "Mon 2026-03-02 06:00 EST America/New_York",
            "answered 1h 30m late",
        ),
    ]
