"""``SeenIds``: the case ids a reader has seen, and the line of each, in flat memory.

Private. A reader refuses a second case with an id it has seen (naming the first line),
so it must remember every id: in a ``dict`` of strings that is about 130 bytes an id,
130 MB for a million cases. :class:`SeenIds` keeps two independent hashes of each id and
its line in an open-addressing table of three columns (``int64`` hash, ``uint32`` CRC,
``int64`` line), about 30 bytes an id (see docs/scaling.md). The table grows by rehashing
its entries a slice at a time, so growing never holds more than the old and the new table. Two different ids are taken for one only if both hashes agree, 96
bits in all: for a million ids the chance that this ever happens is below 1 in 10^17.

The table is read one id at a time (:meth:`SeenIds.first`, the per-record reader) or a
batch of ids at a time (:meth:`SeenIds.first_many`, the columnar reader), probed by numpy.
"""

from __future__ import annotations

import zlib
from itertools import repeat
from typing import Any, Final

__all__ = ["SeenIds"]

#: the table's first size (slots, a power of two); it doubles at two thirds full
_FIRST: Final = 1 << 12
#: keys still probing when :meth:`SeenIds._insert` goes on one at a time (fewer numpy rounds)
_PROBE_TAIL: Final = 48
#: slots of the old table rehashed at a time when the table grows
_SLICE: Final = 1 << 16


def _hashes(case_id: str) -> tuple[int, int]:
    """The two hashes of an id: ``hash`` (0 read as 1: 0 marks an empty slot) and the CRC-32
    of its UTF-8 (lone surrogates kept)."""
    return hash(case_id) or 1, zlib.crc32(case_id.encode("utf-8", "surrogatepass"))


class SeenIds:
    """Case ids seen so far, each with the line it was first seen on.

    >>> seen = SeenIds()
    >>> seen.first("C-1", 1), seen.first("C-2", 2), seen.first("C-1", 3)
    (1, 2, 1)
    >>> import numpy as np
    >>> seen.first_many(["C-2", "C-3", "C-3"], np.array([4, 5, 6])).tolist(), len(seen)
    ([2, 5, 5], 3)
    """

    __slots__ = ("_h1", "_h2", "_lines", "_mask", "_np", "_size")

    def __init__(self) -> None:
        import numpy as np

        self._np = np
        self._size = 0
        self._alloc(_FIRST)

    def _alloc(self, slots: int) -> None:
        np = self._np
        self._mask = slots - 1
        self._h1 = np.zeros(slots, dtype=np.int64)  # 0: an empty slot
        self._h2 = np.zeros(slots, dtype=np.uint32)
        self._lines = np.zeros(slots, dtype=np.int64)

    def __len__(self) -> int:
        return self._size

    def first(self, case_id: str, line: int) -> int:
        """The line ``case_id`` was first seen on; ``line`` (recorded) if it is new."""
        h1, h2 = _hashes(case_id)
        keys, checks, mask = self._h1, self._h2, self._mask
        slot = h1 & mask
        while True:
            found = keys[slot]
            if found == 0:
                break
            if found == h1 and checks[slot] == h2:
                return int(self._lines[slot])
            slot = (slot + 1) & mask
        keys[slot] = h1
        checks[slot] = h2
        self._lines[slot] = line
        self._size += 1
        if 3 * self._size > 2 * (mask + 1):
            self._grow()
        return line

    def first_many(self, ids: list[str], lines: Any) -> Any:
        """:meth:`first` for a batch: the line each id was first seen on, the ids seen before
        and these ``lines`` (``int64``, in line order) counted; the new ids are recorded."""
        np = self._np
        n = len(ids)
        h1 = np.fromiter(map(hash, ids), dtype=np.int64, count=n)
        h1[h1 == 0] = 1
        codes = map(str.encode, ids, repeat("utf-8"), repeat("surrogatepass"))
        h2 = np.fromiter(map(zlib.crc32, codes), dtype=np.uint32, count=n)
        # the batch's ids probe together, repeats included: an id's repeats follow its probe
        # sequence in step with it, and the first of them (in line order) takes the empty
        # slot they reach, where the others find it the next round
        while 3 * (self._size + n) > 2 * (self._mask + 1):
            self._grow()
        out: Any = self._insert(h1, h2, lines)
        return out

    def _insert(self, h1: Any, h2: Any, lines: Any) -> Any:
        """The line of each key ``(h1, h2)``: the recorded one, or (recorded now) its line in
        ``lines``, the first of a key's repeats recorded; all keys probe together, a step a
        round. The table has room for all of them."""
        np = self._np
        keys, checks, stored, mask = self._h1, self._h2, self._lines, self._mask
        out = np.empty(len(h1), dtype=np.int64)
        pending = np.arange(len(h1))
        slot = h1 & mask
        while len(pending) > _PROBE_TAIL:
            found = keys[slot]
            hit = found == h1[pending]
            if hit.any():  # the second hash read only where the first agrees (a new id: rarely)
                hit[hit] = checks[slot[hit]] == h2[pending[hit]]
            out[pending[hit]] = stored[slot[hit]]
            empty = np.flatnonzero(found == 0)
            done = hit
            if len(empty):  # the first key at each empty slot takes it; the others probe on
                taken, first = np.unique(slot[empty], return_index=True)
                winners = empty[first]
                who = pending[winners]
                keys[taken], checks[taken], stored[taken] = h1[who], h2[who], lines[who]
                out[who] = lines[who]
                self._size += len(taken)
                done[winners] = True
            step = (found != 0) & ~hit
            slot = np.where(step, (slot + 1) & mask, slot)[~done]
            pending = pending[~done]
        # the last few keys (of the longest runs) one at a time
        for k, at in zip(pending.tolist(), slot.tolist(), strict=True):
            one, two = int(h1[k]), int(h2[k])
            while True:
                found = int(keys[at])
                if found == 0:
                    keys[at], checks[at], stored[at] = one, two, lines[k]
                    out[k] = lines[k]
                    self._size += 1
                    break
                if found == one and checks[at] == two:
                    out[k] = stored[at]
                    break
                at = (at + 1) & mask
        return out

    def _grow(self) -> None:
        h1, h2, lines = self._h1, self._h2, self._lines
        self._alloc(2 * (self._mask + 1))
        self._size = 0
        for lo in range(0, len(h1), _SLICE):
            part = slice(lo, lo + _SLICE)
            live = h1[part] != 0
            self._insert(h1[part][live], h2[part][live], lines[part][live])
