"""The example notebooks run, top to bottom, without an error (nbclient, a real kernel).

Skipped when the ``notebook`` extra is not installed (``pip install -e '.[notebook]'``);
``.ci/run`` installs it and runs this file in a step of its own. The notebooks are kept in
git without outputs, and use only slocalc's public API.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# docs/notebooks/execute.py runs the notebooks for this test and for the docs build alike
_spec = importlib.util.spec_from_file_location(
    "slocalc_notebook_runner", ROOT / "docs" / "notebooks" / "execute.py"
)
assert _spec is not None
assert _spec.loader is not None
runner = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(runner)

NOTEBOOKS = runner.notebooks()
NEEDED = ("nbclient", "nbformat", "ipykernel", "matplotlib", "pandas", "tqdm")
missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]


def test_the_three_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "calendar_exploration.ipynb",
        "sla_review.ipynb",
        "staffing_what_if.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs_and_uses_the_public_api(path: Path) -> None:
    book = json.loads(path.read_text(encoding="utf-8"))
    assert book["nbformat"] == 4
    code = [c for c in book["cells"] if c["cell_type"] == "code"]
    assert code
    for cell in code:
        assert cell["outputs"] == [], f"{path.name}: strip the outputs before committing"
        assert cell["execution_count"] is None
        source = "".join(cell["source"])
        assert not re.search(r"slocalc\._|\._[a-z]", source), f"{path.name}: private API in\n{source}"
    assert book["cells"][0]["cell_type"] == "markdown"
    assert "pip install" in "".join(book["cells"][0]["source"])  # says how to install


@pytest.mark.skipif(bool(missing), reason=f"needs the notebook extra (missing: {', '.join(missing)})")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_without_error(path: Path) -> None:
    book = runner.execute(path)  # raises CellExecutionError on the first failing cell
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    kinds = {k for o in outputs for k in o.get("data", {})}
    assert "text/html" in kinds  # rich displays and frames
    assert "image/png" in kinds  # plots
    warnings = [o.text for o in outputs if o.output_type == "stream" and "Warning" in o.text]
    assert not warnings, warnings
    if any("progress=True" in c.source for c in book.cells if c.cell_type == "code"):
        bars = "".join(o.text for o in outputs if o.output_type == "stream")
        widget = "application/vnd.jupyter.widget-view+json" in kinds
        assert widget or "100%" in bars, "progress=True shows a finished progress bar"
