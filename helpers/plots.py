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

from collections.abc import Iterable, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, PercentFormatter

__all__ = [
    "COLORS",
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

#: The kit's look, applied inside each chart function (and globally by :func:`style`).
RC: dict[str, Any] = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.grid": False,
    "axes.prop_cycle": mpl.cycler(color=_CYCLE),
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "legend.frameon": False,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "font.size": 10,
}


def style() -> None:
    """Apply the kit's look to every chart of this session (call once, in the setup cell).

    The kit's own chart functions do not need it: they apply the look locally.
    """
    mpl.rcParams.update(RC)


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
    return f"{x:.{digits}%}"


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is not None:
        return ax
    fig = plt.figure(figsize=figsize or RC["figure.figsize"])
    return fig.add_subplot()


def _pretty(label: Any) -> str:
    return str(label).replace("_", " ")


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
    values = frame.apply(pd.to_numeric, errors="coerce").astype(float)
    with mpl.rc_context(RC):
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
                    fontsize=9,
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
    with mpl.rc_context(RC):
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
                fontsize=8,
                color="white",
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
    stamps = pd.to_datetime(sessions[time], utc=True, format="mixed")
    day = stamps.dt.floor("D").dt.tz_localize(None)
    if by:
        counts = pd.crosstab(day, sessions[by].to_numpy()).sort_index()
    else:
        counts = day.value_counts().sort_index().to_frame("sessions")
    full = pd.date_range(counts.index.min(), counts.index.max(), freq="D")
    counts = counts.reindex(full, fill_value=0)
    with mpl.rc_context(RC):
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
    table = rate_table
    if by is None:
        candidates = [
            c
            for c in table.columns
            if c not in (value, low, high) and not pd.api.types.is_numeric_dtype(table[c])
        ]
        by = candidates[0] if candidates else None
    labels = table[by].astype(str) if by else table.index.astype(str)
    is_total = labels.str.lower().eq("total").to_numpy()
    overall = table.loc[is_total, value] if total and is_total.any() else None
    groups = table.loc[~is_total] if total else table
    names = (labels[~is_total] if total else labels).tolist()
    with mpl.rc_context(RC):
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
            best = int(np.nanargmax(rates))
            title = f"{_pretty(names[best]).capitalize()} converts best: {_pct(rates[best], 1)}"
        ax.set_title(title or "")
    return ax


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
    if step not in frame.columns:
        frame = frame.rename_axis(step).reset_index()
    if count is None:
        numeric = [
            c for c in frame.columns if c != step and pd.api.types.is_numeric_dtype(frame[c])
        ]
        count = "people" if "people" in frame.columns else (numeric[0] if numeric else None)
    _need("funnel", frame, [step, count or "people"], "Pass step= and count= column names.")
    people = frame[count].to_numpy(dtype=float)
    if "step_rate" in frame.columns:
        step_rate = frame["step_rate"].to_numpy(dtype=float)
    else:
        previous = np.concatenate([[people[0] if len(people) else np.nan], people[:-1]])
        with np.errstate(divide="ignore", invalid="ignore"):
            step_rate = people / previous
    with mpl.rc_context(RC):
        ax = _axes(ax)
        positions = np.arange(len(frame))
        bars = ax.barh(positions, people, color=bar_color or NEUTRAL, height=0.7)
        texts = [
            f"{p:,.0f}" + ("" if i == 0 else f"  ({_pct(r, 1)} of previous)")
            for i, (p, r) in enumerate(zip(people, step_rate, strict=True))
        ]
        ax.bar_label(bars, labels=texts, padding=3, fontsize=9)
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
    _need("precision_recall", points, [threshold, "precision", "recall"])
    frame = points.sort_values(threshold)
    x = frame[threshold].to_numpy(dtype=float)
    precision = frame["precision"].to_numpy(dtype=float)
    recall = frame["recall"].to_numpy(dtype=float)
    with mpl.rc_context(RC):
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
    with mpl.rc_context(RC):
        ax = _axes(ax)
        if truth is not None:
            is_bot = np.asarray(pd.Series(truth).astype(bool))
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
    counts = confusion_frame.astype(float)
    row_share = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    with mpl.rc_context(RC):
        ax = _axes(ax, figsize=(4.8, 4.0))
        ax.imshow(row_share.to_numpy(), cmap="Blues", vmin=0, vmax=1)
        for i in range(counts.shape[0]):
            for j in range(counts.shape[1]):
                share = row_share.iat[i, j]
                ax.text(
                    j,
                    i,
                    f"{counts.iat[i, j]:,.0f}\n{_pct(share, 1)}",
                    ha="center",
                    va="center",
                    color="white" if share > 0.6 else "black",
                    fontsize=10,
                )
        ax.set_xticks(range(counts.shape[1]), [_pretty(c) for c in counts.columns])
        ax.set_yticks(range(counts.shape[0]), [_pretty(i) for i in counts.index])
        ax.set_xlabel(f"verdict ({_pretty(counts.columns.name or 'predicted')})")
        ax.set_ylabel(f"truth ({_pretty(counts.index.name or 'actual')})")
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        if title is None:
            title = _confusion_title(counts, positive)
        ax.set_title(title)
    return ax


def _confusion_title(counts: pd.DataFrame, positive: Any) -> str:
    if positive is None:
        for candidate in ("bot", True, "True", 1):
            if candidate in counts.index and candidate in counts.columns:
                positive = candidate
                break
    if positive is None or positive not in counts.index or positive not in counts.columns:
        share = np.trace(counts.to_numpy()) / max(counts.to_numpy().sum(), 1)
        return f"{_pct(share, 1)} of verdicts are right"
    caught = counts.at[positive, positive] / max(counts.loc[positive].sum(), 1)
    false_alarms = counts[positive].sum() - counts.at[positive, positive]
    what = "bots" if _key(positive, "is_bot") == "bot" else _pretty(positive)
    return f"The filter catches {_pct(caught)} of {what}; {false_alarms:,.0f} false alarms"
