"""The deadline caches of the policy layer stay within one budget in all.

Every :class:`~slocalc.policies.Deadline` remembers the deadlines it computed, per start;
together they hold at most ``_CACHE_BUDGET`` entries (then all are emptied), so a long run
over many customers and targets keeps flat memory (docs/scaling.md, "One machine").
Answers do not depend on what is remembered.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import slocalc.policies._deadline as deadline_module
from slocalc.policies import Customer, Target

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "UTC"]


def _held() -> int:
    return sum(len(d._dues) + len(d._days) for d in deadline_module._filled)


@pytest.fixture
def small_budget(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(deadline_module, "_CACHE_BUDGET", 50)
    monkeypatch.setattr(deadline_module, "_filled", [])
    monkeypatch.setattr(deadline_module, "_entries", 0)
    monkeypatch.setattr(deadline_module, "_RESOLVED", {})  # no Deadline with entries from before
    return 50


def test_all_caches_together_stay_within_the_budget(small_budget: int) -> None:
    targets = [Target.parse(t) for t in ("4 business hours", "2 business days", "3 calendar days")]
    start = datetime(2026, 3, 2, 8, tzinfo=UTC)
    deadlines = [t.resolve(Customer(tz=z)) for t in targets for z in ZONES]
    fresh = [type(d)(d.target, d.customer) for d in deadlines]  # never asked before
    peak = 0
    for i in range(400):
        t = start + timedelta(minutes=37 * i)
        for d in deadlines:
            d.due(t)
            held = sum(len(x._dues) + len(x._days) for x in deadlines)
            peak = max(peak, held)
            assert held <= small_budget
            assert held == _held()  # every Deadline holding entries is known
    assert peak == small_budget - 1  # the budget was reached (and everything emptied) again and again
    for i in range(0, 400, 7):  # same answers as Deadlines with nothing remembered
        t = start + timedelta(minutes=37 * i)
        assert [d.due(t) for d in deadlines] == [d._compute(t) if not d.exact else d.due(t) for d in fresh]


def test_hand_worked_deadline_after_the_caches_were_emptied(small_budget: int) -> None:
    """4 business hours from Friday 20 November 2026, 15:00 in Berlin (default hours
    Mon-Fri 08:00-17:00): 2 hours on Friday, 2 on Monday from 08:00, so Monday 23 November,
    10:00; asked again after the budget emptied every cache, the same."""
    berlin = ZoneInfo("Europe/Berlin")
    d = Target.parse("4 business hours").resolve(Customer(tz="Europe/Berlin", country="DE"))
    start = datetime(2026, 11, 20, 15, 0, tzinfo=berlin)
    first = d.due(start)
    for i in range(small_budget + 5):
        d.due(datetime(2026, 1, 5, tzinfo=UTC) + timedelta(hours=i))
    assert d.due(start) == first == datetime(2026, 11, 23, 10, 0, tzinfo=berlin)
