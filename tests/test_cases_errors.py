"""Bad case input: every error names the offending event (index and time) and is pinned."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from slocalc.cases import Case, Event, check, evaluate
from slocalc.errors import (
    NaiveDatetimeError,
    NaiveTimelineError,
    SlocalcError,
    SlocalcTypeError,
    TimelineError,
)
from slocalc.policies import RAPID7, Customer

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UTC_CUSTOMER = Customer(tz="UTC")


def make(*events: object, severity: int = 2, opened: object = T0) -> Case:
    return Case(id="C-9", severity=severity, opened_at=opened, customer=UTC_CUSTOMER, events=list(events))


def test_event_before_opened_at_names_index_and_time() -> None:
    early = T0 - timedelta(minutes=5)
    with pytest.raises(
        TimelineError,
        match=re.escape(
            "case 'C-9': events[1] at 2026-03-02T08:55:00+00:00: before opened_at "
            "2026-03-02T09:00:00+00:00; an event cannot precede the case's opening"
        ),
    ):
        make(Event(at=T0, kind="support_update"), Event(at=early, kind="customer_update"))


def test_unknown_kind() -> None:
    with pytest.raises(
        TimelineError,
        match=re.escape(
            "event at 2026-03-02T09:00:00+00:00: kind 'suport_update' is unknown; expected one of "
            "support_update, customer_update, status, severity; did you mean 'support_update'"
        ),
    ):
        Event(at=T0, kind="suport_update")
    with pytest.raises(
        TimelineError,
        match=re.escape("case 'C-9': events[0] at 2026-03-02T09:00:00+00:00: kind 'note' is unknown"),
    ):
        make({"at": T0, "kind": "note"})


def test_status_event_without_status() -> None:
    with pytest.raises(
        TimelineError,
        match=re.escape("case 'C-9': events[0] at 2026-03-02T09:00:00+00:00: a status event needs status="),
    ):
        make({"at": T0, "kind": "status"})


def test_fields_that_do_not_belong_to_the_kind() -> None:
    with pytest.raises(
        TimelineError, match=re.escape("status= belongs to kind 'status' events, not 'support_update'")
    ):
        Event(at=T0, kind="support_update", status="open")
    with pytest.raises(TimelineError, match=re.escape("a severity event needs severity=, e.g. severity=1")):
        Event(at=T0, kind="severity")


def test_unknown_status_is_named_at_evaluation_with_a_suggestion() -> None:
    c = make(Event(at=T0, kind="support_update"), Event(at=T0, kind="status", status="wating_on_customer"))
    with pytest.raises(
        TimelineError,
        match=re.escape(
            "case 'C-9': events[1] at 2026-03-02T09:00:00+00:00: status 'wating_on_customer' is not in "
            "policy 'Rapid7'; expected one of open, in_progress, waiting_on_customer"
        )
        + r".*did you mean 'waiting_on_customer'\?",
    ):
        evaluate(c, RAPID7, now=T0)
    with pytest.raises(TimelineError, match="is not a status name; expected a lower_snake_case name"):
        Event(at=T0, kind="status", status="Waiting on customer")


def test_severity_the_policy_lacks() -> None:
    c = make(Event(at=T0 + timedelta(hours=1), kind="severity", severity=4))
    with pytest.raises(
        TimelineError,
        match=re.escape(
            "case 'C-9': events[0] at 2026-03-02T10:00:00+00:00: severity 4 is not in policy 'Rapid7'; "
            "expected one of 1, 2, 3"
        ),
    ):
        evaluate(c, RAPID7, now=T0 + timedelta(hours=2))
    with pytest.raises(
        TimelineError,
        match=re.escape("case 'C-9': severity 7 is not in policy 'Rapid7'; expected one of 1, 2, 3"),
    ):
        evaluate(make(severity=7), RAPID7, now=T0)


def test_naive_datetimes_are_both_timeline_and_naive_errors() -> None:
    naive = datetime(2026, 3, 2, 10, 0)
    with pytest.raises(
        NaiveTimelineError, match=re.escape("events[0].at: got naive datetime 2026-03-02 10:00:00")
    ):
        make({"at": naive, "kind": "support_update"})
    with pytest.raises(
        NaiveDatetimeError, match=re.escape("opened_at: got naive datetime 2026-03-02 10:00:00")
    ):
        make(opened=naive)
    with pytest.raises(
        TimelineError, match=re.escape("at: got naive datetime 2026-03-02 10:00:00; attach a zone")
    ):
        Event(at=naive, kind="support_update")
    err = NaiveTimelineError("at", naive)
    assert isinstance(err, NaiveDatetimeError)
    assert isinstance(err, TimelineError)
    assert isinstance(err, ValueError)
    assert isinstance(err, SlocalcError)
    with pytest.raises(NaiveDatetimeError, match=re.escape("now: got naive datetime 2026-03-02 10:00:00")):
        evaluate(make(), RAPID7, now=naive)
    with pytest.raises(NaiveDatetimeError, match=re.escape("now: got naive datetime")):
        check([make()], RAPID7, now=naive)


def test_now_before_opened_at() -> None:
    with pytest.raises(
        TimelineError,
        match=re.escape(
            "case 'C-9': now 2026-03-02T08:00:00+00:00 is before opened_at 2026-03-02T09:00:00+00:00; "
            "a case cannot be evaluated before it was opened"
        ),
    ):
        evaluate(make(), RAPID7, now=T0 - timedelta(hours=1))


def test_several_problems_are_listed_together() -> None:
    with pytest.raises(TimelineError) as info:
        make({"at": T0, "kind": "nope"}, {"at": T0 - timedelta(days=1), "kind": "status"}, {"kind": "status"})
    text = str(info.value)
    assert text.startswith("3 problems:\n")
    assert "events[0] at 2026-03-02T09:00:00+00:00: kind 'nope' is unknown" in text
    assert "events[1] at 2026-03-01T09:00:00+00:00: a status event needs status=" in text
    assert "events[2]: at: required; this field is missing" in text
    assert [path for path, _ in info.value.problems] == ["events[0].kind", "events[1]", "events[2].at"]
    assert info.value.problems[2] == ("events[2].at", "required; this field is missing")


def test_an_event_that_is_not_a_table_is_named_once() -> None:
    with pytest.raises(TimelineError) as info:
        make(
            None,
            {"at": T0, "kind": "status", "status": "open"},
            {"at": datetime(2026, 3, 2, 10), "kind": "x"},
        )
    assert str(info.value).splitlines()[1:] == [
        "  case 'C-9': events[0]: expected a table (a JSON object), got None",
        "  case 'C-9': events[2] at 2026-03-02T10:00:00: at: got naive datetime 2026-03-02 10:00:00; "
        'attach a zone, e.g. tzinfo=ZoneInfo("America/New_York")',
        "  case 'C-9': events[2] at 2026-03-02T10:00:00: kind 'x' is unknown; expected one of "
        "support_update, customer_update, status, severity",
    ]


def test_unknown_fields_are_refused_with_a_suggestion() -> None:
    with pytest.raises(
        TimelineError,
        match=re.escape(
            "case 'C-9': severty: unknown field 'severty'; expected one of id, severity, opened_at, "
            "customer, events; did you mean 'severity' or 'events'?"
        ),
    ):
        Case(id="C-9", severty=2, opened_at=T0, customer=UTC_CUSTOMER)  # type: ignore[call-arg]


def test_json_input_is_validated_the_same_way() -> None:
    line = (
        '{"id": "C-9", "severity": 2, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"},'
        ' "events": [{"at": "2026-03-02T10:00:00", "kind": "support_update"}]}'
    )
    with pytest.raises(
        NaiveTimelineError, match=re.escape("events[0].at: got naive datetime 2026-03-02 10:00:00")
    ):
        Case.model_validate_json(line)
    ok = Case.model_validate_json(line.replace('10:00:00"', '10:00:00+01:00"'))
    assert ok.events[0].at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with pytest.raises(
        TimelineError, match=re.escape("case 'C-9': events[0] at '2026-03-02T10:00:00Z': kind 'x'")
    ):
        Case.model_validate(
            {
                "id": "C-9",
                "severity": 2,
                "opened_at": T0,
                "customer": {"tz": "UTC"},
                "events": [{"at": "2026-03-02T10:00:00Z", "kind": "x"}],
            }
        )


def test_at_risk_must_be_in_zero_one() -> None:
    for bad in (0, -0.5, 1.01, 2):
        with pytest.raises(ValueError, match=re.escape(f"at_risk: must be in (0, 1], got {bad!r}")):
            check([], RAPID7, now=T0, at_risk=bad)
    with pytest.raises(
        SlocalcTypeError, match=re.escape("at_risk: expected a number in (0, 1], got bool True")
    ):
        check([], RAPID7, now=T0, at_risk=True)
    assert check([], RAPID7, now=T0, at_risk=1) == []
    assert check([], RAPID7, now=T0, at_risk=Fraction(1, 3)) == []


def test_wrong_argument_types() -> None:
    with pytest.raises(TypeError, match=re.escape("case: expected a slocalc Case, got dict")):
        evaluate({"id": "x"}, RAPID7, now=T0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=re.escape("cases[1]: expected a slocalc Case, got str 'C-2'")):
        check([make(), "C-2"], RAPID7, now=T0)  # type: ignore[list-item]
    many = [make()] * 1000  # a list where one case belongs: a short message that says what to do
    with pytest.raises(
        TypeError,
        match=r"^case: expected a slocalc Case, got list \[Case\(.{0,200}; evaluate and check_case take one case: loop over them, or use check\(cases, \.\.\.\)$",
    ):
        evaluate(many, RAPID7, now=T0)  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=re.escape("policy: expected a slocalc Policy (e.g. slocalc.policies.RAPID7)")
    ):
        evaluate(make(), "rapid7", now=T0)  # type: ignore[arg-type]


def test_a_copy_with_other_events_is_replayed_with_them() -> None:
    base = make(Event(at=T0 + timedelta(hours=1), kind="support_update"))
    later = base.model_copy(update={"events": (Event(at=T0 + timedelta(hours=5), kind="support_update"),)})
    assert evaluate(later, RAPID7, now=T0 + timedelta(hours=6)).initial_response.state == "breached"
    unchecked = Case.model_construct(
        id="C-9",
        severity=2,
        opened_at=T0,
        customer=UTC_CUSTOMER,
        events=(Event(at=T0 - timedelta(hours=1), kind="support_update"),),
    )
    with pytest.raises(TimelineError, match=re.escape("case 'C-9': events[0]: before opened_at")):
        evaluate(unchecked, RAPID7, now=T0)


def test_events_after_now_are_still_checked_against_the_policy() -> None:
    c = make(Event(at=T0 + timedelta(days=2), kind="status", status="escalated"))
    with pytest.raises(
        TimelineError,
        match=re.escape("case 'C-9': events[0] at 2026-03-04T09:00:00+00:00: status 'escalated'"),
    ):
        evaluate(c, RAPID7, now=T0)
    with pytest.raises(TimelineError, match=re.escape("severity 0 is not in policy 'Rapid7'")):
        check([make(Event(at=T0 + timedelta(days=2), kind="severity", severity=0))], RAPID7, now=T0)
    ahead = Case(id="C-10", severity=5, opened_at=T0 + timedelta(days=1), customer=UTC_CUSTOMER)
    with pytest.raises(TimelineError, match=re.escape("case 'C-10': severity 5 is not in policy 'Rapid7'")):
        check([ahead], RAPID7, now=T0)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("severity", True, "severity: expected a whole number such as 2, got bool True"),
        ("severity", "2", "severity: expected a whole number such as 2, got str '2'"),
        ("severity", 2.0, "severity: expected a whole number such as 2, got float 2.0"),
        ("id", 123, "id: expected a string, got int 123"),
        ("opened_at", 1772442000, "opened_at: expected an aware datetime, or ISO 8601 text with an offset"),
        ("opened_at", "2026-03-02", "opened_at: got naive datetime 2026-03-02 00:00:00"),
        ("customer", None, "customer: expected a table (a JSON object), got None"),
        ("customer", [], "customer: expected a table (a JSON object), got list []"),
    ],
)
def test_case_fields_are_strict(field: str, value: object, message: str) -> None:
    data: dict[str, object] = {"id": "C-9", "severity": 2, "opened_at": T0, "customer": UTC_CUSTOMER}
    data[field] = value
    with pytest.raises(TimelineError, match=re.escape(message)):
        Case(**data)  # type: ignore[arg-type]


def test_event_time_is_not_a_number_or_a_date() -> None:
    from datetime import date

    with pytest.raises(TimelineError, match=re.escape("event at 3: at: expected an aware datetime")):
        Event(at=3, kind="support_update")  # type: ignore[arg-type]
    with pytest.raises(TimelineError, match=re.escape("got date datetime.date(2026, 3, 2)")):
        Event(at=date(2026, 3, 2), kind="support_update")  # type: ignore[arg-type]
    assert Event(at="2026-03-02T10:00:00+01:00", kind="support_update").at == T0  # type: ignore[arg-type]
