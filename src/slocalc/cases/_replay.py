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

from slocalc.cases._models import Event
from slocalc.cases._resolver import Resolver, customer_key
from slocalc.cases._run import Run
from slocalc.errors import TimelineError, did_you_mean
from slocalc.policies import INITIAL_RESPONSE, UPDATE, Customer

__all__ = ["Replay", "check_case_names", "replay"]


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
        "res",
        "severity",
        "status",
        "trace",
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
        self.key = customer_key(customer)
        deadline = res.deadline(severity, INITIAL_RESPONSE, customer, self.key)
        assert deadline is not None  # every severity of a valid policy has one
        self.initial = Run(
            INITIAL_RESPONSE, 0, severity, deadline, opened_at, paused=False, history=[] if trace else None
        )
        self.initial.note("start", opened_at, "case opened")

    # -- the rules -------------------------------------------------------------------------

    def start_cycle(self, at: datetime, why: str) -> None:
        res = self.res
        deadline = res.deadline(self.severity, UPDATE, self.customer, self.key)
        if deadline is None:  # the policy promises no updates at this severity
            return
        run = Run(
            UPDATE,
            len(self.updates) + 1,
            self.severity,
            deadline,
            at,
            paused=self.status in res.pause,
            history=[] if self.trace else None,
        )
        self.updates.append(run)
        self.cur = run
        if self.trace:
            run.note("start", at, why)
            if run.paused_at is not None:
                run.note("pause", at, f"status {self.status}: clock paused from the start")

    def support_update(self, at: datetime) -> None:
        initial = self.initial
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
            if status not in res.reopenable:  # e.g. an enhancement request filed: no reopening
                return
            until = self.reopen_until()
            if until is not None and at <= until:
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
            if new in res.stop:
                cur.finish("stopped", at, f"{text}; update clock stopped")
                self.cur = None
            elif new in res.pause:
                if old not in res.pause:
                    cur.pause(at, text)
            elif old in res.pause:
                cur.resume(at, text)
        elif old in res.stop and new not in res.stop and initial.end is not None:
            self.start_cycle(at, f"{text}; leaving {old} starts a new update cycle")

    def change_severity(self, at: datetime, level: int) -> None:
        old = self.severity
        if level == old:
            return
        self.severity = level
        res = self.res
        mode = "restart" if res.restart else "rebase"
        for run in (self.initial, self.cur):
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
                continue
            if res.restart:
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


def check_case_names(
    case_id: str, severity: int, timeline: tuple[tuple[datetime, int, Event], ...], res: Resolver
) -> None:
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
    timeline: tuple[tuple[datetime, int, Event], ...],
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
    return state
