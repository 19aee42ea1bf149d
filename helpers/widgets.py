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

Results are turned into display data directly (figures become PNG images, with their alt text
as an HTML image beside), so the output shows up in JupyterLab and in a saved notebook whatever
the matplotlib backend.

Accessibility: every control has a ``description`` (its accessible name); numbers are set with
labelled number boxes (``BoundedIntText``/``BoundedFloatText``: arrow keys or the spinner step
them) rather than sliders, whose handles ipywidgets leaves without an accessible name; the key
figure is a polite live region, so a screen reader announces it when it changes.
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
    """The figure as a PNG, and as HTML: the same image with its alt text (plots.alt_text)."""
    from helpers import plots

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    bundle = {
        "text/html": plots._show_with_alt_text(fig),
        "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
        "text/plain": f"<Figure: {fig.axes[0].get_title() if fig.axes else ''}>",
    }
    plt.close(fig)
    return bundle


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
        'role="status" aria-live="polite" '
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


# --------------------------------------------------------------------------- lesson 01: mix by unit

#: What :func:`visitor_mix` can count: visits, the people behind them, or those people who
#: are leads.
MIX_COUNTS: tuple[str, ...] = ("sessions", "visitors", "leads")

__all__ += ["MIX_COUNTS", "visitor_mix", "visitor_mix_explorer", "visitor_mix_summary"]


def _mix_what(channel: str, count: str) -> str:
    if count == "leads":
        return "all web leads" if channel == "all" else f"leads among {channel} visitors"
    return f"all {count}" if channel == "all" else f"{channel} {count}"


def visitor_mix(
    sessions: pd.DataFrame,
    answer_key: pd.DataFrame,
    channel: str = "all",
    count: str = "sessions",
    leads: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How sessions, visitors or leads (of one channel, or all) split into visitor segments.

    The same traffic gives different mixes depending on what is counted: a loyal customer
    who comes back five times is five sessions but one visitor, and most visitors never
    become leads.

    Parameters
    ----------
    sessions : DataFrame
        One row per session, with ``session_id``, ``visitor_id`` and ``channel``.
    answer_key : DataFrame
        The generator's truth, with ``session_id`` and ``segment``.
    channel : str, default "all"
        A channel, or "all" for every session.
    count : {"sessions", "visitors", "leads"}, default "sessions"
        ``"sessions"``: every visit. ``"visitors"``: each ``visitor_id`` once (a visitor
        with sessions in several channels counts in each of them; their segment is the
        one of their first session in the table). ``"leads"``: those visitors whose
        ``visitor_id`` is in ``leads`` (web leads; offline leads have no visitor id).
    leads : DataFrame, optional
        The CRM export, with ``visitor_id``; needed for ``count="leads"``.

    Returns
    -------
    DataFrame
        Index ``segment`` (bot, loyal_customer, stumbled, potential_buyer, then others and
        "unknown"), columns ``<count>`` (how many) and ``share`` (summing to 1). With
        ``count="sessions"`` it is exactly :func:`traffic_mix`.

    Raises
    ------
    ValueError
        For an unknown ``count`` or channel, or ``count="leads"`` without ``leads``.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["a", "b", "c", "d"],
    ...                   "visitor_id": ["v1", "v1", "v2", "v3"],
    ...                   "channel": ["email", "email", "direct", "direct"]})
    >>> k = pd.DataFrame({"session_id": ["a", "b", "c", "d"],
    ...                   "segment": ["loyal_customer", "loyal_customer", "bot", "stumbled"]})
    >>> visitor_mix(s, k, count="visitors")
                     visitors     share
    segment
    bot                     1  0.333333
    loyal_customer          1  0.333333
    stumbled                1  0.333333
    potential_buyer         0  0.000000
    >>> crm = pd.DataFrame({"visitor_id": ["v1", None]})
    >>> visitor_mix(s, k, count="leads", leads=crm)["leads"].tolist()
    [0, 1, 0, 0]
    """
    func = "visitor_mix"
    if count not in MIX_COUNTS:
        raise ValueError(
            f"{func}(): count must be one of {', '.join(MIX_COUNTS)}, got {count!r}."
        )
    if count == "sessions":
        return traffic_mix(sessions, answer_key, channel)
    _need_columns(func, "sessions", sessions, ("session_id", "visitor_id", "channel"))
    _need_columns(func, "answer_key", answer_key, ("session_id", "segment"))
    if count == "leads":
        if leads is None:
            raise ValueError(
                f"{func}(): count='leads' needs the CRM export: pass leads=... (with a "
                "visitor_id column), e.g. data.load_leads()."
            )
        _need_columns(func, "leads", leads, ("visitor_id",))
    if channel == "all":
        chosen = sessions[["session_id", "visitor_id"]]
    else:
        mask = sessions["channel"].astype("string").eq(channel).fillna(False)
        if not mask.any():
            known = ", ".join(sorted(sessions["channel"].dropna().astype(str).unique()))
            raise ValueError(
                f"{func}(): no sessions have channel {channel!r}. Channels: {known}, or 'all'."
            )
        chosen = sessions.loc[mask, ["session_id", "visitor_id"]]
    truth = answer_key[["session_id", "segment"]].drop_duplicates("session_id")
    merged = chosen.merge(truth, on="session_id", how="left")
    people = merged.dropna(subset=["visitor_id"]).drop_duplicates("visitor_id")
    if count == "leads":
        ids = leads["visitor_id"].astype("string").str.strip()
        known_leads = ids[ids.notna() & ids.ne("")].unique()
        people = people[people["visitor_id"].astype("string").isin(known_leads)]
    segment = people["segment"].astype("string").fillna("unknown")
    counts = segment.value_counts()
    order = list(SEGMENTS) + sorted(set(counts.index) - set(SEGMENTS))
    counts = counts.reindex(order, fill_value=0).astype("int64")
    table = pd.DataFrame({count: counts, "share": counts / max(int(counts.sum()), 1)})
    table.index = pd.Index(order, name="segment")
    return table


def visitor_mix_summary(
    sessions: pd.DataFrame,
    answer_key: pd.DataFrame,
    channel: str = "all",
    count: str = "sessions",
    leads: pd.DataFrame | None = None,
) -> str:
    """The key figure of :func:`visitor_mix_explorer` as text: the share of bots.

    Exactly the text of the explorer's ``kit-explorer-result`` element for that channel and
    count (the browser test compares them). For ``count="sessions"`` it is the same text as
    :func:`traffic_mix_summary`.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["a", "b", "c"], "visitor_id": ["v1", "v1", "v2"],
    ...                   "channel": ["email", "email", "email"]})
    >>> k = pd.DataFrame({"session_id": ["a", "b", "c"],
    ...                   "segment": ["loyal_customer", "loyal_customer", "bot"]})
    >>> visitor_mix_summary(s, k, "email")
    'Bots: 33.3% of email sessions'
    >>> visitor_mix_summary(s, k, "email", count="visitors")
    'Bots: 50.0% of email visitors'
    """
    table = visitor_mix(sessions, answer_key, channel, count, leads)
    return _mix_summary(table, channel, count)


def _mix_summary(table: pd.DataFrame, channel: str, count: str) -> str:
    return f"Bots: {float(table.at['bot', 'share']):.1%} of {_mix_what(channel, count)}"


def visitor_mix_explorer(
    sessions: pd.DataFrame, answer_key: pd.DataFrame, leads: pd.DataFrame | None = None
) -> Explorer:
    """Pick a channel and what to count (sessions, visitors, leads); see who is behind it.

    :func:`traffic_mix_explorer` with a second control: the same traffic counted as visits,
    as people, or as people who became leads. The logic is :func:`visitor_mix`; the key
    figure (:func:`visitor_mix_summary`) is the share of bots.

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
        ``"count"`` (toggle buttons); ``.result`` is the :func:`visitor_mix` table.
    """
    from helpers import plots

    func = "visitor_mix_explorer"
    _need_columns(func, "sessions", sessions, ("session_id", "visitor_id", "channel"))
    _need_columns(func, "answer_key", answer_key, ("session_id", "segment"))
    channels = sessions["channel"].dropna().astype(str).value_counts().index.tolist()
    dropdown = w.Dropdown(options=["all", *channels], value="all", description="channel")
    counts = list(MIX_COUNTS) if leads is not None else list(MIX_COUNTS[:2])
    toggle = w.ToggleButtons(options=counts, value="sessions", description="count")

    def key(table: pd.DataFrame) -> tuple[str, float]:
        text = _mix_summary(table, dropdown.value, toggle.value)
        return text, round(float(table.at["bot", "share"]), 6)

    def render(table: pd.DataFrame) -> list[Any]:
        what = _mix_what(dropdown.value, toggle.value)
        share = float(table.at["bot", "share"])
        ax = plots.bar_shares(
            table["share"], title=f"Bots are {share:.0%} of {what}", xlabel=f"share of {what}"
        )
        shown = table.assign(share=table["share"].map("{:.1%}".format))
        return [ax, shown]

    return explorer(
        {"channel": dropdown, "count": toggle},
        lambda channel, count: visitor_mix(sessions, answer_key, channel, count, leads),
        key=key,
        render=render,
        title="Who is behind the traffic: count visits, people, or leads",
    )


# --------------------------------------------------------------------------- lesson 02: bot thresholds

__all__ += [
    "bot_rules_explorer",
    "bot_rules_inputs",
    "bot_rules_summary",
    "bot_rules_sweep",
    "bot_rules_tradeoff",
]


def bot_rules_inputs(
    sessions: pd.DataFrame,
    answer_key: pd.DataFrame,
    events: pd.DataFrame,
    *,
    conversion: str = "newsletter_signup",
    rules: Any = None,
) -> pd.DataFrame:
    """What :func:`bot_rules_tradeoff` needs, computed once: the part no control changes.

    The user-agent layer and the behaviour rules the lesson-02 explorer does not move
    (``too_fast``, ``schedule``) are judged here, once, with ``bots.label``. Each move of a
    control then re-runs only the two rules it changes (pages per minute, fast form) on the
    few columns kept here, which takes milliseconds.

    Parameters
    ----------
    sessions : DataFrame
        The sessions, with the columns ``bots.label`` needs (``session_id``, ``user_agent``,
        ``duration_s``, ``pageviews``, ``form_seconds``, ``started_at``, ``landing_page``,
        ``visitor_id`` or ``ip``).
    answer_key : DataFrame
        ``session_id`` and ``segment``: the truth, used only to grade the filter.
    events : DataFrame
        ``session_id`` and ``event_name``.
    conversion : str, default "newsletter_signup"
        The event whose rate per session is followed: the share of kept sessions with at
        least one such event.
    rules : BotRules, optional
        Thresholds of the fixed rules (``BotRules()`` by default). Its
        ``max_pages_per_minute`` and ``fast_form_seconds`` are where the controls start.

    Returns
    -------
    DataFrame
        One row per session, in the order of ``sessions``: ``session_id``, ``duration_s``,
        ``pageviews``, ``form_seconds``, ``fixed_bot`` (flagged by the rules that do not
        move), ``truth_bot`` (a bot in the answer key) and ``converted``. ``attrs`` holds
        ``conversion`` and ``rules``.

    Raises
    ------
    KeyError
        When a frame lacks a column.
    ValueError
        When no event is named ``conversion``, or sessions are missing from the answer key.

    Examples
    --------
    >>> s = pd.DataFrame({
    ...     "session_id": ["a", "b", "c"],
    ...     "user_agent": ["Mozilla/5.0 (compatible; Googlebot/2.1; "
    ...                    "+http://www.google.com/bot.html)", "Mozilla/5.0 (Windows NT 10.0; "
    ...                    "Win64; x64; rv:136.0) Gecko/20100101 Firefox/136.0", "Mozilla/5.0 "
    ...                    "(Windows NT 10.0; Win64; x64; rv:136.0) Gecko/20100101 Firefox/136.0"],
    ...     "duration_s": [3.0, 120.0, 40.0], "pageviews": [1, 4, 1],
    ...     "form_seconds": [None, 25.0, 1.2]})
    >>> k = pd.DataFrame({"session_id": ["a", "b", "c"], "segment": ["bot", "stumbled", "bot"]})
    >>> e = pd.DataFrame({"session_id": ["b", "c"], "event_name": ["newsletter_signup"] * 2})
    >>> from helpers import bots
    >>> rules = bots.BotRules(schedule_min_sessions=None)
    >>> bot_rules_inputs(s, k, e, rules=rules)[["session_id", "fixed_bot", "truth_bot", "converted"]]
      session_id  fixed_bot  truth_bot  converted
    0          a       True       True      False
    1          b      False      False       True
    2          c      False       True       True
    """
    import dataclasses

    from helpers import bots

    func = "bot_rules_inputs"
    rules = bots.BotRules() if rules is None else rules
    if not isinstance(rules, bots.BotRules):
        raise TypeError(f"{func}(): rules must be a bots.BotRules; got {type(rules).__name__}.")
    _need_columns(
        func, "sessions", sessions, ("session_id", "duration_s", "pageviews", "form_seconds")
    )
    _need_columns(func, "answer_key", answer_key, ("session_id", "segment"))
    _need_columns(func, "events", events, ("session_id", "event_name"))
    names = events["event_name"].astype("string")
    is_conversion = names.eq(conversion).fillna(False).to_numpy(dtype=bool)
    if not is_conversion.any():
        known = ", ".join(sorted(names.dropna().unique()))
        raise ValueError(f"{func}(): no event is named {conversion!r}. Events: {known}.")

    fixed_rules = dataclasses.replace(rules, max_pages_per_minute=None, fast_form_seconds=None)
    fixed = bots.label(sessions, fixed_rules)["is_bot"].to_numpy(dtype=bool)

    ids = sessions["session_id"].astype("string").to_numpy()
    key = pd.Series(
        answer_key["segment"].astype("string").to_numpy(),
        index=answer_key["session_id"].astype("string").to_numpy(),
    )
    segment = key[~key.index.duplicated()].reindex(ids)
    if segment.isna().any():
        absent = ids[segment.isna().to_numpy()]
        raise ValueError(
            f"{func}(): {len(absent)} session(s) are not in the answer key, e.g. "
            f"{list(absent[:3])}. Use the answer key of the same data set."
        )
    converted = pd.Series(ids).isin(events.loc[is_conversion, "session_id"].astype("string"))
    inputs = pd.DataFrame(
        {
            "session_id": ids,
            "duration_s": sessions["duration_s"].to_numpy(),
            "pageviews": sessions["pageviews"].to_numpy(),
            "form_seconds": sessions["form_seconds"].to_numpy(),
            "fixed_bot": fixed,
            "truth_bot": segment.eq("bot").to_numpy(dtype=bool),
            "converted": converted.to_numpy(dtype=bool),
        }
    )
    inputs.attrs.update(conversion=conversion, rules=rules)
    return inputs


def bot_rules_tradeoff(
    inputs: pd.DataFrame,
    max_pages_per_minute: float | None = 30.0,
    fast_form_seconds: float | None = 3.0,
) -> dict[str, Any]:
    """Two bot thresholds in, what the filter removes, how well, and the rate it leaves.

    The two thresholds replace those of the rules in ``inputs`` (``None`` switches a rule
    off, as in ``BotRules``); every other rule keeps its verdict from
    :func:`bot_rules_inputs`. Only the two moving rules run, through ``bots.label``.

    Parameters
    ----------
    inputs : DataFrame
        From :func:`bot_rules_inputs`.
    max_pages_per_minute : float or None, default 30.0
        ``BotRules.max_pages_per_minute``: sessions (of at least three pages) faster than
        this are flagged.
    fast_form_seconds : float or None, default 3.0
        ``BotRules.fast_form_seconds``: forms sent faster than this are flagged.

    Returns
    -------
    dict
        ``max_pages_per_minute``, ``fast_form_seconds``, ``sessions`` (all), ``removed``,
        ``kept``, ``precision``, ``recall``, ``f1`` (shares; NaN when undefined),
        ``false_alarms`` (humans removed), ``missed`` (bots kept), ``conversion`` (the
        event's name), ``conversions`` (kept sessions with the event), ``rate`` (their
        share of the kept sessions), ``rate_with_bots`` (share of all sessions) and
        ``rate_truth`` (share of the real humans' sessions, from the answer key).
        ``kept + removed == sessions`` always.

    Examples
    --------
    >>> inputs = pd.DataFrame({
    ...     "session_id": ["a", "b", "c", "d"], "duration_s": [6.0, 300.0, 60.0, 30.0],
    ...     "pageviews": [12, 5, 1, 2], "form_seconds": [None, 31.0, 0.8, None],
    ...     "fixed_bot": [False, False, False, True],
    ...     "truth_bot": [True, False, True, True],
    ...     "converted": [False, True, True, False]})
    >>> result = bot_rules_tradeoff(inputs, 30, 3.0)
    >>> result["removed"], result["recall"], result["rate"], result["rate_with_bots"]
    (3, 1.0, 1.0, 0.5)
    >>> bot_rules_tradeoff(inputs, 30, None)["rate"]   # the fast-form rule off
    1.0
    >>> bot_rules_tradeoff(inputs, None, None)["removed"]
    1
    """
    import dataclasses

    from helpers import bots

    func = "bot_rules_tradeoff"
    _need_columns(
        func,
        "inputs",
        inputs,
        ("duration_s", "pageviews", "form_seconds", "fixed_bot", "truth_bot", "converted"),
    )
    rules = inputs.attrs.get("rules") or bots.BotRules()
    moving = dataclasses.replace(
        rules,
        missing_ua=False,
        too_fast_seconds=None,
        schedule_min_sessions=None,
        max_pages_per_minute=None if max_pages_per_minute is None else float(max_pages_per_minute),
        fast_form_seconds=None if fast_form_seconds is None else float(fast_form_seconds),
    )
    if moving.enabled:
        # Behaviour only: an empty agent column with missing_ua=False gives no UA verdict.
        frame = inputs[["duration_s", "pageviews", "form_seconds"]].assign(_no_agent="")
        flagged = bots.label(frame, moving, ua_column="_no_agent", fallback=False)
        moved = flagged["is_bot"].to_numpy(dtype=bool)
    else:
        moved = np.zeros(len(inputs), dtype=bool)
    is_bot = inputs["fixed_bot"].to_numpy(dtype=bool) | moved
    truth = inputs["truth_bot"].to_numpy(dtype=bool)
    converted = inputs["converted"].to_numpy(dtype=bool)
    tp = int((is_bot & truth).sum())
    fp = int((is_bot & ~truth).sum())
    fn = int((~is_bot & truth).sum())
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = (
        2 * precision * recall / (precision + recall)
        if tp and precision + recall > 0
        else (0.0 if tp + fp and tp + fn else float("nan"))
    )
    kept = ~is_bot

    def share(mask: np.ndarray) -> float:
        return float(converted[mask].mean()) if mask.any() else float("nan")

    return {
        "max_pages_per_minute": max_pages_per_minute,
        "fast_form_seconds": fast_form_seconds,
        "sessions": len(inputs),
        "removed": int(is_bot.sum()),
        "kept": int(kept.sum()),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_alarms": fp,
        "missed": fn,
        "conversion": str(inputs.attrs.get("conversion", "conversion")),
        "conversions": int(converted[kept].sum()),
        "rate": share(kept),
        "rate_with_bots": share(np.ones(len(inputs), dtype=bool)),
        "rate_truth": share(~truth),
    }


def _bot_pct(x: float, digits: int) -> str:
    return "n/a" if x != x else f"{x:.{digits}%}"


def bot_rules_summary(result: Mapping[str, Any]) -> str:
    """The explorer's key figure as text, from a :func:`bot_rules_tradeoff` result.

    This is exactly the text of the ``kit-explorer-result`` element of
    :func:`bot_rules_explorer` for those thresholds (the browser test compares them).

    Examples
    --------
    >>> bot_rules_summary({"conversion": "newsletter_signup", "rate": 0.041838,
    ...                    "removed": 5193, "precision": 0.99403, "recall": 0.99942})
    'Newsletter signup rate 4.18% · 5,193 removed · precision 99.4% · recall 99.9%'
    """
    name = str(result["conversion"]).replace("_", " ")
    return (
        f"{name[:1].upper()}{name[1:]} rate {_bot_pct(result['rate'], 2)} · "
        f"{result['removed']:,} removed · precision {_bot_pct(result['precision'], 1)} · "
        f"recall {_bot_pct(result['recall'], 1)}"
    )


def bot_rules_sweep(
    inputs: pd.DataFrame,
    rule: str = "fast_form_seconds",
    thresholds: Any = None,
    **fixed: float | None,
) -> pd.DataFrame:
    """:func:`bot_rules_tradeoff` for a range of one threshold: a row per value tried.

    Parameters
    ----------
    inputs : DataFrame
        From :func:`bot_rules_inputs`.
    rule : {"fast_form_seconds", "max_pages_per_minute"}, default "fast_form_seconds"
        The threshold to vary.
    thresholds : sequence of float, optional
        The values to try; by default the explorer's range for that rule.
    **fixed
        The other threshold, e.g. ``max_pages_per_minute=30`` (its default otherwise).

    Returns
    -------
    DataFrame
        Column ``threshold`` (the value tried), then every key of the tradeoff result;
        ready for ``plots.precision_recall``.

    Examples
    --------
    >>> inputs = pd.DataFrame({
    ...     "session_id": ["a", "b"], "duration_s": [60.0, 90.0], "pageviews": [1, 1],
    ...     "form_seconds": [1.0, 8.0], "fixed_bot": [False, False],
    ...     "truth_bot": [True, False], "converted": [True, True]})
    >>> bot_rules_sweep(inputs, thresholds=[0.5, 2, 10])[["threshold", "removed", "recall"]]
       threshold  removed  recall
    0        0.5        0     0.0
    1        2.0        1     1.0
    2       10.0        2     1.0
    """
    ranges = {
        "fast_form_seconds": np.arange(0.5, 12.01, 0.5),
        "max_pages_per_minute": np.arange(5, 61, 5),
    }
    if rule not in ranges:
        raise ValueError(
            f"bot_rules_sweep(): rule must be one of {', '.join(ranges)}; got {rule!r}."
        )
    unknown = set(fixed) - set(ranges)
    if unknown or rule in fixed:
        raise TypeError(
            f"bot_rules_sweep(): fix only the other threshold by name "
            f"({', '.join(r for r in ranges if r != rule)}); got {', '.join(sorted(fixed))}."
        )
    values = ranges[rule] if thresholds is None else thresholds
    rows = [
        {"threshold": float(v), **bot_rules_tradeoff(inputs, **{rule: float(v)}, **fixed)}
        for v in values
    ]
    return pd.DataFrame(rows)


def bot_rules_explorer(
    sessions: pd.DataFrame,
    answer_key: pd.DataFrame,
    events: pd.DataFrame,
    *,
    conversion: str = "newsletter_signup",
    rules: Any = None,
    inputs: pd.DataFrame | None = None,
) -> Explorer:
    """Two thresholds to change: what is removed, precision, recall and the rate.

    Number boxes ``max_pages_per_minute`` (5-60, step 5) and ``fast_form_seconds`` (0.5-12 s,
    step 0.5) start at the values of ``rules``. The logic is :func:`bot_rules_tradeoff` on
    :func:`bot_rules_inputs` (computed once here); the key figure is
    :func:`bot_rules_summary`. Each move takes a few milliseconds plus the chart.

    Parameters
    ----------
    sessions, answer_key, events : DataFrame
        As :func:`bot_rules_inputs` takes them.
    conversion : str, default "newsletter_signup"
        The event whose rate per session is shown.
    rules : BotRules, optional
        The fixed rules and the sliders' starting values (``BotRules()`` by default).
    inputs : DataFrame, optional
        ``bot_rules_inputs(sessions, answer_key, events, ...)`` when you have it already:
        it is used as is (``conversion`` and ``rules`` are then read from it), which skips
        the slow part.

    Returns
    -------
    Explorer
        Controls ``"max_pages_per_minute"`` and ``"fast_form_seconds"``; ``.result`` is the
        :func:`bot_rules_tradeoff` dict.
    """
    from helpers import bots, plots

    if inputs is None:
        inputs = bot_rules_inputs(
            sessions, answer_key, events, conversion=conversion, rules=rules
        )
    else:
        _need_columns(
            "bot_rules_explorer", "inputs", inputs, ("fixed_bot", "truth_bot", "converted")
        )
    start = inputs.attrs.get("rules") or bots.BotRules()
    style = {"description_width": "initial"}
    pages = w.BoundedIntText(
        value=int(start.max_pages_per_minute or 30),
        min=5,
        max=60,
        step=5,
        description="max pages per minute",
        style=style,
        continuous_update=False,
    )
    form = w.BoundedFloatText(
        value=float(start.fast_form_seconds or 3.0),
        min=0.5,
        max=12.0,
        step=0.5,
        description="fast form (seconds)",
        style=style,
        continuous_update=False,
    )

    def key(result: dict[str, Any]) -> tuple[str, float]:
        return bot_rules_summary(result), round(float(result["rate"]), 6)

    def render(result: dict[str, Any]) -> list[Any]:
        name = result["conversion"]
        table = pd.DataFrame(
            {
                "with bots": [result["rate_with_bots"]],
                "without bots": [result["rate"]],
                "truth": [result["rate_truth"]],
            },
            index=[name],
        )
        ax = plots.rates_with_without_bots(
            table,
            title=(
                f"This filter: {_bot_pct(result['rate'], 2)} "
                f"(truth {_bot_pct(result['rate_truth'], 2)}, "
                f"bots left in {_bot_pct(result['rate_with_bots'], 2)})"
            ),
        )
        ax.get_figure().set_size_inches(7.0, 2.4)
        shown = pd.DataFrame(
            {
                "value": [
                    f"{result['removed']:,} of {result['sessions']:,}",
                    f"{result['false_alarms']:,}",
                    f"{result['missed']:,}",
                    _bot_pct(result["precision"], 1),
                    _bot_pct(result["recall"], 1),
                    f"{result['conversions']:,} of {result['kept']:,} kept sessions",
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

    return explorer(
        {"max_pages_per_minute": pages, "fast_form_seconds": form},
        lambda max_pages_per_minute, fast_form_seconds: bot_rules_tradeoff(
            inputs, max_pages_per_minute, fast_form_seconds
        ),
        key=key,
        render=render,
        title="Move two bot thresholds: what goes, how well, and the rate that is left",
    )


# --------------------------------------------------------------------------- lesson 03: persona builder

#: The "when" choices of the persona builder: signal of :func:`helpers.personas.visitors`
#: and the least share of the visitor's sessions it needs.
BUILDER_TIMES: dict[str, tuple[str, float]] = {
    "office hours": ("office_hours_share", 0.5),
    "evenings": ("evening_share", 0.3),
    "weekends": ("weekend_share", 0.5),
}

#: The devices the persona builder offers; "desktop" means desktop_share >= 0.5.
BUILDER_DEVICES: tuple[str, ...] = ("desktop", "mobile", "tablet")

__all__ += [
    "BUILDER_DEVICES",
    "BUILDER_TIMES",
    "PersonaMatch",
    "build_persona",
    "persona_builder",
    "persona_builder_explorer",
    "persona_builder_summary",
    "visitor_segments",
]


def visitor_segments(answer_key: pd.DataFrame | pd.Series) -> pd.Series:
    """Each visitor's true segment, from the answer key (which has one row per session).

    The answer key grades a persona; it never builds one. A visitor whose sessions disagree
    gets their most frequent segment (ties: alphabetical first).

    Parameters
    ----------
    answer_key : DataFrame or Series
        ``visitor_id`` and ``segment`` columns; a Series (already one segment per visitor)
        is returned as it is.

    Returns
    -------
    Series
        Segment per visitor, indexed by ``visitor_id``, named ``segment``.

    Examples
    --------
    >>> key = pd.DataFrame({"visitor_id": ["a", "a", "b"],
    ...                     "segment": ["potential_buyer", "potential_buyer", "stumbled"]})
    >>> visitor_segments(key).to_dict()
    {'a': 'potential_buyer', 'b': 'stumbled'}
    """
    if isinstance(answer_key, pd.Series):
        return answer_key.rename("segment")
    func = "visitor_segments"
    _need_columns(func, "answer_key", answer_key, ("visitor_id", "segment"))
    pairs = pd.DataFrame(
        {
            "visitor_id": answer_key["visitor_id"].astype("string").to_numpy(),
            "segment": answer_key["segment"].astype("string").to_numpy(),
        }
    ).dropna()
    sizes = pairs.groupby(["visitor_id", "segment"], sort=True).size().rename("n").reset_index()
    sizes = sizes.sort_values(["visitor_id", "n", "segment"], ascending=[True, False, True],
                              kind="stable")
    best = sizes.drop_duplicates("visitor_id")
    out = pd.Series(best["segment"].to_numpy(), index=pd.Index(best["visitor_id"].to_numpy(),
                    name="visitor_id"), name="segment", dtype="string")
    return out


def build_persona(
    topic: str = "office",
    device: str = "desktop",
    time_of_day: str = "office hours",
    channel: str = "any",
    *,
    topic_weight: float = 2.0,
    name: str = "my_persona",
) -> Any:
    """A :class:`helpers.personas.Persona` from the persona builder's choices.

    Each choice other than ``"any"`` adds one criterion: reading a topic (weight
    ``topic_weight``), a device for at least half of the visits, a time of day
    (:data:`BUILDER_TIMES`), a main channel (weight 1 each).

    Parameters
    ----------
    topic : str, default "office"
        A topic of :data:`helpers.personas.DEFAULT_TOPICS` (criterion ``reads_<topic>``).
    device : str, default "desktop"
        One of :data:`BUILDER_DEVICES` (criterion ``<device>_share >= 0.5``).
    time_of_day : str, default "office hours"
        A key of :data:`BUILDER_TIMES`.
    channel : str, default "any"
        A marketing channel (criterion ``main_channel = <channel>``).
    topic_weight : float, default 2.0
    name : str, default "my_persona"

    Returns
    -------
    Persona

    Raises
    ------
    ValueError
        When every choice is "any" (a persona needs a criterion) or a choice is unknown.

    Examples
    --------
    >>> build_persona("espresso", "mobile", "evenings").stated()
    ['reads_espresso = True', 'mobile_share >= 0.5', 'evening_share >= 0.3']
    """
    from helpers import personas

    func = "build_persona"
    criteria = []
    if topic != "any":
        criteria.append(personas.Criterion(f"reads_{topic}", values=(True,), weight=topic_weight))
    if device != "any":
        if device not in BUILDER_DEVICES:
            raise ValueError(
                f"{func}(): device {device!r} is not one of {', '.join(BUILDER_DEVICES)} or 'any'."
            )
        criteria.append(personas.Criterion(f"{device}_share", low=0.5))
    if time_of_day != "any":
        if time_of_day not in BUILDER_TIMES:
            raise ValueError(
                f"{func}(): time_of_day {time_of_day!r} is not one of "
                f"{', '.join(BUILDER_TIMES)} or 'any'."
            )
        signal, least = BUILDER_TIMES[time_of_day]
        criteria.append(personas.Criterion(signal, low=least))
    if channel != "any":
        criteria.append(personas.Criterion("main_channel", values=(channel,)))
    if not criteria:
        raise ValueError(
            f"{func}(): every choice is 'any', so the persona has no criterion. Pick a topic, "
            "a device, a time of day or a channel."
        )
    return personas.Persona(name, "Built in the lesson-03 persona builder.", tuple(criteria))


class PersonaMatch:
    """What the persona builder finds: who matches, and how many are potential buyers.

    Built by :func:`persona_builder`; read-only.

    Attributes
    ----------
    persona : Persona
        The persona built from the choices.
    min_score : float
        Visitors scoring at least this match.
    visitors : int
        Human visitors scored.
    matched : int
        Visitors who match.
    buyers : int
        Matched visitors who are potential buyers in the answer key.
    all_buyers : int
        Potential buyers among all the visitors scored.
    by_segment : Series
        Matched visitors per true segment (answer key).
    """

    __slots__ = ("all_buyers", "buyers", "by_segment", "matched", "min_score", "persona",
                 "visitors")

    def __init__(self, persona: Any, min_score: float, visitors: int, matched: int,
                 buyers: int, all_buyers: int, by_segment: pd.Series) -> None:
        self.persona = persona
        self.min_score = float(min_score)
        self.visitors = int(visitors)
        self.matched = int(matched)
        self.buyers = int(buyers)
        self.all_buyers = int(all_buyers)
        self.by_segment = by_segment

    @property
    def precision(self) -> float:
        """Share of the matched visitors who are potential buyers (NaN when none match)."""
        return self.buyers / self.matched if self.matched else float("nan")

    @property
    def recall(self) -> float:
        """Share of all potential buyers that the persona matches (NaN when there are none)."""
        return self.buyers / self.all_buyers if self.all_buyers else float("nan")

    def summary(self) -> str:
        """The explorer's key figure, e.g. ``'1,020 humans match · 790 potential buyers ·
        precision 77%'``."""
        precision = "n/a" if not self.matched else f"{self.precision:.0%}"
        return (
            f"{self.matched:,} humans match · {self.buyers:,} potential buyers · "
            f"precision {precision}"
        )

    def __repr__(self) -> str:
        rule = " + ".join(self.persona.stated())
        recall = "n/a" if not self.all_buyers else f"{self.recall:.0%}"
        return (
            f"PersonaMatch({rule}; min score {self.min_score:g}: {self.summary()}, "
            f"recall {recall} of {self.all_buyers:,} potential buyers)"
        )


def persona_builder(
    visitors: pd.DataFrame,
    truth: pd.DataFrame | pd.Series,
    topic: str = "office",
    device: str = "desktop",
    time_of_day: str = "office hours",
    channel: str = "any",
    min_score: float = 0.5,
) -> PersonaMatch:
    """Build a persona from a few choices, match it to visitors, grade it with the answer key.

    The logic of :func:`persona_builder_explorer`. Fast when ``truth`` is already one
    segment per visitor (:func:`visitor_segments`): the visitor signals are computed once,
    before, with :func:`helpers.personas.visitors`, and each call only scores them.

    Parameters
    ----------
    visitors : DataFrame
        Human visitors (bots filtered out first), one row each, as
        :func:`helpers.personas.visitors` returns (indexed by ``visitor_id``).
    truth : DataFrame or Series
        The answer key (``visitor_id``, ``segment``) or its :func:`visitor_segments`.
        Used only to grade: a matched visitor is a potential buyer when their segment is
        ``potential_buyer``.
    topic, device, time_of_day, channel : str
        The choices, see :func:`build_persona` (``"any"`` leaves a signal out).
    min_score : float, default 0.5
        Visitors whose score (:func:`helpers.personas.score`) is at least this match.

    Returns
    -------
    PersonaMatch

    Examples
    --------
    >>> v = pd.DataFrame({"reads_office": [True, True, False, True],
    ...                   "desktop_share": [1.0, 0.0, 1.0, 1.0],
    ...                   "office_hours_share": [1.0, 0.0, 1.0, 0.0]},
    ...                  index=pd.Index(["a", "b", "c", "d"], name="visitor_id"))
    >>> truth = pd.Series(["potential_buyer", "stumbled", "stumbled", "potential_buyer"],
    ...                   index=["a", "b", "c", "d"])
    >>> found = persona_builder(v, truth, min_score=0.75)
    >>> found.summary()
    '2 humans match · 2 potential buyers · precision 100%'
    >>> persona_builder(v, truth, min_score=0.5).summary()
    '4 humans match · 2 potential buyers · precision 50%'
    """
    from helpers import personas

    func = "persona_builder"
    if not isinstance(visitors, pd.DataFrame):
        raise TypeError(
            f"{func}(): visitors must be a DataFrame (personas.visitors(humans, events)), got "
            f"{type(visitors).__name__}."
        )
    if isinstance(min_score, bool) or not isinstance(min_score, (int, float, np.number)) or not (
        0 <= float(min_score) <= 1
    ):
        raise ValueError(f"{func}(): min_score must be between 0 and 1, got {min_score!r}.")
    persona = build_persona(topic, device, time_of_day, channel)
    missing = [c.signal for c in persona.criteria if c.signal not in visitors.columns]
    if missing:
        raise KeyError(
            f"{func}(): visitors has no column {missing[0]!r}. Build it with "
            "personas.visitors(humans, events) (events add the reads_<topic> columns)."
        )
    scores = personas.score(visitors, persona).to_numpy()
    hit = scores >= float(min_score) - 1e-12
    segment = visitor_segments(truth)
    keys = visitors.index.astype("string")
    seg = pd.Series(segment.reindex(keys).to_numpy(), index=visitors.index, dtype="string")
    seg = seg.fillna("unknown")
    is_buyer = seg.eq("potential_buyer").to_numpy(dtype=bool)
    counts = seg[hit].value_counts()
    # potential buyers first, then the humans who are not, then bots the filter missed
    first = ("potential_buyer", "loyal_customer", "stumbled", "bot")
    order = [s for s in first if s in counts.index or s == "potential_buyer"]
    order += sorted(set(counts.index) - set(order))
    by_segment = counts.reindex(order, fill_value=0).astype("int64").rename("visitors")
    by_segment.index.name = "segment"
    return PersonaMatch(
        persona=persona,
        min_score=float(min_score),
        visitors=len(visitors),
        matched=int(hit.sum()),
        buyers=int((hit & is_buyer).sum()),
        all_buyers=int(is_buyer.sum()),
        by_segment=by_segment,
    )


def persona_builder_summary(
    visitors: pd.DataFrame, truth: pd.DataFrame | pd.Series, **choices: Any
) -> str:
    """The persona builder's key figure for these choices, as the explorer shows it.

    Exactly the text of the ``kit-explorer-result`` element of
    :func:`persona_builder_explorer` (the browser test compares them).

    Parameters
    ----------
    visitors, truth
        As for :func:`persona_builder`.
    **choices
        ``topic``, ``device``, ``time_of_day``, ``channel``, ``min_score``; the explorer's
        starting values when left out.

    Examples
    --------
    >>> v = pd.DataFrame({"reads_office": [True, False], "desktop_share": [1.0, 1.0],
    ...                   "office_hours_share": [1.0, 1.0]}, index=["a", "b"])
    >>> persona_builder_summary(v, pd.Series(["potential_buyer", "stumbled"], index=["a", "b"]),
    ...                         topic="office", min_score=0.9)
    '1 humans match · 1 potential buyers · precision 100%'
    """
    return persona_builder(visitors, truth, **choices).summary()


def _builder_topics(visitors: pd.DataFrame) -> list[str]:
    from helpers import personas

    have = [c[len("reads_"):] for c in visitors.columns if str(c).startswith("reads_")]
    known = [t for t in personas.DEFAULT_TOPICS if t in have]
    return known + sorted(set(have) - set(known))


def persona_builder_explorer(
    visitors: pd.DataFrame, answer_key: pd.DataFrame | pd.Series
) -> Explorer:
    """Build a persona with a few controls; see how many humans match and how many are buyers.

    Controls, in order: ``topic`` (the topic read, weight 2; a dropdown, the first
    ``<select>``), ``device``, ``time_of_day``, ``channel`` (dropdowns, weight 1 each; "any"
    leaves the signal out) and ``min_score`` (a number box). The logic is
    :func:`persona_builder`; the key figure is :func:`persona_builder_summary`; the chart
    shows the matched visitors by their true segment.

    Parameters
    ----------
    visitors : DataFrame
        Human visitors from :func:`helpers.personas.visitors` (computed once, before).
    answer_key : DataFrame or Series
        ``visitor_id`` and ``segment``; only grades the persona.

    Returns
    -------
    Explorer
        ``.result`` is the :class:`PersonaMatch` for the current choices.
    """
    from helpers import plots

    func = "persona_builder_explorer"
    if not isinstance(visitors, pd.DataFrame):
        raise TypeError(f"{func}(): visitors must be a DataFrame, got {type(visitors).__name__}.")
    truth = visitor_segments(answer_key)  # once: each move only scores the visitors
    topics = _builder_topics(visitors)
    if not topics:
        raise KeyError(
            f"{func}(): visitors has no reads_<topic> columns; build it with "
            "personas.visitors(humans, events)."
        )
    channels = (
        visitors["main_channel"].dropna().astype(str).value_counts().index.tolist()
        if "main_channel" in visitors.columns
        else []
    )
    narrow = {"description_width": "initial"}
    controls = {
        "topic": w.Dropdown(options=[*topics, "any"], value="office" if "office" in topics
                            else topics[0], description="reads", style=narrow,
                            layout=w.Layout(width="190px")),
        "device": w.Dropdown(options=[*BUILDER_DEVICES, "any"], value="desktop",
                             description="device", style=narrow,
                             layout=w.Layout(width="160px")),
        "time_of_day": w.Dropdown(options=[*BUILDER_TIMES, "any"], value="office hours",
                                  description="when", style=narrow,
                                  layout=w.Layout(width="180px")),
        "channel": w.Dropdown(options=["any", *channels], value="any", description="channel",
                              style=narrow, layout=w.Layout(width="210px")),
        "min_score": w.BoundedFloatText(value=0.5, min=0.05, max=1.0, step=0.05,
                                        description="min score", style=narrow,
                                        layout=w.Layout(width="200px")),
    }

    def update(**choices: Any) -> PersonaMatch:
        return persona_builder(visitors, truth, **choices)

    def key(found: PersonaMatch) -> tuple[str, float]:
        value = round(found.precision, 6) if found.matched else float("nan")
        return found.summary(), value

    def render(found: PersonaMatch) -> list[Any]:
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
        text = Markdown(text)
        if not found.matched:
            return [text, "No visitor matches: lower the min score or drop a criterion."]
        shares = found.by_segment / found.matched
        ax = plots.bar_shares(
            shares,
            title=(
                f"{found.precision:.0%} of the {found.matched:,} matching humans are "
                "potential buyers"
            ),
            xlabel="share of the matching humans",
        )
        return [text, ax]

    box = explorer(controls, update, key=key, render=render,
                   title="Persona builder: who matches, and are they potential buyers?")
    for child in box.children:
        if isinstance(child, w.HBox):
            child.layout.flex_flow = "row wrap"
    return box


# --------------------------------------------------------------------------- lesson 04: catalogue

#: What the catalogue editor offers for each event.
CATALOGUE_CHOICES: tuple[str, ...] = ("micro", "macro", "not a conversion")

#: Events the catalogue editor leaves out by default: a page view is traffic, not a goal.
NOT_OFFERED: tuple[str, ...] = ("page_view",)

__all__ += [
    "CATALOGUE_CHOICES",
    "NOT_OFFERED",
    "CatalogueCounts",
    "catalogue_counts",
    "catalogue_explorer",
    "catalogue_from_choices",
    "catalogue_summary",
    "human_events_and_leads",
]


def human_events_and_leads(
    sessions: pd.DataFrame,
    events: pd.DataFrame,
    crm: pd.DataFrame | None = None,
    rules: Any = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events of human sessions, and the leads that are people: lesson 04's two inputs.

    The steps lesson 04 shows cell by cell, in one call:

    1. label the sessions with :func:`helpers.bots.label` and drop the events of bot
       sessions;
    2. find the leads in the remaining events and the CRM with
       :func:`helpers.leads.identify`;
    3. drop the leads whose visitor was only ever seen in bot sessions: bots that filled in
       a form got into the CRM, but they are not people.

    Parameters
    ----------
    sessions : DataFrame
        One row per visit (``session_id``, ``visitor_id`` and what ``bots.label`` needs).
    events : DataFrame
        One row per event, with ``session_id``, ``visitor_id``, ``timestamp``, ``event_name``.
    crm : DataFrame, optional
        The CRM export (``lead_id``, ``visitor_id``, ``created_at``, ``lead_source``).
    rules : helpers.bots.BotRules, optional
        Bot thresholds; the default rules when left out.

    Returns
    -------
    (human_events, human_leads) : tuple of DataFrames
        ``human_events`` has the columns of ``events``; ``human_leads`` those of
        ``leads.identify``.
    """
    from helpers import bots
    from helpers import leads as lead_helpers

    func = "human_events_and_leads"
    _need_columns(func, "sessions", sessions, ("session_id", "visitor_id"))
    _need_columns(func, "events", events, ("session_id", "visitor_id", "event_name"))
    labelled = bots.label(sessions) if rules is None else bots.label(sessions, rules)
    is_bot = labelled["is_bot"].to_numpy(dtype=bool)
    bot_sessions = labelled.loc[is_bot, "session_id"]
    human_events = events[~events["session_id"].isin(bot_sessions).to_numpy(dtype=bool)]
    lead_table = lead_helpers.identify(human_events, crm)
    seen_as_human = labelled.loc[~is_bot, "visitor_id"]
    bot_only = labelled.loc[is_bot & ~labelled["visitor_id"].isin(seen_as_human), "visitor_id"]
    keep = ~lead_table["visitor_id"].isin(bot_only).to_numpy(dtype=bool)
    return human_events, lead_table[keep].reset_index(drop=True)


def _offered_events(events: pd.DataFrame, extra: Any = ()) -> list[str]:
    """Default catalogue events first, then the other event names by frequency."""
    from helpers import conversions

    seen = events["event_name"].dropna().astype(str).value_counts().index.tolist()
    names = list(conversions.CATALOGUE) + [e for e in seen if e not in conversions.CATALOGUE]
    names += [str(e) for e in extra if str(e) not in names]
    return [e for e in names if e not in NOT_OFFERED]


def catalogue_from_choices(choices: Mapping[str, Any] | None = None, base: Any = None) -> Any:
    """A :class:`helpers.conversions.Catalogue` from the editor's choices, one per event.

    Parameters
    ----------
    choices : mapping of str to str, optional
        ``event -> "micro" | "macro" | "not a conversion"`` (``None`` also means not a
        conversion). Events left out keep their kind in ``base``.
    base : Catalogue, optional
        The catalogue to start from; ``conversions.CATALOGUE`` by default.

    Returns
    -------
    Catalogue

    Raises
    ------
    ValueError
        For a choice that is not one of :data:`CATALOGUE_CHOICES`.

    Examples
    --------
    >>> cat = catalogue_from_choices({"contact_form": "macro", "blog_comment": "not a conversion"})
    >>> cat.macro
    ('contact_form', 'purchase')
    >>> "blog_comment" in cat
    False
    """
    from helpers import conversions

    base = conversions.CATALOGUE if base is None else base
    overrides: dict[str, str | None] = {}
    for event, choice in dict(choices or {}).items():
        text = None if choice is None else str(choice).strip().lower()
        if text in (None, "", "none", "not a conversion"):
            overrides[str(event)] = None
        elif text in ("micro", "macro"):
            overrides[str(event)] = text
        else:
            raise ValueError(
                f"catalogue_from_choices(): {choice!r} for event {event!r} is not a choice. "
                f"Use one of: {', '.join(repr(c) for c in CATALOGUE_CHOICES)}."
            )
    return conversions.catalogue(overrides, base=base)


class CatalogueCounts:
    """What a catalogue gives on the data: conversions from leads, by kind and by event.

    Built by :func:`catalogue_counts`; read-only.

    Attributes
    ----------
    catalogue : Catalogue
        The catalogue counted with.
    by_event : DataFrame
        One row per offered event: ``kind`` (micro, macro or "not a conversion"),
        ``events`` (how many times leads did it) and ``leads`` (how many leads did it at
        least once).
    micro, macro : int
        Micro and macro conversions (events) made by leads.
    leads : int
        Leads with a visitor id (the people whose events can be counted).
    leads_with_micro, leads_with_macro : int
        Leads with at least one micro / macro conversion.
    """

    __slots__ = (
        "by_event", "catalogue", "leads", "leads_with_macro", "leads_with_micro", "macro",
        "micro",
    )

    def __init__(self, catalogue: Any, by_event: pd.DataFrame, micro: int, macro: int,
                 leads: int, leads_with_micro: int, leads_with_macro: int) -> None:
        self.catalogue = catalogue
        self.by_event = by_event
        self.micro = int(micro)
        self.macro = int(macro)
        self.leads = int(leads)
        self.leads_with_micro = int(leads_with_micro)
        self.leads_with_macro = int(leads_with_macro)

    @property
    def summary(self) -> str:
        """The key figure as text (what :func:`catalogue_summary` returns)."""
        return (
            f"From leads: {self.micro:,} micro and {self.macro:,} macro conversions; "
            f"{self.leads_with_macro:,} of {self.leads:,} leads have a macro conversion"
        )

    def totals(self) -> pd.DataFrame:
        """Micro and macro side by side: conversions (events) and leads (people)."""
        return pd.DataFrame(
            {
                "conversions": [self.micro, self.macro],
                "leads with one or more": [self.leads_with_micro, self.leads_with_macro],
            },
            index=pd.Index(["micro", "macro"], name="kind"),
        )

    def __repr__(self) -> str:
        return f"CatalogueCounts({self.summary})"


def catalogue_counts(
    events: pd.DataFrame,
    leads: pd.DataFrame,
    choices: Mapping[str, Any] | None = None,
    *,
    offered: Any = None,
    per: str = "visitor_id",
) -> CatalogueCounts:
    """Count the conversions leads made under a catalogue given as one choice per event.

    The logic of :func:`catalogue_explorer`. Only events of leads count (the rest are left
    out by :func:`helpers.conversions.count` with ``leads=``); pass events without bots, e.g.
    from :func:`human_events_and_leads`.

    Parameters
    ----------
    events : DataFrame
        One row per event, with ``per`` and ``event_name``.
    leads : DataFrame
        The leads, with ``per`` (e.g. from ``leads.identify``).
    choices : mapping of str to str, optional
        ``event -> "micro" | "macro" | "not a conversion"``; events left out keep their kind
        in ``conversions.CATALOGUE`` (events not in it are not conversions).
    offered : sequence of str, optional
        The events of the ``by_event`` table; by default the catalogue's events, then the
        other event names of ``events`` except :data:`NOT_OFFERED`.
    per : str, default "visitor_id"
        The person column.

    Returns
    -------
    CatalogueCounts

    Examples
    --------
    >>> ev = pd.DataFrame({
    ...     "visitor_id": ["a", "a", "a", "b", "b", "c"],
    ...     "event_name": ["newsletter_signup", "contact_form", "purchase",
    ...                    "newsletter_signup", "contact_form", "blog_comment"]})
    >>> people = pd.DataFrame({"visitor_id": ["a", "b"]})
    >>> catalogue_counts(ev, people)
    CatalogueCounts(From leads: 4 micro and 1 macro conversions; 1 of 2 leads have a macro conversion)
    >>> catalogue_counts(ev, people, {"contact_form": "macro"}).leads_with_macro
    2
    >>> catalogue_counts(ev, people, {"contact_form": "macro"}).by_event
                      kind  events  leads
    event
    newsletter_signup  micro       2      2
    blog_comment       micro       0      0
    social_follow      micro       0      0
    guide_download     micro       0      0
    contact_form       macro       2      2
    add_to_cart        micro       0      0
    purchase           macro       1      1
    """
    from helpers import conversions

    func = "catalogue_counts"
    _need_columns(func, "events", events, (per, "event_name"))
    _need_columns(func, "leads", leads, (per,))
    chosen = catalogue_from_choices(choices)
    names = list(offered) if offered is not None else _offered_events(events, chosen)
    per_lead = conversions.count(events, chosen, per=per, leads=leads)
    every = conversions.Catalogue([conversions.Conversion(e, "micro") for e in names])
    per_event = conversions.count(events, every, per=per, leads=leads, by_event=True)[names]
    by_event = pd.DataFrame(
        {
            "kind": [chosen[e] if e in chosen else CATALOGUE_CHOICES[2] for e in names],
            "events": per_event.sum().to_numpy(dtype="int64"),
            "leads": (per_event > 0).sum().to_numpy(dtype="int64"),
        },
        index=pd.Index(names, name="event"),
    )
    return CatalogueCounts(
        chosen,
        by_event,
        micro=per_lead["micro"].sum(),
        macro=per_lead["macro"].sum(),
        leads=len(per_lead),
        leads_with_micro=(per_lead["micro"] > 0).sum(),
        leads_with_macro=(per_lead["macro"] > 0).sum(),
    )


def catalogue_summary(
    events: pd.DataFrame, leads: pd.DataFrame, choices: Mapping[str, Any] | None = None
) -> str:
    """The key figure of :func:`catalogue_explorer` as text, for these choices.

    Exactly the text of the explorer's ``kit-explorer-result`` element (the browser test
    compares them).

    Examples
    --------
    >>> ev = pd.DataFrame({"visitor_id": ["a", "a", "b"],
    ...                    "event_name": ["contact_form", "purchase", "contact_form"]})
    >>> catalogue_summary(ev, pd.DataFrame({"visitor_id": ["a", "b"]}), {"contact_form": "macro"})
    'From leads: 0 micro and 3 macro conversions; 2 of 2 leads have a macro conversion'
    """
    return catalogue_counts(events, leads, choices).summary


def catalogue_explorer(
    events: pd.DataFrame, leads: pd.DataFrame, *, offered: Any = None
) -> Explorer:
    """A catalogue editor: for each event choose micro, macro or not a conversion.

    Every change recounts, with :func:`catalogue_counts`, the micro and macro conversions
    that leads made and the leads with at least one macro conversion (the key figure,
    :func:`catalogue_summary`), and redraws the conversions per event.

    Parameters
    ----------
    events : DataFrame
        Events without bots (``visitor_id``, ``event_name``).
    leads : DataFrame
        The leads (``visitor_id``).
    offered : sequence of str, optional
        The events to show a dropdown for, in order; by default the default catalogue's
        events, then the other event names except :data:`NOT_OFFERED`.

    Returns
    -------
    Explorer
        One ``Dropdown`` per event, under the event's name, with the options of
        :data:`CATALOGUE_CHOICES`, starting at the default catalogue; ``.result`` is the
        :class:`CatalogueCounts`. The key figure's ``data-value`` is the number of leads with
        a macro conversion.
    """
    from helpers import conversions, plots

    func = "catalogue_explorer"
    _need_columns(func, "events", events, ("visitor_id", "event_name"))
    _need_columns(func, "leads", leads, ("visitor_id",))
    names = list(offered) if offered is not None else _offered_events(events)
    default = conversions.CATALOGUE
    controls = {
        name: w.Dropdown(
            options=list(CATALOGUE_CHOICES),
            value=default[name] if name in default else CATALOGUE_CHOICES[2],
            description=name,
            style={"description_width": "130px"},
            layout=w.Layout(width="310px"),
        )
        for name in names
    }

    def key(result: CatalogueCounts) -> tuple[str, int]:
        return result.summary, result.leads_with_macro

    def render(result: CatalogueCounts) -> list[Any]:
        ax = plots.conversions_by_event(
            result.by_event,
            title=f"Leads made {result.micro:,} micro and {result.macro:,} macro conversions",
            unit="events by leads (grey: not a conversion)",
        )
        return [ax, result.totals()]

    box = explorer(
        controls,
        lambda **choices: catalogue_counts(events, leads, choices, offered=names),
        key=key,
        render=render,
        title="Your campaign's catalogue: which events are micro, macro, or not conversions?",
    )
    for child in box.children:
        if isinstance(child, w.HBox):
            child.layout = w.Layout(flex_flow="row wrap")
    return box


# --------------------------------------------------------------------------- lesson 05: rates

#: The interval methods the rate calculator offers (``helpers.conversions.rate`` accepts them).
RATE_METHODS: tuple[str, ...] = ("wilson", "clopper-pearson", "jeffreys")

#: How much more data the rate calculator compares your numbers with.
RATE_SCALES: tuple[int, ...] = (1, 10, 100)

__all__ += [
    "RATE_METHODS",
    "RATE_SCALES",
    "channel_funnel",
    "channel_funnel_explorer",
    "channel_funnel_summary",
    "rate_calculator",
    "rate_calculator_explorer",
    "rate_calculator_summary",
]


def rate_calculator(
    conversions: int,
    denominator: int,
    method: str = "wilson",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """A rate with its confidence interval, and the same rate on 10 and 100 times the data.

    The first row is your numbers; the others keep the rate and multiply both counts, to
    show how much narrower the interval gets with more data (about sqrt(10) ~ 3 times
    narrower for 10 times the data).

    Parameters
    ----------
    conversions : int
        How many converted (people, not events).
    denominator : int
        Out of how many (sessions, visitors or leads).
    method : {"wilson", "clopper-pearson", "jeffreys"}, default "wilson"
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        One row per scale in :data:`RATE_SCALES`: ``data`` (a label), ``conversions``,
        ``denominator``, ``rate``, ``low``, ``high`` (shares) and ``width`` (``high - low``).

    Raises
    ------
    ValueError
        As :func:`helpers.conversions.rate`: e.g. more conversions than the denominator
        ("did you count events instead of people?") or a denominator of 0.

    Examples
    --------
    >>> table = rate_calculator(10, 100)
    >>> table[["data", "conversions", "denominator"]]
                    data  conversions  denominator
    0       your numbers           10          100
    1   10 x (100 of 1,000)        100         1000
    2  100 x (1,000 of 10,000)     1000        10000
    >>> table[["rate", "low", "high"]].round(3)
       rate    low   high
    0   0.1  0.055  0.174
    1   0.1  0.083  0.120
    2   0.1  0.094  0.106
    """
    from helpers import conversions as conv

    rows = []
    for scale in RATE_SCALES:
        x, n = int(conversions) * scale, int(denominator) * scale
        found = conv.rate(x, n, confidence, method)
        label = "your numbers" if scale == 1 else f"{scale} x ({x:,} of {n:,})"
        rows.append({"data": label, **found.to_dict()})
    table = pd.DataFrame(rows)
    table["width"] = table["high"] - table["low"]
    return table


def rate_calculator_summary(
    conversions: int,
    denominator: int,
    method: str = "wilson",
    confidence: float = 0.95,
) -> str:
    """The rate calculator's key figure: the rate and its interval, as ``Rate.format()`` says it.

    This is exactly the text of the ``kit-explorer-result`` element of
    :func:`rate_calculator_explorer` for these control values (the browser test compares them).

    Examples
    --------
    >>> rate_calculator_summary(10, 100)
    '10.0% (10 of 100, 95% CI 5.5%-17.4%)'
    >>> rate_calculator_summary(10, 100, "clopper-pearson")
    '10.0% (10 of 100, 95% CI 4.9%-17.6%)'
    """
    from helpers import conversions as conv

    return conv.rate(conversions, denominator, confidence, method).format()


def _points(width: float) -> str:
    return f"{width * 100:.1f} points"


def rate_calculator_explorer(
    conversions: int = 10, denominator: int = 100, method: str = "wilson"
) -> Explorer:
    """Type two counts, pick an interval method, see the rate, its interval and what more data buys.

    The logic is :func:`rate_calculator`; the key figure is :func:`rate_calculator_summary`.
    Counts that cannot make a rate (more conversions than the denominator, a denominator of
    0) show the error :func:`helpers.conversions.rate` gives, which says what went wrong.

    Parameters
    ----------
    conversions, denominator : int
        Starting values of the two boxes (10 of 100: the worked example).
    method : str, default "wilson"
        Starting interval method, one of :data:`RATE_METHODS`.

    Returns
    -------
    Explorer
        Controls ``"conversions"``, ``"denominator"`` (``IntText``), ``"method"`` and
        ``"confidence"`` (``Dropdown``); ``.result`` is the :func:`rate_calculator` table.

    Examples
    --------
    >>> box = rate_calculator_explorer()
    >>> box.controls["method"].value = "jeffreys"
    >>> f"{box.result.loc[0, 'high']:.3f}"
    '0.170'
    """
    from helpers import plots

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
            options=list(RATE_METHODS), value=method, description="interval", style=style,
            layout=w.Layout(width="230px"),
        ),
        "confidence": w.Dropdown(
            options=[("90%", 0.90), ("95%", 0.95), ("99%", 0.99)], value=0.95,
            description="confidence", style=style, layout=w.Layout(width="170px"),
        ),
    }

    def key(table: pd.DataFrame) -> tuple[str, float]:
        values = {name: control.value for name, control in controls.items()}
        return rate_calculator_summary(**values), round(float(table.loc[0, "rate"]), 6)

    def render(table: pd.DataFrame) -> list[Any]:
        first, last = table.iloc[0], table.iloc[-1]
        title = (
            f"The interval is {_points(first['width'])} wide; "
            f"with {RATE_SCALES[-1]} x the data, {_points(last['width'])}"
        )
        ax = plots.rates_with_intervals(table, title, by="data", total=False)
        shown = table.assign(
            **{c: table[c].map("{:.1%}".format) for c in ("rate", "low", "high")},
            width=table["width"].map(lambda v: f"{v * 100:.1f} pts"),
        )
        return [ax, shown]

    return explorer(
        controls,
        rate_calculator,
        key=key,
        render=render,
        title="Rate calculator: how sure is a rate?",
    )


def _first_touch(sessions: pd.DataFrame) -> pd.DataFrame:
    """One row per visitor: the channel of their first session (first-touch attribution)."""
    order = ["started_at", "session_id"] if "session_id" in sessions.columns else ["started_at"]
    first = sessions.sort_values(order, kind="stable").drop_duplicates("visitor_id")
    return first[["visitor_id", "channel"]].reset_index(drop=True)


def channel_funnel(
    sessions: pd.DataFrame,
    leads: pd.DataFrame,
    channel: str = "all",
    *,
    remove_bots: bool = True,
    window_only: bool = True,
) -> pd.DataFrame:
    """The visitor -> lead -> MQL -> SQL -> customer funnel of the visitors one channel brought.

    Each visitor belongs to the channel of their first session (first-touch attribution).
    Their leads are the CRM rows with their ``visitor_id``; offline leads (no visitor id)
    cannot be followed from a visit and are left out.

    Parameters
    ----------
    sessions : DataFrame
        One row per visit: ``session_id``, ``visitor_id``, ``started_at``, ``channel`` and
        the columns :func:`helpers.bots.label` needs when ``remove_bots``.
    leads : DataFrame
        The CRM export: ``visitor_id``, ``created_at``, ``stage``.
    channel : str, default "all"
        A channel, or "all".
    remove_bots : bool, default True
        Drop bot sessions first, so bots are not counted as visitors. With False, they are:
        a classic mistake. Sessions are labelled with :func:`helpers.bots.label`, unless
        they already have an ``is_bot`` column (then that verdict is used as it is).
    window_only : bool, default True
        Keep only leads created on or after the first session of ``sessions`` (the traffic
        window). With False, old contacts who visited again count as new leads: another
        classic mistake.

    Returns
    -------
    DataFrame
        :func:`helpers.leads.pipeline` with ``visitors=``: ``stage`` (visitor, lead, mql,
        sql, customer), ``reached``, ``now_at``, ``disqualified``, ``rate``,
        ``rate_value``, ``low``, ``high``, ``overall``.

    Raises
    ------
    ValueError
        When no visitor came from ``channel``.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["s1", "s2", "s3", "s4"],
    ...     "visitor_id": ["a", "b", "c", "d"], "channel": ["email", "email", "social", "email"],
    ...     "started_at": pd.to_datetime(["2025-02-03"] * 4, utc=True)})
    >>> crm = pd.DataFrame({"visitor_id": ["a", "b", "c"], "stage": ["customer", "lead", "mql"],
    ...     "created_at": pd.to_datetime(["2025-02-03 10:00", "2024-01-01 09:00", "2025-02-04 08:00"],
    ...                                 utc=True)})
    >>> channel_funnel(s, crm, "email", remove_bots=False)[["stage", "reached", "overall"]].round(3)
          stage  reached  overall
    0   visitor        3    1.000
    1      lead        1    0.333
    2       mql        1    0.333
    3       sql        1    0.333
    4  customer        1    0.333
    """
    from helpers import bots
    from helpers import leads as lead_helpers

    func = "channel_funnel"
    _need_columns(func, "sessions", sessions, ("visitor_id", "started_at", "channel"))
    _need_columns(func, "leads", leads, ("visitor_id", "created_at", "stage"))
    start = sessions["started_at"].min()
    visits = sessions
    if remove_bots:
        flags = sessions["is_bot"] if "is_bot" in sessions.columns else bots.label(sessions)["is_bot"]
        visits = sessions[~flags.to_numpy(dtype=bool)]
    first = _first_touch(visits)
    if channel != "all":
        mask = first["channel"].astype("string").eq(channel).fillna(False).to_numpy(dtype=bool)
        if not mask.any():
            known = ", ".join(sorted(visits["channel"].dropna().astype(str).unique()))
            raise ValueError(
                f"{func}(): no visitors came from channel {channel!r}. Channels: {known}, "
                "or 'all'."
            )
        first = first[mask]
    mine = leads[leads["visitor_id"].isin(first["visitor_id"]).to_numpy(dtype=bool)]
    if window_only:
        mine = mine[(mine["created_at"] >= start).to_numpy(dtype=bool)]
    return lead_helpers.pipeline(mine, visitors=len(first))


def _channel_text(channel: str) -> str:
    return "all" if channel == "all" else str(channel).replace("_", " ")


def _funnel_summary(table: pd.DataFrame, channel: str) -> str:
    visitors = int(table["reached"].iloc[0])
    customers = int(table["reached"].iloc[-1])
    return (
        f"{customers / visitors:.1%} of {_channel_text(channel)} visitors became customers "
        f"({customers:,} of {visitors:,})"
    )


def channel_funnel_summary(
    sessions: pd.DataFrame,
    leads: pd.DataFrame,
    channel: str = "all",
    *,
    remove_bots: bool = True,
    window_only: bool = True,
) -> str:
    """The funnel explorer's key figure: the share of a channel's visitors who became customers.

    This is exactly the text of the ``kit-explorer-result`` element of
    :func:`channel_funnel_explorer` for these control values (the browser test compares them).

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["s1", "s2"], "visitor_id": ["a", "b"],
    ...     "channel": ["paid_search", "paid_search"],
    ...     "started_at": pd.to_datetime(["2025-02-03", "2025-02-04"], utc=True)})
    >>> crm = pd.DataFrame({"visitor_id": ["a"], "stage": ["customer"],
    ...     "created_at": pd.to_datetime(["2025-02-03 10:00"], utc=True)})
    >>> channel_funnel_summary(s, crm, "paid_search", remove_bots=False)
    '50.0% of paid search visitors became customers (1 of 2)'
    """
    table = channel_funnel(
        sessions, leads, channel, remove_bots=remove_bots, window_only=window_only
    )
    return _funnel_summary(table, channel)


def channel_funnel_explorer(sessions: pd.DataFrame, leads: pd.DataFrame) -> Explorer:
    """Pick a channel and see its visitors go through lead, MQL, SQL and customer.

    Two check boxes switch the classic mistakes on: leave the bots among the visitors, and
    count leads created before the traffic window (old contacts who came back).

    The logic is :func:`channel_funnel`; the key figure is :func:`channel_funnel_summary`.

    Parameters
    ----------
    sessions : DataFrame
        All sessions, bots included (the explorer filters them).
    leads : DataFrame
        The CRM export.

    Returns
    -------
    Explorer
        Controls ``"channel"`` (``Dropdown``: "all", then channels by number of sessions),
        ``"remove_bots"`` and ``"window_only"`` (``Checkbox``); ``.result`` is the
        :func:`channel_funnel` table.
    """
    from helpers import bots, plots

    _need_columns("channel_funnel_explorer", "sessions", sessions, ("channel",))
    channels = sessions["channel"].dropna().astype(str).value_counts().index.tolist()
    labelled = sessions if "is_bot" in sessions.columns else bots.label(sessions)  # once
    style = {"description_width": "initial"}
    controls = {
        "channel": w.Dropdown(
            options=["all", *channels], value="all", description="channel", style=style
        ),
        "remove_bots": w.Checkbox(
            value=True, description="filter out bots", indent=False, layout=w.Layout(width="auto")
        ),
        "window_only": w.Checkbox(
            value=True, description="only leads created in the traffic window", indent=False,
            layout=w.Layout(width="auto"),
        ),
    }

    def key(table: pd.DataFrame) -> tuple[str, float]:
        channel = controls["channel"].value
        overall = float(table["overall"].iloc[-1])
        return _funnel_summary(table, channel), round(overall, 6)

    def render(table: pd.DataFrame) -> list[Any]:
        channel = controls["channel"].value
        overall = float(table["overall"].iloc[-1])
        title = f"{overall:.1%} of {_channel_text(channel)} visitors become customers"
        mistakes = [
            text
            for text, on in (
                ("bots counted as visitors", not controls["remove_bots"].value),
                ("old leads counted as new", not controls["window_only"].value),
            )
            if on
        ]
        if mistakes:
            title += f" (wrong: {' and '.join(mistakes)})"
        ax = plots.funnel(table, title, step="stage", count="reached", unit="people")
        shown = pd.DataFrame(
            {
                "stage": table["stage"],
                "reached": table["reached"],
                "from previous stage": [
                    "" if r is None else str(r) for r in table["rate"]
                ],
            }
        )
        return [ax, shown]

    return explorer(
        controls,
        lambda channel, remove_bots, window_only: channel_funnel(
            labelled, leads, channel, remove_bots=remove_bots, window_only=window_only
        ),
        key=key,
        render=render,
        title="Funnel explorer: visitor → lead → MQL → SQL → customer",
    )


# --------------------------------------------------------------------------- lesson 06: score threshold

__all__ += [
    "score_threshold",
    "score_threshold_explorer",
    "score_threshold_inputs",
    "score_threshold_summary",
    "score_threshold_table",
]


def score_threshold_inputs(
    sessions: pd.DataFrame, events: pd.DataFrame, leads: pd.DataFrame
) -> pd.DataFrame:
    """The scored analysis set of lesson 06 (the input of :func:`score_threshold_explorer`).

    The steps lesson 06 shows cell by cell, in one call, with the default rules everywhere:

    1. ``bots.label(sessions)``; the visitors of bot sessions are bot visitors;
    2. ``leads.qualify(leads, bot_visitors=...)`` adds ``qualified`` and ``reasons``;
    3. ``is_customer``: the CRM stage is ``customer``;
    4. the analysis set: leads created at or after the first session of the traffic (older
       leads were settled before the window) that did not start with a purchase (customers
       from the start);
    5. ``leads.score(..., events=events)`` adds the points and ``score``.

    Returns
    -------
    DataFrame
        One row per lead of the analysis set: the CRM columns plus ``qualified``, ``reasons``,
        ``is_customer``, ``fit_points``, ``engagement_points``, ``score``, ``score_reasons``.

    Examples
    --------
    >>> from helpers import data
    >>> ds = data.load_all()
    >>> scored = score_threshold_inputs(ds.sessions, ds.events, ds.leads)
    >>> bool(scored["lead_source"].ne("purchase").all())
    True
    >>> bool((scored["created_at"] >= ds.sessions["started_at"].min()).all())
    True
    """
    from helpers import bots
    from helpers import leads as lead_tools

    func = "score_threshold_inputs"
    _need_columns(func, "sessions", sessions, ("visitor_id", "started_at"))
    _need_columns(func, "leads", leads, ("created_at", "lead_source", "stage"))
    labelled = bots.label(sessions)
    bot_visitors = labelled.loc[labelled["is_bot"].to_numpy(dtype=bool), "visitor_id"]
    qualified = lead_tools.qualify(leads, bot_visitors=bot_visitors)
    qualified = qualified.assign(is_customer=qualified["stage"].eq("customer").fillna(False))
    window_start = sessions["started_at"].min()
    in_scope = qualified["created_at"].ge(window_start) & qualified["lead_source"].ne("purchase")
    scoped = qualified[in_scope.fillna(False).to_numpy(dtype=bool)]
    return lead_tools.score(scoped, events=events)


def _threshold_inputs(
    func: str, scored: Any, score: str, customer: str
) -> tuple[np.ndarray, np.ndarray]:
    """The score as floats and the customer flag as bools, checked at the door."""
    _need_columns(func, "scored", scored, (score, customer))
    values = pd.to_numeric(scored[score], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    if np.isnan(values).any():
        raise ValueError(
            f"{func}(): column {score!r} has {int(np.isnan(values).sum())} missing or non-numeric "
            "scores; score every lead first (leads.score gives 0, never missing)."
        )
    flag = scored[customer]
    if flag.dtype == bool or str(flag.dtype) == "boolean":
        if flag.isna().any():
            raise ValueError(f"{func}(): column {customer!r} has missing values; fill them with False.")
        is_customer = flag.to_numpy(dtype=bool)
    elif pd.api.types.is_numeric_dtype(flag.dtype) and flag.isin([0, 1]).all():
        is_customer = flag.to_numpy(dtype=bool)
    else:
        raise TypeError(
            f"{func}(): column {customer!r} must be True/False (True for a lead that became a "
            f"customer), got dtype {flag.dtype}. Build it with "
            "leads_frame['stage'].eq('customer')."
        )
    return values, is_customer


def _threshold_row(values: np.ndarray, is_customer: np.ndarray, threshold: float) -> dict[str, Any]:
    keep = values >= threshold
    n, kept = len(values), int(keep.sum())
    customers, customers_kept = int(is_customer.sum()), int((keep & is_customer).sum())
    return {
        "threshold": threshold,
        "leads": n,
        "leads_kept": kept,
        "leads_share": kept / n if n else np.nan,
        "customers": customers,
        "customers_kept": customers_kept,
        "customers_share": customers_kept / customers if customers else np.nan,
        "rate_all": customers / n if n else np.nan,
        "rate_kept": customers_kept / kept if kept else np.nan,
    }


def score_threshold(
    scored: pd.DataFrame,
    threshold: float,
    *,
    score: str = "score",
    customer: str = "is_customer",
) -> pd.Series:
    """What a lead-score threshold keeps: leads, customers, and the customer rate of the kept leads.

    A lead is kept when its score is **at or above** the threshold (the leads sales would call).

    Parameters
    ----------
    scored : DataFrame
        One row per lead, with a numeric ``score`` column (e.g. from ``leads.score``) and a
        boolean ``customer`` column (True for a lead that became a customer).
    threshold : float
        Keep leads whose score is >= this.
    score, customer : str
        Column names.

    Returns
    -------
    Series
        ``threshold``; ``leads``, ``leads_kept``, ``leads_share`` (kept ÷ all leads);
        ``customers``, ``customers_kept``, ``customers_share`` (kept ÷ all customers);
        ``rate_all`` (customer rate of all leads) and ``rate_kept`` (customer rate of the kept
        leads; NaN when no lead is kept). Shares and rates are between 0 and 1.

    Examples
    --------
    >>> scored = pd.DataFrame({"score": [0, 10, 30, 30, 60],
    ...                        "is_customer": [False, True, False, True, True]})
    >>> score_threshold(scored, 30)[["leads_kept", "customers_kept", "customers_share", "rate_kept"]]
    leads_kept                3
    customers_kept            2
    customers_share    0.666667
    rate_kept          0.666667
    dtype: object
    """
    values, is_customer = _threshold_inputs("score_threshold", scored, score, customer)
    return pd.Series(_threshold_row(values, is_customer, threshold), dtype=object)


def score_threshold_table(
    scored: pd.DataFrame,
    thresholds: Any = None,
    *,
    step: float = 5,
    score: str = "score",
    customer: str = "is_customer",
) -> pd.DataFrame:
    """:func:`score_threshold` for many thresholds at once, one row each.

    Parameters
    ----------
    scored : DataFrame
        As for :func:`score_threshold`.
    thresholds : sequence of float, optional
        By default 0, ``step``, 2 × ``step``... up to the highest score (rounded up).
    step : float, default 5
        Spacing of the default thresholds (the default lead-score rules give multiples of 5).
    score, customer : str
        Column names.

    Returns
    -------
    DataFrame
        The columns of :func:`score_threshold`, one row per threshold, in increasing order.

    Examples
    --------
    >>> scored = pd.DataFrame({"score": [0, 10, 30, 30, 60],
    ...                        "is_customer": [False, True, False, True, True]})
    >>> score_threshold_table(scored, step=30)[["threshold", "leads_kept", "customers_kept"]]
       threshold  leads_kept  customers_kept
    0        0.0           5               3
    1       30.0           3               2
    2       60.0           1               1
    """
    func = "score_threshold_table"
    values, is_customer = _threshold_inputs(func, scored, score, customer)
    if thresholds is None:
        if not step > 0:
            raise ValueError(f"{func}(): step must be positive, got {step!r}.")
        top = float(np.nanmax(values)) if len(values) else 0.0
        thresholds = np.arange(0, np.ceil(max(top, 0.0) / step) * step + step / 2, step)
    rows = [_threshold_row(values, is_customer, float(t)) for t in sorted(thresholds)]
    return pd.DataFrame(rows)


def _threshold_text(row: Mapping[str, Any]) -> str:
    t = f"{row['threshold']:g}"
    if row["leads_kept"] == 0:
        return f"Score ≥ {t}: no lead scores this high (0 of {row['leads']:,} leads kept)"
    return (
        f"Score ≥ {t}: {row['leads_kept']:,} of {row['leads']:,} leads kept "
        f"({row['leads_share']:.0%}), {row['customers_kept']:,} of {row['customers']:,} "
        f"customers ({row['customers_share']:.0%}); customer rate {row['rate_kept']:.1%} "
        f"(all leads: {row['rate_all']:.1%})"
    )


def score_threshold_summary(
    scored: pd.DataFrame,
    threshold: float,
    *,
    score: str = "score",
    customer: str = "is_customer",
) -> str:
    """The key figure of :func:`score_threshold_explorer` as text.

    Exactly the text of the explorer's ``kit-explorer-result`` element for that threshold
    (the browser test compares them).

    Examples
    --------
    >>> scored = pd.DataFrame({"score": [0, 10, 30, 30, 60],
    ...                        "is_customer": [False, True, False, True, True]})
    >>> score_threshold_summary(scored, 30)
    'Score ≥ 30: 3 of 5 leads kept (60%), 2 of 3 customers (67%); customer rate 66.7% (all leads: 60.0%)'
    >>> score_threshold_summary(scored, 70)
    'Score ≥ 70: no lead scores this high (0 of 5 leads kept)'
    """
    return _threshold_text(score_threshold(scored, threshold, score=score, customer=customer))


def score_threshold_explorer(
    scored: pd.DataFrame,
    *,
    value: int = 30,
    step: int = 5,
    score: str = "score",
    customer: str = "is_customer",
) -> Explorer:
    """Move a lead-score threshold; see the leads kept, the customers kept and their rate.

    The logic is :func:`score_threshold`; the key figure (:func:`score_threshold_summary`)
    says how many leads and customers a threshold keeps and the customer rate of the kept
    leads. Below it, the score histogram (customers purple) with the threshold marked.

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
        ``step``); ``.result`` is the :func:`score_threshold` Series.
    """
    from helpers import plots

    func = "score_threshold_explorer"
    values, is_customer = _threshold_inputs(func, scored, score, customer)
    top = float(np.nanmax(values)) if len(values) else 0.0
    high = int(np.ceil(max(top, 0.0) / step) * step)
    slider = w.BoundedIntText(
        value=int(min(max(value, 0), high)),
        min=0,
        max=high,
        step=step,
        description="score ≥",
        continuous_update=False,
    )

    def update(threshold: int) -> pd.Series:
        return pd.Series(_threshold_row(values, is_customer, threshold), dtype=object)

    def key(row: pd.Series) -> tuple[str, Any]:
        rate = row["rate_kept"]
        return _threshold_text(row), ("" if pd.isna(rate) else round(float(rate), 6))

    def render(row: pd.Series) -> list[Any]:
        ax = plots.lead_score_hist(scored[score], scored[customer], row["threshold"])
        shown = pd.DataFrame(
            {
                "all leads": [row["leads"], row["customers"], f"{row['rate_all']:.1%}"],
                f"score ≥ {row['threshold']:g}": [
                    row["leads_kept"],
                    row["customers_kept"],
                    "–" if pd.isna(row["rate_kept"]) else f"{row['rate_kept']:.1%}",
                ],
            },
            index=["leads", "customers", "customer rate"],
        )
        return [ax, shown]

    return explorer(
        {"threshold": slider},
        update,
        key=key,
        render=render,
        title="Where would you set the lead-score threshold?",
    )


# --------------------------------------------------------------------------- lesson 07: capstone

#: What the capstone explorer can show per group: column of ``Capstone.visitors``, and words.
CAPSTONE_METRICS: dict[str, tuple[str, str]] = {
    "lead": ("is_lead", "became leads"),
    "purchase": ("bought", "bought something"),
}

#: The relative lift a recommended test is sized to detect: 0.2 means 10% -> 12%.
CAPSTONE_LIFT = 0.2

#: What personalisation could offer each of the kit's personas (used by the report).
PERSONA_OFFERS: dict[str, str] = {
    "home_barista": "brewing-gear bundles and the Home Brewing Guide next to the gear posts",
    "office_manager": "the office-plan pricing and a free trial box on the office-coffee pages",
    "cafe_owner": "wholesale samples and a café price list on the café-business posts",
}

__all__ += [
    "CAPSTONE_LIFT",
    "CAPSTONE_METRICS",
    "PERSONA_OFFERS",
    "Capstone",
    "CapstoneFocus",
    "capstone_explorer",
    "capstone_focus",
    "capstone_focus_summary",
    "capstone_rates",
    "capstone_report",
    "capstone_results",
    "capstone_segments",
    "visitors_per_version",
]


class Capstone:
    """The whole pipeline's results for one data set; built by :func:`capstone_results`.

    Read-only. Every number of the capstone report comes from here, so the report, the
    explorer and the exercise checks all read the same figures.

    Attributes
    ----------
    start, end : Timestamp
        First and last session start (the traffic window).
    sessions, bot_sessions : int
        All sessions, and those :func:`helpers.bots.label` flagged.
    audit : DataFrame
        :func:`helpers.bots.report`: sessions per reason, reconciling to the total.
    duplicates : int
        Exact duplicate event rows dropped (the same event recorded twice).
    human_events : DataFrame
        Events of human sessions, duplicates dropped.
    leads : DataFrame
        The leads that are people (:func:`helpers.leads.identify` on ``human_events`` and the
        CRM, minus visitors only ever seen as bots), plus ``new``: True when the lead's first
        contact (``first_at``) is inside the window.
    visitors : DataFrame
        One row per human visitor: ``visitor_id``, ``channel`` and ``landing_page`` of their
        first human session (first-touch attribution), ``persona`` and ``persona_score``
        (:func:`helpers.personas.assign`), ``is_lead`` (became a new lead in the window) and
        ``bought`` (made a macro conversion: a purchase with the default catalogue).
    per_lead : DataFrame
        :func:`helpers.conversions.count` of ``human_events`` for ``leads``: micro, macro and
        conversions per lead.
    qualified : DataFrame or None
        :func:`helpers.leads.qualify` of the CRM leads created in the window (bot-made ones
        flagged ``created_by_bot``); None without a CRM.
    cart : DataFrame or None
        :func:`helpers.conversions.funnel` add_to_cart -> purchase of human visitors; None
        when the events have no add_to_cart.
    confidence : float
        Coverage of every interval.
    """

    __slots__ = (
        "audit", "bot_sessions", "cart", "confidence", "duplicates", "end", "human_events",
        "leads", "per_lead", "qualified", "sessions", "start", "visitors",
    )

    def __init__(self, **fields: Any) -> None:
        for name in self.__slots__:
            object.__setattr__(self, name, fields[name])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Capstone is read-only; recompute with capstone_results() ({name}).")

    # ---- headline figures

    @property
    def days(self) -> int:
        """Length of the window in whole days."""
        return int((self.end - self.start) / pd.Timedelta(days=1)) + 1

    @property
    def bot_share(self) -> float:
        """Share of all sessions flagged as bots."""
        return self.bot_sessions / self.sessions if self.sessions else float("nan")

    @property
    def human_visitors(self) -> int:
        """Distinct human visitors (the denominator of the per-visitor rates)."""
        return len(self.visitors)

    def _rate(self, conversions: int, denominator: int, unit: str) -> Any:
        from helpers import conversions as conv

        return conv.rate(int(conversions), int(denominator), self.confidence, unit=unit)

    @property
    def lead_rate(self) -> Any:
        """Human visitors who became a new lead in the window, as a Rate."""
        return self._rate(self.visitors["is_lead"].sum(), len(self.visitors), "visitors")

    @property
    def purchase_rate(self) -> Any:
        """Human visitors with at least one macro conversion (a purchase), as a Rate."""
        return self._rate(self.visitors["bought"].sum(), len(self.visitors), "visitors")

    @property
    def new_leads(self) -> pd.DataFrame:
        """The leads whose first contact is in the window (web and offline)."""
        return self.leads[self.leads["new"].to_numpy(dtype=bool)]

    @property
    def new_web_leads(self) -> pd.DataFrame:
        """New leads with a visitor id: the ones whose web conversions can be followed."""
        new = self.new_leads
        return new[new["visitor_id"].notna().to_numpy(dtype=bool)]

    @property
    def lead_buy_rate(self) -> Any:
        """New web leads with a macro conversion ÷ new web leads (conversions ÷ leads)."""
        ids = self.new_web_leads["visitor_id"]
        macro = self.per_lead["macro"].reindex(ids, fill_value=0)
        return self._rate((macro > 0).sum(), len(ids), "leads")

    @property
    def micro_only_share(self) -> float:
        """Share of new web leads with micro conversions but no macro one."""
        ids = self.new_web_leads["visitor_id"]
        counts = self.per_lead.reindex(ids, fill_value=0)
        return float(((counts["micro"] > 0) & (counts["macro"] == 0)).mean()) if len(ids) else 0.0

    @property
    def conversions_by_kind(self) -> pd.Series:
        """Micro and macro conversions (events) made by leads in the window."""
        return self.per_lead[["micro", "macro"]].sum()

    @property
    def qualified_rate(self) -> Any:
        """CRM leads of the window that pass the quality rules, as a Rate (None without CRM)."""
        if self.qualified is None or not len(self.qualified):
            return None
        return self._rate(self.qualified["qualified"].sum(), len(self.qualified), "leads")

    @property
    def cart_rate(self) -> Any:
        """People who added to cart and then bought ÷ people who added to cart (or None)."""
        if self.cart is None or int(self.cart["people"].iloc[0]) == 0:
            return None
        people = self.cart["people"].to_numpy()
        return self._rate(people[-1], people[0], "people")

    def __repr__(self) -> str:
        return (
            f"Capstone({self.start:%d %b %Y}-{self.end:%d %b %Y}: {self.sessions:,} sessions, "
            f"{self.bot_share:.1%} bots, {self.human_visitors:,} human visitors, "
            f"lead rate {self.lead_rate.format()})"
        )


def capstone_results(
    sessions: pd.DataFrame,
    events: pd.DataFrame,
    crm: pd.DataFrame | None = None,
    *,
    rules: Any = None,
    persona_list: Any = None,
    catalogue: Any = None,
    confidence: float = 0.95,
) -> Capstone:
    """Run the whole pipeline once: traffic -> humans -> leads -> conversions -> rates.

    The steps lessons 02-06 teach, in the order lesson 07 shows them:

    1. label every session with :func:`helpers.bots.label` (nothing dropped; the audit is
       :func:`helpers.bots.report`) and keep the events of human sessions, without exact
       duplicate rows;
    2. find the leads with :func:`helpers.leads.identify` and drop those whose visitor was
       only ever seen as a bot; a lead is *new* when its first contact is in the window;
    3. count micro and macro conversions per lead with :func:`helpers.conversions.count`;
    4. give each human visitor the channel of their first session, a persona
       (:func:`helpers.personas.visitors` and :func:`helpers.personas.assign`) and two flags:
       became a new lead, made a macro conversion;
    5. qualify the CRM leads created in the window (:func:`helpers.leads.qualify`) and
       follow people from cart to purchase (:func:`helpers.conversions.funnel`).

    Parameters
    ----------
    sessions, events : DataFrame
        As :func:`helpers.data.load_sessions` / ``load_events`` return them (the kit's, a
        generated month, or your own files).
    crm : DataFrame, optional
        The CRM export (:func:`helpers.data.load_leads`). Without it, leads come from the
        web events only and nothing is qualified.
    rules : helpers.bots.BotRules, optional
        Bot thresholds; the defaults when left out.
    persona_list : sequence of helpers.personas.Persona, optional
        Default :data:`helpers.personas.DEFAULT_PERSONAS`.
    catalogue : helpers.conversions.Catalogue, optional
        Default :data:`helpers.conversions.CATALOGUE`.
    confidence : float, default 0.95

    Returns
    -------
    Capstone

    Examples
    --------
    >>> from helpers import synth
    >>> month = synth.generate(synth.SynthConfig(seed=3, start="2025-03-03", visitors=400))
    >>> results = capstone_results(month.sessions, month.events, month.leads)
    >>> results.sessions == len(month.sessions)
    True
    >>> int(results.audit.loc["total", "sessions"]) == results.sessions
    True
    """
    from helpers import bots, conversions, personas
    from helpers import leads as lead_helpers

    func = "capstone_results"
    _need_columns(func, "sessions", sessions, ("session_id", "visitor_id", "started_at", "channel"))
    _need_columns(func, "events", events, ("session_id", "visitor_id", "timestamp", "event_name"))
    if not len(sessions):
        raise ValueError(f"{func}(): sessions is empty; there is nothing to report on.")
    labelled = bots.label(sessions) if rules is None else bots.label(sessions, rules)
    is_bot = labelled["is_bot"].to_numpy(dtype=bool)
    humans = labelled[~is_bot]
    if not len(humans):
        raise ValueError(f"{func}(): every session was flagged as a bot; check the bot rules.")
    deduped = events.drop_duplicates()
    human_events = deduped[deduped["session_id"].isin(humans["session_id"]).to_numpy(dtype=bool)]
    human_events = human_events.reset_index(drop=True)

    start, end = labelled["started_at"].min(), labelled["started_at"].max()
    found = lead_helpers.identify(human_events, crm)
    seen_as_human = humans["visitor_id"]
    bot_only = labelled.loc[is_bot & ~labelled["visitor_id"].isin(seen_as_human), "visitor_id"]
    keep = ~found["visitor_id"].isin(bot_only).to_numpy(dtype=bool)
    lead_table = found[keep].reset_index(drop=True)
    lead_table = lead_table.assign(new=(lead_table["first_at"] >= start).to_numpy(dtype=bool))

    catalogue = conversions.CATALOGUE if catalogue is None else catalogue
    per_lead = conversions.count(human_events, catalogue, leads=lead_table)

    first = _first_touch(humans)
    landing = humans.sort_values(["started_at", "session_id"], kind="stable").drop_duplicates(
        "visitor_id"
    )
    table = first.copy()
    if "landing_page" in landing.columns:
        table["landing_page"] = table["visitor_id"].map(
            landing.set_index("visitor_id")["landing_page"]
        )
    signals = personas.visitors(humans, human_events)
    assigned = (
        personas.assign(signals) if persona_list is None else personas.assign(signals, persona_list)
    )
    order = [p.name for p in (persona_list or personas.DEFAULT_PERSONAS)] + ["none"]
    persona = table["visitor_id"].map(assigned["persona"]).fillna("none").astype(str)
    order += sorted(set(persona) - set(order))
    table["persona"] = pd.Categorical(persona, categories=order).remove_unused_categories()
    table["persona_score"] = table["visitor_id"].map(assigned["persona_score"]).astype(float)
    new_ids = lead_table.loc[lead_table["new"].to_numpy(dtype=bool), "visitor_id"].dropna()
    table["is_lead"] = table["visitor_id"].isin(new_ids).to_numpy(dtype=bool)
    macro_events = list(getattr(catalogue, "macro", ()))
    buyers = human_events.loc[human_events["event_name"].isin(macro_events), "visitor_id"]
    table["bought"] = table["visitor_id"].isin(buyers).to_numpy(dtype=bool)

    qualified = None
    if crm is not None and {"created_at", "email", "name"} <= set(crm.columns):
        window = crm[(crm["created_at"] >= start).to_numpy(dtype=bool)]
        qualified = lead_helpers.qualify(window, bot_visitors=bot_only)
    cart = None
    names = set(human_events["event_name"].astype(str).unique())
    if {"add_to_cart", "purchase"} <= names:
        cart = conversions.funnel(human_events, ["add_to_cart", "purchase"])

    return Capstone(
        start=start, end=end, sessions=len(labelled), bot_sessions=int(is_bot.sum()),
        audit=bots.report(labelled), duplicates=len(events) - len(deduped),
        human_events=human_events, leads=lead_table, visitors=table, per_lead=per_lead,
        qualified=qualified, cart=cart, confidence=confidence,
    )


def capstone_rates(results: Capstone, by: str = "channel", metric: str = "lead") -> pd.DataFrame:
    """Rate per group of human visitors, with intervals and a Total row.

    Parameters
    ----------
    results : Capstone
    by : {"channel", "persona"}, default "channel"
        A column of ``results.visitors``.
    metric : {"lead", "purchase"}, default "lead"
        "lead": share who became a new lead; "purchase": share who bought.

    Returns
    -------
    DataFrame
        :func:`helpers.conversions.rate_table`: ``by``, ``conversions``, ``visitors``,
        ``rate``, ``low``, ``high``.
    """
    from helpers import conversions

    if metric not in CAPSTONE_METRICS:
        raise ValueError(
            f"capstone_rates(): metric {metric!r} is not one of {', '.join(CAPSTONE_METRICS)}."
        )
    _need_columns("capstone_rates", "results.visitors", results.visitors, (by,))
    column = CAPSTONE_METRICS[metric][0]
    return conversions.rate_table(
        results.visitors, by, converted=column, unit="visitors", confidence=results.confidence
    )


def visitors_per_version(
    baseline: float, lift: float = CAPSTONE_LIFT, *, confidence: float = 0.95, power: float = 0.8
) -> int:
    """People each version of an A/B test needs to detect a relative lift of ``lift``.

    The usual two-proportion formula (two-sided test at ``1 - confidence``, with ``power``):
    plan the test's length from it *before* starting, and stop only when both versions
    have this many people.

    Examples
    --------
    >>> visitors_per_version(0.10)          # 10% -> 12%
    3841
    >>> visitors_per_version(0.10, lift=0.5) < visitors_per_version(0.10, lift=0.2)
    True
    """
    from scipy.stats import norm

    if not 0 < baseline < 1:
        raise ValueError(
            f"visitors_per_version(): baseline must be a rate between 0 and 1 (not 0 or 1), "
            f"got {baseline!r}."
        )
    target = baseline * (1 + lift)
    if not 0 < target < 1 or lift == 0:
        raise ValueError(
            f"visitors_per_version(): a lift of {lift!r} on {baseline!r} gives {target!r}; "
            "choose a lift that keeps the rate between 0 and 1 and is not 0."
        )
    z_a = norm.ppf(1 - (1 - confidence) / 2)
    z_b = norm.ppf(power)
    mean = (baseline + target) / 2
    spread = z_a * np.sqrt(2 * mean * (1 - mean)) + z_b * np.sqrt(
        baseline * (1 - baseline) + target * (1 - target)
    )
    return int(np.ceil(spread**2 / (target - baseline) ** 2))


# ---- the report


def _pc(x: float, digits: int = 1) -> str:
    return f"{x * 100:.{digits}f}%"


def _ci(r: Any) -> str:
    return f"{_pc(r.low)}–{_pc(r.high)}"


def _words(label: Any) -> str:
    return str(label).replace("_", " ")


def _clearly(table: pd.DataFrame, by: str) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """(groups clearly above the total, groups clearly below it, the total rate)."""
    is_total = table[by].astype(str).eq("Total").to_numpy()
    total = float(table.loc[is_total, "rate"].iloc[0])
    groups = table[~is_total]
    above = groups[groups["low"] > total].sort_values("rate", ascending=False)
    below = groups[groups["high"] < total].sort_values("visitors", ascending=False)
    return above, below, total


def _plan(baseline: Any, people_per_week: float, lift: float) -> str:
    """How many people a test needs, and how many weeks of this traffic that is."""
    if not 0 < baseline.value < 1 or baseline.value * (1 + lift) >= 1:
        return "no baseline to size a test on yet: collect a month of data first."
    need = visitors_per_version(baseline.value, lift, confidence=baseline.confidence)
    weeks = 2 * need / people_per_week if people_per_week > 0 else float("inf")
    after = _pc(baseline.value * (1 + lift))
    length = f"about {weeks:.0f} weeks" if weeks < 104 else "more than two years"
    text = (
        f"to see a {lift:.0%} lift ({_pc(baseline.value)} → {after}) the test needs "
        f"{need:,} people per version: {length} of this traffic, split 50/50."
    )
    bolder = 2.5 * lift
    if weeks > 13 and baseline.value * (1 + bolder) < 1:
        more = visitors_per_version(baseline.value, bolder, confidence=baseline.confidence)
        text += (
            f" Too long for one quarter: test a bolder change; a {bolder:.0%} lift needs "
            f"{more:,} per version (about {2 * more / people_per_week:.0f} weeks)."
        )
    return text


def _top_reason(qualified: pd.DataFrame) -> str:
    reasons = qualified.loc[~qualified["qualified"].to_numpy(dtype=bool), "reasons"]
    split = reasons.astype(str).str.split("; ").explode()
    split = split[split.ne("")]
    return _words(split.value_counts().index[0]) if len(split) else ""


def capstone_report(
    results: Capstone, *, business: str = "Brewlark Coffee Co.", lift: float = CAPSTONE_LIFT
) -> str:
    """A one-page report a manager can read, as Markdown, from the pipeline's numbers.

    Every figure comes from ``results`` (nothing is typed by hand), each rate with its
    interval. The sections: the month in one line, the headline numbers, what went well,
    what to fix, and one recommendation per marketing lever (landing page, calls to action,
    free trials or discounts, personalisation), each with the metric that would prove it
    worked, its baseline and the size of the test to pre-register.

    Parameters
    ----------
    results : Capstone
        From :func:`capstone_results`.
    business : str
        Name in the title.
    lift : float, default CAPSTONE_LIFT
        Relative lift each recommended test is sized to detect.

    Returns
    -------
    str
        Markdown; show it with ``IPython.display.Markdown``.
    """
    weeks = max(results.days / 7, 1 / 7)
    channels = capstone_rates(results, "channel")
    named = results.visitors[results.visitors["persona"].ne("none").to_numpy(dtype=bool)]
    persona_table = capstone_rates(results, "persona")
    ch_above, ch_below, total = _clearly(channels, "channel")
    pe_above, pe_below, _ = _clearly(persona_table, "persona")
    lead, buy, lead_buy = results.lead_rate, results.purchase_rate, results.lead_buy_rate
    conf = f"{results.confidence:.0%}"
    kinds = results.conversions_by_kind
    new_web = len(results.new_web_leads)
    offline = len(results.new_leads) - new_web

    lines = [
        f"# {business}: leads and conversions, {results.start:%d %b} – {results.end:%d %b %Y}",
        "",
        f"**In one line:** {_pc(lead.value)} of the {results.human_visitors:,} people who "
        f"visited became leads ({conf} CI {_ci(lead)}), and {_pc(lead_buy.value)} of those "
        f"new leads bought something ({conf} CI {_ci(lead_buy)}).",
        "",
        "## Headline numbers",
        "",
        f"| measure | value | {conf} interval | counted as |",
        "|---|---|---|---|",
        f"| sessions (visits) | {results.sessions:,} | | all traffic |",
        f"| … of which bots, left out | {_pc(results.bot_share)} | | "
        f"{results.bot_sessions:,} sessions flagged by the bot rules |",
        f"| human visitors | {results.human_visitors:,} | | distinct visitors, bots out |",
        f"| **lead rate** | **{_pc(lead.value)}** | {_ci(lead)} | {lead.conversions:,} new "
        f"leads ÷ {lead.denominator:,} human visitors |",
        f"| purchase rate | {_pc(buy.value)} | {_ci(buy)} | {buy.conversions:,} buyers ÷ "
        f"{buy.denominator:,} human visitors |",
        f"| leads who bought | {_pc(lead_buy.value)} | {_ci(lead_buy)} | "
        f"{lead_buy.conversions:,} ÷ {lead_buy.denominator:,} new web leads |",
        f"| conversions by leads | {int(kinds['micro']):,} micro, {int(kinds['macro']):,} "
        "macro | | events (sign-ups, downloads... / purchases) by all leads |",
    ]
    quality = results.qualified_rate
    if quality is not None:
        lines.append(
            f"| new CRM leads that pass the quality rules | {_pc(quality.value)} | "
            f"{_ci(quality)} | {quality.conversions:,} ÷ {quality.denominator:,} CRM leads |"
        )
    if offline:
        lines += ["", f"Besides the web, {offline:,} leads came in offline (trade show)."]

    lines += ["", "## What went well", ""]
    good = [
        f"- **{_words(r.channel).capitalize()}** visitors became leads at {_pc(r.rate)} "
        f"({conf} CI {_pc(r.low)}–{_pc(r.high)}), clearly above the {_pc(total)} overall "
        f"({int(r.visitors):,} visitors)."
        for r in ch_above.itertuples()
    ]
    good += [
        f"- Visitors who match the **{_words(r.persona)}** persona became leads at "
        f"{_pc(r.rate)} ({conf} CI {_pc(r.low)}–{_pc(r.high)}), clearly above the "
        f"{_pc(total)} overall."
        for r in pe_above.itertuples()
        if r.persona != "none"
    ]
    lines += good or ["- No channel or persona is clearly above the overall lead rate yet."]

    lines += ["", "## What to fix", ""]
    fix = [
        f"- **{_words(r.channel).capitalize()}** brings {int(r.visitors):,} human visitors "
        f"({r.visitors / results.human_visitors:.0%} of them) but only {_pc(r.rate)} become "
        f"leads ({conf} CI {_pc(r.low)}–{_pc(r.high)}), clearly below the {_pc(total)} overall."
        for r in ch_below.itertuples()
    ]
    if results.bot_share >= 0.1:
        fix.append(
            f"- {_pc(results.bot_share, 0)} of sessions are bots. Report human numbers only: "
            "counting bots as visitors would make every rate look worse than it is."
        )
    if quality is not None and quality.value < 1:
        fix.append(
            f"- {_pc(1 - quality.value, 0)} of the new CRM leads fail the quality rules "
            f"(most often: {_top_reason(results.qualified)}); sales should not chase them."
        )
    cart = results.cart_rate
    if cart is not None:
        fix.append(
            f"- {_pc(1 - cart.value, 0)} of the people who put something in the cart did not "
            f"buy ({cart.denominator - cart.conversions:,} of {cart.denominator:,})."
        )
    lines += fix or ["- Nothing stands out as clearly worse than the rest this month."]

    lines += ["", "## Recommendations: one lever each, and how we will know it worked", ""]
    per_week = channels.set_index("channel")["visitors"] / weeks
    if len(ch_below):
        target = ch_below.iloc[0]
    else:
        target = channels[channels["channel"].ne("Total")].sort_values("rate").iloc[0]
    name = str(target["channel"])
    group = results.visitors[results.visitors["channel"].eq(name).to_numpy(dtype=bool)]
    pages = group.get("landing_page", pd.Series(dtype=str)).dropna().astype(str)
    section = pages.str.extract(r"^(/[^/]*)", expand=False).value_counts()
    where = (
        f" (most land on {section.index[0]}{'/…' if section.index[0] in ('/blog', '/shop') else ''})"
        if len(section) else ""
    )
    base = results._rate(int(target["conversions"]), int(target["visitors"]), "visitors")
    lines.append(
        f"1. **Landing page.** Build a landing page for {_words(name)} visitors{where} with "
        f"one clear offer. *Success:* the lead rate of human visitors from {_words(name)} "
        f"rises from {_pc(base.value)} ({conf} CI {_ci(base)}). *Pre-register:* "
        f"{_plan(base, float(per_week[name]), lift)} Judge it with "
        "`conversions.compare(new_page, old_page)`: success only if the difference is clear."
    )
    lines.append(
        f"2. **Calls to action.** {_pc(results.micro_only_share, 0)} of the new web leads "
        "signed up or downloaded but never bought: add a call to action that leads to the "
        "shop in the welcome e-mail and in the guide. *Success:* the share of new leads who "
        f"buy rises from {_pc(lead_buy.value)} ({conf} CI {_ci(lead_buy)}). *Pre-register:* "
        f"{_plan(lead_buy, new_web / weeks, lift)}"
    )
    if cart is not None:
        lines.append(
            "3. **Free trials or discounts.** Offer a first-order discount (or free shipping) "
            "at checkout, and a free trial box to office and café leads. *Success:* the share "
            f"of people who buy after adding to the cart rises from {_pc(cart.value)} "
            f"({conf} CI {_ci(cart)}). *Pre-register:* "
            f"{_plan(cart, cart.denominator / weeks, lift)}"
        )
    else:
        lines.append(
            "3. **Free trials or discounts.** There is no cart data to size this on: track "
            "add_to_cart first, then test an offer at checkout."
        )
    personas_only = persona_table[
        ~persona_table["persona"].isin(["none", "Total"]).to_numpy(dtype=bool)
    ]
    if len(personas_only):
        weakest = personas_only.sort_values("rate").iloc[0]
        who = str(weakest["persona"])
        rest = results._rate(
            int(results.visitors.loc[results.visitors["persona"].eq("none"), "is_lead"].sum()),
            max(int(results.visitors["persona"].eq("none").sum()), 1),
            "visitors",
        )
        offer = PERSONA_OFFERS.get(who, "content that answers this persona's questions")
        base = results._rate(int(weakest["conversions"]), int(weakest["visitors"]), "visitors")
        lines.append(
            f"4. **Personalisation.** Visitors who match a persona become leads far more often "
            f"than the {_pc(rest.value)} of those who match none; of the personas, "
            f"{_words(who)} becomes leads least often. Show them {offer}. *Success:* the lead rate of "
            f"visitors matching {_words(who)} rises from {_pc(base.value)} ({conf} CI "
            f"{_ci(base)}). *Pre-register:* {_plan(base, len(named[named['persona'] == who]) / weeks, lift)}"
        )
    lines += [
        "",
        "## How to read these numbers",
        "",
        f"- Every rate has a {conf} confidence interval: the range the true rate is likely "
        "in. Two groups differ clearly only when the comparison says so, not when one dot is "
        "higher.",
        "- A visitor counts for the channel of their first visit (first-touch attribution).",
        "- Bots are found by rules (user agent and behaviour); a few slip through and a few "
        "people are flagged. Leads made by bots are not counted as leads.",
        f"- One month of data ({results.days} days). Decide the test, its metric and its "
        "length before starting, and do not stop early when the numbers look good.",
    ]
    return "\n".join(lines)


# ---- the explorer


def capstone_segments(results: Capstone) -> list[tuple[str, str]]:
    """The explorer's options: ``(label, value)`` for everyone, each channel, each persona.

    Values are ``"all"``, ``"channel:<name>"`` or ``"persona:<name>"``.
    """
    options = [("everyone", "all")]
    for by in ("channel", "persona"):
        column = results.visitors[by]
        if isinstance(column.dtype, pd.CategoricalDtype):
            names = [c for c in column.cat.categories if (column == c).any()]
        else:
            names = column.value_counts().index.tolist()
        options += [(f"{by}: {_words(n)}", f"{by}:{n}") for n in names]
    return options


class CapstoneFocus:
    """One group's rate against everyone else's; built by :func:`capstone_focus`.

    Attributes
    ----------
    segment, metric : str
        As passed to :func:`capstone_focus`.
    by, group : str or None
        ``"channel"``/``"persona"`` and the group's name (None for everyone).
    rate, rest, total : Rate
        The group's rate, everyone else's (None for everyone) and the total.
    comparison : Comparison or None
        :func:`helpers.conversions.compare` of ``rate`` with ``rest``.
    table : DataFrame
        :func:`capstone_rates` for the group's dimension (channels for everyone).
    """

    __slots__ = ("by", "comparison", "group", "metric", "rate", "rest", "segment", "table", "total")

    def __init__(self, **fields: Any) -> None:
        for name in self.__slots__:
            setattr(self, name, fields[name])

    @property
    def who(self) -> str:
        """The group in words: "Paid search visitors", "Visitors matching home barista"..."""
        if self.group is None:
            return "All human visitors"
        if self.by == "persona":
            name = "no persona" if self.group == "none" else _words(self.group)
            return f"Visitors matching {name}"
        return f"{_words(self.group).capitalize()} visitors"

    @property
    def summary(self) -> str:
        """The key figure as text."""
        words = CAPSTONE_METRICS[self.metric][1]
        text = (
            f"{self.who}: {_pc(self.rate.value)} {words} "
            f"({self.rate.confidence:.0%} CI {_ci(self.rate)})"
        )
        if self.comparison is None:
            return text
        c = self.comparison
        if c.significant:
            side = "above" if c.difference > 0 else "below"
            return f"{text}, clearly {side} everyone else ({_pc(self.rest.value)})"
        return f"{text}, not clearly different from everyone else ({_pc(self.rest.value)})"

    @property
    def verdict(self) -> str:
        """The comparison with everyone else in one sentence ("" for everyone)."""
        c = self.comparison
        if c is None:
            return ""
        p = "p < 0.001" if c.p_value < 0.001 else f"p = {c.p_value:.3f}"
        if c.significant:
            side = "higher" if c.difference > 0 else "lower"
            ending = f"clearly {side} than everyone else's"
        else:
            ending = "the data cannot tell it apart from everyone else's"
        return (
            f"{self.who}: {_pc(self.rate.value)} against {_pc(self.rest.value)} for everyone "
            f"else, a difference of {c.difference * 100:+.1f} points ({c.confidence:.0%} CI "
            f"{c.difference_low * 100:+.1f} to {c.difference_high * 100:+.1f}; {p}): "
            f"{ending}."
        )

    def __repr__(self) -> str:
        return f"CapstoneFocus({self.summary})"


def capstone_focus(results: Capstone, segment: str = "all", metric: str = "lead") -> CapstoneFocus:
    """A group's lead (or purchase) rate per human visitor, compared with everyone else.

    Parameters
    ----------
    results : Capstone
    segment : str, default "all"
        ``"all"``, ``"channel:<name>"`` or ``"persona:<name>"`` (see :func:`capstone_segments`).
    metric : {"lead", "purchase"}, default "lead"

    Returns
    -------
    CapstoneFocus
    """
    from helpers import conversions

    func = "capstone_focus"
    if metric not in CAPSTONE_METRICS:
        raise ValueError(f"{func}(): metric {metric!r} is not one of {', '.join(CAPSTONE_METRICS)}.")
    column = CAPSTONE_METRICS[metric][0]
    people = results.visitors
    flag = people[column].to_numpy(dtype=bool)
    total = results._rate(flag.sum(), len(people), "visitors")
    if segment == "all":
        table = capstone_rates(results, "channel", metric)
        return CapstoneFocus(
            segment=segment, metric=metric, by=None, group=None, rate=total, rest=None,
            total=total, comparison=None, table=table,
        )
    by, _, group = str(segment).partition(":")
    if by not in ("channel", "persona") or not group:
        raise ValueError(
            f"{func}(): segment {segment!r} must be 'all', 'channel:<name>' or "
            "'persona:<name>', e.g. 'channel:paid_search'."
        )
    inside = people[by].astype(str).eq(group).to_numpy(dtype=bool)
    if not inside.any():
        known = ", ".join(sorted(people[by].astype(str).unique()))
        raise ValueError(f"{func}(): no human visitor has {by} {group!r}. Known: {known}.")
    rate = results._rate(flag[inside].sum(), inside.sum(), "visitors")
    rest = results._rate(flag[~inside].sum(), (~inside).sum(), "visitors") if (~inside).any() else None
    name = "no persona" if by == "persona" and group == "none" else _words(group)
    comparison = (
        conversions.compare(rate, rest, results.confidence, names=(name, "everyone else"))
        if rest is not None
        else None
    )
    return CapstoneFocus(
        segment=segment, metric=metric, by=by, group=group, rate=rate, rest=rest, total=total,
        comparison=comparison, table=capstone_rates(results, by, metric),
    )


def capstone_focus_summary(results: Capstone, segment: str = "all", metric: str = "lead") -> str:
    """The capstone explorer's key figure for these control values (the browser test's text).

    Examples
    --------
    >>> from helpers import synth
    >>> month = synth.generate(synth.SynthConfig(seed=3, start="2025-03-03", visitors=400))
    >>> results = capstone_results(month.sessions, month.events, month.leads)
    >>> capstone_focus_summary(results).startswith("All human visitors: ")
    True
    """
    return capstone_focus(results, segment, metric).summary


def capstone_explorer(results: Capstone, segment: str = "all", metric: str = "lead") -> Explorer:
    """Pick a channel or a persona and a metric; see its rate against everyone else's.

    The pipeline ran once (``results``); each change only slices its visitor table, so the
    explorer answers at once. The logic is :func:`capstone_focus`, the key figure
    :func:`capstone_focus_summary`.

    Returns
    -------
    Explorer
        Controls ``"segment"`` (``Dropdown`` of :func:`capstone_segments`) and ``"metric"``
        (``Dropdown``: lead rate, purchase rate); ``.result`` is a :class:`CapstoneFocus`.
    """
    from helpers import plots

    style = {"description_width": "initial"}
    controls = {
        "segment": w.Dropdown(
            options=capstone_segments(results), value=segment, description="who", style=style
        ),
        "metric": w.Dropdown(
            options=[("lead rate", "lead"), ("purchase rate", "purchase")], value=metric,
            description="rate", style=style,
        ),
    }

    def key(found: CapstoneFocus) -> tuple[str, float]:
        return found.summary, round(float(found.rate.value), 6)

    def render(found: CapstoneFocus) -> list[Any]:
        words = CAPSTONE_METRICS[found.metric][1]
        title = f"{found.who}: {_pc(found.rate.value)} {words} (all: {_pc(found.total.value)})"
        ax = plots.rates_with_focus(
            found.table, found.group, title, by=found.by or "channel",
            xlabel=f"share of human visitors who {words}",
        )
        return [ax, found.verdict] if found.verdict else [ax]

    return explorer(
        controls,
        lambda segment, metric: capstone_focus(results, segment, metric),
        key=key,
        render=render,
        title="Capstone explorer: one group against everyone else",
    )


