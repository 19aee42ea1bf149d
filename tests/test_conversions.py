"""Tests of helpers.conversions: expected values come from statsmodels or from hand counts."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from helpers import conversions as cv
from helpers import experiments

counts = st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


# ----------------------------------------------------------------- catalogue
def test_catalogue_default_kinds_and_immutable():
    assert cv.CATALOGUE["purchase"] == "macro"
    assert set(cv.CATALOGUE.micro) == {
        "newsletter_signup", "blog_comment", "social_follow", "guide_download",
        "contact_form", "add_to_cart",
    }
    with pytest.raises(AttributeError):
        cv.CATALOGUE.foo = 1
    with pytest.raises(TypeError):
        cv.CATALOGUE["purchase"] = "micro"  # type: ignore[index]


def test_catalogue_overrides_return_new_and_reject_unknown_kind():
    wholesale = cv.catalogue(contact_form="macro")
    assert wholesale["contact_form"] == "macro" and cv.CATALOGUE["contact_form"] == "micro"
    assert cv.catalogue(overrides={"contact_form": "macro"}) == wholesale
    assert "social_follow" not in cv.catalogue(social_follow=None)
    with pytest.raises(ValueError, match="catalogue\\(\\).*'big'"):
        cv.catalogue(purchase="big")
    with pytest.raises(KeyError, match="not a conversion"):
        cv.CATALOGUE["page_view"]


def test_count_per_visitor_and_only_leads():
    ev = pd.DataFrame({
        "visitor_id": ["a", "a", "a", "b", "b", "c", None],
        "event_name": ["guide_download", "purchase", "page_view", "contact_form",
                       "blog_comment", "page_view", "purchase"],
    })
    out = cv.count(ev)
    assert out.loc["a", ["micro", "macro"]].tolist() == [1, 1]
    assert out.loc["b", ["micro", "macro"]].tolist() == [2, 0]
    assert out.loc["c", "conversions"] == 0
    wholesale = cv.count(ev, cv.catalogue(contact_form="macro"))
    assert wholesale.loc["b", ["micro", "macro"]].tolist() == [1, 1]
    only = cv.count(ev, leads=pd.DataFrame({"visitor_id": ["a", "z"]}))
    assert only.index.tolist() == ["a", "z"]
    assert only["conversions"].tolist() == [2, 0]
    assert len(ev) == 7  # input not mutated


# ----------------------------------------------------------------- rate
def test_rate_repr_and_fields():
    r = cv.rate(10, 100)
    assert repr(r) == "Rate(10.0% (10 of 100, 95% CI 5.5%-17.4%))"
    assert str(r) == "10.0% (10 of 100, 95% CI 5.5%-17.4%)"
    assert r.percent == pytest.approx(10.0)
    with pytest.raises(AttributeError):
        r.value = 0.2  # frozen


@given(counts, st.sampled_from([0.8, 0.9, 0.95, 0.99]))
@settings(max_examples=150, deadline=None)
def test_rate_matches_statsmodels(xn, conf):
    x, n = xn
    for method, sm in (("wilson", "wilson"), ("clopper-pearson", "beta"), ("jeffreys", "jeffreys")):
        r = cv.rate(x, n, conf, method)
        low, high = proportion_confint(x, n, alpha=1 - conf, method=sm)
        if method == "jeffreys":  # the documented fix at the edges
            low, high = (0.0 if x == 0 else low), (1.0 if x == n else high)
        assert abs(r.low - low) < 1e-12 and abs(r.high - high) < 1e-12
        assert 0 <= r.low <= r.value <= r.high <= 1


@given(st.integers(1, 50), st.integers(1, 9))
@settings(max_examples=60, deadline=None)
def test_interval_narrows_as_n_grows(k, numer):
    # fixed proportion numer/10, n = 10k vs 40k
    small = cv.rate(numer * k, 10 * k)
    big = cv.rate(numer * 4 * k, 40 * k)
    assert big.width < small.width


def test_rate_edges_inside_unit_interval():
    for r in (cv.rate(0, 7), cv.rate(7, 7), cv.rate(0, 1), cv.rate(1, 1)):
        assert 0.0 <= r.low <= r.value <= r.high <= 1.0
    assert cv.rate(0, 7).low == 0.0 and cv.rate(7, 7).high == 1.0


METHODS = ("wilson", "clopper-pearson", "jeffreys")


@given(
    st.integers(min_value=1, max_value=10**300).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    ),
    st.sampled_from(METHODS),
    st.sampled_from([0.8, 0.95, 0.99]),
)
@settings(max_examples=300, deadline=None)
def test_rate_interval_holds_the_estimate_at_any_count(xn, method, conf):
    # issue 14: past float64's limits (~1e16 for the beta quantiles, ~1e154 for Wilson's
    # n**2) the interval used to miss the estimate or be nan
    x, n = xn
    r = cv.rate(x, n, conf, method)
    assert (r.conversions, r.denominator) == (x, n)  # counts kept exactly, never rounded
    assert 0.0 <= r.low <= r.value <= r.high <= 1.0


@pytest.mark.parametrize("method", METHODS)
def test_interval_at_float64_limits_regression(method):
    n = np.array([10**16, 10**18, 10**154, 3 * 10**154, 10**200, 10**300], dtype="float64")
    for x in (np.ones_like(n), np.floor(n / 3), n - 2**60):
        x = np.clip(x, 0, n)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no overflow warnings reach the learner
            low, high = cv.interval(x, n, 0.95, method)
        est = x / n
        assert not np.isnan(low).any() and not np.isnan(high).any()
        assert (low <= est).all() and (est <= high).all(), (method, low - est, high - est)
    r = cv.rate(10**154 // 3, 10**154, method=method)
    assert r.low <= r.value <= r.high and r.value == pytest.approx(1 / 3)
    assert r.conversions == 10**154 // 3


@pytest.mark.parametrize(("method", "sm"), [("wilson", "wilson"), ("clopper-pearson", "beta"),
                                             ("jeffreys", "jeffreys")])
def test_interval_vectorised_is_statsmodels_with_exact_edges(method, sm):
    n = np.repeat(np.arange(1, 60), 60)
    x = np.tile(np.arange(60), 59)
    x, n = x[x <= n], n[x <= n]
    low, high = cv.interval(x, n, 0.9, method)
    sm_low, sm_high = proportion_confint(x, n, alpha=0.1, method=sm)
    sm_low, sm_high = np.where(x == 0, 0.0, sm_low), np.where(x == n, 1.0, sm_high)
    np.testing.assert_allclose(low, sm_low, rtol=0, atol=1e-15)
    np.testing.assert_allclose(high, sm_high, rtol=0, atol=1e-15)
    # the documented edge rule: exactly 0 at no conversions, exactly 1 at all
    assert (low[x == 0] == 0.0).all() and (high[x == n] == 1.0).all()
    assert cv.interval(3, 10, 0.9, method)[0].shape == ()  # scalars in, 0-d arrays out


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        ((0, 0), {}, ValueError, "nothing to divide by"),
        ((12, 10), {}, ValueError, r"conversions \(12\) is larger than denominator \(10\); did you count events"),
        ((-1, 10), {}, ValueError, "negative"),
        ((1.5, 10), {}, ValueError, "whole number"),
        ((1, 10), {"confidence": 95}, ValueError, "between 0 and 1"),
        ((1, 10), {"confidence": 0}, ValueError, "between 0 and 1"),
        ((1, 10), {"method": "wald"}, ValueError, "unknown interval method"),
        (("a", 10), {}, TypeError, "count"),
        ((True, 10), {}, TypeError, "boolean"),
    ],
)
def test_rate_bad_input(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        cv.rate(*args, **kwargs)


# ----------------------------------------------------------------- rate_table
def _frame(seed=0, n=5000):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "session_id": np.arange(n),
        "channel": rng.choice(["email", "social", "direct", "referral"], n),
        "device": rng.choice(["mobile", "desktop"], n),
        "converted": rng.random(n) < 0.07,
    })


def test_rate_table_counts_by_hand_and_total_is_sum():
    f = _frame()
    t = cv.rate_table(f, "channel")
    assert list(t.columns) == ["channel", "conversions", "sessions", "rate", "low", "high"]
    body, total = t.iloc[:-1], t.iloc[-1]
    for _, row in body.iterrows():
        sub = f[f.channel == row.channel]
        assert row.conversions == sub.converted.sum() and row.sessions == len(sub)
    assert total.channel == "Total"
    assert total.conversions == body.conversions.sum() == f.converted.sum()
    assert total.sessions == body.sessions.sum() == len(f)
    assert total.rate == pytest.approx(f.converted.mean())
    low, high = proportion_confint(t.conversions, t.sessions, method="wilson")
    np.testing.assert_allclose(t.low, low, atol=1e-12)
    np.testing.assert_allclose(t.high, high, atol=1e-12)
    cp = cv.rate_table(f, ["channel", "device"], method="clopper-pearson", unit="visits")
    low, high = proportion_confint(cp.conversions, cp.visits, method="beta")
    np.testing.assert_allclose(cp.low, low, atol=1e-12)
    np.testing.assert_allclose(cp.high, high, atol=1e-12)


@given(st.lists(st.tuples(st.sampled_from("abc"), st.booleans()), min_size=1, max_size=80))
@settings(max_examples=80, deadline=None)
def test_rate_table_total_equals_sum_property(rows):
    f = pd.DataFrame(rows, columns=["g", "converted"])
    t = cv.rate_table(f, "g")
    assert t.iloc[-1].conversions == t.iloc[:-1].conversions.sum()
    assert t.iloc[-1].rows == t.iloc[:-1].rows.sum() == len(f)
    assert ((t.low <= t.rate) & (t.rate <= t.high)).all()


def test_rate_table_unit_inference_and_errors():
    f = pd.DataFrame({"lead_id": ["L1", "L2"], "visitor_id": ["a", "b"], "g": ["x", "x"], "converted": [1, 0]})
    assert "leads" in cv.rate_table(f, "g").columns
    assert "visitors" in cv.rate_table(f.drop(columns="lead_id"), "g").columns
    with pytest.raises(ValueError, match="did you count events"):
        cv.rate_table(f.assign(converted=[2, 0]), "g")
    with pytest.raises(KeyError, match="rate_table\\(\\): frame has no column 'channel'"):
        cv.rate_table(f, "channel")
    with pytest.raises(ValueError, match="empty"):
        cv.rate_table(f.iloc[:0], "g")
    before = f.copy()
    cv.rate_table(f, "g")
    pd.testing.assert_frame_equal(f, before)


# ----------------------------------------------------------------- funnel
def _events():
    t = pd.Timestamp("2024-05-01", tz="UTC")
    rows = [
        ("a", "page_view", 0), ("a", "add_to_cart", 5), ("a", "purchase", 9),
        ("b", "page_view", 0), ("b", "purchase", 3),            # skips the cart
        ("c", "add_to_cart", 1), ("c", "page_view", 4),          # cart before page view
        ("d", "page_view", 2), ("d", "add_to_cart", 3),
        ("e", "purchase", 1),
    ]
    return pd.DataFrame({"visitor_id": [r[0] for r in rows], "event_name": [r[1] for r in rows],
                         "timestamp": [t + pd.Timedelta(minutes=r[2]) for r in rows]})


def test_funnel_ordered_by_hand():
    f = cv.funnel(_events(), ["page_view", "add_to_cart", "purchase"])
    # page_view: a b c d; cart after page view: a d (c's cart came first); purchase after cart: a
    assert f.people.tolist() == [4, 2, 1]
    assert f.step_rate.tolist() == pytest.approx([1.0, 0.5, 0.5])
    assert f.overall_rate.tolist() == pytest.approx([1.0, 0.5, 0.25])
    assert f.drop_off.tolist() == [0, 2, 1]
    unordered = cv.funnel(_events(), ["page_view", "add_to_cart", "purchase"], ordered=False)
    assert unordered.people.tolist() == [4, 3, 1]


@given(st.lists(st.tuples(st.integers(0, 15), st.sampled_from(["v", "c", "p", "x"]), st.integers(0, 100)),
                min_size=1, max_size=120), st.booleans())
@settings(max_examples=100, deadline=None)
def test_funnel_never_increases(rows, ordered):
    ev = pd.DataFrame(rows, columns=["visitor_id", "event_name", "timestamp"])
    f = cv.funnel(ev, ["v", "c", "p"], ordered=ordered)
    assert (np.diff(f.people) <= 0).all()
    assert f.people.iloc[0] == ev.loc[ev.event_name == "v", "visitor_id"].nunique()


def test_funnel_errors():
    with pytest.raises(KeyError, match="funnel\\(\\): events has no column 'timestamp'"):
        cv.funnel(_events().drop(columns="timestamp"), ["page_view"])
    with pytest.raises(ValueError, match="repeat"):
        cv.funnel(_events(), ["page_view", "page_view"])
    with pytest.raises(TypeError, match="list of step names"):
        cv.funnel(_events(), "page_view")


# ----------------------------------------------------------------- compare
def test_compare_matches_statsmodels():
    a, b = cv.rate(130, 1000), cv.rate(95, 1000)
    c = cv.compare(a, b)
    low, high = confint_proportions_2indep(130, 1000, 95, 1000, method="newcomb", compare="diff")
    rl, rh = confint_proportions_2indep(130, 1000, 95, 1000, method="log", compare="ratio")
    _, p = proportions_ztest([130, 95], [1000, 1000])
    assert c.difference == pytest.approx(0.035)
    assert abs(c.difference_low - low) < 1e-12 and abs(c.difference_high - high) < 1e-12
    assert abs(c.ratio_low - rl) < 1e-12 and abs(c.ratio_high - rh) < 1e-12
    assert c.p_value == pytest.approx(p, abs=1e-12)
    assert c.significant and c.verdict.startswith("A's rate is higher than B's by 3.5 points")
    flipped = cv.compare(b, a, names=("Old page", "New page"))
    assert flipped.verdict.startswith("New page's rate is higher than Old page's by 3.5 points")
    assert "Comparison(" in repr(c)


def test_compare_does_not_overclaim_and_handles_zeros():
    c = cv.compare(cv.rate(5, 50), cv.rate(6, 50))
    assert not c.significant and c.verdict.startswith("We cannot tell these apart")
    z = cv.compare(cv.rate(0, 40), cv.rate(0, 40))
    assert z.p_value == 1.0 and not z.significant and np.isnan(z.ratio)
    with pytest.raises(TypeError, match="compare\\(\\): a must be a Rate"):
        cv.compare(0.1, cv.rate(1, 10))


def test_tiny_p_value_reads_p_less_than():
    from helpers import conversions as conv

    result = conv.compare(conv.rate(300, 1000), conv.rate(100, 1000))
    assert "p < 0.001" in result.verdict and "p = <" not in result.verdict
    assert "p < 0.001" in repr(result)
    assert "p = 0.03" in conv._fmt_p(0.0312) or conv._fmt_p(0.0312) == "p = 0.03"


@pytest.mark.parametrize("with_missing", [False, True])
def test_rate_table_on_a_categorical_equals_the_groupby_path(with_missing):
    """The one-pass categorical path gives exactly the table the generic groupby gives."""
    import numpy as np
    import pandas as pd

    from helpers import conversions as conv

    rng = np.random.default_rng(3)
    channel = rng.choice(["email", "social", "direct", "paid_search"], 5000).astype(object)
    if with_missing:
        channel[rng.random(5000) < 0.05] = None
    frame = pd.DataFrame({"channel": channel, "converted": rng.random(5000) < 0.1})
    cat = frame.assign(channel=pd.Categorical(frame["channel"], categories=["organic_search", "social", "email", "direct", "paid_search"]))
    fast = conv.rate_table(cat, "channel", unit="visitors")
    slow = conv.rate_table(frame.assign(channel=frame["channel"].astype("string")), "channel", unit="visitors")
    # the categorical path keeps category order and leaves out the unobserved category
    assert fast["channel"].astype(object).where(fast["channel"].notna(), None).tolist()[:-1] == [
        c for c in ["social", "email", "direct", "paid_search"]
    ] + ([None] if with_missing else [])
    key = lambda t: t.assign(channel=t["channel"].astype(object).where(t["channel"].notna(), "<NA>")).set_index("channel").sort_index()  # noqa: E731
    pd.testing.assert_frame_equal(key(fast), key(slow), check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("ordered", [True, False])
def test_funnel_with_categorical_columns_equals_the_string_path(ordered):
    import numpy as np
    import pandas as pd

    from helpers import conversions as conv

    rng = np.random.default_rng(7)
    n = 4000
    ev = pd.DataFrame({
        "visitor_id": rng.choice([f"v{i}" for i in range(300)], n),
        "event_name": rng.choice(["page_view", "add_to_cart", "purchase", "blog_comment"], n, p=[0.7, 0.15, 0.1, 0.05]),
        "timestamp": pd.Timestamp("2025-02-03", tz="UTC") + pd.to_timedelta(rng.integers(0, 10**6, n), unit="s"),
    })
    steps = ["page_view", "add_to_cart", "purchase"]
    plain = conv.funnel(ev, steps, ordered=ordered)
    cat = ev.assign(
        visitor_id=ev["visitor_id"].astype("category"),
        event_name=pd.Categorical(ev["event_name"], categories=["purchase", "newsletter_signup", "page_view", "add_to_cart", "blog_comment"]),
    )
    pd.testing.assert_frame_equal(conv.funnel(cat, steps, ordered=ordered), plain)
    # unused categories (visitors without any step) do not count as people
    extra = cat.assign(visitor_id=cat["visitor_id"].cat.add_categories(["ghost"]))
    pd.testing.assert_frame_equal(conv.funnel(extra, steps, ordered=ordered), plain)


# ----------------------------------------------------------------- sample size
def _textbook_sample_size(baseline, target, alpha, power):
    """The two-proportion formula written out (as lesson 07's visitors_per_version has it)."""
    from scipy.stats import norm

    z_a, z_b = norm.ppf(1 - alpha / 2), norm.ppf(power)
    mean = (baseline + target) / 2
    spread = z_a * np.sqrt(2 * mean * (1 - mean)) + z_b * np.sqrt(
        baseline * (1 - baseline) + target * (1 - target)
    )
    return int(np.ceil(spread**2 / (target - baseline) ** 2))


def test_sample_size_per_version_matches_the_textbook_formula_on_a_grid():
    checked = 0
    for baseline in np.round(np.arange(0.01, 0.99, 0.01), 2):
        for lift in (-0.5, -0.1, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0):
            target = baseline * (1 + lift)
            if not 0 < target < 1:
                continue
            for alpha, power in ((0.05, 0.8), (0.1, 0.9), (0.01, 0.8)):
                expected = _textbook_sample_size(baseline, target, alpha, power)
                got = experiments.sample_size_per_version(float(baseline), lift, alpha=alpha, power=power)
                assert got == expected, (baseline, lift, alpha, power)
                # the same change given as a difference in shares
                same = experiments.sample_size_per_version(
                    float(baseline), target - baseline, alpha=alpha, power=power, relative=False
                )
                assert same == expected, (baseline, lift, alpha, power)
                checked += 1
    assert checked > 1500
    assert experiments.sample_size_per_version(0.10, 0.2) == 3841  # lesson 07's figure


@given(st.floats(0.01, 0.5), st.floats(0.05, 0.9))
@settings(max_examples=80, deadline=None)
def test_sample_size_grows_with_power_and_shrinks_with_lift(baseline, lift):
    n = experiments.sample_size_per_version(baseline, lift)
    assert isinstance(n, int) and n >= 1
    assert experiments.sample_size_per_version(baseline, lift, power=0.9) >= n
    assert experiments.sample_size_per_version(baseline, lift, alpha=0.01) >= n
    if baseline * (1 + 2 * lift) < 1:
        assert experiments.sample_size_per_version(baseline, 2 * lift) <= n


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        ((0, 0.2), {}, ValueError, r"sample_size_per_version\(\): baseline must be between 0 and 1"),
        ((1, 0.2), {}, ValueError, "baseline must be between 0 and 1"),
        ((10, 0.2), {}, ValueError, "use 0.1 for 10%"),
        ((0.1, 0), {}, ValueError, "not 0"),
        ((0.6, 1.0), {}, ValueError, r"relative lift of 1.0 on a baseline of 0.6 gives 1.2"),
        ((0.1, -0.2), {"relative": False}, ValueError, "difference of -0.2"),
        ((0.1, 0.2), {"alpha": 5}, ValueError, "alpha must be between 0 and 1"),
        ((0.1, 0.2), {"power": 80}, ValueError, "use 0.8 for 80%"),
        (("0.1", 0.2), {}, TypeError, "baseline must be a number"),
        ((0.1, "20%"), {}, TypeError, "lift must be a number"),
        ((True, 0.2), {}, TypeError, "baseline must be a number"),
        ((0.1, 0.2), {"relative": "yes"}, TypeError, "relative must be True or False"),
        ((float("nan"), 0.2), {}, ValueError, "baseline must be between 0 and 1"),
    ],
)
def test_sample_size_bad_input(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        experiments.sample_size_per_version(*args, **kwargs)


# ----------------------------------------------------------------- mutants that survived (issue 14)
# Each test below fails on one mutant the mutation run found alive (tests/MUTATION.md).


@pytest.mark.parametrize("n", [1, 10, 1000])
def test_rate_refuses_one_conversion_more_than_the_denominator(n):
    # mutant: `x > n` -> `x > n + 1` (the old bad-input case was 12 of 10, two more)
    with pytest.raises(ValueError, match=rf"conversions \({n + 1}\) is larger than denominator \({n}\)"):
        cv.rate(n + 1, n)
    assert cv.rate(n, n).value == 1.0


def test_funnel_counts_steps_at_the_same_second():
    # mutant: `first[:, j - 1] <= first[:, j]` -> `<`: a form and its page view logged in the
    # same second still pass, in order; a step logged *before* the previous one does not
    t = pd.Timestamp("2025-03-03 10:00:00", tz="UTC")
    ev = pd.DataFrame({
        "visitor_id": ["tie", "tie", "tie", "late", "late", "early", "early"],
        "event_name": ["page_view", "add_to_cart", "purchase", "page_view", "add_to_cart",
                       "page_view", "add_to_cart"],
        "timestamp": [t, t, t, t, t + pd.Timedelta(seconds=1), t + pd.Timedelta(seconds=1), t],
    })
    f = cv.funnel(ev, ["page_view", "add_to_cart", "purchase"])
    assert f.people.tolist() == [3, 2, 1]  # cart: tie and late; purchase: tie


def test_compare_p_value_uses_each_rate_with_its_own_denominator():
    # mutant: proportions_ztest([x1, x2], [n2, n1]); equal denominators cannot see it
    a, b = cv.rate(12, 100), cv.rate(60, 1000)
    c = cv.compare(a, b)
    _, p = proportions_ztest([12, 60], [100, 1000])  # 0.021
    _, swapped = proportions_ztest([12, 60], [1000, 100])  # ~1e-113
    assert abs(p - swapped) > 0.01
    assert c.p_value == pytest.approx(p, abs=1e-12)
    assert cv.compare(b, a).p_value == pytest.approx(p, abs=1e-12)


@pytest.mark.parametrize(
    ("a", "b", "p_says", "interval_says"),
    [
        ((4, 40), (0, 40), "different", "zero inside"),  # p = 0.040, CI -0.6 to 23.1 points
        ((19, 40), (17, 60), "same", "zero outside"),  # p = 0.050, CI +0.02 to 37.1 points
    ],
)
def test_compare_calls_a_difference_clear_only_when_test_and_interval_agree(
    a, b, p_says, interval_says
):
    # mutant: `p_value < alpha and (...)` -> `or`, in the verdict and in `significant`
    c = cv.compare(cv.rate(*a), cv.rate(*b))
    assert (c.p_value < 0.05) == (p_says == "different")
    assert (c.difference_low > 0 or c.difference_high < 0) == (interval_says == "zero outside")
    assert not c.significant
    assert c.verdict.startswith("Borderline:") and "the test and the interval disagree" in c.verdict
    assert "higher than" not in c.verdict


# ----------------------------------------------------------------- more survivors of `make mutate`
def test_rate_keeps_its_method_unit_and_confidence_and_reads_whole_floats():
    r = cv.rate(3, 10, 0.9, "beta", unit="leads")
    assert (r.method, r.unit, r.confidence) == ("clopper-pearson", "leads", 0.9)
    assert "3 of 10 leads, 90% CI" in str(r)
    assert cv.rate(2.0, 10.0).conversions == 2 and cv.rate(0.0, 10).value == 0.0
    for bad in (float("inf"), float("nan")):
        with pytest.raises(ValueError, match="whole number"):
            cv.rate(bad, 10)
    with pytest.raises(ValueError, match=r"between 0 and 1, got 1\b"):
        cv.rate(1, 10, confidence=1)
    with pytest.raises(ValueError, match=r"use 0.95 for 95%"):
        cv.rate(1, 10, confidence=95)


def test_compare_ratio_and_the_all_or_nothing_p_value():
    c = cv.compare(cv.rate(130, 1000), cv.rate(95, 1000))
    assert c.ratio == pytest.approx(0.13 / 0.095)
    one = cv.compare(cv.rate(1, 100), cv.rate(1, 50))  # one conversion each: a ratio exists
    assert one.ratio == pytest.approx(0.5) and not np.isnan(one.ratio_low)
    none_a = cv.compare(cv.rate(0, 100), cv.rate(5, 100))
    assert none_a.ratio == 0.0 and np.isnan(none_a.ratio_low)
    everyone = cv.compare(cv.rate(40, 40), cv.rate(30, 30))  # pooled rate 1: nothing to test
    assert everyone.p_value == 1.0 and not everyone.significant


def test_compare_verdict_for_b_higher_mirrors_a_higher():
    a, b = cv.rate(130, 1000), cv.rate(95, 1000)
    ab, ba = cv.compare(a, b, names=("X", "Y")), cv.compare(b, a, names=("Y", "X"))
    assert ab.verdict == ba.verdict  # same sentence, whichever order the rates come in


def test_funnel_rates_with_one_person_and_with_nobody():
    t = pd.Timestamp("2025-03-03 10:00", tz="UTC")
    ev = pd.DataFrame({"visitor_id": ["a", "a"], "event_name": ["v", "p"],
                       "timestamp": [t, t + pd.Timedelta(minutes=1)]})
    one = cv.funnel(ev, ["v", "p"])
    assert one.step_rate.tolist() == [1.0, 1.0] and one.overall_rate.tolist() == [1.0, 1.0]
    assert (one.drop_off_share == 1.0 - one.step_rate).all()
    nobody = cv.funnel(ev, ["x", "v"])
    assert nobody.people.tolist() == [0, 0]
    assert nobody.step_rate.isna().all() and nobody.overall_rate.isna().all()
    assert cv.funnel(ev.assign(timestamp=["2025-03-03T10:00:00Z", "2025-03-03T10:01:00Z"]),
                     ["v", "p"]).people.tolist() == [1, 1]  # ISO text times are read as times


def test_count_by_event_and_its_index():
    ev = pd.DataFrame({"visitor_id": ["a", "a", "b"],
                       "event_name": ["purchase", "guide_download", "page_view"]})
    plain = cv.count(ev)
    assert list(plain.columns) == ["micro", "macro", "conversions"]
    assert plain.index.name == "visitor_id" and plain.columns.name is None
    wide = cv.count(ev, by_event=True)
    assert list(wide.columns) == ["micro", "macro", "conversions", *cv.CATALOGUE]
    assert wide.loc["a", "purchase"] == 1 and wide.loc["a", "guide_download"] == 1
    assert wide.loc["b"].sum() == 0
    only = cv.count(ev, leads=pd.DataFrame({"visitor_id": ["b"]}))
    assert only.index.name == "visitor_id" and only.index.tolist() == ["b"]


# ------------------------------------------------- count(..., leads=): from the lead's moment


def _timed_events() -> pd.DataFrame:
    t = pd.to_datetime(["2025-02-01 09:00", "2025-02-03 10:00", "2025-02-03 10:00",
                        "2025-02-05 12:00", "2025-02-02 08:00", "2025-02-04 08:00"], utc=True)
    return pd.DataFrame({
        "visitor_id": ["a", "a", "a", "a", "b", "c"],
        "event_name": ["blog_comment", "newsletter_signup", "page_view", "purchase",
                       "social_follow", "guide_download"],
        "timestamp": t,
    })


def _timed_leads(column: str = "first_at") -> pd.DataFrame:
    return pd.DataFrame({
        "visitor_id": ["a", "b", None],
        column: pd.to_datetime(["2025-02-03 10:00", "2025-02-03 00:00", "2025-02-01 00:00"], utc=True),
    })


@pytest.mark.parametrize("column", ["first_at", "created_at"])
def test_count_keeps_a_leads_events_from_its_creation_on(column):
    """a's comment came before a became a lead (left out), the sign-up at that moment and
    the purchase after count; b's follow came before b's creation; c is no lead."""
    got = cv.count(_timed_events(), leads=_timed_leads(column), by_event=True)
    expected = pd.DataFrame(
        {"micro": [1, 0], "macro": [1, 0], "conversions": [2, 0],
         **{e: [int(e in ("newsletter_signup", "purchase")), 0] for e in cv.CATALOGUE}},
        index=pd.Index(["a", "b"], name="visitor_id"),
    ).astype("int64")
    pd.testing.assert_frame_equal(got, expected, check_index_type=False)


def test_count_prefers_first_at_to_created_at():
    leads = _timed_leads("first_at").assign(
        created_at=pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-01"], utc=True))
    got = cv.count(_timed_events(), leads=leads)
    assert got.loc["a", "micro"] == 1 and got.loc["b", "micro"] == 0  # first_at decided


def test_count_with_since_none_counts_every_event_of_a_lead():
    got = cv.count(_timed_events(), leads=_timed_leads(), since=None)
    assert got.loc["a"].tolist() == [2, 1, 3] and got.loc["b"].tolist() == [1, 0, 1]


def test_count_without_event_times_counts_every_event_of_a_lead():
    got = cv.count(_timed_events().drop(columns="timestamp"), leads=_timed_leads())
    assert got.loc["a"].tolist() == [2, 1, 3]


def test_count_keeps_an_event_when_the_lead_has_no_creation_time():
    leads = _timed_leads().assign(first_at=lambda t: t["first_at"].where(t["visitor_id"].ne("a")))
    got = cv.count(_timed_events(), leads=leads)
    assert got.loc["a"].tolist() == [2, 1, 3]  # no moment known: nothing is before it
    assert got.loc["b"].tolist() == [0, 0, 0]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: cv.count(_timed_events(), leads=_timed_leads(), since="made_at"),
         KeyError,
         "count(): leads has no column 'made_at'. It has: visitor_id, first_at. Rename it or "
         "pass the right column name."),
        (lambda: cv.count(_timed_events().drop(columns="timestamp"),
                                   leads=_timed_leads(), since="first_at"),
         KeyError,
         "count(): events has no column 'timestamp'. It has: visitor_id, event_name. Pass "
         "time= with your events' time column."),
        (lambda: cv.count(_timed_events(), leads=pd.DataFrame({"lead_id": ["L1"]})),
         KeyError,
         "count(): leads has no column 'visitor_id'. It has: lead_id. Rename it or pass the "
         "right column name."),
        (lambda: cv.count(_timed_events(), leads=[1]),
         TypeError, "count(): leads must be a pandas DataFrame, got list."),
    ],
)
def test_count_leads_errors_in_full(call, error, message):
    with pytest.raises(error) as caught:
        call()
    assert caught.value.args[0] == message


def test_count_refuses_naive_creation_and_event_times():
    naive_leads = _timed_leads().assign(first_at=lambda t: t["first_at"].dt.tz_localize(None))
    with pytest.raises(ValueError, match=r"^count\(\): leads\['first_at'\] has times without a time zone"):
        cv.count(_timed_events(), leads=naive_leads)
    naive_events = _timed_events().assign(timestamp=lambda t: t["timestamp"].dt.tz_localize(None))
    with pytest.raises(ValueError, match=r"^count\(\): events\['timestamp'\] has times without a time zone"):
        cv.count(naive_events, leads=_timed_leads())
