"""The bad-input matrix (issue 14): every public function of the domain modules times each
kind of bad input, classified as correct, clear error, silently wrong, silent drop or unclear
error. ``tests/test_bad_input.py`` asserts it; ``python -m tests.bad_input_matrix`` prints the
counts (what ``tests/BAD_INPUT.md`` records).

How a case is judged
--------------------
Each function has a *spec*: a clean call on a small cut of the kit's data, and the roles of the
columns of its main frame (``key``: a column it groups or reads, ``unit``: the id of one row,
``flag``: a True/False column, ``number``, ``time``). A case changes the main frame (or the
main argument) and calls again:

- **same-answer cases** (shuffled rows, string and MultiIndex indexes, nullable and Arrow
  dtypes, times in another zone, numbers as text): the result must equal the clean one
  (compared row order- and index-free), or be a clear error;
- **refuse cases** (missing column, wrong dtype, NaN, empty, impossible values, duplicated
  ids, "True"/"False" text, naive times): a clear error, or a result equal to the clean one
  (the function did not need that column, or converted it explicitly);
- a **clear error** is a ValueError, TypeError or KeyError whose message names the function
  (``name()``, or a step its docstring cites, e.g. ``label()`` for ``bots.filter``), the
  column or argument, and a fix (an imperative such as "pass", "drop", "convert", or an
  example "e.g."); any other exception is an **unclear error**;
- a different result with a UserWarning that names a function and a fix is **warned** (not
  silent: e.g. ``bots.label`` without a user-agent column judges by behaviour only, and says so);
- a result that differs from the clean one is **silently wrong**, or a **silent drop** when it
  has fewer rows.

A case that does not apply says why in ``NOT_APPLICABLE`` (per function) or in the spec's
``na`` (per case); a known open case is listed, with its reason, in ``OPEN``.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

CASES = (
    "missing_column", "wrong_dtype", "numbers_as_text", "nan", "empty", "impossible",
    "duplicated", "nullable", "arrow", "naive_time", "aware_time", "shuffled",
    "string_index", "multiindex", "bool_text",
)
SAME_ANSWER = {"numbers_as_text", "nullable", "arrow", "aware_time", "shuffled", "string_index",
               "multiindex"}
MODULES = ("conversions", "leads", "personas", "bots", "bot_thresholds", "traffic", "pipeline",
           "lag", "claims", "experiments", "money", "metrics", "data", "networks", "nurture",
           "plots")
OUTCOMES = ("correct", "clear error", "warned", "silently wrong", "silent drop", "unclear error")
FIX = re.compile(
    r"\b(pass|use|drop|fill|convert|rename|load|build|count|add|give|say|keep|choose|parse|"
    r"pick|remove|check|make|set|cast|call|write|compute|run|label|map|filter|"
    r"one of|must|should|expected)\b|\be\.g\.",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- the data


@cache
def kit_cut() -> dict[str, pd.DataFrame]:
    """About 600 sessions of the kit (the first visitors), with their events, leads, key."""
    from helpers import bots, data, leads, money, networks, nurture, personas

    kit = data.load_all()
    visitors = kit.sessions["visitor_id"].drop_duplicates().iloc[:450]
    s = kit.sessions[kit.sessions["visitor_id"].isin(visitors)].reset_index(drop=True)
    e = kit.events[kit.events["session_id"].isin(s["session_id"])].reset_index(drop=True)
    k = kit.answer_key[kit.answer_key["session_id"].isin(s["session_id"])].reset_index(drop=True)
    mine = kit.leads["visitor_id"].isin(s["visitor_id"])
    crm = kit.leads[mine | (kit.leads.index < 150)].reset_index(drop=True)
    labelled = bots.label(s)
    qualified = leads.qualify(crm)
    scored = crm.assign(score=np.arange(len(crm)) % 50, is_customer=crm["stage"].eq("customer"))
    people = personas.visitors(s, e)
    converted = s.assign(converted=s["session_id"].isin(
        e.loc[e["event_name"].eq("newsletter_signup"), "session_id"]))
    return {
        "sessions": s, "events": e, "answer_key": k, "leads": crm, "labelled": labelled,
        "qualified": qualified, "scored": scored, "visitors": people, "converted": converted,
        "spend": money.load_spend(),
        "networks": networks.load_networks(),
        "forms": leads.load_forms(),
        "nurture": (lambda log: log[log["lead_id"].isin(crm["lead_id"])].reset_index(drop=True))(
            nurture.load_nurture()),
    }


@cache
def _clean_human_leads() -> pd.DataFrame:
    """The cut's human leads from the clean frames (micro_conventions' third input)."""
    from helpers import traffic

    cut = kit_cut()
    return traffic.human_events_and_leads(cut["sessions"], cut["events"], cut["leads"])[1]


# --------------------------------------------------------------------------- the specs


@dataclass
class Spec:
    """One function's clean call and the roles of its main frame's columns."""

    call: Callable[[dict[str, Any]], Any]
    frames: tuple[str, ...]
    key: str | None = None
    unit: str | None = None
    flag: str | None = None
    number: str | None = None
    time: str | None = None
    na: dict[str, str] = field(default_factory=dict)


def _spec_table() -> dict[str, Spec]:
    from helpers import (
        bot_thresholds,
        bots,
        claims,
        conversions,
        data,
        lag,
        leads,
        money,
        networks,
        nurture,
        personas,
        pipeline,
        plots,
        traffic,
    )

    no_time = "reads no time column"
    no_flag = "reads no True/False column"
    no_number = "reads no numeric column"
    rows_kept = "labels rows one by one: each row, duplicated or not, gets its own label"
    sp = {
        # conversions
        "conversions.rate_table": Spec(
            lambda f: conversions.rate_table(f["converted"], "channel"), ("converted",),
            key="channel", unit="session_id", flag="converted", number="pageviews",
            na={"time": no_time, "impossible": "pageviews is carried along, not read",
                "naive_time": no_time, "aware_time": no_time}),
        "conversions.count": Spec(
            lambda f: conversions.count(f["events"]), ("events",), key="event_name",
            unit="event_id", time="timestamp",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "duplicated": "counts events as given (documented): repeated export rows are "
                              "removed by traffic.deduplicate_events, the one definition of a "
                              "duplicate event; the exercises' usual mistakes count raw events"}),
        "conversions.funnel": Spec(
            lambda f: conversions.funnel(f["events"], ["page_view", "add_to_cart", "purchase"]),
            ("events",), key="event_name", unit="event_id", time="timestamp",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag}),
        "conversions.catalogue_counts": Spec(
            lambda f: conversions.catalogue_counts(f["events"], f["leads"]), ("events", "leads"),
            key="event_name", unit="event_id", time="timestamp",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "duplicated": "counts events as given, as count does (see count)"}),
        "conversions.offered_events": Spec(
            lambda f: conversions.offered_events(f["events"]), ("events",), key="event_name",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "duplicated": "lists distinct event names: a repeated row changes nothing",
                "naive_time": no_time, "aware_time": no_time,
                "empty": "lists the catalogue's events (and those seen): with no rows, the "
                         "catalogue's, by design",
                "wrong_dtype": "lists the values it is given, whatever their type"}),
        # leads
        "leads.pipeline": Spec(
            lambda f: leads.pipeline(f["leads"]), ("leads",), key="stage", unit="lead_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "naive_time": no_time, "aware_time": no_time}),
        "leads.qualify": Spec(
            lambda f: leads.qualify(f["leads"]), ("leads",), key="email", unit="lead_id",
            number="company_size", time="created_at",
            na={"duplicated": rows_kept, "bool_text": no_flag}),
        "leads.by_form": Spec(
            lambda f: leads.by_form(f["leads"], f["forms"], "2022-01-01T00:00Z",
                                    "2025-03-03T00:00Z"), ("leads",), key="lead_source",
            unit="lead_id", time="created_at",
            na={"bool_text": no_flag, "impossible": no_number, "numbers_as_text": no_number}),
        "leads.characteristics": Spec(
            lambda f: leads.characteristics(f["leads"]), ("leads",), key="lead_source",
            na={"duplicated": rows_kept, "bool_text": no_flag, "impossible": no_number,
                "numbers_as_text": no_number, "naive_time": no_time, "aware_time": no_time,
                "nan": "a missing lead_source is no door on record: interest is False by "
                       "definition (docstring); the row is kept and labelled"}),
        "leads.bought_before": Spec(
            lambda f: leads.bought_before(f["leads"], "2025-02-03T00:00Z"), ("leads",),
            time="became_customer_at",
            na={"duplicated": rows_kept, "bool_text": no_flag, "impossible": no_number,
                "numbers_as_text": no_number,
                "nan": "a missing became_customer_at is a lead with no purchase on record: "
                       "False by definition (docstring), the one column it reads"}),
        "leads.qualify_report": Spec(
            lambda f: leads.qualify_report(f["qualified"]), ("qualified",), key="reasons",
            unit="lead_id", flag="qualified",
            na={"impossible": no_number, "numbers_as_text": no_number,
                "naive_time": no_time, "aware_time": no_time}),
        "leads.score": Spec(
            lambda f: leads.score(f["leads"], events=f["events"]), ("leads", "events"), key="industry", unit="lead_id",
            number="company_size",
            na={"duplicated": rows_kept, "bool_text": no_flag, "naive_time": no_time,
                "aware_time": no_time}),
        "leads.explain": Spec(
            lambda f: leads.explain(f["leads"], "L000001", events=f["events"]), ("leads", "events"), key="industry",
            unit="lead_id", number="company_size",
            na={"bool_text": no_flag, "naive_time": no_time, "aware_time": no_time,
                "empty": "looks up one lead: on an empty table the lead is not found"}),
        "leads.identify": Spec(
            lambda f: leads.identify(f["events"], f["leads"]), ("events", "leads"),
            key="event_name", unit="event_id", time="timestamp",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "empty": "with no events the CRM's leads are still listed (found in the CRM "
                         "only), by design",
                "duplicated": "keeps each visitor's first lead event: a repeated row is the same "
                              "event"}),
        "leads.engagement": Spec(
            lambda f: leads.engagement(f["events"]), ("events",), key="page", unit="event_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "naive_time": no_time, "aware_time": no_time,
                "duplicated": "counts events as given, as conversions.count does (see count)"}),
        "leads.score_threshold": Spec(
            lambda f: leads.score_threshold(f["scored"], 20), ("scored",), unit="lead_id",
            flag="is_customer", number="score",
            na={"naive_time": no_time, "aware_time": no_time}),
        "leads.score_threshold_table": Spec(
            lambda f: leads.score_threshold_table(f["scored"]), ("scored",), unit="lead_id",
            flag="is_customer", number="score",
            na={"naive_time": no_time, "aware_time": no_time,
                "impossible": "a score is any number (a custom score may be negative): a cut "
                              "keeps the leads at or above it"}),
        "leads.score_thresholds": Spec(
            lambda f: leads.score_thresholds(f["scored"]), ("scored",), unit="lead_id",
            number="score",
            na={"bool_text": no_flag, "naive_time": no_time, "aware_time": no_time,
                "duplicated": "lists the distinct cut points: a repeated row changes nothing"}),
        # personas
        "personas.visitors": Spec(
            lambda f: personas.visitors(f["sessions"], f["events"]), ("sessions", "events"),
            key="channel", unit="session_id", flag="is_returning", number="pageviews",
            time="started_at"),
        "personas.assign": Spec(
            lambda f: personas.assign(f["visitors"]), ("visitors",), key="main_device",
            number="office_hours_share", flag="reads_office",
            na={"naive_time": no_time, "aware_time": no_time, "duplicated": rows_kept}),
        "personas.score": Spec(
            lambda f: personas.score(f["visitors"], personas.DEFAULT_PERSONAS[0]), ("visitors",),
            key="main_device", number="office_hours_share", flag="reads_office",
            na={"naive_time": no_time, "aware_time": no_time, "duplicated": rows_kept}),
        "personas.topics": Spec(
            lambda f: personas.topics(f["visitors"]), ("visitors",),
            na={c: "lists topic columns by name; reads no values" for c in CASES
                if c not in SAME_ANSWER and c != "empty"}),
        "personas.profile": Spec(
            lambda f: personas.profile(f["assigned"]), ("assigned",),
            number="office_hours_share", flag="reads_office",
            na={"naive_time": no_time, "aware_time": no_time}),
        "personas.match_persona": Spec(
            lambda f: personas.match_persona(f["visitors"], f["answer_key"]),
            ("visitors", "answer_key"), number="office_hours_share", flag="reads_office",
            na={"naive_time": no_time, "aware_time": no_time}),
        "personas.evaluate": Spec(
            lambda f: personas.evaluate(f["assigned"], f["answer_key"]),
            ("answer_key", "assigned"), key="persona", unit="session_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "naive_time": no_time, "aware_time": no_time}),
        "personas.segments": Spec(
            lambda f: personas.segments(f["visitors"], 3, ["office_hours_share", "evening_share"]),
            ("visitors",), number="office_hours_share",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "duplicated": rows_kept, "impossible": "clusters any numeric features (standardised): a range belongs to the frame's builder, personas.visitors"}),
        "personas.silhouette_sweep": Spec(
            lambda f: personas.silhouette_sweep(
                f["visitors"], ["office_hours_share", "evening_share"], range(2, 4)),
            ("visitors",), number="office_hours_share",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "duplicated": "a score of the points' clustering: a repeated point is a point",
                "impossible": "clusters any numeric features (standardised): a range belongs to the frame's builder, personas.visitors"}),
        # bots
        "bots.label": Spec(
            lambda f: bots.label(f["sessions"]), ("sessions",), key="user_agent",
            unit="session_id", number="duration_s", time="started_at",
            na={"duplicated": rows_kept, "bool_text": no_flag, "nan": "documented: a missing number fires no rule on it (bots.label's docstring)"}),
        "bots.filter": Spec(
            lambda f: bots.filter(f["sessions"]), ("sessions",), key="user_agent",
            unit="session_id", number="duration_s", time="started_at",
            na={"duplicated": rows_kept, "bool_text": no_flag, "nan": "documented: a missing number fires no rule on it (bots.label's docstring)"}),
        "bots.report": Spec(
            lambda f: bots.report(f["labelled"]), ("labelled",), key="bot_reason",
            unit="session_id", flag="is_bot",
            na={"impossible": no_number, "numbers_as_text": no_number,
                "naive_time": no_time, "aware_time": no_time,
                "empty": "a report of no sessions says 0 sessions, by design "
                         "(tests/test_bots.py::test_empty_frame_is_fine)"}),
        "bots.split": Spec(
            lambda f: bots.split(f["labelled"]), ("labelled",), unit="session_id", flag="is_bot",
            na={"impossible": no_number, "numbers_as_text": no_number, "duplicated": rows_kept,
                "naive_time": no_time, "aware_time": no_time}),
        "bots.evaluate": Spec(
            lambda f: bots.evaluate(f["labelled"], f["answer_key"]), ("labelled", "answer_key"),
            unit="session_id", flag="is_bot",
            na={"impossible": no_number, "numbers_as_text": no_number,
                "naive_time": no_time, "aware_time": no_time}),
        "bots.ua_verdicts": Spec(
            lambda f: bots.ua_verdicts(f["sessions"]["user_agent"]), ("sessions",),
            key="user_agent",
            na={c: "takes a Series of user agents; the frame cases do not apply"
                for c in ("missing_column", "wrong_dtype", "numbers_as_text", "impossible",
                          "naive_time", "aware_time", "bool_text", "duplicated")}
            | {"nan": "documented: a missing agent is flagged ua:missing (BotRules.missing_ua)"}),
        # bot_thresholds
        "bot_thresholds.inputs": Spec(
            lambda f: bot_thresholds.inputs(f["sessions"], f["answer_key"], f["events"]),
            ("sessions", "answer_key", "events"), key="user_agent", unit="session_id",
            number="pageviews", time="started_at", na={"bool_text": no_flag, "nan": "documented: a missing number fires no rule on it (bots.label's docstring)"}),
        "bot_thresholds.sweep": Spec(
            lambda f: bot_thresholds.sweep(f["threshold_inputs"]), ("threshold_inputs",),
            number="form_seconds",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "nan": "a missing form_seconds means no form was filled (the kit's data): it "
                       "fires no rule, as documented in bots.label"}),
        "bot_thresholds.tradeoff": Spec(
            lambda f: bot_thresholds.tradeoff(f["threshold_inputs"]), ("threshold_inputs",),
            number="form_seconds",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "nan": "a missing form_seconds means no form was filled (the kit's data): it "
                       "fires no rule, as documented in bots.label"}),
        # traffic
        "traffic.window": Spec(
            lambda f: traffic.window(f["sessions"]), ("sessions",), time="started_at",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "duplicated": "the window's first and last day: a repeated row changes neither"}),
        "traffic.channels": Spec(
            lambda f: traffic.channels(f["sessions"]), ("sessions",), key="channel",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "naive_time": no_time, "aware_time": no_time,
                "duplicated": "lists distinct channels: a repeated row changes nothing",
                "wrong_dtype": "lists the values it is given, whatever their type"}),
        "traffic.key_event_rates": Spec(
            lambda f: traffic.key_event_rates(f["sessions"], f["events"]), ("sessions",),
            unit="session_id", number="duration_s",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag}),
        "traffic.micro_conventions": Spec(
            lambda f: traffic.micro_conventions(f["sessions"], f["events"], _clean_human_leads()),
            ("sessions",), unit="session_id", number="duration_s",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag}),
        "traffic.engaged_sessions": Spec(
            lambda f: traffic.engaged_sessions(f["sessions"], f["events"]), ("sessions",),
            unit="session_id", number="duration_s",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag}),
        "traffic.first_touch": Spec(
            lambda f: traffic.first_touch(f["sessions"]), ("sessions",), key="channel",
            unit="session_id", time="started_at",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag}),
        "traffic.bot_visitors": Spec(
            lambda f: traffic.bot_visitors(f["labelled"]), ("labelled",), flag="is_bot",
            unit="session_id",
            na={"impossible": no_number, "numbers_as_text": no_number,
                "naive_time": no_time, "aware_time": no_time,
                "duplicated": "lists distinct visitors: a repeated row changes nothing"}),
        "traffic.deduplicate_events": Spec(
            lambda f: traffic.deduplicate_events(f["events"]), ("events",), unit="event_id",
            time="timestamp",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "duplicated": "removing repeated events is what it is for",
                "missing_column": "its one definition is 'exact repeated rows': without the id, "
                                  "rows equal in every other column are duplicates by definition"}),
        "traffic.human_events": Spec(
            lambda f: traffic.human_events(f["events"], f["labelled"]), ("events", "labelled"),
            unit="event_id", key="session_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "duplicated": rows_kept, "naive_time": no_time, "aware_time": no_time}),
        "traffic.human_events_and_leads": Spec(
            lambda f: traffic.human_events_and_leads(f["sessions"], f["events"], f["leads"]),
            ("sessions", "events", "leads"), key="user_agent", unit="session_id",
            number="duration_s", time="started_at", na={"bool_text": no_flag, "nan": "documented: a missing number fires no rule on it (bots.label's docstring)"}),
        "traffic.traffic_mix": Spec(
            lambda f: traffic.traffic_mix(f["sessions"], f["answer_key"]),
            ("sessions", "answer_key"), key="channel", unit="session_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "naive_time": no_time, "aware_time": no_time}),
        "traffic.visitor_mix": Spec(
            lambda f: traffic.visitor_mix(f["sessions"], f["answer_key"]),
            ("sessions", "answer_key"), key="channel", unit="session_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "naive_time": no_time, "aware_time": no_time}),
        "traffic.visitor_segments": Spec(
            lambda f: traffic.visitor_segments(f["answer_key"]), ("answer_key",), key="segment",
            unit="session_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "naive_time": no_time, "aware_time": no_time}),
        "traffic.window_leads": Spec(
            lambda f: traffic.window_leads(f["leads"], f["sessions"]), ("leads", "sessions"),
            unit="lead_id", time="created_at", key="visitor_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "duplicated": rows_kept}),
        # pipeline
        "pipeline.analysis_set": Spec(
            lambda f: pipeline.analysis_set(f["leads"], f["sessions"]), ("leads", "sessions"),
            unit="lead_id", time="created_at", key="visitor_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag}),
        "pipeline.scored_leads": Spec(
            lambda f: pipeline.scored_leads(f["sessions"], f["events"], f["leads"]),
            ("sessions", "events", "leads"), key="user_agent", unit="session_id",
            number="duration_s", time="started_at", na={"bool_text": no_flag, "nan": "documented: a missing number fires no rule on it (bots.label's docstring)"}),
        "pipeline.channel_funnel": Spec(
            lambda f: pipeline.channel_funnel(f["sessions"], f["leads"]), ("sessions", "leads"),
            key="channel", unit="session_id", number="duration_s", time="started_at",
            na={"bool_text": no_flag, "nan": "documented: a missing number fires no rule on it (bots.label's docstring)"}),
        # lag
        "lag.bought_at_creation": Spec(
            lambda f: lag.bought_at_creation(f["leads"]), ("leads",), time="created_at",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "duplicated": rows_kept}),
        "lag.lag_curve": Spec(
            lambda f: lag.lag_curve(f["leads"]), ("leads",), time="created_at", unit="lead_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag}),
        "lag.conversion_lag": Spec(
            lambda f: lag.conversion_lag(f["leads"], "2022-01-01", "2026-01-01"), ("leads",),
            time="created_at", unit="lead_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag}),
        "lag.cohort_rates": Spec(
            lambda f: lag.cohort_rates(f["leads"], "2022-01-01", "2026-01-01", "2026-06-01"),
            ("leads",), time="created_at", unit="lead_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag}),
        # claims
        "claims.against_total": Spec(
            lambda f: claims.against_total(f["rate_total"], "channel"), ("rate_total",),
            key="channel", number="conversions",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "duplicated": "a rate table has one row per group; repeated groups are "
                              "judged as rows of the table it is given"}),
        "claims.simpson": Spec(
            lambda f: claims.simpson(f["converted"], "channel", "device", "converted",
                                     "organic_search", "direct"), ("converted",),
            key="channel", unit="session_id", flag="converted", number="pageviews",
            na={"impossible": "pageviews is carried along, not read",
                "naive_time": no_time, "aware_time": no_time}),
        "claims.leader": Spec(
            lambda f: claims.leader(f["rate_rows"]), ("rate_rows",), key="channel",
            number="conversions",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "duplicated": "a rate table has one row per group; repeated groups are "
                              "judged as rows of the table it is given"}),
        # money
        "money.channel_returns": Spec(
            lambda f: money.channel_returns(f["spend"], f["sessions"], f["scored"]),
            ("spend", "sessions", "scored"), key="channel", number="spend", time="date",
            na={"bool_text": no_flag}),
        "money.validate_spend": Spec(
            lambda f: money.validate_spend(f["spend"]), ("spend",), key="channel",
            number="spend", time="date",
            na={"bool_text": no_flag, "duplicated": rows_kept}),
        # nurture
        "nurture.validate_nurture": Spec(
            lambda f: nurture.validate_nurture(f["nurture"]), ("nurture",), number="step",
            time="sent_at", na={"bool_text": no_flag, "duplicated": "the log's unit is a lead "
                                "and a step: a repeated row is refused as a repeated key"}),
        "nurture.groups": Spec(
            lambda f: nurture.groups(f["nurture"]), ("nurture",), number="step", time="sent_at",
            na={"bool_text": no_flag, "duplicated": "the log's unit is a lead and a step"}),
        "nurture.emails_by_outcome": Spec(
            lambda f: nurture.emails_by_outcome(f["leads"], f["nurture"]), ("nurture",),
            number="step", time="sent_at",
            na={"bool_text": no_flag, "duplicated": "the log's unit is a lead and a step"}),
        "nurture.bought_by_day": Spec(
            lambda f: nurture.bought_by_day(f["leads"], f["nurture"]), ("nurture",),
            number="step", time="sent_at",
            na={"bool_text": no_flag, "duplicated": "the log's unit is a lead and a step"}),
        "nurture.effect": Spec(
            lambda f: nurture.effect(f["leads"], f["nurture"]).table, ("nurture",),
            number="step", time="sent_at",
            na={"bool_text": no_flag, "duplicated": "the log's unit is a lead and a step"}),
        # networks
        "networks.validate_networks": Spec(
            lambda f: networks.validate_networks(f["networks"]), ("networks",), key="kind",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag}),
        "networks.network_of": Spec(
            lambda f: networks.network_of(f["sessions"]["ip"], f["networks"]), ("networks",),
            key="kind",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag}),
        # data
        "data.validate_sessions": Spec(
            lambda f: data.validate_sessions(f["sessions"]), ("sessions",), key="channel",
            unit="session_id", number="pageviews", time="started_at", flag="is_returning"),
        "data.validate_events": Spec(
            lambda f: data.validate_events(f["events"]), ("events",), key="event_name",
            unit="event_id", time="timestamp", number="value",
            na={"bool_text": no_flag, "duplicated": "documented: exact duplicate rows are kept (a lesson, not an error); two different rows with one event_id are refused"}),
        "data.validate_leads": Spec(
            lambda f: data.validate_leads(f["leads"]), ("leads",), key="stage", unit="lead_id",
            number="company_size", time="created_at", na={"bool_text": no_flag}),
        "data.validate_answer_key": Spec(
            lambda f: data.validate_answer_key(f["answer_key"]), ("answer_key",), key="segment",
            unit="session_id",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "naive_time": no_time, "aware_time": no_time}),
        # plots
        "plots.bar_shares": Spec(
            lambda f: plots.bar_shares(f["shares"].set_index("channel")["share"]), ("shares",),
            number="share",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "missing_column": "takes a Series", "duplicated": "draws the bars it is given"}),
        "plots.rates_with_intervals": Spec(
            lambda f: plots.rates_with_intervals(f["rate_rows"]), ("rate_rows",), key="channel",
            number="rate",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "duplicated": "draws the rows it is given"}),
        "plots.confusion": Spec(
            lambda f: plots.confusion(f["confusion"]), ("confusion",), number="human",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "duplicated": "a confusion table has one row per truth label",
                "missing_column": "a confusion table's columns are its labels",
                "string_index": "its index is the truth labels",
                "multiindex": "its index is the truth labels"}),
        "plots.daily_sessions": Spec(
            lambda f: plots.daily_sessions(f["sessions"]), ("sessions",), time="started_at",
            na={"impossible": no_number, "numbers_as_text": no_number, "bool_text": no_flag,
                "duplicated": "draws the sessions it is given"}),
        "plots.funnel": Spec(
            lambda f: plots.funnel(f["funnel_frame"]), ("funnel_frame",), key="step",
            number="people",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "duplicated": "draws the steps it is given",
                "shuffled": "a funnel's rows are its steps in order: the order is the input "
                            "(a count that grows from one step to the next is refused)"}),
        "plots.precision_recall": Spec(
            lambda f: plots.precision_recall(f["pr_points"]), ("pr_points",), key="threshold",
            number="precision",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "duplicated": "draws the points it is given"}),
        "plots.silhouette": Spec(
            lambda f: plots.silhouette(f["sil"]), ("sil",), key="k", number="silhouette",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "duplicated": "draws the points it is given"}),
        "plots.rate_and_volume": Spec(
            lambda f: plots.rate_and_volume(f["rate_rows"]), ("rate_rows",), key="channel",
            number="rate",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "duplicated": "draws the rows it is given"}),
        "plots.rates_with_focus": Spec(
            lambda f: plots.rates_with_focus(f["rate_rows"], "email"), ("rate_rows",),
            key="channel", number="rate",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "duplicated": "draws the rows it is given"}),
        "plots.bot_reasons": Spec(
            lambda f: plots.bot_reasons(f["bot_report"]), ("bot_report",), number="sessions",
            na={"naive_time": no_time, "aware_time": no_time, "bool_text": no_flag,
                "duplicated": "draws the rows it is given",
                "string_index": "its index is the reasons", "multiindex": "its index is the reasons"}),
    }
    return sp


# Functions that take no frame, or whose input is not a table: why the frame cases do not
# apply; their own bad inputs are tested where they live (named here).
NOT_APPLICABLE = {
    "conversions.catalogue": "builds a catalogue from a mapping (tests/test_conversions.py)",
    "conversions.catalogue_from_choices": "a mapping of choices (tests/test_conversions.py)",
    "conversions.compare": "two Rate objects (tests/test_conversions_errors.py)",
    "conversions.interval": "counts, not a frame: scalars in test_scalars_are_checked",
    "conversions.rate": "counts, not a frame: scalars in test_scalars_are_checked",
    "experiments.rate_calculator": "counts, not a frame (tests/test_lesson05.py)",
    "personas.build_persona": "choices from fixed lists (tests/test_personas.py)",
    "personas.compare_segments": "two label Series (tests/test_personas.py)",
    "personas.history_before": "cuts sessions at a per-visitor moment (tests/test_personas.py)",
    "pipeline.capstone_rates": "reads a Capstone result, not a frame",
    "pipeline.capstone_results": "the whole pipeline: its parts are in the matrix; 20 s a call",
    "pipeline.focus": "reads a Capstone result, not a frame",
    "pipeline.focus_options": "reads a Capstone result, not a frame",
    "pipeline.new_month": "generates data from a SynthConfig (tests/test_synth.py)",
    "claims.clear_against": "Rate objects (tests/test_claims.py)",
    "experiments.peeking": "numbers, not a frame (tests/test_experiments.py)",
    "experiments.minimum_detectable_effect": "numbers, not a frame (tests/test_power.py)",
    "experiments.sample_size_per_version": "numbers, not a frame (tests/test_experiments.py)",
    "experiments.visitors_per_version": "numbers, not a frame (tests/test_experiments.py)",
    "metrics.scores": "counts, not a frame: scalars in test_scalars_are_checked",
    "money.load_spend": "reads a file (tests/test_money.py)",
    "networks.load_networks": "reads a file (tests/test_networks.py)",
    "nurture.load_nurture": "reads a file (tests/test_nurture.py)",
    "leads.load_forms": "reads a file (tests/test_leads.py)",
    "data.converted_flag": "names a column (tests/test_loaders_inputs.py)",
    "data.from_raw": "its inputs: tests/test_loaders_inputs.py (any index, dtypes, zones)",
    "data.is_default_data": "takes nothing",
    "data.kit_data_dir": "takes nothing",
    "data.load_all": "reads files: tests/test_loaders_inputs.py",
    "data.load_answer_key": "reads a file: tests/test_loaders_inputs.py",
    "data.load_events": "reads a file: tests/test_loaders_inputs.py",
    "data.load_leads": "reads a file: tests/test_loaders_inputs.py",
    "data.load_sessions": "reads a file: tests/test_loaders_inputs.py",
    "plots.color": "a label's colour, not a frame (tests/test_plots.py)",
    "plots.percent_axis": "formats an Axes",
    "plots.style": "takes nothing",
    "plots.alt_text": "describes a Figure",
    "plots.contrast": "two colours",
    "plots.text_colour": "one colour",
    "plots.score_hist": "a Series of scores: test_plots_refuse_bad_ranges",
    "plots.lead_score_hist": "two Series: test_plots_refuse_bad_ranges",
    "plots.traffic_mix": "a crosstab (tests/test_plots.py)",
    "plots.segment_mix": "a crosstab (tests/test_plots.py)",
    "plots.rates_with_without_bots": "two rate columns (tests/test_plots.py)",
    "plots.persona_profile": "a profile frame (tests/test_plots.py)",
    "plots.persona_segments": "a crosstab (tests/test_plots.py)",
    "plots.conversion_sources": "a count table (tests/test_plots.py)",
    "plots.conversions_by_event": "a count table (tests/test_plots.py)",
    "plots.lead_options": "a table of options (tests/test_plots.py)",
}


def public_functions() -> list[str]:
    """``module.name`` for every function in ``__all__`` of the domain modules."""
    import importlib

    names = []
    for mod_name in MODULES:
        mod = importlib.import_module(f"helpers.{mod_name}")
        for name in mod.__all__:
            if inspect.isfunction(getattr(mod, name)):
                names.append(f"{mod_name}.{name}")
    return names


# --------------------------------------------------------------------------- the frames


@cache
def inputs() -> dict[str, pd.DataFrame]:
    """Every frame a spec reads, clean."""
    from helpers import bot_thresholds, bots, conversions, personas

    cut = dict(kit_cut())
    cut["threshold_inputs"] = bot_thresholds.inputs(cut["sessions"], cut["answer_key"], cut["events"])
    cut["assigned"] = personas.assign(cut["visitors"])
    rates = conversions.rate_table(cut["converted"], "channel", total=False)
    cut["rate_rows"] = rates
    cut["rate_total"] = conversions.rate_table(cut["converted"], "channel")
    cut["funnel_frame"] = conversions.funnel(cut["events"], ["page_view", "add_to_cart", "purchase"])
    sweep = bot_thresholds.sweep(cut["threshold_inputs"])
    cut["pr_points"] = sweep[["threshold", "precision", "recall"]].dropna().reset_index(drop=True)
    cut["sil"] = personas.silhouette_sweep(
        cut["visitors"], ["office_hours_share", "evening_share"], range(2, 5))[["k", "silhouette"]]
    cut["shares"] = pd.DataFrame({"channel": ["email", "social", "direct"], "share": [0.2, 0.5, 0.3]})
    cut["bot_report"] = bots.report(cut["labelled"]).drop(index="total")
    ev = bots.evaluate(cut["labelled"], cut["answer_key"])
    cut["confusion"] = pd.DataFrame(
        {"bot": [ev.tp, ev.fp], "human": [ev.fn, ev.tn]}, index=pd.Index(["bot", "human"], name="truth")
    )
    return cut


def _role(spec: Spec, case: str) -> str | None:
    """The column a column case changes."""
    order = {
        "missing_column": ("key", "unit", "flag", "number", "time"),
        "wrong_dtype": ("number", "time", "flag", "key"),
        "numbers_as_text": ("number",),
        "nan": ("number", "flag", "time", "unit", "key"),
        "impossible": ("number",),
        "naive_time": ("time",), "aware_time": ("time",), "bool_text": ("flag",),
    }.get(case, ())
    return next((getattr(spec, r) for r in order if getattr(spec, r)), None)


def perturb(frame: pd.DataFrame, spec: Spec, case: str) -> pd.DataFrame | None:
    """``frame`` with one kind of bad input; None when the case has no column to change."""
    f = frame.copy()
    n = len(f)
    if case == "empty":
        return f.iloc[:0]
    if case == "duplicated":
        return pd.concat([f, f.iloc[:3]])
    if case == "nullable":
        return f.convert_dtypes()
    if case == "arrow":
        return f.convert_dtypes(dtype_backend="pyarrow")
    if case == "shuffled":
        return f.sample(frac=1.0, random_state=7)
    if case == "string_index":
        return f.set_axis([f"row{i}" for i in range(n)])
    if case == "multiindex":
        return f.set_axis(pd.MultiIndex.from_arrays([np.arange(n) % 3, np.arange(n)]))
    col = _role(spec, case)
    if col is None or col not in f.columns:
        return None
    if case == "missing_column":
        return f.drop(columns=[col])
    if case == "wrong_dtype":
        if col in (spec.number, spec.flag):
            f[col] = pd.Timestamp("2025-01-01", tz="UTC")
        else:
            f[col] = 1.5
        return f
    if case == "numbers_as_text":
        f[col] = f[col].astype("string").astype(object)
        return f
    if case == "nan":
        f[col] = f[col].astype(object) if f[col].dtype == bool else f[col]
        f.loc[f.index[: max(1, n // 50)], col] = None
        return f
    if case == "impossible":
        f[col] = f[col].astype("float64")
        f.loc[f.index[:3], col] = -5.0
        return f
    if case == "naive_time":
        t = f[col]
        if not isinstance(t.dtype, pd.DatetimeTZDtype):
            return None
        f[col] = t.dt.tz_convert("Asia/Tokyo").dt.tz_localize(None)
        return f
    if case == "aware_time":
        t = f[col]
        if not isinstance(t.dtype, pd.DatetimeTZDtype):
            return None
        f[col] = t.dt.tz_convert("America/New_York")
        return f
    if case == "bool_text":
        f[col] = f[col].map({True: "True", False: "False"}).astype(object)
        return f
    raise ValueError(case)


# --------------------------------------------------------------------------- the judge


def _norm(value: Any, drop: frozenset = frozenset(), index: bool = True) -> Any:
    """A comparable form of a result, free of row order, index and dtype flavour.

    ``drop``: columns left out (the column a case changed, when the result carries it along);
    ``index=False``: the index is left out too (the cases that replace it).
    """
    import matplotlib.axes

    if isinstance(value, pd.Series):
        value = value.to_frame("value")
    if isinstance(value, pd.DataFrame):
        frame = value.drop(columns=[c for c in value.columns if c in drop])
        if not index:
            frame = frame.reset_index(drop=True)
        elif frame.index.name is not None or isinstance(frame.index, pd.MultiIndex):
            frame = frame.reset_index() if all(n is not None for n in frame.index.names) else frame
            frame = frame.drop(columns=[c for c in frame.columns if c in drop])
        cols = []
        for c in frame.columns:
            s = frame[c]
            if isinstance(s.dtype, pd.DatetimeTZDtype):
                s = s.dt.tz_convert("UTC").astype("string")
            elif pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
                s = pd.to_numeric(s.astype("Float64") if pd.api.types.is_bool_dtype(s.dtype) else s,
                                  errors="coerce").astype("float64").round(9).astype("string")
            else:
                s = s.astype("string")
            cols.append(s.fillna("<NA>").reset_index(drop=True).rename(str(c)))
        if not cols:
            return ("frame", len(frame))
        table = pd.concat(cols, axis=1)
        rows = sorted(map(tuple, table.to_numpy().tolist()))
        return ("frame", tuple(map(str, frame.columns)), tuple(rows))
    if isinstance(value, matplotlib.axes.Axes):
        bars = sorted((round(p.get_width(), 6), round(p.get_height(), 6)) for p in value.patches)
        texts = sorted(t.get_text() for t in value.texts)
        return ("axes", value.get_title(), value.get_xlabel(), tuple(bars), tuple(texts))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,) + tuple(
            (f.name, _norm(getattr(value, f.name), drop, index)) for f in dataclasses.fields(value)
        )
    if isinstance(value, tuple | list):
        return tuple(sorted((_norm(v, drop, index) for v in value), key=repr))
    if isinstance(value, np.ndarray):
        return _norm(pd.Series(value), drop, index)
    if isinstance(value, float | np.floating):
        return round(float(value), 9)
    return repr(value)


def _rows(value: Any) -> int | None:
    if isinstance(value, pd.DataFrame | pd.Series | list | np.ndarray):
        return len(value)
    if isinstance(value, tuple) and value and isinstance(value[0], pd.DataFrame):
        return sum(len(v) for v in value)
    return None


@cache
def _parameters(func: str) -> tuple[str, ...]:
    """The argument names of ``module.name`` (an error may name the argument, not the column)."""
    import importlib

    mod, name = func.rsplit(".", 1)
    try:
        target = getattr(importlib.import_module(f"helpers.{mod}"), name)
        return tuple(inspect.signature(target).parameters)
    except (ImportError, AttributeError, ValueError, TypeError):
        return ()


@cache
def _steps(func: str) -> frozenset[str]:
    """Names the docstring of ``module.name`` cites as its steps (``:func:`label```,
    ``bots.label``, ``Criterion``): an error from a documented step names that step."""
    import importlib

    mod, name = func.rsplit(".", 1)
    try:
        doc = inspect.getdoc(getattr(importlib.import_module(f"helpers.{mod}"), name)) or ""
    except (ImportError, AttributeError):
        return frozenset()
    cited = re.findall(r":(?:func|class):`~?(?:[\w.]+\.)?(\w+)`", doc)
    cited += re.findall(r"\b(?:bots|personas|leads|traffic|conversions|lag)\.(\w+)", doc)
    cited += re.findall(r"\b(\w+)\(", doc)
    return frozenset(cited)


def clear(err: BaseException, func: str, column: str | None) -> bool:
    """An error a marketer can act on: names the function, the column/argument, and a fix."""
    if not isinstance(err, ValueError | TypeError | KeyError):
        return False
    text = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
    text = str(text)
    name = func.split(".")[-1]
    said = re.match(r"\s*(\w+)\(", text)
    if f"{name}()" not in text and f"{name}(" not in text and not (
        said and said.group(1) in _steps(func)
    ):
        return False
    if column is not None and column not in text and not any(
        re.search(rf"\b{re.escape(p)}\b", text) for p in _parameters(func)
    ) and not re.search(r"\b(column|argument|index|table|frame|row|rows|empty|zone|tz)\b", text):
        return False
    return bool(FIX.search(text))


def judge(func: str, case: str) -> tuple[str, str]:
    """(outcome, detail) of one case; ("n/a", reason) when it does not apply."""
    import matplotlib.pyplot as plt

    spec = _spec_table()[func]
    if case in spec.na:
        return "n/a", spec.na[case]
    frames = inputs()
    main = spec.frames[0]
    bad = perturb(frames[main], spec, case)
    if bad is None:
        return "n/a", f"{main} has no {case.replace('_', ' ')} column role in this call"
    try:
        clean = _clean_result(func)
    except Exception as err:
        return "spec error", f"the clean call fails: {type(err).__name__}: {str(err)[:200]}"
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = spec.call({**frames, main: bad})
    except Exception as err:
        col = _role(spec, case) if case not in ("empty", "shuffled", "string_index", "multiindex",
                                                "nullable", "arrow") else None
        if case == "duplicated":
            col = spec.unit
        outcome = "clear error" if clear(err, func, col) else "unclear error"
        return outcome, f"{type(err).__name__}: {str(err)[:200]}"
    finally:
        plt.close("all")
    col = _role(spec, case)
    drop = frozenset([col]) if col and case != "aware_time" else frozenset()
    index = case not in ("string_index", "multiindex")
    got = _norm(result, drop, index)
    if got == _clean_norm(func, drop, index):
        return "correct", "same result as on the clean input"
    if case == "empty":
        if _rows(result) == 0:
            return "correct", "empty in, empty out"
        return "silently wrong", "an empty input gave a result instead of an error"
    said = [str(w.message) for w in caught if issubclass(w.category, UserWarning)
            and re.match(r"\w+\(\)", str(w.message)) and FIX.search(str(w.message))]
    if said:
        return "warned", f"a different result, with a warning: {said[0][:160]}"
    n_clean, n_got = clean[1], _rows(result)
    if n_clean is not None and n_got is not None and n_got < n_clean and case in SAME_ANSWER:
        return "silent drop", f"{n_got} rows instead of {n_clean}"
    return "silently wrong", "a result that differs from the clean input's"


@cache
def _clean_norm(func: str, drop: frozenset, index: bool) -> Any:
    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = _spec_table()[func].call(inputs())
    out = _norm(result, drop, index)
    plt.close("all")
    return out


@cache
def _clean_result(func: str) -> tuple[Any, int | None]:
    import matplotlib.pyplot as plt

    spec = _spec_table()[func]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = spec.call(inputs())
    out = (_norm(result), _rows(result))
    plt.close("all")
    return out


def matrix() -> list[tuple[str, str, str, str]]:
    """(function, case, outcome, detail) for every spec and case."""
    return [(f, c, *judge(f, c)) for f in _spec_table() for c in CASES]


def counts(rows: list[tuple[str, str, str, str]]) -> Counter:
    return Counter(r[2] for r in rows if r[2] != "n/a")


if __name__ == "__main__":  # python -m tests.bad_input_matrix [--all]
    import sys

    import matplotlib

    matplotlib.use("Agg")
    rows = matrix()
    tally = counts(rows)
    total = sum(tally.values())
    for r in rows:
        if r[2] in ("silently wrong", "silent drop", "unclear error") or "--all" in sys.argv:
            print(f"{r[2]:15} {r[0]:34} {r[1]:16} {r[3][:160]}")
    print(f"{total} cases over {len(_spec_table())} functions "
          f"({sum(1 for r in rows if r[2] == 'n/a')} not applicable):")
    for o in OUTCOMES:
        print(f"  {o}: {tally[o]} ({tally[o] / max(total, 1):.1%})")
