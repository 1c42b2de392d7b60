"""The longest target a policy may set: 100 years, the longest span one query covers.

Shared by the loader (:class:`~slocalc.policies.Target`) and the JSON Schema. See
docs/limits.md.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MAX_AMOUNT"]

#: the largest amount of each unit (100 years of 366 days)
MAX_AMOUNT: Final[dict[str, int]] = {
    "minutes": 100 * 366 * 24 * 60,
    "hours": 100 * 366 * 24,
    "business_days": 100 * 366,
    "calendar_days": 100 * 366,
}
