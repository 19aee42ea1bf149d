"""Exercises of lesson 06 · Lead quality.

Each expected answer is computed from the kit's data with the helpers when it is checked,
never hard-coded, so the checks follow the data when it is regenerated. The steps are the
lesson's: bots from ``bots.label``, ``leads.qualify`` with the bot visitors, then the analysis
set (leads created in the traffic window that did not start with a purchase), ``leads.score``,
``leads.pipeline`` and ``conversions.rate``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from helpers import bots, leads, nurture, pipeline, traffic
from helpers.check import (
    Context,
    Diagnosis,
    complement,
    equals,
    events_not_people,
    register,
    when,
)
from helpers.exercises import cached, data_folder, frame

#: The countries of exercise 6.2 (Brewlark's delivery van: Germany, Austria, Switzerland).
DACH = frozenset({"DE", "AT", "CH"})

#: The columns exercise 6.6 offers; exactly one of them is filled in after the sale.
LEAKAGE_OPTIONS = ("company_size", "lead_source", "first_order_value", "country")


# --------------------------------------------------------------------------- shared pieces


@cached
def _bot_visitors() -> pd.Series:
    """The kit's bot visitors (traffic.bot_visitors), as lesson 06 passes them to qualify()."""
    return traffic.bot_visitors(bots.label(frame("sessions")))


def _qualified(rules: leads.QualifyRules | None = None, *, with_bots: bool = True) -> pd.DataFrame:
    """The whole CRM through leads.qualify (bot visitors removed unless with_bots=False)."""
    return leads.qualify(
        frame("leads"),
        rules or leads.QualifyRules(),
        bot_visitors=_bot_visitors() if with_bots else None,
    )


def _scoped() -> pd.DataFrame:
    """The analysis set (pipeline.analysis_set) of the qualified CRM, with is_customer."""
    crm = _qualified().assign(is_customer=lambda f: f["stage"].eq("customer"))
    return pipeline.analysis_set(crm, frame("sessions"))


def _share(numerator: float, denominator: float) -> float:
    return float(numerator) / float(denominator) if denominator else float("nan")


# --------------------------------------------------------------------------- 6.1


def _n_qualified(rules: leads.QualifyRules | None = None, *, with_bots: bool = True) -> int:
    return int(_qualified(rules, with_bots=with_bots)["qualified"].sum())


def _reason_rows() -> int:
    report = leads.qualify_report(_qualified())
    reasons = report.drop(index=["removed (any reason)", "kept", "total"], errors="ignore")
    return int(reasons["leads"].sum())


register(
    "6.1",
    expected=_n_qualified,
    kind="count",
    diagnoses=[
        equals(
            lambda: _n_qualified(with_bots=False),
            "That is the count with the bots' leads still in: qualify() only knows which "
            "visitors are bots when you pass bot_visitors=traffic.bot_visitors(labelled) (the "
            "visitors only ever seen in sessions bots.label flags). A few leads have a clean-looking name and e-mail but came from "
            "a visitor flagged as a bot.",
            name="bots_left_in",
        ),
        events_not_people(
            _reason_rows,
            "You added up the reason rows of qualify_report: that counts reasons, not leads. "
            "A spam lead with three reasons is counted three times. Count the leads whose "
            "`qualified` column is True (or read the report's 'kept' row).",
        ),
        complement(
            hint="That is the number of UNqualified leads (removed for at least one reason): "
            "the other side. Count the leads whose `qualified` column is True.",
            total=lambda: len(frame("leads")),
        ),
        equals(
            lambda: len(frame("leads")),
            "That is every lead in the CRM. qualify() keeps every row and labels it; count "
            "the rows whose `qualified` column is True.",
            name="all_leads",
        ),
    ],
    hint="qualified = leads.qualify(crm, bot_visitors=bot_visitors); then "
    'qualified["qualified"].sum().',
    success="{expected:,} leads pass the default rules; the rest are labelled with their reasons.",
)


# --------------------------------------------------------------------------- 6.2


def _dach_rules() -> leads.QualifyRules:
    return replace(leads.QualifyRules(), target_countries=DACH)


def _dach_by_hand() -> int:
    """Default rules, then keep only DE/AT/CH by hand: drops the leads without a country."""
    qualified = _qualified()
    in_dach = qualified["country"].isin(list(DACH)).fillna(False)
    return int((qualified["qualified"] & in_dach).sum())


register(
    "6.2",
    expected=lambda: _n_qualified(_dach_rules()),
    kind="count",
    diagnoses=[
        equals(
            lambda: _n_qualified(_dach_rules(), with_bots=False),
            "The country rule is right, but the bots' leads are back in: pass "
            "bot_visitors=bot_visitors to qualify() again.",
            name="bots_left_in",
        ),
        equals(
            _dach_by_hand,
            "Close: you kept only the rows whose country is DE, AT or CH, which also drops "
            "the leads with NO country. qualify() does not hold a missing country against a "
            "lead (a missing value is not evidence). Put the countries in the rules: "
            'replace(leads.QualifyRules(), target_countries={"DE", "AT", "CH"}).',
            name="missing_country_dropped",
        ),
        equals(
            _n_qualified,
            "That is the count with the default rules: the new rule did not reach qualify(). "
            "Pass the changed rules as the second argument: leads.qualify(crm, dach_rules, "
            "bot_visitors=bot_visitors).",
            name="rule_not_applied",
        ),
        complement(
            hint="That is the number of leads the DACH rules remove: the other side. Count "
            "the qualified ones.",
            total=lambda: len(frame("leads")),
        ),
    ],
    hint='dach_rules = replace(leads.QualifyRules(), target_countries={"DE", "AT", "CH"}), '
    'then leads.qualify(crm, dach_rules, bot_visitors=bot_visitors)["qualified"].sum().',
    success="{expected:,} leads qualify when only Germany, Austria and Switzerland count: "
    "a rule about fit removes far more than the rules about bad data.",
)


# --------------------------------------------------------------------------- 6.3


def _threshold_80(scored: pd.DataFrame, column: str = "customers_share") -> float:
    table = leads.score_threshold_table(scored)
    return float(table.loc[table[column] >= 0.8, "threshold"].max())


def _scored() -> pd.DataFrame:
    return leads.score(_scoped(), events=frame("events"))


def _scored_all_leads() -> pd.DataFrame:
    crm = _qualified().assign(is_customer=lambda f: f["stage"].eq("customer"))
    return leads.score(crm, events=frame("events"))


def _strictly_above() -> float:
    """The answer of someone who keeps score > t instead of score >= t."""
    scored = _scored()
    table = leads.score_threshold_table(scored)
    ok = [
        t
        for t in table["threshold"]
        if scored.loc[scored["score"] > t, "is_customer"].sum()
        >= 0.8 * scored["is_customer"].sum()
    ]
    return float(max(ok))


def _strictly_above_is_distinct() -> bool:
    """Whether a learner's "score > t" answer can be told from a plain too-low threshold: not
    when it is itself a threshold that keeps 80% with "score >= t" (scores step by 5, so
    "> 15" keeps the same leads as ">= 20" and 15 is simply the next row down)."""
    scored = _scored()
    table = leads.score_threshold_table(scored)
    valid = set(table.loc[table["customers_share"] >= 0.8, "threshold"].astype(float))
    return _strictly_above() not in valid


register(
    "6.3",
    expected=lambda: _threshold_80(_scored()),
    kind="number",
    diagnoses=[
        when(
            lambda answer, expected: isinstance(answer, float | int) and 0 < answer < 1,
            "That looks like a share. The question asks for the threshold itself: a score "
            "such as 40 (leads at or above it are kept).",
            name="share_not_threshold",
        ),
        when(
            lambda answer, expected: answer == 0 and expected != 0,
            "A threshold of 0 keeps every lead: it filters nothing. Two usual ways to get "
            "there: computing on every lead of the CRM (old loyal customers and shop buyers "
            "are customers with a score near 0, so only 0 keeps 80% of them), or reading the "
            "share of LEADS kept instead of the share of customers. Use `scored` and the "
            "customers_share column.",
            name="zero",
        ),
        equals(
            lambda: _threshold_80(_scored_all_leads()),
            "That threshold is computed on every lead in the CRM. Old loyal customers and "
            "shop buyers are customers with a score near 0 and drag it down; use the analysis "
            "set `scored` (leads of the four weeks that did not start with a purchase).",
            name="all_leads",
        ),
        equals(
            lambda: _threshold_80(_scored(), "leads_share"),
            "That threshold keeps 80% of the LEADS. The question asks for 80% of the "
            "customers: use the customers_share column.",
            name="leads_not_customers",
        ),
        when(
            lambda answer, expected: _strictly_above_is_distinct()
            and isinstance(answer, float | int)
            and answer == _strictly_above(),
            "Almost: you kept scores strictly above the threshold. The kit keeps leads at or "
            "above it (score >= threshold), as the slider says.",
            name="strictly_above",
        ),
        when(
            lambda answer, expected: isinstance(answer, float | int) and answer > expected,
            "At that threshold fewer than 80% of the customers are kept: too strict. Take the "
            "highest threshold that still keeps at least 80%.",
            name="too_high",
        ),
        when(
            lambda answer, expected: isinstance(answer, float | int) and 1 <= answer < expected,
            "That threshold keeps at least 80% of the customers, but so does a higher one, "
            "which calls fewer leads. Take the highest threshold that still keeps 80%.",
            name="too_low",
        ),
    ],
    hint="table = leads.score_threshold_table(scored); keep the rows whose customers_share "
    "is at least 0.8 and take their highest threshold.",
    success="Score ≥ {expected:g} still keeps at least 80% of the customers.",
)


# --------------------------------------------------------------------------- 6.4


def _pipeline(frame_: pd.DataFrame, **options: Any) -> pd.DataFrame:
    return leads.pipeline(frame_, **options).set_index("stage")


def _qualified_scoped() -> pd.DataFrame:
    scoped = _scoped()
    return scoped[scoped["qualified"].to_numpy(dtype=bool)]


def _sql_share(frame_: pd.DataFrame, column: str = "overall", **options: Any) -> float:
    return float(_pipeline(frame_, **options).at["sql", column])


def _sql_now_share() -> float:
    table = _pipeline(_qualified_scoped())
    return _share(table.at["sql", "now_at"], table.at["lead", "reached"])


register(
    "6.4",
    expected=lambda: _sql_share(_qualified_scoped()),
    kind="share",
    tolerance=0.001,  # keep the wrong shares (step rate, whole CRM...) apart from each other
    diagnoses=[
        equals(
            _sql_now_share,
            "That counts only the leads whose stage is 'sql' today. Customers went through "
            "SQL too: the CRM keeps only the current stage, so use the `reached` column (or "
            "`overall`) of leads.pipeline.",
            name="now_at_not_reached",
        ),
        equals(
            lambda: _sql_share(_qualified_scoped(), "rate_value"),
            "That is the share of MQLs that reached SQL (the step rate). The question divides "
            "by all qualified leads: the `overall` column.",
            name="step_rate",
        ),
        equals(
            lambda: _sql_share(_scoped()),
            "That is for every lead of the analysis set. Keep only the qualified ones first: "
            'scoped[scoped["qualified"]].',
            name="not_qualified_only",
        ),
        equals(
            lambda: _sql_share(_qualified_scoped(), disqualified="exclude"),
            "You left the disqualified leads out of the denominator. They were leads too "
            "(sales turned them down later): keep them, as pipeline() does by default.",
            name="disqualified_excluded",
        ),
        equals(
            lambda: _sql_share(_qualified()[lambda f: f["qualified"]]),
            "That uses every qualified lead in the CRM, old customers and shop purchases "
            "included; they never went through sales. Use the analysis set `scoped`.",
            name="whole_crm",
        ),
    ],
    hint='leads.pipeline(scoped[scoped["qualified"]]) and read the `overall` value of the '
    "sql row.",
    success="{expected:.1%} of the qualified leads reached SQL (sales worked a deal with them).",
)


# --------------------------------------------------------------------------- 6.5


def _trade_show() -> pd.DataFrame:
    crm = frame("leads")
    return crm[crm["lead_source"].eq("trade_show").to_numpy(dtype=bool)]


def _trade_show_customers() -> int:
    return int(_trade_show()["stage"].eq("customer").sum())


_REVERSED = (
    "That is the share of the customers who came from trade shows: the division the other way "
    "round. The question asks what share of trade-show leads became customers."
)
_OVERALL = (
    "That is the customer rate of every lead of the analysis set. Keep only the trade-show "
    "leads first."
)


def _overall_or_reversed(answer: Any, context: Context) -> str | None:
    """Two slips that can give the same number: the overall rate, the division reversed."""
    scoped = _scoped()
    overall = _share(scoped["is_customer"].sum(), len(scoped))
    reversed_ = _share(_trade_show_customers(), int(scoped["is_customer"].sum()))
    hits = [
        hint
        for wrong, hint in ((overall, _OVERALL), (reversed_, _REVERSED))
        if not context.close(wrong, context.expected) and context.close(answer, wrong)
    ]
    if len(hits) == 2:
        return (
            "That number is either the customer rate of every lead of the analysis set, or "
            "trade-show customers divided by all customers (on this data the two coincide). "
            "Keep only the trade-show leads, and divide their customers by their number."
        )
    return hits[0] if hits else None


def _qualified_trade_show_rate() -> float:
    qualified = _qualified()
    shows = qualified[qualified["lead_source"].eq("trade_show") & qualified["qualified"]]
    return _share(shows["stage"].eq("customer").sum(), len(shows))


register(
    "6.5",
    expected=lambda: _share(_trade_show_customers(), len(_trade_show())),
    kind="share",
    # the qualified-only rate (14 of 111) lies within a fifth of a point of the right one
    # (15 of 120), and the two wrong denominators give shares below 1%: half a point would
    # accept the first and mix up the other two
    tolerance=0.001,
    diagnoses=[
        equals(
            _trade_show_customers,
            "That is the number of trade-show leads who became customers. Divide it by the "
            "number of trade-show leads to get their customer rate.",
            name="count_not_rate",
        ),
        equals(
            lambda: _share(_trade_show_customers(), len(frame("leads"))),
            "Wrong denominator: you divided by every lead in the CRM. The customer rate of "
            "trade-show leads divides by the trade-show leads only.",
            name="all_leads_denominator",
        ),
        equals(
            lambda: _share(_trade_show_customers(), len(_scoped())),
            "Wrong denominator: you divided by every lead of the analysis set. Divide by the "
            "trade-show leads only.",
            name="scoped_denominator",
        ),
        Diagnosis("overall_or_reversed", _overall_or_reversed),
        equals(
            lambda: _share(
                _trade_show_customers(), int(frame("leads")["stage"].eq("customer").sum())
            ),
            "That is the share of all CRM customers who came from trade shows. Divide the "
            "trade-show customers by the trade-show leads instead.",
            name="share_of_all_customers",
        ),
        equals(
            lambda: _share(len(_trade_show()), len(_scoped())),
            "That is the share of leads that came from trade shows, not their customer rate.",
            name="share_of_leads",
        ),
        equals(
            _qualified_trade_show_rate,
            "That is the rate of the qualified trade-show leads only. The question asks about "
            "every trade-show lead.",
            name="qualified_only",
        ),
        complement(
            hint="That is the share of trade-show leads who did NOT become customers: the "
            "other side."
        ),
    ],
    hint='Keep the leads whose lead_source is "trade_show", then take the mean of '
    'stage == "customer" (or use conversions.rate_table).',
    success="{expected:.1%} of the trade-show leads became customers.",
)


# --------------------------------------------------------------------------- 6.6


def _leaky_option() -> str:
    found = [c for c in LEAKAGE_OPTIONS if c in leads.LEAKAGE_FIELDS]
    if len(found) != 1:
        raise ValueError(f"exercise 6.6 needs exactly one leaky option, found {found}")
    return found[0]


def _is(option: str) -> Any:
    return lambda answer, _expected: isinstance(answer, str) and answer.strip().lower() == option


register(
    "6.6",
    expected=_leaky_option,
    kind="choice",
    diagnoses=[
        when(
            lambda answer, _expected: not isinstance(answer, str),
            "Give one column name as text, in quotes, e.g. \"country\".",
            name="not_text",
        ),
        when(
            _is("company_size"),
            "company_size is known when the lead arrives (the form asks for it, or sales looks "
            "it up). It is a fit signal, not leakage. Which column can only be filled in after "
            "the sale?",
            name="company_size",
        ),
        when(
            _is("lead_source"),
            "lead_source is known the moment the lead arrives: it is how they came in. Which "
            "column can only be filled in after the sale?",
            name="lead_source",
        ),
        when(
            _is("country"),
            "country is known when the lead arrives (from the form or the visit). Which column "
            "can only be filled in after the sale?",
            name="country",
        ),
        when(
            lambda answer, _expected: isinstance(answer, str)
            and answer.strip().lower() in leads.LEAKAGE_FIELDS,
            "That column leaks too, but it is not one of the four options. Pick among "
            "company_size, lead_source, first_order_value and country.",
            name="other_leak",
        ),
    ],
    hint="Ask of each column: could it be filled in on the day the lead arrives?",
    success="Yes: {expected} only exists once the lead has bought. Fine for measuring results "
    "afterwards, useless (and misleading) for predicting who will buy.",
)


# --------------------------------------------------------------------------- 6.7 (optional)

#: The channel of exercise 6.7.
SPEND_CHANNEL = "social"


@cached
def _returns() -> pd.DataFrame:
    """money.channel_returns of the analysis set, indexed by channel (lesson 06, section 10)."""
    from helpers import money
    from helpers.exercises import data_folder

    labelled = bots.label(frame("sessions"))
    spend = money.load_spend(data_folder() / "spend.csv")
    table = money.channel_returns(spend, labelled[~labelled["is_bot"].to_numpy(dtype=bool)], _scoped())
    return table.set_index("channel")


def _social(column: str) -> float:
    return float(_returns().at[SPEND_CHANNEL, column])


register(
    "6.7",
    expected=lambda: _social("cost_per_customer"),
    kind="number",
    diagnoses=[
        equals(
            lambda: _social("cost_per_lead"),
            "That is the cost per lead: spend ÷ leads. A cost per acquisition divides the spend "
            "by the customers, the leads who bought.",
            name="per_lead",
        ),
        equals(
            lambda: _social("spend") / _social("clicks"),
            "That is the cost per click: spend ÷ billed clicks. Divide by the customers instead.",
            name="per_click",
        ),
        equals(
            lambda: _social("customers") / _social("spend"),
            "The division is upside down: customers per euro. Divide the spend by the customers.",
            name="inverted",
        ),
        equals(
            lambda: _social("roas"),
            "That is the return on ad spend (revenue ÷ spend). The question asks what one "
            "customer cost: spend ÷ customers.",
            name="roas",
        ),
    ],
    hint="In returns, the social row: spend ÷ customers (the column cost_per_customer).",
    success="Each social customer cost EUR {expected:,.2f} of ads: cheap leads, dear customers.",
)


# --------------------------------------------------------------------------- 6.8


@cached
def _came_back() -> tuple[pd.DataFrame, pd.Series, set, pd.Timestamp]:
    """CRM contacts with a human visit in the window, whether each had bought before the
    window, the visitors who bought in it, and the window's start (lesson 06, section 11)."""
    labelled = bots.label(frame("sessions"))
    start = traffic.window(labelled).start
    humans = labelled[~labelled["is_bot"].to_numpy(dtype=bool)]
    events = traffic.human_events(traffic.deduplicate_events(frame("events")), labelled)
    buyers = set(events.loc[events["event_name"].eq("purchase"), "visitor_id"])
    crm = frame("leads")
    back = crm[crm["visitor_id"].isin(set(humans["visitor_id"])).to_numpy(dtype=bool)]
    return back, leads.bought_before(back, start), buyers, start


def _buy_again() -> float:
    back, past, buyers, _ = _came_back()
    return float(back.loc[past.to_numpy(), "visitor_id"].isin(buyers).mean())


def _new_leads_buy() -> float:
    back, _, buyers, start = _came_back()
    new = back[(back["created_at"] >= start).to_numpy(dtype=bool)
               & back["lead_source"].astype(str).ne("purchase").to_numpy(dtype=bool)]
    return float(new["visitor_id"].isin(buyers).mean())


register(
    "6.8",
    expected=_buy_again,
    kind="share",
    diagnoses=[
        equals(
            _new_leads_buy,
            "That is the rate of the new web leads. The question asks about the contacts who "
            "had bought before: keep the rows where leads.bought_before(...) is True.",
            name="new_leads",
        ),
        equals(
            lambda: float(_came_back()[1].mean()),
            "That is the share of returning contacts who had bought before. Among them, what "
            "share bought again this month (visitor_id among the buyers)?",
            name="share_past",
        ),
        equals(
            lambda: float(_came_back()[0]["visitor_id"].isin(_came_back()[2]).mean()),
            "That counts every contact who came back, past buyers or not. Keep only those who "
            "had bought before.",
            name="everyone",
        ),
    ],
    hint="past = leads.bought_before(came_back, start); then the share of came_back[past] "
    "whose visitor_id is among this month's buyers.",
    success="{expected:.1%} of the past buyers who came back bought again this month.",
)


# --------------------------------------------------------------------------- 6.9


@cached
def _nurture_effect():
    table = nurture.load_nurture(data_folder() / "nurture.csv")
    return nurture.effect(frame("leads"), table), table


def _hold_out_rate() -> float:
    return float(_nurture_effect()[0].table.at["hold-out", "rate"])


register(
    "6.9",
    expected=_hold_out_rate,
    kind="share",
    diagnoses=[
        equals(
            lambda: float(_nurture_effect()[0].table.at["nurtured", "rate"]),
            "That is the nurtured leads' rate. The question asks about the hold-out: the leads "
            "who got no e-mail (step 0).",
            name="nurtured",
        ),
        equals(
            lambda: float(frame("leads").set_index("lead_id").loc[
                nurture.groups(_nurture_effect()[1]).loc[lambda g: g.eq("hold-out")].index,
                "stage"].astype(str).eq("customer").mean()),
            "That counts every hold-out lead who ever bought, however late. Use the same fixed "
            "window for both groups: bought within 28 days of becoming a lead.",
            name="no_window",
        ),
    ],
    hint="result = nurture.effect(crm, nurture.load_nurture()); then result.table, the "
    "hold-out row's rate.",
    success="{expected:.1%} of the hold-out bought within 28 days of becoming a lead.",
)


# --------------------------------------------------------------------------- 6.10


@cached
def _forms_table() -> pd.DataFrame:
    labelled = bots.label(frame("sessions"))
    window = traffic.window(labelled)
    forms = leads.load_forms(data_folder() / "forms.csv")
    return leads.by_form(frame("leads"), forms, window.start, window.end)


register(
    "6.10",
    expected=lambda: int(_forms_table().at["newsletter box", "leads"]),
    kind="count",
    diagnoses=[
        equals(
            lambda: int(_forms_table().at["newsletter box", "customers"]),
            "That is how many of them bought within 28 days. The question asks how many leads "
            "the one-field form brought in.",
            name="customers",
        ),
        equals(
            lambda: int(_forms_table()["leads"].sum()),
            "That counts the leads of every form. Keep the newsletter box's row.",
            name="all_forms",
        ),
    ],
    hint="table = leads.by_form(crm, leads.load_forms(), window.start, window.end); then the "
    "newsletter box's leads.",
    success="The one-field newsletter box brought {expected:,} leads in the window: the most of "
    "any form.",
)
