"""``st.from_type`` for slocalc's public models.

Importing :mod:`slocalc.testing` registers a strategy for each public input type, so
``st.from_type(Case)`` (and ``st.builds`` of a function annotated with these types) draws
valid values: calendars, customers, targets, policies and cases. See
docs/guides/property-testing.md.

>>> from hypothesis import given, settings, strategies as st
>>> from slocalc import Case, evaluate
>>> from slocalc.policies import RAPID7
>>> import slocalc.testing  # registers the strategies
>>> @settings(max_examples=10, deadline=None)
... @given(st.from_type(Case))
... def test_any_case(case):
...     assert evaluate(case, RAPID7, now=case.opened_at).case_id == case.id
>>> test_any_case()
"""

from __future__ import annotations

from hypothesis import strategies as st

from slocalc.calendars import BusinessCalendar, Calendar
from slocalc.cases import Case
from slocalc.policies import Customer, Policy, Target
from slocalc.testing._cases import cases, customers, policies, targets
from slocalc.testing._strategies import calendars, unions

__all__ = ["register_types"]


def register_types() -> None:
    """Register a Hypothesis strategy for each public model (idempotent)."""
    st.register_type_strategy(BusinessCalendar, calendars())
    st.register_type_strategy(Calendar, st.one_of(calendars(), unions()))
    st.register_type_strategy(Customer, customers())
    st.register_type_strategy(Target, targets())
    st.register_type_strategy(Policy, policies())
    st.register_type_strategy(Case, cases())
