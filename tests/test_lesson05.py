"""Lesson 05 · Conversion rates: its explorers' pure functions, its chart, its exercise checks."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from matplotlib.axes import Axes

from helpers import bots, check, conversions, experiments, explorers, leads, pipeline, plots
from helpers.exercises import lesson05


@pytest.fixture(scope="module")
def notebook(kit):
    """The lesson's main tables, built the way the notebook builds them."""
    sessions, events, crm = kit.sessions, kit.events, kit.leads
    start = sessions["started_at"].min()
    # the definitions, recomputed with plain pandas: spam = a lead of a visitor seen only in
    # bot sessions; created by a purchase = became a customer at (or before) its creation
    labelled = bots.label(sessions)
    human_ids = set(labelled.loc[~labelled["is_bot"], "visitor_id"])
    bot_only = set(labelled.loc[labelled["is_bot"], "visitor_id"]) - human_ids
    in_window = crm[crm["created_at"] >= start]
    window_leads = in_window[~in_window["visitor_id"].isin(bot_only)].assign(
        bought_at_creation=lambda f: f["became_customer_at"].notna()
        & (f["became_customer_at"] <= f["created_at"]))
    humans = bots.filter(sessions)
    human_events = events[events["session_id"].isin(humans["session_id"])]
    purchases = human_events[human_events["event_name"] == "purchase"]
    visitors = (
        humans.sort_values(["started_at", "session_id"])
        .drop_duplicates("visitor_id")[["visitor_id", "channel"]]
    )
    visitors["purchased"] = visitors["visitor_id"].isin(purchases["visitor_id"])
    web_leads = window_leads.merge(visitors, on="visitor_id")
    return {
        "start": start,
        "in_window": in_window,
        "window_leads": window_leads,
        "humans": humans,
        "human_events": human_events,
        "visitors": visitors,
        "web_leads": web_leads,
    }


def small_traffic():
    """Four visitors: a is an email visitor who came back from social; d is a bot."""
    sessions = pd.DataFrame(
        {
            "session_id": ["s1", "s2", "s3", "s4", "s5"],
            "visitor_id": ["a", "b", "c", "a", "d"],
            "channel": ["email", "email", "social", "social", "direct"],
            "started_at": pd.to_datetime(
                ["2025-02-03 09:00", "2025-02-03 10:00", "2025-02-04 11:00",
                 "2025-02-05 12:00", "2025-02-06 13:00"], utc=True),
            "is_bot": [False, False, False, False, True],
        }
    )
    crm = pd.DataFrame(
        {
            "visitor_id": ["a", "b", "c", "d"],
            "stage": ["customer", "customer", "sql", "disqualified"],
            "created_at": pd.to_datetime(
                ["2025-02-03 09:05", "2024-06-01 08:00", "2025-02-04 11:30",
                 "2025-02-06 13:00"], utc=True),
        }
    )
    return sessions, crm


# --------------------------------------------------------------------------- rate calculator


def test_rate_calculator_keeps_the_rate_and_narrows_the_interval():
    table = experiments.rate_calculator(10, 100).table
    assert table["data"].tolist()[0] == "your numbers"
    assert table["conversions"].tolist() == [10, 100, 1000]
    assert table["denominator"].tolist() == [100, 1000, 10000]
    assert table["rate"].tolist() == pytest.approx([0.1, 0.1, 0.1])
    assert table["width"].is_monotonic_decreasing
    # about sqrt(100) = 10 times narrower with 100 times the data
    assert 8 < table["width"].iloc[0] / table["width"].iloc[-1] < 12
    first = conversions.rate(10, 100)
    assert (table.loc[0, "low"], table.loc[0, "high"]) == pytest.approx((first.low, first.high))


@pytest.mark.parametrize("method", experiments.RATE_METHODS)
def test_rate_calculator_methods_and_summary(method):
    table = experiments.rate_calculator(3, 40, method, 0.9).table
    expected = conversions.rate(3, 40, 0.9, method)
    assert table.loc[0, "high"] == pytest.approx(expected.high)
    assert experiments.rate_calculator(3, 40, method, 0.9).headline == expected.format()


def test_rate_calculator_refuses_impossible_counts():
    with pytest.raises(ValueError, match="events instead of people"):
        experiments.rate_calculator(12, 10)
    with pytest.raises(ValueError, match="nothing to divide by"):
        experiments.rate_calculator(0, 0)


def test_rate_calculator_explorer_moves_and_shows_errors():
    box = explorers.rate_calculator()
    assert experiments.rate_calculator(10, 100).headline in box.key.value
    assert 'class="kit-explorer-result"' in box.key.value
    box.controls["method"].value = "clopper-pearson"
    assert "4.9%-17.6%" in box.key.value
    assert box.key.value.count(experiments.rate_calculator(10, 100, "clopper-pearson").headline) == 1
    outputs = box.output.outputs
    assert any("image/png" in o["data"] for o in outputs), "the explorer draws a chart"
    box.controls["conversions"].value = 12
    box.controls["denominator"].value = 10
    assert box.result is None and isinstance(box.error, ValueError)
    assert "events instead of people" in box.output.outputs[0]["data"]["text/plain"]
    box.controls["conversions"].value = 0
    box.controls["denominator"].value = 20
    assert box.error is None and box.result.table.loc[0, "rate"] == 0
    assert box.result.table.loc[0, "high"] > 0.15  # 0 of 20 is not "never"


# --------------------------------------------------------------------------- funnel


def test_channel_funnel_first_touch_window_and_bots():
    sessions, crm = small_traffic()
    table = pipeline.channel_funnel(sessions, crm, "email").table
    # a and b came first from email; b's lead is older than the window, so it is left out
    assert table["stage"].tolist() == ["visitor", "lead", "mql", "sql", "customer"]
    assert table["reached"].tolist() == [2, 1, 1, 1, 1]
    old_too = pipeline.channel_funnel(sessions, crm, "email", window_only=False).table
    assert old_too["reached"].tolist() == [2, 2, 2, 2, 2]
    social = pipeline.channel_funnel(sessions, crm, "social").table
    assert social["reached"].tolist() == [1, 1, 1, 1, 0]  # a's return visit stays email's
    everyone = pipeline.channel_funnel(sessions, crm, remove_bots=False).table
    humans = pipeline.channel_funnel(sessions, crm).table
    assert everyone.loc[0, "reached"] == 4 and humans.loc[0, "reached"] == 3
    assert everyone.loc[1, "disqualified"] == 1 and humans.loc[1, "disqualified"] == 0


def test_channel_funnel_does_not_modify_inputs_and_checks_channel():
    sessions, crm = small_traffic()
    before_s, before_c = sessions.copy(), crm.copy()
    pipeline.channel_funnel(sessions, crm, "email")
    pd.testing.assert_frame_equal(sessions, before_s)
    pd.testing.assert_frame_equal(crm, before_c)
    with pytest.raises(ValueError, match="no visitors came from channel 'tv'"):
        pipeline.channel_funnel(sessions, crm, "tv")
    with pytest.raises(KeyError, match="channel_funnel"):
        pipeline.channel_funnel(sessions.drop(columns="channel"), crm)


def test_channel_funnel_summary_text():
    sessions, crm = small_traffic()
    assert pipeline.channel_funnel(sessions, crm, "email").headline == (
        "50.0% of email visitors became customers (1 of 2)"
    )
    assert pipeline.channel_funnel(sessions, crm).headline == (
        "33.3% of all visitors became customers (1 of 3)"
    )


def test_channel_funnel_matches_the_lesson_on_kit_data(kit, notebook):
    found = pipeline.channel_funnel(kit.sessions, kit.leads)
    web = notebook["web_leads"]
    expected = leads.pipeline(web[~web["bought_at_creation"]], visitors=len(notebook["visitors"]))
    assert found.table["reached"].tolist() == expected["reached"].tolist()
    assert found.skipped == int(web["bought_at_creation"].sum()) > 0
    labelled = bots.label(kit.sessions)
    again = pipeline.channel_funnel(labelled, kit.leads, "email").table
    assert again["reached"].tolist() == pipeline.channel_funnel(
        kit.sessions, kit.leads, "email").table["reached"].tolist()


def test_channel_funnel_explorer_follows_its_pure_function(kit):
    box = explorers.channel_funnel(kit.sessions, kit.leads)
    assert box.controls["channel"].options[0] == "all"
    assert pipeline.channel_funnel(kit.sessions, kit.leads).headline in box.key.value
    box.controls["channel"].value = "email"
    assert pipeline.channel_funnel(kit.sessions, kit.leads, "email").headline in box.key.value
    clean = box.result.table["reached"].iloc[0]
    box.controls["channel"].value = "direct"
    box.controls["remove_bots"].value = False
    assert box.error is None
    assert pipeline.channel_funnel(
        kit.sessions, kit.leads, "direct", remove_bots=False).headline in box.key.value
    with_bots = box.result.table["reached"].iloc[0]
    box.controls["remove_bots"].value = True
    assert with_bots > box.result.table["reached"].iloc[0] and clean > 0
    assert any("image/png" in o["data"] for o in box.output.outputs)


# --------------------------------------------------------------------------- chart


def test_rate_and_volume_two_panels_and_takeaway():
    table = pd.DataFrame(
        {
            "channel": ["small", "big", "Total"],
            "conversions": [40, 300, 340],
            "visitors": [100, 3000, 3100],
            "rate": [0.4, 0.1, 340 / 3100],
            "low": [0.31, 0.09, 0.10],
            "high": [0.5, 0.11, 0.12],
        }
    )
    ax = plots.rate_and_volume(table, count_label="leads")
    assert isinstance(ax, Axes)
    left, right = ax.figure.axes
    assert left is ax
    assert ax.figure.get_suptitle() == (
        "Small converts best (40.0%), but big brings the most leads (300)"
    )
    assert len(right.patches) == 2, "the Total row is not a bar"
    assert right.get_xlabel() == "leads"
    assert "%" in ax.get_xticklabels()[-1].get_text() or ax.xaxis.get_major_formatter()


def test_rate_and_volume_same_leader_and_errors():
    table = conversions.rate_table(
        pd.DataFrame({"g": ["a"] * 10 + ["b"] * 4, "converted": [True] * 6 + [False] * 8}), "g"
    )
    ax = plots.rate_and_volume(table)
    # 6 of 10 is too few units to rank: the title states the measurement, not "best"
    assert ax.figure.get_suptitle() == (
        "A has the highest measured rate (60.0%, on only 10 rows) and brings the most conversions"
    )
    with pytest.raises(KeyError, match="rate_and_volume"):
        plots.rate_and_volume(table, count="leads")


# --------------------------------------------------------------------------- exercises


def hint(exercise_id, answer):
    result = check.exercise(exercise_id, answer, show=False)
    assert not result.correct, f"{answer!r} should be wrong for {exercise_id}"
    return result.hint or ""


def test_every_exercise_accepts_its_solution(notebook):
    window, visitors = notebook["window_leads"], notebook["visitors"]
    contact = window[window["lead_source"] == "contact_form"]
    answers = {
        "5.1": (contact["stage"] == "customer").mean() * 100,
        "5.3": lesson05._reached("customer") / lesson05._reached("mql"),
        "5.5": visitors["visitor_id"].isin(window["visitor_id"]).mean(),
        "5.6": "can't tell" if not lesson05._post_comparison().significant else "?",
    }
    for exercise_id, answer in answers.items():
        assert check.exercise(exercise_id, answer, show=False).correct, exercise_id


def test_5_1_diagnoses(kit, notebook):
    contact = notebook["window_leads"].query("lead_source == 'contact_form'")
    right = (contact["stage"] == "customer").mean()
    assert "percentage" in hint("5.1", right)
    spam_in = notebook["in_window"].query("lead_source == 'contact_form'")
    assert len(spam_in) > len(contact)
    assert "form-spam" in hint("5.1", (spam_in["stage"] == "customer").mean() * 100)
    every = kit.leads.query("lead_source == 'contact_form'")
    assert "before the traffic window" in hint("5.1", (every["stage"] == "customer").mean() * 100)
    kept = contact[contact["stage"] != "disqualified"]
    assert "disqualified" in hint("5.1", (kept["stage"] == "customer").mean() * 100)
    assert "contact_form" in hint("5.1", (notebook["window_leads"]["stage"] == "customer").mean() * 100)


def test_5_2_diagnoses():
    r = lesson05._small_channel_rate()
    assert check.exercise("5.2", r.high, show=False).correct
    assert "rate itself" in hint("5.2", r.value)
    assert "lower bound" in hint("5.2", r.low)
    assert "percentage" in hint("5.2", r.high * 100)
    assert "1.96" in hint("5.2", lesson05._wald_high())
    assert "per session" in hint("5.2", lesson05._small_channel_per_session().high)
    # the per-session bound is within 0.03 points, so the tolerance is tight: rounding is named
    assert "unrounded" in hint("5.2", round(r.high, 3))


def test_5_3_diagnoses():
    now = lesson05._now_at("customer") / lesson05._now_at("mql")
    assert "now_at" in hint("5.3", now)
    assert "SQL → customer" in hint("5.3", lesson05._reached("customer") / lesson05._reached("sql"))
    assert "visitor → customer" in hint(
        "5.3", lesson05._reached("customer") / lesson05._reached("visitor"))


def test_5_4_diagnoses(kit, notebook):
    humans, human_events = notebook["humans"], notebook["human_events"]
    downloads = human_events[human_events["event_name"] == "guide_download"]
    n_visitors = humans["visitor_id"].nunique()
    right = downloads["visitor_id"].nunique() / n_visitors
    assert check.exercise("5.4", right, show=False).correct
    everyone = kit.events.query("event_name == 'guide_download'")["visitor_id"].nunique()
    assert "bots" in hint("5.4", everyone / kit.sessions["visitor_id"].nunique())
    assert "events" in hint("5.4", len(downloads) / n_visitors)
    assert "per session" in hint("5.4", downloads["session_id"].nunique() / len(humans))


def test_5_5_diagnoses(notebook):
    visitors = notebook["visitors"].assign(
        became_lead=lambda v: v["visitor_id"].isin(notebook["window_leads"]["visitor_id"]))
    table = conversions.rate_table(visitors, "channel", converted="became_lead", total=False)
    assert "average" in hint("5.5", table["rate"].mean())
    assert "best channel" in hint("5.5", table["rate"].max())
    right = table["conversions"].sum() / table["visitors"].sum()
    assert check.exercise("5.5", right, show=False).correct


def test_5_6_diagnoses():
    comparison = lesson05._post_comparison()
    # exercise 5.6 is about noise: if the data ever makes the two posts differ clearly,
    # the exercise and its overclaiming hints must be rewritten
    assert not comparison.significant, "5.6 needs two posts whose difference is noise"
    higher = "A" if comparison.difference > 0 else "B"
    lower = "B" if higher == "A" else "A"
    assert "overclaiming" in hint("5.6", higher)
    assert "lower rate" in hint("5.6", lower)
    assert check.exercise("5.6", "cannot tell", show=False).correct  # a spelling of the option
    assert "Right idea" in hint("5.6", "not sure")
    assert "one of the options" in hint("5.6", "maybe")


def test_exercise_expected_values_are_plausible():
    for exercise_id in ("5.2", "5.3", "5.4", "5.5"):
        value = check.get(exercise_id).expected()
        assert 0 < value < 1 and not math.isnan(value), exercise_id
    assert 0 < check.get("5.1").expected() < 100
    assert check.get("5.6").expected() in ("A", "B", "can't tell")


def test_lead_rates_leave_out_spam_and_leads_created_by_a_purchase(notebook):
    """Recomputed from the definitions: the per-lead purchase rate and the funnel of section 6
    count only leads that could go on to buy, and nobody passes a stage they skipped."""
    web = notebook["web_leads"]
    after = web[~web["bought_at_creation"]]
    assert 0 < web["bought_at_creation"].sum() < len(web)
    per_lead = conversions.rate_table(after, "channel", converted="purchased", unit="leads").iloc[-1]
    assert per_lead["conversions"] == after["purchased"].sum()
    assert per_lead["rate"] < conversions.rate_table(web, "channel", converted="purchased",
                                                     unit="leads").iloc[-1]["rate"]
    funnel = leads.pipeline(after, visitors=len(notebook["visitors"])).set_index("stage")["reached"]
    assert check.exercise("5.3", funnel["customer"] / funnel["mql"], show=False).correct
    with_shop = leads.pipeline(web, visitors=len(notebook["visitors"])).set_index("stage")["reached"]
    wrong = check.exercise("5.3", with_shop["customer"] / with_shop["mql"], show=False)
    assert not wrong.correct and "created by a purchase" in wrong.message


def test_5_8_diagnoses(kit, notebook):
    """The rate on the window's last day, recomputed with plain pandas from the definitions."""
    window = notebook["window_leads"]
    end = kit.sessions["started_at"].max()
    could_buy = window[~window["bought_at_creation"]]
    right = (could_buy["became_customer_at"] <= end).mean()
    assert check.exercise("5.8", right, show=False).correct
    today = (could_buy["stage"] == "customer").mean()
    assert today > right + 0.02, "the lag of section 9 has disappeared from the data"
    assert "today" in hint("5.8", today)
    assert "created by a purchase" in hint("5.8", (window["became_customer_at"] <= end).mean())
    assert "how many customers" in hint("5.8", int((could_buy["became_customer_at"] <= end).sum()))


def test_5_9_diagnoses(notebook):
    """Organic search wins on the non-blog first pages; paid search, the overall winner, is named."""
    humans = notebook["humans"]
    first = humans.sort_values(["started_at", "session_id"]).drop_duplicates("visitor_id")
    other = first[~first["landing_page"].str.startswith("/blog")]
    lead = other["visitor_id"].isin(notebook["window_leads"]["visitor_id"])
    by_channel = lead.groupby(other["channel"].astype(str)).mean()
    right = "paid_search" if by_channel["paid_search"] > by_channel["organic_search"] else "organic_search"
    assert check.exercise("5.9", right, show=False).correct
    assert check.exercise("5.9", right.replace("_", " "), show=False).correct
    wrong = "paid_search" if right == "organic_search" else "organic_search"
    assert "wins over all its visitors" in hint("5.9", wrong)
    assert "one of the options" in hint("5.9", "social")
