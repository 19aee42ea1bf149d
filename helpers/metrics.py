"""Precision, recall and F1: the one definition the kit grades every filter and match with.

``bots.evaluate`` (a bot filter against the answer key), ``personas.evaluate`` (persona
assignment), ``personas.match_persona`` (the persona builder) and ``bot_thresholds.tradeoff``
(two bot thresholds) all count true positives, false positives and false negatives, then call
:func:`scores`. One rule for the undefined cases (0 / 0), the one scikit-learn's
``precision_recall_fscore_support(..., zero_division=np.nan)`` applies:

- precision = tp / (tp + fp), NaN when nothing was flagged;
- recall = tp / (tp + fn), NaN when there was nothing to find;
- F1 = 2 tp / (2 tp + fp + fn) (the harmonic mean of the two), NaN only when there was
  nothing to find and nothing was flagged. A filter that flags only the wrong rows, or
  flags nothing while there is something to find, has F1 = 0.

``tests/test_metrics.py`` compares :func:`scores` with scikit-learn on every small case.
Computed here with plain arithmetic, so grading does not import scikit-learn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Scores", "scores"]


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of one set of counts (see the module docstring for 0 / 0).

    Examples
    --------
    >>> Scores(tp=1, fp=1, fn=1)
    Scores(tp=1, fp=1, fn=1, precision=0.5, recall=0.5, f1=0.5)
    >>> Scores(tp=0, fp=1, fn=1).f1
    0.0
    >>> Scores(tp=0, fp=0, fn=3).precision
    nan
    """

    tp: int
    fp: int
    fn: int

    def __post_init__(self) -> None:
        for name in ("tp", "fp", "fn"):
            value = getattr(self, name)
            if isinstance(value, bool) or int(value) != value or value < 0:
                raise ValueError(f"Scores(): {name} must be a count (0, 1, 2, ...), got {value!r}.")
            object.__setattr__(self, name, int(value))

    @property
    def precision(self) -> float:
        """tp / (tp + fp): of what was flagged, the share that is right (NaN: nothing flagged)."""
        flagged = self.tp + self.fp
        return self.tp / flagged if flagged else math.nan

    @property
    def recall(self) -> float:
        """tp / (tp + fn): of what there was to find, the share found (NaN: nothing to find)."""
        actual = self.tp + self.fn
        return self.tp / actual if actual else math.nan

    @property
    def f1(self) -> float:
        """2 tp / (2 tp + fp + fn), the harmonic mean of precision and recall."""
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else math.nan

    def __repr__(self) -> str:
        return (
            f"Scores(tp={self.tp}, fp={self.fp}, fn={self.fn}, precision={self.precision:.4g}, "
            f"recall={self.recall:.4g}, f1={self.f1:.4g})"
        )


def scores(tp: int, fp: int, fn: int) -> Scores:
    """Precision, recall and F1 from the counts, with the kit's one rule for 0 / 0.

    Parameters
    ----------
    tp, fp, fn : int
        True positives (flagged and right), false positives (flagged, wrong), false
        negatives (missed).

    Returns
    -------
    Scores
        ``precision``, ``recall`` and ``f1`` (shares between 0 and 1, NaN when undefined).

    Examples
    --------
    >>> s = scores(tp=8, fp=2, fn=8)
    >>> round(s.precision, 3), round(s.recall, 3), round(s.f1, 3)
    (0.8, 0.5, 0.615)
    """
    return Scores(tp, fp, fn)
