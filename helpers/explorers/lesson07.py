"""Lesson 07's explorers: one channel or persona against everyone else; the cost of peeking."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd

from helpers import experiments, pipeline, plots
from helpers.formatting import percent

from .base import Explorer, explorer

__all__ = ["capstone", "peeking"]


def _render(found: pipeline.Focus) -> list[Any]:
    title = (
        f"{found.who}: {percent(found.rate.value)} {found.words} "
        f"(all: {percent(found.total.value)})"
    )
    ax = plots.rates_with_focus(
        found.table, found.group, title, by=found.by or "channel",
        xlabel=f"share of human visitors who {found.words}",
    )
    return [ax, found.verdict] if found.verdict else [ax]


def capstone(results: pipeline.Capstone, segment: str = "all", metric: str = "lead") -> Explorer:
    """Pick a channel or a persona and a metric; see its rate against everyone else's.

    The pipeline ran once (``results``); each change calls :func:`helpers.pipeline.focus`,
    which only slices its visitor table, so the explorer answers at once.

    Returns
    -------
    Explorer
        Controls ``"segment"`` (``Dropdown`` of :func:`helpers.pipeline.focus_options`) and
        ``"metric"`` (``Dropdown``: lead rate, purchase rate); ``.result`` is a
        :class:`helpers.pipeline.Focus`.
    """
    style = {"description_width": "initial"}
    controls = {
        "segment": w.Dropdown(
            options=pipeline.focus_options(results), value=segment, description="who",
            style=style,
        ),
        "metric": w.Dropdown(
            options=[("lead rate", "lead"), ("purchase rate", "purchase")], value=metric,
            description="rate", style=style,
        ),
    }
    return explorer(
        controls,
        lambda segment, metric: pipeline.focus(results, segment, metric),
        render=_render,
        title="Capstone explorer: one group against everyone else",
    )


def _render_peeking(found: experiments.Peeking) -> list[Any]:
    shares = pd.Series({
        f"checked {found.looks} times, stopped at the first p < {found.alpha:g}": found.false_alarm_rate,
        "read once, at the end": found.single_look_rate,
    })
    ax = plots.bar_shares(
        shares, title=f"Two identical versions: {percent(found.false_alarm_rate, 0)} of tests "
        "that peek declare a winner",
        xlabel=f"share of {found.simulations:,} simulated tests that declared a winner",
    )
    return [ax]


def peeking(looks: int = 10, people_per_look: int = 500, baseline: float = 0.05) -> Explorer:
    """Check an A/A test more or less often; see how often it "finds" a winner that is not there.

    Each change calls :func:`helpers.experiments.peeking` (simulated tests between two
    identical versions, stopped at the first p < 0.05).

    Returns
    -------
    Explorer
        Controls ``"looks"`` (``BoundedIntText``, 1-30) and ``"people_per_look"``
        (``BoundedIntText``, 100-5,000 people per version between two looks); ``.result`` is
        a :class:`helpers.experiments.Peeking`.
    """
    style = {"description_width": "initial"}
    controls = {
        "looks": w.BoundedIntText(value=looks, min=1, max=30, step=1,
                                  description="times the test is checked", style=style),
        "people_per_look": w.BoundedIntText(value=people_per_look, min=100, max=5000, step=100,
                                            description="people per version between checks",
                                            style=style),
    }
    return explorer(
        controls,
        lambda looks, people_per_look: experiments.peeking(looks, people_per_look, baseline),
        render=_render_peeking,
        title="Peeking explorer: an A/A test stopped at the first p < 0.05",
    )
