"""Interactive explorers for the lessons: controls that re-run a plain function and show the result.

Design rule: the logic lives in plain functions (pure, testable: data and control values in,
numbers, frames or text out); widgets only wire them. :func:`explorer` is the one builder::

    box = explorer(
        {"channel": widgets.Dropdown(options=["all", "email"], description="channel")},
        lambda channel: traffic_mix(sessions, answer_key, channel),
        key=lambda table: (f"Bots: {table.at['bot', 'share']:.1%}", table.at["bot", "share"]),
    )
    box                      # shows the controls, the key figure and the result

Every change of a control calls ``update(**values)`` again. The returned :class:`Explorer` is an
``ipywidgets.VBox`` that also keeps ``.result`` (the last value ``update`` returned), ``.error``
and ``.controls``, so a test can set ``box.controls["channel"].value = "email"`` and read
``box.result``. The key figure is in an HTML element of class ``kit-explorer-result``, with the
raw number in its ``data-value`` attribute, for the browser test.

Results are turned into display data directly (figures become PNG images), so the output shows
up in JupyterLab and in a saved notebook whatever the matplotlib backend.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "SEGMENTS",
    "Explorer",
    "explorer",
    "traffic_mix",
    "traffic_mix_explorer",
    "traffic_mix_summary",
]

#: The visitor segments of the answer key, in the order the kit shows them.
SEGMENTS: tuple[str, ...] = ("bot", "loyal_customer", "stumbled", "potential_buyer")


# --------------------------------------------------------------------------- the builder


def _figure_bundle(fig: Figure) -> dict[str, Any]:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return {
        "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
        "text/plain": f"<Figure: {fig.axes[0].get_title() if fig.axes else ''}>",
    }


def _bundle(item: Any) -> dict[str, Any]:
    """Display data (a MIME bundle) for one thing to show."""
    if isinstance(item, Axes):
        item = item.get_figure()
    if isinstance(item, Figure):
        return _figure_bundle(item)
    if isinstance(item, str):
        return {"text/plain": item}
    data: dict[str, Any] = {"text/plain": repr(item)}
    for mime, method in (("text/html", "_repr_html_"), ("text/markdown", "_repr_markdown_")):
        function = getattr(item, method, None)
        if callable(function):
            try:
                value = function()
            except Exception:
                value = None
            if value:
                data[mime] = value
    return data


def _bundles(shown: Any) -> tuple[dict[str, Any], ...]:
    items = list(shown) if isinstance(shown, (list, tuple)) else [shown]
    return tuple(
        {"output_type": "display_data", "data": _bundle(item), "metadata": {}}
        for item in items
        if item is not None
    )


def _default_key(result: Any) -> tuple[str, Any] | None:
    if isinstance(result, (bool, np.bool_)):
        return str(bool(result)), bool(result)
    if isinstance(result, (int, float, np.number)):
        return f"{result:,.4g}", result
    if isinstance(result, str):
        return result, result
    return None


def _key_html(text: str, value: Any) -> str:
    return (
        f'<div class="kit-explorer-result" data-value="{html.escape(str(value), quote=True)}" '
        f'style="font-size: 1.15em; font-weight: bold; margin: 0.3em 0;">'
        f"{html.escape(text)}</div>"
    )


class Explorer(w.VBox):
    """The box :func:`explorer` returns: controls, key figure, output, plus the last result.

    Attributes
    ----------
    controls : dict of str to Widget
        The controls, by the argument name they feed.
    result : Any
        What ``update`` returned for the current control values (None after an error).
    error : Exception or None
        The exception ``update`` raised for the current values, if any.
    key : ipywidgets.HTML
        Holds ``<div class="kit-explorer-result" data-value="...">`` with the key figure.
    output : ipywidgets.Output
        Where the result is shown.
    """

    def __init__(
        self,
        controls: Mapping[str, w.Widget],
        update: Callable[..., Any],
        *,
        key: Callable[[Any], str | tuple[str, Any] | None] | None = None,
        render: Callable[[Any], Any] | None = None,
        title: str | None = None,
    ) -> None:
        self.controls = dict(controls)
        self._update = update
        self._key = key or _default_key
        self._render = render
        self.result: Any = None
        self.error: Exception | None = None
        self.key = w.HTML(value=_key_html("", ""))
        self.output = w.Output()
        header = [w.HTML(value=f"<strong>{html.escape(title)}</strong>")] if title else []
        row = w.HBox(list(self.controls.values()))
        super().__init__(children=[*header, row, self.key, self.output])
        self.add_class("kit-explorer")
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self.refresh()

    def values(self) -> dict[str, Any]:
        """The current value of each control, by argument name."""
        return {name: control.value for name, control in self.controls.items()}

    def _changed(self, _change: Any = None) -> None:
        self.refresh()

    def refresh(self) -> Any:
        """Call ``update`` with the current control values and show the result; return it."""
        try:
            self.result = self._update(**self.values())
            self.error = None
        except Exception as err:
            self.result, self.error = None, err
            self.key.value = _key_html("—", "")
            self.output.outputs = _bundles(f"Cannot show this choice: {type(err).__name__}: {err}")
            return None
        try:
            found = self._key(self.result)
            if isinstance(found, tuple):
                text, value = found
            elif found is None:
                text, value = "", ""
            else:
                text, value = str(found), found
            self.key.value = _key_html(text, value)
            shown = self._render(self.result) if self._render else self.result
            self.output.outputs = _bundles(shown)
        except Exception as err:
            self.error = err
            self.output.outputs = _bundles(f"Cannot draw this result: {type(err).__name__}: {err}")
        return self.result


def explorer(
    controls: Mapping[str, w.Widget],
    update: Callable[..., Any],
    *,
    key: Callable[[Any], str | tuple[str, Any] | None] | None = None,
    render: Callable[[Any], Any] | None = None,
    title: str | None = None,
) -> Explorer:
    """Wire controls to a plain function: every change re-runs it and shows the result.

    Parameters
    ----------
    controls : dict of str to ipywidgets.Widget
        Each control's ``value`` is passed to ``update`` under its key.
    update : callable
        ``update(**values)``: the plain function that does the work and returns the result
        (a number, text, a DataFrame, a matplotlib figure or Axes...). Keep the logic there.
    key : callable, optional
        ``key(result)`` gives the key figure: text, or ``(text, value)``. By default numbers
        and text are their own key figure. Shown in ``<div class="kit-explorer-result">``.
    render : callable, optional
        ``render(result)`` gives what to show (one object or a list: figures, frames, text);
        by default the result itself.
    title : str, optional
        A bold line above the controls.

    Returns
    -------
    Explorer
        An ``ipywidgets.VBox`` with ``.result``, ``.error``, ``.controls``, ``.refresh()``.

    Examples
    --------
    >>> import ipywidgets as w
    >>> box = explorer({"n": w.IntSlider(value=2, min=0, max=10)}, lambda n: n * n)
    >>> box.result
    4
    >>> box.controls["n"].value = 3
    >>> box.result
    9
    """
    return Explorer(controls, update, key=key, render=render, title=title)


# --------------------------------------------------------------------------- traffic mix


def _need_columns(func: str, name: str, frame: Any, columns: tuple[str, ...]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{func}(): {name} must be a DataFrame, got {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(
            f"{func}(): {name} has no column {missing[0]!r}. It has: "
            f"{', '.join(map(str, frame.columns))}. Rename it, or load it with helpers.data."
        )


def traffic_mix(
    sessions: pd.DataFrame, answer_key: pd.DataFrame, channel: str = "all"
) -> pd.DataFrame:
    """How the sessions of one channel (or all) split into visitor segments.

    Parameters
    ----------
    sessions : DataFrame
        One row per session, with ``session_id`` and ``channel``.
    answer_key : DataFrame
        The generator's truth, with ``session_id`` and ``segment``.
    channel : str, default "all"
        A channel, or "all" for every session.

    Returns
    -------
    DataFrame
        Index ``segment`` (bot, loyal_customer, stumbled, potential_buyer, then any other,
        and "unknown" for sessions missing from the answer key); columns ``sessions`` (count)
        and ``share`` (of the channel's sessions, summing to 1).

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["a", "b", "c", "d"],
    ...                   "channel": ["email", "email", "social", "email"]})
    >>> k = pd.DataFrame({"session_id": ["a", "b", "c", "d"],
    ...                   "segment": ["bot", "stumbled", "bot", "bot"]})
    >>> traffic_mix(s, k, "email")
                     sessions     share
    segment
    bot                     2  0.666667
    loyal_customer          0  0.000000
    stumbled                1  0.333333
    potential_buyer         0  0.000000
    """
    func = "traffic_mix"
    _need_columns(func, "sessions", sessions, ("session_id", "channel"))
    _need_columns(func, "answer_key", answer_key, ("session_id", "segment"))
    if channel == "all":
        chosen = sessions[["session_id"]]
    else:
        mask = sessions["channel"].astype("string").eq(channel).fillna(False)
        if not mask.any():
            known = ", ".join(sorted(sessions["channel"].dropna().astype(str).unique()))
            raise ValueError(
                f"{func}(): no sessions have channel {channel!r}. Channels: {known}, or 'all'."
            )
        chosen = sessions.loc[mask, ["session_id"]]
    truth = answer_key[["session_id", "segment"]].drop_duplicates("session_id")
    merged = chosen.merge(truth, on="session_id", how="left")
    segment = merged["segment"].astype("string").fillna("unknown")
    counts = segment.value_counts()
    order = [s for s in SEGMENTS] + sorted(set(counts.index) - set(SEGMENTS))
    counts = counts.reindex(order, fill_value=0).astype("int64")
    table = pd.DataFrame({"sessions": counts, "share": counts / max(int(counts.sum()), 1)})
    table.index = pd.Index(list(order), name="segment")
    return table


def _describe(channel: str) -> str:
    return "all sessions" if channel == "all" else f"{channel} sessions"


def traffic_mix_summary(
    sessions: pd.DataFrame, answer_key: pd.DataFrame, channel: str = "all"
) -> str:
    """The explorer's key figure as text: the share of bots among a channel's sessions.

    This is exactly the text of the ``kit-explorer-result`` element of
    :func:`traffic_mix_explorer` for that channel (the browser test compares them).

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["a", "b"], "channel": ["email", "email"]})
    >>> k = pd.DataFrame({"session_id": ["a", "b"], "segment": ["bot", "stumbled"]})
    >>> traffic_mix_summary(s, k, "email")
    'Bots: 50.0% of email sessions'
    """
    table = traffic_mix(sessions, answer_key, channel)
    return _summary(table, channel)


def _summary(table: pd.DataFrame, channel: str) -> str:
    return f"Bots: {float(table.at['bot', 'share']):.1%} of {_describe(channel)}"


def traffic_mix_explorer(sessions: pd.DataFrame, answer_key: pd.DataFrame) -> Explorer:
    """Pick a channel and see the share of bots, loyal customers, stumblers and potential buyers.

    The logic is :func:`traffic_mix`; the key figure (:func:`traffic_mix_summary`) is the
    share of bots.

    Parameters
    ----------
    sessions : DataFrame
        With ``session_id`` and ``channel``.
    answer_key : DataFrame
        With ``session_id`` and ``segment``.

    Returns
    -------
    Explorer
        Control ``"channel"``; ``.result`` is the :func:`traffic_mix` table.
    """
    from helpers import plots

    _need_columns("traffic_mix_explorer", "sessions", sessions, ("session_id", "channel"))
    channels = sessions["channel"].dropna().astype(str).value_counts().index.tolist()
    dropdown = w.Dropdown(options=["all", *channels], value="all", description="channel")

    def key(table: pd.DataFrame) -> tuple[str, float]:
        return _summary(table, dropdown.value), round(float(table.at["bot", "share"]), 6)

    def render(table: pd.DataFrame) -> list[Any]:
        share = float(table.at["bot", "share"])
        ax = plots.bar_shares(
            table["share"],
            title=f"Bots are {share:.0%} of {_describe(dropdown.value)}",
            xlabel=f"share of {_describe(dropdown.value)}",
        )
        shown = table.assign(share=table["share"].map("{:.1%}".format))
        return [ax, shown]

    return explorer(
        {"channel": dropdown},
        lambda channel: traffic_mix(sessions, answer_key, channel),
        key=key,
        render=render,
        title="Who is behind each channel's traffic?",
    )
