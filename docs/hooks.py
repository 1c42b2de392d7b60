"""MkDocs hooks for slocalc's documentation site.

The nav in ``mkdocs.yml`` lists every page the site will have, including pages written
alongside code that has not landed yet. This hook keeps ``mkdocs build --strict`` green
meanwhile:

* for each public module that exists under ``src/`` but has no hand-written page in
  ``docs/reference/``, it generates one (``::: module``), so a new module gets its API page
  the day it lands;
* it drops nav entries whose page does not exist, logging each one at INFO level
  (``mkdocs build -v`` shows them), instead of failing the build;
* it executes each notebook of ``examples/`` (``docs/notebooks/execute.py``, the runner CI
  uses) and renders it as the page ``notebooks/<name>.md`` with its outputs: tables and rich
  displays as HTML, plots as inline PNG images, printed text as text blocks; the notebook
  itself is published beside it for download. A failing cell fails the build. The pages get
  a "Notebooks" nav section when ``mkdocs.yml`` does not list them.
  ``SLOCALC_DOCS_NOTEBOOKS=skip`` renders them without running them (a quick local preview);
* it draws the Clocks page's chart (``concepts/clocks-four-hours.svg``) from slocalc itself:
  a plain SVG image, so the page needs no script and reads offline.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.slocalc")

# API page -> module it documents.
REFERENCE_PAGES = {
    "reference/slocalc.md": "slocalc",
    "reference/calendars.md": "slocalc.calendars",
    "reference/centers.md": "slocalc.calendars.centers",
    "reference/policies.md": "slocalc.policies",
    "reference/cases.md": "slocalc.cases",
    "reference/testing.md": "slocalc.testing",
    "reference/staffing.md": "slocalc.staffing",
    "reference/errors.md": "slocalc.errors",
}


def _module_exists(root: Path, module: str) -> bool:
    path = root / "src" / Path(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _prune(items: list[Any], files: Files) -> list[Any]:
    kept: list[Any] = []
    for item in items:
        if isinstance(item, str):
            entry: Any = item
            target: Any = item
        else:
            ((title, target),) = item.items()
            entry = item
        if isinstance(target, list):
            children = _prune(target, files)
            if children:
                kept.append({title: children} if not isinstance(item, str) else children)
            continue
        if "://" in target or files.get_file_from_path(target) is not None:
            kept.append(entry)
        else:
            log.info("nav: %s does not exist yet; left out of the nav", target)
    return kept


# -- notebooks -----------------------------------------------------------------------------

NOTEBOOK_SECTION = "Notebooks"
_RENDERED: dict[str, str] = {}  # notebook digest -> page, so `mkdocs serve` runs each once


def _runner(root: Path) -> Any:
    spec = importlib.util.spec_from_file_location(
        "slocalc_notebook_runner", root / "docs" / "notebooks" / "execute.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stream_text(text: str) -> str:
    """What a terminal would show: each line's last carriage-return segment (progress bars)."""
    lines = [line.rsplit("\r", 1)[-1].rstrip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _fence(text: str, lang: str) -> str:
    ticks = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", text)), default=0))
    return f"{ticks}{lang}\n{text.rstrip()}\n{ticks}\n"


def _output_markdown(output: Any) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        text = _stream_text(output.get("text", ""))
        return _fence(text, "text") if text else ""
    data = output.get("data", {})
    if "image/png" in data:
        png = "".join(data["image/png"].split())
        return f'<img alt="plot" src="data:image/png;base64,{png}">\n'
    if "text/html" in data:
        return f'<div class="slocalc-output" markdown="0">\n{data["text/html"].strip()}\n</div>\n'
    if "text/plain" in data:
        return _fence(data["text/plain"], "text")
    return ""


def _merge_streams(outputs: list[Any]) -> list[Any]:
    """Consecutive chunks of one stream as one output (a progress bar comes in many)."""
    out: list[Any] = []
    for o in outputs:
        prev = out[-1] if out else {}
        if o.get("output_type") == prev.get("output_type") == "stream" and prev.get("name") == o.get("name"):
            out[-1] = {**prev, "text": prev["text"] + o.get("text", "")}
            continue
        out.append(o)
    return out


def notebook_markdown(book: Any, download: str) -> str:
    """A notebook (executed or not) as a Markdown page, with a link to download it."""
    parts: list[str] = []
    for i, cell in enumerate(book.cells):
        if cell.cell_type == "markdown":
            parts.append(cell.source.strip() + "\n")
            if i == 0:
                parts.append(f"[Download the notebook]({download}) · it runs as is in Jupyter.\n")
        elif cell.cell_type == "code":
            parts.append(_fence(cell.source, "python"))
            parts.extend(p for p in map(_output_markdown, _merge_streams(cell.get("outputs", []))) if p)
    return "\n".join(parts)


def _render_notebooks(root: Path, files: Files, config: MkDocsConfig) -> list[str]:
    runner = _runner(root)
    skip = os.environ.get("SLOCALC_DOCS_NOTEBOOKS") == "skip"
    pages = []
    for path in runner.notebooks():
        raw = path.read_bytes()
        digest = hashlib.sha256(raw + str(skip).encode()).hexdigest()
        page = _RENDERED.get(digest)
        if page is None:
            import nbformat

            if skip:
                book = nbformat.reads(raw.decode("utf-8"), as_version=4)
            else:
                log.info("notebooks: executing %s", path.name)
                book = runner.execute(path)
            page = _RENDERED[digest] = notebook_markdown(book, path.name)
        src_uri = f"notebooks/{path.stem}.md"
        files.append(File.generated(config, src_uri, content=page))
        files.append(File.generated(config, f"notebooks/{path.name}", content=raw))
        pages.append(src_uri)
    return pages


def _listed(items: list[Any], uri: str) -> bool:
    for item in items:
        target = item if isinstance(item, str) else next(iter(item.values()))
        if target == uri or (isinstance(target, list) and _listed(target, uri)):
            return True
    return False


# -- the Clocks page's chart ---------------------------------------------------------------

CLOCK_CHART = "concepts/clocks-four-hours.svg"


def clock_chart_svg() -> str:
    """Four hours from Friday 2026-12-04 18:00 in Boston, on each clock: when each clock runs.

    The example of docs/concepts/clocks.md, computed with slocalc: for each clock, the open
    intervals of its calendar between the opening and the deadline (``cal.add``), on a UTC
    time line from Friday 22:00 to Monday 18:00.
    """
    from datetime import UTC, datetime, timedelta
    from html import escape
    from zoneinfo import ZoneInfo

    from slocalc.calendars.centers import CENTERS, open_centers
    from slocalc.policies import Customer, clock_calendar

    opened = datetime(2026, 12, 4, 18, 0, tzinfo=ZoneInfo("America/New_York"))
    berlin = Customer(tz="Europe/Berlin", country="DE")
    lo, hi = datetime(2026, 12, 4, 22, tzinfo=UTC), datetime(2026, 12, 7, 18, tzinfo=UTC)
    left, width, row, top = 150, 560, 34, 40
    clocks = [
        ("24x7", "24x7"),
        ("customer (Berlin)", "customer"),
        ("follow_the_sun", "follow_the_sun"),
        ("center:boston", "center:boston"),
        ("center:singapore", "center:singapore"),
    ]

    def x(t: datetime) -> float:
        return left + width * ((t - lo) / (hi - lo))

    height = top + row * len(clocks) + 36
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 20}" height="{height}" '
        f'viewBox="0 0 {left + width + 20} {height}" role="img" font-family="sans-serif" font-size="12">',
        "<title>Four hours from Friday 18:00 in Boston, on each clock (times in UTC)</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{left}" y="18" font-weight="bold">Four hours from Friday 18:00 in Boston, '
        "on each clock (times in UTC)</text>",
    ]
    t = lo.replace(hour=0) + timedelta(days=1)
    while t < hi:
        for hour in (0, 12):
            mark = t.replace(hour=hour)
            if lo <= mark <= hi:
                dash = "" if hour == 0 else ' stroke-dasharray="3,3"'
                out.append(
                    f'<line x1="{x(mark):.1f}" y1="{top - 6}" x2="{x(mark):.1f}" y2="{height - 30}" '
                    f'stroke="#ccc"{dash}/>'
                )
                label = f"{mark:%a} {mark:%H:%M}"
                out.append(f'<text x="{x(mark):.1f}" y="{height - 14}" text-anchor="middle">{label}</text>')
        t += timedelta(days=1)
    for i, (label, clock) in enumerate(clocks):
        cal = clock_calendar(clock, berlin)
        due = cal.add(opened, timedelta(hours=4))
        y = top + i * row
        out.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end">{escape(label)}</text>')
        for a, b in cal.intervals(opened, due):
            a, b = a.astimezone(UTC), b.astimezone(UTC)
            out.append(
                f'<rect x="{x(a):.1f}" y="{y + 4}" width="{x(b) - x(a):.1f}" height="{row - 10}" '
                f'fill="#2e7d32" fill-opacity="0.75"><title>{escape(label)}: {a:%a %H:%M}-{b:%H:%M} UTC</title></rect>'
            )
            if clock == "follow_the_sun":
                who = ", ".join(CENTERS[k].name for k in open_centers(a))
                out.append(f'<text x="{x(b) + 4:.1f}" y="{y + 17}">{escape(who)}</text>')
        d = due.astimezone(UTC)
        anchor, dx = ("end", -4) if x(d) > left + width - 90 else ("start", 4)
        out.append(
            f'<text x="{x(d) + dx:.1f}" y="{y + 29}" font-size="10" text-anchor="{anchor}">due {d:%a %H:%M}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"



# -- the concept pages' time-line charts (no Mermaid, no CDN script: they read offline) -----

#: bar colours by kind: open/done (green), crit (red), active (blue), plain (grey)
_KIND_FILL = {"done": "#2e7d32", "crit": "#c62828", "active": "#1565c0", "plain": "#9e9e9e"}


def gantt_svg(
    title: str,
    sections: list[tuple[str, list[tuple[str, Any, Any, str]]]],
    lo: Any,
    hi: Any,
    ticks: list[Any],
    tick_format: str,
) -> str:
    """A static time-line chart: rows of bars (``kind`` done/crit/active/plain) and
    milestones (``kind`` milestone, drawn as a diamond at ``start``), grouped in sections,
    on a linear axis from ``lo`` to ``hi`` (aware datetimes, shown on their own wall clock)
    with labelled ``ticks``. Stands in for the Mermaid ``gantt`` charts, drawn from slocalc.
    """
    from html import escape

    left, width, row, top = 250, 560, 26, 44
    rows = sum(len(items) + 1 for _, items in sections)
    height = top + row * rows + 30

    def x(t: Any) -> float:
        return left + width * ((t - lo) / (hi - lo))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 90}" height="{height}" '
        f'viewBox="0 0 {left + width + 90} {height}" role="img" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{left}" y="18" font-weight="bold">{escape(title)}</text>',
    ]
    for mark in ticks:
        out.append(
            f'<line x1="{x(mark):.1f}" y1="{top - 8}" x2="{x(mark):.1f}" y2="{height - 26}" stroke="#ccc"/>'
        )
        out.append(
            f'<text x="{x(mark):.1f}" y="{height - 10}" text-anchor="middle">{escape(format(mark, tick_format))}</text>'
        )
    y = top
    for name, items in sections:
        out.append(f'<text x="8" y="{y + 16}" font-weight="bold">{escape(name)}</text>')
        y += row
        for label, start, end, kind in items:
            out.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{escape(label)}</text>')
            when = f"{start:%a %d %b %H:%M}" + ("" if kind == "milestone" else f" to {end:%a %d %b %H:%M}")
            tip = f"<title>{escape(label)}: {escape(when)}</title>"
            if kind == "milestone":
                cx, cy, r = x(start), y + row / 2 - 1, 7
                out.append(
                    f'<polygon points="{cx:.1f},{cy - r:.1f} {cx + r:.1f},{cy:.1f} {cx:.1f},{cy + r:.1f} '
                    f'{cx - r:.1f},{cy:.1f}" fill="#333">{tip}</polygon>'
                )
            else:
                fill = _KIND_FILL[kind]
                out.append(
                    f'<rect x="{x(start):.1f}" y="{y + 4}" width="{max(x(end) - x(start), 1.0):.1f}" '
                    f'height="{row - 10}" fill="{fill}" fill-opacity="0.75">{tip}</rect>'
                )
            y += row
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _day_ticks(lo: Any, hi: Any, hours: tuple[int, ...] = (0,)) -> list[Any]:
    from datetime import timedelta

    out = []
    t = lo.replace(hour=0, minute=0)
    while t <= hi:
        out.extend(m for m in (t.replace(hour=h) for h in hours) if lo <= m <= hi)
        t = (t + timedelta(days=1)).replace(hour=0)
    return out


def business_time_chart_svg() -> str:
    """docs/concepts/business-time.md: 4 business hours from Friday 13:00 in London end at
    Friday's close; the open intervals and the deadline come from the calendar."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from slocalc import BusinessCalendar

    london = ZoneInfo("Europe/London")
    cal = BusinessCalendar(tz="Europe/London", hours="Mon-Fri 08:00-17:00")
    lo, hi = datetime(2026, 12, 4, 6, tzinfo=london), datetime(2026, 12, 7, 19, tzinfo=london)
    start = datetime(2026, 12, 4, 13, tzinfo=london)
    due = cal.add(start, timedelta(hours=4))
    opened = [(f"{a:%A} open", a, b, "done") for a, b in cal.intervals(lo, hi)]
    query = [("4 h from Fri 1 pm", start, due, "active"), (f"deadline = {due:%a %H:%M}", due, due, "milestone")]
    return gantt_svg(
        "Mon-Fri 08:00-17:00 around a weekend (Europe/London)",
        [("Open", opened), ("Query", query)],
        lo,
        hi,
        _day_ticks(lo, hi, (0, 12)),
        "%a %H:%M",
    )


def business_days_chart_svg() -> str:
    """docs/concepts/business-days.md: ``add_days(Wed 10:30, 3)`` in Boston over
    Thanksgiving 2026; business dates, the holiday and the result come from the calendar."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from slocalc import BusinessCalendar

    boston = ZoneInfo("America/New_York")
    cal = BusinessCalendar(tz="America/New_York", hours="Mon-Fri 08:00-17:00", holidays=("US", "MA"))
    start = datetime(2026, 11, 25, 10, 30, tzinfo=boston)
    result = cal.add_days(start, 3)
    rows = []
    day, n = start.date(), 0
    while day <= result.date():
        midnight = datetime(day.year, day.month, day.day, tzinfo=boston)
        spans = list(cal.intervals(midnight, midnight + timedelta(days=1)))
        if spans:
            note = "start" if day == start.date() else str(n)
            rows += [(f"{day:%a %d} ({note})", a, b, "done") for a, b in spans]
            n += 1
        elif day.weekday() < 5:
            rows.append((f"{day:%a %d} holiday", midnight, midnight + timedelta(days=1), "crit"))
        day += timedelta(days=1)
    lo, hi = datetime(2026, 11, 25, tzinfo=boston), datetime(2026, 12, 2, tzinfo=boston)
    return gantt_svg(
        "add_days(Wed 10:30, 3) in Boston, Thanksgiving 2026",
        [("Business dates", rows), ("Result", [(f"{result:%a %H:%M}", result, result, "milestone")])],
        lo,
        hi,
        _day_ticks(lo, hi),
        "%a %d",
    )


def _lifecycle_setup() -> tuple[Any, Any]:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from slocalc.policies import Customer

    london = ZoneInfo("Europe/London")
    acme = Customer(tz="Europe/London", country="GB")

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 12, day, hour, minute, tzinfo=london)

    return acme, at


def lifecycle_pause_chart_svg() -> str:
    """docs/concepts/case-lifecycle.md: a Severity-1 update cycle paused 10:00-11:30; the
    deadlines come from the policy and the 24x7 clock."""
    from slocalc.policies import RAPID7

    acme, at = _lifecycle_setup()
    clock = RAPID7.target(1, "update").calendar(acme)
    own = RAPID7.due(1, "update", at(7, 9), acme)
    moved = clock.add(own, clock.between(at(7, 10), at(7, 11, 30)))
    return gantt_svg(
        "Severity-1 update cycle (4 h on 24x7) with a pause",
        [
            (
                "Events",
                [
                    ("support_update", at(7, 9), at(7, 9), "milestone"),
                    ("waiting_on_customer", at(7, 10), at(7, 11, 30), "crit"),
                    ("customer_update", at(7, 11, 30), at(7, 11, 30), "milestone"),
                ],
            ),
            ("Clock", [("running", at(7, 9), at(7, 10), "done"), ("running", at(7, 11, 30), moved, "done")]),
            (
                "Deadline",
                [
                    (f"own deadline {own:%H:%M}", own, own, "milestone"),
                    (f"extended to {moved:%H:%M}", moved, moved, "milestone"),
                ],
            ),
        ],
        at(7, 8),
        at(7, 16),
        [at(7, h) for h in range(8, 17, 2)],
        "%H:%M",
    )


def lifecycle_stop_chart_svg() -> str:
    """docs/concepts/case-lifecycle.md: stop and restart; the cycles come from ``evaluate``."""
    from slocalc.cases import Case, Event, evaluate
    from slocalc.policies import RAPID7

    acme, at = _lifecycle_setup()
    case = Case(
        id="C-2",
        severity=1,
        opened_at=at(7, 8, 30),
        customer=acme,
        events=[
            Event(at=at(7, 9), kind="support_update"),
            Event(at=at(7, 11), kind="status", status="in_engineering_backlog"),
            Event(at=at(9, 10), kind="status", status="in_progress"),
        ],
    )
    report = evaluate(case, RAPID7, now=at(9, 10, 30))
    cycles = []
    for c in report.updates:
        end = c.ended_at if c.state == "stopped" else c.due_at
        label = f"cycle {c.cycle} ({c.state})" if c.state == "stopped" else f"cycle {c.cycle} (due {c.due_at:%a %H:%M})"
        cycles.append((label, c.start, end, "done" if c.state == "stopped" else "active"))
    return gantt_svg(
        "Stop and restart (Severity-1, 4 h on 24x7)",
        [
            (
                "Events",
                [
                    ("support_update", at(7, 9), at(7, 9), "milestone"),
                    ("in_engineering_backlog", at(7, 11), at(9, 10), "crit"),
                    ("in_progress", at(9, 10), at(9, 10), "milestone"),
                ],
            ),
            ("Cycles", cycles),
        ],
        at(7, 6),
        at(9, 18),
        _day_ticks(at(7, 6), at(9, 18), (0, 12)),
        "%a %H:%M",
    )


def lifecycle_reopen_chart_svg() -> str:
    """docs/concepts/case-lifecycle.md: the reopen window of a case closed on Friday
    11 December 12:00 (10 calendar days, from the policy's lifecycle)."""
    from slocalc.policies import RAPID7

    acme, at = _lifecycle_setup()
    closed = at(11, 12)
    until = RAPID7.lifecycle.reopen_window.due(closed, acme)
    return gantt_svg(
        f"Closed on Friday 11 December 12:00, reopen window {RAPID7.lifecycle.reopen_window}",
        [
            (
                "Case",
                [("closed", closed, at(18, 9), "crit"), ("reopened by customer_update", at(18, 9), at(21, 12), "active")],
            ),
            (
                "Window",
                [
                    (f"reopen window, to {until:%d %b %H:%M}", closed, until, "plain"),
                    ("late attempt (no reopen)", at(22, 9), at(22, 9), "milestone"),
                ],
            ),
        ],
        at(11, 0),
        at(23, 0),
        _day_ticks(at(11, 0), at(23, 0))[::2],
        "%d %b",
    )


def lifecycle_severity_chart_svg() -> str:
    """docs/concepts/case-lifecycle.md: an upgrade from Severity 3 to 1 under ``rebase`` and
    ``restart``; each deadline comes from the policy."""
    from slocalc.policies import RAPID7

    acme, at = _lifecycle_setup()
    opened, change = at(7, 9), at(7, 14)
    sev3 = RAPID7.due(3, "initial_response", opened, acme)
    rebase = RAPID7.due(1, "initial_response", opened, acme)
    restart = RAPID7.due(1, "initial_response", change, acme)
    return gantt_svg(
        "Opened Severity-3 on Monday 09:00, changed at 14:00",
        [
            ("Severity-3", [(f"12 business hours, due {sev3:%a %H:%M}", opened, sev3, "plain")]),
            (
                "Upgrade to 1 (rebase)",
                [
                    (f"2 h on 24x7 from 09:00, due {rebase:%H:%M}", opened, rebase, "crit"),
                    ("change at 14:00, already breached", change, change, "milestone"),
                ],
            ),
            ("Upgrade to 1 (restart)", [(f"2 h from the change, due {restart:%H:%M}", change, restart, "active")]),
        ],
        at(7, 8),
        at(8, 14),
        _day_ticks(at(7, 8), at(8, 14), (0, 6, 12, 18)),
        "%a %H:%M",
    )


#: the generated chart files of the concept pages, each drawn from slocalc at build time
CONCEPT_CHARTS = {
    "concepts/business-time-weekend.svg": business_time_chart_svg,
    "concepts/business-days-thanksgiving.svg": business_days_chart_svg,
    "concepts/case-lifecycle-pause.svg": lifecycle_pause_chart_svg,
    "concepts/case-lifecycle-stop.svg": lifecycle_stop_chart_svg,
    "concepts/case-lifecycle-reopen.svg": lifecycle_reopen_chart_svg,
    "concepts/case-lifecycle-severity.svg": lifecycle_severity_chart_svg,
}

SCHEMA_URI = "policy.schema.json"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).parent
    for src_uri, module in REFERENCE_PAGES.items():
        if files.get_file_from_path(src_uri) is None and _module_exists(root, module):
            content = f"# `{module}`\n\n::: {module}\n"
            files.append(File.generated(config, src_uri, content=content))
    found = files.get_file_from_path("notebooks/execute.py")
    if found is not None:
        files.remove(found)
    if files.get_file_from_path(CLOCK_CHART) is None:
        files.append(File.generated(config, CLOCK_CHART, content=clock_chart_svg()))
    for uri, draw in CONCEPT_CHARTS.items():
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, content=draw()))
    # the policy JSON Schema, published beside the pages (docs/policies.md links it)
    schema = root / "src" / "slocalc" / "policies" / "policy.schema.json"
    if files.get_file_from_path(SCHEMA_URI) is None and schema.is_file():
        files.append(File.generated(config, SCHEMA_URI, content=schema.read_text(encoding="utf-8")))
    pages = _render_notebooks(root, files, config)
    if config.nav:
        if pages and not any(_listed(config.nav, uri) for uri in pages):
            section: list[Any] = []
            if files.get_file_from_path("notebooks/index.md") is not None:
                section.append({"About the notebooks": "notebooks/index.md"})
            section += [{_title(files, uri): uri} for uri in pages]
            config.nav.append({NOTEBOOK_SECTION: section})
        config.nav = _prune(config.nav, files)
    return files


def _title(files: Files, uri: str) -> str:
    found = files.get_file_from_path(uri)
    text = found.content_string if found is not None else ""
    match = re.search(r"^# (.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else Path(uri).stem.replace("_", " ")
