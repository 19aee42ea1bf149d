"""Experiments: how many people an A/B test needs, and what peeking at it does.

- :func:`sample_size_per_version` (and :func:`visitors_per_version`, the same with a
  confidence instead of a significance level) sizes a two-version test before it starts,
  through statsmodels' two-sample proportion sample size;
- :func:`peeking` simulates A/A tests read after every batch of people and stopped at the
  first p < 0.05, to show how often a test "finds" a difference that is not there;
- :func:`rate_calculator` (lesson 05) gives a rate with its interval, and the same rate on
  10 and 100 times the data: what more data buys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import conversions
from .conversions import rate as _rate

__all__ = ["DEFAULT_LIFT", "RATE_METHODS", "RATE_SCALES", "Peeking", "RateCalculation",
           "minimum_detectable_effect", "peeking", "rate_calculator", "sample_size_per_version",
           "visitors_per_version"]
# --------------------------------------------------------------------------- experiments



def _z_test_p(x1: np.ndarray, n1: np.ndarray, x2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Two-sided pooled two-proportion z-test p-values, element-wise (as :func:`compare`).

    Equals ``statsmodels.stats.proportion.proportions_ztest([x1, x2], [n1, n2])[1]`` for each
    pair; 1.0 where the pooled rate is 0 or 1 (nothing can differ).
    """
    from scipy.stats import norm

    pooled = (x1 + x2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x1 / n1 - x2 / n2) / spread
    return np.where(spread > 0, 2 * norm.sf(np.abs(z)), 1.0)


@dataclass(frozen=True)
class Peeking:
    """What stopping an A/B test at the first "significant" look does. Build it with :func:`peeking`.

    Attributes
    ----------
    looks : int
        How many times the test was checked.
    people_per_look : int
        People added to *each* version between two looks.
    baseline : float
        The rate of both versions: they are identical, so every "difference" is a false alarm.
    alpha : float
        The significance level of each look.
    simulations : int
    false_alarm_rate : float
        Share of tests that showed p < alpha at one look or more (and so were stopped).
    single_look_rate : float
        Share that showed p < alpha at the last look alone: what a test that waits gets.
    headline : str
    """

    looks: int
    people_per_look: int
    baseline: float
    alpha: float
    simulations: int
    false_alarm_rate: float
    single_look_rate: float
    headline: str

    @property
    def value(self) -> float:
        """The false-alarm rate of stopping at the first p < alpha."""
        return self.false_alarm_rate

    def __str__(self) -> str:
        return self.headline


def peeking(
    looks: int = 10,
    people_per_look: int = 500,
    baseline: float = 0.05,
    *,
    alpha: float = 0.05,
    simulations: int = 2000,
    seed: int = 0,
) -> Peeking:
    """Simulate A/A tests checked ``looks`` times, stopped at the first p < ``alpha``.

    Both versions convert at ``baseline``: any "winner" is a false alarm. A test looked at once,
    at the end, raises one in ``1 / alpha`` times (5%); a test stopped at the first look below
    ``alpha`` raises far more, and more with every extra look. That is why a test's size is
    fixed before it starts (:func:`sample_size_per_version`, where available) and read once.

    Parameters
    ----------
    looks : int, default 10
        Checks during the test, evenly spaced.
    people_per_look : int, default 500
        People per version added between two checks.
    baseline : float, default 0.05
        The (identical) conversion rate of both versions.
    alpha : float, default 0.05
    simulations : int, default 2000
    seed : int, default 0
        Same seed, same result.

    Returns
    -------
    Peeking

    Examples
    --------
    >>> result = peeking(looks=10, simulations=4000)
    >>> result.single_look_rate < 0.07 < 0.15 < result.false_alarm_rate
    True
    >>> peeking(looks=1).false_alarm_rate == peeking(looks=1).single_look_rate
    True
    """
    func = "peeking"
    for name, value, low in (("looks", looks, 1), ("people_per_look", people_per_look, 1),
                             ("simulations", simulations, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{func}(): {name} must be a whole number of at least {low}, got {value!r}.")
    if not 0 < baseline < 1:
        raise ValueError(f"{func}(): baseline must be a rate between 0 and 1, got {baseline!r}.")
    if not 0 < alpha < 1:
        raise ValueError(f"{func}(): alpha must be between 0 and 1, e.g. 0.05, got {alpha!r}.")
    rng = np.random.default_rng(seed)
    new = rng.binomial(people_per_look, baseline, size=(simulations, looks, 2))
    converted = new.cumsum(axis=1)
    people = people_per_look * np.arange(1, looks + 1)
    p = _z_test_p(converted[..., 0], people, converted[..., 1], people)
    stopped = (p < alpha).any(axis=1)
    final = p[:, -1] < alpha
    rate_any, rate_final = float(stopped.mean()), float(final.mean())
    checked = "once" if looks == 1 else f"{looks} times"
    headline = (
        f"Checked {checked} and stopped at the first p < {alpha:g}, {rate_any:.0%} of tests "
        f"between two identical versions declared a winner; read once at the end, "
        f"{rate_final:.0%} did."
    )
    return Peeking(int(looks), int(people_per_look), float(baseline), float(alpha),
                   int(simulations), rate_any, rate_final, headline)


# --------------------------------------------------------------------------- sample size

# listed here, beside its function, so this block stays self-contained


def _share(func: str, name: str, value: Any) -> float:
    """A number strictly between 0 and 1, or a clear error (which spots a percentage)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{func}(): {name} must be a number such as 0.1, got {value!r}.")
    share = float(value)
    if not 0 < share < 1:
        hint = f" (a share, not a percentage: use {share / 100:g} for {share:g}%)" if 1 < share < 100 else ""
        raise ValueError(f"{func}(): {name} must be between 0 and 1 (not 0 or 1), got {value!r}{hint}.")
    return share


def sample_size_per_version(
    baseline: float,
    lift: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    relative: bool = True,
) -> int:
    """People each version of an A/B test needs to detect a change of ``lift`` from ``baseline``.

    Two versions of equal size, a two-sided two-proportion z-test at level ``alpha``, and the
    chance ``power`` of a clear result when the change is real. Plan the test's length from it
    *before* starting, and stop only when both versions have this many people (stopping the
    first time the p-value dips below ``alpha`` finds differences that are not there).

    Computed by statsmodels' :func:`~statsmodels.stats.proportion.samplesize_proportions_2indep_onetail`
    (the textbook formula: pooled variance under "no difference", each version's own under
    the change), rounded up. Cohen's arcsine effect size with ``NormalIndPower`` gives a
    slightly smaller answer (3,835 instead of 3,841 for 10% -> 12%).

    Parameters
    ----------
    baseline : float
        Today's conversion rate, a share strictly between 0 and 1 (0.1 for 10%).
    lift : float
        The change to detect. With ``relative=True`` a share of the baseline (0.2: 10% -> 12%;
        negative for a drop), else a difference in shares (0.02: 10% -> 12%). Not 0, and the
        new rate must stay strictly between 0 and 1.
    alpha : float, default 0.05
        Significance level of the test (``1 - confidence``).
    power : float, default 0.8
        Chance that the test detects a change of this size when there is one.
    relative : bool, default True
        Whether ``lift`` is relative to the baseline (True) or absolute (False).

    Returns
    -------
    int
        People per version (the whole test needs twice as many).

    Raises
    ------
    ValueError
        A baseline, alpha or power not strictly between 0 and 1 (a percentage such as 10
        instead of 0.1 says so), a lift of 0, or a new rate outside (0, 1).

    Examples
    --------
    >>> sample_size_per_version(0.10, 0.2)                   # 10% -> 12%
    3841
    >>> sample_size_per_version(0.10, 0.02, relative=False)  # the same change, in shares
    3841
    >>> sample_size_per_version(0.10, 0.5) < sample_size_per_version(0.10, 0.2)
    True
    >>> sample_size_per_version(0.10, 0.2, power=0.9)        # surer: more people
    5142
    >>> sample_size_per_version(10, 0.2)
    Traceback (most recent call last):
    ...
    ValueError: sample_size_per_version(): baseline must be between 0 and 1 (not 0 or 1), got 10 (a share, not a percentage: use 0.1 for 10%).
    """
    func = "sample_size_per_version"
    base = _share(func, "baseline", baseline)
    a = _share(func, "alpha", alpha)
    pw = _share(func, "power", power)
    if not isinstance(relative, bool | np.bool_):
        raise TypeError(f"{func}(): relative must be True or False, got {relative!r}.")
    if isinstance(lift, bool | np.bool_) or not isinstance(lift, int | float | np.integer | np.floating):
        raise TypeError(f"{func}(): lift must be a number such as 0.2, got {lift!r}.")
    change = float(lift)
    target = base * (1 + change) if relative else base + change
    if change == 0 or not 0 < target < 1:
        kind = "relative lift" if relative else "difference"
        raise ValueError(
            f"{func}(): a {kind} of {lift!r} on a baseline of {baseline!r} gives {target!r}; "
            "choose a change that is not 0 and keeps the new rate between 0 and 1."
        )
    from statsmodels.stats.proportion import samplesize_proportions_2indep_onetail

    # two versions of equal size (ratio=1) and a two-sided test: statsmodels' defaults
    n = samplesize_proportions_2indep_onetail(target - base, base, pw, alpha=a)
    return int(np.ceil(n))



# --------------------------------------------------------------------------- test size

#: The relative lift a test is sized to detect unless told otherwise: 0.2 means 10% -> 12%.
DEFAULT_LIFT = 0.2


def visitors_per_version(
    baseline: float, lift: float = DEFAULT_LIFT, *, confidence: float = 0.95, power: float = 0.8
) -> int:
    """People each version of an A/B test needs to detect a relative lift of ``lift``.

    :func:`sample_size_per_version` with the significance level written as a confidence
    (``alpha = 1 - confidence``): plan the test's length from it *before* starting, and stop
    only when both versions have this many people.

    Examples
    --------
    >>> visitors_per_version(0.10)          # 10% -> 12%
    3841
    >>> visitors_per_version(0.10, lift=0.5) < visitors_per_version(0.10, lift=0.2)
    True
    """
    if not 0 < confidence < 1:
        raise ValueError(
            f"visitors_per_version(): confidence must be between 0 and 1, got {confidence!r} "
            "(use 0.95 for 95%)."
        )
    return sample_size_per_version(baseline, lift, alpha=1 - confidence, power=power)


# --------------------------------------------------------------------------- detectable effect


def _people_needed(base: float, target: float, alpha: float, power: float) -> float:
    """People per version (not rounded) to detect base -> target: the formula of
    :func:`sample_size_per_version`."""
    from statsmodels.stats.proportion import samplesize_proportions_2indep_onetail

    return float(samplesize_proportions_2indep_onetail(
        target - base, base, power, ratio=1, alpha=alpha, alternative="two-sided"))


def minimum_detectable_effect(
    baseline: float, people_per_version: int, *, alpha: float = 0.05, power: float = 0.8
) -> float:
    """The smallest relative lift a test of this size detects with the chance ``power``.

    The **minimum detectable effect** (MDE) turns :func:`sample_size_per_version` around: given
    the people each version will get, how big must a real improvement be for the test to show
    it (p < ``alpha``) in ``power`` of the tests (80%: four times in five)? A smaller change
    can be real and still go unseen. Solved on the same statsmodels formula, so
    ``sample_size_per_version(baseline, minimum_detectable_effect(baseline, n))`` is ``n``
    (give or take the rounding up).

    Parameters
    ----------
    baseline : float
        Today's rate, strictly between 0 and 1.
    people_per_version : int
        People each version gets (at least 2).
    alpha, power : float
        As in :func:`sample_size_per_version`.

    Returns
    -------
    float
        The relative lift (0.2: 10% -> 12%).

    Raises
    ------
    ValueError
        When even a lift to a rate of almost 100% needs more people than that.

    Examples
    --------
    >>> round(minimum_detectable_effect(0.10, 3841), 3)     # sample_size_per_version(0.10, 0.2)
    0.2
    >>> minimum_detectable_effect(0.10, 1000) > minimum_detectable_effect(0.10, 10000)
    True
    """
    from scipy.optimize import brentq

    func = "minimum_detectable_effect"
    base = _share(func, "baseline", baseline)
    a = _share(func, "alpha", alpha)
    pw = _share(func, "power", power)
    if isinstance(people_per_version, bool) or not isinstance(people_per_version, int | np.integer) \
            or people_per_version < 2:
        raise ValueError(f"{func}(): people_per_version must be a whole number of at least 2, "
                         f"got {people_per_version!r}.")
    people = float(people_per_version)
    top = 1 - 1e-9
    if _people_needed(base, top, a, pw) > people:
        raise ValueError(
            f"{func}(): {people_per_version:,} people per version cannot detect any lift from "
            f"{base:.1%} with {pw:.0%} power. Fix: plan a bigger test, or a larger baseline."
        )
    target = brentq(lambda t: _people_needed(base, t, a, pw) - people, base * (1 + 1e-9) + 1e-12, top)
    return float(target / base - 1)


# --------------------------------------------------------------------------- rate calculator
# Lesson 05: how sure is a rate, and what more data buys (moved from conversions, which
# it grew past 1,500 lines; it sizes data, as the rest of this module does).

#: The interval methods the rate calculator offers (:func:`helpers.conversions.rate` accepts them).
RATE_METHODS: tuple[str, ...] = ("wilson", "clopper-pearson", "jeffreys")

#: How much more data the rate calculator compares your numbers with.
RATE_SCALES: tuple[int, ...] = (1, 10, 100)


@dataclass(frozen=True)
class RateCalculation:
    """A rate with its interval, and the same rate on 10 and 100 times the data.

    Built by :func:`rate_calculator`.

    Attributes
    ----------
    rate : helpers.conversions.Rate
        Your numbers.
    table : DataFrame
        One row per scale in :data:`RATE_SCALES`: ``data`` (a label), ``conversions``,
        ``denominator``, ``rate``, ``low``, ``high`` (shares) and ``width`` (``high - low``).
    """

    rate: conversions.Rate
    table: pd.DataFrame = field(compare=False)

    @property
    def headline(self) -> str:
        """The rate and its interval, as :meth:`helpers.conversions.Rate.format` says it."""
        return self.rate.format()

    @property
    def value(self) -> float:
        """The rate, rounded to 6 decimals."""
        return round(float(self.rate.value), 6)

    def __repr__(self) -> str:
        return f"RateCalculation({self.headline})"


def rate_calculator(
    conversions: int,
    denominator: int,
    method: str = "wilson",
    confidence: float = 0.95,
) -> RateCalculation:
    """A rate with its confidence interval, and the same rate on 10 and 100 times the data.

    The first row of the table is your numbers; the others keep the rate and multiply both
    counts, to show how much narrower the interval gets with more data (about sqrt(10) ~ 3
    times narrower for 10 times the data).

    Parameters
    ----------
    conversions : int
        How many converted (people, not events).
    denominator : int
        Out of how many (sessions, visitors or leads).
    method : {"wilson", "clopper-pearson", "jeffreys"}, default "wilson"
    confidence : float, default 0.95

    Returns
    -------
    RateCalculation

    Raises
    ------
    ValueError
        As :func:`helpers.conversions.rate`: e.g. more conversions than the denominator ("did you count events
        instead of people?") or a denominator of 0.

    Examples
    --------
    >>> found = rate_calculator(10, 100)
    >>> found.headline
    '10.0% (10 of 100, 95% CI 5.5%-17.4%)'
    >>> found.table[["data", "conversions", "denominator"]]
                          data  conversions  denominator
    0             your numbers           10          100
    1      10 x (100 of 1,000)          100         1000
    2  100 x (1,000 of 10,000)         1000        10000
    >>> found.table[["rate", "low", "high"]].round(3)
       rate    low   high
    0   0.1  0.055  0.174
    1   0.1  0.083  0.120
    2   0.1  0.094  0.106
    >>> rate_calculator(10, 100, "clopper-pearson").headline
    '10.0% (10 of 100, 95% CI 4.9%-17.6%)'
    """
    rows = []
    found = []
    for scale in RATE_SCALES:
        x, n = int(conversions) * scale, int(denominator) * scale
        found.append(_rate(x, n, confidence, method))  # (the argument `conversions` hides the module)
        label = "your numbers" if scale == 1 else f"{scale} x ({x:,} of {n:,})"
        rows.append({"data": label, **found[-1].to_dict()})
    table = pd.DataFrame(rows)
    table["width"] = table["high"] - table["low"]
    return RateCalculation(found[0], table)
