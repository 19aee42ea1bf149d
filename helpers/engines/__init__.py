"""The kit's core metrics beyond pandas: DuckDB, Apache Spark and BigQuery.

The same metrics, under the same names, as the pandas functions, for data that does not
fit in a notebook's memory:

============================  ==========================================  ===========================
metric                        pandas                                      engines
============================  ==========================================  ===========================
human sessions                ``bots.label`` then ``~is_bot``             ``human_sessions``
rate table with intervals     ``conversions.rate_table``                  ``rate_table``
ordered funnel                ``conversions.funnel``                      ``funnel``
lead pipeline                 ``leads.pipeline``                          ``pipeline``
============================  ==========================================  ===========================

- :mod:`helpers.engines.duckdb`: embedded, one call over CSV or Parquet files, out of
  core (``duckdb.rate_table("sessions/*.parquet", by="channel")``).
- :mod:`helpers.engines.spark`: PySpark, local or on a cluster (``spark.funnel(df, steps)``).
- :mod:`helpers.engines.bigquery`: BigQuery SQL over a GA4 export (``events_*``), to paste
  into the console.

Install with ``pip install 'leads-conversions-lab[engines]'`` (``make test`` does);
Spark also needs Java 17 or newer.

What each engine computes
-------------------------
The engines compute **counts** (units and conversions per group, people per funnel step,
leads per stage); rates and Wilson intervals are then computed from those counts by the
very functions the pandas path uses (:func:`helpers.conversions.interval`,
:func:`helpers.leads.pipeline`), so the results equal pandas': counts exactly, rates within
1e-12 (``tests/test_engines.py`` checks it on the kit's data, for DuckDB and Spark).

- Human sessions: each *distinct* user agent is judged once in Python by
  :func:`helpers.bots.ua_verdicts` (the public list, the allow-list, the fallback, a
  missing agent) and joined back in SQL, so the list has one definition; the behaviour rules
  ``too_fast``, ``pages_per_minute`` and ``fast_form`` are SQL. ``schedule`` (the median
  gap between one client's visits to a page), ``robots_txt`` and ``spread`` (web-log
  columns) stay in pandas: :data:`ENGINE_RULES` is ``BotRules(schedule_min_sessions=None,
  robots_txt=False, spread_min_ips=None)``, and the engines equal
  ``bots.label(sessions, ENGINE_RULES)``.
- Funnel: each person's first time at each step; a person counts at a step when they
  reached every earlier step and their first time at the previous step is at or before
  this one (ties at the same second pass); nobody passes a step they skipped.

Why SQL transpiled with sqlglot, not Ibis
-----------------------------------------
Both were tried on the funnel and the rate table (ibis-framework 12.0, sqlglot 30.31).
Ibis builds typed expressions in Python and compiles them for each backend, and it would
catch a type error before a query runs. We chose plain SQL, transpiled by sqlglot, because:

1. **The query is the documentation.** An analyst reads, edits and pastes one short query
   (:mod:`helpers.engines.sql`); Ibis's compiled SQL is machine-shaped (nested
   ``t0``/``t1``/``t2`` subqueries, ``CAST(... AS INT64)`` around every condition), three
   times longer for the funnel, and not what anyone would paste into BigQuery.
2. **Every engine already speaks SQL**: ``duckdb.sql``, ``spark.sql`` and the BigQuery
   console run the text as it is; sqlglot only rewrites the dialect (quoting,
   ``CAST(... AS BOOL)``, ``FLOAT64``) and checks that the BigQuery text parses. Ibis would
   add a backend layer per engine (its own pins on pyspark and duckdb) between the kit
   and the engine.
3. **Smaller and steadier**: sqlglot is one pure-Python package (8 MB, no dependencies;
   Ibis itself depends on it) while Ibis adds 29 MB and six packages, and its API has
   changed with every major release (9, 10, 11, 12 in two years).

The cost: queries are built as text, so names go through :func:`sql.ident` and values
through :func:`sql.literal` (quoted, never pasted raw), and a type mistake shows up when
the engine runs the query, with the engine's message.

A worked BigQuery example
-------------------------
Session conversion rate by channel, human sessions only, with 95% Wilson intervals, over
January 2024 of a GA4 export::

    from helpers.engines import bigquery
    ga4 = bigquery.GA4Export("my-project.analytics_123456789.events_*",
                             start="20240101", end="20240131")
    print(bigquery.rate_table_sql(ga4, by="channel"))
    print(bigquery.funnel_sql(ga4, ["page_view", "add_to_cart", "purchase"]))

Paste the printed query into the BigQuery console (replace the table with yours; the
date filter on ``_TABLE_SUFFIX`` keeps the scan, and the bill, to those days). It returns
one row per channel (``traffic_source.medium``) and a ``Total`` row: ``conversions``
(sessions with a ``purchase``), ``units`` (sessions), ``rate``, ``low`` and ``high``. Its
shape, shortened::

    WITH kit_events AS (              -- the GA4 export in the kit's shape
      SELECT user_pseudo_id AS visitor_id,
             CONCAT(user_pseudo_id, '.', CAST((SELECT value.int_value FROM UNNEST(event_params)
                    WHERE key = 'ga_session_id') AS STRING)) AS session_id,
             TIMESTAMP_MICROS(event_timestamp) AS timestamp, event_name, ...
      FROM `my-project.analytics_123456789.events_*`
      WHERE _TABLE_SUFFIX >= '20240101' AND _TABLE_SUFFIX <= '20240131'),
    kit_sessions AS (                 -- one row per session
      SELECT session_id, ..., COUNTIF(event_name = 'page_view') AS pageviews,
             TIMESTAMP_DIFF(MAX(timestamp), MIN(timestamp), MILLISECOND) / 1000 AS duration_s,
             LOGICAL_OR(event_name = 'purchase') AS converted
      FROM kit_events WHERE session_id IS NOT NULL GROUP BY session_id),
    g AS (                            -- the kit's rate-table query, human sessions only
      SELECT `channel`, SUM(CASE WHEN CAST(`converted` AS BOOL) THEN 1 ELSE 0 END) AS conversions,
             COUNT(*) AS units
      FROM (SELECT * FROM kit_sessions AS s WHERE NOT (<too_fast> OR <pages_per_minute>))
      GROUP BY `channel`), ...
    SELECT `channel`, conversions, units, rate, <Wilson low> AS low, <Wilson high> AS high ...

A GA4 export has no user agent (Google drops traffic from known bots before exporting),
so there the human-session filter is the behaviour rules the export shows. The SQL
Wilson interval is the formula of :func:`helpers.conversions.interval` (a test runs it on
DuckDB and compares it with ``rate_table`` within 1e-12).

Examples
--------
>>> from helpers import engines
>>> engines.ENGINE_RULES.enabled
('too_fast', 'pages_per_minute', 'fast_form')
"""

from .sql import ENGINE_RULES

__all__ = ["ENGINE_RULES"]
