"""Load and validate the kit's data files (or your own exports).

The kit ships four CSV files in ``data/`` (see ``data/README.md``):
``sessions.csv``, ``events.csv``, ``leads.csv`` and ``answer_key.csv``. The loaders
read a file, give every column its proper type (UTC timestamps, categories, booleans,
numbers) and then run the matching ``validate_*`` function, so an analyst's own export
goes through exactly the same checks as the kit's data.

Every check that fails raises an error that names the function, the frame, the column,
the first offending rows and a fix, for example::

    ValueError: validate_sessions(): sessions.pageviews must be >= 1, but 2 rows are not.
    First offending rows: session_id s0000003 (0), s0000009 (-1). Fix: ...

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
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

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
    "DATA_DIR",
    "SCHEMAS",
    "Column",
    "Dataset",
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
        ("pageviews", "int", True, "pages viewed, >= 1; equals the session's page_view events"),
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
        ("created_at", "timestamp", True, "when the lead entered the CRM, UTC"),
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
    dup = df[col].duplicated(keep=False).to_numpy()
    if allow_exact_duplicates and dup.any():
        dup = dup & ~df.duplicated(keep=False).to_numpy()
    if dup.any():
        _fail(func, frame, col, "must be unique, but some ids repeat", df, dup,
              f"drop the repeated rows (df.drop_duplicates({col!r})) or give them new ids.")


def _check_not_missing(func: str, frame: str, df: pd.DataFrame, col: str) -> None:
    bad = df[col].isna().to_numpy()
    if bad.any():
        _fail(func, frame, col, "must not be missing", df, bad,
              f"fill or drop those rows, e.g. df.dropna(subset=[{col!r}]).")


# ----------------------------------------------------------------------- validators
def validate_sessions(df: pd.DataFrame) -> pd.DataFrame:
    """Check a sessions frame; return it unchanged or raise a clear error.

    Checks the required columns, their types, unique ``session_id``, known channel and
    device values, ``duration_s >= 0``, ``pageviews >= 1`` and ``form_seconds >= 0``.

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
    >>> bad = s.assign(pageviews=0)
    >>> validate_sessions(bad)
    Traceback (most recent call last):
    ...
    ValueError: validate_sessions(): sessions.pageviews must be >= 1 ...
    """
    f, fr = "validate_sessions", "sessions"
    _check_columns(f, fr, df)
    _check_dtypes(f, fr, df)
    for c in ("session_id", "visitor_id", "started_at", "duration_s", "pageviews"):
        _check_not_missing(f, fr, df, c)
    _check_unique(f, fr, df, "session_id")
    _check_categories(f, fr, df)
    bad = (df["duration_s"] < 0).to_numpy()
    if bad.any():
        _fail(f, fr, "duration_s", "must be >= 0 seconds, but some are negative", df, bad,
              "check the unit and the sign; durations are end minus start, in seconds.",
              show="duration_s")
    bad = (df["pageviews"] < 1).to_numpy()
    if bad.any():
        _fail(f, fr, "pageviews", "must be >= 1 (a session views at least one page)", df,
              bad, "drop sessions without pages, or count page_view events per session.",
              show="pageviews")
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
    _check_categories(f, fr, df)
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

    Checks required columns and types, unique ``lead_id``, known ``lead_source`` and
    ``stage``, ``company_size >= 1``, ``first_order_value >= 0`` and that nobody became
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
    >>> validate_leads(leads.assign(stage="hot"))
    Traceback (most recent call last):
    ...
    ValueError: validate_leads(): leads.stage has unknown values ['hot']...
    """
    f, fr = "validate_leads", "leads"
    _check_columns(f, fr, df)
    _check_dtypes(f, fr, df)
    for c in ("lead_id", "created_at", "lead_source", "stage"):
        _check_not_missing(f, fr, df, c)
    _check_unique(f, fr, df, "lead_id")
    _check_categories(f, fr, df)
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
    if "became_customer_at" in df.columns:
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


# -------------------------------------------------------------------------- coercion
def _coerce(func: str, frame: str, raw: pd.DataFrame) -> pd.DataFrame:
    """Give each known column of ``raw`` (strings, as read from CSV) its proper dtype."""
    _check_columns(func, frame, raw)
    out = {}
    for name in raw.columns:
        s = raw[name]
        col = next((c for c in SCHEMAS[frame] if c.name == name), None)
        if col is None:
            out[name] = s
            continue
        text = s.astype("str") if s.dtype != "str" else s
        empty = (text.isna() | (text == "")).to_numpy(dtype=bool)
        try:
            if col.kind in ("id", "str"):
                out[name] = text.where(~empty, None).astype("str")
            elif col.kind == "timestamp":
                parsed = pd.to_datetime(text.where(~empty, None), utc=True, format="ISO8601",
                                        errors="coerce")
                bad = parsed.isna() & ~empty
                if bad.any():
                    _fail(func, frame, name, "has values that are not timestamps", raw, bad,
                          "write ISO-8601 times such as 2025-02-03T09:15:00Z (UTC).",
                          show=name)
                out[name] = parsed.dt.as_unit("us")
            elif col.kind in ("float", "int", "Int"):
                num = pd.to_numeric(text.where(~empty, None), errors="coerce")
                bad = num.isna() & ~empty
                if bad.any():
                    _fail(func, frame, name, "has values that are not numbers", raw, bad,
                          "use a dot as decimal separator and no units or thousands "
                          "separators.", show=name)
                if col.kind == "float":
                    out[name] = num.astype("float64")
                else:
                    frac = (num.notna() & (num != num.round())).to_numpy(dtype=bool)
                    if frac.any():
                        _fail(func, frame, name, "must hold whole numbers", raw, frac,
                              "round or fix those values.", show=name)
                    if col.kind == "int":
                        if empty.any():
                            _fail(func, frame, name, "must not be missing", raw, empty,
                                  "fill or drop those rows.")
                        out[name] = num.astype("int64")
                    else:
                        out[name] = num.astype("Int64")
            elif col.kind == "bool":
                low = text.str.strip().str.lower()
                mapped = low.map({"true": True, "false": False, "1": True, "0": False,
                                  "yes": True, "no": False})
                bad = mapped.isna()
                if bad.any():
                    _fail(func, frame, name, "must be True or False", raw, bad,
                          "write True/False (or 1/0) in every row.", show=name)
                out[name] = mapped.astype("bool")
            elif col.kind == "category":
                values = text.where(~empty, None)
                allowed = CATEGORIES[name]
                bad = values.notna() & ~values.isin(allowed)
                if bad.any():
                    unknown = sorted(pd.unique(values[bad]).astype(str))[:5]
                    _fail(func, frame, name, f"has unknown values {unknown}", raw, bad,
                          f"use only {', '.join(allowed)}; map other labels with "
                          f"df[{name!r}].replace({{'old': 'new'}}).", show=name)
                out[name] = pd.Categorical(values, categories=list(allowed))
        except (TypeError, OverflowError) as exc:  # pragma: no cover - defensive
            raise ValueError(f"{func}(): {frame}.{name} could not be read: {exc}") from exc
    return pd.DataFrame(out, index=pd.RangeIndex(len(raw)))


def _read(func: str, frame: str, path, rename: dict[str, str] | None = None) -> pd.DataFrame:
    path = Path(path) if path is not None else kit_data_dir() / f"{frame}.csv"
    if not path.exists():
        raise FileNotFoundError(
            f"{func}(): no file {path}. Fix: pass the path of your {frame} CSV, or run "
            "`make data` in the kit folder to regenerate the kit's data."
        )
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
    if rename:
        unknown = [c for c in rename if c not in raw.columns]
        if unknown:
            raise KeyError(
                f"{func}(): rename= names column {unknown[0]!r}, which {path.name} does not "
                f"have. It has: {', '.join(map(str, raw.columns))}. Fix: use the file's own "
                "column names as the keys of rename=, the kit's names as the values."
            )
        raw = raw.rename(columns=rename)
    return _coerce(func, frame, raw)


def load_sessions(
    path: str | Path | None = None, *, rename: dict[str, str] | None = None
) -> pd.DataFrame:
    """Read sessions (the kit's, or yours), typed and validated.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the columns in ``SCHEMAS["sessions"]``; default ``kit_data_dir()/sessions.csv``.
    rename : dict, optional
        Your export's column names mapped to the kit's, e.g. ``{"ua": "user_agent"}``.

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
    return validate_sessions(_read("load_sessions", "sessions", path, rename))


def load_events(
    path: str | Path | None = None, *, rename: dict[str, str] | None = None
) -> pd.DataFrame:
    """Read events, typed and validated (see ``load_all`` to also check them against sessions).

    Examples
    --------
    >>> e = load_events()
    >>> e["event_name"].cat.categories[0]
    'page_view'
    """
    return validate_events(_read("load_events", "events", path, rename))


def load_leads(
    path: str | Path | None = None, *, rename: dict[str, str] | None = None
) -> pd.DataFrame:
    """Read the CRM leads, typed and validated.

    Examples
    --------
    >>> leads = load_leads()
    >>> str(leads["company_size"].dtype), leads["stage"].dtype.name
    ('Int64', 'category')
    """
    return validate_leads(_read("load_leads", "leads", path, rename))


def load_answer_key(
    path: str | Path | None = None, *, rename: dict[str, str] | None = None
) -> pd.DataFrame:
    """Read the generator's truth (segment, bot kind, persona per session).

    Use it to *grade* a bot filter or persona matching, never to make a decision.

    Examples
    --------
    >>> key = load_answer_key()
    >>> list(key["segment"].cat.categories)
    ['bot', 'loyal_customer', 'stumbled', 'potential_buyer']
    """
    return validate_answer_key(_read("load_answer_key", "answer_key", path, rename))


def load_all(folder: str | Path | None = None, *, answer_key: bool = True) -> Dataset:
    """Read all four files of a data folder and check them against each other.

    Parameters
    ----------
    folder : str or Path, optional
        Folder with sessions.csv, events.csv, leads.csv, answer_key.csv; default
        :func:`kit_data_dir` (``KIT_DATA``, else the kit's ``data/``).
    answer_key : bool, default True
        Also read answer_key.csv. Your own exports have no answer key: pass
        ``answer_key=False`` and ``Dataset.answer_key`` is None.

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
    sessions = load_sessions(folder / "sessions.csv")
    events = load_events(folder / "events.csv")
    validate_events(events, sessions)
    leads = load_leads(folder / "leads.csv")
    if not answer_key:
        return Dataset(sessions, events, leads, None)
    truth = load_answer_key(folder / "answer_key.csv")
    validate_answer_key(truth, sessions)
    return Dataset(sessions, events, leads, truth)


def from_raw(frame: str, raw: pd.DataFrame) -> pd.DataFrame:
    """Type a frame of raw values (as read from CSV) and validate it.

    Parameters
    ----------
    frame : {"sessions", "events", "leads", "answer_key"}
        Which kind of frame ``raw`` is.
    raw : pandas.DataFrame
        Columns named as in ``SCHEMAS[frame]``; values may be strings.

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
    typed = _coerce("from_raw", frame, raw)
    validate = {"sessions": validate_sessions, "events": validate_events,
                "leads": validate_leads, "answer_key": validate_answer_key}[frame]
    return validate(typed)
