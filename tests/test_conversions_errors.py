"""Every error of the metric functions says which function, which argument and the fix.

The messages are compared in full: a message that names another function or argument (or
none), or a percentage hint given on the wrong side of its boundary, fails here. The
boundaries: a confidence above 1 and at most 100 reads as a percentage (95 -> "use 0.95"); a
baseline, alpha or power strictly between 1 and 100 does too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import conversions as cv
from helpers import experiments as ex

EVENTS = pd.DataFrame({
    "visitor_id": ["a", "a", "b"],
    "event_name": ["page_view", "purchase", "newsletter_signup"],
    "timestamp": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 10:05", "2024-01-01 10:09"], utc=True),
})
ONE = pd.DataFrame({"g": ["a"], "converted": [True]})
PCT = " (a share, not a percentage: use 0.95 for 95%)"

CASES = [
    (lambda: cv.rate(-1, 10), ValueError, "rate(): conversions must not be negative, got -1."),
    (lambda: cv.rate(1, -1), ValueError, "rate(): denominator must not be negative, got -1."),
    (lambda: cv.rate(11, 10), ValueError,
     "rate(): conversions (11) is larger than denominator (10); did you count events instead of people?"),
    (lambda: cv.rate(1, 10, confidence=95), ValueError,
     f"rate(): confidence must be between 0 and 1, got 95{PCT}."),
    (lambda: cv.rate(1, 10, confidence=1), ValueError, "rate(): confidence must be between 0 and 1, got 1."),
    (lambda: cv.rate(1, 10, confidence=1.5), ValueError,
     f"rate(): confidence must be between 0 and 1, got 1.5{PCT}."),
    (lambda: cv.rate(1, 10, confidence=100), ValueError,
     f"rate(): confidence must be between 0 and 1, got 100{PCT}."),
    (lambda: cv.rate(1, 10, confidence=100.5), ValueError,
     "rate(): confidence must be between 0 and 1, got 100.5."),
    (lambda: cv.rate(1, 10, confidence="x"), TypeError,
     "rate(): confidence must be a number such as 0.95, got 'x'."),
    (lambda: cv.rate(1, 10, method="nope"), ValueError,
     "rate(): unknown interval method 'nope'. Use one of: 'wilson', 'clopper-pearson' (also called "
     "'beta' or 'exact'), 'jeffreys'."),
    (lambda: cv.rate(True, 10), TypeError,
     "rate(): conversions must be a count (a whole number), got the boolean True."),
    (lambda: cv.rate(1, [10]), TypeError,
     "rate(): denominator must be a single count, got a list. Count first, e.g. "
     "int(frame['converted'].sum()), or use rate_table() for groups."),
    (lambda: cv.interval([1], [10], method="nope"), ValueError,
     "interval(): unknown interval method 'nope'. Use one of: 'wilson', 'clopper-pearson' (also "
     "called 'beta' or 'exact'), 'jeffreys'."),
    (lambda: cv.interval([1], [10], confidence=95), ValueError,
     f"interval(): confidence must be between 0 and 1, got 95{PCT}."),
    (lambda: cv.interval([1, 2], [10, 10, 10]), ValueError,
     "interval(): conversions (shape (2,)) and denominator (shape (3,)) must have the same shape, "
     "or one of them be a single number; pair each group's conversions with its own denominator."),
    (lambda: cv.compare(1, cv.rate(1, 10)), TypeError,
     "compare(): a must be a Rate from rate(conversions, denominator), got int."),
    (lambda: cv.compare(cv.rate(1, 10), 2), TypeError,
     "compare(): b must be a Rate from rate(conversions, denominator), got int."),
    (lambda: cv.compare(cv.rate(1, 10), cv.rate(2, 10), confidence=95), ValueError,
     f"compare(): confidence must be between 0 and 1, got 95{PCT}."),
    (lambda: cv.rate_table(ONE, "g", confidence=95), ValueError,
     f"rate_table(): confidence must be between 0 and 1, got 95{PCT}."),
    (lambda: cv.rate_table(ONE, "g", method="x"), ValueError,
     "rate_table(): unknown interval method 'x'. Use one of: 'wilson', 'clopper-pearson' (also "
     "called 'beta' or 'exact'), 'jeffreys'."),
    (lambda: cv.count(EVENTS, catalogue={"purchase": "macro"}), TypeError,
     "count(): catalogue must be a Catalogue, got dict. Build one with conversions.catalogue(...)."),
    (lambda: cv.count(EVENTS.drop(columns="visitor_id")), KeyError,
     "count(): events has no column 'visitor_id'. It has: event_name, timestamp. Rename it or pass "
     "per=... / event_column=...."),
    (lambda: cv.count([1, 2]), TypeError, "count(): events must be a pandas DataFrame, got list."),
    (lambda: cv.funnel(EVENTS, "purchase"), TypeError,
     "funnel(): steps must be a list of step names, e.g. ['page_view', 'purchase'], got 'purchase'."),
    (lambda: cv.funnel(EVENTS, []), ValueError, "funnel(): steps is empty; give at least one step."),
    (lambda: cv.funnel(EVENTS, ["a", "a"]), ValueError,
     "funnel(): steps ['a', 'a'] repeat a step; each step must appear once."),
    (lambda: cv.funnel(EVENTS.drop(columns="timestamp"), ["page_view", "purchase"]), KeyError,
     "funnel(): events has no column 'timestamp'. It has: visitor_id, event_name. Rename it or pass "
     "person=..., time=..., step_column=...."),
    (lambda: ex.sample_size_per_version(50, 0.2), ValueError,
     "sample_size_per_version(): baseline must be between 0 and 1 (not 0 or 1), got 50 (a share, "
     "not a percentage: use 0.5 for 50%)."),
    (lambda: ex.sample_size_per_version(1, 0.2), ValueError,
     "sample_size_per_version(): baseline must be between 0 and 1 (not 0 or 1), got 1."),
    (lambda: ex.sample_size_per_version(1.5, 0.2), ValueError,
     "sample_size_per_version(): baseline must be between 0 and 1 (not 0 or 1), got 1.5 (a share, "
     "not a percentage: use 0.015 for 1.5%)."),
    (lambda: ex.sample_size_per_version(99.5, 0.2), ValueError,
     "sample_size_per_version(): baseline must be between 0 and 1 (not 0 or 1), got 99.5 (a share, "
     "not a percentage: use 0.995 for 99.5%)."),
    (lambda: ex.sample_size_per_version(100, 0.2), ValueError,
     "sample_size_per_version(): baseline must be between 0 and 1 (not 0 or 1), got 100."),
    (lambda: ex.sample_size_per_version(0.1, 0.2, alpha=5), ValueError,
     "sample_size_per_version(): alpha must be between 0 and 1 (not 0 or 1), got 5 (a share, not a "
     "percentage: use 0.05 for 5%)."),
    (lambda: ex.sample_size_per_version(0.1, 0.2, power=80), ValueError,
     "sample_size_per_version(): power must be between 0 and 1 (not 0 or 1), got 80 (a share, not a "
     "percentage: use 0.8 for 80%)."),
]


@pytest.mark.parametrize(("call", "error", "message"), CASES, ids=[c[2][:48] for c in CASES])
def test_error_names_the_function_the_argument_and_the_fix(call, error, message):
    with pytest.raises(error) as caught:
        call()
    text = caught.value.args[0] if caught.value.args else ""
    assert text == message


# --------------------------------------------------------------------------- internals


def test_compact_renumbers_codes_in_order_and_handles_no_codes():
    codes, n = cv._compact(np.array([7, 3, 7, 9, 3]))
    assert codes.tolist() == [1, 0, 1, 2, 0] and n == 3 and codes.dtype == np.int64
    empty, m = cv._compact(np.array([], dtype=np.int32))
    assert empty.dtype == np.int64 and len(empty) == 0 and m == 0
    single, k = cv._compact(np.array([0]))
    assert single.tolist() == [0] and k == 1


def test_step_codes_on_categories_text_and_missing_values():
    steps = ["view", "buy"]
    cat = pd.Series(pd.Categorical(["buy", None, "other", "view"], categories=["other", "view", "buy"]))
    assert cv._step_codes(cat, steps).tolist() == [1, -1, -1, 0]
    text = pd.Series(["buy", None, "other", "view"])
    assert cv._step_codes(text, steps).tolist() == [1, -1, -1, 0]


def test_rate_table_total_row_on_categorical_and_numeric_keys():
    frame = pd.DataFrame({
        "g": pd.Categorical(["x", "y", "y"]), "n": [1, 2, 2], "converted": [True, False, True]})
    by_cat = cv.rate_table(frame, "g")
    assert by_cat["g"].tolist() == ["x", "y", "Total"]
    assert by_cat.index.tolist() == [0, 1, 2]
    assert by_cat["conversions"].dtype == np.int64 and by_cat["rows"].dtype == np.int64
    by_num = cv.rate_table(frame, "n")
    assert by_num["n"].tolist() == [1, 2, "Total"]
    assert by_num.loc[2, ["conversions", "rows"]].tolist() == [2, 3]


def test_rate_table_reads_zero_one_integers_as_converted():
    frame = pd.DataFrame({"g": ["a", "a", "b"], "converted": [1, 0, 1]})
    table = cv.rate_table(frame, "g")
    assert table["conversions"].tolist() == [1, 1, 2]
    assert table["rate"].tolist() == [0.5, 1.0, 2 / 3]


@pytest.mark.parametrize("method", ["clopper-pearson", "jeffreys"])
def test_interval_falls_back_to_wilson_only_where_the_method_gives_nan(method, monkeypatch):
    import statsmodels.stats.proportion as smp

    real = smp.proportion_confint

    def patchy(x, n, alpha=0.05, method="normal"):
        low, high = real(x, n, alpha=alpha, method=method)
        if method != "wilson":
            low, high = np.array(low, dtype=float), np.array(high, dtype=float)
            low[0], high[0] = np.nan, np.nan
        return low, high

    monkeypatch.setattr(cv, "proportion_confint", patchy, raising=False)
    monkeypatch.setattr(smp, "proportion_confint", patchy)
    low, high = cv.interval([3, 30], [10, 100], 0.9, method)
    w_low, w_high = real([3, 30], [10, 100], alpha=0.1, method="wilson")
    r_low, r_high = real([3, 30], [10, 100], alpha=0.1, method={"clopper-pearson": "beta"}.get(method, method))
    assert low[0] == pytest.approx(w_low[0]) and high[0] == pytest.approx(w_high[0])
    assert low[1] == pytest.approx(r_low[1]) and high[1] == pytest.approx(r_high[1])
    assert not np.isclose(low[1], w_low[1])


CASES_2 = [
    (lambda: cv.rate_table([1], "g"), TypeError, "rate_table(): frame must be a pandas DataFrame, got list."),
    (lambda: cv.rate_table(pd.DataFrame({"h": [1], "converted": [True]}), "g"), KeyError,
     "rate_table(): frame has no column 'g'. It has: h, converted. Pass by= one of these columns."),
    (lambda: cv.rate_table(pd.DataFrame({"g": [1]}), "g"), KeyError,
     "rate_table(): frame has no column 'converted'. It has: g. Add a boolean column that says "
     "whether each row converted, or pass converted='your_column'."),
    (lambda: cv.rate_table(pd.DataFrame({"g": ["a"], "converted": pd.array([None], dtype="boolean")}), "g"),
     ValueError, "rate_table(): column 'converted' has missing values; fill them with False or drop those rows."),
    (lambda: cv.funnel([1], ["a"]), TypeError, "funnel(): events must be a pandas DataFrame, got list."),
]


@pytest.mark.parametrize(("call", "error", "message"), CASES_2, ids=[c[2][:48] for c in CASES_2])
def test_more_errors_name_the_function_the_argument_and_the_fix(call, error, message):
    test_error_names_the_function_the_argument_and_the_fix(call, error, message)


# --------------------------------------------------------------------------- rate_table's groups

TABLE = pd.DataFrame({"g": ["b", None, "a", "b"], "h": ["x", "y", "x", "x"],
                      "converted": [True, False, False, True]})


def test_rate_table_sorts_groups_and_keeps_a_missing_group_last():
    table = cv.rate_table(TABLE, "g")
    assert table["g"].iloc[:2].tolist() == ["a", "b"] and pd.isna(table["g"].iloc[2])
    assert table["conversions"].tolist() == [0, 2, 0, 2] and table["rows"].tolist() == [1, 2, 1, 4]


def test_rate_table_on_two_keys_and_nullable_booleans():
    two = cv.rate_table(TABLE.assign(converted=TABLE["converted"].astype("boolean")), ["g", "h"])
    assert two[["g", "h"]].iloc[[0, 1, 3]].values.tolist() == [["a", "x"], ["b", "x"], ["Total", "Total"]]
    assert two["conversions"].tolist() == [0, 2, 0, 2]


def test_rate_table_on_categories_keeps_their_order_and_a_missing_group():
    cats = TABLE.assign(g=pd.Categorical(TABLE["g"], categories=["b", "a", "z"]))
    table = cv.rate_table(cats, "g")
    assert table["g"].iloc[:2].tolist() == ["b", "a"] and pd.isna(table["g"].iloc[2])
    assert table["rows"].tolist() == [2, 1, 1, 4]


# --------------------------------------------------------------------------- funnel's inputs

STEPS = ["view", "cart", "buy"]
FUNNEL_EVENTS = pd.DataFrame({
    "visitor_id": ["a", "a", "a", "b", "b", "c", "c", None],
    "event_name": ["view", "cart", "buy", "view", "buy", "cart", "view", "view"],
    "timestamp": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 10:01", "2024-01-01 10:02",
                                 "2024-01-01 11:00", "2024-01-01 11:05", "2024-01-01 12:00",
                                 "2024-01-01 12:01", "2024-01-01 13:00"], utc=True),
})


def _reached(events, **kwargs):
    return cv.funnel(events, STEPS, **kwargs)["people"].tolist()


def test_funnel_counts_in_order_and_ignores_unknown_people():
    # a: view, cart, buy; b: view, buy (no cart); c: cart before view
    assert _reached(FUNNEL_EVENTS) == [3, 1, 1]
    table = cv.funnel(FUNNEL_EVENTS, STEPS)
    assert table["step"].tolist() == STEPS
    assert table["step_rate"].tolist() == [1.0, 1 / 3, 1.0]
    assert table["overall_rate"].tolist() == [1.0, 1 / 3, 1 / 3]


def test_funnel_is_the_same_on_text_seconds_arrow_and_categorical_inputs():
    seconds = FUNNEL_EVENTS.assign(timestamp=(FUNNEL_EVENTS["timestamp"] - FUNNEL_EVENTS["timestamp"].min())
                                   .dt.total_seconds().astype("int64"))
    floats = seconds.assign(timestamp=seconds["timestamp"] + 0.5)
    text_times = FUNNEL_EVENTS.assign(timestamp=FUNNEL_EVENTS["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
    arrow = FUNNEL_EVENTS.assign(visitor_id=FUNNEL_EVENTS["visitor_id"].astype("string[pyarrow]"))
    large = FUNNEL_EVENTS.assign(visitor_id=FUNNEL_EVENTS["visitor_id"].astype(pd.ArrowDtype(__import__("pyarrow").large_string())))
    cats = FUNNEL_EVENTS.assign(visitor_id=FUNNEL_EVENTS["visitor_id"].astype("category"),
                                event_name=pd.Categorical(FUNNEL_EVENTS["event_name"],
                                                          categories=["other", "buy", "view", "cart"]))
    for frame in (seconds, floats, text_times, arrow, large, cats):
        assert _reached(frame) == [3, 1, 1]


def test_funnel_without_order_needs_no_time_column():
    assert _reached(FUNNEL_EVENTS.drop(columns="timestamp"), ordered=False) == [3, 2, 1]  # c has view and cart; b skipped cart


def test_funnel_rates_when_nobody_starts():
    table = cv.funnel(FUNNEL_EVENTS, ["nothing", "view"])
    assert table["people"].tolist() == [0, 0]
    assert table["step_rate"].isna().all() and table["overall_rate"].isna().all()
