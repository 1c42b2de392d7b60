"""``SeenIds.first_many`` on batches large enough to probe by numpy rounds (not only one id at
a time), with ids repeated within a batch: the line ``first`` gives for each id."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from slocalc.cases._seen import SeenIds


def test_repeats_within_a_batch_by_hand() -> None:
    # 200 ids, each given twice in a row: the first of each pair (odd lines) is recorded, and
    # both get its line; a second batch of the same ids gets those lines again
    ids = [f"C-{k // 2}" for k in range(400)]
    lines = np.arange(1, 401, dtype=np.int64)
    many = SeenIds()
    assert many.first_many(ids, lines).tolist() == [k + 1 - k % 2 for k in range(400)]
    assert len(many) == 200
    again = many.first_many(ids[::-1], np.arange(401, 801, dtype=np.int64)).tolist()
    assert again == [k + 1 - k % 2 for k in range(400)][::-1]
    assert len(many) == 200


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 700), min_size=49, max_size=400),  # more than _PROBE_TAIL keys
        min_size=1,
        max_size=5,
    )
)
def test_big_batches_with_repeats_as_first(batches: list[list[int]]) -> None:
    seen, many = SeenIds(), SeenIds()
    line = 0
    for keys in batches:
        ids = [f"C-{k}" for k in keys]
        lines = np.arange(line + 1, line + 1 + len(ids), dtype=np.int64)
        line += len(ids)
        want = [seen.first(i, n) for i, n in zip(ids, lines.tolist(), strict=True)]
        assert many.first_many(ids, lines).tolist() == want
    assert len(many) == len(seen)
