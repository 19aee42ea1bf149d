"""Lesson 01's explorers: who is behind the traffic, counted as visits, people or leads."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd

from helpers import plots, traffic

from .base import Explorer, explorer

__all__ = ["traffic_mix", "visitor_mix"]


def _render(mix: traffic.VisitorMix) -> list[Any]:
    ax = plots.bar_shares(
        mix.table["share"],
        title=f"Bots are {mix.bot_share:.0%} of {mix.what}",
        xlabel=f"share of {mix.what}",
    )
    return [ax, mix.table.assign(share=mix.table["share"].map("{:.1%}".format))]


def _channel_picker(sessions: pd.DataFrame) -> w.Dropdown:
    return w.Dropdown(
        options=["all", *traffic.channels(sessions)], value="all", description="channel"
    )


def traffic_mix(sessions: pd.DataFrame, answer_key: pd.DataFrame) -> Explorer:
    """Pick a channel and see the share of bots, loyal customers, stumblers and potential buyers.

    Calls :func:`helpers.traffic.traffic_mix`; the key figure is its ``headline`` (the share
    of bots).

    Returns
    -------
    Explorer
        Control ``"channel"``; ``.result`` is the :class:`helpers.traffic.VisitorMix`.
    """
    return explorer(
        {"channel": _channel_picker(sessions)},
        lambda channel: traffic.traffic_mix(sessions, answer_key, channel),
        render=_render,
        title="Who is behind each channel's traffic?",
    )


def visitor_mix(
    sessions: pd.DataFrame, answer_key: pd.DataFrame, leads: pd.DataFrame | None = None
) -> Explorer:
    """Pick a channel and what to count (sessions, visitors, leads); see who is behind it.

    Calls :func:`helpers.traffic.visitor_mix`; the key figure is its ``headline`` (the share
    of bots).

    Parameters
    ----------
    sessions : DataFrame
        With ``session_id``, ``visitor_id`` and ``channel``.
    answer_key : DataFrame
        With ``session_id`` and ``segment``.
    leads : DataFrame, optional
        The CRM export (``visitor_id``); without it the "leads" option is not offered.

    Returns
    -------
    Explorer
        Controls ``"channel"`` (a dropdown: "all", then channels by number of sessions) and
        ``"count"`` (toggle buttons); ``.result`` is the :class:`helpers.traffic.VisitorMix`.
    """
    counts = list(traffic.MIX_COUNTS) if leads is not None else list(traffic.MIX_COUNTS[:2])
    return explorer(
        {
            "channel": _channel_picker(sessions),
            "count": w.ToggleButtons(options=counts, value="sessions", description="count"),
        },
        lambda channel, count: traffic.visitor_mix(sessions, answer_key, channel, count, leads),
        render=_render,
        title="Who is behind the traffic: count visits, people, or leads",
    )
