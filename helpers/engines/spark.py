"""The kit's core metrics on Apache Spark (PySpark): the same SQL, transpiled to Spark SQL.

``source`` is a Spark DataFrame, or a path / glob of Parquet or CSV files that Spark reads
(on a cluster: HDFS, S3, GCS paths). Results are the pandas functions' frames, computed
from the counts Spark returns (a handful of rows), so rates and intervals are the pandas
path's own::

    from pyspark.sql import SparkSession
    from helpers.engines import spark as eng
    spark = SparkSession.builder.master("local[*]").getOrCreate()
    eng.rate_table("s3://bucket/sessions/*.parquet", by="channel", spark=spark,
                   bot_rules=eng.ENGINE_RULES)
    eng.funnel(spark.read.parquet("s3://bucket/events/"), ["page_view", "purchase"])

Spark needs Java 17 or newer (Debian/Ubuntu: ``sudo apt-get install default-jre-headless``)
and ``pip install 'leads-conversions-lab[engines]'``. Parquet written by pandas stores
nanoseconds, which Spark does not read: write it with
``df.to_parquet(path, coerce_timestamps="us", allow_truncated_timestamps=True)``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .. import bots, conversions
from . import _results, sql
from .sql import ENGINE_RULES

__all__ = ["ENGINE_RULES", "funnel", "human_sessions", "pipeline", "rate_table", "session"]

_names = itertools.count()


def session(*, cores: int | str = "*", memory: str | None = None, app: str = "leads-conversions-lab"):
    """A local Spark session for a laptop: ``local[cores]``, no web UI, few shuffle partitions.

    ``memory`` (e.g. ``"4g"``) is the JVM's heap; Spark's default is 1g, which makes a
    funnel over tens of millions of events spill to disk.
    """
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    if memory:
        builder = builder.config("spark.driver.memory", memory)
    spark = (
        builder.master(f"local[{cores}]")
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _frame(func: str, source: Any, spark):
    if hasattr(source, "createOrReplaceTempView"):
        return source
    paths = [source] if isinstance(source, str | os.PathLike) else list(source)
    if not paths or not all(isinstance(p, str | os.PathLike) for p in paths):
        raise TypeError(
            f"{func}(): source must be a Spark DataFrame or a path/glob of .parquet/.csv files; "
            f"got {type(source).__name__}."
        )
    spark = spark or session()
    texts = [str(p) for p in paths]
    if all(t.lower().endswith(".parquet") or os.path.isdir(t) for t in texts):
        return spark.read.parquet(*texts)
    if all(t.lower().removesuffix(".gz").endswith(".csv") for t in texts):
        # RFC 4180 quoting (a doubled quote inside quotes), as pandas and DuckDB read it
        return spark.read.csv(texts, header=True, inferSchema=True, escape='"', multiLine=True)
    raise ValueError(f"{func}(): give paths ending in .parquet or .csv, got {', '.join(texts)}.")


def _view(df) -> str:
    name = f"kit_view_{next(_names)}"
    df.createOrReplaceTempView(name)
    return name


def _sql(df, query: str):
    return df.sparkSession.sql(sql.transpile(query, "spark"))


def _humans(func: str, df, bot_rules, ua_column: str):
    rules = sql._check_rules(func, bot_rules)
    need = [ua_column]
    if rules.too_fast_seconds is not None or rules.max_pages_per_minute is not None:
        need += ["duration_s", "pageviews"]
    if rules.fast_form_seconds is not None:
        need.append("form_seconds")
    _results.check_columns(func, "sessions", df.columns, need,
                           "Rename it, or switch the rule off in bot_rules (BotRules(...=None)).")
    table = _view(df)
    rows = _sql(df, f"SELECT DISTINCT COALESCE({sql.ident(ua_column)}, '') AS ua FROM {table}").collect()
    verdicts = bots.ua_verdicts(pd.Series([r[0] for r in rows], dtype=object), missing_ua=rules.missing_ua)
    agents = df.sparkSession.createDataFrame(
        list(zip(verdicts["user_agent"].astype(object), verdicts["is_bot"].astype(bool).tolist(), strict=True)),
        "user_agent string, is_bot boolean",
    )
    return _sql(df, sql.human_sessions_sql(table, _view(agents), rules, ua_column=ua_column))


def human_sessions(source: Any, bot_rules=ENGINE_RULES, *, ua_column: str = "user_agent", spark=None):
    """The human sessions of ``source`` as a Spark DataFrame (lazy), by ``bot_rules``."""
    df = _frame("human_sessions", source, spark)
    return _humans("human_sessions", df, bot_rules, ua_column)


def rate_table(
    source: Any,
    by: str | Sequence[str],
    *,
    converted: str = "converted",
    unit: str | None = None,
    confidence: float = 0.95,
    method: str = "wilson",
    total: bool = True,
    bot_rules=None,
    ua_column: str = "user_agent",
    spark=None,
) -> pd.DataFrame:
    """:func:`helpers.conversions.rate_table` on Spark (see :func:`helpers.engines.duckdb.rate_table`)."""
    func = "rate_table"
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise ValueError(f"{func}(): by is empty; name at least one column to group by.")
    df = _frame(func, source, spark)
    _results.check_columns(func, "frame", df.columns, keys, "Pass by= one of these columns.")
    _results.check_columns(func, "frame", df.columns, [converted],
                           "Add a boolean column that says whether each row converted, or pass converted='your_column'.")
    unit = unit or conversions._infer_unit(_results.columns_frame(df.columns))
    if bot_rules is not None:
        df = _humans(func, df, bot_rules, ua_column)
    rows = _sql(df, sql.rate_table_sql(_view(df), keys, converted)).collect()
    counts = pd.DataFrame([r.asDict() for r in rows], columns=[*keys, "conversions", "units"])
    return _results.rate_table(counts, keys, unit=unit, total=total, confidence=confidence, method=method)


def funnel(
    source: Any,
    steps: Sequence[str],
    *,
    person: str = "visitor_id",
    time: str = "timestamp",
    step_column: str = "event_name",
    ordered: bool = True,
    spark=None,
) -> pd.DataFrame:
    """:func:`helpers.conversions.funnel` on Spark: people reaching each step, in order."""
    func = "funnel"
    if isinstance(steps, str) or not isinstance(steps, Sequence) or not steps:
        raise TypeError(f"{func}(): steps must be a non-empty list of step names, got {steps!r}.")
    steps = list(steps)
    if len(set(steps)) != len(steps):
        raise ValueError(f"{func}(): steps {steps} repeat a step; each step must appear once.")
    df = _frame(func, source, spark)
    cols = [person, step_column] + ([time] if ordered else [])
    _results.check_columns(func, "events", df.columns, cols,
                           "Rename it or pass person=..., time=..., step_column=....")
    table = _view(df)
    if ordered:
        missing = _sql(df, sql.funnel_missing_times_sql(
            table, steps, person=person, time=time, step_column=step_column)).collect()[0][0]
        if missing:
            raise ValueError(f"{func}(): column {time!r} has {missing} missing times among the funnel's events.")
    row = _sql(df, sql.funnel_sql(table, steps, person=person, time=time,
                                  step_column=step_column, ordered=ordered)).collect()[0]
    return _results.funnel(steps, [0 if v is None else v for v in row])


def pipeline(source: Any, *, stage: str = "stage", spark=None, **kwargs) -> pd.DataFrame:
    """:func:`helpers.leads.pipeline` on Spark: Spark counts leads per stage, pandas does the rest."""
    func = "pipeline"
    df = _frame(func, source, spark)
    _results.check_columns(func, "leads", df.columns, [stage], "Rename it or pass stage='your_column'.")
    rows = _sql(df, sql.pipeline_sql(_view(df), stage)).collect()
    counts = pd.DataFrame([r.asDict() for r in rows], columns=["stage", "leads"])
    return _results.pipeline(counts, **kwargs)
