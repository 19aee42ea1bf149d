"""Columns the schema calls optional are optional in the functions an analyst runs first.

``data.SCHEMAS`` marks ``sessions.landing_page``, ``events.visitor_id`` and the CRM's
``email``/``name`` optional (a GA4 or log export, a CRM lead-scoring file may lack them); each
function below once stopped on their absence. Each now skips what it cannot compute, says so,
or takes the value from where the data already has it.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from helpers import bots, data, leads, pipeline, synth, vocabulary


@pytest.fixture(scope="module")
def small():
    return synth.generate(synth.SynthConfig(seed=11, start="2025-03-03", visitors=800))


def test_optional_columns_are_marked_optional_in_the_schema():
    optional = {(frame, c.name) for frame, cols in data.SCHEMAS.items() for c in cols
                if not c.required}
    assert {("sessions", "landing_page"), ("events", "visitor_id"), ("leads", "email"),
            ("leads", "name")} <= optional


def test_bot_label_skips_the_schedule_rule_without_landing_pages(small):
    """It raised "rule 'schedule' needs column(s) 'landing_page'" on sessions without it."""
    sessions = small.sessions.drop(columns=["landing_page"])
    with pytest.warns(UserWarning, match=r"rule 'schedule' skipped: sessions has no column "
                                         r"'landing_page'"):
        labelled = bots.label(sessions)
    assert len(labelled) == len(sessions)  # a label per session, none dropped
    reasons = labelled["bot_reason"].astype(str)
    assert not reasons.str.contains("schedule").any()
    full = bots.label(small.sessions)
    # every other verdict is the one the full sessions get
    others = ~full["bot_reason"].astype(str).str.contains("schedule").to_numpy()
    assert (labelled["bot_reason"].astype(str).to_numpy()[others]
            == full["bot_reason"].astype(str).to_numpy()[others]).all()
    # the started_at the rule also needs is required: still refused, with the switch
    with pytest.raises(KeyError, match=r"rule 'schedule' needs column\(s\) 'started_at'"):
        bots.label(sessions.drop(columns=["started_at"]),
                   bots.BotRules(too_fast_seconds=None, max_pages_per_minute=None))


def test_capstone_results_takes_the_visitor_of_each_event_from_its_session(small):
    """It raised "events has no column 'visitor_id'" although the schema calls it optional."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = pipeline.capstone_results(small.sessions, small.events, small.leads)
        without = pipeline.capstone_results(
            small.sessions, small.events.drop(columns=["visitor_id"]), small.leads)
    pd.testing.assert_frame_equal(without.visitors, full.visitors)
    pd.testing.assert_frame_equal(without.leads, full.leads)
    pd.testing.assert_frame_equal(without.per_lead, full.per_lead)
    assert without.lead_rate == full.lead_rate and without.lead_buy_rate == full.lead_buy_rate


def test_qualify_works_on_a_crm_without_email_or_name(tmp_path):
    """A CRM lead-scoring export (a converted flag, a country, no e-mail, no name) could not be
    qualified at all: the e-mail column was required even with require_email=False."""
    crm = pd.DataFrame({
        "Lead Number": ["660737", "660728", "660727", "660719"],
        "Lead Source": ["Google", "Direct Traffic", "Reference", "Google"],
        "Country": ["India", "Germany", "India", None],
        "Converted": [0, 1, 1, 0],
    })
    crm.to_csv(tmp_path / "crm.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the CRM's own lead sources: kept and reported
        loaded = data.load_leads(
            tmp_path / "crm.csv",
            rename={"Lead Number": "lead_id", "Lead Source": "lead_source", "Country": "country"},
            mapping={"country": "country_names", "stage": vocabulary.converted_flag("Converted")},
        )
    with pytest.raises(KeyError, match=r"qualify\(\): leads has no column 'email'.*"
                                       r"QualifyRules\(require_email=False, require_name=False\)"):
        leads.qualify(loaded)
    rules = leads.QualifyRules(require_email=False, require_name=False,
                               target_countries={"IN"})
    out = leads.qualify(loaded, rules)
    assert len(out) == len(loaded)
    # outside the market: a country given and not India (a lead without one is not judged)
    country = loaded["country"].astype("string")
    expected = ~(country.notna() & country.ne("IN")).to_numpy(dtype=bool)
    assert out["qualified"].to_numpy(dtype=bool).tolist() == expected.tolist()
    assert set(out.loc[~out["qualified"], "reasons"]) == {"outside_target_market"}
    # the market rule still needs its column, and says how to leave it out
    with pytest.raises(KeyError, match=r"QualifyRules\(target_countries=None\)"):
        leads.qualify(loaded.drop(columns=["country"]), rules)


def test_score_names_the_rule_and_a_fix_that_works_on_a_crm_without_its_columns():
    """The error said 'drop the rule' without saying which rule or how; following the fix it
    now gives, rule by rule, scores the file on the rules whose columns it has."""
    import re

    crm = pd.DataFrame({"lead_id": ["1", "2", "3"], "lead_source": ["contact_form"] * 3,
                        "stage": ["lead", "customer", "lead"],
                        "company_size": pd.array([40, 3, None], dtype="Int64")})
    rules = leads.DEFAULT_WEIGHTS
    dropped = []
    for _ in range(len(rules)):
        try:
            scored = leads.score(crm, rules)
            break
        except KeyError as err:
            message = str(err)
            fix = re.search(r"weights=\[w for w in (\S+) if w\.column != '([^']+)'\]", message)
            assert fix, message
            rule = re.search(r"\(rule '([^']+)'\)", message).group(1)
            assert rule in {w.name for w in rules if w.column == fix.group(2)}
            assert fix.group(1) == ("leads.DEFAULT_WEIGHTS" if not dropped else "your_rules")
            dropped.append(fix.group(2))
            rules = [w for w in rules if w.column != fix.group(2)]
    assert {w.column for w in rules} <= set(crm.columns) and "company_size" not in dropped
    expected = sum(w.condition.met(crm).astype(float) * w.points for w in rules)
    assert scored["score"].tolist() == list(expected)
