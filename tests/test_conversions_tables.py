"""Whole results of `interval`, `rate_table`, `compare` and the sample size, computed by hand.

Each test compares the whole result (the whole table with `assert_frame_equal`, the whole
`Comparison`, the whole verdict sentence, the whole error sentence) with one built here from
plain pandas and statsmodels, on a small frame that reaches one path: counts past int64,
a bound SciPy cannot compute on one side only, a duplicated unit, two keys with a categorical
first, a p-value exactly at ``1 - confidence``, an interval that touches 0. Each was written
against a surviving mutant of `make mutate` (tests/MUTATION.md) and checked to fail on it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.stats.proportion as smp

from helpers import conversions as cv
from helpers import experiments as ex
from helpers import formatting as fmt

SM_METHOD = {"wilson": "wilson", "clopper-pearson": "beta", "jeffreys": "jeffreys"}


def _raises_exactly(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


# --------------------------------------------------------------------------- interval


@pytest.mark.parametrize("method", list(SM_METHOD))
def test_interval_on_counts_past_int64_equals_the_same_counts_as_floats(method):
    # Python ints past 2**63 make an object array unless read as float64 first: statsmodels
    # then works on Python ints and gives other bounds (0.09999999998 for 10**20 of 10**21)
    low, high = cv.interval([10**20, 3], [10**21, 10], 0.9, method)
    x, n = np.array([1e20, 3.0]), np.array([1e21, 10.0])
    sm_low, sm_high = smp.proportion_confint(x, n, alpha=1 - 0.9, method=SM_METHOD[method])
    # SciPy's beta quantiles give nan this far out: the documented fallback is Wilson's bound
    w_low, w_high = smp.proportion_confint(x, n, alpha=1 - 0.9, method="wilson")
    sm_low, sm_high = np.where(np.isnan(sm_low), w_low, sm_low), np.where(np.isnan(sm_high), w_high, sm_high)
    assert low.dtype == np.float64 and high.dtype == np.float64
    np.testing.assert_array_equal(low, sm_low)
    np.testing.assert_array_equal(high, sm_high)
    # one of the two past int64 is enough to need it
    for conversions, denominator in (([10**20], [1e21]), ([1e20], [10**21])):
        one_low, one_high = cv.interval(conversions, denominator, 0.9, method)
        assert one_low.dtype == np.float64 and one_high.dtype == np.float64
        assert (one_low[0], one_high[0]) == (sm_low[0], sm_high[0])


@pytest.mark.parametrize("method", ["clopper-pearson", "jeffreys"])
@pytest.mark.parametrize("side", ["low", "high"])
def test_interval_falls_back_to_wilson_when_one_bound_only_is_nan(method, side, monkeypatch):
    real = smp.proportion_confint

    def one_side_nan(x, n, alpha=0.05, method="normal"):
        low, high = (np.array(v, dtype=float) for v in real(x, n, alpha=alpha, method=method))
        if method != "wilson":
            (low if side == "low" else high)[0] = np.nan
        return low, high

    monkeypatch.setattr(smp, "proportion_confint", one_side_nan)
    low, high = cv.interval([3, 30], [10, 100], 0.9, method)
    x, n = np.array([3.0, 30.0]), np.array([10.0, 100.0])
    w_low, w_high = real(x, n, alpha=1 - 0.9, method="wilson")
    m_low, m_high = real(x, n, alpha=1 - 0.9, method=SM_METHOD[method])
    want_low = [w_low[0] if side == "low" else m_low[0], m_low[1]]
    want_high = [w_high[0] if side == "high" else m_high[0], m_high[1]]
    assert low.tolist() == want_low and high.tolist() == want_high


@pytest.mark.parametrize("method", list(SM_METHOD))
def test_interval_is_exactly_0_and_1_at_the_edges_whatever_the_rounding(method, monkeypatch):
    # the documented rule, against rounding on the wrong side of the edges: a lower bound of
    # -1e-17 at 0 conversions, an upper bound of 1 + 2e-16 when everyone converted
    real = smp.proportion_confint

    def rounded_outwards(x, n, alpha=0.05, method="normal"):
        low, high = (np.array(v, dtype=float) for v in real(x, n, alpha=alpha, method=method))
        low[x == 0], high[x == n] = -1e-17, 1 + 2e-16
        return low, high

    monkeypatch.setattr(smp, "proportion_confint", rounded_outwards)
    x, n = np.array([0.0, 3.0, 10.0]), np.array([10.0, 10.0, 10.0])
    low, high = cv.interval(x, n, 0.95, method)
    p_low, p_high = rounded_outwards(x, n, alpha=1 - 0.95, method=SM_METHOD[method])
    assert low.tolist() == [0.0, p_low[1], p_low[2]]
    assert high.tolist() == [p_high[0], p_high[1], 1.0]


# --------------------------------------------------------------------------- rate_table


def _table_by_hand(frame, keys, unit, confidence=0.95, method="wilson"):
    """rate_table's documented result from plain pandas and statsmodels: counts per group
    (sorted, missing values last as a group of their own), a Total row of summed counts,
    Wilson (or other) bounds with exact 0 and 1 at the edges."""
    groups = frame.groupby(keys, observed=True, dropna=False)["converted"]
    out = pd.DataFrame({"conversions": groups.sum().astype("int64"), unit: groups.size().astype("int64")})
    out = out.reset_index()
    for k in keys:
        if isinstance(out[k].dtype, pd.CategoricalDtype):
            out[k] = out[k].astype(object)
    total = {k: "Total" for k in keys} | {"conversions": out["conversions"].sum(), unit: out[unit].sum()}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    x, n = out["conversions"].to_numpy(float), out[unit].to_numpy(float)
    low, high = smp.proportion_confint(x, n, alpha=1 - confidence, method=SM_METHOD[method])
    out["rate"] = x / n
    out["low"] = np.where(x == 0, 0.0, low)
    out["high"] = np.where(x == n, 1.0, high)
    return out


def test_rate_table_refuses_a_duplicated_visitor_and_names_rate_table_frame_and_the_ids():
    frame = pd.DataFrame({"visitor_id": ["a", "b", "a", "c"], "g": ["x", "x", "y", "y"],
                          "converted": [True, False, False, True]})
    _raises_exactly(
        lambda: cv.rate_table(frame, "g"), ValueError,
        "rate_table(): frame has 1 visitor_id value(s) on more than one row (2 rows in all), "
        "e.g. ['a']; each unit must be counted once. Drop the duplicates first, e.g. "
        "frame.drop_duplicates('visitor_id').",
    )


def test_rate_table_refuses_a_duplicated_unit_named_by_unit():
    # unit= names a column of its own: that column is the unit, counted once
    frame = pd.DataFrame({"account": [1, 2, 2], "g": ["x", "x", "y"], "converted": [True, False, True]})
    _raises_exactly(
        lambda: cv.rate_table(frame, "g", unit="account"), ValueError,
        "rate_table(): frame has 1 account value(s) on more than one row (2 rows in all), "
        "e.g. ['2']; each unit must be counted once. Drop the duplicates first, e.g. "
        "frame.drop_duplicates('account').",
    )


def test_rate_table_of_leads_counts_leads_even_when_a_visitor_has_two():
    # the unit is the lead (lead_id, unique); a visitor behind two leads is no duplicate
    leads = pd.DataFrame({"lead_id": ["L1", "L2", "L3", "L4"], "visitor_id": ["a", "a", "b", "c"],
                          "channel": ["email", "email", "social", "social"],
                          "converted": [True, False, False, True]})
    table = cv.rate_table(leads, "channel")
    pd.testing.assert_frame_equal(table, _table_by_hand(leads, ["channel"], "leads"))
    visits = leads.drop(columns="lead_id").assign(visitor_id=["a", "b", "c", "d"])
    pd.testing.assert_frame_equal(cv.rate_table(visits, "channel", unit="visitors"),
                                  _table_by_hand(visits, ["channel"], "visitors"))


def test_rate_table_error_quotes_the_first_value_that_is_not_0_or_1():
    frame = pd.DataFrame({"g": ["x", "x", "y", "y"], "converted": [1, 0, 3, 2]})
    _raises_exactly(
        lambda: cv.rate_table(frame, "g"), ValueError,
        "rate_table(): column 'converted' must be True/False (or 0/1) per row, but has 3; did you "
        "count events instead of people? Use frame['converted'] > 0 to mark who converted.",
    )


def _two_key_frame():
    # a categorical first key with an unused category ("z") and a missing value, a text second
    # key, a shuffled index that is not 0..n-1
    return pd.DataFrame(
        {
            "channel": pd.Categorical(["social", "email", "email", None, "social", "email", "ads"],
                                      categories=["social", "email", "ads", "z"]),
            "device": ["mobile", "desktop", "mobile", "mobile", "mobile", "desktop", "desktop"],
            "converted": [True, False, True, False, False, True, True],
        },
        index=["r7", "r2", "r5", "r1", "r6", "r3", "r4"],
    )


def test_rate_table_on_two_keys_with_a_categorical_first_equals_plain_pandas():
    frame = _two_key_frame()
    table = cv.rate_table(frame, ["channel", "device"], confidence=0.9)
    expected = _table_by_hand(frame, ["channel", "device"], "rows", confidence=0.9)
    pd.testing.assert_frame_equal(table, expected)
    # no row for the unused category, nor for unused pairs of the two keys
    assert len(table) == 1 + len(frame[["channel", "device"]].drop_duplicates())
    # the categorical key alone: its categories' order, then the missing group
    alone = cv.rate_table(frame, "channel", method="jeffreys")
    pd.testing.assert_frame_equal(alone, _table_by_hand(frame, ["channel"], "rows", method="jeffreys"))
    assert alone["channel"].iloc[:3].tolist() == ["social", "email", "ads"]


@pytest.mark.parametrize(
    "key",
    [
        pd.Series(["b", "a", None, "b", "a"]),
        pd.Series(["b", "a", None, "b", "a"], dtype="string"),
        pd.Series([2, 1, 3, 2, 1]),
        pd.Series([2.0, 1.0, np.nan, 2.0, 1.0]),
        pd.Series([True, False, True, True, False]),
    ],
    ids=["text", "nullable-text", "integers", "floats", "booleans"],
)
@pytest.mark.parametrize("converted", ["bool", "boolean", "0/1"])
def test_rate_table_on_each_kind_of_key_equals_plain_pandas(key, converted):
    flags = pd.Series([True, False, True, False, True])
    frame = pd.DataFrame({"g": key, "converted": {"bool": flags, "boolean": flags.astype("boolean"),
                                                    "0/1": flags.astype(int)}[converted]})
    pd.testing.assert_frame_equal(cv.rate_table(frame, "g"), _table_by_hand(frame, ["g"], "rows"))
    # a text key stays text; any other key column holds plain values beside "Total"
    text = pd.api.types.is_string_dtype(key.dtype)
    assert cv.rate_table(frame, "g")["g"].dtype == (key.dtype if text else object)


def test_rate_table_on_a_categorical_key_with_nullable_or_0_1_flags():
    frame = _two_key_frame()
    for flags in (frame["converted"].astype("boolean"), frame["converted"].astype("int64")):
        table = cv.rate_table(frame.assign(converted=flags), "channel")
        pd.testing.assert_frame_equal(table, _table_by_hand(frame, ["channel"], "rows"))


# --------------------------------------------------------------------------- compare


def _comparison_by_hand(x1, n1, x2, n2, confidence, names):
    """The whole Comparison compare() documents, from statsmodels: Newcombe's interval for
    the difference, the log interval for the ratio, the pooled z-test, and the verdict."""
    a, b = cv.rate(x1, n1), cv.rate(x2, n2)
    alpha = 1 - confidence
    d_low, d_high = smp.confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff",
                                                   alpha=alpha)
    r_low, r_high = smp.confint_proportions_2indep(x1, n1, x2, n2, method="log", compare="ratio",
                                                   alpha=alpha)
    p = float(smp.proportions_ztest([x1, x2], [n1, n2])[1])
    diff = x1 / n1 - x2 / n2
    return dict(a=a, b=b, names=names, difference=diff, difference_low=float(d_low),
                difference_high=float(d_high), ratio=(x1 / n1) / (x2 / n2), ratio_low=float(r_low),
                ratio_high=float(r_high), p_value=p, confidence=confidence)


def _higher(hi, lo, diff, low, high, p, confidence):
    return (f"{hi}'s rate is higher than {lo}'s by {fmt.points(abs(diff))} points "
            f"({confidence * 100:g}% CI {fmt.points(low)} to {fmt.points(high)}); a difference this "
            f"large would be unlikely if both converted equally ({fmt.p_value(p)}).")


def _cannot_tell(na, nb, a, b, diff, low, high, p, confidence):
    return (f"We cannot tell these apart with this much data: {na} converts at {fmt.percent(a)} "
            f"and {nb} at {fmt.percent(b)}, and the interval for the difference "
            f"({fmt.points(diff, sign=True)} points, {confidence * 100:g}% CI {fmt.points(low)} to "
            f"{fmt.points(high)}) includes zero ({fmt.p_value(p)}).")


def _borderline(na, nb, a, b, diff, low, high, p, confidence):
    return (f"Borderline: {na} converts at {fmt.percent(a)} and {nb} at {fmt.percent(b)} "
            f"(difference {fmt.points(diff, sign=True)} points, {confidence * 100:g}% CI "
            f"{fmt.points(low)} to {fmt.points(high)}, {fmt.p_value(p)}); the test and the interval "
            "disagree, so collect more data before deciding.")


def test_compare_when_a_is_clearly_higher_gives_the_whole_comparison_and_sentence():
    names = ("New page", "Old page")
    want = _comparison_by_hand(150, 1000, 95, 1000, 0.9, names)
    assert want["p_value"] < 0.1 and want["difference_low"] > 0  # a clear difference
    verdict = _higher("New page", "Old page", want["difference"], want["difference_low"],
                      want["difference_high"], want["p_value"], 0.9)
    got = cv.compare(cv.rate(150, 1000), cv.rate(95, 1000), 0.9, names=names)
    assert got == cv.Comparison(**want, verdict=verdict)
    assert got.significant and str(got) == verdict


def test_compare_when_b_is_clearly_higher_names_b_first_and_flips_the_interval():
    names = ("Email", "Social")
    want = _comparison_by_hand(31, 400, 58, 410, 0.99, names)
    assert want["p_value"] < 0.01 and want["difference_high"] < 0
    verdict = _higher("Social", "Email", want["difference"], -want["difference_high"],
                      -want["difference_low"], want["p_value"], 0.99)
    got = cv.compare(cv.rate(31, 400), cv.rate(58, 410), 0.99, names=names)
    assert got == cv.Comparison(**want, verdict=verdict)
    assert got.significant


def test_compare_when_it_cannot_tell_gives_both_rates_and_the_interval():
    names = ("Landing A", "Landing B")
    want = _comparison_by_hand(37, 300, 31, 310, 0.9, names)
    assert want["p_value"] > 0.1 and want["difference_low"] < 0 < want["difference_high"]
    verdict = _cannot_tell("Landing A", "Landing B", 37 / 300, 31 / 310, want["difference"],
                           want["difference_low"], want["difference_high"], want["p_value"], 0.9)
    got = cv.compare(cv.rate(37, 300), cv.rate(31, 310), 0.9, names=names)
    assert got == cv.Comparison(**want, verdict=verdict)
    assert not got.significant


@pytest.mark.parametrize(
    ("a", "b"),
    [((6, 30), (1, 30)), ((19, 40), (17, 60))],  # p = 0.044, 0 inside; p = 0.0502, 0 outside
    ids=["test-says-different", "interval-says-different"],
)
def test_compare_borderline_sentence_in_full(a, b):
    names = ("Ad 1", "Ad 2")
    want = _comparison_by_hand(*a, *b, 0.95, names)
    test_says = want["p_value"] < 0.05
    interval_says = want["difference_low"] > 0 or want["difference_high"] < 0
    assert test_says != interval_says  # the two disagree: that is the case
    verdict = _borderline("Ad 1", "Ad 2", a[0] / a[1], b[0] / b[1], want["difference"],
                          want["difference_low"], want["difference_high"], want["p_value"], 0.95)
    got = cv.compare(cv.rate(*a), cv.rate(*b), names=names)
    assert got == cv.Comparison(**want, verdict=verdict)
    assert not got.significant


@pytest.mark.parametrize(
    ("counts", "zero_outside"),
    [((12, 40, 18, 40), True), ((1, 40, 4, 40), False)],
    ids=["interval-excludes-0", "interval-includes-0"],
)
def test_compare_at_p_exactly_one_minus_confidence_the_test_does_not_say_different(counts, zero_outside):
    # "clear" needs p *below* 1 - confidence; at exactly 1 - confidence the test says nothing
    x1, n1, x2, n2 = counts
    p = float(smp.proportions_ztest([x1, x2], [n1, n2])[1])
    confidence = 1 - p
    assert 1 - confidence == p  # these counts were picked so that the float arithmetic is exact
    want = _comparison_by_hand(x1, n1, x2, n2, confidence, ("A", "B"))
    assert (want["difference_low"] > 0 or want["difference_high"] < 0) == zero_outside
    sentence = _borderline if zero_outside else _cannot_tell
    verdict = sentence("A", "B", x1 / n1, x2 / n2, want["difference"], want["difference_low"],
                       want["difference_high"], p, confidence)
    got = cv.compare(cv.rate(x1, n1), cv.rate(x2, n2), confidence)
    assert got == cv.Comparison(**want, verdict=verdict)
    assert not got.significant


@pytest.mark.parametrize(
    ("counts", "bound"),
    [((150, 1000, 95, 1000), "low"), ((95, 1000, 150, 1000), "high"),  # p < 0.05
     ((5, 50, 6, 50), "low"), ((6, 50, 5, 50), "high")],  # p = 0.75
    ids=["p-small-low-0", "p-small-high-0", "p-large-low-0", "p-large-high-0"],
)
def test_compare_an_interval_that_touches_0_does_not_exclude_it(counts, bound, monkeypatch):
    # a bound exactly at 0: real counts do not land there, so statsmodels' interval for the
    # difference is moved to it; the interval [0, h] includes zero
    real = smp.confint_proportions_2indep

    def touching_zero(*args, **kwargs):
        low, high = real(*args, **kwargs)
        if kwargs.get("compare", "diff") == "diff":
            return (0.0, high) if bound == "low" else (low, 0.0)
        return low, high

    x1, n1, x2, n2 = counts
    want = _comparison_by_hand(x1, n1, x2, n2, 0.95, ("A", "B"))
    want["difference_" + bound] = 0.0
    p = want["p_value"]
    sentence = _borderline if p < 0.05 else _cannot_tell
    verdict = sentence("A", "B", x1 / n1, x2 / n2, want["difference"], want["difference_low"],
                       want["difference_high"], p, 0.95)
    monkeypatch.setattr(smp, "confint_proportions_2indep", touching_zero)
    got = cv.compare(cv.rate(x1, n1), cv.rate(x2, n2))
    assert got == cv.Comparison(**want, verdict=verdict)
    assert not got.significant


def test_compare_ratio_when_one_side_has_no_conversions():
    none_in_a = cv.compare(cv.rate(0, 100), cv.rate(1, 100))  # one conversion in b: ratio 0
    assert none_in_a.ratio == 0.0
    assert np.isnan(none_in_a.ratio_low) and np.isnan(none_in_a.ratio_high)
    none_in_b = cv.compare(cv.rate(3, 100), cv.rate(0, 100))  # nothing to divide by
    assert np.isnan(none_in_b.ratio) and np.isnan(none_in_b.ratio_low) and np.isnan(none_in_b.ratio_high)


# --------------------------------------------------------------------------- sample size


@pytest.mark.parametrize(
    ("baseline", "lift", "relative", "kind"),
    [(0.1, -1.0, True, "relative lift"), (0.25, 0.75, False, "difference"),
     (0.5, 1.0, True, "relative lift"), (0.25, -0.25, False, "difference")],
    ids=["relative-to-0", "difference-to-1", "relative-to-1", "difference-to-0"],
)
def test_sample_size_refuses_a_new_rate_of_exactly_0_or_1(baseline, lift, relative, kind):
    target = baseline * (1 + lift) if relative else baseline + lift
    assert target in (0.0, 1.0)  # exactly on the edge
    _raises_exactly(
        lambda: ex.sample_size_per_version(baseline, lift, relative=relative), ValueError,
        f"sample_size_per_version(): a {kind} of {lift!r} on a baseline of {baseline!r} gives "
        f"{target!r}; choose a change that is not 0 and keeps the new rate between 0 and 1.",
    )
