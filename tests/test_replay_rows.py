"""The columnar replay folds the pauses of cases on different calendars with one engine call
for all of them (``Calendar._between_rows_us``, ``Calendar._add_rows_us``), and calendar by
calendar where the engine leaves it to them: the same alerts as ``check_case`` either way."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest

from slocalc import Calendar
from slocalc.cases import Case, Event, check_case
from slocalc.cases._columnar import check_columns
from slocalc.cases._columns import columns_from_cases
from slocalc.policies import RAPID7, Customer

H = timedelta(hours=1)
UTC_CUSTOMER = Customer(tz="UTC")  # Mon-Fri 08:00-17:00, no holidays
TOKYO = Customer(tz="Asia/Tokyo")  # the same hours in Tokyo (UTC+9)
JST = timedelta(hours=9)


def paused_case(cid: str, customer: Customer, local: datetime, resume: datetime) -> Case:
    """Severity 2 (update: 3 business days) opened at 09:00 local on ``local``'s day, answered
    at 10:00, waiting on the customer from 11:00 until the customer's update at ``resume``
    (``local`` and ``resume`` are local readings, made UTC instants by the customer's offset)."""
    off = JST if customer is TOKYO else timedelta(0)
    at = lambda d: (d - off).replace(tzinfo=UTC)  # noqa: E731
    return Case(
        id=cid,
        severity=2,
        opened_at=at(local.replace(hour=9)),
        customer=customer,
        events=[
            Event(at=at(local.replace(hour=10)), kind="support_update"),
            Event(at=at(local.replace(hour=11)), kind="status", status="waiting_on_customer"),
            Event(at=at(resume), kind="customer_update"),
        ],
    )


def replayed(
    batch: list[Case], now: datetime, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Any], Counter[str]]:
    """Each case's alerts from the columnar replay (checked equal to ``check_case``'s), and how
    often the engine answered every calendar at once (``joined``) or left it to them (``each``)."""
    seen: Counter[str] = Counter()
    for name in ("_between_rows_us", "_add_rows_us"):
        real = getattr(Calendar, name)

        def counted(*args: Any, real: Any = real, name: str = name) -> Any:
            found = real(*args)
            seen[f"{name} {'each' if found is None else 'joined'}"] += 1
            return found

        monkeypatch.setattr(Calendar, name, staticmethod(counted))
    got = check_columns(columns_from_cases(batch), RAPID7, now, Fraction(3, 4))
    out = []
    for case, found in zip(batch, got, strict=True):
        assert found is not None
        assert found == check_case(case, RAPID7, now=now)
        out.append([(a.label, a.kind, a.due_at, a.breached_by) for a in found.alerts])
    return out, seen


def test_pauses_on_two_calendars_folded_together(monkeypatch: pytest.MonkeyPatch) -> None:
    # Both answered Monday 2 March 2026 10:00 local: update #1 due 3 business days on, Thursday
    # 10:00 local. Paused Monday 11:00 to Tuesday 11:00 local: 6 h (11-17) + 3 h (08-11) = 9 h
    # of business time, so due Thursday 10:00 + 7 h (to 17:00) + 2 h (Friday 08-10): Friday 6
    # March 10:00 local, 10:00Z in UTC and 01:00Z from Tokyo. At Friday 12:00Z both are late,
    # by 2 h and by 11 h.
    batch = [
        paused_case("U", UTC_CUSTOMER, datetime(2026, 3, 2), datetime(2026, 3, 3, 11)),
        paused_case("T", TOKYO, datetime(2026, 3, 2), datetime(2026, 3, 3, 11)),
    ]
    now = datetime(2026, 3, 6, 12, tzinfo=UTC)
    found, seen = replayed(batch, now, monkeypatch)
    due_u, due_t = datetime(2026, 3, 6, 10, tzinfo=UTC), datetime(2026, 3, 6, 1, tzinfo=UTC)
    assert found == [
        [("update #1", "breached", due_u, 2 * H)],
        [("update #1", "breached", due_t, 11 * H)],
    ]
    assert seen["_between_rows_us joined"] >= 1
    assert seen["_add_rows_us joined"] >= 1


def test_a_fold_past_the_year_is_left_to_each_calendar(monkeypatch: pytest.MonkeyPatch) -> None:
    # Answered Monday 21 December 2026 10:00 local: due Thursday 24 December 10:00 local.
    # Paused Monday 21 December 11:00 to Tuesday 29 December 11:00 local: 6 h + 4 days of 9 h
    # (22-25 December) + 9 h (28th) + 3 h (29th) = 54 h. Due Thursday 24th 10:00 + 7 h (24th)
    # + 9 h (25th) + 9 h each on the 28th-31st (36 h) + 2 h: Friday 1 January 2027 10:00 local,
    # in the next year (the engine's span of the deadlines' year does not reach it: each
    # calendar answers its own). At Monday 4 January 12:00Z: late by 3 days 2 h, and from
    # Tokyo (01:00Z) by 3 days 11 h.
    batch = [
        paused_case("U", UTC_CUSTOMER, datetime(2026, 12, 21), datetime(2026, 12, 29, 11)),
        paused_case("T", TOKYO, datetime(2026, 12, 21), datetime(2026, 12, 29, 11)),
    ]
    now = datetime(2027, 1, 4, 12, tzinfo=UTC)
    found, seen = replayed(batch, now, monkeypatch)
    assert found == [
        [("update #1", "breached", datetime(2027, 1, 1, 10, tzinfo=UTC), 74 * H)],
        [("update #1", "breached", datetime(2027, 1, 1, 1, tzinfo=UTC), 83 * H)],
    ]
    assert seen["_add_rows_us each"] >= 1
