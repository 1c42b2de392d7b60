# %% [markdown]
# # What-if staffing: three scenarios on the guidebook's centers
#
# The support guidebook staffs six centers (Belfast, Dublin, Boston, Austin, Los Angeles,
# Singapore), each open Mon-Fri 08:00-17:00 local time. Which service-level targets could
# *no* staffing meet, for which customers, at which hours of the week, if
#
# 1. Singapore closes on Fridays,
# 2. Austin moves to 10:00-19:00,
# 3. we drop Belfast?
#
# An arrival is *structurally breached* for a target when none of the chosen centers is
# open at any instant between the arrival and the target's deadline (see
# `docs/guides/staffing.md`). This is a percent-format script: open it in Jupyter or VS Code
# as a notebook, or run it: `python examples/staffing_what_if.py [--out DIR] [--year 2026]`.
# Plots go to DIR (a temporary directory by default); the conclusion is printed.

# %%
from __future__ import annotations

import argparse
import os
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")  # headless unless the notebook chose a backend

from slocalc.policies import RAPID7, Customer
from slocalc.staffing import Comparison, Scenario, compare, coverage_heatmap, coverage_table, gaps

parser = argparse.ArgumentParser(description="What-if staffing on the guidebook's centers.")
parser.add_argument("--out", type=Path, default=None, help="directory for the plots (default: a temp dir)")
parser.add_argument("--year", type=int, default=2026, help="the year of arrivals to analyse")
args, _ = parser.parse_known_args()  # tolerate a notebook kernel's own arguments
out = args.out or Path(tempfile.mkdtemp(prefix="slocalc-staffing-"))
out.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## The scenarios and the customers
#
# Customer profiles: a zone and the country whose public holidays stop the customer's
# business-hours clock (Severity-2 and -3 targets run on it; Severity-1 runs 24x7).

# %%
base = Scenario.guidebook()
scenarios = [
    base.closed_on("singapore", "Fri", name="Singapore closes on Fridays"),
    base.with_hours("austin", "Mon-Fri 10:00-19:00", name="Austin moves to 10:00-19:00"),
    base.without("belfast", name="drop Belfast"),
]
customers = {
    "New York": Customer(tz="America/New_York", country="US"),
    "Chicago": Customer(tz="America/Chicago", country="US"),
    "Los Angeles": Customer(tz="America/Los_Angeles", country="US", subdiv="CA"),
    "São Paulo": Customer(tz="America/Sao_Paulo", country="BR"),
    "London": Customer(tz="Europe/London", country="GB"),
    "Berlin": Customer(tz="Europe/Berlin", country="DE"),
    "Dubai": Customer(tz="Asia/Dubai", country="AE"),
    "Mumbai": Customer(tz="Asia/Kolkata", country="IN"),
    "Singapore": Customer(tz="Asia/Singapore", country="SG"),
    "Tokyo": Customer(tz="Asia/Tokyo", country="JP"),
    "Sydney": Customer(tz="Australia/Sydney", country="AU", subdiv="NSW"),
}
a = datetime(args.year, 1, 1, tzinfo=UTC)
b = datetime(args.year + 1, 1, 1, tzinfo=UTC)

# %% [markdown]
# ## Coverage: who is open, hour by hour
#
# A January week in UTC for the guidebook and for each scenario, and the coverage gaps of
# the year (holidays included).

# %%
week = date(args.year, 1, 14)
for scen in [base, *scenarios]:
    fig = coverage_heatmap(week, scen)
    fig.savefig(out / f"coverage - {scen.name}.png", dpi=80)

open_hours = {
    scen.name: sum(1 for row in coverage_table(week, scen) if row.count) for scen in [base, *scenarios]
}
year_gaps = {scen.name: gaps(a, b, scen) for scen in [base, *scenarios]}
for name, hours in open_hours.items():
    total = sum((g.duration for g in year_gaps[name]), start=b - b)
    print(
        f"{name:<30} covered {hours:3d} of 168 hours in the week of {week}; "
        f"{total.total_seconds() / 3600:,.0f} h uncovered in {args.year}"
    )

# %% [markdown]
# ## Structural breaches, each scenario against the guidebook

# %%
results = []
for scen in scenarios:
    cmp = compare(base, scen, RAPID7, customers, None, a, b)
    results.append(cmp)
    for severity in (1, 2):
        fig = cmp.heatmap(severity)
        fig.savefig(out / f"breaches - {scen.name} - severity {severity}.png", dpi=80)
print()
print(f"baseline ({base.name}): structurally breached share of hourly arrivals in {args.year}")
for s in results[0].a.summary(by=("severity", "metric")):
    print(f"  severity {s.severity} {s.metric:<17} {100 * s.share:5.1f}%  ({s.breached:,} of {s.arrivals:,})")

# %% [markdown]
# ## Conclusion
#
# Computed from the numbers above: for each scenario, what changes and for whom; then the
# scenarios ranked by the Severity-2 initial responses they put out of reach.

# %%
print()
for cmp in results:
    print(cmp.describe(top=2))
    print()


def sev2_lost(cmp: Comparison) -> int:
    rows = [r for r in cmp.totals() if (r.severity, r.metric) == (2, "initial_response")]
    return sum(r.newly_breached - r.newly_met for r in rows)


ranked = sorted(results, key=sev2_lost, reverse=True)
worst, best = ranked[0], ranked[-1]
print("Conclusion:")
if sev2_lost(worst) <= 0:
    print("  none of the three changes puts a Severity-2 initial response out of reach.")
else:
    hit = max(
        (r for r in worst.rows if (r.severity, r.metric) == (2, "initial_response")),
        key=lambda r: r.change,
    )
    print(
        f"  '{worst.b.scenario}' costs the most: {sev2_lost(worst):,} more Severity-2 arrivals a year "
        f"can no longer get an initial response in time, above all for {hit.customer} customers "
        f"({100 * hit.share_a:.1f}% -> {100 * hit.share_b:.1f}% of their arrivals)."
    )
    print(
        f"  '{best.b.scenario}' costs the least ({sev2_lost(best):,} Severity-2 arrivals); "
        f"Severity-1 (24x7) changes by "
        + ", ".join(
            f"{t.newly_breached - t.newly_met:+,} arrivals ({c.b.scenario})"
            for c in results
            for t in c.totals()
            if (t.severity, t.metric) == (1, "initial_response")
        )
        + "."
    )
for cmp in results:
    if not cmp.changed():
        same = sum((g.duration for g in year_gaps[cmp.b.scenario]), start=b - b) == sum(
            (g.duration for g in year_gaps[base.name]), start=b - b
        )
        why = (
            "other centers already cover every hour it gives up" if same else "its coverage changes elsewhere"
        )
        print(f"  '{cmp.b.scenario}' changes no outcome for any target: {why}.")
print(f"  plots: {out}")
