"""Typed pandas DataFrames for every result: instants, spans and enumerations with real dtypes.

The rules every ``to_frame`` follows (docs/notebooks/index.md states them for users):

* **instants** are ``datetime64[us, <zone>]`` columns, never ``object``, whatever zones the
  values came in (cases from customers in several zones, fixed offsets from JSON). Case
  reports and alerts use **UTC** and carry each row's own zone in a categorical ``tz``
  column, so ``df.due_at.dt.tz_convert(...)`` and ``.dt.hour`` work; staffing records keep
  the one zone the analysis was asked in (``tz=`` of a coverage table, the range's zone).
  ``None`` becomes ``NaT``; a column of only ``None`` is still ``datetime64[us, zone]``.
* **spans** are ``timedelta64[us]`` columns (``None`` is ``NaT``).
* **enumerations** (states, kinds, metrics, statuses, clocks, customers, scenarios, days)
  are ``category`` columns; states and kinds list every possible value as a category, in
  their documented order, so counts show zeros too.
* numbers stay ``int64``/``float64``/``bool``; free text and tuples of keys stay ``object``.

Microseconds are kept exactly (``datetime64[us]``, not nanoseconds: no rounding, and the
full range of Python datetimes up to 9999).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Final

from slocalc.errors import MissingExtraError, SlocalcTypeError

__all__ = [
    "ALERT_KINDS",
    "STATES",
    "alerts_frame",
    "instants",
    "records_frame",
    "reports_frame",
    "spans",
    "zone_name",
]

#: the states of a target, in the order the docs list them (docs/cases.md)
STATES: Final = ("pending", "paused", "met", "breached", "stopped", "cancelled")
#: the kinds of an alert
ALERT_KINDS: Final = ("breached", "at_risk")

_REPORT_INSTANTS: Final = ("start", "due_at", "met_at", "ended_at", "now")
_REPORT_SPANS: Final = ("breached_by", "remaining")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise MissingExtraError(
            "DataFrames need pandas: pip install 'slocalc[pandas]' (from a clone: pip install -e '.[pandas]')"
        ) from None
    return pandas


def zone_name(tz: tzinfo | None) -> str:
    """A zone's name for a ``tz`` column: the IANA key, ``UTC``, or ``UTC+05:30`` for a fixed
    offset.

    >>> from datetime import timedelta, timezone
    >>> from zoneinfo import ZoneInfo
    >>> zone_name(ZoneInfo("Asia/Kolkata")), zone_name(timezone(timedelta(hours=5, minutes=30)))
    ('Asia/Kolkata', 'UTC+05:30')
    """
    if tz is None:
        return "UTC"
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        return key
    offset = tz.utcoffset(None)
    if offset is None or offset == timedelta(0):
        return "UTC"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def instants(values: Sequence[datetime | None], tz: tzinfo | str = "UTC") -> Any:
    """A ``datetime64[us, tz]`` Series-ready array of aware datetimes (``None`` → ``NaT``).

    Exact to the microsecond: each value's UTC microseconds since the epoch, computed with
    integer arithmetic, become the array (no float, no nanosecond overflow).
    """
    pd = _pandas()
    import numpy as np

    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    one = timedelta(microseconds=1)
    nat = np.iinfo(np.int64).min
    raw = np.array([nat if v is None else (v - epoch) // one for v in values], dtype=np.int64)
    utc = pd.DatetimeIndex(raw.view("datetime64[us]")).tz_localize("UTC")
    return pd.array(utc.tz_convert(tz if isinstance(tz, str) else zone_name(tz)))


def spans(values: Sequence[timedelta | None]) -> Any:
    """A ``timedelta64[us]`` array of timedeltas (``None`` → ``NaT``), exact."""
    pd = _pandas()
    import numpy as np

    one = timedelta(microseconds=1)
    nat = np.iinfo(np.int64).min
    raw = np.array([nat if v is None else v // one for v in values], dtype=np.int64)
    return pd.array(raw.view("timedelta64[us]"))


def _categorical(values: Sequence[Any], categories: Sequence[Any] | None = None) -> Any:
    pd = _pandas()
    if categories is None:
        categories = list(dict.fromkeys(v for v in values if v is not None))
    return pd.Categorical(values, categories=list(categories))


def reports_frame(reports: Iterable[Any], *, tz: str = "UTC") -> Any:
    """One row per target of each report, typed (see the module docs).

    Columns: ``case_id``, ``metric`` (category), ``cycle``, ``severity``, ``target``,
    ``clock`` (category), ``state`` (category of every state), ``start``, ``due_at``,
    ``met_at``, ``ended_at`` (``datetime64[us, tz]``), ``breached_by``, ``remaining``
    (``timedelta64[us]``), ``status`` (category), ``now`` (``datetime64[us, tz]``) and
    ``tz`` (category: the zone the report's instants were in, the case's ``opened_at``
    zone).

    Args:
        reports: case reports.
        tz: the zone of the instant columns; UTC by default.
    """
    pd = _pandas()
    rows: list[tuple[Any, Any]] = [(r, t) for r in reports for t in r.targets]
    col: dict[str, Any] = {
        "case_id": [r.case_id for r, _ in rows],
        "metric": _categorical([t.metric for _, t in rows]),
        "cycle": pd.array([t.cycle for _, t in rows], dtype="int64"),
        "severity": pd.array([t.severity for _, t in rows], dtype="int64"),
        "target": [t.target for _, t in rows],
        "clock": _categorical([t.clock for _, t in rows]),
        "state": _categorical([t.state for _, t in rows], STATES),
    }
    for name in _REPORT_INSTANTS[:-1]:
        col[name] = instants([getattr(t, name) for _, t in rows], tz)
    for name in _REPORT_SPANS:
        col[name] = spans([getattr(t, name) for _, t in rows])
    col["status"] = _categorical([r.status for r, _ in rows])
    col["now"] = instants([r.now for r, _ in rows], tz)
    col["tz"] = _categorical([zone_name(r.now.tzinfo) for r, _ in rows])
    return pd.DataFrame(col)


def alerts_frame(alerts: Iterable[Any], *, tz: str = "UTC") -> Any:
    """One row per alert, typed: ``kind`` and ``metric`` categorical, ``due_at`` and
    ``met_at`` ``datetime64[us, tz]``, ``breached_by``, ``remaining``, ``budget``
    ``timedelta64[us]``, and ``tz`` (category: the zone ``due_at`` was in)."""
    pd = _pandas()
    items = list(alerts)
    return pd.DataFrame(
        {
            "case_id": [a.case_id for a in items],
            "metric": _categorical([a.metric for a in items]),
            "kind": _categorical([a.kind for a in items], ALERT_KINDS),
            "due_at": instants([a.due_at for a in items], tz),
            "cycle": pd.array([a.cycle for a in items], dtype="int64"),
            "severity": pd.array([a.severity for a in items], dtype="int64"),
            "met_at": instants([a.met_at for a in items], tz),
            "breached_by": spans([a.breached_by for a in items]),
            "remaining": spans([a.remaining for a in items]),
            "budget": spans([a.budget for a in items]),
            "tz": _categorical([zone_name(a.due_at.tzinfo) for a in items]),
        }
    )


def record_fields(record: object) -> list[str] | None:
    """The field names of a dataclass or named-tuple record (``None`` for anything else)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return [f.name for f in dataclasses.fields(record)]
    names = getattr(record, "_fields", None)
    return None if names is None else list(names)


def _field_names(record: object) -> list[str]:
    names = record_fields(record)
    if names is None:
        raise SlocalcTypeError(
            f"records: expected dataclass or named-tuple records, got {type(record).__name__} {record!r}"
        )
    return names


def records_frame(
    records: Iterable[Any],
    *,
    columns: Sequence[str] | None = None,
    categories: Mapping[str, Sequence[Any] | None] | Sequence[str] = (),
    instant_columns: Sequence[str] = (),
    span_columns: Sequence[str] = (),
    tz: str | None = None,
) -> Any:
    """Records (frozen dataclasses or named tuples) as a typed DataFrame, one column per field.

    Field types are read from the values: a column whose values are datetimes (or ``None``)
    is ``datetime64[us, zone]``, timedeltas ``timedelta64[us]``; name a column in
    ``instant_columns``/``span_columns`` to type it even when every value is ``None`` (or
    when there are no records at all). ``categories`` names the enumeration columns (with
    their full set of values, or ``None`` for the values seen).

    Args:
        records: the records, all of one type.
        columns: the columns to build, in order; default every field (and, with no records,
            the columns named in the other arguments).
        categories: enumeration columns: names, or a mapping name → categories.
        instant_columns: columns of instants.
        span_columns: columns of spans.
        tz: the zone of the instant columns; default the zone of the first instant found
            (a staffing result's instants share one), else UTC.

    Raises:
        MissingExtraError: pandas is not installed.
        SlocalcTypeError: a record is neither a dataclass nor a named tuple.
    """
    pd = _pandas()
    rows = list(records)
    cats = dict(categories) if isinstance(categories, Mapping) else dict.fromkeys(categories)
    if columns is None:
        columns = _field_names(rows[0]) if rows else [*instant_columns, *span_columns, *cats]
    data = {name: [getattr(r, name) for r in rows] for name in columns}
    if tz is None:
        first = next((v for vs in data.values() for v in vs if isinstance(v, datetime)), None)
        tz = zone_name(first.tzinfo) if first is not None else "UTC"
    out: dict[str, Any] = {}
    for name, values in data.items():
        present = [v for v in values if v is not None]
        if name in cats:
            out[name] = _categorical(values, cats[name])
        elif name in instant_columns or (present and all(isinstance(v, datetime) for v in present)):
            out[name] = instants(values, tz)
        elif name in span_columns or (present and all(isinstance(v, timedelta) for v in present)):
            out[name] = spans(values)
        else:
            out[name] = values
    return pd.DataFrame(out, columns=list(columns))
