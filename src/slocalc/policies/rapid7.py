"""``RAPID7``: the Rapid7 Customer Support Guidebook as a policy.

Each figure below quotes the guidebook line it comes from; docs/guidebook.md sets the
guidebook's words beside these values. Interpretation choices, written down:

* "The following time frames are relative to your time zone": Severity-2 and -3 run on
  the ``customer`` clock, Mon–Fri 08:00–17:00 in the customer's zone, closed on the
  customer's public holidays.
* "For Rapid7 customers who are experiencing severity-1 issues, Rapid7 offers 24x7
  support": Severity-1 runs on ``24x7``, so its "4 Business Hours" update cadence is 4
  hours around the clock (a policy file may choose ``follow_the_sun`` instead).
* "< 2 Hours" is read as "within 2 hours": a response exactly at the deadline meets it.
* Updates to support contacts, "within 2 business days", count the customer's business
  days (the guidebook says nothing more; the customer is the one waiting).

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from slocalc.policies import RAPID7, Customer
>>> opened = datetime(2026, 11, 20, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # a Friday
>>> RAPID7.due(3, "initial_response", opened, Customer(tz="Europe/Berlin", country="DE")).isoformat()
'2026-11-24T10:00:00+01:00'
"""

from __future__ import annotations

from slocalc.policies._lifecycle import Lifecycle
from slocalc.policies._policy import Policy, Severity
from slocalc.policies._target import Target

__all__ = ["RAPID7"]

RAPID7 = Policy(
    name="Rapid7",
    description=(
        "Rapid7 Customer Support Guidebook: Service Level Objectives, case workflow and statuses. "
        "Severity-1 runs 24x7 (follow-the-sun support); Severity-2/3 on the customer's business "
        "hours ('The following time frames are relative to your time zone')."
    ),
    severities=(
        Severity(
            level=1,
            name="Critical",
            targets={
                # 'Severity-1 "Critical"  < 2 Hours  4 Business Hours'
                # 'For Rapid7 customers who are experiencing severity-1 issues, Rapid7 offers 24x7 support.'
                "initial_response": Target(amount=2, unit="hours", clock="24x7"),
                # '4 Business Hours' -- on the 24x7 clock: severity-1 support is 24x7 (docs/guidebook.md)
                "update": Target(amount=4, unit="hours", clock="24x7"),
            },
        ),
        Severity(
            level=2,
            name="High",
            targets={
                # 'Severity-2 "High"  < 4 Business Hours  3 Business Days'
                # 'The following time frames are relative to your time zone.'
                "initial_response": Target(amount=4, unit="hours", clock="customer"),
                # '3 Business Days'
                "update": Target(amount=3, unit="business_days", clock="customer"),
            },
        ),
        Severity(
            level=3,
            name="Medium",
            targets={
                # 'Severity-3 "Medium"  < 12 Business Hours  5 Business Days'
                "initial_response": Target(amount=12, unit="hours", clock="customer"),
                # '5 Business Days'
                "update": Target(amount=5, unit="business_days", clock="customer"),
            },
        ),
    ),
    targets={
        # 'Updates to support contacts are typically completed within 2 business days, once all
        # of the required information above is received.'
        "support_contact_change": Target(amount=2, unit="business_days", clock="customer"),
    },
    lifecycle=Lifecycle(
        # 'Case statuses include:' Closed, Closed – No Response, In Engineering Backlog,
        # Closed – Enhancement Request Filed, In Progress, Solution Offered, Open, Reopened,
        # Waiting on Customer
        statuses=(
            "open",  # 'Case is awaiting assignment to a Support Engineer.'
            "in_progress",  # 'New information is logged into the case, or other specific activity is underway.'
            "waiting_on_customer",  # 'Rapid7 is waiting on information or confirmation ... from the customer.'
            "solution_offered",  # 'A solution has been proposed which is believed to resolve the issue ...'
            "in_engineering_backlog",  # 'A defect has been qualified, but specific timing is not committed ...'
            "closed",  # 'The case is believed to have been resolved and may be reopened within 10 days ...'
            "closed_no_response",  # 'Case was closed due to customer inactivity.'
            "closed_enhancement_request",  # 'An enhancement request was filed and an RFE was created.'
            "reopened",  # 'Case has been reopened and is awaiting a response from Rapid7.'
        ),
        # The clock waits for the customer: 'Rapid7 is waiting on information or confirmation
        # that the case is resolved from the customer.' / 'Solution Offered ... Case is on track
        # to be closed, unless the customer requests otherwise.'
        pause_statuses=("waiting_on_customer", "solution_offered"),
        # 'Case updates will continue until the case is resolved, closed due to inactivity, or is
        # qualified as a defect or request for enhancement.'
        stop_statuses=(
            "in_engineering_backlog",
            "closed",
            "closed_no_response",
            "closed_enhancement_request",
        ),
        closed_statuses=("closed", "closed_no_response", "closed_enhancement_request"),
        # 'Cases may close if there is no customer activity for 10 calendar days while the case
        # in "waiting for customer" status'
        auto_close_after=Target(amount=10, unit="calendar_days", clock="customer"),
        auto_close_statuses=("waiting_on_customer",),
        # 'Closed – No Response: Case was closed due to customer inactivity.'
        auto_close_to="closed_no_response",
        # 'If a case is closed, it may be reopened at any time within 10 days of closure simply
        # by updating the case.'
        reopen_window=Target(amount=10, unit="calendar_days", clock="customer"),
        # The guidebook promises reopening for two statuses only: 'Closed: The case is believed
        # to have been resolved and may be reopened within 10 days of original closure' and
        # 'Closed – No Response'; an enhancement request filed is not reopened by a reply.
        reopen_statuses=("closed", "closed_no_response"),
        # The guidebook is silent; "rebase" is the default (docs/concepts/case-lifecycle.md).
        severity_change="rebase",
    ),
)
