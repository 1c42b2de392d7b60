"""Sorting more rows than memory should hold: sorted runs spilled to temporary files.

``slocalc check`` prints its alerts most urgent first, so it must see every alert before it
prints the first; on a large export they would not fit in memory. :class:`SpillSort` keeps
up to :data:`RUN_ROWS` rows in memory; when that many are held it sorts them and writes
them, as one *run*, to an anonymous temporary file; at the end :meth:`SpillSort.sorted`
merges the runs and the rows still in memory (:func:`heapq.merge`), reading each run back
a few rows at a time. Memory stays flat however many rows come (see docs/scaling.md,
"One machine").

A row is a tuple whose leading fields are its sort key and are unique among the rows
(e.g. a line number and an index), so rows compare on their key alone and the merged order
is the order ``sorted`` gives the same rows in memory. Runs are pickled in small batches to
files made with :func:`tempfile.TemporaryFile`: on POSIX they have no name once created, so
they vanish when closed, when :meth:`SpillSort.close` runs (the command closes it in a
``finally``, also on an error or Ctrl-C), or when the process ends however it ends.
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO, Any, Final

__all__ = ["RUN_ROWS", "SpillSort"]

#: rows held in memory before a sorted run is written (an alert's row is about 1 kB)
RUN_ROWS: Final = 20_000
#: rows pickled together in a run file, and so read back together while merging
_BATCH: Final = 256
#: runs merged at once; past this many, the runs are first merged into one (so the merge
#: never holds more than ``_MAX_RUNS`` batches, however many rows come)
_MAX_RUNS: Final = 64


class SpillSort:
    """Rows collected in any order, given back sorted, in bounded memory.

    Args:
        run_rows: rows held in memory before they are written out as a sorted run
            (default :data:`RUN_ROWS`, read when the sorter is made).

    >>> rows = SpillSort(run_rows=2)
    >>> for row in [(3, "c"), (1, "a"), (4, "d"), (2, "b"), (0, "z")]:
    ...     rows.add(row)
    >>> len(rows), rows.runs
    (5, 2)
    >>> [row[1] for row in rows.sorted()]
    ['z', 'a', 'b', 'c', 'd']
    >>> [row[1] for row in rows.sorted()]  # again, from the start
    ['z', 'a', 'b', 'c', 'd']
    >>> rows.close()
    """

    __slots__ = ("_files", "_held", "_run_rows", "_size")

    def __init__(self, run_rows: int | None = None) -> None:
        self._run_rows = max(1, RUN_ROWS if run_rows is None else run_rows)
        self._held: list[tuple[Any, ...]] = []
        self._files: list[IO[bytes]] = []
        self._size = 0

    def __len__(self) -> int:
        """Rows added so far."""
        return self._size

    @property
    def runs(self) -> int:
        """Sorted runs written to temporary files so far."""
        return len(self._files)

    def add(self, row: tuple[Any, ...]) -> None:
        """Add one row; when :data:`RUN_ROWS` are held, write them out as a sorted run."""
        held = self._held
        held.append(row)
        self._size += 1
        if len(held) >= self._run_rows:
            self._spill()

    def add_many(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """:meth:`add` each of ``rows``, as many as fit before a run is written at a time.

        >>> rows = SpillSort(run_rows=2)
        >>> rows.add_many([(3, "c"), (1, "a"), (2, "b")])
        >>> len(rows), rows.runs, [row[1] for row in rows.sorted()]
        (3, 1, ['a', 'b', 'c'])
        >>> rows.close()
        """
        rows = iter(rows)
        held = self._held
        while True:
            room = self._run_rows - len(held)
            before = len(held)
            held.extend(islice(rows, room))
            self._size += len(held) - before
            if len(held) < self._run_rows:
                return
            self._spill()

    def _spill(self) -> None:
        """Write the rows held as one sorted run (merging the runs into one past ``_MAX_RUNS``)."""
        held = self._held
        held.sort()
        self._files.append(_write_run(held))
        held.clear()
        if len(self._files) >= _MAX_RUNS:
            files = self._files
            merged = _write_run(heapq.merge(*(_read_run(f) for f in files)))
            self._close(files)
            self._files = [merged]

    def sorted(self) -> Iterator[tuple[Any, ...]]:
        """Every row added, sorted; each call starts again from the first row (finish or drop
        one iteration before the next: the runs' files are read in place)."""
        self._held.sort()
        if not self._files:
            return iter(self._held)
        return heapq.merge(*(_read_run(f) for f in self._files), self._held)

    def close(self) -> None:
        """Remove the temporary files and forget every row (safe to call twice)."""
        self._close(self._files)
        self._files = []
        self._held = []

    @staticmethod
    def _close(files: list[IO[bytes]]) -> None:
        for f in files:
            f.close()

    def __enter__(self) -> SpillSort:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_run(rows: Any) -> IO[bytes]:
    """A temporary file holding ``rows`` (an iterable, already sorted) in pickled batches."""
    f = tempfile.TemporaryFile()  # noqa: SIM115 - closed by SpillSort.close
    try:
        batch: list[Any] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= _BATCH:
                _dump(batch, f)
                batch = []
        if batch:
            _dump(batch, f)
        f.flush()
    except BaseException:
        f.close()
        raise
    return f


def _read_run(f: IO[bytes]) -> Iterator[Any]:
    """The rows of a run file, from its start, a batch at a time."""
    f.seek(0)
    while True:
        try:
            batch = pickle.load(f)  # a fresh unpickler a batch: no memo kept across batches
        except EOFError:
            return
        yield from batch


def _dump(batch: list[Any], f: IO[bytes]) -> None:
    """One batch, pickled on its own (a fresh pickler: no memo kept across batches)."""
    pickle.dump(batch, f, pickle.HIGHEST_PROTOCOL)
