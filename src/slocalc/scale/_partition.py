"""The one partition function every engine runs: JSON Lines text in, alerts out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from slocalc.errors import MissingExtraError

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

    Each line is one case as JSON, read and checked as ``slocalc check`` reads and checks a
    file (the same messages for an invalid line; a case id seen earlier in the same call is
    a duplicate), on the columnar path: the lines of each source are one
    :meth:`~slocalc.cases.CaseBatch.from_lines` batch. Records come in input order.
    """
    from slocalc.cases import CaseBatch, InvalidLine

    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}  # ids across sources (each batch refuses its own duplicates)
    for source, run in _runs(lines):
        batch = CaseBatch.from_lines(run)
        found = batch.check(policy, now=now, at_risk=at_risk)
        by_line: dict[int, list[dict[str, Any]]] = {}
        for bad in batch.invalid:
            by_line.setdefault(bad.line, []).append({"source": source, "line": bad.line, "error": bad.reason})
        for i, result in enumerate(found):
            line = batch.line(i)
            first = seen.setdefault(batch.ids[i], line)
            out = by_line.setdefault(line, [])
            if first != line:
                error = f"case {batch.ids[i]!r}: duplicate case id (first on line {first}); one case per line"
                out.append({"source": source, "line": line, "error": error})
            elif isinstance(result, InvalidLine):
                out.append({"source": source, "line": result.line, "error": result.reason})
            else:
                tz = batch.customer(i).tz
                out.extend({**_record(a, tz), "source": source, "line": line} for a in result.alerts)
        for _, records in sorted(by_line.items()):
            rows.extend(records)
    return rows


def _runs(
    lines: Iterable[tuple[str | bytes, int, str | None]],
) -> Iterable[tuple[str | None, list[tuple[int, str]]]]:
    """The lines as runs of one source each: ``(source, [(line, text), ...])`` (bytes read as
    UTF-8, undecodable bytes kept for the reader to name, as it does in a file)."""
    source: str | None = None
    run: list[tuple[int, str]] = []
    for text, line, where in lines:
        if run and where != source:
            yield source, run
            run = []
        source = where
        run.append((line, text.decode("utf-8", "surrogateescape") if isinstance(text, bytes) else text))
    if run:
        yield source, run


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
