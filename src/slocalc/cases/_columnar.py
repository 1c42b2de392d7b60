"""The columnar replay: many cases checked at once, as numpy columns (docs/scaling.md).

Private. :func:`check_columns` gives, for each case of a :class:`~slocalc.cases._columns.CaseColumns`
batch, the :class:`~slocalc.cases.CaseCheck` that :func:`~slocalc.cases.check_case` gives for
it, equal in every value (alerts, their order, the tzinfo of every instant), or ``None``
for a case it declines: the caller then runs the scalar ``check_case`` on that one (which
also raises any error the case has).

How: *lockstep rounds*. Round ``k`` applies the ``k``-th event of every case that has one at
or before ``now`` as masked numpy operations over per-case state arrays: the status (a code
into the batch's status table, mapped once onto the policy's lifecycle sets), the severity,
the first closure, the initial response, the running update cycle (start, deadline id,
lower bound, deadline, open pause, breach) and, for a policy that tracks metrics defined as
data (``next_reply``, ``resolution``, ...; docs/metrics.md), each one's running clock
(:mod:`~slocalc.cases._columnar_metrics`, as the scalar ``Tracker`` follows them). It follows
the rules of :class:`~slocalc.cases._replay.Replay` and :class:`~slocalc.cases._run.Run` step
by step; the one difference is *when* pauses are folded into a deadline: eagerly, at each resume (the
scalar run folds lazily, which gives the same deadline; a rebase folds the run's recorded
pauses again, in order, from the new deadline, as the scalar ``settle`` does).

The engine owns time: every deadline comes from ``Deadline.due_many`` and every pause from
the clock's ``between_many``/``add_many`` (their private entries for ``int64`` arrays,
``_due_us``, ``_between_us``, ``_add_us``: the same answers and errors without re-reading
the arrays), grouped by deadline or clock; only on ``ALWAYS``
(elapsed time) is a pause plain µs arithmetic, as in the scalar run. The engine's cost is
mostly per call, so the deadlines a replay most likely needs are *prefetched* before the
rounds, one ``due_many`` per deadline: each initial response's, the update cycle's from each
event at or before ``now`` (at the severity in effect after it; a case's events of one
instant ask once), the other metrics' (from the opening and from the events that may start
them), those a severity change may rebase or restart to, and each case's reopen window
from its first closure (one per customer). The rest (and any the engine could not answer in
bulk) are computed when needed, one call per deadline per round. For the same reason a
round makes its status changes (status events, customer updates) together, folds a resumed
pause with one pass over the clocks (``between``, then ``add``), and a rebase measures all
the pauses it folds again at once; a grouped call gathers its arguments once, sorted by
key (small ids by radix), each group a slice. Finished breached cycles are recorded as they
finish; the ``Alert`` and ``CaseCheck`` objects are built once, at the end, a column (a
field) at a time, with no ``__init__`` call per object (:func:`_maker`).

Declined (``None``): a case with an unknown status or severity (the scalar path raises the
error), more than :data:`MAX_EVENTS` events at or before ``now``, an instant outside the
years 10-9979, a deadline the policy cannot resolve, or an engine error (or a missing
answer) in a group of cases computed together.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import MISSING, dataclass, fields
from datetime import datetime, timedelta, tzinfo
from fractions import Fraction
from itertools import islice, repeat
from typing import TYPE_CHECKING, Any, Final, TypeVar

from slocalc._time import from_us, from_us_many, td_to_us, to_us, year_start_us
from slocalc.calendars import NEVER_US, Calendar
from slocalc.cases._columns import CUSTOMER_UPDATE, SEVERITY, STATUS, SUPPORT_UPDATE, CaseColumns
from slocalc.cases._report import Alert, CaseCheck, SkipReason, Verdict, verdict_of
from slocalc.cases._resolver import Resolver, customer_key, resolver_for
from slocalc.policies import INITIAL_RESPONSE, UPDATE, Deadline, Policy

if TYPE_CHECKING:
    from slocalc.cases._columnar_metrics import Metrics

__all__ = ["MAX_EVENTS", "Checked", "check_columns", "replay_columns"]

#: most events at or before ``now`` a case may have to be taken (bounds the rounds)
MAX_EVENTS: Final = 64
#: "not known yet" (a deadline not computed, no open pause, no closure)
_NONE: Final = -(2**63)
#: instants the replay takes: far enough from the years 1 and 9999 that no deadline overflows
_LO: Final = year_start_us(10)
_HI: Final = year_start_us(9980)
#: how a run ended
_RUNNING: Final = 0
_MET: Final = 1
_STOPPED: Final = 2
_CANCELLED: Final = 3
#: a (customer, severity, metric) whose deadline could not be resolved
_BROKEN: Final = -2


_T = TypeVar("_T")


def _maker(cls: type[_T]) -> Callable[[int, dict[str, Iterable[Any]]], list[_T]]:
    """A fast way to make many instances of the frozen, slotted dataclass ``cls`` from columns.

    ``make(n, columns)`` gives the ``n`` instances ``cls(**{f: columns[f][k] ...})`` (a field
    missing from ``columns`` takes its default), made field by field: each instance by
    ``object.__new__``, then each field's slot set by its descriptor, over all instances at
    once (``map`` runs in C: no ``__init__`` call, no Python frame per instance). The
    instances are the ones ``__init__`` makes (same fields, ``==``, ``hash``, pickling): it
    only assigns its arguments. Where ``cls`` does more (``__post_init__``, a field not in
    ``__init__``, a default factory) or is not slotted, ``cls(**fields)`` is called instead.

    >>> from slocalc.cases._report import CaseCheck
    >>> make = _maker(CaseCheck)
    >>> make(2, {"case_id": ["A", "B"], "severity": [1, 2], "status": ["open", None],
    ...     "alerts": [(), ()], "future_events": [0, 3]}) == [
    ...     CaseCheck("A", 1, "open", (), 0), CaseCheck("B", 2, None, (), 3)]
    True
    """
    found = fields(cls)  # type: ignore[arg-type]
    names = [f.name for f in found]
    slots = set(getattr(cls, "__slots__", ()))
    direct = (
        not hasattr(cls, "__post_init__")
        and all(f.init and f.default_factory is MISSING for f in found)
        and set(names) <= slots
    )
    defaults = {f.name: f.default for f in found}

    def column(columns: dict[str, Iterable[Any]], name: str) -> Iterable[Any]:
        if name in columns:
            return columns[name]
        if defaults[name] is MISSING:
            raise TypeError(f"{cls.__name__}: no column for {name!r}, which has no default")
        return repeat(defaults[name])

    if not direct:

        def slow(n: int, columns: dict[str, Iterable[Any]]) -> list[_T]:
            given = list(columns)  # the others take what __init__ gives them
            rows = zip(*(columns[name] for name in given), strict=False) if given else repeat(())
            return [cls(**dict(zip(given, row, strict=True))) for row in islice(rows, n)]

        return slow
    new = object.__new__
    setters = [(name, getattr(cls, name).__set__) for name in names]

    def make(n: int, columns: dict[str, Iterable[Any]]) -> list[_T]:
        made: list[_T] = list(map(new, repeat(cls, n)))
        for name, setter in setters:
            deque(map(setter, made, column(columns, name)), 0)
        return made

    return make


_make_checks: Final = _maker(CaseCheck)
_make_alerts: Final = _maker(Alert)


def _stable_order(np: Any, keys: Any) -> Any:
    """``np.argsort(keys, kind="stable")`` of an int array; keys in ``0..32767`` (ids, case
    indices) are sorted as ``int16``, which numpy sorts by radix, several times faster."""
    if len(keys) > 16 and int(keys.min()) >= 0 and int(keys.max()) < 2**15:
        keys = keys.astype(np.int16)
    return np.argsort(keys, kind="stable")


def _run_starts(np: Any, keys: Any) -> Any:
    """The positions where a run of equal values begins in ``keys`` (sorted: each distinct
    value's first position, as ``np.unique(keys, return_index=True)[1]``)."""
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))


def _groups(np: Any, keys: Any) -> tuple[Any, list[tuple[int, int, int]]]:
    """``(order, [(key, lo, hi), ...])``: ``order`` (a stable sort of the int array ``keys``)
    puts the positions sharing each distinct key together, at ``order[lo:hi]``."""
    if len(keys) == 0:
        return keys, []
    order = _stable_order(np, keys)
    k = keys[order]
    cuts = np.flatnonzero(k[1:] != k[:-1]) + 1
    starts = [0, *cuts.tolist()]
    ends = [*starts[1:], len(k)]
    return order, list(zip(k[starts].tolist(), starts, ends, strict=True))


def _ge_scaled(np: Any, a: Any, x: int, b: Any, y: int) -> Any:
    """``a * x >= b * y`` elementwise, exactly (int64 when it cannot overflow, else Python ints)."""
    if len(a) == 0:
        return np.zeros(0, dtype=bool)
    top = max(int(np.abs(a).max()), int(np.abs(b).max()), 1)
    if top < (2**62) // max(x, y, 1):
        return a * x >= b * y
    return np.array([p * x >= q * y for p, q in zip(a.tolist(), b.tolist(), strict=True)], dtype=bool)


class _Tables:
    """A policy looked up once for a batch: the lifecycle sets as bool arrays over the batch's
    status codes (``open``, ``in_progress`` and ``reopened`` appended when the batch lacks
    them), the levels, and per (customer, level) the ids of the distinct deadlines."""

    def __init__(self, np: Any, cols: CaseColumns, res: Resolver) -> None:
        names = list(cols.statuses)
        for extra in ("open", "in_progress", "reopened"):
            if extra not in names:
                names.append(extra)
        self.names = names
        code = {name: i for i, name in enumerate(names)}
        self.open = code["open"]
        self.in_progress = code["in_progress"]
        self.reopened = code["reopened"]

        def flags(group: frozenset[str]) -> Any:
            return np.array([name in group for name in names], dtype=bool)

        self.valid = flags(res.statuses)
        self.pause = flags(res.pause)
        self.stop = flags(res.stop)
        self.closed = flags(res.closed)
        self.reopenable = flags(res.reopenable)
        levels = sorted(res.levels)
        self.levels = np.array(levels, dtype=np.int64)
        self.level_list = levels
        ids: dict[Deadline, int] = {}
        shape = (len(cols.customers), len(levels))
        self.initial = np.full(shape, -1, dtype=np.int64)
        self.update = np.full(shape, -1, dtype=np.int64)
        #: the metrics defined as data, in ``res.metrics`` order
        self.metrics = [np.full(shape, -1, dtype=np.int64) for _ in res.metrics]
        tables: tuple[tuple[str, Any], ...] = ((INITIAL_RESPONSE, self.initial), (UPDATE, self.update))
        tables += tuple((spec.name, table) for spec, table in zip(res.metrics, self.metrics, strict=True))
        for c, customer in enumerate(cols.customers):
            key = customer_key(customer)
            for j, level in enumerate(levels):
                for metric, table in tables:
                    try:
                        found = res.deadline(level, metric, customer, key)
                    except Exception:  # the scalar path raises it for the cases that need it
                        table[c, j] = _BROKEN
                        continue
                    if found is not None:
                        table[c, j] = ids.setdefault(found, len(ids))
        self.deadlines = list(ids)
        self.lb = np.array([td_to_us(d.lower_bound) for d in ids], dtype=np.int64)
        self.exact = np.array([d.exact for d in ids], dtype=bool)
        self.elapsed = np.array([d.elapsed for d in ids], dtype=bool)
        clocks: dict[int, int] = {}
        self.clocks: list[Calendar] = []
        for d in ids:
            if id(d.clock) not in clocks:
                clocks[id(d.clock)] = len(self.clocks)
                self.clocks.append(d.clock)
        self.clock = np.array([clocks[id(d.clock)] for d in ids], dtype=np.int64)

    def level_index(self, np: Any, values: Any) -> tuple[Any, Any]:
        """(index into ``levels``, known) of an int array of severities."""
        j = np.searchsorted(self.levels, values)
        safe = np.minimum(j, len(self.levels) - 1)
        return safe, (j < len(self.levels)) & (self.levels[safe] == values)


class _Known:
    """Deadlines known by (deadline id, start), looked up many at a time: a sorted ``int64``
    key per entry (``(start - lo) * ids + id``, exact while it fits in 62 bits; else a dict).

    >>> import numpy as np
    >>> known = _Known(np, 3)
    >>> known.fill(np.array([2, 0, 2]), np.array([50, 50, 70]), np.array([500, 501, 700]))
    >>> known.get(np.array([2, 0, 1, 2, 2, 3]), np.array([50, 50, 50, 70, 90, 49])).tolist() == [
    ...     500, 501, _NONE, 700, _NONE, _NONE]
    True
    """

    def __init__(self, np: Any, ids: int) -> None:
        self.np, self.ids = np, max(ids, 1)
        self.lo = self.hi = 0
        self.keys: Any = None
        self.values: Any = None
        self.slow: dict[tuple[int, int], int] | None = None

    def __bool__(self) -> bool:
        return self.keys is not None or bool(self.slow)

    def fill(self, did: Any, start: Any, values: Any) -> None:
        """Remember ``values[k]`` for ``(did[k], start[k])`` (equal keys hold equal values)."""
        np = self.np
        if not len(did):
            return
        lo, hi = int(start.min()), int(start.max())
        if (hi - lo + 1) * self.ids >= 2**62 or int(did.min()) < 0 or int(did.max()) >= self.ids:
            pairs = zip(did.tolist(), start.tolist(), strict=True)
            self.slow = dict(zip(pairs, values.tolist(), strict=True))
            return
        key = (start - lo) * self.ids + did
        order = np.argsort(key)
        self.lo, self.hi, self.keys, self.values = lo, hi, key[order], values[order]

    def get(self, did: Any, start: Any) -> Any:
        """The deadline known for each ``(did[k], start[k])``, :data:`_NONE` where none is."""
        np = self.np
        if self.slow is not None:
            pairs = zip(did.tolist(), start.tolist(), strict=True)
            return np.array([self.slow.get(key, _NONE) for key in pairs], dtype=np.int64)
        out = np.full(len(did), _NONE, dtype=np.int64)
        if self.keys is None or not len(did):
            return out
        inside = (start >= self.lo) & (start <= self.hi) & (did >= 0) & (did < self.ids)
        key = (np.clip(start, self.lo, self.hi) - self.lo) * self.ids + did
        pos = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
        hit = inside & (self.keys[pos] == key)
        out[hit] = self.values[pos[hit]]
        return out


class _Replay:
    """The state of every case of a batch as its events are applied round by round.

    ``i_*`` arrays hold the initial response (never paused); ``cycle`` holds the running (or
    last) update cycle, a :class:`~slocalc.cases._columnar_metrics.Runs` as each metric defined
    as data has (``metrics``); instants are UTC µs, :data:`_NONE` where not known.
    """

    def __init__(self, np: Any, cols: CaseColumns, res: Resolver, t: _Tables, now: int, sev: Any) -> None:
        n = len(cols)
        self.np, self.cols, self.res, self.t, self.now = np, cols, res, t, now
        self.dead = np.zeros(n, dtype=bool)
        self.st = np.full(n, t.open, dtype=np.int64)
        self.sev = sev.astype(np.int64)
        self.cust = cols.customer.astype(np.int64)
        self.fclosed = np.full(n, _NONE, dtype=np.int64)
        self.reopen: dict[tuple[int, int], int | None] = {}
        #: per case, the reopen window's end prefetched from a closure at ``r_from``
        self.r_from = np.full(n, _NONE, dtype=np.int64)
        self.r_until = np.full(n, _NONE, dtype=np.int64)
        # the initial response
        did = t.initial[self.cust, self.sev] if n else np.zeros(0, dtype=np.int64)
        self.dead |= did < 0  # every severity of a valid policy has one: leave it to the scalar path
        did = np.maximum(did, 0)
        self.i_did = did
        self.i_sev = self.sev.copy()
        self.i_start = cols.opened.astype(np.int64)
        self.i_bound = self._bound(np.arange(n), self.i_start, did)
        self.i_due = np.where(t.exact[did], self.i_bound, _NONE)
        self.i_end = np.zeros(n, dtype=np.int8)
        self.i_ended = np.full(n, _NONE, dtype=np.int64)
        self.i_breached = np.zeros(n, dtype=bool)
        # the update cycle: a run of the guidebook's rules (the cycle index is its ordinal)
        from slocalc.cases._columnar_metrics import Metrics, Runs

        self.cycle = Runs(self, t.pause, t.stop, 0, numbered=True)
        #: per event: the update deadline a cycle started by it has (prefetched), and its id
        self.ev_base = np.full(len(cols.at), _NONE, dtype=np.int64)
        self.ev_did = np.full(len(cols.at), -1, dtype=np.int64)
        #: per case: the event being applied
        self.cur_ev = np.zeros(n, dtype=np.int64)
        #: prefetched deadlines a severity change may need, by (deadline id, start)
        self.known = _Known(np, len(t.deadlines))
        #: the metrics defined as data (``None`` when the policy tracks none)
        self.metrics: Metrics | None = None
        if res.metrics:
            self.metrics = Metrics(self, t.metrics)

    def release(self) -> None:
        """Drop the runs, which refer back to this replay: without the reference cycle the
        batch's arrays are freed at once, not at the collector's next pass (``slocalc check``
        runs with a high collection threshold)."""
        del self.cycle
        self.metrics = None

    def _bound(self, rows: Any, start: Any, did: Any) -> Any:
        """``start + lower_bound``, each target's earliest deadline; a case whose bound falls
        past the instants taken is declined (the scalar run may overflow there)."""
        bound = start + self.t.lb[did]
        self.dead[rows[bound > _HI]] = True
        return bound

    # -- the engine, grouped ----------------------------------------------------------------

    def _alive(self, rows: Any, *cols: Any) -> tuple[Any, ...]:
        """``rows`` (and the arrays aligned with them) without the declined cases."""
        keep = ~self.dead[rows]
        return (rows[keep], *(c[keep] for c in cols))

    def _dues(self, rows: Any, did: Any, starts: Any) -> tuple[Any, Any]:
        """Each target's own deadline from ``starts`` (one ``due_many`` per deadline); ``ok`` is
        ``False`` (and the case declined) where the engine could not answer."""
        np, t = self.np, self.t
        out = starts + t.lb[did]
        ok = np.ones(len(rows), dtype=bool)
        timed = np.flatnonzero(~t.exact[did])
        if self.known and len(timed):
            got = self.known.get(did[timed], starts[timed])
            have = got != _NONE
            out[timed[have]] = got[have]
            timed = timed[~have]
        dues = t.deadlines
        self._grouped(rows, timed, did[timed], lambda g, u: dues[g]._due_us(u), (starts,), out, ok)
        return out, ok

    def _grouped(
        self,
        rows: Any,
        idx: Any,
        keys: Any,
        call: Any,
        args: tuple[Any, ...],
        out: Any,
        ok: Any,
        *,
        instants: bool = True,
        decline: bool = True,
        together: Any = None,
    ) -> None:
        """``out[p] = call(key, *(a[p] for a in args))`` for the positions ``p`` of ``idx``
        sharing each key of ``keys`` (a deadline or a clock: one engine call each); where the
        engine raises, or (``instants``) answers no instant in range, ``ok`` is ``False`` and
        (``decline``) the case declined. The arguments are gathered once, grouped (each
        group's a slice). ``together(keys, *args)``, when given, is tried first: one engine
        call for every key at once, or ``None`` (then one call per key)."""
        np = self.np
        if len(idx) == 0:
            return
        values = None
        if together is not None and len(keys) > 1 and int(keys.min()) != int(keys.max()):
            try:  # every key in one call (one key: its own call costs less)
                values = together(keys, *(a[idx] for a in args))
            except Exception:
                values = None  # each key's own call answers, or fails, for its rows
        if values is not None:
            good = np.ones(len(idx), dtype=bool)
        else:
            order, groups = _groups(np, keys)
            idx = idx[order]
            parts = [a[idx] for a in args]
            values = np.empty(len(idx), dtype=np.int64)
            good = np.ones(len(idx), dtype=bool)
            for g, lo, hi in groups:
                try:
                    values[lo:hi] = call(g, *(a[lo:hi] for a in parts))
                except Exception:
                    good[lo:hi] = False
        if instants:
            good &= (values != NEVER_US) & (values >= _LO) & (values <= _HI)
        if good.all():
            out[idx] = values
            return
        out[idx[good]] = values[good]
        bad = idx[~good]
        ok[bad] = False
        if decline:
            self.dead[rows[bad]] = True

    def _between(self, rows: Any, did: Any, a: Any, b: Any, *, decline: bool = True) -> tuple[Any, Any]:
        """Clock time from ``a`` to ``b`` on each deadline's clock (elapsed time on ``ALWAYS``);
        ``decline=False``: a case the engine fails for is not declined (``ok`` says which)."""
        np, t = self.np, self.t
        out = b - a
        ok = np.ones(len(rows), dtype=bool)
        timed = np.flatnonzero(~t.elapsed[did])
        clocks = t.clocks
        call = lambda g, x, y: clocks[g]._between_us(x, y)  # noqa: E731
        together = lambda w, x, y: Calendar._between_rows_us(clocks, w, x, y)  # noqa: E731
        self._grouped(
            rows,
            timed,
            t.clock[did[timed]],
            call,
            (a, b),
            out,
            ok,
            instants=False,
            decline=decline,
            together=together,
        )
        return out, ok

    def _add(self, rows: Any, did: Any, u: Any, d: Any) -> tuple[Any, Any]:
        """``u`` plus clock time ``d`` on each deadline's clock (``d > 0``)."""
        np, t = self.np, self.t
        out = u + d
        ok = np.ones(len(rows), dtype=bool)
        timed = np.flatnonzero(~t.elapsed[did])
        clocks = t.clocks
        call = lambda g, x, y: clocks[g]._add_us(x, y)  # noqa: E731
        together = lambda w, x, y: Calendar._add_rows_us(clocks, w, x, y)  # noqa: E731
        self._grouped(rows, timed, t.clock[did[timed]], call, (u, d), out, ok, together=together)
        bad = ok & ((out < _LO) | (out > _HI))
        ok &= ~bad
        self.dead[rows[bad]] = True
        return out, ok

    def _fold(self, rows: Any, did: Any, due: Any, p: Any, r: Any) -> tuple[Any, Any]:
        """``clock.add(due, clock.between(p, r))`` on each deadline's clock, ``due`` itself
        where that clock time is not positive: a pause folded into its deadline, both engine
        calls in one pass over the clocks (as :meth:`_between`, then :meth:`_add` where the
        clock time is positive). ``ok`` is ``False`` (and the case declined) where the engine
        could not answer or answered no instant in range."""
        np, t = self.np, self.t
        ext = r - p  # elapsed time on ALWAYS
        added = ext > 0  # where an instant was added to (checked for range)
        out = np.where(added, due + ext, due)
        ok = np.ones(len(rows), dtype=bool)
        timed = np.flatnonzero(~t.elapsed[did])
        if len(timed):
            added[timed] = False
        if len(timed) and not self._fold_together(timed, did, due, p, r, out, added):
            order, groups = _groups(np, t.clock[did[timed]])
            idx = timed[order]
            a, b, u = p[idx], r[idx], due[idx]
            values = u.copy()
            good = np.ones(len(idx), dtype=bool)
            for g, lo, hi in groups:
                clock = t.clocks[g]
                try:
                    x = clock._between_us(a[lo:hi], b[lo:hi])
                except Exception:
                    good[lo:hi] = False
                    continue
                pos = np.flatnonzero(x > 0)
                if not len(pos):
                    continue
                added[idx[lo + pos]] = True
                try:
                    values[lo + pos] = clock._add_us(u[lo:hi][pos], x[pos])
                except Exception:
                    good[lo + pos] = False
            out[idx] = values
            ok[idx] = good
        ok &= ~(added & ((out == NEVER_US) | (out < _LO) | (out > _HI)))
        self.dead[rows[~ok]] = True
        return out, ok

    def _fold_together(self, timed: Any, did: Any, due: Any, p: Any, r: Any, out: Any, added: Any) -> bool:
        """:meth:`_fold` of the positions ``timed`` by one engine call for every clock at once
        (``between``, then ``add`` where the clock time is positive), ``out`` and ``added``
        set; ``False`` (nothing set) where the engine leaves it to each clock."""
        np, t = self.np, self.t
        which = t.clock[did[timed]]
        if len(timed) < 2 or bool((which == which[0]).all()):
            return False  # one clock: its own calls
        clocks = t.clocks
        try:
            x = Calendar._between_rows_us(clocks, which, p[timed], r[timed])
            if x is None:
                return False
            pos = np.flatnonzero(x > 0)
            values = due[timed]
            if len(pos):
                moved = Calendar._add_rows_us(clocks, which[pos], values[pos], x[pos])
                if moved is None:
                    return False
                values[pos] = moved
        except Exception:
            return False  # each clock's own calls answer, or fail, for its rows
            added[timed[pos]] = True
        out[timed] = values
        return True

    def _best(self, did: Any, starts: Any) -> Any:
        """Each target's own deadline from ``starts``, one ``due_many`` per deadline, where the
        engine answers (elsewhere :data:`_NONE`: computed again, or declined, when needed).
        A target equal to the one before it (the same deadline from the same instant: a case's
        events of one instant) is computed once."""
        np, t = self.np, self.t
        exact = t.exact[did]
        if exact.any():
            out = np.where(exact, starts + t.lb[did], _NONE)
            timed = np.flatnonzero(~exact)
            d, u = did[timed], starts[timed]
        else:  # the prefetch asks for timed ones only
            out = np.full(len(did), _NONE, dtype=np.int64)
            timed = np.arange(len(did))
            d, u = did, starts
        fresh = np.ones(len(timed), dtype=bool)
        fresh[1:] = (d[1:] != d[:-1]) | (u[1:] != u[:-1])
        if not fresh.all():
            out[timed] = self._best(d[fresh], u[fresh])[np.cumsum(fresh) - 1]
            return out
        order, groups = _groups(np, did[timed])
        timed = timed[order]
        u = starts[timed]
        values = np.full(len(timed), _NONE, dtype=np.int64)
        for g, lo, hi in groups:
            try:
                values[lo:hi] = t.deadlines[g]._due_us(u[lo:hi])
            except Exception:
                continue
        bad = (values == NEVER_US) | (values < _LO) | (values > _HI)
        out[timed] = np.where(bad, _NONE, values)
        return out

    def prefetch(self, take: Any, seen: Any, case: Any) -> None:
        """Compute at once, one ``due_many`` per deadline (the engine's cost is mostly per
        call), the deadlines the replay will most likely need: the initial responses not met
        before their lower bound, the update cycles from every event at or before ``now`` that
        may start one (at the severity in effect after it; not where the next event meets it
        before its lower bound), and what a severity change may rebase or restart to. A few
        too many cost less than a call per deadline per round; one the engine cannot answer
        in bulk is computed when needed."""
        np, cols = self.np, self.cols
        m = len(cols.at)
        start = cols.first[case]
        pos = np.arange(m) - start
        kind = cols.kind
        inplay = take[case] & (pos < seen[case])
        # the initial response: not when the first support update meets it before its bound
        reply = np.full(len(cols), NEVER_US, dtype=np.int64)
        replies = np.flatnonzero(inplay & (kind == SUPPORT_UPDATE))
        first_reply = _run_starts(np, case[replies])  # the events are in case order
        has = case[replies[first_reply]]
        reply[has] = cols.at[replies[first_reply]]
        r = np.flatnonzero(take & (self.i_due == _NONE) & (reply > self.i_bound))
        self._reopen_windows(inplay, case)
        e, e_did = self._cycle_starts(inplay, seen, case, start, pos)
        known_did, known_at = self._changes(inplay, case, start, pos)
        if self.metrics is not None:  # the metrics' runs, from the opening and from events
            m_did, m_at = self.metrics.prefetch(take, seen, case, start, pos)
            known_did = np.concatenate((known_did, m_did))
            known_at = np.concatenate((known_at, m_at))
        # one due_many per deadline for all three
        values = self._best(
            np.concatenate((self.i_did[r], e_did, known_did)),
            np.concatenate((self.i_start[r], cols.at[e], known_at)),
        )
        self.i_due[r] = values[: len(r)]
        self.ev_base[e] = values[len(r) : len(r) + len(e)]
        self.ev_did[e] = e_did
        found = values[len(r) + len(e) :]
        have = found != _NONE
        self.known.fill(known_did[have], known_at[have], found[have])

    def _cycle_starts(self, inplay: Any, seen: Any, case: Any, start: Any, pos: Any) -> tuple[Any, Any]:
        """The events (and the update deadline ids at them) whose cycle's deadline to prefetch:
        those in play (of a case taken, at or before ``now``) that may start a cycle, unless
        the case's next event answers it before its lower bound."""
        np, cols, t = self.np, self.cols, self.t
        m = len(cols.at)
        kind = cols.kind
        # per (kind, status) code: may the event start a cycle, does it enter a closed status
        # (one small table each, one gather over the events; a status event's code -1 reads
        # as status 0, as ``np.maximum(status, 0)`` does)
        width = len(t.names) + 1
        code = kind.astype(np.int32) * width + (cols.status.astype(np.int32) + 1)
        may_start = np.zeros(4 * width, dtype=bool)
        closing = np.zeros(4 * width, dtype=bool)
        may_start[SUPPORT_UPDATE * width : (SUPPORT_UPDATE + 1) * width] = True
        if self.res.restart:
            may_start[SEVERITY * width : (SEVERITY + 1) * width] = True
        row = STATUS * width
        may_start[row + 1 : row + width] = ~t.stop
        closing[row + 1 : row + width] = t.closed
        may_start[row], closing[row] = may_start[row + 1], closing[row + 1]
        starts = may_start[code]
        # a customer update may reopen a case closed before it
        cu = np.flatnonzero(kind == CUSTOMER_UPDATE)
        if len(cu):
            shut = closing[code]
            closes = np.cumsum(shut)  # closing statuses up to each event
            first = start[cu]
            starts[cu] = closes[cu] > closes[first] - shut[first]
        e = np.flatnonzero(starts & inplay)
        ce = case[e]
        # the severity in effect after the event: the case's last change up to it, if any
        lv = self.sev[ce]
        sv = np.flatnonzero(kind == SEVERITY)
        if len(sv):  # only the events of cases that change severity look
            touched = np.zeros(len(cols), dtype=bool)
            touched[case[sv]] = True
            w = np.flatnonzero(touched[ce])
            ew = e[w]
            j = np.maximum(np.searchsorted(sv, ew, side="right") - 1, 0)
            changed = t.level_index(np, cols.level[sv])[0]
            within = (sv[j] <= ew) & (sv[j] >= start[ew])
            lv[w[within]] = changed[j[within]]
        did = t.update.ravel()[self.cust[ce] * t.update.shape[1] + lv]
        # none (-1), broken (-2) or exact: nothing to prefetch
        skip = np.concatenate((t.exact, [True, True]))[did]
        nxt = np.minimum(e + 1, m - 1)
        lb = np.concatenate((t.lb, [0, 0]))[did]
        answered = (pos[e] + 1 < seen[ce]) & (kind[nxt] == SUPPORT_UPDATE) & (cols.at[nxt] <= cols.at[e] + lb)
        keep = ~(skip | answered)
        return e[keep], did[keep]

    def _changes(self, inplay: Any, case: Any, start: Any, pos: Any) -> tuple[Any, Any]:
        """(deadline ids, starts) a severity change in play may rebase or restart to: the
        initial response from the opening (or the change), an update cycle from an earlier
        event."""
        np, cols, t = self.np, self.cols, self.t
        s = np.flatnonzero(inplay & (cols.kind == SEVERITY))
        sc = case[s]
        lv, _ = t.level_index(np, cols.level[s])
        init = t.initial[self.cust[sc], lv]
        upd = t.update[self.cust[sc], lv]
        before = pos[s]  # events of the case before the change
        pair = np.repeat(np.arange(len(s)), before)
        earlier = np.arange(len(pair)) - np.repeat(np.cumsum(before) - before, before) + start[s][pair]
        did = np.concatenate((init, init, upd[pair]))
        at = np.concatenate((self.i_start[sc], cols.at[s], cols.at[earlier]))
        keep = did >= 0
        did, at = did[keep], at[keep]
        keep = ~t.exact[did]
        return did[keep], at[keep]

    # -- deadlines and breaches -------------------------------------------------------------

    def initial_due(self, rows: Any) -> None:
        """Compute the initial response's deadline where it is not known yet."""
        rows = rows[(self.i_due[rows] == _NONE) & ~self.dead[rows]]
        if len(rows):
            values, ok = self._dues(rows, self.i_did[rows], self.i_start[rows])
            self.i_due[rows[ok]] = values[ok]

    def initial_breach(self, rows: Any, at: Any) -> None:
        """``Run.check_breach(at)`` of the initial response (never paused)."""
        m = (self.i_end[rows] == _RUNNING) & ~self.i_breached[rows] & (at > self.i_bound[rows])
        rows, at = rows[m], at[m]
        self.initial_due(rows)
        rows, at = self._alive(rows, at)
        self.i_breached[rows[self.i_due[rows] < at]] = True

    # -- the runs -----------------------------------------------------------------------------

    def finish_initial(self, rows: Any, end: Any, at: Any) -> None:
        """End the initial response (``met``, ``stopped`` or ``cancelled``) at ``at``."""
        self.i_end[rows] = end
        self.i_ended[rows] = at

    def start_cycle(self, rows: Any, at: Any) -> None:
        """``Replay.start_cycle``: a new update cycle where the severity promises updates."""
        if not len(rows):
            return
        did = self.t.update[self.cust[rows], self.sev[rows]]
        self.cycle.begin_next(rows, did, at, self._prefetched(rows, did, at))

    def _prefetched(self, rows: Any, did: Any, start: Any) -> Any:
        """The update deadlines from ``start`` on ``did`` prefetched for the events being
        applied (``_NONE`` where none was)."""
        e = self.cur_ev[rows]
        pre = (self.ev_did[e] == did) & (self.cols.at[e] == start)
        return self.np.where(pre, self.ev_base[e], _NONE)

    # -- the events ---------------------------------------------------------------------------

    def support_update(self, rows: Any, at: Any) -> None:
        """``Replay.support_update``: meets the initial response, or the running cycle, and
        starts the next cycle (not in a stop status)."""
        if not len(rows):
            return
        first = self.i_end[rows] == _RUNNING
        self.finish_initial(rows[first], _MET, at[first])
        go = ~self.t.stop[self.st[rows]]
        later = ~first & go
        b, b_at = rows[later], at[later]
        on = self.cycle.on[b]
        self.cycle.finish(b[on], _MET, b_at[on])
        self.start_cycle(rows[go], at[go])  # the first (no cycle ran) and the later ones alike

    def customer_update(self, rows: Any, at: Any) -> tuple[Any, Any, Any]:
        """``Replay.customer_update``'s status changes, for :meth:`set_status` (cases, new
        statuses, instants): a paused case back to ``in_progress``; a closed one ``reopened``
        within its reopen window (where its status reopens)."""
        np, t = self.np, self.t
        s = self.st[rows]
        paused = t.pause[s]
        r = rows[paused]
        moved, new, when = [r], [np.full(len(r), t.in_progress, dtype=np.int64)], [at[paused]]
        closed = ~paused & t.closed[s] & t.reopenable[s]
        if closed.any():
            r, r_at = rows[closed], at[closed]
            within = self._reopens(r, r_at)
            r, r_at = self._alive(r[within], r_at[within])
            moved.append(r)
            new.append(np.full(len(r), t.reopened, dtype=np.int64))
            when.append(r_at)
        return np.concatenate(moved), np.concatenate(new), np.concatenate(when)

    def _reopens(self, rows: Any, at: Any) -> Any:
        """Whether each ``at`` lies within its case's reopen window (from the first closure):
        ``lifecycle.reopen_until``, that is the window target resolved for the customer, its
        ``due_many`` once per customer (the scalar call per case where that fails)."""
        np = self.np
        window = self.res.lifecycle.reopen_window
        out = np.zeros(len(rows), dtype=bool)
        if window is None:
            return out
        closed = self.fclosed[rows]
        pre = (self.r_from[rows] == closed) & (closed != _NONE)  # prefetched
        out[pre] = at[pre] <= self.r_until[rows[pre]]
        rest = np.flatnonzero(~pre)
        order, groups = _groups(np, self.cust[rows[rest]])
        for c, lo, hi in groups:
            part = rest[order[lo:hi]]
            closed = self.fclosed[rows[part]]
            try:
                deadline = window.resolve(self.cols.customers[c], self.res.clocks)
                until = deadline._due_us(closed)
                if bool(((until == NEVER_US) | (until < _LO) | (until > _HI)).any()):
                    raise ValueError("out of range")
                out[part] = (at[part] <= until) & (closed != _NONE)
            except Exception:
                pairs = zip(rows[part].tolist(), at[part].tolist(), strict=True)
                out[part] = [self._within(i, a) for i, a in pairs]
        return out

    def _reopen_windows(self, inplay: Any, case: Any) -> None:
        """Prefetch each case's reopen window (``lifecycle.reopen_until``) from its first
        closure, the first status event at or before ``now`` that enters a closed status (the
        replay checks that it is), one ``due_many`` per customer; left unknown where the
        engine cannot answer (computed when needed)."""
        np, cols, t = self.np, self.cols, self.t
        window = self.res.lifecycle.reopen_window
        if window is None or not (t.closed & t.reopenable).any():
            return
        closing = inplay & (cols.kind == STATUS)
        closing &= t.closed.take(np.maximum(cols.status, 0))
        ev = np.flatnonzero(closing)
        first = _run_starts(np, case[ev])  # the events are in case order
        rows = case[ev[first]]
        closed = cols.at[ev[first]]
        order, groups = _groups(np, self.cust[rows])
        for c, lo, hi in groups:
            part = order[lo:hi]
            try:
                deadline = window.resolve(cols.customers[c], self.res.clocks)
                until = deadline._due_us(closed[part])
            except Exception:
                continue
            good = (until != NEVER_US) & (until >= _LO) & (until <= _HI)
            r = rows[part[good]]
            self.r_from[r] = closed[part[good]]
            self.r_until[r] = until[good]

    def _within(self, i: int, at: int) -> bool:
        """Whether ``at`` lies within the reopen window of case ``i`` (its first closure on)."""
        key = (int(self.cust[i]), int(self.fclosed[i]))
        if key[1] == _NONE:
            return False
        if key not in self.reopen:
            customer = self.cols.customers[key[0]]
            try:
                until = self.res.lifecycle.reopen_until(from_us(key[1]), customer, self.res.clocks)
                self.reopen[key] = None if until is None else to_us(until)
            except Exception:
                self.dead[i] = True
                return False
        until_us = self.reopen[key]
        return until_us is not None and at <= until_us

    def set_status(self, rows: Any, new: Any, at: Any) -> None:
        """``Replay.set_status``: the closure, the initial response, then the cycle."""
        t = self.t
        old = self.st[rows]
        m = new != old
        rows, new, at, old = rows[m], new[m], at[m], old[m]
        if not len(rows):
            return
        self.st[rows] = new
        closing = t.closed[new]
        first = closing & (self.fclosed[rows] == _NONE)
        self.fclosed[rows[first]] = at[first]
        ending = closing & (self.i_end[rows] == _RUNNING)
        r = rows[ending]
        self.finish_initial(r, self.np.where(self.i_breached[r], _STOPPED, _CANCELLED), at[ending])
        on = self.cycle.follow(rows, old, new, at)
        m = ~on & t.stop[old] & ~t.stop[new] & (self.i_end[rows] != _RUNNING)
        self.start_cycle(rows[m], at[m])
        if self.metrics is not None:
            self.metrics.status(rows, old, new, at)

    def change_severity(self, rows: Any, new: Any, at: Any) -> None:
        """``Replay.change_severity``: restart or rebase each running, unbreached run."""
        np, t = self.np, self.t
        m = new != self.sev[rows]
        rows, new, at = rows[m], new[m], at[m]
        if not len(rows):
            return
        self.sev[rows] = new
        if self.metrics is not None:
            self.metrics.severity(rows, at)
        restart = self.res.restart
        # the initial response
        m = (self.i_end[rows] == _RUNNING) & ~self.i_breached[rows]
        r, lv, a = rows[m], new[m], at[m]
        did = t.initial[self.cust[r], lv]
        self.dead[r[did == _BROKEN]] = True
        gone = did == -1
        self.finish_initial(r[gone], _STOPPED, a[gone])
        keep = did >= 0
        r, lv, a, did = r[keep], lv[keep], a[keep], did[keep]
        self.i_did[r] = did
        self.i_sev[r] = lv
        if restart:
            self.i_start[r] = a
        bound = self._bound(r, self.i_start[r], did)
        self.i_bound[r] = bound
        self.i_due[r] = np.where(t.exact[did], bound, _NONE)
        if not restart:
            self.initial_breach(r, a)
        # the update cycle
        c = self.cycle
        m = c.on[rows] & ~c.breached[rows]
        r, lv, a = rows[m], new[m], at[m]
        did = t.update[self.cust[r], lv]
        c.retarget(r, a, did, self._prefetched(r, did, a))

    def apply(self, rows: Any, ev: Any) -> None:
        """One round: event ``ev[j]`` of case ``rows[j]``, breaches first. Each case has one
        event in a round, so the events of different kinds apply to different cases: their
        status changes are made together."""
        np, cols = self.np, self.cols
        at = cols.at[ev]
        self.initial_breach(rows, at)
        self.cycle.breach(rows, at)
        if self.metrics is not None:
            self.metrics.breach(rows, at)
        rows, ev, at = self._alive(rows, ev, at)
        self.cur_ev[rows] = ev
        kind = cols.kind[ev]
        m = kind == SUPPORT_UPDATE
        if self.metrics is not None:
            self.metrics.support_update(rows[m], at[m])
        self.support_update(rows[m], at[m])
        m = kind == CUSTOMER_UPDATE
        c_rows, c_at = rows[m], at[m]
        moved, new, when = self.customer_update(c_rows, c_at)
        # the status events and the customer updates' changes at once (other cases)
        m = kind == STATUS
        status = cols.status[ev[m]].astype(np.int64)
        self.set_status(
            np.concatenate((moved, rows[m])), np.concatenate((new, status)), np.concatenate((when, at[m]))
        )
        if self.metrics is not None:  # after the case's status change, as the scalar replay
            self.metrics.fire(c_rows, c_at, ("customer_update",))
        m = kind == SEVERITY
        level, _ = self.t.level_index(np, cols.level[ev[m]])
        self.change_severity(rows[m], level, at[m])


def _ranked(np: Any, case: Any, at: Any) -> tuple[Any, Any, Any]:
    """(case, instant, rank within its case) sorted by case, each case's entries in the given order."""
    order = _stable_order(np, case)
    case, at = case[order], at[order]
    start = np.concatenate(([True], case[1:] != case[:-1])) if len(case) else np.zeros(0, dtype=bool)
    first = np.maximum.accumulate(np.where(start, np.arange(len(case)), 0)) if len(case) else case
    return case, at, np.arange(len(case)) - first


def _screen(np: Any, cols: CaseColumns, t: _Tables, now: int) -> tuple[Any, Any, Any, Any, Any]:
    """(declined, level index, events at or before ``now``, all events) per case, before any
    replay: unknown names, too many events, instants near the year limits; and per event,
    its case."""
    n = len(cols)
    first = cols.first
    total = first[1:] - first[:-1]
    case = np.repeat(np.arange(n), total)
    level, known = t.level_index(np, cols.severity)
    declined = ~known | (cols.opened < _LO) | (cols.opened > _HI)
    seen = total.copy()
    if len(cols.at):
        at, kind = cols.at, cols.kind
        bad = (at < _LO) | (at > _HI)
        bad |= (kind == STATUS) & ~t.valid.take(np.maximum(cols.status, 0))
        sv = np.flatnonzero(kind == SEVERITY)
        bad[sv[~t.level_index(np, cols.level[sv])[1]]] = True
        declined[case[bad]] = True
        seen -= np.bincount(case[at > now], minlength=n)
    declined |= seen > MAX_EVENTS
    return declined, level, seen, total, case


@dataclass(frozen=True, slots=True)
class AlertRows:
    """The alerts of :attr:`Checked.alerts` as columns, one row per alert in the same order
    (by case, then each case's own alert order), for writing them in bulk (``slocalc
    check --format json``).

    Attributes:
        case: the case index of each alert (``int64``, ascending).
        late: whether it is ``breached`` (else ``at_risk``).
        answered: whether a late update answered it (``met_at`` is set).
        due: ``due_at`` in UTC microseconds (``int64``).
        met: ``met_at`` in UTC microseconds where ``answered``.
        late_by: ``breached_by`` in microseconds where ``late``.
        remaining: ``remaining`` in microseconds where not ``late``.
        budget: ``budget`` in microseconds where not ``late``.
        zone: the code of the alert instants' tzinfo in ``zones``.
        zones: the tzinfo of each code (the batch's ``opened_at`` zones).
        metric: each alert's ``metric``.
        cycle: each alert's ``cycle``.
        severity: each alert's ``severity``.
    """

    case: Any
    late: Any
    answered: Any
    due: Any
    met: Any
    late_by: Any
    remaining: Any
    budget: Any
    zone: Any
    zones: list[tzinfo]
    metric: list[str]
    cycle: list[int]
    severity: list[int]


class ByCase(Mapping[int, list[Alert]]):
    """The alerts of a batch by case index (a case without alerts is not a key), made from
    the list of every alert in case order when first looked up: a caller that wants the
    list (:meth:`Checked.every_alert`) makes no list per case.

    >>> found = ByCase(["a1", "a2", "b1"], [4, 7], [0, 2, 3])  # (strings standing for alerts)
    >>> dict(found), found.get(5), len(found), found.every
    ({4: ['a1', 'a2'], 7: ['b1']}, None, 2, ['a1', 'a2', 'b1'])
    """

    __slots__ = ("_bounds", "_cases", "_made", "every")

    def __init__(self, every: list[Any], cases: list[int], bounds: list[int]) -> None:
        self.every: list[Alert] = every
        self._cases = cases
        self._bounds = bounds  # case k's alerts are every[bounds[k]:bounds[k + 1]]
        self._made: dict[int, list[Alert]] | None = None

    def _dict(self) -> dict[int, list[Alert]]:
        made = self._made
        if made is None:
            every, bounds = self.every, self._bounds
            made = self._made = {
                i: every[a:b] for i, a, b in zip(self._cases, bounds[:-1], bounds[1:], strict=True)
            }
        return made

    def __getitem__(self, i: int) -> list[Alert]:
        return self._dict()[i]

    def __iter__(self) -> Iterator[int]:
        return iter(self._cases)

    def __len__(self) -> int:
        return len(self._cases)

    def __contains__(self, i: object) -> bool:
        return i in self._dict()

    def get(self, i: int, default: Any = None) -> Any:  # (Mapping.get would raise and catch)
        return self._dict().get(i, default)

    def items(self) -> Any:
        return self._dict().items()

    def values(self) -> Any:
        return self._dict().values()


@dataclass(frozen=True, slots=True)
class Checked:
    """What :func:`replay_columns` finds for a batch, as columns (no object per case).

    Attributes:
        replayed: per case, whether it was replayed (opened by ``now`` and taken).
        skipped: per case, whether it was opened after ``now`` (taken, not replayed).
        declined: per case, whether the columnar replay declined it (check it with
            :func:`~slocalc.cases.check_case`).
        severity: per case, the severity at ``now`` (a skipped case's opening severity).
        status: per case, the code of its status at ``now`` in ``statuses`` (-1: not replayed).
        statuses: the status names the codes stand for.
        future: per case, its events after ``now`` (all of a skipped case's).
        alerts: the alerts of each replayed case that has any, by case index.
        rows: the same alerts as columns (:class:`AlertRows`).
    """

    replayed: Any
    skipped: Any
    declined: Any
    severity: Any
    status: Any
    statuses: list[str]
    future: Any
    alerts: Mapping[int, list[Alert]]
    rows: AlertRows | None = None

    def every_alert(self) -> list[Alert]:
        """Every alert of :attr:`alerts`, in case order (each case's in its own order)."""
        if isinstance(self.alerts, ByCase):
            return self.alerts.every
        return [a for i in sorted(self.alerts) for a in self.alerts[i]]

    def verdict(self, i: int) -> Verdict:
        """Replayed case ``i``'s :attr:`CaseCheck.verdict <slocalc.cases.CaseCheck.verdict>`."""
        return verdict_of(self.alerts.get(i, ()))


def replay_columns(cols: CaseColumns, policy: Policy, now: datetime, share: Fraction) -> Checked:
    """Every case of ``cols`` at ``now`` replayed at once, the results as columns.

    Args:
        cols: the batch.
        policy: the policy.
        now: the instant of the check (aware).
        share: the exact at-risk share (:func:`~slocalc.cases.at_risk_share`).

    Returns:
        The results: per replayed or skipped case what ``check_case(cols.case(i), policy,
        now=now, at_risk=share)`` gives (:func:`check_columns` makes those ``CaseCheck``s).

    >>> from datetime import UTC, datetime
    >>> from fractions import Fraction
    >>> from slocalc.cases import Case, Event
    >>> from slocalc.cases._columns import columns_from_cases
    >>> from slocalc.policies import RAPID7, Customer
    >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    >>> case = Case(id="C-7", severity=1, opened_at=t0, customer=Customer(tz="UTC"),
    ...     events=[Event(at=t0.replace(hour=12), kind="support_update")])
    >>> found = replay_columns(columns_from_cases([case]), RAPID7, t0.replace(hour=14), Fraction(3, 4))
    >>> found.replayed.tolist(), found.severity.tolist(), [a.label for a in found.alerts[0]]
    ([True], [1], ['initial response'])
    """
    import numpy as np

    n = len(cols)
    res = resolver_for(policy)
    now_us = to_us(now)
    if n == 0 or not _LO <= now_us <= _HI:
        none = np.zeros(n, dtype=bool)
        return Checked(
            none, none, ~none, cols.severity, np.full(n, -1, dtype=np.int64), [], cols.severity, {}
        )
    t = _Tables(np, cols, res)
    declined, level, seen, total, case = _screen(np, cols, t, now_us)
    state = _Replay(np, cols, res, t, now_us, level)
    try:
        state.dead |= declined
        opened = cols.opened <= now_us
        state.prefetch(opened & ~state.dead, seen, case)
        if state.metrics is not None:
            state.metrics.opened(np.flatnonzero(opened & ~state.dead))
        todo = np.flatnonzero(opened & ~state.dead & (seen > 0))
        for k in range(int(seen[todo].max()) if len(todo) else 0):
            todo = todo[(seen[todo] > k) & ~state.dead[todo]]
            state.apply(todo, cols.first[todo] + k)
        rows = np.flatnonzero(opened & ~state.dead)
        at = np.full(len(rows), now_us, dtype=np.int64)
        state.initial_breach(rows, at)
        state.cycle.breach(rows, at)
        if state.metrics is not None:
            state.metrics.breach(rows, at)
        alerts, alert_rows = _alerts(np, state, np.flatnonzero(opened & ~state.dead), share)
        dead = state.dead
        replayed = opened & ~dead
        skipped = ~opened & ~dead
        return Checked(
            replayed,
            skipped,
            dead.copy(),
            np.where(replayed, t.levels[state.sev], cols.severity),
            np.where(replayed, state.st, -1),
            list(t.names),
            np.where(replayed, total - seen, total),
            alerts,
            alert_rows,
        )
    finally:
        state.release()


def check_columns(
    cols: CaseColumns, policy: Policy, now: datetime, share: Fraction
) -> list[CaseCheck | None]:
    """Each case of ``cols`` at ``now``, as :func:`~slocalc.cases.check_case` gives it, or ``None``.

    Args:
        cols: the batch.
        policy: the policy.
        now: the instant of the check (aware).
        share: the exact at-risk share (:func:`~slocalc.cases.at_risk_share`).

    Returns:
        Per case, in batch order: its ``CaseCheck``, equal to ``check_case(cols.case(i),
        policy, now=now, at_risk=share)``; or ``None`` where the columnar replay declines the
        case (run the scalar ``check_case`` on it: it also raises any error the case has).

    >>> from datetime import UTC, datetime
    >>> from fractions import Fraction
    >>> from slocalc.cases import Case, Event
    >>> from slocalc.cases._columns import columns_from_cases
    >>> from slocalc.policies import RAPID7, Customer
    >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    >>> case = Case(id="C-7", severity=1, opened_at=t0, customer=Customer(tz="UTC"),
    ...     events=[Event(at=t0.replace(hour=12), kind="support_update")])
    >>> [seen] = check_columns(columns_from_cases([case]), RAPID7, t0.replace(hour=14), Fraction(3, 4))
    >>> [(a.label, a.kind, str(a.breached_by)) for a in seen.alerts]  # due 11:00, answered 12:00
    [('initial response', 'breached', '1:00:00')]
    """
    found = replay_columns(cols, policy, now, share)
    n = len(cols)
    empty: tuple[Alert, ...] = ()
    alerts: list[tuple[Alert, ...]] = [empty] * n
    for i, a in found.alerts.items():
        alerts[i] = tuple(a)
    names = [*found.statuses, None]  # code -1: no status (a case not replayed)
    skipped: list[SkipReason | None] = [None] * n
    for i in found.skipped.nonzero()[0].tolist():
        skipped[i] = "opened_after_now"
    columns: dict[str, Iterable[Any]] = {
        "case_id": cols.ids,
        "severity": found.severity.tolist(),
        "status": map(names.__getitem__, found.status.tolist()),
        "alerts": alerts,
        "future_events": found.future.tolist(),
        "skipped": skipped,
    }
    out: list[CaseCheck | None] = list(_make_checks(n, columns))
    for i in found.declined.nonzero()[0].tolist():
        out[i] = None
    return out


def _alerts(np: Any, s: _Replay, rows: Any, share: Fraction) -> tuple[ByCase, AlertRows]:
    """The alerts of the replayed cases ``rows`` at ``now``, per case, in ``_collect``'s order:
    the initial response, then the update cycles by index, then the metrics defined as data
    (in ``res.metrics`` order, each one's runs in order); and the same as columns."""
    now, t = s.now, s.t
    den, num = share.denominator, share.numerator
    # (case, group, rank, cycle, kind 0 breached/1 at risk, due, level, met, breached_by,
    # remaining, budget): group 0 is the guidebook's two (ranked by cycle), group k + 1 the
    # k-th metric defined as data (ranked by run)
    parts: list[tuple[Any, ...]] = []

    def guidebook(part: tuple[Any, ...]) -> None:
        parts.append((part[0], np.zeros(len(part[0]), dtype=np.int64), part[1], *part[1:]))

    def breached(r: Any, cycle: Any, due: Any, lv: Any, met: Any, ended: Any) -> None:
        z = np.zeros(len(r), dtype=np.int64)
        guidebook((r, cycle, z, due, lv, met, np.where(ended == _NONE, now, ended) - due, z, z))

    r = rows[s.i_breached[rows]]
    met = np.where(s.i_end[r] == _MET, s.i_ended[r], _NONE)
    breached(r, np.zeros(len(r), dtype=np.int64), s.i_due[r], s.i_sev[r], met, s.i_ended[r])
    # pending targets at risk
    r = rows[(s.i_end[rows] == _RUNNING) & ~s.i_breached[rows]]
    s.initial_due(r)
    (r,) = s._alive(r)
    guidebook(
        _at_risk(
            np,
            s,
            r,
            np.zeros(len(r), dtype=np.int64),
            s.i_did[r],
            s.i_start[r],
            s.i_due[r],
            s.i_due[r],
            s.i_sev[r],
            num,
            den,
        )
    )
    parts += s.cycle.parts(rows, num, den)
    if s.metrics is not None:
        parts += s.metrics.parts(rows, num, den)
    cat = [np.concatenate([p[j] for p in parts]) for j in range(11)]
    case, group, rank = cat[0], cat[1], cat[2]
    keep = ~s.dead[case]
    order = np.lexsort((rank[keep], group[keep], case[keep]))
    pick = np.flatnonzero(keep)[order]
    cols = s.cols
    case, group, _, cycle, kind, due, level, met, late_by, remaining, budget = (a[pick] for a in cat)
    late = kind == 0  # else at risk: a pending target, with its remaining time and budget
    zone = cols.zone[case]
    answered = late & (met != _NONE)
    # the deadlines, then the late updates that answered, converted together
    made_at = _instants(
        np, np.concatenate((due, met[answered])), np.concatenate((zone, zone[answered])), cols.zones
    )
    dues = made_at[: len(due)]
    met_at = np.full(len(pick), None, dtype=object)
    met_at[answered] = made_at[len(due) :]
    mets: list[datetime | None] = met_at.tolist()

    def spans(values: Any, where: Any) -> list[timedelta | None]:
        made = np.full(len(values), None, dtype=object)  # a timedelta only where one is shown
        made[where] = values[where].astype("timedelta64[us]").astype(object)
        out: list[timedelta | None] = made.tolist()
        return out

    metrics = [INITIAL_RESPONSE, UPDATE, *(spec.name for spec in s.res.metrics)]
    metric = np.where(group > 0, group + 1, cycle != 0)
    names: list[str] = list(map(metrics.__getitem__, metric.tolist()))
    cycles: list[int] = cycle.tolist()
    levels: list[int] = t.levels[level].tolist()
    made = _make_alerts(
        len(pick),
        {
            "case_id": map(cols.ids.__getitem__, case.tolist()),
            "metric": names,
            "kind": map(("at_risk", "breached").__getitem__, late.tolist()),
            "due_at": dues,
            "cycle": cycles,
            "severity": levels,
            "met_at": mets,
            "breached_by": spans(late_by, late),
            "remaining": spans(remaining, ~late),
            "budget": spans(budget, ~late),
        },
    )
    # each case's alerts are consecutive (sorted by case first)
    firsts = np.flatnonzero(np.concatenate(([True], case[1:] != case[:-1]))) if len(case) else case
    bounds = np.append(firsts, len(case)).tolist()
    by_case = ByCase(made, case[firsts].tolist(), bounds)
    table = AlertRows(
        case, late, answered, due, met, late_by, remaining, budget, zone, cols.zones, names, cycles, levels
    )
    return by_case, table


def _instants(np: Any, us: Any, zone: Any, zones: list[tzinfo]) -> list[datetime]:
    """The datetimes of ``us`` (UTC microseconds), each in its case's zone ``zones[zone[k]]``
    (as ``utc_to(tz)(from_us(us[k]))``), converted a zone at a time."""
    if not len(us):
        return []
    first = int(zone[0])
    if bool((zone == first).all()):  # one zone (the usual batch): no scatter
        return from_us_many(np, us, zones[first])
    out = np.empty(len(us), dtype=object)
    for z in np.unique(zone).tolist():
        rows = np.flatnonzero(zone == z)
        made = np.empty(len(rows), dtype=object)
        made[:] = from_us_many(np, us[rows], zones[z])
        out[rows] = made
    found: list[datetime] = out.tolist()
    return found


def _at_risk(
    np: Any,
    s: _Replay,
    r: Any,
    cycle: Any,
    did: Any,
    start: Any,
    base: Any,
    due: Any,
    lv: Any,
    num: int,
    den: int,
) -> tuple[Any, ...]:
    """The at-risk alerts among pending targets: used at least ``num/den`` of their clock time,
    i.e. ``budget * (den - num) >= remaining * den`` (``_collect``'s test, exactly)."""
    now = np.full(len(r), s.now, dtype=np.int64)
    left, ok = s._between(r, did, now, due)
    quick = ok & _ge_scaled(np, base - start, den - num, left, den)
    q = np.flatnonzero(quick)
    budget, ok = s._between(r[q], did[q], start[q], base[q])
    risky = ok & _ge_scaled(np, budget, den - num, left[q], den)
    q = q[risky]
    z = np.full(len(q), _NONE, dtype=np.int64)
    return (r[q], cycle[q], np.ones(len(q), dtype=np.int64), due[q], lv[q], z, z, left[q], budget[risky])
