"""Run every ```python block in docs/**/*.md, so no page of the documentation can rot.

Rules:

* Blocks of one page run in order and share one namespace, like cells of a notebook.
* A python block followed (only blank lines between) by a fenced ``text`` block whose info
  string has ``title="Output"`` must print exactly that text (trailing spaces ignored).
* ``<!-- skip -->`` (optionally ``<!-- skip: reason -->``) on the line before a block opts it
  out; use it only for blocks that genuinely cannot run.
* ``<!-- requires: pkg, other -->`` on the line before a block runs it only when those modules
  import (used for other libraries' examples on the comparison page); warnings raised by
  such blocks are ignored.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+-]*)(?P<info>[^`]*)$")
_MARKER = re.compile(r"^\s*<!--\s*(?P<kind>skip|requires)\s*(?::\s*(?P<arg>.*?))?\s*-->\s*$")
_OUTPUT_INFO = re.compile(r'title\s*=\s*"Output"')


@dataclass
class Block:
    """One fenced python block of a page."""

    line: int  # 1-based line of the opening fence
    code: str
    skip: str | None = None  # reason, when opted out
    requires: tuple[str, ...] = ()
    expected: str | None = None  # expected stdout, from a following Output block


def extract_blocks(text: str) -> list[Block]:
    """The python blocks of a markdown text, with their markers and expected output."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    last_python: Block | None = None  # a python block that may still take an Output block
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            if lines[i].strip():
                last_python = None
            i += 1
            continue
        indent, fence, lang, info = m["indent"], m["fence"], m["lang"].lower(), m["info"]
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines):
            closing = lines[i].strip()
            if closing.startswith(fence[0] * len(fence)) and not closing.strip(fence[0]):
                break
            body.append(lines[i])
            i += 1
        i += 1  # past the closing fence
        code = textwrap.dedent("\n".join(_strip_indent(b, indent) for b in body)) + "\n"
        if lang in ("python", "py"):
            block = Block(line=start + 1, code=code)
            marker = _previous_marker(lines, start)
            if marker is not None:
                kind, arg = marker
                if kind == "skip":
                    block.skip = arg or "marked <!-- skip -->"
                else:
                    block.requires = tuple(p.strip() for p in (arg or "").split(",") if p.strip())
            blocks.append(block)
            last_python = block
        elif lang == "text" and _OUTPUT_INFO.search(info) and last_python is not None:
            last_python.expected = code
            last_python = None
        else:
            last_python = None
    return blocks


def _strip_indent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip()


def _previous_marker(lines: list[str], fence_index: int) -> tuple[str, str | None] | None:
    j = fence_index - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j < 0:
        return None
    m = _MARKER.match(lines[j])
    return (m["kind"], m["arg"]) if m else None


def _normalise(out: str) -> str:
    return "\n".join(line.rstrip() for line in out.strip("\n").splitlines())


# The README's Python example runs too, so the first thing a newcomer reads cannot rot.
PAGES = sorted(p for p in DOCS.rglob("*.md") if extract_blocks(p.read_text(encoding="utf-8")))
PAGES.append(ROOT / "README.md")


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_examples_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    rel = page.relative_to(ROOT)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in extract_blocks(page.read_text(encoding="utf-8")):
        if block.skip is not None:
            continue
        if any(importlib.util.find_spec(mod) is None for mod in block.requires):
            continue
        where = f"{rel}:{block.line}"
        buffer = io.StringIO()
        try:
            with contextlib.redirect_stdout(buffer), warnings.catch_warnings():
                if block.requires:
                    # Other libraries' examples: their own deprecation warnings are not ours
                    # to police (slocalc's examples keep filterwarnings = error).
                    warnings.simplefilter("ignore")
                exec(compile(block.code, where, "exec"), namespace)
        except Exception as exc:
            pytest.fail(f"{where}: example raised {type(exc).__name__}: {exc}\n\n{block.code}")
        if block.expected is not None:
            got, want = _normalise(buffer.getvalue()), _normalise(block.expected)
            assert got == want, f"{where}: printed output differs from the page's Output block"


SAMPLE = """\
Intro.

```python
x = 1
print(x + 1)
```

```text title="Output"
2
```

<!-- skip: needs a display -->
```python
df.plot()
```

=== "Tab"

    ```python
    print("tab")
    ```

<!-- requires: not_a_module -->
```python title="other.py"
import not_a_module
```

```text
not an output block
```
"""


def test_extractor_reads_markers_and_outputs() -> None:
    blocks = extract_blocks(SAMPLE)
    assert [b.line for b in blocks] == [3, 13, 19, 24]
    assert blocks[0].code == "x = 1\nprint(x + 1)\n"
    assert blocks[0].expected == "2\n"
    assert blocks[1].skip == "needs a display"
    assert blocks[2].code == 'print("tab")\n'
    assert blocks[2].expected is None
    assert blocks[3].requires == ("not_a_module",)
    assert blocks[3].expected is None


def test_every_page_is_found() -> None:
    # Guard against the extractor silently finding nothing.
    assert PAGES, "no documentation page with python examples was found under docs/"
