"""Checking cases past one process: Dask and Spark integrations (see docs/scaling.md).

Every integration runs one partition function, :func:`check_partition`, over its
partitions: a pandas frame of JSON Lines text in (a ``value`` column, and optionally
``line`` and ``source`` columns saying where each line came from), a pandas frame of
alerts out (:data:`ALERT_COLUMNS`: the columns of ``slocalc check --format csv``, plus
``line``, ``source`` and ``error`` for an invalid line). Instants and durations stay
ISO 8601 text, exact to the microsecond. Install with ``pip install 'slocalc[dask]'``
or ``'slocalc[spark]'``; :mod:`slocalc.scale.dask` and :mod:`slocalc.scale.spark` hold
the engine-specific parts.
"""

from slocalc.scale._partition import ALERT_COLUMNS, alert_meta, check_partition

__all__ = ["ALERT_COLUMNS", "alert_meta", "check_partition"]
