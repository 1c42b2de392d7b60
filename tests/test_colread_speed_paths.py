"""The columnar JSON Lines reader's speed paths, each against its fallback.

``_Sources``: a batch's sources hold each JSON line's text until read (an object per case
only when indexed or iterated), with the cases the reader's own path built as ``Case``
objects; whatever the path, ``case(i)`` is the reader's case.
"""

from __future__ import annotations

import io
import json
from typing import Any

from slocalc.cases import CaseRecord, read_cases
from slocalc.cases._colread import ColumnBuilder, _Line, _Sources
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
