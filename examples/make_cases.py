"""Generate a realistic, reproducible export of support cases (``examples/cases.jsonl``).

Three hundred cases opened between 5 January and 31 March 2026 by customers in sixteen
time zones, exported at 2026-03-31 17:00 UTC: every event at or before that instant is in
the file, as a ticketing system's export would have it. The case mix walks every status
path of the guidebook: resolved cases, pauses while waiting on the customer or after a
solution is offered, closures for no response, engineering backlog, enhancement requests,
reopening inside the 10-day window and too late, severity upgrades and downgrades, cases
closed before any response, and fresh cases still waiting for one. About one reply in
twenty-five comes late, so the export has breaches to find.

The output depends only on the seed: the same command always writes the same bytes.

Usage::

    python examples/make_cases.py                          # JSON Lines on stdout
    python examples/make_cases.py --out examples/cases.jsonl
    python examples/make_cases.py --sample --format csv --out examples/cases.csv

then ``slocalc check examples/cases.jsonl --now 2026-03-31T17:00Z``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slocalc.cases import CSV_COLUMNS
from slocalc.policies import RAPID7, Customer

#: the export instant: pass it to ``slocalc check --now``
EXPORT_AT = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)
FIRST_DAY = datetime(2026, 1, 5, tzinfo=UTC)

#: (tz, country, subdiv, hours) of the customer base; hours None = Mon-Fri 08:00-17:00
PROFILES: list[tuple[str, str, str | None, str | None]] = [
    ("Europe/Dublin", "IE", None, None),
    ("Europe/London", "GB", "ENG", None),
    ("Europe/Berlin", "DE", "BY", None),
    ("Europe/Paris", "FR", None, None),
    ("Asia/Kolkata", "IN", None, None),
    ("Australia/Sydney", "AU", "NSW", None),
    ("America/Sao_Paulo", "BR", "SP", None),
    ("America/New_York", "US", "NY", None),
    ("America/Chicago", "US", "IL", None),
    ("America/Los_Angeles", "US", "CA", None),
    ("America/Toronto", "CA", "ON", None),
    ("Asia/Tokyo", "JP", None, None),
    ("Asia/Singapore", "SG", None, None),
    ("Africa/Johannesburg", "ZA", None, None),
    ("Pacific/Auckland", "NZ", None, None),
    ("Asia/Jerusalem", "IL", None, "Sun-Thu 08:00-17:00"),
]

LATE = 0.04  # share of replies that miss their deadline


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Story:
    """One case being written: its severity now, the clock position ``t`` and its events."""

    rng: random.Random
    severity: int
    customer: Customer
    opened: datetime
    t: datetime
    events: list[dict[str, Any]] = field(default_factory=list)

    def add(self, at: datetime, kind: str, **extra: Any) -> None:
        self.t = max(self.t, at)
        self.events.append({"at": at, "kind": kind, **extra})

    def later(self, lo: timedelta, hi: timedelta) -> datetime:
        """``t`` plus a whole number of minutes between ``lo`` and ``hi``."""
        span = (hi - lo) // timedelta(minutes=1)
        return self.t + lo + timedelta(minutes=self.rng.randint(0, max(span, 0)))

    def reply(self, metric: str, *, status: str | None = None) -> None:
        """A support update, usually inside the target, late about one time in twenty-five."""
        due = RAPID7.due(self.severity, metric, self.t, self.customer)
        span = max((due - self.t) // timedelta(minutes=1), 2)
        if self.rng.random() < LATE:
            at = due + timedelta(minutes=self.rng.randint(5, max(span // 2, 30)))
        else:
            at = self.t + timedelta(minutes=max(1, span * self.rng.randint(10, 95) // 100))
        self.add(at, "support_update")
        if status is not None:
            self.add(at, "status", status=status)

    def status(self, status: str) -> None:
        self.add(self.t, "status", status=status)

    def customer_reply(self, lo: timedelta, hi: timedelta) -> None:
        self.add(self.later(lo, hi), "customer_update")

    def close(self, status: str = "closed") -> None:
        self.add(self.later(timedelta(hours=1), timedelta(days=3)), "status", status=status)


H, D = timedelta(hours=1), timedelta(days=1)


def _work(s: Story, n: int) -> None:
    """The initial response and ``n`` update cycles, with a question to the customer now and then."""
    s.reply("initial_response", status="in_progress")
    for _ in range(n):
        if s.rng.random() < 0.3:
            s.reply("update", status="waiting_on_customer")
            s.customer_reply(2 * H, 4 * D)  # back to in_progress
        else:
            s.reply("update")


def resolved(s: Story) -> None:
    _work(s, s.rng.randint(1, 4))
    s.reply("update", status="solution_offered")  # the clock pauses
    if s.rng.random() < 0.6:
        s.customer_reply(H, 3 * D)  # "that fixed it": the clock runs again
        s.reply("update", status="closed")  # a closing note
    else:
        s.close()  # no word from the customer: closed while paused


def waiting(s: Story) -> None:
    _work(s, 1)
    s.reply("update", status="waiting_on_customer")
    s.customer_reply(D, 8 * D)
    _work_more(s, s.rng.randint(1, 3))
    s.reply("update", status="closed")


def _work_more(s: Story, n: int) -> None:
    for _ in range(n):
        s.reply("update")


def no_response(s: Story) -> None:
    _work(s, s.rng.randint(0, 2))
    s.reply("update", status="waiting_on_customer")
    s.add(s.later(10 * D, 12 * D), "status", status="closed_no_response")


def backlog(s: Story) -> None:
    _work(s, s.rng.randint(1, 3))
    s.reply("update", status="in_engineering_backlog")


def enhancement(s: Story) -> None:
    _work(s, s.rng.randint(0, 2))
    s.reply("update", status="closed_enhancement_request")


def reopen_in_window(s: Story) -> None:
    resolved(s)
    s.customer_reply(D, 9 * D)  # inside the 10-day window: the case reopens
    _work_more(s, s.rng.randint(1, 2))
    s.reply("update", status="closed")


def reopen_explicit(s: Story) -> None:
    resolved(s)
    s.add(s.later(2 * D, 8 * D), "status", status="reopened")
    _work_more(s, 1)
    s.reply("update", status="closed")


def late_reopen(s: Story) -> None:
    resolved(s)
    s.customer_reply(11 * D, 20 * D)  # too late: reported, reopens nothing


def upgrade(s: Story) -> None:
    _work(s, 1)
    # Rebased: the running cycle gets Severity-1's 4 hours from its start, so an upgrade
    # more than 4 hours into a cycle is breached at once.
    s.add(s.later(timedelta(minutes=20), D if s.rng.random() < 0.25 else 3 * H), "severity", severity=1)
    s.severity = 1
    _work_more(s, s.rng.randint(2, 5))
    s.reply("update", status="closed")


def downgrade(s: Story) -> None:
    _work(s, s.rng.randint(1, 3))
    new = s.rng.choice((2, 3))
    s.add(s.later(timedelta(minutes=10), 2 * H), "severity", severity=new)
    s.severity = new
    _work_more(s, s.rng.randint(1, 2))
    s.reply("update", status="closed")


def cancelled(s: Story) -> None:
    s.add(s.later(timedelta(minutes=5), H), "customer_update")
    s.status("closed")  # withdrawn before anyone answered


def unanswered(s: Story) -> None:
    pass  # nobody has replied yet


#: status paths and their weights
PATHS: dict[str, tuple[int, Callable[[Story], None]]] = {
    "resolved": (30, resolved),
    "waiting": (14, waiting),
    "no_response": (7, no_response),
    "backlog": (6, backlog),
    "enhancement": (4, enhancement),
    "reopen_in_window": (6, reopen_in_window),
    "reopen_explicit": (4, reopen_explicit),
    "late_reopen": (4, late_reopen),
    "upgrade": (6, upgrade),
    "downgrade": (5, downgrade),
    "cancelled": (3, cancelled),
    "unanswered": (4, unanswered),
}


def _opening(rng: random.Random, severity: int, zone: ZoneInfo, path: str) -> datetime:
    """When a case is opened: fresh for ``unanswered``; in office hours for most Sev-2/3."""
    first = EXPORT_AT - 3 * D if path == "unanswered" else FIRST_DAY
    span = (EXPORT_AT - first) // timedelta(minutes=1)
    t = first + timedelta(minutes=rng.randint(0, span - 1))
    if severity > 1 and rng.random() < 0.85:
        local = t.astimezone(zone)
        while local.weekday() >= 5:
            local -= D
        local = local.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
        t = local.astimezone(UTC)
    return min(max(t, first), EXPORT_AT - timedelta(minutes=30))


def generate(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` cases as JSON-ready dicts, sorted by opening time; events up to EXPORT_AT."""
    rng = random.Random(seed)
    names = list(PATHS)
    weights = [PATHS[n][0] for n in names]
    raw = []
    for _ in range(count):
        path = rng.choices(names, weights)[0]
        if path == "upgrade":
            severity = rng.choice((2, 3))
        elif path == "downgrade":
            severity = 1
        else:
            severity = rng.choices((1, 2, 3), (15, 35, 50))[0]
        tz, country, subdiv, hours = PROFILES[rng.randrange(len(PROFILES))]
        customer = Customer(tz=tz, country=country, subdiv=subdiv, **({"hours": hours} if hours else {}))
        opened = _opening(rng, severity, customer.zone, path)
        story = Story(rng, severity, customer, opened, opened)
        PATHS[path][1](story)
        raw.append((opened, path, severity, customer, story.events))
    raw.sort(key=lambda r: r[0])
    out = []
    for number, (opened, path, severity, customer, events) in enumerate(raw, start=1):
        cust: dict[str, Any] = {"tz": customer.tz, "country": customer.country}
        if customer.subdiv:
            cust["subdiv"] = customer.subdiv
        if customer.hours != "Mon-Fri 08:00-17:00":
            cust["hours"] = customer.hours
        out.append(
            {
                "id": f"C-{10000 + number}",
                "severity": severity,
                "opened_at": _iso(opened),
                "customer": cust,
                "events": [{**e, "at": _iso(e["at"])} for e in events if e["at"] <= EXPORT_AT],
                "_path": path,
            }
        )
    return out


def _sample(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One case per status path: the latest with an alert at EXPORT_AT if any, else the latest."""
    from slocalc.cases import Case, check

    latest: dict[str, dict[str, Any]] = {}
    alerted: dict[str, dict[str, Any]] = {}
    for case in cases:
        record = {k: v for k, v in case.items() if not k.startswith("_")}
        latest[case["_path"]] = case
        if check([Case.model_validate(record)], RAPID7, now=EXPORT_AT):
            alerted[case["_path"]] = case
    chosen = {path: alerted.get(path, case) for path, case in latest.items()}
    return sorted(chosen.values(), key=lambda c: c["opened_at"])


def write_jsonl(cases: list[dict[str, Any]], out: io.TextIOBase | Any) -> None:
    for case in cases:
        record = {k: v for k, v in case.items() if not k.startswith("_")}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_csv(cases: list[dict[str, Any]], out: io.TextIOBase | Any) -> None:
    """The flat layout of ``docs/cli.md``: one row per event, the case's columns on each row."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for case in cases:
        c = case["customer"]
        head = [
            case["id"],
            case["severity"],
            case["opened_at"],
            c["tz"],
            c.get("country", ""),
            c.get("subdiv", ""),
            c.get("hours", ""),
        ]
        if not case["events"]:
            writer.writerow([*head, "", "", "", ""])
        for e in case["events"]:
            writer.writerow([*head, e["at"], e["kind"], e.get("status", ""), e.get("severity", "")])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="file to write (default: standard output)")
    parser.add_argument("--count", type=int, default=300, help="how many cases (default 300)")
    parser.add_argument("--seed", type=int, default=20260331, help="random seed (default 20260331)")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("--sample", action="store_true", help="keep one case per status path")
    args = parser.parse_args(argv)
    cases = generate(args.count, args.seed)
    if args.sample:
        cases = _sample(cases)
    write = write_csv if args.format == "csv" else write_jsonl
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as f:
            write(cases, f)
    else:
        write(cases, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
