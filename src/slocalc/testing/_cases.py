"""Hypothesis strategies for policies, customers, case timelines and evaluation instants.

Timelines are simulated, not sampled blindly: each next event is chosen from what can
happen in the case's current status (support replies to an open case, the customer answers a
waiting one, a closed case is reopened or a late reopen is attempted), so the statuses come
in the orders a ticketing system produces. Gaps between events are weighted towards ties,
the customer's opening and closing times, and spans that cross the 10-day auto-close and
reopen windows.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from slocalc.calendars.centers import CENTERS
from slocalc.cases import Case, Event, evaluate
from slocalc.errors import NoBusinessTimeError, SlocalcValueError
from slocalc.policies import RAPID7, Customer, Lifecycle, Policy, Severity, Target
from slocalc.testing._strategies import ZonesArg, _zone_strategy, aware_datetimes, weekly_hours
from slocalc.testing._transitions import DEFAULT_MAX_YEAR, DEFAULT_MIN_YEAR

__all__ = ["CUSTOMER_COUNTRIES", "cases", "customers", "nows", "policies", "targets"]

#: (zone, country, subdivision) of the customers :func:`customers` draws, awkward zones included
CUSTOMER_COUNTRIES: tuple[tuple[str, str | None, str | None], ...] = (
    ("UTC", None, None),
    ("America/New_York", "US", "MA"),
    ("Europe/Berlin", "DE", None),
    ("Europe/Dublin", "IE", None),
    ("Asia/Singapore", "SG", None),
    ("Australia/Sydney", "AU", "NSW"),
    ("Asia/Kolkata", "IN", None),
    ("Asia/Kathmandu", None, None),
    ("America/Santiago", "CL", None),
    ("Australia/Lord_Howe", None, None),
    ("America/St_Johns", None, None),
    ("Pacific/Chatham", None, None),
)

_CLOCKS: tuple[str, ...] = ("24x7", "customer", "follow_the_sun", *(f"center:{k}" for k in CENTERS))
_ZONED_CLOCKS: tuple[str, ...] = ("customer", *(f"center:{k}" for k in CENTERS))


# --------------------------------------------------------------------------- policies


def targets(*, clock: str | None = None) -> SearchStrategy[Target]:
    """Valid targets: hours or minutes on any clock; business or calendar days on a zoned one.

    Shrinks towards ``Target(amount=1, unit='hours', clock='24x7')``.

    Args:
        clock: fix the clock (``"24x7"``, ``"customer"``, ``"follow_the_sun"``,
            ``"center:<key>"``); by default any.
    """
    clocks = _CLOCKS if clock is None else (clock,)
    zoned = tuple(c for c in clocks if c in _ZONED_CLOCKS)
    options: list[SearchStrategy[Target]] = [
        st.builds(Target, amount=st.integers(1, 48), unit=st.just("hours"), clock=st.sampled_from(clocks)),
        st.builds(Target, amount=st.integers(1, 600), unit=st.just("minutes"), clock=st.sampled_from(clocks)),
    ]
    if zoned:
        days = st.sampled_from(zoned)
        options.append(
            st.builds(Target, amount=st.integers(1, 10), unit=st.just("business_days"), clock=days)
        )
        options.append(
            st.builds(Target, amount=st.integers(1, 14), unit=st.just("calendar_days"), clock=days)
        )
    return st.one_of(*options)


_windows: SearchStrategy[Target | None] = st.one_of(
    st.just(Target(amount=10, unit="calendar_days", clock="customer")),
    st.none(),
    st.builds(Target, amount=st.integers(1, 14), unit=st.just("calendar_days"), clock=st.just("customer")),
)


@st.composite
def _lifecycles(draw: st.DrawFn) -> Lifecycle:
    """The guidebook's statuses, with the rules varied within what a lifecycle allows."""
    pause = draw(st.sampled_from((("waiting_on_customer", "solution_offered"), ("waiting_on_customer",), ())))
    closed = ("closed", "closed_no_response", "closed_enhancement_request")
    backlog = draw(st.sampled_from(("stop", "pause", "neither")))
    stop = (*closed, "in_engineering_backlog") if backlog == "stop" else closed
    if backlog == "pause":
        pause = (*pause, "in_engineering_backlog")
    return Lifecycle(
        pause_statuses=pause,
        stop_statuses=stop,
        closed_statuses=closed,
        auto_close_after=draw(_windows),
        reopen_window=draw(_windows),
        severity_change=draw(st.sampled_from(("rebase", "restart"))),
    )


@st.composite
def _policies(draw: st.DrawFn, max_severities: int) -> Policy:
    levels = draw(st.lists(st.integers(1, 5), min_size=1, max_size=max_severities, unique=True))
    severities = []
    for level in sorted(levels):
        own = {"initial_response": draw(targets())}
        if draw(st.integers(0, 3)):  # most severities promise updates
            own["update"] = draw(targets())
        severities.append(Severity(level=level, name=f"S{level}", targets=own))
    shared = draw(st.dictionaries(st.just("support_contact_change"), targets(), max_size=1))
    lifecycle = draw(st.one_of(st.just(Lifecycle()), _lifecycles()))
    return Policy(name="generated", severities=severities, targets=shared, lifecycle=lifecycle)


def policies(*, max_severities: int = 3, include_rapid7: bool = True) -> SearchStrategy[Policy]:
    """Valid policies: 1 to ``max_severities`` levels, targets on every kind of clock and unit,
    lifecycles with varied pause/stop rules, windows and ``severity_change``.

    Shrinks towards one severity with ``1 hours on 24x7`` and the guidebook's lifecycle.

    Args:
        max_severities: most severity levels.
        include_rapid7: also draw :data:`slocalc.policies.RAPID7` itself.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(policies())
    ... def test_every_severity_has_a_response_target(policy):
    ...     assert all(policy.target(level, "initial_response") for level in policy.levels)
    >>> test_every_severity_has_a_response_target()
    """
    if max_severities < 1:
        raise SlocalcValueError(f"max_severities={max_severities}: expected at least 1")
    generated = _policies(max_severities)
    return st.one_of(generated, st.just(RAPID7)) if include_rapid7 else generated


# --------------------------------------------------------------------------- customers


@st.composite
def _customers(draw: st.DrawFn, zone_names: SearchStrategy[str] | None, custom_hours: bool) -> Customer:
    if zone_names is None:
        tz, country, subdiv = draw(st.sampled_from(CUSTOMER_COUNTRIES))
    else:
        tz, country, subdiv = draw(zone_names), None, None
    hours = "Mon-Fri 08:00-17:00"
    if custom_hours and draw(st.integers(0, 3)) == 3:
        hours = draw(weekly_hours())
    return Customer(tz=tz, country=country, subdiv=subdiv, hours=hours)


def customers(*, zones: ZonesArg = None, custom_hours: bool = True) -> SearchStrategy[Customer]:
    """Customers: a zone with its country's holidays (see :data:`CUSTOMER_COUNTRIES`), or a
    zone of ``zones`` without holidays; a quarter of them with their own weekly hours.

    Args:
        zones: draw the zone from these (no holidays then) instead of the built-in list.
        custom_hours: sometimes give the customer hours from :func:`weekly_hours`.
    """
    return _customers(None if zones is None else _zone_strategy(zones), custom_hours)


# --------------------------------------------------------------------------- timelines

_GAP_KINDS = st.sampled_from(("minutes", "tie", "hours", "open", "close", "days"))


def _gap(draw: st.DrawFn, customer: Customer, at: datetime) -> datetime:
    """The next event's instant: a tie, minutes or hours later, at the customer's next open
    or close, or days later (across the 10-day windows)."""
    kind = draw(_GAP_KINDS)
    if kind == "tie":
        return at
    if kind == "minutes":
        return at + timedelta(minutes=draw(st.integers(1, 240)))
    if kind == "hours":
        return at + timedelta(hours=draw(st.integers(1, 72)), minutes=draw(st.integers(0, 59)))
    if kind == "days":
        return at + timedelta(days=draw(st.integers(1, 16)), hours=draw(st.integers(0, 23)))
    cal = customer.calendar()
    try:
        hit = cal.next_open(at) if kind == "open" else cal.next_close(at)
    except NoBusinessTimeError:
        hit = None
    if hit is None or hit <= at:
        hit = at + timedelta(hours=1)
    near = hit.astimezone(UTC) + timedelta(minutes=draw(st.integers(-5, 5)) if draw(st.booleans()) else 0)
    return max(near, at)  # never before the previous event (nor the opening): events come in order


def _moves(status: str, life: Lifecycle, levels: tuple[int, ...]) -> tuple[str, ...]:
    """What can happen next in ``status``: event kinds and ``status:<name>`` moves."""
    moves = ["support_update", "customer_update"]
    if life.is_closed(status):
        return (*moves, "status:reopened")  # support reopens, or the customer tries to
    if status in life.pause_statuses or status in life.stop_statuses:
        moves.append("status:in_progress")
    else:
        moves += [f"status:{s}" for s in life.pause_statuses]
        moves += [f"status:{s}" for s in life.stop_statuses if not life.is_closed(s)]
        if status != "in_progress":
            moves.append("status:in_progress")
    moves += [f"status:{s}" for s in life.closed_statuses]
    if len(levels) > 1:
        moves.append("severity")
    return tuple(moves)


@functools.cache
def _move_strategy(moves: tuple[str, ...]) -> SearchStrategy[str]:
    return st.sampled_from(moves)


@st.composite
def _cases(
    draw: st.DrawFn,
    policy_strategy: SearchStrategy[Policy] | Policy,
    customer_strategy: SearchStrategy[Customer],
    max_events: int,
    shuffle: bool,
    min_year: int,
    max_year: int,
) -> Case:
    policy = policy_strategy if isinstance(policy_strategy, Policy) else draw(policy_strategy)
    life = policy.lifecycle
    levels = policy.levels
    customer = draw(customer_strategy)
    severity = draw(st.sampled_from(levels))
    opened = draw(
        aware_datetimes(zones=customer.tz, calendar=customer.calendar(), min_year=min_year, max_year=max_year)
    )
    zone = opened.tzinfo
    status, first_closed = "open", None
    at = opened.astimezone(UTC)
    events: list[Event] = []
    for _ in range(draw(st.integers(0, max_events))):
        at = _gap(draw, customer, at)
        move = draw(_move_strategy(_moves(status, life, levels)))
        shown = at if draw(st.integers(0, 4)) == 4 else at.astimezone(zone)  # sometimes in UTC
        if move == "severity":
            level = draw(st.sampled_from(levels))
            events.append(Event(at=shown, kind="severity", severity=level))
        elif move.startswith("status:"):
            new = move.partition(":")[2]
            events.append(Event(at=shown, kind="status", status=new))
            if life.is_closed(new) and first_closed is None:
                first_closed = at
            status = new
        else:
            events.append(Event(at=shown, kind=move))
            if move == "customer_update":
                if status in life.pause_statuses:
                    status = "in_progress"
                elif life.is_closed(status) and life.reopens(status) and first_closed is not None:
                    until = life.reopen_until(first_closed, customer)
                    if until is not None and at <= until:
                        status = "reopened"
    if shuffle and events:
        # Any order of the instants; events at one instant keep their order (ties are replayed
        # in the order given), so the case means the same thing.
        groups: dict[datetime, list[Event]] = {}
        for ev in events:
            groups.setdefault(ev.at.astimezone(UTC), []).append(ev)
        order = draw(st.permutations(list(groups)))
        events = [ev for key in order for ev in groups[key]]
    return Case(id="C-1", severity=severity, opened_at=opened, customer=customer, events=events)


def cases(
    *,
    policy: Policy | SearchStrategy[Policy] = RAPID7,
    customers: SearchStrategy[Customer] | None = None,
    max_events: int = 12,
    shuffle: bool = False,
    min_year: int = DEFAULT_MIN_YEAR,
    max_year: int = DEFAULT_MAX_YEAR,
) -> SearchStrategy[Case]:
    """Realistic case timelines for ``policy``.

    The case opens at an instant weighted towards DST transitions and the customer's opens
    and closes; then up to ``max_events`` events follow, each chosen from what can happen in
    the current status (replies, customer answers that resume a paused case or reopen a
    closed one, pauses, stops, closures, reopen attempts inside and after the window,
    severity changes). Gaps between events include ties, the customer's next open or close,
    and multi-day spans. Every case evaluates under ``policy`` without error.

    Args:
        policy: a policy, or a strategy of them (e.g. :func:`policies`); ``RAPID7`` by default.
        customers: a strategy of customers (default :func:`customers`).
        max_events: most events per case.
        shuffle: give the events out of order (same-instant events keep their order).
        min_year: first year the case may open in.
        max_year: last year the case may open in.

    >>> from datetime import timedelta
    >>> from hypothesis import given, settings
    >>> from slocalc.cases import evaluate
    >>> from slocalc.policies import RAPID7
    >>> @settings(max_examples=20, deadline=None)
    ... @given(cases(policy=RAPID7))
    ... def test_reports_are_in_the_cases_zone(case):
    ...     report = evaluate(case, RAPID7, now=case.opened_at + timedelta(days=30))
    ...     assert report.initial_response.start.tzinfo is case.opened_at.tzinfo
    >>> test_reports_are_in_the_cases_zone()
    """
    if max_events < 0:
        raise SlocalcValueError(f"max_events={max_events}: expected 0 or more")
    who = _customers(None, True) if customers is None else customers
    return _cases(policy, who, max_events, shuffle, min_year, max_year)


# --------------------------------------------------------------------------- evaluation instants


@st.composite
def _nows(draw: st.DrawFn, case: Case, policy: Policy) -> datetime:
    opened = case.opened_at
    last = max([opened, *(e.at for e in case.events)], key=lambda t: t.astimezone(UTC))
    kind = draw(st.sampled_from(("event", "deadline", "between", "after")))
    if kind == "event" and case.events:
        base = draw(st.sampled_from(case.events)).at
    elif kind == "deadline":
        report = evaluate(case, policy, now=last.astimezone(UTC) + timedelta(days=60))
        dues = [t.due_at for t in report.targets if t.due_at is not None]
        base = draw(st.sampled_from(dues)) if dues else last
    elif kind == "between":
        span = last.astimezone(UTC) - opened.astimezone(UTC)
        base = opened + timedelta(microseconds=draw(st.integers(0, span // timedelta(microseconds=1))))
    else:
        base = last + timedelta(hours=draw(st.integers(0, 24 * 30)))
    nudge = draw(st.sampled_from((timedelta(0), timedelta(microseconds=-1), timedelta(microseconds=1))))
    now = base.astimezone(UTC) + nudge
    return max(now, opened.astimezone(UTC)).astimezone(opened.tzinfo)


def nows(case: Case, *, policy: Policy = RAPID7) -> SearchStrategy[datetime]:
    """Instants to evaluate ``case`` at: on an event or a deadline (or one microsecond either
    side of it), between events, or up to 30 days after the last one; never before
    ``opened_at``. Use with ``st.data()`` once the case is drawn.

    Args:
        case: the case.
        policy: the policy whose deadlines to weight.
    """
    return _nows(case, policy)
