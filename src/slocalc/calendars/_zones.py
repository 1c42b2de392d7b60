"""``ZoneTable``: a zone's UTC offsets as numpy arrays, for many instants at once.

Built on :func:`slocalc._time.transitions` (one exact offset-change scanner). numpy is
imported when a table is built, never when this module is imported.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from slocalc._time import offset_us, transitions, year_of, year_start_us

__all__ = ["ZoneTable"]

_FAR = 2**62
#: tables kept by :meth:`ZoneTable.covering` (emptied when full)
_CACHE_SIZE = 256


class ZoneTable:
    """A zone's UTC offsets over a range of instants, as arrays.

    The table covers ``[lo_us, hi_us]`` with a year of margin on each side: offsets and
    local readings of instants in that range, and the boundary rule for wall readings in
    it (docs/concepts/dst.md).

    Args:
        zone: the zone (a ``zoneinfo.ZoneInfo``).
        lo_us: the earliest instant (UTC µs) the table is asked about.
        hi_us: the latest instant (UTC µs) the table is asked about.

    >>> import numpy as np
    >>> from zoneinfo import ZoneInfo
    >>> u = np.array([1_774_746_000_000_000 - 1, 1_774_746_000_000_000])  # Dublin, 2026-03-29 01:00Z
    >>> table = ZoneTable(ZoneInfo("Europe/Dublin"), int(u.min()), int(u.max()))
    >>> (table.offsets(u) // 3_600_000_000).tolist()
    [0, 1]
    """

    __slots__ = ("_np", "local_ends", "offs", "times")

    def __init__(self, zone: tzinfo, lo_us: int, hi_us: int) -> None:
        import numpy as np

        lo = year_start_us(year_of(lo_us) - 1)
        hi = year_start_us(year_of(hi_us) + 2)
        changes = transitions(zone, lo, hi)
        self._np = np
        #: the instant each constant-offset segment starts (the first one: "forever")
        self.times = np.array([-_FAR, *(t for t, _ in changes)], dtype=np.int64)
        #: the offset (µs) in each segment
        self.offs = np.array([offset_us(zone, lo), *(o for _, o in changes)], dtype=np.int64)
        #: the local reading (µs since 1970-01-01 local) at the end of each segment (exclusive)
        self.local_ends = np.append(self.times[1:] + self.offs[:-1], _FAR)

    @classmethod
    def covering(cls, zone: tzinfo, lo_us: int, hi_us: int) -> ZoneTable:
        """The table of ``zone`` for ``[lo_us, hi_us]``, shared by every query over the same
        UTC years (a table covers whole years, so it is built once per zone and years: the
        vectorised queries of many small batches do not rebuild it each time).

        >>> from zoneinfo import ZoneInfo
        >>> t = ZoneTable.covering(ZoneInfo("Europe/Dublin"), 0, 1)
        >>> t is ZoneTable.covering(ZoneInfo("Europe/Dublin"), 86_400_000_000, 2)
        True
        """
        key = (zone, year_of(lo_us), year_of(hi_us))
        table = _TABLES.get(key)
        if table is None:
            if len(_TABLES) >= _CACHE_SIZE:
                _TABLES.clear()
            table = _TABLES[key] = cls(zone, lo_us, hi_us)
        return table

    def offsets(self, u: Any) -> Any:
        """The UTC offset (µs) at each instant of the ``int64`` array ``u``."""
        return self.offs[self._np.searchsorted(self.times, u, side="right") - 1]

    def local(self, u: Any) -> Any:
        """The naive local wall reading (µs since 1970-01-01 local) of each instant."""
        return u + self.offsets(u)

    def place(self, walls: Any) -> Any:
        """The boundary rule for naive wall readings (µs since 1970-01-01 local).

        The earliest instant whose local reading is ``>= wall``. Within constant-offset
        segment ``k`` the readings run up to ``local_ends[k]``; the first segment reaching
        past ``wall`` holds the answer: ``wall - offset``, or the segment's start when
        ``wall`` fell in the gap before it (spring forward). In a repeated hour the earlier
        segment wins.
        """
        k = self._np.searchsorted(self.local_ends, walls, side="right")
        return self._np.maximum(self.times[k], walls - self.offs[k])


_TABLES: dict[tuple[tzinfo, int, int], ZoneTable] = {}
