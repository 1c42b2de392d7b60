"""Dask: check JSON Lines exports, a bag of lines or a frame of lines on a cluster.

Each partition runs :func:`slocalc.scale.check_partition` in a worker; the result is a
lazy ``dask.dataframe.DataFrame`` of alerts (columns :data:`slocalc.scale.ALERT_COLUMNS`).
Install with ``pip install 'slocalc[dask]'``. See docs/scaling.md for a recipe with a
``distributed`` cluster and measured scaling.

A case id is checked for duplicates within its partition only (one file, or one block).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slocalc.errors import MissingExtraError
from slocalc.scale._partition import alert_meta, check_partition

if TYPE_CHECKING:
    from slocalc.policies import Policy

__all__ = ["check_bag", "check_frame", "check_jsonl"]


def _dask() -> tuple[Any, Any, Any]:
    try:
        import dask
        import dask.bag
        import dask.dataframe
    except ImportError as exc:
        raise MissingExtraError(
            "slocalc.scale.dask needs Dask; install it with: pip install 'slocalc[dask]'"
        ) from exc
    return dask, dask.bag, dask.dataframe


def _lines_part(items: Sequence[Any], policy: Policy, now: datetime, at_risk: float) -> Any:
    """A bag partition (lines, or ``(line, path)`` pairs from ``read_text(include_path=True)``)."""
    import pandas as pd

    values, lines, sources = [], [], []
    counters: dict[Any, int] = {}
    for item in items:
        text, source = item if isinstance(item, tuple) else (item, None)
        counters[source] = counters.get(source, 0) + 1
        values.append(text)
        lines.append(counters[source])
        sources.append(source)
    part = pd.DataFrame({"value": values, "line": lines, "source": sources})
    return check_partition(part, policy, now=now, at_risk=at_risk)


def check_bag(bag: Any, policy: Policy, *, now: datetime, at_risk: float = 0.75) -> Any:
    """Alerts for a ``dask.bag.Bag`` of JSON Lines text (one case an item).

    Items may also be ``(text, path)`` pairs, as ``read_text(..., include_path=True)``
    gives; ``line`` counts the items of each path within a partition from 1 (the file's
    line numbers when a partition is a whole file).

    Returns:
        A lazy dask frame of alerts, one partition per bag partition.
    """
    dask, _, dd = _dask()
    parts = [dask.delayed(_lines_part)(p, policy, now, at_risk) for p in bag.to_delayed()]
    return dd.from_delayed(parts, meta=alert_meta(), verify_meta=False)


def check_jsonl(
    paths: str | Sequence[str],
    policy: Policy,
    *,
    now: datetime,
    at_risk: float = 0.75,
    blocksize: int | str | None = None,
) -> Any:
    """Alerts for JSON Lines exports (paths or glob patterns, local or remote).

    Args:
        paths: the files (anything ``dask.bag.read_text`` reads, e.g. ``"s3://b/*.jsonl"``).
        policy: the policy, pickled to every worker.
        now: the instant of the check (aware).
        at_risk: the share of a target's clock time after which it is at risk.
        blocksize: ``None`` (default): one partition per file, so ``line`` is the file's
            line number; or a size such as ``"64MiB"`` to split large files (``line`` then
            counts from the start of the block).

    Returns:
        A lazy dask frame of alerts; ``source`` is the file of each row.
    """
    _, db, _ = _dask()
    bag = db.read_text(paths, blocksize=blocksize, include_path=True)
    return check_bag(bag, policy, now=now, at_risk=at_risk)


def check_frame(frame: Any, policy: Policy, *, now: datetime, at_risk: float = 0.75) -> Any:
    """Alerts for a dask frame with a ``value`` column of JSON text (one case a row) and
    optionally ``line`` and ``source`` columns: ``map_partitions`` of
    :func:`slocalc.scale.check_partition`."""
    return frame.map_partitions(
        check_partition, policy, now=now, at_risk=at_risk, meta=alert_meta(), enforce_metadata=False
    )
