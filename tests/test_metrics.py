"""helpers.metrics, helpers.rules, helpers.formatting: the small pieces every module shares."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import precision_recall_fscore_support

from helpers import bots, formatting, leads, metrics, personas
from helpers.rules import Condition


@pytest.mark.parametrize("tp,fp,fn", list(itertools.product(range(3), repeat=3)))
def test_scores_equal_scikit_learn_with_zero_division_nan(tp, fp, fn):
    truth = [1] * tp + [0] * fp + [1] * fn + [0]
    flagged = [1] * tp + [1] * fp + [0] * fn + [0]
    expected = precision_recall_fscore_support(
        truth, flagged, average="binary", zero_division=np.nan
    )[:3]
    got = metrics.scores(tp, fp, fn)
    for mine, theirs in zip((got.precision, got.recall, got.f1), expected, strict=True):
        assert (math.isnan(mine) and math.isnan(theirs)) or mine == pytest.approx(theirs)


def test_bots_and_personas_grade_with_the_same_rule():
    """tp=0, fp=1, fn=1: both used to disagree (F1 0 for bots, NaN for personas)."""
    labelled = pd.DataFrame({"session_id": ["a", "b"], "is_bot": [True, False],
                             "bot_reason": ["ua:list", ""]})
    graded = bots.evaluate(labelled, pd.Series([False, True], index=["a", "b"]))
    assigned = pd.DataFrame({"persona": ["x", "none"]}, index=pd.Index(["v1", "v2"], name="visitor_id"))
    key = pd.DataFrame({"visitor_id": ["v1", "v2"], "persona": [None, "x"]})
    table = personas.evaluate(assigned, key)
    assert graded.f1 == 0.0 and table.at["x", "f1"] == 0.0
    assert graded.precision == table.at["x", "precision"] == 0.0


def test_scores_refuse_what_is_not_a_count():
    with pytest.raises(ValueError, match="tp must be a count"):
        metrics.scores(-1, 0, 0)
    with pytest.raises(ValueError, match="fn must be a count"):
        metrics.scores(1, 0, 0.5)


def test_condition_is_shared_by_criteria_and_score_rules():
    frame = pd.DataFrame({"size": [5, 50, None, 900], "channel": ["a", "b", None, "a"]})
    criterion = personas.Criterion("size", low=10, high=500)
    rule = leads.ScoreRule("mid-sized", "size", 10, low=10, high=500)
    assert criterion.condition == rule.condition
    assert criterion.met(frame).tolist() == rule.condition.met(frame).tolist() == [
        False, True, False, False]
    assert personas.Criterion("channel", values="a").describe() == "channel = a"
    assert Condition("channel").met(frame).tolist() == [True, True, False, True]


def test_condition_errors_name_their_owner():
    with pytest.raises(ValueError, match=r"Criterion\(\): 'x' has both values and a range"):
        personas.Criterion("x", values=(1,), low=0)
    with pytest.raises(ValueError, match=r"ScoreRule\(\): 'size' has low \(9\) above high \(1\)"):
        leads.ScoreRule("r", "size", 5, low=9, high=1)
    with pytest.raises(TypeError, match="not numbers"):
        Condition("channel", low=1, owner="Criterion").met(pd.DataFrame({"channel": ["a", "b"]}))
    text_numbers = pd.DataFrame({"size": ["12", "x", None]})
    assert Condition("size", low=10).met(text_numbers).tolist() == [True, False, False]


def test_formatters():
    assert formatting.percent(0.12345) == "12.3%" == f"{0.12345:.1%}"
    assert formatting.percent(float("nan")) == "n/a"
    assert formatting.interval(0.055, 0.174) == "5.5%–17.4%"
    assert formatting.points(-0.0004) == "0.0" and formatting.points(-0.0004, sign=True) == "+0.0"
    assert formatting.p_value(0.2) == "p = 0.20" and formatting.p_value(0.2, 3) == "p = 0.200"
    assert formatting.label("paid_search") == "paid search"
