"""The kit's core metrics on DuckDB: one call over CSV or Parquet files, larger than memory.

DuckDB runs inside the Python process (no server), reads the files where they are, and
streams them through the query on every core, spilling to disk when a hash table outgrows
memory, so a year of sessions on a laptop is one call::

    from helpers.engines import duckdb as eng
    eng.rate_table("exports/sessions/*.parquet", by="channel", converted="converted",
                   bot_rules=eng.ENGINE_RULES)        # human sessions only
    eng.funnel("exports/events/*.parquet", ["page_view", "add_to_cart", "purchase"])
    eng.pipeline("exports/leads.csv")

``source`` is a path or glob of ``.parquet`` / ``.csv`` (``.csv.gz``) files, a list of
them, a pandas DataFrame, or a DuckDB relation. The results are the pandas functions'
frames (:func:`helpers.conversions.rate_table`, :func:`helpers.conversions.funnel`,
:func:`helpers.leads.pipeline`) with the same columns; counts are equal, rates and
intervals come from the same Python code.

Examples
--------
>>> import pandas as pd
>>> visitors = pd.DataFrame({"visitor_id": list("abcdef"),
...     "channel": ["email", "email", "social", "social", "social", "social"],
...     "converted": [True, False, True, False, False, False]})
>>> rate_table(visitors, by="channel").round(3)
  channel  conversions  visitors   rate    low   high
0   email            1         2  0.500  0.095  0.905
1  social            1         4  0.250  0.046  0.699
2   Total            2         6  0.333  0.097  0.700
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import bots, conversions
from . import _results, sql
from .sql import ENGINE_RULES

__all__ = ["ENGINE_RULES", "connect", "funnel", "human_sessions", "pipeline", "rate_table"]

_names = itertools.count()


def connect(*, memory_limit: str | None = None, temp_directory: str | None = None, threads: int | None = None):
    """A new in-process DuckDB connection (settings optional: ``memory_limit="4GB"``).

    DuckDB spills to ``temp_directory`` (default ``.tmp`` beside the database, or the
    system's temporary folder for an in-memory one) when a query needs more memory than
    ``memory_limit`` (default 80% of RAM).
    """
    try:
        import duckdb
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "helpers.engines.duckdb needs the duckdb package: pip install 'leads-conversions-lab[engines]' "
            "(or pip install duckdb)."
        ) from None
    con = duckdb.connect()
    if memory_limit:
        con.execute(f"SET memory_limit = {sql.literal(memory_limit)}")
    if temp_directory:
        con.execute(f"SET temp_directory = {sql.literal(str(temp_directory))}")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def _table(func: str, con, source: Any) -> str:
    """A SQL table expression for ``source`` on ``con`` (registering frames as views)."""
    if isinstance(source, pd.DataFrame):
        name = f"kit_frame_{next(_names)}"
        con.register(name, source)
        return name
    if hasattr(source, "sql_query") and hasattr(source, "columns"):  # a DuckDB relation
        return f"({source.sql_query()})"
    paths = [source] if isinstance(source, str | os.PathLike) else list(source)
    if not paths or not all(isinstance(p, str | os.PathLike) for p in paths):
        raise TypeError(
            f"{func}(): source must be a path or glob of .parquet/.csv files, a list of them, "
            f"a pandas DataFrame or a DuckDB relation; got {type(source).__name__}."
        )
    texts = [str(Path(p)) if not any(c in str(p) for c in "*?[") else str(p) for p in paths]
    suffixes = {t.lower().removesuffix(".gz").rsplit(".", 1)[-1] for t in texts}
    if len(suffixes) != 1 or not suffixes <= {"parquet", "csv", "tsv", "txt"}:
        raise ValueError(
            f"{func}(): cannot tell the file type of {', '.join(texts)}; give paths ending in "
            ".parquet or .csv (one type per call)."
        )
    listed = "[" + ", ".join(sql.literal(t) for t in texts) + "]"
    if suffixes == {"parquet"}:
        return f"read_parquet({listed})"
    return f"read_csv({listed}, header = true)"


def _columns(con, table: str) -> list[str]:
    return [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]


def _agents(con, table: str, ua_column: str, rules) -> str:
    """Classify the distinct user agents of ``table`` in Python; a view (user_agent, is_bot)."""
    agents = con.execute(
        f"SELECT DISTINCT COALESCE({sql.ident(ua_column)}, '') AS ua FROM {table}"
    ).fetchnumpy()["ua"]
    verdicts = bots.ua_verdicts(pd.Series(agents, dtype=object), missing_ua=rules.missing_ua)
    frame = pd.DataFrame({"user_agent": verdicts["user_agent"].astype(object),
                          "is_bot": verdicts["is_bot"].to_numpy(bool)})
    name = f"kit_agents_{next(_names)}"
    con.register(name, frame)
    return name


def _humans(func: str, con, table: str, bot_rules, ua_column: str) -> str:
    rules = sql._check_rules(func, bot_rules)
    cols = _columns(con, table)
    need = [ua_column]
    if rules.too_fast_seconds is not None or rules.max_pages_per_minute is not None:
        need += ["duration_s", "pageviews"]
    if rules.fast_form_seconds is not None:
        need.append("form_seconds")
    _results.check_columns(func, "sessions", cols, need,
                           "Rename it, or switch the rule off in bot_rules (BotRules(...=None)).")
    agents = _agents(con, table, ua_column, rules)
    return f"({sql.human_sessions_sql(table, agents, rules, ua_column=ua_column)})"


def human_sessions(source: Any, bot_rules=ENGINE_RULES, *, ua_column: str = "user_agent", con=None):
    """The human sessions of ``source`` as a DuckDB relation (lazy: nothing is read yet).

    Write them out with ``.write_parquet("humans.parquet")``, count them with
    ``.count("*").fetchone()``, or turn a small one into pandas with ``.df()``. Human means
    what :func:`helpers.bots.label` decides with ``bot_rules`` (every rule but ``schedule``).

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["s1", "s2", "s3"],
    ...     "user_agent": ["curl/8.5.0", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", None],
    ...     "duration_s": [3.0, 30.0, 9.0], "pageviews": [1, 2, 1], "form_seconds": [None, None, None]})
    >>> human_sessions(s).df()["session_id"].tolist()
    ['s2']
    """
    con = con or connect()
    table = _table("human_sessions", con, source)
    return con.sql(_humans("human_sessions", con, table, bot_rules, ua_column)[1:-1])


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
    con=None,
) -> pd.DataFrame:
    """:func:`helpers.conversions.rate_table` on DuckDB: one row per unit in ``source``.

    Groups come out sorted by their values (missing last). ``bot_rules`` (e.g.
    :data:`ENGINE_RULES`) keeps the human sessions only, as
    ``rate_table(bots.label(sessions, rules).query("~is_bot"), ...)`` does in pandas.
    """
    func = "rate_table"
    con = con or connect()
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise ValueError(f"{func}(): by is empty; name at least one column to group by.")
    table = _table(func, con, source)
    cols = _columns(con, table)
    _results.check_columns(func, "frame", cols, keys, "Pass by= one of these columns.")
    _results.check_columns(func, "frame", cols, [converted],
                           "Add a boolean column that says whether each row converted, or pass converted='your_column'.")
    unit = unit or conversions._infer_unit(_results.columns_frame(cols))
    if bot_rules is not None:
        table = _humans(func, con, table, bot_rules, ua_column)
    counts = con.execute(sql.rate_table_sql(table, keys, converted)).df()
    return _results.rate_table(counts, keys, unit=unit, total=total, confidence=confidence, method=method)


def funnel(
    source: Any,
    steps: Sequence[str],
    *,
    person: str = "visitor_id",
    time: str = "timestamp",
    step_column: str = "event_name",
    ordered: bool = True,
    con=None,
) -> pd.DataFrame:
    """:func:`helpers.conversions.funnel` on DuckDB: people reaching each step, in order.

    Examples
    --------
    >>> ev = pd.DataFrame({
    ...     "visitor_id": ["a", "a", "a", "b", "b", "c"],
    ...     "event_name": ["page_view", "add_to_cart", "purchase", "page_view", "purchase", "page_view"],
    ...     "timestamp": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 10:05", "2024-01-01 10:09",
    ...                                  "2024-01-02 09:00", "2024-01-02 09:01", "2024-01-03 12:00"])})
    >>> funnel(ev, ["page_view", "add_to_cart", "purchase"])[["step", "people"]]
              step  people
    0    page_view       3
    1  add_to_cart       1
    2     purchase       1
    """
    func = "funnel"
    if isinstance(steps, str) or not isinstance(steps, Sequence) or not steps:
        raise TypeError(f"{func}(): steps must be a non-empty list of step names, got {steps!r}.")
    steps = list(steps)
    if len(set(steps)) != len(steps):
        raise ValueError(f"{func}(): steps {steps} repeat a step; each step must appear once.")
    con = con or connect()
    table = _table(func, con, source)
    cols = [person, step_column] + ([time] if ordered else [])
    _results.check_columns(func, "events", _columns(con, table), cols,
                           "Rename it or pass person=..., time=..., step_column=....")
    if ordered:
        missing = con.execute(sql.funnel_missing_times_sql(
            table, steps, person=person, time=time, step_column=step_column)).fetchall()[0][0]
        if missing:
            raise ValueError(f"{func}(): column {time!r} has {missing} missing times among the funnel's events.")
    row = con.execute(sql.funnel_sql(table, steps, person=person, time=time,
                                     step_column=step_column, ordered=ordered)).fetchall()[0]
    return _results.funnel(steps, [0 if v is None else v for v in row])


def pipeline(source: Any, *, stage: str = "stage", con=None, **kwargs) -> pd.DataFrame:
    """:func:`helpers.leads.pipeline` on DuckDB: leads reaching MQL, SQL, customer.

    DuckDB counts the leads per stage; the pandas function then runs on those counts
    (``visitors=``, ``disqualified=`` and ``confidence=`` are passed on to it).
    """
    func = "pipeline"
    con = con or connect()
    table = _table(func, con, source)
    _results.check_columns(func, "leads", _columns(con, table), [stage],
                           "Rename it or pass stage='your_column'.")
    counts = con.execute(sql.pipeline_sql(table, stage)).df()
    return _results.pipeline(counts, **kwargs)
