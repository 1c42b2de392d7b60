"""The import rule of docs/architecture.md, checked on the source.

``slocalc._time`` and ``slocalc.errors`` are the shared kernel every layer may import; a
subpackage's private modules (``slocalc.X._y``) are imported only inside ``slocalc.X``;
across subpackages code imports the public names (``from slocalc.calendars import ...``).
The one exception is the command: ``slocalc.cli`` is the entry point of its private
implementation package ``slocalc._cli``.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

#: modules that may import inside a private package as if they were part of it
PART_OF = {"slocalc.cli": "slocalc._cli"}

#: sites that still break the rule while issue 13's refactoring lands, each to be removed
#: from this set by the change that fixes it (the test fails while a listed site is clean)
PENDING: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(SRC).with_suffix("").parts)
    return name.removesuffix(".__init__")


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """Every absolute import of a module (and of a name from it) in ``tree``, with its line."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            out.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
    return out


def private_owner(name: str) -> str | None:
    """For ``slocalc.X._y...``, the package ``slocalc.X`` whose private module it is."""
    parts = name.split(".")
    if parts[0] != "slocalc":
        return None
    for i in range(2, len(parts)):
        if parts[i].startswith("_") and not parts[i].startswith("__"):
            return ".".join(parts[:i])
    return None


def violations() -> set[tuple[str, str, int]]:
    found = set()
    for path in sorted((SRC / "slocalc").rglob("*.py")):
        importer = module_name(path)
        home = PART_OF.get(importer, importer)
        for line, name in imported(ast.parse(path.read_text(encoding="utf-8"))):
            owner = private_owner(name)
            if owner is None or home == owner or home.startswith(owner + "."):
                continue
            private = ".".join(name.split(".")[: owner.count(".") + 2])
            found.add((importer, private, line))
    return found


def test_the_checker_sees_a_private_import() -> None:
    tree = ast.parse("from slocalc.calendars._index import merge\nimport slocalc.cases._run as r\n")
    assert [private_owner(n) for _, n in imported(tree)] == [
        "slocalc.calendars",
        "slocalc.calendars",
        "slocalc.cases",
    ]
    assert private_owner("slocalc._time") is None  # the kernel
    assert private_owner("slocalc.calendars.centers") is None  # a public module


def test_no_private_module_is_imported_from_another_package() -> None:
    sites = violations()
    new = sorted(site for site in sites if site[:2] not in PENDING)
    assert not new, "import the public names instead (docs/architecture.md):\n" + "\n".join(
        f"  {importer} line {line}: {private}" for importer, private, line in new
    )


def test_pending_sites_are_still_pending() -> None:
    fixed = PENDING - {site[:2] for site in violations()}
    assert not fixed, f"fixed: remove {sorted(fixed)} from PENDING in tests/test_import_rules.py"


def test_the_kernel_imports_no_layer() -> None:
    for module, allowed in (("_time", {"slocalc.errors"}), ("errors", set())):
        tree = ast.parse((SRC / "slocalc" / f"{module}.py").read_text(encoding="utf-8"))
        layers = {
            name.split(".", 2)[0] + "." + name.split(".", 2)[1]
            for _, name in imported(tree)
            if name.startswith("slocalc.")
        }
        assert layers <= allowed, f"slocalc.{module} imports {sorted(layers - allowed)}"
