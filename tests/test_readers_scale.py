"""The readers' flat-memory id table, and repeated JSON keys found wherever they are."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slocalc.cases._readers import _parse_line
from slocalc.cases._seen import SeenIds


@given(st.lists(st.text(max_size=6), max_size=300))
def test_seen_ids_agree_with_a_dict(ids: list[str]) -> None:
    seen, reference = SeenIds(), {}
    for line, case_id in enumerate(ids, start=1):
        assert seen.first(case_id, line) == reference.setdefault(case_id, line)
    assert len(seen) == len(reference)


def test_seen_ids_grow_and_keep_every_line() -> None:
    seen = SeenIds()
    for line in range(1, 20_001):  # several doublings of the table
        assert seen.first(f"C-{line}", line) == line
    assert [seen.first(f"C-{n}", 99_999) for n in (1, 4096, 20_000)] == [1, 4096, 20_000]
    assert seen.first("\ud800 lone surrogate", 7) == 7  # any str, as a reader may decode one


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"a": 1, "a": 2}', "a"),
        ('{"a": 1, "a" : 2}', "a"),  # whitespace before the colon
        ('{"a": 1, "a"\t:\n2}', "a"),
        ('{"x": {"b": 1, "b": 2}}', "b"),  # nested
        ('{"x": [{"c": 1, "c": 2}]}', "c"),  # in a list
        ('{"s": "\\": \\":", "a": 1, "a": 2}', "a"),  # a string with key-like text as well
    ],
)
def test_a_repeated_key_is_refused_wherever_it_is(text: str, key: str) -> None:
    value, problem = _parse_line(text)
    assert value is None
    assert problem == f"key '{key}' appears twice in one object; give each field once"


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "b": {"c": [1, {"d": 2}]}}',
        '{"s": "a\\": b", "t": "\\"  :"}',  # key-like text inside strings only
        '[{"a": 1}, {"a": 2}]',  # the same key in two objects is not a repeat
        '"just text: \\":"',
    ],
)
def test_lines_without_repeated_keys_read_as_json_reads_them(text: str) -> None:
    assert _parse_line(text) == (json.loads(text), None)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(alphabet='ab": \\\t'),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.lists(st.tuples(st.text(alphabet='ab": \\', max_size=3), inner), max_size=4)
        ),
        max_leaves=12,
    )
)
def test_the_duplicate_check_agrees_with_a_hook(tree: object) -> None:
    """Objects written with possibly repeated keys: refused exactly when a key repeats."""

    def dump(node: object) -> str:
        if isinstance(node, list) and node and all(isinstance(x, tuple) for x in node):
            return "{" + ", ".join(f"{json.dumps(k)} : {dump(v)}" for k, v in node) + "}"
        if isinstance(node, list):
            return "[" + ", ".join(dump(x) for x in node if not isinstance(x, tuple)) + "]"
        return json.dumps(node)

    def repeats(node: object) -> bool:
        if isinstance(node, list) and node and all(isinstance(x, tuple) for x in node):
            keys = [k for k, _ in node]
            return len(set(keys)) != len(keys) or any(repeats(v) for _, v in node)
        if isinstance(node, list):
            return any(repeats(x) for x in node if not isinstance(x, tuple))
        return False

    text = dump(tree)
    value, problem = _parse_line(text)
    if repeats(tree):
        assert value is None
        assert problem is not None
        assert "appears twice" in problem
    else:
        assert problem is None
        assert value == json.loads(text)
