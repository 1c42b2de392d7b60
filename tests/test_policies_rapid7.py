"""RAPID7 deadlines worked out by hand, for every target of the guidebook.

Each expected value was computed on paper from the guidebook's figures, the calendar facts
noted beside it (weekday, public holidays of the holidays package, DST dates) and the
customer clock (Mon–Fri 08:00–17:00 local). None is computed by slocalc. Expected values
are ISO strings, so both the instant and the offset it is shown in are pinned: results come
back in the tzinfo of ``start``.

Calendar facts used (2026):
* US DST: starts Sun 8 Mar (02:00 EST -> 03:00 EDT), ends Sun 1 Nov (02:00 EDT -> 01:00 EST).
* EU DST: starts Sun 29 Mar (02:00 CET -> 03:00 CEST), ends Sun 25 Oct (03:00 -> 02:00).
* Sydney DST: ends Sun 5 Apr (03:00 AEDT -> 02:00 AEST), starts Sun 4 Oct (02:00 -> 03:00).
* Singapore: +08:00 all year.
* US holidays: Thanksgiving Thu 26 Nov. DE: Good Friday 3 Apr, Easter Monday 6 Apr,
  Christmas Fri 25 and Sat 26 Dec. SG: Chinese New Year Tue 17 and Wed 18 Feb, National
  Day observed Mon 10 Aug, Deepavali observed Mon 9 Nov, Christmas Fri 25 Dec. AU-NSW:
  Labour Day Mon 5 Oct, Christmas Fri 25 Dec, Boxing Day observed Mon 28 Dec.
* Fri 20 Nov 2026 is a Friday; Sat 21 / Sun 22 Nov the weekend after it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slocalc.policies import RAPID7, Customer

NY = Customer(tz="America/New_York", country="US")
BERLIN = Customer(tz="Europe/Berlin", country="DE")
SG = Customer(tz="Asia/Singapore", country="SG")
SYDNEY = Customer(tz="Australia/Sydney", country="AU", subdiv="NSW")


def local(customer: Customer, *args: int, fold: int = 0) -> datetime:
    """An aware wall-clock reading in the customer's zone."""
    return datetime(*args, tzinfo=ZoneInfo(customer.tz), fold=fold)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


CASES = [
    # ---- Severity-1 initial response: 2 hours on the 24x7 clock ---------------------------
    pytest.param(
        1,
        "initial_response",
        NY,
        local(NY, 2026, 11, 20, 16, 0),
        # Friday afternoon: 24x7, so simply two hours later.
        "2026-11-20T18:00:00-05:00",
        id="s1-response-ny-friday-afternoon",
    ),
    pytest.param(
        1,
        "initial_response",
        SG,
        local(SG, 2026, 11, 21, 23, 0),
        # Saturday 23:00: the weekend does not stop the 24x7 clock -> Sunday 01:00.
        "2026-11-22T01:00:00+08:00",
        id="s1-response-sg-weekend",
    ),
    pytest.param(
        1,
        "initial_response",
        BERLIN,
        local(BERLIN, 2026, 12, 25, 10, 0),
        # Christmas Day is a German holiday; 24x7 ignores holidays -> 12:00 CET.
        "2026-12-25T12:00:00+01:00",
        id="s1-response-berlin-holiday",
    ),
    pytest.param(
        1,
        "initial_response",
        NY,
        local(NY, 2026, 3, 8, 1, 30),
        # 01:30 EST = 06:30Z, half an hour before spring-forward. Two elapsed hours = 08:30Z,
        # which is 04:30 EDT: the wall clock moves three hours.
        "2026-03-08T04:30:00-04:00",
        id="s1-response-ny-before-spring-forward",
    ),
    pytest.param(
        1,
        "initial_response",
        SYDNEY,
        local(SYDNEY, 2026, 4, 5, 2, 30, fold=0),
        # Sunday 5 Apr (Easter Sunday, a NSW holiday, and DST ends at 03:00 AEDT).
        # 02:30 AEDT (first occurrence) = 4 Apr 15:30Z; +2 h = 17:30Z = 03:30 AEST (+10).
        "2026-04-05T03:30:00+10:00",
        id="s1-response-sydney-before-fall-back",
    ),
    # ---- Severity-1 update cadence: "4 Business Hours", on the 24x7 clock -----------------
    pytest.param(
        1,
        "update",
        SYDNEY,
        local(SYDNEY, 2026, 11, 21, 22, 30),
        # Saturday 22:30 AEDT + 4 h around the clock -> Sunday 02:30.
        "2026-11-22T02:30:00+11:00",
        id="s1-update-sydney-weekend",
    ),
    pytest.param(
        1,
        "update",
        NY,
        local(NY, 2026, 11, 1, 0, 30),
        # 00:30 EDT = 04:30Z on the fall-back night; +4 h = 08:30Z = 03:30 EST (-05:00).
        "2026-11-01T03:30:00-05:00",
        id="s1-update-ny-before-fall-back",
    ),
    pytest.param(
        1,
        "update",
        BERLIN,
        local(BERLIN, 2026, 3, 29, 0, 30),
        # 00:30 CET = 28 Mar 23:30Z; +4 h = 03:30Z = 05:30 CEST (+02:00).
        "2026-03-29T05:30:00+02:00",
        id="s1-update-berlin-before-spring-forward",
    ),
    pytest.param(
        1,
        "update",
        SG,
        local(SG, 2026, 11, 20, 15, 0),
        # Friday afternoon: 15:00 + 4 h = 19:00, after the customer's closing time.
        "2026-11-20T19:00:00+08:00",
        id="s1-update-sg-friday-afternoon",
    ),
    # ---- Severity-2 initial response: 4 business hours on the customer clock ----------------
    pytest.param(
        2,
        "initial_response",
        NY,
        local(NY, 2026, 11, 20, 15, 0),
        # Friday 15:00-17:00 = 2 h; Monday 23 Nov 08:00 + 2 h = 10:00.
        "2026-11-23T10:00:00-05:00",
        id="s2-response-ny-friday-afternoon",
    ),
    pytest.param(
        2,
        "initial_response",
        NY,
        local(NY, 2026, 11, 20, 17, 30),
        # Friday after closing: nothing left on Friday; Monday 08:00 + 4 h = 12:00.
        "2026-11-23T12:00:00-05:00",
        id="s2-response-ny-friday-after-close",
    ),
    pytest.param(
        2,
        "initial_response",
        NY,
        local(NY, 2026, 11, 26, 10, 0),
        # Opened on Thanksgiving (closed all day): Friday 27 Nov 08:00 + 4 h = 12:00.
        "2026-11-27T12:00:00-05:00",
        id="s2-response-ny-holiday",
    ),
    pytest.param(
        2,
        "initial_response",
        SG,
        local(SG, 2026, 8, 10, 9, 0),
        # Monday 10 Aug is National Day (observed): Tuesday 08:00 + 4 h = 12:00.
        "2026-08-11T12:00:00+08:00",
        id="s2-response-sg-holiday",
    ),
    pytest.param(
        2,
        "initial_response",
        NY,
        local(NY, 2026, 3, 6, 16, 0),
        # Friday before spring-forward: 16:00-17:00 EST = 1 h; Monday 9 Mar 08:00 EDT + 3 h.
        "2026-03-09T11:00:00-04:00",
        id="s2-response-ny-before-spring-forward",
    ),
    pytest.param(
        2,
        "initial_response",
        BERLIN,
        local(BERLIN, 2026, 3, 27, 14, 0),
        # Friday 14:00-17:00 CET = 3 h; Monday 30 Mar 08:00 CEST + 1 h = 09:00 CEST.
        "2026-03-30T09:00:00+02:00",
        id="s2-response-berlin-before-spring-forward",
    ),
    pytest.param(
        2,
        "initial_response",
        SYDNEY,
        local(SYDNEY, 2026, 11, 20, 16, 0),
        # Friday 16:00-17:00 = 1 h; Monday 08:00 + 3 h = 11:00 AEDT.
        "2026-11-23T11:00:00+11:00",
        id="s2-response-sydney-friday-afternoon",
    ),
    pytest.param(
        2,
        "initial_response",
        BERLIN,
        local(BERLIN, 2026, 11, 21, 10, 0),
        # Opened on a Saturday: the clock starts Monday 08:00; + 4 h = 12:00 CET.
        "2026-11-23T12:00:00+01:00",
        id="s2-response-berlin-weekend",
    ),
    pytest.param(
        2,
        "initial_response",
        NY,
        utc(2026, 11, 20, 20, 0),
        # The caller works in UTC: 20:00Z = Friday 15:00 EST, so as two rows up the deadline
        # is Monday 10:00 EST = 15:00Z, returned in UTC.
        "2026-11-23T15:00:00+00:00",
        id="s2-response-ny-start-in-utc",
    ),
    # ---- Severity-2 update cadence: 3 business days on the customer clock -------------------
    pytest.param(
        2,
        "update",
        SG,
        local(SG, 2026, 11, 20, 15, 0),
        # Friday 15:00 is open; business dates after Friday: Mon 23, Tue 24, Wed 25 -> 15:00.
        "2026-11-25T15:00:00+08:00",
        id="s2-update-sg-friday-afternoon",
    ),
    pytest.param(
        2,
        "update",
        NY,
        local(NY, 2026, 11, 25, 14, 0),
        # Wednesday before Thanksgiving: Thu 26 is a holiday; Fri 27 (1), Mon 30 (2),
        # Tue 1 Dec (3) -> 14:00.
        "2026-12-01T14:00:00-05:00",
        id="s2-update-ny-over-holiday",
    ),
    pytest.param(
        2,
        "update",
        NY,
        local(NY, 2026, 11, 20, 18, 0),
        # Friday after hours: the clock starts at the next opening, Monday 23 Nov 08:00; then
        # Tue 24 (1), Wed 25 (2), Thu 26 Thanksgiving skipped, Fri 27 (3) -> 08:00.
        "2026-11-27T08:00:00-05:00",
        id="s2-update-ny-friday-after-close",
    ),
    pytest.param(
        2,
        "update",
        SYDNEY,
        local(SYDNEY, 2026, 12, 24, 10, 0),
        # Thu 24 Dec: Fri 25 Christmas, weekend, Mon 28 Boxing Day (observed); Tue 29 (1),
        # Wed 30 (2), Thu 31 (3) -> 10:00 AEDT.
        "2026-12-31T10:00:00+11:00",
        id="s2-update-sydney-christmas",
    ),
    pytest.param(
        2,
        "update",
        BERLIN,
        local(BERLIN, 2026, 10, 23, 15, 0),
        # Friday 15:00 CEST, DST ends on Sunday: Mon 26 (1), Tue 27 (2), Wed 28 (3); the same
        # wall time, now CET.
        "2026-10-28T15:00:00+01:00",
        id="s2-update-berlin-before-fall-back",
    ),
    pytest.param(
        2,
        "update",
        BERLIN,
        local(BERLIN, 2026, 4, 3, 10, 0),
        # Opened on Good Friday: closed Fri, weekend, Easter Monday; first opening Tue 7 Apr
        # 08:00; then Wed 8 (1), Thu 9 (2), Fri 10 (3) -> 08:00.
        "2026-04-10T08:00:00+02:00",
        id="s2-update-berlin-holiday",
    ),
    # ---- Severity-3 initial response: 12 business hours on the customer clock ---------------
    pytest.param(
        3,
        "initial_response",
        BERLIN,
        local(BERLIN, 2026, 11, 20, 16, 0),
        # Friday 16-17 = 1 h, Monday 08-17 = 9 h (10), Tuesday 08:00 + 2 h = 10:00.
        "2026-11-24T10:00:00+01:00",
        id="s3-response-berlin-friday-afternoon",
    ),
    pytest.param(
        3,
        "initial_response",
        BERLIN,
        local(BERLIN, 2026, 4, 3, 10, 0),
        # Good Friday: first opening Tue 7 Apr 08:00; Tue 9 h; Wed 8 Apr 08:00 + 3 h = 11:00.
        "2026-04-08T11:00:00+02:00",
        id="s3-response-berlin-holiday",
    ),
    pytest.param(
        3,
        "initial_response",
        NY,
        local(NY, 2026, 10, 30, 13, 0),
        # Friday 13:00 EDT: 4 h on Friday; DST ends Sunday; Monday 2 Nov 08:00 EST + 8 h.
        "2026-11-02T16:00:00-05:00",
        id="s3-response-ny-before-fall-back",
    ),
    pytest.param(
        3,
        "initial_response",
        SG,
        local(SG, 2026, 2, 16, 15, 0),
        # Monday 15-17 = 2 h; Tue 17 and Wed 18 Chinese New Year; Thursday 9 h (11);
        # Friday 20 Feb 08:00 + 1 h = 09:00.
        "2026-02-20T09:00:00+08:00",
        id="s3-response-sg-chinese-new-year",
    ),
    pytest.param(
        3,
        "initial_response",
        SYDNEY,
        local(SYDNEY, 2026, 10, 2, 12, 0),
        # Friday 12:00 AEST: 5 h on Friday; DST starts Sunday 4 Oct; Monday 5 Oct is Labour
        # Day; Tuesday 6 Oct 08:00 AEDT + 7 h = 15:00 AEDT.
        "2026-10-06T15:00:00+11:00",
        id="s3-response-sydney-dst-and-holiday",
    ),
    # ---- Severity-3 update cadence: 5 business days on the customer clock -------------------
    pytest.param(
        3,
        "update",
        SYDNEY,
        local(SYDNEY, 2026, 11, 20, 16, 30),
        # Friday 16:30: Mon 23 .. Fri 27 are the five business dates -> Fri 27 16:30.
        "2026-11-27T16:30:00+11:00",
        id="s3-update-sydney-friday-afternoon",
    ),
    pytest.param(
        3,
        "update",
        NY,
        local(NY, 2026, 11, 23, 11, 0),
        # Monday 23 Nov: Tue 24 (1), Wed 25 (2), Thanksgiving skipped, Fri 27 (3), Mon 30 (4),
        # Tue 1 Dec (5) -> 11:00.
        "2026-12-01T11:00:00-05:00",
        id="s3-update-ny-thanksgiving-week",
    ),
    pytest.param(
        3,
        "update",
        SG,
        local(SG, 2026, 11, 4, 9, 0),
        # Wed 4 Nov: Thu 5 (1), Fri 6 (2), Mon 9 Deepavali (observed) skipped, Tue 10 (3),
        # Wed 11 (4), Thu 12 (5) -> 09:00.
        "2026-11-12T09:00:00+08:00",
        id="s3-update-sg-deepavali",
    ),
    pytest.param(
        3,
        "update",
        BERLIN,
        local(BERLIN, 2026, 3, 25, 16, 0),
        # Wed 25 Mar CET: Thu 26, Fri 27, Mon 30, Tue 31, Wed 1 Apr -> 16:00, now CEST.
        "2026-04-01T16:00:00+02:00",
        id="s3-update-berlin-across-spring-forward",
    ),
]


@pytest.mark.parametrize(("severity", "metric", "customer", "start", "expected"), CASES)
def test_guidebook_deadline(
    severity: int, metric: str, customer: Customer, start: datetime, expected: str
) -> None:
    got = RAPID7.due(severity, metric, start, customer)
    assert got.isoformat() == expected
    assert got.tzinfo is start.tzinfo


# ---- policy-wide target: support-contact changes, 2 business days -----------------------------

CONTACT_CASES = [
    pytest.param(
        BERLIN,
        local(BERLIN, 2026, 12, 24, 11, 0),
        # Thu 24 Dec (not a German public holiday): Fri 25 and Sat 26 are; Mon 28 (1), Tue 29 (2).
        "2026-12-29T11:00:00+01:00",
        id="berlin-christmas",
    ),
    pytest.param(
        NY,
        local(NY, 2026, 11, 20, 16, 0),
        # Friday afternoon: Mon 23 (1), Tue 24 (2) -> 16:00.
        "2026-11-24T16:00:00-05:00",
        id="ny-friday-afternoon",
    ),
    pytest.param(
        SG,
        local(SG, 2026, 8, 7, 12, 0),
        # Fri 7 Aug: Mon 10 National Day (observed) skipped; Tue 11 (1), Wed 12 (2).
        "2026-08-12T12:00:00+08:00",
        id="sg-national-day",
    ),
    pytest.param(
        SYDNEY,
        local(SYDNEY, 2026, 10, 2, 9, 0),
        # Fri 2 Oct AEST: Mon 5 Labour Day skipped; Tue 6 (1), Wed 7 (2); 09:00, now AEDT.
        "2026-10-07T09:00:00+11:00",
        id="sydney-labour-day-and-dst",
    ),
]


@pytest.mark.parametrize(("customer", "start", "expected"), CONTACT_CASES)
def test_support_contact_change(customer: Customer, start: datetime, expected: str) -> None:
    assert RAPID7.due(None, "support_contact_change", start, customer).isoformat() == expected
    # every severity falls back to the policy-wide target
    assert RAPID7.due(2, "support_contact_change", start, customer).isoformat() == expected


# ---- lifecycle: auto-close after 10 calendar days, reopen within 10 calendar days ------------

CALENDAR_DAY_CASES = [
    pytest.param(
        NY,
        local(NY, 2026, 10, 25, 12, 0),
        # Sun 25 Oct 12:00 EDT + 10 local days = Wed 4 Nov 12:00, now EST (DST ended 1 Nov):
        # the wall time is kept, so 241 elapsed hours.
        "2026-11-04T12:00:00-05:00",
        id="ny-across-fall-back",
    ),
    pytest.param(
        BERLIN,
        local(BERLIN, 2026, 11, 20, 16, 0),
        # Weekends and business hours do not matter: Fri 20 Nov + 10 days = Mon 30 Nov 16:00.
        "2026-11-30T16:00:00+01:00",
        id="berlin-friday-afternoon",
    ),
    pytest.param(
        SYDNEY,
        local(SYDNEY, 2026, 9, 24, 2, 30),
        # Thu 24 Sep 02:30 AEST + 10 days = Sun 4 Oct 02:30, which does not exist (02:00 ->
        # 03:00): the boundary rule gives the transition instant, 03:00 AEDT.
        "2026-10-04T03:00:00+11:00",
        id="sydney-into-spring-forward-gap",
    ),
    pytest.param(
        NY,
        local(NY, 2026, 2, 26, 2, 30),
        # Thu 26 Feb + 10 days = Sun 8 Mar 02:30, inside the gap -> 03:00 EDT.
        "2026-03-08T03:00:00-04:00",
        id="ny-into-spring-forward-gap",
    ),
    pytest.param(
        NY,
        local(NY, 2026, 10, 22, 1, 30),
        # Thu 22 Oct + 10 days = Sun 1 Nov 01:30, which happens twice: the first, EDT.
        "2026-11-01T01:30:00-04:00",
        id="ny-into-fall-back-fold",
    ),
    pytest.param(
        SG,
        local(SG, 2026, 12, 25, 17, 0),
        # Christmas Day + 10 days = Mon 4 Jan 2027 17:00 (holidays do not matter).
        "2027-01-04T17:00:00+08:00",
        id="sg-holiday",
    ),
    pytest.param(
        SYDNEY,
        utc(2026, 11, 20, 23, 30),
        # 23:30Z = Sat 21 Nov 10:30 AEDT in the customer's zone; + 10 days = Tue 1 Dec 10:30
        # AEDT = 30 Nov 23:30Z, returned in UTC like the start.
        "2026-11-30T23:30:00+00:00",
        id="sydney-start-in-utc",
    ),
]


@pytest.mark.parametrize(("customer", "start", "expected"), CALENDAR_DAY_CASES)
def test_auto_close_and_reopen_window(customer: Customer, start: datetime, expected: str) -> None:
    life = RAPID7.lifecycle
    auto_close = life.auto_close_at(start, customer)
    reopen = life.reopen_until(start, customer)
    assert auto_close is not None
    assert reopen is not None
    assert auto_close.isoformat() == expected
    assert reopen.isoformat() == expected


def test_rapid7_table_matches_spec() -> None:
    # SPEC §4's table, written out: severity -> (initial response, update cadence).
    table = {
        1: ("2 hours", "4 hours"),  # 24x7 both
        2: ("4 business hours", "3 business days"),
        3: ("12 business hours", "5 business days"),
    }
    assert RAPID7.levels == (1, 2, 3)
    for level, (response, update) in table.items():
        assert str(RAPID7.target(level, "initial_response")) == response
        assert str(RAPID7.target(level, "update")) == update
    assert [s.name for s in RAPID7.severities] == ["Critical", "High", "Medium"]
    assert str(RAPID7.targets["support_contact_change"]) == "2 business days"


def test_rapid7_lifecycle_matches_spec() -> None:
    life = RAPID7.lifecycle
    assert life.pause_statuses == ("waiting_on_customer", "solution_offered")
    assert life.stop_statuses == (
        "in_engineering_backlog",
        "closed",
        "closed_no_response",
        "closed_enhancement_request",
    )
    assert str(life.auto_close_after) == "10 calendar days"
    assert life.auto_close_statuses == ("waiting_on_customer",)
    assert life.auto_close_to == "closed_no_response"
    assert str(life.reopen_window) == "10 calendar days"
    assert life.severity_change == "rebase"
    assert set(life.statuses) == {
        "open",
        "in_progress",
        "waiting_on_customer",
        "solution_offered",
        "in_engineering_backlog",
        "closed",
        "closed_no_response",
        "closed_enhancement_request",
        "reopened",
    }


def test_every_figure_in_rapid7_quotes_the_guidebook() -> None:
    # The source of RAPID7 carries the guidebook's own words beside each figure.
    import slocalc.policies.rapid7 as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    for quote in [
        "< 2 Hours  4 Business Hours",
        "< 4 Business Hours  3 Business Days",
        "< 12 Business Hours  5 Business Days",
        "The following time frames are relative to your time zone.",
        "Rapid7 offers 24x7 support",
        "Updates to support contacts are typically completed within 2 business days",
        "no customer activity for 10 calendar days",
        "reopened at any time within 10 days of closure",
        "Case updates will continue until the case is resolved",
    ]:
        assert quote in source
