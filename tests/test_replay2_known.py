"""``_columnar._Known``: the replay's prefetched deadlines by (deadline id, start), looked up
many at a time, answer as a dict of the same entries does."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from slocalc.cases._columnar import _NONE, _Known

HOUR = 3_600_000_000


def test_hand_worked_lookups() -> None:
    known = _Known(np, 2)
    assert not known
    assert known.get(np.array([0]), np.array([5])).tolist() == [_NONE]
    # deadline 0 from 09:00 is due 13:00; deadline 1 from 09:00 is due 17:00
    known.fill(np.array([0, 1]), np.array([9 * HOUR, 9 * HOUR]), np.array([13 * HOUR, 17 * HOUR]))
    assert known
    got = known.get(np.array([1, 0, 0, 1]), np.array([9 * HOUR, 9 * HOUR, 10 * HOUR, 8 * HOUR]))
    assert got.tolist() == [17 * HOUR, 13 * HOUR, _NONE, _NONE]


def test_starts_too_far_apart_for_one_key_still_answer() -> None:
    # (hi - lo + 1) * ids reaches 2**62: kept in a dict instead
    far = 2**61
    known = _Known(np, 4)
    known.fill(np.array([3, 3]), np.array([-far, far]), np.array([1, 2]))
    assert known.get(np.array([3, 3, 2]), np.array([far, -far, far])).tolist() == [2, 1, _NONE]


ENTRY = st.tuples(st.integers(0, 5), st.integers(-50, 50))


@given(
    st.lists(ENTRY, max_size=30), st.lists(st.tuples(st.integers(-2, 7), st.integers(-60, 60)), max_size=30)
)
def test_equals_a_dict_of_the_same_entries(
    entries: list[tuple[int, int]], asked: list[tuple[int, int]]
) -> None:
    # equal keys hold equal values (the same deadline from the same start): value from the key
    def value(d: int, u: int) -> int:
        return 1_000 * d + u

    known = _Known(np, 6)
    did = np.array([d for d, _ in entries], dtype=np.int64)
    at = np.array([u for _, u in entries], dtype=np.int64)
    known.fill(did, at, np.array([value(d, u) for d, u in entries], dtype=np.int64))
    table = {(d, u): value(d, u) for d, u in entries}
    assert bool(known) == bool(table)
    q_did = np.array([d for d, _ in asked], dtype=np.int64)
    q_at = np.array([u for _, u in asked], dtype=np.int64)
    assert known.get(q_did, q_at).tolist() == [table.get(key, _NONE) for key in asked]
