"""A plain progress bar on standard error, for long ``slocalc check`` runs at a terminal."""

from __future__ import annotations

from typing import Final, TextIO

__all__ = ["MIN_ITEMS", "Progress"]

#: fewer items than this finish too fast for a bar to help
MIN_ITEMS: Final = 200
_WIDTH: Final = 30


class Progress:
    """Draws ``checking [#####.....]  120/312`` with carriage returns, then erases itself.

    Shown only when enabled, the stream is a terminal and there are at least
    :data:`MIN_ITEMS` items; redrawn at most once per percent.
    """

    def __init__(self, stream: TextIO, *, total: int, enabled: bool = True) -> None:
        self._stream = stream
        self._total = total
        self._done = 0
        self._drawn = -1
        isatty = getattr(stream, "isatty", None)
        self._on = enabled and total >= MIN_ITEMS and callable(isatty) and bool(isatty())

    def step(self) -> None:
        """Count one item."""
        self._done += 1
        if not self._on:
            return
        percent = self._done * 100 // self._total
        if percent != self._drawn:
            self._drawn = percent
            filled = self._done * _WIDTH // self._total
            bar = "#" * filled + "." * (_WIDTH - filled)
            self._stream.write(f"\rchecking [{bar}] {self._done:>{len(str(self._total))}}/{self._total}")
            self._stream.flush()

    def done(self) -> None:
        """Erase the bar."""
        if self._on and self._drawn >= 0:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
