"""Lesson 05's explorers: how sure is a rate, and one channel's funnel."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd

from helpers import bots, experiments, pipeline, plots, traffic
from helpers.formatting import points

from .base import Explorer, explorer

__all__ = ["channel_funnel", "rate_calculator"]


def _render_rates(found: experiments.RateCalculation) -> list[Any]:
    table = found.table
    first, last = table.iloc[0], table.iloc[-1]
    title = (
        f"The interval is {points(first['width'])} points wide; "
        f"with {experiments.RATE_SCALES[-1]} x the data, {points(last['width'])} points"
    )
    ax = plots.rates_with_intervals(table, title, by="data", total=False)
    shown = table.assign(
        **{c: table[c].map("{:.1%}".format) for c in ("rate", "low", "high")},
        width=table["width"].map(lambda v: f"{points(v)} pts"),
    )
    return [ax, shown]


def rate_calculator(
    conversions: int = 10, denominator: int = 100, method: str = "wilson"
) -> Explorer:
    """Type two counts, pick an interval method, see the rate, its interval and what more data buys.

    Calls :func:`helpers.experiments.rate_calculator`. Counts that cannot make a rate (more
    conversions than the denominator, a denominator of 0) show the error
    :func:`helpers.conversions.rate` gives, which says what went wrong.

    Parameters
    ----------
    conversions, denominator : int
        Starting values of the two boxes (10 of 100: the worked example).
    method : str, default "wilson"
        Starting interval method, one of :data:`helpers.experiments.RATE_METHODS`.

    Returns
    -------
    Explorer
        Controls ``"conversions"``, ``"denominator"`` (``IntText``), ``"method"`` and
        ``"confidence"`` (``Dropdown``); ``.result`` is the
        :class:`helpers.experiments.RateCalculation`.

    Examples
    --------
    >>> box = rate_calculator()
    >>> box.controls["method"].value = "jeffreys"
    >>> f"{box.result.table.loc[0, 'high']:.3f}"
    '0.170'
    """
    style = {"description_width": "initial"}
    controls = {
        "conversions": w.IntText(
            value=conversions, description="conversions", style=style,
            layout=w.Layout(width="170px"),
        ),
        "denominator": w.IntText(
            value=denominator, description="out of", style=style, layout=w.Layout(width="150px")
        ),
        "method": w.Dropdown(
            options=list(experiments.RATE_METHODS), value=method, description="interval",
            style=style, layout=w.Layout(width="230px"),
        ),
        "confidence": w.Dropdown(
            options=[("90%", 0.90), ("95%", 0.95), ("99%", 0.99)], value=0.95,
            description="confidence", style=style, layout=w.Layout(width="170px"),
        ),
    }
    return explorer(
        controls,
        experiments.rate_calculator,
        render=_render_rates,
        title="Rate calculator: how sure is a rate?",
    )


def _render_funnel(found: pipeline.ChannelFunnel) -> list[Any]:
    title = f"{found.overall:.1%} of {found.channel_words} visitors become customers"
    if found.mistakes:
        title += f" (wrong: {' and '.join(found.mistakes)})"
    table = found.table
    ax = plots.funnel(table, title, step="stage", count="reached", unit="people")
    shown = pd.DataFrame(
        {
            "stage": table["stage"],
            "reached": table["reached"],
            "from previous stage": ["" if r is None else str(r) for r in table["rate"]],
        }
    )
    return [ax, shown]


def channel_funnel(sessions: pd.DataFrame, leads: pd.DataFrame) -> Explorer:
    """Pick a channel and see its visitors go through lead, MQL, SQL and customer.

    Two check boxes switch the classic mistakes on: leave the bots among the visitors, and
    count leads created before the traffic window (old contacts who came back). Calls
    :func:`helpers.pipeline.channel_funnel`.

    Parameters
    ----------
    sessions : DataFrame
        All sessions, bots included (they are labelled once, here).
    leads : DataFrame
        The CRM export.

    Returns
    -------
    Explorer
        Controls ``"channel"`` (``Dropdown``: "all", then channels by number of sessions),
        ``"remove_bots"`` and ``"window_only"`` (``Checkbox``); ``.result`` is the
        :class:`helpers.pipeline.ChannelFunnel`.
    """
    labelled = sessions if "is_bot" in sessions.columns else bots.label(sessions)  # once
    style = {"description_width": "initial"}
    controls = {
        "channel": w.Dropdown(
            options=["all", *traffic.channels(sessions)], value="all", description="channel",
            style=style,
        ),
        "remove_bots": w.Checkbox(
            value=True, description="filter out bots", indent=False, layout=w.Layout(width="auto")
        ),
        "window_only": w.Checkbox(
            value=True, description="only leads created in the traffic window", indent=False,
            layout=w.Layout(width="auto"),
        ),
    }
    return explorer(
        controls,
        lambda channel, remove_bots, window_only: pipeline.channel_funnel(
            labelled, leads, channel, remove_bots=remove_bots, window_only=window_only
        ),
        render=_render_funnel,
        title="Funnel explorer: visitor → lead → MQL → SQL → customer",
    )
