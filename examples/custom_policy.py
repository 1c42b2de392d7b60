"""A custom policy from a file: the same case under the guidebook and under two other plans.

``examples/policies/`` holds policy files (TOML or JSON, schema: ``slocalc schema``). This
loads two of them and compares their deadlines with the built-in guidebook policy for one
Severity-1 case opened on a Friday evening in Chicago, and for a Severity-2 case.

Run: ``python examples/custom_policy.py``
"""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from slocalc.policies import RAPID7, Customer, Policy

HERE = Path(__file__).parent / "policies"
policies = [
    RAPID7,
    Policy.from_file(HERE / "follow_the_sun.toml"),
    Policy.from_file(HERE / "four_level.toml"),
]

chicago = Customer(tz="America/Chicago", country="US", subdiv="IL")
opened = datetime(2026, 5, 15, 18, 30, tzinfo=ZoneInfo("America/Chicago"))  # Friday evening

for severity in (1, 2):
    print(f"Severity {severity} opened {opened:%a %Y-%m-%d %H:%M %Z} in Chicago")
    for policy in policies:
        print(f"  {policy.name}")
        for metric in policy.metrics(severity):
            due = policy.due(severity, metric, opened, chicago)
            print(f"    {metric:24} {policy.target(severity, metric)!s:34} due {due:%a %m-%d %H:%M %Z}")
    print()
