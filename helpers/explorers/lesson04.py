"""Lesson 04's explorer: a catalogue editor (micro, macro, or not a conversion, per event)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ipywidgets as w
import pandas as pd

from helpers import conversions, plots

from .base import Explorer, explorer

__all__ = ["catalogue_editor"]


def _render(result: conversions.CatalogueCounts) -> list[Any]:
    ax = plots.conversions_by_event(
        result.by_event,
        title=f"Leads made {result.micro:,} micro and {result.macro:,} macro conversions",
        unit="events by leads (grey: not a conversion)",
    )
    return [ax, result.totals()]


def catalogue_editor(
    events: pd.DataFrame, leads: pd.DataFrame, *, offered: Iterable[str] | None = None
) -> Explorer:
    """A catalogue editor: for each event choose micro, macro or not a conversion.

    Every change calls :func:`helpers.conversions.catalogue_counts`: the micro and macro
    conversions leads made, the leads with a macro conversion (the key figure) and the
    conversions per event (the chart).

    Parameters
    ----------
    events : DataFrame
        Events without bots (``visitor_id``, ``event_name``).
    leads : DataFrame
        The leads (``visitor_id``).
    offered : sequence of str, optional
        The events to show a dropdown for, in order; by default
        :func:`helpers.conversions.offered_events`.

    Returns
    -------
    Explorer
        One ``Dropdown`` per event, under the event's name, with the options of
        :data:`helpers.conversions.CATALOGUE_CHOICES`, starting at the default catalogue;
        ``.result`` is the :class:`helpers.conversions.CatalogueCounts`.
    """
    names = list(offered) if offered is not None else conversions.offered_events(events)
    default = conversions.CATALOGUE
    controls = {
        name: w.Dropdown(
            options=list(conversions.CATALOGUE_CHOICES),
            value=default[name] if name in default else conversions.CATALOGUE_CHOICES[2],
            description=name,
            style={"description_width": "130px"},
            layout=w.Layout(width="310px"),
        )
        for name in names
    }
    return explorer(
        controls,
        lambda **choices: conversions.catalogue_counts(events, leads, choices, offered=names),
        render=_render,
        title="Your campaign's catalogue: which events are micro, macro, or not conversions?",
        wrap=True,
    )
