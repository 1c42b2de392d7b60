"""Spark: check a DataFrame of JSON Lines text with ``mapInPandas``.

Each Arrow batch runs :func:`slocalc.scale.check_partition` in a Python worker; the
result is a Spark DataFrame with :data:`slocalc.scale.ALERT_COLUMNS` (instants and
durations as ISO 8601 text, exact). Install with ``pip install 'slocalc[spark]'`` (Spark
needs Java 17 or later). See docs/scaling.md and ``examples/scale_spark.py``.

A case id is checked for duplicates within its batch only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from slocalc.scale._partition import ALERT_COLUMNS, check_partition

if TYPE_CHECKING:
    import pandas

    from slocalc.policies import Policy

__all__ = ["SCHEMA", "check_spark"]

#: the Spark schema of the result (a DDL string)
SCHEMA: Final = ", ".join(
    f"{c} {'long' if c in ('severity', 'cycle', 'line') else 'string'}" for c in ALERT_COLUMNS
)


def check_spark(
    frame: Any, policy: Policy, *, now: datetime, at_risk: float = 0.75, column: str = "value"
) -> Any:
    """Alerts for a Spark DataFrame of JSON text, one case a row.

    Args:
        frame: a ``pyspark.sql.DataFrame`` with ``column`` (e.g. from ``spark.read.text``)
            and optionally ``line`` (a line number; else the row's position in its batch)
            and ``source`` columns.
        policy: the policy, pickled to the Python workers.
        now: the instant of the check (aware).
        at_risk: the share of a target's clock time after which it is at risk.
        column: the column holding the JSON text.

    Returns:
        A lazy Spark DataFrame with schema :data:`SCHEMA`.
    """
    keep = [c for c in ("line", "source") if c in frame.columns]
    frame = frame.select(frame[column].alias("value"), *keep)

    def batches(parts: Iterator[pandas.DataFrame]) -> Iterator[pandas.DataFrame]:
        for part in parts:
            yield check_partition(part, policy, now=now, at_risk=at_risk)

    return frame.mapInPandas(batches, schema=SCHEMA)
