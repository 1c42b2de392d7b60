"""What every sub-command shares: the error type, instant parsing, formatting, policy loading."""

from __future__ import annotations

import argparse
import re
import sys
import zoneinfo
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn, TypedDict, TypeVar

from slocalc._time import from_iso, resolve_zone

if TYPE_CHECKING:
    from slocalc.policies import Policy

__all__ = [
    "CliError",
    "CommandTexts",
    "Parser",
    "add_policy_argument",
    "format_delta",
    "format_instant",
    "load_policy",
    "one_line",
    "parse_date",
    "parse_instant",
]


class CommandTexts(TypedDict):
    """A sub-command's texts for ``--help``, as ``add_parser`` takes them."""

    help: str
    description: str
    epilog: str


class Parser(argparse.ArgumentParser):
    """An argument parser with exact long options (no abbreviations: ``--sev`` is not
    ``--severity``) that suggests the closest option for a mistyped one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def _options(self) -> list[str]:
        names = [o for action in self._actions for o in action.option_strings]
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    names += [o for a in child._actions for o in a.option_strings]
        return sorted(set(names))

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self._given = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        """Exit with the usage and ``message``; an unknown option gets a "did you mean"."""
        from slocalc.errors import did_you_mean

        options = self._options()
        given = [a.split("=", 1)[0] for a in getattr(self, "_given", []) if a.startswith("--")]
        for name in dict.fromkeys(a for a in given if a not in options):
            hint = did_you_mean(name, options)
            message += f"; {name!r} is not an option{hint}" if hint else f"; {name!r} is not an option"
        super().error(message)


class CliError(Exception):
    """A user error: printed as one line on stderr, exit status 2, no traceback."""


def one_line(message: str) -> str:
    """Fold a multi-line message (e.g. a policy's list of problems) into one line.

    >>> one_line("invalid policy (2 problems):\\n  a: bad\\n  b: worse")
    'invalid policy (2 problems): a: bad; b: worse'
    """
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else message
    return f"{lines[0]} {'; '.join(lines[1:])}"


def _offset_text(offset: timedelta) -> str:
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_instant(text: str, flag: str, *, hint_tz: str | None = None) -> datetime:
    """An aware datetime from ISO 8601 text given to ``flag``; naive text is refused.

    Args:
        text: e.g. ``2026-03-02T09:30+01:00`` or ``2026-03-02T08:30Z``.
        flag: the option's name, for messages (e.g. ``--opened``).
        hint_tz: a zone whose offset the message for a naive value suggests.

    Raises:
        CliError: not ISO 8601, or no UTC offset.

    >>> parse_instant("2026-03-02T08:30Z", "--now")
    datetime.datetime(2026, 3, 2, 8, 30, tzinfo=datetime.timezone.utc)
    >>> parse_instant("2026-03-02T09:00", "--opened", hint_tz="Europe/Berlin")
    Traceback (most recent call last):
    ...
    slocalc._cli._common.CliError: --opened '2026-03-02T09:00': no UTC offset; add one, e.g. 2026-03-02T09:00+01:00 (Europe/Berlin on that date) or 2026-03-02T09:00Z
    """
    value = from_iso(
        datetime,
        text,
        CliError,
        f"{flag} {text!r}: not an ISO 8601 date-time; expected e.g. 2026-03-02T09:30+01:00 or 2026-03-02T08:30Z",
    )
    if value.tzinfo is None or value.utcoffset() is None:
        example = text.strip()
        hint = ""
        if hint_tz is not None:
            offset = value.replace(tzinfo=resolve_zone(hint_tz)).utcoffset()
            if offset is not None:
                hint = f"{example}{_offset_text(offset)} ({hint_tz} on that date) or "
        raise CliError(f"{flag} {text!r}: no UTC offset; add one, e.g. {hint}{example}Z")
    return value


_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{2})(?:-?([1-7]))?$")


def parse_date(text: str, flag: str) -> date:
    """A date from ``YYYY-MM-DD`` or an ISO week ``YYYY-Www`` (its Monday) or ``YYYY-Www-D``.

    >>> parse_date("2026-W03", "--week")
    datetime.date(2026, 1, 12)
    >>> parse_date("2026-01-14", "--week")
    datetime.date(2026, 1, 14)
    """
    m = _ISO_WEEK.match(text.strip())
    try:
        if m:
            return date.fromisocalendar(int(m[1]), int(m[2]), int(m[3] or 1))
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CliError(
            f"{flag} {text!r}: not an ISO 8601 date; expected e.g. 2026-01-14 or an ISO week such as 2026-W03"
        ) from None


#: ``%a`` in the C locale (Python's own unless a program calls ``locale.setlocale``)
_WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def format_instant(value: datetime, zone: tzinfo | None = None) -> str:
    """``Mon 2026-11-23 10:00 EST`` (seconds shown only when not zero), in ``zone``.

    >>> format_instant(datetime(2026, 11, 23, 15, 0, tzinfo=UTC))
    'Mon 2026-11-23 15:00 UTC'
    >>> format_instant(datetime(2026, 11, 23, 15, 0, 30, tzinfo=UTC), resolve_zone("Asia/Kolkata"))
    'Mon 2026-11-23 20:30:30 IST'
    """
    local = value.astimezone(zone or UTC)
    if local.year < 1000:  # strftime's own year (the C library's: not always 4 digits)
        clock = "%H:%M:%S" if local.second or local.microsecond else "%H:%M"
        text = local.strftime(f"%a %Y-%m-%d {clock}")
    else:  # as strftime writes it in the C locale (Python's), without its cost
        text = (
            f"{_WEEKDAYS[local.weekday()]} {local.year}-{local.month:02d}-{local.day:02d}"
            f" {local.hour:02d}:{local.minute:02d}"
        )
        if local.second or local.microsecond:
            text += f":{local.second:02d}"
    if local.microsecond:
        text += f".{local.microsecond:06d}"
    offset = local.utcoffset() or timedelta(0)
    return f"{text} {_shown_name(local.tzname(), offset // _ONE_US)}"


_ONE_US: Final = timedelta(microseconds=1)


def _shown_name(name: str | None, offset_us: int) -> str:
    """How an instant's text names its zone: the abbreviation, or ``UTC+08:00`` where tzdata
    has none (it gives ``+08``)."""
    return name if name and name[0] not in "+-" else _NUMERIC[offset_us]


def format_instants(utc_us: Any, zone: tzinfo | None = None) -> list[str] | None:
    """:func:`format_instant` of many instants at once, given as UTC microseconds (an
    ``int64`` numpy array): the same texts, their local fields written by numpy a column at
    a time from the zone's offsets (:class:`~slocalc.calendars.ZoneTable`), each instant's
    abbreviation read from the zone itself (a zone may rename its time without changing its
    offset: Asia/Amman's ``EEST`` became ``+03`` in 2022).

    ``None`` when ``zone`` is not a ``zoneinfo.ZoneInfo`` (or UTC), when the instants span
    more than a century (the offsets of every year between would be looked up), or when
    one falls outside the years 1000-9999 in ``zone``: :func:`format_instant` then, one by one.

    >>> import numpy as np
    >>> u = np.array([1_774_746_000_000_000 - 1, 1_774_746_000_000_000])  # 2026-03-29 01:00Z
    >>> format_instants(u, resolve_zone("Europe/Dublin"))
    ['Sun 2026-03-29 00:59:59.999999 GMT', 'Sun 2026-03-29 02:00 IST']
    >>> format_instants(u)
    ['Sun 2026-03-29 00:59:59.999999 UTC', 'Sun 2026-03-29 01:00 UTC']
    """
    import numpy as np

    from slocalc.calendars import ZoneTable

    if not len(utc_us):
        return []
    if zone is None or zone is UTC:
        local = utc_us
        names = None
    elif type(zone) is zoneinfo.ZoneInfo:
        lo, hi = int(utc_us.min()), int(utc_us.max())
        if hi - lo > _CENTURY:
            return None
        offsets = ZoneTable.covering(zone, lo, hi).offsets(utc_us)
        local = utc_us + offsets
        names = _zone_names(utc_us, zone, offsets)
    else:
        return None
    if int(local.min()) < LOCAL_FIRST or int(local.max()) > LOCAL_LAST:
        return None
    days = local // 86_400_000_000
    weekday = ((days + 3) % 7).tolist()  # 1970-01-01 was a Thursday
    micro = local % 1_000_000
    if not (local % 60_000_000).any():  # whole minutes: the usual deadline
        minutes = np.datetime_as_string(local.astype("datetime64[us]"), unit="m").tolist()
        if names is None:
            return [f"{_WEEKDAYS[w]} {t[:10]} {t[11:]} UTC" for w, t in zip(weekday, minutes, strict=True)]
        return [
            f"{_WEEKDAYS[w]} {t[:10]} {t[11:]} {name}"
            for w, t, name in zip(weekday, minutes, names, strict=True)
        ]
    seconds = np.datetime_as_string(local.astype("datetime64[us]"), unit="s").tolist()
    out = []
    for w, t, us, name in zip(weekday, seconds, micro.tolist(), names or repeat("UTC"), strict=False):
        text = f"{_WEEKDAYS[w]} {t[:10]} {t[11:16]}"
        if us:
            text += f":{t[17:]}.{us:06d}"
        elif t[17:] != "00":
            text += f":{t[17:]}"
        out.append(f"{text} {name}")
    return out


#: the widest span of instants (µs) :func:`format_instants` writes in a zone: 100 years
_CENTURY: Final = 100 * 366 * 86_400_000_000
#: the local readings (µs) the bulk writers write, the years 1000 to 9999 (strftime's and
#: ``isoformat``'s four-digit years): :func:`format_instants` and ``slocalc check``'s JSON
LOCAL_FIRST: Final = -30_610_224_000_000_000
LOCAL_LAST: Final = 253_402_300_799_999_999


def _zone_names(utc_us: Any, zone: zoneinfo.ZoneInfo, offsets: Any) -> list[str]:
    """What :func:`format_instant` ends each instant's text with in ``zone``
    (:func:`_shown_name` of the abbreviation asked of the zone at each instant)."""
    start = datetime(1970, 1, 1, tzinfo=zone)  # UTC readings, for zone.fromutc
    local = zone.fromutc
    return [
        _shown_name(local(start + us * _ONE_US).tzname(), off)
        for us, off in zip(utc_us.tolist(), offsets.tolist(), strict=True)
    ]


_K = TypeVar("_K")


class TextMemo(dict[_K, str]):
    """The text of each key, made by ``make`` on first use and kept; emptied when ``size``
    are kept (the texts a run writes again and again: durations, labels, offsets).

    >>> memo = TextMemo(str.upper, size=2)
    >>> memo["a"], memo["b"], len(memo), memo["c"], len(memo)
    ('A', 'B', 2, 'C', 1)
    """

    __slots__ = ("make", "size")

    def __init__(self, make: Callable[[_K], str], size: int = 4096) -> None:
        super().__init__()
        self.make = make
        self.size = size

    def __missing__(self, key: _K) -> str:
        if len(self) >= self.size:
            self.clear()
        text = self[key] = self.make(key)
        return text


#: ``UTC+08:00`` by offset in microseconds (:func:`_shown_name`)
_NUMERIC: Final[TextMemo[int]] = TextMemo(lambda off: "UTC" + _offset_text(timedelta(microseconds=off)))


def format_delta(value: timedelta) -> str:
    """A duration as ``3d 4h 05m`` (seconds only when not zero).

    >>> format_delta(timedelta(days=3, hours=4, minutes=5))
    '3d 4h 05m'
    >>> format_delta(timedelta(minutes=45, seconds=3))
    '45m 03s'
    >>> format_delta(-timedelta(hours=2))
    '-2h 00m'
    """
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    total = value // timedelta(seconds=1)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days}d")
    if days or hours:
        parts.append(f"{hours}h")
    parts.append(f"{minutes:02d}m" if parts else f"{minutes}m")
    if seconds or value % timedelta(seconds=1):
        parts.append(f"{seconds:02d}s")
    return sign + " ".join(parts)


def add_policy_argument(p: argparse.ArgumentParser) -> None:
    """The ``--policy FILE`` option of the commands that apply a policy (read by :func:`load_policy`)."""
    p.add_argument(
        "--policy",
        metavar="FILE",
        help="a policy file (.toml or .json); default: the built-in guidebook policy (RAPID7)",
    )


def load_policy(path: str | None) -> Policy:
    """The policy in ``path`` (TOML or JSON), or the built-in guidebook policy ``RAPID7``.

    Raises:
        CliError: the file does not exist or cannot be read.
        PolicyError: the file is not a valid policy.
    """
    from slocalc.policies import RAPID7, Policy

    if path is None:
        return RAPID7
    p = Path(path)
    if not p.is_file():
        what = "is a directory" if p.is_dir() else "no such file"
        raise CliError(f"--policy {path!r}: {what}; expected a .toml or .json policy file")
    return Policy.from_file(p)
