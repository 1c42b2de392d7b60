"""``slocalc check`` run for real in a subprocess: formats, stdin, CSV input, bad lines, exit codes.

The three cases below are worked out by hand (built-in RAPID7 policy), at
now = 2026-03-05 11:00 UTC (Thu 12:00 in Berlin, 06:00 in New York):

* C-1, Severity 2, Berlin (DE), opened Mon 2026-03-02 09:00 CET. Initial response, 4
  business hours, due 13:00; the support update at 10:00 meets it. Update cycle #1 starts
  at 10:00 Mon: 3 business days -> Thu 2026-03-05 10:00 CET (09:00 UTC). Unanswered at
  11:00 UTC: **breached**, 2 h overdue.
* C-2, Severity 1, customer in UTC, opened Thu 2026-03-05 09:15 UTC, no events. Initial
  response, 2 hours 24x7 -> due 11:15 UTC; at 11:00, 1 h 45 m of 2 h used (87.5% >= 75%):
  **at risk**, 15 m left.
* C-3, Severity 3, New York (US), opened Wed 2026-03-04 09:00 EST (14:00 UTC). Initial
  response, 12 business hours: Wed 09:00-17:00 is 8 h, Thu 08:00 + 4 h -> Thu 2026-03-05
  12:00 EST (17:00 UTC). At Thu 06:00 EST, 8 h of 12 h used (66.7%): **ok** at 0.75, at
  risk with --at-risk 0.6.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cliutil import slocalc

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-03-05T11:00:00Z"

C1 = {
    "id": "C-1",
    "severity": 2,
    "opened_at": "2026-03-02T09:00:00+01:00",
    "customer": {"tz": "Europe/Berlin", "country": "DE"},
    "events": [
        {"at": "2026-03-02T10:00:00+01:00", "kind": "support_update"},
        {"at": "2026-03-02T10:00:00+01:00", "kind": "status", "status": "in_progress"},
    ],
}
C2 = {
    "id": "C-2",
    "severity": 1,
    "opened_at": "2026-03-05T09:15:00Z",
    "customer": {"tz": "UTC"},
    "events": [],
}
C3 = {
    "id": "C-3",
    "severity": 3,
    "opened_at": "2026-03-04T09:00:00-05:00",
    "customer": {"tz": "America/New_York", "country": "US"},
    "events": [],
}
JSONL = "".join(json.dumps(c) + "\n" for c in (C1, C2, C3))

CSV_TEXT = """\
case_id,severity,opened_at,tz,country,subdiv,hours,event_at,kind,status,new_severity
C-1,2,2026-03-02T09:00:00+01:00,Europe/Berlin,DE,,,2026-03-02T10:00:00+01:00,support_update,,
C-2,1,2026-03-05T09:15:00Z,UTC,,,,,,,
C-1,,,,,,,2026-03-02T10:00:00+01:00,status,in_progress,
C-3,3,2026-03-04T09:00:00-05:00,America/New_York,US,,,,,,
"""


@pytest.fixture
def cases_file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text(JSONL, encoding="utf-8")
    return path


def _alert_rows(stdout: str) -> dict[str, str]:
    """Table rows by case id."""
    return {line.split()[0]: line for line in stdout.splitlines() if line.startswith("C-")}


def test_table_format(cases_file: Path) -> None:
    proc = slocalc("check", str(cases_file), "--now", NOW)
    assert proc.returncode == 1, proc.stderr  # C-1 is breached
    rows = _alert_rows(proc.stdout)
    assert set(rows) == {"C-1", "C-2"}
    assert "update #1" in rows["C-1"]
    assert "BREACHED" in rows["C-1"]
    assert "Thu 2026-03-05 09:00 UTC" in rows["C-1"]
    assert "Thu 2026-03-05 10:00 CET Europe/Berlin" in rows["C-1"]
    assert rows["C-1"].endswith("2h 00m overdue")
    assert "initial response" in rows["C-2"]
    assert "at risk" in rows["C-2"]
    assert rows["C-2"].endswith("15m left")
    # the unanswered breach comes first, then the target at risk
    assert proc.stdout.index("C-1 ") < proc.stdout.index("C-2 ")
    summary = proc.stdout.splitlines()[-1]
    assert summary == (
        "checked 3 cases: 1 breached, 1 more at risk, 1 ok; alerts: 1 breached target, 1 target at risk "
        "(threshold 75%); policy 'Rapid7'; now 2026-03-05T11:00:00+00:00 (--now)"
    )
    # by severity: one case each; sev 1 at risk, sev 2 breached, sev 3 ok
    assert "       1      1         0        1   0" in proc.stdout
    assert "       2      1         1        0   0" in proc.stdout
    assert "     all      3         1        1   1" in proc.stdout
    assert proc.stderr == ""


def test_json_format(cases_file: Path) -> None:
    proc = slocalc("check", str(cases_file), "--now", NOW, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["now"] == "2026-03-05T11:00:00+00:00"
    assert doc["policy"] == "Rapid7"
    assert doc["at_risk"] == 0.75
    assert doc["summary"] == {
        "cases": 3,
        "breached": 1,
        "at_risk": 1,
        "ok": 1,
        "invalid_lines": 0,
        "events_after_now": 0,
        "opened_after_now": 0,
        "by_severity": {
            "1": {"cases": 1, "breached": 0, "at_risk": 1, "ok": 0},
            "2": {"cases": 1, "breached": 1, "at_risk": 0, "ok": 0},
            "3": {"cases": 1, "breached": 0, "at_risk": 0, "ok": 1},
        },
    }
    first, second = doc["alerts"]
    assert (first["case_id"], first["metric"], first["cycle"], first["kind"]) == (
        "C-1",
        "update",
        1,
        "breached",
    )
    assert first["due_at"] == "2026-03-05T10:00:00+01:00"  # in the tz of C-1's opened_at
    assert first["breached_by"] == "PT2H"
    assert first["customer_tz"] == "Europe/Berlin"
    assert (second["case_id"], second["kind"], second["remaining"]) == ("C-2", "at_risk", "PT15M")
    assert doc["invalid"] == []


def test_csv_format(cases_file: Path) -> None:
    proc = slocalc("check", str(cases_file), "--now", NOW, "--format", "csv")
    assert proc.returncode == 1, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [(r["case_id"], r["kind"], r["metric"]) for r in rows] == [
        ("C-1", "breached", "update"),
        ("C-2", "at_risk", "initial_response"),
    ]
    assert rows[1]["due_at"] == "2026-03-05T11:15:00Z"
    assert rows[1]["met_at"] == ""
    # stdout stays pure CSV; the summary goes to stderr
    assert proc.stderr.startswith("checked 3 cases: 1 breached, 1 more at risk, 1 ok;")


def test_at_risk_threshold(cases_file: Path) -> None:
    # C-3 has used 8 h of 12 h (66.7%): at risk from a 0.6 threshold.
    proc = slocalc("check", str(cases_file), "--now", NOW, "--at-risk", "0.6", "--format", "json")
    alerts = json.loads(proc.stdout)["alerts"]
    assert [(a["case_id"], a["kind"]) for a in alerts] == [
        ("C-1", "breached"),
        ("C-2", "at_risk"),
        ("C-3", "at_risk"),
    ]
    c3 = alerts[2]
    assert (c3["remaining"], c3["budget"]) == ("PT4H", "PT12H")


def test_bad_at_risk_is_a_usage_error(cases_file: Path) -> None:
    proc = slocalc("check", str(cases_file), "--now", NOW, "--at-risk", "1.5")
    assert proc.returncode == 2
    assert "not in (0, 1]" in proc.stderr


def test_stdin_input() -> None:
    proc = slocalc("check", "-", "--now", NOW, "--format", "json", stdin=JSONL)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["summary"]["cases"] == 3


def test_csv_input_same_answers_as_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    proc = slocalc("check", str(path), "--now", NOW, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["summary"]["cases"] == 3
    assert [(a["case_id"], a["kind"], a["due_at"]) for a in doc["alerts"]] == [
        ("C-1", "breached", "2026-03-05T10:00:00+01:00"),
        ("C-2", "at_risk", "2026-03-05T11:15:00Z"),
    ]


def test_csv_on_stdin_is_detected() -> None:
    proc = slocalc("check", "-", "--now", NOW, "--format", "json", stdin=CSV_TEXT)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["summary"]["cases"] == 3


def test_invalid_lines_among_valid_ones(tmp_path: Path) -> None:
    bad_status = dict(
        C3, id="C-9", events=[{"at": "2026-03-04T15:00:00Z", "kind": "status", "status": "wating"}]
    )
    naive = dict(C2, id="C-8", opened_at="2026-03-05T09:15:00")
    lines = [
        json.dumps(C1),  # 1
        "{not json",  # 2
        "",  # 3: blank, ignored
        json.dumps(C2),  # 4
        json.dumps(bad_status),  # 5
        json.dumps(dict(C1, severity=7)),  # 6: also a duplicate id: reported as one or the other
        json.dumps(naive),  # 7
        json.dumps(C3),  # 8
        "[1, 2]",  # 9
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = slocalc("check", str(path), "--now", NOW)
    assert proc.returncode == 2
    # the valid cases are still evaluated and reported
    assert set(_alert_rows(proc.stdout)) == {"C-1", "C-2"}
    assert "checked 3 cases: 1 breached, 1 more at risk, 1 ok; 5 invalid lines;" in proc.stdout
    errors = proc.stderr.splitlines()
    assert [e.split(":")[1].strip() for e in errors] == ["line 2", "line 5", "line 6", "line 7", "line 9"]
    assert "not valid JSON" in errors[0]
    assert "'wating'" in errors[1]
    assert "did you mean 'waiting_on_customer'" in errors[1] or "waiting_on_customer" in errors[1]
    assert "C-1" in errors[2]
    assert "naive" in errors[3]
    assert "expected a JSON object" in errors[4]
    assert "Traceback" not in proc.stderr


def test_invalid_csv_rows_name_their_lines(tmp_path: Path) -> None:
    text = CSV_TEXT + (
        "C-4,2,2026-03-04T09:00:00Z,UTC,,,,2026-03-04T10:00:00Z,support_updat,,\n"  # line 6: bad kind
        "C-3,2,,,,,,,,,\n"  # line 7: severity differs from line 5
    )
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8")
    proc = slocalc("check", str(path), "--now", NOW, "--format", "json")
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    assert doc["summary"]["cases"] == 2  # C-1 and C-2; C-3 and C-4 are invalid
    assert [i["line"] for i in doc["invalid"]] == [6, 7]
    assert "support_updat" in doc["invalid"][0]["error"]
    assert "severity '2' differs" in doc["invalid"][1]["error"]
    assert "line 6:" in proc.stderr
    assert "line 7:" in proc.stderr


def test_csv_with_an_unknown_column(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("case_id,severity,opened,tz,event_at,kind\n", encoding="utf-8")
    proc = slocalc("check", str(path), "--now", NOW)
    assert proc.returncode == 2
    assert "line 1: CSV header: missing column(s) opened_at; unknown column(s) opened" in proc.stderr


def test_missing_file(tmp_path: Path) -> None:
    proc = slocalc("check", str(tmp_path / "nope.jsonl"), "--now", NOW)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        f"slocalc check: error: {tmp_path / 'nope.jsonl'}: no such file; expected a .jsonl or .csv file, or '-' for standard input"
    ]


def test_malformed_policy_file(cases_file: Path, tmp_path: Path) -> None:
    policy = tmp_path / "bad.json"
    policy.write_text(
        '{"name": "bad", "severities": [{"level": 1, "targets": {"initial_response": "2 parsecs"}}]}'
    )
    proc = slocalc("check", str(cases_file), "--now", NOW, "--policy", str(policy))
    assert proc.returncode == 2
    assert proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert "bad.json" in line
    assert "parsecs" in line


def test_naive_now(cases_file: Path) -> None:
    proc = slocalc("check", str(cases_file), "--now", "2026-03-05T11:00")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "slocalc check: error: --now '2026-03-05T11:00': no UTC offset; add one, e.g. 2026-03-05T11:00Z"
    )


def test_cases_and_events_after_now_are_counted_not_checked(cases_file: Path) -> None:
    # At Wed 2026-03-04 15:00 UTC, C-2 (opened Thu 09:15 UTC) does not exist yet; C-1's events
    # (Mon 10:00 CET) are all in the past; C-3 was opened at 14:00 UTC. Nothing breached:
    # C-1's update is due Thu 09:00 UTC, C-3's response Thu 17:00 UTC.
    proc = slocalc("check", str(cases_file), "--now", "2026-03-04T15:00Z", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)["summary"]
    assert (summary["cases"], summary["opened_after_now"], summary["invalid_lines"]) == (2, 1, 0)
    table = slocalc("check", str(cases_file), "--now", "2026-03-04T15:00Z")
    assert "; 1 case opened after now not checked" in table.stdout.splitlines()[-1]
    # an event after now is not replayed, and said so
    proc = slocalc("check", str(cases_file), "--now", "2026-03-02T08:30Z", "--format", "json")
    summary = json.loads(proc.stdout)["summary"]
    assert (summary["cases"], summary["events_after_now"], summary["opened_after_now"]) == (1, 2, 2)


def test_nothing_breached_exits_0(tmp_path: Path) -> None:
    # C-3 alone at 06:00 EST: pending, 66.7% used: no alert.
    path = tmp_path / "ok.jsonl"
    path.write_text(json.dumps(C3) + "\n", encoding="utf-8")
    proc = slocalc("check", str(path), "--now", NOW)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("no alerts")


def test_default_now_is_the_current_time_and_is_printed(cases_file: Path) -> None:
    # Years after 2026 every one of these targets is long breached; the summary says which
    # 'now' was used and that it came from the clock.
    proc = slocalc("check", str(cases_file))
    summary = proc.stdout.splitlines()[-1]
    assert "(the current time; pass --now to fix it)" in summary


def _many_cases(n: int) -> str:
    return "".join(json.dumps(dict(C2, id=f"C-{i}")) + "\n" for i in range(n))


def test_progress_on_a_terminal_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Progress counts cases as they are read, with the rate and the bytes of the file's
    size (drawn at once here: no first delay, a look at the clock every batch of 100)."""
    import slocalc._cli._check as check
    import slocalc._cli._progress as progress
    from slocalc import cli

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    path = tmp_path / "many.jsonl"
    path.write_text(_many_cases(250), encoding="utf-8")
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "EVERY", 0.0)
    monkeypatch.setattr(check, "BATCH", 100)
    err, out = Tty(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    assert cli.main(["check", str(path), "--now", NOW, "--format", "json"]) == 0
    seen = err.getvalue()
    assert json.loads(out.getvalue())["summary"]["cases"] == 250
    drawn = [part.split(" (")[0] for part in seen.split("\r") if part.startswith("reading")]
    assert drawn == ["reading 100 cases", "reading 200 cases", "reading 250 cases"]
    size = path.stat().st_size
    assert f"of {size / 1000:.1f} kB [" in seen
    assert seen.endswith("\r\x1b[K")
    # with --no-progress, or on a stream that is not a terminal: nothing
    err2 = Tty()
    monkeypatch.setattr(sys, "stderr", err2)
    cli.main(["check", str(path), "--now", NOW, "--format", "json", "--no-progress"])
    assert err2.getvalue() == ""


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text(_many_cases(250), encoding="utf-8")
    proc = slocalc("check", str(path), "--now", NOW)
    assert proc.returncode == 0
    assert proc.stderr == ""


# -- the shipped export --------------------------------------------------------------------

README_NOW = "2026-03-31T17:00Z"  # the export instant of examples/cases.jsonl


def test_readme_main_job() -> None:
    # `slocalc check examples/cases.jsonl --now 2026-03-31T17:00Z`: every line is a valid
    # case, the export holds breaches (exit 1), and the summary names the policy and now.
    proc = slocalc("check", str(ROOT / "examples" / "cases.jsonl"), "--now", README_NOW)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    summary = proc.stdout.splitlines()[-1]
    assert summary.startswith("checked 300 cases: ")
    assert "invalid" not in summary
    assert summary.endswith("policy 'Rapid7'; now 2026-03-31T17:00:00+00:00 (--now)")
    # The getting-started page quotes this summary line: it must stay true.
    page = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")
    assert summary in page.splitlines()


def test_shipped_csv_sample_is_valid() -> None:
    proc = slocalc("check", str(ROOT / "examples" / "cases.csv"), "--now", README_NOW, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["invalid"] == []
    assert doc["summary"]["cases"] >= 10


def test_generator_is_deterministic() -> None:
    script = str(ROOT / "examples" / "make_cases.py")
    runs = [
        subprocess.run(
            [sys.executable, script, "--count", "40"], capture_output=True, text=True, timeout=120, check=True
        ).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert len(runs[0].splitlines()) == 40


def test_severity_tally_uses_the_latest_change_even_when_events_come_unsorted(tmp_path: Path) -> None:
    # Opened Severity-3; changed to 2 on Jan 2 and to 1 on Jan 3, but listed in reverse order.
    # At --now Jan 4 the case is Severity-1, so the table counts it under severity 1.
    line = json.dumps(
        {
            "id": "C-unsorted",
            "severity": 3,
            "opened_at": "2026-01-01T00:00:00Z",
            "customer": {"tz": "UTC"},
            "events": [
                {"at": "2026-01-03T00:00:00Z", "kind": "severity", "severity": 1},
                {"at": "2026-01-02T00:00:00Z", "kind": "severity", "severity": 2},
            ],
        }
    )
    path = tmp_path / "one.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "slocalc",
            "check",
            str(path),
            "--now",
            "2026-01-04T00:00Z",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    # Nobody answered by Jan 4, so the initial response is breached whatever the severity:
    # exit status 1. Read in the given order the last change would be "2": the tally must say 1.
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["summary"]["by_severity"] == {"1": {"cases": 1, "breached": 1, "at_risk": 0, "ok": 0}}


def test_at_risk_default_is_the_library_default() -> None:
    from slocalc.cases import DEFAULT_AT_RISK
    from slocalc.cli import build_parser

    args = build_parser().parse_args(["check", "cases.jsonl"])
    assert args.at_risk is None  # the command keeps no threshold of its own
    shown = " ".join(slocalc("check", "--help").stdout.split())
    assert f"(default: {DEFAULT_AT_RISK})" in shown  # and its help says the library's


def test_a_case_opened_after_now_is_counted_and_still_checked_against_the_policy(tmp_path: Path) -> None:
    # C-2 opens at 09:15 UTC: at 09:00 it is not a case yet. C-9 opens later still but has a
    # status the policy does not know: like check(), the command refuses it (line 2).
    future_bad = dict(
        C2, id="C-9", events=[{"at": "2026-03-05T10:00:00Z", "kind": "status", "status": "wating"}]
    )
    path = tmp_path / "future.jsonl"
    path.write_text(json.dumps(C2) + "\n" + json.dumps(future_bad) + "\n", encoding="utf-8")
    proc = slocalc("check", str(path), "--now", "2026-03-05T09:00Z", "--format", "json")
    assert proc.returncode == 2, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["summary"]["cases"] == 0
    assert doc["summary"]["opened_after_now"] == 1
    assert doc["summary"]["events_after_now"] == 0  # a skipped case's events are not counted
    assert [i["line"] for i in doc["invalid"]] == [2]
    assert "status 'wating' is not in policy 'Rapid7'" in doc["invalid"][0]["error"]


_JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(), st.floats(), st.lists(st.integers())
)


@given(st.dictionaries(st.text(), _JSON_SCALARS, max_size=8))
def test_json_items_are_what_json_dumps_writes(record: dict[str, Any]) -> None:
    """The fast writer of flat records gives json.dumps(indent=2)'s text, item-indented."""
    from slocalc._cli._check import _json_item

    expected = "    " + json.dumps(record, indent=2, ensure_ascii=False).replace("\n", "\n    ")
    assert _json_item(record) == expected


def test_json_item_hand_worked() -> None:
    from slocalc._cli._check import _json_item

    got = _json_item({"case_id": 'C-"1"', "cycle": 2, "met_at": None, "late": True, "tz": "Europe/Zürich"})
    assert got == (
        "    {\n"
        '      "case_id": "C-\\"1\\"",\n'
        '      "cycle": 2,\n'
        '      "met_at": null,\n'
        '      "late": true,\n'
        '      "tz": "Europe/Zürich"\n'
        "    }"
    )
