"""``SeenIds``: the case ids a reader has seen, and the line of each, in flat memory.

Private. A reader refuses a second case with an id it has seen (naming the first line),
so it must remember every id: in a ``dict`` of strings that is about 130 bytes an id,
130 MB for a million cases. :class:`SeenIds` keeps two independent hashes of each id and
its line in an open-addressing table of three ``array`` columns, about 36 bytes an id
(see docs/scaling.md). Two different ids are taken for one only if both hashes agree, 96
bits in all: for a million ids the chance that this ever happens is below 1 in 10^17.
"""

from __future__ import annotations

import zlib
from array import array
from typing import Final

__all__ = ["SeenIds"]

#: the table's first size (slots, a power of two); it doubles at two thirds full
_FIRST: Final = 1 << 12


class SeenIds:
    """Case ids seen so far, each with the line it was first seen on.

    >>> seen = SeenIds()
    >>> seen.first("C-1", 1), seen.first("C-2", 2), seen.first("C-1", 3)
    (1, 2, 1)
    >>> len(seen)
    2
    """

    __slots__ = ("_h1", "_h2", "_lines", "_mask", "_size")

    def __init__(self) -> None:
        self._size = 0
        self._alloc(_FIRST)

    def _alloc(self, slots: int) -> None:
        self._mask = slots - 1
        self._h1 = array("q", bytes(8 * slots))  # 0: an empty slot
        self._h2 = array("q", bytes(8 * slots))
        self._lines = array("q", bytes(8 * slots))

    def __len__(self) -> int:
        return self._size

    def first(self, case_id: str, line: int) -> int:
        """The line ``case_id`` was first seen on; ``line`` (recorded) if it is new."""
        h1 = hash(case_id) or 1
        h2 = zlib.crc32(case_id.encode("utf-8", "surrogatepass"))
        keys, checks, mask = self._h1, self._h2, self._mask
        slot = h1 & mask
        while True:
            found = keys[slot]
            if found == 0:
                break
            if found == h1 and checks[slot] == h2:
                return self._lines[slot]
            slot = (slot + 1) & mask
        keys[slot] = h1
        checks[slot] = h2
        self._lines[slot] = line
        self._size += 1
        if 3 * self._size > 2 * (mask + 1):
            self._grow()
        return line

    def _grow(self) -> None:
        old = zip(self._h1, self._h2, self._lines, strict=True)
        self._alloc(2 * (self._mask + 1))
        keys, checks, lines, mask = self._h1, self._h2, self._lines, self._mask
        for h1, h2, line in old:
            if h1 == 0:
                continue
            slot = h1 & mask
            while keys[slot] != 0:
                slot = (slot + 1) & mask
            keys[slot] = h1
            checks[slot] = h2
            lines[slot] = line
