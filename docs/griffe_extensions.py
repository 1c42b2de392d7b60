"""A Griffe extension that lets the API reference render slocalc's docstrings faithfully.

slocalc's docstrings are Google style (``Args:``, ``Raises:``) with plain doctest examples
(``>>>`` runs, checked by ``pytest --doctest-modules``) and the occasional Sphinx role
(``:class:`BusinessCalendar```). Markdown would read ``>>>`` as three nested block quotes and
print the roles literally, so before rendering this extension

* wraps each top-level doctest run in a ```` ```pycon ```` fence, and
* turns ``:role:`target``` into ```` `target` ````.

The source docstrings are not changed.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|data|meth|func|attr|exc|mod|obj|const):`~?([^`]+)`")


def fence_doctests(text: str) -> str:
    """Wrap top-level ``>>>`` runs (with their output) in pycon fences."""
    out: list[str] = []
    in_fence = False
    in_run = False
    for line in text.splitlines():
        stripped = line.strip()
        if not in_run and stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            out.append(line)
            continue
        if in_run:
            if not stripped:
                out.append("```")
                in_run = False
            out.append(line)
            continue
        if line.startswith(">>>"):
            out.append("```pycon")
            in_run = True
        out.append(line)
    if in_run:
        out.append("```")
    return "\n".join(out)


def _fix(obj: griffe.Object) -> None:
    if obj.docstring is not None:
        obj.docstring.value = fence_doctests(_ROLE.sub(r"`\1`", obj.docstring.value))
    for member in obj.members.values():
        if not member.is_alias and member.parent is obj:
            _fix(member)  # type: ignore[arg-type]


class DoctestFences(griffe.Extension):
    """Fence doctest examples and strip Sphinx roles in every loaded docstring."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        _fix(pkg)
