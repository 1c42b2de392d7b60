"""Issue 18, the CLI's part: one bad line never cancels a ``slocalc check`` run, and each
bad input is reported on its own line with a readable message (see docs/cli.md).

The command runs in this process (``slocalc.cli.main`` with captured streams), each test
feeding a file whose good lines must still be evaluated.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from slocalc import cli

NOW = "2026-03-31T17:00:00Z"
HEADER = "case_id,severity,opened_at,tz,country,subdiv,hours,event_at,kind,status,new_severity\n"


def case(i: int | str, **fields: object) -> str:
    data: dict[str, object] = {
        "id": f"C-{i}",
        "severity": 2,
        "opened_at": "2026-03-02T09:00:00Z",
        "customer": {"tz": "UTC"},
    }
    data.update(fields)
    return json.dumps(data)


def run(
    argv: list[str], stdin: bytes = b"", monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[int, str, str]:
    """``slocalc ARGV`` in this process: (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        status = cli.main(argv)
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return status, out.getvalue(), err.getvalue()


def check(path: Path | str, *flags: str, stdin: bytes = b"") -> tuple[int, dict[str, object], list[str]]:
    """``slocalc check PATH --format json``: (status, the document, stderr lines)."""
    argv = ["check", str(path), "--now", NOW, "--format", "json", "--no-progress", *flags]
    if "--now" in flags:
        argv[2:4] = []
    status, out, err = run(argv, stdin)
    return status, json.loads(out), err.splitlines()


def reported(doc: dict[str, object]) -> dict[int, str]:
    return {bad["line"]: bad["error"] for bad in doc["invalid"]}  # type: ignore[attr-defined, index]


def ids(doc: dict[str, object]) -> set[str]:
    return {a["case_id"] for a in doc["alerts"]}  # type: ignore[attr-defined, index]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- item 1: one bad line never cancels a run -------------------------------------------------


BAD_LINES = {
    "invalid UTF-8": (
        b'{"id": "C-x", "severity": 2, "opened_at": "\xff", "customer": {"tz": "UTC"}}',
        "not valid UTF-8: byte 0xff",
    ),
    "1000-deep JSON": (b"[" * 1000 + b"]" * 1000, "nested too deeply"),
    "4300+ digit int": (('{"id": "C-x", "severity": ' + "1" * 5000 + "}").encode(), "4,300 digits"),
    "year 1 minus an offset": (case("x", opened_at="0001-01-01T00:00:00+05:00").encode(), "out of range"),
    "year 9999 plus an offset": (
        case("x", opened_at="9999-12-31T23:59:59.999999-14:00").encode(),
        "out of range",
    ),
    "unknown subdivision": (
        case("x", customer={"tz": "America/New_York", "country": "US", "subdiv": "zz"}).encode(),
        "zz",
    ),
}


def test_a_lowercase_subdivision_is_read_case_insensitively(tmp_path: Path) -> None:
    # codes are case-insensitive: 'ma' is Massachusetts, so the case is evaluated like the others
    lower = case("x", customer={"tz": "America/New_York", "country": "us", "subdiv": "ma"}).encode()
    path = write(tmp_path, "c.jsonl", b"\n".join([case(1).encode(), lower, case(3).encode()]) + b"\n")
    _status, doc, _ = check(path)
    assert reported(doc) == {}


@pytest.mark.parametrize("name", list(BAD_LINES))
def test_one_bad_line_is_reported_on_its_line_and_the_others_are_evaluated(tmp_path: Path, name: str) -> None:
    bad, fragment = BAD_LINES[name]
    path = write(tmp_path, "c.jsonl", b"\n".join([case(1).encode(), bad, case(3).encode()]) + b"\n")
    status, doc, err = check(path)
    assert status == 2
    assert ids(doc) == {"C-1", "C-3"}
    assert list(reported(doc)) == [2]
    assert fragment in reported(doc)[2]
    assert not any("internal error" in line for line in err)


def test_a_utf16_file_is_read() -> None:
    status, doc, _ = check("-", stdin=(case(1) + "\n" + case(2) + "\n").encode("utf-16"))
    assert status == 1
    assert ids(doc) == {"C-1", "C-2"}


def test_a_csv_field_over_the_csv_limit_is_its_row_only(tmp_path: Path) -> None:
    rows = [
        "C-1,2,2026-03-02T09:00:00Z,UTC,,,,,,,\n",
        "C-2,2,2026-03-02T09:00:00Z," + "x" * 140_000 + ",,,,,,,\n",
        "C-3,2,2026-03-02T09:00:00Z,UTC,,,,,,,\n",
    ]
    _status, doc, _ = check(write(tmp_path, "c.csv", (HEADER + "".join(rows)).encode()))
    assert ids(doc) == {"C-1", "C-3"}
    assert list(reported(doc)) == [3]
    assert "field larger than field limit" in reported(doc)[3]


def test_deadlines_past_year_9999_fail_their_line_only(tmp_path: Path) -> None:
    late = case(
        1,
        severity=3,
        opened_at="9999-12-30T00:00:00Z",
        customer={"tz": "Pacific/Kiritimati", "country": "US"},
        events=[{"at": "9999-12-30T01:00:00Z", "kind": "support_update"}],
    )
    path = write(tmp_path, "c.jsonl", (late + "\n" + case(2) + "\n").encode())
    _status, doc, err = check(path, "--now", "9999-12-31T23:00:00Z")
    assert not any("internal error" in line for line in err)
    assert list(reported(doc)) == [1]
    assert ids(doc) == {"C-2"}


# -- items 2, 3: duplicate keys, numbers as text ----------------------------------------------


def test_a_duplicate_key_is_refused(tmp_path: Path) -> None:
    dup = '{"id": "C-2", "severity": 2, "opened_at": "2026-03-02T09:00:00Z", "severity": 3, "customer": {"tz": "UTC"}}'
    _status, doc, _ = check(write(tmp_path, "c.jsonl", (case(1) + "\n" + dup + "\n").encode()))
    assert reported(doc) == {2: "key 'severity' appears twice in one object; give each field once"}
    assert ids(doc) == {"C-1"}


@pytest.mark.parametrize("text", ["1774947600", "1774947600000", "5", " 12.5 "])
def test_a_number_as_text_is_not_unix_time(tmp_path: Path, text: str) -> None:
    events = [{"at": text, "kind": "support_update"}]
    lines = [case(1, opened_at=text), case(2, events=events)]
    _status, doc, _ = check(write(tmp_path, "c.jsonl", "\n".join(lines).encode()))
    bad = reported(doc)
    assert list(bad) == [1, 2]
    assert "opened_at" in bad[1]
    assert "events[0]" in bad[2]  # the model names an event by index and time, then its field
    assert all("not read as Unix time" in reason for reason in bad.values())


# -- items 4, 5, 6, 11: CSV and byte-order marks ----------------------------------------------


def test_an_unterminated_quote_is_named_on_its_own_line(tmp_path: Path) -> None:
    rows = '"C-1,2,2026-03-02T09:00:00Z,UTC,,,,,,,\nC-2,2,2026-03-02T09:00:00Z,UTC,,,,,,,\n'
    _status, doc, _ = check(write(tmp_path, "c.csv", (HEADER + rows).encode()))
    assert list(reported(doc)) == [2]
    assert "unterminated quote" in reported(doc)[2]
    assert "line 2 to line 3" in reported(doc)[2]


@pytest.mark.parametrize("flags", [(), ("--input-format", "jsonl")])
def test_a_bom_on_stdin_keeps_json_lines(flags: tuple[str, ...]) -> None:
    _status, doc, _ = check("-", *flags, stdin=b"\xef\xbb\xbf" + (case(1) + "\n" + case(2) + "\n").encode())
    assert ids(doc) == {"C-1", "C-2"}
    assert not reported(doc)


@pytest.mark.parametrize("flags", [(), ("--input-format", "csv")])
def test_a_bom_on_stdin_keeps_csv(flags: tuple[str, ...]) -> None:
    data = b"\xef\xbb\xbf" + (HEADER + "C-1,2,2026-03-02T09:00:00Z,UTC,,,,,,,\n").encode()
    _status, doc, _ = check("-", *flags, stdin=data)
    assert ids(doc) == {"C-1"}
    assert not reported(doc)


def test_a_bom_in_a_csv_file(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + (HEADER + "C-1,2,2026-03-02T09:00:00Z,UTC,,,,,,,\n").encode()
    _status, doc, _ = check(write(tmp_path, "c.csv", data))
    assert ids(doc) == {"C-1"}
    assert not reported(doc)


def test_a_short_csv_row_is_refused_like_a_long_one(tmp_path: Path) -> None:
    rows = [
        "C-1,2,2026-03-02T09:00:00Z,UTC,,,,,,,\n",
        "C-2,2,2026-03-02T09:00:00Z,UTC\n",
        "C-3,2,2026-03-02T09:00:00Z,UTC,,,,,,,,,\n",
    ]
    _status, doc, _ = check(write(tmp_path, "c.csv", (HEADER + "".join(rows)).encode()))
    assert reported(doc) == {
        3: "7 fewer field(s) than the header's 11",
        4: "2 more field(s) than the header's 11",
    }
    assert ids(doc) == {"C-1"}


def test_a_csv_error_found_in_evaluation_names_the_event_row(tmp_path: Path) -> None:
    rows = [
        "C-1,2,2026-03-02T09:00:00Z,UTC,,,,2026-03-02T10:00:00Z,support_update,,\n",
        "C-1,,,,,,,2026-03-02T11:00:00Z,status,in_progress,\n",
        "C-1,,,,,,,2026-03-02T12:00:00Z,status,bogus,\n",
    ]
    _status, doc, _ = check(write(tmp_path, "c.csv", (HEADER + "".join(rows)).encode()))
    assert list(reported(doc)) == [4]
    assert "status 'bogus'" in reported(doc)[4]


# -- item 12: readable messages ---------------------------------------------------------------


def test_a_huge_value_is_echoed_cut(tmp_path: Path) -> None:
    line = case(1, customer={"tz": "Z" * 1_000_000})
    _status, doc, err = check(write(tmp_path, "c.jsonl", (line + "\n").encode()))
    assert list(reported(doc)) == [1]
    assert len(reported(doc)[1]) <= 1000
    assert max(map(len, err)) < 1100


def test_an_empty_id_is_refused_in_json_lines_as_in_csv(tmp_path: Path) -> None:
    _, doc, _ = check(write(tmp_path, "c.jsonl", (case(1, id="") + "\n").encode()))
    _, doc_csv, _ = check(
        write(tmp_path, "c.csv", (HEADER + ",2,2026-03-02T09:00:00Z,UTC,,,,,,,\n").encode())
    )
    assert list(reported(doc)) == [1]
    assert list(reported(doc_csv)) == [2]
    assert "empty" in reported(doc)[1]
    assert "empty" in reported(doc_csv)[2]


def test_a_naive_instant_gets_advice_for_text_not_python(tmp_path: Path) -> None:
    _, doc, _ = check(write(tmp_path, "c.jsonl", (case(1, opened_at="2026-03-02T09:00:00") + "\n").encode()))
    reason = reported(doc)[1]
    assert "ZoneInfo" not in reason
    assert "tzinfo" not in reason
    assert "case 'C-1': opened_at: '2026-03-02T09:00:00' is naive (no UTC offset)" in reason


def test_with_stderr_closed_an_error_is_not_printed_on_stdout(tmp_path: Path) -> None:
    out = io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, None  # type: ignore[assignment]  # as after `2>&-`
    try:
        status = cli.main(["check", str(tmp_path / "missing.jsonl"), "--now", NOW])
    finally:
        sys.stdout, sys.stderr = old
    assert status == 2
    assert out.getvalue() == ""


# -- item 13: command-line conventions ---------------------------------------------------------


def test_check_reads_piped_stdin_without_file() -> None:
    status, out, _err = run(
        ["check", "--now", NOW, "--format", "csv", "--no-progress"], (case(1) + "\n").encode()
    )
    assert status == 1
    assert "C-1," in out


def test_check_without_file_at_a_terminal_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = io.StringIO()
    monkeypatch.setattr(sys, "stdin", Tty())
    monkeypatch.setattr(sys, "stderr", err)
    assert cli.main(["check", "--now", NOW]) == 2
    assert "no FILE given" in err.getvalue()


def usage_error(argv: list[str]) -> str:
    err = io.StringIO()
    old = sys.stderr
    sys.stderr = err
    try:
        with pytest.raises(SystemExit) as exit_:
            cli.main(argv)
    finally:
        sys.stderr = old
    assert exit_.value.code == 2
    return err.getvalue()


def test_long_options_are_exact_and_a_mistyped_one_gets_a_suggestion() -> None:
    message = usage_error(["deadline", "--sev", "2", "--opened", "2026-03-17T09:00Z", "--tz", "UTC"])
    assert "'--sev' is not an option; did you mean '--severity'" in message
    message = usage_error(["check", "x.jsonl", "--formt", "json"])
    assert "did you mean '--format'" in message


def test_every_command_that_prints_results_takes_format(tmp_path: Path) -> None:
    argv = [
        "deadline",
        "--severity",
        "2",
        "--opened",
        "2026-03-17T09:00Z",
        "--tz",
        "Europe/Dublin",
        "--country",
        "IE",
    ]
    status, out, _ = run([*argv, "--format", "json"])
    # St Patrick's Day is a holiday in IE: 4 business hours from Wed 08:00 (hand-worked)
    assert status == 0
    assert json.loads(out)["initial_response"]["due_at"] == "2026-03-18T12:00:00+00:00"
    status, out, _ = run(["coverage", "--week", "2026-W12", "--centers", "dublin", "--format", "json"])
    doc = json.loads(out)
    assert status == 0
    assert doc["gaps"][0] == {
        "start": "2026-03-16T00:00:00+00:00",
        "end": "2026-03-16T08:00:00+00:00",
        "duration_seconds": 8 * 3600,
    }


@pytest.mark.parametrize("severity", ["high", "High", "2"])
def test_severity_by_level_or_name(severity: str) -> None:
    argv = [
        "deadline",
        "--severity",
        severity,
        "--opened",
        "2026-03-17T09:00Z",
        "--tz",
        "UTC",
        "--country",
        "IE",
    ]
    status, out, _ = run(argv)
    assert status == 0
    assert out.startswith("Severity 2 (High)")


def test_an_unknown_severity_lists_levels_and_names() -> None:
    status, _, err = run(["deadline", "--severity", "hihg", "--opened", "2026-03-17T09:00Z", "--tz", "UTC"])
    assert status == 2
    assert "expected one of 1 (Critical), 2 (High), 3 (Medium); did you mean 'High'?" in err


def test_dash_v_prints_the_version() -> None:
    status, out, _ = run(["-V"])
    assert status == 0
    assert out.startswith("slocalc ")


def test_help_points_to_the_docs_site() -> None:
    out = io.StringIO()
    old = sys.stdout
    sys.stdout = out
    try:
        with pytest.raises(SystemExit):
            cli.main(["--help"])
    finally:
        sys.stdout = old
    assert cli.DOCS_URL in out.getvalue()
    assert "docs/cli.md" not in out.getvalue()


def test_deadline_without_country_says_holidays_are_ignored() -> None:
    argv = ["deadline", "--severity", "2", "--opened", "2026-03-17T09:00Z", "--tz", "Europe/Dublin"]
    status, _out, err = run(argv)
    assert status == 0
    assert "no public holidays are skipped" in err
    _, _, err = run([*argv, "--country", "IE"])
    assert err == ""
