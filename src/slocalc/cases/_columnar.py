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
the clock's ``between_many``/``add_many``, grouped by deadline or clock; only on ``ALWAYS``
(elapsed time) is a pause plain µs arithmetic, as in the scalar run. The engine's cost is
mostly per call, so the deadlines a replay most likely needs are *prefetched* before the
rounds, one ``due_many`` per deadline: each initial response's, the update cycle's from each
event at or before ``now`` (at the severity in effect after it), the other metrics' (from
the opening and from the events that may start them), and those a severity change may
rebase or restart to. The rest (and any the engine could not answer in bulk) are computed
when needed, one call per deadline per round. Finished breached cycles are recorded as they
finish; the ``Alert`` and ``CaseCheck`` objects are built once, at the end.

Declined (``None``): a case with an unknown status or severity (the scalar path raises the
error), more than :data:`MAX_EVENTS` events at or before ``now``, an instant outside the
years 10-9979, a deadline the policy cannot resolve, or an engine error (or a missing
answer) in a group of cases computed together.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

from slocalc._time import from_us, td_to_us, to_us, year_start_us
from slocalc.calendars import NEVER_US, Calendar
from slocalc.cases._columns import CUSTOMER_UPDATE, SEVERITY, STATUS, SUPPORT_UPDATE, CaseColumns
from slocalc.cases._evaluate import _out
from slocalc.cases._report import Alert, CaseCheck
from slocalc.cases._resolver import Resolver, customer_key, resolver_for
from slocalc.policies import INITIAL_RESPONSE, UPDATE, Deadline, Policy

if TYPE_CHECKING:
    from slocalc.cases._columnar_metrics import Metrics

__all__ = ["MAX_EVENTS", "check_columns"]

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


def _groups(np: Any, keys: Any) -> Iterator[tuple[int, Any]]:
    """``(key, positions)`` for each distinct value of the int array ``keys``."""
    if len(keys) == 0:
        return
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    cuts = np.flatnonzero(k[1:] != k[:-1]) + 1
    for part in np.split(order, cuts):
        yield int(keys[part[0]]), part


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


class _Replay:
    """The state of every case of a batch as its events are applied round by round.

    ``i_*`` arrays hold the initial response, ``c_*`` the running (or last) update cycle;
    instants are UTC µs, :data:`_NONE` where not known. ``c_due`` is the cycle's deadline with
    the pauses resumed so far folded in (``c_base`` without them): both unknown until needed.
    ``c_pause`` is the start of the open pause that counts (cleared once a pause began at or
    after the deadline: ``c_frozen``, no later pause moves it, as the scalar run's rule).
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
        # the update cycle
        self.c_on = np.zeros(n, dtype=bool)
        self.c_idx = np.zeros(n, dtype=np.int64)
        self.c_did = np.zeros(n, dtype=np.int64)
        self.c_sev = np.zeros(n, dtype=np.int64)
        self.c_start = np.zeros(n, dtype=np.int64)
        self.c_bound = np.zeros(n, dtype=np.int64)
        self.c_base = np.full(n, _NONE, dtype=np.int64)
        self.c_due = np.full(n, _NONE, dtype=np.int64)
        self.c_pause = np.full(n, _NONE, dtype=np.int64)
        self.c_frozen = np.zeros(n, dtype=bool)
        self.c_breached = np.zeros(n, dtype=bool)
        self.c_paused_ever = np.zeros(n, dtype=bool)
        #: the cycle's run: a new cycle and a restart begin a new one (with no pauses)
        self.c_gen = np.zeros(n, dtype=np.int64)
        #: every pause begun or ended, for a rebase: (cases, runs, instants, begun) per call
        self.pauses: list[tuple[Any, Any, Any, bool]] = []
        #: per event: the update deadline a cycle started by it has (prefetched), and its id
        self.ev_base = np.full(len(cols.at), _NONE, dtype=np.int64)
        self.ev_did = np.full(len(cols.at), -1, dtype=np.int64)
        #: per case: the event being applied
        self.cur_ev = np.zeros(n, dtype=np.int64)
        #: prefetched deadlines a severity change may need, by (deadline id, start)
        self.known: dict[tuple[int, int], int] = {}
        #: finished breached cycles: (cases, cycles, levels, dues, met, ended) per finish
        self.done: list[tuple[Any, ...]] = []
        #: the metrics defined as data (``None`` when the policy tracks none)
        self.metrics: Metrics | None = None
        if res.metrics:
            from slocalc.cases._columnar_metrics import Metrics

            self.metrics = Metrics(self, t.metrics)

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

    def _checked(self, rows: Any, part: Any, values: Any, ok: Any) -> None:
        """Mark the cases whose answers are missing or out of range in ``values``."""
        bad = (values == NEVER_US) | (values < _LO) | (values > _HI)
        ok[part[bad]] = False
        self.dead[rows[part[bad]]] = True

    def _dues(self, rows: Any, did: Any, starts: Any) -> tuple[Any, Any]:
        """Each target's own deadline from ``starts`` (one ``due_many`` per deadline); ``ok`` is
        ``False`` (and the case declined) where the engine could not answer."""
        np, t = self.np, self.t
        out = starts + t.lb[did]
        ok = np.ones(len(rows), dtype=bool)
        timed = np.flatnonzero(~t.exact[did])
        if self.known and len(timed):
            keys = zip(did[timed].tolist(), starts[timed].tolist(), strict=True)
            got = np.array([self.known.get(key, _NONE) for key in keys], dtype=np.int64)
            have = got != _NONE
            out[timed[have]] = got[have]
            timed = timed[~have]
        self._grouped(rows, timed, did[timed], lambda g, p: t.deadlines[g].due_many(starts[p]), out, ok)
        return out, ok

    def _grouped(
        self, rows: Any, idx: Any, keys: Any, call: Any, out: Any, ok: Any, *, instants: bool = True
    ) -> None:
        """``out[p] = call(key, p)`` for the positions ``p`` of ``idx`` sharing each key of
        ``keys`` (a deadline or a clock: one engine call each); where the engine raises, or
        (``instants``) answers no instant in range, ``ok`` is ``False`` and the case declined."""
        for g, part in _groups(self.np, keys):
            part = idx[part]
            try:
                values = call(g, part)
            except Exception:
                ok[part] = False
                self.dead[rows[part]] = True
                continue
            out[part] = values
            if instants:
                self._checked(rows, part, values, ok)

    def _between(self, rows: Any, did: Any, a: Any, b: Any) -> tuple[Any, Any]:
        """Clock time from ``a`` to ``b`` on each deadline's clock (elapsed time on ``ALWAYS``)."""
        np, t = self.np, self.t
        out = b - a
        ok = np.ones(len(rows), dtype=bool)
        timed = np.flatnonzero(~t.elapsed[did])
        call = lambda g, p: t.clocks[g].between_many(a[p], b[p])  # noqa: E731
        self._grouped(rows, timed, t.clock[did[timed]], call, out, ok, instants=False)
        return out, ok

    def _add(self, rows: Any, did: Any, u: Any, d: Any) -> tuple[Any, Any]:
        """``u`` plus clock time ``d`` on each deadline's clock (``d > 0``)."""
        np, t = self.np, self.t
        out = u + d
        ok = np.ones(len(rows), dtype=bool)
        timed = np.flatnonzero(~t.elapsed[did])
        self._grouped(
            rows, timed, t.clock[did[timed]], lambda g, p: t.clocks[g].add_many(u[p], d[p]), out, ok
        )
        bad = ok & ((out < _LO) | (out > _HI))
        ok &= ~bad
        self.dead[rows[bad]] = True
        return out, ok

    def _best(self, did: Any, starts: Any) -> Any:
        """Each target's own deadline from ``starts``, one ``due_many`` per deadline, where the
        engine answers (elsewhere :data:`_NONE`: computed again, or declined, when needed)."""
        np, t = self.np, self.t
        out = np.where(t.exact[did], starts + t.lb[did], _NONE)
        timed = np.flatnonzero(~t.exact[did])
        for g, part in _groups(np, did[timed]):
            part = timed[part]
            try:
                values = t.deadlines[g].due_many(starts[part])
            except Exception:
                continue
            bad = (values == NEVER_US) | (values < _LO) | (values > _HI)
            out[part] = np.where(bad, _NONE, values)
        return out

    def prefetch(self, take: Any, seen: Any) -> None:
        """Compute at once, one ``due_many`` per deadline (the engine's cost is mostly per
        call), the deadlines the replay will most likely need: the initial responses not met
        before their lower bound, the update cycles from every event at or before ``now`` that
        may start one (at the severity in effect after it; not where the next event meets it
        before its lower bound), and what a severity change may rebase or restart to. A few
        too many cost less than a call per deadline per round; one the engine cannot answer
        in bulk is computed when needed."""
        np, cols = self.np, self.cols
        m = len(cols.at)
        total = cols.first[1:] - cols.first[:-1]
        case = np.repeat(np.arange(len(cols)), total)
        start = cols.first[case]
        pos = np.arange(m) - start
        kind = cols.kind
        inplay = take[case] & (pos < seen[case])
        # the initial response: not when the first support update meets it before its bound
        reply = np.full(len(cols), NEVER_US, dtype=np.int64)
        replies = np.flatnonzero(inplay & (kind == SUPPORT_UPDATE))
        has, first_reply = np.unique(case[replies], return_index=True)
        reply[has] = cols.at[replies[first_reply]]
        r = np.flatnonzero(take & (self.i_due == _NONE) & (reply > self.i_bound))
        e, e_did = self._cycle_starts(take, seen, case, start, pos)
        known_did, known_at = self._changes(take, seen, case, start, pos)
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
        self.known = {
            (d, a): v
            for d, a, v in zip(
                known_did.tolist(), known_at.tolist(), values[len(r) + len(e) :].tolist(), strict=True
            )
            if v != _NONE
        }

    def _cycle_starts(self, take: Any, seen: Any, case: Any, start: Any, pos: Any) -> tuple[Any, Any]:
        """The events (and the update deadline ids at them) whose cycle's deadline to prefetch:
        those that may start a cycle, unless the case's next event answers it before its
        lower bound."""
        np, cols, t = self.np, self.cols, self.t
        m = len(cols.at)
        kind = cols.kind
        status = np.maximum(cols.status, 0)
        starts = (kind == SUPPORT_UPDATE) | ((kind == STATUS) & ~t.stop[status])
        # a customer update may reopen a case closed before it
        closes = np.concatenate(([0], np.cumsum((kind == STATUS) & t.closed[status])))
        starts |= (kind == CUSTOMER_UPDATE) & (closes[:-1] > closes[start])
        if self.res.restart:
            starts |= kind == SEVERITY
        e = np.flatnonzero(starts & take[case] & (pos < seen[case]))
        ce = case[e]
        # the severity in effect after the event: the case's last change up to it, if any
        last = np.maximum.accumulate(np.where(kind == SEVERITY, np.arange(m), -1))[e]
        level, _ = t.level_index(np, cols.level[np.maximum(last, 0)])
        did = t.update[self.cust[ce], np.where(last >= start[e], level, self.sev[ce])]
        keep = did >= 0
        e, ce, did = e[keep], ce[keep], did[keep]
        keep = ~t.exact[did]
        e, ce, did = e[keep], ce[keep], did[keep]
        nxt = np.minimum(e + 1, m - 1)
        answered = (
            (pos[e] + 1 < seen[ce]) & (kind[nxt] == SUPPORT_UPDATE) & (cols.at[nxt] <= cols.at[e] + t.lb[did])
        )
        return e[~answered], did[~answered]

    def _changes(self, take: Any, seen: Any, case: Any, start: Any, pos: Any) -> tuple[Any, Any]:
        """(deadline ids, starts) a severity change may rebase or restart to: the initial
        response from the opening (or the change), an update cycle from an earlier event."""
        np, cols, t = self.np, self.cols, self.t
        s = np.flatnonzero(take[case] & (pos < seen[case]) & (cols.kind == SEVERITY))
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

    def cycle_due(self, rows: Any) -> None:
        """Compute the cycle's own deadline where it is not known yet (no pause folded then)."""
        rows = rows[(self.c_due[rows] == _NONE) & ~self.dead[rows]]
        if len(rows):
            values, ok = self._dues(rows, self.c_did[rows], self.c_start[rows])
            self.c_base[rows[ok]] = values[ok]
            self.c_due[rows[ok]] = values[ok]

    def initial_breach(self, rows: Any, at: Any) -> None:
        """``Run.check_breach(at)`` of the initial response (never paused)."""
        m = (self.i_end[rows] == _RUNNING) & ~self.i_breached[rows] & (at > self.i_bound[rows])
        rows, at = rows[m], at[m]
        self.initial_due(rows)
        rows, at = self._alive(rows, at)
        self.i_breached[rows[self.i_due[rows] < at]] = True

    def cycle_breach(self, rows: Any, at: Any) -> None:
        """``Run.check_breach(at)`` of the running cycle: not while a pause that counts is open."""
        m = (
            self.c_on[rows]
            & ~self.c_breached[rows]
            & (at > self.c_bound[rows])
            & (self.c_pause[rows] == _NONE)
        )
        rows, at = rows[m], at[m]
        self.cycle_due(rows)
        rows, at = self._alive(rows, at)
        self.c_breached[rows[self.c_due[rows] < at]] = True

    # -- the runs -----------------------------------------------------------------------------

    def finish_initial(self, rows: Any, end: Any, at: Any) -> None:
        """End the initial response (``met``, ``stopped`` or ``cancelled``) at ``at``."""
        self.i_end[rows] = end
        self.i_ended[rows] = at

    def finish_cycle(self, rows: Any, end: int, at: Any) -> None:
        """End the running cycle; a breached one is recorded for its alert."""
        b = self.c_breached[rows]
        if b.any():
            r = rows[b]
            met = at[b] if end == _MET else self.np.full(len(r), _NONE, dtype=self.np.int64)
            self.done.append((r, self.c_idx[r], self.c_sev[r], self.c_due[r], met, at[b]))
        self.c_on[rows] = False

    def _begin_cycle(self, rows: Any, did: Any, start: Any, at: Any) -> None:
        """(Re)start the cycle of ``rows`` on deadline ``did`` from ``start``, paused from ``at``
        if the case is in a pause status (a restart and a new cycle both begin so)."""
        t = self.t
        self.c_did[rows] = did
        self.c_sev[rows] = self.sev[rows]
        self.c_start[rows] = start
        bound = self._bound(rows, start, did)
        self.c_bound[rows] = bound
        e = self.cur_ev[rows]  # the deadline from this event, if prefetched for this target
        pre = (self.ev_did[e] == did) & (self.cols.at[e] == start)
        base = self.np.where(t.exact[did], bound, self.np.where(pre, self.ev_base[e], _NONE))
        self.c_base[rows] = base
        self.c_due[rows] = base
        self.c_frozen[rows] = False
        self.c_gen[rows] += 1
        paused = t.pause[self.st[rows]]
        self.c_paused_ever[rows] = paused
        self.c_pause[rows] = self.np.where(paused, at, _NONE)
        self._log(rows[paused], at[paused], begun=True)
        self.settle_pause(rows[paused])

    def _log(self, rows: Any, at: Any, *, begun: bool) -> None:
        """Record pauses begun (or ended) at ``at`` in the cycles' current runs."""
        if len(rows):
            self.pauses.append((rows, self.c_gen[rows], at, begun))

    def start_cycle(self, rows: Any, at: Any) -> None:
        """``Replay.start_cycle``: a new update cycle where the severity promises updates."""
        did = self.t.update[self.cust[rows], self.sev[rows]]
        self.dead[rows[did == _BROKEN]] = True
        keep = did >= 0
        rows, at, did = rows[keep], at[keep], did[keep]
        self.c_on[rows] = True
        self.c_idx[rows] += 1
        self.c_breached[rows] = False
        self._begin_cycle(rows, did, at, at)

    def settle_pause(self, rows: Any) -> None:
        """A pause just opened at ``c_pause``: if it begins at or after the deadline it never
        counts, and neither does any later one (the deadline needs computing only at or after
        the lower bound)."""
        rows = rows[self.c_pause[rows] >= self.c_bound[rows]]
        if not len(rows):
            return
        self.cycle_due(rows)
        (rows,) = self._alive(rows)
        late = rows[self.c_pause[rows] >= self.c_due[rows]]
        self.c_frozen[late] = True
        self.c_pause[late] = _NONE

    def pause_cycle(self, rows: Any, at: Any) -> None:
        """``Run.pause``: recorded even when it will not count (for a rebase)."""
        self.c_paused_ever[rows] = True
        self._log(rows, at, begun=True)
        keep = ~self.c_frozen[rows]
        rows = rows[keep]
        self.c_pause[rows] = at[keep]
        self.settle_pause(rows)

    def resume_cycle(self, rows: Any, at: Any) -> None:
        """Fold the pause that counts into the deadline: ``clock.add(due, clock.between(p, r))``."""
        self._log(rows, at, begun=False)
        m = self.c_pause[rows] != _NONE
        rows, at = rows[m], at[m]
        if not len(rows):
            return
        self.cycle_due(rows)
        rows, at = self._alive(rows, at)
        did = self.c_did[rows]
        ext, ok = self._between(rows, did, self.c_pause[rows], at)
        self.c_pause[rows] = _NONE
        self._extend(rows[ok], ext[ok])

    def _extend(self, rows: Any, ext: Any) -> None:
        """Move the deadlines by clock times ``ext`` (``clock.add``; not when ``ext`` is 0)."""
        pos = ext > 0
        r = rows[pos]
        due, ok = self._add(r, self.c_did[r], self.c_due[r], ext[pos])
        self.c_due[r[ok]] = due[ok]

    def refold(self, rows: Any) -> None:
        """After a rebase: fold the run's recorded pauses, in order, into its new deadline (as the
        scalar run's ``settle`` does from ``_folded = 0``)."""
        np = self.np
        if not len(rows) or not self.pauses:
            return
        mine = np.zeros(len(self.dead), dtype=bool)
        mine[rows] = True
        case = np.concatenate([p[0] for p in self.pauses])
        gen = np.concatenate([p[1] for p in self.pauses])
        at = np.concatenate([p[2] for p in self.pauses])
        begun = np.concatenate([np.full(len(p[0]), p[3], dtype=bool) for p in self.pauses])
        keep = mine[case] & (gen == self.c_gen[case])
        case, at, begun = case[keep], at[keep], begun[keep]
        p_case, p_at, p_j = _ranked(np, case[begun], at[begun])
        r_case, r_at, r_j = _ranked(np, case[~begun], at[~begun])
        width = MAX_EVENTS + 1
        p_end = np.full(len(p_case), _NONE, dtype=np.int64)
        r_key = r_case * width + r_j
        found = np.searchsorted(r_key, p_case * width + p_j)
        safe = np.minimum(found, max(len(r_key) - 1, 0))
        hit = (found < len(r_key)) & (r_key[safe] == p_case * width + p_j) if len(r_key) else found < 0
        p_end[hit] = r_at[safe[hit]]
        self.c_pause[rows] = _NONE
        self.c_frozen[rows] = False
        for j in range(int(p_j.max()) + 1 if len(p_j) else 0):
            m = (p_j == j) & ~self.c_frozen[p_case] & ~self.dead[p_case]
            r, p, end = p_case[m], p_at[m], p_end[m]
            self.c_pause[r] = p
            self.settle_pause(r)  # frozen (and the pause cleared) if it begins at the deadline
            r, p, end = self._alive(r, p, end)
            m = ~self.c_frozen[r] & (end != _NONE)
            r, p, end = r[m], p[m], end[m]
            self.cycle_due(r)
            r, p, end = self._alive(r, p, end)
            self.c_pause[r] = _NONE
            ext, ok = self._between(r, self.c_did[r], p, end)
            self._extend(r[ok], ext[ok])

    # -- the events ---------------------------------------------------------------------------

    def support_update(self, rows: Any, at: Any) -> None:
        """``Replay.support_update``: meets the initial response, or the running cycle, and
        starts the next cycle (not in a stop status)."""
        stop = self.t.stop
        first = self.i_end[rows] == _RUNNING
        a, a_at = rows[first], at[first]
        self.finish_initial(a, _MET, a_at)
        go = ~stop[self.st[a]]
        self.start_cycle(a[go], a_at[go])
        later = ~first & ~stop[self.st[rows]]
        b, b_at = rows[later], at[later]
        on = self.c_on[b]
        self.finish_cycle(b[on], _MET, b_at[on])
        self.start_cycle(b, b_at)

    def customer_update(self, rows: Any, at: Any) -> None:
        """``Replay.customer_update``: a paused case back to ``in_progress``; a closed one
        ``reopened`` within its reopen window (where its status reopens)."""
        np, t = self.np, self.t
        s = self.st[rows]
        paused = t.pause[s]
        self.set_status(rows[paused], np.full(int(paused.sum()), t.in_progress, dtype=np.int64), at[paused])
        closed = ~paused & t.closed[s] & t.reopenable[s]
        if closed.any():
            r, r_at = rows[closed], at[closed]
            within = self._reopens(r, r_at)
            r, r_at = self._alive(r[within], r_at[within])
            self.set_status(r, np.full(len(r), t.reopened, dtype=np.int64), r_at)

    def _reopens(self, rows: Any, at: Any) -> Any:
        """Whether each ``at`` lies within its case's reopen window (from the first closure):
        ``lifecycle.reopen_until``, that is the window target resolved for the customer, its
        ``due_many`` once per customer (the scalar call per case where that fails)."""
        np = self.np
        window = self.res.lifecycle.reopen_window
        out = np.zeros(len(rows), dtype=bool)
        if window is None:
            return out
        for c, part in _groups(np, self.cust[rows]):
            closed = self.fclosed[rows[part]]
            try:
                deadline = window.resolve(self.cols.customers[c], self.res.clocks)
                until = deadline.due_many(closed)
                if bool(((until == NEVER_US) | (until < _LO) | (until > _HI)).any()):
                    raise ValueError("out of range")
                out[part] = (at[part] <= until) & (closed != _NONE)
            except Exception:
                pairs = zip(rows[part].tolist(), at[part].tolist(), strict=True)
                out[part] = [self._within(i, a) for i, a in pairs]
        return out

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
        on = self.c_on[rows]
        stop_new, pause_new, pause_old = t.stop[new], t.pause[new], t.pause[old]
        m = on & stop_new
        self.finish_cycle(rows[m], _STOPPED, at[m])
        m = on & ~stop_new & pause_new & ~pause_old
        self.pause_cycle(rows[m], at[m])
        m = on & ~stop_new & ~pause_new & pause_old
        self.resume_cycle(rows[m], at[m])
        m = ~on & t.stop[old] & ~stop_new & (self.i_end[rows] != _RUNNING)
        self.start_cycle(rows[m], at[m])
        if self.metrics is not None:
            self.metrics.status(rows, old, new, at)

    def change_severity(self, rows: Any, new: Any, at: Any) -> None:
        """``Replay.change_severity``: restart or rebase each running, unbreached run."""
        np, t = self.np, self.t
        m = new != self.sev[rows]
        rows, new, at = rows[m], new[m], at[m]
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
        m = self.c_on[rows] & ~self.c_breached[rows]
        r, lv, a = rows[m], new[m], at[m]
        did = t.update[self.cust[r], lv]
        self.dead[r[did == _BROKEN]] = True
        gone = did == -1
        self.finish_cycle(r[gone], _STOPPED, a[gone])
        keep = did >= 0
        r, a, did = r[keep], a[keep], did[keep]
        if restart:
            self._begin_cycle(r, did, a, a)
            return
        self.c_did[r] = did
        self.c_sev[r] = self.sev[r]
        bound = self._bound(r, self.c_start[r], did)
        self.c_bound[r] = bound
        base = np.where(t.exact[did], bound, _NONE)
        self.c_base[r] = base
        self.c_due[r] = base
        self.refold(r[self.c_paused_ever[r]])  # a rebase reapplies the recorded pauses
        self.cycle_breach(r, a)

    def apply(self, rows: Any, ev: Any) -> None:
        """One round: event ``ev[j]`` of case ``rows[j]``, breaches first."""
        cols = self.cols
        at = cols.at[ev]
        self.initial_breach(rows, at)
        self.cycle_breach(rows, at)
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
        self.customer_update(rows[m], at[m])
        if self.metrics is not None:
            self.metrics.fire(rows[m], at[m], ("customer_update",))
        m = kind == STATUS
        self.set_status(rows[m], cols.status[ev[m]].astype(self.np.int64), at[m])
        m = kind == SEVERITY
        level, _ = self.t.level_index(self.np, cols.level[ev[m]])
        self.change_severity(rows[m], level, at[m])


def _ranked(np: Any, case: Any, at: Any) -> tuple[Any, Any, Any]:
    """(case, instant, rank within its case) sorted by case, each case's entries in the given order."""
    order = np.argsort(case, kind="stable")
    case, at = case[order], at[order]
    start = np.concatenate(([True], case[1:] != case[:-1])) if len(case) else np.zeros(0, dtype=bool)
    first = np.maximum.accumulate(np.where(start, np.arange(len(case)), 0)) if len(case) else case
    return case, at, np.arange(len(case)) - first


def _screen(np: Any, cols: CaseColumns, t: _Tables, now: int) -> tuple[Any, Any, Any, Any]:
    """(declined, level index, events at or before ``now``, all events) per case, before any
    replay: unknown names, too many events, instants near the year limits."""
    n = len(cols)
    first = cols.first
    total = first[1:] - first[:-1]
    level, known = t.level_index(np, cols.severity)
    declined = ~known | (cols.opened < _LO) | (cols.opened > _HI)
    if len(cols.at):
        bad = (cols.at < _LO) | (cols.at > _HI)
        st = cols.kind == STATUS
        bad[st] |= ~t.valid[cols.status[st]]
        sv = cols.kind == SEVERITY
        bad[sv] |= ~t.level_index(np, cols.level[sv])[1]
        cum = np.concatenate(([0], np.cumsum(bad)))
        declined |= (cum[first[1:]] - cum[first[:-1]]) > 0
        cum = np.concatenate(([0], np.cumsum(cols.at <= now)))
        seen = cum[first[1:]] - cum[first[:-1]]
    else:
        seen = np.zeros(n, dtype=np.int64)
    declined |= seen > MAX_EVENTS
    return declined, level, seen, total


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
    import numpy as np

    n = len(cols)
    res = resolver_for(policy)
    if n == 0:
        return []
    now_us = to_us(now)
    if not _LO <= now_us <= _HI:
        return [None] * n
    t = _Tables(np, cols, res)
    declined, level, seen, total = _screen(np, cols, t, now_us)
    state = _Replay(np, cols, res, t, now_us, level)
    state.dead |= declined
    opened = cols.opened <= now_us
    state.prefetch(opened & ~state.dead, seen)
    if state.metrics is not None:
        state.metrics.opened(np.flatnonzero(opened & ~state.dead))
    todo = np.flatnonzero(opened & ~state.dead & (seen > 0))
    for k in range(int(seen[todo].max()) if len(todo) else 0):
        todo = todo[(seen[todo] > k) & ~state.dead[todo]]
        state.apply(todo, cols.first[todo] + k)
    rows = np.flatnonzero(opened & ~state.dead)
    at = np.full(len(rows), now_us, dtype=np.int64)
    state.initial_breach(rows, at)
    state.cycle_breach(rows, at)
    if state.metrics is not None:
        state.metrics.breach(rows, at)
    alerts = _alerts(np, state, np.flatnonzero(opened & ~state.dead), share)
    return _checks(np, state, opened, seen, total, alerts)


def _alerts(np: Any, s: _Replay, rows: Any, share: Fraction) -> dict[int, list[Alert]]:
    """The alerts of the replayed cases ``rows`` at ``now``, per case, in ``_collect``'s order:
    the initial response, then the update cycles by index, then the metrics defined as data
    (in ``res.metrics`` order, each one's runs in order)."""
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
    for r, cycle, lv, due, met, ended in s.done:
        keep = ~s.dead[r]
        breached(r[keep], cycle[keep], due[keep], lv[keep], met[keep], ended[keep])
    r = rows[s.c_on[rows] & s.c_breached[rows]]
    none = np.full(len(r), _NONE, dtype=np.int64)
    breached(r, s.c_idx[r], s.c_due[r], s.c_sev[r], none, none)
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
    r = rows[s.c_on[rows] & ~s.c_breached[rows] & (s.c_pause[rows] == _NONE)]
    s.cycle_due(r)
    (r,) = s._alive(r)
    guidebook(
        _at_risk(
            np, s, r, s.c_idx[r], s.c_did[r], s.c_start[r], s.c_base[r], s.c_due[r], s.c_sev[r], num, den
        )
    )
    if s.metrics is not None:
        parts += s.metrics.parts(rows, num, den)
    cat = [np.concatenate([p[j] for p in parts]) for j in range(11)]
    case, group, rank = cat[0], cat[1], cat[2]
    keep = ~s.dead[case]
    order = np.lexsort((rank[keep], group[keep], case[keep]))
    pick = np.flatnonzero(keep)[order]
    out: dict[int, list[Alert]] = {}
    cols = s.cols
    zones, zone, ids, levels = cols.zones, cols.zone.tolist(), cols.ids, t.level_list
    names = [spec.name for spec in s.res.metrics]
    for i, g, _, c, k, d, j, m, b, rem, bud in zip(*(a[pick].tolist() for a in cat), strict=True):
        tz = zones[zone[i]]
        late = k == 0  # else at risk: a pending target, with its remaining time and budget
        alert = Alert(
            ids[i],
            names[g - 1] if g else UPDATE if c else INITIAL_RESPONSE,
            "breached" if late else "at_risk",
            _out(from_us(d), tz),
            c,
            levels[j],
            None if not late or m == _NONE else _out(from_us(m), tz),
            timedelta(microseconds=b) if late else None,
            None if late else timedelta(microseconds=rem),
            None if late else timedelta(microseconds=bud),
        )
        out.setdefault(i, []).append(alert)
    return out


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


def _checks(
    np: Any, s: _Replay, opened: Any, seen: Any, total: Any, alerts: dict[int, list[Alert]]
) -> list[CaseCheck | None]:
    """One ``CaseCheck`` (or ``None``) per case, in batch order."""
    cols = s.cols
    empty: tuple[Alert, ...] = ()
    found = {i: tuple(a) for i, a in alerts.items()}.get
    names = np.array(s.t.names, dtype=object)[s.st].tolist()
    levels = s.t.levels[s.sev].tolist()
    out: list[CaseCheck | None] = [
        CaseCheck(cid, lv, st, found(i, empty), fut)
        for i, (cid, lv, st, fut) in enumerate(
            zip(cols.ids, levels, names, (total - seen).tolist(), strict=True)
        )
    ]
    for i in np.flatnonzero(~opened).tolist():
        out[i] = CaseCheck(cols.ids[i], int(cols.severity[i]), None, empty, int(total[i]), "opened_after_now")
    for i in np.flatnonzero(s.dead).tolist():
        out[i] = None
    return out
