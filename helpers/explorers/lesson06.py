"""Lesson 06's explorer: where would you set the lead-score threshold?"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd

from helpers import leads, plots

from .base import Explorer, explorer

__all__ = ["score_threshold"]


def score_threshold(
    scored: pd.DataFrame,
    *,
    value: int = 30,
    step: int = 5,
    score: str = "score",
    customer: str = "is_customer",
) -> Explorer:
    """Move a lead-score threshold; see the leads kept, the customers kept and their rate.

    Calls :func:`helpers.leads.score_threshold`; below the key figure, the score histogram
    (customers purple) with the threshold marked.

    Parameters
    ----------
    scored : DataFrame
        One row per lead, with ``score`` and a boolean ``customer`` column.
    value : int, default 30
        Starting threshold.
    step : int, default 5
        The number box's step (the default lead-score rules give multiples of 5).
    score, customer : str
        Column names.

    Returns
    -------
    Explorer
        Control ``"threshold"`` (a ``BoundedIntText`` from 0 to the highest score, rounded up to
        ``step``); ``.result`` is the :class:`helpers.leads.ScoreCut`.
    """
    high = int(leads.score_thresholds(scored, step, score=score, customer=customer)[-1])
    slider = w.BoundedIntText(
        value=int(min(max(value, 0), high)), min=0, max=high, step=step, description="score ≥",
        continuous_update=False,
    )

    def render(cut: leads.ScoreCut) -> list[Any]:
        ax = plots.lead_score_hist(scored[score], scored[customer], cut.threshold)
        shown = pd.DataFrame(
            {
                "all leads": [cut.leads, cut.customers, f"{cut.rate_all:.1%}"],
                f"score ≥ {cut.threshold:g}": [
                    cut.leads_kept,
                    cut.customers_kept,
                    "–" if pd.isna(cut.rate_kept) else f"{cut.rate_kept:.1%}",
                ],
            },
            index=["leads", "customers", "customer rate"],
        )
        return [ax, shown]

    return explorer(
        {"threshold": slider},
        lambda threshold: leads.score_threshold(scored, threshold, score=score, customer=customer),
        render=render,
        title="Where would you set the lead-score threshold?",
    )
