"""Units and the human duration syntax of policy files.

A target is written either structured, ``{amount = 4, unit = "hours", clock = "customer"}``,
or as text. The text form reads like the guidebook:

========================== ======================================
text                       meaning
========================== ======================================
``"2 hours"``              2 hours on the ``24x7`` clock (elapsed)
``"30 minutes"``           30 minutes on ``24x7``
``"4 business hours"``     4 hours on the ``customer`` clock
``"3 business days"``      3 ``business_days`` on ``customer``
``"10 calendar days"``     10 ``calendar_days`` in the customer's zone
``"4 hours on <clock>"``   any of the above on an explicit clock
========================== ======================================

"business" only chooses the default clock: ``"4 business hours on follow_the_sun"`` is
``"4 hours on follow_the_sun"``. A bare ``"3 days"`` is refused as ambiguous.
"""

from __future__ import annotations

import re
from typing import Final, Literal, get_args

from slocalc.errors import SlocalcValueError, did_you_mean

Unit = Literal["hours", "minutes", "business_days", "calendar_days"]
UNITS: Final[tuple[str, ...]] = get_args(Unit)
#: units that count a clock's open time
TIME_UNITS: Final = frozenset({"hours", "minutes"})
#: units that count local dates, so need a clock in one zone
DAY_UNITS: Final = frozenset({"business_days", "calendar_days"})

#: what a duration string looks like (for the JSON Schema)
_CLOCK: Final = (
    r"(?:24x7|customer|follow_the_sun|center:[A-Za-z0-9][A-Za-z0-9_.-]*|(?:calendar:)?[a-z][a-z0-9_]*)"
)
#: what a clock name looks like (for the JSON Schema); a policy checks the names themselves
CLOCK_PATTERN: Final = f"^{_CLOCK}$"


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" for c in word)


_BUSINESS, _CALENDAR = _any_case("business"), _any_case("calendar")
#: what :func:`parse_duration` reads, as a regular expression (for the JSON Schema): a
#: positive whole number, a unit in any letter case, and an optional clock; day units not on
#: ``24x7`` or ``follow_the_sun``
DURATION_PATTERN: Final = (
    r"^\s*\+?0*[1-9][0-9]*\s+(?:"
    rf"(?:{_BUSINESS}\s+)?(?:{_any_case('hour')}|{_any_case('minute')})[sS]?(?:\s+on\s+{_CLOCK})?"
    rf"|(?:{_BUSINESS}|{_CALENDAR})\s+{_any_case('day')}[sS]?"
    rf"(?:\s+on\s+(?!(?:24x7|follow_the_sun)\s*$){_CLOCK})?"
    r")\s*$"
)

_TEXT = re.compile(
    r"^\s*(?P<amount>[+-]?[0-9]+)\s+(?P<words>[A-Za-z]+(?:\s+[A-Za-z]+)*?)(?:\s+on\s+(?P<clock>\S+))?\s*$"
)
_FRACTION = re.compile(r"^\s*[+-]?[0-9]*[.,][0-9]+\s")

# the singular words -> (unit, default clock); each is also read with a plural "s"
_UNITS: Final[dict[str, tuple[str, str]]] = {
    "hour": ("hours", "24x7"),
    "minute": ("minutes", "24x7"),
    "business hour": ("hours", "customer"),
    "business minute": ("minutes", "customer"),
    "business day": ("business_days", "customer"),
    "calendar day": ("calendar_days", "customer"),
}
_WORDS: Final[dict[str, tuple[str, str]]] = {w + s: v for w, v in _UNITS.items() for s in ("", "s")}

_EXAMPLES = "'4 business hours', '3 business days', '10 calendar days', '2 hours' or '30 minutes'"


def parse_duration(text: str) -> tuple[int, str, str]:
    """Read a duration string as ``(amount, unit, clock)``.

    Raises:
        ValueError: the text is not a duration; the message says what would be.

    >>> parse_duration("4 business hours")
    (4, 'hours', 'customer')
    >>> parse_duration("2 hours")
    (2, 'hours', '24x7')
    >>> parse_duration("4 Business Hours on follow_the_sun")
    (4, 'hours', 'follow_the_sun')
    >>> parse_duration("10 calendar days")
    (10, 'calendar_days', 'customer')
    """
    if _FRACTION.match(text):
        raise SlocalcValueError(
            f"duration {text!r}: amounts are whole numbers; use a smaller unit, e.g. '90 minutes'"
        )
    m = _TEXT.match(text)
    if m is None:
        raise SlocalcValueError(f"duration {text!r}: expected '<whole number> <unit>', e.g. {_EXAMPLES}")
    words = " ".join(m["words"].lower().split())
    if words in {"day", "days"}:
        raise SlocalcValueError(
            f"duration {text!r}: 'days' is ambiguous; write '{m['amount']} business days' "
            f"or '{m['amount']} calendar days'"
        )
    hit = _WORDS.get(words)
    if hit is None:
        did = did_you_mean(words, [w for w in _WORDS if w.endswith("s")])
        raise SlocalcValueError(f"duration {text!r}: unknown unit {words!r}; expected e.g. {_EXAMPLES}{did}")
    unit, clock = hit
    return int(m["amount"]), unit, m["clock"] or clock


def format_duration(amount: int, unit: str, clock: str) -> str:
    """The canonical text of a duration; :func:`parse_duration` reads it back.

    >>> format_duration(4, "hours", "customer"), format_duration(1, "hours", "24x7")
    ('4 business hours', '1 hour')
    >>> format_duration(4, "hours", "follow_the_sun")
    '4 hours on follow_the_sun'
    >>> format_duration(2, "business_days", "center:boston")
    '2 business days on center:boston'
    """
    if unit in TIME_UNITS:
        word = unit if amount != 1 else unit[:-1]
        if clock == "24x7":
            return f"{amount} {word}"
        if clock == "customer":
            return f"{amount} business {word}"
        return f"{amount} {word} on {clock}"
    word = ("business day" if unit == "business_days" else "calendar day") + ("s" if amount != 1 else "")
    return f"{amount} {word}" if clock == "customer" else f"{amount} {word} on {clock}"
