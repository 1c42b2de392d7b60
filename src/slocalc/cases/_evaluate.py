"""``evaluate``, ``check`` and ``check_case``: the calls services make all day."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from itertools import islice
from typing import Final

from slocalc._display import ProgressArg, track
from slocalc._time import require_aware, utc_to
from slocalc.cases._models import Case, timeline_of
from slocalc.cases._replay import Replay, check_case_names, replay
from slocalc.cases._report import Alert, CaseCheck, CaseReport, Step, TargetResult
from slocalc.cases._resolver import Resolver, resolver_for
from slocalc.cases._run import Run
from slocalc.errors import SlocalcTypeError, SlocalcValueError, TimelineError, describe
from slocalc.policies import Policy

__all__ = ["DEFAULT_AT_RISK", "at_risk_share", "check", "check_case", "evaluate"]

#: the default ``at_risk`` of :func:`check` and :func:`check_case`: a pending target is at
#: risk once three quarters of its clock time is used
DEFAULT_AT_RISK: Final = 0.75


def _require_case(case: object, param: str) -> Case:
    if not isinstance(case, Case):
        hint = (
            "; evaluate and check_case take one case: loop over them, or use check(cases, ...)"
            if isinstance(case, list | tuple) and case and isinstance(case[0], Case)
            else ""
        )
        raise SlocalcTypeError(f"{param}: expected a slocalc Case, got {describe(case)}{hint}")
    return case


def _require_policy(policy: object) -> Policy:
    if not isinstance(policy, Policy):
        raise SlocalcTypeError(
            f"policy: expected a slocalc Policy (e.g. slocalc.policies.RAPID7), got {type(policy).__name__}"
        )
    return policy


def _replay_case(case: Case, policy: Policy, now_utc: datetime, now: datetime) -> Replay:
    """Replay with history, for :func:`evaluate`."""
    opened, timeline = timeline_of(case)
    if now_utc < opened:
        raise TimelineError(
            f"case {case.id!r}: now {now.isoformat()} is before opened_at {case.opened_at.isoformat()}; "
            "a case cannot be evaluated before it was opened"
        )
    res = resolver_for(policy)
    return _bounded(
        case,
        lambda: replay(case.id, case.severity, opened, case.customer, timeline, res, now_utc, trace=True),
    )


def _bounded(case: Case, run: Callable[[], Replay]) -> Replay:
    """``run()``, with a deadline that no datetime can hold reported as the case's error."""
    try:
        return run()
    except OverflowError:
        raise TimelineError(
            f"case {case.id!r}: a deadline falls after the supported range (UTC years 2-9998); "
            "see docs/limits.md"
        ) from None


def _opt(conv: Callable[[datetime], datetime], dt: datetime | None) -> datetime | None:
    return None if dt is None else conv(dt)


def _result(run: Run, now: datetime, conv: Callable[[datetime], datetime]) -> TargetResult:
    """A run's result, its instants in the case's zone (``conv``: :func:`~slocalc._time.utc_to`)."""
    target = run.deadline.target
    return TargetResult(
        run.metric,
        run.index,  # the cycle
        run.severity,
        str(target),
        target.clock,
        conv(run.start),
        _opt(conv, run.due_at()),
        _opt(conv, run.met_at),
        _opt(conv, run.ended_at),
        run.state(),
        run.breached_by(now),
        run.remaining(now),
        tuple(
            Step(kind, conv(at), None if due is None else conv(due), note)
            for kind, at, due, note in run.history or ()
        ),
    )


def evaluate(case: Case, policy: Policy, *, now: datetime) -> CaseReport:
    """Replay ``case`` under ``policy`` and report every target as it stands at ``now``.

    Evaluation is a pure replay: no clock is read, and the same case, policy and ``now``
    always give the same report. Events after ``now`` are not replayed (the report is
    the case *as of* ``now``) and are counted in ``future_events``. Every instant in the
    report is in the tzinfo of ``case.opened_at``.

    Args:
        case: the case.
        policy: the policy, e.g. :data:`slocalc.policies.RAPID7`.
        now: the instant of the evaluation (aware).

    Returns:
        The case's report.

    Raises:
        NaiveDatetimeError: ``now`` is naive.
        TimelineError: ``now`` is before ``opened_at``; or the case's severity, or an
            event's status or severity, is not in ``policy`` (named by index and time).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from slocalc.cases import Case, Event, evaluate
    >>> from slocalc.policies import RAPID7, Customer
    >>> berlin = ZoneInfo("Europe/Berlin")
    >>> case = Case(
    ...     id="C-1", severity=2, customer=Customer(tz="Europe/Berlin", country="DE"),
    ...     opened_at=datetime(2026, 3, 6, 15, 0, tzinfo=berlin),  # a Friday
    ...     events=[Event(at=datetime(2026, 3, 9, 9, 30, tzinfo=berlin), kind="support_update")],
    ... )
    >>> report = evaluate(case, RAPID7, now=datetime(2026, 3, 9, 12, 0, tzinfo=berlin))
    >>> report.initial_response.state, report.initial_response.due_at.isoformat()
    ('met', '2026-03-09T10:00:00+01:00')
    >>> report.updates[0].due_at.isoformat()  # 3 business days after Monday 09:30
    '2026-03-12T09:30:00+01:00'
    """
    case = _require_case(case, "case")
    policy = _require_policy(policy)
    now = require_aware(now, "now")
    now_utc = now.astimezone(UTC)
    state = _replay_case(case, policy, now_utc, now)
    conv = utc_to(case.opened_at.tzinfo)
    others = state.others()
    runs = [state.initial, *state.updates, *others]
    pending = [r.due for r in runs if r.state() == "pending"]
    return CaseReport(
        case_id=case.id,
        now=conv(now_utc),
        severity=state.severity,
        status=state.status,
        initial_response=_result(state.initial, now_utc, conv),
        updates=tuple(_result(r, now_utc, conv) for r in state.updates),
        next_due_at=conv(min(pending)) if pending else None,
        breaches=sum(1 for r in runs if r.breached),
        auto_close_at=_opt(conv, state.auto_close_at()),
        reopen_until=_opt(conv, state.reopen_until()),
        late_reopen_attempts=tuple(map(conv, state.late_reopen_attempts)),
        future_events=state.future_events,
        other_metrics=tuple(_result(r, now_utc, conv) for r in others),
    )


def at_risk_share(at_risk: float | Fraction | Decimal) -> Fraction:
    """The exact share :func:`check` compares with for ``at_risk``, checked as it checks it.

    A float is read as its shortest decimal text (``0.1`` is one tenth, not the binary
    fraction nearest to it), so ``0.75`` is exactly three quarters.

    Args:
        at_risk: the share of a target's clock time after which it is at risk, in (0, 1].

    Raises:
        SlocalcTypeError: ``at_risk`` is not a number (a bool is not one).
        SlocalcValueError: ``at_risk`` is not in (0, 1].

    >>> at_risk_share(0.75), at_risk_share(Fraction(2, 3))
    (Fraction(3, 4), Fraction(2, 3))
    """
    key = (type(at_risk), at_risk)
    try:
        found = _SHARES.get(key)
    except TypeError:  # unhashable, so not a number: refused below
        found = None
    if found is not None:  # the same number as before (a service passes one all day)
        return found
    if isinstance(at_risk, bool) or not isinstance(at_risk, (int, float, Fraction, Decimal)):
        raise SlocalcTypeError(
            f"at_risk: expected a number in (0, 1], got {type(at_risk).__name__} {at_risk!r}"
        )
    if isinstance(at_risk, float | Decimal) and not math.isfinite(at_risk):
        raise SlocalcValueError(
            f"at_risk: must be in (0, 1], got {at_risk!r}; e.g. 0.75 alerts once 75% of a target's time is used"
        )
    # repr(float(...)): a float subclass such as numpy.float64 reprs as 'np.float64(0.5)'
    value = Fraction(repr(float(at_risk))) if isinstance(at_risk, float) else Fraction(at_risk)
    if not 0 < value <= 1:
        raise SlocalcValueError(
            f"at_risk: must be in (0, 1], got {at_risk!r}; e.g. 0.75 alerts once 75% of a target's time is used"
        )
    if len(_SHARES) >= 64:
        _SHARES.clear()
    _SHARES[key] = value
    return value


#: shares already read, by type and value (the type too: a float and a Fraction that are
#: equal numbers may read as different shares, a float being read as its decimal text)
_SHARES: dict[tuple[type, object], Fraction] = {}


def _replay_at(case: Case, res: Resolver, now_utc: datetime) -> Replay | None:
    """The case replayed up to ``now`` without history; ``None`` if it opened after ``now``
    (its severity and event names are still checked against the policy)."""
    opened, timeline = timeline_of(case)
    if opened > now_utc:  # opened after ``now``: as of ``now`` it has nothing due
        check_case_names(case.id, case.severity, timeline, res)
        return None
    return _bounded(
        case,
        lambda: replay(case.id, case.severity, opened, case.customer, timeline, res, now_utc, trace=False),
    )


def _collect(
    case_id: str,
    state: Replay,
    now: datetime,
    conv: Callable[[datetime], datetime],
    share: Fraction,
    out: list[Alert],
) -> None:
    """Append the alerts of a replayed case to ``out``: the initial response, the update
    cycles, then the other metrics' results (``report.other_metrics``' order), their
    instants in the case's zone (``conv``: :func:`~slocalc._time.utc_to`)."""
    num, den = share.numerator, share.denominator
    runs = (
        (state.initial, *state.updates, *state.others())
        if state.trackers
        else (state.initial, *state.updates)
    )
    for run in runs:
        if run.breached:
            out.append(
                Alert(
                    case_id,
                    run.metric,
                    "breached",
                    conv(run.due),
                    run.index,
                    run.severity,
                    _opt(conv, run.met_at),
                    run.breached_by(now),
                )
            )
        elif run.end is None and run.state() == "pending":
            remaining = run.remaining(now)
            assert remaining is not None
            # at risk iff budget * (den - num) >= remaining * den; the budget (clock time)
            # is at most the elapsed time from start to the target's own deadline
            if (run.base - run.start) * (den - num) < remaining * den:
                continue
            budget = run.budget()
            if budget * (den - num) >= remaining * den:
                out.append(
                    Alert(
                        case_id,
                        run.metric,
                        "at_risk",
                        conv(run.due),
                        run.index,
                        run.severity,
                        remaining=remaining,
                        budget=budget,
                    )
                )


def check(
    cases: Iterable[Case],
    policy: Policy,
    *,
    now: datetime,
    at_risk: float | Fraction | Decimal = DEFAULT_AT_RISK,
    progress: ProgressArg = None,
) -> list[Alert]:
    """Alerts for many cases at ``now``: every breached target and every target at risk.

    A ``breached`` alert is raised for each breached target (answered late, or still
    unanswered); an ``at_risk`` alert for each ``pending`` target that has used at least
    ``at_risk`` of its clock time (paused time excluded). Paused, met, stopped and
    cancelled targets raise nothing. Alerts come in case order, the initial response
    first, then the update cycles, then the policy's other tracked metrics (``next_reply``,
    ``resolution``, ...; see docs/metrics.md). Instants are in each case's ``opened_at`` tzinfo.

    Like :func:`evaluate`, ``check`` sees each case as of ``now``: later events are not
    replayed, and a case opened after ``now`` has nothing due yet, so it raises no alert
    (where :func:`evaluate` would refuse to report on it). :func:`check_case` gives, for
    one case, its alerts together with its severity and status at ``now``, its events
    after ``now`` and why it was skipped, from the same replay (see docs/cases.md).

    Args:
        cases: the cases (already validated ``Case`` objects; they are not re-validated).
        policy: the policy, e.g. :data:`slocalc.policies.RAPID7`.
        now: the instant of the check (aware).
        at_risk: the share of a target's clock time after which it is at risk, in (0, 1]
            (see :func:`at_risk_share`).
        progress: report progress over the cases: ``True`` for a bar (tqdm when
            installed, else a text bar on standard error), or a callable
            ``progress(done, total)`` called after each case (``total`` is ``None`` for an
            iterable without a length); ``None`` (default) reports nothing.

    Raises:
        NaiveDatetimeError: ``now`` is naive.
        SlocalcValueError: ``at_risk`` is not in (0, 1].
        TimelineError: a case's severity, or an event's status or severity, is not in
            ``policy`` (named by case, index and time).

    >>> from datetime import datetime, UTC
    >>> from slocalc.cases import Case, check
    >>> from slocalc.policies import RAPID7, Customer
    >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    >>> cases = [Case(id="C-7", severity=1, opened_at=t0, customer=Customer(tz="UTC"))]
    >>> [(a.case_id, a.kind, a.due_at.isoformat()) for a in check(cases, RAPID7, now=t0.replace(hour=10, minute=45))]
    [('C-7', 'at_risk', '2026-03-02T11:00:00+00:00')]
    """
    policy = _require_policy(policy)
    now = require_aware(now, "now")
    share = at_risk_share(at_risk)
    now_utc = now.astimezone(UTC)
    out: list[Alert] = []
    res = resolver_for(policy)
    tracked = track(cases, progress=progress, desc="checking")
    # the columnar replay over bounded batches; a case it does not take (and every error)
    # goes through the scalar path, in order (docs/scaling.md)
    items = iter(tracked)
    position = 0  # of the batch's first case
    while batch := list(islice(items, _BATCH)):
        # every item a Case (one pass in C for the usual batch of exact ``Case`` objects)
        if list(map(type, batch)).count(Case) != len(batch):
            for k, item in enumerate(batch):
                try:
                    _require_case(item, f"cases[{position + k}]")
                except Exception:
                    _check_batch(batch[:k], policy, res, now_utc, share, out)
                    raise
        _check_batch(batch, policy, res, now_utc, share, out)
        position += len(batch)
    return out


#: cases per batch of the columnar replay in :func:`check`: four times a reader's batch
#: (``cases._batches.BATCH_SIZE``), as the cases are in memory already; the replay's costs
#: per round and per engine call are shared by more cases (on 50,000 realistic cases,
#: 16,384 checked 15% faster than 4,096, for ~25 MB more; 32,768 no faster; docs/scaling.md)
_BATCH: Final = 16384


def _check_one(case: Case, res: Resolver, now_utc: datetime, share: Fraction, out: list[Alert]) -> None:
    state = _replay_at(case, res, now_utc)
    if state is not None:
        _collect(case.id, state, now_utc, utc_to(case.opened_at.tzinfo), share, out)


def _check_batch(
    batch: list[Case], policy: Policy, res: Resolver, now_utc: datetime, share: Fraction, out: list[Alert]
) -> None:
    """The alerts of ``batch`` appended to ``out``, in case order, from the columnar replay
    where it takes a case and from the scalar one where it does not.

    A case built without validation whose timeline fails (``timeline_of``) raises its error
    after the alerts of the cases before it are appended, as one at a time would."""
    if not batch:
        return
    from slocalc.cases._columnar import replay_columns
    from slocalc.cases._columns import columns_from_cases

    try:
        cols = columns_from_cases(batch)
    except Exception:
        for k, case in enumerate(batch):  # the first case whose timeline fails
            try:
                timeline_of(case)
            except Exception:
                _check_batch(batch[:k], policy, res, now_utc, share, out)
                raise
        raise
    found = replay_columns(cols, policy, now_utc, share)
    alerts, declined = found.alerts, found.declined.tolist()
    if not declined.count(True):  # the usual batch: only the alerts, in case order
        out.extend(found.every_alert())
        return
    for i, case in enumerate(batch):
        if declined[i]:
            _check_one(case, res, now_utc, share, out)
        else:
            out.extend(alerts.get(i, ()))


def check_case(
    case: Case, policy: Policy, *, now: datetime, at_risk: float | Fraction | Decimal = DEFAULT_AT_RISK
) -> CaseCheck:
    """One case at ``now``, as :func:`check` sees it, with what a breach dashboard shows.

    The case is replayed once: its :class:`~slocalc.cases.CaseCheck` holds its alerts
    (exactly those :func:`check` returns for it), its severity and status at ``now``, how
    many of its events lie after ``now``, its :attr:`~slocalc.cases.CaseCheck.verdict`, and,
    for a case opened after ``now``, why it was skipped. ``slocalc check`` prints these
    (see docs/cli.md).

    Args:
        case: the case (an already validated ``Case``).
        policy: the policy, e.g. :data:`slocalc.policies.RAPID7`.
        now: the instant of the check (aware).
        at_risk: the share of a target's clock time after which it is at risk, in (0, 1].

    Raises:
        NaiveDatetimeError: ``now`` is naive.
        SlocalcValueError: ``at_risk`` is not in (0, 1].
        TimelineError: the case's severity, or an event's status or severity, is not in
            ``policy`` (named by case, index and time); also for a case opened after ``now``.

    >>> from datetime import datetime, UTC
    >>> from slocalc.cases import Case, Event, check_case
    >>> from slocalc.policies import RAPID7, Customer
    >>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    >>> case = Case(id="C-8", severity=2, opened_at=t0, customer=Customer(tz="UTC"), events=[
    ...     Event(at=t0.replace(hour=10), kind="severity", severity=1),
    ...     Event(at=t0.replace(hour=14), kind="support_update"),
    ... ])
    >>> seen = check_case(case, RAPID7, now=t0.replace(hour=12))
    >>> seen.severity, seen.status, seen.verdict, seen.future_events
    (1, 'open', 'breached', 1)
    >>> [(a.label, a.kind, str(a.breached_by)) for a in seen.alerts]
    [('initial response', 'breached', '1:00:00')]
    >>> check_case(case, RAPID7, now=t0.replace(hour=8)).skipped
    'opened_after_now'
    """
    policy = _require_policy(policy)
    now = require_aware(now, "now")
    share = at_risk_share(at_risk)
    case = _require_case(case, "case")
    now_utc = now.astimezone(UTC)
    state = _replay_at(case, resolver_for(policy), now_utc)
    if state is None:
        return CaseCheck(case.id, case.severity, None, (), len(case.events), "opened_after_now")
    alerts: list[Alert] = []
    _collect(case.id, state, now_utc, utc_to(case.opened_at.tzinfo), share, alerts)
    return CaseCheck(case.id, state.severity, state.status, tuple(alerts), state.future_events)
