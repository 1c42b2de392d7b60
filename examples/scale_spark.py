"""Check a JSON Lines export with Spark (local mode): ``slocalc.scale.spark.check_spark``.

Needs ``pip install 'slocalc[spark]'`` and Java 17+. Reads FILE (default: the sample
``examples/cases.jsonl``) with ``spark.read.text``, numbers its lines, checks every case
in the Python workers with ``mapInPandas`` and prints the breached targets and a count.

Usage::

    python examples/scale_spark.py                         # the sample export
    python examples/scale_spark.py big.jsonl --master 'local[2]'
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path

from slocalc.policies import RAPID7
from slocalc.scale.spark import check_spark


def main() -> int:
    from pyspark.sql import SparkSession, functions

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default=str(Path(__file__).resolve().parent / "cases.jsonl"))
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--now", default="2026-03-31T17:00:00+00:00")
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now).astimezone(UTC)
    spark = (
        SparkSession.builder.master(args.master)
        .appName("slocalc")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        started = time.perf_counter()
        # line numbers: zipWithIndex keeps the file's order
        lines = spark.read.text(args.file).rdd.zipWithIndex().map(lambda p: (p[0].value, p[1] + 1, args.file))
        frame = spark.createDataFrame(lines, "value string, line long, source string")
        alerts = check_spark(frame, RAPID7, now=now).cache()
        breached = alerts.where(functions.col("kind") == "breached").orderBy("due_at", "case_id")
        breached.select("case_id", "metric", "cycle", "due_at", "breached_by").show(10, truncate=False)
        counts = {r["kind"]: r["count"] for r in alerts.groupBy("kind").count().collect()}
        wall = time.perf_counter() - started
        print(
            f"{counts.get('breached', 0)} breached, {counts.get('at_risk', 0)} at risk, "
            f"{counts.get(None, 0)} invalid lines; {wall:.1f} s on {args.master}"
        )
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
