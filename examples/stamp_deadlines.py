"""A service stamping deadlines: each new case gets its initial-response due time.

What a ticketing webhook would do on "case created": look up the customer, compute the
deadline of the initial response under the guidebook policy, store it with the case, and
say which support centers are open right now to take it.

Run: ``python examples/stamp_deadlines.py``
"""

from datetime import UTC, datetime

from slocalc.calendars.centers import open_centers
from slocalc.policies import RAPID7, Customer

# Customers as a CRM would hold them: zone and holiday calendar.
CUSTOMERS = {
    "acme-dublin": Customer(tz="Europe/Dublin", country="IE"),
    "globex-pune": Customer(tz="Asia/Kolkata", country="IN"),
    "initech-sydney": Customer(tz="Australia/Sydney", country="AU", subdiv="NSW"),
    "umbrella-sp": Customer(tz="America/Sao_Paulo", country="BR", subdiv="SP"),
}

# Incoming cases: (case id, customer, severity, when it arrived). Instants are always aware.
INCOMING = [
    ("C-501", "acme-dublin", 2, datetime(2026, 3, 16, 16, 10, tzinfo=UTC)),  # eve of St Patrick's Day
    ("C-502", "globex-pune", 3, datetime(2026, 3, 20, 11, 45, tzinfo=UTC)),  # Friday afternoon in Pune
    ("C-503", "initech-sydney", 1, datetime(2026, 4, 4, 14, 30, tzinfo=UTC)),  # night before DST ends
    ("C-504", "umbrella-sp", 2, datetime(2026, 4, 2, 19, 0, tzinfo=UTC)),  # before Good Friday
]

for case_id, who, severity, arrived in INCOMING:
    customer = CUSTOMERS[who]
    local = arrived.astimezone(customer.zone)  # results come back in the start's zone
    due = RAPID7.due(severity, "initial_response", local, customer)
    target = RAPID7.target(severity, "initial_response")
    staffed = ", ".join(open_centers(arrived)) or "nobody (coverage gap)"
    print(f"{case_id} sev {severity} {who:15} opened {local:%a %d %b %H:%M %Z}")
    print(f"       initial response ({target}) due {due:%a %d %b %H:%M %Z} = {due.astimezone(UTC):%H:%M} UTC")
    print(f"       open now: {staffed}")
