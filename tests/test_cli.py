"""The ``slocalc`` command, run for real in a subprocess: deadline, coverage, schema, errors.

Every expected deadline below is worked out by hand in the comments, never by calling
slocalc itself. ``tests/test_cli_check.py`` covers ``slocalc check``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cliutil import slocalc

ROOT = Path(__file__).resolve().parent.parent


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Exit 2, nothing on stdout, one line on stderr holding every fragment, no traceback."""
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


# -- deadline -------------------------------------------------------------------------------


def test_deadline_table_boston_friday_afternoon() -> None:
    # Severity 2 opened Fri 2026-11-20 15:00 EST by a Massachusetts customer (customer clock:
    # Mon-Fri 08:00-17:00 America/New_York, US-MA holidays; Thanksgiving is Thu 26th).
    # initial_response, 4 business hours: Fri 15:00-17:00 is 2 h, Mon 23rd 08:00 + 2 h
    #   -> Mon 2026-11-23 10:00 EST = 15:00 UTC.
    # update, 3 business days: Fri is open, so the wall time 15:00 is kept on the 3rd business
    #   date after Fri 20th: Mon 23, Tue 24, Wed 25 -> Wed 2026-11-25 15:00 EST = 20:00 UTC.
    # support_contact_change, 2 business days -> Tue 2026-11-24 15:00 EST = 20:00 UTC.
    proc = slocalc(
        "deadline", "--severity", "2", "--opened", "2026-11-20T15:00-05:00",
        "--tz", "America/New_York", "--country", "US", "--subdiv", "MA",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.strip()}
    assert "Mon 2026-11-23 10:00 EST" in rows["initial_response"]
    assert "Mon 2026-11-23 15:00 UTC" in rows["initial_response"]
    assert "4 business hours" in rows["initial_response"]
    assert "Wed 2026-11-25 15:00 EST" in rows["update"]
    assert "Wed 2026-11-25 20:00 UTC" in rows["update"]
    assert "Tue 2026-11-24 15:00 EST" in rows["support_contact_change"]
    assert "Fri 2026-11-20 15:00 EST" in proc.stdout  # the opening, in the customer's zone


def test_deadline_json_dublin_st_patricks_day() -> None:
    # Severity 3 opened Fri 2026-03-13 15:30 in Dublin (GMT, UTC+0 until 29 March), Irish holidays.
    # initial_response, 12 business hours: Fri 15:30-17:00 = 1.5 h; Mon 16th 9 h (10.5 h);
    #   Tue 17th is St Patrick's Day (closed); Wed 18th 08:00 + 1.5 h -> 09:30 GMT.
    # update, 5 business days from Fri 15:30: Mon 16 (1), [Tue 17 holiday], Wed 18 (2),
    #   Thu 19 (3), Fri 20 (4), Mon 23 (5) -> Mon 2026-03-23 15:30 GMT.
    proc = slocalc(
        "deadline", "--severity", "3", "--opened", "2026-03-13T15:30Z",
        "--tz", "Europe/Dublin", "--country", "IE", "--json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["initial_response"]["due_at"] == "2026-03-18T09:30:00+00:00"
    assert doc["update"]["due_at"] == "2026-03-23T15:30:00+00:00"
    assert doc["initial_response"]["target"] == "12 business hours"
    assert set(doc) == {"initial_response", "update", "support_contact_change"}


def test_deadline_without_country_has_no_holidays() -> None:
    # Same case with no --country: no holidays, so Tue 17th is open and the remaining 1.5 h
    # of the 12 business hours end Tue 2026-03-17 09:30 GMT.
    proc = slocalc(
        "deadline", "--severity", "3", "--opened", "2026-03-13T15:30+00:00", "--tz", "Europe/Dublin", "--json"
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["initial_response"]["due_at"] == "2026-03-17T09:30:00+00:00"


def test_deadline_severity_1_runs_24x7_across_spring_forward() -> None:
    # Severity 1 is on the 24x7 clock: real elapsed time. Opened Sun 2026-03-08 01:30 EST
    # (06:30 UTC); US clocks jump 02:00 EST -> 03:00 EDT that night.
    # initial_response, 2 hours -> 08:30 UTC = 04:30 EDT (wall clock shows 3 h later).
    # update, 4 hours -> 10:30 UTC = 06:30 EDT.
    proc = slocalc(
        "deadline",
        "--severity",
        "1",
        "--opened",
        "2026-03-08T01:30-05:00",
        "--tz",
        "America/New_York",
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["initial_response"] == {
        "due_at": "2026-03-08T04:30:00-04:00",
        "due_at_utc": "2026-03-08T08:30:00+00:00",
        "target": "2 hours",
    }
    assert doc["update"]["due_at"] == "2026-03-08T06:30:00-04:00"


def test_deadline_with_policy_file(tmp_path: Path) -> None:
    # A one-severity policy: initial response in 30 minutes around the clock.
    # Opened 2026-01-02 23:50 +08:00 -> due 2026-01-03 00:20 +08:00 (Singapore).
    policy = tmp_path / "tiny.toml"
    policy.write_text('name = "tiny"\n[[severities]]\nlevel = 1\ntargets.initial_response = "30 minutes"\n')
    proc = slocalc(
        "deadline", "--severity", "1", "--opened", "2026-01-02T23:50+08:00",
        "--tz", "Asia/Singapore", "--policy", str(policy), "--json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "initial_response": {
            "due_at": "2026-01-03T00:20:00+08:00",
            "due_at_utc": "2026-01-02T16:20:00+00:00",
            "target": "30 minutes",
        }
    }


def test_deadline_naive_opened_is_refused_with_an_offset_suggestion() -> None:
    # 2026-07-01 09:00 in New York is EDT, so the suggested offset is -04:00.
    proc = slocalc("deadline", "--severity", "2", "--opened", "2026-07-01T09:00", "--tz", "America/New_York")
    assert_one_line_error(proc, "--opened '2026-07-01T09:00'", "no UTC offset", "2026-07-01T09:00-04:00")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--severity", "4", "--opened", "2026-07-01T09:00Z", "--tz", "UTC"], ["no severity 4", "(1, 2, 3)"]),
        (["--severity", "2", "--opened", "2026-07-01T09:00Z", "--tz", "Europe/Dublinn"], ["Europe/Dublin"]),
        (["--severity", "2", "--opened", "yesterday", "--tz", "UTC"], ["--opened 'yesterday'", "ISO 8601"]),
        (["--severity", "2", "--opened", "2026-07-01T09:00Z", "--tz", "UTC", "--country", "XX"], ["'XX'"]),
    ],
)
def test_deadline_bad_input_is_one_line(args: list[str], fragments: list[str]) -> None:
    assert_one_line_error(slocalc("deadline", *args), *fragments)


def test_deadline_missing_required_option_is_a_usage_error() -> None:
    proc = slocalc("deadline", "--severity", "2", "--tz", "UTC")
    assert proc.returncode == 2
    assert "--opened" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- policy files -----------------------------------------------------------------------------


def test_malformed_policy_file_is_one_line(tmp_path: Path) -> None:
    # "3 days" is ambiguous (business or calendar?) and severity 1 then has no initial
    # response: the policy layer reports both; the command folds them into one line.
    policy = tmp_path / "bad.toml"
    policy.write_text('name = "bad"\n[[severities]]\nlevel = 1\ntargets.update = "3 days"\n')
    proc = slocalc(
        "deadline", "--severity", "1", "--opened", "2026-01-05T09:00Z", "--tz", "UTC", "--policy", str(policy)
    )
    assert_one_line_error(proc, "bad.toml", "2 problems", "ambiguous", "initial_response")


def test_policy_file_that_is_not_toml(tmp_path: Path) -> None:
    policy = tmp_path / "broken.toml"
    policy.write_text("name = \n")
    proc = slocalc(
        "deadline", "--severity", "1", "--opened", "2026-01-05T09:00Z", "--tz", "UTC", "--policy", str(policy)
    )
    assert_one_line_error(proc, "broken.toml", "not valid TOML")


def test_missing_policy_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    proc = slocalc(
        "deadline",
        "--severity",
        "1",
        "--opened",
        "2026-01-05T09:00Z",
        "--tz",
        "UTC",
        "--policy",
        str(missing),
    )
    assert_one_line_error(proc, "nope.toml", "no such file")


# -- coverage -----------------------------------------------------------------------------


def _grid(stdout: str) -> dict[str, list[str]]:
    """Rows of the grid by hour label, split into cells."""
    return {
        line[:5]: line[7:].split() for line in stdout.splitlines() if line[:2].isdigit() and line[2] == ":"
    }


def test_coverage_week_in_january_utc() -> None:
    # January, all in standard time. Open hours in UTC: Singapore 00-09, Belfast and Dublin
    # 08-17, Boston 13-22, Austin 14-23, Los Angeles 16-01 (next day). Codes: B belfast,
    # D dublin, O boston, A austin, L los_angeles, S singapore. No holiday in 12-18 January.
    # Los Angeles closes Sat 01:00 UTC; Singapore opens Mon 00:00 UTC: the only gap is
    # Sat 2026-01-17 01:00 -> Mon 2026-01-19 00:00 UTC, 1d 23h; covered 7d - 1d 23h = 5d 1h.
    proc = slocalc("coverage", "--week", "2026-01-14", "--tz", "UTC")
    assert proc.returncode == 0, proc.stderr
    grid = _grid(proc.stdout)
    assert grid["00:00"] == [".....S", "....LS", "....LS", "....LS", "....LS", "....L.", "GAP---"]
    assert grid["08:00"][:5] == ["BD...S"] * 5
    assert grid["16:00"][0] == "BDOAL."
    assert grid["12:00"][5:] == ["GAP---", "GAP---"]
    assert "covered 5d 1h 00m of 7d 0h 00m (72.0%); 1 gap, 1d 23h 00m in all" in proc.stdout
    assert "gap  Sat 2026-01-17 01:00 UTC  ->  Mon 2026-01-19 00:00 UTC  (1d 23h 00m)" in proc.stdout


def test_coverage_dst_day_and_partial_hours() -> None:
    # Wall clock of New York, week of Mon 2026-03-02. Sunday 8 March skips 02:00-03:00 (spring
    # forward), so that cell is blank: the 02:00 row has six cells. At 02:00 EST on weekdays
    # (07:00 UTC) only Singapore is open (00-09 UTC); Saturday 02:00 EST is after Los Angeles
    # closed (Sat 01:00 UTC): a gap.
    proc = slocalc(
        "coverage",
        "--week",
        "2026-W10",
        "--tz",
        "America/New_York",
        "--centers",
        "belfast,los_angeles,singapore",
    )
    assert proc.returncode == 0, proc.stderr
    grid = _grid(proc.stdout)
    # codes for this selection: B belfast, L los_angeles, S singapore
    assert grid["02:00"] == ["..S", "..S", "..S", "..S", "..S", "GAP"]
    # 19:00 EST = 00:00 UTC: Los Angeles (16:00 PST) and Singapore (08:00 SGT, the next day)
    # are open Mon-Thu; Friday 19:00 EST is Saturday in Singapore. Sunday 8 March is on EDT
    # (UTC-4), so its 19:00 is 23:00 UTC, still Sunday in Singapore: a gap. Singapore's
    # Monday starts at Sunday 20:00 EDT.
    assert grid["19:00"] == [".LS", ".LS", ".LS", ".LS", ".L.", "GAP", "GAP"]
    assert grid["20:00"] == ["..S", "..S", "..S", "..S", "GAP", "GAP", "..S"]


def test_coverage_unknown_center() -> None:
    assert_one_line_error(
        slocalc("coverage", "--week", "2026-01-14", "--centers", "belfst"), "'belfst'", "belfast"
    )


def test_coverage_bad_week() -> None:
    assert_one_line_error(slocalc("coverage", "--week", "14/01/2026"), "--week '14/01/2026'", "2026-W03")


# -- schema, version, entry point ----------------------------------------------------------------


def test_schema_is_the_policy_json_schema() -> None:
    proc = slocalc("schema")
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(proc.stdout)
    assert schema["title"] == "Policy"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"name", "severities"} <= set(schema["properties"])


def test_no_command_is_a_usage_error() -> None:
    proc = slocalc()
    assert proc.returncode == 2
    assert "usage: slocalc" in proc.stderr


def test_console_script_entry_point() -> None:
    # The `slocalc` script that pip installs next to the interpreter.
    script = Path(sys.executable).parent / ("slocalc.exe" if os.name == "nt" else "slocalc")
    if not script.exists():
        pytest.skip(f"no console script at {script}: install the package (pip install -e .)")
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0
    assert proc.stdout.startswith("slocalc ")
    proc = subprocess.run(
        [
            str(script),
            "deadline",
            "--severity",
            "1",
            "--opened",
            "2026-01-05T09:00Z",
            "--tz",
            "UTC",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # Severity 1, 2 hours on 24x7 from 09:00 UTC -> 11:00 UTC.
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["initial_response"]["due_at"] == "2026-01-05T11:00:00+00:00"
