"""The results of an evaluation: ``TargetResult``, ``CaseReport``, ``Alert`` and ``CaseCheck``.

Frozen slotted dataclasses, built by :func:`~slocalc.cases.evaluate`,
:func:`~slocalc.cases.check` and :func:`~slocalc.cases.check_case`: they compare and hash by
value, and serialise with ``to_dict()`` / ``to_json()`` (instants as ISO 8601 with their
offset, durations as ISO 8601 durations) and read back with ``from_dict`` / ``from_json``
(see docs/cases.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Self, cast, final

from slocalc._time import duration_json, instant_json
from slocalc.errors import MissingExtraError, SlocalcTypeError

if TYPE_CHECKING:
    import pandas
    from pydantic import TypeAdapter

__all__ = [
    "Alert",
    "AlertKind",
    "CaseCheck",
    "CaseReport",
    "SkipReason",
    "Step",
    "StepKind",
    "TargetResult",
    "TargetState",
    "Verdict",
    "to_frame",
]

TargetState = Literal["pending", "paused", "met", "breached", "stopped", "cancelled"]
AlertKind = Literal["breached", "at_risk"]
StepKind = Literal["start", "pause", "resume", "severity", "breach", "met", "stopped", "cancelled"]
#: why :func:`~slocalc.cases.check_case` did not replay a case
SkipReason = Literal["opened_after_now"]
#: a checked case in one word: ``breached`` if a target is, else ``at_risk`` if a target is,
#: else ``ok``; ``skipped`` when the case was not replayed
Verdict = Literal["breached", "at_risk", "ok", "skipped"]


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(cls: type[Any]) -> TypeAdapter[Any]:
    """pydantic's serialiser for a result type, built on first use (a race builds it twice)."""
    found = _ADAPTERS.get(cls)
    if found is None:
        from pydantic import TypeAdapter

        found = _ADAPTERS[cls] = TypeAdapter(cls)
    return found


class _Serialised:
    """``to_dict``/``to_json`` and back, by pydantic (imported on first use)."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: instants as ISO 8601 text with offset, durations as ISO 8601
        durations (``PT3H``), tuples as lists."""
        return cast("dict[str, Any]", _adapter(type(self)).dump_python(self, mode="json"))

    def to_json(self) -> str:
        """The same as :meth:`to_dict`, as compact JSON text."""
        return _adapter(type(self)).dump_json(self).decode()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Read back what :meth:`to_dict` wrote (equal to the original)."""
        return cast("Self", _adapter(cls).validate_python(data))

    @classmethod
    def from_json(cls, text: str | bytes) -> Self:
        """Read back what :meth:`to_json` wrote (equal to the original)."""
        return cast("Self", _adapter(cls).validate_json(text))


def _label(metric: str, cycle: int) -> str:
    # cycle 0: a metric measured once per case ("initial response", "resolution")
    name = metric.replace("_", " ")
    return name if cycle == 0 else f"{name} #{cycle}"


@final
@dataclass(frozen=True, slots=True)
class Step(_Serialised):
    """One step of a target's history, for :meth:`CaseReport.explain`.

    Attributes:
        kind: what happened to the target.
        at: when.
        due_at: the deadline right after the step; ``None`` while paused.
        note: what happened, in words.
    """

    kind: StepKind
    at: datetime
    due_at: datetime | None
    note: str


@final
@dataclass(frozen=True, slots=True)
class TargetResult(_Serialised):
    """Where one target stands at ``now``: the initial response, one update cycle, or one
    clock of another metric the policy tracks (see docs/metrics.md).

    Attributes:
        metric: ``"initial_response"``, ``"update"``, or another tracked metric
            (``"next_reply"``, ``"resolution"``, ...).
        cycle: 0 for a metric measured once per case (the initial response, resolution,
            ...); 1, 2, ... for the cycles of a recurring one (update, next reply) in order.
        severity: the severity whose target applies (after any severity change).
        target: the promise, e.g. ``"4 business hours"``.
        clock: the clock it runs on, e.g. ``"customer"``.
        start: when its clock started (the change instant after a ``restart``).
        due_at: the deadline, pauses that began before it included; ``None`` while paused.
        met_at: the ``support_update`` that answered it, on time (``met``) or late
            (``breached``); ``None`` if none did.
        ended_at: when it stopped running: ``met_at``, or the stop/closure instant.
        state: ``pending``, ``paused``, ``met``, ``breached``, ``stopped``, ``cancelled``.
        breached_by: for a breach, the elapsed (real, not clock) time from ``due_at`` to
            the late update, to the stop, or to ``now`` while unanswered.
        remaining: clock time left at ``now`` while ``pending``; while ``paused``, the
            clock time from the pause to the deadline it had; ``None`` otherwise.
        history: how the deadline was reached, step by step.
    """

    metric: str
    cycle: int
    severity: int
    target: str
    clock: str
    start: datetime
    due_at: datetime | None
    met_at: datetime | None
    ended_at: datetime | None
    state: TargetState
    breached_by: timedelta | None
    remaining: timedelta | None
    history: tuple[Step, ...] = ()

    @property
    def label(self) -> str:
        """``"initial response"`` or ``"update #3"``."""
        return _label(self.metric, self.cycle)


@final
@dataclass(frozen=True, slots=True)
class CaseReport(_Serialised):
    """A case evaluated at ``now`` under a policy.

    Every instant is in the tzinfo of the case's ``opened_at``.

    Attributes:
        case_id: the case's ``id``.
        now: the instant of the evaluation.
        severity: the severity at ``now``.
        status: the status at ``now`` (cases start ``open``).
        initial_response: the initial response target.
        updates: the update cycles, oldest first.
        next_due_at: the earliest ``due_at`` of a ``pending`` target, if any.
        breaches: how many targets are breached.
        auto_close_at: while the case waits on the customer, when it becomes eligible for
            ``closed_no_response`` (10 calendar days without customer activity in RAPID7).
        reopen_until: while the case is closed, the end of its reopen window (inclusive).
        late_reopen_attempts: customer updates that came to the closed case after its window.
        future_events: how many events lie after ``now`` and were not replayed.
        other_metrics: the results of the policy's other tracked metrics (``next_reply``,
            ``resolution``, ... as docs/metrics.md defines them), metric by metric in the
            order of ``policy.tracked_metrics()``, each metric's cycles in order; read one
            metric's with :meth:`results`. Empty for a policy with only the guidebook's two
            metrics, and then left out of :meth:`to_dict` and :meth:`to_json`, so such
            reports serialise exactly as before.
    """

    case_id: str
    now: datetime
    severity: int
    status: str
    initial_response: TargetResult
    updates: tuple[TargetResult, ...]
    next_due_at: datetime | None
    breaches: int
    auto_close_at: datetime | None
    reopen_until: datetime | None
    late_reopen_attempts: tuple[datetime, ...]
    future_events: int
    other_metrics: tuple[TargetResult, ...] = ()

    @property
    def targets(self) -> tuple[TargetResult, ...]:
        """The initial response, then every update cycle, then the other metrics' results."""
        return (self.initial_response, *self.updates, *self.other_metrics)

    def results(self, metric: str) -> tuple[TargetResult, ...]:
        """The results of ``metric``, in order: one for ``initial_response``, one per cycle
        for ``update`` and ``next_reply``, one for ``resolution``; empty if the case has
        none (no target, or its clock never started).

        >>> from datetime import datetime, UTC
        >>> from slocalc import RAPID7, Case, Customer, Event, evaluate
        >>> t = lambda hour: datetime(2026, 3, 2, hour, tzinfo=UTC)
        >>> case = Case(id="C-9", severity=1, opened_at=t(8), customer=Customer(tz="UTC"),
        ...             events=[Event(at=t(9), kind="support_update")])
        >>> report = evaluate(case, RAPID7, now=t(10))
        >>> [(r.label, r.state) for r in report.results("update")]
        [('update #1', 'pending')]
        >>> report.results("initial_response") == (report.initial_response,)
        True
        """
        if metric == "initial_response":
            return (self.initial_response,)
        if metric == "update":
            return self.updates
        return tuple(r for r in self.other_metrics if r.metric == metric)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, as :meth:`TargetResult.to_dict`; ``other_metrics`` only when
        there are some."""
        exclude = None if self.other_metrics else {"other_metrics"}
        return cast("dict[str, Any]", _adapter(CaseReport).dump_python(self, mode="json", exclude=exclude))

    def to_json(self) -> str:
        """The same as :meth:`to_dict`, as compact JSON text."""
        exclude = None if self.other_metrics else {"other_metrics"}
        return _adapter(CaseReport).dump_json(self, exclude=exclude).decode()

    def explain(self) -> str:
        """How each deadline was reached, in words.

        For each target: its start, clock and promise, the pauses that extended it, the
        severity changes that moved it, and where it stands at ``now``. Durations are
        written in hours (``27:00:00``): business time reads as hours.

        >>> from datetime import datetime, UTC
        >>> from slocalc import RAPID7, Case, Customer, Event, evaluate
        >>> t = lambda hour, minute=0: datetime(2026, 3, 2, hour, minute, tzinfo=UTC)
        >>> case = Case(id="C-5", severity=1, opened_at=t(8), customer=Customer(tz="UTC"), events=[
        ...     Event(at=t(9), kind="support_update"),
        ...     Event(at=t(10), kind="status", status="waiting_on_customer"),
        ...     Event(at=t(11, 30), kind="customer_update"),
        ... ])
        >>> print(evaluate(case, RAPID7, now=t(12)).explain())
        Case C-5 at 2026-03-02T12:00:00+00:00: severity 1, status in_progress
        Initial response: met at 2026-03-02T09:00:00+00:00 (due 2026-03-02T10:00:00+00:00)
          promise: 2 hours (clock '24x7', severity 1), from 2026-03-02T08:00:00+00:00
          2026-03-02T08:00:00+00:00  start     case opened -> due 2026-03-02T10:00:00+00:00
          2026-03-02T09:00:00+00:00  met       support update (initial response) -> due 2026-03-02T10:00:00+00:00
        Update #1: pending, due 2026-03-02T14:30:00+00:00 (2:30:00 of clock time left)
          promise: 4 hours (clock '24x7', severity 1), from 2026-03-02T09:00:00+00:00
          2026-03-02T09:00:00+00:00  start     initial response given; first update cycle -> due 2026-03-02T13:00:00+00:00
          2026-03-02T10:00:00+00:00  pause     status: open -> waiting_on_customer: clock paused with 3:00:00 of clock time left -> paused
          2026-03-02T11:30:00+00:00  resume    customer update: waiting_on_customer -> in_progress: paused 1:30:00 elapsed, 1:30:00 of clock time; deadline moved -> due 2026-03-02T14:30:00+00:00
        Next deadline: 2026-03-02T14:30:00+00:00
        """
        from slocalc.cases._explain import explain

        return explain(self)

    def to_frame(self, *, tz: str = "UTC") -> pandas.DataFrame:
        """One row per target result, typed (needs pandas: ``pip install 'slocalc[pandas]'``).

        As :func:`~slocalc.cases.to_frame`: instants ``datetime64[us, tz]`` (UTC by default),
        with the report's own zone in the ``tz`` column (see docs/notebooks/index.md).
        """
        return to_frame([self], tz=tz)

    def __repr__(self) -> str:
        from slocalc._display import report_repr

        return report_repr(self)

    def _repr_html_(self) -> str:
        from slocalc._display import report_html

        return report_html(self)

    def plot(self, *, ax: Any = None, tz: str | None = None) -> Any:
        """Draw the case's timeline (matplotlib: ``pip install 'slocalc[plot]'``).

        One bar per target, coloured by state, from its start to its end (or ``now``);
        paused stretches hatched; due instants ``|``, met instants ``o``, breaches ``X``;
        ``now`` as a dashed line. Instants on ``tz``'s wall clock (default the report's
        zone). Returns the matplotlib ``Figure``.

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from datetime import datetime, UTC
        >>> from slocalc import RAPID7, Case, Customer, evaluate
        >>> t = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
        >>> case = Case(id="C-1", severity=1, opened_at=t, customer=Customer(tz="UTC"))
        >>> fig = evaluate(case, RAPID7, now=t.replace(hour=12)).plot()
        >>> [label.get_text() for label in fig.axes[0].get_yticklabels()]
        ['initial response (breached)']
        """
        from slocalc._display import plot_report

        return plot_report(self, ax=ax, tz=tz)


@final
@dataclass(frozen=True, slots=True)
class Alert(_Serialised):
    """A breached target, or a pending one at risk of breaching (see :func:`~slocalc.cases.check`).

    Attributes:
        case_id: the case's ``id``.
        metric: ``"initial_response"``, ``"update"``, or another tracked metric.
        kind: ``"breached"`` or ``"at_risk"``.
        due_at: the target's deadline.
        cycle: as :attr:`TargetResult.cycle`.
        severity: the severity whose target applies.
        met_at: the late update that answered a breached target, if any.
        breached_by: for ``breached``: elapsed time past ``due_at`` (to the late update, the
            stop, or ``now``).
        remaining: for ``at_risk``: clock time left.
        budget: for ``at_risk``: the clock time the target allows (pauses excluded), so
            ``budget - remaining`` is the clock time used.
    """

    case_id: str
    metric: str
    kind: AlertKind
    due_at: datetime
    cycle: int
    severity: int
    met_at: datetime | None = None
    breached_by: timedelta | None = None
    remaining: timedelta | None = None
    budget: timedelta | None = None

    @property
    def label(self) -> str:
        """The target's name, as :attr:`TargetResult.label`: ``"initial response"`` or ``"update #3"``."""
        return _label(self.metric, self.cycle)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, as every result's ``to_dict`` (pydantic's text for instants and
        durations), made field by field: an instant by ``isoformat`` where that is pydantic's
        text, each distinct duration by pydantic once (``slocalc check`` writes one dict per
        alert).

        >>> from datetime import UTC, datetime, timedelta
        >>> Alert("C-1", "update", "breached", datetime(2026, 3, 2, 13, 0, tzinfo=UTC), 1, 2,
        ...       breached_by=timedelta(hours=3, minutes=30)).to_dict()["breached_by"]
        'PT3H30M'
        """
        due, met, by, left, budget = self.due_at, self.met_at, self.breached_by, self.remaining, self.budget
        if not (
            type(self.case_id) is type(self.metric) is type(self.kind) is str
            and type(self.cycle) is type(self.severity) is int
            and type(due) is datetime
            and (met is None or type(met) is datetime)
            and (by is None or type(by) is timedelta)
            and (left is None or type(left) is timedelta)
            and (budget is None or type(budget) is timedelta)
        ):  # e.g. a subclass of datetime: pydantic's own way
            return _Serialised.to_dict(self)
        return {
            "case_id": self.case_id,
            "metric": self.metric,
            "kind": self.kind,
            "due_at": instant_json(due),
            "cycle": self.cycle,
            "severity": self.severity,
            "met_at": None if met is None else instant_json(met),
            "breached_by": None if by is None else duration_json(by),
            "remaining": None if left is None else duration_json(left),
            "budget": None if budget is None else duration_json(budget),
        }


@final
@dataclass(frozen=True, slots=True)
class CaseCheck(_Serialised):
    """One case as :func:`~slocalc.cases.check_case` sees it at ``now``.

    Everything a breach dashboard shows for a case, from one replay of its events.

    Attributes:
        case_id: the case's ``id``.
        severity: the severity at ``now`` (the opening severity for a skipped case).
        status: the status at ``now``; ``None`` for a skipped case.
        alerts: the case's alerts, as :func:`~slocalc.cases.check` returns them.
        future_events: events after ``now``, not replayed (every event of a skipped case).
        skipped: why the case was not replayed (``"opened_after_now"``: as of ``now`` it
            does not exist yet, so nothing is due), or ``None``.
    """

    case_id: str
    severity: int
    status: str | None
    alerts: tuple[Alert, ...]
    future_events: int
    skipped: SkipReason | None = None

    @property
    def verdict(self) -> Verdict:
        """``breached`` if a target is breached, else ``at_risk`` if one is at risk, else
        ``ok``; ``skipped`` if the case was not replayed."""
        if self.skipped is not None:
            return "skipped"
        return verdict_of(self.alerts)


def verdict_of(alerts: Iterable[Alert]) -> Verdict:
    """``breached`` if one of a replayed case's ``alerts`` is, else ``at_risk`` if there are
    any, else ``ok`` (:attr:`CaseCheck.verdict`)."""
    kinds = {a.kind for a in alerts}
    return "breached" if "breached" in kinds else "at_risk" if kinds else "ok"


def _import_pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise MissingExtraError("to_frame needs pandas: pip install 'slocalc[pandas]'") from None
    return pandas


def to_frame(
    items: CaseReport | Alert | Iterable[CaseReport | Alert], *, tz: str = "UTC"
) -> pandas.DataFrame:
    """A typed pandas DataFrame: one row per target result of each report, or per alert.

    Typed as docs/notebooks/index.md ("Typed frames") says, also when the cases come from
    customers in different zones: instants are ``datetime64[us, tz]`` (UTC by default), a
    categorical ``tz`` column names each row's own zone (its case's ``opened_at`` zone),
    durations are ``timedelta64[us]``, states, metrics, clocks and statuses categoricals.

    Report columns: ``case_id, metric, cycle, severity, target, clock, state, start,
    due_at, met_at, ended_at, breached_by, remaining, status, now, tz``; alert columns:
    the fields of :class:`Alert`, then ``tz``.

    Args:
        items: a report, an alert, or an iterable of either (not mixed).
        tz: the zone of the instant columns (an IANA name).

    Raises:
        MissingExtraError: pandas is not installed (``pip install 'slocalc[pandas]'``); an
            ``ImportError``.
        TypeError: an item is neither a ``CaseReport`` nor an ``Alert``, or they are mixed.
    """
    _import_pandas()
    seq = [items] if isinstance(items, (CaseReport, Alert)) else list(items)
    from slocalc._display import alerts_frame, reports_frame

    if all(isinstance(x, CaseReport) for x in seq):
        frame: pandas.DataFrame = reports_frame(seq, tz=tz)
    elif all(isinstance(x, Alert) for x in seq):
        frame = alerts_frame(seq, tz=tz)
    else:
        kinds = sorted({type(x).__name__ for x in seq})
        raise SlocalcTypeError(
            f"items: expected CaseReport or Alert objects (not mixed), got {', '.join(kinds)}"
        )
    return frame
