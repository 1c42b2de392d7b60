"""``Run``: one target being tracked through a replay.

Private. All instants are UTC ``datetime`` (comparisons and differences of UTC datetimes
are exact, which is not true of two datetimes sharing a DST zone's tzinfo).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final, Literal

from slocalc.cases._report import StepKind, TargetState
from slocalc.policies import Deadline

__all__ = ["End", "Run", "Trace", "hours"]

_ZERO: Final = timedelta(0)
_FROZEN: Final = 1 << 62
End = Literal["met", "stopped", "cancelled"]
#: one step of a run's history as recorded (in UTC): kind, instant, deadline after it
#: (``None`` while paused), note; ``evaluate`` makes each a :class:`~slocalc.cases.Step`
#: in the case's zone
Trace = tuple[StepKind, datetime, datetime | None, str]


def hours(d: timedelta) -> str:
    """A duration as hours, minutes, seconds: ``27:00:00`` (business time reads as hours)."""
    sign = "-" if d < _ZERO else ""
    d = abs(d)
    total = d.days * 86_400 + d.seconds
    text = f"{sign}{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return f"{text}.{d.microseconds:06d}" if d.microseconds else text


class Run:
    """One target being tracked: the initial response or one update cycle.

    ``pauses`` holds every interval the case spent in a pause status since ``start`` (the
    last one open while paused), so a rebase can apply them to a new deadline.

    The deadline is computed lazily: :meth:`settle` folds the pauses into the target's own
    deadline by the pause rule of docs/concepts/case-lifecycle.md (each pause ``[p, r)`` that begins before the deadline
    moves it by ``clock.add(due, clock.between(p, r))``), only when an event or ``now``
    comes after ``bound``, a cheap lower bound of the deadline. A cycle answered well before
    its deadline never computes it, which keeps :func:`check` fast; the result is the same
    as folding eagerly at every event (and with ``history`` it is folded eagerly).
    """

    __slots__ = (
        "_base",
        "_due",
        "_folded",
        "bound",
        "breached",
        "deadline",
        "end",
        "ended_at",
        "history",
        "index",
        "met_at",
        "metric",
        "paused_at",
        "pauses",
        "severity",
        "start",
    )

    def __init__(
        self,
        metric: str,
        index: int,
        severity: int,
        deadline: Deadline,
        start: datetime,
        *,
        paused: bool,
        history: list[Trace] | None,
    ) -> None:
        self.metric = metric
        self.index = index  # the cycle: 0 for the initial response, 1, 2, ... for updates
        self.history = history
        self.breached = False
        self.end: End | None = None  # None while running
        self.met_at: datetime | None = None
        self.ended_at: datetime | None = None
        self._begin(severity, deadline, start, paused=paused)

    def _begin(self, severity: int, deadline: Deadline, start: datetime, *, paused: bool) -> None:
        self.severity = severity
        self.deadline = deadline
        self.start = start
        self.pauses: list[list[datetime | None]] = [[start, None]] if paused else []
        self.bound = start + deadline.lower_bound
        self._base: datetime | None = self.bound if deadline.exact else None
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
            due = self._base = self._due = self.deadline.due(self.start)
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
            if self.deadline.elapsed:
                due = due + (r - p)
            else:
                clock = self.deadline.clock
                ext = clock.between(p, r)
                if ext > _ZERO:
                    due = clock.add(due, ext)
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
            left = self.deadline.clock.between(at, due)
            self.note("pause", at, f"{why}: clock paused with {hours(left)} of clock time left")
        else:
            self.note("pause", at, f"{why}: at the deadline, so the pause does not move it")

    def resume(self, at: datetime, why: str) -> None:
        if not self.pauses or self.pauses[-1][1] is not None:
            return
        self.pauses[-1][1] = at
        if self.history is None or self.breached or self.paused_at is None:
            return
        p = self.paused_at
        ext = self.deadline.clock.between(p, at)
        self.note(
            "resume", at, f"{why}: paused {hours(at - p)} elapsed, {hours(ext)} of clock time; deadline moved"
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

    def retarget(self, severity: int, deadline: Deadline) -> None:
        """Rebase: the new target from the original start, the recorded pauses reapplied."""
        pauses = self.pauses
        history, self.history = self.history, None
        self._begin(severity, deadline, self.start, paused=False)
        self.pauses = pauses
        self.history = history
        if history is not None:
            self.settle()

    def restart(self, severity: int, deadline: Deadline, at: datetime, *, paused: bool) -> None:
        """Restart: the new target from ``at``, as if the run began there."""
        self._begin(severity, deadline, at, paused=paused)

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
        return due - start if self.deadline.elapsed else self.deadline.clock.between(start, due)

    def breached_by(self, now: datetime) -> timedelta | None:
        if not self.breached:
            return None
        end = self.ended_at if self.ended_at is not None else now
        return end - self.settle()

    def budget(self) -> timedelta:
        """The clock time the target allows (its own deadline from its start)."""
        base = self.base
        return base - self.start if self.deadline.elapsed else self.deadline.clock.between(self.start, base)
