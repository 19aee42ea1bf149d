"""Counts from an engine -> the pandas functions' result frames (shared by every engine)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import conversions, leads


def columns_frame(columns: Sequence[str]) -> pd.DataFrame:
    """An empty frame with these columns (for the unit inference of rate_table)."""
    return pd.DataFrame(columns=list(columns))


def check_columns(func: str, name: str, have: Sequence[str], need: Sequence[str], hint: str = "") -> None:
    from .._frames import need_columns

    need_columns(func, name, columns_frame(have), need, hint)


def rate_table(
    counts: pd.DataFrame,
    keys: list[str],
    *,
    unit: str,
    total: bool,
    confidence: float,
    method: str,
) -> pd.DataFrame:
    """The frame :func:`helpers.conversions.rate_table` returns, from per-group counts.

    ``counts`` has the ``keys``, ``conversions`` and ``units``; groups come out sorted by
    their values (missing last), rates and intervals from the counts with
    :func:`helpers.conversions.interval`.
    """
    conf = conversions._check_confidence("rate_table", confidence)
    meth = conversions._check_method("rate_table", method)
    out = counts.sort_values(keys, na_position="last", kind="stable").reset_index(drop=True)
    out = out.rename(columns={"units": unit})[[*keys, "conversions", unit]]
    if int(out[unit].sum()) == 0:
        raise ValueError("rate_table(): frame is empty, so there is nothing to count.")
    return conversions._rates_from_counts(out, list(keys), unit, conf, meth, total)


def funnel(steps: Sequence[str], people: Sequence[int]) -> pd.DataFrame:
    """The frame :func:`helpers.conversions.funnel` returns, from people per step."""
    people = np.asarray([int(p) for p in people], dtype="int64")
    prev = np.concatenate([[people[0]], people[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        step_rate = np.where(prev > 0, people / np.where(prev > 0, prev, 1), np.nan)
        overall = np.where(people[0] > 0, people / max(people[0], 1), np.nan)
    return pd.DataFrame(
        {
            "step": list(steps),
            "people": people,
            "step_rate": step_rate,
            "overall_rate": overall,
            "drop_off": prev - people,
            "drop_off_share": 1.0 - step_rate,
        }
    )


def pipeline(stage_counts: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """:func:`helpers.leads.pipeline` itself, run on the stage counts.

    The counts are expanded to one category code per lead (one byte a lead), so the
    stage definitions, the checks and the rates are the pandas function's own.
    """
    values = stage_counts["stage"].astype(object).where(stage_counts["stage"].notna(), None)
    names = ["" if v is None else str(v) for v in values]
    cats = pd.Index(names).unique()
    codes = np.repeat(cats.get_indexer(names), stage_counts["leads"].to_numpy(dtype="int64"))
    column = pd.Categorical.from_codes(codes.astype("int32"), categories=cats)
    frame = pd.DataFrame({"stage": column})
    if None in list(values):  # a missing stage: pipeline() names it in its error
        frame["stage"] = frame["stage"].astype(object).replace("", None)
    return leads.pipeline(frame, **kwargs)
