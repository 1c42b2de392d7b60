"""Hand-worked case timelines.

Every expected instant below was worked out by hand from the guidebook policy (RAPID7) and
a wall calendar; the reasoning is in the comment next to it. Nothing here is computed by
slocalc. Calendar facts used (2026): Mar 1 is a Sunday; US DST starts Sun Mar 8 (02:00
EST -> 03:00 EDT); EU summer time starts Sun Mar 29 (01:00 UTC; Dublin GMT -> IST +01:00);
St Patrick's Day (Tue Mar 17) is an Irish public holiday; Good Friday is Apr 3.

RAPID7: Sev-1 initial 2 h / updates 4 h on 24x7; Sev-2 initial 4 business hours / updates
3 business days; Sev-3 initial 12 business hours / updates 5 business days; business
hours are Mon-Fri 08:00-17:00 in the customer's zone, closed on its country's holidays.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from slocalc.cases import Case, CaseReport, Event, check, evaluate
from slocalc.errors import TimelineError
from slocalc.policies import RAPID7, STATUSES, Customer, Policy

BERLIN = ZoneInfo("Europe/Berlin")
DUBLIN = ZoneInfo("Europe/Dublin")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
SINGAPORE = ZoneInfo("Asia/Singapore")

RESTART: Policy = RAPID7.replace(lifecycle=RAPID7.lifecycle.replace(severity_change="restart"))


def t(zone: ZoneInfo, month: int, day: int, hour: int, minute: int = 0, *, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def upd(at: datetime) -> Event:
    return Event(at=at, kind="support_update")


def cust(at: datetime) -> Event:
    return Event(at=at, kind="customer_update")


def status(at: datetime, value: str) -> Event:
    return Event(at=at, kind="status", status=value)


def sev(at: datetime, level: int) -> Event:
    return Event(at=at, kind="severity", severity=level)


def case(severity: int, opened: datetime, customer: Customer, *events: Event, case_id: str = "C-1") -> Case:
    return Case(id=case_id, severity=severity, opened_at=opened, customer=customer, events=list(events))


def same_instant(a: datetime | None, b: datetime) -> None:
    """Equal as instants *and* reported in the expected offset."""
    assert a is not None
    assert a == b
    assert a.utcoffset() == b.utcoffset(), (a.isoformat(), b.isoformat())


# --------------------------------------------------------------------------- 1


def test_severity2_pause_across_a_weekend() -> None:
    de = Customer(tz="Europe/Berlin", country="DE")
    c = case(
        2,
        t(BERLIN, 3, 5, 10),  # Thu 10:00 CET
        de,
        upd(t(BERLIN, 3, 5, 11)),
        status(t(BERLIN, 3, 6, 15), "waiting_on_customer"),  # Fri 15:00
        cust(t(BERLIN, 3, 9, 10)),  # Mon 10:00 -> in_progress
    )
    r = evaluate(c, RAPID7, now=t(BERLIN, 3, 10, 12))  # Tue 12:00
    # initial: 4 business hours from Thu 10:00 = Thu 14:00; answered 11:00
    assert r.initial_response.state == "met"
    same_instant(r.initial_response.due_at, t(BERLIN, 3, 5, 14))
    # cycle 1 from Thu 11:00: business dates Fri 6, Mon 9, Tue 10 -> Tue 11:00.
    # pause [Fri 15:00, Mon 10:00) holds Fri 15-17 + Mon 08-10 = 4 business hours,
    # so the deadline moves 4 business hours: Tue 11:00 -> Tue 15:00.
    u1 = r.updates[0]
    assert (u1.state, u1.start) == ("pending", t(BERLIN, 3, 5, 11))
    same_instant(u1.due_at, t(BERLIN, 3, 10, 15))
    assert u1.remaining == timedelta(hours=3)  # Tue 12:00 -> 15:00
    same_instant(r.next_due_at, t(BERLIN, 3, 10, 15))
    assert (r.status, r.auto_close_at, r.breaches) == ("in_progress", None, 0)


def test_severity2_while_paused_has_no_due_at() -> None:
    de = Customer(tz="Europe/Berlin", country="DE")
    c = case(
        2,
        t(BERLIN, 3, 5, 10),
        de,
        upd(t(BERLIN, 3, 5, 11)),
        status(t(BERLIN, 3, 6, 15), "waiting_on_customer"),
    )
    r = evaluate(c, RAPID7, now=t(BERLIN, 3, 7, 12))  # Saturday noon, still waiting
    u1 = r.updates[0]
    assert (u1.state, u1.due_at) == ("paused", None)
    # clock time from the pause (Fri 15:00) to the deadline it had (Tue 11:00):
    # Fri 15-17 (2 h) + Mon 08-17 (9 h) + Tue 08-11 (3 h) = 14 h
    assert u1.remaining == timedelta(hours=14)
    assert r.next_due_at is None
    # waiting since Fri 15:00 -> eligible for closed_no_response 10 calendar days later
    same_instant(r.auto_close_at, t(BERLIN, 3, 16, 15))


# --------------------------------------------------------------------------- 2


def test_severity3_response_across_st_patricks_day() -> None:
    ie = Customer(tz="Europe/Dublin", country="IE")
    opened = t(DUBLIN, 3, 16, 14)  # Mon 14:00 GMT
    # 12 business hours: Mon 14-17 (3 h), Tue 17 closed (St Patrick's Day), Wed 08-17 (9 h)
    due = t(DUBLIN, 3, 18, 17)
    on_time = evaluate(case(3, opened, ie, upd(due)), RAPID7, now=t(DUBLIN, 3, 19, 9))
    assert on_time.initial_response.state == "met"  # exactly at the deadline is met
    same_instant(on_time.initial_response.due_at, due)
    late = evaluate(
        case(3, opened, ie, upd(due + timedelta(microseconds=1))), RAPID7, now=t(DUBLIN, 3, 19, 9)
    )
    assert late.initial_response.state == "breached"
    assert late.initial_response.breached_by == timedelta(microseconds=1)
    assert late.initial_response.met_at == due + timedelta(microseconds=1)


# --------------------------------------------------------------------------- 3


def test_severity1_opened_on_a_saturday_night_across_us_dst() -> None:
    ny = Customer(tz="America/New_York", country="US")
    opened = t(NEW_YORK, 3, 7, 22, 30)  # Sat 22:30 EST
    c = case(1, opened, ny, upd(t(NEW_YORK, 3, 8, 0, 15)))  # Sun 00:15 EST
    r = evaluate(c, RAPID7, now=t(NEW_YORK, 3, 8, 6))  # Sun 06:00 EDT
    # 24x7: 2 hours after Sat 22:30 EST is Sun 00:30 EST; weekends do not matter
    same_instant(r.initial_response.due_at, t(NEW_YORK, 3, 8, 0, 30))
    assert r.initial_response.state == "met"
    # cycle 1: 4 elapsed hours from 00:15 EST; clocks jump 02:00 EST -> 03:00 EDT,
    # so 4 hours later reads 05:15 EDT (09:15 UTC)
    u1 = r.updates[0]
    same_instant(u1.due_at, t(NEW_YORK, 3, 8, 5, 15))
    assert u1.due_at == datetime(2026, 3, 8, 9, 15, tzinfo=UTC)
    assert (u1.state, u1.breached_by) == ("breached", timedelta(minutes=45))  # at 06:00 EDT
    assert r.breaches == 1


def test_severity1_at_risk_then_breached_alerts() -> None:
    ny = Customer(tz="America/New_York", country="US")
    c = case(1, t(NEW_YORK, 3, 7, 22, 30), ny, upd(t(NEW_YORK, 3, 8, 0, 15)), case_id="S1")
    # at 04:30 EDT (08:30 UTC): 45 min left of 4 h -> 3h15 used = 81.25% >= 75%
    alerts = check([c], RAPID7, now=t(NEW_YORK, 3, 8, 4, 30))
    assert [(a.case_id, a.metric, a.kind, a.cycle) for a in alerts] == [("S1", "update", "at_risk", 1)]
    assert alerts[0].remaining == timedelta(minutes=45)
    assert alerts[0].budget == timedelta(hours=4)
    same_instant(alerts[0].due_at, t(NEW_YORK, 3, 8, 5, 15))
    # with a 90% threshold it is not at risk yet (81.25% < 90%)
    assert check([c], RAPID7, now=t(NEW_YORK, 3, 8, 4, 30), at_risk=0.9) == []
    # at 05:15 EDT exactly: due now, not breached (100% used: at risk)
    assert [a.kind for a in check([c], RAPID7, now=t(NEW_YORK, 3, 8, 5, 15))] == ["at_risk"]
    # one microsecond later it is breached
    late = check([c], RAPID7, now=t(NEW_YORK, 3, 8, 5, 15) + timedelta(microseconds=1))
    assert [(a.kind, a.breached_by) for a in late] == [("breached", timedelta(microseconds=1))]


# --------------------------------------------------------------------------- 4


def test_upgrade_3_to_1_breaches_at_once_under_rebase() -> None:
    de = Customer(tz="Europe/Berlin", country="DE")
    opened = t(BERLIN, 3, 2, 9)  # Mon 09:00
    c = case(3, opened, de, sev(t(BERLIN, 3, 2, 12), 1), upd(t(BERLIN, 3, 2, 12, 30)))
    # before the change: 12 business hours = Mon 09-17 (8 h) + Tue 08-12 (4 h) -> Tue 12:00
    before = evaluate(c, RAPID7, now=t(BERLIN, 3, 2, 11, 59))
    same_instant(before.initial_response.due_at, t(BERLIN, 3, 3, 12))
    # rebase: as if it had always been Sev-1: 2 hours on 24x7 from Mon 09:00 = 11:00,
    # already past at the 12:00 change -> breached at once; answered 12:30, 1h30 late
    r = evaluate(c, RAPID7, now=t(BERLIN, 3, 2, 13))
    i = r.initial_response
    assert (i.state, i.severity, i.target) == ("breached", 1, "2 hours")
    same_instant(i.due_at, t(BERLIN, 3, 2, 11))
    assert i.met_at == t(BERLIN, 3, 2, 12, 30)
    assert i.breached_by == timedelta(hours=1, minutes=30)
    # already breached at the change instant itself
    at_change = evaluate(c, RAPID7, now=t(BERLIN, 3, 2, 12))
    assert at_change.initial_response.state == "breached"
    assert at_change.initial_response.breached_by == timedelta(hours=1)


def test_upgrade_3_to_1_does_not_breach_under_restart() -> None:
    de = Customer(tz="Europe/Berlin", country="DE")
    c = case(3, t(BERLIN, 3, 2, 9), de, sev(t(BERLIN, 3, 2, 12), 1), upd(t(BERLIN, 3, 2, 12, 30)))
    r = evaluate(c, RESTART, now=t(BERLIN, 3, 2, 13))
    i = r.initial_response
    # restart: 2 hours on 24x7 from the change at 12:00 -> 14:00; answered 12:30
    assert (i.state, i.start) == ("met", t(BERLIN, 3, 2, 12))
    same_instant(i.due_at, t(BERLIN, 3, 2, 14))
    # the first update cycle (Sev-1: 4 h on 24x7) starts at the response: 16:30
    same_instant(r.updates[0].due_at, t(BERLIN, 3, 2, 16, 30))


# --------------------------------------------------------------------------- 5


def test_downgrade_1_to_2_rebases_the_running_cycle() -> None:
    us = Customer(tz="America/Chicago", country="US")
    c = case(
        1,
        t(CHICAGO, 3, 3, 16),  # Tue 16:00 CST
        us,
        upd(t(CHICAGO, 3, 3, 16, 30)),
        sev(t(CHICAGO, 3, 3, 17), 2),
        upd(t(CHICAGO, 3, 5, 10)),  # Thu 10:00
    )
    mid = evaluate(c, RAPID7, now=t(CHICAGO, 3, 3, 16, 45))
    # Sev-1 cycle 1: 4 h on 24x7 from Tue 16:30 -> 20:30
    same_instant(mid.updates[0].due_at, t(CHICAGO, 3, 3, 20, 30))
    r = evaluate(c, RAPID7, now=t(CHICAGO, 3, 9, 12))  # Mon noon CDT (DST began Sun)
    assert r.severity == 2
    # initial response was met at 16:30 (due 18:00): it keeps its Sev-1 result
    assert (r.initial_response.state, r.initial_response.severity) == ("met", 1)
    # rebase of cycle 1 to Sev-2: 3 business days from its start Tue 16:30 (open then):
    # Wed 4, Thu 5, Fri 6 -> Fri 16:30 CST; answered Thu 10:00 -> met
    u1 = r.updates[0]
    assert (u1.state, u1.severity, u1.target) == ("met", 2, "3 business days")
    same_instant(u1.due_at, t(CHICAGO, 3, 6, 16, 30))
    # cycle 2 from Thu 10:00 CST: Fri 6, Mon 9, Tue 10 -> Tue 10:00, now CDT (-05:00)
    u2 = r.updates[1]
    same_instant(u2.due_at, t(CHICAGO, 3, 10, 10))
    assert u2.due_at is not None
    assert u2.due_at.utcoffset() == timedelta(hours=-5)
    # Mon 12:00 -> Tue 10:00 holds Mon 12-17 (5 h) + Tue 08-10 (2 h)
    assert (u2.state, u2.remaining) == ("pending", timedelta(hours=7))


# --------------------------------------------------------------------------- 6


def test_waiting_on_customer_until_auto_close_eligibility() -> None:
    sg = Customer(tz="Asia/Singapore", country="SG")
    opened = t(SINGAPORE, 3, 2, 9)  # Mon 09:00 +08:00
    answered = t(SINGAPORE, 3, 2, 10)
    events = [upd(answered), status(answered, "waiting_on_customer")]
    r = evaluate(case(3, opened, sg, *events), RAPID7, now=t(SINGAPORE, 3, 12, 10))
    assert r.status == "waiting_on_customer"
    # no customer activity since Mon Mar 2 10:00 -> 10 calendar days -> Thu Mar 12 10:00
    same_instant(r.auto_close_at, t(SINGAPORE, 3, 12, 10))
    # cycle 1 began paused: no deadline; its 5 business days from Mon 10:00 (Mon Mar 9
    # 10:00) hold Mon 10-17 (7 h) + Tue-Fri (4 x 9 h) + Mon 08-10 (2 h) = 45 h
    u1 = r.updates[0]
    assert (u1.state, u1.due_at, u1.remaining) == ("paused", None, timedelta(hours=45))
    # the case is closed for inactivity at that instant
    closed = case(3, opened, sg, *events, status(t(SINGAPORE, 3, 12, 10), "closed_no_response"))
    r2 = evaluate(closed, RAPID7, now=t(SINGAPORE, 3, 13, 9))
    assert (r2.status, r2.auto_close_at, r2.updates[0].state) == ("closed_no_response", None, "stopped")
    same_instant(r2.reopen_until, t(SINGAPORE, 3, 22, 10))  # closure + 10 calendar days


def test_customer_activity_restarts_the_auto_close_timer() -> None:
    sg = Customer(tz="Asia/Singapore", country="SG")
    c = case(
        3,
        t(SINGAPORE, 3, 2, 9),
        sg,
        upd(t(SINGAPORE, 3, 2, 10)),
        status(t(SINGAPORE, 3, 2, 10), "waiting_on_customer"),
        cust(t(SINGAPORE, 3, 6, 11)),  # back to in_progress: no auto-close
        upd(t(SINGAPORE, 3, 9, 9)),
        status(t(SINGAPORE, 3, 9, 9, 5), "waiting_on_customer"),
    )
    assert evaluate(c, RAPID7, now=t(SINGAPORE, 3, 6, 12)).auto_close_at is None
    r = evaluate(c, RAPID7, now=t(SINGAPORE, 3, 10, 9))
    same_instant(r.auto_close_at, t(SINGAPORE, 3, 19, 9, 5))  # waiting since Mon 9 09:05


# --------------------------------------------------------------------------- 7


def test_reopen_inside_the_window_starts_a_new_cycle() -> None:
    gb = Customer(tz="Europe/London", country="GB")
    closed_at = t(LONDON, 3, 3, 12)  # Tue 12:00 GMT
    c = case(
        2,
        t(LONDON, 3, 2, 9),
        gb,
        upd(t(LONDON, 3, 2, 9, 30)),
        status(closed_at, "closed"),
        cust(t(LONDON, 3, 13, 12)),  # Fri 13 12:00: exactly 10 calendar days after closure
    )
    shut = evaluate(c, RAPID7, now=t(LONDON, 3, 10, 9))
    assert (shut.status, shut.updates[0].state) == ("closed", "stopped")
    same_instant(shut.reopen_until, t(LONDON, 3, 13, 12))
    r = evaluate(c, RAPID7, now=t(LONDON, 3, 16, 9))
    assert (r.status, r.reopen_until, r.late_reopen_attempts) == ("reopened", None, ())
    # cycle 2 from the reopen Fri 12:00: Mon 16, Tue 17, Wed 18 -> Wed 12:00
    u2 = r.updates[1]
    assert (u2.start, u2.state) == (t(LONDON, 3, 13, 12), "pending")
    same_instant(u2.due_at, t(LONDON, 3, 18, 12))


def test_late_reopen_attempt_is_reported_and_reopens_nothing() -> None:
    gb = Customer(tz="Europe/London", country="GB")
    late = t(LONDON, 3, 13, 12, 1)  # one minute after the window (Fri 13 12:00)
    c = case(
        2,
        t(LONDON, 3, 2, 9),
        gb,
        upd(t(LONDON, 3, 2, 9, 30)),
        status(t(LONDON, 3, 3, 12), "closed"),
        cust(late),
    )
    r = evaluate(c, RAPID7, now=t(LONDON, 3, 16, 9))
    assert r.status == "closed"
    assert r.late_reopen_attempts == (late,)
    assert len(r.updates) == 1
    assert r.next_due_at is None


def test_reopen_window_counts_from_the_original_closure() -> None:
    gb = Customer(tz="Europe/London", country="GB")
    c = case(
        2,
        t(LONDON, 3, 2, 9),
        gb,
        upd(t(LONDON, 3, 2, 9, 30)),
        status(t(LONDON, 3, 3, 12), "closed"),  # first closure: window until Fri 13 12:00
        cust(t(LONDON, 3, 5, 10)),  # reopened
        upd(t(LONDON, 3, 5, 11)),
        status(t(LONDON, 3, 12, 9), "closed"),  # closed again
        cust(t(LONDON, 3, 14, 10)),  # after the original window: late
    )
    r = evaluate(c, RAPID7, now=t(LONDON, 3, 16, 9))
    assert r.status == "closed"
    assert r.late_reopen_attempts == (t(LONDON, 3, 14, 10),)


# --------------------------------------------------------------------------- 8


def test_defect_moved_to_engineering_backlog() -> None:
    us = Customer(tz="America/Los_Angeles", country="US")
    c = case(
        2,
        t(LOS_ANGELES, 3, 2, 8),  # Mon 08:00 PST
        us,
        upd(t(LOS_ANGELES, 3, 2, 9)),
        status(t(LOS_ANGELES, 3, 4, 16), "in_engineering_backlog"),  # Wed 16:00
        upd(t(LOS_ANGELES, 3, 10, 9)),  # a reply in the backlog meets and starts nothing
        status(t(LOS_ANGELES, 3, 31, 10), "in_progress"),  # the fix ships: Tue 31 10:00 PDT
    )
    parked = evaluate(c, RAPID7, now=t(LOS_ANGELES, 3, 30, 9))
    # cycle 1 (due Thu Mar 5 09:00: Tue 3, Wed 4, Thu 5) stopped on Wed: no breach since
    u1 = parked.updates[0]
    assert (u1.state, u1.ended_at, u1.breached_by) == ("stopped", t(LOS_ANGELES, 3, 4, 16), None)
    same_instant(u1.due_at, t(LOS_ANGELES, 3, 5, 9))
    assert (len(parked.updates), parked.next_due_at, parked.breaches) == (1, None, 0)
    # leaving the backlog starts cycle 2 at that instant: Wed Apr 1, Thu 2, Fri 3 -> Fri 10:00
    r = evaluate(c, RAPID7, now=t(LOS_ANGELES, 4, 1, 9))
    u2 = r.updates[1]
    assert (u2.start, u2.state) == (t(LOS_ANGELES, 3, 31, 10), "pending")
    same_instant(u2.due_at, t(LOS_ANGELES, 4, 3, 10))


# --------------------------------------------------------------------------- 9


def test_simultaneous_events_keep_their_given_order() -> None:
    de = Customer(tz="Europe/Berlin", country="DE")
    opened = t(BERLIN, 3, 2, 9)
    noon = t(BERLIN, 3, 2, 10, 30)  # Sev-1 initial response due 11:00
    # a reply that also asks the customer something: either order pauses the new cycle
    a = case(1, opened, de, upd(noon), status(noon, "waiting_on_customer"))
    b = case(1, opened, de, status(noon, "waiting_on_customer"), upd(noon))
    now = t(BERLIN, 3, 3, 9)
    ra, rb = evaluate(a, RAPID7, now=now), evaluate(b, RAPID7, now=now)
    for r in (ra, rb):
        assert r.initial_response.state == "met"
        assert (r.updates[0].state, r.updates[0].remaining) == ("paused", timedelta(hours=4))
    # closed then a customer update at the same instant: reopened (inside the window) ...
    c1 = case(2, opened, de, upd(noon), status(noon, "closed"), cust(noon))
    assert evaluate(c1, RAPID7, now=now).status == "reopened"
    # ... the other way round the update lands on an open case and the closure stands
    c2 = case(2, opened, de, upd(noon), cust(noon), status(noon, "closed"))
    assert evaluate(c2, RAPID7, now=now).status == "closed"


def test_events_given_out_of_order_are_sorted_by_time() -> None:
    de = Customer(tz="Europe/Berlin", country="DE")
    events = [
        cust(t(BERLIN, 3, 4, 10)),
        upd(t(BERLIN, 3, 2, 10)),
        status(t(BERLIN, 3, 3, 10), "waiting_on_customer"),
    ]
    shuffled = case(2, t(BERLIN, 3, 2, 9), de, *events)
    ordered = case(2, t(BERLIN, 3, 2, 9), de, events[1], events[2], events[0])
    now = t(BERLIN, 3, 5, 9)
    assert evaluate(shuffled, RAPID7, now=now) == evaluate(ordered, RAPID7, now=now)


# --------------------------------------------------------------------------- 10


def test_dublin_customer_across_the_march_dst_change() -> None:
    ie = Customer(tz="Europe/Dublin", country="IE")
    c = case(2, t(DUBLIN, 3, 27, 15), ie, upd(t(DUBLIN, 3, 30, 9, 30)))  # Fri 15:00 GMT
    r = evaluate(c, RAPID7, now=t(DUBLIN, 3, 31, 9))
    # 4 business hours: Fri 15-17 (2 h), the weekend (clocks go forward Sunday), Mon 08-10
    # (2 h) -> Mon 10:00 IST = 09:00 UTC
    same_instant(r.initial_response.due_at, t(DUBLIN, 3, 30, 10))
    assert r.initial_response.due_at == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    assert r.initial_response.state == "met"
    # cycle 1 from Mon 09:30 IST: Tue 31, Wed Apr 1, Thu Apr 2 -> Thu 09:30 IST
    same_instant(r.updates[0].due_at, t(DUBLIN, 4, 2, 9, 30))


def test_dublin_severity1_and_auto_close_across_the_dst_change() -> None:
    ie = Customer(tz="Europe/Dublin", country="IE")
    # 24x7: Sun 00:30 GMT + 2 elapsed hours = 02:30 UTC, which Dublin reads as 03:30 IST
    r = evaluate(case(1, t(DUBLIN, 3, 29, 0, 30), ie), RAPID7, now=t(DUBLIN, 3, 29, 3))
    same_instant(r.initial_response.due_at, t(DUBLIN, 3, 29, 3, 30))
    assert r.initial_response.remaining == timedelta(minutes=30)
    # calendar days keep the wall time: waiting since Fri 20 10:00 GMT -> Mon 30 10:00 IST,
    # which is 9 days 23 hours of elapsed time
    waiting = t(DUBLIN, 3, 20, 10)
    c = case(2, t(DUBLIN, 3, 20, 9), ie, upd(waiting), status(waiting, "waiting_on_customer"))
    r2 = evaluate(c, RAPID7, now=t(DUBLIN, 3, 25, 9))
    same_instant(r2.auto_close_at, t(DUBLIN, 3, 30, 10))
    assert r2.auto_close_at is not None
    # (subtract in UTC: Python subtracts wall times when both share one tzinfo)
    assert r2.auto_close_at.astimezone(UTC) - waiting.astimezone(UTC) == timedelta(days=9, hours=23)


# --------------------------------------------------------------------------- more rules


def test_breached_cycle_runs_on_until_the_next_update() -> None:
    utc = Customer(tz="UTC")
    c = case(
        1,
        datetime(2026, 3, 2, 8, tzinfo=UTC),
        utc,
        upd(datetime(2026, 3, 2, 9, tzinfo=UTC)),  # cycle 1 due 13:00
        status(datetime(2026, 3, 2, 14, tzinfo=UTC), "waiting_on_customer"),  # after the breach
        cust(datetime(2026, 3, 2, 15, tzinfo=UTC)),
        upd(datetime(2026, 3, 2, 16, tzinfo=UTC)),  # answers cycle 1 three hours late
    )
    r = evaluate(c, RAPID7, now=datetime(2026, 3, 2, 17, tzinfo=UTC))
    u1, u2 = r.updates
    # one breach for cycle 1; the pause after the breach does not move its deadline
    assert (u1.state, u1.due_at, u1.met_at) == (
        "breached",
        datetime(2026, 3, 2, 13, tzinfo=UTC),
        datetime(2026, 3, 2, 16, tzinfo=UTC),
    )
    assert u1.breached_by == timedelta(hours=3)
    # cycle 2 starts at the late update: due 20:00
    assert (u2.state, u2.due_at) == ("pending", datetime(2026, 3, 2, 20, tzinfo=UTC))
    assert r.breaches == 1
    alerts = check([c], RAPID7, now=datetime(2026, 3, 2, 17, tzinfo=UTC))
    assert [(a.kind, a.cycle, a.breached_by) for a in alerts] == [("breached", 1, timedelta(hours=3))]


def test_closed_before_any_response_cancels_the_initial_response() -> None:
    utc = Customer(tz="UTC")
    c = case(
        1, datetime(2026, 3, 2, 8, tzinfo=UTC), utc, status(datetime(2026, 3, 2, 9, tzinfo=UTC), "closed")
    )
    r = evaluate(c, RAPID7, now=datetime(2026, 3, 3, 8, tzinfo=UTC))
    assert (r.initial_response.state, r.initial_response.breached_by, r.updates) == ("cancelled", None, ())
    assert check([c], RAPID7, now=datetime(2026, 3, 3, 8, tzinfo=UTC)) == []


def test_pause_in_24x7_moves_the_deadline_by_the_time_paused() -> None:
    utc = Customer(tz="UTC")
    c = case(
        1,
        datetime(2026, 3, 2, 8, tzinfo=UTC),
        utc,
        upd(datetime(2026, 3, 2, 9, tzinfo=UTC)),  # cycle 1 due 13:00
        status(datetime(2026, 3, 2, 10, tzinfo=UTC), "solution_offered"),
        cust(datetime(2026, 3, 2, 12, 30, tzinfo=UTC)),  # paused 2h30
    )
    r = evaluate(c, RAPID7, now=datetime(2026, 3, 2, 13, tzinfo=UTC))
    assert r.updates[0].due_at == datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
    assert r.updates[0].remaining == timedelta(hours=2, minutes=30)


def test_pause_beginning_at_the_deadline_does_not_move_it() -> None:
    utc = Customer(tz="UTC")
    due = datetime(2026, 3, 2, 13, tzinfo=UTC)
    c = case(
        1,
        datetime(2026, 3, 2, 8, tzinfo=UTC),
        utc,
        upd(datetime(2026, 3, 2, 9, tzinfo=UTC)),
        status(due, "waiting_on_customer"),
    )
    assert evaluate(c, RAPID7, now=due).updates[0].state == "pending"  # due now, not late
    r = evaluate(c, RAPID7, now=due + timedelta(minutes=1))
    assert (r.updates[0].state, r.updates[0].due_at) == ("breached", due)


def test_severity_change_while_paused_keeps_the_pause() -> None:
    utc = Customer(tz="UTC")
    opened = datetime(2026, 3, 2, 8, tzinfo=UTC)
    c = case(
        1,
        opened,
        utc,
        upd(datetime(2026, 3, 2, 9, tzinfo=UTC)),
        status(datetime(2026, 3, 2, 10, tzinfo=UTC), "waiting_on_customer"),
        sev(datetime(2026, 3, 2, 11, tzinfo=UTC), 2),
    )
    r = evaluate(c, RAPID7, now=datetime(2026, 3, 2, 12, tzinfo=UTC))
    u1 = r.updates[0]
    # rebased to 3 business days (UTC customer) from Mon 09:00 -> Thu 09:00; paused at
    # Mon 10:00 with Mon 10-17 + Tue + Wed + Thu 08-09 = 7 + 9 + 9 + 1 = 26 h left
    assert (u1.state, u1.severity, u1.remaining) == ("paused", 2, timedelta(hours=26))


def test_report_instants_use_the_opened_at_zone_and_events_after_now_are_not_replayed() -> None:
    de = Customer(tz="Europe/Berlin", country="DE")
    opened = datetime(2026, 3, 2, 8, tzinfo=UTC)  # 09:00 in Berlin
    c = case(2, opened, de, upd(t(BERLIN, 3, 2, 10)), upd(t(BERLIN, 3, 3, 10)))
    r = evaluate(c, RAPID7, now=t(BERLIN, 3, 2, 12))
    assert r.future_events == 1
    assert len(r.updates) == 1
    # 4 business hours from 09:00 Berlin is 13:00 Berlin, reported in UTC as given
    assert r.initial_response.due_at == datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert r.initial_response.due_at.tzinfo is UTC
    assert r.now.tzinfo is UTC
    assert r.initial_response.met_at == datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_the_report_is_a_pure_function_of_its_inputs() -> None:
    de = Customer(tz="Europe/Berlin", country="DE")
    c = case(2, t(BERLIN, 3, 5, 10), de, upd(t(BERLIN, 3, 5, 11)))
    first = evaluate(c, RAPID7, now=t(BERLIN, 3, 9, 9))
    assert isinstance(first, CaseReport)
    assert evaluate(c, RAPID7, now=t(BERLIN, 3, 9, 9)) == first
    assert CaseReport.from_json(first.to_json()) == first


@pytest.mark.parametrize("level", [1, 2, 3])
def test_every_severity_of_rapid7_has_an_update_cadence(level: int) -> None:
    c = case(
        level,
        datetime(2026, 3, 2, 8, tzinfo=UTC),
        Customer(tz="UTC"),
        upd(datetime(2026, 3, 2, 9, tzinfo=UTC)),
    )
    r = evaluate(c, RAPID7, now=datetime(2026, 3, 2, 9, tzinfo=UTC))
    assert [u.cycle for u in r.updates] == [1]


def test_check_sees_cases_as_of_now() -> None:
    utc = Customer(tz="UTC")
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    # opened at 08:00, never answered: Sev-1 initial response due 10:00, 2 h late at noon
    old = case(1, datetime(2026, 3, 2, 8, tzinfo=UTC), utc, case_id="old")
    # opened a second after now (a clock that runs ahead): nothing is due yet as of now
    ahead = case(1, now + timedelta(seconds=1), utc, case_id="ahead")
    alerts = check([ahead, old], RAPID7, now=now)
    assert [(a.case_id, a.kind, a.breached_by) for a in alerts] == [("old", "breached", timedelta(hours=2))]
    # an answer recorded after now is not replayed either
    answered_later = case(1, datetime(2026, 3, 2, 8, tzinfo=UTC), utc, upd(now + timedelta(minutes=1)))
    assert [a.kind for a in check([answered_later], RAPID7, now=now)] == ["breached"]


# --------------------------------------------------------------------------- custom policies

CUSTOM = Policy(
    name="custom",
    severities=[
        {"level": 1, "targets": {"initial_response": "1 hour", "update": "2 calendar days"}},
        {"level": 2, "targets": {"initial_response": "2 hours"}},  # no update cadence
    ],
    lifecycle=RAPID7.lifecycle.replace(
        statuses=(*STATUSES, "pending_vendor"),
        pause_statuses=("waiting_on_customer", "solution_offered", "pending_vendor"),
    ),
)


def test_calendar_days_cycle_and_a_custom_pause_status() -> None:
    ie = Customer(tz="Europe/Dublin", country="IE")
    c = case(
        1,
        t(DUBLIN, 3, 27, 10),  # Fri 10:00 GMT
        ie,
        upd(t(DUBLIN, 3, 27, 10, 30)),
        status(t(DUBLIN, 3, 27, 12), "pending_vendor"),
        status(t(DUBLIN, 3, 28, 12), "in_progress"),  # paused 24 elapsed hours
    )
    r = evaluate(c, CUSTOM, now=t(DUBLIN, 3, 28, 18))
    u1 = r.updates[0]
    # 2 calendar days keep the wall time across the DST change: Sun 29 10:30 IST (09:30 UTC);
    # whole days ignore business hours, so the pause counts in elapsed time: + 24 h ->
    # Mon 30 09:30 UTC = 10:30 IST
    same_instant(u1.due_at, t(DUBLIN, 3, 30, 10, 30))
    assert u1.due_at == datetime(2026, 3, 30, 9, 30, tzinfo=UTC)
    # Sat 18:00 GMT -> Mon 09:30 UTC
    assert (u1.state, u1.remaining) == ("pending", timedelta(hours=39, minutes=30))


def test_a_severity_without_an_update_target_stops_the_cycle() -> None:
    utc = Customer(tz="UTC")
    c = case(
        1,
        datetime(2026, 3, 2, 8, tzinfo=UTC),
        utc,
        upd(datetime(2026, 3, 2, 8, 30, tzinfo=UTC)),
        sev(datetime(2026, 3, 2, 9, tzinfo=UTC), 2),
        upd(datetime(2026, 3, 2, 10, tzinfo=UTC)),
    )
    r = evaluate(c, CUSTOM, now=datetime(2026, 3, 3, 8, tzinfo=UTC))
    assert [(u.cycle, u.state, u.ended_at) for u in r.updates] == [
        (1, "stopped", datetime(2026, 3, 2, 9, tzinfo=UTC))
    ]
    assert (r.severity, r.next_due_at) == (2, None)


def test_unknown_custom_status_is_refused_by_rapid7_only() -> None:
    utc = Customer(tz="UTC")
    c = case(
        1,
        datetime(2026, 3, 2, 8, tzinfo=UTC),
        utc,
        status(datetime(2026, 3, 2, 9, tzinfo=UTC), "pending_vendor"),
    )
    assert evaluate(c, CUSTOM, now=datetime(2026, 3, 2, 9, tzinfo=UTC)).status == "pending_vendor"
    with pytest.raises(TimelineError, match="status 'pending_vendor' is not in policy 'Rapid7'"):
        evaluate(c, RAPID7, now=datetime(2026, 3, 2, 9, tzinfo=UTC))


def test_restart_while_paused_starts_the_new_target_paused() -> None:
    utc = Customer(tz="UTC")
    c = case(
        1,
        datetime(2026, 3, 2, 8, tzinfo=UTC),  # Mon
        utc,
        upd(datetime(2026, 3, 2, 9, tzinfo=UTC)),  # initial met (due 10:00); cycle 1 due 13:00
        status(datetime(2026, 3, 2, 10, tzinfo=UTC), "waiting_on_customer"),
        sev(datetime(2026, 3, 2, 11, tzinfo=UTC), 2),
        cust(datetime(2026, 3, 3, 10, tzinfo=UTC)),  # Tue 10:00: resumes
    )
    r = evaluate(c, RESTART, now=datetime(2026, 3, 4, 12, tzinfo=UTC))
    assert (r.initial_response.state, r.initial_response.severity) == ("met", 1)
    u1 = r.updates[0]
    # restart at Mon 11:00 with Sev-2's 3 business days -> Thu 11:00, paused from the start;
    # the pause [Mon 11:00, Tue 10:00) holds Mon 11-17 + Tue 08-10 = 8 business hours:
    # Thu 11-17 (6 h) + Fri 08-10 (2 h) -> Fri 10:00
    assert (u1.start, u1.severity, u1.state) == (datetime(2026, 3, 2, 11, tzinfo=UTC), 2, "pending")
    assert u1.due_at == datetime(2026, 3, 6, 10, tzinfo=UTC)
