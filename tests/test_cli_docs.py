"""Run every ``$ slocalc ...`` command shown in ``docs/cli.md`` and compare its output.

In a ```` ```console ```` block, a line starting with ``$ slocalc`` is a command (run from
the repository root as ``python -m slocalc``); the lines after it, up to the next command or
the end of the block, are what it prints: standard output, then standard error. Trailing
spaces are ignored.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "cli.md"
_BLOCK = re.compile(r"^```console\n(.*?)^```", re.M | re.S)


def _commands() -> list[tuple[str, str]]:
    out = []
    for block in _BLOCK.findall(PAGE.read_text(encoding="utf-8")):
        command: str | None = None
        expected: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    out.append((command, "\n".join(expected)))
                command, expected = line[2:], []
            else:
                expected.append(line)
        if command is not None:
            out.append((command, "\n".join(expected)))
    return out


COMMANDS = _commands()


def test_the_page_has_commands() -> None:
    assert len(COMMANDS) >= 5


@pytest.mark.parametrize(("command", "expected"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_documented_output(command: str, expected: str) -> None:
    argv = shlex.split(command)
    assert argv[0] == "slocalc"
    env = {k: v for k, v in os.environ.items() if k != "SLOCALC_DEBUG"}
    proc = subprocess.run(
        [sys.executable, "-m", "slocalc", *argv[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    shown = (proc.stdout + proc.stderr).rstrip("\n").splitlines()
    assert [line.rstrip() for line in shown] == [line.rstrip() for line in expected.splitlines()]
