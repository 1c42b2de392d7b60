"""``due_many``: the deadlines of a whole frame of cases at once.

Rows are grouped by the :class:`~slocalc.policies.Deadline` they resolve to (``policy.deadline``:
severity, and the customer where its tier or clock matters), and each group is one vectorised call of the
engine (:meth:`Deadline.due_many`, over ``int64`` UTC microseconds). Every answer equals
``policy.due(severity, metric, start, customer)`` row by row. See docs/guides/dataframes.md.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from slocalc.calendars import NEVER_US, read_column
from slocalc.errors import SlocalcTypeError, SlocalcValueError

if TYPE_CHECKING:  # pragma: no cover
    from slocalc.policies._customer import Customer
    from slocalc.policies._policy import Policy

__all__ = ["due_many"]


def _values(np: Any, x: Any, param: str, n: int) -> Any:
    """A one-dimensional numpy array of ``x`` (a pandas/Polars/pyarrow column, array or sequence)."""
    mod = type(x).__module__.split(".")[0]
    if mod == "pyarrow":
        x = x.to_numpy(zero_copy_only=False)
    elif mod in ("pandas", "polars") and hasattr(x, "to_numpy"):
        x = x.to_numpy()
    if isinstance(x, (str, bytes)) or not isinstance(x, (np.ndarray, Iterable)):
        raise SlocalcTypeError(f"{param}: expected one value per start (a sequence or column), got {x!r}")
    if not isinstance(x, np.ndarray):
        seq = list(x)
        x = np.empty(len(seq), dtype=object)
        x[:] = seq
    if x.shape != (n,):
        got = x.shape[0] if x.ndim == 1 else f"shape {x.shape}"
        raise SlocalcValueError(f"{param}: expected {n} values to match the starts, got {got}")
    return x


def _factorize(np: Any, ids: Any) -> tuple[Any, Any]:
    """(index of each distinct value's first row, code per row) of an int64 array."""
    pd = sys.modules.get("pandas")
    if pd is not None:  # hashing: O(n)
        codes, _ = pd.factorize(ids)
        first = np.full(int(codes.max()) + 1 if len(codes) else 0, len(ids), dtype=np.int64)
        np.minimum.at(first, codes, np.arange(len(ids)))
        return first, codes.astype(np.int64, copy=False)
    _, first, inv = np.unique(ids, return_index=True, return_inverse=True)
    return first, inv.reshape(-1)


def _codes(np: Any, x: Any) -> tuple[list[Any], Any]:
    """(distinct values, code per row): small integers by value, other objects by identity."""
    if len(x) == 0:
        return [], np.zeros(0, dtype=np.int64)
    if x.dtype != object and np.issubdtype(x.dtype, np.integer):
        lo, hi = int(x.min()), int(x.max())
        if hi - lo < 1 << 16:
            codes = (x - lo).astype(np.int64)
            return list(range(lo, hi + 1)), codes
    if x.dtype != object:
        uniq, inv = np.unique(x, return_inverse=True)
        return uniq.tolist(), inv.reshape(-1)
    ids = np.fromiter(map(id, x), dtype=np.int64, count=len(x))
    first, codes = _factorize(np, ids)
    return [x[i] for i in first.tolist()], codes


def _categorical(np: Any, x: Any, n: int) -> tuple[list[Any], Any] | None:
    """(categories, codes) of a pandas categorical column (the fastest way to pass customers)."""
    pd = sys.modules.get("pandas")
    if pd is None or not isinstance(x, (pd.Series, pd.Categorical, pd.CategoricalIndex)):
        return None
    if not isinstance(x.dtype, pd.CategoricalDtype):
        return None
    cat = x.array if isinstance(x, pd.Series) else x
    codes = np.asarray(cat.codes, dtype=np.int64)
    if codes.shape != (n,):
        raise SlocalcValueError(f"customers: expected {n} values to match the starts, got {codes.shape[0]}")
    if (codes < 0).any():
        i = int(np.flatnonzero(codes < 0)[0])
        raise SlocalcValueError(f"customers[{i}]: missing; give a Customer (or None for no customer clock)")
    return list(cat.categories), codes


def _severity(value: Any, i: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            as_int = int(value)
        except (TypeError, ValueError, OverflowError):
            as_int = None
        if as_int is None or as_int != value or isinstance(value, bool):
            raise SlocalcValueError(
                f"severities[{i}]: expected a severity level (an int) or None for a policy-wide "
                f"target, got {type(value).__name__} {value!r}"
            )
        return as_int
    return value


def due_many(
    policy: Policy,
    severities: Any,
    metric: str,
    starts: Any,
    customers: Customer | Iterable[Customer | None] | None = None,
) -> Any:
    """``policy.due(severity, metric, start, customer)`` for every row of a frame.

    Args:
        policy: the policy.
        severities: one severity level per start (an int array, a pandas/Polars column, or
            a sequence; ``None`` asks the policy-wide target), or one int for all.
        metric: e.g. ``"initial_response"``.
        starts: the clock starts in any container the calendars' ``*_many`` forms take: a
            numpy ``datetime64``/``int64`` array, a tz-aware pandas ``Series`` or
            ``DatetimeIndex``, a Polars ``Series``, a pyarrow timestamp array, or a sequence
            of aware datetimes. Missing starts (NaT, None) give missing deadlines.
        customers: one :class:`~slocalc.policies.Customer` per start (a sequence or column;
            a pandas categorical column is the fastest), one for all, or ``None`` when no
            target runs on the ``customer`` clock.

    Returns:
        The deadlines in the container kind of ``starts`` (same index, name and zone).

    Raises:
        PolicyError: an unknown severity or metric, or a customer clock without a customer.
        SlocalcValueError: the columns differ in length.

    >>> import numpy as np
    >>> from slocalc.policies import RAPID7, Customer
    >>> berlin = Customer(tz="Europe/Berlin", country="DE")
    >>> starts = np.array(["2026-11-20T15:00", "2026-11-20T15:00", "NaT"], dtype="datetime64[us]")
    >>> due_many(RAPID7, np.array([1, 3, 2]), "initial_response", starts, [berlin] * 3)
    array(['2026-11-20T17:00:00.000000', '2026-11-24T09:00:00.000000',
                                  'NaT'], dtype='datetime64[us]')
    """
    import numpy as np

    col = read_column(np, None, starts, "starts")
    n = len(col.u)
    sev = (
        np.full(n, severities, dtype=np.int64)
        if isinstance(severities, int)
        else _values(np, severities, "severities", n)
    )
    from slocalc.policies._customer import Customer

    if customers is None or isinstance(customers, Customer):
        cust_values: list[Any] = [customers]
        cust_codes = np.zeros(n, dtype=np.int64)
    else:
        cats = _categorical(np, customers, n)
        cust_values, cust_codes = cats or _codes(np, _values(np, customers, "customers", n))
    sev_values, sev_codes = _codes(np, sev)
    key = sev_codes.astype(np.int64) * len(cust_values) + cust_codes
    present = np.ones(n, dtype=bool) if col.missing is None else ~col.missing
    out = np.full(n, NEVER_US, dtype=np.int64)
    if not present.any():
        return col.instants(np, out)
    rows = np.flatnonzero(present)
    key = key[rows]
    groups = int(key.max()) + 1
    # a stable sort of small codes is a radix sort (linear): rows of one group together
    small = np.uint16 if groups <= 1 << 16 else np.int64
    order = np.argsort(key.astype(small), kind="stable")
    counts = np.bincount(key, minlength=groups)
    bounds = np.concatenate(([0], np.cumsum(counts)))
    # groups that resolve to one Deadline (non-customer clocks ignore the customer) share a call
    merged: dict[int, tuple[Any, list[Any]]] = {}
    for k in np.flatnonzero(counts).tolist():
        s_code, c_code = divmod(k, len(cust_values))
        sel = rows[order[bounds[k] : bounds[k + 1]]]
        level = _severity(sev_values[s_code], int(sel[0]))
        customer = cust_values[c_code]
        if customer is not None and not isinstance(customer, Customer):
            raise SlocalcTypeError(
                f"customers[{int(sel[0])}]: expected a Customer or None, got {type(customer).__name__} {customer!r}"
            )
        deadline = policy.deadline(level, metric, customer)
        merged.setdefault(id(deadline), (deadline, []))[1].append(sel)
    u = col.u
    for deadline, parts in merged.values():
        sel = parts[0] if len(parts) == 1 else np.concatenate(parts)
        out[sel] = deadline.due_many(u[sel])
    return col.instants(np, out)
