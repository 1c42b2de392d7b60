"""``Scenario``: a named staffing plan, a set of support centers to try "what if" on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias, final

from slocalc.calendars import BusinessCalendar, Calendar, ZonedCalendar
from slocalc.calendars.centers import CENTERS, CentersArg, SupportCenter, follow_the_sun
from slocalc.errors import CalendarSpecError, SlocalcTypeError, did_you_mean

__all__ = ["Scenario", "StaffingArg", "as_scenario"]


@final
@dataclass(frozen=True, slots=True)
class Scenario:
    """A named staffing plan: the support centers that answer cases.

    A frozen, hashable value. Start from :meth:`guidebook` (the six centers of the support
    guidebook) and derive what-ifs with :meth:`without`, :meth:`with_hours`,
    :meth:`closed_on` and :meth:`with_center`; each returns a new scenario.

    Every ``centers`` parameter of :mod:`slocalc.staffing` takes a scenario, or anything
    :mod:`slocalc.calendars.centers` takes (``None`` for all six, keys, centers, a mapping).

    Args:
        name: a label for tables and plots, e.g. ``"drop Belfast"``.
        centers: the centers, in display order, with unique keys.

    >>> base = Scenario.guidebook()
    >>> base.keys
    ('belfast', 'dublin', 'boston', 'austin', 'los_angeles', 'singapore')
    >>> base.without("belfast").keys
    ('dublin', 'boston', 'austin', 'los_angeles', 'singapore')
    >>> base.with_hours("austin", "Mon-Fri 10:00-19:00").center("austin").calendar
    BusinessCalendar(tz='America/Chicago', hours='Mon-Fri 10:00-19:00', holidays=('US', 'TX'))
    >>> base.closed_on("singapore", "Fri").name
    'singapore closed on Fri'
    """

    name: str
    centers: tuple[SupportCenter, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise CalendarSpecError(f"name {self.name!r}: expected a non-empty label, e.g. 'drop Belfast'")
        seen: set[str] = set()
        for c in self.centers:
            if not isinstance(c, SupportCenter):
                raise SlocalcTypeError(
                    f"centers: expected SupportCenter values, got {type(c).__name__} {c!r}; "
                    f"use Scenario.of(name, centers) to resolve keys"
                )
            if c.key in seen:
                raise CalendarSpecError(
                    f"centers: the key {c.key!r} appears twice; give each center a unique key"
                )
            seen.add(c.key)

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, centers={list(self.keys)!r})"

    # -- building --------------------------------------------------------------------------

    @classmethod
    def guidebook(cls, name: str = "guidebook") -> Scenario:
        """The six centers of the support guidebook (:data:`~slocalc.calendars.centers.CENTERS`)."""
        return cls(name, tuple(CENTERS.values()))

    @classmethod
    def of(cls, name: str, centers: CentersArg) -> Scenario:
        """A scenario from anything a ``centers=`` parameter takes.

        Args:
            name: the scenario's label.
            centers: ``None`` (all six), keys of :data:`~slocalc.calendars.centers.CENTERS`,
                :class:`~slocalc.calendars.centers.SupportCenter` values, or a mapping of
                key to center or to a bare calendar (its zone is the calendar's, or UTC for
                a union).

        Raises:
            CalendarSpecError: an unknown key (close matches are listed).

        >>> Scenario.of("Europe only", ["belfast", "dublin"])
        Scenario('Europe only', centers=['belfast', 'dublin'])
        """
        follow_the_sun(centers)  # validates with the centers module's own messages
        if centers is None:
            return cls(name, tuple(CENTERS.values()))
        if isinstance(centers, SupportCenter):
            return cls(name, (centers,))
        out: dict[str, SupportCenter] = {}
        if isinstance(centers, Mapping):
            for key, value in centers.items():
                if isinstance(value, SupportCenter):
                    out[key] = value
                else:
                    tz = value.tz if isinstance(value, ZonedCalendar) else "UTC"
                    out[key] = SupportCenter(key, key, tz, value)
        else:
            for item in centers:
                center = CENTERS[item] if isinstance(item, str) else item
                out[center.key] = center
        return cls(name, tuple(out.values()))

    def _renamed(self, name: str | None, default: str) -> str:
        return default if name is None else name

    def center(self, key: str) -> SupportCenter:
        """The center with this key.

        Raises:
            CalendarSpecError: no such center in this scenario (close matches are listed).
        """
        for c in self.centers:
            if c.key == key:
                return c
        raise CalendarSpecError(
            f"center {key!r}: not in scenario {self.name!r}; it has "
            f"{', '.join(self.keys) or 'no centers'}{did_you_mean(key, self.keys)}"
        )

    def without(self, *keys: str, name: str | None = None) -> Scenario:
        """The scenario with these centers dropped.

        Raises:
            CalendarSpecError: a key that is not in the scenario.
        """
        for k in keys:
            self.center(k)
        default = f"drop {', '.join(keys)}"
        return Scenario(self._renamed(name, default), tuple(c for c in self.centers if c.key not in keys))

    def with_center(self, center: SupportCenter, *, name: str | None = None) -> Scenario:
        """The scenario with ``center`` added, or replacing the center with its key."""
        if not isinstance(center, SupportCenter):
            raise SlocalcTypeError(
                f"center: expected a SupportCenter, got {type(center).__name__} {center!r}"
            )
        if center.key in self.keys:
            cs = tuple(center if c.key == center.key else c for c in self.centers)
            default = f"{center.key} replaced"
        else:
            cs = (*self.centers, center)
            default = f"add {center.key}"
        return Scenario(self._renamed(name, default), cs)

    def with_hours(self, key: str, hours: str, *, name: str | None = None) -> Scenario:
        """The scenario with center ``key`` open ``hours`` instead (same zone and holidays).

        ``hours`` uses the calendar grammar, e.g. ``"Mon-Fri 10:00-19:00"``. The center's
        calendar must be a :class:`~slocalc.BusinessCalendar`; for other calendars build a
        :class:`~slocalc.calendars.centers.SupportCenter` and use :meth:`with_center`.

        Raises:
            CalendarSpecError: unknown key, bad ``hours``, or a center whose calendar is not a
                ``BusinessCalendar``.
        """
        old = self.center(key)
        cal = old.calendar
        if not isinstance(cal, BusinessCalendar):
            raise CalendarSpecError(
                f"center {key!r}: its calendar {cal!r} has no weekly hours to replace; "
                f"build a SupportCenter and use with_center()"
            )
        new_cal = cal.replace(hours=hours)
        new = SupportCenter(old.key, old.name, old.tz, new_cal)
        return self.with_center(new, name=self._renamed(name, f"{key} {new_cal.hours}"))

    def closed_on(self, key: str, days: str, *, name: str | None = None) -> Scenario:
        """The scenario with center ``key`` closed all of the local ``days`` (e.g. ``"Fri"``).

        ``days`` uses the calendar grammar's day syntax: ``"Fri"``, ``"Mon,Wed"``,
        ``"Sat-Sun"``. The center's calendar minus those whole local days (a blackout), so
        any calendar works.
        """
        old = self.center(key)
        blackout = BusinessCalendar(tz=old.tz, hours=f"{days} 00:00-24:00")
        new = SupportCenter(old.key, old.name, old.tz, old.calendar - blackout)
        return self.with_center(new, name=self._renamed(name, f"{key} closed on {days}"))

    # -- reading ---------------------------------------------------------------------------

    @property
    def keys(self) -> tuple[str, ...]:
        """The centers' keys, in order."""
        return tuple(c.key for c in self.centers)

    def mapping(self) -> dict[str, SupportCenter]:
        """``{key: center}``, what the centers module's ``centers=`` parameters take."""
        return {c.key: c for c in self.centers}

    def union(self) -> Calendar:
        """The follow-the-sun calendar: open when any of the scenario's centers is."""
        return follow_the_sun(self.mapping())

    def _repr_html_(self) -> str:
        from slocalc._display import scenario_html

        return scenario_html(self)


#: What every ``centers`` parameter of :mod:`slocalc.staffing` accepts.
StaffingArg: TypeAlias = (
    Scenario | Iterable[str | SupportCenter] | Mapping[str, SupportCenter | Calendar] | None
)


def as_scenario(centers: StaffingArg, name: str | None = None) -> Scenario:
    """``centers`` as a :class:`Scenario` (named ``name``, or ``"centers"``)."""
    if isinstance(centers, Scenario):
        return centers
    if isinstance(centers, str):
        raise SlocalcTypeError(
            f"centers: got the string {centers!r}; pass a list of keys, e.g. [{centers!r}], or a Scenario"
        )
    label = name if name is not None else ("guidebook" if centers is None else "centers")
    return Scenario.of(label, centers)
