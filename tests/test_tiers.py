"""Customer tiers (docs/policies.md, "Tiers"): the selection order, by hand-worked deadlines.

Customer in Berlin (DE holidays, Mon-Fri 08:00-17:00); start Friday 2026-11-20 14:00 CET.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slocalc.errors import PolicyError
from slocalc.policies import RAPID7, Customer, Policy, Tier

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 20, 14, 0, tzinfo=BERLIN)

DOC = """
name = "tiered"

[calendars.extended]
tz = "Europe/Berlin"
hours = "Mon-Sat 07:00-20:00"

[[severities]]
level = 1
targets.initial_response = "2 hours"
targets.update = "4 business hours"

[[severities]]
level = 2
targets.initial_response = "8 business hours"

[targets]
resolution = "5 business days"

[tiers.premium]
description = "Premium support"
[tiers.premium.clocks]
customer = "extended"
[tiers.premium.targets]
update = "2 business hours"
[tiers.premium.severities.1]
initial_response = "30 minutes"

[tiers.standard]
"""


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.from_toml(DOC)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


PREMIUM = Customer(tz="Europe/Berlin", country="DE", tier="premium")
STANDARD = Customer(tz="Europe/Berlin", country="DE", tier="standard")
BASE = Customer(tz="Europe/Berlin", country="DE")

CASES = [
    # 1. the tier's target for the severity: 30 minutes elapsed
    (PREMIUM, 1, "initial_response", berlin(2026, 11, 20, 14, 30), "premium", "tier 'premium', severity 1"),
    # 2. the tier's target for every severity: 2 business hours on the customer clock (a
    #    tier's own target keeps its clock): 14:00 -> 16:00 Friday
    (PREMIUM, 1, "update", berlin(2026, 11, 20, 16, 0), "premium", "tier 'premium', every severity"),
    (PREMIUM, 2, "update", berlin(2026, 11, 20, 16, 0), "premium", "tier 'premium', every severity"),
    # 3. the severity's target on the tier's replacement clock: 8 hours on Mon-Sat 07-20:
    #    6 h Friday (14-20), 2 h from Saturday 07:00 -> Sat 09:00
    (
        PREMIUM,
        2,
        "initial_response",
        berlin(2026, 11, 21, 9, 0),
        "premium",
        "severity 2, on 'extended' instead of 'customer' for tier 'premium'",
    ),
    # 4. the policy-wide target, moved too: 5 business days of Mon-Sat from Fri 14:00:
    #    Sat 21, Mon 23, Tue 24, Wed 25, Thu 26 -> Thu 14:00
    (
        PREMIUM,
        2,
        "resolution",
        berlin(2026, 11, 26, 14, 0),
        "premium",
        "policy-wide, on 'extended' instead of 'customer' for tier 'premium'",
    ),
    # base customer: 8 business hours Mon-Fri 08-17: 3 h Friday, 5 h Monday -> Mon 13:00
    (BASE, 2, "initial_response", berlin(2026, 11, 23, 13, 0), None, "severity 2"),
    (BASE, 1, "initial_response", berlin(2026, 11, 20, 16, 0), None, "severity 1"),
    # 5 business days Mon-Fri from Fri 14:00: Mon 23 .. Fri 27 -> Fri 27 14:00
    (BASE, 2, "resolution", berlin(2026, 11, 27, 14, 0), None, "policy-wide"),
    # a tier without overrides keeps the base targets, and says so
    (
        STANDARD,
        1,
        "initial_response",
        berlin(2026, 11, 20, 16, 0),
        None,
        "severity 1 (tier 'standard' keeps it)",
    ),
]


@pytest.mark.parametrize(("customer", "severity", "metric", "due", "tier", "source"), CASES)
def test_selection_order(
    policy: Policy,
    customer: Customer,
    severity: int,
    metric: str,
    due: datetime,
    tier: str | None,
    source: str,
) -> None:
    assert policy.due(severity, metric, START, customer) == due
    d = policy.deadline(severity, metric, customer)
    assert (d.tier, d.source) == (tier, source)
    assert d.due(START) == due
    assert policy.target(severity, metric, customer) == d.target


def test_unknown_tier_is_a_clear_error(policy: Policy) -> None:
    with pytest.raises(PolicyError) as info:
        policy.due(1, "initial_response", START, Customer(tz="UTC", tier="premum"))
    assert str(info.value) == (
        "tier: customer tier 'premum': not a tier of policy 'tiered'; expected one of premium, standard; "
        "did you mean 'premium'?"
    )
    with pytest.raises(PolicyError, match="policy 'Rapid7' defines no tiers"):
        RAPID7.due(1, "initial_response", START, Customer(tz="UTC", tier="gold"))


def test_tier_names_and_levels_are_checked() -> None:
    with pytest.raises(PolicyError) as info:
        Policy.from_dict(
            {
                "name": "x",
                "severities": [{"level": 1, "targets": {"initial_response": "1 hour"}}],
                "tiers": {"Gold": {}, "silver": {"severities": {"3": {"initial_response": "1 hour"}}}},
            }
        )
    assert list(info.value.problems) == [
        ("tiers.Gold", "tier name 'Gold': expected a lower_snake_case name such as 'premium'"),
        ("tiers.silver.severities['3']", "severity 3 is not a severity of the policy; expected one of 1"),
    ]
    with pytest.raises(PolicyError, match=r"tier 'Gold': expected a lower_snake_case name"):
        Customer(tz="UTC", tier="Gold")


def test_a_tier_clock_must_fit_day_units() -> None:
    with pytest.raises(PolicyError) as info:
        Policy.from_dict(
            {
                "name": "x",
                "severities": [
                    {"level": 1, "targets": {"initial_response": "1 hour", "update": "2 business days"}}
                ],
                "tiers": {"p": {"clocks": {"customer": "24x7"}}},
            }
        )
    assert list(info.value.problems) == [
        (
            "tiers.p.clocks.customer",
            "tier 'p' moves severity 1 update (2 business days) to clock '24x7': business_days needs a "
            "single-zone clock, 'customer' or 'center:<key>'; clock '24x7' will not do: it is open around "
            "the clock in no zone of its own (count hours instead, e.g. '72 hours on 24x7')",
        )
    ]


def test_tiers_round_trip(policy: Policy) -> None:
    assert Policy.from_toml(policy.to_toml()) == policy
    assert Policy.from_json(policy.to_json()) == policy
    assert policy.to_dict()["tiers"]["premium"]["severities"] == {"1": {"initial_response": "30 minutes"}}
    assert policy.tiers["premium"] == Tier(
        description="Premium support",
        clocks={"customer": "extended"},
        targets={"update": "2 business hours"},
        severities={1: {"initial_response": "30 minutes"}},
    )


def test_metrics_include_the_tiers(policy: Policy) -> None:
    p = policy.replace(tiers={"vip": {"severities": {"2": {"next_reply": "1 hour"}}}})
    assert p.metrics(2) == ("initial_response", "resolution")
    assert p.metrics(2, Customer(tz="UTC", tier="vip")) == ("initial_response", "resolution", "next_reply")


@given(
    level=st.sampled_from([1, 2]),
    metric=st.sampled_from(["initial_response", "update", "resolution"]),
    hour=st.integers(0, 23),
)
def test_no_tier_is_the_base_policy(level: int, metric: str, hour: int) -> None:
    """A customer without a tier gets exactly the policy without tiers."""
    policy = Policy.from_toml(DOC)
    bare = policy.replace(tiers={})
    start = berlin(2026, 11, 20, hour, 0)
    if metric not in bare.metrics(level):
        return
    assert policy.due(level, metric, start, BASE) == bare.due(level, metric, start, BASE)
    # a tier with no overrides changes no deadline either
    assert policy.due(level, metric, start, STANDARD) == bare.due(level, metric, start, BASE)


def test_evaluate_uses_the_customers_tier_and_the_policys_calendars(policy: Policy) -> None:
    from slocalc.cases import Case, Event, evaluate

    def case(customer: Customer) -> Case:
        return Case(
            id="C-1",
            severity=2,
            opened_at=START,
            customer=customer,
            events=[Event(at=berlin(2026, 11, 21, 8, 30), kind="support_update")],
        )

    now = berlin(2026, 11, 23, 12, 0)
    premium = evaluate(case(PREMIUM), policy, now=now)
    # 8 hours on 'extended' (Mon-Sat 07-20): due Sat 09:00; answered Sat 08:30: met
    assert premium.initial_response.due_at == berlin(2026, 11, 21, 9, 0)
    assert premium.initial_response.state == "met"
    # the tier's update target (every severity): 2 business hours on the customer clock from
    # Sat 08:30 -> Mon 08:00 + 2 h = Mon 10:00; breached by 2 h at Mon 12:00
    assert premium.updates[0].due_at == berlin(2026, 11, 23, 10, 0)
    assert premium.updates[0].state == "breached"
    base = evaluate(case(BASE), policy, now=now)
    # base: due Mon 13:00, met on Saturday; severity 2 has no update target
    assert base.initial_response.due_at == berlin(2026, 11, 23, 13, 0)
    assert len(base.updates) == 0
