"""Lesson 03's explorer: build a persona with a few controls; who matches, and are they buyers?"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd

from helpers import personas, plots, traffic

from .base import Explorer, explorer

__all__ = ["persona_builder"]


def _render(found: personas.PersonaMatch) -> list[Any]:
    from IPython.display import Markdown

    rule = " + ".join(
        f"`{c.describe()}`" + (f" (weight {c.weight:g})" if c.weight != 1 else "")
        for c in found.persona.criteria
    )
    text = f"**Your persona:** {rule}; a visitor matches with a score of at least " + (
        f"{found.min_score:.2f}. It finds **{found.recall:.0%}** of the "
        f"{found.all_buyers:,} potential buyers among {found.visitors:,} human visitors."
        if found.all_buyers
        else f"{found.min_score:.2f}."
    )
    if not found.matched:
        return [Markdown(text), "No visitor matches: lower the min score or drop a criterion."]
    ax = plots.bar_shares(
        found.by_segment / found.matched,
        title=(
            f"{found.precision:.0%} of the {found.matched:,} matching humans are "
            "potential buyers"
        ),
        xlabel="share of the matching humans",
    )
    return [Markdown(text), ax]


def persona_builder(visitors: pd.DataFrame, answer_key: pd.DataFrame | pd.Series) -> Explorer:
    """Build a persona with a few controls; see how many humans match and how many are buyers.

    Controls, in order: ``topic`` (the topic read, weight 2; a dropdown, the first
    ``<select>``), ``device``, ``time_of_day``, ``channel`` (dropdowns, weight 1 each; "any"
    leaves the signal out) and ``min_score`` (a number box). Calls
    :func:`helpers.personas.match_persona`; the chart shows the matched visitors by their
    true segment.

    Parameters
    ----------
    visitors : DataFrame
        Human visitors from :func:`helpers.personas.visitors` (computed once, before).
    answer_key : DataFrame or Series
        ``visitor_id`` and ``segment``; only grades the persona.

    Returns
    -------
    Explorer
        ``.result`` is the :class:`helpers.personas.PersonaMatch` for the current choices.
    """
    func = "persona_builder"
    if not isinstance(visitors, pd.DataFrame):
        raise TypeError(f"{func}(): visitors must be a DataFrame, got {type(visitors).__name__}.")
    truth = traffic.visitor_segments(answer_key)  # once: each move only scores the visitors
    topics = personas.topics(visitors)
    if not topics:
        raise KeyError(
            f"{func}(): visitors has no reads_<topic> columns; build it with "
            "personas.visitors(humans, events)."
        )
    channels = (
        traffic.channels(visitors, "main_channel")
        if "main_channel" in visitors.columns
        else []
    )
    narrow = {"description_width": "initial"}
    controls = {
        "topic": w.Dropdown(options=[*topics, "any"], value="office" if "office" in topics
                            else topics[0], description="reads", style=narrow,
                            layout=w.Layout(width="190px")),
        "device": w.Dropdown(options=[*personas.BUILDER_DEVICES, "any"], value="desktop",
                             description="device", style=narrow,
                             layout=w.Layout(width="160px")),
        "time_of_day": w.Dropdown(options=[*personas.BUILDER_TIMES, "any"],
                                  value="office hours", description="when", style=narrow,
                                  layout=w.Layout(width="180px")),
        "channel": w.Dropdown(options=["any", *channels], value="any", description="channel",
                              style=narrow, layout=w.Layout(width="210px")),
        "min_score": w.BoundedFloatText(value=0.5, min=0.05, max=1.0, step=0.05,
                                        description="min score", style=narrow,
                                        layout=w.Layout(width="200px")),
    }
    return explorer(
        controls,
        lambda **choices: personas.match_persona(visitors, truth, **choices),
        render=_render,
        title="Persona builder: who matches, and are they potential buyers?",
        wrap=True,
    )
