"""The one partition function every engine runs: JSON Lines text in, alerts out."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from slocalc.errors import MissingExtraError, SlocalcError

if TYPE_CHECKING:
    import pandas

    from slocalc.policies import Policy

__all__ = ["ALERT_COLUMNS", "alert_meta", "check_lines", "check_partition"]

#: the alert columns of ``slocalc check --format csv``, then where the line came from and,
#: for an invalid line, why (its other columns are empty)
ALERT_COLUMNS: Final = (
    "case_id",
    "severity",
    "metric",
    "cycle",
    "kind",
    "due_at",
    "met_at",
    "breached_by",
    "remaining",
    "budget",
    "customer_tz",
    "source",
    "line",
    "error",
)
_INTS: Final = ("severity", "cycle", "line")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - the extras bring pandas
        raise MissingExtraError(
            "slocalc.scale needs pandas; install it with: pip install 'slocalc[dask]' or 'slocalc[spark]'"
        ) from exc
    return pandas


def alert_meta() -> pandas.DataFrame:
    """An empty frame with the columns and dtypes :func:`check_partition` returns.

    >>> list(alert_meta().dtypes.astype(str))[:4]
    ['object', 'Int64', 'object', 'Int64']
    """
    pd = _pandas()
    meta: pandas.DataFrame = pd.DataFrame(
        {c: pd.Series(dtype="Int64" if c in _INTS else "object") for c in ALERT_COLUMNS}
    )
    return meta


def _record(alert: Any, tz: str) -> dict[str, Any]:
    to_dict = getattr(alert, "to_dict", None)
    record: dict[str, Any] = dict(to_dict()) if to_dict is not None else alert.model_dump(mode="json")
    record["customer_tz"] = tz
    return record


def check_lines(
    lines: Iterable[tuple[str | bytes, int, str | None]],
    policy: Policy,
    *,
    now: datetime,
    at_risk: float = 0.75,
) -> list[dict[str, Any]]:
    """Alert records (and invalid-line records) for ``(text, line, source)`` triples.

    Each line is one case as JSON, read and checked as ``slocalc check`` would (the same
    messages for an invalid line; a case id seen earlier in the same call is a duplicate).
    """
    from slocalc.cases import CaseBatch, CaseRecord, InvalidLine, case_from_dict

    build = case_from_dict
    seen: dict[str, int] = {}
    rows: list[dict[str, Any]] = []  # each invalid line's row, or a valid case's position
    records: list[CaseRecord] = []
    where: list[str | None] = []
    for text, line, source in lines:
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            rows.append(
                {"source": source, "line": line, "error": f"not valid JSON: {exc.msg} (column {exc.colno})"}
            )
            continue
        if not isinstance(data, dict):
            error = f"expected a JSON object (one case), got {type(data).__name__}"
            rows.append({"source": source, "line": line, "error": error})
            continue
        try:
            case = build(data)
        except SlocalcError as exc:
            rows.append({"source": source, "line": line, "error": InvalidLine.from_error(line, exc).reason})
            continue
        first = seen.setdefault(case.id, line)
        if first != line:
            error = f"case {case.id!r}: duplicate case id (first on line {first}); one case per line"
            rows.append({"source": source, "line": line, "error": error})
            continue
        rows.append({"case": len(records)})
        records.append(CaseRecord(case, line, (line,)))
        where.append(source)
    # the valid cases checked together, on the columnar path (docs/scaling.md); their
    # rows then take their places among the invalid lines', in input order
    found = CaseBatch.from_records(records).check(policy, now=now, at_risk=at_risk)
    out: list[dict[str, Any]] = []
    for row in rows:
        i = row.get("case")
        if i is None:
            out.append(row)
            continue
        seen_case, source, line = found[i], where[i], records[i].line
        if isinstance(seen_case, InvalidLine):
            out.append({"source": source, "line": seen_case.line, "error": seen_case.reason})
        else:
            tz = records[i].case.customer.tz
            out.extend({**_record(a, tz), "source": source, "line": line} for a in seen_case.alerts)
    return out


def check_partition(
    part: pandas.DataFrame, policy: Policy, *, now: datetime, at_risk: float = 0.75
) -> pandas.DataFrame:
    """Check one partition: a frame of JSON Lines text in, a frame of alerts out.

    Args:
        part: a ``value`` column of JSON text (one case a row), optionally ``line`` (the
            line number in its file; default: the row's position counted from 1) and
            ``source`` (the file).
        policy: the policy, e.g. :data:`slocalc.policies.RAPID7` (pickled to the workers).
        now: the instant of the check (aware).
        at_risk: the share of a target's clock time after which it is at risk.

    Returns:
        One row per alert, in case order (initial response first, then the update
        cycles), and one row per invalid line with ``error`` set; columns
        :data:`ALERT_COLUMNS`, dtypes as :func:`alert_meta`.

    >>> import pandas as pd
    >>> from datetime import datetime, UTC
    >>> from slocalc.policies import RAPID7
    >>> part = pd.DataFrame({"value": [
    ...     '{"id": "C-7", "severity": 1, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"}}',
    ...     "{oops"]})
    >>> out = check_partition(part, RAPID7, now=datetime(2026, 3, 2, 10, 45, tzinfo=UTC))
    >>> out[["case_id", "kind", "due_at", "line"]].to_dict("records")[0]
    {'case_id': 'C-7', 'kind': 'at_risk', 'due_at': '2026-03-02T11:00:00Z', 'line': 1}
    >>> out["error"].iloc[1]
    'not valid JSON: Expecting property name enclosed in double quotes (column 2)'
    """
    pd = _pandas()
    n = len(part)
    lines = part["line"].tolist() if "line" in part.columns else list(range(1, n + 1))
    sources = part["source"].tolist() if "source" in part.columns else [None] * n
    rows = check_lines(
        zip(part["value"].tolist(), lines, sources, strict=True), policy, now=now, at_risk=at_risk
    )
    out: pandas.DataFrame = pd.DataFrame.from_records(rows, columns=list(ALERT_COLUMNS))
    for column in ALERT_COLUMNS:
        if column in _INTS:
            out[column] = out[column].astype("Int64")
        else:  # missing text is None, never NaN
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out
