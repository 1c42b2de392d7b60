"""The peers' expectations: assertions from other libraries' own test suites, run on slocalc.

Each row of ``tests/resources/peers/peer_assertions.csv`` is one assertion taken from a
peer's test file (cited in :data:`SOURCES` by repository, path and the commit it was read
at), translated to a slocalc calendar (:data:`CALENDARS`) and call. The expected values are
the peers' literal values, copied by hand; none is computed by slocalc. A row is classified
as:

* ``agree``: slocalc gives the peer's answer;
* ``convention``: slocalc differs on purpose, by one of the conventions named on
  docs/comparison.md ("Conventions"). The row holds slocalc's own answer *and* the peer's,
  and asserts both, so the test fails when a convention silently changes (slocalc starts
  giving the peer's answer, or a third one).

Translations:

* pandas offsets work on naive wall clocks with a Mon-Fri week: they become calendars in
  ``UTC``; ``ts + n * BusinessHour()`` is ``add(ts, n hours)``, ``is_on_offset`` is
  ``is_open``, ``rollforward`` is ``next_open``. Holidays and weekmasks become ``holidays``
  and day names.
* businesstimedelta's ``dt + BusinessTimeDelta(rules, hours=h)`` is ``add``,
  ``rules.difference(a, b)`` is ``between``, ``rule.next(dt)[0]`` is ``next_open``.
* biz's ``time(n, unit).after``/``.before`` is ``add`` with ``+n``/``-n`` (``add_days`` for
  ``:days``), ``within`` is ``between``, ``in_hours?`` is ``is_open``, the first period of
  ``periods.after(t)`` is ``next_open``/``next_close``, breaks become ``overrides``. biz's
  spec schedule (spec/support/time.rb at 0fb58f6c4dc994f38ef9dc6b7de9f5da5bf92af2) is
  ``Mon,Wed,Fri 09:00-17:00; Tue,Thu 10:00-16:00; Sat 11:00-14:30`` in ``Etc/UTC``.

Rows marked ``needs_issue_19`` agree with biz only under the negative ``add_days`` rule of
issue 19 (start from the last business instant at or before t, see
docs/concepts/business-days.md); they are strict xfails until that rule is on main.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest

from slocalc import BusinessCalendar

# repository, path, commit: where each peer assertion was read.
SOURCES: dict[str, tuple[str, str, str]] = {
    "pandas/test_business_hour.py": (
        "pandas-dev/pandas",
        "pandas/tests/tseries/offsets/test_business_hour.py",
        "0134e1adbddf4ccbc80290a1d6b834a20fe5e58b",
    ),
    "pandas/test_custom_business_hour.py": (
        "pandas-dev/pandas",
        "pandas/tests/tseries/offsets/test_custom_business_hour.py",
        "01af5af91233235ef812e484a651a3fce652f4f2",
    ),
    "btd/businesstimedelta_tests.py": (
        "seppemans/businesstimedelta",
        "businesstimedelta/test/businesstimedelta_tests.py",
        "11d5f40a8784a7a2003a28030fe15a44a112b3fb",
    ),
    "btd/workdayrule_tests.py": (
        "seppemans/businesstimedelta",
        "businesstimedelta/test/rules/workdayrule_tests.py",
        "1e9b75ec0cf149389d973736010dcb0636ebc228",
    ),
    "btd/rules_tests.py": (
        "seppemans/businesstimedelta",
        "businesstimedelta/test/rules/rules_tests.py",
        "50fabd06d214765489893cb68bd58a566c9dab7e",
    ),
    "biz/for_duration_spec.rb": (
        "zendesk/biz",
        "spec/calculation/for_duration_spec.rb",
        "324fe55f9182156ac1bff8c69433070977dbd376",
    ),
    "biz/duration_within_spec.rb": (
        "zendesk/biz",
        "spec/calculation/duration_within_spec.rb",
        "f55099574be26f639a25b3c74adf94fb4685f7aa",
    ),
    "biz/active_spec.rb": (
        "zendesk/biz",
        "spec/calculation/active_spec.rb",
        "cc8ee6101b170b75e7a401ab836727f5a3e7eeae",
    ),
    "biz/periods/after_spec.rb": (
        "zendesk/biz",
        "spec/periods/after_spec.rb",
        "049cc1332794a5962a32520cdfbe50d37852fe41",
    ),
    "biz/schedule_spec.rb": (
        "zendesk/biz",
        "spec/schedule_spec.rb",
        "318930d1e56edff599645d73cb93eed82e84e9a1",
    ),
    "biz/interval_spec.rb": (
        "zendesk/biz",
        "spec/interval_spec.rb",
        "5a94539da03422662ab3e0cd6ce26748089cd629",
    ),
    "biz/time_spec.rb": (
        "zendesk/biz",
        "spec/time_spec.rb",
        "226fb4bffab649bfb89947098a87343b625e4437",
    ),
}

_BIZ_HOURS = "Mon,Wed,Fri 09:00-17:00; Tue,Thu 10:00-16:00; Sat 11:00-14:30"

CALENDARS: dict[str, BusinessCalendar] = {
    # pandas BusinessHour() and friends (naive wall clock, Mon-Fri).
    "bh": BusinessCalendar(tz="UTC", hours="Mon-Fri 09:00-17:00"),
    "bh_13_16": BusinessCalendar(tz="UTC", hours="Mon-Fri 13:00-16:00"),
    "bh_19_05": BusinessCalendar(tz="UTC", hours="Mon-Fri 19:00-05:00"),
    "bh_20_05": BusinessCalendar(tz="UTC", hours="Mon-Fri 20:00-05:00"),
    "bh_21_02": BusinessCalendar(tz="UTC", hours="Mon-Fri 21:00-02:00"),
    "bh_two": BusinessCalendar(tz="UTC", hours="Mon-Fri 09:00-12:00,14:00-18:00"),
    # pandas CustomBusinessHour(holidays=["2014-06-27", datetime(2014, 6, 30), "2014-07-02"]).
    "cbh_holidays": BusinessCalendar(
        tz="UTC",
        hours="Mon-Fri 09:00-17:00",
        holidays=[date(2014, 6, 27), date(2014, 6, 30), date(2014, 7, 2)],
    ),
    "cbh_10_15_holidays": BusinessCalendar(
        tz="UTC",
        hours="Mon-Fri 10:00-15:00",
        holidays=[date(2014, 6, 27), date(2014, 6, 30), date(2014, 7, 2)],
    ),
    "cbh_tue_fri": BusinessCalendar(tz="UTC", hours="Tue-Fri 09:00-17:00"),
    # CustomBusinessHour(calendar=USFederalHolidayCalendar()): Martin Luther King Day 2014.
    "cbh_us_federal": BusinessCalendar(tz="UTC", hours="Mon-Fri 09:00-17:00", holidays=[date(2014, 1, 20)]),
    "cbh_mon_sat": BusinessCalendar(tz="UTC", hours="Mon-Sat 08:00-17:00", holidays=[date(2018, 11, 9)]),
    "cbh_tue_sat": BusinessCalendar(tz="UTC", hours="Tue-Sat 08:00-17:00", holidays=[date(2018, 11, 9)]),
    # businesstimedelta
    "btd": BusinessCalendar(tz="UTC", hours="Mon-Fri 09:00-17:00"),
    "btd_lunch": BusinessCalendar(tz="UTC", hours="Mon-Fri 09:00-12:00,13:00-18:00"),
    "btd_lunch_17": BusinessCalendar(tz="UTC", hours="Mon-Fri 09:00-12:00,13:00-17:00"),
    "btd_lunch_ca": BusinessCalendar(
        tz="UTC", hours="Mon-Fri 09:00-12:00,13:00-18:00", holidays=("US", "CA")
    ),
    "btd_santiago": BusinessCalendar(tz="America/Santiago", hours="Mon-Fri 09:00-12:00,13:00-18:00"),
    # zendesk/biz: the spec schedule, and the variants its specs build.
    "biz": BusinessCalendar(tz="UTC", hours=_BIZ_HOURS),
    "biz_holiday_0104": BusinessCalendar(tz="UTC", hours=_BIZ_HOURS, holidays=[date(2006, 1, 4)]),
    "biz_holidays_0116_0118": BusinessCalendar(
        tz="UTC", hours=_BIZ_HOURS, holidays=[date(2006, 1, 16), date(2006, 1, 18)]
    ),
    "biz_breaks": BusinessCalendar(
        tz="UTC",
        hours=_BIZ_HOURS,
        holidays=[date(2006, 1, 1), date(2006, 12, 25)],
        overrides={
            date(2006, 1, 2): "09:00-10:00,11:30-17:00",
            date(2006, 1, 3): "10:00-14:15,14:30-15:40,15:50-16:00",
        },
    ),
    "biz_la_mon": BusinessCalendar(tz="America/Los_Angeles", hours="Mon 09:00-17:00"),
    "biz_la_sat": BusinessCalendar(tz="America/Los_Angeles", hours="Sat 06:00-18:00"),
    "biz_la_gap": BusinessCalendar(tz="America/Los_Angeles", hours="Sun 02:30-03:15; Mon 09:00-17:00"),
    "biz_la_sun_0230": BusinessCalendar(tz="America/Los_Angeles", hours="Sun 02:30-05:00"),
    "biz_la_sun_0130": BusinessCalendar(tz="America/Los_Angeles", hours="Sun 01:30-03:00"),
    "biz_sao_paulo": BusinessCalendar(tz="America/Sao_Paulo", hours="Sat 20:00-24:00"),
}

# The conventions of docs/comparison.md, by the name a row cites.
CONVENTIONS = {
    "close": "a result that lands on a close stays at the close",
    "half-open": "open intervals are half-open [open, close)",
    "zero": "add(t, 0) == t",
    "signed": "between is signed",
    "gap": "a boundary in a spring-forward gap is the transition instant",
}

Op = Literal["add", "between", "add_days", "is_open", "next_open", "next_close"]

PEERS_CSV = Path(__file__).parent / "resources" / "peers" / "peer_assertions.csv"


@dataclass(frozen=True)
class Row:
    """One peer assertion, translated: a row of ``peer_assertions.csv``."""

    source: str  # a key of SOURCES
    where: str  # the test (or spec context) in that file
    calendar: str  # a key of CALENDARS
    op: Op
    input: str  # an ISO instant; converted to the calendar's zone before the call
    arg: str  # add: [-]H:MM[:SS]; between: an ISO instant; add_days: an int; else ""
    expected: str  # slocalc's answer: exact isoformat(), [-]H:MM[:SS], True/False
    convention: str  # "" for agree, else a key of CONVENTIONS
    peer: str  # the peer's answer, for convention rows ("" when it is `expected`)
    needs_issue_19: bool  # agree only by the negative add_days rule of issue 19

    @property
    def kind(self) -> str:
        return "convention" if self.convention else "agree"

    @property
    def id(self) -> str:
        return f"{self.source}:{self.where}:{self.op}({self.input},{self.arg})"


def load_rows() -> list[Row]:
    with PEERS_CSV.open(encoding="utf-8", newline="") as f:
        return [
            Row(**{**raw, "needs_issue_19": raw["needs_issue_19"] == "yes"})  # type: ignore[arg-type]
            for raw in csv.DictReader(f)
        ]


ROWS = load_rows()

_DURATION = re.compile(r"^(?P<sign>-?)(?P<h>\d+):(?P<m>\d{2})(?::(?P<s>\d{2}))?$")


def parse_duration(text: str) -> timedelta:
    m = _DURATION.match(text)
    assert m, f"bad duration {text!r} in a peer row"
    d = timedelta(hours=int(m["h"]), minutes=int(m["m"]), seconds=int(m["s"] or 0))
    return -d if m["sign"] else d


def format_duration(d: timedelta) -> str:
    sign, d = ("-", -d) if d < timedelta(0) else ("", d)
    total = int(d.total_seconds())
    assert d == timedelta(seconds=total), "peer rows are whole seconds"
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{sign}{h}:{m:02d}" + (f":{s:02d}" if s else "")


def answer(row: Row) -> str:
    """slocalc's answer to a row, in the row's format."""
    cal = CALENDARS[row.calendar]
    t = datetime.fromisoformat(row.input).astimezone(cal.zone)  # answers come back in t's zone
    if row.op == "add":
        return cal.add(t, parse_duration(row.arg)).isoformat()
    if row.op == "between":
        return format_duration(cal.between(t, datetime.fromisoformat(row.arg).astimezone(cal.zone)))
    if row.op == "add_days":
        return cal.add_days(t, int(row.arg)).isoformat()
    if row.op == "is_open":
        return str(cal.is_open(t))
    if row.op == "next_open":
        return cal.next_open(t).isoformat()
    if row.op == "next_close":
        close = cal.next_close(t)
        assert close is not None
        return close.isoformat()
    raise AssertionError(f"unknown op {row.op!r}")


def _param(row: Row) -> object:
    marks = []
    if row.needs_issue_19:
        marks.append(pytest.mark.xfail(strict=True, reason="needs negative add_days from issue 19"))
    return pytest.param(row, id=row.id, marks=marks)


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_peer_assertion(row: Row) -> None:
    got = answer(row)
    if row.convention:
        assert got != row.peer, (
            f"slocalc now gives the peer's answer: did {CONVENTIONS[row.convention]!r} change?"
        )
    assert got == row.expected, f"{row.kind} row: slocalc gives {got}, the row expects {row.expected}"


def test_rows_are_well_formed() -> None:
    for row in ROWS:
        assert row.source in SOURCES, row
        assert row.calendar in CALENDARS, row
        if row.convention:
            assert row.convention in CONVENTIONS, row
            assert row.peer, row
            assert row.peer != row.expected, row
        else:
            assert not row.peer, row
        assert not (row.needs_issue_19 and row.convention), row
    assert len({r.id for r in ROWS}) == len(ROWS), "duplicate peer rows"
    assert len(ROWS) >= 36, "the peers' expectations should be a few dozen rows at least"


def test_every_peer_and_convention_is_represented() -> None:
    by_peer = Counter(SOURCES[r.source][0] for r in ROWS)
    assert set(by_peer) == {"pandas-dev/pandas", "seppemans/businesstimedelta", "zendesk/biz"}
    assert min(by_peer.values()) >= 10, by_peer
    assert {r.convention for r in ROWS if r.convention} == set(CONVENTIONS)
    assert any(r.needs_issue_19 for r in ROWS)
