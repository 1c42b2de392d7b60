"""Structural breaches: which targets no staffing could meet, for a grid of arrivals.

Definition (also in ``docs/guides/staffing.md``). For an arrival ``t``, a customer and a
target with deadline ``D = policy.due(severity, metric, t, customer)``:

* the *first response* is ``R = union.next_open(t)``, the first instant any chosen center
  is open at or after ``t``;
* the *staffed time* is ``union.between(t, D)``, the time in ``[t, D)`` during which at
  least one chosen center is open;
* the target *could be met* when the staffed time is positive (and at least
  ``min_staffed``). With ``min_staffed = 0`` this is exactly ``R < D``: some center is
  open at some instant of ``[t, D)``. A center that opens exactly at ``D`` does not count:
  a response at ``D`` would be on time (see docs/concepts/case-lifecycle.md), but nobody was on shift before it
  to write it, so a plan that relies on it has zero staffed time for the case;
* otherwise the arrival is *structurally breached* for that target: no staffing of the
  chosen centers could answer in time, however idle they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, TypeAlias, final

from slocalc._display import ProgressArg, RecordList, track, zone_name
from slocalc._time import ONE_US, US_PER_DAY, from_us, require_aware, require_timedelta, resolve_zone, to_us
from slocalc.calendars import NEVER_US, ZoneTable
from slocalc.errors import SlocalcTypeError, SlocalcValueError, did_you_mean
from slocalc.policies import Customer, Policy, Target
from slocalc.staffing._extras import DAY_NAMES, numpy, pandas
from slocalc.staffing._scenario import StaffingArg, as_scenario

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "PROGRESS_LABEL",
    "ArrivalResult",
    "BreachAnalysis",
    "BreachCell",
    "BreachSummary",
    "CustomersArg",
    "HourShare",
    "structural_breaches",
]

_HOUR = timedelta(hours=1)
_MAX_ARRIVALS: Final = 5_000_000
_GROUP_FIELDS: Final = ("severity", "metric", "customer")
_SUMMARY_CATEGORIES: Final = ("scenario", "metric", "customer")

CustomersArg: TypeAlias = Mapping[str, Customer] | Iterable[Customer | str]


@final
@dataclass(frozen=True, slots=True)
class BreachSummary:
    """The share of arrivals that no center could answer in time, for one group.

    A field the summary was not grouped by is ``None`` (e.g. ``customer`` in a summary
    ``by=("severity", "metric")``).

    Attributes:
        scenario: the scenario's name.
        severity: the severity level.
        metric: the target's metric, e.g. ``"initial_response"``.
        customer: the customer profile's label (its zone unless a mapping named it).
        arrivals: how many arrivals the group holds.
        breached: how many of them are structurally breached.
        share: ``breached / arrivals`` (0.0 for an empty group).
    """

    scenario: str
    severity: int | None
    metric: str | None
    customer: str | None
    arrivals: int
    breached: int
    share: float


@final
@dataclass(frozen=True, slots=True)
class ArrivalResult:
    """One arrival, one customer, one target.

    Attributes:
        arrival: the arrival instant, in the tzinfo of the range's start.
        customer: the customer profile's label.
        severity: the severity level.
        metric: the target's metric.
        due_at: the target's deadline for this arrival (``policy.due``).
        first_response: the first instant a chosen center is open at or after ``arrival``
            (``None`` when none opens within 10 years).
        staffed: time in ``[arrival, due_at)`` when at least one chosen center is open.
        breached: ``True`` when no center could answer in time (see the module docs).
    """

    arrival: datetime
    customer: str
    severity: int
    metric: str
    due_at: datetime
    first_response: datetime | None
    staffed: timedelta
    breached: bool


@final
@dataclass(frozen=True, slots=True)
class HourShare:
    """Structural breaches of the arrivals in one hour of the week, for one customer.

    Attributes:
        customer: the customer profile's label.
        hour_of_week: 0 for Monday 00:00-01:00 up to 167 for Sunday 23:00-24:00.
        day: ``"Mon"`` to ``"Sun"``.
        hour: 0 to 23.
        arrivals: arrivals in that hour over the whole range.
        breached: how many were structurally breached.
        share: ``breached / arrivals`` (0.0 when no arrival fell in that hour).
    """

    customer: str
    hour_of_week: int
    day: str
    hour: int
    arrivals: int
    breached: int
    share: float


@final
@dataclass(frozen=True, slots=True, eq=False)
class BreachCell:
    """One customer × target column of a :class:`BreachAnalysis`: numpy arrays aligned
    with :attr:`BreachAnalysis.arrival_us` (one value per arrival).

    Attributes:
        due_at_us: each arrival's deadline, ``int64`` UTC microseconds.
        staffed_us: staffed time in ``[arrival, due_at)``, ``int64`` microseconds.
        breached: ``bool``, whether the arrival is structurally breached.
    """

    due_at_us: NDArray[np.int64]
    staffed_us: NDArray[np.int64]
    breached: NDArray[np.bool_]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BreachCell):
            return NotImplemented
        np = numpy()
        return all(
            np.array_equal(x, y)
            for x, y in (
                (self.due_at_us, other.due_at_us),
                (self.staffed_us, other.staffed_us),
                (self.breached, other.breached),
            )
        )

    __hash__ = None  # type: ignore[assignment]  # holds arrays, like a list


#: a cell's key: ``(customer label, severity, metric)``
CellKey: TypeAlias = tuple[str, int, str]


@final
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class BreachAnalysis:
    """The result of :func:`structural_breaches`: every arrival × customer × target.

    Read it as summaries (:meth:`summary`, :meth:`by_hour_of_week`), as detailed records
    (:meth:`results`), as DataFrames (:meth:`to_frame`, with ``slocalc[pandas]``) or as a
    heatmap (:meth:`heatmap`, with ``slocalc[plot]``). Immutable (its arrays are
    read-only), picklable, and equal to another analysis with the same grid and results.

    Attributes:
        scenario: the scenario's name.
        policy: the policy's name.
        start: the first arrival (its tzinfo is the one results are shown in).
        end: the end of the arrival range, excluded.
        step: the arrival spacing.
        customers: the customer profiles' labels, in order.
        zones: each customer label's IANA zone.
        targets: the ``(severity, metric)`` pairs analysed, in order.
        arrival_us: the arrival instants, ``int64`` UTC microseconds.
        first_response_us: each arrival's first open instant of the scenario's union,
            ``int64`` UTC microseconds (``2**63 - 1`` when none within 10 years).
        cells: one :class:`BreachCell` per ``(customer, severity, metric)``.
    """

    scenario: str
    policy: str
    start: datetime
    end: datetime
    step: timedelta
    customers: tuple[str, ...]
    zones: Mapping[str, str]
    targets: tuple[tuple[int, str], ...]
    arrival_us: NDArray[np.int64]
    first_response_us: NDArray[np.int64]
    cells: Mapping[CellKey, BreachCell]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BreachAnalysis):
            return NotImplemented
        np = numpy()
        return (
            self._key() == other._key()
            and dict(self.zones) == dict(other.zones)
            and np.array_equal(self.arrival_us, other.arrival_us)
            and np.array_equal(self.first_response_us, other.first_response_us)
            and dict(self.cells) == dict(other.cells)
        )

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[object, ...]:
        return (self.scenario, self.policy, self.start, self.end, self.step, self.customers, self.targets)

    def __repr__(self) -> str:
        return (
            f"<BreachAnalysis {self.scenario!r}: {len(self.arrival_us)} arrivals x "
            f"{len(self.customers)} customers x {len(self.targets)} targets, "
            f"{self.start.isoformat()} to {self.end.isoformat()}>"
        )

    # -- reading ---------------------------------------------------------------------------

    @property
    def arrivals(self) -> list[datetime]:
        """The arrival instants, in the tzinfo of the range's start."""
        tz = self.start.tzinfo
        return [from_us(v, tz) for v in self.arrival_us.tolist()]

    def _select(
        self, severity: int | None, metric: str | None, customer: str | None
    ) -> list[tuple[str, int, str]]:
        if severity is not None and severity not in {s for s, _ in self.targets}:
            raise SlocalcValueError(
                f"severity: {severity!r} is not in this analysis; it has {sorted({s for s, _ in self.targets})}"
            )
        metrics = sorted({m for _, m in self.targets})
        if metric is not None and metric not in metrics:
            raise SlocalcValueError(
                f"metric: {metric!r} is not in this analysis; it has {metrics}{did_you_mean(metric, metrics)}"
            )
        if customer is not None and customer not in self.customers:
            raise SlocalcValueError(
                f"customer: {customer!r} is not in this analysis; it has {list(self.customers)}"
                f"{did_you_mean(customer, self.customers)}"
            )
        return [
            (c, s, m)
            for (s, m) in self.targets
            for c in self.customers
            if (severity is None or s == severity)
            and (metric is None or m == metric)
            and (customer is None or c == customer)
        ]

    def breached_mask(self, severity: int, metric: str, customer: str) -> Any:
        """The numpy boolean array: which arrivals are structurally breached for one cell."""
        key = (customer, severity, metric)
        if key not in self.cells:
            self._select(severity, metric, customer)
            raise SlocalcValueError(f"severity {severity} has no {metric!r} target in this analysis")
        return self.cells[key].breached

    def summary(self, *, by: Sequence[str] = _GROUP_FIELDS) -> RecordList[BreachSummary]:
        """The share of structurally breached arrivals, per group.

        Args:
            by: the fields to group by, any of ``"severity"``, ``"metric"``,
                ``"customer"`` (default: all three, one record per cell). ``()`` gives
                one overall record.

        Raises:
            ValueError: an unknown field in ``by``.
        """
        for f in by:
            if f not in _GROUP_FIELDS:
                raise SlocalcValueError(
                    f"by: unknown field {f!r}; expected some of {', '.join(_GROUP_FIELDS)}"
                    f"{did_you_mean(f, _GROUP_FIELDS)}"
                )
        groups: dict[tuple[Any, ...], list[int]] = {}
        n = len(self.arrival_us)
        for c, s, m in self._select(None, None, None):
            key = (
                s if "severity" in by else None,
                m if "metric" in by else None,
                c if "customer" in by else None,
            )
            acc = groups.setdefault(key, [0, 0])
            acc[0] += n
            acc[1] += int(self.cells[(c, s, m)].breached.sum())
        return RecordList(
            (
                BreachSummary(self.scenario, s, m, c, total, hit, hit / total if total else 0.0)
                for (s, m, c), (total, hit) in groups.items()
            ),
            categories=_SUMMARY_CATEGORIES,
        )

    def share(
        self, severity: int | None = None, metric: str | None = None, customer: str | None = None
    ) -> float:
        """The share of breached arrivals over the selected cells (all when ``None``)."""
        cells = self._select(severity, metric, customer)
        total = len(cells) * len(self.arrival_us)
        hit = sum(int(self.cells[k].breached.sum()) for k in cells)
        return hit / total if total else 0.0

    def results(
        self,
        *,
        severity: int | None = None,
        metric: str | None = None,
        customer: str | None = None,
        breached_only: bool = False,
    ) -> RecordList[ArrivalResult]:
        """Detailed records, one per arrival × customer × target (filter to keep it small).

        Instants are in the tzinfo of the range's start.
        """
        out: RecordList[ArrivalResult] = RecordList(
            instant_columns=("arrival", "due_at", "first_response"),
            span_columns=("staffed",),
            categories=("customer", "metric"),
        )
        np = numpy()
        tz = self.start.tzinfo
        arrivals = self.arrivals
        first = [None if v == NEVER_US else from_us(v, tz) for v in self.first_response_us.tolist()]
        for c, s, m in self._select(severity, metric, customer):
            cell = self.cells[(c, s, m)]
            breached = cell.breached
            idx = np.flatnonzero(breached) if breached_only else range(len(arrivals))
            for i in idx:
                out.append(
                    ArrivalResult(
                        arrivals[i],
                        c,
                        s,
                        m,
                        from_us(int(cell.due_at_us[i]), tz),
                        first[i],
                        ONE_US * int(cell.staffed_us[i]),
                        bool(breached[i]),
                    )
                )
        return out

    def hour_counts(
        self, severity: int, metric: str = "initial_response", *, tz: str = "customer"
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Arrivals and breached arrivals per customer and hour of the week.

        Args:
            severity: the severity level.
            metric: the target's metric.
            tz: ``"customer"`` (each customer's own wall clock) or an IANA name.

        Returns:
            Two ``int64`` matrices, customers (in order) × 168 hours (Monday 00:00 first):
            how many arrivals fell in each hour, and how many of them were breached.
        """
        self._select(severity, metric, None)
        np = numpy()
        rows = len(self.customers)
        total = np.zeros((rows, 168), dtype=np.int64)
        hit = np.zeros((rows, 168), dtype=np.int64)
        cache: dict[str, Any] = {}
        for r, c in enumerate(self.customers):
            zone_name = self.zones[c] if tz == "customer" else tz
            how = cache.get(zone_name)
            if how is None:
                how = cache[zone_name] = _hour_of_week(resolve_zone(zone_name), self.arrival_us)
            total[r] = np.bincount(how, minlength=168)
            hit[r] = np.bincount(how, weights=self.breached_mask(severity, metric, c), minlength=168).astype(
                np.int64
            )
        return total, hit

    def by_hour_of_week(
        self, severity: int, metric: str = "initial_response", *, tz: str = "customer"
    ) -> RecordList[HourShare]:
        """Breach shares per customer and hour of the week of the arrival.

        Args:
            severity: the severity level.
            metric: the target's metric.
            tz: ``"customer"`` (default) buckets each arrival by the hour on its customer's
                own wall clock ("Monday 09:00 in New York"); an IANA name buckets everyone
                by that zone's wall clock.
        """
        total, hit = self.hour_counts(severity, metric, tz=tz)
        out: RecordList[HourShare] = RecordList(categories={"customer": None, "day": DAY_NAMES})
        for r, c in enumerate(self.customers):
            for h in range(168):
                n, k = int(total[r, h]), int(hit[r, h])
                out.append(HourShare(c, h, DAY_NAMES[h // 24], h % 24, n, k, k / n if n else 0.0))
        return out

    def to_frame(self, *, detail: bool = False) -> Any:
        """A pandas DataFrame: the :meth:`summary` records, or with ``detail=True`` one row
        per arrival × customer × target (built column-wise from arrays, fast).

        Typed as docs/notebooks/index.md ("Typed frames") says: instants are
        ``datetime64[us, zone]`` in the zone of the range's start, ``staffed`` is
        ``timedelta64[us]``, ``scenario``, ``customer`` and ``metric`` are categoricals.

        Raises:
            MissingExtraError: pandas is not installed (``pip install 'slocalc[pandas]'``).
        """
        pd = pandas()
        if not detail:
            return self.summary().to_frame()
        np = numpy()
        cells = self._select(None, None, None)
        n = len(self.arrival_us)

        zone = zone_name(self.start.tzinfo)

        def stamp(values: Any) -> Any:
            masked = np.where(values == NEVER_US, np.iinfo(np.int64).min, values).astype(np.int64)
            return pd.DatetimeIndex(masked.view("datetime64[us]")).tz_localize("UTC").tz_convert(zone)

        k = len(cells)
        metrics = sorted({m for _, m in self.targets})
        due_at = np.concatenate([self.cells[c].due_at_us for c in cells]) if k else np.zeros(0, np.int64)
        staffed = np.concatenate([self.cells[c].staffed_us for c in cells]) if k else np.zeros(0, np.int64)
        breached = np.concatenate([self.cells[c].breached for c in cells]) if k else np.zeros(0, bool)
        return pd.DataFrame(
            {
                "arrival": stamp(np.tile(self.arrival_us, k)),
                "customer": pd.Categorical.from_codes(
                    np.repeat(np.array([self.customers.index(c) for c, _, _ in cells], dtype=np.int64), n),
                    categories=list(self.customers),
                ),
                "severity": np.repeat(np.array([s for _, s, _ in cells], dtype=np.int64), n),
                "metric": pd.Categorical.from_codes(
                    np.repeat(np.array([metrics.index(m) for _, _, m in cells], dtype=np.int64), n),
                    categories=metrics,
                ),
                "due_at": stamp(due_at),
                "first_response": stamp(np.tile(self.first_response_us, k)),
                "staffed": staffed.astype(np.int64).view("timedelta64[us]"),
                "breached": breached,
            }
        )

    def heatmap(
        self, severity: int, metric: str = "initial_response", *, tz: str = "customer", ax: Any = None
    ) -> Any:
        """A heatmap of breach shares: hour of week × customer (``slocalc[plot]``).

        Args:
            severity: the severity level.
            metric: the target's metric.
            tz: ``"customer"`` for each customer's own wall clock, or an IANA name.
            ax: a matplotlib ``Axes`` to draw on; a new figure when ``None``.

        Returns:
            The matplotlib ``Figure``.
        """
        np = numpy()
        total, hit = self.hour_counts(severity, metric, tz=tz)
        share = np.divide(hit, total, out=np.zeros(hit.shape, dtype=float), where=total > 0)
        clock = "customer's local time" if tz == "customer" else tz
        from slocalc._display import heatmap

        return heatmap(
            share,
            self.customers,
            title=f"{self.scenario}: severity {severity} {metric}, structurally breached share",
            colorbar="share of arrivals",
            xlabel=f"hour of week ({clock})",
            ax=ax,
            empty_note="no structural breaches",
        )

    def _repr_html_(self) -> str:
        from slocalc._display import analysis_html

        return analysis_html(self)


def _customers(customers: CustomersArg) -> tuple[tuple[str, Customer], ...]:
    if isinstance(customers, (str, Customer)):
        raise SlocalcTypeError(
            f"customers: got a single {type(customers).__name__} {customers!r}; pass a list, e.g. [{customers!r}]"
        )
    out: dict[str, Customer] = {}
    if isinstance(customers, Mapping):
        for label, c in customers.items():
            if not isinstance(c, Customer):
                raise SlocalcTypeError(
                    f"customers[{label!r}]: expected a Customer, got {type(c).__name__} {c!r}"
                )
            out[str(label)] = c
    else:
        for item in customers:
            c = Customer(tz=item) if isinstance(item, str) else item
            if not isinstance(c, Customer):
                raise SlocalcTypeError(
                    f"customers: expected Customer values or zone names, got {type(item).__name__} {item!r}"
                )
            if c.tz in out and out[c.tz] != c:
                raise SlocalcValueError(
                    f"customers: two different customers in {c.tz!r}; name them with a mapping, "
                    f"e.g. {{'{c.tz} ({c.country})': Customer(...)}}"
                )
            out[c.tz] = c
    if not out:
        raise SlocalcValueError("customers: expected at least one customer profile")
    return tuple(out.items())


def _frozen(*arrays: Any) -> tuple[Any, ...]:
    """The arrays, made read-only (a :class:`BreachAnalysis` is immutable)."""
    for x in arrays:
        x.flags.writeable = False
    return arrays


def _hour_of_week(zone: ZoneInfo, u: Any) -> Any:
    """Hour of the local week (0 = Monday 00:00-01:00) of each instant in ``zone``."""
    local = ZoneTable.covering(zone, int(u.min()), int(u.max())).local(u) if len(u) else u
    days = local // US_PER_DAY
    hour = (local - days * US_PER_DAY) // (3600 * 1_000_000)
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
    return weekday * 24 + hour


#: the progress bar's label of :func:`structural_breaches` (``compare`` names A and B)
PROGRESS_LABEL: ContextVar[str] = ContextVar("slocalc_staffing_progress_label", default="analysing")


def structural_breaches(
    policy: Policy,
    centers: StaffingArg,
    customers: CustomersArg,
    severities: Iterable[int] | None,
    a: datetime,
    b: datetime,
    step: timedelta = _HOUR,
    *,
    metrics: Iterable[str] | None = None,
    min_staffed: timedelta = timedelta(0),
    progress: ProgressArg = None,
) -> BreachAnalysis:
    """Which targets no staffing of ``centers`` could meet, for a grid of arrivals.

    Arrivals are ``a, a + step, a + 2·step, ...`` before ``b`` (elapsed time). For each
    arrival, customer profile and target of each severity, the deadline comes from the
    policy (``policy.due``, on the target's clock: the customer's business hours, 24x7,
    ...). The arrival is *structurally breached* for the target when no chosen center is
    open at any instant in ``[arrival, deadline)`` (or for less than ``min_staffed``):
    however idle its engineers, nobody is on shift to answer before the deadline. A
    center opening exactly at the deadline does not count (see the staffing guide).

    Every target is evaluated as if its clock started at the arrival: for ``update``
    targets read the arrival as the start of an update cycle.

    Args:
        policy: the policy, e.g. :data:`~slocalc.policies.RAPID7`.
        centers: a :class:`~slocalc.staffing.Scenario` or a ``centers=`` selection
            (``None`` for the guidebook's six).
        customers: customer profiles: :class:`~slocalc.policies.Customer` values or IANA
            zone names (labelled by zone), or a mapping ``{label: Customer}``.
        severities: the levels to analyse; ``None`` for all of the policy's.
        a: first arrival (aware); results are in its tzinfo.
        b: end of the arrival range, excluded (aware).
        step: the arrival spacing, positive.
        metrics: the metrics to analyse; default each severity's own targets (policy-wide
            targets such as ``support_contact_change`` only when named here).
        min_staffed: require at least this much staffed time before the deadline (default:
            any open instant at all).
        progress: report progress over the customer × target cells: ``True`` for a bar
            (tqdm when installed, else a text bar on standard error), or a callable
            ``progress(done, total)``; ``None`` (default) reports nothing.

    Returns:
        A :class:`BreachAnalysis`.

    Raises:
        NaiveDatetimeError: ``a`` or ``b`` is naive.
        PolicyError: an unknown severity or metric.
        MissingExtraError: numpy is not installed (``pip install 'slocalc[pandas]'``).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from slocalc.policies import RAPID7
    >>> ny = ZoneInfo("America/New_York")
    >>> res = structural_breaches(
    ...     RAPID7, ["singapore"], ["America/New_York"], [2],
    ...     datetime(2026, 1, 12, 9, tzinfo=ny), datetime(2026, 1, 12, 10, tzinfo=ny),
    ...     metrics=["initial_response"],
    ... )
    >>> (r,) = res.results()
    >>> r.due_at.isoformat(), r.first_response.isoformat(), r.breached
    ('2026-01-12T13:00:00-05:00', '2026-01-12T19:00:00-05:00', True)

    With ``progress=`` a callable hears of each customer × target cell analysed:

    >>> seen = []
    >>> _ = structural_breaches(
    ...     RAPID7, ["singapore"], ["America/New_York", "Asia/Tokyo"], [2],
    ...     datetime(2026, 1, 12, 9, tzinfo=ny), datetime(2026, 1, 12, 10, tzinfo=ny),
    ...     metrics=["initial_response"], progress=lambda done, total: seen.append((done, total)),
    ... )
    >>> seen
    [(1, 2), (2, 2)]
    """
    np = numpy()
    require_aware(a, "a")
    require_aware(b, "b")
    require_timedelta(step, "step")
    require_timedelta(min_staffed, "min_staffed")
    if step <= timedelta(0):
        raise SlocalcValueError(f"step: must be positive, got {step!r}")
    if min_staffed < timedelta(0):
        raise SlocalcValueError(f"min_staffed: must be zero or positive, got {min_staffed!r}")
    scen = as_scenario(centers)
    profiles = _customers(customers)
    if isinstance(severities, int):
        raise SlocalcTypeError(
            f"severities: got the single level {severities!r}; pass a list, e.g. [{severities!r}], or None for all"
        )
    levels = policy.levels if severities is None else tuple(severities)
    wanted = None if metrics is None else tuple(metrics)
    targets: list[tuple[int, str, Target]] = []
    for s in levels:
        names = tuple(policy.severity(s).targets) if wanted is None else wanted
        targets.extend((s, m, policy.target(s, m)) for m in names)

    ua, ub, ustep = to_us(a), to_us(b), step // ONE_US
    count = max(0, -(-(ub - ua) // ustep))
    if count > _MAX_ARRIVALS:
        raise SlocalcValueError(
            f"step: {count} arrivals between a and b; at most {_MAX_ARRIVALS}, use a larger step"
        )
    u = ua + ustep * np.arange(count, dtype=np.int64)
    union = scen.union()
    first = union.next_open_many(u, strict=False)
    need = max(min_staffed // ONE_US, 1)
    cells: dict[CellKey, BreachCell] = {}
    grid = [(label, customer, s, m, target) for label, customer in profiles for s, m, target in targets]
    for label, customer, s, m, target in track(grid, progress=progress, desc=PROGRESS_LABEL.get()):
        due_at = target.resolve(customer).due_many(u)
        staffed = union.between_many(u, due_at) if count else np.zeros(0, dtype=np.int64)
        cells[(label, s, m)] = BreachCell(*_frozen(due_at, staffed, staffed < need))
    return BreachAnalysis(
        scenario=scen.name,
        policy=policy.name,
        start=a,
        end=b,
        step=step,
        customers=tuple(label for label, _ in profiles),
        zones={label: c.tz for label, c in profiles},
        targets=tuple((s, m) for s, m, _ in targets),
        arrival_us=_frozen(u)[0],
        first_response_us=_frozen(first)[0],
        cells=cells,
    )
