"""The batch-at-once ``ColumnBuilder`` agrees with the per-record reader, anomaly by anomaly.

Differential: ``ColumnBuilder().build`` over a text's numbered lines (batch after batch,
one builder) against ``read_cases`` of the same text: the same cases as columns
(``columns_from_cases`` of the reader's cases, every array and table), the same invalid
lines (number and reason, in order). The texts are ``make_cases`` exports with anomalies
put at chosen places within a batch (first and last case, runs of bad lines, a duplicate
of a case only the slow path takes...), and Hypothesis mixes of them. Plus the two parts
that replace per-value Python: instants parsed by numpy against the one-by-one parse, and
``SeenIds.first_many`` against ``SeenIds.first``; and hand-worked values.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc.cases import CaseRecord, InvalidLine, read_cases
from slocalc.cases._colread import ColumnBuilder
from slocalc.cases._columns import columns_from_cases
from slocalc.cases._seen import SeenIds
from test_colread import _same_columns

ROOT = Path(__file__).resolve().parent.parent
MAX = 2**63 - 1


def _check(text: str, size: int = 4096, cases: bool = True) -> list[CaseRecord | InvalidLine]:
    """Assert that ``ColumnBuilder`` batches of ``size`` lines agree with the reader."""
    items = list(read_cases(io.StringIO(text), format="jsonl"))
    lines = text.splitlines(keepends=True)
    assert lines == list(io.StringIO(text))  # the reader's lines
    pairs = list(enumerate(lines, 1))
    records = [i for i in items if isinstance(i, CaseRecord)]
    builder = ColumnBuilder()
    invalid: list[InvalidLine] = []
    for k in range(0, len(pairs), size):
        cols, bad = builder.build(pairs[k : k + size])
        invalid += bad
        mine = [r for r in records if k < r.line <= k + size]
        _same_columns(cols, columns_from_cases([r.case for r in mine], [r.line for r in mine]), cases)
    assert invalid == [i for i in items if isinstance(i, InvalidLine)]
    return items


def _export(count: int, seed: int) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import make_cases  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    out = io.StringIO()
    make_cases.write_jsonl(make_cases.generate(count, seed=seed), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


_BASE = _export(60, seed=21)


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data)


# -- anomalies: each turns a case (a copy) into the text of one line -----------------------


def _slow_valid(data: dict[str, Any]) -> str:
    """A valid case the fast path leaves to the reader's way: a null customer field."""
    data["customer"]["subdiv"] = None
    return _dump(data)


def _escaped(data: dict[str, Any]) -> str:
    """A valid case with a backslash (parsed with the hook)."""
    data["id"] += "-\u00e9"
    return _dump(data)  # ensure_ascii: \\u00e9


def _unsorted(data: dict[str, Any]) -> str:
    data["events"].reverse()
    return _dump(data)


def _equal_instants(data: dict[str, Any]) -> str:
    for event in data["events"]:
        event["at"] = data["opened_at"]
    return _dump(data)


def _unknown_status(data: dict[str, Any]) -> str:
    """A status name no policy has: still a case (names are checked against the policy later)."""
    data["events"].append({"at": data["opened_at"], "kind": "status", "status": "escalated_to_l3"})
    return _dump(data)


def _bad_status(data: dict[str, Any]) -> str:
    data["events"].append({"at": data["opened_at"], "kind": "status", "status": "In Progress"})
    return _dump(data)


def _extreme(value: int) -> Callable[[dict[str, Any]], str]:
    def mutate(data: dict[str, Any]) -> str:
        data["severity"] = value
        data["events"].append({"at": data["opened_at"], "kind": "severity", "severity": value})
        return _dump(data)

    return mutate


def _offset(text: str, event: str) -> Callable[[dict[str, Any]], str]:
    def mutate(data: dict[str, Any]) -> str:
        data["opened_at"] = text
        data["events"] = [{"at": event, "kind": "support_update"}, *data["events"]]
        for e in data["events"][1:]:
            e["at"] = "2026-06-01T00:00:00.000001Z"
        return _dump(data)

    return mutate


def _text_replace(old: str, new: str) -> Callable[[dict[str, Any]], str]:
    def mutate(data: dict[str, Any]) -> str:
        return _dump(data).replace(old, new, 1)

    return mutate


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], str]:
    def mutate(data: dict[str, Any]) -> str:
        data[key] = value
        return _dump(data)

    return mutate


def _event_field(key: str, value: Any) -> Callable[[dict[str, Any]], str]:
    def mutate(data: dict[str, Any]) -> str:
        data["events"].append({"at": data["opened_at"], "kind": "support_update", key: value})
        return _dump(data)

    return mutate


ANOMALIES: dict[str, Callable[[dict[str, Any]], str]] = {
    "slow_valid": _slow_valid,
    "escaped": _escaped,
    "unsorted": _unsorted,
    "equal_instants": _equal_instants,
    "unknown_status": _unknown_status,
    "bad_status": _bad_status,
    "max": _extreme(MAX),
    "min": _extreme(-MAX),
    "beyond_max": _extreme(MAX + 1),
    "beyond_min": _extreme(-MAX - 1),
    "huge": _extreme(10**30),
    "kathmandu": _offset("2026-03-02T09:00:00+05:45", "2026-03-02T03:15:00.500Z"),
    "minus_half_hour": _offset("2026-03-02T00:00:00.123-00:30", "2026-03-02T00:30:00.123456Z"),
    "minus_zero": _offset("2026-03-02T00:00-00:00", "2026-03-02T00:00:00+00:00"),
    "one_digit_fraction": _offset("2026-03-02T00:00:00.5Z", "2026-03-02T00:00:01Z"),
    "no_leap_day": _offset("2023-02-29T00:00:00Z", "2023-03-01T00:00:00Z"),
    "leap_day": _offset("2024-02-29T23:59:59.999999+14:00", "2024-02-29T10:00Z"),
    "year_9999": _offset("9999-12-31T00:00:00Z", "9999-12-31T01:00:00Z"),
    "year_1": _offset("0001-01-01T12:00:00Z", "0001-01-02T00:00:00Z"),
    "hour_24": _offset("2026-03-02T24:00:00Z", "2026-03-03T00:00:00Z"),
    "offset_24": _offset("2026-03-02T00:00:00+24:00", "2026-03-03T00:00:00Z"),
    "lower_t": _offset("2026-03-02t00:00:00Z", "2026-03-03T00:00:00Z"),
    "space_t": _offset("2026-03-02 00:00:00Z", "2026-03-03T00:00:00Z"),
    "naive": _offset("2026-03-02T00:00:00", "2026-03-03T00:00:00Z"),
    "non_ascii_id": lambda data: json.dumps({**data, "id": data["id"] + "-\u00e9"}, ensure_ascii=False),
    "non_ascii_instant": lambda data: json.dumps(
        {**data, "opened_at": "\uff12026-03-02T00:00:00Z"}, ensure_ascii=False
    ),
    "arabic_digit_instant": lambda data: json.dumps(
        {**data, "opened_at": "2026-03-0\u0662T00:00:00Z", "id": data["id"] + "-\u00e9"}, ensure_ascii=False
    ),
    "surrogate": lambda data: _dump(data).replace('"id": "', '"id": "\udc80', 1),
    "long_instant": _offset("2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z" + " " * 300),
    "early_event": _offset("2026-03-02T00:00:00Z", "2026-03-01T23:59:59.999Z"),
    "duplicate_key": _text_replace('"severity": ', '"severity": 3, "severity": '),
    "nested_duplicate_key": _text_replace('"tz": ', '"tz": "UTC", "tz": '),
    "event_duplicate_key": _text_replace('"kind": ', '"kind": "customer_update", "kind": '),
    "space_before_colon": _text_replace('"opened_at":', '"opened_at" :'),
    "compact": lambda data: json.dumps(data, separators=(",", ":")),
    "extra_key": _set("bogus", 1),
    "extra_string_key": _set("note", "x"),
    "no_events": lambda data: _dump({k: v for k, v in data.items() if k != "events"}),
    "null_events": _set("events", None),
    "bool_severity": _set("severity", True),
    "float_severity": _set("severity", 2.0),
    "empty_id": _set("id", " "),
    "number_id": _set("id", 7),
    "null_status": _event_field("status", None),
    "update_with_severity": _event_field("severity", 2),
    "unknown_kind": _text_replace('"kind": "support_update"', '"kind": "suport_update"'),
    "list_kind": _text_replace('"kind": "support_update"', '"kind": ["support_update"]'),
    "list_status": _text_replace('"status": "in_progress"', '"status": ["in_progress"]'),
    "event_not_object": lambda data: _dump({**data, "events": [*data["events"], 1]}),
    "bad_json": lambda data: _dump(data)[:-3],
    "trailing_garbage": lambda data: _dump(data) + " x",
    "trailing_space": lambda data: _dump(data) + " \t",
    "leading_space": lambda data: " " + _dump(data),
    "not_object": lambda data: "[1, 2]",
    "blank": lambda data: "   ",
    "empty": lambda data: "",
    "bad_customer": lambda data: _dump({**data, "customer": {"tz": "Mars/Base"}}),
    "customer_extra": lambda data: _dump({**data, "customer": {**data["customer"], "tier": "gold"}}),
}


def _text(anomalies: dict[int, str], base: list[dict[str, Any]] = _BASE) -> str:
    """The export ``base`` with the anomaly named at each given line (1-based); the anomaly
    ``dup:N`` repeats the id of line N (a duplicate, or a first if line N is not a case)."""
    lines = []
    for number, data in enumerate(base, 1):
        copy = json.loads(json.dumps(data))
        how = anomalies.get(number)
        if how is None:
            lines.append(_dump(copy))
        elif how.startswith("dup:"):
            copy["id"] = base[int(how[4:]) - 1]["id"]
            lines.append(_dump(copy))
        else:
            lines.append(ANOMALIES[how](copy))
    return "\n".join(lines) + "\n"


def test_the_clean_export() -> None:
    items = _check(_text({}), size=16)
    assert all(isinstance(i, CaseRecord) for i in items)


@pytest.mark.parametrize("how", sorted(ANOMALIES))
def test_each_anomaly_at_the_edges_of_a_batch(how: str) -> None:
    # a batch of 8 lines: first line, last line, first of the next, and one in the middle
    _check(_text({1: how, 8: how, 9: how, 13: how}), size=8)


def test_runs_of_bad_lines_and_duplicates_of_slow_cases() -> None:
    anomalies = {
        1: "slow_valid",
        2: "bad_json",
        3: "duplicate_key",
        4: "blank",
        5: "dup:1",  # the first line was a case only the slow path took
        6: "escaped",
        7: "dup:6",  # no duplicate: line 6's id has a suffix
        8: "dup:2",  # line 2 was invalid: this is a first
        9: "dup:2",  # a duplicate of line 8
        10: "unsorted",
        11: "dup:10",
        12: "beyond_max",
        13: "dup:12",  # line 12 was invalid: a first
        17: "dup:1",  # in a later batch
        25: "dup:25",
        26: "dup:3",
    }
    items = _check(_text(anomalies), size=8)
    reasons = {i.line: i.reason for i in items if isinstance(i, InvalidLine)}
    first = _BASE[0]["id"]
    assert reasons[5] == f"case {first!r}: duplicate case id (first on line 1); one case per line"
    assert reasons[17] == f"case {first!r}: duplicate case id (first on line 1); one case per line"
    assert 8 not in reasons
    assert 13 not in reasons
    assert reasons[9] == f"case {_BASE[1]['id']!r}: duplicate case id (first on line 8); one case per line"
    assert 11 in reasons


@settings(max_examples=60)
@given(
    st.dictionaries(
        st.integers(1, len(_BASE)),
        st.sampled_from(sorted(ANOMALIES)) | st.integers(1, len(_BASE)).map(lambda n: f"dup:{n}"),
        max_size=20,
    ),
    st.sampled_from([1, 2, 3, 7, 16, 64]),
)
def test_anomalies_mixed(anomalies: dict[int, str], size: int) -> None:
    _check(_text(anomalies), size=size, cases=False)


def test_a_larger_export_in_batches() -> None:
    base = _export(1500, seed=5)
    anomalies = dict(zip(range(3, 1500, 97), sorted(ANOMALIES) * 2, strict=False))
    items = _check(_text(anomalies, base), size=512, cases=False)
    assert sum(isinstance(i, CaseRecord) for i in items) > 1450


# -- hand-worked ----------------------------------------------------------------------------

# 2026-03-02T00:00Z is day 20514 since 1970-01-01 (56 years with 14 leap days: 20454 days
# to 2026-01-01, then 31 + 28 + 1), so 1_772_409_600 s; 2024-02-29T00:00Z is day 19782
# (54 years with 13 leap days: 19723 to 2024-01-01, then 31 + 28), so 1_709_164_800 s.
_MIDNIGHT = 1_772_409_600
_LEAP_DAY = 1_709_164_800


def test_instants_by_hand() -> None:
    text = _text({1: "minus_half_hour", 2: "leap_day", 3: "kathmandu", 4: "minus_zero"}, _BASE[:4])
    cols, invalid = ColumnBuilder().build(list(enumerate(text.splitlines(keepends=True), 1)))
    assert invalid == []
    first = cols.first.tolist()
    # 00:00:00.123-00:30 is 00:30:00.123Z
    assert cols.opened[0] == (_MIDNIGHT + 1800) * 10**6 + 123_000
    assert cols.at[first[0]] == (_MIDNIGHT + 1800) * 10**6 + 123_456
    # 23:59:59.999999+14:00 on 29 February 2024 is 09:59:59.999999Z that day
    assert cols.opened[1] == (_LEAP_DAY + 10 * 3600) * 10**6 - 1
    assert cols.at[first[1]] == (_LEAP_DAY + 10 * 3600) * 10**6
    # 09:00+05:45 is 03:15Z
    assert cols.opened[2] == (_MIDNIGHT + 3 * 3600 + 15 * 60) * 10**6
    assert cols.opened[3] == _MIDNIGHT * 10**6
    assert [cols.zones[z].utcoffset(None) for z in cols.zone.tolist()] == [
        timedelta(minutes=-30),
        timedelta(hours=14),
        timedelta(hours=5, minutes=45),
        timedelta(0),
    ]


def test_unsorted_events_and_ties_by_hand() -> None:
    data = {
        "id": "C-1",
        "severity": 2,
        "opened_at": "2026-03-02T00:00:00Z",
        "customer": {"tz": "UTC"},
        "events": [
            {"at": "2026-03-02T02:00:00Z", "kind": "support_update"},
            {"at": "2026-03-02T01:00:00Z", "kind": "status", "status": "in_progress"},
            {"at": "2026-03-02T02:00:00Z", "kind": "severity", "severity": MAX},
            {"at": "2026-03-02T01:00:00+00:00", "kind": "customer_update"},
        ],
    }
    cols, invalid = ColumnBuilder().build([(1, json.dumps(data) + "\n")])
    assert invalid == []
    assert cols.index.tolist() == [1, 3, 0, 2]  # by instant, ties in the given order
    assert cols.kind.tolist() == [2, 1, 0, 3]
    assert cols.level.tolist() == [0, 0, 0, MAX]
    assert cols.status.tolist() == [0, -1, -1, -1]
    assert cols.at.tolist() == [(_MIDNIGHT + h * 3600) * 10**6 for h in (1, 1, 2, 2)]


def test_duplicate_of_a_slow_case_by_hand() -> None:
    slow = '{"id": "C-1", "severity": 2, "opened_at": "2026-03-02T00:00:00Z", "customer": {"tz": "UTC", "country": null}}'
    fast = '{"id": "C-1", "severity": 2, "opened_at": "2026-03-02T00:00:00Z", "customer": {"tz": "UTC"}}'
    builder = ColumnBuilder()
    cols, invalid = builder.build(
        [(1, fast.replace("C-1", "C-0") + "\n"), (2, slow + "\n"), (3, fast + "\n")]
    )
    assert cols.ids == ["C-0", "C-1"]
    assert cols.lines == [1, 2]
    message = "case 'C-1': duplicate case id (first on line 2); one case per line"
    assert invalid == [InvalidLine(3, message)]
    cols, invalid = builder.build([(4, fast + "\n"), (5, slow.replace("C-1", "C-2") + "\n")])
    assert cols.ids == ["C-2"]
    assert invalid == [InvalidLine(4, message)]


# -- the parts: instants, seen ids ----------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _reference_us(text: str) -> int | None:
    """What ``CaseBuilder`` takes itself (its pattern, fromisoformat, a year from 2 to 9998)."""
    from slocalc.cases._fast import _INSTANT

    if not _INSTANT.match(text):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not 1 < parsed.year < 9999:
        return None
    return (parsed - _EPOCH) // timedelta(microseconds=1)


@st.composite
def _instant_texts(draw: st.DrawFn) -> str:
    two = st.integers(0, 99).map("{:02d}".format)
    year = draw(
        st.sampled_from([0, 1, 2, 1900, 1970, 2000, 2023, 2024, 2100, 9998, 9999]) | st.integers(0, 9999)
    )
    text = f"{year:04d}-{draw(two)}-{draw(two)}T{draw(two)}:{draw(two)}"
    text = f"{year:04d}-{draw(st.integers(0, 13)):02d}-{draw(st.integers(0, 32)):02d}" + text[10:]
    if draw(st.booleans()):
        text += f":{draw(st.integers(0, 61)):02d}"
        digits = draw(st.sampled_from([0, 0, 3, 6, 1, 2, 4, 5, 7]))
        if digits:
            text += "." + "".join(
                draw(st.lists(st.sampled_from("0123456789"), min_size=digits, max_size=digits))
            )
    if draw(st.integers(0, 2)) == 0:
        text += "Z"
    else:
        text += f"{draw(st.sampled_from('+-'))}{draw(st.integers(0, 25)):02d}:{draw(st.integers(0, 61)):02d}"
    if draw(st.integers(0, 5)) == 0:  # a character changed
        k = draw(st.integers(0, len(text) - 1))
        text = text[:k] + draw(st.sampled_from("0:-T.Zz+ 9\u0661\u00e9")) + text[k + 1 :]
    return text


@settings(max_examples=200)
@given(st.lists(_instant_texts(), min_size=1, max_size=12))
def test_instants_parsed_together_as_one_by_one(texts: list[str]) -> None:
    builder = ColumnBuilder()
    lens = np.array([len(t) for t in texts], dtype=np.int64)
    got = builder._instants_of("".join(texts), lens).tolist()
    want = [_reference_us(t) for t in texts]
    assert got == [-(2**63) if w is None else w for w in want]


@settings(max_examples=100)
@given(
    st.lists(
        st.lists(st.sampled_from(["C-1", "C-2", "C-3", "", "\udc80", "é", "C-1 "]), max_size=8), max_size=6
    )
)
def test_seen_many_as_seen_ids(batches: list[list[str]]) -> None:
    seen, many = SeenIds(), SeenIds()
    line = 0
    for ids in batches:
        lines = np.arange(line + 1, line + 1 + len(ids), dtype=np.int64)
        line += len(ids)
        want = [seen.first(i, n) for i, n in zip(ids, lines.tolist(), strict=True)]
        assert many.first_many(ids, lines).tolist() == want
    assert len(many) == len(seen)


def test_seen_many_grows() -> None:
    seen, many = SeenIds(), SeenIds()
    for start in range(0, 20_000, 5000):
        ids = [f"C-{k % 12_000}" for k in range(start, start + 5000)]
        lines = np.arange(start + 1, start + 5001, dtype=np.int64)
        want = [seen.first(i, n) for i, n in zip(ids, lines.tolist(), strict=True)]
        assert many.first_many(ids, lines).tolist() == want
    assert len(many) == len(seen) == 12_000
