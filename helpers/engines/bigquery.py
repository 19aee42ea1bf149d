"""The kit's core metrics as BigQuery SQL over a GA4 export (``events_*`` tables).

Nothing here connects to Google: each function returns the text of a query, checked to
parse as BigQuery Standard SQL (sqlglot), to paste into the BigQuery console or run with
``google-cloud-bigquery``. The metric parts are the same SQL the DuckDB and Spark paths
run (:mod:`helpers.engines.sql`), transpiled; the GA4 part turns the export into the
kit's shape:

- ``kit_events``: one row per event: ``visitor_id`` (``user_pseudo_id``), ``session_id``
  (``user_pseudo_id`` + the ``ga_session_id`` event parameter), ``timestamp``
  (``TIMESTAMP_MICROS(event_timestamp)``), ``event_name``, ``page`` (the
  ``page_location`` parameter), ``channel`` (``traffic_source.medium``, the medium that
  first brought the user; pass ``channel=`` another expression, e.g.
  ``collected_traffic_source.manual_medium``), ``device`` (``device.category``),
  ``country`` (``geo.country``), ``value`` (``ecommerce.purchase_revenue``);
- ``kit_sessions``: one row per session: ``started_at``, ``pageviews`` (page_view
  events), ``duration_s`` (first to last event), ``converted`` (the session has a
  ``converted_event``, ``purchase`` by default), and the first event's channel, device
  and country.

The GA4 export has no user agent: Google already drops traffic from known bots and
spiders (the IAB list) before the export, so the human-session filter here is the kit's
behaviour rules that the export can show (``too_fast``, ``pages_per_minute``).

Examples
--------
>>> ga4 = GA4Export("my-project.analytics_123456789.events_*", start="20240101", end="20240131")
>>> query = rate_table_sql(ga4, by="channel")
>>> "COUNTIF" in query or "SUM(" in query
True
>>> check(query)  # parses as BigQuery SQL (raises sqlglot.ParseError if not)
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..bots import BotRules
from ..conversions import _check_confidence
from . import sql

__all__ = ["GA4Export", "check", "funnel_sql", "pipeline_sql", "rate_table_sql"]

_DATE = re.compile(r"^\d{8}$")


@dataclass(frozen=True)
class GA4Export:
    """Where a GA4 export lives and how to read the kit's columns from it.

    Parameters
    ----------
    table : str
        ``project.dataset.events_*`` (the wildcard reads every daily table).
    start, end : str, optional
        First and last day as ``YYYYMMDD`` (filters ``_TABLE_SUFFIX``, so BigQuery scans,
        and bills, only those days).
    channel : str
        BigQuery expression for the channel, default ``traffic_source.medium``.
    converted_event : str
        The event that makes a session converted, default ``purchase``.
    """

    table: str
    start: str | None = None
    end: str | None = None
    channel: str = "traffic_source.medium"
    converted_event: str = "purchase"

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.\-*]+", self.table or ""):
            raise ValueError(
                f"GA4Export(): table must look like 'project.analytics_123.events_*', got {self.table!r}."
            )
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and not _DATE.match(str(value)):
                raise ValueError(f"GA4Export(): {name} must be a day as YYYYMMDD, e.g. '20240131'; got {value!r}.")

    def ctes(self) -> str:
        """The ``kit_events`` and ``kit_sessions`` common table expressions (BigQuery SQL)."""
        where = []
        if self.start:
            where.append(f"_TABLE_SUFFIX >= '{self.start}'")
        if self.end:
            where.append(f"_TABLE_SUFFIX <= '{self.end}'")
        filt = f"\n  WHERE {' AND '.join(where)}" if where else ""
        param = "(SELECT value.{kind} FROM UNNEST(event_params) WHERE key = '{key}')"
        conv = sql.literal(self.converted_event)
        return f"""kit_events AS (
  SELECT
    user_pseudo_id AS visitor_id,
    CONCAT(user_pseudo_id, '.', CAST({param.format(kind='int_value', key='ga_session_id')} AS STRING)) AS session_id,
    TIMESTAMP_MICROS(event_timestamp) AS timestamp,
    event_name,
    {param.format(kind='string_value', key='page_location')} AS page,
    {self.channel} AS channel,
    device.category AS device,
    geo.country AS country,
    ecommerce.purchase_revenue AS value
  FROM `{self.table}`{filt}
),
kit_sessions AS (
  SELECT
    session_id,
    ANY_VALUE(visitor_id) AS visitor_id,
    MIN(timestamp) AS started_at,
    ARRAY_AGG(channel ORDER BY timestamp LIMIT 1)[OFFSET(0)] AS channel,
    ARRAY_AGG(device ORDER BY timestamp LIMIT 1)[OFFSET(0)] AS device,
    ARRAY_AGG(country ORDER BY timestamp LIMIT 1)[OFFSET(0)] AS country,
    COUNTIF(event_name = 'page_view') AS pageviews,
    TIMESTAMP_DIFF(MAX(timestamp), MIN(timestamp), MILLISECOND) / 1000 AS duration_s,
    LOGICAL_OR(event_name = {conv}) AS converted
  FROM kit_events
  WHERE session_id IS NOT NULL
  GROUP BY session_id
)"""


def check(query: str) -> bool:
    """True when ``query`` parses as BigQuery SQL; raises ``sqlglot.ParseError`` otherwise."""
    import sqlglot

    sqlglot.parse_one(query, read="bigquery")
    return True


def _with(ga4: GA4Export, metric_duckdb: str) -> str:
    body = sql.transpile(metric_duckdb, "bigquery", pretty=True)
    if body.startswith("WITH "):
        query = f"WITH {ga4.ctes()},\n{body[len('WITH '):]}"
    else:
        query = f"WITH {ga4.ctes()}\n{body}"
    check(query)
    return query


def _humans(bot_rules: BotRules | None) -> str:
    if bot_rules is None:
        return "kit_sessions"
    rules = sql._check_rules("rate_table_sql", bot_rules)
    # no user agent in a GA4 export (Google drops known bots before it): behaviour only
    behaviour = sql.behaviour_sql(
        BotRules(missing_ua=False, too_fast_seconds=rules.too_fast_seconds,
                 too_fast_min_pages=rules.too_fast_min_pages,
                 max_pages_per_minute=rules.max_pages_per_minute,
                 pages_per_minute_min_pages=rules.pages_per_minute_min_pages,
                 schedule_min_sessions=None, fast_form_seconds=None,
                 robots_txt=False, spread_min_ips=None),
        alias="s",
    )
    return f"(SELECT * FROM kit_sessions AS s WHERE NOT ({behaviour}))"


def rate_table_body(
    source: str,
    by: str | Sequence[str],
    *,
    converted: str = "converted",
    confidence: float = 0.95,
) -> str:
    """The rate table with its Total row and Wilson interval, in SQL (DuckDB dialect).

    Used inside :func:`rate_table_sql`; runs as it is on DuckDB (the tests compare it
    with :func:`helpers.conversions.rate_table`).
    """
    from scipy import stats

    conf = _check_confidence("rate_table_sql", confidence)
    keys = [by] if isinstance(by, str) else list(by)
    z = float(stats.norm.isf((1.0 - conf) / 2.0))
    low, high = sql.wilson_sql("conversions", "units", z, q="rate")
    cast = ", ".join(f"CAST({sql.ident(k)} AS VARCHAR) AS {sql.ident(k)}" for k in keys)
    totals = ", ".join(f"'Total' AS {sql.ident(k)}" for k in keys)
    order = ", ".join(f"{sql.ident(k)} NULLS LAST" for k in keys)
    return (
        f"WITH g AS ({sql.rate_table_sql(source, keys, converted)}), "
        f"t AS (SELECT {cast}, conversions, units, 0 AS total_row FROM g "
        f"UNION ALL SELECT {totals}, SUM(conversions), SUM(units), 1 FROM g), "
        f"r AS (SELECT *, CAST(conversions AS DOUBLE) / units AS rate FROM t) "
        f"SELECT {', '.join(sql.ident(k) for k in keys)}, conversions, units, rate, "
        f"{low} AS low, {high} AS high FROM r ORDER BY total_row, {order}"
    )


def rate_table_sql(
    ga4: GA4Export,
    by: str | Sequence[str] = "channel",
    *,
    confidence: float = 0.95,
    bot_rules: BotRules | None = sql.ENGINE_RULES,
) -> str:
    """Session conversion rate per group of a GA4 export, with Wilson intervals and a Total row.

    ``by`` names columns of ``kit_sessions`` (channel, device, country). Sessions that
    break a behaviour rule of ``bot_rules`` are left out (``None`` keeps every session).
    """
    source = _humans(bot_rules)
    return _with(ga4, rate_table_body(source, by, confidence=confidence))


def funnel_sql(ga4: GA4Export, steps: Sequence[str], *, ordered: bool = True) -> str:
    """Users (``user_pseudo_id``) reaching each step of an ordered funnel of GA4 events.

    The kit's definition (:func:`helpers.conversions.funnel`): first time per step,
    nobody passes a step they skipped, ties at the same instant pass. One row,
    ``people_0`` ... ``people_{k-1}``.
    """
    steps = list(steps)
    if isinstance(steps, str) or not steps or len(set(steps)) != len(steps):
        raise ValueError(f"funnel_sql(): steps must be a list of distinct event names, got {steps!r}.")
    return _with(ga4, sql.funnel_sql("kit_events", steps, ordered=ordered))


def pipeline_sql(crm_table: str, *, stage: str = "stage") -> str:
    """Leads per current stage in a CRM table loaded into BigQuery (feed it to ``leads.pipeline``)."""
    if not re.fullmatch(r"[A-Za-z0-9_.\-]+", crm_table or ""):
        raise ValueError(f"pipeline_sql(): crm_table must look like 'project.crm.leads', got {crm_table!r}.")
    query = sql.transpile(sql.pipeline_sql(f"`{crm_table}`".replace("`", '"'), stage), "bigquery", pretty=True)
    check(query)
    return query
