"""``progress=``: one option for every long-running call (staffing analyses, ``check``).

``track(items, total=..., progress=..., desc=...)`` wraps the loop of the long call:

* ``progress=None`` or ``False``: the items, untouched (no cost, no output);
* ``progress=True``: a tqdm bar when tqdm is installed (a notebook widget when ipywidgets
  is installed too, else tqdm's text bar, which notebooks also show); without tqdm, a plain
  text bar on standard error, redrawn at most once per percent;
* a callable ``progress(done, total)``: called after each item with the count so far and
  the total (``None`` when unknown), for callers with their own display or logging.

The wrapper yields the same items in the same order and closes its bar when the loop ends,
breaks or raises.

>>> seen = []
>>> list(track("abc", progress=lambda done, total: seen.append((done, total))))
['a', 'b', 'c']
>>> seen
[(1, 3), (2, 3), (3, 3)]
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import Any, TextIO, TypeAlias, TypeVar

from slocalc.errors import SlocalcTypeError

__all__ = ["ProgressArg", "TextBar", "track"]

_T = TypeVar("_T")

#: What every ``progress=`` parameter accepts.
ProgressArg: TypeAlias = bool | Callable[[int, int | None], object] | None

_WIDTH = 30


class TextBar:
    """``desc [#####.....]  120/312`` on a stream with carriage returns (no tqdm needed).

    With an unknown total it counts instead: ``desc 120``. :meth:`close` ends the line.
    """

    def __init__(self, total: int | None, desc: str = "", stream: TextIO | None = None) -> None:
        self.total = total
        self.desc = desc
        self.done = 0
        self._stream = sys.stderr if stream is None else stream
        self._drawn = -1

    def update(self, n: int = 1) -> None:
        """Count ``n`` more items; redraw when the percent (or, without a total, the count's
        leading digit) changed."""
        self.done += n
        total = self.total
        if total:
            key = self.done * 100 // total
            if key == self._drawn:
                return
            self._drawn = key
            filled = min(_WIDTH, self.done * _WIDTH // total)
            bar = "#" * filled + "." * (_WIDTH - filled)
            text = f"{self.desc} [{bar}] {self.done:>{len(str(total))}}/{total}"
        else:
            key = len(str(self.done)) * 10 + int(str(self.done)[0])
            if key == self._drawn:
                return
            self._drawn = key
            text = f"{self.desc} {self.done}"
        self._stream.write("\r" + text.lstrip())
        self._stream.flush()

    def close(self) -> None:
        """End the bar's line (only if something was drawn)."""
        if self._drawn >= 0:
            self._stream.write("\n")
            self._stream.flush()
            self._drawn = -1


def _tqdm(total: int | None, desc: str) -> Any:
    try:
        module = importlib.import_module("tqdm")
    except ImportError:
        return None
    try:  # a widget in notebooks when ipywidgets is there, else tqdm's text bar
        importlib.import_module("ipywidgets")
        module = importlib.import_module("tqdm.auto")
    except ImportError:
        pass
    # the finished bar stays (tqdm's default): an executed notebook shows what ran, and how long
    return module.tqdm(total=total, desc=desc or None, leave=True)


def track(
    items: Iterable[_T], *, total: int | None = None, progress: ProgressArg = None, desc: str = ""
) -> Iterator[_T] | Iterable[_T]:
    """``items`` with progress reporting, as chosen by ``progress`` (see the module docs).

    Args:
        items: what the long call loops over.
        total: the number of items; taken from ``len(items)`` when it has one.
        progress: ``None``/``False`` (off), ``True`` (a bar), or a callable
            ``progress(done, total)``.
        desc: the bar's label, e.g. ``"checking"``.

    Raises:
        SlocalcTypeError: ``progress`` is none of these (checked at the call).

    >>> list(track(range(3)))  # off: the iterable itself
    [0, 1, 2]
    """
    if progress is None or progress is False:
        return items
    if total is None and isinstance(items, Sized):
        total = len(items)
    if progress is True:
        bar = _tqdm(total, desc)
        return _run(items, bar if bar is not None else TextBar(total, desc))
    if callable(progress):
        return _call(items, progress, total)
    raise SlocalcTypeError(
        f"progress: expected True, False, None or a callable progress(done, total), "
        f"got {type(progress).__name__} {progress!r}"
    )


def _run(items: Iterable[_T], bar: Any) -> Iterator[_T]:
    try:
        for item in items:
            yield item
            bar.update(1)
    finally:
        bar.close()


def _call(
    items: Iterable[_T], callback: Callable[[int, int | None], object], total: int | None
) -> Iterator[_T]:
    for done, item in enumerate(items, start=1):
        yield item
        callback(done, total)
