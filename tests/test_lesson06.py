"""Lesson 06 · Lead quality: its explorer's pure functions, its charts and its exercise checks."""

from __future__ import annotations

import functools

import matplotlib
import numpy as np
import pandas as pd
import pytest

from helpers import bots, check, data, explorers, leads, pipeline, plots
from helpers.exercises import lesson06


@pytest.fixture
def scored():
    """Ten leads: scores in steps of 5, four customers (counted by hand in the tests)."""
    return pd.DataFrame(
        {
            "lead_id": [f"L{i}" for i in range(10)],
            "score": [0, 0, 5, 10, 30, 30, 45, 60, 60, 90],
            "is_customer": [False, True, False, False, True, False, False, True, False, True],
        }
    )


# --------------------------------------------------------------------------- score_threshold


def test_score_threshold_counts_by_hand(scored):
    row = leads.score_threshold(scored, 30)
    # kept: 30, 30, 45, 60, 60, 90 -> 6 leads, customers among them: 30, 60, 90 -> 3
    assert row["leads"] == 10 and row["leads_kept"] == 6
    assert row["customers"] == 4 and row["customers_kept"] == 3
    assert row["leads_share"] == pytest.approx(0.6)
    assert row["customers_share"] == pytest.approx(0.75)
    assert row["rate_all"] == pytest.approx(0.4)
    assert row["rate_kept"] == pytest.approx(0.5)


def test_score_threshold_keeps_scores_at_the_threshold(scored):
    assert leads.score_threshold(scored, 60)["leads_kept"] == 3  # 60, 60, 90
    assert leads.score_threshold(scored, 61)["leads_kept"] == 1


def test_score_threshold_zero_keeps_everything_and_too_high_keeps_nothing(scored):
    everything = leads.score_threshold(scored, 0)
    assert everything["leads_kept"] == 10 and everything["customers_share"] == 1
    assert everything["rate_kept"] == everything["rate_all"]
    nothing = leads.score_threshold(scored, 500)
    assert nothing["leads_kept"] == 0 and np.isnan(nothing["rate_kept"])


def test_score_threshold_does_not_mutate(scored):
    before = scored.copy()
    leads.score_threshold(scored, 30)
    leads.score_threshold_table(scored)
    pd.testing.assert_frame_equal(scored, before)


def test_score_threshold_accepts_zero_one_and_other_column_names(scored):
    renamed = scored.rename(columns={"score": "points", "is_customer": "bought"}).assign(
        bought=lambda f: f["bought"].astype(int)
    )
    row = leads.score_threshold(renamed, 30, score="points", customer="bought")
    assert row["customers_kept"] == 3


def test_score_threshold_errors_name_the_problem(scored):
    with pytest.raises(KeyError, match=r"score_threshold\(\): scored has no column 'is_customer'"):
        leads.score_threshold(scored.drop(columns="is_customer"), 30)
    with pytest.raises(TypeError, match="True/False"):
        leads.score_threshold(scored.assign(is_customer="yes"), 30)
    with pytest.raises(ValueError, match="missing or non-numeric"):
        leads.score_threshold(scored.assign(score=[np.nan] + [1] * 9), 30)


def test_score_threshold_table_matches_the_single_threshold(scored):
    table = leads.score_threshold_table(scored)
    assert table["threshold"].tolist() == list(range(0, 95, 5))
    for _, row in table.iterrows():
        single = leads.score_threshold(scored, row["threshold"])
        assert row["leads_kept"] == single["leads_kept"]
        assert row["customers_kept"] == single["customers_kept"]
    assert table["leads_kept"].is_monotonic_decreasing
    assert table["customers_kept"].is_monotonic_decreasing


def test_score_threshold_table_given_thresholds_are_sorted(scored):
    table = leads.score_threshold_table(scored, [60, 0, 30])
    assert table["threshold"].tolist() == [0, 30, 60]
    with pytest.raises(ValueError, match="step must be positive"):
        leads.score_threshold_table(scored, step=0)


def test_summary_text(scored):
    assert leads.score_threshold(scored, 30).headline == (
        "Score ≥ 30: 6 of 10 leads kept (60%), 3 of 4 customers (75%); customer rate 50.0% "
        "(all leads: 40.0%)"
    )
    assert leads.score_threshold(scored, 95).headline == (
        "Score ≥ 95: no lead scores this high (0 of 10 leads kept)"
    )


# --------------------------------------------------------------------------- the explorer


def test_explorer_follows_the_threshold_and_shows_the_summary(scored):
    box = explorers.score_threshold(scored, value=30)
    slider = box.controls["threshold"]
    assert (slider.min, slider.max, slider.step, slider.value) == (0, 90, 5, 30)
    assert box.result["leads_kept"] == 6
    assert leads.score_threshold(scored, 30).headline in box.key.value
    assert 'data-value="0.5"' in box.key.value
    slider.value = 60
    assert box.result["leads_kept"] == 3
    assert leads.score_threshold(scored, 60).headline in box.key.value
    kinds = [list(o["data"]) for o in box.output.outputs]
    assert "image/png" in kinds[0] and "text/html" in kinds[1]
    assert box.error is None


def test_explorer_clips_the_start_value(scored):
    box = explorers.score_threshold(scored, value=500)
    assert box.controls["threshold"].value == 90
    box.controls["threshold"].value = 90
    assert box.result["leads_kept"] == 1


# --------------------------------------------------------------------------- charts


def test_lead_score_hist_groups_threshold_and_title(scored):
    ax = plots.lead_score_hist(scored["score"], scored["is_customer"], 30)
    assert ax.get_title() == "Score ≥ 30 keeps 75% of customers with 60% of leads"
    colours = {matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches}
    assert plots.COLORS["customer"].lower() in colours
    assert plots.COLORS["lead"].lower() in colours
    # each group is drawn as a share of itself
    heights = np.array([p.get_height() for p in ax.patches])
    assert heights.sum() == pytest.approx(2.0)
    assert any(line.get_linestyle() == "--" for line in ax.get_lines())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == ["other leads (6)", "became customers (4)"]


def test_lead_score_hist_without_threshold_and_errors(scored):
    ax = plots.lead_score_hist(scored["score"], scored["is_customer"])
    assert ax.get_title() == "Customers score higher: median 45 against 20"
    with pytest.raises(ValueError, match="same frame"):
        plots.lead_score_hist([1, 2, 3], [True, False])


def test_lead_options_title_and_labels():
    table = pd.DataFrame(
        {"leads": [2000, 1000], "customers": [100, 90]}, index=["every lead", "strict"]
    )
    ax = plots.lead_options(table)
    assert ax.get_title() == "Strict: 50% fewer leads, 90% of the customers"
    texts = [t.get_text().strip() for t in ax.texts]
    assert "90 customers of 1,000 leads (9.0%)" in texts
    with pytest.raises(KeyError, match="customers"):
        plots.lead_options(table.drop(columns="customers"))
    with pytest.raises(TypeError):
        plots.lead_options([1, 2])


# --------------------------------------------------------------------------- exercise checks


@functools.cache
def _exercise(exercise_id):
    entry = check.get(exercise_id)
    return entry, entry.expected()


def _hint(exercise_id, answer):
    result = check.exercise(exercise_id, answer, show=False)
    assert not result.correct, f"{answer!r} should be wrong for {exercise_id}"
    return result.hint or ""


def test_every_exercise_is_registered_and_computes():
    ids = [f"6.{m}" for m in range(1, 11)]
    assert [x for x in check.load_all_lessons() if x.startswith("6.")] == ids
    for exercise_id in ids:
        _, expected = _exercise(exercise_id)
        assert check.exercise(exercise_id, expected, show=False).correct


def test_6_1_recognises_reasons_and_the_other_side():
    assert "reasons, not leads" in _hint("6.1", lesson06._reason_rows())
    _, expected = _exercise("6.1")
    assert "UNqualified" in _hint("6.1", len(lesson06.frame("leads")) - expected)


def test_6_2_recognises_missing_countries_and_the_unchanged_rule():
    assert "NO country" in _hint("6.2", lesson06._dach_by_hand())
    assert "default rules" in _hint("6.2", lesson06._n_qualified())


def test_6_3_recognises_strictly_above_and_shares():
    _, expected = _exercise("6.3")
    # scores step by 5, so "score > t" lands on the next row down: a too-low threshold
    assert "higher one" in _hint("6.3", lesson06._strictly_above())
    assert "looks like a share" in _hint("6.3", 0.8)
    assert "too strict" in _hint("6.3", expected + 5)
    assert "filters nothing" in _hint("6.3", 0)


def test_6_4_recognises_current_stage_and_step_rate():
    _, expected = _exercise("6.4")
    assert "reached" in _hint("6.4", lesson06._sql_now_share())
    assert "step rate" in _hint("6.4", lesson06._sql_share(lesson06._qualified_scoped(), "rate_value"))
    assert "percentage" in _hint("6.4", expected * 100)


def test_6_5_recognises_percent_and_wrong_denominators():
    _, expected = _exercise("6.5")
    assert "percentage" in _hint("6.5", expected * 100)
    customers = lesson06._trade_show_customers()
    assert "every lead in the CRM" in _hint("6.5", customers / len(lesson06.frame("leads")))
    assert "number of trade-show leads" in _hint("6.5", customers)
    assert "divided by every lead of the analysis set" in _hint("6.5", customers / len(lesson06._scoped()))
    assert "qualified trade-show leads only" in _hint("6.5", lesson06._qualified_trade_show_rate())


def test_6_6_explains_each_wrong_column():
    for option in lesson06.LEAKAGE_OPTIONS:
        if option != _exercise("6.6")[1]:
            assert "known" in _hint("6.6", option)
    assert "not one of the four options" in _hint("6.6", "stage")
    assert "as text" in _hint("6.6", 3)


def test_score_threshold_inputs_match_the_lesson_steps():
    from helpers import data

    ds = data.load_all()
    one_call = pipeline.scored_leads(ds.sessions, ds.events, ds.leads)
    step_by_step = lesson06._scored()
    columns = ["lead_id", "qualified", "is_customer", "score"]
    pd.testing.assert_frame_equal(
        one_call[columns].reset_index(drop=True), step_by_step[columns].reset_index(drop=True)
    )
    assert int(one_call["is_customer"].sum()) > 0


# --------------------------------------------------------------------------- the lesson's AUC


def _lesson_auc():
    """The ``auc`` function exactly as lesson 06 defines it (the notebook is its home)."""
    import json
    import textwrap
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "notebooks" / "06_lead_quality.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    source = next("".join(c["source"]) for c in cells if "def auc(" in "".join(c["source"]))
    definition = source[source.index("def auc("):]
    definition = definition[: definition.index("\n\n\n")] if "\n\n\n" in definition else definition
    from scipy.stats import rankdata

    namespace = {"np": np, "pd": pd, "rankdata": rankdata}
    exec(textwrap.dedent(definition), namespace)
    return namespace["auc"]


@pytest.mark.parametrize("seed", range(5))
def test_lesson_auc_equals_roc_auc_score(seed):
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(seed)
    n = 400
    outcome = rng.random(n) < 0.2
    score = rng.integers(0, 12, n) * 5 + 10 * outcome  # many ties, some signal
    auc = _lesson_auc()
    assert auc(score, outcome) == pytest.approx(roc_auc_score(outcome, score), abs=1e-12)
    assert auc(pd.Series(score), pd.Series(outcome)) == pytest.approx(roc_auc_score(outcome, score))


def test_lesson_auc_needs_no_positives_by_negatives_table():
    """500,000 leads: a 100,000 x 400,000 table would need 40 GB; ranks need a few MB."""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(1)
    outcome = rng.random(500_000) < 0.2
    score = rng.normal(size=outcome.size) + outcome
    assert _lesson_auc()(score, outcome) == pytest.approx(roc_auc_score(outcome, score), abs=1e-9)


def test_6_7_social_cost_per_acquisition_and_its_mistakes(kit):
    """Spend ÷ customers of social, recomputed with plain pandas from spend.csv and the CRM."""
    from helpers import bots, money, pipeline, traffic
    from helpers import leads as lead_tools

    spend = money.load_spend()
    social_spend = spend.loc[spend["channel"] == "social", "spend"].sum()
    labelled = bots.label(kit.sessions)
    crm = lead_tools.qualify(kit.leads, bot_visitors=traffic.bot_visitors(labelled))
    scoped = pipeline.analysis_set(crm.assign(is_customer=crm["stage"].eq("customer")), kit.sessions)
    humans = labelled[~labelled["is_bot"]].sort_values(["started_at", "session_id"])
    first = humans.drop_duplicates("visitor_id").set_index("visitor_id")["channel"]
    social = scoped[scoped["visitor_id"].map(first).eq("social")]
    customers = int(social["is_customer"].sum())
    assert check.exercise("6.7", social_spend / customers, show=False).correct
    for wrong, words in ((social_spend / len(social), "cost per lead"),
                         (customers / social_spend, "upside down"),
                         (social_spend / spend.loc[spend["channel"] == "social", "clicks"].sum(), "cost per click")):
        result = check.exercise("6.7", wrong, show=False)
        assert not result.correct and words in (result.hint or ""), words


def test_6_8_buy_again_recomputed_with_plain_pandas():
    """Section 11's 24.4%, from the CSV files with pandas alone (no helpers.leads/traffic):
    returning contacts who had become customers before the window, and bought in it."""
    folder = data.kit_data_dir()
    s = pd.read_csv(folder / "sessions.csv")
    e = pd.read_csv(folder / "events.csv")
    crm = pd.read_csv(folder / "leads.csv")
    labelled = bots.label(data.load_sessions())  # the bot verdicts are lesson 02's
    is_bot = dict(zip(labelled["session_id"], labelled["is_bot"], strict=True))
    human = s[~s["session_id"].map(is_bot)]
    start = pd.to_datetime(s["started_at"]).min()  # the window opens with the first session
    events = e.drop_duplicates(subset=["session_id", "visitor_id", "timestamp", "event_name", "page", "value"])
    events = events[events["session_id"].isin(human["session_id"])]
    buyers = set(events.loc[events["event_name"] == "purchase", "visitor_id"])
    back = crm[crm["visitor_id"].isin(set(human["visitor_id"]))]
    bought = pd.to_datetime(back["became_customer_at"]) < start
    expected = back.loc[bought, "visitor_id"].isin(buyers).mean()
    _, got = _exercise("6.8")
    assert got == pytest.approx(expected, abs=1e-12)
    assert f"{got:.1%}" == "24.4%" and int(bought.sum()) == 718
    assert check.exercise("6.8", lesson06._new_leads_buy(), show=False).correct is False
