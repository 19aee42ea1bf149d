"""The kit's one vocabulary of input checks: every module says the same about the same mistake.

Each check raises an error a marketer can act on: the function, the argument, what it has, the
fix. ``need_table`` (a DataFrame with these columns) is the usual door of a public function;
``need_flags`` and ``need_numbers`` check one column's values; ``blank`` and ``contains`` are
the two masks the modules share (a missing or whitespace-only value; a pattern found).

Three rules are decided here, once (CONTRIBUTING.md, tests/BAD_INPUT.md): a function that counts
units refuses a duplicated unit and lists the ids (:func:`need_unique`); booleans must be
booleans, text such as "True" is refused with the fix (:func:`need_flags`); naive times need a
zone, and zoned ones are read in UTC (:func:`need_zone`, :func:`need_times`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "blank",
    "contains",
    "need_columns",
    "need_flags",
    "need_frame",
    "need_numbers",
    "need_rows",
    "need_table",
    "need_times",
    "need_unique",
    "need_zone",
]


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


def blank(series: pd.Series) -> pd.Series:
    """True where a value is missing or only whitespace.

    >>> blank(pd.Series(["a", " ", None])).tolist()
    [False, True, True]
    """
    as_text = series.astype("string")
    return as_text.isna() | (as_text.str.strip() == "")


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


def need_table(
    func: str,
    name: str,
    frame: Any,
    columns: Iterable[str] = (),
    hint: str = "Rename it, or load it with helpers.data.",
) -> pd.DataFrame:
    """:func:`need_frame` then :func:`need_columns`: the usual door of a public function.

    >>> need_table("traffic_mix", "sessions", pd.DataFrame({"id": [1]}), ["session_id"])
    Traceback (most recent call last):
    ...
    KeyError: "traffic_mix(): sessions has no column 'session_id'. It has: id. Rename it, or load it with helpers.data."
    """
    need_frame(func, name, frame)
    need_columns(func, name, frame, columns, hint)
    return frame


def need_numbers(func: str, frame: pd.DataFrame, column: str, fix: str) -> np.ndarray:
    """The column as float64; a ValueError when a value is missing or not a number.

    >>> need_numbers("score_threshold", pd.DataFrame({"score": [1, None]}), "score", "Fill it.")
    Traceback (most recent call last):
    ...
    ValueError: score_threshold(): column 'score' has 1 missing or non-numeric value(s); Fill it.
    """
    if pd.api.types.is_datetime64_any_dtype(frame[column].dtype) or pd.api.types.is_timedelta64_dtype(frame[column].dtype):
        raise TypeError(
            f"{func}(): column {column!r} must hold numbers, got dtype {frame[column].dtype}; {fix}"
        )
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    bad = int(np.isnan(values).sum())
    if bad:
        raise ValueError(
            f"{func}(): column {column!r} has {bad} missing or non-numeric value(s); {fix}"
        )
    return values


def need_flags(func: str, frame: pd.DataFrame, column: str, meaning: str, fix: str) -> np.ndarray:
    """The column as a NumPy bool array; it must hold True/False (or 0/1), nothing missing.

    **Booleans must be booleans** (the kit's one rule): ``bool``, pandas ``boolean`` or Arrow
    ``bool[pyarrow]`` without missing values, 0/1 numbers, or Python ``True``/``False`` objects.
    Text such as ``"True"``/``"False"`` or ``"yes"``/``"no"`` is refused with the fix (reading
    it would make every non-empty string True); the loaders of :mod:`helpers.data`
    (``from_raw``, ``load_*``) are the one place that converts such text, explicitly.

    Parameters
    ----------
    meaning : str
        What True means, e.g. ``"True for a lead that became a customer"``.
    fix : str
        How to build the column, e.g. ``"leads_frame['stage'].eq('customer')"``.

    >>> need_flags("f", pd.DataFrame({"won": [2]}), "won", "True for a win", "Use eq(2).")
    Traceback (most recent call last):
    ...
    TypeError: f(): column 'won' must be True/False (True for a win), got dtype int64. Use eq(2).
    >>> need_flags("f", pd.DataFrame({"won": ["True"]}), "won", "True for a win", "Use eq(2).")
    Traceback (most recent call last):
    ...
    TypeError: f(): column 'won' must be True/False (True for a win), but holds text such as 'True'; text is never read as a flag. Convert it explicitly, e.g. frame['won'].map({'True': True, 'False': False}), or load the file with helpers.data. Use eq(2).
    """
    flag = frame[column]
    if pd.api.types.is_bool_dtype(flag.dtype):
        if flag.isna().any():
            raise ValueError(
                f"{func}(): column {column!r} has {int(flag.isna().sum())} missing value(s); "
                "fill them with False or drop those rows."
            )
        return flag.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(flag.dtype) and flag.isin([0, 1]).all():
        return flag.to_numpy(dtype=bool)
    if flag.dtype == object and len(flag) and flag.map(type).isin([bool, np.bool_]).all():
        return flag.to_numpy(dtype=bool)
    text = flag.dropna()
    text = text[text.map(lambda v: isinstance(v, str))] if flag.dtype == object else text
    if len(text) and (pd.api.types.is_string_dtype(flag.dtype) or flag.dtype == object
                      or isinstance(flag.dtype, pd.CategoricalDtype)):
        raise TypeError(
            f"{func}(): column {column!r} must be True/False ({meaning}), but holds text such as "
            f"{str(text.iloc[0])[:40]!r}; text is never read as a flag. Convert it explicitly, e.g. "
            f"frame[{column!r}].map({{'True': True, 'False': False}}), or load the file with "
            f"helpers.data. {fix}"
        )
    raise TypeError(
        f"{func}(): column {column!r} must be True/False ({meaning}), got dtype {flag.dtype}. {fix}"
    )


def need_unique(func: str, name: str, frame: pd.DataFrame, column: str, fix: str = "") -> None:
    """A ValueError listing the ids that appear on more than one row of ``frame[column]``.

    **A duplicated unit** (the kit's one rule): a function that *counts* units (a rate, a
    total, a report) refuses a table in which one unit has several rows, and lists the ids,
    rather than count it twice or guess which row is right; a function that labels rows keeps
    one output row per input row, duplicates included. Missing ids are not compared.

    >>> need_unique("pipeline", "leads", pd.DataFrame({"lead_id": ["a", "b", "a"]}), "lead_id")
    Traceback (most recent call last):
    ...
    ValueError: pipeline(): leads has 1 lead_id value(s) on more than one row (2 rows in all), e.g. ['a']; each unit must be counted once. Drop the duplicates first, e.g. leads.drop_duplicates('lead_id').
    """
    ids = frame[column]
    repeated = ids.duplicated(keep=False) & ids.notna()
    if repeated.any():
        values = pd.unique(ids[repeated].astype(object))
        raise ValueError(
            f"{func}(): {name} has {len(values)} {column} value(s) on more than one row "
            f"({int(repeated.sum())} rows in all), e.g. {[str(v) for v in values[:5]]}; each unit "
            f"must be counted once. "
            + (fix or f"Drop the duplicates first, e.g. {name}.drop_duplicates({column!r}).")
        )


def need_zone(func: str, name: str, times: pd.Series, column: str = "") -> pd.Series:
    """``times`` as UTC datetimes; naive times (no zone) are refused with the fix.

    **Naive times need a zone** (the kit's one rule): a timestamp without a zone could be any
    local time, so it is never taken as UTC silently.

    >>> need_zone("window", "sessions", pd.Series(pd.to_datetime(["2025-01-01 10:00"])), "started_at")
    Traceback (most recent call last):
    ...
    ValueError: window(): sessions['started_at'] has times without a time zone; say which zone they are in, e.g. sessions['started_at'].dt.tz_localize('Europe/Paris'), or load the file with helpers.data and tz='Europe/Paris'.
    """
    label = f"{name}[{column!r}]" if column else name
    if isinstance(times.dtype, pd.ArrowDtype) and pd.api.types.is_datetime64_any_dtype(times.dtype):
        zone = getattr(times.dtype.pyarrow_dtype, "tz", None)
        times = times.astype(f"datetime64[ns, {zone}]" if zone else "datetime64[ns]")
    if len(times) and times.isna().all():  # nothing to read: no zone to ask for
        return pd.Series(pd.NaT, index=times.index, dtype="datetime64[ns, UTC]", name=times.name)
    if pd.api.types.is_string_dtype(times.dtype) or times.dtype == object:
        try:  # ISO-8601 text: its own offset says the zone ("...Z", "+02:00")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parsed = pd.to_datetime(times, format="ISO8601")
        except (ValueError, TypeError):
            try:  # mixed offsets: each is honoured
                parsed = pd.to_datetime(times, format="ISO8601", utc=True)
                parsed = parsed if times.dropna().astype(str).str.contains(r"(?:Z|[+-]\d\d:?\d\d)$").all() else times
            except (ValueError, TypeError):
                parsed = times
        times = parsed
    if not isinstance(times.dtype, pd.DatetimeTZDtype):
        if pd.api.types.is_datetime64_dtype(times.dtype):
            raise ValueError(
                f"{func}(): {label} has times without a time zone; say which zone they are in, e.g. "
                f"{label}.dt.tz_localize('Europe/Paris'), or load the file with helpers.data and "
                "tz='Europe/Paris'."
            )
        raise TypeError(
            f"{func}(): {label} must hold dates and times (with a time zone), got dtype "
            f"{times.dtype}. Convert it with pd.to_datetime({label}, utc=True) or load the file "
            "with helpers.data."
        )
    return times.dt.tz_convert("UTC")


def need_times(func: str, name: str, frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """``frame`` with each of ``columns`` as UTC times (:func:`need_zone`); the input is kept.

    >>> t = pd.DataFrame({"at": pd.to_datetime(["2025-01-01 09:00"]).tz_localize("Europe/Paris")})
    >>> need_times("f", "t", t, ["at"])["at"].dt.hour.tolist()
    [8]
    """
    zoned = {c: need_zone(func, name, frame[c], c) for c in columns}
    return frame.assign(**zoned) if zoned else frame


def need_rows(func: str, name: str, frame: Any, fix: str) -> None:
    """A ValueError when ``frame`` has no rows: a count, a rate or a chart of nothing.

    >>> need_rows("report", "labelled", pd.DataFrame({"is_bot": []}), "Pass bots.label(sessions).")
    Traceback (most recent call last):
    ...
    ValueError: report(): labelled is empty, so there is nothing to count. Pass bots.label(sessions).
    """
    if len(frame) == 0:
        raise ValueError(f"{func}(): {name} is empty, so there is nothing to count. {fix}")
