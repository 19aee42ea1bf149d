"""One condition on one column: "column in values", or "low <= column <= high".

The kit states the same kind of rule in two places: a persona's criterion
(:class:`helpers.personas.Criterion`, "mobile_share >= 0.5") and a lead-score rule
(:class:`helpers.leads.ScoreRule`, "company_size 10-500"). Both keep their own names and
fields (a weight, points), and both test a row with the :class:`Condition` here, so "in
values", "between", missing values and text in a numeric column mean the same everywhere.

The rule:

- ``values`` given: met when the column's value is one of them;
- ``low`` and/or ``high`` given: met when the value is a number with ``low <= value <= high``
  (both inclusive; text that is not a number does not meet it, and a column with no number
  at all is an error: use ``values=`` for categories);
- neither: met when the column is filled in (not missing, not blank text);
- a missing value never meets a condition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._frames import blank, need_flags

__all__ = ["Condition"]


@dataclass(frozen=True)
class Condition:
    """``column in values``, ``low <= column <= high``, or "``column`` is filled in".

    Parameters
    ----------
    column : str
        The column the condition reads.
    values : tuple, optional
        Accepted values; a single string or bool is one value.
    low, high : float, optional
        An inclusive numeric range; either bound may be left out.
    owner : str, default "Condition"
        Who states the condition (``"Criterion"``, ``"ScoreRule"``): errors start with it.

    Examples
    --------
    >>> frame = pd.DataFrame({"size": [5, 50, None], "channel": ["email", "social", None]})
    >>> Condition("size", low=10, high=500).met(frame).tolist()
    [False, True, False]
    >>> Condition("channel", values="email").met(frame).tolist()
    [True, False, False]
    >>> Condition("channel").met(frame).tolist()
    [True, True, False]
    >>> Condition("size", low=10).describe()
    'size >= 10'
    """

    column: str
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    owner: str = field(default="Condition", repr=False, compare=False)

    def __post_init__(self) -> None:
        who = f"{self.owner}(): {self.column!r}"
        if self.values is not None:
            values = (self.values,) if isinstance(self.values, str | bool) else tuple(self.values)
            if not values:
                raise ValueError(f"{who} has an empty values=(); give at least one value.")
            object.__setattr__(self, "values", values)
            if self.low is not None or self.high is not None:
                raise ValueError(f"{who} has both values and a range; give one.")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"{who} has low ({self.low}) above high ({self.high}).")

    @property
    def is_range(self) -> bool:
        """True for a numeric range (``low`` and/or ``high``)."""
        return self.low is not None or self.high is not None

    def describe(self) -> str:
        """The condition in words, e.g. ``'mobile_share >= 0.5'``."""
        if self.values is not None:
            if len(self.values) == 1:
                return f"{self.column} = {self.values[0]}"
            return f"{self.column} in {', '.join(map(str, self.values))}"
        if self.low is not None and self.high is not None:
            return f"{self.column} {self.low:g}-{self.high:g}"
        if self.low is not None:
            return f"{self.column} >= {self.low:g}"
        if self.high is not None:
            return f"{self.column} <= {self.high:g}"
        return f"{self.column} is filled in"

    def met(self, frame: pd.DataFrame) -> np.ndarray:
        """Boolean array: which rows of ``frame`` meet the condition."""
        col = frame[self.column]
        if self.values is not None:
            if self.values and all(isinstance(v, bool | np.bool_) for v in self.values) and not (
                pd.api.types.is_bool_dtype(col.dtype) or pd.api.types.is_numeric_dtype(col.dtype)
            ):  # booleans must be booleans: "True" as text is refused, never read as False
                flags = need_flags(self.owner, frame.assign(**{self.column: col.astype(object)}),
                                   self.column, f"the signal {self.column}",
                                   "Build it with personas.visitors(sessions, events).")
                return np.isin(flags, list(self.values))
            return col.isin(list(self.values)).fillna(False).to_numpy(dtype=bool)
        if pd.api.types.is_datetime64_any_dtype(col.dtype) or pd.api.types.is_timedelta64_dtype(col.dtype):
            raise TypeError(
                f"{self.owner}(): {self.column!r} has a range but the column holds {col.dtype}, "
                "not numbers. Use a numeric column, e.g. a share or a count."
            )
        if not self.is_range:
            return ~blank(col).to_numpy(dtype=bool)
        if pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype):
            num = col.astype("float64").to_numpy(dtype="float64", na_value=np.nan)
        else:
            num = pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            if np.isnan(num).all() and col.notna().any():
                raise TypeError(
                    f"{self.owner}(): {self.column!r} has a range but the column holds "
                    f"{col.dtype}, not numbers. Use values=(...) for categories."
                )
        hit = ~np.isnan(num)
        if self.low is not None:
            hit &= num >= self.low
        if self.high is not None:
            hit &= num <= self.high
        return hit
