"""Reports for humans and notebooks: explain(), JSON, DataFrames."""

from __future__ import annotations

import dataclasses
import json
import sys
import typing
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from slocalc.cases import (
    Alert,
    Case,
    CaseCheck,
    CaseReport,
    Event,
    Step,
    TargetResult,
    check,
    check_case,
    evaluate,
    to_frame,
)
from slocalc.errors import MissingExtraError
from slocalc.policies import RAPID7, Customer

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=BERLIN)


CASE = Case(
    id="C-1",
    severity=2,
    opened_at=berlin(5, 10),  # Thu
    customer=Customer(tz="Europe/Berlin", country="DE"),
    events=[
        Event(at=berlin(5, 11), kind="support_update"),
        Event(at=berlin(6, 15), kind="status", status="waiting_on_customer"),
        Event(at=berlin(9, 10), kind="customer_update"),
        Event(at=berlin(10, 9), kind="severity", severity=1),
    ],
)
NOW = berlin(10, 12)


def test_explain_says_how_each_deadline_was_reached() -> None:
    text = evaluate(CASE, RAPID7, now=NOW).explain()
    lines = text.splitlines()
    assert lines[0] == "Case C-1 at 2026-03-10T12:00:00+01:00: severity 1, status in_progress, 1 breach"
    assert lines[1] == "Initial response: met at 2026-03-05T11:00:00+01:00 (due 2026-03-05T14:00:00+01:00)"
    assert "promise: 4 business hours (clock 'customer', severity 2), from 2026-03-05T10:00:00+01:00" in text
    # cycle 1 from Thu 11:00: 3 business days -> Tue 11:00; paused Fri 15:00 with
    # Fri 15-17 + Mon + Tue 08-11 = 14 h left; resumed Mon 10:00 after 67 h (4 business
    # hours: Fri 15-17, Mon 08-10) -> Tue 15:00. Then Tue 09:00 severity 2 -> 1, rebased:
    # 4 h on 24x7 from Thu 11:00 = Thu 15:00, before the pause began, so the pause does not
    # count: breached at once; at Tue 12:00 it is 4 days 21 hours = 117 h late.
    assert "Update #1: BREACHED by 117:00:00 (due 2026-03-05T15:00:00+01:00; still unanswered)" in text
    assert "start     initial response given; first update cycle -> due 2026-03-10T11:00:00+01:00" in text
    assert (
        "2026-03-06T15:00:00+01:00  pause     status: open -> waiting_on_customer: clock paused "
        "with 14:00:00 of clock time left -> paused"
    ) in text
    assert (
        "2026-03-09T10:00:00+01:00  resume    customer update: waiting_on_customer -> in_progress: "
        "paused 67:00:00 elapsed, 4:00:00 of clock time; deadline moved -> due 2026-03-10T15:00:00+01:00"
    ) in text
    assert "severity  severity 2 -> 1 (rebase): 4 hours from the original start" in text
    assert "breach    breached at once: the rebased deadline had passed before the change" in text


def test_explain_mentions_auto_close_reopen_and_late_attempts() -> None:
    t0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
    c = Case(
        id="C-2",
        severity=3,
        opened_at=t0,
        customer=Customer(tz="UTC"),
        events=[
            Event(at=t0, kind="support_update"),
            Event(at=t0, kind="status", status="closed"),
            Event(at=t0 + timedelta(days=11), kind="customer_update"),
            Event(at=t0 + timedelta(days=30), kind="customer_update"),
        ],
    )
    text = evaluate(c, RAPID7, now=t0 + timedelta(days=12)).explain()
    assert "A customer update reopens the case until 2026-03-12T09:00:00+00:00" in text
    assert "Customer update at 2026-03-13T09:00:00+00:00 came after the reopen window" in text
    assert text.endswith("1 event after now not replayed")


def test_report_json_round_trip_and_shape() -> None:
    report = evaluate(CASE, RAPID7, now=NOW)
    data = json.loads(report.to_json())
    assert data["case_id"] == "C-1"
    assert data["initial_response"]["due_at"] == "2026-03-05T14:00:00+01:00"
    assert data["updates"][0]["breached_by"] == "P4DT21H"  # ISO 8601 duration: 117 hours
    assert data["updates"][0]["history"][0]["kind"] == "start"
    assert CaseReport.from_json(report.to_json()) == report
    assert hash(report) == hash(CaseReport.from_json(report.to_json()))


def test_alerts_are_json_serialisable_values() -> None:
    alerts = check([CASE], RAPID7, now=NOW)
    assert len(alerts) == 1
    (alert,) = alerts
    assert alert == Alert(
        case_id="C-1",
        metric="update",
        kind="breached",
        due_at=berlin(5, 15),
        cycle=1,
        severity=1,
        breached_by=timedelta(hours=117),
    )
    assert Alert.from_json(alert.to_json()) == alert
    assert {alert}  # hashable
    # worked by hand: Berlin is UTC+1 in March, 117 hours are 4 days 21 hours
    assert alert.to_json() == (
        '{"case_id":"C-1","metric":"update","kind":"breached","due_at":"2026-03-05T15:00:00+01:00",'
        '"cycle":1,"severity":1,"met_at":null,"breached_by":"P4DT21H","remaining":null,"budget":null}'
    )
    assert alert.to_dict() == json.loads(alert.to_json())
    assert Alert.from_dict(alert.to_dict()) == alert
    assert alert.label == "update #1"


RESULT_TYPES = (Step, TargetResult, CaseReport, Alert, CaseCheck)


@pytest.mark.parametrize("cls", RESULT_TYPES, ids=lambda c: c.__name__)
def test_result_types_are_final_frozen_slotted_dataclasses(cls: type) -> None:
    assert dataclasses.is_dataclass(cls)
    assert getattr(cls, "__final__", False)
    assert "__slots__" in cls.__dict__
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen
    hints = typing.get_type_hints(cls)
    assert all(f.name in hints for f in dataclasses.fields(cls))


def test_results_are_immutable_and_have_no_instance_dict() -> None:
    report = evaluate(CASE, RAPID7, now=NOW)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.severity = 3  # type: ignore[misc]
    assert not hasattr(report, "__dict__")
    step = report.updates[0].history[0]
    assert isinstance(step, Step)
    assert step.to_dict() == {
        "kind": "start",
        "at": "2026-03-05T11:00:00+01:00",
        "due_at": "2026-03-10T11:00:00+01:00",
        "note": "initial response given; first update cycle",
    }
    assert dataclasses.replace(report, future_events=2).future_events == 2


def test_check_case_holds_what_the_command_line_prints() -> None:
    # as of Tue 12:00: severity 1 after the 09:00 change, in_progress since Monday's customer
    # update; update #1 breached (see test_explain_says_how_each_deadline_was_reached)
    seen = check_case(CASE, RAPID7, now=NOW)
    assert seen == CaseCheck(
        case_id="C-1",
        severity=1,
        status="in_progress",
        alerts=tuple(check([CASE], RAPID7, now=NOW)),
        future_events=0,
    )
    assert seen.verdict == "breached"
    assert seen.skipped is None
    # as of Fri 12:00: severity 2, still open; update #1 (Thu 11:00 + 3 business days, due
    # Tue 11:00) has used Thu 11-17 and Fri 08-12, 10 of 27 business hours: ok; three
    # events still to come
    early = check_case(CASE, RAPID7, now=berlin(6, 12))
    assert (early.severity, early.status, early.alerts, early.future_events) == (2, "open", (), 3)
    assert early.verdict == "ok"
    # 10 of 27 hours is 37.0% used: at risk from 0.37, not at 0.371
    assert check_case(CASE, RAPID7, now=berlin(6, 12), at_risk=0.37).verdict == "at_risk"
    assert check_case(CASE, RAPID7, now=berlin(6, 12), at_risk=0.371).verdict == "ok"
    # before the case opened: skipped, every event after now
    before = check_case(CASE, RAPID7, now=berlin(5, 9))
    assert before == CaseCheck("C-1", 2, None, (), 4, "opened_after_now")
    assert before.verdict == "skipped"
    assert CaseCheck.from_json(seen.to_json()) == seen


def test_check_case_refuses_what_check_refuses() -> None:
    bad = CASE.model_copy(update={"severity": 9})
    for now in (NOW, berlin(5, 9)):  # replayed, or opened after now: both refused
        with pytest.raises(ValueError, match="severity 9 is not in policy 'Rapid7'"):
            check_case(bad, RAPID7, now=now)
        with pytest.raises(ValueError, match="severity 9 is not in policy 'Rapid7'"):
            check([bad], RAPID7, now=now)
    with pytest.raises(ValueError, match="at_risk: must be in"):
        check_case(CASE, RAPID7, now=NOW, at_risk=0)
    with pytest.raises(TypeError, match="case: expected a slocalc Case"):
        check_case("C-1", RAPID7, now=NOW)  # type: ignore[arg-type]


def test_to_frame_of_reports_has_one_row_per_target() -> None:
    pd = pytest.importorskip("pandas")
    reports = [evaluate(CASE, RAPID7, now=NOW), evaluate(CASE, RAPID7, now=berlin(5, 12))]
    frame = to_frame(reports)
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 2 + 2  # initial + one cycle, twice
    assert list(frame.columns[:4]) == ["case_id", "metric", "cycle", "severity"]
    assert list(frame["state"]) == ["met", "breached", "met", "pending"]
    assert frame.loc[1, "breached_by"] == pd.Timedelta(hours=117)
    assert frame.loc[0, "due_at"] == pd.Timestamp("2026-03-05T14:00:00+01:00")
    single = reports[0].to_frame()
    assert list(single["cycle"]) == [0, 1]


def test_to_frame_of_alerts_and_of_nothing() -> None:
    pytest.importorskip("pandas")
    frame = to_frame(check([CASE], RAPID7, now=NOW))
    assert list(frame.columns) == [*(f.name for f in dataclasses.fields(Alert)), "tz"]
    assert frame.loc[0, "kind"] == "breached"
    assert len(to_frame([])) == 0
    with pytest.raises(
        TypeError, match="expected CaseReport or Alert objects \\(not mixed\\), got Alert, CaseReport"
    ):
        to_frame([evaluate(CASE, RAPID7, now=NOW), *check([CASE], RAPID7, now=NOW)])


def test_to_frame_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    report = evaluate(CASE, RAPID7, now=NOW)
    with pytest.raises(MissingExtraError, match="to_frame needs pandas: pip install 'slocalc\\[pandas\\]'"):
        report.to_frame()
    with pytest.raises(ImportError):
        to_frame([report])


def test_reprs_are_short() -> None:
    assert repr(CASE) == (
        "Case(id='C-1', severity=2, opened_at=datetime.datetime(2026, 3, 5, 10, 0, "
        "tzinfo=zoneinfo.ZoneInfo(key='Europe/Berlin')), customer=Customer(tz='Europe/Berlin', "
        "country='DE'), events=<4 events>)"
    )
    assert repr(CASE.events[0]).startswith("Event(at=datetime.datetime(2026, 3, 5, 11, 0, ")
    assert repr(CASE.events[0]).endswith(", kind='support_update')")
