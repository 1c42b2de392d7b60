"""``compare``: two staffing scenarios side by side, with the differences."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, final

from slocalc._display import ProgressArg, RecordList
from slocalc.errors import SlocalcTypeError, SlocalcValueError
from slocalc.policies import Policy
from slocalc.staffing._breaches import PROGRESS_LABEL, BreachAnalysis, CustomersArg, structural_breaches
from slocalc.staffing._coverage import coverage_table
from slocalc.staffing._extras import numpy
from slocalc.staffing._scenario import StaffingArg, as_scenario

__all__ = ["Comparison", "ComparisonRow", "compare", "coverage_heatmap"]

_HOUR = timedelta(hours=1)


@final
@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One severity × metric × customer cell under two scenarios.

    Attributes:
        severity: the severity level.
        metric: the target's metric.
        customer: the customer profile's label.
        arrivals: arrivals in the cell (the same grid for both scenarios).
        breached_a: structurally breached arrivals under scenario A.
        breached_b: under scenario B.
        share_a: ``breached_a / arrivals``.
        share_b: ``breached_b / arrivals``.
        change: ``share_b - share_a`` (positive: B is worse).
        newly_breached: arrivals breached under B but not under A.
        newly_met: arrivals breached under A but not under B.
    """

    severity: int
    metric: str
    customer: str
    arrivals: int
    breached_a: int
    breached_b: int
    share_a: float
    share_b: float
    change: float
    newly_breached: int
    newly_met: int


@final
@dataclass(frozen=True, slots=True, repr=False)
class Comparison:
    """The result of :func:`compare`: both analyses and their cell-by-cell differences.

    Attributes:
        a: the analysis of scenario A.
        b: the analysis of scenario B, on the same grid.
        rows: one :class:`ComparisonRow` per severity × metric × customer cell.
    """

    a: BreachAnalysis
    b: BreachAnalysis
    rows: tuple[ComparisonRow, ...]

    def __repr__(self) -> str:
        return f"<Comparison {self.a.scenario!r} vs {self.b.scenario!r}: {len(self.rows)} cells>"

    def changed(self) -> RecordList[ComparisonRow]:
        """The rows where some arrival changed outcome, largest change first."""
        moved = [r for r in self.rows if r.newly_breached or r.newly_met]
        return RecordList(
            sorted(moved, key=lambda r: (-abs(r.change), r.severity, r.metric, r.customer)),
            categories=_CATEGORIES,
        )

    def totals(self) -> RecordList[ComparisonRow]:
        """One row per severity × metric, all customers together (``customer="*"``)."""
        acc: dict[tuple[int, str], list[int]] = {}
        for r in self.rows:
            v = acc.setdefault((r.severity, r.metric), [0, 0, 0, 0, 0])
            for i, x in enumerate((r.arrivals, r.breached_a, r.breached_b, r.newly_breached, r.newly_met)):
                v[i] += x
        return RecordList((_row(s, m, "*", *v) for (s, m), v in acc.items()), categories=_CATEGORIES)

    def to_frame(self) -> Any:
        """The rows as a pandas DataFrame (``slocalc[pandas]``), ``metric`` and ``customer``
        as categoricals (see docs/notebooks/index.md, "Typed frames")."""
        return RecordList(self.rows, categories=_CATEGORIES).to_frame()

    def describe(self, *, top: int = 3) -> str:
        """A short written conclusion computed from the numbers.

        One line per severity × metric whose breach share changed, with the customers hit
        hardest; a single line when nothing changed.
        """
        a, b = self.a.scenario, self.b.scenario
        lines = []
        for t in self.totals():
            if not (t.newly_breached or t.newly_met):
                continue
            worst = [
                r
                for r in self.changed()
                if (r.severity, r.metric) == (t.severity, t.metric) and r.change != 0
            ][:top]
            who = ", ".join(f"{r.customer} {_pct(r.share_a)} -> {_pct(r.share_b)}" for r in worst)
            lines.append(
                f"severity {t.severity} {t.metric}: {_pct(t.share_a)} -> {_pct(t.share_b)} of arrivals "
                f"structurally breached ({_points(t.change)}; {t.newly_breached} newly breached, "
                f"{t.newly_met} newly met)" + (f"; most affected: {who}" if who else "")
            )
        if not lines:
            return f"{b!r} vs {a!r}: no arrival changes outcome for any target."
        return f"{b!r} vs {a!r}:\n" + "\n".join(f"  - {line}" for line in lines)

    def heatmap(
        self, severity: int, metric: str = "initial_response", *, tz: str = "customer", ax: Any = None
    ) -> Any:
        """Change in breach share (B minus A), hour of week × customer (``slocalc[plot]``).

        Red: B breaches more arrivals in that hour; blue: fewer.
        """
        np = numpy()
        ta, ha = self.a.hour_counts(severity, metric, tz=tz)
        _, hb = self.b.hour_counts(severity, metric, tz=tz)
        diff = np.divide(hb - ha, ta, out=np.zeros(ta.shape, dtype=float), where=ta > 0)
        clock = "customer's local time" if tz == "customer" else tz
        from slocalc._display import heatmap

        return heatmap(
            diff,
            self.a.customers,
            title=f"{self.b.scenario} vs {self.a.scenario}: severity {severity} {metric}, change in breached share",
            colorbar="change in share (B - A)",
            cmap="RdBu_r",
            vmin=-1.0,
            vmax=1.0,
            xlabel=f"hour of week ({clock})",
            ax=ax,
            empty_note=f"no change: no arrival changes outcome for severity {severity} {metric}",
        )

    def _repr_html_(self) -> str:
        from slocalc._display import comparison_html

        return comparison_html(self)


_CATEGORIES = ("metric", "customer")


def _pct(x: float) -> str:
    if 0 < x < 0.0005:
        return "<0.1%"
    return f"{100 * x:.1f}%"


def _points(x: float) -> str:
    if 0 < abs(x) < 0.0005:
        return f"{'+' if x > 0 else '-'}<0.1 points"
    return f"{100 * x:+.1f} points"


def _row(s: int, m: str, c: str, n: int, ba: int, bb: int, nb: int, nm: int) -> ComparisonRow:
    sa = ba / n if n else 0.0
    sb = bb / n if n else 0.0
    return ComparisonRow(s, m, c, n, ba, bb, sa, sb, sb - sa, nb, nm)


def _same_grid(a: BreachAnalysis, b: BreachAnalysis) -> None:
    np = numpy()
    problems = []
    if not np.array_equal(a.arrival_us, b.arrival_us):
        problems.append("arrival grids differ")
    if a.customers != b.customers or dict(a.zones) != dict(b.zones):
        problems.append("customer profiles differ")
    if a.targets != b.targets:
        problems.append("severities or metrics differ")
    if problems:
        raise SlocalcValueError(
            f"compare: analyses {a.scenario!r} and {b.scenario!r} are not on one grid ({'; '.join(problems)}); "
            f"run structural_breaches with the same policy, customers, severities, range and step"
        )


def compare(
    scenario_a: StaffingArg | BreachAnalysis,
    scenario_b: StaffingArg | BreachAnalysis,
    policy: Policy | None = None,
    customers: CustomersArg | None = None,
    severities: Iterable[int] | None = None,
    a: datetime | None = None,
    b: datetime | None = None,
    step: timedelta = _HOUR,
    *,
    metrics: Iterable[str] | None = None,
    min_staffed: timedelta = timedelta(0),
    progress: ProgressArg = None,
) -> Comparison:
    """Structural breaches under two staffing scenarios, side by side.

    Either pass two :class:`BreachAnalysis` results computed on one grid, or two scenarios
    and the arguments of :func:`structural_breaches` (``policy``, ``customers``,
    ``severities``, ``a``, ``b``, ``step``, ...), which runs it for both.

    ``progress=`` (``True`` for a bar, or a callable ``progress(done, total)``) reports the
    two analyses' progress as :func:`structural_breaches` does, A then B.

    Returns:
        A :class:`Comparison`: ``.rows`` (one :class:`ComparisonRow` per cell),
        :meth:`~Comparison.totals`, :meth:`~Comparison.describe`,
        :meth:`~Comparison.to_frame`, :meth:`~Comparison.heatmap`.

    Raises:
        ValueError: two analyses on different grids, or missing arguments.

    >>> from datetime import UTC, datetime
    >>> from slocalc.policies import RAPID7
    >>> from slocalc.staffing import Scenario
    >>> base = Scenario.guidebook()
    >>> cmp = compare(
    ...     base, base.without("singapore"), RAPID7, ["Asia/Tokyo"], [2],
    ...     datetime(2026, 1, 12, tzinfo=UTC), datetime(2026, 1, 19, tzinfo=UTC),
    ...     metrics=["initial_response"],
    ... )
    >>> (row,) = cmp.rows
    >>> row.breached_a, row.breached_b
    (0, 68)
    """
    if isinstance(scenario_a, BreachAnalysis) or isinstance(scenario_b, BreachAnalysis):
        if not (isinstance(scenario_a, BreachAnalysis) and isinstance(scenario_b, BreachAnalysis)):
            raise SlocalcTypeError(
                "compare: pass two BreachAnalysis results, or two scenarios with the analysis arguments"
            )
        ra, rb = scenario_a, scenario_b
    else:
        missing = [
            n for n, v in (("policy", policy), ("customers", customers), ("a", a), ("b", b)) if v is None
        ]
        if missing:
            raise SlocalcValueError(f"compare: {', '.join(missing)} required to analyse two scenarios")
        assert policy is not None
        assert customers is not None
        assert a is not None
        assert b is not None
        sa, sb = as_scenario(scenario_a, "A"), as_scenario(scenario_b, "B")
        if sa.name == sb.name:
            sb = type(sb)(f"{sb.name} (B)", sb.centers)
        args = (customers, severities, a, b, step)
        found = []
        for sx, desc in ((sa, "analysing A"), (sb, "analysing B")):
            token = PROGRESS_LABEL.set(desc)
            try:
                found.append(
                    structural_breaches(
                        policy, sx, *args, metrics=metrics, min_staffed=min_staffed, progress=progress
                    )
                )
            finally:
                PROGRESS_LABEL.reset(token)
        ra, rb = found
    _same_grid(ra, rb)
    rows = []
    for s, m in ra.targets:
        for c in ra.customers:
            ma, mb = ra.breached_mask(s, m, c), rb.breached_mask(s, m, c)
            n = len(ma)
            rows.append(
                _row(s, m, c, n, int(ma.sum()), int(mb.sum()), int((mb & ~ma).sum()), int((ma & ~mb).sum()))
            )
    return Comparison(ra, rb, tuple(rows))


def coverage_heatmap(week_of: date, centers: StaffingArg = None, *, tz: str = "UTC", ax: Any = None) -> Any:
    """Who is open each hour of one week: hour of week × center (``slocalc[plot]``).

    A bottom row ``"any"`` shows whether at least one center is open; holidays in the week
    show as closed hours.

    Returns:
        The matplotlib ``Figure``.
    """
    np = numpy()
    scen = as_scenario(centers)
    rows = coverage_table(week_of, scen, tz=tz, step=_HOUR)
    keys = scen.keys
    matrix = np.zeros((len(keys) + 1, len(rows)), dtype=float)
    for j, r in enumerate(rows):
        for i, k in enumerate(keys):
            matrix[i, j] = k in r.centers
        matrix[len(keys), j] = r.count > 0
    from slocalc._display import heatmap

    return heatmap(
        matrix,
        [*keys, "any"],
        week_start=rows[0].start.date(),
        title=f"{scen.name}: centers open, week of {rows[0].start.date().isoformat()} ({tz})",
        colorbar="open",
        cmap="Greens",
        xlabel=f"hour of week ({tz})",
        ax=ax,
    )
