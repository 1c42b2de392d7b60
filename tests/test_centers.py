"""The support-center API: values, selections, errors, and hand-checked small cases.

Expected instants are worked out by hand in the comments (UTC offsets: London/Dublin +0 in
winter, New York -5/-4, Chicago -6/-5, Los Angeles -8/-7, Singapore +8, Jerusalem +2 in
January), never computed by slocalc.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slocalc import (
    ALWAYS,
    NEVER,
    BusinessCalendar,
    CalendarSpecError,
    NaiveDatetimeError,
    SlocalcError,
    UnknownTimezoneError,
)
from slocalc.calendars import Union
from slocalc.calendars.centers import (
    CENTERS,
    CoverageSegment,
    Handoff,
    SupportCenter,
    center,
    coverage,
    follow_the_sun,
    handoffs,
    open_centers,
)
from slocalc.errors import SlocalcTypeError

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
SG = ZoneInfo("Asia/Singapore")
SRC = str(Path(__file__).resolve().parent.parent / "src")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def tel_aviv() -> SupportCenter:
    return SupportCenter.from_hours("tel_aviv", "Tel Aviv", tz="Asia/Jerusalem", hours="Sun-Thu 08:00-17:00")


# --------------------------------------------------------------------------- the table


def test_centers_match_spec_table() -> None:
    expected = [
        ("belfast", "Belfast", "Europe/London", ("GB", "NIR")),
        ("dublin", "Dublin", "Europe/Dublin", "IE"),
        ("boston", "Boston", "America/New_York", ("US", "MA")),
        ("austin", "Austin", "America/Chicago", ("US", "TX")),
        ("los_angeles", "Los Angeles", "America/Los_Angeles", ("US", "CA")),
        ("singapore", "Singapore", "Asia/Singapore", "SG"),
    ]
    assert list(CENTERS) == [key for key, *_ in expected]
    for key, name, tz, hol in expected:
        c = CENTERS[key]
        assert (c.key, c.name, c.tz) == (key, name, tz)
        assert c.calendar == BusinessCalendar(tz=tz, hours="Mon-Fri 08:00-17:00", holidays=hol)
        assert c.zone == ZoneInfo(tz)


def test_centers_is_read_only() -> None:
    with pytest.raises(TypeError):
        CENTERS["paris"] = CENTERS["dublin"]  # type: ignore[index]
    variant = dict(CENTERS)
    del variant["belfast"]
    assert open_centers(utc(2026, 1, 14, 10), variant) == ("dublin",)


def test_centers_are_built_on_first_use() -> None:
    # In a fresh interpreter: importing the module builds no center; reading the keys does
    # not either; reading one center builds that one only.
    code = (
        "import slocalc.calendars.centers as m\n"
        "assert not m.CENTERS._built\n"
        "assert list(m.CENTERS) == ['belfast', 'dublin', 'boston', 'austin', 'los_angeles', 'singapore']\n"
        "assert len(m.CENTERS) == 6 and 'dublin' in m.CENTERS and 'paris' not in m.CENTERS\n"
        "assert not m.CENTERS._built\n"
        "assert m.CENTERS['dublin'] is m.CENTERS['dublin']\n"
        "assert list(m.CENTERS._built) == ['dublin']\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": SRC})
    assert CENTERS.get("paris") is None
    with pytest.raises(KeyError):
        CENTERS["paris"]
    assert {**CENTERS}.keys() == dict(CENTERS).keys()


def test_center_is_the_calendar_of_a_guidebook_center() -> None:
    for key, c in CENTERS.items():
        assert center(key) is c.calendar
    with pytest.raises(CalendarSpecError, match=r"unknown center 'Dublin'.*; did you mean 'dublin'\?$"):
        center("Dublin")
    with pytest.raises(CalendarSpecError, match=r"unknown center 3; known centers are belfast"):
        center(3)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- SupportCenter


def test_support_center_is_a_frozen_hashable_value() -> None:
    c = CENTERS["dublin"]
    same = SupportCenter(
        "dublin", "Dublin", "Europe/Dublin", BusinessCalendar(tz="Europe/Dublin", holidays="IE")
    )
    assert c == same
    assert hash(c) == hash(same)
    assert len({c, same}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.name = "Baile Átha Cliath"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(c)) == c


def test_support_center_repr_pastes_back() -> None:
    c = CENTERS["belfast"]
    assert (
        repr(c)
        == "SupportCenter(key='belfast', name='Belfast', tz='Europe/London', calendar=center('belfast'))"
    )
    assert eval(repr(c), {"SupportCenter": SupportCenter, "center": center}) == c
    tlv = tel_aviv()
    assert eval(repr(tlv), {"SupportCenter": SupportCenter, "BusinessCalendar": BusinessCalendar}) == tlv


def _paste_namespace() -> dict[str, object]:
    import slocalc.calendars.centers as module
    from slocalc.calendars import RecurringCalendar

    ns: dict[str, object] = {
        "BusinessCalendar": BusinessCalendar,
        "RecurringCalendar": RecurringCalendar,
        "ALWAYS": ALWAYS,
        "NEVER": NEVER,
        "date": date,
        "datetime": datetime,
        "timedelta": timedelta,
        "ZoneInfo": ZoneInfo,
    }
    ns.update({name: getattr(module, name) for name in module.__all__})  # import *
    return ns


def test_center_calendars_and_their_unions_paste_back_short() -> None:
    ns = _paste_namespace()
    fts = follow_the_sun()
    assert repr(fts) == (
        "(center('belfast') | center('dublin') | center('boston') | center('austin') | "
        "center('los_angeles') | center('singapore'))"
    )
    assert len(repr(fts)) < 200
    fridays = BusinessCalendar(tz="Asia/Singapore", hours="Fri 00:00-24:00")
    values = [
        fts,
        *(center(k) for k in CENTERS),
        follow_the_sun(["belfast", "boston"]),
        follow_the_sun(["singapore", "dublin", "los_angeles"]),
        follow_the_sun([*CENTERS, tel_aviv()]),
        center("singapore") - fridays,
        fts & center("boston"),
        Union(*(c.calendar for c in CENTERS.values())),
    ]
    assert repr(center("austin")) == "center('austin')"
    assert repr(follow_the_sun(["belfast", "boston"])) == "(center('belfast') | center('boston'))"
    for cal in values:
        text = repr(cal)
        assert len(text) < 200, text
        assert eval(text, ns) == cal, text
    # a center's calendar is a plain value (equal, same hash, pickles back to itself), but a
    # calendar built by hand prints its own definition whatever it equals, so reprs do not
    # depend on whether the centers were read before
    by_hand = BusinessCalendar(tz="Europe/Dublin", holidays="IE")
    assert by_hand == center("dublin")
    assert hash(by_hand) == hash(center("dublin"))
    assert repr(by_hand) == "BusinessCalendar(tz='Europe/Dublin', hours='Mon-Fri 08:00-17:00', holidays='IE')"
    assert pickle.loads(pickle.dumps(center("dublin"))) is center("dublin")
    assert repr(pickle.loads(pickle.dumps(fts))) == repr(fts)
    assert repr(center("austin").replace(hours="Mon-Fri 10:00-19:00")).startswith("BusinessCalendar(")


def test_replace_builds_a_what_if_variant() -> None:
    sg = CENTERS["singapore"]
    fridays = BusinessCalendar(tz="Asia/Singapore", hours="Fri 00:00-24:00")
    short = dataclasses.replace(sg, calendar=sg.calendar - fridays)
    # Fri 2026-01-16 10:00 SGT = 02:00Z: Singapore normally open, LA closed since 01:00Z.
    t = utc(2026, 1, 16, 2)
    assert open_centers(t) == ("singapore",)
    assert open_centers(t, [*list(CENTERS.values())[:-1], short]) == ()


def test_from_hours_sunday_to_thursday() -> None:
    tlv = tel_aviv()
    assert tlv.calendar == BusinessCalendar(tz="Asia/Jerusalem", hours="Sun-Thu 08:00-17:00")
    # Sun 2026-01-11 10:00 Jerusalem (UTC+2) = 08:00Z: only Tel Aviv works on Sunday.
    assert open_centers(utc(2026, 1, 11, 8), [*CENTERS, tlv]) == ("tel_aviv",)
    # Fri 2026-01-16 08:30Z: Belfast, Dublin (08:30 GMT), Singapore (16:30); not Tel Aviv.
    assert open_centers(utc(2026, 1, 16, 8, 30), [*CENTERS, tlv]) == ("belfast", "dublin", "singapore")


def test_from_hours_company_holiday_list() -> None:
    cork = SupportCenter.from_hours("cork", "Cork", tz="Europe/Dublin", holidays=[date(2026, 1, 14)])
    assert open_centers(utc(2026, 1, 14, 10), ["belfast", cork]) == ("belfast",)
    assert open_centers(utc(2026, 1, 15, 10), ["belfast", cork]) == ("belfast", "cork")


def test_always_and_never_fit_any_center() -> None:
    assert SupportCenter("noc", "NOC", "Asia/Tokyo", ALWAYS).calendar is ALWAYS
    assert SupportCenter("closed", "Closed", "Asia/Tokyo", NEVER).calendar is NEVER
    # A union (not a single-zone calendar) is accepted as it is.
    two = BusinessCalendar(tz="Asia/Tokyo", hours="Mon-Fri 09:00-12:00") | BusinessCalendar(
        tz="Asia/Tokyo", hours="Mon-Fri 13:00-18:00"
    )
    assert SupportCenter("tokyo", "Tokyo", "Asia/Tokyo", two).calendar == two


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (
            ("Tel Aviv", "Tel Aviv", "UTC", ALWAYS),
            CalendarSpecError,
            "key 'Tel Aviv': expected a short key of letters, digits, '_', '.' or '-', "
            "starting with a letter or digit, e.g. 'tel_aviv'",
        ),
        (("a,b", "A", "UTC", ALWAYS), CalendarSpecError, "key 'a,b': expected a short key"),
        (("x", " ", "UTC", ALWAYS), CalendarSpecError, "name ' ': expected a non-empty display name"),
        (("x", "X", "Europe/Lundon", ALWAYS), UnknownTimezoneError, "unknown time zone 'Europe/Lundon'"),
        (("x", "X", "UTC", "Mon-Fri"), SlocalcTypeError, "calendar: expected a slocalc calendar, got str"),
        (
            ("paris", "Paris", "Europe/Paris", BusinessCalendar(tz="Europe/Berlin")),
            CalendarSpecError,
            "calendar BusinessCalendar(tz='Europe/Berlin', hours='Mon-Fri 08:00-17:00'): runs in "
            "'Europe/Berlin' but the center 'paris' is in 'Europe/Paris'; build the calendar with "
            "tz='Europe/Paris'",
        ),
    ],
)
def test_support_center_validation(args: tuple[object, ...], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        SupportCenter(*args)  # type: ignore[arg-type]
    assert issubclass(error, SlocalcError)


# --------------------------------------------------------------------------- selections


def test_unknown_key_lists_close_matches_and_valid_keys() -> None:
    msg = (
        "centers: unknown center 'bostn'; known centers are belfast, dublin, boston, austin, "
        "los_angeles, singapore, or pass a SupportCenter; did you mean 'boston'?"
    )
    for call in (
        lambda: follow_the_sun(["belfast", "bostn"]),
        lambda: open_centers(utc(2026, 1, 14), ["bostn"]),
        lambda: coverage(utc(2026, 1, 14), utc(2026, 1, 15), ["bostn"]),
        lambda: handoffs(date(2026, 1, 14), ["bostn"]),
    ):
        with pytest.raises(CalendarSpecError, match=re.escape(msg)):
            call()
    with pytest.raises(
        ValueError, match=r"unknown center 'paris'; known centers are belfast.*SupportCenter$"
    ):
        follow_the_sun(["paris"])


@pytest.mark.parametrize(
    ("centers", "error", "message"),
    [
        (
            "boston",
            SlocalcTypeError,
            "centers: got the string 'boston'; pass a list of keys, e.g. ['boston']",
        ),
        (
            42,
            SlocalcTypeError,
            "centers: expected keys or SupportCenter values (an iterable or a mapping), got int 42",
        ),
        ([1], SlocalcTypeError, "centers: expected a center key or a SupportCenter, got int 1"),
        (
            {"x": CENTERS["belfast"]},
            CalendarSpecError,
            "centers['x']: holds the center 'belfast'; a mapping's keys must be its centers' keys",
        ),
        ({"x": "Mon-Fri"}, SlocalcTypeError, "centers['x']: expected a SupportCenter or a calendar, got str"),
        ({"bad key": ALWAYS}, CalendarSpecError, "centers: key 'bad key': expected a short key"),
        (
            ["belfast", SupportCenter.from_hours("belfast", "Belfast", tz="Europe/London")],
            CalendarSpecError,
            "centers: two different centers share the key 'belfast'; give each a unique key",
        ),
    ],
)
def test_bad_selections(centers: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        follow_the_sun(centers)  # type: ignore[arg-type]


def test_selection_forms() -> None:
    t = utc(2026, 1, 14, 8, 30)  # 08:30 GMT, 16:30 SGT: Belfast, Dublin, Singapore
    assert open_centers(t) == ("belfast", "dublin", "singapore")
    assert open_centers(t, CENTERS) == ("belfast", "dublin", "singapore")
    # The caller's order, duplicates of one center folded.
    assert open_centers(t, ["singapore", "belfast", "belfast", CENTERS["singapore"]]) == (
        "singapore",
        "belfast",
    )
    assert open_centers(t, CENTERS["dublin"]) == ("dublin",)
    assert open_centers(t, iter(["boston", "dublin"])) == ("dublin",)
    assert open_centers(t, []) == ()
    # A mapping may hold bare calendars under any key.
    assert open_centers(t, {"noc": ALWAYS, "never": NEVER}) == ("noc",)


# --------------------------------------------------------------------------- follow_the_sun


def test_follow_the_sun_is_the_union() -> None:
    fts = follow_the_sun()
    assert fts == Union(*(c.calendar for c in CENTERS.values()))
    assert follow_the_sun(CENTERS) == fts
    assert follow_the_sun(["singapore", "belfast"]) == follow_the_sun(["belfast", "singapore"])
    assert follow_the_sun([]) is NEVER
    # Winter week 2026-01-12: open without a break from Mon 00:00Z (Singapore) to Sat 01:00Z
    # (LA's Friday close, 17:00 PST): 5 days + 1 hour.
    assert fts.between(utc(2026, 1, 12), utc(2026, 1, 19)) == timedelta(days=5, hours=1)
    # Summer week 2026-07-20: LA closes at 17:00 PDT = 00:00Z as Singapore opens: 5 days flat.
    assert fts.between(utc(2026, 7, 20), utc(2026, 7, 27)) == timedelta(days=5)
    # Sat 2026-01-17 12:00Z: the next opening is Singapore, Mon 08:00 SGT = Mon 00:00Z.
    assert fts.next_open(datetime(2026, 1, 17, 12, tzinfo=NY)) == utc(2026, 1, 19)
    assert fts.next_open(datetime(2026, 1, 17, 12, tzinfo=NY)).tzinfo is NY


# --------------------------------------------------------------------------- open_centers


def test_open_centers_at_boundaries() -> None:
    # Tue 2026-01-13: LA's Monday shift ends 17:00 PST = 01:00Z (half-open: closed at 01:00Z).
    assert open_centers(utc(2026, 1, 13, 0, 59, 59, 999999)) == ("los_angeles", "singapore")
    assert open_centers(utc(2026, 1, 13, 1)) == ("singapore",)
    # Given in any zone: 2026-01-13 08:00 GMT is 03:00 EST.
    assert open_centers(datetime(2026, 1, 13, 3, tzinfo=NY)) == ("belfast", "dublin", "singapore")


def test_open_centers_errors() -> None:
    with pytest.raises(NaiveDatetimeError, match=re.escape("t: got naive datetime 2026-01-13 03:00:00")):
        open_centers(datetime(2026, 1, 13, 3))
    with pytest.raises(SlocalcTypeError, match="t: expected an aware datetime, got str"):
        open_centers("2026-01-13T03:00Z")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- coverage


def test_coverage_across_us_spring_forward_in_new_york() -> None:
    # From Sat 2026-03-07 12:00 EST (17:00Z) to Mon 2026-03-09 12:00 EDT (16:00Z); the US
    # springs forward on Sun 03-08 at 02:00. Worked out by hand, in New York wall time:
    a = datetime(2026, 3, 7, 12, tzinfo=NY)
    b = datetime(2026, 3, 9, 12, tzinfo=NY)
    segs = coverage(a, b)
    assert segs == [
        # weekend gap until Singapore opens Mon 08:00 SGT = Mon 00:00Z = Sun 20:00 EDT
        (a, datetime(2026, 3, 8, 20, tzinfo=NY), frozenset()),
        (datetime(2026, 3, 8, 20, tzinfo=NY), datetime(2026, 3, 9, 4, tzinfo=NY), frozenset({"singapore"})),
        # Belfast/Dublin 08:00 GMT = 04:00 EDT (EU not yet on summer time)
        (
            datetime(2026, 3, 9, 4, tzinfo=NY),
            datetime(2026, 3, 9, 5, tzinfo=NY),
            frozenset({"belfast", "dublin", "singapore"}),
        ),
        # Singapore closes 17:00 SGT = 09:00Z = 05:00 EDT
        (
            datetime(2026, 3, 9, 5, tzinfo=NY),
            datetime(2026, 3, 9, 8, tzinfo=NY),
            frozenset({"belfast", "dublin"}),
        ),
        (
            datetime(2026, 3, 9, 8, tzinfo=NY),
            datetime(2026, 3, 9, 9, tzinfo=NY),
            frozenset({"belfast", "dublin", "boston"}),
        ),
        # Austin 08:00 CDT = 09:00 EDT; LA 08:00 PDT = 11:00 EDT
        (
            datetime(2026, 3, 9, 9, tzinfo=NY),
            datetime(2026, 3, 9, 11, tzinfo=NY),
            frozenset({"belfast", "dublin", "boston", "austin"}),
        ),
        (
            datetime(2026, 3, 9, 11, tzinfo=NY),
            b,
            frozenset({"belfast", "dublin", "boston", "austin", "los_angeles"}),
        ),
    ]
    assert all(s.tzinfo is NY and e.tzinfo is NY for s, e, _ in segs)
    # 17:00Z Saturday to 00:00Z Monday is 31 hours, although the wall clock moves 32.
    assert segs[0].duration == timedelta(hours=31)
    assert segs[0].is_gap
    assert not segs[1].is_gap
    assert isinstance(segs[0], CoverageSegment)
    assert segs[1].centers == frozenset({"singapore"})


def test_coverage_small_and_empty_ranges() -> None:
    t = utc(2026, 1, 14, 8, 30)
    assert coverage(t, t) == []
    assert coverage(t, t - timedelta(hours=1)) == []
    one = t + timedelta(microseconds=1)
    assert coverage(t, one) == [(t, one, frozenset({"belfast", "dublin", "singapore"}))]
    assert coverage(t, one, []) == [(t, one, frozenset())]


def test_coverage_results_in_tzinfo_of_a() -> None:
    a = datetime(2026, 1, 14, 0, tzinfo=SG)
    segs = coverage(a, utc(2026, 1, 14, 12))
    assert all(s.tzinfo is SG and e.tzinfo is SG for s, e, _ in segs)
    assert segs[0][0] == a
    assert segs[-1][1] == utc(2026, 1, 14, 12)


def test_coverage_with_a_sunday_center_splits_the_weekend_gap() -> None:
    # Tel Aviv works Sun 08:00-17:00 Jerusalem (UTC+2 in January) = 06:00Z-15:00Z.
    segs = coverage(utc(2026, 1, 17, 1), utc(2026, 1, 19), [*CENTERS, tel_aviv()])
    assert segs == [
        (utc(2026, 1, 17, 1), utc(2026, 1, 18, 6), frozenset()),
        (utc(2026, 1, 18, 6), utc(2026, 1, 18, 15), frozenset({"tel_aviv"})),
        (utc(2026, 1, 18, 15), utc(2026, 1, 19), frozenset()),
    ]


def test_coverage_errors() -> None:
    with pytest.raises(NaiveDatetimeError, match=re.escape("b: got naive datetime 2026-01-15 00:00:00")):
        coverage(utc(2026, 1, 14), datetime(2026, 1, 15))
    with pytest.raises(NaiveDatetimeError, match="a: got naive datetime"):
        coverage(datetime(2026, 1, 14), utc(2026, 1, 15))


# --------------------------------------------------------------------------- handoffs


def test_handoffs_in_los_angeles() -> None:
    # The week is Mon 2026-01-12 00:00 PST (08:00Z) to Mon 01-19 00:00 PST (08:00Z).
    hs = handoffs(date(2026, 1, 18), tz="America/Los_Angeles")
    assert hs == handoffs(date(2026, 1, 12), tz="America/Los_Angeles")
    # Mon: 8 changes from 08:00Z (Singapore's 00:00Z opening is Sunday 16:00 PST, before the
    # week); Tue-Fri: 10 each; Sat 01:00Z: LA closes; Sun 01-18 16:00 PST: Singapore opens
    # (Mon 08:00 SGT; MLK Day closes only the US centers).
    assert len(hs) == 8 + 4 * 10 + 1 + 1
    first = hs[0]
    assert first == Handoff(
        datetime(2026, 1, 12, 0, tzinfo=LA), ("singapore",), ("belfast", "dublin", "singapore")
    )
    assert first.at.tzinfo == LA
    assert first.opens == ("belfast", "dublin")
    assert first.closes == ()
    assert first.utc == utc(2026, 1, 12, 8)
    assert first.utc.tzinfo is UTC
    assert str(first) == "Mon 2026-01-12 00:00 PST  +belfast +dublin  -> belfast, dublin, singapore"
    friday_close = hs[-2]
    assert friday_close.at == datetime(2026, 1, 16, 17, tzinfo=LA)
    assert (friday_close.opens, friday_close.closes, friday_close.after) == ((), ("los_angeles",), ())
    assert str(friday_close) == "Fri 2026-01-16 17:00 PST  -los_angeles  -> nobody (gap)"
    assert hs[-1].at == datetime(2026, 1, 18, 16, tzinfo=LA)
    assert hs[-1].opens == ("singapore",)


def test_handoffs_in_singapore_and_utc_are_the_same_instants_shifted() -> None:
    # The Singapore week (Mon 00:00 SGT = Sun 16:00Z) starts 8 hours before the UTC week, and
    # nothing happens on Sunday, so both weeks hold the same 50 changes.
    sg = handoffs(date(2026, 1, 14), tz="Asia/Singapore")
    zulu = handoffs(date(2026, 1, 14))
    assert [h.utc for h in sg] == [h.utc for h in zulu]
    assert len(sg) == 50
    assert sg[0].at == datetime(2026, 1, 12, 8, tzinfo=SG)
    assert sg[0].opens == ("singapore",)
    assert sg[-1].at == datetime(2026, 1, 17, 9, tzinfo=SG)
    assert sg[-1].closes == ("los_angeles",)


def test_handoffs_include_a_change_at_the_weeks_start() -> None:
    # Singapore opens at exactly Mon 00:00Z, the start of the UTC week.
    hs = handoffs(date(2026, 1, 12))
    assert hs[0] == Handoff(utc(2026, 1, 12), (), ("singapore",))
    # ...and with Singapore left out, the first change is Belfast/Dublin at 08:00Z.
    hs = handoffs(date(2026, 1, 12), ["belfast", "dublin"])
    assert hs[0] == Handoff(utc(2026, 1, 12, 8), (), ("belfast", "dublin"))
    assert len(hs) == 10  # open and close on five days


def test_handoffs_errors() -> None:
    # The guidebook's labels are not zones.
    with pytest.raises(UnknownTimezoneError, match="unknown time zone 'BST'"):
        handoffs(date(2026, 1, 12), tz="BST")
    with pytest.raises(SlocalcTypeError, match=re.escape("week_of: expected a datetime.date, got datetime")):
        handoffs(utc(2026, 1, 12))
    with pytest.raises(SlocalcTypeError, match=re.escape("week_of: expected a datetime.date, got str")):
        handoffs("2026-01-12")  # type: ignore[arg-type]
