"""Progress on standard error for long ``slocalc check`` runs at a terminal.

From the first second, while the input is still being read: cases read, cases a second,
and bytes read of the file's size (with a bar) when the size is known. Nothing is drawn
on a pipe, for a run shorter than :data:`DELAY` seconds, or with ``--no-progress``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Final, TextIO

if TYPE_CHECKING:
    from slocalc.cases import CaseReader

__all__ = ["DELAY", "Progress"]

#: seconds before anything is drawn (a quick run shows nothing)
DELAY: Final = 0.5
#: seconds between redraws
EVERY: Final = 0.2
_WIDTH: Final = 24


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    raise AssertionError  # pragma: no cover


class Progress:
    """Draws ``reading 123,456 cases (45,600 cases/s)  312.0 MB of 696.0 MB [#####.....]``
    with carriage returns, then erases itself.

    Shown only when enabled and the stream is a terminal; first drawn after
    :data:`DELAY` seconds, redrawn at most every :data:`EVERY` seconds.
    """

    def __init__(self, stream: TextIO, *, total_bytes: int | None, enabled: bool = True) -> None:
        self._stream = stream
        self._total = total_bytes
        self._drawn = False
        self._start = time.monotonic()
        self._next = self._start + DELAY
        isatty = getattr(stream, "isatty", None)
        try:
            tty = callable(isatty) and bool(isatty())
        except (OSError, ValueError):
            tty = False
        self._on = enabled and tty

    def step(self, reader: CaseReader) -> None:
        """After a batch of ``reader``: redraw when it is time."""
        if not self._on:
            return
        clock = time.monotonic()
        if clock < self._next:
            return
        self._next = clock + EVERY
        self._draw(reader, clock)

    def line(self, reader: CaseReader, clock: float) -> str:
        """The progress text for ``reader`` at monotonic time ``clock``."""
        cases = reader.cases_read
        rate = cases / max(clock - self._start, 1e-9)
        text = f"reading {cases:,} cases ({rate:,.0f} cases/s)"
        if reader.invalid_lines:
            text += f", {reader.invalid_lines:,} invalid lines"
        done = reader.bytes_read
        if done is not None and self._total:
            done = min(done, self._total)
            filled = done * _WIDTH // self._total
            text += f"  {_size(done)} of {_size(self._total)} [{'#' * filled}{'.' * (_WIDTH - filled)}]"
        return text

    def _draw(self, reader: CaseReader, clock: float) -> None:
        self._stream.write("\r" + self.line(reader, clock) + "\x1b[K")
        self._stream.flush()
        self._drawn = True

    def done(self) -> None:
        """Erase the line."""
        if self._on and self._drawn:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
