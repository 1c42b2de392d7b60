"""Execute the example notebooks: one place for CI (tests/test_notebooks.py) and the docs.

``execute(path)`` runs a notebook from ``examples/`` in a fresh kernel (nbclient, ipykernel),
in the notebook's own folder (so ``Path("cases.jsonl")`` is the sample export), with the
Agg backend (no window) and a fixed width for tables, and returns the executed notebook.
A cell that raises fails the run (``nbclient`` raises ``CellExecutionError`` naming the
cell). A setup cell (inline plots at a fixed resolution) runs first and is removed from
the result.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLES = ROOT / "examples"
#: generous: each notebook runs well under a minute on CI's 2 cores
TIMEOUT = 120


def notebooks() -> list[Path]:
    """The example notebooks, in name order."""
    return sorted(EXAMPLES.glob("*.ipynb"))


def execute(path: Path, *, timeout: int = TIMEOUT) -> Any:
    """The executed notebook (an ``nbformat.NotebookNode``); raises on the first failing cell."""
    import nbformat
    from nbclient import NotebookClient

    book = nbformat.read(path, as_version=4)
    setup = "%matplotlib inline\nimport matplotlib\nmatplotlib.rcParams['figure.dpi'] = 80\n"
    book.cells.insert(0, nbformat.v4.new_code_cell(setup, id="slocalc-setup"))
    env_backup = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    try:
        client = NotebookClient(
            book,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute()
    finally:
        if env_backup is None:
            os.environ.pop("MPLBACKEND", None)
        else:
            os.environ["MPLBACKEND"] = env_backup
    book.cells.pop(0)
    return book
