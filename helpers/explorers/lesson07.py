"""Lesson 07's explorer: one channel or persona against everyone else."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from helpers import pipeline, plots
from helpers.formatting import percent

from .base import Explorer, explorer

__all__ = ["capstone"]


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
