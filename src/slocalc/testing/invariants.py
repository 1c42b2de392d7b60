"""The engine's laws as plain assertion functions.

Call them from your own property tests (with any inputs, not only slocalc's strategies):
each checks one law, states it in the first line of its docstring, and raises
``AssertionError`` with the inputs and the values that broke it. Instants are compared as
instants (in UTC): Python compares two datetimes that share a tzinfo by wall clock,
ignoring ``fold``, which is wrong inside a repeated hour.

>>> from datetime import datetime, timedelta
>>> from zoneinfo import ZoneInfo
>>> from slocalc import BusinessCalendar
>>> cal = BusinessCalendar(tz="America/New_York", hours="Mon-Fri 08:00-17:00")
>>> t = datetime(2026, 3, 6, 16, 0, tzinfo=ZoneInfo("America/New_York"))
>>> assert_add_between_inverse(cal, t, timedelta(hours=4))
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slocalc.calendars import Calendar, ZonedCalendar
from slocalc.cases import Case, CaseReport, check, evaluate
from slocalc.errors import SlocalcValueError
from slocalc.policies import Policy

__all__ = [
    "assert_add_between_inverse",
    "assert_add_composes",
    "assert_add_days_monotone",
    "assert_add_days_round_trip",
    "assert_add_earliest",
    "assert_add_keeps_tzinfo",
    "assert_add_monotone",
    "assert_add_monotone_in_duration",
    "assert_between_additive",
    "assert_between_antisymmetric",
    "assert_between_bounded",
    "assert_check_agrees_with_evaluate",
    "assert_difference_never_open",
    "assert_evaluation_is_pure",
    "assert_future_events_ignored",
    "assert_intersection_open",
    "assert_intervals_consistent",
    "assert_later_now_never_unbreaches",
    "assert_next_close_consistent",
    "assert_next_open_consistent",
    "assert_target_states_consistent",
    "assert_union_between_bounds",
    "assert_union_open",
]

_TICK = timedelta(microseconds=1)


def _utc(t: datetime) -> datetime:
    return t.astimezone(UTC)


def _show(t: datetime | None) -> str:
    if t is None:
        return "None"
    return f"{t.isoformat()} [{t.tzinfo}]"


def _fail(law: str, detail: str, inputs: dict[str, object]) -> AssertionError:
    shown = ", ".join(f"{k}={_show(v) if isinstance(v, datetime) else repr(v)}" for k, v in inputs.items())
    return AssertionError(f"{law}\n  inputs: {shown}\n  but: {detail}")


def _no_problem(law: str, subject: str, problem: str | None, inputs: dict[str, object]) -> None:
    """The laws that look for the first thing wrong with ``subject``: fail if one was found."""
    if problem:
        raise _fail(law, f"{subject}: {problem}", inputs)


def _in_order(
    premise: str, first: str, x1: datetime, second: str, x2: datetime, inputs: dict[str, object]
) -> None:
    """The monotone laws: ``premise`` implies ``first <= second`` (as instants)."""
    if _utc(x1) > _utc(x2):
        raise _fail(
            f"{premise} implies {first} <= {second}",
            f"{first} = {_show(x1)} is after {second} = {_show(x2)}",
            inputs,
        )


# --------------------------------------------------------------------------- add / between


def assert_add_between_inverse(cal: Calendar, t: datetime, d: timedelta) -> None:
    """``between(t, add(t, d)) == d`` (for ``d < 0``: ``between(add(t, d), t) == -d``).

    >>> from datetime import datetime, timedelta, UTC
    >>> from slocalc import ALWAYS
    >>> assert_add_between_inverse(ALWAYS, datetime(2026, 1, 1, tzinfo=UTC), timedelta(hours=-3))
    """
    x = cal.add(t, d)
    if d >= timedelta(0):
        got, law, shown = cal.between(t, x), "between(t, add(t, d)) == d", "between(t, that)"
    else:
        got, law, shown = cal.between(x, t), "between(add(t, d), t) == -d for d < 0", "between(that, t)"
    if got != abs(d):
        raise _fail(law, f"add(t, d) = {_show(x)} and {shown} = {got!r}", {"cal": cal, "t": t, "d": d})


def assert_add_earliest(cal: Calendar, t: datetime, d: timedelta) -> None:
    """``add(t, d)`` is the earliest such instant (the latest for ``d < 0``): one µs less falls short.

    So a deadline that lands on a closing time is that closing time, not the next opening.
    """
    x = cal.add(t, d)
    if d > timedelta(0) and _utc(x) > _utc(t):
        law, short, shown = (
            "add(t, d) is the earliest x with between(t, x) == d",
            cal.between(t, _utc(x) - _TICK),
            "between(t, one µs earlier)",
        )
    elif d < timedelta(0) and _utc(x) < _utc(t):
        law, short, shown = (
            "add(t, d) is the latest x with between(x, t) == -d for d < 0",
            cal.between(_utc(x) + _TICK, t),
            "between(one µs later, t)",
        )
    else:
        return
    if short >= abs(d):
        raise _fail(law, f"add(t, d) = {_show(x)} yet {shown} = {short!r}", {"cal": cal, "t": t, "d": d})


def assert_add_monotone(cal: Calendar, t1: datetime, t2: datetime, d: timedelta) -> None:
    """``t1 <= t2`` implies ``add(t1, d) <= add(t2, d)`` (as instants)."""
    if _utc(t1) > _utc(t2):
        t1, t2 = t2, t1
    inputs = {"cal": cal, "t1": t1, "t2": t2, "d": d}
    _in_order("t1 <= t2", "add(t1, d)", cal.add(t1, d), "add(t2, d)", cal.add(t2, d), inputs)


def assert_add_monotone_in_duration(cal: Calendar, t: datetime, d1: timedelta, d2: timedelta) -> None:
    """``d1 <= d2`` implies ``add(t, d1) <= add(t, d2)`` (as instants)."""
    if d1 > d2:
        d1, d2 = d2, d1
    inputs = {"cal": cal, "t": t, "d1": d1, "d2": d2}
    _in_order("d1 <= d2", "add(t, d1)", cal.add(t, d1), "add(t, d2)", cal.add(t, d2), inputs)


def assert_add_composes(cal: Calendar, t: datetime, d1: timedelta, d2: timedelta) -> None:
    """``add(add(t, d1), d2) == add(t, d1 + d2)`` when ``d1`` and ``d2`` have the same sign.

    (With opposite signs it fails by design: ``add`` snaps to the edge of open time.)
    """
    zero = timedelta(0)
    if (d1 > zero > d2) or (d1 < zero < d2):
        raise SlocalcValueError(f"d1={d1!r}, d2={d2!r}: the law holds only for durations of the same sign")
    step = cal.add(cal.add(t, d1), d2)
    once = cal.add(t, d1 + d2)
    if _utc(step) != _utc(once):
        raise _fail(
            "add(add(t, d1), d2) == add(t, d1 + d2) for d1, d2 of the same sign",
            f"in two steps {_show(step)}, in one {_show(once)}",
            {"cal": cal, "t": t, "d1": d1, "d2": d2},
        )


def assert_add_keeps_tzinfo(cal: Calendar, t: datetime, d: timedelta) -> None:
    """``add(t, d)``, ``next_open(t)`` and ``next_close(t)`` come back in ``t``'s tzinfo."""
    for name, got in (("add(t, d)", cal.add(t, d)), ("next_open(t)", cal.next_open(t))):
        if got.tzinfo is not t.tzinfo:
            raise _fail(
                "results are in the caller's tzinfo",
                f"{name} = {_show(got)} has tzinfo {got.tzinfo!r}, not {t.tzinfo!r}",
                {"cal": cal, "t": t, "d": d},
            )
    close = cal.next_close(t)
    if close is not None and close.tzinfo is not t.tzinfo:
        raise _fail(
            "results are in the caller's tzinfo",
            f"next_close(t) = {_show(close)} has tzinfo {close.tzinfo!r}, not {t.tzinfo!r}",
            {"cal": cal, "t": t, "d": d},
        )


def assert_between_additive(cal: Calendar, a: datetime, b: datetime, c: datetime) -> None:
    """``between(a, b) + between(b, c) == between(a, c)`` for any three instants."""
    ab, bc, ac = cal.between(a, b), cal.between(b, c), cal.between(a, c)
    if ab + bc != ac:
        raise _fail(
            "between(a, b) + between(b, c) == between(a, c)",
            f"{ab!r} + {bc!r} = {ab + bc!r}, but between(a, c) = {ac!r}",
            {"cal": cal, "a": a, "b": b, "c": c},
        )


def assert_between_antisymmetric(cal: Calendar, a: datetime, b: datetime) -> None:
    """``between(a, b) == -between(b, a)``."""
    ab, ba = cal.between(a, b), cal.between(b, a)
    if ab != -ba:
        raise _fail(
            "between(a, b) == -between(b, a)",
            f"between(a, b) = {ab!r}, between(b, a) = {ba!r}",
            {"cal": cal, "a": a, "b": b},
        )


def assert_between_bounded(cal: Calendar, a: datetime, b: datetime) -> None:
    """``0 <= between(a, b) <= b - a`` for ``a <= b`` (business time never exceeds elapsed time)."""
    if _utc(a) > _utc(b):
        a, b = b, a
    got, elapsed = cal.between(a, b), _utc(b) - _utc(a)
    if not timedelta(0) <= got <= elapsed:
        raise _fail(
            "0 <= between(a, b) <= b - a for a <= b",
            f"between(a, b) = {got!r}, elapsed time {elapsed!r}",
            {"cal": cal, "a": a, "b": b},
        )


# --------------------------------------------------------------------------- open / close


def assert_next_open_consistent(cal: Calendar, t: datetime) -> None:
    """``next_open(t)`` is ``t`` when open, else the first open instant after ``t``: open, no business time between."""
    x = cal.next_open(t)
    problem = None
    if _utc(x) < _utc(t):
        problem = "it is before t"
    elif not cal.is_open(x):
        problem = "is_open(next_open(t)) is False"
    elif cal.is_open(t) and _utc(x) != _utc(t):
        problem = "t is open but next_open(t) != t"
    elif cal.between(t, x) != timedelta(0):
        problem = f"between(t, next_open(t)) = {cal.between(t, x)!r}, not 0"
    _no_problem(
        "next_open(t) is t if open, else the start of the next open interval",
        f"next_open(t) = {_show(x)}",
        problem,
        {"cal": cal, "t": t},
    )


def assert_next_close_consistent(cal: Calendar, t: datetime) -> None:
    """``next_close(t)`` ends the open interval at or after ``t``: open just before, closed at it."""
    c = cal.next_close(t)
    if c is None:
        return  # open through the horizon
    s = cal.next_open(t)
    problem = None
    if _utc(c) <= _utc(s):
        problem = f"it is not after next_open(t) = {_show(s)}"
    elif cal.is_open(c):
        problem = "the calendar is still open at it (intervals are half-open)"
    elif not cal.is_open(_utc(c) - _TICK):
        problem = "the calendar is closed one µs before it"
    elif cal.between(s, c) != _utc(c) - _utc(s):
        problem = f"the calendar closes somewhere between next_open(t) = {_show(s)} and it"
    _no_problem(
        "next_close(t) is the end of the open interval holding t, or of the next one",
        f"next_close(t) = {_show(c)}",
        problem,
        {"cal": cal, "t": t},
    )


def assert_intervals_consistent(cal: Calendar, a: datetime, b: datetime) -> None:
    """``intervals(a, b)`` are sorted, disjoint, non-touching, inside ``[a, b)`` and sum to ``between(a, b)``."""
    pieces = list(cal.intervals(a, b))
    total = timedelta(0)
    prev_end: datetime | None = None
    for s, e in pieces:
        problem = None
        if not _utc(a) <= _utc(s) < _utc(e) <= _utc(b):
            problem = "it is empty or not inside [a, b)"
        elif prev_end is not None and _utc(s) <= _utc(prev_end):
            problem = f"it touches or overlaps the previous one, which ends at {_show(prev_end)}"
        if problem:
            raise _fail(
                "intervals(a, b) are merged open intervals clipped to [a, b)",
                f"interval ({_show(s)}, {_show(e)}): {problem}",
                {"cal": cal, "a": a, "b": b},
            )
        total += _utc(e) - _utc(s)
        prev_end = e
    expected = cal.between(a, b) if _utc(a) <= _utc(b) else timedelta(0)
    if total != expected:
        raise _fail(
            "intervals(a, b) sum to between(a, b)",
            f"{len(pieces)} intervals sum to {total!r}, between(a, b) = {expected!r}",
            {"cal": cal, "a": a, "b": b},
        )


def assert_add_days_monotone(cal: ZonedCalendar, t: datetime, n1: int, n2: int) -> None:
    """``n1 <= n2`` implies ``add_days(t, n1) <= add_days(t, n2)`` (as instants)."""
    if n1 > n2:
        n1, n2 = n2, n1
    inputs = {"cal": cal, "t": t, "n1": n1, "n2": n2}
    _in_order(
        "n1 <= n2", "add_days(t, n1)", cal.add_days(t, n1), "add_days(t, n2)", cal.add_days(t, n2), inputs
    )


def assert_add_days_round_trip(cal: ZonedCalendar, t: datetime, n: int) -> None:
    """``add_days(add_days(t, n), -n) == t`` when ``t`` is open and the first occurrence of
    its wall time, and ``add_days(t, n)`` is open and shows ``t``'s wall time.

    The round trip of docs/concepts/business-days.md ("Going back"), for negative ``n`` as
    for positive: stepping ``n`` business dates and back returns to ``t`` whenever the
    instant reached is open at the same wall time (in the calendar's zone). Outside those
    conditions the law claims nothing and the call returns: where the instant reached is
    closed (a shorter business day), going back counts from the close before it; and a
    wall time that occurs twice (a repeated DST hour) comes back as its first occurrence.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from slocalc import BusinessCalendar
    >>> cal = BusinessCalendar(tz="America/New_York", hours="Mon-Fri 08:00-17:00", holidays=("US", "MA"))
    >>> wednesday = datetime(2026, 11, 25, 10, 30, tzinfo=ZoneInfo("America/New_York"))
    >>> assert_add_days_round_trip(cal, wednesday, 3)  # over Thanksgiving and back
    >>> assert_add_days_round_trip(cal, wednesday, -3)
    """
    zone = cal.zone
    local = t.astimezone(zone)
    if not cal.is_open(t) or _utc(local.replace(fold=0)) != _utc(t):
        return
    x = cal.add_days(t, n)
    shown = x.astimezone(zone)
    wall = (local.hour, local.minute, local.second, local.microsecond)
    if not cal.is_open(x) or (shown.hour, shown.minute, shown.second, shown.microsecond) != wall:
        return
    back = cal.add_days(x, -n)
    if _utc(back) != _utc(t):
        raise _fail(
            "add_days(add_days(t, n), -n) == t (t open, first of its wall time; add_days(t, n) open at t's wall time)",
            f"add_days(t, n) = {_show(x)} and add_days(that, -n) = {_show(back)}",
            {"cal": cal, "t": t, "n": n},
        )


# --------------------------------------------------------------------------- algebra


def _combined_open(
    law: str,
    symbol: str,
    combined: Calendar,
    rule: Callable[[bool, bool], bool],
    a: Calendar,
    b: Calendar,
    t: datetime,
) -> None:
    """The algebra laws: ``combined`` (``a symbol b``) is open at ``t`` exactly as ``rule`` says."""
    got, in_a, in_b = combined.is_open(t), a.is_open(t), b.is_open(t)
    if got != rule(in_a, in_b):
        detail = f"(a {symbol} b).is_open(t) = {got}, a.is_open(t) = {in_a}, b.is_open(t) = {in_b}"
        raise _fail(law, detail, {"a": a, "b": b, "t": t})


def assert_union_open(a: Calendar, b: Calendar, t: datetime) -> None:
    """``(a | b).is_open(t) == (a.is_open(t) or b.is_open(t))``."""
    _combined_open("(a | b) is open exactly when a or b is", "|", a | b, operator.or_, a, b, t)


def assert_intersection_open(a: Calendar, b: Calendar, t: datetime) -> None:
    """``(a & b).is_open(t) == (a.is_open(t) and b.is_open(t))``."""
    _combined_open("(a & b) is open exactly when a and b are", "&", a & b, operator.and_, a, b, t)


def assert_difference_never_open(a: Calendar, b: Calendar, t: datetime) -> None:
    """``(a - b)`` is never open where ``b`` is, and open exactly where ``a`` is and ``b`` is not."""
    _combined_open(
        "(a - b) is open exactly when a is and b is not", "-", a - b, lambda x, y: x and not y, a, b, t
    )


def assert_union_between_bounds(a: Calendar, b: Calendar, start: datetime, end: datetime) -> None:
    """``max(a.between, b.between) <= (a | b).between <= a.between + b.between`` over ``[start, end)``."""
    ua, ub, both = a.between(start, end), b.between(start, end), (a | b).between(start, end)
    if _utc(start) > _utc(end):
        ua, ub, both = -ua, -ub, -both
    if not max(ua, ub) <= both <= ua + ub:
        raise _fail(
            "max(a.between, b.between) <= (a | b).between <= a.between + b.between",
            f"a: {ua!r}, b: {ub!r}, a | b: {both!r}",
            {"a": a, "b": b, "start": start, "end": end},
        )


# --------------------------------------------------------------------------- cases


def _breached(report: CaseReport) -> set[tuple[str, int]]:
    return {(t.metric, t.cycle) for t in report.targets if t.state == "breached"}


def assert_later_now_never_unbreaches(case: Case, policy: Policy, now1: datetime, now2: datetime) -> None:
    """A target breached at ``now1`` is still breached at any later ``now2``."""
    if _utc(now1) > _utc(now2):
        now1, now2 = now2, now1
    early, late = evaluate(case, policy, now=now1), evaluate(case, policy, now=now2)
    lost = _breached(early) - _breached(late)
    if lost:
        raise _fail(
            "a breach is never undone by evaluating later",
            f"breached at now1 but not at now2: {sorted(lost)}",
            {"case": case, "policy": policy, "now1": now1, "now2": now2},
        )


def assert_evaluation_is_pure(case: Case, policy: Policy, now: datetime) -> None:
    """``evaluate`` gives the same report twice, and for the events sorted by time (ties kept in order)."""
    first, again = evaluate(case, policy, now=now), evaluate(case, policy, now=now)
    ordered = case.model_copy(update={"events": tuple(sorted(case.events, key=lambda e: _utc(e.at)))})
    sorted_report = evaluate(ordered, policy, now=now)
    for label, other in (("evaluating again", again), ("the events sorted by time", sorted_report)):
        if other != first:
            raise _fail(
                "evaluation is a pure replay of the events in time order",
                f"{label} changed the report:\n    {first!r}\n    {other!r}",
                {"case": case, "policy": policy, "now": now},
            )


def assert_future_events_ignored(case: Case, policy: Policy, now: datetime) -> None:
    """Events after ``now`` do not change the report (they are only counted in ``future_events``)."""
    kept = tuple(e for e in case.events if _utc(e.at) <= _utc(now))
    full = evaluate(case, policy, now=now)
    past = evaluate(case.model_copy(update={"events": kept}), policy, now=now)
    if dataclasses.replace(full, future_events=0) != past:
        raise _fail(
            "events after now do not change the report",
            f"with them:\n    {full!r}\n  without:\n    {past!r}",
            {"case": case, "policy": policy, "now": now},
        )
    if full.future_events != len(case.events) - len(kept):
        raise _fail(
            "future_events counts the events after now",
            f"future_events = {full.future_events}, but {len(case.events) - len(kept)} events lie after now",
            {"case": case, "policy": policy, "now": now},
        )


def assert_target_states_consistent(case: Case, policy: Policy, now: datetime) -> None:
    """met means ``met_at <= due_at``; pending means ``now <= due_at``; a breach is by a positive amount."""
    report = evaluate(case, policy, now=now)
    for t in report.targets:
        problem = None
        if t.state == "met" and (
            t.met_at is None or (t.due_at is not None and _utc(t.met_at) > _utc(t.due_at))
        ):
            problem = "met, but not by a support update at or before due_at"
        elif t.state == "pending" and (t.due_at is None or _utc(t.due_at) < _utc(now)):
            problem = "pending, but due_at has passed"
        elif t.state == "breached" and (t.breached_by is None or t.breached_by <= timedelta(0)):
            problem = "breached, but breached_by is not positive"
        if problem:
            raise _fail(
                "target states agree with their instants",
                f"{t.label}: {problem} (due_at={_show(t.due_at)}, met_at={_show(t.met_at)}, "
                f"breached_by={t.breached_by!r})",
                {"case": case, "policy": policy, "now": now},
            )


def assert_check_agrees_with_evaluate(case: Case, policy: Policy, now: datetime) -> None:
    """``check`` raises a ``breached`` alert for exactly the targets ``evaluate`` reports breached."""
    alerts = {(a.metric, a.cycle) for a in check([case], policy, now=now) if a.kind == "breached"}
    breached = _breached(evaluate(case, policy, now=now))
    if alerts != breached:
        raise _fail(
            "check() alerts on exactly the breaches evaluate() reports",
            f"check: {sorted(alerts)}, evaluate: {sorted(breached)}",
            {"case": case, "policy": policy, "now": now},
        )
