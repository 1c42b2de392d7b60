"""MkDocs hooks for slocalc's documentation site.

The nav in ``mkdocs.yml`` lists every page the site will have, including pages written
alongside code that has not landed yet. This hook keeps ``mkdocs build --strict`` green
meanwhile:

* for each public module that exists under ``src/`` but has no hand-written page in
  ``docs/reference/``, it generates one (``::: module``), so a new module gets its API page
  the day it lands;
* it drops nav entries whose page does not exist, logging each one at INFO level
  (``mkdocs build -v`` shows them), instead of failing the build.
"""

from __future__ import annotations

import logging
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


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).parent
    for src_uri, module in REFERENCE_PAGES.items():
        if files.get_file_from_path(src_uri) is None and _module_exists(root, module):
            content = f"# `{module}`\n\n::: {module}\n"
            files.append(File.generated(config, src_uri, content=content))
    if config.nav:
        config.nav = _prune(config.nav, files)
    return files
