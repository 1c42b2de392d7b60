"""The columnar JSON Lines reader's speed paths, each against its fallback.

``_Sources``: a batch's sources hold each JSON line's text until read (an object per case
only when indexed or iterated), with the cases the reader's own path built as ``Case``
objects; whatever the path, ``case(i)`` is the reader's case.

``iso_rows_us``: the instants of one layout, read a column at a time, taken exactly when
``CaseBuilder`` takes them itself (hand-worked instants, refused texts, and a Hypothesis
property against the pattern and ``fromisoformat``).
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc._time import ISO_LAYOUTS, iso_rows_us, to_us
from slocalc.cases import CaseRecord, read_cases
from slocalc.cases._colread import ColumnBuilder, _Line, _Sources, _status_table
from slocalc.cases._fast import _INSTANT
from slocalc.cases._models import Case


def _line(case_id: str, opened: str = "2026-03-02T09:00:00Z", at: str = "2026-03-02T10:00:00Z") -> str:
    return json.dumps(
        {
            "id": case_id,
            "severity": 2,
            "opened_at": opened,
            "customer": {"tz": "UTC"},
            "events": [{"at": at, "kind": "support_update"}],
        }
    )


def _stored(sources: list[Any]) -> list[type]:
    """The types of the items as stored (not read through ``_Sources``)."""
    return [type(list.__getitem__(sources, k)) for k in range(len(sources))]


def test_sources_hold_texts_until_read() -> None:
    texts = [_line("C-1"), _line("C-2")]
    cols, invalid = ColumnBuilder().build(enumerate(texts, 1))
    assert invalid == []
    assert type(cols.sources) is _Sources
    assert _stored(cols.sources) == [str, str]
    first = cols.sources[0]
    assert type(first) is _Line
    assert first.text == texts[0]
    assert cols.sources[0] is first  # kept once read
    assert _stored(cols.sources) == [_Line, str]
    assert [dict(s)["id"] for s in cols.sources] == ["C-1", "C-2"]
    assert _stored(cols.sources) == [_Line, _Line]


def test_sources_slices_and_reversed() -> None:
    sources = _Sources(["a", "b", "c"])
    assert [s.text for s in sources[::2]] == ["a", "c"]
    assert [s.text for s in reversed(sources)] == ["c", "b", "a"]
    assert [s.text for s in sources[-1:]] == ["c"]
    assert sources[-2].text == "b"


def test_sources_with_refused_and_slow_cases() -> None:
    """A refused line drops its case (the kept ones stay texts); a case the fast path does
    not take (a one-digit fraction, a space for ``T``) is the reader's ``Case``."""
    lines = [
        (1, _line("C-1")),
        (2, _line("C-2", opened="2026-03-02T09:00:00.5Z")),
        (3, "{"),
        (4, _line("C-3", opened="2026-03-02 09:00:00Z")),
        (5, _line("C-4")),
    ]
    cols, invalid = ColumnBuilder().build(lines)
    assert [i.line for i in invalid] == [3]
    assert cols.ids == ["C-1", "C-2", "C-3", "C-4"]
    assert type(cols.sources) is _Sources
    assert _stored(cols.sources) == [str, Case, Case, str]
    text = "".join(t + "\n" for _, t in lines)
    want = [i.case for i in read_cases(io.StringIO(text), format="jsonl") if isinstance(i, CaseRecord)]
    assert [cols.case(i) for i in range(len(cols))] == want
    assert cols.case(1).opened_at.microsecond == 500_000  # hand-worked: ".5" is 500000 us


# -- iso_rows_us: the instants of one layout, a column at a time ---------------------------


def _rows(texts: list[str]) -> Any:
    return np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8).reshape(len(texts), len(texts[0]))


@pytest.mark.parametrize(
    ("text", "us"),
    [
        ("1970-01-01T00:00Z", 0),
        ("1970-01-02T00:00:00+01:00", 23 * 3600 * 10**6),
        ("1969-12-31T23:59:59.999999Z", -1),
        ("1969-12-31T23:59:59.999-00:01", 59_999_000),
        ("2000-03-01T00:00:00Z", 951_868_800 * 10**6),  # the Unix time of 2000-03-01
        ("2000-02-29T23:59Z", (951_868_800 - 60) * 10**6),  # 2000: a leap year (by 400)
        ("0002-01-01T00:00Z", -62_104_060_800 * 10**6),  # 0001-01-01 is -62135596800; + 365 days
    ],
)
def test_iso_rows_hand_worked(text: str, us: int) -> None:
    got, ok = iso_rows_us(np, _rows([text, text]), *ISO_LAYOUTS[len(text)])
    assert ok.tolist() == [True, True]
    assert got.tolist() == [us, us]


@pytest.mark.parametrize(
    "text",
    [
        "1900-02-29T00:00Z",  # 1900: not a leap year (by 100)
        "2026-04-31T00:00Z",
        "2026-00-10T00:00Z",
        "2026-13-10T00:00Z",
        "2026-01-00T00:00Z",
        "2026-01-01T24:00Z",
        "2026-01-01T00:60Z",
        "2026-01-01T00:00:60Z",
        "2026-01-01T00:00:00,500Z",
        "2026-01-01T00:00:00+24:00",
        "2026-01-01T00:00:00+01:60",
        "2026-01-01T00:00:00,01:00",  # the one byte between "+" and "-"
        "2026-01-01 00:00:00Z",
        "0001-12-31T00:00Z",  # year 1 and 9999: the reader's own path words them
        "9999-01-01T00:00Z",
        "20a6-01-01T00:00Z",
        "2026-01-01T00:00z",
    ],
)
def test_iso_rows_refused(text: str) -> None:
    ok = iso_rows_us(np, _rows([text]), *ISO_LAYOUTS[len(text)])[1]
    assert ok.tolist() == [False]


_LAYOUT_TEXTS = st.tuples(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    st.sampled_from(sorted(ISO_LAYOUTS)),
    st.integers(-23 * 60 - 59, 23 * 60 + 59),
    st.lists(st.tuples(st.integers(0, 40), st.sampled_from("0123459-:T.Z+ ,/")), max_size=2),
)


def _layout_text(drawn: tuple[datetime, int, int, list[tuple[int, str]]], size: int) -> str:
    moment, _, minutes, changes = drawn
    body, fraction, offset = ISO_LAYOUTS[size]
    text = moment.isoformat(timespec="microseconds")[: 20 + fraction if fraction else body]
    sign = "-" if minutes < 0 else "+"
    text += f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}" if offset else "Z"
    chars = list(text)
    for at, char in changes:
        chars[at % size] = char
    return "".join(chars)


@settings(max_examples=60, deadline=None)
@given(st.lists(_LAYOUT_TEXTS, min_size=1, max_size=40), st.sampled_from(sorted(ISO_LAYOUTS)))
def test_iso_rows_agree_with_fromisoformat(drawn: list[Any], size: int) -> None:
    """Each text is taken exactly when ``CaseBuilder`` takes it itself (its pattern, then
    ``fromisoformat``, a year from 2 to 9998), at the instant ``to_us`` gives, for texts of
    one layout with up to two characters changed."""
    texts = [_layout_text(d, size) for d in drawn]
    us, ok = iso_rows_us(np, _rows(texts), *ISO_LAYOUTS[size])
    for text, got, fine in zip(texts, us.tolist(), ok.tolist(), strict=True):
        parsed = None
        if _INSTANT.match(text):
            with contextlib.suppress(ValueError):
                parsed = datetime.fromisoformat(text)
        if parsed is None or not 1 < parsed.year < 9999:
            assert not fine, text
        else:
            assert fine, text
            assert got == to_us(parsed), text


# -- _status_table: status codes renumbered by first appearance, in one pass ---------------


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-1, 5), max_size=30))
def test_status_table_numbers_by_first_appearance(codes: list[int]) -> None:
    names = ["a", "b", "c", "d", "e", "f"]
    got, found = _status_table(np.array(codes, dtype=np.int32), names)
    firsts = list(dict.fromkeys(c for c in codes if c >= 0))  # in order of first appearance
    assert found == [names[c] for c in firsts]
    assert got.tolist() == [firsts.index(c) if c >= 0 else -1 for c in codes]
    assert got.dtype == np.int32


# -- _zone_of: each opened_at offset's zone, read from a text the fast path takes -----------


@pytest.mark.parametrize("refused_first", [False, True])
def test_zone_of_an_offset_also_on_a_refused_text(refused_first: bool) -> None:
    """A month 13 refuses a case whose ``opened_at`` has the same offset as a valid one: the
    valid case still has its zone (+05:45 is 20700 s), in either order."""
    good = (1, _line("C-1", opened="2026-03-02T09:00:00+05:45"))
    bad = (2, _line("C-2", opened="2026-13-02T09:00:00+05:45"))
    cols, invalid = ColumnBuilder().build([bad, good] if refused_first else [good, bad])
    assert [i.line for i in invalid] == [2]
    assert cols.ids == ["C-1"]
    assert [cols.zones[z].utcoffset(None) for z in cols.zone.tolist()] == [timedelta(seconds=20700)]
    assert cols.opened.tolist() == [(1772442000 - 20700) * 10**6]  # 2026-03-02T09:00Z is 1772442000
