"""The kit's charts: one look, colour-blind-safe colours with fixed meanings, takeaway titles.

Every function takes plain frames or numbers, draws on ``ax`` (or a new figure), and returns
the matplotlib ``Axes``. None calls ``plt.show()``: end the notebook cell with ``plt.show()`` or
a ``;``. The kit's style is applied only inside these functions (``matplotlib.rc_context``);
call :func:`style` once in a notebook to give your own charts the same look.

Colours (Okabe & Ito's palette, safe for the common colour-vision deficiencies) keep one
meaning across all lessons; :data:`COLORS` lists them and :func:`color` looks one up:

==================  ===========  ===================================================
meaning             colour       used for
==================  ===========  ===================================================
bot                 vermillion   bots, and only bots
human               blue         humans (all non-bot traffic)
potential_buyer     green        visitors who fit a persona and may buy
loyal_customer      purple       returning customers (also the ``customer`` stage)
stumbled            sky blue     people who stumbled on the site
home_barista        orange       persona
office_manager      sky blue     persona
cafe_owner          purple       persona
micro / macro       sky / blue   micro and macro conversions (light = small step)
other, none         grey         everything else
==================  ===========  ===================================================

Examples
--------
>>> color("bot")
'#D55E00'
>>> color(True, by="is_bot")
'#D55E00'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, PercentFormatter

from . import conversions
from ._frames import need_flags as _need_flags
from ._frames import need_zone as _need_zone
from .formatting import label as _pretty
from .formatting import percent

__all__ = [
    "COLORS",
    "MIN_CONTRAST",
    "NEUTRAL",
    "OKABE_ITO",
    "RC",
    "bar_shares",
    "color",
    "confusion",
    "daily_sessions",
    "funnel",
    "percent_axis",
    "precision_recall",
    "rates_with_intervals",
    "score_hist",
    "style",
    "TEXT_SIZE",
    "TITLE_SIZE",
    "alt_text",
    "contrast",
    "text_colour",
    "traffic_mix",
]

#: Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

#: Colour for things without a meaning of their own (a single series, "other").
NEUTRAL = "#5F6B73"
GREY = "#999999"

#: Fixed colour per meaning. Vermillion is reserved for bots.
COLORS: dict[str, str] = {
    # traffic
    "bot": OKABE_ITO["vermillion"],
    "human": OKABE_ITO["blue"],
    "potential_buyer": OKABE_ITO["green"],
    "loyal_customer": OKABE_ITO["purple"],
    "stumbled": OKABE_ITO["sky_blue"],
    # personas
    "home_barista": OKABE_ITO["orange"],
    "office_manager": OKABE_ITO["sky_blue"],
    "cafe_owner": OKABE_ITO["purple"],
    "no_persona": GREY,
    # conversions
    "micro": OKABE_ITO["sky_blue"],
    "macro": OKABE_ITO["blue"],
    # lead stages
    "lead": OKABE_ITO["sky_blue"],
    "mql": OKABE_ITO["blue"],
    "sql": OKABE_ITO["green"],
    "customer": OKABE_ITO["purple"],
    "disqualified": GREY,
    # measures
    "precision": OKABE_ITO["blue"],
    "recall": OKABE_ITO["orange"],
    "threshold": OKABE_ITO["black"],
    # everything else
    "other": GREY,
    "none": GREY,
    "total": OKABE_ITO["black"],
}

_ALIASES = {
    "bots": "bot",
    "humans": "human",
    "potential buyer": "potential_buyer",
    "potential buyers": "potential_buyer",
    "loyal customer": "loyal_customer",
    "loyal customers": "loyal_customer",
    "stumbled upon": "stumbled",
    "micro conversion": "micro",
    "macro conversion": "macro",
    "": "none",
    "nan": "none",
    "<na>": "none",
}

# Colours handed out, in order, to labels without a fixed meaning (never vermillion).
_CYCLE = [
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["green"],
    OKABE_ITO["purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["yellow"],
    OKABE_ITO["black"],
    GREY,
]

#: The smallest text on a chart, in points: every label, tick and legend entry (readable when
#: projected, and above the 11 pt the kit's accessibility test asks for).
TEXT_SIZE = 11
#: Chart titles, in points.
TITLE_SIZE = 13
#: WCAG 2 AA's minimum contrast ratio for text; every label the kit draws meets it.
MIN_CONTRAST = 4.5

#: The kit's look, applied inside each chart function (and globally by :func:`style`).
RC: dict[str, Any] = {
    "figure.figsize": (7.5, 4.3),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": TITLE_SIZE,
    "axes.titleweight": "bold",
    "axes.labelsize": TEXT_SIZE,
    "axes.grid": False,
    "axes.prop_cycle": mpl.cycler(color=_CYCLE),
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "legend.frameon": False,
    "xtick.labelsize": TEXT_SIZE,
    "ytick.labelsize": TEXT_SIZE,
    "legend.fontsize": TEXT_SIZE,
    "legend.title_fontsize": TEXT_SIZE,
    "font.size": TEXT_SIZE,
}


def style() -> None:
    """Apply the kit's look to every chart of this session (call once, in the setup cell).

    The kit's own chart functions do not need it: they apply the look locally.
    """
    mpl.rcParams.update(RC)


@contextmanager
def _kit_style() -> Iterator[None]:
    """The kit's look for one chart, without losing Jupyter's interactive mode.

    The first figure of a Jupyter session loads the inline backend, which switches matplotlib
    to interactive mode. A bare ``rc_context`` would undo that switch on exit, and every later
    chart cell would then show no chart. This keeps the switch.
    """
    with mpl.rc_context(RC):
        yield
        now_interactive = mpl.is_interactive()
    if now_interactive and not mpl.is_interactive():
        mpl.interactive(True)
    # The session's first figure starts the inline backend, which drops the figure formatter;
    # a `plt.show()` later in the same cell would then show this chart without its alt text.
    _register_display()


_BLUES = mpl.colormaps["Blues"]


def _luminance(colour: Any) -> float:
    """WCAG 2 relative luminance of a colour (alpha blended over white)."""
    r, g, b, a = mpl.colors.to_rgba(colour)
    channels = np.array([r, g, b]) * a + (1 - a)
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(foreground: Any, background: Any) -> float:
    """WCAG 2 contrast ratio between two colours, from 1 (none) to 21 (black on white).

    >>> round(contrast("black", "white"), 1)
    21.0
    >>> contrast(COLORS["bot"], "white") < MIN_CONTRAST <= contrast(COLORS["bot"], "black")
    True
    """
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(background: Any) -> str:
    """Black or white, whichever reads better on ``background`` (labels inside bars and cells).

    >>> text_colour(COLORS["human"]), text_colour(COLORS["bot"])
    ('#FFFFFF', '#000000')
    """
    white, black = contrast("#FFFFFF", background), contrast("#000000", background)
    return "#FFFFFF" if white > black else "#000000"


def alt_text(fig: Any) -> str:
    """A text description of a figure for screen readers: its takeaway and what it plots.

    The kit shows every chart with this as the image's ``alt`` text (see
    :func:`_show_with_alt_text`); it is built from the titles and axis labels, so a chart
    with a takeaway title describes itself.

    >>> fig, ax = plt.subplots()
    >>> _ = ax.set(title="Email converts best", xlabel="conversion rate (%)", ylabel="channel")
    >>> alt_text(fig)
    'Chart: Email converts best. Horizontal axis: conversion rate (%). Vertical axis: channel.'
    >>> plt.close(fig)
    """
    parts = []
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    if suptitle:
        parts.append(suptitle.rstrip(".") + ".")
    for ax in fig.get_axes():
        title = ax.get_title()
        if title:
            parts.append(title.rstrip(".") + ".")
        if ax.get_xlabel():
            parts.append(f"Horizontal axis: {ax.get_xlabel()}.".replace("\n", " "))
        if ax.get_ylabel():
            parts.append(f"Vertical axis: {ax.get_ylabel()}.".replace("\n", " "))
    return "Chart: " + (" ".join(parts) if parts else "no title.")


def _show_with_alt_text(fig: Any) -> str:
    """HTML for a figure: the PNG with :func:`alt_text`, so screen readers can read charts."""
    import base64
    import html
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = html.escape(alt_text(fig), quote=True)
    return f'<img src="data:image/png;base64,{data}" alt="{alt}" class="kit-chart"/>'


def _focusable_table(frame: Any) -> str | None:
    """A table's HTML with ``tabindex="0"``, so a wide table can be scrolled from the keyboard."""
    html = frame._repr_html_()
    return None if html is None else html.replace("<table", '<table tabindex="0"', 1)


def _register_display() -> None:
    """In a Jupyter kernel, make the kit's outputs accessible.

    Figures show as an image with :func:`alt_text`; tables (DataFrames and their ``.style``)
    get ``tabindex="0"`` so that a table wider than the page can be scrolled with the keyboard.
    The inline backend removes every formatter for figures when it starts (at the session's
    first figure), so the formatters are put back after each cell, before the backend shows the
    cell's figures (IPython runs ``post_execute`` callbacks in the order they were registered,
    and this one is registered before the backend's).
    """
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to register
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

    def ensure() -> None:
        html = shell.display_formatter.formatters["text/html"]
        if Figure not in html.type_printers:
            html.for_type(Figure, _show_with_alt_text)
        for kind in (pd.DataFrame, Styler):
            if kind not in html.type_printers:
                html.for_type(kind, _focusable_table)

    ensure()
    events = getattr(shell, "events", None)
    if events is not None and not getattr(shell, "_kit_display", False):
        events.register("post_execute", ensure)
        shell._kit_display = True


_register_display()


def _key(label: Any, by: str | None = None) -> str:
    if by in ("is_bot", "bot") and isinstance(label, (bool, np.bool_)):
        return "bot" if label else "human"
    text = str(label).strip().lower()
    return _ALIASES.get(text, text.replace(" ", "_"))


def color(label: Any, by: str | None = None, *, default: str | None = None) -> str:
    """The kit's colour for a label ("bot", "human", "home_barista", "macro", ...).

    Parameters
    ----------
    label : Any
        A segment, persona, conversion kind, stage... Case and spaces do not matter.
    by : str, optional
        The column the label comes from; with ``"is_bot"``, True is a bot, False a human.
    default : str, optional
        Colour for labels without a fixed meaning; :data:`NEUTRAL` by default.
    """
    return COLORS.get(_key(label, by), default or NEUTRAL)


def _colors(labels: Iterable[Any], by: str | None = None) -> list[str]:
    """Fixed colours for known labels, then the cycle for the others (distinct, stable order)."""
    labels = list(labels)
    out, spare = [], [c for c in _CYCLE]
    known = {_key(lab, by) for lab in labels if _key(lab, by) in COLORS}
    used = {COLORS[k] for k in known}
    spare = [c for c in spare if c not in used] or list(_CYCLE)
    i = 0
    for lab in labels:
        key = _key(lab, by)
        if key in COLORS:
            out.append(COLORS[key])
        else:
            out.append(spare[i % len(spare)])
            i += 1
    return out


def percent_axis(ax: Axes, axis: str = "y", *, decimals: int | None = None) -> Axes:
    """Format an axis whose values are shares (0-1) as percentages."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(PercentFormatter(xmax=1, decimals=decimals))
    return ax


def _pct(x: float, digits: int = 0) -> str:
    return percent(x, digits)


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is not None:
        return ax
    fig = plt.figure(figsize=figsize or RC["figure.figsize"])
    return fig.add_subplot()


def _need_range(func: str, values: pd.DataFrame | pd.Series, what: str, low: float = 0.0,
                high: float | None = 1.0, fix: str = "") -> None:
    """Refuse an empty table, missing values and values outside [low, high] before drawing.

    A chart must not print "nan%" or "170%" in its title or labels: the input is checked here.
    """
    frame = values.to_frame() if isinstance(values, pd.Series) else values
    if frame.size == 0:
        raise ValueError(f"{func}(): {what} is empty, so there is nothing to draw. "
                         + (fix or "Pass a table with at least one row."))
    for column in frame.columns:
        dtype = frame[column].dtype
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
            raise TypeError(
                f"{func}(): {what} must hold numbers, but column {column!r} is {dtype}. Convert it "
                f"first, e.g. pd.to_numeric(frame[{column!r}]). {fix}".strip()
            )
    numbers = frame.apply(pd.to_numeric, errors="coerce")
    bad = numbers.isna() & frame.notna()
    if bad.to_numpy().any():
        example = frame.to_numpy()[bad.to_numpy()][0]
        raise TypeError(f"{func}(): {what} must hold numbers, got {str(example)[:40]!r}. {fix}".strip())
    if numbers.isna().to_numpy().any():
        raise ValueError(
            f"{func}(): {what} has {int(numbers.isna().to_numpy().sum())} missing value(s) (NaN); "
            f"a chart would read 'nan'. Drop or fill them first. {fix}".strip()
        )
    flat = numbers.to_numpy(dtype=float)
    outside = (flat < low) | ((flat > high) if high is not None else False)
    if outside.any():
        span = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise ValueError(
            f"{func}(): {what} must be {span}, got {flat[outside][0]:g}. "
            + (fix or "Pass shares (0-1), e.g. count / total, not percentages.")
        )


def _confusion_by_label(counts: pd.DataFrame) -> pd.DataFrame:
    """Columns in the order of the rows, matched by label ("bot" -> "flagged as bot").

    A confusion table is read by label, never by position: a table with its rows reversed
    draws and reads the same.
    """
    rows, cols = list(counts.index), list(counts.columns)
    if set(map(str, rows)) == set(map(str, cols)):
        by_text = {str(c): c for c in cols}
        return counts[[by_text[str(r)] for r in rows]]
    import re

    order = []
    for r in rows:
        hits = [c for c in cols if re.search(rf"\b{re.escape(str(r))}\b", str(c), re.IGNORECASE)]
        if len(hits) != 1 or hits[0] in order:
            return counts  # no one-to-one match by label: drawn as given
        order.append(hits[0])
    return counts[order] if len(order) == len(cols) else counts


def _need(func: str, frame: pd.DataFrame, columns: Sequence[str], hint: str = "") -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(
            f"{func}(): the frame has no column {missing[0]!r}. It has: "
            f"{', '.join(map(str, frame.columns))}. {hint}".strip()
        )


# --------------------------------------------------------------------------- charts


def bar_shares(
    shares: pd.Series | pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    xlabel: str = "share",
    by: str | None = None,
    labels: bool = True,
) -> Axes:
    """Horizontal bars of shares (0-1), each labelled with its percentage.

    Parameters
    ----------
    shares : Series or DataFrame
        A Series: one bar per row (index = label). A DataFrame: one group of bars per row,
        one bar per column (e.g. columns "sessions" and "leads" to compare two mixes).
        Values are shares between 0 and 1.
    title : str, optional
        The takeaway. By default it names the largest share.
    ax : Axes, optional
    xlabel : str, default "share"
        What the share is of, e.g. "share of sessions".
    by : str, optional
        Column the labels come from, for colours (``"is_bot"``: True is a bot).
    labels : bool, default True
        Write the percentage at the end of each bar.

    Returns
    -------
    Axes
    """
    if isinstance(shares, pd.Series):
        frame = shares.to_frame(shares.name if shares.name is not None else "share")
        single = True
    elif isinstance(shares, pd.DataFrame):
        frame = shares
        single = shares.shape[1] == 1
    else:
        raise TypeError(
            f"bar_shares(): expected a pandas Series or DataFrame of shares, got "
            f"{type(shares).__name__}. Try pd.Series(your_dict)."
        )
    _need_range("bar_shares", frame, "shares", 0.0, 1.0 if xlabel == "share" else None)
    values = frame.apply(pd.to_numeric, errors="coerce").astype(float)
    with _kit_style():
        ax = _axes(ax)
        n_rows, n_cols = values.shape
        positions = np.arange(n_rows)
        height = 0.8 / n_cols
        row_colours = [color(label, by) for label in values.index]
        col_colours = _colors(values.columns)
        for j, column in enumerate(values.columns):
            offset = (j - (n_cols - 1) / 2) * height
            colours = row_colours if single else [col_colours[j]] * n_rows
            bars = ax.barh(
                positions + offset,
                values[column].to_numpy(),
                height=height * 0.9,
                color=colours,
                label=None if single else _pretty(column),
            )
            if labels:
                ax.bar_label(
                    bars,
                    labels=[_pct(v, 1) if np.isfinite(v) else "" for v in values[column]],
                    padding=3,
                    fontsize=TEXT_SIZE,
                )
        ax.set_yticks(positions, [_pretty(i) for i in values.index])
        ax.invert_yaxis()
        top = np.nanmax(values.to_numpy()) if values.size else 1.0
        ax.set_xlim(0, max(float(top) * 1.15, 0.05))
        percent_axis(ax, "x")
        ax.set_xlabel(f"{xlabel} (%)")
        if not single:
            ax.legend(loc="lower right")
        if title is None and values.size:
            first = values.iloc[:, 0]
            best = first.idxmax()
            title = f"{_pretty(best).capitalize()} is the largest share: {_pct(first.max())}"
        ax.set_title(title or "")
    return ax


def traffic_mix(
    mix: pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    normalize: bool = True,
    ylabel: str = "channel",
) -> Axes:
    """Stacked horizontal bars: the mix of visitor segments within each channel.

    Parameters
    ----------
    mix : DataFrame
        One row per channel (the index), one column per segment (bot, loyal_customer,
        stumbled, potential_buyer...), values counts or shares. Make it with
        ``pd.crosstab(frame["channel"], frame["segment"])``.
    title : str, optional
        The takeaway. By default: which channel has the largest share of bots (or of the
        first column when there is no "bot" column).
    normalize : bool, default True
        Turn each row into shares that sum to 1 (pass False when ``mix`` already holds shares).
    ylabel : str, default "channel"

    Returns
    -------
    Axes
    """
    if not isinstance(mix, pd.DataFrame):
        raise TypeError(
            f"traffic_mix(): expected a DataFrame with one row per channel and one column per "
            f"segment, got {type(mix).__name__}. Try pd.crosstab(df['channel'], df['segment'])."
        )
    values = mix.astype(float)
    if normalize:
        totals = values.sum(axis=1).replace(0, np.nan)
        values = values.div(totals, axis=0).fillna(0.0)
    with _kit_style():
        ax = _axes(ax)
        positions = np.arange(len(values))
        left = np.zeros(len(values))
        colours = _colors(values.columns)
        for column, colour in zip(values.columns, colours, strict=True):
            widths = values[column].to_numpy()
            bars = ax.barh(positions, widths, left=left, color=colour, label=_pretty(column))
            ax.bar_label(
                bars,
                labels=[_pct(w) if w >= 0.06 else "" for w in widths],
                label_type="center",
                fontsize=TEXT_SIZE,
                color=text_colour(colour),
            )
            left = left + widths
        ax.set_yticks(positions, [_pretty(i) for i in values.index])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        percent_axis(ax, "x")
        ax.set_xlabel("share of sessions (%)")
        ax.set_ylabel(ylabel)
        ax.legend(ncols=min(4, len(values.columns)), loc="upper left", bbox_to_anchor=(0, -0.15))
        if title is None and len(values):
            column = "bot" if "bot" in values.columns else values.columns[0]
            worst = values[column].idxmax()
            title = (
                f"{_pretty(column).capitalize()}s are {_pct(values[column].max())} "
                f"of {_pretty(worst)} traffic"
            )
        ax.set_title(title or "")
    return ax


def daily_sessions(
    sessions: pd.DataFrame,
    by: str | None = None,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    time: str = "started_at",
) -> Axes:
    """Sessions per day, as a line (one line per value of ``by``).

    Parameters
    ----------
    sessions : DataFrame
        One row per session, with a timestamp column ``time``.
    by : str, optional
        A column to split by, e.g. "is_bot" (bots vermillion, humans blue) or "channel".
    title : str, optional
        The takeaway; by default the average number of sessions a day.
    time : str, default "started_at"

    Returns
    -------
    Axes
    """
    columns = [time] + ([by] if by else [])
    _need("daily_sessions", sessions, columns, "Pass time= or by= with your column names.")
    if len(sessions) == 0:
        raise ValueError("daily_sessions(): sessions is empty, so there is nothing to draw. Pass the sessions table.")
    stamps = _need_zone("daily_sessions", "sessions", sessions[time], time)
    day = stamps.dt.floor("D").dt.tz_localize(None)
    if by:
        counts = pd.crosstab(day, sessions[by].to_numpy()).sort_index()
    else:
        counts = day.value_counts().sort_index().to_frame("sessions")
    full = pd.date_range(counts.index.min(), counts.index.max(), freq="D")
    counts = counts.reindex(full, fill_value=0)
    with _kit_style():
        ax = _axes(ax)
        colours = _colors(counts.columns, by) if by else [COLORS["human"]]
        for column, colour in zip(counts.columns, colours, strict=True):
            label = _pretty(_key(column, by)) if by == "is_bot" else _pretty(column)
            ax.plot(counts.index, counts[column].to_numpy(), color=colour, label=label, lw=1.8)
        ax.set_ylim(bottom=0)
        ax.set_ylabel("sessions per day")
        ax.set_xlabel("date (UTC)")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.grid(axis="y")
        fig = ax.get_figure()
        if fig is not None:
            fig.autofmt_xdate()
        if by:
            ax.legend(title=_pretty(by))
        if title is None:
            total = int(counts.to_numpy().sum())
            title = f"{total / max(len(counts), 1):,.0f} sessions a day on average over {len(counts)} days"
        ax.set_title(title)
    return ax


def _rate_columns(table: pd.DataFrame) -> tuple[str, str, str]:
    value = next((c for c in ("rate", "value", "share") if c in table.columns), None)
    if value is None or "low" not in table.columns or "high" not in table.columns:
        raise KeyError(
            "rates_with_intervals(): the table needs columns 'rate', 'low' and 'high' "
            f"(as conversions.rate_table returns). It has: {', '.join(map(str, table.columns))}."
        )
    return value, "low", "high"


def rates_with_intervals(
    rate_table: pd.DataFrame,
    title: str | None = None,
    *,
    by: str | None = None,
    ax: Axes | None = None,
    xlabel: str = "conversion rate",
    total: bool = True,
) -> Axes:
    """One dot per group (the rate) with a line for its confidence interval.

    Parameters
    ----------
    rate_table : DataFrame
        As :func:`helpers.conversions.rate_table` returns: a group column (or the index),
        ``rate``, ``low``, ``high``. A "Total" row is drawn as a dashed vertical line.
    title : str, optional
        The takeaway; by default the group with the highest rate.
    by : str, optional
        The group column; by default the first column that is not a number.
    xlabel : str, default "conversion rate"
    total : bool, default True
        Draw the "Total" row as a reference line instead of a dot.

    Returns
    -------
    Axes
    """
    value, low, high = _rate_columns(rate_table)
    _need_range("rates_with_intervals", rate_table[[value]], f"rate_table[{value!r}]",
                0.0, 1.0, "Pass conversions.rate_table(...), whose rates are shares (0-1).")
    _need_range("rates_with_intervals", rate_table[[low, high]], "rate_table's low and high",
                0.0, None, "Pass conversions.rate_table(...).")
    if (rate_table[low] > rate_table[value] + 1e-12).any() or (rate_table[value] > rate_table[high] + 1e-12).any():
        raise ValueError(
            "rates_with_intervals(): each row needs low <= rate <= high; pass conversions.rate_table(...)."
        )
    if by is not None and by not in rate_table.columns:
        raise KeyError(f"rates_with_intervals(): rate_table has no column {by!r}; pass by= one of "
                       f"{', '.join(map(str, rate_table.columns))}.")
    table = rate_table
    if by is None:
        candidates = [
            c
            for c in table.columns
            if c not in (value, low, high) and not pd.api.types.is_numeric_dtype(table[c])
        ]
        by = candidates[0] if candidates else None
    if by is None and isinstance(table.index, pd.RangeIndex):
        raise KeyError(
            "rates_with_intervals(): rate_table has no text column to label the groups (and its "
            "index is 0, 1, 2...); pass by= the group column, or conversions.rate_table(...)."
        )
    labels = table[by].astype(str) if by else pd.Series(table.index.astype(str), index=table.index)
    is_total = labels.str.lower().eq("total").to_numpy()
    overall = table.loc[is_total, value] if total and is_total.any() else None
    groups = table.loc[~is_total] if total else table
    names = (labels[~is_total] if total else labels).tolist()
    with _kit_style():
        ax = _axes(ax)
        positions = np.arange(len(groups))
        rates = groups[value].to_numpy(dtype=float)
        colours = [color(name, by) for name in names]
        for y, (lo, hi, colour) in enumerate(
            zip(groups[low].to_numpy(float), groups[high].to_numpy(float), colours, strict=True)
        ):
            ax.plot([lo, hi], [y, y], color=colour, lw=2.5, alpha=0.6, solid_capstyle="round")
        ax.scatter(rates, positions, color=colours, s=45, zorder=3)
        if overall is not None and len(overall):
            ax.axvline(float(overall.iloc[0]), color=COLORS["total"], ls="--", lw=1, label="total")
            ax.legend(loc="lower right")
        ax.set_yticks(positions, [_pretty(n) for n in names])
        ax.set_xlim(left=0)
        percent_axis(ax, "x", decimals=None)
        ax.set_xlabel(f"{xlabel} (%): dot = rate, line = confidence interval")
        ax.set_ylim(len(groups) - 0.5, -0.5)
        ax.grid(axis="x")
        if title is None and len(groups):
            title = _leader_title(table, by, names, rates)
        ax.set_title(title or "")
    return ax


def _leader_title(table: pd.DataFrame, by: str | None, names: list[str], rates: np.ndarray) -> str:
    """The takeaway for a chart of rates, as :func:`helpers.claims.leader` allows it.

    With the counts in the table, "best" only when the intervals (Holm-corrected) support it;
    without them, only the measured fact ("the highest measured rate").
    """
    from helpers import claims

    if by is not None and "conversions" in table.columns:
        try:
            return claims.leader(table, by=by).headline.rstrip(".")
        except (KeyError, ValueError):
            pass
    best = int(np.nanargmax(rates))
    return f"{_pretty(names[best]).capitalize()} has the highest measured rate: {_pct(rates[best], 1)}"


def funnel(
    funnel_frame: pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    step: str = "step",
    count: str | None = None,
    unit: str = "people",
    bar_color: str | None = None,
) -> Axes:
    """Horizontal bars, one per funnel step, labelled with the count and the step rate.

    Parameters
    ----------
    funnel_frame : DataFrame
        As :func:`helpers.conversions.funnel` returns: ``step``, ``people`` (or pass
        ``count=``), optionally ``step_rate`` (computed when missing).
    title : str, optional
        The takeaway; by default the share of the first step that reaches the last.
    step, count : str
        Column names; ``count`` defaults to "people", else the first numeric column.
    unit : str, default "people"
        What the bars count, for the axis label.
    bar_color : str, optional
        Bar colour (by default the neutral colour).

    Returns
    -------
    Axes
    """
    frame = funnel_frame
    if step not in frame.columns and isinstance(frame.index, pd.RangeIndex):
        raise KeyError(f"funnel(): funnel_frame has no column {step!r} and its index is 0, 1, 2...; "
                       "pass step= the column of step names, or conversions.funnel(...).")
    if step not in frame.columns:
        frame = frame.rename_axis(step).reset_index()
    if count is None:
        numeric = [
            c for c in frame.columns if c != step and pd.api.types.is_numeric_dtype(frame[c])
        ]
        count = "people" if "people" in frame.columns else (numeric[0] if numeric else None)
    _need("funnel", frame, [step, count or "people"], "Pass step= and count= column names.")
    _need_range("funnel", frame[[count]], f"funnel_frame[{count!r}]", 0.0, None,
                "Pass conversions.funnel(...), whose counts are people.")
    if (np.diff(frame[count].to_numpy(dtype=float)) > 0).any():
        raise ValueError(f"funnel(): funnel_frame[{count!r}] grows from one step to the next; a "
                         "funnel only loses people. Pass the steps in order, as conversions.funnel gives.")
    people = frame[count].to_numpy(dtype=float)
    if "step_rate" in frame.columns:
        step_rate = frame["step_rate"].to_numpy(dtype=float)
    else:
        previous = np.concatenate([[people[0] if len(people) else np.nan], people[:-1]])
        with np.errstate(divide="ignore", invalid="ignore"):
            step_rate = people / previous
    with _kit_style():
        ax = _axes(ax)
        positions = np.arange(len(frame))
        bars = ax.barh(positions, people, color=bar_color or NEUTRAL, height=0.7)
        texts = [
            f"{p:,.0f}" + ("" if i == 0 else f"  ({_pct(r, 1)} of previous)")
            for i, (p, r) in enumerate(zip(people, step_rate, strict=True))
        ]
        ax.bar_label(bars, labels=texts, padding=3, fontsize=TEXT_SIZE)
        ax.set_yticks(positions, [_pretty(s) for s in frame[step]])
        ax.invert_yaxis()
        ax.set_xlim(0, (np.nanmax(people) if len(people) else 1) * 1.45)
        ax.set_xlabel(unit)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        if title is None and len(people) > 1 and people[0] > 0:
            title = (
                f"{_pct(people[-1] / people[0], 1)} of the {unit} at "
                f"{_pretty(frame[step].iloc[0])} reach {_pretty(frame[step].iloc[-1])}"
            )
        ax.set_title(title or "")
    return ax


def precision_recall(
    points: pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    threshold: str = "threshold",
    chosen: float | None = None,
    xlabel: str = "threshold",
) -> Axes:
    """Precision and recall of a bot filter (or any classifier) against its threshold.

    Parameters
    ----------
    points : DataFrame
        One row per threshold tried: ``threshold``, ``precision``, ``recall`` (shares).
    title : str, optional
        The takeaway; by default the threshold with the best F1 and its precision and recall.
    chosen : float, optional
        A threshold to mark with a vertical line.
    xlabel : str, default "threshold"

    Returns
    -------
    Axes
    """
    _need("precision_recall", points, [threshold, "precision", "recall"],
          "Pass threshold= with your column, or bot_thresholds.sweep(...).")
    _need_range("precision_recall", points[["precision", "recall"]], "precision and recall", 0.0, 1.0,
                "Pass shares (0-1), as bot_thresholds.sweep(...) gives.")
    _need_range("precision_recall", points[[threshold]], f"points[{threshold!r}]", -np.inf, None)
    frame = points.sort_values(threshold)
    x = frame[threshold].to_numpy(dtype=float)
    precision = frame["precision"].to_numpy(dtype=float)
    recall = frame["recall"].to_numpy(dtype=float)
    with _kit_style():
        ax = _axes(ax)
        ax.plot(x, precision, marker="o", ms=4, color=COLORS["precision"], label="precision")
        ax.plot(x, recall, marker="s", ms=4, color=COLORS["recall"], label="recall")
        if chosen is not None:
            ax.axvline(chosen, color=COLORS["threshold"], ls="--", lw=1, label="chosen threshold")
        ax.set_ylim(0, 1.05)
        percent_axis(ax, "y")
        ax.set_ylabel("precision, recall (%)")
        ax.set_xlabel(xlabel)
        ax.grid(axis="y")
        ax.legend(loc="lower left")
        if title is None and len(frame):
            with np.errstate(divide="ignore", invalid="ignore"):
                f1 = np.where(
                    precision + recall > 0, 2 * precision * recall / (precision + recall), 0
                )
            best = int(np.nanargmax(f1))
            title = (
                f"At threshold {x[best]:g}: precision {_pct(precision[best])}, "
                f"recall {_pct(recall[best])}"
            )
        ax.set_title(title or "")
    return ax


def score_hist(
    scores: pd.Series | Sequence[float] | np.ndarray,
    threshold: float | None = None,
    title: str | None = None,
    *,
    truth: pd.Series | Sequence[bool] | None = None,
    ax: Axes | None = None,
    bins: int | Sequence[float] = 30,
    xlabel: str = "bot score",
    unit: str = "sessions",
) -> Axes:
    """Histogram of scores with the threshold marked; split into bots and humans when known.

    Parameters
    ----------
    scores : Series or array
        One score per session (or lead...).
    threshold : float, optional
        Scores at or above it are flagged; drawn as a dashed line.
    title : str, optional
        The takeaway; by default the share flagged by the threshold.
    truth : Series of bool, optional
        True for real bots: two stacked histograms, bots vermillion, humans blue.
    bins : int or sequence, default 30
    xlabel, unit : str
        Axis labels: what the score is, what is counted.

    Returns
    -------
    Axes
    """
    values = np.asarray(pd.to_numeric(pd.Series(scores), errors="coerce"), dtype=float)
    truth_flags = None if truth is None else _need_flags(
        "score_hist", pd.DataFrame({"truth": pd.Series(truth).to_numpy()}), "truth",
        "True for a bot", "Pass e.g. answer_key['segment'].eq('bot').")
    with _kit_style():
        ax = _axes(ax)
        if truth is not None:
            is_bot = truth_flags
            ax.hist(
                [values[~is_bot], values[is_bot]],
                bins=bins,
                stacked=True,
                color=[COLORS["human"], COLORS["bot"]],
                label=["human", "bot"],
            )
            ax.legend()
        else:
            ax.hist(values, bins=bins, color=NEUTRAL)
        if threshold is not None:
            ax.axvline(threshold, color=COLORS["threshold"], ls="--", lw=1.2)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(unit)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        if title is None:
            if threshold is not None and len(values):
                share = float(np.nanmean(values >= threshold))
                title = f"Threshold {threshold:g} flags {_pct(share, 1)} of {unit}"
            else:
                title = f"Scores of {len(values):,} {unit}"
        ax.set_title(title)
    return ax


def confusion(
    confusion_frame: pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    positive: Any = None,
) -> Axes:
    """A 2x2 (or larger) confusion table as a heat map with counts and shares of each true row.

    Parameters
    ----------
    confusion_frame : DataFrame
        Rows: the truth, columns: the verdict (same labels), values: counts. E.g.
        ``pd.crosstab(truth, flagged)`` or ``bots.evaluate(...).confusion``.
    title : str, optional
        The takeaway; by default the recall on the positive class and the false alarms.
    positive : label, optional
        The positive class ("bot", True...). By default "bot" or True when present, else the
        last row.

    Returns
    -------
    Axes
    """
    if not isinstance(confusion_frame, pd.DataFrame):
        raise TypeError(
            "confusion(): expected a DataFrame of counts (rows = truth, columns = verdict), "
            f"got {type(confusion_frame).__name__}. Try pd.crosstab(truth, flagged)."
        )
    _need_range("confusion", confusion_frame, "confusion_frame (counts)", 0.0, None,
                "Pass counts, e.g. pd.crosstab(truth, flagged) or bots.evaluate(...).confusion.")
    counts = _confusion_by_label(confusion_frame).astype(float)
    row_share = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    with _kit_style():
        ax = _axes(ax, figsize=(4.8, 4.0))
        ax.imshow(row_share.to_numpy(), cmap=_BLUES, vmin=0, vmax=1)
        for i in range(counts.shape[0]):
            for j in range(counts.shape[1]):
                share = row_share.iat[i, j]
                ax.text(
                    j,
                    i,
                    f"{counts.iat[i, j]:,.0f}\n{_pct(share, 1)}",
                    ha="center",
                    va="center",
                    color=text_colour(_BLUES(share)),
                    fontsize=TEXT_SIZE,
                )
        ax.set_xticks(range(counts.shape[1]), [_pretty(c) for c in counts.columns])
        ax.set_yticks(range(counts.shape[0]), [_pretty(i) for i in counts.index])
        ax.set_xlabel(_axis_name("verdict", counts.columns.name))
        ax.set_ylabel(_axis_name("truth", counts.index.name))
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        if title is None:
            title = _confusion_title(counts, positive)
        ax.set_title(title)
    return ax


def _axis_name(role: str, name: Any) -> str:
    """'truth' or 'verdict', with the frame's own axis name when it adds something."""
    if name is None or str(name).lower() in {role, "label", "truth", "verdict", "actual", "predicted"}:
        return role
    return f"{role} ({_pretty(name)})"


def _confusion_title(counts: pd.DataFrame, positive: Any) -> str:
    if positive is None:
        for candidate in ("bot", True, "True", 1):
            if candidate in counts.index:
                positive = candidate
                break
    square = counts.shape[0] == counts.shape[1]
    if positive is None or positive not in counts.index or (
        positive not in counts.columns and not square
    ):
        share = np.trace(counts.to_numpy()) / max(counts.to_numpy().sum(), 1)
        return f"{_pct(share, 1)} of verdicts are right"
    # Rows and columns may be labelled differently ("bot" / "flagged as bot"): when the
    # positive class is not a column label, the table is read by position (same order).
    i = counts.index.get_loc(positive)
    j = counts.columns.get_loc(positive) if positive in counts.columns else i
    hit = counts.iat[i, j]
    caught = hit / max(counts.iloc[i].sum(), 1)
    false_alarms = counts.iloc[:, j].sum() - hit
    what = "bots" if _key(positive, "is_bot") == "bot" else _pretty(positive)
    return f"The filter catches {_pct(caught)} of {what}; {false_alarms:,.0f} false alarms"


# --------------------------------------------------------------------------- lesson 01

__all__ += ["segment_mix"]


def segment_mix(
    mix: pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    normalize: bool = True,
    xlabel: str = "share",
    ylabel: str = "",
) -> Axes:
    """Stacked bars of visitor segments, one bar per row: e.g. sessions, visitors, leads.

    The same look and colours as :func:`traffic_mix` (bots vermillion, potential buyers
    green...), for rows that are not channels: the same traffic counted in different units,
    or groups of people.

    Parameters
    ----------
    mix : DataFrame
        One row per bar (the index, e.g. "sessions", "visitors", "web leads"), one column per
        segment, values counts or shares.
    title : str, optional
        The takeaway. By default: how the share of bots differs from the first row to the
        row where it is largest (or the first column when there is no "bot" column).
    normalize : bool, default True
        Turn each row into shares that sum to 1 (pass False when ``mix`` already holds shares).
    xlabel : str, default "share"
        What the shares are of; " (%)" is added.
    ylabel : str, default ""

    Returns
    -------
    Axes

    Examples
    --------
    >>> mix = pd.DataFrame({"bot": [22, 30], "stumbled": [78, 70]}, index=["sessions", "visitors"])
    >>> segment_mix(mix).get_title()
    'Bots: 22% of sessions, 30% of visitors'
    >>> plt.close("all")
    """
    if not isinstance(mix, pd.DataFrame):
        raise TypeError(
            "segment_mix(): expected a DataFrame with one row per bar and one column per "
            f"segment, got {type(mix).__name__}. Try pd.DataFrame({{'sessions': ..., "
            "'visitors': ...}}).T with segments as columns."
        )
    values = mix.astype(float)
    if normalize:
        totals = values.sum(axis=1).replace(0, np.nan)
        values = values.div(totals, axis=0).fillna(0.0)
    if title is None and len(values) and values.shape[1]:
        column = "bot" if "bot" in values.columns else values.columns[0]
        first, top = values.index[0], values[column].idxmax()
        name = "Bots" if column == "bot" else _pretty(column).capitalize()
        title = f"{name}: {_pct(values.at[first, column])} of {_pretty(first)}"
        if top != first:
            title += f", {_pct(values.at[top, column])} of {_pretty(top)}"
    ax = traffic_mix(values, title or "", ax=ax, normalize=False, ylabel=ylabel)
    ax.set_xlabel(f"{xlabel} (%)")
    return ax


# --------------------------------------------------------------------------- lesson 02

__all__ += ["BOT_RATE_COLUMNS", "bot_reasons", "rates_with_without_bots"]

#: Column names :func:`rates_with_without_bots` looks for, in drawing order.
BOT_RATE_COLUMNS: tuple[str, str, str] = ("with bots", "without bots", "truth")


def bot_reasons(
    report: pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars: how many sessions each bot reason flags, from ``bots.report``.

    Parameters
    ----------
    report : DataFrame
        As :func:`helpers.bots.report` returns: indexed by reason, with ``sessions`` and
        ``share``; the rows ``human`` and ``total`` are not drawn (the total goes in the
        title).
    title : str, optional
        The takeaway; by default the share of sessions flagged and the reason that flags
        the most.
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> report = pd.DataFrame(
    ...     {"sessions": [78, 14, 8, 100], "share": [0.78, 0.14, 0.08, 1.0]},
    ...     index=pd.Index(["human", "ua:list", "behaviour:fast_form", "total"], name="reason"))
    >>> bot_reasons(report).get_title()
    '22% of sessions flagged as bots; the most by ua:list (14%)'
    >>> plt.close("all")
    """
    if not isinstance(report, pd.DataFrame):
        raise TypeError(
            "bot_reasons(): expected the table bots.report(labelled) returns (indexed by "
            f"reason, with a 'sessions' column), got {type(report).__name__}."
        )
    _need("bot_reasons", report, ["sessions"], "Pass bots.report(bots.label(sessions)).")
    _need_range("bot_reasons", report["sessions"], "report['sessions']", 0.0, None,
                "Pass bots.report(bots.label(sessions)).")
    index = report.index.astype(str)
    total = (
        float(report.loc[index == "total", "sessions"].iloc[0])
        if (index == "total").any()
        else float(report["sessions"].sum())
    )
    rows = report.loc[~np.isin(index, ["human", "total"]), "sessions"].astype(float)
    shares = rows / total if total else rows * 0.0
    with _kit_style():
        ax = _axes(ax, figsize=(7.0, 0.45 * max(len(rows), 2) + 1.4))
        positions = np.arange(len(rows))
        bars = ax.barh(positions, rows.to_numpy(), color=COLORS["bot"], height=0.7)
        ax.bar_label(
            bars,
            labels=[f"{n:,.0f} ({_pct(s, 1)})" for n, s in zip(rows, shares, strict=True)],
            padding=3,
            fontsize=TEXT_SIZE,
        )
        ax.set_yticks(positions, [str(r) for r in rows.index])
        ax.invert_yaxis()
        ax.set_xlim(0, max(float(rows.max()) if len(rows) else 1.0, 1.0) * 1.3)
        ax.set_xlabel("sessions flagged (share of all sessions)")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        if title is None:
            flagged = float(rows.sum()) / total if total else 0.0
            title = f"{_pct(flagged)} of sessions flagged as bots"
            if len(rows):
                top = rows.idxmax()
                title += f"; the most by {top} ({_pct(shares[top])})"
        ax.set_title(title)
    return ax


def rates_with_without_bots(
    table: pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    xlabel: str = "conversion rate per session",
) -> Axes:
    """Paired bars: each conversion rate with the bots left in and with them filtered out.

    Parameters
    ----------
    table : DataFrame
        One row per conversion (the index, e.g. "purchase"), columns ``"with bots"`` and
        ``"without bots"`` (rates as shares, 0-1) and optionally ``"truth"`` (the rate among
        real humans, from the answer key), drawn as a black tick on each row.
    title : str, optional
        The takeaway; by default the row whose rate the bots move the most (relative).
    ax : Axes, optional
    xlabel : str, default "conversion rate per session"

    Returns
    -------
    Axes

    Examples
    --------
    >>> table = pd.DataFrame({"with bots": [0.0146, 0.0404], "without bots": [0.0188, 0.0418]},
    ...                      index=["purchase", "newsletter_signup"])
    >>> rates_with_without_bots(table).get_title()
    'With bots left in, the purchase rate reads 1.46% instead of 1.88%'
    >>> plt.close("all")
    """
    with_bots, without, truth = BOT_RATE_COLUMNS
    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            "rates_with_without_bots(): expected a DataFrame with one row per conversion and "
            f"columns {with_bots!r} and {without!r}, got {type(table).__name__}."
        )
    _need(
        "rates_with_without_bots",
        table,
        [with_bots, without],
        "Name the columns 'with bots' and 'without bots' (and optionally 'truth').",
    )
    values = table.astype(float)
    with _kit_style():
        ax = _axes(ax, figsize=(7.0, 0.75 * max(len(values), 2) + 1.4))
        positions = np.arange(len(values))
        height = 0.38
        for offset, column, colour in (
            (-height / 2, with_bots, GREY),
            (height / 2, without, COLORS["human"]),
        ):
            bars = ax.barh(
                positions + offset,
                values[column].to_numpy(),
                height=height * 0.92,
                color=colour,
                label="bots left in" if column == with_bots else "bots filtered out",
            )
            ax.bar_label(
                bars, labels=[_pct(v, 2) for v in values[column]], padding=3, fontsize=TEXT_SIZE
            )
        if truth in values.columns:
            ax.scatter(
                values[truth].to_numpy(),
                positions + height / 2,
                marker="|",
                s=500,
                linewidths=2.5,
                color=COLORS["total"],
                zorder=3,
                label="truth (answer key)",
            )
        ax.set_yticks(positions, [_pretty(i) for i in values.index])
        ax.invert_yaxis()
        top = np.nanmax(values.to_numpy()) if values.size else 0.05
        ax.set_xlim(0, float(top) * 1.7)
        percent_axis(ax, "x", decimals=1)
        ax.set_xlabel(f"{xlabel} (%)")
        ax.legend(loc="lower right")
        if title is None and len(values):
            with np.errstate(divide="ignore", invalid="ignore"):
                gap = (values[with_bots] / values[without] - 1).abs()
            row = gap.idxmax() if gap.notna().any() else values.index[0]
            title = (
                f"With bots left in, the {_pretty(row)} rate reads "
                f"{_pct(values.at[row, with_bots], 2)} instead of "
                f"{_pct(values.at[row, without], 2)}"
            )
        ax.set_title(title or "")
    return ax


# --------------------------------------------------------------------------- lesson 03

__all__ += ["persona_profile", "persona_segments", "silhouette"]


def persona_profile(
    profile_frame: pd.DataFrame,
    group: str,
    title: str | None = None,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Paired bars: one persona's visitors beside all visitors, criterion by criterion.

    Parameters
    ----------
    profile_frame : DataFrame
        As :func:`helpers.personas.profile` returns: ``group``, ``signal``, ``stated``,
        ``observed`` (the group's mean, or share with an accepted value) and ``everyone``
        (the same over every visitor). Values are shares between 0 and 1.
    group : str
        The persona (or segment) to draw, a value of the ``group`` column.
    title : str, optional
        The takeaway; by default the criterion where the group stands out most.
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> prof = pd.DataFrame({"group": ["fan", "fan"], "signal": ["reads_gear", "mobile_share"],
    ...     "stated": ["reads_gear = True", "mobile_share >= 0.5"],
    ...     "observed": [0.8, 0.7], "everyone": [0.2, 0.5]})
    >>> persona_profile(prof, "fan").get_title()
    'Fan: reads gear for 80% of its visitors, 20% of all visitors'
    >>> plt.close("all")
    """
    if not isinstance(profile_frame, pd.DataFrame):
        raise TypeError(
            "persona_profile(): expected the table personas.profile(...) returns, got "
            f"{type(profile_frame).__name__}."
        )
    _need("persona_profile", profile_frame, ["group", "signal", "observed", "everyone"],
          "Make it with personas.profile(assigned).")
    rows = profile_frame[profile_frame["group"].astype(str).eq(str(group)).to_numpy()]
    if rows.empty:
        known = ", ".join(map(str, pd.unique(profile_frame["group"].astype(str))))
        raise ValueError(
            f"persona_profile(): no rows for group {group!r}. Groups in the table: {known}."
        )
    stated = rows["stated"].astype(str).tolist() if "stated" in rows.columns else None
    labels = [
        _profile_label(signal, stated[i] if stated else "")
        for i, signal in enumerate(rows["signal"].astype(str))
    ]
    mine = rows["observed"].to_numpy(dtype=float)
    everyone = rows["everyone"].to_numpy(dtype=float)
    with _kit_style():
        ax = _axes(ax, figsize=(7.0, 0.55 * len(rows) + 1.4))
        positions = np.arange(len(rows))
        height = 0.38
        own = color(group, default=OKABE_ITO["blue"])
        bars = ax.barh(positions - height / 2, mine, height=height * 0.95, color=own,
                       label=f"{_pretty(group)} visitors")
        rest = ax.barh(positions + height / 2, everyone, height=height * 0.95, color=GREY,
                       label="all visitors")
        for found in (bars, rest):
            ax.bar_label(found, labels=[_pct(v) if np.isfinite(v) else "" for v in
                                        found.datavalues], padding=3, fontsize=TEXT_SIZE)
        ax.set_yticks(positions, [_pretty(label) for label in labels])
        ax.invert_yaxis()
        top = np.nanmax(np.r_[mine, everyone]) if len(rows) else 1.0
        ax.set_xlim(0, max(float(top) * 1.18, 0.05))
        percent_axis(ax, "x")
        ax.set_xlabel("share of visitors, or mean share of their visits (%)")
        ax.legend(loc="lower right")
        if title is None:
            with np.errstate(divide="ignore", invalid="ignore"):
                gap = np.where(np.isfinite(mine - everyone), mine - everyone, -np.inf)
            i = int(np.argmax(gap))
            title = (
                f"{_pretty(group).capitalize()}: {_pretty(labels[i])} for {_pct(mine[i])} of its "
                f"visitors, {_pct(everyone[i])} of all visitors"
            )
        ax.set_title(title)
    return ax


def _profile_label(signal: str, stated: str) -> str:
    """A profile row's label: the criterion, or "mean <signal>" when the bars show a mean."""
    if not stated or stated == "nan":
        return f"mean {signal}"
    rule = stated[len(signal):].strip() if stated.startswith(signal) else stated
    if rule.startswith((">=", "<=")) or (rule[:1].isdigit() and "-" in rule):
        return f"mean {signal} (wants {rule})"
    return stated[: -len(" = True")] if stated.endswith(" = True") else stated


def silhouette(
    sweep: pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    chosen: int | None = None,
) -> Axes:
    """The silhouette of k-means for each number of segments k, the best one marked.

    Parameters
    ----------
    sweep : DataFrame
        As :func:`helpers.personas.silhouette_sweep` returns: ``k`` and ``silhouette``.
    title : str, optional
        The takeaway; by default the k with the highest silhouette on this sample (and
        whether it is only the largest k tried).
    ax : Axes, optional
    chosen : int, optional
        The k to mark; by default the one with the highest silhouette.

    Returns
    -------
    Axes

    Examples
    --------
    >>> sweep = pd.DataFrame({"k": [2, 3, 4], "silhouette": [0.20, 0.31, 0.25]})
    >>> silhouette(sweep).get_title()
    'Highest silhouette on this sample: k = 3 (0.31)'
    >>> plt.close("all")
    """
    if not isinstance(sweep, pd.DataFrame):
        raise TypeError(
            "silhouette(): expected the table personas.silhouette_sweep(...) returns, got "
            f"{type(sweep).__name__}."
        )
    _need("silhouette", sweep, ["k", "silhouette"], "Make it with personas.silhouette_sweep.")
    _need_range("silhouette", sweep[["silhouette"]], "sweep['silhouette']", -1.0, 1.0,
                "A silhouette is between -1 and 1: make it with personas.silhouette_sweep.")
    _need_range("silhouette", sweep[["k"]], "sweep['k']", 2.0, None,
                "Make it with personas.silhouette_sweep.")
    frame = sweep.sort_values("k")
    ks = frame["k"].to_numpy(dtype=int)
    values = frame["silhouette"].to_numpy(dtype=float)
    best = int(ks[int(np.nanargmax(values))]) if chosen is None else int(chosen)
    best_value = float(values[ks == best][0]) if (ks == best).any() else float("nan")
    with _kit_style():
        ax = _axes(ax, figsize=(6.0, 3.4))
        ax.plot(ks, values, marker="o", ms=5, color=NEUTRAL, lw=1.8)
        ax.scatter([best], [best_value], s=110, facecolors="none",
                   edgecolors=COLORS["threshold"], linewidths=1.6, zorder=3)
        ax.annotate(f"k = {best}", (best, best_value), textcoords="offset points",
                    xytext=(0, 9), ha="center", fontsize=TEXT_SIZE)
        ax.set_xticks(ks)
        low = min(0.0, float(np.nanmin(values))) if len(values) else 0.0
        high = max(float(np.nanmax(values)) * 1.25, 0.05) if len(values) else 1.0
        ax.set_ylim(low, min(high, 1.0))
        ax.set_xlabel("number of segments k")
        ax.set_ylabel("silhouette (higher = better separated)")
        ax.grid(axis="y")
        if title is None:  # one sample's maximum is not "the best k": say only what it shows
            edge = " (the largest k tried: no peak)" if len(ks) and best == int(ks.max()) else ""
            title = f"Highest silhouette on this sample: k = {best} ({best_value:.2f}){edge}"
        ax.set_title(title)
    return ax


def persona_segments(
    table: pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Heat map of personas (rows) against data-driven segments (columns), shares of each row.

    Parameters
    ----------
    table : DataFrame
        Counts, as :func:`helpers.personas.compare_segments` returns (rows: personas,
        columns: segments).
    title : str, optional
        The takeaway; by default the persona that falls most into one segment.
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> t = pd.DataFrame({0: [90, 5], 1: [10, 95]}, index=pd.Index(["fan", "none"], name="persona"))
    >>> persona_segments(t).get_title()
    '90% of fan visitors fall in segment 0'
    >>> plt.close("all")
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            "persona_segments(): expected a DataFrame of counts (rows = personas, columns = "
            f"segments), got {type(table).__name__}. Try personas.compare_segments(a, s)."
        )
    counts = table.astype(float)
    last = [i for i in counts.index if _key(i) in ("none", "other")]
    counts = counts.loc[[i for i in counts.index if i not in last] + last]
    shares = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    with _kit_style():
        ax = _axes(ax, figsize=(1.0 * counts.shape[1] + 2.6, 0.6 * counts.shape[0] + 1.6))
        ax.imshow(shares.to_numpy(), cmap=_BLUES, vmin=0, vmax=1, aspect="auto")
        for i in range(counts.shape[0]):
            for j in range(counts.shape[1]):
                share = shares.iat[i, j]
                ax.text(j, i, f"{counts.iat[i, j]:,.0f}\n{_pct(share)}", ha="center",
                        va="center", fontsize=TEXT_SIZE, color=text_colour(_BLUES(share)))
        ax.set_xticks(range(counts.shape[1]), [str(c) for c in counts.columns])
        ax.set_yticks(range(counts.shape[0]), [_pretty(i) for i in counts.index])
        ax.set_xlabel("data-driven segment (k-means)")
        ax.set_ylabel("persona (hand-made)")
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        if title is None and counts.size:
            named = shares.loc[[i for i in shares.index if _key(i) not in ("none", "other")]]
            named = named if len(named) else shares
            row = named.max(axis=1).idxmax()
            column = named.loc[row].idxmax()
            title = (
                f"{_pct(named.at[row, column])} of {_pretty(row)} visitors fall in "
                f"segment {column}"
            )
        ax.set_title(title or "")
    return ax


# --------------------------------------------------------------------------- lesson 04

__all__ += ["conversion_sources", "conversions_by_event"]

#: Colours of the sources of conversion events (lesson 04): bots keep their vermillion.
_SOURCE_COLOURS: dict[str, str] = {
    "lead": COLORS["lead"],
    "leads": COLORS["lead"],
    "bot": COLORS["bot"],
    "bots": COLORS["bot"],
    "not_a_lead": GREY,
    "not_leads": GREY,
    "non-lead": GREY,
    "non-leads": GREY,
}

#: The choice that takes an event out of a catalogue: :data:`helpers.conversions.NOT_A_CONVERSION`.
NOT_A_CONVERSION = conversions.NOT_A_CONVERSION


def _figure_first(ax: Axes | None) -> Any:
    """A new figure made *outside* ``rc_context``, or None when ``ax`` is given.

    The first figure of a session loads pyplot's backend; Jupyter's inline backend then
    switches matplotlib to interactive mode. Inside ``rc_context`` that switch is undone when
    the context ends, and later charts of the session are no longer shown. Making the figure
    first avoids it; the axes are still added inside the context, so they get the kit's look.
    """
    if ax is not None:
        return None
    return plt.figure(figsize=RC["figure.figsize"], dpi=RC["figure.dpi"], layout="constrained")


def _kind_colour(kind: Any) -> str:
    key = _key(kind)
    return COLORS[key] if key in ("micro", "macro") else GREY


def conversions_by_event(
    table: pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    count: str = "events",
    kind: str = "kind",
    unit: str = "conversion events",
) -> Axes:
    """Horizontal bars of conversions per event, coloured by kind: micro light, macro dark.

    Events that are not conversions (kind ``"not a conversion"``, or anything that is not
    micro or macro) are drawn in grey, so a chart of a changed catalogue still shows them.

    Parameters
    ----------
    table : DataFrame
        One row per event (the index), with a count column and a kind column, e.g. the
        ``by_event`` table of :func:`helpers.conversions.catalogue_counts`.
    title : str, optional
        The takeaway. By default: how many micro conversions there are per macro one.
    count, kind : str
        Column names of the count and of the kind.
    unit : str, default "conversion events"
        What the bars count, for the axis label.

    Returns
    -------
    Axes

    Examples
    --------
    >>> t = pd.DataFrame({"kind": ["micro", "macro", "not a conversion"],
    ...                   "events": [80, 10, 5]}, index=["newsletter_signup", "purchase", "x"])
    >>> conversions_by_event(t).get_title()
    'Micro conversions outnumber macro 8.0 to 1'
    >>> plt.close("all")
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            "conversions_by_event(): expected a DataFrame with one row per event and columns "
            f"{count!r} and {kind!r}, got {type(table).__name__}."
        )
    _need("conversions_by_event", table, [count, kind], "Pass count= and kind= column names.")
    values = pd.to_numeric(table[count], errors="coerce").fillna(0).to_numpy(dtype=float)
    kinds = table[kind].astype(str).tolist()
    fig = _figure_first(ax)
    with _kit_style():
        ax = fig.add_subplot() if fig is not None else ax
        positions = np.arange(len(table))
        bars = ax.barh(positions, values, color=[_kind_colour(k) for k in kinds], height=0.7)
        ax.bar_label(bars, labels=[f"{v:,.0f}" for v in values], padding=3, fontsize=TEXT_SIZE)
        ax.set_yticks(positions, [_pretty(i) for i in table.index])
        ax.invert_yaxis()
        ax.set_xlim(0, max(float(values.max()) if len(values) else 0.0, 1.0) * 1.15)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_xlabel(unit)
        shown = [k for k in ("micro", "macro") if k in kinds]
        if any(_kind_colour(k) == GREY for k in kinds):
            shown.append(NOT_A_CONVERSION)
        from matplotlib.patches import Patch

        handles = [Patch(color=_kind_colour(k), label=k) for k in shown]
        if handles:
            ax.legend(handles=handles, loc="lower right")
        if title is None:
            micro = float(values[[k == "micro" for k in kinds]].sum())
            macro = float(values[[k == "macro" for k in kinds]].sum())
            if macro > 0 and micro > 0:
                title = f"Micro conversions outnumber macro {micro / macro:.1f} to 1"
            elif macro == 0:
                title = "No macro conversion: this catalogue has no goal that anyone reached"
            else:
                title = "Only macro conversions: no small steps are counted"
        ax.set_title(title)
    return ax


def conversion_sources(
    table: pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    unit: str = "conversion events",
) -> Axes:
    """Stacked bars of conversion events per event, split by who made them.

    Parameters
    ----------
    table : DataFrame
        One row per event (the index), one column per source, values counts, e.g.
        columns ``"lead"``, ``"not a lead"``, ``"bot"`` from
        ``pd.crosstab(events["event_name"], source)``. Bots are vermillion, leads light
        blue, people who are not leads grey.
    title : str, optional
        The takeaway. By default: the share of all the events that came from leads.
    unit : str, default "conversion events"
        What the bars count, for the axis label.

    Returns
    -------
    Axes

    Examples
    --------
    >>> t = pd.DataFrame({"lead": [60, 30], "not a lead": [20, 0], "bot": [20, 0]},
    ...                  index=["newsletter_signup", "purchase"])
    >>> conversion_sources(t).get_title()
    'Only 69% of conversion events come from leads'
    >>> plt.close("all")
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            "conversion_sources(): expected a DataFrame with one row per event and one column "
            f"per source (lead, not a lead, bot), got {type(table).__name__}. Try "
            "pd.crosstab(events['event_name'], source)."
        )
    values = table.apply(pd.to_numeric, errors="coerce").fillna(0).astype(float)
    spare = iter([c for c in _CYCLE if c not in (COLORS["lead"], GREY)])
    colours = [_SOURCE_COLOURS.get(_key(c)) or next(spare, NEUTRAL) for c in values.columns]
    fig = _figure_first(ax)
    with _kit_style():
        ax = fig.add_subplot() if fig is not None else ax
        positions = np.arange(len(values))
        left = np.zeros(len(values))
        top = float(values.sum(axis=1).max()) if len(values) else 1.0
        for column, colour in zip(values.columns, colours, strict=True):
            widths = values[column].to_numpy()
            bars = ax.barh(positions, widths, left=left, color=colour, label=_pretty(column),
                           height=0.7)
            ax.bar_label(
                bars,
                labels=[f"{w:,.0f}" if w >= 0.06 * top else "" for w in widths],
                label_type="center",
                fontsize=TEXT_SIZE,
                color=text_colour(colour),
            )
            left = left + widths
        ax.set_yticks(positions, [_pretty(i) for i in values.index])
        ax.invert_yaxis()
        ax.set_xlim(0, max(top, 1.0) * 1.05)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_xlabel(unit)
        ax.legend(ncols=min(4, len(values.columns)), loc="upper left", bbox_to_anchor=(0, -0.15))
        if title is None:
            total = float(values.to_numpy().sum())
            lead_cols = [c for c in values.columns if _key(c) in ("lead", "leads")]
            if lead_cols and total > 0:
                share = float(values[lead_cols].to_numpy().sum()) / total
                title = (
                    f"All {unit} come from leads"
                    if share >= 0.995
                    else f"Only {_pct(share)} of {unit} come from leads"
                )
            else:
                title = f"{total:,.0f} {unit}"
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------- lesson 05

__all__ += ["rate_and_volume"]


def rate_and_volume(
    rate_table: pd.DataFrame,
    title: str | None = None,
    *,
    by: str | None = None,
    count: str = "conversions",
    count_label: str = "conversions",
    xlabel: str = "conversion rate",
    axes: Sequence[Axes] | None = None,
) -> Axes:
    """Two panels side by side: each group's rate (with its interval) and how many it brought.

    A high rate on a small group brings fewer conversions than a modest rate on a big one:
    this chart puts the two next to each other so neither is read alone.

    Parameters
    ----------
    rate_table : DataFrame
        As :func:`helpers.conversions.rate_table` returns: a group column, ``rate``, ``low``,
        ``high`` and the ``count`` column. A "Total" row is drawn as a dashed line on the
        rate panel and left out of the count panel.
    title : str, optional
        The takeaway; by default it names the group with the highest rate and the group
        that brought the most (when they differ).
    by : str, optional
        The group column; by default the first column that is not a number.
    count : str, default "conversions"
        The column with what each group brought.
    count_label : str, default "conversions"
        What ``count`` counts, for the axis label and the default title ("leads"...).
    xlabel : str, default "conversion rate"
        What the rate is, for the rate panel's axis label.
    axes : pair of Axes, optional
        Where to draw (rate panel, count panel); a new figure by default.

    Returns
    -------
    Axes
        The rate panel; ``ax.figure`` holds both, and the title is the figure's title.

    Examples
    --------
    >>> table = pd.DataFrame({"channel": ["small", "big", "Total"],
    ...     "conversions": [40, 300, 340], "visitors": [100, 3000, 3100],
    ...     "rate": [0.4, 0.1, 340 / 3100], "low": [0.31, 0.09, 0.10], "high": [0.5, 0.11, 0.12]})
    >>> ax = rate_and_volume(table, count_label="leads")
    >>> ax.figure.get_suptitle()
    'Small converts best (40.0%), but big brings the most leads (300)'
    """
    _need("rate_and_volume", rate_table, [count], "Pass count= with the column of counts.")
    value, _low, _high = _rate_columns(rate_table)
    _need_range("rate_and_volume", rate_table[[value]], f"rate_table[{value!r}]", 0.0, 1.0,
                "Pass conversions.rate_table(...), whose rates are shares (0-1).")
    _need_range("rate_and_volume", rate_table[[count]], f"rate_table[{count!r}]", 0.0, None,
                "Pass conversions.rate_table(...).")
    if by is not None and by not in rate_table.columns:
        raise KeyError(f"rate_and_volume(): rate_table has no column {by!r}; pass by= one of "
                       f"{', '.join(map(str, rate_table.columns))}.")
    if by is None and isinstance(rate_table.index, pd.RangeIndex) and not any(
        not pd.api.types.is_numeric_dtype(rate_table[c]) for c in rate_table.columns
        if c not in (value, "low", "high")
    ):
        raise KeyError("rate_and_volume(): rate_table has no text column to label the groups (and "
                       "its index is 0, 1, 2...); pass by= the group column, or conversions.rate_table(...).")
    if by is None:
        candidates = [
            c
            for c in rate_table.columns
            if c not in (value, "low", "high") and not pd.api.types.is_numeric_dtype(rate_table[c])
        ]
        by = candidates[0] if candidates else None
    labels = rate_table[by].astype(str) if by else rate_table.index.astype(str)
    is_total = labels.str.lower().eq("total").to_numpy()
    groups = rate_table.loc[~is_total]
    names = labels[~is_total].tolist()
    counts = groups[count].to_numpy(dtype=float)
    if axes is None:
        # The figure is made outside rc_context: the first figure of a Jupyter session loads
        # the inline backend, whose switch to interactive mode rc_context would undo.
        fig = plt.figure(
            figsize=(9.0, max(3.0, 0.45 * len(groups) + 1.6)), dpi=RC["figure.dpi"],
            layout="constrained",
        )
    else:
        left, right = axes
        fig = left.get_figure()
    with _kit_style():
        if axes is None:
            left, right = fig.subplots(1, 2, sharey=True, width_ratios=[1.2, 1.0])
        rates_with_intervals(rate_table, "", by=by, ax=left, xlabel=xlabel)
        left.set_xlabel(f"{xlabel} (%)\ndot = rate, line = 95% interval")
        positions = np.arange(len(groups))
        colours = [color(name, by) for name in names]
        bars = right.barh(positions, counts, color=colours, height=0.6, alpha=0.85)
        right.bar_label(bars, labels=[f"{c:,.0f}" for c in counts], padding=3, fontsize=TEXT_SIZE)
        right.set_xlim(0, (np.nanmax(counts) if len(counts) else 1) * 1.25)
        right.set_xlabel(count_label)
        right.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        right.tick_params(axis="y", left=False)
        if title is None and len(groups):
            title = _rate_and_volume_title(rate_table, by, groups, names, counts, value, count_label)
        fig.suptitle(title or "", fontweight="bold", fontsize=RC["axes.titlesize"])
    return left


def _rate_and_volume_title(
    table: pd.DataFrame, by: str | None, groups: pd.DataFrame, names: list[str],
    counts: np.ndarray, value: str, count_label: str,
) -> str:
    """"X converts best / has the highest measured rate, but Y brings the most ...": the rate
    part is only as strong as :func:`helpers.claims.leader` allows."""
    from helpers import claims

    rates = groups[value].to_numpy(dtype=float)
    best, most = int(np.nanargmax(rates)), int(np.nanargmax(counts))
    name = _pretty(names[best]).capitalize()
    claim = f"{name} has the highest measured rate ({_pct(rates[best], 1)})"
    if by is not None and "conversions" in table.columns:
        try:
            lead = claims.leader(table, by=by)
        except (KeyError, ValueError):
            lead = None
        if lead is not None and lead.clear:
            claim = f"{name} converts best ({_pct(rates[best], 1)})"
        elif lead is not None and lead.small:
            claim = (f"{name} has the highest measured rate ({_pct(rates[best], 1)}, on only "
                     f"{lead.rate.denominator:,} {lead.rate.unit})")
    if best == most:
        return f"{claim} and brings the most {count_label}"
    return f"{claim}, but {_pretty(names[most])} brings the most {count_label} ({counts[most]:,.0f})"


# --------------------------------------------------------------------------- lesson 06

__all__ += ["lead_options", "lead_score_hist"]


def lead_score_hist(
    scores: pd.Series | Sequence[float] | np.ndarray,
    is_customer: pd.Series | Sequence[bool] | np.ndarray,
    threshold: float | None = None,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    bins: int | Sequence[float] | None = None,
    xlabel: str = "lead score",
    unit: str = "leads",
) -> Axes:
    """Where customers and the other leads score: side-by-side bars, each group summing to 100%.

    Each group is drawn as a share of itself, so a few customers stay visible next to many
    other leads, and the bars right of a threshold add up to the share of that group it keeps.

    Parameters
    ----------
    scores : Series or array
        One score per lead.
    is_customer : Series or array of bool
        True for a lead that became a customer.
    threshold : float, optional
        Leads at or above it are kept; drawn as a dashed line.
    title : str, optional
        The takeaway. By default, with a threshold: the share of customers and of leads it
        keeps; without: the median score of customers and of the other leads.
    bins : int or sequence, optional
        By default one bar per 5 points (the default rules give multiples of 5).
    xlabel, unit : str
        Axis label and what is counted.

    Returns
    -------
    Axes

    Examples
    --------
    >>> ax = lead_score_hist([0, 10, 30, 30, 60], [False, True, False, True, True], 30)
    >>> ax.get_title()
    'Score ≥ 30 keeps 67% of customers with 60% of leads'
    >>> lead_score_hist([0, 10, 30, 60], [False, False, True, True]).get_title()
    'Customers score higher: median 45 against 5'
    >>> plt.close("all")
    """
    values = np.asarray(pd.to_numeric(pd.Series(scores), errors="coerce"), dtype=float)
    flags = pd.Series(is_customer)
    if len(flags) != len(values):
        raise ValueError(
            f"lead_score_hist(): scores has {len(values)} values but is_customer has "
            f"{len(flags)}; pass two columns of the same frame."
        )
    customer = _need_flags(
        "lead_score_hist", pd.DataFrame({"is_customer": flags.to_numpy()}), "is_customer",
        "True for a lead that became a customer", "Pass e.g. leads['stage'].eq('customer').")
    if bins is None:
        top = float(np.nanmax(values)) if len(values) else 0.0
        bins = np.arange(-2.5, max(top, 0.0) + 7.5, 5)
    groups = [
        (values[~customer], COLORS["lead"], f"other {unit}"),
        (values[customer], COLORS["customer"], "became customers"),
    ]
    groups = [(v, c, f"{name} ({len(v):,})") for v, c, name in groups if len(v)]
    with _kit_style():
        ax = _axes(ax)
        if groups:
            ax.hist(
                [v for v, _, _ in groups],
                bins=bins,
                weights=[np.full(len(v), 1 / len(v)) for v, _, _ in groups],
                color=[c for _, c, _ in groups],
                label=[name for _, _, name in groups],
            )
        if threshold is not None:
            ax.axvline(threshold, color=COLORS["threshold"], ls="--", lw=1.2,
                       label=f"threshold ({threshold:g})")
        ax.legend(loc="upper right")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("share of the group (%)")
        percent_axis(ax, "y", decimals=0)
        if title is None:
            if threshold is not None and len(values):
                keep = values >= threshold
                of_customers = keep[customer].mean() if customer.any() else float("nan")
                title = (
                    f"Score ≥ {threshold:g} keeps {_pct(of_customers)} of customers "
                    f"with {_pct(keep.mean())} of {unit}"
                )
            elif customer.any() and (~customer).any():
                title = (
                    f"Customers score higher: median {np.nanmedian(values[customer]):g} "
                    f"against {np.nanmedian(values[~customer]):g}"
                )
            else:
                title = f"Scores of {len(values):,} {unit}"
        ax.set_title(title)
    return ax


def lead_options(
    table: pd.DataFrame,
    title: str | None = None,
    *,
    ax: Axes | None = None,
    leads: str = "leads",
    customers: str = "customers",
) -> Axes:
    """Fewer leads or more: one bar of leads per option, its customers drawn inside it.

    Parameters
    ----------
    table : DataFrame
        One row per option (the index, e.g. "every lead", "qualified only"), with a count of
        ``leads`` and of ``customers`` among them. The first row is the reference.
    title : str, optional
        The takeaway. By default, for the last option against the first: how many fewer
        leads and what share of the customers it keeps.
    leads, customers : str
        Column names.

    Returns
    -------
    Axes

    Examples
    --------
    >>> t = pd.DataFrame({"leads": [2000, 1500], "customers": [160, 152]},
    ...                  index=["every lead", "qualified only"])
    >>> lead_options(t).get_title()
    'Qualified only: 25% fewer leads, 95% of the customers'
    >>> plt.close("all")
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            "lead_options(): expected a DataFrame with one row per option and columns "
            f"{leads!r} and {customers!r}, got {type(table).__name__}."
        )
    _need("lead_options", table, [leads, customers], "Pass leads= and customers= column names.")
    n = pd.to_numeric(table[leads], errors="coerce").fillna(0).to_numpy(dtype=float)
    c = pd.to_numeric(table[customers], errors="coerce").fillna(0).to_numpy(dtype=float)
    with _kit_style():
        ax = _axes(ax, figsize=(7.0, 0.7 * max(len(table), 2) + 1.4))
        positions = np.arange(len(table))
        ax.barh(positions, n, color=COLORS["lead"], height=0.7, label="leads")
        ax.barh(positions, c, color=COLORS["customer"], height=0.7, label="of which customers")
        with np.errstate(divide="ignore", invalid="ignore"):
            rates = np.where(n > 0, c / np.where(n > 0, n, 1), np.nan)
        for y, (leads_n, cust_n, r) in enumerate(zip(n, c, rates, strict=True)):
            ax.text(
                leads_n, y, f"  {cust_n:,.0f} customers of {leads_n:,.0f} leads ({_pct(r, 1)})",
                va="center", fontsize=TEXT_SIZE,
            )
        ax.set_yticks(positions, [str(i) for i in table.index])
        ax.invert_yaxis()
        ax.set_xlim(0, max(float(n.max()) if len(n) else 1.0, 1.0) * 1.75)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_xlabel("leads (purple: the customers among them)")
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.25), ncols=2)
        if title is None and len(table) > 1 and n[0] > 0 and c[0] > 0:
            name = str(table.index[-1])
            title = (
                f"{name[:1].upper() + name[1:]}: {_pct(1 - n[-1] / n[0])} fewer leads, "
                f"{_pct(c[-1] / c[0])} of the customers"
            )
        ax.set_title(title or "")
    return ax


# --------------------------------------------------------------------------- lesson 07

__all__ += ["rates_with_focus"]


def rates_with_focus(
    rate_table: pd.DataFrame,
    group: Any,
    title: str | None = None,
    *,
    by: str | None = None,
    ax: Axes | None = None,
    xlabel: str = "conversion rate",
) -> Axes:
    """:func:`rates_with_intervals` with one group picked out: a band behind it, its name bold.

    Parameters
    ----------
    rate_table : DataFrame
        As :func:`helpers.conversions.rate_table` returns.
    group : str or None
        The group to pick out (a value of the ``by`` column); None draws the plain chart.
    title, by, ax, xlabel
        As in :func:`rates_with_intervals`.

    Returns
    -------
    Axes

    Examples
    --------
    >>> table = pd.DataFrame({"channel": ["email", "social", "Total"], "rate": [0.2, 0.1, 0.13],
    ...                       "low": [0.15, 0.08, 0.12], "high": [0.26, 0.12, 0.14]})
    >>> ax = rates_with_focus(table, "social", "Social converts least")
    >>> [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    ['social']
    >>> plt.close("all")
    """
    ax = rates_with_intervals(rate_table, title, by=by, ax=ax, xlabel=xlabel)
    if group is None:
        return ax
    wanted = _pretty(group)
    labels = ax.get_yticklabels()
    found = [(y, label) for y, label in zip(ax.get_yticks(), labels, strict=True)
             if label.get_text() == wanted]
    if not found:
        known = ", ".join(label.get_text() for label in labels)
        raise ValueError(
            f"rates_with_focus(): the table has no group {group!r}. Its groups: {known}."
        )
    y, label = found[0]
    ax.axhspan(y - 0.45, y + 0.45, color=OKABE_ITO["yellow"], alpha=0.35, lw=0, zorder=0)
    label.set_fontweight("bold")
    return ax


