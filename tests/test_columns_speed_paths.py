"""``columns_from_cases``: the branches its faster paths take, each against the plain columns.

The event codes: one byte per event while a batch has at most 256 distinct (kind, status,
severity), a wider code beyond. Expected values are worked by hand; :func:`reference` (the
columns built plainly from ``timeline_of``) is shared with ``test_columns_build.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.test_columns_build import assert_same, bulk_only, reference  # noqa: F401 (a fixture)

from slocalc.cases import Case, Event
from slocalc.cases._columns import columns_from_cases
from slocalc.policies import Customer

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: 2026-03-02T09:00Z in microseconds since 1970: 20514 days (see test_columns_build.py), 9 hours
T0_US = (20514 * 86400 + 9 * 3600) * 1_000_000
MINUTE = 60 * 1_000_000
UTC_CUSTOMER = Customer(tz="UTC")


def status_case(cid: str, names: list[str]) -> Case:
    """A case whose events set each status of ``names`` in turn, a minute apart, given last first."""
    events = [
        Event(at=T0 + timedelta(minutes=k + 1), kind="status", status=name) for k, name in enumerate(names)
    ]
    return Case(id=cid, severity=2, opened_at=T0, customer=UTC_CUSTOMER, events=events[::-1])


@pytest.mark.usefixtures("bulk_only")
def test_more_than_256_event_codes() -> None:
    # 300 statuses: 300 distinct (kind, status, severity), more than a byte holds
    names = [f"s{k:03d}" for k in range(300)]
    batch = [status_case("C-1", names[:150]), status_case("C-2", names[150:] + names[:2])]
    cols = columns_from_cases(batch)
    assert cols.statuses == names
    assert cols.status.tolist() == [*range(300), 0, 1]
    assert cols.kind.tolist() == [2] * 302
    assert cols.first.tolist() == [0, 150, 302]
    assert cols.at[:2].tolist() == [T0_US + MINUTE, T0_US + 2 * MINUTE]
    assert cols.index[:2].tolist() == [149, 148]  # given last first
    assert_same(cols, reference(batch))


@pytest.mark.usefixtures("bulk_only")
def test_256_event_codes_exactly() -> None:
    names = [f"s{k:03d}" for k in range(256)]
    batch = [status_case("C-1", names)]
    cols = columns_from_cases(batch)
    assert cols.status.tolist() == list(range(256))
    assert_same(cols, reference(batch))
