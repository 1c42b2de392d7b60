"""``slocalc coverage``: a week of follow-the-sun coverage as an hours × days grid."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Final, TextIO

from slocalc._cli._common import CliError, CommandTexts, format_delta, format_instant, parse_date
from slocalc._time import from_us, resolve_zone, to_us, wall_instant, week_bounds

__all__ = ["add_parser", "codes", "render", "run"]

_HOUR: Final = timedelta(hours=1)


#: ``slocalc coverage``'s help texts
_TEXTS: Final[CommandTexts] = {
    "help": "a week of follow-the-sun coverage: hours x days grid, gaps listed",
    "description": (
        "Show which support centers are open in each hour of one week (Monday 00:00 to the "
        "next Monday 00:00 on the wall clock of --tz), with coverage gaps marked, then list the "
        "gaps. Each center is open Mon-Fri 08:00-17:00 local time, closed on its public holidays."
    ),
    "epilog": "example: slocalc coverage --week 2026-W52 --tz Europe/Dublin --centers dublin,boston,singapore",
}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``coverage`` on the sub-command parser."""
    p = sub.add_parser("coverage", **_TEXTS)
    p.add_argument(
        "--week",
        metavar="ISO-DATE",
        help="any date of the week (2026-01-14) or an ISO week (2026-W03); default: the current week in --tz",
    )
    p.add_argument(
        "--tz", default="UTC", metavar="ZONE", help="the zone of the grid's wall clock (default: UTC)"
    )
    p.add_argument(
        "--centers",
        metavar="a,b,c",
        help="comma-separated center keys (default: all six: belfast,dublin,boston,austin,los_angeles,singapore)",
    )
    p.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="output: the hours x days grid and the gaps (default), or JSON: every segment with "
        "its open centers, and the gaps, as ISO 8601 instants",
    )
    p.set_defaults(run=run)


def codes(keys: Sequence[str]) -> dict[str, str]:
    """One distinct capital letter per center key, taken from the key where possible.

    >>> codes(["belfast", "dublin", "boston", "austin", "los_angeles", "singapore"])
    {'belfast': 'B', 'dublin': 'D', 'boston': 'O', 'austin': 'A', 'los_angeles': 'L', 'singapore': 'S'}
    """
    used: set[str] = set()
    out: dict[str, str] = {}
    spare = (c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    for key in keys:
        pick = next((c.upper() for c in key if c.isalnum() and c.upper() not in used), None)
        while pick is None or pick in used:
            pick = next(spare)
        used.add(pick)
        out[key] = pick
    return out


#: a coverage segment in UTC microseconds: (start, end, open center keys)
_Span = tuple[int, int, frozenset[str]]


def _cell(spans: Sequence[_Span], a: int, b: int, keys: Sequence[str], letters: dict[str, str]) -> str:
    """The grid cell of ``[a, b)`` (UTC µs): a letter per center (capital: the whole hour, small:
    part of it), read off the week's coverage segments."""
    width = max(len(keys), 3)
    if b <= a:  # a wall-clock hour skipped by a DST change
        return " " * (width + 1)
    open_for = dict.fromkeys(keys, 0)
    gap = 0
    for lo, hi, open_keys in spans:
        lo, hi = max(lo, a), min(hi, b)
        if lo >= hi:
            continue
        if not open_keys:
            gap += hi - lo
        for k in open_keys:
            open_for[k] += hi - lo
    if gap == b - a:
        return "GAP".ljust(width, "-") + " "
    text = "".join(
        letters[k] if open_for[k] == b - a else letters[k].lower() if open_for[k] else "." for k in keys
    )
    return text.ljust(width, ".") + ("!" if gap else " ")


def render(week_of: date, tz: str, centers: Sequence[str] | None, out: TextIO) -> None:
    """Write the grid and the list of gaps of the week holding ``week_of``.

    The week's bounds and each hour's instants come from the engine's wall-clock rule
    (``week_bounds``, ``wall_instant``), which centers are open from
    :func:`slocalc.calendars.centers.coverage`; this only lays them out.
    """
    from slocalc.calendars.centers import CENTERS, coverage

    zone = resolve_zone(tz)
    keys = list(CENTERS) if centers is None else list(centers)
    monday = week_of - timedelta(days=week_of.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    lo, hi = week_bounds(week_of, zone)
    segs = coverage(from_us(lo), from_us(hi), keys)
    spans = [(to_us(s.start), to_us(s.end), s.centers) for s in segs]
    letters = codes(keys)

    out.write(
        f"Follow-the-sun coverage, week of {monday:%a %Y-%m-%d} to {days[-1]:%a %Y-%m-%d}, wall clock of {tz}\n"
    )
    legend = "  ".join(f"{letters[k]} {k} ({CENTERS[k].tz if k in CENTERS else '?'})" for k in keys)
    out.write(f"centers: {legend}\n")
    out.write(
        "capital: open the whole hour; small: open part of it; '.': closed; "
        "GAP: no center open; '!': a gap inside the hour\n\n"
    )
    width = max(len(keys), 3) + 1
    header = "hour   " + " ".join(f"{d:%a %m-%d}".ljust(max(width, 9)) for d in days)
    out.write(header.rstrip() + "\n")
    for hour in range(24):
        cells = [
            _cell(
                spans,
                wall_instant(zone, d, hour * _HOUR),
                wall_instant(zone, d, (hour + 1) * _HOUR),
                keys,
                letters,
            )
            for d in days
        ]
        out.write(f"{hour:02d}:00  " + " ".join(c.ljust(max(width, 9)) for c in cells).rstrip() + "\n")

    total = timedelta(microseconds=hi - lo)
    gaps = [s for s in segs if s.is_gap]
    gap_time = sum((s.duration for s in gaps), timedelta(0))
    covered = total - gap_time
    per_mille = covered * 1000 // total if total else 0
    out.write(
        f"\ncovered {format_delta(covered)} of {format_delta(total)} ({per_mille // 10}.{per_mille % 10}%); "
        f"{len(gaps)} gap{'s' if len(gaps) != 1 else ''}, {format_delta(gap_time)} in all\n"
    )
    for s in gaps:
        out.write(
            f"  gap  {format_instant(s.start, zone)}  ->  {format_instant(s.end, zone)}"
            f"  ({format_delta(s.duration)})\n"
        )


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``slocalc coverage``; returns the exit status."""
    zone = resolve_zone(args.tz)
    week = parse_date(args.week, "--week") if args.week else datetime.now(zone).date()
    centers = None
    if args.centers is not None:
        centers = [k.strip() for k in args.centers.split(",") if k.strip()]
        if not centers:
            raise CliError(
                f"--centers {args.centers!r}: no center keys; expected e.g. belfast,boston,singapore"
            )
    if args.format == "json":
        render_json(week, args.tz, centers, out)
    else:
        render(week, args.tz, centers, out)
    return 0


def render_json(week_of: date, tz: str, centers: Sequence[str] | None, out: TextIO) -> None:
    """The week of :func:`render` as one JSON document: its bounds, every segment (start,
    end, open centers) and the gaps, instants in ISO 8601 in ``tz``, durations in seconds."""
    import json

    from slocalc.calendars.centers import CENTERS, coverage

    zone = resolve_zone(tz)
    keys = list(CENTERS) if centers is None else list(centers)
    lo, hi = week_bounds(week_of, zone)
    segs = coverage(from_us(lo), from_us(hi), keys)
    gaps = [s for s in segs if s.is_gap]
    doc = {
        "tz": tz,
        "start": from_us(lo, zone).isoformat(),
        "end": from_us(hi, zone).isoformat(),
        "centers": keys,
        "covered_seconds": (hi - lo) // 1_000_000 - sum(int(s.duration.total_seconds()) for s in gaps),
        "total_seconds": (hi - lo) // 1_000_000,
        "segments": [
            {
                "start": s.start.astimezone(zone).isoformat(),
                "end": s.end.astimezone(zone).isoformat(),
                "centers": list(s.centers),
            }
            for s in segs
        ],
        "gaps": [
            {
                "start": s.start.astimezone(zone).isoformat(),
                "end": s.end.astimezone(zone).isoformat(),
                "duration_seconds": int(s.duration.total_seconds()),
            }
            for s in gaps
        ],
    }
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")
