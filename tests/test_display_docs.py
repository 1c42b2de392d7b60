"""The docs' pictures and notebook pages, from docs/hooks.py (skipped without mkdocs)."""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")
ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("slocalc_docs_hooks", ROOT / "docs" / "hooks.py")
assert _spec is not None
assert _spec.loader is not None
hooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hooks)

SVG = "{http://www.w3.org/2000/svg}"


def test_clock_chart_is_the_worked_example() -> None:
    # docs/concepts/clocks.md, worked by hand: four hours from Fri 2026-12-04 18:00 EST
    # (23:00 UTC), customer in Berlin.
    root = ET.fromstring(hooks.clock_chart_svg())
    bars = [r.find(f"{SVG}title").text for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert bars == [
        "24x7: Fri 23:00-03:00 UTC",  # to Sat 03:00 UTC = Fri 22:00 EST
        "customer (Berlin): Mon 07:00-11:00 UTC",  # Mon 08:00-12:00 CET
        "follow_the_sun: Fri 23:00-01:00 UTC",  # Los Angeles until 17:00 PST
        "follow_the_sun: Mon 00:00-02:00 UTC",  # Singapore from 08:00 SGT
        "center:boston: Mon 13:00-17:00 UTC",  # Mon 08:00-12:00 EST
        "center:singapore: Mon 00:00-04:00 UTC",  # Mon 08:00-12:00 SGT
    ]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Los Angeles" in texts
    assert "Singapore" in texts
    assert "script" not in hooks.clock_chart_svg()


def test_notebook_page_renders_outputs() -> None:
    nbformat = pytest.importorskip("nbformat")
    book = nbformat.v4.new_notebook()
    book.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nText."),
        nbformat.v4.new_code_cell("x"),
    ]
    book.cells[1].outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="\rbar 1/2"),
        nbformat.v4.new_output("stream", name="stderr", text="\rbar 2/2\n"),
        nbformat.v4.new_output("display_data", data={"text/html": "<table></table>", "text/plain": "t"}),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBO\nRw0K", "text/plain": "<Figure>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "```x"}, execution_count=1),
    ]
    page = hooks.notebook_markdown(book, "demo.ipynb")
    assert page.startswith("# Title\n\nText.\n")
    assert "[Download the notebook](demo.ipynb)" in page
    assert "```text\nbar 2/2\n```" in page  # a progress bar's last state, once
    assert "bar 1/2" not in page
    assert '<div class="slocalc-output" markdown="0">\n<table></table>\n</div>' in page
    assert '<img alt="plot" src="data:image/png;base64,iVBORw0K">' in page
    assert re.search(r"````text\n```x\n````", page)  # a fence longer than the text's backticks


def _bars(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    shapes = [*root.iter(f"{SVG}rect"), *root.iter(f"{SVG}polygon")]
    found = [s.find(f"{SVG}title") for s in shapes]
    return sorted(t.text for t in found if t is not None and t.text)


def test_concept_charts_are_the_worked_examples() -> None:
    # each chart of docs/concepts/*.md worked by hand from its page's text
    assert _bars(hooks.business_time_chart_svg()) == [
        "4 h from Fri 1 pm: Fri 04 Dec 13:00 to Fri 04 Dec 17:00",
        "Friday open: Fri 04 Dec 08:00 to Fri 04 Dec 17:00",
        "Monday open: Mon 07 Dec 08:00 to Mon 07 Dec 17:00",
        "deadline = Fri 17:00: Fri 04 Dec 17:00",
    ]
    assert _bars(hooks.business_days_chart_svg()) == [
        "Fri 27 (1): Fri 27 Nov 08:00 to Fri 27 Nov 17:00",
        "Mon 30 (2): Mon 30 Nov 08:00 to Mon 30 Nov 17:00",
        "Thu 26 holiday: Thu 26 Nov 00:00 to Fri 27 Nov 00:00",  # Thanksgiving
        "Tue 01 (3): Tue 01 Dec 08:00 to Tue 01 Dec 17:00",
        "Tue 10:30: Tue 01 Dec 10:30",
        "Wed 25 (start): Wed 25 Nov 08:00 to Wed 25 Nov 17:00",
    ]
    pause = _bars(hooks.lifecycle_pause_chart_svg())
    assert "extended to 14:30: Mon 07 Dec 14:30" in pause  # 13:00 + the 1:30 pause
    assert "own deadline 13:00: Mon 07 Dec 13:00" in pause
    assert "running: Mon 07 Dec 11:30 to Mon 07 Dec 14:30" in pause
    stop = _bars(hooks.lifecycle_stop_chart_svg())
    assert "cycle 1 (stopped): Mon 07 Dec 09:00 to Mon 07 Dec 11:00" in stop
    assert "cycle 2 (due Wed 14:00): Wed 09 Dec 10:00 to Wed 09 Dec 14:00" in stop
    reopen = _bars(hooks.lifecycle_reopen_chart_svg())
    assert "reopen window, to 21 Dec 12:00: Fri 11 Dec 12:00 to Mon 21 Dec 12:00" in reopen
    severity = _bars(hooks.lifecycle_severity_chart_svg())
    assert "12 business hours, due Tue 12:00: Mon 07 Dec 09:00 to Tue 08 Dec 12:00" in severity
    assert "2 h on 24x7 from 09:00, due 11:00: Mon 07 Dec 09:00 to Mon 07 Dec 11:00" in severity
    assert "2 h from the change, due 16:00: Mon 07 Dec 14:00 to Mon 07 Dec 16:00" in severity


@pytest.mark.parametrize("uri", sorted(hooks.CONCEPT_CHARTS))
def test_concept_pages_show_their_chart_and_no_mermaid(uri: str) -> None:
    svg = hooks.CONCEPT_CHARTS[uri]()
    assert "script" not in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing loaded
    name = uri.split("/")[-1]
    pages = [
        p for p in (ROOT / "docs" / "concepts").glob("*.md") if f"]({name})" in p.read_text(encoding="utf-8")
    ]
    assert len(pages) == 1, f"{name}: linked from {pages}"
    assert "```mermaid" not in pages[0].read_text(encoding="utf-8")
