"""HTML renderers for notebooks: calendars, unions, policies, case reports, staffing results.

Each function takes the object and returns one self-contained HTML fragment: no script, no
external stylesheet, inline styles only, every piece of user text escaped. Colours are
semi-transparent so the fragments read on light and dark notebook themes alike. The public
classes expose them as ``_repr_html_`` (see docs/notebooks/index.md).

Instants are shown on the wall clock they are expressed in (a report's zone, a calendar's
own zone, the zone a staffing table was asked in), with the zone's abbreviation.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from slocalc._display._frames import record_fields

if TYPE_CHECKING:
    from slocalc.calendars import Calendar
    from slocalc.cases import CaseReport, TargetResult
    from slocalc.policies import Policy

__all__ = [
    "HtmlView",
    "analysis_html",
    "calendar_html",
    "comparison_html",
    "coverage_html",
    "elapsed",
    "fmt_instant",
    "fmt_span",
    "policy_html",
    "records_html",
    "report_html",
    "report_repr",
    "reports_html",
    "scenario_html",
]

OPEN: Final = "rgba(46,160,67,.65)"
CLOSED: Final = "rgba(128,128,128,.15)"
#: one colour per member of a union, in order (cycled past eight)
PALETTE: Final = (
    "rgba(31,119,180,.75)",
    "rgba(255,127,14,.75)",
    "rgba(44,160,44,.75)",
    "rgba(214,39,40,.75)",
    "rgba(148,103,189,.75)",
    "rgba(140,86,75,.75)",
    "rgba(227,119,194,.75)",
    "rgba(23,190,207,.75)",
)
STATE_COLORS: Final = {
    "pending": "rgba(31,119,180,.25)",
    "paused": "rgba(128,128,128,.25)",
    "met": "rgba(46,160,67,.25)",
    "breached": "rgba(214,39,40,.30)",
    "stopped": "rgba(128,128,128,.25)",
    "cancelled": "rgba(128,128,128,.25)",
}
_STRIP_WIDTH: Final = 240
_MAX_ROWS: Final = 40
_TABLE = 'style="border-collapse:collapse;font-size:12px;margin:2px 0"'
_CELL = "padding:1px 6px;text-align:left;vertical-align:top"
_DAY = timedelta(days=1)


class HtmlView(str):
    """A rendered fragment that notebooks display as HTML (``str`` for everything else).

    What methods such as ``Calendar.week_view(week_of=...)`` return: the display of an
    object for arguments of the caller's choosing (a given week rather than the current
    one), shown when left as the last expression of a cell.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


# -- formatting --------------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def fmt_instant(t: datetime | None) -> str:
    """``Mon 2026-01-12 08:00 GMT`` (seconds and microseconds only when not zero); ``—`` for None.

    >>> from datetime import UTC, datetime
    >>> fmt_instant(datetime(2026, 1, 12, 8, 0, 30, tzinfo=UTC))
    'Mon 2026-01-12 08:00:30 UTC'
    """
    if t is None:
        return "—"
    clock = "%H:%M" if not (t.second or t.microsecond) else "%H:%M:%S" if not t.microsecond else "%H:%M:%S.%f"
    return t.strftime(f"%a %Y-%m-%d {clock}") + " " + (t.tzname() or "")


def fmt_span(d: timedelta | None) -> str:
    """An exact, short duration: ``2d 16h``, ``3h 30m``, ``45s``, ``-1h``; ``—`` for None.

    >>> from datetime import timedelta
    >>> fmt_span(timedelta(days=2, hours=16)), fmt_span(timedelta(minutes=-90)), fmt_span(timedelta(0))
    ('2d 16h', '-1h 30m', '0s')
    """
    if d is None:
        return "—"
    sign = "-" if d < timedelta(0) else ""
    us = abs(d) // timedelta(microseconds=1)
    secs, micro = divmod(us, 1_000_000)
    days, rest = divmod(secs, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{v}{u}" for v, u in ((days, "d"), (hours, "h"), (minutes, "m")) if v]
    if seconds or micro or not parts:
        parts.append(f"{seconds}.{micro:06d}s" if micro else f"{seconds}s")
    return sign + " ".join(parts)


def elapsed(a: datetime, b: datetime) -> timedelta:
    """Elapsed time from ``a`` to ``b``, exact across DST (``b - a`` is wall-clock time when
    both share a tzinfo).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> ny = ZoneInfo("America/New_York")
    >>> elapsed(datetime(2026, 3, 8, tzinfo=ny), datetime(2026, 3, 9, tzinfo=ny))
    datetime.timedelta(seconds=82800)
    """
    return b.astimezone(UTC) - a.astimezone(UTC)


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], caption: str = "") -> str:
    """A table; ``head`` and ``caption`` are escaped here, row cells are HTML already."""
    out = [f"<table {_TABLE}>"]
    if caption:
        out.append(f'<caption style="text-align:left;font-weight:bold;padding:2px 0">{_e(caption)}</caption>')
    out.append("<thead><tr>" + "".join(f'<th style="{_CELL}">{_e(h)}</th>' for h in head) + "</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f'<td style="{_CELL}">{c}</td>' for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _wrap(kind: str, *parts: str) -> str:
    return f'<div class="slocalc-{kind}" style="font-family:sans-serif">' + "".join(parts) + "</div>"


def _note(text: str) -> str:
    return f'<p style="font-size:12px;margin:2px 0">{text}</p>'


def _badge(state: str) -> str:
    color = STATE_COLORS.get(state, CLOSED)
    return f'<span style="background:{color};padding:0 4px;border-radius:3px">{_e(state)}</span>'


# -- calendars ---------------------------------------------------------------------------------


def _midnight(day: date, zone: tzinfo) -> datetime:
    """The instant of local midnight of ``day`` (a skipped midnight moves forward, as the
    engine's boundary rule does), in ``zone``."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC).astimezone(zone)


def _monday(week_of: date | None, zone: tzinfo) -> date:
    day = datetime.now(zone).date() if week_of is None else week_of
    if isinstance(day, datetime):
        day = day.date()
    return day - timedelta(days=day.weekday())


def _spans(cal: Calendar, a: datetime, b: datetime) -> list[tuple[datetime, datetime]]:
    return list(cal.intervals(a, b))


def _wall(t: datetime, day_end: datetime) -> str:
    return "24:00" if t == day_end else t.strftime("%H:%M")


def _spans_text(spans: list[tuple[datetime, datetime]], day_end: datetime) -> str:
    if not spans:
        return "closed"
    return ", ".join(f"{s:%H:%M}–{_wall(e, day_end)}" for s, e in spans)


def _strip(
    spans: list[tuple[datetime, datetime]], a: datetime, b: datetime, color: str, height: int = 10
) -> str:
    """A bar ``_STRIP_WIDTH`` wide for ``[a, b)``: ``color`` where open (a CSS gradient, exact
    to the elapsed second, so a 23-hour DST day is drawn in true proportion)."""
    length = elapsed(a, b).total_seconds()
    stops = [f"{CLOSED} 0%"]
    for s, e in spans:
        p, q = (100 * elapsed(a, s).total_seconds() / length, 100 * elapsed(a, e).total_seconds() / length)
        stops += [f"{CLOSED} {p:.2f}%", f"{color} {p:.2f}%", f"{color} {q:.2f}%", f"{CLOSED} {q:.2f}%"]
    stops.append(f"{CLOSED} 100%")
    return (
        f'<div style="width:{_STRIP_WIDTH}px;height:{height}px;margin:1px 0;'
        f'background:linear-gradient(to right,{",".join(stops)})"></div>'
    )


def _ruler() -> str:
    marks = "".join(f"<span>{h:02d}</span>" for h in (0, 6, 12, 18, 24))
    return (
        f'<div style="width:{_STRIP_WIDTH}px;display:flex;justify-content:space-between;'
        f'font-weight:normal">{marks}</div>'
    )


def _members(cal: Calendar, members: Sequence[tuple[str, Calendar]] | None) -> list[tuple[str, Calendar]]:
    from slocalc.calendars import Union, ZonedCalendar

    if members is not None:
        return [(str(label), c) for label, c in members]
    if not isinstance(cal, Union):
        return []
    out: list[tuple[str, Calendar]] = []
    seen: set[str] = set()
    for i, part in enumerate(cal.parts):
        label = part.tz if isinstance(part, ZonedCalendar) else f"part {i + 1}"
        if label in seen:
            label = f"{label} ({i + 1})"
        seen.add(label)
        out.append((label, part))
    return out


def _holiday_lines(cal: Calendar, monday: date, count: int) -> list[str]:
    from slocalc.calendars import BusinessCalendar

    if not isinstance(cal, BusinessCalendar) or count <= 0:
        return []
    found = []
    day = monday
    for _ in range(366):
        if cal.is_holiday(day):
            found.append(f"{day:%a %Y-%m-%d}")
            if len(found) == count:
                break
        day += _DAY
    return found


def calendar_html(
    cal: Calendar,
    *,
    week_of: date | None = None,
    tz: str | None = None,
    members: Sequence[tuple[str, Calendar]] | None = None,
    holidays: int = 5,
) -> str:
    """A week of a calendar: one row per day, its open hours as a bar and as text.

    A single-zone calendar is shown on its own wall clock, with a note on holidays and
    per-date overrides and its next ``holidays`` holidays. A union (or any calendar given
    ``members``) is shown in ``tz`` (UTC by default) with one coloured bar per member, so
    the grid says which member is open when; the text column is the union's open hours.

    Args:
        cal: the calendar.
        week_of: any date of the week to show; the current week (in the display zone) when
            ``None``.
        tz: the display zone; default the calendar's own zone, or UTC for a calendar of
            several zones.
        members: ``(label, calendar)`` pairs to show as the union's members (e.g. support
            centers by key); default a union's parts, labelled by zone.
        holidays: how many upcoming holidays to list (from the week's Monday on).

    >>> from datetime import date
    >>> from slocalc import BusinessCalendar
    >>> cal = BusinessCalendar(tz="Europe/Dublin", holidays="IE")
    >>> page = calendar_html(cal, week_of=date(2026, 3, 16))
    >>> "Tue 17 Mar" in page and "holiday" in page and "08:00–17:00" in page
    True
    """
    from slocalc.calendars import ZonedCalendar

    parts = _members(cal, members)
    zone_name = tz if tz is not None else (cal.tz if isinstance(cal, ZonedCalendar) and not parts else "UTC")
    zone = ZoneInfo(zone_name)
    monday = _monday(week_of, zone)
    overrides = dict(getattr(cal, "overrides", ()))
    rows = []
    for i in range(7):
        day = monday + timedelta(days=i)
        a, b = _midnight(day, zone), _midnight(day + _DAY, zone)
        spans = _spans(cal, a, b)
        bars = "".join(
            f'<div title="{_e(label)}: {_e(_spans_text(_spans(member, a, b), b))}">'
            f"{_strip(_spans(member, a, b), a, b, PALETTE[j % len(PALETTE)], height=6)}</div>"
            for j, (label, member) in enumerate(parts)
        )
        bars += _strip(spans, a, b, OPEN)
        notes = []
        if isinstance(cal, ZonedCalendar) and not parts:
            if day in overrides:
                notes.append("override")
            elif getattr(cal, "is_holiday", None) is not None and cal.is_holiday(day):  # type: ignore[attr-defined]
                notes.append("holiday")
        length = elapsed(a, b)
        if length != _DAY:
            notes.append(f"{fmt_span(length)} day (DST)")
        rows.append([_e(f"{day:%a %d %b}"), bars, _e(_spans_text(spans, b)), _e(", ".join(notes))])
    caption = f"{_short(repr(cal))} — week of {monday:%a %Y-%m-%d}, {zone_name}"
    body = [_table(["day", "open", "open hours (" + zone_name + ")", "note"], rows, caption)]
    body[0] = body[0].replace(f'<th style="{_CELL}">open</th>', f'<th style="{_CELL}">{_ruler()}</th>', 1)
    if parts:
        legend = " ".join(
            f'<span style="white-space:nowrap"><span style="display:inline-block;width:10px;height:10px;'
            f'background:{PALETTE[j % len(PALETTE)]}"></span> {_e(label)}</span>'
            for j, (label, _) in enumerate(parts)
        )
        body.append(_note("members (thin bars, top to bottom): " + legend + "; thick bar: open (any)"))
    found = _holiday_lines(cal, monday, holidays)
    if found:
        body.append(_note("next holidays: " + _e(", ".join(found))))
    return _wrap("calendar", *body)


# -- policies ----------------------------------------------------------------------------------


def _targets_table(policy: Any, levels: Sequence[Any], caption: str) -> str:
    metrics: list[str] = []
    for s in levels:
        metrics += [m for m in s.targets if m not in metrics]
    shared = dict(getattr(policy, "targets", {}) or {})
    metrics += [m for m in shared if m not in metrics]
    rows = []
    for s in levels:
        cells = [_e(s.level), _e(s.name)]
        for m in metrics:
            own = s.targets.get(m)
            if own is not None:
                cells.append(f"{_e(own)} <small>({_e(own.clock)})</small>")
            elif m in shared:
                cells.append(f'<i title="policy-wide target">{_e(shared[m])}</i>')
            else:
                cells.append("—")
        rows.append(cells)
    return _table(["severity", "name", *metrics], rows, caption)


def _tier_table(policy: Policy, tier: str) -> str:
    """A tier's targets as its customers get them (``policy.target`` with the tier): one row
    per severity; a target the tier changes (its own, or a base one on its replacement
    clock) in bold, the base targets it keeps in plain text."""
    from slocalc.policies import Customer

    member = Customer(tz="UTC", tier=tier)
    metrics: list[str] = []
    for s in policy.severities:
        metrics += [m for m in policy.metrics(s.level, member) if m not in metrics]
    rows = []
    for s in policy.severities:
        cells = [_e(s.level), _e(s.name)]
        for m in metrics:
            if m not in policy.metrics(s.level, member):
                cells.append("—")
                continue
            got = policy.target(s.level, m, member)
            text = f"{_e(got)} <small>({_e(got.clock)})</small>"
            base = policy.target(s.level, m) if m in policy.metrics(s.level) else None
            cells.append(text if got == base else f'<b title="set by tier {_e(tier)}">{text}</b>')
        rows.append(cells)
    return _table(["severity", "name", *metrics], rows, f"tier {tier!r}")


def policy_html(policy: Policy) -> str:
    """A policy's targets: one row per severity, one column per metric, with each target's
    clock; policy-wide fallbacks in italics; one table per customer tier when the policy has
    tiers (the targets its customers get, those the tier changes in bold); the lifecycle
    rules in a line.

    >>> from slocalc.policies import RAPID7
    >>> page = policy_html(RAPID7)
    >>> "4 business hours" in page and "support_contact_change" in page
    True
    """
    body = [_targets_table(policy, policy.severities, f"Policy {policy.name!r}")]
    for name in getattr(policy, "tiers", None) or {}:
        body.append(_tier_table(policy, name))
    life = policy.lifecycle
    rules = [
        "pause in " + ", ".join(life.pause_statuses),
        "stop in " + ", ".join(life.stop_statuses),
        f"auto-close after {life.auto_close_after or 'never'}",
        f"reopen within {life.reopen_window or 'never'}",
        f"severity change: {life.severity_change}",
    ]
    body.append(_note(_e("; ".join(rules))))
    if policy.description:
        body.append(_note(_e(_short(policy.description, 300))))
    return _wrap("policy", *body)


# -- case reports ------------------------------------------------------------------------------


def report_repr(report: CaseReport) -> str:
    """A short text repr of a report (under 400 characters), for ``__repr__``.

    >>> from datetime import UTC, datetime
    >>> from slocalc import RAPID7, Case, Customer, evaluate
    >>> t = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    >>> case = Case(id="C-1", severity=1, opened_at=t, customer=Customer(tz="UTC"))
    >>> report_repr(evaluate(case, RAPID7, now=t.replace(hour=12)))
    "<CaseReport 'C-1' at 2026-03-02T12:00:00+00:00: severity 1, open, 1 target, 1 breach>"
    """
    n = len(report.targets)
    parts = [
        f"severity {report.severity}",
        report.status,
        f"{n} target{'s' if n != 1 else ''}",
        f"{report.breaches} breach{'es' if report.breaches != 1 else ''}",
    ]
    if report.next_due_at is not None:
        parts.append(f"next due {report.next_due_at.isoformat()}")
    return f"<CaseReport {_short(report.case_id, 60)!r} at {report.now.isoformat()}: {', '.join(parts)}>"


def _target_row(t: TargetResult) -> list[str]:
    if t.state == "breached":
        left = f"late by {fmt_span(t.breached_by)}"
    elif t.remaining is not None:
        left = f"{fmt_span(t.remaining)} left"
    else:
        left = ""
    return [
        _e(t.label),
        _e(t.severity),
        f"{_e(t.target)} <small>({_e(t.clock)})</small>",
        _e(fmt_instant(t.start)),
        _e(fmt_instant(t.due_at)),
        _e(fmt_instant(t.met_at)),
        _badge(t.state),
        _e(left),
    ]


def _history(t: TargetResult) -> str:
    rows = [[_e(fmt_instant(s.at)), _e(s.kind), _e(fmt_instant(s.due_at)), _e(s.note)] for s in t.history]
    if not rows:
        return ""
    return (
        f'<details style="font-size:12px"><summary>{_e(t.label)}: how the deadline was reached</summary>'
        + _table(["at", "step", "due after", "what happened"], rows)
        + "</details>"
    )


def report_html(report: CaseReport, *, max_rows: int = _MAX_ROWS) -> str:
    """A case report: a headline, then its timeline as a table (one row per target: start,
    due instant, the update that met it, state, time left or how late), then each target's
    steps in a collapsed ``<details>``.

    >>> from datetime import UTC, datetime
    >>> from slocalc import RAPID7, Case, Customer, evaluate
    >>> t = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    >>> case = Case(id="C-1", severity=1, opened_at=t, customer=Customer(tz="UTC"))
    >>> page = report_html(evaluate(case, RAPID7, now=t.replace(hour=12)))
    >>> "Mon 2026-03-02 10:00 UTC" in page and "late by 2h" in page
    True
    """
    head = [
        f"<b>Case {_e(report.case_id)}</b>",
        f"at {_e(fmt_instant(report.now))}",
        f"severity {_e(report.severity)}",
        f"status {_e(report.status)}",
        f"{report.breaches} breach{'es' if report.breaches != 1 else ''}",
    ]
    if report.next_due_at is not None:
        head.append(f"next due {_e(fmt_instant(report.next_due_at))}")
    extra = []
    if report.auto_close_at is not None:
        extra.append(f"may auto-close at {fmt_instant(report.auto_close_at)}")
    if report.reopen_until is not None:
        extra.append(f"reopens until {fmt_instant(report.reopen_until)}")
    if report.late_reopen_attempts:
        extra.append(f"{len(report.late_reopen_attempts)} late reopen attempt(s)")
    if report.future_events:
        extra.append(f"{report.future_events} event(s) after now not replayed")
    targets = list(report.targets)
    shown = targets if len(targets) <= max_rows else targets[: max_rows - 1] + targets[-1:]
    rows = [_target_row(t) for t in shown]
    if len(shown) < len(targets):
        rows.insert(max_rows - 1, [f"… {len(targets) - len(shown)} more", "", "", "", "", "", "", ""])
    body = [
        _note(" · ".join(head)),
        _table(["target", "sev", "promise (clock)", "start", "due", "met", "state", ""], rows),
    ]
    if extra:
        body.append(_note(_e("; ".join(extra))))
    body += [_history(t) for t in shown]
    return _wrap("report", *body)


def reports_html(reports: Sequence[CaseReport], *, max_rows: int = _MAX_ROWS) -> str:
    """Many reports, one row each: case, severity, status, breaches, next due instant."""
    shown = list(reports[:max_rows])
    rows = [
        [
            _e(r.case_id),
            _e(r.severity),
            _e(r.status),
            _e(r.breaches),
            _e(fmt_instant(r.next_due_at)),
            _e(fmt_instant(r.now)),
        ]
        for r in shown
    ]
    if len(reports) > len(shown):
        rows.append([f"… {len(reports) - len(shown)} more", "", "", "", "", ""])
    return _wrap("reports", _table(["case", "sev", "status", "breaches", "next due", "at"], rows))


# -- staffing ----------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return "<0.1%" if 0 < x < 0.0005 else f"{100 * x:.1f}%"


def _shade(x: float, color: str = "214,39,40") -> str:
    alpha = min(1.0, max(0.0, abs(x))) * 0.6
    return f'<span style="background:rgba({color},{alpha:.2f});padding:0 3px">'


def analysis_html(analysis: Any, *, max_rows: int = _MAX_ROWS) -> str:
    """A structural-breach analysis: the breached share per customer (rows) and target
    (columns), shaded by share, under a line naming the scenario, policy, range and step."""
    cells = {(s.customer, s.severity, s.metric): s for s in analysis.summary()}
    head = ["customer", *(f"sev {s} {m}" for s, m in analysis.targets)]
    rows = []
    for c in analysis.customers[:max_rows]:
        row = [_e(c)]
        for s, m in analysis.targets:
            cell = cells[(c, s, m)]
            row.append(
                f"{_shade(cell.share)}{_e(_pct(cell.share))}</span> <small>{cell.breached}/{cell.arrivals}</small>"
            )
        rows.append(row)
    line = (
        f"Scenario {analysis.scenario!r} under policy {analysis.policy!r}: arrivals every "
        f"{fmt_span(analysis.step)} from {fmt_instant(analysis.start)} to {fmt_instant(analysis.end)}; "
        f"share of arrivals no centre could answer in time"
    )
    return _wrap("analysis", _note(_e(line)), _table(head, rows))


def comparison_html(comparison: Any, *, top: int = 10) -> str:
    """Two scenarios side by side: totals per severity × metric, the cells that changed
    most, and the written conclusion; says so plainly when nothing changed."""
    a, b = comparison.a.scenario, comparison.b.scenario
    head = ["severity", "metric", f"A: {a}", f"B: {b}", "change", "newly breached", "newly met"]

    def row(r: Any, who: bool = False) -> list[str]:
        first = [_e(r.customer)] if who else []
        return [
            *first,
            _e(r.severity),
            _e(r.metric),
            _e(_pct(r.share_a)),
            _e(_pct(r.share_b)),
            f"{_shade(r.change, '214,39,40' if r.change > 0 else '31,119,180')}{100 * r.change:+.1f} pts</span>",
            _e(r.newly_breached),
            _e(r.newly_met),
        ]

    changed = comparison.changed()
    body = [_table(head, [row(t) for t in comparison.totals()], f"{b} vs {a}")]
    if changed:
        body.append(_table(["customer", *head], [row(r, True) for r in changed[:top]], "most changed cells"))
    else:
        body.append(_note("<b>No change:</b> no arrival changes outcome for any target."))
    body.append(f'<pre style="font-size:12px;white-space:pre-wrap">{_e(comparison.describe())}</pre>')
    return _wrap("comparison", *body)


def _value(v: object) -> str:
    if isinstance(v, datetime):
        return fmt_instant(v)
    if isinstance(v, timedelta):
        return fmt_span(v)
    if isinstance(v, frozenset):
        return ", ".join(sorted(map(str, v))) or "—"
    if isinstance(v, tuple):
        return ", ".join(map(str, v)) or "—"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def _fields(record: object) -> list[str]:
    names = record_fields(record)
    if names is None:
        raise TypeError(f"records: expected dataclass or named-tuple records, got {type(record).__name__}")
    return names


def records_html(records: Sequence[Any], *, max_rows: int = 20, caption: str = "") -> str:
    """Records (dataclasses or named tuples) as a table, one column per field; long lists
    show their first and last rows around a ``… N more`` row."""
    if not records:
        return _wrap("records", _note(_e((caption + ": " if caption else "") + "no records")))
    names = _fields(records[0])
    n = len(records)
    if n <= max_rows:
        shown: list[Any] = list(records)
        rows = [[_e(_value(getattr(r, f))) for f in names] for r in shown]
    else:
        half = max_rows // 2
        rows = [[_e(_value(getattr(r, f))) for f in names] for r in records[:half]]
        rows.append([f"… {n - 2 * half} more"] + [""] * (len(names) - 1))
        rows += [[_e(_value(getattr(r, f))) for f in names] for r in records[n - half :]]
    return _wrap("records", _table(names, rows, caption or f"{n} {type(records[0]).__name__} records"))


def coverage_html(rows: Sequence[Any]) -> str:
    """A coverage table: for hourly rows of a week, a day × hour grid of how many centers are
    open (hover a cell for their keys; empty cells are gaps); other steps as plain records."""
    hourly = len(rows) >= 2 and all(elapsed(r.start, r.end) == timedelta(hours=1) for r in rows[:-1])
    if not rows or not hourly:
        return records_html(rows)
    most = max((r.count for r in rows), default=0) or 1
    by_day: dict[date, list[Any]] = {}
    for r in rows:
        by_day.setdefault(r.start.date(), []).append(r)
    body = []
    for day, cells in by_day.items():
        line = [_e(f"{day:%a %d %b}")]
        for r in cells:
            who = ", ".join(r.centers) or "nobody (gap)"
            bg = f"rgba(46,160,67,{0.15 + 0.6 * r.count / most:.2f})" if r.count else "rgba(214,39,40,.25)"
            line.append(
                f'<span title="{_e(f"{r.start:%H:%M} {who}")}" style="display:inline-block;width:14px;'
                f'text-align:center;background:{bg}">{r.count or ""}</span>'
            )
        body.append([line[0], "".join(line[1:])])
    zone = rows[0].start.tzname() or ""
    hours = "".join(f'<span style="display:inline-block;width:14px">{h:02d}</span>' for h in range(24))
    caption = f"centers open each hour, week of {rows[0].start:%a %Y-%m-%d} ({zone})"
    return _wrap(
        "coverage",
        _table(["day", ""], body, caption).replace(
            f'<th style="{_CELL}"></th>', f'<th style="{_CELL};font-weight:normal">{hours}</th>', 1
        ),
    )


def scenario_html(scenario: Any) -> str:
    """A staffing scenario: its centers with zone and calendar."""
    rows = [[_e(c.key), _e(c.name), _e(c.tz), _e(_short(repr(c.calendar), 100))] for c in scenario.centers]
    return _wrap("scenario", _table(["key", "name", "zone", "calendar"], rows, f"Scenario {scenario.name!r}"))
