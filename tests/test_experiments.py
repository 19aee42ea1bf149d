"""experiments.peeking: the false alarms of stopping a test at the first p < 0.05."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.proportion import proportions_ztest

from helpers import experiments, lag


def test_vectorised_z_test_equals_statsmodels():
    rng = np.random.default_rng(3)
    n1, n2 = rng.integers(50, 5000, 40), rng.integers(50, 5000, 40)
    x1, x2 = rng.binomial(n1, 0.1), rng.binomial(n2, 0.12)
    ours = experiments._z_test_p(x1, n1, x2, n2)
    theirs = [proportions_ztest([a, b], [m, n])[1] for a, b, m, n in zip(x1, x2, n1, n2, strict=True)]
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)
    assert experiments._z_test_p(np.array([0]), np.array([10]), np.array([0]), np.array([10]))[0] == 1


def test_one_look_keeps_the_promised_false_alarm_rate():
    result = experiments.peeking(looks=1, people_per_look=2000, simulations=8000, seed=1)
    assert result.false_alarm_rate == result.single_look_rate
    assert 0.04 < result.false_alarm_rate < 0.06  # alpha = 0.05, 8,000 tests: +-0.5 points


def test_every_extra_look_adds_false_alarms():
    rates = [experiments.peeking(looks=k, simulations=4000, seed=2).false_alarm_rate
             for k in (1, 5, 20)]
    assert rates[0] < rates[1] < rates[2]
    assert rates[2] > 0.2, "20 looks: a quarter of identical tests 'win'"


def test_peeking_result_reads_and_repeats():
    a = experiments.peeking(looks=10, seed=5)
    assert a == experiments.peeking(looks=10, seed=5)
    assert a.value == a.false_alarm_rate
    assert a.headline.startswith("Checked 10 times and stopped at the first p < 0.05, ")
    assert f"{a.false_alarm_rate:.0%} of tests" in a.headline


@pytest.mark.parametrize("kwargs", [{"looks": 0}, {"people_per_look": 1.5}, {"baseline": 1},
                                    {"alpha": 0}, {"simulations": True}])
def test_peeking_rejects_impossible_settings(kwargs):
    with pytest.raises(ValueError, match="peeking"):
        experiments.peeking(**kwargs)


# --------------------------------------------------------------------------- conversion lag
import pandas as pd  # noqa: E402


def lag_leads():
    created = pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05",
                              "2025-01-06", "2024-12-01"], utc=True)
    bought = pd.to_datetime(["2025-01-02", "2025-01-06", "2025-01-20", "2025-02-20", None,
                             "2025-01-05"], utc=True)
    return pd.DataFrame({"created_at": created, "became_customer_at": bought})


def test_a_lead_created_by_a_purchase_is_not_a_lead_who_went_on_to_buy():
    assert lag.bought_at_creation(lag_leads()).tolist() == [True] + [False] * 5


def test_conversion_lag_counts_only_what_is_known_at_each_reading():
    table = lag.conversion_lag(lag_leads(), "2025-01-01", "2025-01-10",
                                       weeks=(0, 2, 8))
    # leads 2-5 are in the window (lead 1 bought at creation, lead 6 is older)
    assert table["leads"].tolist() == [4, 4, 4]
    assert table["customers"].tolist() == [1, 2, 3]
    assert table["rate"].is_monotonic_increasing
    assert (table["low"] <= table["rate"]).all() and (table["rate"] <= table["high"]).all()


def test_lag_curve_reaches_everyone_who_bought():
    curve = lag.lag_curve(lag_leads(), days=60)
    assert curve["share"].iloc[0] == 0 and curve["share"].iloc[-1] == 1
    assert curve["share"].is_monotonic_increasing
    assert curve.set_index("days").at[3, "share"] == pytest.approx(1 / 4)  # lead 2 after 3 days


def test_conversion_lag_names_missing_columns_and_bad_windows():
    with pytest.raises(KeyError, match="conversion_lag"):
        lag.conversion_lag(lag_leads().drop(columns="became_customer_at"), "2025-01-01",
                                   "2025-01-10")
    with pytest.raises(ValueError, match="before start"):
        lag.conversion_lag(lag_leads(), "2025-02-01", "2025-01-10")
