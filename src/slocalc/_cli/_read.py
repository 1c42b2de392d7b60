"""Reading a case export for ``slocalc check``: JSON Lines or the flat CSV layout.

Each reader yields, in input order, a :class:`Parsed` case (with the line it starts on) or
a :class:`Bad` line (its number and the reason). Nothing is skipped silently: a blank line
carries no data and is the only thing passed over.
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from slocalc._cli._common import one_line
from slocalc.errors import SlocalcError

__all__ = [
    "CSV_COLUMNS",
    "CSV_REQUIRED",
    "Bad",
    "Parsed",
    "read_csv",
    "read_jsonl",
]

#: the flat CSV layout: one row per event, the case's columns repeated on each of its rows
CSV_COLUMNS: Final = (
    "case_id",
    "severity",
    "opened_at",
    "tz",
    "country",
    "subdiv",
    "hours",
    "event_at",
    "kind",
    "status",
    "new_severity",
)
CSV_REQUIRED: Final = ("case_id", "severity", "opened_at", "tz", "event_at", "kind")
_CASE_COLUMNS: Final = ("severity", "opened_at", "tz", "country", "subdiv", "hours")
_EXTRA: Final = "\0extra"  # DictReader's key for fields beyond the header
_EVENT_REF = re.compile(r"events\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class Parsed:
    """A valid case and the input line it starts on (lines: all its CSV rows)."""

    line: int
    case: Any  # slocalc.cases.Case
    lines: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Bad:
    """An invalid input line and why."""

    line: int
    reason: str


def _case_model() -> Any:
    from slocalc.cases import Case

    return Case


def read_jsonl(lines: Sequence[str]) -> Iterator[Parsed | Bad]:
    """Cases from JSON Lines: one ``Case`` JSON object per line (blank lines ignored).

    A case id seen on an earlier line makes the later line invalid: one case, one line.
    """
    case_model = _case_model()
    seen: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Bad(number, f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(data, dict):
            yield Bad(number, f"expected a JSON object (one case), got {type(data).__name__}")
            continue
        try:
            case = case_model.model_validate(data)
        except SlocalcError as exc:
            yield Bad(number, one_line(str(exc)))
            continue
        first = seen.setdefault(case.id, number)
        if first != number:
            yield Bad(
                number, f"case {case.id!r}: duplicate case id (first on line {first}); one case per line"
            )
            continue
        yield Parsed(number, case, (number,))


@dataclass
class _Group:
    case_id: str
    first: int
    fields: dict[str, str]
    events: list[dict[str, Any]] = field(default_factory=list)
    event_lines: list[int] = field(default_factory=list)
    bad: bool = False


def _event(row: dict[str, str]) -> dict[str, Any] | None:
    at, kind = row.get("event_at", "").strip(), row.get("kind", "").strip()
    status, new_sev = row.get("status", "").strip(), row.get("new_severity", "").strip()
    if not at and not kind and not status and not new_sev:
        return None  # a case with no events yet
    event: dict[str, Any] = {"at": at, "kind": kind}
    if status:
        event["status"] = status
    if new_sev:
        try:
            event["severity"] = int(new_sev)
        except ValueError:
            raise ValueError(f"new_severity {new_sev!r}: expected a whole number, e.g. 1") from None
    return event


def _case_data(group: _Group) -> dict[str, Any]:
    f = group.fields
    customer: dict[str, Any] = {"tz": f["tz"]}
    for key in ("country", "subdiv", "hours"):
        if f.get(key):
            customer[key] = f[key]
    severity: Any = f["severity"]
    with contextlib.suppress(ValueError):  # else the model names the bad value
        severity = int(severity)
    return {
        "id": group.case_id,
        "severity": severity,
        "opened_at": f["opened_at"],
        "customer": customer,
        "events": group.events,
    }


def read_csv(lines: Sequence[str]) -> Iterator[Parsed | Bad]:
    """Cases from the flat CSV layout (see ``docs/cli.md``): one row per event.

    Rows of one case need not be adjacent; the case's columns are given on its first row
    and on later rows are either blank or the same. A bad row invalidates its case (it is
    not evaluated with an event missing); each bad row is reported with its line number.
    """
    case_model = _case_model()
    reader = csv.DictReader(lines, restkey=_EXTRA)
    header = reader.fieldnames
    if header is None:
        return
    names = [h.strip() for h in header]
    unknown = [h for h in names if h not in CSV_COLUMNS]
    missing = [c for c in CSV_REQUIRED if c not in names]
    if unknown or missing or len(set(names)) != len(names):
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s) {', '.join(unknown)}")
        if len(set(names)) != len(names):
            problems.append("a column appears twice")
        yield Bad(1, f"CSV header: {'; '.join(problems)}; expected columns {', '.join(CSV_COLUMNS)}")
        return
    reader.fieldnames = names
    groups: dict[str, _Group] = {}
    bad: list[Bad] = []
    for raw in reader:
        number = reader.line_num
        row = {k: (v or "") for k, v in raw.items() if isinstance(k, str) and k in CSV_COLUMNS}
        if _EXTRA in raw:
            extra = len(raw[_EXTRA])
            bad.append(Bad(number, f"{extra} more field(s) than the header's {len(names)}"))
            continue
        if not any(v.strip() for v in row.values()):
            continue
        case_id = row["case_id"].strip()
        if not case_id:
            bad.append(Bad(number, "case_id is empty; every row names its case"))
            continue
        group = groups.get(case_id)
        if group is None:
            fields = {k: row.get(k, "").strip() for k in _CASE_COLUMNS}
            group = groups[case_id] = _Group(case_id, number, fields)
            empty = [k for k in ("severity", "opened_at", "tz") if not fields[k]]
            if empty:
                bad.append(Bad(number, f"case {case_id!r}: first row leaves {', '.join(empty)} empty"))
                group.bad = True
                continue
        else:
            clash = [k for k in _CASE_COLUMNS if row.get(k, "").strip() and row[k].strip() != group.fields[k]]
            if clash:
                k = clash[0]
                bad.append(
                    Bad(
                        number,
                        f"case {case_id!r}: {k} {row[k].strip()!r} differs from "
                        f"{group.fields[k]!r} on line {group.first}; leave it blank or repeat it",
                    )
                )
                group.bad = True
                continue
        try:
            event = _event(row)
        except ValueError as exc:
            bad.append(Bad(number, f"case {case_id!r}: {exc}"))
            group.bad = True
            continue
        if event is not None:
            group.events.append(event)
            group.event_lines.append(number)
    yield from bad
    for group in groups.values():
        if group.bad:
            continue
        try:
            case = case_model.model_validate(_case_data(group))
        except SlocalcError as exc:
            message = one_line(str(exc))
            m = _EVENT_REF.search(message)
            index = int(m[1]) if m else -1
            line = group.event_lines[index] if 0 <= index < len(group.event_lines) else group.first
            yield Bad(line, message)
            continue
        yield Parsed(group.first, case, (group.first, *group.event_lines))
