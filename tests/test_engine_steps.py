"""The vectorised business-day step refuses exactly what the scalar step refuses, when a
batch mixes short steps (answered without computing any date's year) with steps near the
100-year limit (checked date by date)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc import BusinessCalendar
from slocalc.errors import SlocalcValueError

#: 52 business days a year: 100 years of them are about 5,200
SATURDAYS = BusinessCalendar(tz="Pacific/Kiritimati", hours="Sat 10:00-12:00")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
STARTS = [T0, datetime(2026, 12, 31, 23, 0, tzinfo=UTC), datetime(2027, 6, 5, 21, 0, tzinfo=UTC)]


def _outcome(call: object) -> str:
    try:
        return str(call())  # type: ignore[operator]
    except SlocalcValueError as exc:
        return f"refused: {exc}"


def test_hand_worked_short_steps_in_one_batch() -> None:
    # Monday 2 March 2026 09:00Z is 23:00 in Kiritimati (UTC+14): the next open time is
    # Saturday 7 March 10:00 local (20:00Z the day before); 1 business day on is Saturday 14
    # March, 3 on Saturday 28 March (Friday 27 March 20:00Z). Going back starts from the
    # last business instant, Saturday 28 February 12:00 local (the close): 1 business day
    # back is Saturday 21 February 12:00 local, 20 February 22:00Z
    assert SATURDAYS.add_days_many([T0, T0], [1, 3]) == [
        datetime(2026, 3, 13, 20, 0, tzinfo=UTC),
        datetime(2026, 3, 27, 20, 0, tzinfo=UTC),
    ]
    assert SATURDAYS.add_days_many([T0], [-1]) == [datetime(2026, 2, 20, 22, 0, tzinfo=UTC)]


@pytest.mark.parametrize("n", [5_300, -5_300])
def test_a_long_step_among_short_ones_is_refused_as_alone(n: int) -> None:
    # 5,300 Saturdays are about 101.6 years: beyond reach either way
    alone = _outcome(lambda: SATURDAYS.add_days(T0, n))
    assert alone.startswith("refused: ")
    assert "are not reached within 100 years" in alone
    assert _outcome(lambda: SATURDAYS.add_days_many([T0, T0, T0], [1, n, 2])) == alone


@given(
    st.lists(
        st.tuples(st.sampled_from(STARTS), st.one_of(st.integers(-60, 60), st.integers(-5_400, 5_400))),
        min_size=1,
        max_size=8,
    )
)
@settings(max_examples=80, deadline=None)
def test_a_batch_equals_the_scalar_step_of_each_row(rows: list[tuple[datetime, int]]) -> None:
    starts = [s for s, _ in rows]
    counts = [n for _, n in rows]
    # the batch answers every row as the scalar query does, or refuses with the error of the
    # first row the scalar query refuses
    each = [_outcome(lambda s=s, n=n: SATURDAYS.add_days(s, n)) for s, n in rows]  # type: ignore[misc]
    refused = [o for o in each if o.startswith("refused: ")]
    batch = _outcome(lambda: SATURDAYS.add_days_many(starts, counts))
    if refused:
        assert batch == refused[0]
    else:
        assert batch == str([SATURDAYS.add_days(s, n) for s, n in rows])
