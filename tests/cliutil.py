"""Shared helper for the command-line tests: run the real ``slocalc`` in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys


def slocalc(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m slocalc ARGS`` and capture its output."""
    env = {k: v for k, v in os.environ.items() if k != "SLOCALC_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "slocalc", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
