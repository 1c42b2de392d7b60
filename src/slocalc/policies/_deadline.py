"""``Deadline``: one target resolved for one customer, the one place deadlines are computed.

``Target.due``, ``Policy.due``, case evaluation and the staffing grid all ask a
:class:`Deadline` (see docs/policies.md, "Deadlines"). It looks the clock up once, keeps a
per-start cache of the deadlines it computed, answers ``N hours on 24x7`` as
``start + N hours`` and places ``calendar_days`` with the engine's wall-clock rule.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, final

from slocalc._time import ONE_US, US_PER_DAY, from_us, like, require_aware, to_us, wall_instant
from slocalc.calendars import ALWAYS, NEVER_US, Calendar, ZonedCalendar, ZoneTable, read_column
from slocalc.errors import SlocalcTypeError
from slocalc.policies._clock import GUIDEBOOK, Clocks

if TYPE_CHECKING:  # pragma: no cover
    from zoneinfo import ZoneInfo

    from slocalc.policies._customer import Customer
    from slocalc.policies._target import Target

__all__ = ["Deadline", "lower_bound", "resolve"]

_ELAPSED: Final = 0  # hours/minutes on 24x7: start + step
_HOURS: Final = 1  # hours/minutes on a calendar: clock.add(start, step)
_DAYS: Final = 2  # business_days: clock.add_days(start, n)
_CALENDAR: Final = 3  # calendar_days: same wall time n local dates on
_DAY: Final = timedelta(days=1)
#: more than any change of UTC offset over a few days (DST is 1 h, 2 h on Antarctica/Troll)
_SLACK: Final = timedelta(hours=3)
#: deadlines remembered in all, over every Deadline's per-start caches: when this many are
#: held, every cache is emptied (see :func:`_remember`), so memory stays flat however many
#: customers, targets and starts a long run meets (docs/scaling.md, "One machine")
_CACHE_BUDGET: Final = 65_536
#: deadlines remembered by one Deadline at most: a backstop for the budget, whose count is
#: kept without a lock (a cache at this size is emptied before it grows)
_CACHE_SIZE: Final = 65_536
#: Deadlines remembered by Target.resolve; emptied when full
_RESOLVED_SIZE: Final = 4096


def lower_bound(target: Target) -> timedelta:
    """A duration ``target``'s deadline is never earlier than, from its start.

    Clock time never runs faster than elapsed time, so ``N hours`` is at least N hours
    away. ``N business_days``/``calendar_days`` keep the local wall time N local dates on:
    at least N - 1 days, less any offset change (a zone skipping a date loses a day).

    >>> from slocalc.policies import Target
    >>> lower_bound(Target.parse("4 hours")), lower_bound(Target.parse("3 business days"))
    (datetime.timedelta(seconds=14400), datetime.timedelta(days=1, seconds=75600))
    """
    step = target.clock_time
    if step is not None:
        return step
    return max(timedelta(0), (target.amount - 1) * _DAY - _SLACK)


@final
class Deadline:
    """A target resolved for one customer: computes its deadline for any start.

    Get one with :meth:`Target.resolve <slocalc.policies.Target.resolve>` (cached, so equal
    targets and customers share one, and its per-start cache). Immutable; thread-safe.

    Attributes:
        target: the policy's target.
        customer: the customer whose clock the target runs on; ``None`` when the target's
            clock does not depend on the customer (``24x7``, ``follow_the_sun``,
            ``center:<key>``).
        clock: the calendar pauses are measured on: the target's clock, except for
            ``calendar_days``, whose whole local days ignore business hours
            (:data:`~slocalc.calendars.ALWAYS`).
        elapsed: ``clock`` is ``ALWAYS``: clock time is elapsed time.
        lower_bound: the deadline is never earlier than ``start + lower_bound`` (see
            :func:`lower_bound`); exactly that when ``exact``.
        exact: the deadline is ``start + lower_bound`` (``hours``/``minutes`` on ``24x7``).
        clocks: the centers and named calendars the target's clock is looked up in (the
            policy's ``clocks``; the guidebook's for a target on its own).
        tier: the customer tier whose target this is, or ``None`` for the base targets.
        source: where the target came from, for reports: e.g. ``"severity 1"``,
            ``"policy-wide"``, ``"tier 'premium', severity 1"`` (``"target"`` for a target
            resolved on its own). See docs/policies.md, "Tiers".

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from slocalc.policies import Customer, Target
    >>> berlin = Customer(tz="Europe/Berlin", country="DE")
    >>> d = Target.parse("4 business hours").resolve(berlin)
    >>> d
    Deadline(Target(amount=4, unit='hours', clock='customer'), Customer(tz='Europe/Berlin', country='DE'))
    >>> d.exact, d.elapsed, d.lower_bound
    (False, False, datetime.timedelta(seconds=14400))
    >>> d.due(datetime(2026, 11, 20, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))).isoformat()
    '2026-11-23T10:00:00+01:00'
    """

    __slots__ = (
        "_days",
        "_dues",
        "_kind",
        "_n",
        "_step",
        "_step_us",
        "_zone",
        "clock",
        "clocks",
        "customer",
        "elapsed",
        "exact",
        "lower_bound",
        "source",
        "target",
        "tier",
    )
    target: Target
    customer: Customer | None
    clocks: Clocks
    tier: str | None
    source: str
    clock: Calendar
    elapsed: bool
    exact: bool
    lower_bound: timedelta
    _kind: int
    _n: int
    _step: timedelta
    _step_us: int
    _zone: ZoneInfo | None
    _dues: dict[datetime, datetime]
    _days: dict[date, date]

    def __init__(
        self,
        target: Target,
        customer: Customer | None = None,
        clocks: Clocks | None = None,
        *,
        tier: str | None = None,
        source: str = "target",
    ) -> None:
        """Resolve ``target`` for ``customer`` (prefer the cached :meth:`Target.resolve`).

        Raises:
            PolicyError: the target runs on the ``customer`` clock and ``customer`` is None.
            SlocalcTypeError: ``customer`` is not a :class:`~slocalc.policies.Customer`.
        """
        clock_name = target.clock
        if clock_name != "customer":
            customer = None
        clocks = GUIDEBOOK if clocks is None else clocks
        setter = object.__setattr__
        step = target.clock_time
        zone = None
        clock: Calendar
        if target.unit == "calendar_days":
            kind, clock = _CALENDAR, ALWAYS
            zone = clocks.zone(clock_name, customer)
        elif step is not None:
            clock = clocks.calendar(clock_name, customer)
            kind = _ELAPSED if clock is ALWAYS else _HOURS
        else:
            days = clocks.day_calendar(clock_name, customer)
            kind, clock, zone = _DAYS, days, days.zone
        setter(self, "target", target)
        setter(self, "customer", customer)
        setter(self, "clocks", clocks)
        setter(self, "tier", tier)
        setter(self, "source", source)
        setter(self, "clock", clock)
        setter(self, "elapsed", clock is ALWAYS)
        setter(self, "exact", kind == _ELAPSED)
        setter(self, "lower_bound", lower_bound(target))
        setter(self, "_kind", kind)
        setter(self, "_n", target.amount)
        setter(self, "_step", step if step is not None else timedelta(0))
        setter(self, "_step_us", self._step // ONE_US)
        setter(self, "_zone", zone)
        setter(self, "_dues", {})
        setter(self, "_days", {})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Deadline is immutable; cannot set {name!r}")

    def __repr__(self) -> str:
        extra = "" if self.tier is None else f", tier={self.tier!r}"
        return f"Deadline({self.target!r}, {self.customer!r}{extra})"

    def _key(self) -> tuple[Any, ...]:
        return (self.target, self.customer, self.clocks, self.tier, self.source)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Deadline):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.target, self.customer, self.clocks, self.tier, self.source))

    # -- scalar ----------------------------------------------------------------------------

    def due(self, start: datetime) -> datetime:
        """The deadline for a clock started at ``start`` (what :meth:`Target.due` returns).

        Args:
            start: aware instant the clock starts at.

        Returns:
            An aware datetime in ``start``'s tzinfo.

        Raises:
            NaiveDatetimeError: ``start`` is naive.
            SlocalcTypeError: ``start`` is not a datetime.
        """
        if start.__class__ is not datetime or start.tzinfo is not UTC:
            return self._due_any(start)
        if self.exact:
            return start + self._step
        found = self._dues.get(start)
        if found is None:
            found = self._compute(start)
            _remember(self, self._dues, start, found)
        return found

    def _due_any(self, start: datetime) -> datetime:
        """:meth:`due` for any aware datetime: computed in UTC, shown in ``start``'s tzinfo and
        kind (a pandas ``Timestamp`` in gives a ``Timestamp`` out, pendulum likewise)."""
        start = require_aware(start, "start")
        utc = from_us(to_us(start))  # a plain UTC datetime (also from subclasses)
        return like(self.due(utc).astimezone(start.tzinfo), start)

    def _compute(self, start: datetime) -> datetime:
        """The deadline of a UTC ``start``, as a UTC datetime (uncached)."""
        kind = self._kind
        if kind == _HOURS:
            return self.clock.add(start, self._step)
        zone = self._zone
        assert zone is not None
        if kind == _DAYS:
            return self._add_days(start, zone)
        local = start.astimezone(zone)
        day = local.date() + self._n * _DAY
        return _same_wall(start, local, day) or from_us(wall_instant(zone, day, local.time()))

    def _add_days(self, start: datetime, zone: ZoneInfo) -> datetime:
        """``clock.add_days(start, n)``, the business date looked up once per local date."""
        clock = self.clock
        assert isinstance(clock, ZonedCalendar)
        s = clock.next_open(start)
        local = s.astimezone(zone)
        first = local.date()
        day = self._days.get(first)
        if day is None:
            found = clock.add_days(start, self._n)
            _remember(self, self._days, first, found.astimezone(zone).date())
            return found
        return _same_wall(s, local, day) or clock.add_days(start, self._n)

    # -- vectorised ------------------------------------------------------------------------

    def due_many(self, starts: Any) -> Any:
        """:meth:`due` for many starts at once.

        Args:
            starts: any container the calendars' ``*_many`` methods take: a sequence of aware
                datetimes, a numpy ``datetime64`` (UTC) or ``int64`` (UTC microseconds) array,
                a tz-aware pandas ``Series``/``DatetimeIndex``, a Polars ``Series`` or a pyarrow
                timestamp array; missing starts (NaT, None) give missing deadlines.

        Returns:
            The same kind as ``starts`` (a list holds each answer in its input's tzinfo and
            kind; columns keep their index, name and zone).

        Raises:
            NaiveDatetimeError: a start is naive.
            SlocalcTypeError: an array of another dtype.

        >>> from datetime import datetime, UTC
        >>> from slocalc.policies import Target
        >>> d = Target.parse("2 hours").resolve(None)
        >>> [t.isoformat() for t in d.due_many([datetime(2026, 3, 2, 9, tzinfo=UTC)])]
        ['2026-03-02T11:00:00+00:00']
        """
        np = sys.modules.get("numpy")
        if (
            np is not None
            and starts.__class__ is np.ndarray
            and starts.dtype == np.int64
            and starts.ndim == 1
        ):
            return self._due_us(starts)  # the same answers, without reading a container
        kind = self._kind
        if kind in (_ELAPSED, _HOURS):
            return self.clock.add_many(starts, self._step)
        if kind == _DAYS:
            assert isinstance(self.clock, ZonedCalendar)
            return self.clock.add_days_many(starts, self._n)
        return self._calendar_days_many(starts)

    def _due_us(self, u: Any) -> Any:
        """:meth:`due_many` for a one-dimensional ``int64`` numpy array ``u`` of UTC µs (the
        form that method answers in ``int64``), without reading a container: the deadlines as
        a new ``int64`` array, and the same errors. A private fast entry for internal callers
        that hold such arrays (the columnar replay of ``slocalc check``).

        >>> import numpy as np
        >>> from slocalc.policies import Customer, Target
        >>> d = Target.parse("4 business hours").resolve(Customer(tz="UTC", country="GB"))
        >>> fri = 1_796_396_400_000_000  # 2026-12-04T15:00Z, a Friday; open Mon-Fri 08:00-17:00
        >>> (d._due_us(np.array([fri])) - fri) // 3_600_000_000  # 2 h Friday, 2 h Monday: 10:00
        array([67])
        """
        kind = self._kind
        if kind == _DAYS:
            return self.clock._add_days_us(u, self._n)  # type: ignore[attr-defined]
        if kind == _CALENDAR:
            return self._calendar_days_us(sys.modules["numpy"], u)
        return self.clock._add_us(u, self._step_us)

    def _calendar_days_us(self, np: Any, u: Any) -> Any:
        """``calendar_days`` for an ``int64`` array of UTC µs (none missing): each local reading
        ``n`` days on, placed by the boundary rule (the engine's
        :class:`~slocalc.calendars.ZoneTable`)."""
        if len(u) == 0:
            return np.full(0, NEVER_US, dtype=np.int64)
        shift = self._n * US_PER_DAY
        assert self._zone is not None
        lo, hi = (int(u.min()), int(u.max())) if len(u) > 16 else (min(u.tolist()), max(u.tolist()))
        table = ZoneTable.covering(self._zone, lo, hi + shift + US_PER_DAY)
        return table.place(table.local(u) + shift)

    def _calendar_days_many(self, starts: Any) -> Any:
        """``calendar_days`` for a container: each local reading ``n`` days on, placed by the
        boundary rule (the engine's :class:`~slocalc.calendars.ZoneTable`); missing stays missing."""
        try:
            import numpy as np
        except ImportError:  # pragma: no cover - exercised only without numpy
            if isinstance(starts, (str, bytes)):
                raise SlocalcTypeError(
                    param="starts", value=starts, expected="a sequence of aware datetimes"
                ) from None
            return [self.due(t) for t in starts]
        col = read_column(np, None, starts, "starts")
        if col.missing is None:
            return col.instants(np, self._calendar_days_us(np, col.u))
        out = np.full(len(col.u), NEVER_US, dtype=np.int64)
        u = col.u[~col.missing]
        if len(u):
            out[~col.missing] = self._calendar_days_us(np, u)
        return col.instants(np, out)


def _same_wall(start: datetime, local: datetime, day: date) -> datetime | None:
    """``start`` moved to the same local wall time on ``day``, when a whole-day shift is exact.

    ``local`` is ``start`` in the zone. The shift is the answer of the boundary rule when the
    shifted instant reads exactly (``day``, the wall time) at its first occurrence (no UTC
    offset change between the two dates); otherwise ``None``, and the caller places the
    wall time itself.
    """
    candidate = start + (day - local.date())
    seen = candidate.astimezone(local.tzinfo)
    if seen.fold == 0 and seen.date() == day and seen.time() == local.time():
        return candidate
    return None


#: the Deadlines whose caches hold deadlines, and how many they hold in all (at most)
_filled: list[Deadline] = []
_entries = 0


def _remember(owner: Deadline, cache: dict[Any, Any], key: Any, value: Any) -> None:
    """Keep ``cache[key] = value`` in ``owner``'s cache (``_dues`` or ``_days``) within the
    budget: every Deadline's caches together hold at most :data:`_CACHE_BUDGET` entries;
    once they do, all of them are emptied at once (the deadlines are computed again)."""
    global _entries, _filled
    if not owner._dues and not owner._days:
        _filled.append(owner)
    elif len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[key] = value
    _entries += 1
    if _entries >= _CACHE_BUDGET:
        filled, _filled, _entries = _filled, [], 0
        for deadline in filled:
            deadline._dues.clear()
            deadline._days.clear()


def _rebuild(
    target: Target, customer: Customer | None, clocks: Clocks, tier: str | None, source: str
) -> Deadline:
    return Deadline(target, customer, clocks, tier=tier, source=source)


_RESOLVED: dict[tuple[Any, ...], Deadline] = {}


def resolve(
    target: Target,
    customer: Customer | None,
    clocks: Clocks = GUIDEBOOK,
    *,
    tier: str | None = None,
    source: str = "target",
) -> Deadline:
    """The shared :class:`Deadline` of ``target`` for ``customer`` (``Target.resolve``)."""
    key = (target, customer if target.clock == "customer" else None, clocks, tier, source)
    try:
        found = _RESOLVED.get(key)
    except TypeError:  # an unhashable "customer": let Deadline name the mistake
        return Deadline(target, customer, clocks, tier=tier, source=source)
    if found is None:
        found = Deadline(target, customer, clocks, tier=tier, source=source)
        if len(_RESOLVED) >= _RESOLVED_SIZE:
            _RESOLVED.clear()
        _RESOLVED[key] = found
    return found
