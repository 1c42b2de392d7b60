"""Optional dependencies: numpy for the breach grid, pandas for DataFrames, matplotlib for
heatmaps, each loaded when first used."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from slocalc.errors import MissingExtraError

__all__ = ["DAY_NAMES", "heatmap_figure", "matplotlib_pyplot", "numpy", "pandas", "to_frame"]

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def numpy() -> Any:
    """The numpy module, or :class:`MissingExtraError` naming the extra to install."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is installed wherever tests run
        raise MissingExtraError(
            "structural breach analysis needs numpy: pip install 'slocalc[pandas]' "
            "(from a clone: pip install -e '.[pandas]')"
        ) from None
    return np


def pandas() -> Any:
    """The pandas module, or :class:`MissingExtraError` naming the extra."""
    try:
        import pandas as pd
    except ImportError:
        raise MissingExtraError(
            "DataFrames need pandas: pip install 'slocalc[pandas]' (from a clone: pip install -e '.[pandas]')"
        ) from None
    return pd


def matplotlib_pyplot() -> Any:
    """``matplotlib.pyplot``, or :class:`MissingExtraError` naming the extra."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError(
            "plots need matplotlib: pip install 'slocalc[plot]' (from a clone: pip install -e '.[plot]')"
        ) from None
    return plt


def to_frame(records: Iterable[Any]) -> Any:
    """A typed pandas DataFrame with one row per record and one column per field.

    Works for every record type of :mod:`slocalc.staffing` (frozen dataclasses) and for
    :class:`~slocalc.calendars.centers.Handoff` and
    :class:`~slocalc.calendars.centers.CoverageSegment`. Typed as docs/notebooks/index.md
    ("Typed frames") says: instants become ``datetime64[us, zone]`` columns in the zone
    of the records' first instant, timedeltas ``timedelta64[us]``. The lists the staffing
    functions return have a ``.to_frame()`` of their own, which also types columns that
    are empty or all ``None``.

    Raises:
        MissingExtraError: pandas is not installed (an ``ImportError``).
        TypeError: a record is neither a dataclass instance nor a named tuple.

    >>> from datetime import date
    >>> from slocalc.staffing import coverage_table
    >>> df = to_frame(coverage_table(date(2026, 1, 14), ["singapore"]))
    >>> list(df.columns), len(df), str(df["start"].dtype)
    (['start', 'end', 'slot', 'centers', 'count'], 168, 'datetime64[us, UTC]')
    """
    from slocalc._display import records_frame

    return records_frame(records)


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
    week_start: date | None = None,
    empty_note: str | None = None,
) -> Any:
    """An hour-of-week heatmap: one row per label, one column per hour (Mon 00:00 first).

    Dated day ticks (``Mon 12 Jan``) with ``week_start``, and ``empty_note`` written across
    a plot whose cells are all zero; drawn by ``slocalc._display.heatmap``.
    """
    matplotlib_pyplot()  # the extra's error message when matplotlib is missing
    from slocalc._display import heatmap

    return heatmap(
        matrix,
        rows,
        title=title,
        colorbar=colorbar,
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        ax=ax,
        xlabel=xlabel,
        week_start=week_start,
        empty_note=empty_note,
    )
