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
