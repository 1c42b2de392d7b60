"""The columnar replay of the metrics a policy defines as data (docs/metrics.md).

Private. :class:`Metrics` follows, for every case of a batch at once, the metrics other
than the guidebook's two (``next_reply``, ``resolution``, ``requester_wait``, ...), as the
scalar :class:`~slocalc.cases._replay.Tracker` follows them one case at a time: the events
of one instant are *fired* together (``opened`` once at the opening; ``first_reply`` with
the first ``support_update``; ``customer_update``; ``closed`` and ``reopened`` after the
status change that makes them), and each status change pauses, resumes or stops a
metric's running clock by its own ``pause_in`` and ``stop_in`` sets.

Each metric has one :class:`MetricRuns`: per case, the running clock (its deadline id,
start, lower bound, deadline with the pauses resumed so far folded in, open pause, frozen,
breach), whether the ``after`` event has happened, whether a start event has counted, and
how many clocks were started (``recurring`` metrics number their runs by it). The pause
rules, the rebase (the recorded pauses folded again from the new deadline) and the breach
check are the update cycle's of :mod:`~slocalc.cases._columnar`, with the same grouped
engine calls (the replay's ``_dues``, ``_between``, ``_add``), on the metric's own deadlines.
A finished breached run is recorded as it finishes; the pending ones are read at ``now``.

The deadlines a run most likely needs are prefetched with the replay's (one ``due_many`` per
deadline): from the opening for a metric started by ``opened``, and from each event that
may start a clock (at the severity in effect after it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slocalc.cases._columnar import _BROKEN, _MET, _NONE, _STOPPED, MAX_EVENTS, _at_risk, _ranked
from slocalc.cases._columns import CUSTOMER_UPDATE, SEVERITY, STATUS, SUPPORT_UPDATE
from slocalc.cases._resolver import MetricSpec

if TYPE_CHECKING:
    from slocalc.cases._columnar import _Replay

__all__ = ["MetricRuns", "Metrics"]

#: the kinds of case events that fire each metric event (a status change, or a customer
#: update that reopens, fires ``closed`` or ``reopened``): for the prefetch
_STARTS: dict[str, tuple[int, ...]] = {
    "opened": (),
    "first_reply": (SUPPORT_UPDATE,),
    "support_update": (SUPPORT_UPDATE,),
    "customer_update": (CUSTOMER_UPDATE,),
    "closed": (STATUS, CUSTOMER_UPDATE),
    "reopened": (STATUS, CUSTOMER_UPDATE),
}


class Runs:
    """One target's runs over a batch: the running (or last) clock of each case, and the
    rules every clock follows, the update cycle's and each metric's alike.

    Instants are UTC µs, ``_NONE`` where not known. ``due`` is the run's deadline with the
    pauses resumed so far folded in (``base`` without them), both unknown until needed;
    ``pause`` is the start of the open pause that counts (cleared once a pause began at or
    after the deadline: ``frozen``, and no later pause moves it, as in the scalar run).
    ``runs`` counts the clocks started (the run's ordinal: an update cycle's index).
    ``pause_in`` and ``stop_in`` flag the statuses (by the batch's codes) that pause and
    stop the clock; ``group`` and ``numbered`` place its alerts (``_alerts``' layout).
    """

    def __init__(self, s: _Replay, pause_in: Any, stop_in: Any, group: int, *, numbered: bool) -> None:
        np = s.np
        n = len(s.cols)
        self.s, self.pause_in, self.stop_in = s, pause_in, stop_in
        self.group, self.numbered = group, numbered
        self.on = np.zeros(n, dtype=bool)
        self.did = np.zeros(n, dtype=np.int64)
        self.sev = np.zeros(n, dtype=np.int64)
        self.start = np.zeros(n, dtype=np.int64)
        self.bound = np.zeros(n, dtype=np.int64)
        self.base = np.full(n, _NONE, dtype=np.int64)
        self.due = np.full(n, _NONE, dtype=np.int64)
        self.pause = np.full(n, _NONE, dtype=np.int64)
        self.frozen = np.zeros(n, dtype=bool)
        self.breached = np.zeros(n, dtype=bool)
        self.paused_ever = np.zeros(n, dtype=bool)
        #: the run: a new one and a restart begin a new one (with no pauses)
        self.gen = np.zeros(n, dtype=np.int64)
        self.runs = np.zeros(n, dtype=np.int64)
        #: every pause begun or ended, for a rebase: (cases, runs, instants, begun) per call
        self.pauses: list[tuple[Any, Any, Any, bool]] = []
        #: the pauses of the current runs logged before ``pauses[logged]``, as (cases, runs,
        #: instants, begun) arrays (for :meth:`refold`: each entry is concatenated once)
        self.logged = 0
        self.flat: tuple[Any, Any, Any, Any] | None = None
        #: finished breached runs: (cases, ordinals, levels, dues, met, ended) per finish
        self.done: list[tuple[Any, ...]] = []

    # -- deadlines and breaches -------------------------------------------------------------

    def settle_due(self, rows: Any) -> None:
        """Compute the run's own deadline where it is not known yet (no pause folded then)."""
        s = self.s
        rows = rows[(self.due[rows] == _NONE) & ~s.dead[rows]]
        if len(rows):
            values, ok = s._dues(rows, self.did[rows], self.start[rows])
            self.base[rows[ok]] = values[ok]
            self.due[rows[ok]] = values[ok]

    def breach(self, rows: Any, at: Any) -> None:
        """``Run.check_breach(at)`` of the running clock: not while a pause that counts is open."""
        m = self.on[rows] & ~self.breached[rows] & (at > self.bound[rows]) & (self.pause[rows] == _NONE)
        rows, at = rows[m], at[m]
        self.settle_due(rows)
        rows, at = self.s._alive(rows, at)
        self.breached[rows[self.due[rows] < at]] = True

    # -- the runs ---------------------------------------------------------------------------

    def finish(self, rows: Any, end: int, at: Any) -> None:
        """End the running clock; a breached one is recorded for its alert."""
        b = self.breached[rows]
        if b.any():
            r = rows[b]
            met = at[b] if end == _MET else self.s.np.full(len(r), _NONE, dtype=self.s.np.int64)
            self.done.append((r, self.runs[r], self.sev[r], self.due[r], met, at[b]))
        self.on[rows] = False

    def begin(self, rows: Any, did: Any, at: Any, base: Any = None) -> None:
        """(Re)start the clock of ``rows`` on deadline ``did`` from ``at`` (``base``: the
        deadlines already known for it, ``_NONE`` elsewhere), paused from the start if the
        case is in a ``pause_in`` status (a restart and a new run both begin so)."""
        s = self.s
        np = s.np
        self.did[rows] = did
        self.sev[rows] = s.sev[rows]
        self.start[rows] = at
        bound = s._bound(rows, at, did)
        self.bound[rows] = bound
        base = np.where(s.t.exact[did], bound, _NONE if base is None else base)
        self.base[rows] = base
        self.due[rows] = base
        self.frozen[rows] = False
        self.gen[rows] += 1
        paused = self.pause_in[s.st[rows]]
        self.paused_ever[rows] = paused
        self.pause[rows] = np.where(paused, at, _NONE)
        self._log(rows[paused], at[paused], begun=True)
        self.settle_pause(rows[paused])

    def begin_next(self, rows: Any, did: Any, at: Any, base: Any = None) -> None:
        """The next run of ``rows`` where ``did`` is a target (-1: none; a case whose target
        could not be resolved is declined)."""
        s = self.s
        s.dead[rows[did == _BROKEN]] = True
        keep = did >= 0
        rows, at, did = rows[keep], at[keep], did[keep]
        self.runs[rows] += 1
        self.on[rows] = True
        self.breached[rows] = False
        self.begin(rows, did, at, None if base is None else base[keep])

    def retarget(self, rows: Any, at: Any, did: Any, base: Any = None) -> None:
        """``Replay.change_severity`` for the running, unbreached clocks ``rows`` (the cases' new
        levels are in ``s.sev``, the new deadlines ``did``): stopped without a target, else
        restarted from ``at`` (``base`` as for :meth:`begin`) or rebased (the new target from
        the original start, the recorded pauses folded again), then checked for a breach."""
        s = self.s
        np = s.np
        s.dead[rows[did == _BROKEN]] = True
        gone = did == -1
        self.finish(rows[gone], _STOPPED, at[gone])
        keep = did >= 0
        r, a, did = rows[keep], at[keep], did[keep]
        if s.res.restart:
            self.begin(r, did, a, None if base is None else base[keep])
        else:
            self.did[r] = did
            self.sev[r] = s.sev[r]
            bound = s._bound(r, self.start[r], did)
            self.bound[r] = bound
            fresh = np.where(s.t.exact[did], bound, _NONE)
            self.base[r] = fresh
            self.due[r] = fresh
            self.refold(r[self.paused_ever[r]])
        self.breach(r, a)

    def follow(self, rows: Any, old: Any, new: Any, at: Any) -> Any:
        """The running clock as the status goes from ``old`` to ``new`` (``_follow_status``):
        stopped entering a ``stop_in`` status, paused entering a ``pause_in`` one, resumed
        leaving one. Returns which of ``rows`` had a running clock."""
        on = self.on[rows]
        stop_new, pause_new, pause_old = self.stop_in[new], self.pause_in[new], self.pause_in[old]
        m = on & stop_new
        self.finish(rows[m], _STOPPED, at[m])
        m = on & ~stop_new & pause_new & ~pause_old
        self.pause_run(rows[m], at[m])
        m = on & ~stop_new & ~pause_new & pause_old
        self.resume_run(rows[m], at[m])
        return on

    def _log(self, rows: Any, at: Any, *, begun: bool) -> None:
        """Record pauses begun (or ended) at ``at`` in the current runs."""
        if len(rows):
            self.pauses.append((rows, self.gen[rows], at, begun))

    def settle_pause(self, rows: Any) -> None:
        """A pause just opened at ``pause``: if it begins at or after the deadline it never
        counts, and neither does any later one."""
        rows = rows[self.pause[rows] >= self.bound[rows]]
        if not len(rows):
            return
        self.settle_due(rows)
        (rows,) = self.s._alive(rows)
        late = rows[self.pause[rows] >= self.due[rows]]
        self.frozen[late] = True
        self.pause[late] = _NONE

    def pause_run(self, rows: Any, at: Any) -> None:
        """``Run.pause``: recorded even when it will not count (for a rebase)."""
        self.paused_ever[rows] = True
        self._log(rows, at, begun=True)
        keep = ~self.frozen[rows]
        rows = rows[keep]
        self.pause[rows] = at[keep]
        self.settle_pause(rows)

    def resume_run(self, rows: Any, at: Any) -> None:
        """Fold the pause that counts into the deadline: ``clock.add(due, clock.between(p, r))``."""
        s = self.s
        self._log(rows, at, begun=False)
        m = self.pause[rows] != _NONE
        rows, at = rows[m], at[m]
        if not len(rows):
            return
        self.settle_due(rows)
        rows, at = s._alive(rows, at)
        due, ok = s._fold(rows, self.did[rows], self.due[rows], self.pause[rows], at)
        self.pause[rows] = _NONE
        self.due[rows[ok]] = due[ok]

    def _extend(self, rows: Any, ext: Any) -> None:
        """Move the deadlines by clock times ``ext`` (``clock.add``; not when ``ext`` is 0)."""
        pos = ext > 0
        r = rows[pos]
        due, ok = self.s._add(r, self.did[r], self.due[r], ext[pos])
        self.due[r[ok]] = due[ok]

    def refold(self, rows: Any) -> None:
        """After a rebase: fold the run's recorded pauses, in order, into its new deadline."""
        s = self.s
        np = s.np
        if not len(rows) or not self.pauses:
            return
        mine = np.zeros(len(s.dead), dtype=bool)
        mine[rows] = True
        case, gen, at, begun = self._current()
        keep = mine[case] & (gen == self.gen[case])
        case, at, begun = case[keep], at[keep], begun[keep]
        p_case, p_at, p_j = _ranked(np, case[begun], at[begun])
        r_case, r_at, r_j = _ranked(np, case[~begun], at[~begun])
        width = MAX_EVENTS + 2
        p_end = np.full(len(p_case), _NONE, dtype=np.int64)
        r_key = r_case * width + r_j
        found = np.searchsorted(r_key, p_case * width + p_j)
        safe = np.minimum(found, max(len(r_key) - 1, 0))
        hit = (found < len(r_key)) & (r_key[safe] == p_case * width + p_j) if len(r_key) else found < 0
        p_end[hit] = r_at[safe[hit]]
        self.pause[rows] = _NONE
        self.frozen[rows] = False
        # the clock time of every ended pause at once (it does not depend on the deadline; a
        # case is declined for a failed one only when its fold needs it, as one at a time)
        ended = np.flatnonzero(p_end != _NONE)
        p_ext = np.zeros(len(p_case), dtype=np.int64)
        p_ok = np.ones(len(p_case), dtype=bool)
        e = p_case[ended]
        p_ext[ended], p_ok[ended] = s._between(e, self.did[e], p_at[ended], p_end[ended], decline=False)
        for j in range(int(p_j.max()) + 1 if len(p_j) else 0):
            k = np.flatnonzero((p_j == j) & ~self.frozen[p_case] & ~s.dead[p_case])
            r = p_case[k]
            self.pause[r] = p_at[k]
            self.settle_pause(r)
            k = k[~s.dead[r]]
            r = p_case[k]
            k = k[~self.frozen[r] & (p_end[k] != _NONE)]
            r = p_case[k]
            self.settle_due(r)
            k = k[~s.dead[r]]
            r = p_case[k]
            self.pause[r] = _NONE
            ok = p_ok[k]
            s.dead[r[~ok]] = True
            self._extend(r[ok], p_ext[k[ok]])

    def _current(self) -> tuple[Any, Any, Any, Any]:
        """The pauses logged, as (cases, runs, instants, begun) arrays in the order logged;
        those of runs ended by then are dropped (an earlier run's pause never counts again)."""
        np = self.s.np
        new = [(p[0], p[1], p[2], np.full(len(p[0]), p[3], dtype=bool)) for p in self.pauses[self.logged :]]
        if new or self.flat is None:
            if self.flat is not None:
                new.insert(0, self.flat)
            case, gen, at, begun = (np.concatenate(x) for x in zip(*new, strict=True))
            keep = gen == self.gen[case]
            self.flat = (case[keep], gen[keep], at[keep], begun[keep])
            self.logged = len(self.pauses)
        return self.flat

    # -- the alerts ---------------------------------------------------------------------------

    def parts(self, rows: Any, num: int, den: int) -> list[tuple[Any, ...]]:
        """The alert columns of the replayed cases ``rows`` (``_alerts``' layout): the finished
        breached runs, the running breached one, the pending ones at risk."""
        s = self.s
        np = s.np
        group = self.group
        out: list[tuple[Any, ...]] = []

        def index(ordinal: Any) -> Any:
            return ordinal if self.numbered else np.zeros(len(ordinal), dtype=np.int64)

        for r, ordinal, lv, due, met, ended in self.done:
            keep = ~s.dead[r]
            r, ordinal, lv, due, met, ended = (x[keep] for x in (r, ordinal, lv, due, met, ended))
            out.append(_breached(np, r, group, ordinal, index(ordinal), due, lv, met, ended - due))
        r = rows[self.on[rows] & self.breached[rows]]
        none = np.full(len(r), _NONE, dtype=np.int64)
        ordinal = self.runs[r]
        out.append(
            _breached(
                np, r, group, ordinal, index(ordinal), self.due[r], self.sev[r], none, s.now - self.due[r]
            )
        )
        r = rows[self.on[rows] & ~self.breached[rows] & (self.pause[rows] == _NONE)]
        self.settle_due(r)
        (r,) = s._alive(r)
        found = _at_risk(
            np,
            s,
            r,
            index(self.runs[r]),
            self.did[r],
            self.start[r],
            self.base[r],
            self.due[r],
            self.sev[r],
            num,
            den,
        )
        out.append((found[0], np.full(len(found[0]), group, dtype=np.int64), self.runs[found[0]], *found[1:]))
        return out


class MetricRuns(Runs):
    """One metric's runs over a batch (:class:`Runs`) and when its definition starts them:
    whether the ``after`` event has happened, whether a start event has counted."""

    def __init__(self, s: _Replay, position: int, spec: MetricSpec, table: Any) -> None:
        np = s.np
        names = s.t.names
        pause_in = np.array([name in spec.pause for name in names], dtype=bool)
        stop_in = np.array([name in spec.stop for name in names], dtype=bool)
        super().__init__(s, pause_in, stop_in, position + 1, numbered=spec.definition.recurring)
        d = spec.definition
        self.position, self.spec, self.definition = position, spec, d
        #: (customer, level index) -> deadline id (-1: no target; ``_BROKEN``: unresolvable)
        self.table = table
        n = len(s.cols)
        self.after_seen = np.full(n, d.after is None, dtype=bool)
        self.started = np.zeros(n, dtype=bool)

    def begin_new(self, rows: Any, at: Any) -> None:
        """``Tracker._start``: a new clock where the severity has a target for the metric."""
        s = self.s
        self.begin_next(rows, self.table[s.cust[rows], s.sev[rows]], at)

    # -- what the case does -------------------------------------------------------------------

    def fire(self, rows: Any, at: Any, events: tuple[str, ...]) -> None:
        """``Tracker.fire``: the events of one instant, the same ``events`` for every case."""
        s = self.s
        d = self.definition
        restarts = any(e in d.restart_on for e in events)
        on = self.on[rows]
        restart = on & restarts
        if restarts or any(e in d.stop for e in events):
            self.finish(rows[on], _MET, at[on])
        if d.after is not None and d.after in events:
            self.after_seen[rows] = True
        starts = d.start in events
        if starts:
            self.started[rows] |= self.after_seen[rows]
        free = ~self.on[rows] & ~self.stop_in[s.st[rows]]
        go = free & restart
        if starts:
            go |= free & ~restart & self.after_seen[rows] & (d.recurring | (self.runs[rows] == 0))
        self.begin_new(rows[go], at[go])

    def status(self, rows: Any, old: Any, new: Any, at: Any) -> None:
        """``Tracker.status``: the running clock follows the status; with ``restart_after_stop``,
        leaving a ``stop_in`` status starts a new clock once a start event has counted."""
        on = self.follow(rows, old, new, at)
        if self.definition.restart_after_stop:
            m = ~on & self.started[rows] & self.stop_in[old] & ~self.stop_in[new]
            self.begin_new(rows[m], at[m])

    def severity(self, rows: Any, at: Any) -> None:
        """``Replay.change_severity`` for the running, unbreached clock (the new levels are in
        ``s.sev``)."""
        s = self.s
        m = self.on[rows] & ~self.breached[rows]
        r, a = rows[m], at[m]
        self.retarget(r, a, self.table[s.cust[r], s.sev[r]])


def _breached(
    np: Any, r: Any, group: int, ordinal: Any, cycle: Any, due: Any, lv: Any, met: Any, by: Any
) -> tuple[Any, ...]:
    """Breached alerts' columns, in ``_alerts``' layout."""
    z = np.zeros(len(r), dtype=np.int64)
    return (r, np.full(len(r), group, dtype=np.int64), ordinal, cycle, z, due, lv, met, by, z, z)


class Metrics:
    """Every metric a policy defines as data, over one batch: a :class:`MetricRuns` each, in
    the resolver's order, and whether each case has had its first reply."""

    def __init__(self, s: _Replay, tables: list[Any]) -> None:
        self.s = s
        self.runs = [MetricRuns(s, k, spec, tables[k]) for k, spec in enumerate(s.res.metrics)]
        self.names = [spec.name for spec in s.res.metrics]
        self.replied = s.np.zeros(len(s.cols), dtype=bool)

    def prefetch(self, take: Any, seen: Any, case: Any, start: Any, pos: Any) -> tuple[Any, Any]:
        """(deadline ids, starts) the metrics' runs will most likely need, for the replay's
        prefetch (``take``, ``seen``: per case; ``case``, ``start``, ``pos``: per event, its
        case, the case's first event and its position): each metric's deadline from the
        opening (started by ``opened``) and from every event that may start (or restart) a
        clock, at the severity in effect then; under ``rebase``, the new severity's from those
        starts before each severity change."""
        s = self.s
        np, cols, t = s.np, s.cols, s.t
        m = len(cols.at)
        kind = cols.kind
        inplay = take[case] & (pos < seen[case])
        last = np.maximum.accumulate(np.where(kind == SEVERITY, np.arange(m), -1))
        changed, _ = t.level_index(np, cols.level[np.maximum(last, 0)])
        level = np.where(last >= start, changed, s.sev[case])  # after each event
        rows = np.flatnonzero(take)
        sv = np.flatnonzero(inplay & (kind == SEVERITY))
        sv_case = case[sv]
        sv_level = level[sv]
        # the events before each severity change (for a rebase)
        before = pos[sv]
        pair = np.repeat(np.arange(len(sv)), before)
        earlier = np.arange(len(pair)) - np.repeat(np.cumsum(before) - before, before) + start[sv][pair]
        dids: list[Any] = []
        ats: list[Any] = []
        for runs in self.runs:
            d, table = runs.definition, runs.table
            kinds = {k for e in (d.start, *d.restart_on) if e is not None for k in _STARTS[e]}
            if d.restart_after_stop:
                kinds |= {STATUS, CUSTOMER_UPDATE}
            if s.res.restart:
                kinds.add(SEVERITY)
            starts = np.isin(kind, sorted(kinds))
            ev = np.flatnonzero(inplay & starts)
            dids.append(table[s.cust[case[ev]], level[ev]])
            ats.append(cols.at[ev])
            if d.start == "opened":
                dids.append(table[s.cust[rows], s.sev[rows]])
                ats.append(cols.opened[rows])
            if not s.res.restart and len(sv):
                if d.start == "opened":
                    dids.append(table[s.cust[sv_case], sv_level])
                    ats.append(cols.opened[sv_case])
                keep = starts[earlier]
                dids.append(table[s.cust[sv_case[pair[keep]]], sv_level[pair[keep]]])
                ats.append(cols.at[earlier[keep]])
        did = np.concatenate(dids) if dids else np.zeros(0, dtype=np.int64)
        at = np.concatenate(ats).astype(np.int64) if ats else np.zeros(0, dtype=np.int64)
        keep = did >= 0
        did, at = did[keep], at[keep]
        keep = ~t.exact[did]
        return did[keep], at[keep]

    def fire(self, rows: Any, at: Any, events: tuple[str, ...]) -> None:
        """``Replay.fire``: the events of one instant to every metric."""
        for m in self.runs:
            m.fire(rows, at, events)

    def opened(self, rows: Any) -> None:
        """The ``opened`` event of each case, at its opening (status ``open``)."""
        self.fire(rows, self.s.cols.opened[rows].astype(self.s.np.int64), ("opened",))

    def support_update(self, rows: Any, at: Any) -> None:
        """``Replay.support_update``'s part: ``first_reply`` too for a case's first one."""
        first = ~self.replied[rows]
        self.fire(rows[first], at[first], ("first_reply", "support_update"))
        self.fire(rows[~first], at[~first], ("support_update",))
        self.replied[rows] = True

    def status(self, rows: Any, old: Any, new: Any, at: Any) -> None:
        """``Replay.set_status``'s part: every metric follows the status, then ``closed`` or
        ``reopened`` is fired where the case enters or leaves a closed status."""
        closed = self.s.t.closed
        for m in self.runs:
            m.status(rows, old, new, at)
        m = closed[new] & ~closed[old]
        if m.any():
            self.fire(rows[m], at[m], ("closed",))
        m = closed[old] & ~closed[new]
        if m.any():
            self.fire(rows[m], at[m], ("reopened",))

    def severity(self, rows: Any, at: Any) -> None:
        """``Replay.change_severity``'s part (the new levels are in the replay's ``sev``)."""
        for m in self.runs:
            m.severity(rows, at)

    def breach(self, rows: Any, at: Any) -> None:
        """Every running clock's breach check at ``at``."""
        for m in self.runs:
            m.breach(rows, at)

    def parts(self, rows: Any, num: int, den: int) -> list[tuple[Any, ...]]:
        """Every metric's alert columns (``_alerts``' layout), metric by metric."""
        return [part for m in self.runs for part in m.parts(rows, num, den)]
