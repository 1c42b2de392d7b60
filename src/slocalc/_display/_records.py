"""``RecordList``: what a list-returning staffing function returns, a list with ``.to_frame()``.

A plain ``list`` subclass, so every existing use (indexing, ``len``, ``==`` with a list, the
printed repr) is unchanged; it adds :meth:`RecordList.to_frame` (a typed DataFrame, see
:func:`~slocalc._display.records_frame`) and a rich display in notebooks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from slocalc._display._frames import records_frame
from slocalc._display._html import records_html

__all__ = ["RecordList"]

_R = TypeVar("_R")


class RecordList(list[_R]):
    """A list of result records that knows its frame's column types and its HTML view.

    Args:
        items: the records.
        instant_columns: fields holding instants (typed even when every value is ``None``
            or the list is empty).
        span_columns: fields holding durations.
        categories: enumeration fields: names, or a mapping name → its full, ordered set of
            categories (``None`` for the values seen).
        html: the renderer for ``_repr_html_``; default a table of the records.

    >>> from datetime import UTC, datetime, timedelta
    >>> from slocalc.staffing import Gap
    >>> t = datetime(2026, 1, 3, tzinfo=UTC)
    >>> rows = RecordList([Gap(t, t + timedelta(days=2), timedelta(days=2))], instant_columns=("start", "end"))
    >>> rows == [Gap(t, t + timedelta(days=2), timedelta(days=2))], len(rows)
    (True, 1)
    >>> str(rows.to_frame()["start"].dtype)
    'datetime64[us, UTC]'
    """

    __slots__ = ("_categories", "_html", "_instants", "_spans")

    def __init__(
        self,
        items: Iterable[_R] = (),
        *,
        instant_columns: Sequence[str] = (),
        span_columns: Sequence[str] = (),
        categories: Mapping[str, Sequence[Any] | None] | Sequence[str] = (),
        html: Callable[[Sequence[Any]], str] | None = None,
    ) -> None:
        super().__init__(items)
        self._instants = tuple(instant_columns)
        self._spans = tuple(span_columns)
        self._categories: dict[str, Sequence[Any] | None] = (
            dict(categories) if isinstance(categories, Mapping) else dict.fromkeys(categories)
        )
        self._html = html

    def to_frame(self, *, tz: str | None = None) -> Any:
        """A pandas DataFrame, one row per record (``pip install 'slocalc[pandas]'``).

        Instants are ``datetime64[us, zone]`` in the records' zone (or ``tz``), durations
        ``timedelta64[us]``, enumerations ``category``.
        """
        return records_frame(
            self,
            categories=self._categories,
            instant_columns=self._instants,
            span_columns=self._spans,
            tz=tz,
        )

    def _repr_html_(self) -> str:
        return (self._html or records_html)(self)
