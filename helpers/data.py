"""Load and validate the kit's data files (or your own exports).

The kit ships four CSV files in ``data/`` (see ``data/README.md``):
``sessions.csv``, ``events.csv``, ``leads.csv`` and ``answer_key.csv``. The loaders
read a file, give every column its proper type (UTC timestamps, categories, booleans,
numbers) and then run the matching ``validate_*`` function, so an analyst's own export
goes through exactly the same checks as the kit's data.

Every check that fails raises an error that names the function, the frame, the column,
the first offending rows and a fix, for example::

    ValueError: validate_sessions(): sessions.pageviews must be >= 0 (pages viewed in the
    visit). First offending rows: session_id s0000003 (-1) (1 rows in all). Fix: ...

Examples
--------
>>> from helpers import data
>>> ds = data.load_all()
>>> list(ds._fields)
['sessions', 'events', 'leads', 'answer_key']
>>> str(ds.sessions["started_at"].dtype)
'datetime64[us, UTC]'
>>> ds.sessions["channel"].dtype.name
'category'
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._csv import ga4_field as _ga4_field
from ._csv import ga4_param as _ga4_param
from ._csv import ga4_table as _ga4_table
from ._csv import local_path
from ._csv import read_csv as _read_csv
from .vocabulary import (
    _SEARCH,
    _SOCIAL,
    _UNKNOWN_OK,
    COUNTRY_CODES,
    COUNTRY_NAMES,
    GA4_CHANNEL_GROUPS,
    GA4_MEDIUMS,
    FromColumn,
    UnmappedValuesWarning,
    _named_mapping,
    channel_from,
    converted_flag,
    page_path,
)

# --- The data folder (owned by the "learners" part of the kit: one place decides it) ---------

_PACKAGE_DIR = Path(__file__).resolve().parent


def _kit_root() -> Path | None:
    """The kit's root: the folder above ``helpers/`` that holds pyproject.toml, if any."""
    root = _PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() else None


def kit_data_dir() -> Path:
    """The folder the lessons, exercises and explorers read their data from.

    In order: the folder named by the environment variable ``KIT_DATA`` (a relative path is
    resolved from the kit's root, the folder that holds pyproject.toml above ``helpers/``,
    else from the current directory); else the source tree's ``data/`` when it holds
    sessions.csv; else the copy installed inside the package, ``helpers/kitdata/``.

    Returns
    -------
    pathlib.Path
        An absolute path (it may not exist when ``KIT_DATA`` names a missing folder: the
        loaders then say which file is missing).

    Examples
    --------
    >>> kit_data_dir().joinpath("sessions.csv").exists()
    True
    """
    chosen = os.environ.get("KIT_DATA", "").strip()
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_absolute():
            path = (_kit_root() or Path.cwd()) / path
        return path.resolve()
    source = _PACKAGE_DIR.parent / "data"
    if (source / "sessions.csv").is_file():
        return source
    return _PACKAGE_DIR / "kitdata"


def is_default_data() -> bool:
    """True when :func:`kit_data_dir` is the kit's own data (``KIT_DATA`` unset or pointing
    at it), so the numbers quoted in the lessons' text apply."""
    chosen = kit_data_dir()
    defaults = {(_PACKAGE_DIR.parent / "data").resolve(), (_PACKAGE_DIR / "kitdata").resolve()}
    return chosen.resolve() in defaults


# --------------------------------------------------------------------------------------------

__all__ = [
    "CATEGORIES",
    "COUNTRY_CODES",
    "COUNTRY_NAMES",
    "DATA_DIR",
    "GA4_CHANNEL_GROUPS",
    "GA4_MEDIUMS",
    "SCHEMAS",
    "Column",
    "Dataset",
    "FromColumn",
    "UnmappedValuesWarning",
    "converted_flag",
    "from_raw",
    "is_default_data",
    "kit_data_dir",
    "load_all",
    "load_answer_key",
    "load_events",
    "load_leads",
    "load_sessions",
    "validate_answer_key",
    "validate_events",
    "validate_leads",
    "validate_sessions",
]

DATA_DIR: Path = kit_data_dir()
"""The kit's data folder: ``data/`` next to ``helpers/`` in the source tree, else the copy
installed in the package (see :func:`kit_data_dir`)."""

TIMESTAMP_DTYPE = "datetime64[us, UTC]"

CATEGORIES: dict[str, tuple[str, ...]] = {
    "channel": ("organic_search", "paid_search", "social", "email", "referral", "direct"),
    "device": ("desktop", "mobile", "tablet"),
    "event_name": (
        "page_view",
        "newsletter_signup",
        "blog_comment",
        "social_follow",
        "guide_download",
        "contact_form",
        "add_to_cart",
        "begin_checkout",
        "purchase",
    ),
    "lead_source": ("newsletter_signup", "guide_download", "contact_form", "purchase", "trade_show"),
    "stage": ("lead", "mql", "sql", "customer", "disqualified"),
    "segment": ("bot", "loyal_customer", "stumbled", "potential_buyer"),
    "bot_kind": ("crawler", "scraper", "headless", "monitor", "form_spam"),
    "persona": ("home_barista", "office_manager", "cafe_owner"),
}
"""The allowed values of every categorical column, in their fixed order."""


@dataclass(frozen=True)
class Column:
    """One column of a kit file: its name, kind, whether it is required, and meaning.

    ``kind`` is one of ``"id"``, ``"str"``, ``"timestamp"``, ``"category"``, ``"float"``,
    ``"int"``, ``"Int"`` (integer that may be missing) and ``"bool"``.
    """

    name: str
    kind: str
    required: bool
    meaning: str

    @property
    def dtype(self) -> str:
        """The pandas dtype the loaders give this column."""
        return {
            "id": "str",
            "str": "str",
            "timestamp": TIMESTAMP_DTYPE,
            "category": "category",
            "float": "float64",
            "int": "int64",
            "Int": "Int64",
            "bool": "bool",
        }[self.kind]


def _cols(*specs: tuple[str, str, bool, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in specs)


SCHEMAS: dict[str, tuple[Column, ...]] = {
    "sessions": _cols(
        ("session_id", "id", True, "unique id of the visit, e.g. s0000001"),
        ("visitor_id", "str", True, "the browser/cookie; a visitor has one or more sessions"),
        ("started_at", "timestamp", True, "start of the visit, UTC"),
        ("channel", "category", True, "marketing channel that brought the visit"),
        ("source", "str", False, "where exactly: google, facebook, newsletter, (direct), ..."),
        ("landing_page", "str", False, "path of the first page viewed"),
        ("device", "category", True, "desktop, mobile or tablet"),
        ("country", "str", False, "ISO-3166 alpha-2 country of the IP; may be missing"),
        ("user_agent", "str", True, "the browser's User-Agent header; may be missing"),
        ("ip", "str", False, "IP address (documentation ranges only in the kit's data)"),
        ("duration_s", "float", True, "length of the visit in seconds, >= 0"),
        ("pageviews", "int", True, "pages viewed, >= 0; equals the session's page_view events"),
        ("is_returning", "bool", False, "True when the visitor had been seen before"),
        ("form_seconds", "float", False, "seconds from loading a form page to submitting it"),
    ),
    "events": _cols(
        ("event_id", "id", True, "id of the event, e.g. e00000001"),
        ("session_id", "str", True, "the session the event belongs to"),
        ("visitor_id", "str", False, "the visitor of that session"),
        ("timestamp", "timestamp", True, "when it happened, UTC, not before its session"),
        ("event_name", "category", True, "page_view or a conversion event (GA4-like names)"),
        ("page", "str", False, "path of the page the event happened on"),
        ("value", "float", False, "order value in EUR for purchase, else missing"),
    ),
    "leads": _cols(
        ("lead_id", "id", True, "id of the contact in the CRM, e.g. L000001"),
        ("visitor_id", "str", False, "web visitor that became the lead; missing for offline"),
        ("created_at", "timestamp", False, "when the lead entered the CRM, UTC"),
        ("lead_source", "category", True, "how the lead came in"),
        ("name", "str", False, "contact name (invented)"),
        ("email", "str", False, "contact e-mail (reserved example domains; some invalid)"),
        ("phone", "str", False, "contact phone (fictional numbers); may be missing"),
        ("company", "str", False, "company name, missing for consumers"),
        ("company_size", "Int", False, "employees; missing for consumers"),
        ("industry", "str", False, "industry of the company"),
        ("country", "str", False, "ISO-3166 alpha-2 country"),
        ("stage", "category", True, "pipeline stage: lead, mql, sql, customer, disqualified"),
        ("became_customer_at", "timestamp", False, "LEAKAGE: filled only after the sale"),
        ("first_order_value", "float", False, "LEAKAGE: EUR of the first order, customers only"),
    ),
    "answer_key": _cols(
        ("session_id", "id", True, "one row per session"),
        ("visitor_id", "str", True, "the session's visitor"),
        ("segment", "category", True, "bot, loyal_customer, stumbled or potential_buyer"),
        ("bot_kind", "category", True, "crawler, scraper, headless, monitor, form_spam; empty"),
        ("persona", "category", True, "home_barista, office_manager, cafe_owner; empty"),
    ),
}
"""Columns of each kit file, in file order, with kind, required flag and meaning."""

_ID = {"sessions": "session_id", "events": "event_id", "leads": "lead_id",
       "answer_key": "session_id"}


class Dataset(NamedTuple):
    """The four frames of the kit: ``sessions``, ``events``, ``leads``, ``answer_key``."""

    sessions: pd.DataFrame
    events: pd.DataFrame
    leads: pd.DataFrame
    answer_key: pd.DataFrame | None  # None for your own exports (load_all(answer_key=False))


# --------------------------------------------------------------------------- errors
def _rows(df: pd.DataFrame, mask, frame: str, show=None, limit: int = 5) -> str:
    """Describe the first offending rows by their id (and optionally a value)."""
    mask = np.asarray(mask, dtype=bool)
    idx = np.flatnonzero(mask)[:limit]
    idcol = _ID[frame]
    parts = []
    for i in idx:
        label = df[idcol].iloc[i] if idcol in df.columns else f"row {df.index[i]}"
        label = f"{idcol} {label}" if idcol in df.columns else label
        if show is not None and show in df.columns:
            label += f" ({df[show].iloc[i]!r})"
        parts.append(label)
    return f"First offending rows: {', '.join(parts)} ({int(mask.sum())} rows in all)."


def _fail(func: str, frame: str, column: str, problem: str, df, mask, fix: str,
          show: str | None = None):
    raise ValueError(
        f"{func}(): {frame}.{column} {problem}. {_rows(df, mask, frame, show)} Fix: {fix}"
    )


def _check_columns(func: str, frame: str, df: pd.DataFrame) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{func}(): {frame} must be a pandas DataFrame, got {type(df).__name__}.")
    missing = [c.name for c in SCHEMAS[frame] if c.required and c.name not in df.columns]
    if missing:
        raise KeyError(
            f"{func}(): {frame} has no column {', '.join(repr(m) for m in missing)}. "
            f"It has: {', '.join(map(str, df.columns))}. Rename your columns to the kit's "
            f"names (see data.SCHEMAS[{frame!r}] or data/README.md), e.g. "
            f"df.rename(columns={{'your_name': {missing[0]!r}}})."
        )


def _check_dtypes(func: str, frame: str, df: pd.DataFrame) -> None:
    for col in SCHEMAS[frame]:
        if col.name not in df.columns:
            continue
        s = df[col.name]
        ok = {
            "timestamp": isinstance(s.dtype, pd.DatetimeTZDtype) and str(s.dt.tz) == "UTC",
            "category": isinstance(s.dtype, pd.CategoricalDtype)
            or pd.api.types.is_string_dtype(s.dtype) or s.dtype == object,
            "float": pd.api.types.is_float_dtype(s.dtype),
            "int": pd.api.types.is_integer_dtype(s.dtype),
            "Int": pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_float_dtype(s.dtype),
            "bool": pd.api.types.is_bool_dtype(s.dtype),
            "id": pd.api.types.is_string_dtype(s.dtype) or s.dtype == object,
            "str": pd.api.types.is_string_dtype(s.dtype) or s.dtype == object,
        }[col.kind]
        if not ok:
            loader = f"load_{frame}" if frame != "answer_key" else "load_answer_key"
            raise ValueError(
                f"{func}(): {frame}.{col.name} has dtype {s.dtype}, expected {col.dtype} "
                f"({col.kind}). Fix: read the file with data.{loader}(path), which converts "
                f"every column, or convert it yourself"
                + (f", e.g. pd.to_datetime(df[{col.name!r}], utc=True)."
                   if col.kind == "timestamp" else ".")
            )


def _check_categories(func: str, frame: str, df: pd.DataFrame) -> None:
    for col in SCHEMAS[frame]:
        if col.kind != "category" or col.name not in df.columns:
            continue
        allowed = CATEGORIES[col.name]
        s = df[col.name]
        values = s.astype("object")
        bad = values.notna() & ~values.isin(allowed)
        if bad.any():
            unknown = sorted(map(str, pd.unique(values[bad])))[:5]
            _fail(func, frame, col.name, f"has unknown values {unknown}", df, bad,
                  f"use only {', '.join(allowed)}; map other labels with "
                  f"df[{col.name!r}].replace({{'old': 'new'}}).", show=col.name)


def _check_unique(func: str, frame: str, df: pd.DataFrame, col: str,
                  allow_exact_duplicates: bool = False) -> None:
    dup = _repeated(df[col])
    if dup is None:
        return
    if allow_exact_duplicates:
        rows = np.flatnonzero(dup)  # compare whole rows only where an id repeats
        exact = df.iloc[rows].duplicated(keep=False).to_numpy()
        dup[rows[exact]] = False
    if dup.any():
        _fail(func, frame, col, "must be unique, but some ids repeat", df, dup,
              f"drop the repeated rows (df.drop_duplicates({col!r})) or give them new ids.")


def _repeated(s: pd.Series) -> np.ndarray | None:
    """Mask of values that occur more than once, or None when all differ.

    Files usually list ids in order: then a repeat sits next to its twin and one pass of
    neighbour comparisons (pyarrow) decides; otherwise a hash-based ``duplicated``.
    """
    n = len(s)
    if n < 2:
        return None
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = None if isinstance(s.dtype, pd.CategoricalDtype) else pa.array(s.array)
        if arr is not None and arr.null_count == 0 and pc.all(
                pc.less_equal(arr[:-1], arr[1:])).as_py():
            eq = pc.equal(arr[:-1], arr[1:]).to_numpy(zero_copy_only=False)
            if not eq.any():
                return None
            mask = np.zeros(n, dtype=bool)
            mask[:-1] |= eq
            mask[1:] |= eq
            return mask
    except (ImportError, TypeError, ValueError, NotImplementedError, pa.ArrowException):
        pass
    dup = s.duplicated(keep=False).to_numpy().copy()
    return dup if dup.any() else None


def _check_not_missing(func: str, frame: str, df: pd.DataFrame, col: str) -> None:
    bad = df[col].isna().to_numpy()
    if bad.any():
        _fail(func, frame, col, "must not be missing", df, bad,
              f"fill or drop those rows, e.g. df.dropna(subset=[{col!r}]).")


# ----------------------------------------------------------------------- validators
def validate_sessions(df: pd.DataFrame) -> pd.DataFrame:
    """Check a sessions frame; return it unchanged or raise a clear error.

    Checks the required columns, their types, unique ``session_id``, ``duration_s >= 0``,
    ``pageviews >= 0`` and ``form_seconds >= 0``. Channel and device values are *not*
    checked against the kit's lists: your own labels are kept (see ``load_sessions``).

    Parameters
    ----------
    df : pandas.DataFrame
        Sessions with the columns in ``SCHEMAS["sessions"]`` (extra columns are fine).

    Returns
    -------
    pandas.DataFrame
        The same frame, so calls can be chained.

    Raises
    ------
    KeyError
        A required column is missing.
    ValueError
        A column has the wrong type, an id repeats or a value is impossible.

    Examples
    --------
    >>> s = load_sessions()
    >>> validate_sessions(s) is s
    True
    >>> bad = s.assign(pageviews=-1)
    >>> validate_sessions(bad)
    Traceback (most recent call last):
    ...
    ValueError: validate_sessions(): sessions.pageviews must be >= 0 ...
    """
    f, fr = "validate_sessions", "sessions"
    _check_columns(f, fr, df)
    _check_dtypes(f, fr, df)
    for c in ("session_id", "visitor_id", "started_at", "duration_s", "pageviews"):
        _check_not_missing(f, fr, df, c)
    _check_unique(f, fr, df, "session_id")
    bad = (df["duration_s"] < 0).to_numpy()
    if bad.any():
        _fail(f, fr, "duration_s", "must be >= 0 seconds, but some are negative", df, bad,
              "check the unit and the sign; durations are end minus start, in seconds.",
              show="duration_s")
    bad = (df["pageviews"] < 0).to_numpy()
    if bad.any():
        _fail(f, fr, "pageviews", "must be >= 0 (pages viewed in the visit)", df,
              bad, "count the page_view events per session; 0 is fine for a visit that "
              "fetched no page (only robots.txt or images).", show="pageviews")
    if "form_seconds" in df.columns:
        bad = (df["form_seconds"] < 0).fillna(False).to_numpy(dtype=bool)
        if bad.any():
            _fail(f, fr, "form_seconds", "must be >= 0 seconds or empty", df, bad,
                  "leave it empty when no form was sent.", show="form_seconds")
    return df


def validate_events(df: pd.DataFrame, sessions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Check an events frame (and, given ``sessions``, that it matches them).

    Exact duplicate rows (the same event recorded twice, as tracking tags sometimes do)
    are allowed and kept: they are a lesson, not an error. Two *different* rows with
    the same ``event_id`` are an error.

    Parameters
    ----------
    df : pandas.DataFrame
        Events with the columns in ``SCHEMAS["events"]``.
    sessions : pandas.DataFrame, optional
        When given, every event's ``session_id`` must exist there and no event may
        happen before its session started.

    Returns
    -------
    pandas.DataFrame
        The same frame.

    Examples
    --------
    >>> ds = load_all()
    >>> validate_events(ds.events, ds.sessions) is ds.events
    True
    >>> early = ds.events.assign(timestamp=ds.events["timestamp"] - pd.Timedelta(days=60))
    >>> validate_events(early, ds.sessions)
    Traceback (most recent call last):
    ...
    ValueError: validate_events(): events.timestamp is before its session's started_at...
    """
    f, fr = "validate_events", "events"
    _check_columns(f, fr, df)
    _check_dtypes(f, fr, df)
    for c in ("event_id", "session_id", "timestamp", "event_name"):
        _check_not_missing(f, fr, df, c)
    _check_unique(f, fr, df, "event_id", allow_exact_duplicates=True)
    if "value" in df.columns:
        bad = (df["value"] < 0).fillna(False).to_numpy(dtype=bool)
        if bad.any():
            _fail(f, fr, "value", "must be >= 0 EUR or empty", df, bad,
                  "refunds belong in a separate table; keep order values positive.",
                  show="value")
    if sessions is not None:
        _check_columns(f, "sessions", sessions)
        sid = pd.Index(sessions["session_id"])
        start = _naive(sessions["started_at"])
        pos = (sid.get_indexer(df["session_id"]) if sid.is_unique
               else sid.get_indexer_for(df["session_id"])[: len(df)])
        unknown = pos < 0
        if unknown.any():
            _fail(f, fr, "session_id", "refers to sessions that are not in sessions", df,
                  unknown, "load events and sessions from the same export, or drop "
                  "the orphans with events[events.session_id.isin(sessions.session_id)].",
                  show="session_id")
        matched = start[pos]
        early = _naive(df["timestamp"]) < matched
        if early.any():
            _fail(f, fr, "timestamp", "is before its session's started_at", df, early,
                  "check time zones: both must be UTC (pd.to_datetime(..., utc=True)).",
                  show="timestamp")
    return df


def validate_leads(df: pd.DataFrame) -> pd.DataFrame:
    """Check a leads (CRM) frame; return it unchanged or raise a clear error.

    Checks required columns and types, unique ``lead_id``, a filled ``lead_source`` and
    ``stage`` (your own labels are kept: see ``load_leads``), ``company_size >= 1``, ``first_order_value >= 0`` and that nobody became
    a customer before they became a lead.

    Parameters
    ----------
    df : pandas.DataFrame
        Leads with the columns in ``SCHEMAS["leads"]``.

    Returns
    -------
    pandas.DataFrame
        The same frame.

    Examples
    --------
    >>> leads = load_leads()
    >>> validate_leads(leads) is leads
    True
    >>> validate_leads(leads.assign(company_size=0))
    Traceback (most recent call last):
    ...
    ValueError: validate_leads(): leads.company_size must be >= 1 employee or empty...
    """
    f, fr = "validate_leads", "leads"
    _check_columns(f, fr, df)
    _check_dtypes(f, fr, df)
    for c in ("lead_id", "created_at", "lead_source", "stage"):
        if c in df.columns:
            _check_not_missing(f, fr, df, c)
    _check_unique(f, fr, df, "lead_id")
    if "company_size" in df.columns:
        bad = (df["company_size"] < 1).fillna(False).to_numpy(dtype=bool)
        if bad.any():
            _fail(f, fr, "company_size", "must be >= 1 employee or empty", df, bad,
                  "leave it empty when unknown.", show="company_size")
    if "first_order_value" in df.columns:
        bad = (df["first_order_value"] < 0).fillna(False).to_numpy(dtype=bool)
        if bad.any():
            _fail(f, fr, "first_order_value", "must be >= 0 EUR or empty", df, bad,
                  "keep refunds out of the first order value.", show="first_order_value")
    if "became_customer_at" in df.columns and "created_at" in df.columns:
        bad = (df["became_customer_at"] < df["created_at"]).fillna(False).to_numpy(dtype=bool)
        if bad.any():
            _fail(f, fr, "became_customer_at", "is before created_at", df, bad,
                  "check the time zones and that the two columns are not swapped.",
                  show="became_customer_at")
    return df


def validate_answer_key(df: pd.DataFrame, sessions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Check the answer key: one row per session, bot_kind only for bots.

    Parameters
    ----------
    df : pandas.DataFrame
        The answer key with the columns in ``SCHEMAS["answer_key"]``.
    sessions : pandas.DataFrame, optional
        When given, the key must have exactly one row per session of ``sessions``.

    Returns
    -------
    pandas.DataFrame
        The same frame.

    Examples
    --------
    >>> ds = load_all()
    >>> validate_answer_key(ds.answer_key, ds.sessions) is ds.answer_key
    True
    >>> validate_answer_key(ds.answer_key.iloc[1:], ds.sessions)
    Traceback (most recent call last):
    ...
    ValueError: validate_answer_key(): answer_key.session_id misses 1 session(s) ...
    """
    f, fr = "validate_answer_key", "answer_key"
    _check_columns(f, fr, df)
    _check_dtypes(f, fr, df)
    _check_not_missing(f, fr, df, "session_id")
    _check_not_missing(f, fr, df, "segment")
    _check_unique(f, fr, df, "session_id")
    _check_categories(f, fr, df)
    is_bot = (df["segment"] == "bot").to_numpy()
    kind = df["bot_kind"].notna().to_numpy()
    if (is_bot != kind).any():
        _fail(f, fr, "bot_kind", "must be filled for bots and only for bots", df,
              is_bot != kind, "set bot_kind for segment 'bot' rows, leave it empty otherwise.",
              show="segment")
    if sessions is not None:
        _check_columns(f, "sessions", sessions)
        missing = ~sessions["session_id"].isin(df["session_id"]).to_numpy()
        if missing.any():
            raise ValueError(
                f"{f}(): answer_key.session_id misses {int(missing.sum())} session(s) of "
                f"sessions. {_rows(sessions, missing, 'sessions')} Fix: the answer key must "
                "have exactly one row per session; load both from the same data folder."
            )
        extra = ~df["session_id"].isin(sessions["session_id"]).to_numpy()
        if extra.any():
            _fail(f, fr, "session_id", "has sessions that are not in sessions", df, extra,
                  "load both files from the same data folder.")
    return df


def _naive(s: pd.Series) -> np.ndarray:
    """UTC timestamps as a plain numpy datetime64 array (fast comparisons)."""
    return s.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[us]")



def _known_values(column: str) -> tuple[str, ...] | None:
    """The kit's vocabulary for a column (None when the column has none)."""
    if column == "country":
        return None
    return CATEGORIES.get(column)


# --------------------------------------------------------------------------- coercion
_BOOL_WORDS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False,
               "y": True, "n": False, "t": True, "f": False, "1.0": True, "0.0": False}
_ZONE = r"(?:[zZ]|[+-]\d\d(?::?\d\d)?|UTC|GMT)$"


def _as_text(s: pd.Series) -> pd.Series:
    """Values as the ``str`` dtype, empty strings as missing."""
    if s.dtype != "str":
        s = s.astype("str")
    return s.where(s != "")


def _bools(func: str, frame: str, name: str, s: pd.Series, raw) -> np.ndarray:
    if pd.api.types.is_bool_dtype(s.dtype) and not s.isna().any():
        return s.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        num = s.to_numpy(dtype="float64", na_value=np.nan)
        bad = ~np.isin(num, (0.0, 1.0))
        if bad.any():
            _fail(func, frame, name, "must be True or False", raw, bad,
                  "write True/False (or 1/0, yes/no) in every row.", show=name)
        return num == 1.0
    codes, uniques = pd.factorize(_as_text(s).str.strip().str.lower())
    lut = np.array([_BOOL_WORDS.get(u, None) for u in uniques] + [None], dtype=object)
    mapped = lut[codes]
    bad = np.array([v is None for v in lut])[codes]
    if bad.any():
        _fail(func, frame, name, "must be True or False", raw, bad,
              "write True/False (or 1/0, yes/no) in every row.", show=name)
    return mapped.astype(bool)


def _timestamps(func: str, frame: str, name: str, s: pd.Series, raw, tz) -> pd.Series:
    fix_tz = (f"pass tz= with the zone the times were written in, e.g. "
              f"{func}(..., tz='Europe/Berlin') or tz='UTC'")
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        out = s.dt.tz_convert("UTC")
    elif pd.api.types.is_datetime64_dtype(s.dtype):
        if tz is None:
            _fail(func, frame, name, "has times without a time zone", raw, s.notna(),
                  fix_tz + ".", show=name)
        out = s.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
        _bad_local(func, frame, name, s, out, raw)
    else:
        text = _as_text(s).str.strip()
        empty = text.isna().to_numpy()
        zoned = text.str.contains(_ZONE, regex=True).fillna(False).to_numpy(dtype=bool)
        naive = ~zoned & ~empty
        parsed = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us, UTC]")
        if zoned.any():
            parsed[zoned] = pd.to_datetime(text[zoned], utc=True, format="ISO8601",
                                           errors="coerce").dt.as_unit("us")
        local = None
        if naive.any():
            local = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
            if isinstance(local.dtype, pd.DatetimeTZDtype):  # pragma: no cover - defensive
                local = local.dt.tz_convert(None)
            parsed[naive] = local.dt.tz_localize("UTC").dt.as_unit("us")
        bad = parsed.isna().to_numpy() & ~empty
        if bad.any():
            _fail(func, frame, name, "has values that are not timestamps", raw, bad,
                  "write ISO-8601 times such as 2025-02-03T09:15:00Z (UTC).", show=name)
        if local is not None:
            if tz is None:
                _fail(func, frame, name, "has times without a time zone", raw, naive,
                      fix_tz + " (or write them with Z, e.g. 2025-02-03T09:15:00Z).",
                      show=name)
            moved = local.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
            _bad_local(func, frame, name, local, moved, raw.loc[naive])
            parsed[naive] = moved.dt.tz_convert("UTC").dt.as_unit("us")
        out = parsed
    return out.dt.as_unit("us")


def _bad_local(func, frame, name, before, after, raw) -> None:
    bad = (after.isna() & before.notna()).to_numpy()
    if bad.any():
        _fail(func, frame, name, "has local times that do not exist or are ambiguous in tz",
              raw, bad, "those times fall in a daylight-saving change; export UTC times.",
              show=name)


def _numbers(func: str, frame: str, name: str, kind: str, s: pd.Series, raw):
    if pd.api.types.is_bool_dtype(s.dtype):
        _fail(func, frame, name, "holds True/False, not numbers", raw, np.ones(len(s), bool),
              "convert it yourself if the flags really mean 1 and 0.", show=name)
    if pd.api.types.is_numeric_dtype(s.dtype):
        num = s.astype("float64") if kind == "float" else s
        empty = s.isna().to_numpy()
    else:
        text = _as_text(s).str.strip()
        empty = text.isna().to_numpy()
        num = pd.to_numeric(text, errors="coerce")
        bad = num.isna().to_numpy() & ~empty
        if bad.any():
            _fail(func, frame, name, "has values that are not numbers", raw, bad,
                  "use a dot as decimal separator and no units or thousands separators.",
                  show=name)
    if kind == "float":
        return num.astype("float64")
    values = num.to_numpy(dtype="float64", na_value=np.nan)
    frac = ~np.isnan(values) & (values != np.round(values))
    if frac.any():
        _fail(func, frame, name, "must hold whole numbers", raw, frac,
              "round or fix those values.", show=name)
    if kind == "int":
        if empty.any():
            _fail(func, frame, name, "must not be missing", raw, empty,
                  "fill or drop those rows.")
        return num.astype("int64")
    return num.astype("Int64")


def _categories(name: str, s: pd.Series, spec, unmapped: dict) -> pd.Categorical:
    """Map values onto the kit's (dict spec) and build a categorical; report the rest.

    ``s`` is text (empty strings already missing) or a categorical (as the CSV reader
    gives category columns): then its codes are used as they are, without hashing the
    values again; unused categories and ``""`` are dropped, as the text path would.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy().astype(np.int64)
        uniques = [str(u) for u in s.cat.categories]
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        if "" in uniques:
            codes[codes == uniques.index("")] = -1
            counts[uniques.index("")] = 0
        if not counts.all():  # keep only the values that occur (in first-occurrence order)
            used = np.flatnonzero(counts)
            remap = np.full(len(uniques) + 1, -1, dtype=np.int64)
            remap[used] = np.arange(len(used))
            codes = remap[codes]
            uniques = [uniques[i] for i in used]
    else:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        uniques = [str(u) for u in uniques]
    if spec:
        uniques = [str(spec.get(u, u)) for u in uniques]
    known = _known_values(name)
    cats = list(known or ())
    extra = sorted({u for u in uniques if u not in cats})
    report = [u for u in extra if u not in _UNKNOWN_OK.get(name, ())]
    if known is not None and report:
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        # in the order the values first occur in the column (the message lists them so)
        present, first = np.unique(codes, return_index=True)
        order = [int(c) for _, c in sorted(zip(first, present, strict=True)) if c >= 0]
        unmapped[name] = {uniques[i]: int(counts[i]) for i in order if uniques[i] in report}
    cats += extra
    pos = {c: i for i, c in enumerate(cats)}
    lut = np.array([pos[u] for u in uniques] + [-1], dtype=np.int64)
    return pd.Categorical.from_codes(lut[codes], categories=cats)


def _mapped_text(name: str, s: pd.Series, spec, unmapped: dict) -> pd.Series:
    """Apply a value mapping to a text column (e.g. country names -> ISO codes)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    new = [spec.get(u, u) for u in map(str, uniques)]
    if spec is COUNTRY_CODES:
        left = [u for u in new if not re.fullmatch(r"[A-Z]{2}", u)]
    else:
        left = [u for u, old in zip(new, uniques, strict=True) if u == old and u not in
                set(spec.values())]
    if left:
        counts = np.bincount(codes[codes >= 0], minlength=len(new))
        unmapped[name] = {u: int(counts[i]) for i, u in enumerate(new) if u in left}
    lut = np.array([*new, None], dtype=object)
    return pd.Series(lut[codes], index=s.index, dtype="str")


def _from_column(func: str, frame: str, target: str, spec: FromColumn, raw, unmapped):
    if spec.column not in raw.columns:
        raise KeyError(
            f"{func}(): mapping[{target!r}] reads column {spec.column!r}, which {frame} does "
            f"not have. It has: {', '.join(map(str, raw.columns))}. Fix: name the column "
            "that holds the flag, e.g. data.converted_flag('Converted')."
        )
    src = raw[spec.column]
    if spec.flag:
        values = pd.Series(_bools(func, frame, spec.column, src, raw), index=raw.index)
        return values.map(lambda v: spec.values.get(bool(v), str(v))).astype("str")
    table = {str(k): v for k, v in spec.values.items()}
    return _mapped_text(target, _as_text(src), table, unmapped)


def _coerce(func: str, frame: str, raw: pd.DataFrame, *, tz=None, mapping=None,
            index=None) -> pd.DataFrame:
    """Give each known column of ``raw`` its proper dtype (positionally, any index).

    Value mappings are applied first; values outside the kit's vocabulary are kept and
    reported in one ``UnmappedValuesWarning`` (and in ``.attrs["unmapped"]``).
    """
    mapping = {k: _named_mapping(func, k, v) for k, v in (mapping or {}).items()}
    unmapped: dict[str, dict[str, int]] = {}
    raw = raw.reset_index(drop=True)
    derived = {}
    for target, spec in mapping.items():
        if isinstance(spec, FromColumn):
            derived[target] = _from_column(func, frame, target, spec, raw, unmapped)
    if derived:
        raw = raw.assign(**derived)
    _check_columns(func, frame, raw)
    schema = {c.name: c for c in SCHEMAS[frame]}
    # the CSV reader already made every empty string missing (null_values=[""])
    clean = raw.attrs.get("_kit_empty_is_null", False)
    out = {}
    for name in raw.columns:
        s = raw[name]
        col = schema.get(name)
        spec = mapping.get(name)
        spec = spec if isinstance(spec, dict) else None
        if col is None:
            out[name] = s
            continue
        if col.kind in ("id", "str"):
            text = s if clean and s.dtype == "str" and name not in derived else _as_text(s)
            out[name] = _mapped_text(name, text, spec, unmapped) if spec else text
        elif col.kind == "timestamp":
            out[name] = _timestamps(func, frame, name, s, raw, tz)
        elif col.kind in ("float", "int", "Int"):
            out[name] = _numbers(func, frame, name, col.kind, s, raw)
        elif col.kind == "bool":
            out[name] = _bools(func, frame, name, s, raw)
        elif col.kind == "category":
            if not isinstance(s.dtype, pd.CategoricalDtype):
                s = _as_text(s)
            out[name] = _categories(name, s, spec, unmapped)
    # plain arrays, so the result takes ``index`` by position (never aligned by label)
    out = {k: (v.array if isinstance(v, pd.Series) else v) for k, v in out.items()}
    result = pd.DataFrame(out, index=pd.RangeIndex(len(raw)) if index is None else index)
    if unmapped:
        result.attrs["unmapped"] = unmapped
        parts = [f"{col} " + ", ".join(f"{v!r} ({n:,})" for v, n in list(vals.items())[:5])
                 + (f" and {len(vals) - 5} more" if len(vals) > 5 else "")
                 for col, vals in unmapped.items()]
        warnings.warn(
            f"{func}(): kept {frame} values the kit has no name for: {'; '.join(parts)}. "
            "Nothing was dropped. If they mean one of the kit's values (data.CATEGORIES), "
            "map them with mapping={column: {your value: kit value}}.",
            UnmappedValuesWarning, stacklevel=4,
        )
    return result


def _read_any(func: str, frame: str, source, *, sep=None, encoding=None,
              rename: dict[str, str] | None = None) -> tuple[pd.DataFrame, object]:
    """A DataFrame, a Parquet file or a CSV file, as a frame of raw values (renamed).

    Returns the frame and the index the result should carry (the caller's own index for a
    DataFrame, None for a file).
    """
    index = None
    if isinstance(source, pd.DataFrame):
        raw, index, name = source, source.index, "the frame"
    else:
        default = source is None
        path = Path(source) if source is not None else kit_data_dir() / f"{frame}.csv"
        if not path.exists():
            hint = ("run `make data` in the kit folder to regenerate the kit's data."
                    if default or path.parent.resolve() == kit_data_dir().resolve()
                    else f"check the path, or pass the path of your {frame} file "
                    "(CSV or Parquet).")
            raise FileNotFoundError(f"{func}(): no file {path}. Fix: {hint}")
        if path.is_dir():
            raise IsADirectoryError(
                f"{func}(): {path} is a folder, not a file. Fix: pass the file inside it, "
                f"e.g. {path / (frame + '.csv')}, or load the whole folder with "
                "data.load_all(folder)."
            )
        name = path.name
        if path.suffix.lower() in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            raw = pq.read_table(path).to_pandas()
        else:
            inverse = {v: k for k, v in (rename or {}).items()}
            text_cols = [inverse.get(c.name, c.name) for c in SCHEMAS[frame]
                         if c.kind in ("id", "str", "category")]
            with open(path, "rb") as fh:
                head = fh.read(1 << 16)
            text_cols = [c for c in text_cols if c.encode("utf-8", "replace") in head
                         or c.encode("utf-16-le") in head]
            cat_cols = {inverse.get(c.name, c.name) for c in SCHEMAS[frame]
                        if c.kind == "category"}
            raw = _read_csv(func, path, sep, encoding, text_cols, cat_cols)
    if rename:
        unknown = [c for c in rename if c not in raw.columns]
        if unknown:
            raise KeyError(
                f"{func}(): rename= names column {unknown[0]!r}, which {name} does not "
                f"have. It has: {', '.join(map(str, raw.columns))}. Fix: use the file's own "
                "column names as the keys of rename=, the kit's names as the values."
            )
        clash = [(k, v) for k, v in rename.items()
                 if v in raw.columns and v not in rename and k != v]
        if clash:
            k, v = clash[0]
            raise ValueError(
                f"{func}(): rename= maps {k!r} onto {v!r}, but {name} already has a column "
                f"{v!r}. Fix: drop one of the two first (df.drop(columns={v!r})) or rename "
                f"the existing one too, e.g. rename={{{k!r}: {v!r}, {v!r}: {v + '_old'!r}}}."
            )
        raw = raw.rename(columns=rename)
    return raw, index


_LOAD_PARAMS = """
    path : str, Path, open file or DataFrame, optional
        A CSV file (any separator and encoding: both are sniffed), a Parquet file
        (``.parquet``), an open file or upload (``open(p, "rb")``, ``io.BytesIO``,
        ``io.StringIO``) or a DataFrame already in memory; default the kit's file.
    rename : dict, optional
        Your export's column names mapped to the kit's, e.g. ``{"ua": "user_agent"}``.
    mapping : dict, optional
        Your values mapped onto the kit's, per column: ``{"channel": {"Google Ads":
        "paid_search"}}``, a named table (``"ga4_channel_groups"``, ``"country_names"``,
        ``"mediums"``) or a ``FromColumn`` (``{"stage": converted_flag("Converted")}``).
        Values the kit has no name for are kept and reported in one warning line.
    tz : str, optional
        The time zone of timestamps written without one (e.g. ``"Europe/Berlin"``);
        without it such times are an error, never silently taken as UTC.
    sep, encoding : str, optional
        Override the sniffed CSV separator and encoding (e.g. ``";"``, ``"cp1252"``).
"""


def _load(func, frame, path, rename, mapping, tz, sep, encoding):
    with local_path(func, path, default_name=f"{frame}.csv") as source:
        raw, index = _read_any(func, frame, source, sep=sep, encoding=encoding, rename=rename)
    return _coerce(func, frame, raw, tz=tz, mapping=mapping, index=index)


def load_sessions(path=None, *, rename=None, mapping=None, tz=None, sep=None,
                  encoding=None) -> pd.DataFrame:
    """Read sessions (the kit's, or yours), typed and validated.

    Parameters
    ----------{params}
    Returns
    -------
    pandas.DataFrame
        One row per visit; see ``data/README.md``.

    Examples
    --------
    >>> s = load_sessions()
    >>> s["pageviews"].dtype, s["is_returning"].dtype
    (dtype('int64'), dtype('bool'))
    """
    return validate_sessions(_load("load_sessions", "sessions", path, rename, mapping, tz,
                                   sep, encoding))


def load_events(path=None, *, rename=None, mapping=None, tz=None, sep=None,
                encoding=None) -> pd.DataFrame:
    """Read events, typed and validated (see ``load_all`` to also check them against sessions).

    Parameters
    ----------{params}
    Examples
    --------
    >>> e = load_events()
    >>> e["event_name"].cat.categories[0]
    'page_view'
    """
    return validate_events(_load("load_events", "events", path, rename, mapping, tz, sep,
                                 encoding))


def load_leads(path=None, *, rename=None, mapping=None, tz=None, sep=None,
               encoding=None) -> pd.DataFrame:
    """Read the CRM leads, typed and validated.

    A CRM file with only a converted flag loads through the mapping:
    ``mapping={"stage": converted_flag("Converted")}`` (converted -> ``customer``, the
    rest ``unknown``; ``created_at`` and the stage dates are optional).

    Parameters
    ----------{params}
    Examples
    --------
    >>> leads = load_leads()
    >>> str(leads["company_size"].dtype), leads["stage"].dtype.name
    ('Int64', 'category')
    """
    return validate_leads(_load("load_leads", "leads", path, rename, mapping, tz, sep,
                                encoding))


def load_answer_key(path=None, *, rename=None, mapping=None, tz=None, sep=None,
                    encoding=None) -> pd.DataFrame:
    """Read the generator's truth (segment, bot kind, persona per session).

    Use it to *grade* a bot filter or persona matching, never to make a decision.

    Examples
    --------
    >>> key = load_answer_key()
    >>> list(key["segment"].cat.categories)
    ['bot', 'loyal_customer', 'stumbled', 'potential_buyer']
    """
    key = _load("load_answer_key", "answer_key", path, rename, mapping, tz, sep, encoding)
    return validate_answer_key(key)


for _f in (load_sessions, load_events, load_leads):
    _f.__doc__ = _f.__doc__.replace("{params}", _LOAD_PARAMS)


def load_all(folder: str | Path | None = None, *, answer_key: bool = True,
             mapping: dict | None = None, tz: str | None = None) -> Dataset:
    """Read all four files of a data folder and check them against each other.

    Parameters
    ----------
    folder : str or Path, optional
        Folder with sessions.csv, events.csv, leads.csv, answer_key.csv; default
        :func:`kit_data_dir` (``KIT_DATA``, else the kit's ``data/``).
    answer_key : bool, default True
        Also read answer_key.csv. Your own exports have no answer key: pass
        ``answer_key=False`` and ``Dataset.answer_key`` is None.
    mapping, tz
        As in ``load_sessions``; applied to every file that has the column.

    Returns
    -------
    Dataset
        ``sessions``, ``events``, ``leads``, ``answer_key``.

    Examples
    --------
    >>> ds = load_all()
    >>> len(ds.answer_key) == len(ds.sessions)
    True
    """
    folder = Path(folder) if folder is not None else kit_data_dir()
    if not folder.is_dir():
        raise FileNotFoundError(
            f"load_all(): no folder {folder}. Fix: pass the folder that holds your "
            "sessions.csv, events.csv and leads.csv."
        )
    sessions = load_sessions(folder / "sessions.csv", mapping=mapping, tz=tz)
    events = load_events(folder / "events.csv", mapping=mapping, tz=tz)
    validate_events(events, sessions)
    leads = load_leads(folder / "leads.csv", mapping=mapping, tz=tz)
    if not answer_key:
        return Dataset(sessions, events, leads, None)
    truth = load_answer_key(folder / "answer_key.csv")
    validate_answer_key(truth, sessions)
    return Dataset(sessions, events, leads, truth)


def from_raw(frame: str, raw: pd.DataFrame, *, mapping: dict | None = None,
             tz: str | None = None, rename: dict[str, str] | None = None) -> pd.DataFrame:
    """Type a frame of raw values (as read from CSV) and validate it.

    Works on any index (filtered, sorted, concatenated, sampled, string or MultiIndex):
    rows are matched by position and the result keeps ``raw``'s index.

    Parameters
    ----------
    frame : {"sessions", "events", "leads", "answer_key"}
        Which kind of frame ``raw`` is.
    raw : pandas.DataFrame
        Columns named as in ``SCHEMAS[frame]``; values may be strings.
    mapping, tz, rename
        As in ``load_sessions``.

    Returns
    -------
    pandas.DataFrame
        The typed, validated frame (a new frame; ``raw`` is not changed).

    Examples
    --------
    >>> raw = pd.DataFrame({"lead_id": ["L1"], "created_at": ["2025-02-03T10:00:00Z"],
    ...                     "lead_source": ["trade_show"], "stage": ["lead"]})
    >>> str(from_raw("leads", raw)["created_at"].dtype)
    'datetime64[us, UTC]'
    """
    if frame not in SCHEMAS:
        raise ValueError(f"from_raw(): frame must be one of {', '.join(SCHEMAS)}, got {frame!r}.")
    if not isinstance(raw, pd.DataFrame):
        raise TypeError(f"from_raw(): raw must be a pandas DataFrame, got {type(raw).__name__}.")
    raw, index = _read_any("from_raw", frame, raw, rename=rename)
    typed = _coerce("from_raw", frame, raw, tz=tz, mapping=mapping, index=index)
    validate = {"sessions": validate_sessions, "events": validate_events,
                "leads": validate_leads, "answer_key": validate_answer_key}[frame]
    return validate(typed)


# ---------------------------------------------------------------------------- GA4 export
GA4_SCHEMA_URL = "https://support.google.com/analytics/answer/7029846"
"""Google's description of the GA4 BigQuery export (the ``events_YYYYMMDD`` tables)."""

def from_ga4(source, *, mapping: dict | None = None) -> Dataset:
    """Sessions and events from a GA4 BigQuery export, in the kit's schema.

    Reads the export as Google writes it (newline-delimited JSON or Parquet of the daily
    ``events_YYYYMMDD`` tables, a folder of them, or a DataFrame from the BigQuery client):
    one row per event with ``event_timestamp`` in microseconds, ``event_name``, the nested
    ``event_params`` key/value records, ``user_pseudo_id``, ``device``, ``geo``,
    ``traffic_source``, ``collected_traffic_source`` and ``ecommerce``
    (schema: https://support.google.com/analytics/answer/7029846).

    A session is ``user_pseudo_id`` + the ``ga_session_id`` parameter (session id
    ``"<user_pseudo_id>.<ga_session_id>"``); events without that parameter form one
    session per user with id ``"<user_pseudo_id>.(not set)"``. Per session: ``started_at``
    and ``duration_s`` from its first and last event, ``pageviews`` = its ``page_view``
    events (0 is possible), ``landing_page`` = the path of the first page_view's
    ``page_location``, ``source``/``channel`` from the session's first
    ``collected_traffic_source`` (else the ``source``/``medium`` parameters, else the
    user's first-touch ``traffic_source``), mediums mapped by ``GA4_MEDIUMS``; ``device``
    = ``device.category``; ``country`` = ``geo.country`` mapped onto ISO codes;
    ``is_returning`` = ``ga_session_number > 1``. GA4 exports no user agent:
    ``user_agent`` is missing on every session, so the bot filter can use the
    behaviour rules only. Event names are kept as GA4 writes them (``session_start``,
    ``user_engagement``, ...). GA4 has no event id: ``event_id`` numbers the events in
    time order. ``value`` is ``ecommerce.purchase_revenue`` (else the ``value``
    parameter). There is no CRM in a GA4 export: ``leads`` is empty.

    Parameters
    ----------
    source : str, Path or DataFrame
        A ``.json``/``.jsonl``/``.ndjson`` or ``.parquet`` file, a folder of them, or a frame.
    mapping : dict, optional
        As in ``load_sessions``, applied on top (e.g. ``{"event_name": {"sign_up":
        "newsletter_signup"}}``).

    Returns
    -------
    Dataset
        ``sessions``, ``events``, an empty ``leads`` and ``answer_key=None``.

    Examples
    --------
    >>> import tempfile, warnings
    >>> from helpers import exports
    >>> kit = load_all()
    >>> small = Dataset(kit.sessions.head(50), kit.events[kit.events.session_id.isin(
    ...     kit.sessions.session_id.head(50))], kit.leads.head(0), None)
    >>> with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", UnmappedValuesWarning)
    ...     ga4 = from_ga4(exports.to_ga4(small, f"{tmp}/events_20250203.json"))
    >>> len(ga4.sessions), int(ga4.sessions["pageviews"].sum()) == int(small.sessions.pageviews.sum())
    (50, True)
    """
    func = "from_ga4"
    with local_path(func, source, default_name="events.json") as local:
        table = _ga4_table(func, local)
    need = [c for c in ("event_timestamp", "event_name", "user_pseudo_id")
            if c not in table.column_names]
    if need:
        raise KeyError(
            f"{func}(): the export has no column {', '.join(map(repr, need))}. It has: "
            f"{', '.join(table.column_names)}. Fix: export the GA4 events_YYYYMMDD tables "
            f"unchanged (schema: {GA4_SCHEMA_URL})."
        )
    micros = pd.to_numeric(_ga4_field(table, "event_timestamp"), errors="coerce")
    if micros.isna().any():
        raise ValueError(f"{func}(): event_timestamp must be microseconds since 1970 in every "
                         f"row; {int(micros.isna().sum())} rows are not. Fix: export it as "
                         "Google writes it (an integer).")
    ts = pd.to_datetime(micros.astype("int64"), unit="us", utc=True)
    user = _ga4_field(table, "user_pseudo_id").astype("str")
    sid_num = pd.to_numeric(_ga4_param(table, "ga_session_id"), errors="coerce")
    sid = user + "." + sid_num.astype("Int64").astype("str").fillna("(not set)")
    name = _ga4_field(table, "event_name").astype("str")
    page = page_path(_ga4_param(table, "page_location"))
    revenue = pd.to_numeric(_ga4_field(table, "ecommerce", "purchase_revenue"),
                            errors="coerce")
    value = revenue.where(revenue.notna(),
                          pd.to_numeric(_ga4_param(table, "value"), errors="coerce"))
    ev = pd.DataFrame({"session_id": sid, "visitor_id": user, "timestamp": ts,
                       "event_name": name, "page": page, "value": value.astype("float64")})
    order = np.lexsort((np.arange(len(ev)), ev["timestamp"].to_numpy()))
    ev = ev.iloc[order].reset_index(drop=True)
    width = max(8, len(str(len(ev))))
    ev.insert(0, "event_id", "g" + pd.Series(np.arange(1, len(ev) + 1)).astype("str")
              .str.zfill(width))
    # per-session attributes, first non-missing value in time order
    src = pd.DataFrame({
        "session_id": sid,
        "m_source": _ga4_field(table, "collected_traffic_source", "manual_source"),
        "m_medium": _ga4_field(table, "collected_traffic_source", "manual_medium"),
        "p_source": _ga4_param(table, "source"), "p_medium": _ga4_param(table, "medium"),
        "t_source": _ga4_field(table, "traffic_source", "source"),
        "t_medium": _ga4_field(table, "traffic_source", "medium"),
        "device": _ga4_field(table, "device", "category"),
        "country": _ga4_field(table, "geo", "country"),
        "number": pd.to_numeric(_ga4_param(table, "ga_session_number"), errors="coerce"),
    }).iloc[order].reset_index(drop=True)
    first = src.groupby("session_id", sort=False).first()
    pv = ev[ev["event_name"] == "page_view"]
    g = ev.groupby("session_id", sort=False)
    sessions = pd.DataFrame({
        "session_id": first.index.astype("str"),
        "visitor_id": g["visitor_id"].first().reindex(first.index).to_numpy(),
        "started_at": g["timestamp"].min().reindex(first.index).to_numpy(),
    })
    end = g["timestamp"].max().reindex(first.index).to_numpy()
    source_ = first["m_source"].where(first["m_source"].notna(),
                                      first["p_source"].where(first["p_source"].notna(),
                                                              first["t_source"]))
    medium = first["m_medium"].where(first["m_source"].notna() | first["m_medium"].notna(),
                                     first["p_medium"].where(first["p_source"].notna()
                                                             | first["p_medium"].notna(),
                                                             first["t_medium"]))
    sessions["channel"] = channel_from(source_, medium).to_numpy()
    sessions["source"] = source_.to_numpy()
    sessions["landing_page"] = pv.groupby("session_id", sort=False)["page"].first() \
        .reindex(first.index).to_numpy()
    sessions["device"] = first["device"].to_numpy()
    sessions["country"] = first["country"].to_numpy()
    sessions["user_agent"] = pd.Series([None] * len(first), dtype="str").to_numpy()
    sessions["duration_s"] = (end - sessions["started_at"].to_numpy()) / np.timedelta64(1, "s")
    sessions["pageviews"] = pv.groupby("session_id", sort=False).size() \
        .reindex(first.index, fill_value=0).to_numpy()
    if first["number"].notna().any():
        sessions["is_returning"] = (first["number"].fillna(1) > 1).to_numpy()
    sessions = sessions.sort_values(["started_at", "session_id"], kind="stable",
                                    ignore_index=True)
    maps = {"country": "country_names", **(mapping or {})}
    s = _coerce(func, "sessions", sessions, mapping=maps)
    e = _coerce(func, "events", ev, mapping=mapping)
    validate_sessions(s)
    validate_events(e, s)
    return Dataset(s, e, _empty("leads"), None)


def _empty(frame: str) -> pd.DataFrame:
    raw = pd.DataFrame({c.name: pd.Series([], dtype="str") for c in SCHEMAS[frame]
                        if c.required})
    return _coerce("_empty", frame, raw)


# --------------------------------------------------------------------- web server logs
SESSION_GAP = pd.Timedelta(minutes=30)
"""A client's requests more than this far apart start a new session (``from_access_log``)."""

STATIC_ASSET = (r"(?i)(?:\.(?:png|jpe?g|gif|svg|webp|avif|ico|bmp|css|js|mjs|map|woff2?|ttf|"
                r"otf|eot)$|^/favicon\.ico$)")
"""Paths that are not page views: images, stylesheets, scripts, fonts, the favicon."""

_COMBINED = (r'^(?P<ip>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<method>[A-Z]+) (?P<target>\S+)'
             r'(?: [^"]*)?" (?P<status>\d{3}) (?P<bytes>\S+)'
             r'(?: "(?P<referer>(?:[^"\\]|\\.)*)" "(?P<agent>(?:[^"\\]|\\.)*)")?')


def _device_from_agent(agent: pd.Series) -> pd.Series:
    ua = agent.astype("str")
    device = pd.Series("desktop", index=ua.index, dtype="object")
    device[ua.str.contains(r"Mobi|iPhone|Android", regex=True).fillna(False)] = "mobile"
    device[ua.str.contains(r"iPad|Tablet", regex=True).fillna(False)] = "tablet"
    device[ua.isna()] = "unknown"
    return device


def from_access_log(path, *, gap: pd.Timedelta = SESSION_GAP, encoding: str = "utf-8",
                    mapping: dict | None = None) -> Dataset:
    """Sessions and page-view events from a web server log in the combined log format.

    Reads Apache's and Nginx's default ``combined`` format
    (``ip - user [10/Oct/2000:13:55:36 -0700] "GET /path HTTP/1.1" 200 2326 "referer"
    "user agent"``; the common format without the last two fields also works).

    Sessionising rule: a **client** is an IP address + user agent; its requests belong to
    one session until the client is silent for more than ``gap`` (30 minutes; a gap of
    exactly 30 minutes stays in the session). A **page view** is a ``GET`` answered 2xx or
    304 whose path is not a static asset (``STATIC_ASSET``: images, CSS, JavaScript,
    fonts, the favicon) and not ``/robots.txt``. Per session: ``started_at`` = its first
    request of any kind, ``duration_s`` = last minus first request, ``pageviews`` (0 when
    the client fetched no page), ``landing_page`` = first page view's path,
    ``robots_txt`` = the client asked for ``/robots.txt`` in the session (a bot signal),
    ``channel`` from the first request's referrer (none: direct; a search engine:
    organic_search; a social network: social; another site: referral) or a
    ``utm_medium`` in its query (``GA4_MEDIUMS``), ``device`` from the user agent
    (``unknown`` without one), ``visitor_id`` = the client, ``is_returning`` = the
    client had an earlier session in the log. There is no country (no geo lookup) and
    no CRM: ``leads`` is empty.

    Parameters
    ----------
    path : str, Path or open file
        The log file (or an open file / upload of it).
    gap : pandas.Timedelta, default 30 minutes
    encoding : str, default "utf-8"
    mapping : dict, optional
        As in ``load_sessions``.

    Returns
    -------
    Dataset
        ``sessions`` (with the extra boolean column ``robots_txt``), ``events`` (one
        ``page_view`` per page view), an empty ``leads``, ``answer_key=None``.

    Examples
    --------
    >>> import tempfile
    >>> lines = [
    ...  '203.0.113.9 - - [03/Feb/2025:10:00:00 +0000] "GET /robots.txt HTTP/1.1" 200 30 "-" "Bot/1.0"',
    ...  '203.0.113.9 - - [03/Feb/2025:10:00:01 +0000] "GET / HTTP/1.1" 200 900 "-" "Bot/1.0"',
    ...  '203.0.113.9 - - [03/Feb/2025:10:00:01 +0000] "GET /logo.png HTTP/1.1" 200 90 "-" "Bot/1.0"',
    ... ]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp) / "access.log"
    ...     _ = p.write_text("\\n".join(lines) + "\\n")
    ...     log = from_access_log(p)
    >>> log.sessions[["pageviews", "robots_txt", "landing_page", "duration_s"]].to_dict("records")
    [{'pageviews': 1, 'robots_txt': True, 'landing_page': '/', 'duration_s': 1.0}]
    """
    func = "from_access_log"
    with local_path(func, path, default_name="access.log") as local:
        return _access_log(local, gap=gap, encoding=encoding, mapping=mapping)


def _access_log(path, *, gap: pd.Timedelta, encoding: str, mapping: dict | None) -> Dataset:
    """from_access_log's work, on a path (an open file was saved to one first)."""
    func = "from_access_log"
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{func}(): no file {path}. Fix: pass the path of the log.")
    if path.is_dir():
        raise IsADirectoryError(f"{func}(): {path} is a folder. Fix: pass the log file "
                                "itself (concatenate rotated logs first: cat access.log*).")
    try:
        text = path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{func}(): {path.name} is not {encoding} ({exc.reason}). Fix: pass "
                         "encoding='latin-1'.") from exc
    lines = pd.Series(text.splitlines(), dtype="str")
    lines = lines[lines.str.strip() != ""].reset_index(drop=True)
    if lines.empty:
        raise ValueError(f"{func}(): {path} has no log lines. Fix: pass a non-empty log.")
    f = lines.str.extract(_COMBINED)
    bad = f["ip"].isna().to_numpy()
    if bad.any():
        first = np.flatnonzero(bad)[:3]
        raise ValueError(
            f"{func}(): {int(bad.sum())} of {len(lines):,} lines are not in the combined log "
            f"format, e.g. line {first[0] + 1}: {lines[first[0]][:120]!r}. Fix: export the "
            "log in Apache's/Nginx's combined (or common) format."
        )
    ts = pd.to_datetime(f["time"], format="%d/%b/%Y:%H:%M:%S %z", errors="coerce")
    if ts.isna().any():
        i = int(np.flatnonzero(ts.isna().to_numpy())[0])
        raise ValueError(f"{func}(): line {i + 1} has a time that is not "
                         f"dd/Mon/yyyy:HH:MM:SS +zone: {f['time'][i]!r}.")
    ts = ts.dt.tz_convert("UTC").dt.as_unit("us")
    agent = f["agent"].where(~f["agent"].isin(["-", ""]))
    referer = f["referer"].where(~f["referer"].isin(["-", ""]))
    target = f["target"]
    page = target.str.extract(r"^([^?#]*)", expand=False)
    status = f["status"].astype("int64")
    robots = (page == "/robots.txt").to_numpy()
    static = page.str.contains(STATIC_ASSET, regex=True).fillna(False).to_numpy()
    is_pv = ((f["method"] == "GET").to_numpy() & ~static & ~robots
             & (((status >= 200) & (status < 300)) | (status == 304)).to_numpy())
    client_key = f["ip"] + "\t" + agent.fillna("-")
    client, _ = pd.factorize(client_key)
    t = ts.astype("int64").to_numpy()  # microseconds since 1970, UTC
    order = np.lexsort((np.arange(len(t)), t, client))
    c_o, t_o = client[order], t[order]
    new = np.ones(len(t_o), dtype=bool)
    new[1:] = (c_o[1:] != c_o[:-1]) | ((t_o[1:] - t_o[:-1]) > gap // pd.Timedelta("1us"))
    sess_o = np.cumsum(new) - 1
    sess = np.empty_like(sess_o)
    sess[order] = sess_o
    n_sess = int(sess_o[-1]) + 1
    starts = np.full(n_sess, np.iinfo(np.int64).max)
    np.minimum.at(starts, sess, t)
    ends = np.full(n_sess, np.iinfo(np.int64).min)
    np.maximum.at(ends, sess, t)
    first_row = order[new]  # first request of each session (in sess_o order)
    s_client = c_o[new]
    rank = np.lexsort((np.arange(n_sess), starts))  # sessions in order of start
    number = np.empty(n_sess, dtype=np.int64)
    number[rank] = np.arange(n_sess)
    width = max(7, len(str(n_sess)))
    sid = pd.Series(number + 1).astype("str").str.zfill(width).radd("a").to_numpy()
    # visitors numbered in order of first appearance; earlier session of the same client?
    v_first = np.full(client.max() + 1, np.iinfo(np.int64).max)
    np.minimum.at(v_first, s_client, starts)
    vrank = np.empty_like(v_first)
    vrank[np.lexsort((np.arange(len(v_first)), v_first))] = np.arange(len(v_first))
    vid = pd.Series(vrank[s_client] + 1).astype("str").str.zfill(width).radd("c").to_numpy()
    returning = starts > v_first[s_client]
    # the first page view of each session, the first request's referrer and query
    pv_rows = np.flatnonzero(is_pv)
    pv_first = pd.Series(pv_rows).groupby(sess[pv_rows]).first()
    landing = pd.Series([None] * n_sess, dtype="object")
    landing.iloc[pv_first.index.to_numpy()] = page.to_numpy()[pv_first.to_numpy()]
    pviews = np.bincount(sess[pv_rows], minlength=n_sess)
    robots_s = np.bincount(sess[robots], minlength=n_sess) > 0
    ref = referer.to_numpy(dtype=object)[first_row]
    query_medium = target.str.extract(r"[?&]utm_medium=([^&#]+)", expand=False) \
        .to_numpy(dtype=object)[first_row]
    host = pd.Series(ref, dtype="str").str.extract(r"^[A-Za-z]+://([^/:?#]+)",
                                                   expand=False).str.lower()
    channel = pd.Series("referral", index=host.index, dtype="object")
    channel[host.str.contains(_SEARCH, regex=True).fillna(False)] = "organic_search"
    channel[host.str.contains(_SOCIAL, regex=True).fillna(False)] = "social"
    channel[pd.isna(ref)] = "direct"
    medium = pd.Series(query_medium, dtype="str").str.lower().map(GA4_MEDIUMS)
    channel = channel.where(medium.isna(), medium)
    sessions = pd.DataFrame({
        "session_id": sid, "visitor_id": vid,
        "started_at": pd.to_datetime(starts, unit="us", utc=True),
        "channel": channel.to_numpy(),
        "source": host.fillna("(direct)").to_numpy(),
        "landing_page": landing.to_numpy(),
        "device": _device_from_agent(agent).to_numpy(dtype=object)[first_row],
        "user_agent": agent.to_numpy(dtype=object)[first_row],
        "ip": f["ip"].to_numpy(dtype=object)[first_row],
        "duration_s": (ends - starts) / 1e6,
        "pageviews": pviews, "is_returning": returning, "robots_txt": robots_s,
    }).iloc[rank].reset_index(drop=True)
    ev_order = pv_rows[np.lexsort((pv_rows, t[pv_rows]))]
    events = pd.DataFrame({
        "event_id": pd.Series(np.arange(1, len(ev_order) + 1)).astype("str")
        .str.zfill(max(8, width)).radd("a").to_numpy(),
        "session_id": sid[sess[ev_order]], "visitor_id": vid[sess[ev_order]],
        "timestamp": ts.array.take(ev_order), "event_name": "page_view",
        "page": page.to_numpy(dtype=object)[ev_order],
    })
    s = validate_sessions(_coerce(func, "sessions", sessions, mapping=mapping))
    e = validate_events(_coerce(func, "events", events, mapping=mapping), s)
    return Dataset(s, e, _empty("leads"), None)
