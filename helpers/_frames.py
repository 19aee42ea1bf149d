"""Input checks shared by the analytics modules (conversions, leads, personas).

Each raises an error a marketer can act on: the function, the argument, what it has, the fix.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd


def contains(series: pd.Series, pattern: str, *, case: bool = True) -> np.ndarray:
    """Boolean array: where ``pattern`` (a regular expression) is found; missing is False.

    >>> contains(pd.Series(["/blog/espresso", None, "/shop"]), "^/blog").tolist()
    [True, False, False]
    """
    with warnings.catch_warnings():  # pandas warns about capture groups; they are harmless here
        warnings.simplefilter("ignore", UserWarning)
        try:
            found = series.str.contains(pattern, regex=True, case=case)
        except ValueError:  # Arrow-backed text: RE2 has no backreferences; use Python's re
            found = series.astype(object).str.contains(pattern, regex=True, case=case)
    return found.fillna(False).to_numpy(dtype=bool)


def need_frame(func: str, name: str, frame: Any) -> pd.DataFrame:
    """``frame`` itself when it is a DataFrame; a TypeError naming ``func`` and ``name`` if not.

    >>> need_frame("rate_table", "frame", [1, 2])
    Traceback (most recent call last):
    ...
    TypeError: rate_table(): frame must be a pandas DataFrame, got list.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{func}(): {name} must be a pandas DataFrame, got {type(frame).__name__}.")
    return frame


def need_columns(
    func: str, name: str, frame: pd.DataFrame, columns: Iterable[str], hint: str = ""
) -> None:
    """A KeyError for the first missing column, listing the columns the frame does have.

    >>> need_columns("qualify", "leads", pd.DataFrame({"mail": []}), ["email"], "Pass email_column=.")
    Traceback (most recent call last):
    ...
    KeyError: "qualify(): leads has no column 'email'. It has: mail. Pass email_column=."
    """
    for col in columns:
        if col not in frame.columns:
            have = ", ".join(map(str, frame.columns[:25]))
            more = ", ..." if len(frame.columns) > 25 else ""
            raise KeyError(
                f"{func}(): {name} has no column {col!r}. It has: {have}{more}. "
                + (hint or "Rename it or pass the right column name.")
            )
