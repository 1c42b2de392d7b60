"""The calendar base class: the query vocabulary and the algebra.

Every calendar (weekly hours, recurring windows, unions, intersections, differences)
compiles to the same index, so every operation is implemented once, here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from slocalc._time import EPOCH, ONE_US, aware_us, duration_us, from_us, like
from slocalc.calendars._index import Index, Intervals, Store, intersect, merge, subtract
from slocalc.errors import SlocalcTypeError, SlocalcValueError

__all__ = ["Calendar", "set_alias"]

_STORE_CACHE: OrderedDict[Hashable, Store] = OrderedDict()
_STORE_CACHE_SIZE = 256
_STORE_CACHE_LOCK = threading.Lock()

#: the vectorised engine, :mod:`slocalc.calendars._batch` (which imports this module), once used
_BATCH: Any = None


def _batch() -> Any:
    """The module :mod:`slocalc.calendars._batch`, imported on first use (a ``from ... import``
    in each ``*_many`` call would cost more than a small batch's arithmetic)."""
    global _BATCH
    if _BATCH is None:
        from slocalc.calendars import _batch as batch

        _BATCH = batch
    return _BATCH


def _out(us: int, model: Any, _dt: type = datetime, _fromts: Any = datetime.fromtimestamp) -> datetime:
    """Every query's result: exact, in the tzinfo and of the kind of ``model``.

    ``model`` is the caller's instant (a pandas ``Timestamp`` in gives a ``Timestamp`` out, a
    pendulum ``DateTime`` a pendulum ``DateTime``) or, for callers that only keep the zone,
    a tzinfo (then a plain ``datetime``). The plain case is :func:`slocalc._time.from_us`
    inlined (the hot path); the underscored defaults are constants bound as locals.
    """
    if model.__class__ is _dt:
        tz = model.tzinfo  # type: ignore[attr-defined]
        q, r = divmod(us, 1_000_000)
        try:
            dt = _fromts(q, tz)
        except (OverflowError, ValueError, OSError):
            return from_us(us, tz)  # raises the supported-range error
        if dt.microsecond:  # an offset with microseconds
            return from_us(us, tz)
        return dt.replace(microsecond=r) if r else dt  # type: ignore[no-any-return]
    if isinstance(model, datetime):
        return like(from_us(us, model.tzinfo), model)
    return from_us(us, model)


# Short names that calendars print as (``ALWAYS``, ``center('belfast')``, ...), by value.
_ALIASES: dict[Hashable, str] = {}


def set_alias(cal: Calendar, text: str) -> None:
    """Make every calendar *equal* to ``cal`` print as ``text`` (which must evaluate back to
    an equal calendar where the names it uses are imported). Value semantics are kept:
    the alias belongs to the definition, not to one object.
    """
    _ALIASES[cal._key()] = text


def alias_of(cal: Calendar) -> str | None:
    """The alias registered for ``cal``'s definition, if any."""
    return _ALIASES.get(cal._key()) if _ALIASES else None


#: tzinfo classes of the hot path: their offsets are whole seconds and exact as given
_PLAIN_TZ = frozenset({ZoneInfo, timezone})


def _aware_us(
    t: object,
    param: str,
    cal: object = None,
    _dt: type = datetime,
    _plain: frozenset[type] = _PLAIN_TZ,
    _epoch: datetime = EPOCH,
    _one: timedelta = ONE_US,
) -> int:
    """UTC microseconds of an aware datetime; precise errors otherwise (hot path).

    A plain ``datetime`` in a ``ZoneInfo`` or ``timezone`` takes the fast path; every other
    kind (pendulum, pandas, pytz, dateutil, naive values, non-datetimes) is checked by
    :func:`slocalc._time.aware_us`. ``cal`` only shapes the error: a single-zone calendar's
    own zone is the suggested fix. (The underscored defaults are constants bound as locals,
    for speed.) Instants outside the years 1-9999 are refused where the engine first reads
    their year (:func:`slocalc._time.year_of`), at no cost here.
    """
    if t.__class__ is _dt and t.tzinfo.__class__ in _plain:  # type: ignore[attr-defined]
        return (t - _epoch) // _one  # type: ignore[operator, no-any-return]
    return aware_us(t, param, getattr(cal, "tz", None))


def _duration_us(d: object, param: str, _td: type = timedelta, _one: timedelta = ONE_US) -> int:
    """Exact microseconds of a duration (hot path for ``timedelta``; see
    :func:`slocalc._time.duration_us` for the other kinds)."""
    if d.__class__ is _td:
        return d // _one  # type: ignore[operator, no-any-return]
    return duration_us(d, param)


class Calendar:
    """When a clock runs: a set of half-open open intervals on the time line.

    Calendars are immutable, hashable values; equal definitions share compiled data.
    Every instant argument must be an aware ``datetime``; results come back in the tzinfo
    of the (first) instant passed.
    """

    __slots__ = ("__weakref__", "_index_ref")
    _index_ref: Index | None

    # -- subclass protocol -----------------------------------------------------------------

    def _key(self) -> Hashable:
        raise NotImplementedError

    def _compile_year(self, year: int, lo: int, hi: int) -> Intervals:
        """Open intervals (UTC µs) meeting ``[lo, hi)``; need not be clipped or merged."""
        raise NotImplementedError

    # -- value semantics -------------------------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable; cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Calendar):
            return NotImplemented
        return self is other or self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __copy__(self) -> Calendar:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Calendar:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        raise NotImplementedError  # overridden by picklable subclasses

    @property
    def _index(self) -> Index:
        idx = self._index_ref
        if idx is None:
            key = self._key()
            with _STORE_CACHE_LOCK:
                store = _STORE_CACHE.get(key)
                if store is None:
                    store = _STORE_CACHE[key] = Store()
                    if len(_STORE_CACHE) > _STORE_CACHE_SIZE:
                        _STORE_CACHE.popitem(last=False)
                else:
                    _STORE_CACHE.move_to_end(key)
            idx = Index(self._compile_year, repr(self), store)
            object.__setattr__(self, "_index_ref", idx)
        return idx

    # -- queries ---------------------------------------------------------------------------

    def is_open(self, t: datetime) -> bool:
        """Whether ``t`` lies in an open interval (intervals are half-open).

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from slocalc import BusinessCalendar
        >>> cal = BusinessCalendar(tz="Europe/London", hours="Mon-Fri 08:00-17:00")
        >>> cal.is_open(datetime(2026, 11, 30, 17, 0, tzinfo=ZoneInfo("Europe/London")))
        False
        """
        return self._index.is_open(_aware_us(t, "t", self))

    def next_open(self, t: datetime) -> datetime:
        """``t`` if open, else the start of the next open interval.

        Raises:
            NoBusinessTimeError: no open time within 10 years after ``t``.
        """
        u = _aware_us(t, "t", self)
        r = self._index.next_open(u)
        return t if r == u else _out(r, t)

    def next_close(self, t: datetime) -> datetime | None:
        """End of the open interval holding ``t``, or of the next one.

        Returns ``None`` when the calendar stays open through the next 100 years (or to the
        end of the supported range; see docs/limits.md).
        """
        r = self._index.next_close(_aware_us(t, "t", self))
        return None if r is None else _out(r, t)

    def add(self, t: datetime, d: timedelta) -> datetime:
        """Move ``d`` of business time from ``t``.

        For ``d > 0`` the earliest ``x`` with ``between(t, x) == d`` (so a deadline that
        lands on a closing time is that closing time); for ``d < 0`` the latest ``x`` with
        ``between(x, t) == -d``; ``t`` itself for ``d == 0``.

        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> from slocalc import BusinessCalendar
        >>> ny = ZoneInfo("America/New_York")
        >>> cal = BusinessCalendar(tz="America/New_York", hours="Mon-Fri 08:00-17:00")
        >>> cal.add(datetime(2026, 12, 4, 13, 0, tzinfo=ny), timedelta(hours=4)).isoformat()
        '2026-12-04T17:00:00-05:00'
        """
        # The hot path (plain aware datetime and timedelta; checks as in _aware_us) inlines
        # the conversions and the index look-up; every other kind takes the general path.
        if t.__class__ is datetime and d.__class__ is timedelta and t.tzinfo.__class__ in _PLAIN_TZ:
            d_us = d // ONE_US
            if not d_us:
                return t
            idx = self._index_ref
            if idx is None:
                idx = self._index
            u = idx.add((t - EPOCH) // ONE_US, d_us)
            tz = t.tzinfo
            # A ZoneInfo offset is whole seconds, so a whole-second result needs no µs fix-up.
            if tz.__class__ is ZoneInfo and not u % 1_000_000:
                try:
                    return datetime.fromtimestamp(u // 1_000_000, tz)
                except (OverflowError, ValueError, OSError):
                    pass  # _out gives the supported-range error
            return _out(u, t)
        u = _aware_us(t, "t", self)
        d_us = _duration_us(d, "d")
        if d_us == 0:
            return t
        return _out(self._index.add(u, d_us), t)

    def between(self, a: datetime, b: datetime) -> timedelta:
        """Business time in ``[a, b)``; negative when ``b < a``.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from slocalc import BusinessCalendar
        >>> sg = ZoneInfo("Asia/Singapore")
        >>> cal = BusinessCalendar(tz="Asia/Singapore")
        >>> str(cal.between(datetime(2026, 12, 4, 16, 0, tzinfo=sg), datetime(2026, 12, 7, 9, 30, tzinfo=sg)))
        '2:30:00'
        """
        if (  # the hot path, as in add
            a.__class__ is datetime
            and b.__class__ is datetime
            and a.tzinfo.__class__ in _PLAIN_TZ
            and b.tzinfo.__class__ in _PLAIN_TZ
        ):
            idx = self._index_ref
            if idx is None:
                idx = self._index
            return ONE_US * idx.between((a - EPOCH) // ONE_US, (b - EPOCH) // ONE_US)
        return ONE_US * self._index.between(_aware_us(a, "a", self), _aware_us(b, "b", self))

    def intervals(self, a: datetime, b: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open intervals clipped to ``[a, b)``, in ``a``'s tzinfo, in order.

        Arguments are checked at the call, not when the iterator is first advanced.

        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> from slocalc import BusinessCalendar
        >>> sg = ZoneInfo("Asia/Singapore")
        >>> cal = BusinessCalendar(tz="Asia/Singapore", hours="Mon-Fri 08:00-12:00,13:00-17:00")
        >>> for s, e in cal.intervals(datetime(2026, 12, 4, 11, 0, tzinfo=sg), datetime(2026, 12, 7, 9, 0, tzinfo=sg)):
        ...     print(s.isoformat(), e.isoformat())
        2026-12-04T11:00:00+08:00 2026-12-04T12:00:00+08:00
        2026-12-04T13:00:00+08:00 2026-12-04T17:00:00+08:00
        2026-12-07T08:00:00+08:00 2026-12-07T09:00:00+08:00
        """
        hint = getattr(self, "tz", None)  # the fully checked guard: an empty range still checks its ends
        ua, ub = aware_us(a, "a", hint), aware_us(b, "b", hint)
        return self._iter_intervals(ua, ub, a)

    def _iter_intervals(
        self, ua: int, ub: int, tz: tzinfo | datetime | None
    ) -> Iterator[tuple[datetime, datetime]]:
        for s, e in self._index.iter_intervals(ua, ub):
            yield _out(s, tz), _out(e, tz)

    # -- batches ---------------------------------------------------------------------------
    #
    # Every query has a ``*_many`` form over a container of instants: a sequence of aware
    # datetimes of any kind (answers in a list, each in its input's kind and tzinfo), a numpy
    # ``datetime64`` array (UTC; answers ``datetime64[us]``), an ``int64`` array of UTC
    # microseconds (answers ``int64``), a tz-aware pandas ``Series``/``DatetimeIndex``, a
    # Polars ``Series`` or a pyarrow timestamp array (answers the same kind, index, name and
    # zone). Missing instants (NaT, None, null) give missing answers. Arrays are answered with
    # numpy ``searchsorted`` over the compiled chunks; every answer equals the scalar query's.
    # See docs/guides/dataframes.md.

    def is_open_many(self, ts: Any) -> Any:
        """:meth:`is_open` for many instants: a ``bool`` array, a list for a sequence, a
        boolean column for a column (``False`` where an instant is missing).

        >>> import numpy as np
        >>> from slocalc import BusinessCalendar
        >>> cal = BusinessCalendar(tz="UTC")
        >>> cal.is_open_many(np.array(["2026-12-04T16:59", "2026-12-04T17:00"], dtype="datetime64[us]"))
        array([ True, False])
        """
        return _batch().is_open_many(self, ts)

    def next_open_many(self, ts: Any, *, strict: bool = True) -> Any:
        """:meth:`next_open` for many instants (containers as :meth:`add_many`).

        Args:
            ts: the instants.
            strict: raise :class:`~slocalc.NoBusinessTimeError` when an instant has no open
                time within the 10-year horizon (as :meth:`next_open` does); with
                ``strict=False`` give a missing marker instead: ``NaT`` (``datetime64``),
                ``NEVER_US = 2**63 - 1`` (``int64``) or ``None`` (list).

        >>> import numpy as np
        >>> from slocalc import NEVER, BusinessCalendar
        >>> cal = BusinessCalendar(tz="UTC")
        >>> cal.next_open_many(np.array(["2026-12-05T12:00"], dtype="datetime64[us]"))
        array(['2026-12-07T08:00:00.000000'], dtype='datetime64[us]')
        >>> NEVER.next_open_many(np.array(["2026-12-05T12:00"], dtype="datetime64[us]"), strict=False)
        array(['NaT'], dtype='datetime64[us]')
        """
        return _batch().next_open_many(self, ts, strict)

    def next_close_many(self, ts: Any) -> Any:
        """:meth:`next_close` for many instants; where the calendar stays open through the
        next 100 years the answer is missing (``NaT``, ``NEVER_US`` or ``None``, as
        :meth:`next_open_many` with ``strict=False``).

        >>> from datetime import UTC, datetime
        >>> from slocalc import ALWAYS, BusinessCalendar
        >>> cal = BusinessCalendar(tz="UTC")
        >>> [t.isoformat() for t in cal.next_close_many([datetime(2026, 12, 5, 12, 0, tzinfo=UTC)])]
        ['2026-12-07T17:00:00+00:00']
        >>> ALWAYS.next_close_many([datetime(2026, 12, 5, 12, 0, tzinfo=UTC)])
        [None]
        """
        return _batch().next_close_many(self, ts)

    def add_many(self, starts: Any, d: Any) -> Any:
        """:meth:`add` for many instants at once.

        Args:
            starts: a sequence of aware datetimes, a numpy ``datetime64`` array (UTC) or
                ``int64`` array (UTC microseconds since the epoch), a tz-aware pandas
                ``Series``/``DatetimeIndex``, a Polars ``Series`` or a pyarrow timestamp array;
                NaT/None/null where a start is missing.
            d: one duration for all (``timedelta`` of any kind, ``numpy.timedelta64``, ISO 8601
                text such as ``"PT4H"``), or one per instant (a sequence, a ``timedelta64`` or
                ``int64`` microseconds array, or a duration column; NaT where missing).

        Returns:
            The same kind as ``starts`` (same index, name and zone for columns; each list item
            in its input's kind and tzinfo), missing where the start or duration is.

        >>> import numpy as np
        >>> from datetime import timedelta
        >>> from slocalc import BusinessCalendar
        >>> cal = BusinessCalendar(tz="UTC")
        >>> cal.add_many(np.array(["2026-12-04T15:00"], dtype="datetime64[us]"), timedelta(hours=4))
        array(['2026-12-07T10:00:00.000000'], dtype='datetime64[us]')
        """
        return _batch().add_many(self, starts, d)

    def between_many(self, a: Any, b: Any) -> Any:
        """:meth:`between` for many pairs at once (containers as :meth:`add_many`); returns
        timedeltas, ``timedelta64[us]``, ``int64`` µs, or a duration column of the same kind
        (NaT where either instant is missing)."""
        return _batch().between_many(self, a, b)

    # Private fast entries for internal callers holding one-dimensional ``int64`` numpy arrays
    # of UTC µs already checked (the columnar replay): no container is read, so a call costs
    # little more than its arithmetic. Each answers exactly as its public ``*_many`` method
    # does for such arrays (``int64`` out), errors included; see slocalc.calendars._batch.

    def _add_us(self, u: Any, d: Any) -> Any:
        """:meth:`add_many` for an ``int64`` array ``u`` (UTC µs) and durations ``d`` in µs:
        one ``int`` for all, or an ``int64`` array of ``u``'s shape. A new ``int64`` array.

        >>> import numpy as np
        >>> from slocalc import BusinessCalendar
        >>> cal = BusinessCalendar(tz="UTC")  # Mon-Fri 08:00-17:00
        >>> fri = 1_796_396_400_000_000  # 2026-12-04T15:00Z, a Friday
        >>> cal._add_us(np.array([fri]), 4 * 3_600_000_000) - fri  # Monday 10:00 is 67 h later
        array([241200000000])
        """
        return _batch().add_fast(self, u, d)

    def _between_us(self, a: Any, b: Any) -> Any:
        """:meth:`between_many` for ``int64`` arrays ``a`` and ``b`` (UTC µs) of one shape: the
        business time in µs, an ``int64`` array.

        >>> import numpy as np
        >>> from slocalc import BusinessCalendar
        >>> cal = BusinessCalendar(tz="UTC")  # Mon-Fri 08:00-17:00
        >>> fri = 1_796_396_400_000_000  # 2026-12-04T15:00Z, a Friday
        >>> cal._between_us(np.array([fri]), np.array([fri + 67 * 3_600_000_000])) // 3_600_000_000
        array([4])
        """
        return _batch().between_fast(self, a, b)

    @staticmethod
    def _between_rows_us(cals: Any, which: Any, a: Any, b: Any) -> Any:
        """:meth:`_between_us` of each pair on its own calendar ``cals[which[k]]``, all in one
        lookup (not one call per calendar): an ``int64`` array, each row its calendar's
        answer; or ``None`` where the calendars must answer their own rows (then each one's
        ``_between_us`` answers, or raises, as always). ``which`` is an integer array of
        ``a``'s length, indices into ``cals``.

        >>> import numpy as np
        >>> from slocalc import BusinessCalendar
        >>> cals = [BusinessCalendar(tz="UTC"), BusinessCalendar(tz="Asia/Tokyo")]  # 08:00-17:00
        >>> mon = 1_796_601_600_000_000  # 2026-12-07T00:00Z, a Monday (09:00 in Tokyo)
        >>> noon = np.array([mon, mon]), np.array([mon + 12 * 3_600_000_000] * 2)  # to 12:00Z
        >>> Calendar._between_rows_us(cals, np.array([0, 1]), *noon) // 3_600_000_000  # 08-12, 09-17
        array([4, 8])
        """
        return _batch().between_rows(cals, which, a, b)

    @staticmethod
    def _add_rows_us(cals: Any, which: Any, u: Any, d: Any) -> Any:
        """:meth:`_add_us` of each instant and positive duration (``int64`` arrays of one
        length) on its own calendar ``cals[which[k]]``, all in one lookup: an ``int64`` array,
        or ``None`` where the calendars must answer their own rows (as
        :meth:`_between_rows_us`).

        >>> import numpy as np
        >>> from slocalc import BusinessCalendar
        >>> cals = [BusinessCalendar(tz="UTC"), BusinessCalendar(tz="Asia/Tokyo")]  # 08:00-17:00
        >>> mon = 1_796_601_600_000_000  # 2026-12-07T00:00Z, a Monday (09:00 in Tokyo)
        >>> hour = 3_600_000_000
        >>> (Calendar._add_rows_us(cals, np.array([0, 1]), np.array([mon, mon]), np.array([hour] * 2)) - mon) // hour
        array([9, 1])
        """
        return _batch().add_rows(cals, which, u, d)

    # -- algebra ---------------------------------------------------------------------------

    def __or__(self, other: Calendar) -> Calendar:
        if not isinstance(other, Calendar):
            return NotImplemented
        return Union(self, other)

    def __and__(self, other: Calendar) -> Calendar:
        if not isinstance(other, Calendar):
            return NotImplemented
        return Intersection(self, other)

    def __sub__(self, other: Calendar) -> Calendar:
        if not isinstance(other, Calendar):
            return NotImplemented
        return Difference(self, other)

    # -- notebook displays (drawn by slocalc._display, see docs/notebooks/index.md) --

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:  # the display methods' annotations, kept inside this addition
        from collections.abc import Sequence
        from datetime import date

        from slocalc._display import HtmlView
    del TYPE_CHECKING

    def _repr_html_(self) -> str:
        """The notebook display: this week's grid of open hours and the next holidays."""
        from slocalc._display import calendar_html

        return calendar_html(self)

    def week_view(
        self,
        week_of: date | None = None,
        *,
        tz: str | None = None,
        members: Sequence[tuple[str, Calendar]] | None = None,
        holidays: int = 5,
    ) -> HtmlView:
        """This calendar's week grid for a chosen week, as HTML that notebooks display.

        What the notebook display shows for the current week: one row per day with its
        open hours (holidays, overrides and 23- or 25-hour DST days noted), then the next
        ``holidays`` holidays; a union shows one bar per member in ``tz`` (default UTC).

        >>> from datetime import date
        >>> from slocalc import BusinessCalendar
        >>> "08:00–17:00" in BusinessCalendar(tz="Europe/Dublin").week_view(week_of=date(2026, 3, 16))
        True
        """
        from slocalc._display import HtmlView, calendar_html

        return HtmlView(calendar_html(self, week_of=week_of, tz=tz, members=members, holidays=holidays))

    def plot_week(
        self,
        week_of: date | None = None,
        *,
        tz: str | None = None,
        members: Sequence[tuple[str, Calendar]] | None = None,
        ax: Any = None,
    ) -> Any:
        """Draw this calendar's open hours over one week (matplotlib, ``slocalc[plot]``).

        A single-zone calendar: one row per local day on its wall clock (0-24 h); a union:
        one row per member and one for "any", on dated ticks in ``tz`` (default UTC).
        Returns the matplotlib ``Figure``.

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from datetime import date
        >>> from slocalc import BusinessCalendar
        >>> fig = BusinessCalendar(tz="Europe/Dublin").plot_week(week_of=date(2026, 3, 16))
        >>> len(fig.axes[0].get_yticks())
        7
        """
        from slocalc._display import plot_week

        return plot_week(self, week_of=week_of, tz=tz, members=members, ax=ax)


def _init_slots(obj: Calendar, **values: Any) -> None:
    object.__setattr__(obj, "_index_ref", None)
    for k, v in values.items():
        object.__setattr__(obj, k, v)


class _Combination(Calendar):
    """An n-ary, commutative combination of calendars; nested ones of the same kind flatten."""

    __slots__ = ("parts",)
    parts: tuple[Calendar, ...]
    _NAME: str
    _SYMBOL: str

    def __init__(self, *parts: Calendar) -> None:
        if not parts:
            raise SlocalcValueError(f"{self._NAME}: expected at least one calendar, got none")
        flat: list[Calendar] = []
        for p in parts:
            if not isinstance(p, Calendar):
                raise SlocalcTypeError(f"{self._NAME}: expected calendars, got {type(p).__name__} {p!r}")
            for q in p.parts if isinstance(p, _Combination) and type(p) is type(self) else (p,):
                if q not in flat:
                    flat.append(q)
        _init_slots(self, parts=tuple(flat))

    def _key(self) -> Hashable:
        return (self._NAME, frozenset(self.parts))

    def __repr__(self) -> str:
        alias = alias_of(self)
        if alias is not None:
            return alias
        parts = self.parts if len(self.parts) > 1 else self.parts * 2  # ``a | a`` pastes back
        return "(" + f" {self._SYMBOL} ".join(repr(p) for p in parts) + ")"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self.parts)


class Union(_Combination):
    """Open whenever any part is open (follow-the-sun). Build it with ``a | b``."""

    __slots__ = ()
    _NAME = "union"
    _SYMBOL = "|"

    def _compile_year(self, year: int, lo: int, hi: int) -> Intervals:
        out: Intervals = []
        for p in self.parts:
            out.extend(p._index.raw_intervals(year))
        return merge(out)


class Intersection(_Combination):
    """Open when every part is open. Build it with ``a & b``."""

    __slots__ = ()
    _NAME = "intersection"
    _SYMBOL = "&"

    def _compile_year(self, year: int, lo: int, hi: int) -> Intervals:
        acc = self.parts[0]._index.raw_intervals(year)
        for p in self.parts[1:]:
            acc = intersect(acc, p._index.raw_intervals(year))
        return acc


class Difference(Calendar):
    """Open when ``base`` is open and ``removed`` is not (blackouts). Build it with ``a - b``."""

    __slots__ = ("base", "removed")
    base: Calendar
    removed: Calendar

    def __init__(self, base: Calendar, removed: Calendar) -> None:
        for p in (base, removed):
            if not isinstance(p, Calendar):
                raise SlocalcTypeError(f"difference: expected calendars, got {type(p).__name__} {p!r}")
        _init_slots(self, base=base, removed=removed)

    def _key(self) -> Hashable:
        return ("difference", self.base, self.removed)

    def _compile_year(self, year: int, lo: int, hi: int) -> Intervals:
        return subtract(self.base._index.raw_intervals(year), self.removed._index.raw_intervals(year))

    def __repr__(self) -> str:
        alias = alias_of(self)
        if alias is not None:
            return alias
        return f"({self.base!r} - {self.removed!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Difference, (self.base, self.removed))
