"""The ``*_many`` forms and ``due_many`` over every column kind, NaT at every position.

Vectorised answers are checked against the scalar queries row by row (the scalar engine is
checked against tests/reference.py elsewhere) and against hand-worked values.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc import BusinessCalendar
from slocalc._time import from_us, to_us
from slocalc.errors import NaiveDatetimeError, SlocalcTypeError, SlocalcValueError
from slocalc.policies import RAPID7, Customer
from slocalc.policies._many import due_many
from slocalc.testing._kinds import COLUMN_KINDS, column_of, instant_columns

CAL = BusinessCalendar(tz="Europe/London", holidays=["2026-12-25"])
KINDS = ("list", "datetime64", "pandas.Series", "pandas.DatetimeIndex", "polars", "pyarrow")
# Fri 2026-12-04 15:00Z, Sat 12:00Z, Thu 2026-12-24 16:30Z (GMT = UTC in winter)
BASE = [
    to_us(datetime(2026, 12, 4, 15, 0, tzinfo=UTC)),
    to_us(datetime(2026, 12, 5, 12, 0, tzinfo=UTC)),
    to_us(datetime(2026, 12, 24, 16, 30, tzinfo=UTC)),
]
# + 4 business hours: Mon 7 Dec 10:00, Mon 7 Dec 12:00, Sat 26 Dec? no: Thu 24 16:30-17:00
# is 30 min, Fri 25 is a holiday, Mon 28 08:00 + 3 h 30 = 11:30
WANT_ADD = [
    to_us(datetime(2026, 12, 7, 10, 0, tzinfo=UTC)),
    to_us(datetime(2026, 12, 7, 12, 0, tzinfo=UTC)),
    to_us(datetime(2026, 12, 28, 11, 30, tzinfo=UTC)),
]


def _values(col: Any) -> list[int | None]:
    """UTC µs of any column kind (``None`` = missing), read without slocalc."""
    if isinstance(col, list):
        return [
            None if t is None else (t - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
            for t in col
        ]
    if isinstance(col, np.ndarray):
        return [None if np.isnat(v) else int(v.astype("datetime64[us]").astype(np.int64)) for v in col]
    if isinstance(col, (pd.Series, pd.Index)):
        return [None if pd.isna(v) else v.value // 1000 for v in col]
    if isinstance(col, pl.Series):
        return [None if v is None else int(v) for v in col.dt.epoch("us").to_list()]
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    return [
        None if v is None else int(v)
        for v in arr.cast(pa.timestamp("us", tz="UTC")).cast(pa.int64()).to_pylist()
    ]


def _zone(col: Any) -> str | None:
    if isinstance(col, pd.Series):
        return str(col.dt.tz)
    if isinstance(col, pd.DatetimeIndex):
        return str(col.tz)
    if isinstance(col, pl.Series):
        return col.dtype.time_zone  # type: ignore[no-any-return, union-attr]
    if isinstance(col, (pa.Array, pa.ChunkedArray)):
        return col.type.tz  # type: ignore[no-any-return]
    return None


def _masks(n: int) -> list[tuple[bool, ...]]:
    """No NaT, NaT at every single position, and all NaT."""
    out = [tuple([False] * n)]
    out += [tuple(i == j for j in range(n)) for i in range(n)]
    out.append(tuple([True] * n))
    return out


CASES = [(k, m) for k in KINDS for m in _masks(3)]


@pytest.mark.parametrize(
    ("kind", "mask"), CASES, ids=[f"{k}-{''.join('N' if x else '.' for x in m)}" for k, m in CASES]
)
def test_add_many_every_kind_every_nat_position(kind: str, mask: tuple[bool, ...]) -> None:
    vals = [None if m else v for v, m in zip(BASE, mask, strict=True)]
    tz = "UTC" if kind == "datetime64" else "Europe/London"
    col = column_of(vals, kind, tz)
    got = CAL.add_many(col, timedelta(hours=4))
    assert type(got) is type(col)
    assert _values(got) == [None if m else w for w, m in zip(WANT_ADD, mask, strict=True)]
    assert _zone(got) == _zone(col)
    if isinstance(col, pd.Series):
        assert list(got.index) == list(col.index)
        assert got.name == col.name
    if isinstance(col, (pd.DatetimeIndex, pl.Series)):
        assert got.name == col.name


def test_chunked_arrow_stays_chunked() -> None:
    col = pa.chunked_array(
        [
            column_of(BASE[:2], "pyarrow", "Europe/London"),
            column_of([BASE[2], None], "pyarrow", "Europe/London"),
        ]
    )
    got = CAL.add_many(col, "PT4H")
    assert isinstance(got, pa.ChunkedArray)
    assert _values(got) == [*WANT_ADD, None]


def test_list_keeps_each_kind_and_zone() -> None:
    lon = ZoneInfo("Europe/London")
    col = [pd.Timestamp(from_us(BASE[0], lon)), None, pd.NaT, from_us(BASE[2], ZoneInfo("Asia/Kolkata"))]
    got = CAL.add_many(col, timedelta(hours=4))
    assert type(got[0]) is pd.Timestamp
    assert got[1] is None
    assert got[2] is None
    assert got[3].tzinfo == ZoneInfo("Asia/Kolkata")
    assert _values(got[:1]) == WANT_ADD[:1]
    assert _values([got[3]]) == WANT_ADD[2:]


def test_missing_durations_give_missing_answers() -> None:
    col = column_of(BASE, "pandas.Series", "Europe/London")
    d = pd.Series(pd.to_timedelta(["4h", None, "4h"]), index=col.index)
    got = CAL.add_many(col, d)
    assert _values(got) == [WANT_ADD[0], None, WANT_ADD[2]]
    got2 = CAL.add_many(column_of(BASE, "datetime64"), np.array([4, "NaT", 4], dtype="timedelta64[h]"))
    assert _values(got2) == [WANT_ADD[0], None, WANT_ADD[2]]


@pytest.mark.parametrize("kind", KINDS)
def test_every_form_on_every_kind_equals_scalar(kind: str) -> None:
    vals: list[int | None] = [BASE[0], None, BASE[1], BASE[2]]
    tz = "UTC" if kind == "datetime64" else "Europe/London"
    col = column_of(vals, kind, tz)
    lon = ZoneInfo("Europe/London")
    plain = [None if v is None else from_us(v, lon) for v in vals]

    def scalar(fn: Any) -> list[int | None]:
        return [None if t is None else to_us(fn(t)) for t in plain]

    assert _values(CAL.next_open_many(col)) == scalar(CAL.next_open)
    assert _values(CAL.next_close_many(col)) == scalar(CAL.next_close)
    assert _values(CAL.add_days_many(col, 2)) == scalar(lambda t: CAL.add_days(t, 2))
    opened = CAL.is_open_many(col)
    got_open = opened.to_pylist() if isinstance(opened, (pa.Array, pa.ChunkedArray)) else list(opened)
    assert got_open == [t is not None and CAL.is_open(t) for t in plain]
    later = column_of([None if v is None else v + 86_400_000_000 for v in vals], kind, tz)
    spans = CAL.between_many(col, later)
    want = [None if t is None else CAL.between(t, t + timedelta(days=1)) for t in plain]
    if isinstance(spans, (list, pd.Series, pd.Index)):
        got_spans = [None if pd.isna(s) else pd.Timedelta(s).to_pytimedelta() for s in spans]
    elif isinstance(spans, np.ndarray):
        got_spans = [None if np.isnat(s) else timedelta(microseconds=int(s.astype(np.int64))) for s in spans]
    elif isinstance(spans, pl.Series):
        got_spans = spans.to_list()
    else:
        got_spans = spans.to_pylist()
    assert got_spans == want


def test_days_between_many_missing() -> None:
    col = column_of([BASE[0], None], "pandas.Series", "Europe/London")
    later = column_of([BASE[0] + 7 * 86_400_000_000, BASE[1]], "pandas.Series", "Europe/London")
    got = CAL.days_between_many(col, later)
    assert str(got.dtype) == "Int64"
    assert got.iloc[0] == 5
    assert got.isna().tolist() == [False, True]
    with pytest.raises(SlocalcValueError, match="cannot hold a missing count"):
        CAL.days_between_many(column_of([None], "datetime64"), column_of([BASE[0]], "datetime64"))


def test_naive_columns_are_refused() -> None:
    with pytest.raises(NaiveDatetimeError, match=r"tz_localize\('UTC'\)"):
        CAL.add_many(pd.Series(pd.to_datetime(["2026-12-04 15:00"])), timedelta(hours=1))
    with pytest.raises(NaiveDatetimeError, match="replace_time_zone"):
        CAL.add_many(pl.Series([datetime(2026, 12, 4, 15)]), timedelta(hours=1))
    with pytest.raises(NaiveDatetimeError, match=r"pa\.timestamp"):
        CAL.add_many(pa.array([datetime(2026, 12, 4, 15)]), timedelta(hours=1))


def test_sub_microsecond_columns_are_refused() -> None:
    ns = np.array(["2026-12-04T15:00:00.000000001"], dtype="datetime64[ns]")
    with pytest.raises(SlocalcValueError, match="sub-microsecond"):
        CAL.add_many(ns, timedelta(hours=1))
    # whole microseconds in nanosecond units are fine
    ok = np.array(["2026-12-04T15:00:00.000001"], dtype="datetime64[ns]")
    assert _values(CAL.add_many(ok, timedelta(0))) == [BASE[0] + 1]


@settings(max_examples=80, deadline=None)
@given(instant_columns(kinds=COLUMN_KINDS), st.integers(-30 * 3_600_000_000, 30 * 3_600_000_000))
def test_vectorised_equals_scalar_any_kind(drawn: tuple[Any, list[int | None]], d_us: int) -> None:
    col, vals = drawn
    d = timedelta(microseconds=d_us)
    got = CAL.add_many(col, d)
    want = [None if v is None else to_us(CAL.add(from_us(v), d)) for v in vals]
    assert _values(got) == want
    assert type(got) is type(col)


# -- due_many ----------------------------------------------------------------------------------

BERLIN = Customer(tz="Europe/Berlin", country="DE")
NEW_YORK = Customer(tz="America/New_York", country="US", subdiv="ma")


def test_due_many_hand_worked() -> None:
    # Fri 2026-11-20 15:00Z = 16:00 Berlin. Sev 1: 2 h on 24x7 -> 17:00Z. Sev 3: 12 business hours:
    # 1 h Friday, 9 h Monday 23rd, 2 h Tuesday -> Tue 10:00 Berlin = 09:00Z. Sev 2 for New York:
    # 10:00 New York, 4 h -> 14:00 New York = 19:00Z.
    starts = pd.Series(pd.to_datetime(["2026-11-20T15:00Z"] * 3 + [None], utc=True), index=list("abcd"))
    got = due_many(RAPID7, [1, 3, 2, 2], "initial_response", starts, [BERLIN, BERLIN, NEW_YORK, BERLIN])
    assert isinstance(got, pd.Series)
    assert list(got.index) == list("abcd")
    assert got.iloc[:3].tolist() == [
        pd.Timestamp("2026-11-20T17:00Z"),
        pd.Timestamp("2026-11-24T09:00Z"),
        pd.Timestamp("2026-11-20T19:00Z"),
    ]
    assert pd.isna(got.iloc[3])


def test_due_many_policy_wide_and_single_customer() -> None:
    t = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    got = due_many(RAPID7, [None, 2], "support_contact_change", [t, t], BERLIN)
    assert got == [
        RAPID7.due(None, "support_contact_change", t, BERLIN),
        RAPID7.due(2, "support_contact_change", t, BERLIN),
    ]


def test_due_many_all_missing_and_empty() -> None:
    nat = np.array(["NaT", "NaT"], dtype="datetime64[us]")
    assert np.isnat(due_many(RAPID7, [1, 2], "initial_response", nat, [BERLIN, BERLIN])).all()
    assert len(due_many(RAPID7, np.array([], dtype=np.int64), "initial_response", nat[:0], [])) == 0


def test_due_many_errors() -> None:
    t = np.array(["2026-11-20T15:00"], dtype="datetime64[us]")
    with pytest.raises(SlocalcValueError, match="expected 1 values"):
        due_many(RAPID7, [1, 2], "initial_response", t, [BERLIN])
    with pytest.raises(SlocalcValueError, match="severity level"):
        due_many(RAPID7, [1.5], "initial_response", t, [BERLIN])


ZONES = [
    Customer(tz=z, country=c)
    for z, c in [
        ("Europe/Berlin", "DE"),
        ("America/New_York", "US"),
        ("Asia/Kolkata", "IN"),
        ("Australia/Sydney", "AU"),
    ]
]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.none(),
                st.integers(to_us(datetime(2026, 1, 1, tzinfo=UTC)), to_us(datetime(2027, 1, 1, tzinfo=UTC))),
            ),
            st.sampled_from([1, 2, 3]),
            st.sampled_from(ZONES),
        ),
        max_size=10,
    ),
    st.sampled_from(["initial_response", "update"]),
    st.sampled_from(KINDS),
)
def test_due_many_equals_due_row_by_row(
    rows: list[tuple[int | None, int, Customer]], metric: str, kind: str
) -> None:
    vals = [r[0] for r in rows]
    tz = "UTC" if kind == "datetime64" else "Asia/Kolkata"
    col = column_of(vals, kind, tz)
    got = due_many(RAPID7, [r[1] for r in rows], metric, col, [r[2] for r in rows])
    want = [None if v is None else to_us(RAPID7.due(s, metric, from_us(v), c)) for v, s, c in rows]
    assert _values(got) == want
    assert type(got) is type(col)


@pytest.mark.parametrize(
    "d", [timedelta(hours=4), "PT4H", np.timedelta64(4, "h"), pd.Timedelta(hours=4)], ids=repr
)
def test_one_duration_of_any_kind_for_a_column(d: Any) -> None:
    assert _values(CAL.add_many(column_of(BASE, "datetime64"), d)) == WANT_ADD


def test_numpy_integers_are_not_durations() -> None:
    with pytest.raises(SlocalcTypeError, match="expected a duration"):
        CAL.add_many(column_of(BASE, "datetime64"), np.int64(5))


def test_due_many_categorical_customers() -> None:
    t = pd.Series(pd.to_datetime(["2026-11-20T15:00Z"] * 3, utc=True))
    cust = pd.Series([BERLIN, NEW_YORK, BERLIN]).astype("category")
    got = due_many(RAPID7, [3, 2, 2], "initial_response", t, cust)
    plain = due_many(RAPID7, [3, 2, 2], "initial_response", t, [BERLIN, NEW_YORK, BERLIN])
    assert got.tolist() == plain.tolist()
    assert got.iloc[0] == pd.Timestamp("2026-11-24T09:00Z")
    with pytest.raises(SlocalcValueError, match="missing"):
        due_many(
            RAPID7,
            [3],
            "initial_response",
            t[:1],
            pd.Series([None], dtype="category").cat.add_categories([BERLIN]),
        )


def test_due_many_follows_tiers() -> None:
    from slocalc.policies import Policy

    tiered = Policy.from_toml(
        """
name = "tiered"
[[severities]]
level = 1
targets.initial_response = "2 hours"
[tiers.premium.severities.1]
initial_response = "30 minutes"
"""
    )
    premium, base = Customer(tz="UTC", tier="premium"), Customer(tz="UTC")
    starts = np.array(["2026-11-20T15:00", "2026-11-20T15:00"], dtype="datetime64[us]")
    got = due_many(tiered, [1, 1], "initial_response", starts, [premium, base])
    # 30 minutes for the premium tier, 2 hours for the base targets
    assert got.tolist() == [datetime(2026, 11, 20, 15, 30), datetime(2026, 11, 20, 17, 0)]
