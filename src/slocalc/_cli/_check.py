"""``slocalc check``: evaluate a case export, print alerts and a summary.

Exit status: 0 nothing breached, 1 something breached, 2 some input line was invalid
(reported on stderr with its line number, after every valid case was evaluated and
reported).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO

from slocalc._cli._common import CliError, format_delta, format_instant, load_policy, one_line, parse_instant
from slocalc._cli._progress import Progress
from slocalc._cli._read import Bad, Parsed, read_csv, read_jsonl
from slocalc.errors import SlocalcError

if TYPE_CHECKING:
    from slocalc.cases import Alert, Case, CaseCheck
    from slocalc.policies import Policy

__all__ = ["add_parser", "run"]

#: alert columns of ``--format csv`` (durations as ISO 8601, e.g. PT2H30M)
CSV_ALERT_COLUMNS: Final = (
    "case_id",
    "severity",
    "metric",
    "cycle",
    "kind",
    "due_at",
    "met_at",
    "breached_by",
    "remaining",
    "budget",
    "customer_tz",
)


def _share(text: str) -> Fraction:
    """``--at-risk``: the text as a number, checked by the library's rule (``at_risk_share``)."""
    from slocalc.cases import at_risk_share

    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; expected e.g. 0.75") from None
    try:
        return at_risk_share(value)
    except SlocalcError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not in (0, 1]; e.g. 0.75 means 75% of a target used"
        ) from None


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``check`` on the sub-command parser."""
    p = sub.add_parser(
        "check",
        help="evaluate a JSON Lines or CSV export of cases: alerts and a summary",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Evaluate every case of FILE under the policy at --now and print the alerts (breached\n"
            "targets, and pending targets that have used --at-risk of their time) and a summary.\n\n"
            "FILE is JSON Lines (one Case object per line, .jsonl) or CSV (one row per event, .csv;\n"
            "layout in docs/cli.md); '-' reads standard input.\n\n"
            "WITHOUT --now THE CURRENT TIME IS USED, so the output changes from run to run; the\n"
            "summary prints the 'now' it used. Pass --now for reproducible output.\n\n"
            "Exit status: 0 nothing breached, 1 something breached, 2 an invalid input line (each\n"
            "reported on stderr with its line number, after every valid case is reported)."
        ),
        epilog="example: slocalc check examples/cases.jsonl --now 2026-03-31T17:00Z",
    )
    p.add_argument("file", metavar="FILE", help="the cases: a .jsonl or .csv file, or '-' for standard input")
    p.add_argument(
        "--now",
        metavar="ISO8601",
        help="the instant to evaluate at, with an offset (2026-03-31T17:00Z); DEFAULT: THE CURRENT TIME",
    )
    p.add_argument(
        "--policy",
        metavar="FILE",
        help="a policy file (.toml or .json); default: the built-in guidebook policy (RAPID7)",
    )
    p.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="output: a readable table and summary (default), one JSON document, or CSV alert rows",
    )
    p.add_argument(
        "--input-format",
        choices=("jsonl", "csv"),
        help="the input's format; default: from FILE's extension (.csv is CSV, anything else JSON Lines), "
        "for '-' from the first character ('{' is JSON Lines)",
    )
    p.add_argument(
        "--at-risk",
        type=_share,
        metavar="SHARE",
        help="alert on a pending target once this share of its clock time is used (default: 0.75)",
    )
    p.add_argument(
        "--no-progress",
        action="store_true",
        help="never show the progress bar (shown on stderr for 200+ cases when stderr is a terminal)",
    )
    p.set_defaults(run=run)


@dataclass
class _Outcome:
    """What one run found: every checked case with its input, and the invalid lines."""

    now: datetime
    now_source: str
    at_risk: Fraction
    checked: list[tuple[CaseCheck, Case]] = field(default_factory=list)
    invalid: list[Bad] = field(default_factory=list)
    not_yet_opened: int = 0

    @property
    def cases(self) -> int:
        return len(self.checked)

    @property
    def future_events(self) -> int:
        return sum(c.future_events for c, _ in self.checked)

    @property
    def by_severity(self) -> dict[int, Counter[str]]:
        """Per severity at ``now``: ``cases`` and the count of each verdict."""
        tallies: dict[int, Counter[str]] = {}
        for c, _ in self.checked:
            tally = tallies.setdefault(c.severity, Counter())
            tally["cases"] += 1
            tally[c.verdict] += 1
        return tallies

    def count(self, verdict: str) -> int:
        return sum(1 for c, _ in self.checked if c.verdict == verdict)

    def alerts(self) -> list[tuple[Alert, Case]]:
        """Every alert with its case, most urgent first: unanswered breaches, then targets at
        risk, then late answers; by due instant within each."""
        pairs = [(a, case) for c, case in self.checked for a in c.alerts]
        return sorted(pairs, key=_urgency)


def _read_lines(path: str) -> tuple[list[str], str]:
    """The input's lines and a name for messages."""
    if path == "-":
        # readlines splits at line ends only; str.splitlines would also split inside JSON
        # strings holding U+2028 or a form feed
        return sys.stdin.readlines(), "<stdin>"
    p = Path(path)
    if p.is_dir():
        raise CliError(f"{path}: is a directory; expected a .jsonl or .csv file")
    if not p.exists():
        raise CliError(f"{path}: no such file; expected a .jsonl or .csv file, or '-' for standard input")
    with p.open(encoding="utf-8-sig", newline="") as f:
        return f.readlines(), str(p)


def _input_format(args: argparse.Namespace, lines: Sequence[str]) -> str:
    if args.input_format is not None:
        return str(args.input_format)
    if args.file != "-":
        return "csv" if Path(args.file).suffix.lower() == ".csv" else "jsonl"
    first = next((line.lstrip() for line in lines if line.strip()), "")
    return "jsonl" if first.startswith("{") else "csv"


def evaluate_all(args: argparse.Namespace, policy: Policy, err: TextIO) -> _Outcome:
    """Read, validate and check every case; invalid lines are collected, not raised."""
    from slocalc.cases import DEFAULT_AT_RISK, at_risk_share, check_case

    at_risk = args.at_risk if args.at_risk is not None else at_risk_share(DEFAULT_AT_RISK)
    if args.now is None:
        now, source = datetime.now(UTC).replace(microsecond=0), "the current time; pass --now to fix it"
    else:
        now, source = parse_instant(args.now, "--now"), "--now"
    outcome = _Outcome(now, source, at_risk)
    lines, _ = _read_lines(args.file)
    reader = read_csv if _input_format(args, lines) == "csv" else read_jsonl
    items = list(reader(lines))
    progress = Progress(err, total=len(items), enabled=not args.no_progress)
    for item in items:
        progress.step()
        if isinstance(item, Bad):
            outcome.invalid.append(item)
            continue
        assert isinstance(item, Parsed)
        try:
            seen = check_case(item.case, policy, now=now, at_risk=at_risk)
        except SlocalcError as exc:
            outcome.invalid.append(Bad(item.line, one_line(str(exc))))
            continue
        if seen.skipped is not None:  # a valid line, not a case yet at `now`: counted, not checked
            outcome.not_yet_opened += 1
        else:
            outcome.checked.append((seen, item.case))
    progress.done()
    outcome.invalid.sort(key=lambda b: b.line)
    return outcome


def _urgency(pair: tuple[Alert, Case]) -> tuple[int, datetime]:
    alert = pair[0]
    rank = 0 if alert.kind == "breached" and alert.met_at is None else 1 if alert.kind == "at_risk" else 2
    return rank, alert.due_at.astimezone(UTC)


def _status_text(alert: Alert) -> str:
    if alert.kind == "at_risk":
        return f"{format_delta(alert.remaining)} left" if alert.remaining is not None else "at risk"
    late = format_delta(alert.breached_by) if alert.breached_by is not None else "?"
    return f"answered {late} late" if alert.met_at is not None else f"{late} overdue"


def _write_table(outcome: _Outcome, policy_name: str, out: TextIO) -> None:
    alerts = outcome.alerts()
    if alerts:
        headers = ("case", "sev", "target", "alert", "due (UTC)", "due (customer)", "")
        rows = [
            (
                a.case_id,
                str(a.severity),
                a.label,
                "BREACHED" if a.kind == "breached" else "at risk",
                format_instant(a.due_at),
                format_instant(a.due_at, case.customer.zone) + f" {case.customer.tz}",
                _status_text(a),
            )
            for a, case in alerts
        ]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        for row in (headers, *rows):
            out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
        out.write("\n")
    else:
        out.write("no alerts\n\n")
    headers2 = ("severity", "cases", "breached", "at risk", "ok")
    by_severity = outcome.by_severity
    sev_rows = [
        (str(level), str(c["cases"]), str(c["breached"]), str(c["at_risk"]), str(c["ok"]))
        for level, c in sorted(by_severity.items())
    ]
    sev_rows.append(
        (
            "all",
            str(outcome.cases),
            str(outcome.count("breached")),
            str(outcome.count("at_risk")),
            str(outcome.count("ok")),
        )
    )
    widths2 = [max(len(h), *(len(r[i]) for r in sev_rows)) for i, h in enumerate(headers2)]
    for sev_row in (headers2, *sev_rows):
        out.write("  ".join(c.rjust(w) for c, w in zip(sev_row, widths2, strict=True)) + "\n")
    out.write("\n" + _summary_line(outcome, policy_name) + "\n")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _summary_line(outcome: _Outcome, policy_name: str) -> str:
    n_alerts = Counter(a.kind for c, _ in outcome.checked for a in c.alerts)
    text = (
        f"checked {_n(outcome.cases, 'case')}: {outcome.count('breached')} breached, "
        f"{outcome.count('at_risk')} more at risk, {outcome.count('ok')} ok"
    )
    if outcome.invalid:
        text += f"; {_n(len(outcome.invalid), 'invalid line')}"
    text += (
        f"; alerts: {_n(n_alerts['breached'], 'breached target')}, "
        f"{_n(n_alerts['at_risk'], 'target')} at risk (threshold {float(outcome.at_risk):.0%})"
        f"; policy {policy_name!r}; now {outcome.now.isoformat()} ({outcome.now_source})"
    )
    if outcome.not_yet_opened:
        text += f"; {_n(outcome.not_yet_opened, 'case')} opened after now not checked"
    if outcome.future_events:
        text += f"; {_n(outcome.future_events, 'event')} after now not replayed"
    return text


def _alert_record(alert: Alert, case: Case) -> dict[str, Any]:
    record = alert.to_dict()
    record["customer_tz"] = case.customer.tz
    return record


def _write_json(outcome: _Outcome, policy_name: str, out: TextIO) -> None:
    doc = {
        "now": outcome.now.isoformat(),
        "now_source": outcome.now_source,
        "policy": policy_name,
        "at_risk": float(outcome.at_risk),  # for display: the check itself used the exact fraction
        "summary": {
            "cases": outcome.cases,
            "breached": outcome.count("breached"),
            "at_risk": outcome.count("at_risk"),
            "ok": outcome.count("ok"),
            "invalid_lines": len(outcome.invalid),
            "events_after_now": outcome.future_events,
            "opened_after_now": outcome.not_yet_opened,
            "by_severity": {
                str(level): {k: c[k] for k in ("cases", "breached", "at_risk", "ok")}
                for level, c in sorted(outcome.by_severity.items())
            },
        },
        "alerts": [_alert_record(a, case) for a, case in outcome.alerts()],
        "invalid": [{"line": b.line, "error": b.reason} for b in outcome.invalid],
    }
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _write_csv(outcome: _Outcome, out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_ALERT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for alert, case in outcome.alerts():
        record = _alert_record(alert, case)
        writer.writerow({k: "" if record.get(k) is None else record[k] for k in CSV_ALERT_COLUMNS})


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``slocalc check``; returns the exit status."""
    err = sys.stderr
    policy = load_policy(args.policy)
    outcome = evaluate_all(args, policy, err)
    if args.format == "json":
        _write_json(outcome, policy.name, out)
    elif args.format == "csv":
        _write_csv(outcome, out)
    else:
        _write_table(outcome, policy.name, out)
    out.flush()
    for bad in outcome.invalid:
        err.write(f"slocalc check: line {bad.line}: {bad.reason}\n")
    if args.format == "csv":
        err.write(_summary_line(outcome, policy.name) + "\n")
    if outcome.invalid:
        return 2
    return 1 if outcome.count("breached") else 0
