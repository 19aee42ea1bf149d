"""Lesson 02's explorer: move two bot thresholds; what goes, how well, and the rate left."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd

from helpers import bots, plots
from helpers.bot_thresholds import Tradeoff, tradeoff
from helpers.bot_thresholds import inputs as tradeoff_inputs
from helpers.formatting import percent

from .base import Explorer, explorer

__all__ = ["bot_thresholds"]


def _render(result: Tradeoff) -> list[Any]:
    name = result.conversion
    table = pd.DataFrame(
        {
            "with bots": [result.rate_with_bots],
            "without bots": [result.rate],
            "truth": [result.rate_truth],
        },
        index=[name],
    )
    ax = plots.rates_with_without_bots(
        table,
        title=(
            f"This filter: {percent(result.rate, 2)} (truth {percent(result.rate_truth, 2)}, "
            f"bots left in {percent(result.rate_with_bots, 2)})"
        ),
    )
    ax.get_figure().set_size_inches(7.0, 2.4)
    shown = pd.DataFrame(
        {
            "value": [
                f"{result.removed:,} of {result.sessions:,}",
                f"{result.false_alarms:,}",
                f"{result.missed:,}",
                percent(result.precision),
                percent(result.recall),
                f"{result.conversions:,} of {result.kept:,} kept sessions",
            ]
        },
        index=pd.Index(
            [
                "sessions removed",
                "humans removed (false alarms)",
                "bots kept (missed)",
                "precision",
                "recall",
                f"sessions with a {name.replace('_', ' ')}",
            ],
            name="with these thresholds",
        ),
    )
    return [ax, shown]


def bot_thresholds(
    sessions: pd.DataFrame,
    answer_key: pd.DataFrame,
    events: pd.DataFrame,
    *,
    conversion: str = "newsletter_signup",
    rules: bots.BotRules | None = None,
    inputs: pd.DataFrame | None = None,
) -> Explorer:
    """Two thresholds to change: what is removed, precision, recall and the rate.

    Number boxes ``max_pages_per_minute`` (5-60, step 5) and ``fast_form_seconds`` (0.5-12 s,
    step 0.5) start at the values of ``rules``. Calls :func:`helpers.bot_thresholds.tradeoff`
    on :func:`helpers.bot_thresholds.inputs` (computed once here, unless given).

    Parameters
    ----------
    sessions, answer_key, events : DataFrame
        As :func:`helpers.bot_thresholds.inputs` takes them.
    conversion : str, default "newsletter_signup"
        The event whose rate per session is shown.
    rules : BotRules, optional
        The fixed rules and the controls' starting values (``BotRules()`` by default).
    inputs : DataFrame, optional
        ``bot_thresholds.inputs(sessions, answer_key, events, ...)`` when you have it
        already: used as it is (``conversion`` and ``rules`` are then read from it).

    Returns
    -------
    Explorer
        Controls ``"max_pages_per_minute"`` and ``"fast_form_seconds"``; ``.result`` is the
        :class:`helpers.bot_thresholds.Tradeoff`.
    """
    if inputs is None:
        inputs = tradeoff_inputs(
            sessions, answer_key, events, conversion=conversion, rules=rules
        )
    start = inputs.attrs.get("rules") or bots.BotRules()
    style = {"description_width": "initial"}
    pages = w.BoundedIntText(
        value=int(start.max_pages_per_minute or 30), min=5, max=60, step=5,
        description="max pages per minute", style=style, continuous_update=False,
    )
    form = w.BoundedFloatText(
        value=float(start.fast_form_seconds or 3.0), min=0.5, max=12.0, step=0.5,
        description="fast form (seconds)", style=style,
        continuous_update=False,
    )
    return explorer(
        {"max_pages_per_minute": pages, "fast_form_seconds": form},
        lambda max_pages_per_minute, fast_form_seconds: tradeoff(
            inputs, max_pages_per_minute, fast_form_seconds
        ),
        render=_render,
        title="Move two bot thresholds: what goes, how well, and the rate that is left",
    )
