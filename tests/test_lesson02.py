"""Lesson 02 · Filtering bots: its explorer's pure functions, its charts and its exercises."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex

from helpers import bot_thresholds, bots, check, data, explorers, plots
from helpers.exercises import lesson02


@pytest.fixture(scope="module")
def inputs(kit):
    return bot_thresholds.inputs(kit.sessions, kit.answer_key, kit.events)


def _signup_rate(kept: pd.DataFrame, events: pd.DataFrame) -> float:
    signed = events.loc[events["event_name"] == "newsletter_signup", "session_id"]
    return float(kept["session_id"].isin(signed).mean())


# --------------------------------------------------------------------------- explorer logic


def test_inputs_at_default_thresholds_reproduce_bots_label(kit, inputs):
    labelled = bots.label(kit.sessions)
    graded = bots.evaluate(labelled, kit.answer_key)
    result = bot_thresholds.tradeoff(inputs, 30.0, 3.0)
    assert result["removed"] == int(labelled["is_bot"].sum())
    assert result["precision"] == pytest.approx(graded.precision)
    assert result["recall"] == pytest.approx(graded.recall)
    assert result["f1"] == pytest.approx(graded.f1)
    assert (result["false_alarms"], result["missed"]) == (graded.fp, graded.fn)
    humans = labelled[~labelled["is_bot"]]
    assert result["rate"] == pytest.approx(_signup_rate(humans, kit.events))
    assert result["rate_with_bots"] == pytest.approx(_signup_rate(kit.sessions, kit.events))


@pytest.mark.parametrize(("pages", "form"), [(10, 0.5), (60, 12.0), (45, 5.5)])
def test_tradeoff_matches_a_full_label_with_the_same_thresholds(kit, inputs, pages, form):
    rules = bots.BotRules(max_pages_per_minute=float(pages), fast_form_seconds=form)
    labelled = bots.label(kit.sessions, rules)
    result = bot_thresholds.tradeoff(inputs, pages, form)
    assert result["removed"] == int(labelled["is_bot"].sum())
    assert result["recall"] == pytest.approx(bots.evaluate(labelled, kit.answer_key).recall)


def test_tradeoff_accounts_for_every_session(inputs):
    for pages, form in [(5, 0.5), (30, 3.0), (60, 12.0), (None, None)]:
        result = bot_thresholds.tradeoff(inputs, pages, form)
        assert result["kept"] + result["removed"] == result["sessions"] == len(inputs)


def test_rules_switched_off_leave_the_fixed_verdicts(inputs):
    result = bot_thresholds.tradeoff(inputs, None, None)
    assert result["removed"] == int(inputs["fixed_bot"].sum())


def test_a_stricter_form_threshold_never_removes_less(inputs):
    removed = [bot_thresholds.tradeoff(inputs, 30, s)["removed"] for s in (0.5, 2, 3, 8, 12)]
    assert removed == sorted(removed)


def test_form_threshold_moves_the_signup_rate_both_ways(inputs):
    default = bot_thresholds.tradeoff(inputs)
    assert bot_thresholds.tradeoff(inputs, 30, 0.5)["rate"] > default["rate_truth"]
    assert bot_thresholds.tradeoff(inputs, 30, 12.0)["rate"] < default["rate_truth"]


def test_inputs_do_not_touch_the_sessions(kit):
    before = kit.sessions.copy()
    bot_thresholds.inputs(kit.sessions, kit.answer_key, kit.events)
    pd.testing.assert_frame_equal(kit.sessions, before)


def test_inputs_errors_name_the_function_and_the_fix(kit):
    with pytest.raises(KeyError, match=r"inputs\(\): sessions has no column 'form_s"):
        bot_thresholds.inputs(
            kit.sessions.drop(columns="form_seconds"), kit.answer_key, kit.events
        )
    with pytest.raises(ValueError, match=r"no event is named 'signup'.*newsletter_signup"):
        bot_thresholds.inputs(kit.sessions, kit.answer_key, kit.events, conversion="signup")
    with pytest.raises(ValueError, match=r"not in the answer key"):
        bot_thresholds.inputs(kit.sessions, kit.answer_key.iloc[10:], kit.events)
    with pytest.raises(TypeError, match="BotRules"):
        bot_thresholds.inputs(kit.sessions, kit.answer_key, kit.events, rules={"x": 1})


def test_other_conversions_and_rules_are_honoured(kit):
    rules = bots.BotRules(missing_ua=False)
    inputs = bot_thresholds.inputs(
        kit.sessions, kit.answer_key, kit.events, conversion="purchase", rules=rules
    )
    result = bot_thresholds.tradeoff(inputs)
    labelled = bots.label(kit.sessions, rules)
    assert result["conversion"] == "purchase"
    assert result["removed"] == int(labelled["is_bot"].sum())
    assert result["false_alarms"] == bots.evaluate(labelled, kit.answer_key).fp


def test_headline_text():
    result = bot_thresholds.Tradeoff(
        max_pages_per_minute=30, fast_form_seconds=3.0, sessions=2000, removed=1234, kept=766,
        precision=0.5, recall=float("nan"), f1=float("nan"), false_alarms=617, missed=0,
        conversion="purchase", conversions=14, rate=0.018, rate_with_bots=0.01, rate_truth=0.02,
    )
    assert result.headline == "Purchase rate 1.80% · 1,234 removed · precision 50.0% · recall n/a"
    assert result.value == 0.018 and result["removed"] == 1234 and len(dict(result)) == 15


def test_sweep(inputs):
    sweep = bot_thresholds.sweep(inputs, "max_pages_per_minute", [10, 30, 60])
    assert sweep["threshold"].tolist() == [10.0, 30.0, 60.0]
    assert {"precision", "recall", "removed", "rate"} <= set(sweep.columns)
    default = bot_thresholds.sweep(inputs)
    assert default["threshold"].iloc[0] == 0.5 and default["threshold"].iloc[-1] == 12.0
    with pytest.raises(ValueError, match="rule must be one of"):
        bot_thresholds.sweep(inputs, "too_fast_seconds")
    with pytest.raises(TypeError, match="fix only the other threshold"):
        bot_thresholds.sweep(inputs, "fast_form_seconds", [1], fast_form_seconds=2)


def test_sweep_feeds_the_precision_recall_chart(inputs):
    ax = plots.precision_recall(bot_thresholds.sweep(inputs, thresholds=[1, 3, 10]), chosen=3)
    assert isinstance(ax, Axes)


# --------------------------------------------------------------------------- the explorer


def test_explorer_key_follows_the_controls(kit, inputs):
    box = explorers.bot_thresholds(kit.sessions, kit.answer_key, kit.events, inputs=inputs)
    assert set(box.controls) == {"max_pages_per_minute", "fast_form_seconds"}
    assert box.controls["max_pages_per_minute"].value == 30
    assert box.controls["fast_form_seconds"].value == 3.0
    expected = bot_thresholds.tradeoff(inputs, 30, 3.0).headline
    assert "kit-explorer-result" in box.key.value and expected in box.key.value
    box.controls["max_pages_per_minute"].value = 60
    assert box.error is None
    moved = bot_thresholds.tradeoff(inputs, 60, 3.0).headline
    assert moved != expected and moved in box.key.value
    assert f'data-value="{round(box.result["rate"], 6)}"' in box.key.value
    kinds = [next(iter(o["data"])) for o in box.output.outputs]
    assert "image/png" in {k for o in box.output.outputs for k in o["data"]}, kinds


def test_explorer_computes_its_inputs_when_not_given(kit, inputs):
    box = explorers.bot_thresholds(kit.sessions, kit.answer_key, kit.events)
    assert box.result == bot_thresholds.tradeoff(inputs, 30, 3.0)


# --------------------------------------------------------------------------- charts


def _report():
    return pd.DataFrame(
        {"sessions": [78, 14, 5, 3, 100], "share": [0.78, 0.14, 0.05, 0.03, 1.0]},
        index=pd.Index(
            ["human", "ua:list", "behaviour:pages_per_minute", "behaviour:fast_form", "total"],
            name="reason",
        ),
    )


def test_bot_reasons_chart():
    ax = plots.bot_reasons(_report())
    assert isinstance(ax, Axes)
    assert len(ax.patches) == 3  # human and total are not bars
    assert {to_hex(p.get_facecolor()).upper() for p in ax.patches} == {plots.color("bot")}
    assert ax.get_title() == "22% of sessions flagged as bots; the most by ua:list (14%)"
    assert [t.get_text() for t in ax.texts][0] == "14 (14.0%)"
    assert plots.bot_reasons(_report(), "Given").get_title() == "Given"


def test_bot_reasons_on_a_real_report(kit):
    report = bots.report(bots.label(kit.sessions))
    ax = plots.bot_reasons(report)
    assert len(ax.patches) == len(report) - 2


def test_bot_reasons_errors():
    with pytest.raises(TypeError, match=r"bot_reasons\(\).*bots.report"):
        plots.bot_reasons([1, 2])
    with pytest.raises(KeyError, match="sessions"):
        plots.bot_reasons(pd.DataFrame({"n": [1]}))


def test_rates_with_without_bots_chart():
    table = pd.DataFrame(
        {"with bots": [0.0146, 0.0240], "without bots": [0.0188, 0.0210], "truth": [0.0187, 0.0211]},
        index=["purchase", "contact_form"],
    )
    ax = plots.rates_with_without_bots(table)
    assert isinstance(ax, Axes)
    colours = [to_hex(p.get_facecolor()).upper() for p in ax.patches]
    assert colours == ["#999999"] * 2 + [plots.color("human")] * 2
    assert plots.color("bot") not in colours
    assert len(ax.collections) == 1  # the truth ticks
    assert ax.get_title() == "With bots left in, the purchase rate reads 1.46% instead of 1.88%"
    assert "(%)" in ax.get_xlabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(labels) == ["bots filtered out", "bots left in", "truth (answer key)"]


def test_rates_with_without_bots_without_truth_and_errors():
    table = pd.DataFrame({"with bots": [0.02], "without bots": [0.03]}, index=["purchase"])
    ax = plots.rates_with_without_bots(table, "Given")
    assert ax.get_title() == "Given" and len(ax.collections) == 0
    with pytest.raises(KeyError, match="'without bots'"):
        plots.rates_with_without_bots(pd.DataFrame({"with bots": [0.1]}))
    with pytest.raises(TypeError, match="DataFrame"):
        plots.rates_with_without_bots(np.array([0.1, 0.2]))


# --------------------------------------------------------------------------- exercises


def _message(exercise_id, answer):
    return check.exercise(exercise_id, answer, show=False)


def test_exercises_are_registered():
    check.load_all_lessons()
    assert {"2.1", "2.2", "2.3", "2.4"} <= set(check.registered_ids())


def test_right_answers_are_accepted(kit):
    labelled = bots.label(kit.sessions)
    assert _message("2.1", labelled["is_bot"].mean()).correct
    ua = bots.evaluate(bots.label(kit.sessions, bots.BotRules.ua_only()), kit.answer_key)
    assert _message("2.2", ua.fn).correct
    assert _message("2.3", bots.evaluate(labelled, kit.answer_key).recall).correct
    rate = 100 * _signup_rate(bots.filter(kit.sessions), kit.events)
    assert _message("2.4", rate).correct
    assert _message("2.4", round(rate, 3)).correct  # 2 decimals: the answer key's rate is near


def test_bot_share_accepts_its_rounded_forms_but_not_the_answer_key_share(kit):
    share = bots.label(kit.sessions)["is_bot"].mean()
    for rounded in (round(share, 4), round(share, 3)):  # 0.2212 and 0.221
        assert _message("2.1", rounded).correct, rounded
    truth = kit.answer_key["segment"].eq("bot").mean()  # 0.2200: real bots, not the filter
    assert abs(round(truth, 4) - round(share, 4)) >= 0.001, "the two shares came closer"
    result = _message("2.1", truth)
    assert not result.correct
    assert "share of real bots in the answer key" in result.message, result.message
    two_decimals = _message("2.1", round(share, 2))
    assert not two_decimals.correct
    assert "two decimals are not enough" in two_decimals.message, two_decimals.message


@pytest.mark.parametrize(
    ("exercise_id", "wrong", "hint"),
    [
        ("2.1", lambda: 100 * lesson02._bot_share(), "percentage"),
        ("2.1", lambda: round(100 * lesson02._bot_share()), "percentage"),
        ("2.1", lambda: lesson02.frame("answer_key")["segment"].eq("bot").mean(), "answer key"),
        ("2.1", lambda: 1 - lesson02._bot_share(), "kept as human"),
        ("2.1", lesson02._visitor_share, "counts visitors"),
        ("2.1", lambda: int(bots.label(data.load_sessions())["is_bot"].sum()), "number of flagged"),
        ("2.2", lambda: lesson02._graded(bots.BotRules.ua_only()).tp, "catches"),
        ("2.2", lambda: lesson02._graded().fn, "full filter"),
        ("2.2", lambda: lesson02._graded(bots.BotRules.ua_only()).fp, "false alarms"),
        ("2.3", lambda: lesson02._graded().precision, "precision"),
        ("2.3", lesson02._accuracy, "accuracy"),
        ("2.3", lambda: 1 - lesson02._recall(), "misses"),
        ("2.3", lambda: round(100 * lesson02._recall(), 2), "percentage"),
        ("2.3", lambda: round(lesson02._recall(), 3), "unrounded"),
        ("2.4", lambda: lesson02._rate(lesson02.frame("sessions")), "bots included"),
        ("2.4", lesson02._events_per_session, "sign-up events"),
        ("2.4", lesson02._all_sessions_denominator, "divided by all sessions"),
        ("2.4", lambda: lesson02._rate(lesson02._humans()) / 100, "share"),
    ],
)
def test_usual_mistakes_get_a_specific_hint(exercise_id, wrong, hint):
    result = _message(exercise_id, wrong())
    assert not result.correct
    assert hint in result.message, result.message
