"""``Alert.to_dict`` made field by field: the same dict pydantic's serialiser gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import TzInfo

from slocalc.cases import Alert
from slocalc.cases._report import _adapter

ZONES = st.sampled_from(
    [
        UTC,
        TzInfo(0),
        TzInfo(20700),
        timezone(timedelta(hours=-9, minutes=-30)),
        timezone(timedelta(seconds=30)),
        ZoneInfo("Europe/London"),
        ZoneInfo("Australia/Lord_Howe"),
    ]
)
INSTANTS = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=ZONES)
DURATIONS = st.none() | st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(days=4000))


def test_hand_worked() -> None:
    alert = Alert(
        "C-1",
        "update",
        "breached",
        datetime(2026, 3, 27, 22, 0, tzinfo=TzInfo(0)),
        6,
        3,
        datetime(2026, 3, 28, 1, 2, 3, 450000, tzinfo=timezone(timedelta(hours=5, minutes=45))),
        timedelta(days=3, hours=19),
    )
    assert alert.to_dict() == {
        "case_id": "C-1",
        "metric": "update",
        "kind": "breached",
        "due_at": "2026-03-27T22:00:00Z",
        "cycle": 6,
        "severity": 3,
        "met_at": "2026-03-28T01:02:03.450000+05:45",
        "breached_by": "P3DT19H",
        "remaining": None,
        "budget": None,
    }
    at_risk = Alert("C-2", "initial_response", "at_risk", datetime(2026, 1, 1, tzinfo=UTC), 0, 1,
                    remaining=timedelta(0), budget=timedelta(seconds=59, microseconds=500000))  # fmt: skip
    assert (at_risk.to_dict()["remaining"], at_risk.to_dict()["budget"]) == ("PT0S", "PT59.5S")


@given(
    st.tuples(
        st.text(max_size=5),
        st.sampled_from(["initial_response", "update", "resolution"]),
        st.sampled_from(["breached", "at_risk"]),
        INSTANTS,
        st.integers(0, 50),
        st.integers(-3, 9),
        st.none() | INSTANTS,
        DURATIONS,
        DURATIONS,
        DURATIONS,
    )
)
def test_equals_pydantics_serialiser(fields: tuple[Any, ...]) -> None:
    alert = Alert(*fields)
    expected = _adapter(Alert).dump_python(alert, mode="json")
    assert alert.to_dict() == expected
    assert alert.to_dict() == expected  # again, from the texts made the first time
    assert list(alert.to_dict()) == list(expected)


def test_a_subclass_of_datetime_goes_pydantics_way() -> None:
    class Stamp(datetime):
        pass

    alert = Alert("C-3", "update", "breached", Stamp(2026, 3, 2, 9, 0, tzinfo=UTC), 1, 2)
    assert alert.to_dict() == _adapter(Alert).dump_python(alert, mode="json")
