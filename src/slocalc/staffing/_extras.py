"""Optional dependencies: numpy for the breach grid, pandas for DataFrames, matplotlib for
heatmaps, each loaded when first used."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from slocalc.errors import MissingExtraError, SlocalcTypeError

__all__ = ["DAY_NAMES", "heatmap_figure", "matplotlib_pyplot", "numpy", "pandas", "to_frame"]

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def numpy() -> Any:
    """The numpy module, or :class:`MissingExtraError` naming the extra to install."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is installed wherever tests run
        raise MissingExtraError(
            "structural breach analysis needs numpy: pip install 'slocalc[pandas]'"
        ) from None
    return np


def pandas() -> Any:
    """The pandas module, or :class:`MissingExtraError` naming the extra."""
    try:
        import pandas as pd
    except ImportError:
        raise MissingExtraError("DataFrames need pandas: pip install 'slocalc[pandas]'") from None
    return pd


def matplotlib_pyplot() -> Any:
    """``matplotlib.pyplot``, or :class:`MissingExtraError` naming the extra."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError("plots need matplotlib: pip install 'slocalc[plot]'") from None
    return plt


def to_frame(records: Iterable[Any]) -> Any:
    """A pandas DataFrame with one row per record and one column per field.

    Works for every record type of :mod:`slocalc.staffing` (frozen dataclasses) and for
    :class:`~slocalc.calendars.centers.Handoff`. Datetimes become timezone-aware datetime
    columns, timedeltas become ``timedelta64`` columns.

    Raises:
        MissingExtraError: pandas is not installed (an ``ImportError``).
        TypeError: a record is not a dataclass instance.

    >>> from datetime import date
    >>> from slocalc.staffing import coverage_table
    >>> df = to_frame(coverage_table(date(2026, 1, 14), ["singapore"]))
    >>> list(df.columns), len(df)
    (['start', 'end', 'slot', 'centers', 'count'], 168)
    """
    pd = pandas()
    rows = list(records)
    if not rows:
        return pd.DataFrame()
    first = rows[0]
    if not dataclasses.is_dataclass(first) or isinstance(first, type):
        raise SlocalcTypeError(f"records: expected dataclass records, got {type(first).__name__} {first!r}")
    names = [f.name for f in dataclasses.fields(first)]
    return pd.DataFrame({n: [getattr(r, n) for r in rows] for n in names}, columns=names)


def heatmap_figure(
    matrix: Any,
    rows: Sequence[str],
    *,
    title: str,
    colorbar: str,
    cmap: str = "Reds",
    vmin: float = 0.0,
    vmax: float = 1.0,
    ax: Any = None,
    xlabel: str = "hour of week",
) -> Any:
    """An hour-of-week heatmap: one row per label, one column per hour (Mon 00:00 first)."""
    plt = matplotlib_pyplot()
    if ax is None:
        fig, ax = plt.subplots(figsize=(12, 0.45 * len(rows) + 1.6), layout="constrained")
    else:
        fig = ax.figure
    n = matrix.shape[1] if matrix.ndim == 2 else 0
    image = ax.imshow(matrix, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_yticks(range(len(rows)), labels=list(rows))
    ticks = list(range(0, n, 24))
    ax.set_xticks(ticks, labels=[DAY_NAMES[(t // 24) % 7] for t in ticks])
    ax.set_xticks(range(0, n, 6), minor=True)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label=colorbar)
    return fig
