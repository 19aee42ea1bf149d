"""The kit's core metrics as SQL, written once and transpiled with sqlglot.

Every builder returns a query in DuckDB's dialect over a table expression ``source``
(a table name, a view, ``read_parquet('...')``); :func:`transpile` turns it into Spark
SQL or BigQuery Standard SQL. The queries return **counts only**; rates and intervals
are computed from those counts in Python by :func:`helpers.conversions.interval`, the
function the pandas path uses, so both paths agree to the last bit
(:func:`wilson_sql` is the exception: BigQuery users get the interval inside the query).

Examples
--------
>>> print(transpile(funnel_sql("ev", ["page_view", "purchase"]), "bigquery"))  # doctest: +ELLIPSIS
WITH firsts AS (SELECT `visitor_id`, MIN(CASE WHEN `event_name` = 'page_view' THEN `timestamp` END) AS t0, ...
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..bots import BotRules

__all__ = [
    "ENGINE_RULES",
    "behaviour_sql",
    "funnel_sql",
    "human_sessions_sql",
    "ident",
    "literal",
    "pipeline_sql",
    "rate_table_sql",
    "transpile",
    "wilson_sql",
]

DIALECTS = ("duckdb", "spark", "bigquery")

ENGINE_RULES = BotRules(schedule_min_sessions=None, robots_txt=False, spread_min_ips=None)
"""The bot rules SQL expresses: every user-agent rule and the behaviour rules ``too_fast``,
``pages_per_minute`` and ``fast_form``. ``schedule`` (the median gap of each client's visits
to a page), ``robots_txt`` and ``spread`` (one agent over many addresses; both need columns
only a web log has) stay in pandas: ``bots.label(sessions, ENGINE_RULES)`` is what the
engines match."""


def ident(name: str) -> str:
    """A quoted identifier in DuckDB's dialect (``"a""b"`` for ``a"b``)."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"engines: a column name must be a non-empty string, got {name!r}.")
    return '"' + name.replace('"', '""') + '"'


def literal(value: Any) -> str:
    """A SQL literal: a quoted string, or a number written so it reads back exactly."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(float(value)) if isinstance(value, float) else str(value)
    raise TypeError(f"engines: cannot write {value!r} as a SQL literal.")


def transpile(sql: str, dialect: str = "duckdb", *, pretty: bool = False) -> str:
    """``sql`` (DuckDB dialect) rewritten for ``dialect``: "duckdb", "spark" or "bigquery".

    Examples
    --------
    >>> transpile('SELECT "a" FROM t WHERE "b" IS NOT NULL', "spark")
    'SELECT `a` FROM t WHERE NOT `b` IS NULL'
    """
    if dialect not in DIALECTS:
        raise ValueError(f"transpile(): dialect must be one of {', '.join(DIALECTS)}, got {dialect!r}.")
    if dialect == "duckdb" and not pretty:
        return sql
    try:
        import sqlglot
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "transpile(): Spark and BigQuery SQL need sqlglot: pip install "
            "'leads-conversions-lab[engines]' (or pip install sqlglot)."
        ) from None
    return sqlglot.transpile(sql, read="duckdb", write=dialect, pretty=pretty)[0]


# --------------------------------------------------------------------------- bot filter


def _check_rules(func: str, rules: BotRules) -> BotRules:
    if not isinstance(rules, BotRules):
        raise TypeError(f"{func}(): bot_rules must be a BotRules, got {type(rules).__name__}.")
    if rules.schedule_min_sessions is not None:
        raise ValueError(
            f"{func}(): the 'schedule' bot rule (the median gap between a client's visits) "
            "has no SQL form here. Pass bot_rules=engines.ENGINE_RULES (every other rule), or "
            "BotRules(..., schedule_min_sessions=None)."
        )
    if rules.robots_txt or rules.spread_min_ips is not None:
        raise ValueError(
            f"{func}(): the 'robots_txt' and 'spread' bot rules read columns only a web log has "
            "(robots_txt, ip) and have no SQL form here. Pass bot_rules=engines.ENGINE_RULES, "
            "or BotRules(..., robots_txt=False, spread_min_ips=None)."
        )
    return rules


def behaviour_sql(rules: BotRules = ENGINE_RULES, *, alias: str = "s") -> str:
    """A boolean SQL expression: the session breaks a behaviour rule of ``rules``.

    The same tests, in the same floating-point arithmetic, as :func:`helpers.bots.label`
    (a missing number never fires a rule).

    Examples
    --------
    >>> behaviour_sql(BotRules(schedule_min_sessions=None, too_fast_seconds=None,
    ...                        max_pages_per_minute=None, robots_txt=False,
    ...                        spread_min_ips=None))
    'COALESCE(s."form_seconds" < 3.0, FALSE)'
    """
    rules = _check_rules("behaviour_sql", rules)
    d, p, f = (f'{alias}."duration_s"', f'{alias}."pageviews"', f'{alias}."form_seconds"')
    parts = []
    if rules.too_fast_seconds is not None:
        parts.append(f"({d} < {literal(float(rules.too_fast_seconds))} "
                     f"AND {p} >= {rules.too_fast_min_pages})")
    if rules.max_pages_per_minute is not None:
        # pages / (duration / 60) > max, as NumPy computes it; 0 s is infinitely fast
        parts.append(
            f"({p} >= {rules.pages_per_minute_min_pages} AND CASE WHEN {d} = 0 THEN TRUE "
            f"ELSE CAST({p} AS DOUBLE) / ({d} / 60.0) > {literal(float(rules.max_pages_per_minute))} END)"
        )
    if rules.fast_form_seconds is not None:
        parts.append(f"{f} < {literal(float(rules.fast_form_seconds))}")
    if not parts:
        return "FALSE"
    return " OR ".join(f"COALESCE({x}, FALSE)" for x in parts)


def human_sessions_sql(
    source: str,
    agents: str,
    rules: BotRules = ENGINE_RULES,
    *,
    ua_column: str = "user_agent",
    columns: Sequence[str] | None = None,
) -> str:
    """Sessions that are human by ``rules``: a query over ``source``.

    ``agents`` is a table ``(user_agent, is_bot)`` with every distinct agent of
    ``source`` classified by :func:`helpers.bots.ua_verdicts` (a missing agent as ``''``):
    the user-agent layer is decided in Python once per distinct agent, exactly as
    :func:`helpers.bots.label` does, and joined back.
    """
    rules = _check_rules("human_sessions_sql", rules)
    cols = "s.*" if columns is None else ", ".join(f"s.{ident(c)}" for c in columns)
    ua = f"COALESCE(s.{ident(ua_column)}, '')"
    rule = behaviour_sql(rules, alias="s") if rules.enabled else "FALSE"
    return (
        f"SELECT {cols} FROM {source} AS s LEFT JOIN {agents} AS a ON {ua} = a.\"user_agent\" "
        f"WHERE NOT (COALESCE(a.\"is_bot\", FALSE) OR {rule})"
    )


# --------------------------------------------------------------------------- metrics


def rate_table_sql(source: str, by: Sequence[str], converted: str = "converted") -> str:
    """Conversions and units per group: one row per group (missing values group together).

    The denominator is the number of rows (one per unit), the numerator the rows whose
    ``converted`` is true, as in :func:`helpers.conversions.rate_table`.
    """
    keys = ", ".join(ident(k) for k in by)
    return (
        f"SELECT {keys}, SUM(CASE WHEN CAST({ident(converted)} AS BOOLEAN) THEN 1 ELSE 0 END) AS conversions, "
        f"COUNT(*) AS units FROM {source} GROUP BY {keys}"
    )


def funnel_sql(
    source: str,
    steps: Sequence[str],
    *,
    person: str = "visitor_id",
    time: str = "timestamp",
    step_column: str = "event_name",
    ordered: bool = True,
) -> str:
    """People reaching each step: one row, columns ``people_0`` ... ``people_{k-1}``.

    The definition of :func:`helpers.conversions.funnel`: a person's first time at
    each step; a person counts at step *k* when they reached every earlier step and
    (ordered) their first time at step *k-1* is at or before their first time at step
    *k* (ties at the same instant pass); nobody passes a step they skipped. Events
    without a person are ignored. With ``ordered=False`` a step counts when every step
    up to it was reached, in any order.
    """
    steps = list(steps)
    t = ident(time)
    firsts = ", ".join(
        f"MIN(CASE WHEN {ident(step_column)} = {literal(s)} THEN {t if ordered else '1'} END) AS t{i}"
        for i, s in enumerate(steps)
    )
    wanted = ", ".join(literal(s) for s in steps)
    counts = []
    for j in range(len(steps)):
        conds = [f"t{i} IS NOT NULL" for i in range(j + 1)]
        if ordered:
            conds += [f"t{i - 1} <= t{i}" for i in range(1, j + 1)]
        counts.append(f"SUM(CASE WHEN {' AND '.join(conds)} THEN 1 ELSE 0 END) AS people_{j}")
    return (
        f"WITH firsts AS (SELECT {ident(person)}, {firsts} FROM {source} "
        f"WHERE {ident(person)} IS NOT NULL AND {ident(step_column)} IN ({wanted}) "
        f"GROUP BY {ident(person)}) SELECT {', '.join(counts)} FROM firsts"
    )


def funnel_missing_times_sql(
    source: str, steps: Sequence[str], *, person: str, time: str, step_column: str
) -> str:
    """How many of the funnel's events have no time (the pandas path refuses them)."""
    wanted = ", ".join(literal(s) for s in steps)
    return (
        f"SELECT COUNT(*) AS n FROM {source} WHERE {ident(person)} IS NOT NULL AND "
        f"{ident(step_column)} IN ({wanted}) AND {ident(time)} IS NULL"
    )


def pipeline_sql(source: str, stage: str = "stage") -> str:
    """Leads per current stage (trimmed, lower case), as :func:`helpers.leads.pipeline` reads them."""
    s = f"LOWER(TRIM(CAST({ident(stage)} AS VARCHAR)))"
    return f"SELECT {s} AS stage, COUNT(*) AS leads FROM {source} GROUP BY {s}"


def wilson_sql(x: str, n: str, z: float, q: str | None = None) -> tuple[str, str]:
    """SQL for the Wilson interval's bounds of ``x`` of ``n`` with critical value ``z``.

    The formula of :func:`helpers.conversions.interval` (exact 0 and 1 at the edges),
    for engines whose users read the rates in SQL (BigQuery). ``q`` names a column that
    already holds ``x / n``.
    """
    z2 = literal(float(z) ** 2)
    zz = literal(float(z))
    q = q or f"(CAST({x} AS DOUBLE) / {n})"
    denom = f"(1 + {z2} / {n})"
    center = f"(({q} + {z2} / (2 * {n})) / {denom})"
    dist = f"({zz} * SQRT({q} * (1.0 - {q}) / {n} + {z2} / (4.0 * {n} * {n})) / {denom})"
    low = f"CASE WHEN {x} = 0 THEN 0.0 ELSE GREATEST(LEAST({center} - {dist}, 1.0), 0.0) END"
    high = f"CASE WHEN {x} = {n} THEN 1.0 ELSE GREATEST(LEAST({center} + {dist}, 1.0), 0.0) END"
    return low, high
