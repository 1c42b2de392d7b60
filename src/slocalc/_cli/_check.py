"""``slocalc check``: evaluate a case export, print alerts and a summary.

Exit status: 0 nothing breached, 1 something breached, 2 some input line was invalid
(reported on stderr with its line number, after every valid case was evaluated and
reported).
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction
from itertools import chain, starmap
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TextIO, cast

from slocalc._cli._common import (
    LOCAL_FIRST,
    LOCAL_LAST,
    CliError,
    TextMemo,
    _offset_text,
    add_policy_argument,
    format_delta,
    format_instant,
    format_instants,
    load_policy,
    parse_instant,
)
from slocalc._cli._progress import Progress
from slocalc._cli._spill import SpillSort
from slocalc._time import duration_json, fixed_offset_us, instant_json, to_us
from slocalc.errors import SlocalcError
from slocalc.scale import ALERT_COLUMNS

if TYPE_CHECKING:
    from slocalc.cases import Alert, CaseBatch, CaseCheck, InvalidLine
    from slocalc.policies import Customer, Policy

__all__ = ["add_parser", "run"]

#: lines read and checked together (the columnar path's batch: memory stays flat, and
#: progress is redrawn between batches, a fraction of a second apart)
BATCH: Final = 8192

#: alert columns of ``--format csv`` (durations as ISO 8601, e.g. PT2H30M): the scale-out
#: alert columns (:data:`slocalc.scale.ALERT_COLUMNS`) before where the line came from
CSV_ALERT_COLUMNS: Final = ALERT_COLUMNS[: ALERT_COLUMNS.index("source")]


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
            "layout in the docs); '-', or no FILE with input piped, reads standard input.\n\n"
            "WITHOUT --now THE CURRENT TIME IS USED, so the output changes from run to run; the\n"
            "summary prints the 'now' it used. Pass --now for reproducible output.\n\n"
            "Exit status: 0 nothing breached, 1 something breached, 2 an invalid input line (each\n"
            "reported on stderr with its line number, after every valid case is reported)."
        ),
        epilog="example: slocalc check examples/cases.jsonl --now 2026-03-31T17:00Z",
    )
    p.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        help="the cases: a .jsonl or .csv file, or '-' for standard input (the default when input is piped)",
    )
    p.add_argument(
        "--now",
        metavar="ISO8601",
        help="the instant to evaluate at, with an offset (2026-03-31T17:00Z); DEFAULT: THE CURRENT TIME",
    )
    add_policy_argument(p)
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
        help="never show progress (shown on stderr from the first second when stderr is a terminal: "
        "cases read, cases a second, bytes read of the file's size)",
    )
    p.set_defaults(run=run)


@dataclass
class _Outcome:
    """What one run found, kept small: tallies, and per alert only what the output prints
    (``_Row``) and per invalid line its number and reason, both in a :class:`SpillSort`
    (sorted runs spilled to temporary files), so memory stays flat however many cases,
    alerts or invalid lines come (see docs/scaling.md, "One machine"). Close it when done."""

    now: datetime
    now_source: str
    at_risk: Fraction
    fmt: str
    rows: SpillSort = field(default_factory=SpillSort)
    #: the invalid lines as (line, arrival index, reason): sorted by line, then as they came
    invalid: SpillSort = field(default_factory=SpillSort)
    #: the table's column widths over every alert row added so far (``fmt == "table"``)
    widths: list[int] = field(default_factory=lambda: [0] * 7)
    cases: int = 0
    not_yet_opened: int = 0
    future_events: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    alert_kinds: Counter[str] = field(default_factory=Counter)
    by_severity: dict[int, Counter[str]] = field(default_factory=dict)

    def count(self, verdict: str) -> int:
        return self.verdicts[verdict]

    def add_invalid(self, bad: InvalidLine) -> None:
        """Keep one invalid line (reported in line order at the end)."""
        self.invalid.add((bad.line, len(self.invalid), bad.reason))

    def invalid_lines(self) -> Iterator[InvalidLine]:
        """The invalid lines in line order (lines found invalid together: as they came)."""
        from slocalc.cases import InvalidLine

        for line, _, reason in self.invalid.sorted():
            yield InvalidLine(line, reason)

    def close(self) -> None:
        """Remove the temporary files of the spilled rows."""
        self.rows.close()
        self.invalid.close()

    def add(self, seen: CaseCheck, customer: Customer, line: int) -> None:
        """Tally one checked case and keep its alerts' rendered output."""
        self.cases += 1
        self.future_events += seen.future_events
        verdict = seen.verdict
        self.verdicts[verdict] += 1
        tally = self._tally(seen.severity)
        tally["cases"] += 1
        tally[verdict] += 1
        self._add_alerts(seen.alerts, customer, line)

    def add_batch(self, batch: CaseBatch, found: Any) -> None:
        """Tally a batch's replayed cases from the replay's columns (``found``, what
        ``CaseBatch._checked`` gives: no object per case):
        every case counted ``ok`` per severity, then each case with alerts moved to its
        verdict (``CaseCheck.verdict``) and its alerts kept."""
        import numpy as np

        rows = found.replayed
        self.not_yet_opened += int(np.count_nonzero(found.skipped))
        n = int(np.count_nonzero(rows))
        if not n:
            return
        self.cases += n
        self.future_events += int(found.future[rows].sum())
        self.verdicts["ok"] += n
        levels, counts = np.unique(found.severity[rows], return_counts=True)
        for level, count in zip(levels.tolist(), counts.tolist(), strict=True):
            tally = self._tally(level)
            tally["cases"] += count
            tally["ok"] += count
        rows = getattr(found, "rows", None)
        if self.fmt in _BULK and rows is not None:
            rendered = _BULK[self.fmt](rows, batch)
            if rendered is not None:  # the usual batch: its alerts written from the columns
                self._add_rows(batch, found, rows, rendered)
                return
        severity = found.severity
        for i, alerts in found.alerts.items():
            verdict = found.verdict(i)
            self.verdicts["ok"] -= 1
            self.verdicts[verdict] += 1
            tally = self.by_severity[int(severity[i])]
            tally["ok"] -= 1
            tally[verdict] += 1
            self._add_alerts(alerts, batch.customer(i), batch.line(i))

    def _add_rows(self, batch: CaseBatch, found: Any, rows: Any, rendered: list[Any]) -> None:
        """:meth:`add_batch`'s tallies and kept alerts for the alerts as columns (``rows``,
        the replay's ``AlertRows``) and what the output writes of each (``rendered``): the
        same counts, rows and keys as alert by alert."""
        import numpy as np

        case = rows.case
        n = len(case)
        if not n:
            return
        starts = np.flatnonzero(np.concatenate(([True], case[1:] != case[:-1])))
        counts = np.diff(np.append(starts, n))
        late = rows.late
        cases = case[starts]
        verdicts = self.verdicts
        hits = np.logical_or.reduceat(late, starts).tolist()  # a case with a breach is breached
        for level, hit in zip(found.severity[cases].tolist(), hits, strict=True):
            verdict = "breached" if hit else "at_risk"
            verdicts["ok"] -= 1
            verdicts[verdict] += 1
            tally = self.by_severity[level]
            tally["ok"] -= 1
            tally[verdict] += 1
        breached = int(np.count_nonzero(late))
        self.alert_kinds["breached"] += breached
        self.alert_kinds["at_risk"] += n - breached
        rank = np.array(_RANKS, dtype=np.int64)[2 * late + rows.answered]  # (late, answered)
        index = np.arange(n) - np.repeat(starts, counts)  # each alert's place in its case
        lines = np.repeat(np.array([batch.line(i) for i in cases.tolist()], dtype=np.int64), counts)
        keys = (rank.tolist(), rows.due.tolist(), lines.tolist(), index.tolist())
        self.rows.add_many(zip(*keys, rendered, strict=True))
        if self.fmt == "table":
            columns = zip(*rendered, strict=True)  # the cells of each column
            self.widths = [max(w, *map(len, cells)) for w, cells in zip(self.widths, columns, strict=True)]

    def _tally(self, level: int) -> Counter[str]:
        tally = self.by_severity.get(level)
        if tally is None:
            tally = self.by_severity[level] = Counter()
        return tally

    def _add_alerts(self, alerts: Iterable[Alert], customer: Customer, line: int) -> None:
        """Keep the rendered output of a case's alerts (in the case's own alert order)."""
        table = self.fmt == "table"
        for k, alert in enumerate(alerts):
            self.alert_kinds[alert.kind] += 1
            rank, due = _urgency(alert)
            rendered = _render(self.fmt, alert, customer)
            if table:
                widths = self.widths
                for i, cell in enumerate(rendered):
                    if len(cell) > widths[i]:
                        widths[i] = len(cell)
            self.rows.add((rank, due, line, k, rendered))

    def alerts(self) -> Iterator[Any]:
        """The rendered alerts, most urgent first: unanswered breaches, then targets at risk,
        then late answers; by due instant within each, then in input order (the order of
        the cases' first lines, and each case's own alert order). The key (``_Row``'s four
        numbers) is unique, so the rendered alerts themselves are never compared."""
        for row in self.rows.sorted():
            yield row[4]


#: one alert as the output needs it: (urgency rank, due instant in UTC microseconds,
#: the case's first line, the alert's index in its case, the rendered alert)
_Row = tuple[int, int, int, int, Any]


def _render(fmt: str, alert: Alert, customer: Customer) -> Any:
    """What ``fmt`` prints for an alert: the JSON text of its record, its CSV row, or its
    table cells (a table's widths are known only once every row is)."""
    if fmt == "json":
        text = _alert_json(alert, customer.tz)
        return _json_item(_alert_record(alert, customer), flat=True) if text is None else text
    if fmt == "csv":
        record = _alert_record(alert, customer)
        return [("" if record.get(k) is None else record[k]) for k in CSV_ALERT_COLUMNS]
    return (
        alert.case_id,
        str(alert.severity),
        alert.label,
        "BREACHED" if alert.kind == "breached" else "at risk",
        format_instant(alert.due_at),
        format_instant(alert.due_at, customer.zone) + f" {customer.tz}",
        _status_text(alert),
    )


def _now(args: argparse.Namespace) -> tuple[datetime, str]:
    if args.now is None:
        return datetime.now(UTC).replace(microsecond=0), "the current time; pass --now to fix it"
    return parse_instant(args.now, "--now"), "--now"


def evaluate_all(args: argparse.Namespace, policy: Policy, err: TextIO) -> _Outcome:
    """Read, validate and check every case as it is read; invalid lines are collected, not
    raised, and no case is kept once its alerts are rendered (see docs/scaling.md)."""
    from slocalc.cases import DEFAULT_AT_RISK, InvalidLine, at_risk_share, read_cases

    at_risk = args.at_risk if args.at_risk is not None else at_risk_share(DEFAULT_AT_RISK)
    now, source = _now(args)
    if args.file is None:
        if sys.stdin is None or _is_terminal(sys.stdin):
            raise CliError(
                "no FILE given and nothing piped in; give a .jsonl or .csv file, or pipe the export in"
            )
        args.file = "-"
    try:
        reader = read_cases(args.file, args.input_format)
    except SlocalcError as exc:
        raise CliError(str(exc)) from None
    outcome = _Outcome(now, source, at_risk, args.format)
    try:
        progress = Progress(err, total_bytes=reader.total_bytes, enabled=not args.no_progress)
        with reader:
            for batch in reader.batches(BATCH):  # bounded batches, checked on the columnar path
                progress.step(reader)
                for bad in batch.invalid:
                    outcome.add_invalid(bad)
                found, others = batch._checked(policy, now, at_risk)
                outcome.add_batch(batch, found)
                for i, seen in others:  # cases the columnar replay declined, checked one by one
                    if isinstance(seen, InvalidLine):  # e.g. a status the policy does not have
                        outcome.add_invalid(seen)
                    elif seen.skipped is not None:  # a valid line, not a case yet at `now`: counted
                        outcome.not_yet_opened += 1
                    else:
                        outcome.add(seen, batch.customer(i), batch.line(i))
        progress.done()
    except BaseException:
        outcome.close()
        raise
    return outcome


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def _urgency(alert: Alert) -> tuple[int, int]:
    """An alert's sort key: its rank in :data:`_RANKS` and its due instant (UTC µs)."""
    return _RANKS[2 * (alert.kind == "breached") + (alert.met_at is not None)], to_us(alert.due_at)


#: the urgency rank of an alert by ``2 * breached + answered``: unanswered breaches first
#: (0), then targets at risk (1; never answered), then late answers (2)
_RANKS: Final = (1, 1, 0, 2)


def _status_text(alert: Alert) -> str:
    """The table's last column for an alert (:func:`_status`)."""
    at_risk = alert.kind == "at_risk"
    span = alert.remaining if at_risk else alert.breached_by
    return _status(at_risk, alert.met_at is not None, None if span is None else format_delta(span))


def _status(at_risk: bool, answered: bool, span: str | None) -> str:
    """The table's last column: the time left of a target at risk, or how late a breach is
    (``span``: :func:`format_delta`'s text of the remaining or breached-by time)."""
    if at_risk:
        return f"{span} left" if span is not None else "at risk"
    late = span if span is not None else "?"
    return f"answered {late} late" if answered else f"{late} overdue"


def _write_table(outcome: _Outcome, policy_name: str, out: TextIO) -> None:
    if len(outcome.rows):
        headers = ("case", "sev", "target", "alert", "due (UTC)", "due (customer)", "")
        widths = [max(len(h), w) for h, w in zip(headers, outcome.widths, strict=True)]
        line = "  ".join(f"{{:<{w}}}" for w in widths).format  # each cell left-aligned in its width
        for row in chain((headers,), outcome.alerts()):  # streamed: never every row at once
            out.write(line(*row).rstrip() + "\n")
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
    n_alerts = outcome.alert_kinds
    text = (
        f"checked {_n(outcome.cases, 'case')}: {outcome.count('breached')} breached, "
        f"{outcome.count('at_risk')} more at risk, {outcome.count('ok')} ok"
    )
    if len(outcome.invalid):
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


def _alert_json(alert: Alert, tz: str) -> str | None:
    """An alert's JSON item, exactly as ``_json_item(_alert_record(alert, customer))``
    writes it, in one format string (``slocalc check`` writes one per alert): the text of
    its instants and durations as :meth:`~slocalc.cases.Alert.to_dict` gives them, its
    strings as the ``json`` module writes them. ``None`` for an alert of other types than
    the plain ones (a subclass of ``datetime``...): the record's own way then.

    >>> from datetime import UTC, datetime, timedelta
    >>> from slocalc.cases import Alert
    >>> alert = Alert("C-1", "update", "breached", datetime(2026, 3, 2, 13, 0, tzinfo=UTC), 1, 2,
    ...               breached_by=timedelta(hours=3))
    >>> print(_alert_json(alert, "Europe/Dublin"))
        {
          "case_id": "C-1",
          "metric": "update",
          "kind": "breached",
          "due_at": "2026-03-02T13:00:00Z",
          "cycle": 1,
          "severity": 2,
          "met_at": null,
          "breached_by": "PT3H",
          "remaining": null,
          "budget": null,
          "customer_tz": "Europe/Dublin"
        }
    """
    due, met, by, left, budget = alert.due_at, alert.met_at, alert.breached_by, alert.remaining, alert.budget
    case_id, cycle, severity = alert.case_id, alert.cycle, alert.severity
    if not (
        type(case_id) is type(tz) is str
        and type(cycle) is type(severity) is int
        and type(due) is datetime
        and (met is None or type(met) is datetime)
        and (by is None or type(by) is timedelta)
        and (left is None or type(left) is timedelta)
        and (budget is None or type(budget) is timedelta)
    ):
        return None
    head = _head(alert.metric, alert.kind)
    if head is None:
        return None
    return _item(
        _string(case_id),
        head,
        instant_json(due),
        cycle,
        severity,
        _json_value(None if met is None else instant_json(met)),
        _json_value(None if by is None else duration_json(by)),
        _json_value(None if left is None else duration_json(left)),
        _json_value(None if budget is None else duration_json(budget)),
        _string(tz),
    )


def _item(
    case_id: str,
    head: str,
    due: str,
    cycle: int,
    severity: int,
    met: str,
    by: str,
    left: str,
    budget: str,
    tz: str,
) -> str:
    """An alert's JSON item as ``json.dumps(indent=2)`` writes it in the ``alerts`` list, from
    its values' JSON texts (the due instant's unquoted; ``head``: :func:`_head`'s lines)."""
    return (
        f'    {{\n      "case_id": {case_id},\n{head}      "due_at": "{due}",\n'
        f'      "cycle": {int.__repr__(cycle)},\n      "severity": {int.__repr__(severity)},\n'
        f'      "met_at": {met},\n      "breached_by": {by},\n      "remaining": {left},\n'
        f'      "budget": {budget},\n      "customer_tz": {tz}\n    }}'
    )


class _Texts(NamedTuple):
    """A batch's alerts as the texts the output writes, one list per field, one item per
    alert (in ``AlertRows`` order): instants and durations as :meth:`~slocalc.cases.Alert.to_dict`
    writes them (``None`` where the field is empty), the rest as given."""

    case: list[int]  # the alert's case index in its batch
    kind: list[str]
    metric: list[str]
    due: list[str]
    cycle: list[int]
    severity: list[int]
    met: list[str | None]
    late_by: list[str | None]
    remaining: list[str | None]
    budget: list[str | None]


def _alert_texts(rows: Any) -> _Texts | None:
    """The texts of the alerts given as columns (the replay's ``AlertRows``), made a batch
    at a time: instants by numpy from their microseconds in their case's fixed offset,
    durations by a table of their texts. ``None`` where that does not hold for every alert
    (a zone other than a fixed offset of whole minutes, an instant outside the years
    1000-9999, a field of another type): the batch is written alert by alert then."""
    import numpy as np

    offsets: list[int] = []
    suffixes: list[str] = []
    for tz in rows.zones:
        off = _fixed_offset(tz)
        if off is None:
            return None
        offsets.append(off)
        suffixes.append(_offset_suffix(off))
    zone = rows.zone
    shift = np.array(offsets, dtype=np.int64)[zone]
    dues = _instants_json(np, rows.due + shift, zone, suffixes)
    answered = rows.answered
    mets = _instants_json(np, rows.met[answered] + shift[answered], zone[answered], suffixes)
    if dues is None or mets is None:
        return None
    if not all(type(v) is int for v in (*rows.cycle, *rows.severity)):
        return None
    if not all(type(v) is str for v in rows.metric):
        return None
    late = rows.late
    met_texts: list[str | None] = [None] * len(dues)
    for k, text in zip(np.flatnonzero(answered).tolist(), mets, strict=True):
        met_texts[k] = text
    kinds = ("at_risk", "breached")
    return _Texts(
        rows.case.tolist(),
        list(map(kinds.__getitem__, late.tolist())),
        rows.metric,
        dues,
        rows.cycle,
        rows.severity,
        met_texts,
        _spans(rows.late_by, late),
        _spans(rows.remaining, ~late),
        _spans(rows.budget, ~late),
    )


def _alerts_json(rows: Any, batch: CaseBatch) -> list[str] | None:
    """The JSON items of a batch's alerts given as columns (the replay's ``AlertRows``),
    each exactly :func:`_alert_json`'s text of the same ``Alert``, made a batch at a time:
    instants by numpy from their microseconds in their case's fixed offset, durations
    by a table of their texts. ``None`` where that does not hold for every alert (a zone
    other than a fixed offset of whole minutes, an instant outside the years 1000-9999,
    a field of another type): the batch is written alert by alert then.

    >>> from datetime import datetime, UTC
    >>> from fractions import Fraction
    >>> from slocalc.cases import CaseBatch
    >>> from slocalc.policies import RAPID7
    >>> line = ('{"id": "C-1", "severity": 1, "opened_at": "2026-03-02T09:00:00+05:30",'
    ...         ' "customer": {"tz": "Asia/Kolkata"}}')
    >>> batch = CaseBatch.from_lines([(1, line)])
    >>> found, _ = batch._checked(RAPID7, datetime(2026, 3, 2, 12, tzinfo=UTC), Fraction(3, 4))
    >>> print(_alerts_json(found.rows, batch)[0])
        {
          "case_id": "C-1",
          "metric": "initial_response",
          "kind": "breached",
          "due_at": "2026-03-02T11:00:00+05:30",
          "cycle": 0,
          "severity": 1,
          "met_at": null,
          "breached_by": "PT6H30M",
          "remaining": null,
          "budget": null,
          "customer_tz": "Asia/Kolkata"
        }
    """
    texts = _alert_texts(rows)
    if texts is None:
        return None
    ids, customer = batch.ids, batch.customer
    id_text = {i: _string(ids[i]) for i in set(texts.case)}
    tz_text = {i: _string(customer(i).tz) for i in id_text}
    heads: list[str] = []
    for metric, kind in zip(texts.metric, texts.kind, strict=True):
        head = _head(metric, kind)
        assert head is not None  # the metrics are text (_alert_texts)
        heads.append(head)
    values = zip(
        map(id_text.__getitem__, texts.case),
        heads,
        texts.due,
        texts.cycle,
        texts.severity,
        map(_json_value, texts.met),
        map(_json_value, texts.late_by),
        map(_json_value, texts.remaining),
        map(_json_value, texts.budget),
        map(tz_text.__getitem__, texts.case),
        strict=True,
    )
    return list(starmap(_item, values))


def _alerts_csv(rows: Any, batch: CaseBatch) -> list[list[Any]] | None:
    """The CSV rows of a batch's alerts given as columns, each exactly :func:`_render`'s row
    of the same ``Alert`` (``CSV_ALERT_COLUMNS``); ``None`` as :func:`_alert_texts`."""
    texts = _alert_texts(rows)
    if texts is None:
        return None
    ids, customer = batch.ids, batch.customer
    tz = {i: customer(i).tz for i in set(texts.case)}
    empty = ""
    return [
        [
            ids[i],
            level,
            metric,
            cycle,
            kind,
            due,
            met or empty,
            by or empty,
            left or empty,
            budget or empty,
            tz[i],
        ]
        for i, level, metric, cycle, kind, due, met, by, left, budget in zip(
            texts.case,
            texts.severity,
            texts.metric,
            texts.cycle,
            texts.kind,
            texts.due,
            texts.met,
            texts.late_by,
            texts.remaining,
            texts.budget,
            strict=True,
        )
    ]


def _json_value(text: str | None) -> str:
    """An instant's or duration's text as a JSON value: a string, or ``null`` for none."""
    return "null" if text is None else f'"{text}"'


def _alerts_table(rows: Any, batch: CaseBatch) -> list[tuple[str, ...]] | None:
    """The table rows of a batch's alerts given as columns (the replay's ``AlertRows``),
    each exactly :func:`_render`'s cells of the same ``Alert``: instants by
    :func:`~slocalc._cli._common.format_instants` a zone at a time, durations and labels
    from tables of their texts. ``None`` where an instant or a field is not one that
    writes (see ``format_instants``): the batch is written alert by alert then."""
    import numpy as np

    if not all(type(v) is int for v in (*rows.cycle, *rows.severity)):
        return None
    if not all(type(v) is str for v in rows.metric):
        return None
    due = rows.due
    n = len(due)
    utc = format_instants(due)
    if utc is None:
        return None
    case = rows.case
    customers = {i: batch.customer(i) for i in set(case.tolist())}
    suffix = {i: f" {c.tz}" for i, c in customers.items()}
    local: list[str] = [""] * n
    by_zone: dict[str, list[int]] = {}
    for i, c in customers.items():
        by_zone.setdefault(c.tz, []).append(i)
    for members in by_zone.values():
        where = np.flatnonzero(np.isin(case, members))
        texts = format_instants(due[where], customers[members[0]].zone)
        if texts is None:
            return None
        for k, text in zip(where.tolist(), texts, strict=True):
            local[k] = text
    late = rows.late
    spans = np.where(late, rows.late_by, rows.remaining).tolist()
    status = [
        _status(not hit, answered, _DELTAS[span])
        for hit, answered, span in zip(late.tolist(), rows.answered.tolist(), spans, strict=True)
    ]
    ids = batch.ids
    cases = case.tolist()
    return list(
        zip(
            map(ids.__getitem__, cases),
            map(str, rows.severity),
            map(_LABELS.__getitem__, zip(rows.metric, rows.cycle, strict=True)),
            ["BREACHED" if hit else "at risk" for hit in late.tolist()],
            utc,
            [text + suffix[i] for text, i in zip(local, cases, strict=True)],
            status,
            strict=True,
        )
    )


#: :func:`format_delta`'s text of a duration, by microseconds
_DELTAS: Final[TextMemo[int]] = TextMemo(lambda us: format_delta(timedelta(microseconds=us)))


class _Target(NamedTuple):
    metric: str
    cycle: int


def _label(target: tuple[str, int]) -> str:
    """``Alert.label`` of an alert of ``(metric, cycle)``."""
    from slocalc.cases import Alert

    return cast(str, cast(property, Alert.label).__get__(_Target(*target)))


#: ``Alert.label`` by (metric, cycle)
_LABELS: Final[TextMemo[tuple[str, int]]] = TextMemo(_label)


#: the formats whose alerts a batch renders from the replay's columns, and how
_BULK: Final[dict[str, Callable[[Any, CaseBatch], list[Any] | None]]] = {
    "json": _alerts_json,
    "csv": _alerts_csv,
    "table": _alerts_table,
}


def _fixed_offset(tz: tzinfo) -> int | None:
    """The offset of a fixed-offset tzinfo (:func:`~slocalc._time.fixed_offset_us`) in
    microseconds, if a whole number of minutes (whose instants ``isoformat`` writes as
    :func:`~slocalc._time.instant_json` does); else ``None``."""
    off = fixed_offset_us(tz)
    return None if off is None or off % 60_000_000 else off


def _offset_suffix(us: int) -> str:
    """What ``isoformat`` then :func:`~slocalc._time.instant_json` end an instant with in a
    fixed offset of ``us`` microseconds (whole minutes): ``Z`` or ``+05:30``."""
    return _offset_text(timedelta(microseconds=us)) if us else "Z"


def _instants_json(np: Any, local: Any, zone: Any, suffixes: list[str]) -> list[str] | None:
    """``instant_json`` of instants given as local microseconds (their offset added) and
    the code of their offset's suffix; ``None`` if one lies outside the years 1000-9999."""
    if not len(local):
        return []
    if int(local.min()) < LOCAL_FIRST or int(local.max()) > LOCAL_LAST:
        return None
    seconds = np.datetime_as_string(local.astype("datetime64[us]"), unit="s").tolist()
    fraction = (local % 1_000_000).tolist()
    return [
        f"{text}.{micro:06d}{suffixes[z]}" if micro else f"{text}{suffixes[z]}"
        for text, micro, z in zip(seconds, fraction, zone.tolist(), strict=True)
    ]


def _spans(values: Any, where: Any) -> list[str | None]:
    """The text of each duration (microseconds) where ``where``, else ``None``."""
    texts = _SPANS
    return [texts[us] if given else None for us, given in zip(values.tolist(), where.tolist(), strict=True)]


#: the ISO 8601 text of a duration (:func:`~slocalc._time.duration_json`), by microseconds
_SPANS: Final[TextMemo[int]] = TextMemo(lambda us: duration_json(timedelta(microseconds=us)))


def _head(metric: object, kind: object) -> str | None:
    """The metric and kind lines of an alert's JSON item, made once per pair (kept in
    :data:`_HEADS`); ``None`` unless both are text."""
    if type(metric) is not str or type(kind) is not str:
        return None
    return _HEADS[(metric, kind)]


def _head_lines(key: tuple[str, str]) -> str:
    metric, kind = key
    return f'      "metric": {_string(metric)},\n      "kind": {_string(kind)},\n'


#: the metric and kind lines of :func:`_alert_json`, by (metric, kind) (a policy has few)
_HEADS: Final[TextMemo[tuple[str, str]]] = TextMemo(_head_lines, size=1024)


def _alert_record(alert: Alert, customer: Customer) -> dict[str, Any]:
    record = alert.to_dict()
    record["customer_tz"] = customer.tz
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
        "alerts": _ALERTS,
        "invalid": _INVALID,
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    head, rest = text.split(json.dumps(_ALERTS), 1)
    middle, tail = rest.split(json.dumps(_INVALID), 1)
    out.write(head)
    _write_json_list(outcome.alerts(), out)
    out.write(middle)
    invalid = (_json_item(bad.to_dict()) for bad in outcome.invalid_lines())
    _write_json_list(invalid, out)
    out.write(tail)
    out.write("\n")


def _json_item(record: dict[str, Any], *, flat: bool = False) -> str:
    """A record as ``json.dumps(indent=2)`` writes it as an item of a top-level key's list.

    A flat record (text, whole numbers, booleans and nulls: every alert and invalid line)
    is written in one call of the ``json`` module's C encoder, its items separated by a
    NUL (which JSON text never holds raw: a string's NUL is written ``\\u0000``), each NUL
    then replaced by the indented separator: the same text several times faster than the
    indenting encoder (which is pure Python); anything else goes through ``json.dumps``.
    ``flat=True``: the caller knows the record is flat (an alert's).

    >>> print(_json_item({"line": 3, "reason": "not valid JSON", "ok": None}))
        {
          "line": 3,
          "reason": "not valid JSON",
          "ok": null
        }
    """
    if flat or (record and all(type(v) in _SCALARS for v in record.values())):
        if _flat is not None:
            text = "".join(_flat(record, 0))
            return "    {\n      " + text[1:-1].replace("\0", ",\n      ") + "\n    }"
        fields = ",\n".join(f"      {_string(k)}: {_scalar(v)}" for k, v in record.items())
        return f"    {{\n{fields}\n    }}"
    return "    " + json.dumps(record, indent=2, ensure_ascii=False).replace("\n", "\n    ")


#: the JSON text of a string, as ``json.dumps(..., ensure_ascii=False)`` writes it
_string: Final = json.encoder.encode_basestring


def _flat_encoder() -> Any:
    """The ``json`` module's C encoder writing ``key: value`` items separated by a NUL, or
    ``None`` where this Python has no C encoder (the pure-Python fields are written then)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None
    try:  # markers, default, encoder, indent, key separator, item separator, sort keys,
        # skip keys, allow NaN
        return make(None, None, _string, None, ": ", "\0", False, False, True)
    except (TypeError, ValueError):  # another signature: the pure-Python fields
        return None


_flat: Final = _flat_encoder()
_SCALARS: Final = frozenset({str, int, bool, type(None)})


def _scalar(value: str | int | bool | None) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return str(_string(value))
    return int.__repr__(value)


def _write_json_list(items: Iterator[str], out: TextIO) -> None:
    """A list of a top-level key as ``json.dump(indent=2)`` writes it, one rendered item
    (:func:`_json_item`) at a time."""
    first = next(items, None)
    if first is None:
        out.write("[]")
        return
    out.write("[\n")
    out.write(first)
    for item in items:
        out.write(",\n")
        out.write(item)
    out.write("\n  ]")


#: stand for the alerts and the invalid lines in the JSON document until they are written
_ALERTS: Final = "\0alerts\0"
_INVALID: Final = "\0invalid\0"


def _write_csv(outcome: _Outcome, out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_ALERT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    plain = csv.writer(out, lineterminator="\n")
    plain.writerows(outcome.alerts())


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``slocalc check``; returns the exit status."""
    err = sys.stderr
    policy = load_policy(args.policy)
    # Building a case makes ~10 small objects that never form cycles: keep the cyclic
    # collector from scanning them (and everything imported so far) thousands of times.
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        outcome = evaluate_all(args, policy, err)
    finally:  # as it was, for a caller running the command in its own process
        gc.set_threshold(*threshold)
        gc.unfreeze()
    try:
        if args.format == "json":
            _write_json(outcome, policy.name, out)
        elif args.format == "csv":
            _write_csv(outcome, out)
        else:
            _write_table(outcome, policy.name, out)
        out.flush()
        for bad in outcome.invalid_lines():
            err.write(f"slocalc check: line {bad.line}: {bad.reason}\n")
        if args.format == "csv":
            err.write(_summary_line(outcome, policy.name) + "\n")
    finally:  # the spilled runs' temporary files, also on an error or Ctrl-C
        outcome.close()
    if len(outcome.invalid):
        return 2
    return 1 if outcome.count("breached") else 0
