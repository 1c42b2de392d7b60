"""``slocalc check --format json`` writes each alert by one format string (``_alert_json``):
the same text as the record's own way (``_json_item(_alert_record(...))``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import TzInfo

from slocalc._cli._check import (
    _alert_json,
    _alert_record,
    _alerts_csv,
    _alerts_json,
    _json_item,
    _Outcome,
    _render,
)
from slocalc.cases import Alert, Case, CaseBatch
from slocalc.policies import RAPID7, Customer
from slocalc.testing import cases, nows

_ZONES = st.sampled_from(
    [
        UTC,
        TzInfo(0),
        TzInfo(19800),  # +05:30
        TzInfo(-12600),  # -03:30
        timezone(timedelta(hours=5, minutes=45)),
        timezone(timedelta(seconds=3725)),  # an offset with seconds: pydantic's own text
        ZoneInfo("Europe/Dublin"),
        ZoneInfo("America/St_Johns"),
        ZoneInfo("Australia/Lord_Howe"),
    ]
)
_INSTANTS = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2200, 1, 1)),
    _ZONES,
)
_DURATIONS = st.none() | st.timedeltas(min_value=timedelta(days=-3000), max_value=timedelta(days=3000))
_ALERTS = st.builds(
    Alert,
    case_id=st.text(),
    metric=st.sampled_from(["initial_response", "update", "next_reply"]) | st.text(),
    kind=st.sampled_from(["breached", "at_risk"]),
    due_at=_INSTANTS,
    cycle=st.integers(0, 10**6),
    severity=st.integers(-(2**53), 2**53),
    met_at=st.none() | _INSTANTS,
    breached_by=_DURATIONS,
    remaining=_DURATIONS,
    budget=_DURATIONS,
)


def _reference(alert: Alert, tz: str) -> str:
    record = alert.to_dict()
    record["customer_tz"] = tz
    return _json_item(record)


@given(_ALERTS, st.sampled_from(["UTC", "Europe/Dublin", "Asia/Kolkata"]))
def test_alert_json_is_the_records_text(alert: Alert, tz: str) -> None:
    assert _alert_json(alert, tz) == _reference(alert, tz)


def test_alert_json_by_hand() -> None:
    kolkata = TzInfo(19800)
    alert = Alert(
        'C-"7"\u00e9',
        "initial_response",
        "at_risk",
        datetime(2026, 3, 2, 14, 30, 0, 250000, tzinfo=kolkata),
        0,
        3,
        remaining=timedelta(minutes=20),
        budget=timedelta(hours=12),
    )
    assert _alert_json(alert, "Asia/Kolkata") == (
        "    {\n"
        '      "case_id": "C-\\"7\\"\u00e9",\n'
        '      "metric": "initial_response",\n'
        '      "kind": "at_risk",\n'
        '      "due_at": "2026-03-02T14:30:00.250000+05:30",\n'
        '      "cycle": 0,\n'
        '      "severity": 3,\n'
        '      "met_at": null,\n'
        '      "breached_by": null,\n'
        '      "remaining": "PT20M",\n'
        '      "budget": "PT12H",\n'
        '      "customer_tz": "Asia/Kolkata"\n'
        "    }"
    )


class _Later(datetime):
    """A datetime subclass: not a plain instant, so the record's own way writes it."""


def test_other_types_go_the_records_way() -> None:
    due = _Later(2026, 3, 2, 13, 0, tzinfo=UTC)
    alert = Alert("C-1", "update", "breached", due, 1, 2, breached_by=timedelta(hours=1))
    assert _alert_json(alert, "UTC") is None
    customer = Customer(tz="UTC")
    assert _render("json", alert, customer) == _json_item(_alert_record(alert, customer))
    assert '"due_at": "2026-03-02T13:00:00Z"' in _render("json", alert, customer)


def _strftime_reference(value: datetime, zone: ZoneInfo | None) -> str:
    """``format_instant`` as it was first written: ``strftime`` (the C locale's day names)."""
    from slocalc._cli._common import _offset_text

    local = value.astimezone(zone or UTC)
    clock = "%H:%M:%S" if local.second or local.microsecond else "%H:%M"
    text = local.strftime(f"%a %Y-%m-%d {clock}")
    if local.microsecond:
        text += f".{local.microsecond:06d}"
    name = local.tzname() or _offset_text(local.utcoffset() or timedelta(0))
    if name[0] in "+-":
        name = "UTC" + _offset_text(local.utcoffset() or timedelta(0))
    return f"{text} {name}"


@given(
    st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(
        [None, ZoneInfo("Asia/Kolkata"), ZoneInfo("America/St_Johns"), ZoneInfo("Asia/Singapore")]
    ),
)
def test_format_instant_is_strftimes_text(value: datetime, zone: ZoneInfo | None) -> None:
    from slocalc._cli._common import format_instant

    assert format_instant(value, zone) == _strftime_reference(value, zone)


def test_format_instant_by_hand() -> None:
    from slocalc._cli._common import format_instant

    assert format_instant(datetime(2026, 11, 29, 23, 5, tzinfo=UTC)) == "Sun 2026-11-29 23:05 UTC"
    assert (
        format_instant(datetime(2026, 3, 8, 6, 59, 59, 5, tzinfo=UTC), ZoneInfo("America/New_York"))
        == "Sun 2026-03-08 01:59:59.000005 EST"
    )
    assert format_instant(datetime(999, 12, 31, 0, 0, 7, tzinfo=UTC)).endswith(" 00:00:07 UTC")


def _fixed_whole_minutes(zones: list[object]) -> bool:
    """Every zone a fixed offset of whole minutes (what the batch path writes itself)."""
    for tz in zones:
        off = tz.utcoffset(None)  # type: ignore[attr-defined]
        if off is None or off.seconds % 60 or off.microseconds:
            return False
    return True


@settings(max_examples=60, deadline=None)
@given(
    st.lists(cases(max_events=8), min_size=1, max_size=10),
    st.data(),
    st.sampled_from([Fraction(3, 4), Fraction(1, 2), Fraction(1)]),
)
def test_a_batchs_alerts_are_each_alerts_text(
    drawn: list[Case], data: st.DataObject, share: Fraction
) -> None:
    """``_alerts_json`` (the alerts of a batch as columns) writes each alert exactly as
    ``_alert_json`` writes the same ``Alert``, in the same order."""
    lines = []
    for k, case in enumerate(drawn):
        record = case.model_dump(mode="json", exclude_none=True)
        record["id"] = f'C-\u00e9"{k}'  # an id JSON escapes
        lines.append((k + 1, json.dumps(record)))
    batch = CaseBatch.from_lines(lines)
    now = data.draw(nows(drawn[data.draw(st.integers(0, len(drawn) - 1))]))
    found, _ = batch._checked(RAPID7, now, share)
    alerts = [(a, batch.customer(i).tz) for i, these in found.alerts.items() for a in these]
    texts = _alerts_json(found.rows, batch)
    years = [t.year for a, _ in alerts for t in (a.due_at, a.met_at) if t is not None]
    if _fixed_whole_minutes(found.rows.zones) and all(1000 <= y <= 9999 for y in years):
        assert texts is not None
    if texts is not None:
        assert texts == [_alert_json(a, tz) for a, tz in alerts]
    rows = _alerts_csv(found.rows, batch)
    assert (rows is None) == (texts is None)  # the same conditions
    if rows is not None:
        customers = [batch.customer(i) for i, these in found.alerts.items() for _ in these]
        assert rows == [_render("csv", a, c) for (a, _), c in zip(alerts, customers, strict=True)]


def test_a_batchs_alerts_by_hand() -> None:
    """Two cases of a batch, one late in +05:45 and one answered late in UTC: their texts
    and their keys (urgency rank, due instant, line, place in the case)."""
    opened = '"opened_at": "2026-03-02T09:00:00+05:45", "customer": {"tz": "Asia/Kathmandu"}'
    first = '{"id": "C-1", "severity": 1, ' + opened + "}"
    late_update = '{"at": "2026-03-02T12:30:00Z", "kind": "support_update"}'
    second = (
        '{"id": "C-2", "severity": 1, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"}, '
        f'"events": [{late_update}]}}'
    )
    batch = CaseBatch.from_lines([(3, first), (7, second)])
    found, _ = batch._checked(RAPID7, datetime(2026, 3, 2, 13, tzinfo=UTC), Fraction(3, 4))
    texts = _alerts_json(found.rows, batch)
    assert texts is not None
    # C-1 opened 09:00+05:45 = 03:15Z; Severity-1 answers within 2 hours: due 05:15Z
    # = 11:00+05:45, unanswered at 13:00Z: 7 h 45 min late
    assert '"due_at": "2026-03-02T11:00:00+05:45"' in texts[0]
    assert '"breached_by": "PT7H45M"' in texts[0]
    assert '"met_at": null' in texts[0]
    # C-2 opened 09:00Z, due 11:00Z, answered at 12:30Z: 1 h 30 min late
    assert '"met_at": "2026-03-02T12:30:00Z"' in texts[1]
    assert '"breached_by": "PT1H30M"' in texts[1]
    outcome = _Outcome(datetime(2026, 3, 2, 13, tzinfo=UTC), "--now", Fraction(3, 4), "json")
    outcome.add_batch(batch, found)
    rows = list(outcome.rows.sorted())
    outcome.close()
    assert [row[:4] for row in rows] == [
        (0, 1772428500000000, 3, 0),  # unanswered breach first: 2026-03-02T05:15Z
        (2, 1772449200000000, 7, 0),  # then a late answer: 2026-03-02T11:00Z
    ]
    assert outcome.count("breached") == 2
