"""Fuzzing ``slocalc check`` and the streaming readers with malformed exports (issue 18).

Hypothesis builds JSON Lines and CSV files from valid case lines, byte-level mutations of
them (flipped, dropped, inserted and duplicated bytes) and arbitrary bytes, and feeds them
to :func:`slocalc.cases.read_cases` and to ``slocalc check`` run in this process
(``slocalc.cli.main`` with captured streams, no subprocess per example). Asserted:

* nothing but a :class:`~slocalc.errors.SlocalcError` escapes, and the command never
  reports an internal error;
* every valid line of a mixed file is still evaluated (never reported invalid) and
  counted;
* bounded time per input, through Hypothesis's ``deadline`` (never a timed assert).

The ``ci`` profile (tests/conftest.py) keeps this file to a few seconds;
``HYPOTHESIS_PROFILE=nightly`` runs 20x more examples (see docs/cli.md, "Bad input").
"""

from __future__ import annotations

import io
import json
import sys
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slocalc import cli
from slocalc.cases import CaseRecord, InvalidLine, read_cases

NOW = "2026-03-31T17:00:00Z"
HEADER = b"case_id,severity,opened_at,tz,country,subdiv,hours,event_at,kind,status,new_severity\n"
#: bounded time per input; the ``ci`` profile's 100 examples are cut to 40 here unless a
#: longer profile is chosen (``HYPOTHESIS_PROFILE=nightly``: 2,000)
FUZZ = settings(
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=40 if settings.default.max_examples <= 100 else settings.default.max_examples,
)


def good_json(i: int) -> bytes:
    data = {
        "id": f"G-{i}",
        "severity": 1 + i % 3,
        "opened_at": "2026-03-02T09:00:00+01:00",
        "customer": {"tz": "Europe/Berlin", "country": "DE"},
        "events": [
            {"at": "2026-03-02T10:00:00+01:00", "kind": "support_update"},
            {"at": "2026-03-03T10:00:00+01:00", "kind": "status", "status": "waiting_on_customer"},
        ],
    }
    return json.dumps(data).encode()


def good_csv(i: int) -> bytes:
    return (
        f"G-{i},{1 + i % 3},2026-03-02T09:00:00+01:00,Europe/Berlin,DE,,,2026-03-02T10:00:00+01:00,support_update,,\n"
        f"G-{i},,,,,,,2026-03-03T10:00:00+01:00,status,waiting_on_customer,\n"
    ).encode()


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few byte-level edits, or arbitrary bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=200))
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "drop", "insert", "dup"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "drop" and data:
            del data[at : at + draw(st.integers(1, 8))]
        elif op == "insert":
            data[at:at] = draw(
                st.sampled_from([b'"', b"{", b"[", b",", b"\n", b"\r", b"\x00", b"\xff", b"\\u", b"9" * 50])
            )
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 16))]
    return bytes(data)


def run_check(data: bytes, *flags: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        status = cli.main(["check", "-", "--now", NOW, "--format", "json", "--no-progress", *flags])
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return status, out.getvalue(), err.getvalue()


def read_all(data: bytes) -> list[CaseRecord | InvalidLine]:
    with read_cases(io.BytesIO(data)) as reader:
        return list(reader)


@FUZZ
@given(bad=st.lists(mutated(good_json(0)), min_size=1, max_size=4), good=st.integers(1, 4))
def test_json_lines_good_lines_survive_bad_ones(bad: list[bytes], good: int) -> None:
    lines = [good_json(i) for i in range(1, good + 1)]
    data = b"\n".join(lines + [b.replace(b"\n", b" ") for b in bad]) + b"\n"
    records = read_all(data)
    valid = {r.line for r in records if isinstance(r, CaseRecord)}
    assert set(range(1, good + 1)) <= valid
    status, out, err = run_check(data, "--input-format", "jsonl")
    assert "internal error" not in err
    doc = json.loads(out)
    assert status in (0, 1, 2)
    assert not {bad["line"] for bad in doc["invalid"]} & set(range(1, good + 1))
    assert doc["summary"]["cases"] + doc["summary"]["opened_after_now"] >= good


@FUZZ
@given(bad=st.lists(mutated(good_csv(0)), min_size=1, max_size=3), good=st.integers(1, 3))
def test_csv_good_rows_survive_bad_ones(bad: list[bytes], good: int) -> None:
    body = b"".join(good_csv(i) for i in range(1, good + 1))
    tail = b"".join(b if b.endswith(b"\n") else b + b"\n" for b in bad)
    data = HEADER + body + tail
    _status, out, err = run_check(data, "--input-format", "csv")
    assert "internal error" not in err
    doc = json.loads(out)
    good_lines = set(range(2, 2 + 2 * good))
    invalid = {bad["line"] for bad in doc["invalid"]}
    # a mutated row may name a good case (and so spoil it) or open a quote that runs on:
    # then that case is reported, else every good case is counted
    if not invalid & good_lines and b'"' not in tail:
        assert doc["summary"]["cases"] >= good or any("G-" in bad["error"] for bad in doc["invalid"])


@FUZZ
@given(
    data=st.binary(max_size=400)
    | mutated(HEADER + good_csv(1))
    | mutated(good_json(1) + b"\n" + good_json(2))
)
def test_readers_raise_nothing_on_any_bytes(data: bytes) -> None:
    for item in read_all(data):
        assert isinstance(item, CaseRecord | InvalidLine)
        if isinstance(item, InvalidLine):
            assert item.line >= 1
            assert len(item.reason) <= 1000
            item.reason.encode("utf-8")  # printable anywhere


@FUZZ
@given(
    data=mutated(good_json(1) + b"\n" + good_json(2) + b"\n") | mutated(HEADER + good_csv(1) + good_csv(2))
)
def test_check_never_fails_internally(data: bytes) -> None:
    for fmt in ("table", "csv"):
        out, err = io.StringIO(), io.StringIO()
        old = sys.stdin, sys.stdout, sys.stderr
        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
        sys.stdout, sys.stderr = out, err
        try:
            status = cli.main(["check", "-", "--now", NOW, "--format", fmt, "--no-progress"])
        finally:
            sys.stdin, sys.stdout, sys.stderr = old
        assert status in (0, 1, 2)
        assert "internal error" not in err.getvalue()
        out.getvalue().encode("utf-8")
