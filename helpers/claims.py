"""Claims follow the intervals: which group leads a rate table, and what may be said of it.

:func:`leader` is the one rule behind every "best", "highest" and "clearly above" the kit
prints (chart titles in :mod:`helpers.plots`, the manager's report, the explorers): the
leading group is compared with every other group with :func:`helpers.conversions.compare`,
Holm's step-down correction keeps the chance of any false "clearly above" at
``1 - confidence``, and a group of fewer than :data:`MIN_UNITS` units is never called the
best. :func:`simpson` checks the other trap of comparing groups: a comparison that reverses
inside every segment because the groups are mixed differently (Simpson's paradox).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._frames import need_columns as _need_columns
from ._frames import need_frame as _need_frame
from ._frames import need_rows, need_unique
from .conversions import _UNIT_BY_ID, Rate, _check_confidence, compare, interval, rate
from .formatting import percent as _pct

__all__ = ["AgainstTotal", "Leader", "MIN_UNITS", "Reversal", "against_total", "clear_against",
           "leader", "simpson"]


MIN_UNITS = 30
"""Below this many units in a group, the kit never calls that group the best (or the worst)."""


def _label(name: Any) -> str:
    return str(name).replace("_", " ")


@dataclass(frozen=True)
class Leader:
    """Which group of a rate table has the highest rate, and what the intervals let us say.

    Build it with :func:`leader`. It is the one rule behind every "best", "highest" and
    "clearly above" the kit prints: chart titles, the report and the explorers use it.

    Attributes
    ----------
    name : str
        The group with the highest measured rate.
    rate : Rate
        Its rate.
    clearly_above : tuple of str
        The groups it is clearly above, after Holm's correction for comparing it with every
        other group at once.
    not_clear : tuple of str
        The groups it cannot be told apart from.
    small : bool
        Whether the leader has fewer than ``min_units`` units: then nothing is claimed.
    confidence : float
    headline : str
        The sentence to show: "best" only when the leader is clearly above every other group.
    value : float
        The leader's rate (a share).
    """

    name: str
    rate: Rate
    clearly_above: tuple[str, ...]
    not_clear: tuple[str, ...]
    small: bool
    confidence: float
    headline: str

    @property
    def value(self) -> float:
        """The leader's rate, as a share."""
        return self.rate.value

    @property
    def clear(self) -> bool:
        """Whether the leader is clearly above every other group (and not a handful of units)."""
        return not self.small and not self.not_clear and bool(self.clearly_above)

    def __str__(self) -> str:
        return self.headline


def _denominator_column(func: str, table: pd.DataFrame) -> str:
    if "denominator" in table.columns:
        return "denominator"
    cols = list(table.columns)
    if "conversions" in cols:
        after = cols[cols.index("conversions") + 1:]
        for col in after:
            if col not in ("rate", "low", "high") and pd.api.types.is_numeric_dtype(table[col]):
                return col
    raise KeyError(
        f"{func}(): the table needs the counts, columns 'conversions' and the denominator "
        f"(as conversions.rate_table returns). It has: {', '.join(map(str, cols))}. "
        "Pass the output of rate_table()."
    )


def _need_counts(func: str, table: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """Counts: whole numbers, 0 or more, none missing (a rate table's columns)."""
    for column in columns:
        if pd.api.types.is_datetime64_any_dtype(table[column].dtype):
            raise TypeError(f"{func}(): column {column!r} must hold counts, got dtype "
                            f"{table[column].dtype}. Pass the output of rate_table().")
        counts = pd.to_numeric(table[column], errors="coerce").astype("float64")
        if counts.isna().any() or (counts < 0).any() or (counts % 1 != 0).any():
            raise ValueError(
                f"{func}(): column {column!r} must hold counts (whole numbers, 0 or more, none "
                f"missing), e.g. {table[column].iloc[0]!r} is not. Pass the output of rate_table()."
            )
    if (pd.to_numeric(table[columns[0]], errors="coerce")
            > pd.to_numeric(table[columns[-1]], errors="coerce")).any():
        raise ValueError(f"{func}(): a group has more {columns[0]} than {columns[-1]}; "
                         "pass the output of rate_table() (people, not events).")


def leader(
    table: pd.DataFrame,
    by: str | None = None,
    *,
    confidence: float = 0.95,
    min_units: int = MIN_UNITS,
    what: str = "converts",
) -> Leader:
    """The group with the highest rate, and whether the intervals support calling it the best.

    The leader is compared with every other group (:func:`compare`), and Holm's step-down
    correction keeps the chance of any false "clearly above" at ``1 - confidence`` however
    many groups there are: the comparison with the smallest p-value is tested at
    ``confidence`` split over all ``m`` comparisons, the next over ``m - 1``, and so on,
    stopping at the first that is not clear. A leader with fewer than ``min_units`` units is
    never called the best: a handful of people says nothing.

    Parameters
    ----------
    table : DataFrame
        As :func:`rate_table` returns: a group column (or ``by``), ``conversions``, the
        denominator column, ``rate``. A "Total" row is ignored.
    by : str, optional
        The group column; by default the first column that is not a number.
    confidence : float, default 0.95
    min_units : int, default :data:`MIN_UNITS`
    what : str, default "converts"
        The verb for the headline ("converts", "buys", "becomes a lead").

    Returns
    -------
    Leader

    Examples
    --------
    >>> t = pd.DataFrame({"channel": ["email", "direct", "social", "Total"],
    ...     "conversions": [60, 20, 2, 82], "visitors": [300, 400, 2, 702]})
    >>> t["rate"] = t["conversions"] / t["visitors"]
    >>> print(leader(t, min_units=30))
    Social has the highest measured rate (100.0%), but on only 2 visitors: too few to rank.
    >>> print(leader(t[t["channel"] != "social"]))
    Email converts best: 20.0%, clearly above direct (Holm-corrected, 95%).
    """
    func = "leader"
    _need_frame(func, "table", table)
    conf = _check_confidence(func, confidence)
    denominator = _denominator_column(func, table)
    if by is None:
        candidates = [c for c in table.columns
                      if c not in ("conversions", denominator, "rate", "low", "high")
                      and not pd.api.types.is_numeric_dtype(table[c])]
        if not candidates:
            raise KeyError(f"{func}(): the table has no group column. Pass by=.")
        by = candidates[0]
    _need_columns(func, "table", table, [by, "conversions"])
    _need_counts(func, table, ("conversions", denominator))
    labels = table[by].astype(str)
    groups = table.loc[~labels.str.lower().eq("total").to_numpy()]
    if len(groups) == 0:
        raise ValueError(f"{func}(): the table has no groups besides the total; pass the output of "
                         "rate_table() with at least one group.")
    unit = denominator if denominator != "denominator" else "units"
    rates = [rate(int(x), int(n), confidence=conf, unit=unit) if int(n) > 0 else None
             for x, n in zip(groups["conversions"], groups[denominator], strict=True)]
    names = [str(n) for n in groups[by]]
    values = np.array([r.value if r is not None else np.nan for r in rates])
    if np.isnan(values).all():
        raise ValueError(f"{func}(): every group has a denominator of 0; there is no rate to rank.")
    # ranked by rate, then by evidence (denominator), then by name: never by row order, so a
    # shuffled table gives the same leader and the same headline
    ranked = sorted(
        (i for i in range(len(names)) if rates[i] is not None),
        key=lambda i: (-values[i], -rates[i].denominator, names[i]),
    )
    top = ranked[0]
    best, best_rate = names[top], rates[top]
    assert best_rate is not None
    others = ranked[1:]
    pct = f"{conf * 100:g}%"
    if best_rate.denominator < min_units:
        headline = (
            f"{_label(best).capitalize()} has the highest measured rate ({_pct(best_rate.value)}), "
            f"but on only {best_rate.denominator:,} {unit}: too few to rank."
        )
        return Leader(best, best_rate, (), tuple(names[i] for i in others), True, conf, headline)
    clear_names, _ = clear_against(best_rate, {names[i]: rates[i] for i in others}, conf)
    above = tuple(names[i] for i in others if names[i] in clear_names)
    unclear = tuple(names[i] for i in others if names[i] not in clear_names)
    if not others:
        headline = f"{_label(best).capitalize()} is the only group: {_pct(best_rate.value)}."
    elif not unclear:
        who = "every other group" if len(above) > 1 else _label(above[0])
        headline = (
            f"{_label(best).capitalize()} {what} best: {_pct(best_rate.value)}, clearly above "
            f"{who} (Holm-corrected, {pct})."
        )
    else:
        shown = ", ".join(_label(n) for n in unclear[:3]) + (" ..." if len(unclear) > 3 else "")
        headline = (
            f"{_label(best).capitalize()} has the highest measured rate ({_pct(best_rate.value)}), "
            f"not clearly above {shown}."
        )
    return Leader(best, best_rate, above, unclear, False, conf, headline)


def clear_against(
    target: Rate, others: dict[str, Rate], confidence: float = 0.95
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Which of ``others`` ``target`` clearly differs from, with Holm's correction.

    Each comparison is :func:`helpers.conversions.compare`; Holm's step-down keeps the chance
    of any false "clearly" at ``1 - confidence`` over all the comparisons: the one with the
    smallest p-value is tested at ``confidence`` split over all ``m``, the next over
    ``m - 1``... stopping at the first that is not clear.

    Returns
    -------
    (clear, unclear) : two tuples of names, in the order of ``others``.

    Examples
    --------
    >>> me = rate(10, 100)
    >>> clear_against(me, {"big": rate(60, 100), "close": rate(12, 100)})
    (('big',), ('close',))
    """
    conf = _check_confidence("clear_against", confidence)
    names = list(others)
    first = {n: compare(target, others[n], conf) for n in names}
    order = sorted(names, key=lambda n: first[n].p_value)
    clear: set[str] = set()
    for step, name in enumerate(order):
        if compare(target, others[name], 1 - (1 - conf) / (len(order) - step)).significant:
            clear.add(name)
        else:
            break
    return tuple(n for n in names if n in clear), tuple(n for n in names if n not in clear)


@dataclass(frozen=True)
class AgainstTotal:
    """Which groups of a rate table are clearly above or below its total; see :func:`against_total`.

    Attributes
    ----------
    above, below : DataFrame
        The rows (of the table given) clearly above / below the total rate, highest rate first
        / largest group first.
    total : float
        The total rate.
    confidence : float
        The confidence of each group's widened interval: ``1 - (1 - confidence) / m``.
    """

    above: pd.DataFrame
    below: pd.DataFrame
    total: float
    confidence: float


def against_total(
    table: pd.DataFrame, by: str, *, confidence: float = 0.95, min_units: int = MIN_UNITS
) -> AgainstTotal:
    """The groups whose rate is clearly above, or clearly below, the table's total rate.

    Many groups are compared with the total at once, so each group's interval is widened for
    the number of groups ``m`` (Bonferroni: confidence ``1 - (1 - confidence) / m``), which
    keeps the chance of any false "clearly" at ``1 - confidence`` for the whole table. A
    group is clearly above when its whole widened interval is above the total rate, clearly
    below when it is wholly below. A group of fewer than ``min_units`` units is never singled
    out. The report's "what went well / what to fix" and exercise 7.4 use this rule.

    Parameters
    ----------
    table : DataFrame
        As :func:`helpers.conversions.rate_table` returns, with its "Total" row.
    by : str
        The group column.
    confidence : float, default 0.95
    min_units : int, default :data:`MIN_UNITS`

    Examples
    --------
    >>> t = pd.DataFrame({"channel": ["a", "b", "c", "tiny", "Total"],
    ...     "conversions": [80, 40, 10, 2, 132], "visitors": [400, 400, 400, 2, 1202]})
    >>> t["rate"] = t["conversions"] / t["visitors"]
    >>> r = against_total(t, "channel")
    >>> list(r.above["channel"]), list(r.below["channel"]), round(r.confidence, 4)
    (['a'], ['c'], 0.9875)
    """
    func = "against_total"
    _need_frame(func, "table", table)
    conf = _check_confidence(func, confidence)
    units = _denominator_column(func, table)
    _need_columns(func, "table", table, [by, "conversions"])
    _need_counts(func, table, ("conversions", units))
    is_total = table[by].astype(str).str.lower().eq("total").to_numpy()
    if not is_total.any():
        raise ValueError(f"{func}(): the table has no 'Total' row in column {by!r}; pass the "
                         "output of conversions.rate_table() (it adds one).")
    row = table.loc[is_total].iloc[0]
    total = float(row["conversions"]) / float(row[units]) if float(row[units]) else float("nan")
    groups = table[~is_total]
    wide = 1 - (1 - conf) / max(len(groups), 1)
    low, high = interval(groups["conversions"].to_numpy(), groups[units].to_numpy(), wide)
    enough = (groups[units].to_numpy() >= min_units)
    above = groups[(np.asarray(low) > total) & enough].sort_values("rate", ascending=False)
    below = groups[(np.asarray(high) < total) & enough].sort_values(units, ascending=False)
    return AgainstTotal(above, below, total, wide)


# --------------------------------------------------------------------------- Simpson's paradox


@dataclass(frozen=True)
class Reversal:
    """Two groups compared overall and within each segment. Build it with :func:`simpson`.

    Attributes
    ----------
    first, second : str
        The two groups (``first`` has the higher overall rate when there is a reversal).
    within : str
        The column that splits them into segments.
    overall : tuple of Rate
        The two overall rates.
    table : DataFrame
        One row per segment: ``first_rate``, ``first_units``, ``first_share`` (the share of
        ``first``'s units in that segment: its mix), the same for ``second``, and
        ``comparable`` (both have at least ``min_units`` units there).
    reversed : bool
        ``first`` is above ``second`` overall but below it in every comparable segment (and
        there is at least one): Simpson's paradox.
    headline : str
    """

    first: str
    second: str
    within: str
    overall: tuple[Rate, Rate]
    table: pd.DataFrame
    reversed: bool
    headline: str

    @property
    def value(self) -> float:
        """The overall gap, ``first``'s rate minus ``second``'s, as a share."""
        return self.overall[0].value - self.overall[1].value

    def __str__(self) -> str:
        return self.headline


def simpson(
    frame: pd.DataFrame,
    by: str,
    within: str,
    converted: str,
    first: Any,
    second: Any,
    *,
    min_units: int = MIN_UNITS,
    confidence: float = 0.95,
    unit: str = "units",
) -> Reversal:
    """Whether ``first`` beats ``second`` overall but loses within every segment of ``within``.

    **Simpson's paradox**: an overall comparison reverses inside every segment because the two
    groups are made of different mixes of segments (one channel's visitors land mostly on the
    pages where everyone converts). Each rate is :func:`helpers.conversions.rate` on one row per
    unit; a segment where either group has fewer than ``min_units`` units is shown but not
    compared (a handful of people reverses nothing).

    Parameters
    ----------
    frame : DataFrame
        One row per unit (visitor, lead...), with ``by``, ``within`` and a True/False
        ``converted`` column.
    by, within : str
        The group column and the segment column.
    converted : str
    first, second : value of ``by``
    min_units : int, default :data:`MIN_UNITS`
    confidence : float, default 0.95
    unit : str, default "units"
        What one row is, for the headline ("visitors").

    Returns
    -------
    Reversal

    Examples
    --------
    >>> f = pd.DataFrame({"channel": ["a"] * 100 + ["b"] * 100,
    ...     "page": ["shop"] * 90 + ["blog"] * 10 + ["shop"] * 30 + ["blog"] * 70,
    ...     "won": [True] * 45 + [False] * 45 + [False] * 10 + [True] * 18 + [False] * 12
    ...            + [True] * 7 + [False] * 63})
    >>> r = simpson(f, "channel", "page", "won", "a", "b", min_units=5, unit="visitors")
    >>> r.reversed, round(r.value, 2)
    (True, 0.2)
    >>> print(r)
    A is above b overall (45.0% against 25.0%), yet below it in every segment of page with at least 5 visitors in both: the mix of page differs, not the channel.
    """
    func = "simpson"
    _need_frame(func, "frame", frame)
    _need_columns(func, "frame", frame, [by, within, converted])
    conf = _check_confidence(func, confidence)
    need_rows(func, "frame", frame, "Pass one row per unit with its group, segment and flag.")
    # one row per unit, as in rate_table: a repeated id is refused, never counted twice
    ids = unit if unit in frame else next(
        (c for c, u in _UNIT_BY_ID if c in frame and unit in (u, "units")), None)
    if ids is not None:
        need_unique(func, "frame", frame, ids)
    flag = frame[converted]
    if not pd.api.types.is_bool_dtype(flag) or flag.isna().any():
        raise TypeError(
            f"{func}(): column {converted!r} must be True/False for every row, got {flag.dtype}. "
            f"Fix: e.g. frame[{converted!r}] = frame['stage'].eq('customer')."
        )
    groups = frame[by].astype(str)
    for name, value in (("first", first), ("second", second)):
        if not groups.eq(str(value)).any():
            known = ", ".join(sorted(groups.unique())[:10])
            raise ValueError(f"{func}(): {name}={value!r} is not a value of {by!r}. It has: {known}.")
    counts = (frame.assign(_group=groups, _won=flag.to_numpy(dtype=bool))
              .groupby(["_group", within], observed=True)["_won"].agg(["sum", "size"]))
    segments = sorted(frame[within].dropna().unique().tolist(), key=str)
    rows = []
    for segment in segments:
        row: dict[str, Any] = {within: segment}
        for side, value in (("first", str(first)), ("second", str(second))):
            won, size = (counts.loc[(value, segment)] if (value, segment) in counts.index else (0, 0))
            row[f"{side}_rate"] = won / size if size else np.nan
            row[f"{side}_units"] = int(size)
        rows.append(row)
    table = pd.DataFrame(rows).set_index(within)
    for side in ("first", "second"):
        table[f"{side}_share"] = table[f"{side}_units"] / max(int(table[f"{side}_units"].sum()), 1)
    table["comparable"] = (table["first_units"] >= min_units) & (table["second_units"] >= min_units)
    table = table[["first_rate", "first_units", "first_share", "second_rate", "second_units",
                   "second_share", "comparable"]]
    overall = tuple(rate(int(flag[groups.eq(str(v)).to_numpy()].sum()), int(groups.eq(str(v)).sum()),
                         conf, unit=unit) for v in (first, second))
    compared = table[table["comparable"]]
    above = overall[0].value > overall[1].value
    is_reversed = bool(above and len(compared)
                       and (compared["first_rate"] < compared["second_rate"]).all())
    a, b = _label(first), _label(second)
    if is_reversed:
        headline = (
            f"{a.capitalize()} is above {b} overall ({_pct(overall[0].value)} against "
            f"{_pct(overall[1].value)}), yet below it in every segment of {_label(within)} with at "
            f"least {min_units} {unit} in both: the mix of {_label(within)} differs, not the {_label(by)}."
        )
    else:
        headline = (
            f"No reversal: {a} {_pct(overall[0].value)} against {b} {_pct(overall[1].value)} "
            f"overall, and the segments of {_label(within)} do not all point the other way."
        )
    return Reversal(str(first), str(second), within, overall, table, is_reversed, headline)
