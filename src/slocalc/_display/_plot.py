"""Pictures where people would rather look than read (matplotlib, imported on first use).

* :func:`plot_report`: a case's timeline: one bar per target from its start to its end (or
  ``now``), coloured by state; pauses hatched; due instants, the updates that met them and
  breaches marked; ``now`` as a dashed line.
* :func:`plot_week`: a calendar's open hours over one week: one row per local day for a
  single-zone calendar, one row per member (and "any") for a union.
* :func:`heatmap`: an hour-of-week heatmap whose x-axis names dates when it shows one week
  (``Mon 12 Jan``), with a note on the plot when there is nothing to show.

Every function draws on ``ax`` when given (returning its figure) or on a new figure, and
returns the matplotlib ``Figure``. Instants are plotted as they are (matplotlib places
aware datetimes exactly); the axis shows them on the wall clock of the zone named in its
label.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from slocalc._display._html import STATE_COLORS, _members, _midnight, _monday, elapsed
from slocalc.errors import MissingExtraError

if TYPE_CHECKING:
    from slocalc.calendars import Calendar
    from slocalc.cases import CaseReport

__all__ = ["DAY_NAMES", "heatmap", "plot_report", "plot_week", "week_labels"]

DAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_STATE_FACE: Final = {
    "pending": "tab:blue",
    "paused": "tab:gray",
    "met": "tab:green",
    "breached": "tab:red",
    "stopped": "silver",
    "cancelled": "silver",
}
assert set(_STATE_FACE) == set(STATE_COLORS)
_DAY = timedelta(days=1)


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError(
            "plots need matplotlib: pip install 'slocalc[plot]' (from a clone: pip install -e '.[plot]')"
        ) from None
    return plt


def _dates() -> Any:
    """``matplotlib.dates`` (untyped, so typed as ``Any`` here)."""
    _pyplot()
    return importlib.import_module("matplotlib.dates")


def _figure(ax: Any, size: tuple[float, float]) -> tuple[Any, Any]:
    if ax is not None:
        return ax.figure, ax
    fig, ax = _pyplot().subplots(figsize=size, layout="constrained")
    return fig, ax


def _num(t: datetime) -> float:
    return float(_dates().date2num(t))


def _utc(t: datetime) -> datetime:
    return t.astimezone(UTC)


def _days(d: timedelta) -> float:
    return d / _DAY


def _wall_hours(t: datetime, day_end: datetime) -> float:
    """Where ``t`` sits on its local day's 0-24 h wall-clock axis (the day's end is 24)."""
    if t == day_end:
        return 24.0
    return t.hour + t.minute / 60 + t.second / 3600 + t.microsecond / 3_600_000_000


def _pauses(target: Any, end: datetime) -> list[tuple[datetime, datetime]]:
    out = []
    started: datetime | None = None
    for step in target.history:
        if step.kind == "pause" and started is None:
            started = step.at
        elif step.kind != "pause" and started is not None:
            out.append((started, step.at))
            started = None
    if started is not None:
        out.append((started, end))
    return out


def plot_report(report: CaseReport, *, ax: Any = None, tz: str | None = None) -> Any:
    """A case's timeline (see the module docs); returns the ``Figure``.

    Args:
        report: the case report.
        ax: a matplotlib ``Axes`` to draw on; a new figure when ``None``.
        tz: the zone of the time axis; default the zone of the report's instants.
    """
    dates = _dates()
    targets = list(report.targets)
    fig, ax = _figure(ax, (10, 0.45 * len(targets) + 1.8))
    zone: Any = ZoneInfo(tz) if tz is not None else report.now.tzinfo
    ys = list(range(len(targets)))
    ends = [t.ended_at or report.now for t in targets]
    ax.barh(
        ys,
        [max(_days(elapsed(t.start, e)), 0.0) for t, e in zip(targets, ends, strict=True)],
        left=[_num(t.start) for t in targets],
        height=0.6,
        color=[_STATE_FACE[t.state] for t in targets],
        alpha=0.55,
        label="running (colour: state)",
    )
    paused = False
    for y, (t, end) in enumerate(zip(targets, ends, strict=True)):
        spans = _pauses(t, end)
        if spans:
            ax.broken_barh(
                [(_num(a), _days(elapsed(a, b))) for a, b in spans],
                (y - 0.3, 0.6),
                facecolors="white",
                edgecolors="tab:gray",
                hatch="///",
                alpha=0.8,
                label=None if paused else "paused",
            )
            paused = True
    due = [(y, t.due_at) for y, t in zip(ys, targets, strict=True) if t.due_at is not None]
    if due:
        ax.scatter(
            [_num(d) for _, d in due], [y for y, _ in due], marker="|", s=300, color="black", label="due"
        )
    met = [(y, t.met_at) for y, t in zip(ys, targets, strict=True) if t.met_at is not None]
    if met:
        ax.scatter(
            [_num(m) for _, m in met], [y for y, _ in met], marker="o", color="tab:green", label="answered"
        )
    late = [(y, t.due_at) for y, t in zip(ys, targets, strict=True) if t.state == "breached" and t.due_at]
    if late:
        ax.scatter(
            [_num(d) for _, d in late],
            [y for y, _ in late],
            marker="X",
            s=80,
            color="tab:red",
            label="breached",
        )
    seen = [t.start for t in targets] + ends + [d for _, d in due] + [m for _, m in met]
    lo, hi = min(seen, key=_utc), max(seen, key=_utc)
    margin = max(elapsed(lo, hi) / 20, timedelta(minutes=30))
    if _utc(report.now) <= _utc(hi) + 3 * margin:
        ax.axvline(_num(report.now), color="black", linestyle="--", linewidth=1, label="now")
        hi = max(hi, report.now, key=_utc)
    else:  # a case that ended long ago: keep its timeline readable, say where now is
        ax.annotate(
            f"now: {report.now:%Y-%m-%d %H:%M} →",
            xy=(1.0, 1.01),
            xycoords="axes fraction",
            ha="right",
            va="bottom",
            fontsize="small",
        )
    ax.set_xlim(_num(lo - margin), _num(hi + margin))
    ax.set_yticks(ys, labels=[f"{t.label} ({t.state})" for t in targets])
    ax.invert_yaxis()
    locator = dates.AutoDateLocator(tz=zone)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator, tz=zone))
    zone_label = getattr(zone, "key", None) or report.now.tzname() or "UTC"
    ax.set_xlabel(f"time ({zone_label})")
    plural = "es" if report.breaches != 1 else ""
    ax.set_title(
        f"Case {report.case_id}: severity {report.severity}, {report.status}, {report.breaches} breach{plural}"
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    return fig


def week_labels(monday: date) -> list[str]:
    """``['Mon 12 Jan', 'Tue 13 Jan', ...]``: the seven day labels of a week.

    >>> week_labels(date(2026, 1, 12))[:2]
    ['Mon 12 Jan', 'Tue 13 Jan']
    """
    return [f"{monday + timedelta(days=i):%a %d %b}" for i in range(7)]


def plot_week(
    cal: Calendar,
    *,
    week_of: date | None = None,
    tz: str | None = None,
    members: Sequence[tuple[str, Calendar]] | None = None,
    ax: Any = None,
) -> Any:
    """A calendar's open hours over one week; returns the ``Figure``.

    A single-zone calendar: one row per local day of the week (labelled with its date, and
    ``holiday`` or ``23h day``/``25h day`` where it is one), the local wall clock across
    (a shift ending at 06:00 local ends at 6 on a DST day too). A union (or a calendar
    given ``members``): one row per member and a last row ``any``, the week's dates across,
    in ``tz`` (UTC by default).

    Args:
        cal: the calendar.
        week_of: any date of the week; the current week when ``None``.
        tz: the display zone (see :func:`~slocalc._display.calendar_html`).
        members: ``(label, calendar)`` rows for a union; default its parts by zone.
        ax: a matplotlib ``Axes`` to draw on; a new figure when ``None``.
    """
    dates = _dates()
    from slocalc.calendars import ZonedCalendar

    parts = _members(cal, members)
    zone_name = tz if tz is not None else (cal.tz if isinstance(cal, ZonedCalendar) and not parts else "UTC")
    zone = ZoneInfo(zone_name)
    monday = _monday(week_of, zone)
    if not parts:
        fig, ax = _figure(ax, (10, 3.2))
        labels = []
        for i in range(7):
            day = monday + timedelta(days=i)
            a, b = _midnight(day, zone), _midnight(day + _DAY, zone)
            walls = [(_wall_hours(s, b), _wall_hours(e, b)) for s, e in cal.intervals(a, b)]
            ax.broken_barh([(x, y - x) for x, y in walls], (i - 0.35, 0.7), facecolors="tab:green", alpha=0.7)
            holiday = getattr(cal, "is_holiday", None)
            notes = ["holiday"] if holiday is not None and holiday(day) else []
            length = elapsed(a, b)
            if length != _DAY:
                notes.append(f"{length // timedelta(hours=1)}h day")
            labels.append(f"{day:%a %d %b}" + (f" ({', '.join(notes)})" if notes else ""))
        ax.set_yticks(range(7), labels=labels)
        ax.set_ylim(6.6, -0.6)
        ax.set_xlim(0, 24)
        ax.set_xticks(range(0, 25, 3))
        ax.set_xlabel(f"local time ({zone_name})")
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(f"Open hours, week of {monday:%a %Y-%m-%d}")
        return fig
    rows = [*parts, ("any", cal)]
    fig, ax = _figure(ax, (11, 0.45 * len(rows) + 1.6))
    a, b = _midnight(monday, zone), _midnight(monday + timedelta(days=7), zone)
    for i, (_, member) in enumerate(rows):
        spans = [(_num(s), _days(elapsed(s, e))) for s, e in member.intervals(a, b)]
        color = "tab:green" if i == len(rows) - 1 else f"C{i % 10}"
        ax.broken_barh(spans, (i - 0.35, 0.7), facecolors=color, alpha=0.75)
    ax.set_yticks(range(len(rows)), labels=[label for label, _ in rows])
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.set_xlim(_num(a), _num(b))
    ticks = [_midnight(monday + timedelta(days=i), zone) for i in range(7)]
    ax.set_xticks([_num(t) for t in ticks], labels=week_labels(monday))
    ax.xaxis.set_minor_locator(dates.HourLocator(byhour=[6, 12, 18], tz=zone))
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel(f"week of {monday:%Y-%m-%d} ({zone_name})")
    ax.set_title("Who is open when")
    return fig


def heatmap(
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
    """An hour-of-week heatmap: one row per label, one column per hour (Monday 00:00 first).

    Args:
        matrix: a 2-D array, rows × hours.
        rows: the row labels.
        title: the title.
        colorbar: the colour bar's label.
        cmap: the colour map.
        vmin: the value at the bottom of the colour map.
        vmax: the value at its top.
        ax: a matplotlib ``Axes`` to draw on; a new figure when ``None``.
        xlabel: the x-axis label.
        week_start: the Monday of the week shown, when the matrix is one calendar week:
            day ticks then read ``Mon 12 Jan``; without it (hours of the week pooled over
            many weeks) they read ``Mon``.
        empty_note: written across the plot when every cell is zero (or there are no
            hours), e.g. ``"no change: no arrival changes outcome"``; a blank panel
            otherwise says nothing.

    Returns:
        The matplotlib ``Figure``.
    """
    fig, ax = _figure(ax, (12, 0.45 * len(rows) + 1.6))
    n = matrix.shape[1] if matrix.ndim == 2 else 0
    image = ax.imshow(matrix, aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_yticks(range(len(rows)), labels=list(rows))
    ticks = list(range(0, n, 24))
    if week_start is not None:
        labels = [f"{week_start + timedelta(days=t // 24):%a %d %b}" for t in ticks]
    else:
        labels = [DAY_NAMES[(t // 24) % 7] for t in ticks]
    ax.set_xticks(ticks, labels=labels)
    ax.set_xticks(range(0, n, 6), minor=True)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label=colorbar)
    if empty_note is not None and (n == 0 or not matrix.any()):
        ax.text(
            0.5,
            0.5,
            empty_note,
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize="large",
            bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "gray"},
        )
    return fig
