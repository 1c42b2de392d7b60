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


def _fraction(text: str) -> Fraction:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; expected e.g. 0.75") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not in (0, 1]; e.g. 0.75 means 75% of a target used")
    return value


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
        type=_fraction,
        default=Fraction(3, 4),
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
    """What one run found."""

    now: datetime
    now_source: str
    cases: int = 0
    alerts: list[tuple[Any, Any]] = field(default_factory=list)  # (alert, case)
    invalid: list[Bad] = field(default_factory=list)
    by_severity: dict[int, Counter[str]] = field(default_factory=dict)
    future_events: int = 0
    not_yet_opened: int = 0

    def count(self, kind: str) -> int:
        return sum(c[kind] for c in self.by_severity.values())


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
    """Read, validate and evaluate every case; invalid lines are collected, not raised."""
    from slocalc.cases import check

    if args.now is None:
        outcome = _Outcome(datetime.now(UTC).replace(microsecond=0), "the current time; pass --now to fix it")
    else:
        outcome = _Outcome(parse_instant(args.now, "--now"), "--now")
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
        case = item.case
        if case.opened_at > outcome.now:  # a valid line, not a case yet at `now`: counted, not checked
            outcome.not_yet_opened += 1
            continue
        try:
            # check() alone: evaluate() would replay the case again to build a full report.
            alerts = check([case], policy, now=outcome.now, at_risk=args.at_risk)
        except SlocalcError as exc:
            outcome.invalid.append(Bad(item.line, one_line(str(exc))))
            continue
        outcome.cases += 1
        severity, future = _as_of(case, outcome.now)
        outcome.future_events += future
        kinds = {a.kind for a in alerts}
        verdict = "breached" if "breached" in kinds else "at_risk" if kinds else "ok"
        tally = outcome.by_severity.setdefault(severity, Counter())
        tally["cases"] += 1
        tally[verdict] += 1
        outcome.alerts.extend((a, case) for a in alerts)
    progress.done()
    outcome.invalid.sort(key=lambda b: b.line)
    return outcome


def _as_of(case: Any, now: datetime) -> tuple[int, int]:
    """The case's severity at ``now`` (its last severity event at or before ``now``) and the
    number of its events after ``now`` (not replayed). Compared in UTC: a shared tzinfo
    would compare wall clocks and ignore ``fold``."""
    now_utc = now.astimezone(UTC)
    severity: int = case.severity
    future = 0
    # Events may come unsorted: replay order is by instant, ties in given order (stable sort).
    for event in sorted(case.events, key=lambda e: e.at.astimezone(UTC)):
        if event.at.astimezone(UTC) > now_utc:
            future += 1
        elif event.kind == "severity" and event.severity is not None:
            severity = event.severity
    return severity, future


def _urgency(pair: tuple[Any, Any]) -> tuple[int, datetime]:
    alert = pair[0]
    rank = 0 if alert.kind == "breached" and alert.met_at is None else 1 if alert.kind == "at_risk" else 2
    return rank, alert.due_at.astimezone(UTC)


def _status_text(alert: Any) -> str:
    if alert.kind == "at_risk":
        return f"{format_delta(alert.remaining)} left" if alert.remaining is not None else "at risk"
    late = format_delta(alert.breached_by) if alert.breached_by is not None else "?"
    return f"answered {late} late" if alert.met_at is not None else f"{late} overdue"


def _label(alert: Any) -> str:
    return "initial response" if alert.cycle == 0 else f"{alert.metric} #{alert.cycle}"


def _write_table(outcome: _Outcome, policy_name: str, at_risk: Fraction, out: TextIO) -> None:
    alerts = sorted(outcome.alerts, key=_urgency)
    if alerts:
        headers = ("case", "sev", "target", "alert", "due (UTC)", "due (customer)", "")
        rows = [
            (
                a.case_id,
                str(a.severity),
                _label(a),
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
    sev_rows = [
        (str(level), str(c["cases"]), str(c["breached"]), str(c["at_risk"]), str(c["ok"]))
        for level, c in sorted(outcome.by_severity.items())
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
    out.write("\n" + _summary_line(outcome, policy_name, at_risk) + "\n")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _summary_line(outcome: _Outcome, policy_name: str, at_risk: Fraction) -> str:
    n_alerts = Counter(a.kind for a, _ in outcome.alerts)
    text = (
        f"checked {_n(outcome.cases, 'case')}: {outcome.count('breached')} breached, "
        f"{outcome.count('at_risk')} more at risk, {outcome.count('ok')} ok"
    )
    if outcome.invalid:
        text += f"; {_n(len(outcome.invalid), 'invalid line')}"
    text += (
        f"; alerts: {_n(n_alerts['breached'], 'breached target')}, "
        f"{_n(n_alerts['at_risk'], 'target')} at risk (threshold {float(at_risk):.0%})"
        f"; policy {policy_name!r}; now {outcome.now.isoformat()} ({outcome.now_source})"
    )
    if outcome.not_yet_opened:
        text += f"; {_n(outcome.not_yet_opened, 'case')} opened after now not checked"
    if outcome.future_events:
        text += f"; {_n(outcome.future_events, 'event')} after now not replayed"
    return text


def _alert_record(alert: Any, case: Any) -> dict[str, Any]:
    record: dict[str, Any] = alert.model_dump(mode="json")
    record["customer_tz"] = case.customer.tz
    return record


def _write_json(outcome: _Outcome, policy_name: str, at_risk: Fraction, out: TextIO) -> None:
    doc = {
        "now": outcome.now.isoformat(),
        "now_source": outcome.now_source,
        "policy": policy_name,
        "at_risk": float(at_risk),  # for display: the check itself used the exact fraction
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
        "alerts": [_alert_record(a, case) for a, case in sorted(outcome.alerts, key=_urgency)],
        "invalid": [{"line": b.line, "error": b.reason} for b in outcome.invalid],
    }
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _write_csv(outcome: _Outcome, out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_ALERT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for alert, case in sorted(outcome.alerts, key=_urgency):
        record = _alert_record(alert, case)
        writer.writerow({k: "" if record.get(k) is None else record[k] for k in CSV_ALERT_COLUMNS})


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``slocalc check``; returns the exit status."""
    err = sys.stderr
    policy = load_policy(args.policy)
    outcome = evaluate_all(args, policy, err)
    if args.format == "json":
        _write_json(outcome, policy.name, args.at_risk, out)
    elif args.format == "csv":
        _write_csv(outcome, out)
    else:
        _write_table(outcome, policy.name, args.at_risk, out)
    out.flush()
    for bad in outcome.invalid:
        err.write(f"slocalc check: line {bad.line}: {bad.reason}\n")
    if args.format == "csv":
        err.write(_summary_line(outcome, policy.name, args.at_risk) + "\n")
    if outcome.invalid:
        return 2
    return 1 if outcome.count("breached") else 0
