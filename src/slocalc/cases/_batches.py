"""``CaseBatch``: cases read and checked together, on the columnar path (docs/scaling.md).

A batch holds its cases as columns (:class:`~slocalc.cases._columns.CaseColumns`), not as
``Case`` objects: :meth:`CaseReader.batches <slocalc.cases.CaseReader.batches>` builds
them straight from JSON lines, and :meth:`CaseBatch.check` replays them all at once
(:func:`~slocalc.cases._columnar.check_columns`). A case the columnar replay does not take
(a policy with other tracked metrics, a name the policy does not know, a very long
timeline) is checked by :func:`~slocalc.cases.check_case` from the same input, so every
result, and every error, is the one the scalar path gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Final, final

from slocalc._time import require_aware
from slocalc.cases._columnar import Checked, check_columns, replay_columns
from slocalc.cases._columns import CaseColumns, columns_from_cases
from slocalc.cases._evaluate import DEFAULT_AT_RISK, _require_policy, at_risk_share, check_case
from slocalc.cases._models import Case
from slocalc.cases._readers import CaseRecord, InvalidLine
from slocalc.cases._report import CaseCheck
from slocalc.errors import SlocalcTypeError, describe
from slocalc.policies import Customer, Policy

__all__ = ["BATCH_SIZE", "CaseBatch"]

#: how many cases :meth:`CaseReader.batches <slocalc.cases.CaseReader.batches>` and
#: :func:`~slocalc.cases.check` put in one batch by default: large enough that the
#: replay's per-round costs are shared, small enough that memory stays flat
BATCH_SIZE: Final = 4096


@final
class CaseBatch:
    """A bounded batch of valid cases and the invalid lines read with them.

    Get batches from :meth:`CaseReader.batches <slocalc.cases.CaseReader.batches>`, or
    make one from records with :meth:`from_records`.

    Attributes:
        invalid: the lines read with this batch that hold no valid case, in input order.

    >>> import io
    >>> from datetime import datetime, UTC
    >>> from slocalc.cases import read_cases
    >>> from slocalc.policies import RAPID7
    >>> text = '{"id": "C-1", "severity": 1, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"}}\\n'
    >>> text += 'not json\\n'
    >>> batch = next(read_cases(io.StringIO(text)).batches())
    >>> len(batch), batch.ids, batch.invalid
    (1, ['C-1'], [InvalidLine(line=2, reason='not valid JSON: Expecting value (column 1)')])
    >>> [seen] = batch.check(RAPID7, now=datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    >>> seen.verdict, batch.line(0)
    ('breached', 1)
    """

    __slots__ = ("_cols", "_lines", "invalid")

    def __init__(
        self,
        cols: CaseColumns,
        invalid: Sequence[InvalidLine] = (),
        lines: Sequence[tuple[int, ...]] | None = None,
    ) -> None:
        self._cols = cols
        #: every line each case came from (its first, then a CSV case's event rows); ``None``:
        #: each case's one line, ``cols.lines`` (or its position, counted from 1)
        self._lines = None if lines is None else list(lines)
        self.invalid: list[InvalidLine] = list(invalid)

    @classmethod
    def from_records(cls, records: Sequence[CaseRecord], invalid: Sequence[InvalidLine] = ()) -> CaseBatch:
        """A batch of records read one at a time (e.g. from :func:`~slocalc.cases.read_cases`).

        >>> from slocalc.cases import CaseRecord, case_from_dict
        >>> case = case_from_dict({"id": "C-1", "severity": 2, "opened_at": "2026-03-02T09:00:00Z",
        ...                        "customer": {"tz": "UTC"}})
        >>> CaseBatch.from_records([CaseRecord(case, 4, (4,))]).line(0)
        4
        """
        for k, record in enumerate(records):
            if not isinstance(record, CaseRecord):
                raise SlocalcTypeError(
                    f"records[{k}]: expected a CaseRecord (what read_cases yields for a valid case), "
                    f"got {describe(record)}"
                )
        cols = columns_from_cases([r.case for r in records], [r.line for r in records])
        return cls(cols, invalid, [r.lines for r in records])

    @classmethod
    def from_lines(cls, lines: Iterable[tuple[int, str]]) -> CaseBatch:
        """A batch of JSON Lines text you already hold (a message queue's, a Dask or Spark
        partition's), each line with its number: read as :func:`~slocalc.cases.read_cases`
        reads a file, bad lines included (``invalid``), a case id given twice refused on its
        later line, blank lines skipped.

        >>> batch = CaseBatch.from_lines([
        ...     (7, '{"id": "C-1", "severity": 2, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"}}'),
        ...     (8, '{"id": "C-1", "severity": 3}'),
        ... ])
        >>> batch.ids, batch.line(0), batch.invalid[0].line
        (['C-1'], 7, 8)
        """
        from slocalc.cases._colread import ColumnBuilder

        pairs = list(lines)
        for k, pair in enumerate(pairs):
            if not (
                isinstance(pair, tuple)
                and len(pair) == 2
                and type(pair[0]) is int
                and isinstance(pair[1], str)
            ):
                raise SlocalcTypeError(
                    f"lines[{k}]: expected a (line number, text) pair such as (1, '{{\"id\": ...}}'), "
                    f"got {describe(pair)}"
                )
        cols, invalid = ColumnBuilder().build(pairs)
        return cls(cols, invalid)

    def __len__(self) -> int:
        return len(self._cols)

    def __repr__(self) -> str:
        return f"<CaseBatch of {len(self)} cases, {len(self.invalid)} invalid lines>"

    @property
    def ids(self) -> list[str]:
        """The cases' ids, in input order."""
        return self._cols.ids

    def line(self, i: int) -> int:
        """The line case ``i`` begins on (for a frame: its row, counted from 1)."""
        return self._lines_of(i)[0]

    def _lines_of(self, i: int) -> tuple[int, ...]:
        """Every line case ``i`` came from."""
        if self._lines is not None:
            return self._lines[i]
        lines = self._cols.lines
        return (lines[i] if lines is not None else i + 1,)

    def case(self, i: int) -> Case:
        """Case ``i`` as a validated :class:`~slocalc.cases.Case` (built on demand)."""
        return self._cols.case(i)

    def customer(self, i: int) -> Customer:
        """Case ``i``'s customer."""
        cols = self._cols
        return cols.customers[int(cols.customer[i])]

    def check(
        self, policy: object, *, now: datetime, at_risk: float | Fraction | Decimal = DEFAULT_AT_RISK
    ) -> list[CaseCheck | InvalidLine]:
        """Every case of the batch at ``now``, as :func:`~slocalc.cases.check_case` sees it.

        Like the readers, it does not raise on a bad case: a case the policy cannot check
        (a status or severity it does not have, a deadline past the supported range) comes
        as the :class:`InvalidLine` ``slocalc check`` reports, on the line the error names.

        Args:
            policy: the policy, e.g. :data:`slocalc.policies.RAPID7`.
            now: the instant of the check (aware).
            at_risk: the share of a target's clock time after which it is at risk, in (0, 1].

        Returns:
            One :class:`~slocalc.cases.CaseCheck` (or :class:`InvalidLine`) per case, in order.

        Raises:
            NaiveDatetimeError: ``now`` is naive.
            SlocalcTypeError: ``policy`` is not a Policy.
            SlocalcValueError: ``at_risk`` is not in (0, 1].
        """
        policy = _require_policy(policy)
        now = require_aware(now, "now")
        share = at_risk_share(at_risk)
        found = check_columns(self._cols, policy, now.astimezone(UTC), share)
        return [
            seen if seen is not None else self._scalar(i, policy, now, share)  # not taken: the scalar path
            for i, seen in enumerate(found)
        ]

    def _scalar(self, i: int, policy: Policy, now: datetime, share: Fraction) -> CaseCheck | InvalidLine:
        """Case ``i`` checked by :func:`~slocalc.cases.check_case` from the same input (a case
        the columnar replay declined), or the :class:`InvalidLine` its error makes."""
        case = self.case(i)
        try:
            return check_case(case, policy, now=now, at_risk=share)
        except Exception as exc:
            return CaseRecord(case, self.line(i), self._lines_of(i)).invalid(exc)

    def _checked(
        self, policy: Policy, now: datetime, share: Fraction
    ) -> tuple[Checked, list[tuple[int, CaseCheck | InvalidLine]]]:
        """What :meth:`check` finds, as columns (no ``CaseCheck`` per case): the columnar
        replay's :class:`~slocalc.cases._columnar.Checked`, and the cases it declined, each
        checked by :meth:`_scalar`, in case order. For ``slocalc check``, which tallies
        verdicts and renders alerts, and needs no object per case.

        >>> import io
        >>> from datetime import datetime, UTC
        >>> from fractions import Fraction
        >>> from slocalc.cases import read_cases
        >>> from slocalc.policies import RAPID7
        >>> text = '{"id": "C-1", "severity": 1, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"}}\\n'
        >>> batch = next(read_cases(io.StringIO(text)).batches())
        >>> found, others = batch._checked(RAPID7, datetime(2026, 3, 2, 12, 0, tzinfo=UTC), Fraction(3, 4))
        >>> found.replayed.tolist(), [a.kind for a in found.alerts[0]], others
        ([True], ['breached'], [])
        """
        found = replay_columns(self._cols, policy, now.astimezone(UTC), share)
        others = [(i, self._scalar(i, policy, now, share)) for i in found.declined.nonzero()[0].tolist()]
        return found, others
