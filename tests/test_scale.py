"""Scale-out: the partition function, Dask on a real 2-worker LocalCluster, Spark in local
mode, and what crosses processes pickles small and equal.

The cluster tests use a few thousand generated cases so CI stays fast; the 200k-case runs
belong to ``examples/scale_dask.py`` and docs/scaling.md.
"""

from __future__ import annotations

import json
import pickle
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from slocalc.cases import Case, CaseRecord, check, read_cases
from slocalc.policies import RAPID7
from slocalc.scale import ALERT_COLUMNS, check_partition

pd = pytest.importorskip("pandas")

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 3, 31, 17, 0, tzinfo=UTC)
COUNT = 6000


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``COUNT`` realistic cases from examples/make_cases.py, in 3 JSON Lines files, with
    one invalid line in the second file."""
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import make_cases
    finally:
        sys.path.pop(0)
    cases = make_cases.generate(COUNT, seed=14)
    folder = tmp_path_factory.mktemp("export")
    for i in range(3):
        with (folder / f"part-{i}.jsonl").open("w", encoding="utf-8") as f:
            make_cases.write_jsonl(cases[i * COUNT // 3 : (i + 1) * COUNT // 3], f)
            if i == 1:
                f.write('{"id": "BAD", "severity": 9}\n')
    return folder


def _expected(folder: Path) -> list[tuple[Any, ...]]:
    """Single-process ``check`` on the same cases, as rows of the alert frame."""
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for record in read_cases(path):
            if not isinstance(record, CaseRecord):
                continue
            for alert in check([record.case], RAPID7, now=NOW):
                data = alert.model_dump(mode="json") if not hasattr(alert, "to_dict") else alert.to_dict()
                rows.append(
                    (
                        data["case_id"],
                        data["metric"],
                        data["cycle"],
                        data["kind"],
                        data["due_at"],
                        data["met_at"],
                        data["breached_by"],
                        data["remaining"],
                        record.case.customer.tz,
                        path.name,
                        record.line,
                    )
                )
    return sorted(rows, key=repr)


def _rows(frame: Any) -> list[tuple[Any, ...]]:
    alerts = frame[frame["error"].isna()]
    cols = [
        "case_id",
        "metric",
        "cycle",
        "kind",
        "due_at",
        "met_at",
        "breached_by",
        "remaining",
        "customer_tz",
    ]
    out = []
    for rec in alerts.to_dict("records"):
        values = [None if (v is not None and pd.isna(v)) else v for v in (rec[c] for c in cols)]
        out.append((*values, Path(rec["source"]).name, int(rec["line"])))
    return sorted(out, key=repr)


def test_check_partition_hand_worked() -> None:
    # Severity 1: initial response 2 hours on the 24x7 clock (docs/guidebook.md), so due at
    # 11:00 UTC; at 10:45, 1.75 of 2 hours are used (87.5% >= 75%): at risk, 15 minutes left.
    line = '{"id": "A", "severity": 1, "opened_at": "2026-03-02T09:00:00Z", "customer": {"tz": "UTC"}}'
    part = pd.DataFrame({"value": [line, "", "[]", line], "line": [4, 5, 6, 7], "source": ["f"] * 4})
    out = check_partition(part, RAPID7, now=datetime(2026, 3, 2, 10, 45, tzinfo=UTC))
    assert list(out.columns) == list(ALERT_COLUMNS)
    assert out[["case_id", "kind", "due_at", "remaining", "line"]].to_dict("records")[0] == {
        "case_id": "A",
        "kind": "at_risk",
        "due_at": "2026-03-02T11:00:00Z",
        "remaining": "PT15M",
        "line": 4,
    }
    assert out["error"].tolist()[1:] == [
        "expected a JSON object (one case), got list",
        "case 'A': duplicate case id (first on line 4); one case per line",
    ]
    assert out["line"].tolist() == [4, 6, 7]


def test_check_partition_empty() -> None:
    out = check_partition(pd.DataFrame({"value": []}), RAPID7, now=NOW)
    assert len(out) == 0
    assert list(out.columns) == list(ALERT_COLUMNS)


def test_dask_local_cluster_equals_single_process_check(export: Path) -> None:
    pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    from slocalc.scale.dask import check_jsonl

    expected = _expected(export)
    assert len(expected) > COUNT // 10  # a realistic export has alerts to find
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        frame = check_jsonl(str(export / "*.jsonl"), RAPID7, now=NOW)
        assert frame.npartitions == 3
        result = client.compute(frame).result()
        workers = client.run(lambda: 1)
    assert len(workers) == 2
    assert _rows(result) == expected
    errors = result[result["error"].notna()]
    assert len(errors) == 1
    bad = errors.iloc[0]
    assert Path(bad["source"]).name == "part-1.jsonl"
    assert bad["line"] == COUNT // 3 + 1
    assert "case 'BAD': opened_at: required" in bad["error"]


def test_dask_frame_and_bag_agree(export: Path) -> None:
    dd = pytest.importorskip("dask.dataframe")
    import dask

    from slocalc.scale.dask import check_frame

    path = export / "part-0.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    frame = pd.DataFrame({"value": lines, "line": range(1, len(lines) + 1), "source": str(path)})
    with dask.config.set(scheduler="synchronous"):
        result = check_frame(dd.from_pandas(frame, npartitions=1), RAPID7, now=NOW).compute()
    expected = [row for row in _expected(export) if row[-2] == "part-0.jsonl"]
    assert _rows(result) == expected


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java")
# pyspark 4.x warns about pandas 3 in the driver (not slocalc's code)
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
@pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")
def test_spark_local_equals_single_process_check(export: Path) -> None:
    pyspark = pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    from slocalc.scale.spark import check_spark

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("slocalc-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    try:
        frames = []
        for path in sorted(export.glob("*.jsonl")):
            lines = path.read_text(encoding="utf-8").splitlines()
            frames.append(
                pd.DataFrame({"value": lines, "line": range(1, len(lines) + 1), "source": str(path)})
            )
        df = spark.createDataFrame(pd.concat(frames)).repartition(4)
        result = check_spark(df, RAPID7, now=NOW).toPandas()
        assert check_spark(df, RAPID7, now=NOW).schema.simpleString().startswith("struct<case_id:string")
    finally:
        spark.stop()
    assert pyspark.__version__
    result = result.replace({float("nan"): None})
    assert _rows(result) == _expected(export)
    assert result["error"].notna().sum() == 1


# -- what crosses processes pickles small and equal ------------------------------------------


def _roundtrip(value: object) -> tuple[object, int]:
    data = pickle.dumps(value)
    return pickle.loads(data), len(data)


def test_cases_customers_policies_pickle_small_and_equal() -> None:
    line = (ROOT / "examples" / "cases.jsonl").read_text(encoding="utf-8").splitlines()[0]
    case = Case.model_validate(json.loads(line))
    for value, limit in ((case, 4000), (case.customer, 400), (RAPID7, 4000)):
        back, size = _roundtrip(value)
        assert back == value
        assert size < limit, (type(value).__name__, size)


def test_reports_alerts_and_reader_records_pickle_equal() -> None:
    from slocalc.cases import evaluate

    with read_cases(ROOT / "examples" / "cases.jsonl") as reader:
        record = next(reader)
    assert isinstance(record, CaseRecord)
    report = evaluate(record.case, RAPID7, now=NOW)
    for value in (report, *check([record.case], RAPID7, now=NOW), record):
        back, _ = _roundtrip(value)
        assert back == value


def test_calendar_pickles_as_its_definition() -> None:
    """A compiled calendar pickles no larger than a fresh one (its definition, not its years)."""
    from slocalc.calendars import BusinessCalendar

    fresh = BusinessCalendar(tz="Europe/Berlin", hours="Mon-Fri 09:00-17:00", holidays="DE")
    _, size_fresh = _roundtrip(fresh)
    used = BusinessCalendar(tz="Europe/Berlin", hours="Mon-Fri 09:00-17:00", holidays="DE")
    used.add(datetime(2026, 3, 2, 9, tzinfo=UTC), __import__("datetime").timedelta(days=400))
    back, size_used = _roundtrip(used)
    assert back == used
    assert size_used <= size_fresh * 1.1
