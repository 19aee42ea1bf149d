"""Lesson 07 · Capstone: the new month, the pipeline in one call, the report, the explorer, the checks."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers import bots, check, conversions, experiments, explorers, pipeline, plots, report, synth
from helpers.exercises import lesson07

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "07_capstone.ipynb"


@pytest.fixture(scope="module")
def small():
    """A small generated month: fast, and with every kind of visitor and event."""
    return synth.generate(synth.SynthConfig(seed=11, start="2025-03-03", visitors=800))


@pytest.fixture(scope="module")
def small_results(small):
    return pipeline.capstone_results(small.sessions, small.events, small.leads)


@pytest.fixture(scope="module")
def month():
    return lesson07.new_month()


@pytest.fixture(scope="module")
def results(month):
    return pipeline.capstone_results(month.sessions, month.events, month.leads)


# --------------------------------------------------------------------------- the new month


def test_new_month_is_the_month_after_the_kit_data_with_another_seed():
    kit = synth.SynthConfig()
    assert pipeline.NEW_MONTH.seed != kit.seed
    after = date.fromisoformat(kit.start) + timedelta(days=kit.days)
    assert date.fromisoformat(pipeline.NEW_MONTH.start) == after


def test_new_month_is_generated_once_and_matches_the_generator(month):
    assert lesson07.new_month() is month, "the exercises' cache keeps the month"
    assert lesson07.NEW_MONTH is pipeline.NEW_MONTH
    again = synth.generate(pipeline.NEW_MONTH)
    pd.testing.assert_frame_equal(again.sessions, month.sessions)
    pd.testing.assert_frame_equal(again.leads, month.leads)


def test_notebook_uses_the_shared_config():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert "from helpers.pipeline import NEW_MONTH" in code[0]
    assert any("synth.generate(NEW_MONTH)" in source for source in code)
    assert not any("SynthConfig(" in source for source in code), (
        "define the month only in helpers/pipeline.py (NEW_MONTH)"
    )


# --------------------------------------------------------------------------- capstone_results


def test_results_reconcile_with_the_input(small, small_results):
    r = small_results
    assert r.sessions == len(small.sessions)
    assert int(r.audit.loc["total", "sessions"]) == r.sessions
    assert int(r.audit.loc["human", "sessions"]) + r.bot_sessions == r.sessions
    assert r.visitors["visitor_id"].is_unique
    humans = bots.filter(small.sessions)
    assert r.human_visitors == humans["visitor_id"].nunique()
    assert r.duplicates == len(small.events) - len(small.events.drop_duplicates())
    assert r.human_events["session_id"].isin(humans["session_id"]).all()


def test_results_do_not_mutate_the_input(small):
    before = [frame.copy() for frame in (small.sessions, small.events, small.leads)]
    pipeline.capstone_results(small.sessions, small.events, small.leads)
    for frame, copy in zip((small.sessions, small.events, small.leads), before, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


def test_leads_are_people_and_new_means_inside_the_window(small, small_results):
    r = small_results
    labelled = bots.label(small.sessions)
    bot_only = set(labelled.loc[labelled["is_bot"], "visitor_id"]) - set(
        labelled.loc[~labelled["is_bot"], "visitor_id"]
    )
    assert not r.leads["visitor_id"].isin(bot_only).any()
    assert (r.leads.loc[r.leads["new"], "first_at"] >= r.start).all()
    assert (r.leads.loc[~r.leads["new"], "first_at"] < r.start).all()
    new_ids = set(r.new_web_leads["visitor_id"])
    flagged = set(r.visitors.loc[r.visitors["is_lead"], "visitor_id"])
    assert flagged == new_ids & set(r.visitors["visitor_id"])


def test_rates_add_up_counts(small_results):
    table = pipeline.capstone_rates(small_results, "channel")
    groups, total = table.iloc[:-1], table.iloc[-1]
    assert total["channel"] == "Total"
    assert groups["visitors"].sum() == total["visitors"] == small_results.human_visitors
    assert groups["conversions"].sum() == total["conversions"] == small_results.lead_rate.conversions
    purchases = pipeline.capstone_rates(small_results, "persona", "purchase")
    assert purchases.iloc[-1]["conversions"] == small_results.purchase_rate.conversions
    with pytest.raises(ValueError, match="metric"):
        pipeline.capstone_rates(small_results, "channel", "clicks")


def test_conversions_match_an_independent_count(small_results):
    expected = conversions.count(small_results.human_events, leads=small_results.leads)
    pd.testing.assert_series_equal(
        small_results.conversions_by_kind, expected[["micro", "macro"]].sum()
    )


def test_results_without_a_crm(small):
    r = pipeline.capstone_results(small.sessions, small.events)
    assert r.qualified is None and r.qualified_rate is None
    assert r.leads["in_crm"].eq(False).all()
    assert "quality rules" not in report.capstone_report(r)


def test_results_errors_name_the_problem(small):
    with pytest.raises(KeyError, match="capstone_results"):
        pipeline.capstone_results(small.sessions.drop(columns="channel"), small.events)
    with pytest.raises(ValueError, match="empty"):
        pipeline.capstone_results(small.sessions.iloc[:0], small.events)


def test_results_agree_with_the_exercise_checks(results):
    """The one-call pipeline and the exercise module's step-by-step answers agree."""
    assert results.bot_share == pytest.approx(check.get("7.1").expected())
    pd.testing.assert_series_equal(results.conversions_by_kind, check.get("7.2").expected())
    assert results.purchase_rate.value == pytest.approx(check.get("7.3").expected())
    table = pipeline.capstone_rates(results, "channel")
    groups = table[table["channel"] != "Total"]
    above = set(groups.loc[groups["low"] > table["rate"].iloc[-1], "channel"])
    assert above == check.get("7.4").expected()
    assert above, "the new month should have a channel clearly above the total (exercise 7.4)"


# --------------------------------------------------------------------------- the report


def test_report_quotes_the_computed_numbers(results):
    text = report.capstone_report(results)
    lead = results.lead_rate
    assert f"**{lead.value:.1%}**" in text
    assert f"{lead.low:.1%}–{lead.high:.1%}" in text
    assert f"{results.human_visitors:,}" in text
    assert f"{results.bot_share:.1%}" in text
    for section in ("## Headline numbers", "## What went well", "## What to fix",
                    "## Recommendations"):
        assert section in text
    for lever in ("Landing page", "Calls to action", "Free trials or discounts",
                  "Personalisation"):
        assert f"**{lever}.**" in text
    assert text.count("*Success:*") == 4 and text.count("*Pre-register:*") == 4
    assert "conversions.compare" in text
    assert "nan" not in text.lower()


def test_report_names_the_groups_the_intervals_single_out(results):
    text = report.capstone_report(results)
    table = pipeline.capstone_rates(results, "channel")
    total = table["rate"].iloc[-1]
    went_well, to_fix = text.split("## What went well")[1].split("## What to fix")
    groups = table.iloc[:-1]
    # six channels compared with the total at once: each interval widened for six (Bonferroni)
    low, high = conversions.interval(groups["conversions"], groups["visitors"], 1 - 0.05 / len(groups))
    for row, lo, hi in zip(groups.itertuples(), low, high, strict=True):
        name = f"**{str(row.channel).replace('_', ' ').capitalize()}**"
        assert (name in went_well) == (lo > total)
        assert (name in to_fix.split("## Recommendations")[0]) == (hi < total)
    # the correction matters on this month: organic search is below at 95% but not clearly
    organic = groups.set_index("channel").loc["organic_search"]
    assert organic["high"] < total and "**Organic search**" not in to_fix


def test_report_on_a_small_month_has_no_gaps(small_results):
    text = report.capstone_report(small_results, business="Test Co.")
    assert text.startswith("# Test Co.: leads and conversions")
    assert "nan" not in text.lower() and "None" not in text


def test_visitors_per_version():
    assert experiments.visitors_per_version(0.10) == 3841
    assert experiments.visitors_per_version(0.10, 0.5) < experiments.visitors_per_version(0.10, 0.2)
    with pytest.raises(ValueError, match="baseline"):
        experiments.visitors_per_version(0)
    with pytest.raises(ValueError, match="lift"):
        experiments.visitors_per_version(0.9, 0.5)


# --------------------------------------------------------------------------- the explorer


def test_segments_cover_every_channel_and_persona(results):
    values = [value for _, value in pipeline.focus_options(results)]
    assert values[0] == "all"
    channels = {f"channel:{c}" for c in results.visitors["channel"].astype(str).unique()}
    found = {f"persona:{p}" for p in results.visitors["persona"].astype(str).unique()}
    assert set(values[1:]) == channels | found


def test_focus_compares_a_group_with_everyone_else(results):
    focus = pipeline.focus(results, "channel:social")
    social = results.visitors["channel"].astype(str).eq("social")
    assert focus.rate.denominator == social.sum()
    assert focus.rest.denominator == (~social).sum()
    assert focus.rate.conversions + focus.rest.conversions == results.lead_rate.conversions
    assert focus.verdict.startswith("Social visitors: ")
    everyone = pipeline.focus(results)
    assert everyone.rate.value == results.lead_rate.value and everyone.verdict == ""
    with pytest.raises(ValueError, match="segment"):
        pipeline.focus(results, "social")
    with pytest.raises(ValueError, match="no human visitor"):
        pipeline.focus(results, "channel:tv")


def test_explorer_key_is_the_summary_function(results):
    box = explorers.capstone(results)
    assert box.result.headline == pipeline.focus(results).headline
    box.controls["segment"].value = "channel:paid_search"
    expected = pipeline.focus(results, "channel:paid_search", "lead").headline
    assert expected in box.key.value
    assert re.search(r'data-value="0\.\d+"', box.key.value)
    assert box.error is None
    box.controls["metric"].value = "purchase"
    assert pipeline.focus(results, "channel:paid_search", "purchase").headline in box.key.value
    assert any("image/png" in out["data"] for out in box.output.outputs)


def test_rates_with_focus_picks_out_the_group():
    table = conversions.rate_table(
        pd.DataFrame({"visitor_id": list("abcdef"), "channel": list("xxyyzz"),
                      "converted": [True, False, False, False, True, True]}),
        "channel",
    )
    ax = plots.rates_with_focus(table, "y", "Y converts least")
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["y"]
    assert ax.get_title() == "Y converts least"
    with pytest.raises(ValueError, match="no group"):
        plots.rates_with_focus(table, "w")


# --------------------------------------------------------------------------- the checks


def _hint(exercise_id, answer):
    result = check.exercise(exercise_id, answer, show=False)
    assert not result.correct
    return result.hint or ""


def test_7_1_recognises_the_usual_mistakes(month):
    share = check.get("7.1").expected()
    assert check.exercise("7.1", share, show=False).correct
    assert "percentage" in _hint("7.1", share * 100)
    assert "human sessions" in _hint("7.1", 1 - share)
    labelled = bots.label(month.sessions)
    assert "number of bot sessions" in _hint("7.1", int(labelled["is_bot"].sum()))
    ua_only = bots.label(month.sessions, bots.BotRules.ua_only())["is_bot"].mean()
    assert "user-agent rules alone" in _hint("7.1", ua_only)
    assert "answer key" in _hint("7.1", month.answer_key["segment"].eq("bot").mean())


def test_7_1_recognises_the_kit_month():
    from helpers import data

    kit_share = bots.label(data.load_sessions())["is_bot"].mean()
    assert "February" in _hint("7.1", kit_share)


def test_7_2_recognises_the_usual_mistakes(results, month):
    right = results.conversions_by_kind
    assert check.exercise("7.2", right.copy(), show=False).correct
    assert "Series" in _hint("7.2", results.per_lead[["micro", "macro"]])
    people = (results.per_lead[["micro", "macro"]] > 0).sum()
    assert "counts leads" in _hint("7.2", people)
    anyone = conversions.count(results.human_events)[["micro", "macro"]].sum()
    assert "leads or not" in _hint("7.2", anyone)
    everything = conversions.count(month.events, leads=month.leads)[["micro", "macro"]].sum()
    assert "Bots are left in" in _hint("7.2", everything)


def test_7_3_recognises_the_usual_mistakes(results, month):
    events = results.human_events
    buyers = events.loc[events["event_name"] == "purchase", "visitor_id"]
    humans = results.human_visitors
    assert check.exercise("7.3", buyers.nunique() / humans, show=False).correct
    assert "events" in _hint("7.3", len(buyers) / humans)
    all_visitors = month.sessions["visitor_id"].nunique()
    assert "Bots are left in" in _hint("7.3", buyers.nunique() / all_visitors)
    assert "percentage" in _hint("7.3", 100 * buyers.nunique() / humans)


def test_7_4_recognises_the_usual_mistakes(results):
    table = pipeline.capstone_rates(results, "channel")
    groups, total = table.iloc[:-1], table["rate"].iloc[-1]
    # six channels judged at once: each interval widened for six (as the report does)
    low, high = conversions.interval(groups["conversions"], groups["visitors"], 1 - 0.05 / len(groups))
    right = set(groups.loc[low > total, "channel"])
    assert check.exercise("7.4", sorted(right), show=False).correct
    by_rate = set(groups.loc[groups["rate"] > total, "channel"])
    assert by_rate != right, "the month should have a channel above the total by rate only"
    assert "whole interval" in _hint("7.4", by_rate)
    below = set(groups.loc[high < total, "channel"])
    assert "clearly below" in _hint("7.4", below)
    below_95 = set(groups.loc[groups["high"] < total, "channel"])
    assert below_95 != below, "the month should have a channel below only without the correction"
    assert "own 95% intervals" in _hint("7.4", below_95)
    best = {str(groups.sort_values("rate").iloc[-1]["channel"])}
    assert best != right and "highest rate" in _hint("7.4", best)
    assert "reference line" in _hint("7.4", right | {"Total"})
    assert "exactly as the data" in _hint("7.4", {"Social"})
