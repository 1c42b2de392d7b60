"""Hypothesis profiles for the whole suite.

* ``ci`` (the default): derandomized, so every run explores the same examples and a failure
  reproduces anywhere; bounded examples; no deadline (calendars compile lazily, so a first
  example can be slow); ``print_blob`` to replay a failure with ``@reproduce_failure``.
* ``nightly``: random, many more examples, for a scheduled long run.

Pick one with ``HYPOTHESIS_PROFILE=nightly python -m pytest``. Tests that pin their own
``@settings(max_examples=...)`` keep that number; the profile supplies everything else.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=100,
    deadline=None,
    print_blob=True,
)
settings.register_profile(
    "nightly",
    max_examples=2000,
    deadline=None,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
