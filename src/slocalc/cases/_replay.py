"""The replay: a case's events, in order, through the lifecycle rules of a policy.

Private. :func:`replay` walks the sorted events once (linear in their number) and leaves
plain ``__slots__`` objects behind: a :class:`~slocalc.cases._run.Run` per target (the
initial response and each update cycle) and a :class:`Replay` for the case. ``evaluate``
turns them into pydantic reports; ``check`` reads them directly, which keeps it fast.

Every instant inside is a UTC ``datetime``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from slocalc.cases._models import Event, Timeline
from slocalc.cases._resolver import MetricSpec, Resolver, customer_key
from slocalc.cases._run import End, Run
from slocalc.errors import TimelineError, did_you_mean
from slocalc.policies import INITIAL_RESPONSE, UPDATE, Customer, Deadline

__all__ = ["Replay", "Tracker", "check_case_names", "replay"]


class Tracker:
    """One metric other than the guidebook's two, followed by its definition (docs/metrics.md).

    :meth:`fire` takes the events of one instant together (``first_reply`` and
    ``support_update`` come as one): the running clock is met (``stop``) or met and
    restarted (``restart_on``) first; then, if no clock runs, a ``start`` event (after
    ``after`` has happened; once per case unless ``recurring``) starts one, paused from the
    start if the case is in a ``pause_in`` status and not started in a ``stop_in`` one.
    :meth:`status` pauses, resumes and stops the running clock as the status changes;
    with ``restart_after_stop``, leaving a ``stop_in`` status starts a new clock once a
    start event has counted (even one that came while stopped).
    """

    __slots__ = ("after_seen", "cur", "runs", "spec", "started")

    def __init__(self, spec: MetricSpec) -> None:
        self.spec = spec
        self.runs: list[Run] = []
        self.cur: Run | None = None
        self.after_seen = spec.definition.after is None
        self.started = False  # a start event has counted (even while stopped)

    def _start(self, state: Replay, at: datetime, why: str) -> None:
        spec = self.spec
        res = state.res
        deadline = res.deadline(state.severity, spec.name, state.customer, state.key)
        if deadline is None:  # no target for this metric at this severity
            return
        index = len(self.runs) + 1 if spec.definition.recurring else 0
        self.cur = _begin(state, self.runs, spec.name, index, deadline, at, state.status in spec.pause, why)

    def fire(self, state: Replay, at: datetime, events: tuple[str, ...]) -> None:
        d = self.spec.definition
        cur = self.cur
        restart = False
        if cur is not None:
            hit = [e for e in events if e in d.restart_on]
            if hit:
                restart = True
            else:
                hit = [e for e in events if e in d.stop]
            if hit:
                cur.finish("met", at, hit[0].replace("_", " "))
                self.cur = None
        if not self.after_seen and d.after in events:
            self.after_seen = True
        if d.start in events and self.after_seen:
            self.started = True
        if self.cur is not None or state.status in self.spec.stop:
            return
        if restart:
            self._start(state, at, f"{events[-1].replace('_', ' ')}; next cycle")
        elif d.start in events and self.after_seen and (d.recurring or not self.runs):
            self._start(state, at, f"{d.start.replace('_', ' ')}" if d.start else "")

    def why(self) -> str:
        """The breach note: the deadline passed before any event that meets the clock."""
        d = self.spec.definition
        ends = [e.replace("_", " ") for e in (*d.restart_on, *d.stop)]
        return f"deadline passed without {' or '.join(ends) if ends else 'an end'}"

    def status(self, state: Replay, at: datetime, old: str, new: str, text: str) -> None:
        spec = self.spec
        cur = self.cur
        if cur is not None:
            end: End = "cancelled" if spec.definition.cancel_unbreached and not cur.breached else "stopped"
            if _follow_status(cur, old, new, at, text, spec.pause, spec.stop, end, "clock stopped"):
                self.cur = None
        elif (
            spec.definition.restart_after_stop and self.started and old in spec.stop and new not in spec.stop
        ):
            self._start(state, at, f"{text}; leaving {old} starts a new clock")


class Replay:
    """A case being replayed, and its state once every event up to ``now`` is in.

    Status rules (the policy's lifecycle; see docs/concepts/case-lifecycle.md):

    * a case starts ``open``; the initial response runs from ``opened_at`` on its clock and
      is not paused (pause statuses pause *update* clocks);
    * entering a closed status before any response cancels the initial response (a
      breached one stays breached);
    * the first ``support_update`` meets the initial response and starts update cycle 1;
      each later one meets the running cycle and starts the next; none runs while the
      case is in a stop status, and a ``support_update`` then does nothing;
    * entering a pause status pauses the running cycle, leaving it resumes it;
    * entering a stop status stops it; leaving a stop status starts a new cycle, once the
      initial response is no longer owed;
    * a ``customer_update`` in a pause status moves the case to ``in_progress``; in a
      closed status it reopens the case (``reopened``) if it comes by the end of the reopen
      window (counted from the case's *first* closure, as the guidebook says "within 10
      days of original closure"), else it is recorded as a late reopen attempt; in an
      auto-close status it restarts the inactivity timer;
    * status events are taken as facts: they apply even where a customer update would not
      (e.g. ``reopened`` after the window).
    """

    __slots__ = (
        "auto_close_since",
        "cur",
        "customer",
        "first_closed_at",
        "future_events",
        "initial",
        "key",
        "late_reopen_attempts",
        "replied",
        "res",
        "severity",
        "status",
        "trace",
        "trackers",
        "updates",
    )

    def __init__(
        self, res: Resolver, customer: Customer, severity: int, opened_at: datetime, *, trace: bool
    ) -> None:
        self.res = res
        self.customer = customer
        self.severity = severity
        self.trace = trace
        self.status = "open"
        self.updates: list[Run] = []
        self.cur: Run | None = None  # the running update cycle
        self.late_reopen_attempts: list[datetime] = []
        self.first_closed_at: datetime | None = None
        self.auto_close_since: datetime | None = None
        self.future_events = 0
        self.replied = False  # a support update has come (the first_reply event)
        self.key = customer_key(customer)
        deadline = res.deadline(severity, INITIAL_RESPONSE, customer, self.key)
        assert deadline is not None  # every severity of a valid policy has one
        self.initial = Run(
            INITIAL_RESPONSE, 0, severity, deadline, opened_at, paused=False, history=[] if trace else None
        )
        self.initial.note("start", opened_at, "case opened")
        self.trackers = [Tracker(spec) for spec in res.metrics]
        for tracker in self.trackers:
            tracker.fire(self, opened_at, ("opened",))

    def fire(self, at: datetime, events: tuple[str, ...]) -> None:
        """Pass the events of one instant to the metrics followed by definition."""
        for tracker in self.trackers:
            tracker.fire(self, at, events)

    def others(self) -> list[Run]:
        """The runs of the metrics followed by definition, metric by metric."""
        return [run for tracker in self.trackers for run in tracker.runs]

    # -- the rules -------------------------------------------------------------------------

    def start_cycle(self, at: datetime, why: str) -> None:
        res = self.res
        deadline = res.deadline(self.severity, UPDATE, self.customer, self.key)
        if deadline is None:  # the policy promises no updates at this severity
            return
        updates = self.updates
        self.cur = _begin(
            self, updates, UPDATE, len(updates) + 1, deadline, at, self.status in res.pause, why
        )

    def support_update(self, at: datetime) -> None:
        initial = self.initial
        if self.trackers:
            self.fire(at, ("support_update",) if self.replied else ("first_reply", "support_update"))
        self.replied = True
        if initial.end is None:
            initial.finish("met", at, "support update (initial response)")
            if self.status not in self.res.stop:
                self.start_cycle(at, "initial response given; first update cycle")
        elif self.status not in self.res.stop:
            cur = self.cur
            if cur is not None:
                cur.finish("met", at, "support update")
                self.cur = None
            self.start_cycle(at, "support update; next update cycle")

    def customer_update(self, at: datetime) -> None:
        res = self.res
        status = self.status
        if status in res.pause:
            self.set_status(at, "in_progress", "customer update")
        elif status in res.closed:
            until = self.reopen_until()
            if status not in res.reopenable:  # e.g. an enhancement request filed: no reopening
                pass
            elif until is not None and at <= until:
                why = (
                    f"customer update within the reopen window (until {until.isoformat()})"
                    if self.trace
                    else ""
                )
                self.set_status(at, "reopened", why)
            else:
                self.late_reopen_attempts.append(at)
        elif status in res.auto_close:
            self.auto_close_since = at
        if self.trackers:
            self.fire(at, ("customer_update",))

    def set_status(self, at: datetime, new: str, why: str) -> None:
        old = self.status
        if new == old:
            return
        res = self.res
        self.status = new
        closing = new in res.closed
        if closing and self.first_closed_at is None:
            self.first_closed_at = at
        if new in res.auto_close:
            if old not in res.auto_close:
                self.auto_close_since = at
        else:
            self.auto_close_since = None
        text = f"{why}: {old} -> {new}" if self.trace else ""
        initial = self.initial
        if closing and initial.end is None:
            if initial.breached:
                initial.finish("stopped", at, f"{text}; closed without a response")
            else:
                initial.finish("cancelled", at, f"{text}; closed before any response")
        cur = self.cur
        if cur is not None:
            if _follow_status(
                cur, old, new, at, text, res.pause, res.stop, "stopped", "update clock stopped"
            ):
                self.cur = None
        elif old in res.stop and new not in res.stop and initial.end is not None:
            self.start_cycle(at, f"{text}; leaving {old} starts a new update cycle")
        if self.trackers:
            for tracker in self.trackers:
                tracker.status(self, at, old, new, text)
            if closing and old not in res.closed:
                self.fire(at, ("closed",))
            elif old in res.closed and not closing:
                self.fire(at, ("reopened",))

    def change_severity(self, at: datetime, level: int) -> None:
        old = self.severity
        if level == old:
            return
        self.severity = level
        res = self.res
        mode = "restart" if res.restart else "rebase"
        trackers = {id(t.cur): t for t in self.trackers if t.cur is not None}
        for run in (self.initial, self.cur, *(t.cur for t in self.trackers)):
            if run is None or run.end is not None:
                continue
            if run.breached:
                run.note("severity", at, f"severity {old} -> {level} ({mode}): already breached, result kept")
                continue
            deadline = res.deadline(level, run.metric, self.customer, self.key)
            if deadline is None:
                run.finish(
                    "stopped", at, f"severity {old} -> {level}: no {run.metric} target at the new severity"
                )
                if run is self.cur:
                    self.cur = None
                tracker = trackers.get(id(run))
                if tracker is not None:
                    tracker.cur = None
                continue
            if res.restart:
                tracker = trackers.get(id(run))
                if tracker is not None:
                    paused = self.status in tracker.spec.pause
                else:
                    paused = run.metric == UPDATE and self.status in res.pause
                run.restart(level, deadline, at, paused=paused)
                run.note(
                    "severity", at, f"severity {old} -> {level} (restart): {deadline.target} from the change"
                )
            else:
                run.retarget(level, deadline)
                run.note(
                    "severity",
                    at,
                    f"severity {old} -> {level} (rebase): {deadline.target} from the original start",
                )
            run.check_breach(at, f"breached at once: the {mode}d deadline had passed before the change")

    # -- derived results -------------------------------------------------------------------

    def auto_close_at(self) -> datetime | None:
        since = self.auto_close_since
        if since is None or self.status not in self.res.auto_close:
            return None
        return self.res.lifecycle.auto_close_at(since, self.customer, self.res.clocks)

    def reopen_until(self) -> datetime | None:
        if self.status not in self.res.closed or self.first_closed_at is None:
            return None
        return self.res.lifecycle.reopen_until(self.first_closed_at, self.customer, self.res.clocks)


def _begin(
    state: Replay,
    runs: list[Run],
    metric: str,
    index: int,
    deadline: Deadline,
    at: datetime,
    paused: bool,
    why: str,
) -> Run:
    """A new run of ``metric`` from ``at``, appended to ``runs`` (a tracker's or the update
    cycles), paused from the start if the case is in a pause status for it."""
    run = Run(metric, index, state.severity, deadline, at, paused=paused, history=[] if state.trace else None)
    runs.append(run)
    if state.trace:
        run.note("start", at, why)
        if run.paused_at is not None:
            run.note("pause", at, f"status {state.status}: clock paused from the start")
    return run


def _follow_status(
    cur: Run,
    old: str,
    new: str,
    at: datetime,
    text: str,
    pause: frozenset[str],
    stop: frozenset[str],
    end: End,
    note: str,
) -> bool:
    """The running clock ``cur`` as the status goes from ``old`` to ``new``: ended as
    ``end`` on entering a stop status (returns ``True``), paused on entering a pause
    status, resumed on leaving one."""
    if new in stop:
        cur.finish(end, at, f"{text}; {note}")
        return True
    if new in pause:
        if old not in pause:
            cur.pause(at, text)
    elif old in pause:
        cur.resume(at, text)
    return False


def _timeline_error(case_id: str, index: int, at: datetime, message: str) -> TimelineError:
    return TimelineError(f"case {case_id!r}: events[{index}] at {at.isoformat()}: {message}")


def _unknown(value: object, what: str, known: Iterable[object], policy: str) -> str:
    names = [str(k) for k in known]
    return f"{what} {value!r} is not in policy {policy!r}; expected one of {', '.join(names)}{did_you_mean(value, names)}"


def _check_severity(case_id: str, severity: int, res: Resolver) -> None:
    if severity not in res.levels:
        raise TimelineError(
            f"case {case_id!r}: " + _unknown(severity, "severity", res.policy.levels, res.policy.name)
        )


def check_case_names(case_id: str, severity: int, timeline: Timeline, res: Resolver) -> None:
    """Raise :class:`TimelineError` as :func:`replay` would, without replaying."""
    _check_severity(case_id, severity, res)
    _check_names(case_id, timeline, res)


def _check_names(case_id: str, events: Iterable[tuple[datetime, int, Event]], res: Resolver) -> None:
    """Raise for the first event whose status or severity the policy does not have."""
    for _, index, ev in events:
        if ev.status is not None and ev.status not in res.statuses:
            message = _unknown(ev.status, "status", res.lifecycle.statuses, res.policy.name)
            raise _timeline_error(case_id, index, ev.at, message)
        if ev.severity is not None and ev.severity not in res.levels:
            message = _unknown(ev.severity, "severity", res.policy.levels, res.policy.name)
            raise _timeline_error(case_id, index, ev.at, message)


def replay(
    case_id: str,
    severity: int,
    opened_at: datetime,
    customer: Customer,
    timeline: Timeline,
    res: Resolver,
    now: datetime,
    *,
    trace: bool,
) -> Replay:
    """Replay the events at or before ``now`` (all instants UTC), in order.

    Raises:
        TimelineError: the case's severity, or an event's status or severity, is not in
            the policy (events after ``now`` included, though they are not replayed).
    """
    _check_severity(case_id, severity, res)
    state = Replay(res, customer, severity, opened_at, trace=trace)
    initial = state.initial
    for position, (at, index, ev) in enumerate(timeline):
        if at > now:  # sorted: this and every later event lie after ``now``
            state.future_events = len(timeline) - position
            _check_names(case_id, timeline[position:], res)  # not replayed, still refused if bad
            break
        # a deadline that passed before this event is breached, whatever the event is
        if initial.end is None and at > initial.bound:
            initial.check_breach(at)
        cur = state.cur
        if cur is not None and at > cur.bound:
            cur.check_breach(at)
        for tracker in state.trackers:
            other = tracker.cur
            if other is not None and at > other.bound:
                other.check_breach(at, tracker.why())
        kind = ev.kind
        if kind == "support_update":
            state.support_update(at)
        elif kind == "status":
            new = ev.status
            assert new is not None
            if new not in res.statuses:
                _check_names(case_id, ((at, index, ev),), res)
            state.set_status(at, new, "status")
        elif kind == "customer_update":
            state.customer_update(at)
        else:  # severity
            level = ev.severity
            assert level is not None
            if level not in res.levels:
                _check_names(case_id, ((at, index, ev),), res)
            state.change_severity(at, level)

    initial.check_breach(now)
    if state.cur is not None:
        state.cur.check_breach(now)
    for tracker in state.trackers:
        if tracker.cur is not None:
            tracker.cur.check_breach(now, tracker.why())
    return state
