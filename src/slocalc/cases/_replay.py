"""The replay: a case's events, in order, through the lifecycle rules of a policy.

Private. :func:`replay` walks the sorted events once (linear in their number) and leaves
plain ``__slots__`` objects behind: :class:`Run` per target (the initial response and each
update cycle) and :class:`Replay` for the case. ``evaluate`` turns them into pydantic
reports; ``check`` reads them directly, which keeps it fast.

Every instant inside is a UTC ``datetime``: comparisons and differences of UTC datetimes
are exact, which is not true of two datetimes sharing a DST zone's tzinfo.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

from slocalc._time import from_us
from slocalc.calendars import ALWAYS, BusinessCalendar, Calendar, ZonedCalendar
from slocalc.cases._models import Event
from slocalc.cases._report import StepKind, TargetState
from slocalc.errors import TimelineError, close_matches
from slocalc.policies import INITIAL_RESPONSE, UPDATE, Customer, Policy, Target

__all__ = ["Replay", "Resolver", "Run", "replay"]

_ZERO: Final = timedelta(0)
End = Literal["met", "stopped", "cancelled"]

#: (lower bound of a deadline from its start, whether exact, weekdays that may be open)
Bound = tuple[timedelta, bool, frozenset[int] | None]
#: a step of a target's history: (kind, at, deadline after the step or None, note)
Step = tuple[StepKind, datetime, datetime | None, str]


class Resolver:
    """What one policy says, looked up once: targets, clocks and lifecycle sets.

    ``evaluate`` and ``check`` share resolvers through :func:`resolver_for`, so a
    customer's calendars are resolved once per policy, not once per case.
    """

    __slots__ = (
        "_bounds",
        "_clocks",
        "_targets",
        "_weekdays",
        "auto_close",
        "closed",
        "levels",
        "lifecycle",
        "pause",
        "policy",
        "restart",
        "statuses",
        "stop",
    )

    def __init__(self, policy: Policy) -> None:
        life = policy.lifecycle
        self.policy = policy
        self.lifecycle = life
        self.levels = frozenset(policy.levels)
        self.statuses = frozenset(life.statuses)
        self.pause = frozenset(life.pause_statuses)
        self.stop = frozenset(life.stop_statuses)
        self.closed = frozenset(life.closed_statuses)
        self.auto_close = frozenset(life.auto_close_statuses) if life.auto_close_after else frozenset()
        self.restart = life.severity_change == "restart"
        self._targets: dict[tuple[int, str], Target | None] = {}
        self._clocks: dict[tuple[int, str, str | None, str | None, str], Calendar] = {}
        self._bounds: dict[tuple[int, int], Bound] = {}
        self._weekdays: dict[int, tuple[Calendar, frozenset[int] | None]] = {}

    def target(self, severity: int, metric: str) -> Target | None:
        """The target of ``metric`` at ``severity``, or ``None`` if the policy has none."""
        key = (severity, metric)
        try:
            return self._targets[key]
        except KeyError:
            pass
        found = self.policy.target(severity, metric) if metric in self.policy.metrics(severity) else None
        self._targets[key] = found
        return found

    def clock(self, target: Target, customer: Customer) -> Calendar:
        """The calendar whose open time pauses are measured on, for ``target``.

        A target's own clock, except for ``calendar_days`` targets: they count whole local
        days whatever the hours, so their pauses are measured in elapsed time (``24x7``).
        """
        key = (id(target), customer.tz, customer.country, customer.subdiv, customer.hours)
        cal = self._clocks.get(key)
        if cal is None:
            cal = ALWAYS if target.unit == "calendar_days" else target.calendar(customer)
            self._clocks[key] = cal
        return cal

    def bound(self, target: Target, clock: Calendar) -> Bound:
        """What bounds ``target``'s deadline on ``clock`` from below, cached.

        ``(delta, exact, weekdays)``: the deadline is never before ``start + delta``, and is
        exactly that when ``exact`` (hours or minutes on ``24x7``, where clock time is
        elapsed time); ``weekdays`` (business days on weekly hours) refines the bound.
        """
        key = (id(target), id(clock))
        found = self._bounds.get(key)
        if found is None:
            exact = target.clock == "24x7" and target.clock_time is not None
            days = self.weekdays(clock) if target.unit == "business_days" else None
            found = self._bounds[key] = (_lower_bound(target), exact, days)
        return found

    def weekdays(self, cal: Calendar) -> frozenset[int] | None:
        """The weekdays on which ``cal`` may have open time, if it is weekly hours.

        A superset of its business dates' weekdays: holidays only close dates. ``None``
        when that cannot be read off (not a :class:`BusinessCalendar`, or overrides,
        which may open any date).
        """
        hit = self._weekdays.get(id(cal))
        if hit is None:
            days: frozenset[int] | None = None
            if isinstance(cal, BusinessCalendar) and not cal.overrides:
                found = set()
                for wd, ranges in enumerate(cal.weekly):
                    if ranges:
                        found.add(wd)
                    if any(end > 1440 for _, end in ranges):  # an overnight shift opens the next date
                        found.add((wd + 1) % 7)
                days = frozenset(found) or None
            hit = self._weekdays[id(cal)] = (cal, days)
        return hit[1]


_RESOLVERS: dict[int, Resolver] = {}


def resolver_for(policy: Policy) -> Resolver:
    """The shared resolver of ``policy`` (by identity; policies are immutable)."""
    res = _RESOLVERS.get(id(policy))
    if res is None or res.policy is not policy:
        if len(_RESOLVERS) > 64:
            _RESOLVERS.clear()
        res = _RESOLVERS[id(policy)] = Resolver(policy)
    return res


class Run:
    """One target being tracked: the initial response or one update cycle.

    ``pauses`` holds every interval the case spent in a pause status since ``start`` (the
    last one open while paused), so a rebase can apply them to a new deadline.

    The deadline is computed lazily: :meth:`settle` folds the pauses into the target's own
    deadline by the rule of SPEC §5 (each pause ``[p, r)`` that begins before the deadline
    moves it by ``clock.between(p, r)``), only when an event or ``now`` comes after
    ``bound``, a cheap lower bound of the deadline. A cycle answered well before its
    deadline never computes it, which is what makes :func:`check` fast; the result is the
    same as folding eagerly at every event.
    """

    __slots__ = (
        "_base",
        "_due",
        "_elapsed",
        "_folded",
        "_refine",
        "bound",
        "breached",
        "clock",
        "customer",
        "end",
        "ended_at",
        "history",
        "index",  # the cycle: 0 for the initial response, 1, 2, ... for updates
        "met_at",
        "metric",
        "paused_at",
        "pauses",
        "severity",
        "start",
        "target",
        "weekdays",
    )

    def __init__(
        self,
        metric: str,
        index: int,
        severity: int,
        target: Target,
        clock: Calendar,
        start: datetime,
        customer: Customer,
        bound: Bound,
        *,
        paused: bool,
        history: list[Step] | None,
    ) -> None:
        self.metric = metric
        self.index = index
        self.customer = customer
        self.history = history
        self.breached = False
        self.end: End | None = None  # None while running
        self.met_at: datetime | None = None
        self.ended_at: datetime | None = None
        self._begin(severity, target, clock, start, bound, paused=paused)

    def _begin(
        self,
        severity: int,
        target: Target,
        clock: Calendar,
        start: datetime,
        bound: Bound,
        *,
        paused: bool,
    ) -> None:
        self.severity = severity
        self.target = target
        self.clock = clock
        self.start = start
        self.pauses: list[list[datetime | None]] = [[start, None]] if paused else []
        self.bound = start + bound[0]
        #: business days still to refine ``bound`` with (see :meth:`check_breach`)
        self._refine = target.amount if target.unit == "business_days" else 0
        self.weekdays = bound[2]
        #: the clock is elapsed time (24x7): no calendar needed
        self._elapsed = clock is ALWAYS
        self._base: datetime | None = self.bound if bound[1] else None
        self._due: datetime | None = self._base
        self._folded = 0
        self.paused_at: datetime | None = None
        if self.history is not None:
            self.settle()

    # -- the deadline ----------------------------------------------------------------------

    def settle(self) -> datetime:
        """Fold the pauses recorded so far into the deadline; set ``paused_at``."""
        due = self._due
        if due is None:
            due = self._base = self._due = self.target.due(self.start, self.customer)
        pauses = self.pauses
        i = self._folded
        paused_at = None
        while i < len(pauses):
            p, r = pauses[i]
            assert p is not None
            if p >= due:  # this pause and every later one begin after the deadline
                i = _FROZEN
                break
            if r is None:
                paused_at = p
                break
            if self._elapsed:
                due = due + (r - p)
            else:
                ext = self.clock.between(p, r)
                if ext > _ZERO:
                    due = self.clock.add(due, ext)
            i += 1
        self._folded = i
        self._due = due
        self.paused_at = paused_at
        return due

    @property
    def due(self) -> datetime:
        return self.settle()

    @property
    def base(self) -> datetime:
        """The target's own deadline from ``start``, before pauses."""
        if self._base is None:
            self.settle()
        assert self._base is not None
        return self._base

    def note(self, kind: StepKind, at: datetime, text: str) -> None:
        if self.history is not None:
            due = self.settle()
            self.history.append((kind, at, None if self.paused_at is not None else due, text))

    def check_breach(self, at: datetime, why: str = "deadline passed without a support update") -> None:
        """Flag the breach if the deadline passed strictly before ``at``."""
        if self.end is not None or self.breached or at <= self.bound:
            return
        if self._refine:
            # a tighter bound than N-1 days, still far cheaper than the deadline itself
            self.bound = max(self.bound, _weekly_bound(self.clock, self.weekdays, self.start, self._refine))
            self._refine = 0
            if at <= self.bound:
                return
        due = self.settle()
        if self.paused_at is None and due < at:
            self.breached = True
            if self.history is not None:
                self.history.append(("breach", due, due, why))

    # -- what happens to it ----------------------------------------------------------------

    def pause(self, at: datetime, why: str) -> None:
        self.pauses.append([at, None])
        if self.history is None or self.breached:
            return
        due = self.settle()
        if self.paused_at is not None:
            left = self.clock.between(at, due)
            self.note("pause", at, f"{why}: clock paused with {_td(left)} of clock time left")
        else:
            self.note("pause", at, f"{why}: at the deadline, so the pause does not move it")

    def resume(self, at: datetime, why: str) -> None:
        if not self.pauses or self.pauses[-1][1] is not None:
            return
        self.pauses[-1][1] = at
        if self.history is None or self.breached or self.paused_at is None:
            return
        p = self.paused_at
        ext = self.clock.between(p, at)
        self.note(
            "resume", at, f"{why}: paused {_td(at - p)} elapsed, {_td(ext)} of clock time; deadline moved"
        )

    def finish(self, end: End, at: datetime, why: str) -> None:
        """End the run at ``at`` (an open pause ends there too)."""
        self.resume(at, why)
        self.end = end
        self.ended_at = at
        if end == "met":
            self.met_at = at
        if self.history is not None:
            self.history.append((end, at, self.settle(), why))

    def retarget(self, severity: int, target: Target, clock: Calendar, bound: Bound) -> None:
        """Rebase: the new target from the original start, the recorded pauses reapplied."""
        pauses = self.pauses
        history, self.history = self.history, None
        self._begin(severity, target, clock, self.start, bound, paused=False)
        self.pauses = pauses
        self.history = history
        if history is not None:
            self.settle()

    def restart(
        self,
        severity: int,
        target: Target,
        clock: Calendar,
        at: datetime,
        bound: Bound,
        *,
        paused: bool,
    ) -> None:
        """Restart: the new target from ``at``, as if the run began there."""
        self._begin(severity, target, clock, at, bound, paused=paused)

    # -- results at ``now`` (after a last ``check_breach(now)``) -----------------------------

    def state(self) -> TargetState:
        if self.end == "cancelled":
            return "cancelled"
        if self.breached:
            return "breached"
        if self.end is not None:
            return self.end
        self.settle()
        return "paused" if self.paused_at is not None else "pending"

    def due_at(self) -> datetime | None:
        due = self.settle()
        return None if self.end is None and self.paused_at is not None and not self.breached else due

    def remaining(self, now: datetime) -> timedelta | None:
        if self.end is not None or self.breached:
            return None
        due = self.settle()
        start = now if self.paused_at is None else self.paused_at
        return due - start if self._elapsed else self.clock.between(start, due)

    def breached_by(self, now: datetime) -> timedelta | None:
        if not self.breached:
            return None
        end = self.ended_at if self.ended_at is not None else now
        return end - self.settle()

    def budget(self) -> timedelta:
        """The clock time the target allows (its own deadline from its start)."""
        base = self.base
        return base - self.start if self._elapsed else self.clock.between(self.start, base)


_FROZEN: Final = 1 << 62
_DAY: Final = timedelta(days=1)
_SLACK: Final = timedelta(hours=3)  # more than any UTC-offset change in a few days


_MIDNIGHTS: dict[tuple[int, int, int], tuple[Calendar, datetime]] = {}


def _weekly_bound(cal: Calendar, weekdays: frozenset[int] | None, start: datetime, n: int) -> datetime:
    """A lower bound of ``cal.add_days(start, n)``: local midnight of the n-th date after
    ``start``'s local date whose weekday may be open (``start`` when that is unknown).

    ``add_days`` lands on the n-th *business* date after ``next_open(start)``'s date;
    business dates are among the ``weekdays`` dates and ``next_open(start) >= start``.
    Cached per calendar, local date and ``n``: cases opened the same day share it.
    """
    if weekdays is None or not isinstance(cal, ZonedCalendar):
        return start
    day = start.astimezone(cal.zone).date()
    key = (id(cal), day.toordinal(), n)
    hit = _MIDNIGHTS.get(key)
    if hit is not None and hit[0] is cal:
        return hit[1]
    while n:
        day += _DAY
        if day.weekday() in weekdays:
            n -= 1
    found = from_us(cal.boundary(day), UTC)
    if len(_MIDNIGHTS) >= 65_536:
        _MIDNIGHTS.clear()
    _MIDNIGHTS[key] = (cal, found)
    return found


def _lower_bound(target: Target) -> timedelta:
    """A duration the target's deadline is never earlier than, from its start.

    Clock time never runs faster than elapsed time, so ``N hours`` is at least N hours
    away. ``N business_days``/``calendar_days`` keep the local wall time N local dates on:
    at least N - 1 days, less any offset change (a zone skipping a date loses a day).
    """
    step = target.clock_time
    if step is not None:
        return step
    return max(_ZERO, (target.amount - 1) * _DAY - _SLACK)


def _td(d: timedelta) -> str:
    """A duration as hours, minutes, seconds: ``27:00:00`` (business time reads as hours)."""
    sign = "-" if d < _ZERO else ""
    d = abs(d)
    total = d.days * 86_400 + d.seconds
    text = f"{sign}{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return f"{text}.{d.microseconds:06d}" if d.microseconds else text


class Replay:
    """A case being replayed, and its state once every event up to ``now`` is in.

    Status rules (SPEC §5, the lifecycle of the policy):

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
        target = res.target(severity, INITIAL_RESPONSE)
        assert target is not None  # every severity of a valid policy has one
        clock = res.clock(target, customer)
        self.initial = Run(
            INITIAL_RESPONSE,
            0,
            severity,
            target,
            clock,
            opened_at,
            customer,
            res.bound(target, clock),
            paused=False,
            history=[] if trace else None,
        )
        self.initial.note("start", opened_at, "case opened")

    # -- the rules -------------------------------------------------------------------------

    def start_cycle(self, at: datetime, why: str) -> None:
        res = self.res
        target = res.target(self.severity, UPDATE)
        if target is None:  # the policy promises no updates at this severity
            return
        clock = res.clock(target, self.customer)
        run = Run(
            UPDATE,
            len(self.updates) + 1,
            self.severity,
            target,
            clock,
            at,
            self.customer,
            res.bound(target, clock),
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
            self.start_cycle(at, "support update; next update cycle")

    def customer_update(self, at: datetime) -> None:
        res = self.res
        status = self.status
        if status in res.pause:
            self.set_status(at, "in_progress", "customer update")
        elif status in res.closed:
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
            target = res.target(level, run.metric)
            if target is None:
                run.finish(
                    "stopped", at, f"severity {old} -> {level}: no {run.metric} target at the new severity"
                )
                if run is self.cur:
                    self.cur = None
                continue
            clock = res.clock(target, self.customer)
            if res.restart:
                paused = run.metric == UPDATE and self.status in res.pause
                run.restart(level, target, clock, at, res.bound(target, clock), paused=paused)
                run.note("severity", at, f"severity {old} -> {level} (restart): {target} from the change")
            else:
                run.retarget(level, target, clock, res.bound(target, clock))
                run.note(
                    "severity", at, f"severity {old} -> {level} (rebase): {target} from the original start"
                )
            run.check_breach(at, f"breached at once: the {mode}d deadline had passed before the change")

    # -- derived results -------------------------------------------------------------------

    def auto_close_at(self) -> datetime | None:
        since = self.auto_close_since
        if since is None or self.status not in self.res.auto_close:
            return None
        return self.res.lifecycle.auto_close_at(since, self.customer)

    def reopen_until(self) -> datetime | None:
        if self.status not in self.res.closed or self.first_closed_at is None:
            return None
        return self.res.lifecycle.reopen_until(self.first_closed_at, self.customer)


def _timeline_error(case_id: str, index: int, at: datetime, message: str) -> TimelineError:
    return TimelineError(f"case {case_id!r}: events[{index}] at {at.isoformat()}: {message}")


def _unknown(value: object, what: str, known: Iterable[object], policy: str) -> str:
    names = [str(k) for k in known]
    hint = close_matches(str(value), names)
    did = f"; did you mean {' or '.join(map(repr, hint))}?" if hint else ""
    return f"{what} {value!r} is not in policy {policy!r}; expected one of {', '.join(names)}{did}"


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
            the policy.
    """
    if severity not in res.levels:
        raise TimelineError(
            f"case {case_id!r}: " + _unknown(severity, "severity", res.policy.levels, res.policy.name)
        )
    state = Replay(res, customer, severity, opened_at, trace=trace)
    initial = state.initial
    for position, (at, index, ev) in enumerate(timeline):
        if at > now:  # sorted: this and every later event lie after ``now``
            state.future_events = len(timeline) - position
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
                raise _timeline_error(
                    case_id, index, ev.at, _unknown(new, "status", res.lifecycle.statuses, res.policy.name)
                )
            state.set_status(at, new, "status")
        elif kind == "customer_update":
            state.customer_update(at)
        else:  # severity
            level = ev.severity
            assert level is not None
            if level not in res.levels:
                raise _timeline_error(
                    case_id, index, ev.at, _unknown(level, "severity", res.policy.levels, res.policy.name)
                )
            state.change_severity(at, level)

    initial.check_breach(now)
    if state.cur is not None:
        state.cur.check_breach(now)
    return state
