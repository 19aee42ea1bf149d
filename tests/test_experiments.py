"""conversions.peeking: the false alarms of stopping a test at the first p < 0.05."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.proportion import proportions_ztest

from helpers import conversions


def test_vectorised_z_test_equals_statsmodels():
    rng = np.random.default_rng(3)
    n1, n2 = rng.integers(50, 5000, 40), rng.integers(50, 5000, 40)
    x1, x2 = rng.binomial(n1, 0.1), rng.binomial(n2, 0.12)
    ours = conversions._z_test_p(x1, n1, x2, n2)
    theirs = [proportions_ztest([a, b], [m, n])[1] for a, b, m, n in zip(x1, x2, n1, n2, strict=True)]
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)
    assert conversions._z_test_p(np.array([0]), np.array([10]), np.array([0]), np.array([10]))[0] == 1


def test_one_look_keeps_the_promised_false_alarm_rate():
    result = conversions.peeking(looks=1, people_per_look=2000, simulations=8000, seed=1)
    assert result.false_alarm_rate == result.single_look_rate
    assert 0.04 < result.false_alarm_rate < 0.06  # alpha = 0.05, 8,000 tests: +-0.5 points


def test_every_extra_look_adds_false_alarms():
    rates = [conversions.peeking(looks=k, simulations=4000, seed=2).false_alarm_rate
             for k in (1, 5, 20)]
    assert rates[0] < rates[1] < rates[2]
    assert rates[2] > 0.2, "20 looks: a quarter of identical tests 'win'"


def test_peeking_result_reads_and_repeats():
    a = conversions.peeking(looks=10, seed=5)
    assert a == conversions.peeking(looks=10, seed=5)
    assert a.value == a.false_alarm_rate
    assert a.headline.startswith("Checked 10 times and stopped at the first p < 0.05, ")
    assert f"{a.false_alarm_rate:.0%} of tests" in a.headline


@pytest.mark.parametrize("kwargs", [{"looks": 0}, {"people_per_look": 1.5}, {"baseline": 1},
                                    {"alpha": 0}, {"simulations": True}])
def test_peeking_rejects_impossible_settings(kwargs):
    with pytest.raises(ValueError, match="peeking"):
        conversions.peeking(**kwargs)
