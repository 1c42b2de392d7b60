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
