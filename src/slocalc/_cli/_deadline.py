"""``slocalc deadline``: every target's due instant for a case opened at an instant."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final, TextIO

from slocalc._cli._common import (
    CliError,
    CommandTexts,
    add_policy_argument,
    format_instant,
    load_policy,
    parse_instant,
)
from slocalc._time import resolve_zone

if TYPE_CHECKING:
    from slocalc.policies import Policy

__all__ = ["Due", "add_parser", "run"]


@dataclass(frozen=True, slots=True)
class Due:
    """One row of the answer: a metric, its target as text, and its deadline."""

    metric: str
    target: str
    due_at: datetime


#: ``slocalc deadline``'s help texts
_TEXTS: Final[CommandTexts] = {
    "help": "every target's due instant for a case opened at an instant",
    "description": (
        "Print the due instant of every target of one severity for a case opened at --opened, "
        "in the customer's zone and in UTC. Each target's clock starts at --opened; the update "
        "cadence really restarts at every support update, so to get the next update's due time "
        "pass the time of the latest support update as --opened."
    ),
    "epilog": (
        "example: slocalc deadline --severity 2 --opened 2026-11-20T15:00-05:00 "
        "--tz America/New_York --country US --subdiv MA"
    ),
}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``deadline`` on the sub-command parser."""
    p = sub.add_parser("deadline", **_TEXTS)
    p.add_argument(
        "--severity",
        required=True,
        metavar="LEVEL",
        help="the case's severity: its level (2) or its name in the policy (high)",
    )
    p.add_argument(
        "--opened",
        required=True,
        metavar="ISO8601",
        help="when the case was opened, with a UTC offset: 2026-11-20T15:00-05:00 or 2026-11-20T20:00Z",
    )
    p.add_argument("--tz", required=True, metavar="ZONE", help="the customer's IANA zone, e.g. Europe/Dublin")
    p.add_argument(
        "--country", metavar="CC", help="the customer's country for public holidays (ISO 3166, e.g. IE)"
    )
    p.add_argument("--subdiv", metavar="XX", help="a subdivision of --country, e.g. MA for Massachusetts")
    add_policy_argument(p)
    p.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help='output: a readable table (default) or {"initial_response": {"due_at": ...}, ...} '
        "with ISO 8601 offsets",
    )
    p.add_argument("--json", action="store_true", help="the same as --format json")
    p.set_defaults(run=run)


def severity_level(policy: Policy, text: str | int) -> int:
    """The level ``--severity`` names: a level (``2``) or a severity's name (``high``, any case).

    Raises:
        CliError: no severity of the policy has that level or name (the message lists them).
    """
    from slocalc.errors import did_you_mean, shorten

    names = {s.name.lower(): s.level for s in policy.severities if s.name}
    value = str(text).strip()
    if value.lstrip("+-").isdigit() and len(value) < 20:
        level = int(value)
        policy.severity(level)  # unknown level: the policy's message lists the known ones
        return level
    if value.lower() in names:
        return names[value.lower()]
    known = ", ".join(f"{s.level}" + (f" ({s.name})" if s.name else "") for s in policy.severities)
    hint = did_you_mean(value, [s.name for s in policy.severities if s.name])
    raise CliError(
        f"--severity {shorten(value)}: not a severity of policy {policy.name!r}; expected one of {known}{hint}"
    )


def compute(args: argparse.Namespace) -> tuple[Policy, datetime, list[Due]]:
    """The policy, the opening instant in the customer's zone and every target's due instant."""
    from slocalc.policies import Customer

    policy = load_policy(args.policy)
    resolve_zone(args.tz)  # unknown zone: a clear error before anything else
    opened = parse_instant(args.opened, "--opened", hint_tz=args.tz)
    customer = Customer(tz=args.tz, country=args.country, subdiv=args.subdiv)
    args.severity = severity_level(policy, args.severity)
    start = opened.astimezone(customer.zone)
    rows = [
        Due(
            metric,
            str(policy.target(args.severity, metric)),
            policy.due(args.severity, metric, start, customer),
        )
        for metric in policy.metrics(args.severity)
    ]
    return policy, start, rows


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``slocalc deadline``; returns the exit status."""
    from slocalc.policies import DEFAULT_HOURS

    policy, start, rows = compute(args)
    if not args.country:
        sys.stderr.write(
            "slocalc deadline: note: no --country, so no public holidays are skipped; pass --country "
            "(and --subdiv) for the customer's holidays\n"
        )
    if args.json or args.format == "json":
        doc = {
            row.metric: {
                "due_at": row.due_at.isoformat(),
                "due_at_utc": row.due_at.astimezone(UTC).isoformat(),
                "target": row.target,
            }
            for row in rows
        }
        json.dump(doc, out, indent=2)
        out.write("\n")
        return 0
    sev = policy.severity(args.severity)
    zone = start.tzinfo
    label = f"Severity {sev.level}" + (f" ({sev.name})" if sev.name else "")
    holidays = args.country + (f"-{args.subdiv}" if args.subdiv else "") if args.country else "none"
    out.write(f"{label} under policy {policy.name!r}\n")
    out.write(f"customer  {args.tz}, holidays {holidays}, business hours {DEFAULT_HOURS}\n")
    out.write(f"opened    {format_instant(start, zone)}  =  {format_instant(start)}\n\n")
    headers = ("metric", "target", f"due ({args.tz})", "due (UTC)")
    table = [(r.metric, r.target, format_instant(r.due_at, zone), format_instant(r.due_at)) for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    for row in (headers, *table):
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n")
    out.write("\nEach clock starts at the opening; the update cadence restarts at every support update.\n")
    return 0
